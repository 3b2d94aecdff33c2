/**
 * The user's cache directory, under which cachestack keeps what it can compute
 * again (`cachestack/python` for installed requirements, `cachestack/sdl` for
 * analysed GraphQL schemas): `$XDG_CACHE_HOME` (when absolute, as the XDG spec
 * asks) or `~/.cache` on Linux and other Unixes, `~/Library/Caches` on macOS,
 * `%LOCALAPPDATA%` (else `~/AppData/Local`) on Windows.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  if (platform === 'win32') return env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local');
  const xdg = env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
}
