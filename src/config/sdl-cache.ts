/**
 * The analysis cache on disk: one JSON file per analysed GraphQL schema text, so
 * that `validate` (and `synth`, `explain`, `diff`) analyse a schema once per
 * content rather than once per run.
 *
 * Where: `$CACHESTACK_CACHE_DIR/sdl` when set (relative to the working
 * directory), else `cachestack/sdl` in the user's cache directory
 * (`userCacheDir`). `CACHESTACK_NO_CACHE=1` (or `true`, `yes`) turns it off.
 *
 * An entry is `<key>.json`, `{"cachestack":"sdl-analysis","key":"<key>","value":...}`,
 * where the key is the SHA-256 of the analysis fingerprint (format, versions,
 * analysing code) and of the schema text. Nothing but the schema's analysis is
 * stored (no paths, no config, no environment).
 *
 * Safe under concurrency without locks: an entry is written to a temporary file
 * of its own in the same directory (`.<key>.<pid>.<random>.tmp`, created
 * exclusively) and renamed over `<key>.json`, which is atomic, so a reader sees
 * the old entry, the new one or none, never half of one; two writers of the same
 * key write the same value and the last rename wins.
 *
 * Never trusted blindly: a file that is not a regular file, is too large, does not
 * parse, is not an entry, holds another key or a value of the wrong shape is
 * ignored (the caller computes and overwrites it), and a directory that another
 * user owns, or that its group or others may write to, is neither read nor
 * written (anyone who can write there could plant an entry that hides a problem). Never fatal: any error of the
 * file system (a missing, unwritable or read-only directory, a full disk) means
 * "not cached" and the caller computes.
 *
 * Bounded: after each write, entries older than 30 days are removed, then the
 * oldest beyond 200, and temporary files a killed writer left for more than an
 * hour. An entry holds the names and type references of a schema, typically a
 * few hundred bytes per field (about 60 KB for 1,000 fields).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from './cache-dir';

export const SDL_CACHE_MARKER = 'sdl-analysis';
export const SDL_CACHE_MAX_ENTRIES = 200;
export const SDL_CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const STALE_TEMP_MS = 3600 * 1000;
/** Larger files are not read (a schema is at most 4 MiB; its analysis is smaller). */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

/** `CACHESTACK_NO_CACHE=1` (or `true`, `yes`): no analysis cache. */
export function cacheDisabled(env: NodeJS.ProcessEnv): boolean {
  return ['1', 'true', 'yes'].includes((env.CACHESTACK_NO_CACHE ?? '').trim().toLowerCase());
}

/** The directory of the SDL analysis cache, or `undefined` when it is turned off (or no home directory can be found). */
export function sdlCacheDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if (cacheDisabled(env)) return undefined;
  try {
    if (env.CACHESTACK_CACHE_DIR) return path.resolve(cwd, env.CACHESTACK_CACHE_DIR, 'sdl');
    return path.join(userCacheDir(env), 'cachestack', 'sdl');
  } catch {
    return undefined;
  }
}

/** The key of an entry: SHA-256 of the fingerprint (what else the result depends on) and the text. */
export function sdlCacheKey(fingerprint: string, text: string): string {
  return createHash('sha256').update(fingerprint).update('\0').update(text).digest('hex');
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, `${key}.json`);
}

/**
 * Whether entries in `dir` may be trusted: a directory that, on POSIX systems, is
 * owned by this user and writable by neither its group nor others, so that nobody
 * else can plant an entry (which could hide a diagnostic). Throws when `dir`
 * cannot be looked at.
 */
export function ownDirectory(dir: string): boolean {
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return false;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The value stored under `key`, when there is a valid entry; `undefined` otherwise, whatever went wrong. */
export function readEntry<T>(dir: string, key: string, accept: (value: unknown) => value is T): T | undefined {
  let fd: number | undefined;
  try {
    if (!ownDirectory(dir)) return undefined;
    // Non-blocking, so that a FIFO put in the cache's place cannot hang the run (it is then refused as not a file).
    fd = fs.openSync(entryPath(dir, key), fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_ENTRY_BYTES) return undefined;
    const entry = JSON.parse(fs.readFileSync(fd, 'utf8')) as unknown;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
    const { cachestack, key: stored, value } = entry as Record<string, unknown>;
    if (cachestack !== SDL_CACHE_MARKER || stored !== key || !accept(value)) return undefined;
    return value;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // nothing to do
      }
    }
  }
}

/** Stores `value` under `key` (atomically; see the module comment), then prunes. Never throws. */
export function writeEntry(dir: string, key: string, value: unknown): void {
  let temp: string | undefined;
  try {
    const data = JSON.stringify({ cachestack: SDL_CACHE_MARKER, key, value });
    if (data.length > MAX_ENTRY_BYTES) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Neither written nor pruned: a directory others may write to is not the cache's.
    if (!ownDirectory(dir)) return;
    temp = path.join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    fs.writeFileSync(temp, data, { flag: 'wx', mode: 0o600 });
    fs.renameSync(temp, entryPath(dir, key));
    temp = undefined;
  } catch {
    // Not cached this time; the analysis itself is unaffected.
    return;
  } finally {
    if (temp !== undefined) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // nothing to do
      }
    }
  }
  pruneEntries(dir);
}

/**
 * Removes entries older than `maxAgeMs`, then the oldest beyond `maxEntries`, and
 * temporary files older than an hour. Other files are left alone; errors (a file
 * another process removed first) are ignored.
 */
export function pruneEntries(dir: string, now: number = Date.now(), maxEntries = SDL_CACHE_MAX_ENTRIES, maxAgeMs = SDL_CACHE_MAX_AGE_MS): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const entries: { file: string; mtime: number }[] = [];
  for (const name of names) {
    const isEntry = /^[0-9a-f]{64}\.json$/.test(name);
    const isTemp = /^\.[0-9a-f]{64}\.\d+\.[0-9a-f]+\.tmp$/.test(name);
    if (!isEntry && !isTemp) continue;
    const file = path.join(dir, name);
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (isTemp) {
        if (now - mtime > STALE_TEMP_MS) fs.unlinkSync(file);
      } else if (now - mtime > maxAgeMs) {
        fs.unlinkSync(file);
      } else {
        entries.push({ file, mtime });
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  if (entries.length <= maxEntries) return;
  entries.sort((a, b) => a.mtime - b.mtime || (a.file < b.file ? -1 : 1));
  for (const { file } of entries.slice(0, entries.length - maxEntries)) {
    try {
      fs.unlinkSync(file);
    } catch {
      // gone already
    }
  }
}
