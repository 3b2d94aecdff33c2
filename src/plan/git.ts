/**
 * Reading config files as they are at a git ref, for `cachestack diff --base REF`.
 *
 * git is spawned with `execFile` (no shell, arguments passed as an array), so a
 * ref or a path is never interpreted by a shell. Every call runs in the
 * repository root with paths relative to it, `/`-separated, which is what
 * `git show REF:<path>` expects.
 *
 * A config at the base may reference other files (handler entries, the GraphQL
 * schema), which the loader checks and reads relative to the config file. So the
 * base is materialized in a temporary directory that mirrors the repository
 * layout: the config file and the GraphQL schema as they are at the ref, and
 * stand-ins for the handler entries (their code plays no part in a diff).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSource } from '../config/parse';

/** A git failure with a message for the user: unknown ref, not a repository, git missing. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function git(cwd: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (err && err.code === 'ENOENT') {
          reject(new GitError('git is not installed or not on PATH; `--base REF` needs git (use `--base-file FILE` to compare with a file)'));
          return;
        }
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout: stdout as Buffer,
          stderr: (stderr as Buffer).toString('utf8').trim(),
        });
      },
    );
  });
}

/** The root of the work tree that contains `dir`. */
export async function repoRoot(dir: string): Promise<string> {
  const r = await git(dir, ['rev-parse', '--show-toplevel']);
  if (r.code !== 0) throw new GitError(`\`${dir}\` is not inside a git repository; \`--base REF\` needs one (use \`--base-file FILE\` to compare with a file)`);
  return fs.realpathSync(r.stdout.toString('utf8').trim());
}

/**
 * Why `ref` is refused before git sees it, or `undefined` when it may be asked
 * about. git would reject most of these too, but a ref is user text that reaches
 * a command line and every message, so it is held to one commit name: no option
 * (`-...`), no range (`..`, `...`), no `REV:path` (a blob or tree, not a commit),
 * no whitespace or control characters.
 */
export function refProblem(ref: string): string | undefined {
  if (ref === '') return 'it is empty';
  if (ref.startsWith('-')) return 'it begins with `-`, so git would read it as an option';
  if (ref.includes('..')) return 'a range (`..` or `...`) names more than one commit';
  if (ref.includes(':')) return '`REV:path` names a file, not a commit';
  if (/[\s\x00-\x1f\x7f]/.test(ref)) return 'it contains whitespace or a control character';
  if (ref.length > 256) return `it is ${ref.length} characters long (at most 256)`;
  return undefined;
}

/**
 * The commit a ref names (branch, tag, sha, `HEAD~1`, `origin/main`). Always a
 * git question, never a path: a working-tree file of the same name plays no part.
 * `fileExists` tells whether a file of that name exists, for the hint.
 */
export async function resolveRef(root: string, ref: string, fileExists = false): Promise<string> {
  const fileHint = fileExists ? `; to compare with the file ${ref}, pass \`--base-file ${ref}\`` : '';
  const problem = refProblem(ref);
  if (problem) {
    throw new GitError(`\`--base\` is not a git ref cachestack accepts: ${JSON.stringify(ref)}: ${problem}; pass one commit (a branch, origin/main, a tag, a sha, HEAD~1)${fileHint}`);
  }
  const r = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (r.code !== 0) {
    const hint = fileHint || (/^[\w.-]+$/.test(ref) ? `; in CI, fetch it first (e.g. \`git fetch origin ${ref}\`) and pass \`origin/${ref}\`` : '');
    throw new GitError(`unknown git ref \`${ref}\`: no commit by that name in ${root}${hint}`);
  }
  return r.stdout.toString('utf8').trim();
}

/** `path` relative to the repository root, `/`-separated; `undefined` when outside it. */
export function repoRelative(root: string, file: string): string | undefined {
  const abs = path.resolve(file);
  let real = abs;
  // The file may not exist in the working copy (deleted); resolve its directory instead.
  try {
    real = fs.realpathSync(abs);
  } catch {
    try {
      real = path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      real = abs;
    }
  }
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  path: string;
}

/** Entries of a tree object: mode, type (`blob`, `tree`, `commit`), object id, path. */
async function lsTree(root: string, commit: string, relPath: string): Promise<TreeEntry[]> {
  const r = await git(root, ['ls-tree', '-z', '--end-of-options', commit, '--', relPath]);
  if (r.code !== 0) throw new GitError(`git ls-tree failed for \`${relPath}\` at ${commit.slice(0, 12)}: ${r.stderr}`);
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, object] = line.slice(0, tab).split(' ');
      return { mode, type, object, path: line.slice(tab + 1) };
    });
}

async function catBlob(root: string, object: string, what: string): Promise<Buffer> {
  const r = await git(root, ['cat-file', 'blob', object]);
  if (r.code !== 0) throw new GitError(`git cat-file ${what} failed: ${r.stderr}`);
  return r.stdout;
}

const MAX_LINKS = 8;

/**
 * The text of a file at a commit, or `undefined` when it does not exist there.
 * A symbolic link is followed as a checkout would, but only inside the
 * repository: a link out of it (absolute, or `..` past the root) is an error and
 * nothing is read. `label` names the commit in messages (the ref as given).
 */
export async function showFile(root: string, commit: string, relPath: string, label = commit.slice(0, 12)): Promise<string | undefined> {
  let current = relPath;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const entry = (await lsTree(root, commit, current)).find((e) => e.path === current);
    if (!entry || entry.type !== 'blob') return undefined;
    const content = await catBlob(root, entry.object, `${label}:${current}`);
    if (entry.mode !== '120000') return content.toString('utf8');
    const target = content.toString('utf8');
    const next = path.posix.normalize(path.posix.join(path.posix.dirname(current), target));
    if (path.posix.isAbsolute(target) || next === '..' || next.startsWith('../')) {
      throw new GitError(`${relPath} is a symbolic link at ${label} that points outside the repository (to ${JSON.stringify(target)}); diff reads only files inside it`);
    }
    current = next;
  }
  throw new GitError(`${relPath} at ${label} is a chain of more than ${MAX_LINKS} symbolic links; diff does not follow it`);
}

/** Config files (`*.yaml`, `*.yml`) directly in a directory at a commit, repository-relative. */
export async function listConfigFiles(root: string, commit: string, relDir: string): Promise<string[]> {
  const dir = relDir === '' || relDir === '.' ? '' : `${relDir.replace(/\/+$/, '')}/`;
  const entries = dir ? await lsTree(root, commit, dir) : await lsTree(root, commit, '.');
  return entries
    .filter((e) => e.type === 'blob' && /\.ya?ml$/i.test(e.path))
    .map((e) => e.path)
    .sort();
}

/** Files a config references, relative to the config file: handler entries, requirements and the GraphQL schema (base and overlays). */
export function referencedFiles(yamlText: string): string[] {
  const { entries, schemas, requirements } = references(yamlText);
  return [...new Set([...entries, ...schemas, ...requirements])].sort();
}

/** The handler entries, Python requirements files and GraphQL schema files a config names, each list sorted. */
export function references(yamlText: string): { entries: string[]; schemas: string[]; requirements: string[] } {
  // The loader's own parse: the same value `cachestack validate` checks.
  const parsed = parseSource(yamlText, 'config');
  if (!parsed.hasValue) return { entries: [], schemas: [], requirements: [] };
  const doc = parsed.value;
  const entries = new Set<string>();
  const schemas = new Set<string>();
  const requirements = new Set<string>();
  const collect = (section: unknown) => {
    if (!section || typeof section !== 'object') return;
    const s = section as Record<string, unknown>;
    const handlers = s.handlers;
    if (handlers && typeof handlers === 'object') {
      for (const h of Object.values(handlers as Record<string, unknown>)) {
        const entry = h && typeof h === 'object' ? (h as Record<string, unknown>).entry : undefined;
        if (typeof entry === 'string') entries.add(entry);
        const reqs = h && typeof h === 'object' ? (h as Record<string, unknown>).requirements : undefined;
        if (typeof reqs === 'string') requirements.add(reqs);
      }
    }
    const api = s.graphqlApi;
    const schema = api && typeof api === 'object' ? (api as Record<string, unknown>).schema : undefined;
    if (typeof schema === 'string') schemas.add(schema);
  };
  collect(doc);
  const envs = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).environments : undefined;
  if (envs && typeof envs === 'object') for (const overlay of Object.values(envs as Record<string, unknown>)) collect(overlay);
  return { entries: [...entries].sort(), schemas: [...schemas].sort(), requirements: [...requirements].sort() };
}

/**
 * Writes the config at `relPath` as of `commit`, and the files it references,
 * under `dest` with the repository layout. Returns the absolute path of the
 * written config, or `undefined` when the config does not exist at that commit.
 *
 * The GraphQL schema is written as it was at the commit; when it is missing
 * there, it is left out and the loader reports the base as invalid. Handler code
 * plays no part in a diff, so a handler entry missing at the commit (for
 * instance, added later than the config) is stood in for by an empty file:
 * the base is still compared. A Python handler's `requirements` file is written
 * as it was (validate checks its lines), or empty when missing.
 */
export async function materializeConfig(root: string, commit: string, relPath: string, dest: string, label?: string): Promise<string | undefined> {
  return materialize((rel) => showFile(root, commit, rel, label), relPath, dest);
}

/**
 * The same for a config read through `read` (repository-relative, `/`-separated
 * paths in, text or `undefined` out): `materializeConfig` reads a commit,
 * `diff --base-file FILE` reads the disk.
 */
export async function materialize(read: (relPath: string) => Promise<string | undefined>, relPath: string, dest: string): Promise<string | undefined> {
  const text = await read(relPath);
  if (text === undefined) return undefined;
  write(dest, relPath, text);
  const configDir = path.posix.dirname(relPath);
  const { entries, schemas, requirements } = references(text);
  const inRepo = (ref: string) => {
    if (path.posix.isAbsolute(ref)) return undefined;
    const rel = path.posix.normalize(path.posix.join(configDir, ref));
    return rel === '..' || rel.startsWith('../') ? undefined : rel;
  };
  for (const ref of schemas) {
    const rel = inRepo(ref);
    if (rel === undefined) continue;
    const content = await read(rel);
    if (content !== undefined) write(dest, rel, content);
  }
  for (const ref of entries) {
    const rel = inRepo(ref);
    if (rel === undefined) continue;
    write(dest, rel, `${rel.endsWith('.py') ? '#' : '//'} stand-in: handler code plays no part in \`cachestack diff\`\n`);
  }
  // Python requirements as they were (validate reads them), or an empty stand-in when missing
  for (const ref of requirements) {
    const rel = inRepo(ref);
    if (rel === undefined) continue;
    write(dest, rel, (await read(rel)) ?? '');
  }
  return path.join(dest, ...relPath.split('/'));
}

function write(dest: string, rel: string, text: string): void {
  const target = path.join(dest, ...rel.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}

/** A fresh temporary directory; the caller removes it with `removeDir`. */
export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-base-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
