/**
 * Loading both sides of `cachestack diff`: the working copy (the config files on
 * the command line, or `config/`) and the base, either another file or the same
 * files at a git ref.
 *
 * Pure of console output: problems come back as values for the CLI to print.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineCounterOf, loadConfig, positionOf, resolveInputs, type Diagnostic, type LoadResult } from '../config';
import { GitError, listConfigFiles, makeTempDir, materialize, materializeConfig, removeDir, repoRelative, repoRoot, resolveRef } from './git';
import type { FileInput, Side } from './report';

export type Collected =
  | { kind: 'ok'; base: string; inputs: FileInput[] }
  /** A working-copy config is invalid (or unreadable: `io`); print its diagnostics. */
  | { kind: 'invalid'; head: LoadResult; io: boolean }
  /** Usage or I/O problem: exit 2 with this message. */
  | { kind: 'error'; message: string };

export interface CollectOptions {
  /**
   * The base: `ref` (`--base`) is always a git ref, never a path, so a file a
   * change adds under the ref's name cannot stand in for it; `file`
   * (`--base-file`) is a config file on disk.
   */
  base: { ref: string } | { file: string };
  env?: string;
  cwd: string;
}

/** `--env` names an environment no head file defines: the message, as `validate` words it. */
export function unknownEnvironmentMessage(env: string, result: LoadResult): string {
  const defined = [...new Set(result.files.flatMap((f) => f.environments))].sort();
  const allowed = defined.length ? `environments defined: ${defined.join(', ')}` : 'the files given define no environments';
  return `unknown environment \`${env}\` for --env; ${allowed}`;
}

/** `file:line:column: error[code]: message` lines of a load's errors (warnings left out), for the report; `show` maps the file. */
export function problemLines(result: LoadResult, show: (file: string) => string = (f) => f): string[] {
  const starts = new Map<string, ReturnType<typeof lineCounterOf>>();
  const lineOf = (d: Diagnostic) => {
    let s = starts.get(d.location.file);
    if (!s) {
      s = lineCounterOf(result.sources.get(d.location.file) ?? '');
      starts.set(d.location.file, s);
    }
    return positionOf(s, d.location.start);
  };
  return result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const pos = lineOf(d);
      const env = d.environment ? ` (environment ${d.environment})` : '';
      return `${show(d.location.file)}:${pos.line}:${pos.column}: error[${d.code}]: ${d.message}${env}`;
    });
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  return shown.split(path.sep).join('/');
}

function sideOf(result: LoadResult, index: number, show?: (file: string) => string): Side {
  const f = result.files[index];
  if (!f) return { status: 'absent' };
  if (f.errors > 0) return { status: 'invalid', problems: problemLines(result, show) };
  return { status: 'ok', models: f.models };
}

export async function collectDiff(positionals: readonly string[], options: CollectOptions): Promise<Collected> {
  const { cwd, env } = options;
  const baseIsFile = 'file' in options.base;
  const baseAbs = 'file' in options.base ? path.resolve(cwd, options.base.file) : '';
  if (baseIsFile && !isFile(baseAbs)) {
    const what = fs.existsSync(baseAbs) ? 'is not a regular file' : 'does not exist';
    return { kind: 'error', message: `--base-file ${(options.base as { file: string }).file}: the file ${what}; pass a config file (or \`--base REF\` for a git ref)` };
  }

  // Working-copy files. With a git base, a file named on the command line may be
  // gone from the working copy (deleted in this change): it is compared with
  // nothing if it exists at the ref.
  const present = baseIsFile ? [...positionals] : positionals.filter((p) => fs.existsSync(path.resolve(cwd, p)));
  const missing = baseIsFile ? [] : positionals.filter((p) => !fs.existsSync(path.resolve(cwd, p)));
  let headFiles: string[] = [];
  if (present.length || !positionals.length) {
    const inputs = resolveInputs(present, cwd);
    if ('error' in inputs) return { kind: 'error', message: inputs.error };
    headFiles = inputs.files;
  }
  // Checked before loading: two files given with a file base would otherwise be
  // reported for their own sake (e.g. as duplicate-stack) instead of as misuse.
  const distinct = new Set(headFiles.map((f) => path.resolve(cwd, f))).size;
  if (baseIsFile && distinct !== 1) {
    return { kind: 'error', message: `--base-file ${(options.base as { file: string }).file} is compared with one config file; ${distinct} were given (name the one to compare, or pass \`--base REF\` for a git ref)` };
  }
  const head = loadConfig(headFiles, { env, cwd });
  if (head.diagnostics.some((d) => d.code === 'file-unreadable')) return { kind: 'invalid', head, io: true };
  if (head.files.some((f) => f.errors > 0)) return { kind: 'invalid', head, io: false };
  if (env !== undefined && head.unknownEnvironment !== undefined && !missing.length) {
    return { kind: 'error', message: unknownEnvironmentMessage(env, head) };
  }

  if (baseIsFile) {
    const baseLabel = displayPath(cwd, baseAbs);
    // Loaded from a copy, with stand-ins for handler entries, exactly as a base at a git ref is.
    const fsRoot = path.parse(baseAbs).root;
    const rel = path.relative(fsRoot, baseAbs).split(path.sep).join('/');
    const readDisk = async (p: string) => {
      try {
        return fs.readFileSync(path.join(fsRoot, ...p.split('/')), 'utf8');
      } catch {
        return undefined;
      }
    };
    const tmp = makeTempDir();
    try {
      if ((await materialize(readDisk, rel, tmp)) === undefined) return { kind: 'error', message: `${baseLabel}: cannot read the base file` };
      const base = loadConfig([rel], { env, cwd: tmp });
      return {
        kind: 'ok',
        base: baseLabel,
        inputs: [{ file: head.files[0].file, baseLabel, base: sideOf(base, 0, (f) => displayPath(cwd, path.join(fsRoot, ...f.split('/')))), head: sideOf(head, 0) }],
      };
    } finally {
      removeDir(tmp);
    }
  }

  // A git ref: resolved by git, whatever the working tree holds under that name.
  const ref = (options.base as { ref: string }).ref;
  let root: string;
  let commit: string;
  try {
    root = await repoRoot(cwd);
    commit = await resolveRef(root, ref, !ref.includes('\0') && isFile(path.resolve(cwd, ref)));
  } catch (error) {
    if (error instanceof GitError) return { kind: 'error', message: error.message };
    throw error;
  }

  // Every config to compare, by path relative to the repository root.
  const headRel = new Map<string, number>();
  for (const [i, f] of head.files.entries()) {
    const rel = repoRelative(root, path.resolve(cwd, f.file));
    if (rel === undefined) return { kind: 'error', message: `${f.file} is outside the git repository at ${root}; --base REF compares files of that repository` };
    headRel.set(rel, i);
  }
  const deleted: string[] = [];
  const dirs = positionals.length ? present.filter((p) => isDir(path.resolve(cwd, p))) : ['config/'];
  try {
    for (const dir of dirs) {
      const relDir = repoRelative(root, path.resolve(cwd, dir));
      if (relDir === undefined) continue;
      for (const rel of await listConfigFiles(root, commit, relDir)) if (!headRel.has(rel) && !deleted.includes(rel)) deleted.push(rel);
    }
    for (const m of missing) {
      const rel = repoRelative(root, path.resolve(cwd, m));
      if (rel === undefined) return { kind: 'error', message: `${m}: no such file or directory` };
      const atRef = await listConfigFiles(root, commit, path.posix.dirname(rel));
      if (!atRef.includes(rel)) return { kind: 'error', message: `${m}: no such file in the working copy nor at ${ref}` };
      if (!deleted.includes(rel)) deleted.push(rel);
    }
  } catch (error) {
    if (error instanceof GitError) return { kind: 'error', message: error.message };
    throw error;
  }

  const tmp = makeTempDir();
  try {
    const inputs: FileInput[] = [];
    const all = [...[...headRel.keys()].map((rel) => ({ rel, index: headRel.get(rel)! })), ...deleted.map((rel) => ({ rel, index: -1 }))];
    for (const { rel, index } of all) {
      const baseLabel = `${ref}:${rel}`;
      let base: Side;
      let written: string | undefined;
      try {
        written = await materializeConfig(root, commit, rel, tmp, ref);
      } catch (error) {
        if (error instanceof GitError) return { kind: 'error', message: error.message };
        throw error;
      }
      if (written === undefined) base = { status: 'absent' };
      else {
        const loaded = loadConfig([rel], { env, cwd: tmp });
        base = sideOf(loaded, 0, (f) => `${ref}:${f}`);
      }
      const file = index >= 0 ? head.files[index].file : displayPath(cwd, path.join(root, ...rel.split('/')));
      inputs.push({ file, baseLabel, base, head: index >= 0 ? sideOf(head, index) : { status: 'absent' } });
    }
    return { kind: 'ok', base: ref, inputs };
  } finally {
    removeDir(tmp);
  }
}
