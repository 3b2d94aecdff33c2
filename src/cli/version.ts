import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The version in cachestack's own package.json, found by walking up from this
 * module (it sits at `src/cli/` in a checkout and `dist/src/cli/` when built).
 */
export function cachestackVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cachestack' && typeof pkg.version === 'string') return (cached = pkg.version);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of cachestack above ${__dirname}`);
    dir = parent;
  }
}
