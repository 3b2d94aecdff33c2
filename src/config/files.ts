/**
 * Reading the files a config names, bounded and confined to the project.
 *
 * Bounded: a file is opened with `O_NONBLOCK` (so a FIFO does not wait for a
 * writer), checked with `fstat` on the open descriptor (so what is checked is what
 * is read), refused unless it is a regular file, and read up to its limit plus
 * one byte, never more (`/dev/zero`, or a file that grows while it is read,
 * cannot exhaust memory).
 *
 * Confined: every file synth and validate read for a config (the config itself,
 * handler entries, the GraphQL schema, and everything esbuild bundles) must lie
 * inside the config's project root once symbolic links are followed, unless the
 * user opts in with `--allow-outside-root`. The project root of a config file is
 * the nearest directory at or above the config file's directory (as written,
 * before following links) that holds `.git`; without one, the nearest that holds
 * `package.json`; without either, the working directory when the config file is
 * inside it, else the config file's own directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ReadFailureKind = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';

export type ReadOutcome =
  | { ok: true; bytes: Buffer }
  | {
      ok: false;
      kind: ReadFailureKind;
      /** Lower-case: what the file is or why it cannot be read ("a FIFO (named pipe)", "permission denied"). */
      detail: string;
      /** Size in bytes when known (`too-large`). */
      size?: number;
    };

/** What a file that is not a regular file is, in words. */
export function describeFileType(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function failureOf(err: unknown, absPath: string): Extract<ReadOutcome, { ok: false }> {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, kind: 'missing', detail: 'no such file' };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, kind: 'unreadable', detail: 'permission denied' };
    case 'EISDIR':
      return { ok: false, kind: 'directory', detail: 'it is a directory, not a file' };
    case 'ELOOP':
      return { ok: false, kind: 'unreadable', detail: 'too many levels of symbolic links' };
    case 'ENXIO':
    case 'EOPNOTSUPP': {
      // A socket (or a FIFO on some systems) cannot be opened like a file.
      try {
        return { ok: false, kind: 'not-regular', detail: describeFileType(fs.statSync(absPath)) };
      } catch {
        return { ok: false, kind: 'not-regular', detail: 'not a regular file' };
      }
    }
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return { ok: false, kind: 'unreadable', detail: msg.charAt(0).toLowerCase() + msg.slice(1) };
    }
  }
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Opens `absPath` without blocking and checks it is a regular file; the caller closes `fd`. */
function openRegular(absPath: string): { ok: true; fd: number; size: number } | Extract<ReadOutcome, { ok: false }> {
  let fd: number;
  try {
    fd = fs.openSync(absPath, OPEN_FLAGS);
  } catch (err) {
    return failureOf(err, absPath);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile()) return { ok: true, fd, size: st.size };
    fs.closeSync(fd);
    if (st.isDirectory()) return { ok: false, kind: 'directory', detail: 'it is a directory, not a file' };
    return { ok: false, kind: 'not-regular', detail: describeFileType(st) };
  } catch (err) {
    fs.closeSync(fd);
    return failureOf(err, absPath);
  }
}

/** True when `absPath` can be opened as a regular file (nothing is read); the failure otherwise. */
export function probeRegularFile(absPath: string): { ok: true } | Extract<ReadOutcome, { ok: false }> {
  const opened = openRegular(absPath);
  if (!opened.ok) return opened;
  fs.closeSync(opened.fd);
  return { ok: true };
}

/** Reads a regular file of at most `limit` bytes, reading no more than `limit + 1`. Never throws. */
export function readBounded(absPath: string, limit: number): ReadOutcome {
  const opened = openRegular(absPath);
  if (!opened.ok) return opened;
  const { fd, size } = opened;
  try {
    if (size > limit) return { ok: false, kind: 'too-large', detail: 'too large', size };
    const buf = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let total = 0;
    let chunk = buf;
    for (;;) {
      if (total === chunk.length) {
        // The file grew after fstat: keep reading, up to limit + 1 bytes in all.
        if (chunk.length > limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(chunk.length * 2, limit + 1));
        chunk.copy(bigger, 0, 0, total);
        chunk = bigger;
      }
      const n = fs.readSync(fd, chunk, total, chunk.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > limit) return { ok: false, kind: 'too-large', detail: 'too large', size: Math.max(size, total) };
    return { ok: true, bytes: Buffer.from(chunk.subarray(0, total)) };
  } catch (err) {
    return failureOf(err, absPath);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when `p` is `dir` or inside it (both absolute and normalized). */
export function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** `realpath` of `p`, or of its nearest existing ancestor with the rest appended (for paths that do not exist yet). */
export function realPathNearest(p: string): string {
  let current = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...rest.reverse());
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

function holds(dir: string, name: string): boolean {
  try {
    fs.lstatSync(path.join(dir, name));
    return true;
  } catch {
    return false;
  }
}

/** The directory a config file's project root is; see the module comment. */
export interface ProjectRoot {
  /** The root as found, before following links (for messages). */
  dir: string;
  /** The root with links followed: what paths are compared with. */
  real: string;
  /** Real paths of the `node_modules` directories in the root and above it, where packages of the project resolve. */
  nodeModules: string[];
}

/** The project root of the config file at `configAbs` (absolute, as written), for a run in `cwd`. */
export function findProjectRoot(configAbs: string, cwd: string): ProjectRoot {
  const start = path.dirname(path.resolve(configAbs));
  const ancestors: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    ancestors.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  const found =
    ancestors.find((d) => holds(d, '.git')) ??
    ancestors.find((d) => holds(d, 'package.json')) ??
    (isWithin(path.resolve(cwd), path.resolve(configAbs)) ? path.resolve(cwd) : start);
  const real = realPathNearest(found);
  const nodeModules: string[] = [];
  for (let dir = found; ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    if (holds(dir, 'node_modules')) nodeModules.push(realPathNearest(nm));
    if (path.dirname(dir) === dir) break;
  }
  return { dir: found, real, nodeModules: [...new Set(nodeModules)] };
}

/**
 * Where `absPath` really is when that is outside `root` (its real path), or
 * `undefined` when it is inside. A path that leaves the root as written is
 * outside without touching the file system, so nothing outside is even probed.
 */
export function outsideRoot(absPath: string, root: ProjectRoot): string | undefined {
  const abs = path.resolve(absPath);
  if (!isWithin(root.dir, abs) && !isWithin(root.real, abs)) return abs;
  const real = realPathNearest(abs);
  return isWithin(root.real, real) ? undefined : real;
}
