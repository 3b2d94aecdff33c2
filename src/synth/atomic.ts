/**
 * Updating an output directory without ever losing a file synth did not write.
 *
 * Synth owns only the files it wrote. It records them in a marker file,
 * `DIR/.cachestack-out.json` (`{ format, tool, stacks, files }`), and it only
 * ever writes into a directory that does not exist, is empty, holds that marker,
 * or is a legacy output of an older cachestack (see `readOwnership`). Anything
 * else is refused before a byte is written.
 *
 * The new files are built in a staging directory inside DIR
 * (`DIR/.cachestack-staging-*`), which only ever holds files synth generated.
 * Commit, under an exclusive lock (`DIR/.cachestack-out.lock`):
 *   1. the marker is rewritten to list the old and the new files ("pending");
 *   2. per stack, the zips and then cdk.tf.json are renamed into place, one file
 *      at a time (each rename is atomic); zip names carry their hash, so a stack's
 *      cdk.tf.json, old or new, always names zips that exist; manifest.json last;
 *   3. files the previous run wrote and this one does not are deleted, and a
 *      removed stack's directory goes only if nothing else is left in it;
 *   4. the marker is rewritten to list exactly the new files.
 * Terraform's state, `.terraform/`, the lock file, tfvars, overrides, plans and
 * notes never move. A kill at any moment leaves every such file where it was; the
 * next run sweeps the staging directory, takes over the stale lock and finishes
 * the job (the pending marker still names every file synth may have written).
 *
 * Older cachestack versions built the output in `.<out>.new-*` next to DIR and
 * moved state into it; killed, they left state there. Every run moves what such
 * a tree holds (other than the files those versions generated) back into DIR.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stableJson } from './normalize';

export const MARKER = '.cachestack-out.json';
export const LOCK = '.cachestack-out.lock';
export const MARKER_FORMAT = 1;
const STAGING_PREFIX = '.cachestack-staging-';

/** Entries that Terraform (not synthesis) creates in a stack directory; synth never touches them. */
export const TERRAFORM_WORKING_FILES = [
  '.terraform',
  '.terraform.lock.hcl',
  '.terraform.tfstate.lock.info',
  'terraform.tfstate',
  'terraform.tfstate.backup',
  'terraform.tfstate.d',
] as const;

/** Local Terraform state, its backups (`terraform.tfstate.<ts>.backup` too), `errored.tfstate` and other workspaces. */
export function isStateFile(name: string): boolean {
  return /^terraform\.tfstate(\..*)?$/.test(name) || name === 'errored.tfstate' || name === 'terraform.tfstate.d';
}

/** How long a synth waits for another one on the same output, in seconds, unless CACHESTACK_LOCK_TIMEOUT says otherwise. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;

export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

export interface OutputOptions {
  /**
   * Stack directories the new output does not have are normally cleaned of the
   * files synth wrote. With `true` they are left exactly as they are: cdktf-cli
   * lists the stack directories before it runs the app, deletes the ones the new
   * manifest does not name, and fails if one is already gone.
   */
  keepUnlistedStacks?: boolean;
  /** Seconds to wait for another synth's lock. Default: CACHESTACK_LOCK_TIMEOUT, else 60. */
  lockTimeoutSeconds?: number;
  /** Called at every named step of the commit (tests use it to change the file system at a chosen moment). */
  onStep?: (step: string) => void;
}

export interface CommitResult {
  /** Stack directories no longer in the output, kept because they hold files synth did not write (or for cdktf-cli): name and what they hold. */
  keptStacks: { name: string; holds: string[] }[];
  /** What was moved back into DIR from `.<out>.new-*`/`.<out>.old-*` directories an older cachestack left behind when it was killed. */
  recovered: string[];
  /** Such directories that are kept, because something in them could not be moved back (the same name exists in DIR): path and why. */
  leftovers: string[];
}

/** A locked output directory with a staging directory to write the new output into. */
export interface OpenOutput {
  /** The staging directory to write into (inside the output directory). */
  dir: string;
  /** Moves the staged files into place; throws `OutputDirError` with what happened on failure. */
  commit(): CommitResult;
  /** Deletes the staging directory and releases the lock (safe to call more than once). */
  release(): void;
}

interface Marker {
  format: number;
  tool: 'cachestack';
  pending?: boolean;
  stacks: string[];
  files: string[];
}

/** What synth owns in an existing output directory. */
export interface Ownership {
  kind: 'absent' | 'empty' | 'marker' | 'legacy';
  stacks: Set<string>;
  files: Set<string>;
}

/** What a file-system error code means, in plain words. */
const PLAIN: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a file stands where a directory must be',
  EEXIST: 'something already stands where a directory must be',
  EISDIR: 'a directory stands where a file must be',
  ENOTEMPTY: 'a directory stands where a file must be',
  EBUSY: 'the file is in use',
  EIO: 'the disk reported an I/O error',
};

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (!e || !e.code) return String(error);
  return PLAIN[e.code] ? `${PLAIN[e.code]}; ${e.code}: ${e.message}` : `${e.code}: ${e.message}`;
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function posixJoin(...parts: string[]): string {
  return parts.join('/');
}

/** Test hook: CACHESTACK_TEST_STEP names a step, CACHESTACK_TEST_ACTION is `kill` or `pause:DIR` (wait for DIR/go after writing DIR/reached). */
function envHook(step: string): void {
  const wanted = process.env.CACHESTACK_TEST_STEP;
  if (!wanted || wanted !== step) return;
  const action = process.env.CACHESTACK_TEST_ACTION ?? '';
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  if (action.startsWith('pause:')) {
    const dir = action.slice('pause:'.length);
    fs.writeFileSync(path.join(dir, 'reached'), step);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(path.join(dir, 'go'))) Atomics.wait(sleeper, 0, 0, 20);
  }
}

/** A stack name or file name synth writes: no separators, no `.`/`..`. */
const SAFE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;
const OWNED_FILE = /^(?:manifest\.json|stacks\/([^/]+)\/(?:cdk\.tf\.json|assets\/([^/]+)))$/;

function ownedPathIsSafe(file: string): boolean {
  const m = OWNED_FILE.exec(file);
  if (!m) return false;
  return (m[1] === undefined || SAFE_NAME.test(m[1])) && (m[2] === undefined || SAFE_NAME.test(m[2]));
}

/** Names in DIR that belong to synth's machinery rather than to its output. */
function isMachinery(name: string): boolean {
  return name === LOCK || name === MARKER || name.startsWith(STAGING_PREFIX) || name.startsWith(`${MARKER}.`);
}

/** The zip names synth gives handler packages: `<name>-<8 hex>.zip`. */
const ZIP_NAME = /^[A-Za-z0-9._-]+-[0-9a-f]{8}\.zip$/;

/**
 * Decides whether `target` is a directory synth may write into, and what in it
 * synth wrote. Throws `OutputDirError` (with a hint) for anything else:
 * - absent, or empty: synth owns nothing in it yet;
 * - holding `.cachestack-out.json` of a known format: synth owns exactly the files it lists;
 * - legacy (written by a cachestack without the marker): only `manifest.json` and
 *   `stacks/` at the top, a cdktf manifest whose every stack has
 *   `stacks/<stack>/cdk.tf.json`; synth owns manifest.json, those cdk.tf.json files
 *   and the `<name>-<hash>.zip` files in their `assets/`.
 */
export function readOwnership(target: string, display: string): Ownership {
  const stat = lstat(target);
  if (!stat) return { kind: 'absent', stacks: new Set(), files: new Set() };
  if (!stat.isDirectory()) throw new OutputDirError(`output path ${display} exists and is not a directory; choose another --out`);
  let entries: string[];
  try {
    entries = fs.readdirSync(target).sort();
  } catch (e) {
    throw new OutputDirError(`cannot read output directory ${display} (${describe(e)}); check its permissions or choose another --out`);
  }
  if (entries.includes(MARKER)) return readMarker(target, display);
  const content = entries.filter((n) => !isMachinery(n));
  if (content.length === 0) return { kind: 'empty', stacks: new Set(), files: new Set() };

  const refuse = (why: string) =>
    new OutputDirError(
      `output directory ${display} is not synth output (${why}), so synth will not write into it; nothing was changed. Choose another --out, or an empty or new directory`,
    );
  const others = content.filter((n) => n !== 'manifest.json' && n !== 'stacks');
  if (!content.includes('manifest.json')) throw refuse(`no ${MARKER} and no cdktf manifest.json; it holds ${list(content)}`);
  if (others.length > 0) throw refuse(`no ${MARKER}, and beside manifest.json it holds ${list(others)}`);
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: unknown }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(target, 'manifest.json'), 'utf8'));
  } catch {
    throw refuse(`no ${MARKER}, and its manifest.json is not a cdktf manifest`);
  }
  const stacks = manifest && typeof manifest === 'object' ? manifest.stacks : undefined;
  if (!stacks || typeof stacks !== 'object' || Array.isArray(stacks)) throw refuse(`no ${MARKER}, and its manifest.json is not a cdktf manifest (no \`stacks\`)`);
  const owned: Ownership = { kind: 'legacy', stacks: new Set(), files: new Set(['manifest.json']) };
  for (const [name, stack] of Object.entries(stacks)) {
    const tf = posixJoin('stacks', name, 'cdk.tf.json');
    if (!SAFE_NAME.test(name) || !stack || stack.synthesizedStackPath !== tf || !lstat(path.join(target, tf))?.isFile()) {
      throw refuse(`no ${MARKER}, and stack \`${name}\` of its manifest.json has no ${tf}`);
    }
    owned.stacks.add(name);
    owned.files.add(tf);
    const assets = path.join(target, 'stacks', name, 'assets');
    if (lstat(assets)?.isDirectory()) {
      for (const zip of fs.readdirSync(assets)) if (ZIP_NAME.test(zip) && lstat(path.join(assets, zip))?.isFile()) owned.files.add(posixJoin('stacks', name, 'assets', zip));
    }
  }
  return owned;
}

function list(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => `\`${n}\``).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

function readMarker(target: string, display: string): Ownership {
  const file = `${display}/${MARKER}`;
  const bad = (why: string) =>
    new OutputDirError(`${file} ${why}; synth will not guess what it owns in ${display}, so nothing was changed. Delete the marker only if ${display} holds nothing but synth output, or choose another --out`);
  let marker: Marker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(target, MARKER), 'utf8')) as Marker;
  } catch (e) {
    throw bad(`cannot be read as JSON (${describe(e)})`);
  }
  if (!marker || typeof marker !== 'object' || marker.tool !== 'cachestack') throw bad('is not a cachestack marker');
  if (marker.format !== MARKER_FORMAT) {
    throw bad(`has format ${JSON.stringify(marker.format)}, and this cachestack reads format ${MARKER_FORMAT}${typeof marker.format === 'number' && marker.format > MARKER_FORMAT ? ' (a newer cachestack wrote it: upgrade)' : ''}`);
  }
  if (!Array.isArray(marker.files) || !Array.isArray(marker.stacks)) throw bad('lacks its `files` or `stacks` list');
  const unsafe = [...marker.files.filter((f) => typeof f !== 'string' || !ownedPathIsSafe(f)), ...marker.stacks.filter((s) => typeof s !== 'string' || !SAFE_NAME.test(s))];
  if (unsafe.length > 0) throw bad(`lists ${list(unsafe.map(String))}, which is not a path synth writes`);
  return { kind: 'marker', stacks: new Set(marker.stacks), files: new Set(marker.files) };
}

function writeMarker(target: string, staging: string, marker: Marker): void {
  const tmp = path.join(staging, MARKER);
  fs.writeFileSync(tmp, stableJson(marker));
  fs.renameSync(tmp, path.join(target, MARKER));
}

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function lockTimeout(options: OutputOptions): number {
  if (options.lockTimeoutSeconds !== undefined) return options.lockTimeoutSeconds;
  const env = process.env.CACHESTACK_LOCK_TIMEOUT;
  if (env !== undefined && env.trim() !== '' && Number.isFinite(Number(env)) && Number(env) >= 0) return Number(env);
  return DEFAULT_LOCK_TIMEOUT_SECONDS;
}

/** An empty lock older than this is taken for the lock of a process killed right after creating it. */
const EMPTY_LOCK_STALE_MS = 10_000;

/**
 * Creates DIR/.cachestack-out.lock with O_EXCL. A lock of this host whose process
 * is gone is stale and taken over; a live one is waited for up to the timeout.
 */
async function acquireLock(target: string, display: string, options: OutputOptions): Promise<() => void> {
  const lockPath = path.join(target, LOCK);
  const me: LockInfo = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  const deadline = Date.now() + lockTimeout(options) * 1000;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return () => {
        try {
          const held = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
          if (held.pid === me.pid && held.host === me.host) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OutputDirError(`cannot create the lock ${display}/${LOCK} (${describe(e)}); nothing was changed. Check that ${display} is writable`);
      }
    }
    let text = '';
    let holder: LockInfo | undefined;
    try {
      text = fs.readFileSync(lockPath, 'utf8');
      holder = JSON.parse(text) as LockInfo;
    } catch {
      // being written, or just released: look again
    }
    if (holder && holder.host === me.host && typeof holder.pid === 'number' && !alive(holder.pid)) {
      breakStaleLock(lockPath, text);
      continue;
    }
    // A process killed between creating the lock and writing into it leaves it empty.
    const age = Date.now() - (lstat(lockPath)?.mtimeMs ?? Date.now());
    if (!holder && text.trim() === '' && age > EMPTY_LOCK_STALE_MS) {
      breakStaleLock(lockPath, text);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.started}` : 'another process';
      throw new OutputDirError(
        `another synth is writing ${display} (${who} holds ${display}/${LOCK}); nothing was changed. Wait for it to finish, or delete the lock if that process is gone (set CACHESTACK_LOCK_TIMEOUT to wait longer)`,
      );
    }
    await sleep(100);
  }
}

/** Removes a stale lock, unless another process replaced it meanwhile (then it is put back). */
function breakStaleLock(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return;
  }
  if (fs.readFileSync(aside, 'utf8') !== staleText) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // a third process took the lock: its own lock stands
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Files under `dir`, relative, `/` separators, sorted; and the directories. */
function walk(dir: string, rel = ''): { files: string[]; dirs: string[] } {
  const out = { files: [] as string[], dirs: [] as string[] };
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.dirs.push(r);
      const inner = walk(dir, r);
      out.files.push(...inner.files);
      out.dirs.push(...inner.dirs);
    } else out.files.push(r);
  }
  return out;
}

/** Whether every directory between `target` and `file` is a real directory (not a link that leads elsewhere). */
function realParents(target: string, file: string): boolean {
  const parts = file.split('/').slice(0, -1);
  return parts.every((_, i) => lstat(path.join(target, ...parts.slice(0, i + 1)))?.isDirectory() === true);
}

function sameBytes(a: string, b: string): boolean {
  try {
    return fs.readFileSync(a).equals(fs.readFileSync(b));
  } catch {
    return false;
  }
}

/** `.<out>.new-XXXXXX` and `.<out>.old-XXXXXX` next to `target`: temporary trees of an older cachestack, which moved state into them. */
function legacyLeftovers(target: string): string[] {
  const parent = path.dirname(target);
  const base = path.basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${base}\\.(new|old)-[A-Za-z0-9]{6}$`);
  try {
    return fs.readdirSync(parent).filter((n) => re.test(n) && lstat(path.join(parent, n))?.isDirectory()).sort().map((n) => path.join(parent, n));
  } catch {
    return [];
  }
}

/** A file an older cachestack generated (so not worth moving back): manifest.json, a stack's cdk.tf.json or one of its zips. */
function generatedByOldSynth(rel: string): boolean {
  return rel === 'manifest.json' || /^stacks\/[^/]+\/cdk\.tf\.json$/.test(rel) || (/^stacks\/[^/]+\/assets\/[^/]+$/.test(rel) && ZIP_NAME.test(path.posix.basename(rel)));
}

/**
 * Moves everything but old generated files from a leftover tree back into
 * `target` where the name is free there; deletes the tree once nothing else is
 * left in it. Returns what moved and, when the tree is kept, why.
 */
function recoverLeftover(leftover: string, target: string, display: string): { recovered: string[]; kept?: string } {
  const recovered: string[] = [];
  const blocked: string[] = [];
  const visit = (rel: string) => {
    const from = path.join(leftover, rel);
    const s = lstat(from);
    if (!s) return;
    if (s.isDirectory() && (rel === '' || rel === 'stacks' || /^stacks\/[^/]+(\/assets)?$/.test(rel))) {
      for (const name of fs.readdirSync(from).sort()) visit(rel ? `${rel}/${name}` : name);
      return;
    }
    if (generatedByOldSynth(rel)) return;
    const to = path.join(target, rel);
    if (lstat(to)) {
      blocked.push(rel);
      return;
    }
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
    recovered.push(`${rel} (from ${path.basename(leftover)})`);
  };
  visit('');
  if (blocked.length > 0) {
    return { recovered, kept: `${path.basename(leftover)} next to ${display} was kept: it holds ${list(blocked)}, which ${display} has too; compare them (it may hold Terraform state), then delete it` };
  }
  fs.rmSync(leftover, { recursive: true, force: true });
  return { recovered };
}

/**
 * Locks `target` (creating it if needed) after checking synth may write into it,
 * and creates the staging directory. Throws `OutputDirError`; on a throw nothing
 * in `target` was changed (an empty directory created here is removed again).
 */
export async function openOutput(target: string, display: string, options: OutputOptions = {}): Promise<OpenOutput> {
  const step = (name: string) => {
    options.onStep?.(name);
    envHook(name);
  };
  // An older cachestack killed between setting the old output aside and moving the new one in.
  if (!lstat(target)) {
    const aside = legacyLeftovers(target).filter((p) => /\.old-[A-Za-z0-9]{6}$/.test(p));
    if (aside.length === 1) {
      try {
        fs.renameSync(aside[0], target);
      } catch {
        // another synth restored it first
      }
    }
  }
  readOwnership(target, display); // refuse early, before creating anything
  const created = !lstat(target);
  try {
    fs.mkdirSync(target, { recursive: true });
  } catch (e) {
    throw new OutputDirError(`cannot create output directory ${display} (${describe(e)}); choose another --out`);
  }
  const removeIfCreated = () => {
    if (!created) return;
    try {
      fs.rmdirSync(target);
    } catch {
      // not empty: another synth uses it now
    }
  };
  let unlock: () => void;
  try {
    unlock = await acquireLock(target, display, options);
  } catch (e) {
    removeIfCreated();
    throw e;
  }
  let staging: string | undefined;
  const release = () => {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    staging = undefined;
    unlock();
    unlock = () => {};
    removeIfCreated();
  };
  let owned: Ownership;
  const recovered: string[] = [];
  const leftovers: string[] = [];
  try {
    step('locked');
    owned = readOwnership(target, display); // again, now that nobody else writes
    for (const leftover of legacyLeftovers(target)) {
      const r = recoverLeftover(leftover, target, display);
      recovered.push(...r.recovered);
      if (r.kept) leftovers.push(r.kept);
    }
    // Leftovers of a synth that was killed: they only ever hold files synth generated.
    for (const name of fs.readdirSync(target)) {
      if (name.startsWith(STAGING_PREFIX) || name.startsWith(`${LOCK}.stale-`)) fs.rmSync(path.join(target, name), { recursive: true, force: true });
    }
    staging = fs.mkdtempSync(path.join(target, STAGING_PREFIX));
  } catch (e) {
    release();
    if (e instanceof OutputDirError) throw e;
    throw new OutputDirError(`cannot prepare ${display} (${describe(e)}); nothing was changed. Check that ${display} is writable`);
  }
  const stagingDir = staging;
  let committed = false;
  return {
    dir: stagingDir,
    release,
    commit() {
      if (committed) throw new Error('output already committed');
      committed = true;
      return { ...commit(target, display, stagingDir, owned, options, step), recovered, leftovers };
    },
  };
}

function commit(target: string, display: string, staging: string, owned: Ownership, options: OutputOptions, step: (name: string) => void): Pick<CommitResult, 'keptStacks'> {
  const staged = walk(staging);
  const newFiles = staged.files.filter((f) => f !== MARKER);
  const newStacks = new Set(staged.dirs.map((d) => /^stacks\/([^/]+)$/.exec(d)?.[1]).filter((s): s is string => s !== undefined));
  const stackOf = (file: string) => /^stacks\/([^/]+)\//.exec(file)?.[1];

  // 1. Everything that would stop the commit half-way and can be seen now: refuse before changing anything.
  const conflicts: string[] = [];
  for (const dir of ['stacks', ...staged.dirs.filter((d) => d !== 'stacks')]) {
    const s = lstat(path.join(target, dir));
    if (s && !s.isDirectory()) conflicts.push(`${dir} is a ${s.isSymbolicLink() ? 'symbolic link' : 'file'} where synth must write a directory`);
  }
  for (const file of newFiles) {
    const s = lstat(path.join(target, file));
    if (!s) continue;
    if (!s.isFile()) conflicts.push(`${file} is a ${s.isDirectory() ? 'directory' : 'symbolic link or special file'} where synth must write a file`);
    else if (!owned.files.has(file) && !sameBytes(path.join(staging, file), path.join(target, file))) conflicts.push(`${file} was not written by synth`);
  }
  const keepUnlisted = options.keepUnlistedStacks === true;
  if (keepUnlisted) {
    // cdktf-cli deletes these directories whole once the app exits: refuse while one holds state.
    const stacksDir = path.join(target, 'stacks');
    const unlisted = lstat(stacksDir)?.isDirectory() ? fs.readdirSync(stacksDir).filter((n) => !newStacks.has(n) && lstat(path.join(stacksDir, n))?.isDirectory()).sort() : [];
    for (const name of unlisted) {
      const state = fs.readdirSync(path.join(stacksDir, name)).filter(isStateFile).sort();
      if (state.length > 0) {
        conflicts.push(`stacks/${name} holds Terraform state (${list(state)}), and cdktf-cli deletes the directory of a stack the config no longer defines; destroy its resources, then move the state out, or run \`cachestack synth\`, which keeps the directory`);
      }
    }
  }
  if (conflicts.length > 0) {
    throw new OutputDirError(
      `cannot write ${display}; nothing was changed:\n${conflicts.map((c) => `  ${c}`).join('\n')}\nmove these out of the way (synth never overwrites what it did not write) and run synth again`,
    );
  }

  const keptForCli = keepUnlisted
    ? [...owned.files].filter((f) => !newFiles.includes(f) && stackOf(f) !== undefined && !newStacks.has(stackOf(f)!) && lstat(path.join(target, f))?.isFile())
    : [];
  const done: string[] = [];
  const fail = (what: string, e: unknown): never => {
    throw new OutputDirError(
      `${what} in ${display} failed (${describe(e)}); ${done.length === 0 ? 'nothing was changed' : `the output is partly updated (${done.join(', ')} done), and no file synth did not write was touched`}. Fix the cause and run synth again: it finishes the update`,
    );
  };

  // 2. The marker names every file synth may have written, old and new, before any of them moves.
  try {
    writeMarker(target, staging, {
      format: MARKER_FORMAT,
      tool: 'cachestack',
      pending: true,
      stacks: [...new Set([...owned.stacks, ...newStacks])].sort(),
      files: [...new Set([...owned.files, ...newFiles])].sort(),
    });
  } catch (e) {
    fail(`writing ${MARKER}`, e);
  }
  step('marker-pending');

  // 3. Per stack, zips before cdk.tf.json; manifest.json and other top-level files last.
  const order = (f: string) => (stackOf(f) === undefined ? 2 : f.endsWith('/cdk.tf.json') ? 1 : 0);
  const byStack = [...newFiles].sort((a, b) => (stackOf(a) ?? '\uffff').localeCompare(stackOf(b) ?? '\uffff') || order(a) - order(b) || (a < b ? -1 : 1));
  let current: string | undefined;
  for (const file of byStack) {
    try {
      fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      fs.renameSync(path.join(staging, file), path.join(target, file));
    } catch (e) {
      fail(`writing ${file}`, e);
    }
    step(`placed:${file}`);
    const s = stackOf(file) ?? 'manifest.json';
    if (s !== current) {
      current = s;
      done.push(s === 'manifest.json' ? s : `stacks/${s}`);
    }
  }
  for (const dir of staged.dirs) {
    try {
      fs.mkdirSync(path.join(target, dir), { recursive: true });
    } catch (e) {
      fail(`creating ${dir}`, e);
    }
  }

  // 4. Files the previous run wrote and this one does not.
  for (const file of [...owned.files].sort()) {
    if (newFiles.includes(file) || keptForCli.includes(file)) continue;
    const full = path.join(target, file);
    if (!lstat(full)?.isFile() || !realParents(target, file)) continue; // gone, replaced by something synth did not write, or behind a link
    try {
      fs.unlinkSync(full);
    } catch (e) {
      fail(`removing ${file}, which the previous synth wrote`, e);
    }
    step(`removed:${file}`);
  }
  const keptStacks: CommitResult['keptStacks'] = [];
  const stacksDir = path.join(target, 'stacks');
  const readDir = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir).sort();
    } catch (e) {
      return fail(`reading ${path.relative(target, dir).split(path.sep).join('/')}`, e);
    }
  };
  const present = lstat(stacksDir)?.isDirectory() ? readDir(stacksDir).filter((n) => lstat(path.join(stacksDir, n))?.isDirectory()) : [];
  for (const name of present) {
    if (newStacks.has(name)) continue;
    const dir = path.join(stacksDir, name);
    if (!keepUnlisted && owned.stacks.has(name)) {
      for (const d of [path.join(dir, 'assets'), dir]) {
        try {
          fs.rmdirSync(d);
        } catch {
          // not empty (or gone): what is left is not ours
        }
      }
    }
    if (lstat(dir)) keptStacks.push({ name, holds: readDir(dir) });
  }
  if (present.length > 0 && newStacks.size === 0) {
    try {
      fs.rmdirSync(stacksDir);
    } catch {
      // kept stacks are in it
    }
  }

  // 5. The marker names exactly what synth wrote (and, for cdktf-cli, the stacks it will delete).
  try {
    writeMarker(target, staging, {
      format: MARKER_FORMAT,
      tool: 'cachestack',
      stacks: [...new Set([...newStacks, ...keptForCli.map((f) => stackOf(f)!)])].sort(),
      files: [...newFiles, ...keptForCli].sort(),
    });
  } catch (e) {
    fail(`writing ${MARKER}`, e);
  }
  step('committed');
  return { keptStacks };
}
