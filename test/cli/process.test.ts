/**
 * The real executable: bin/cachestack.js in a child process, as a user runs it.
 * `dist/` may be stale on a developer's machine, so the child gets a copy of
 * bin/ beside a `dist/src/cli/main.js` that loads the TypeScript sources through
 * tsx: bin's wiring, runMain, process.exitCode and the streams are all real.
 * Two spawns only (each costs about a second on this machine).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cachestack-bin-'));
  mkdirSync(join(dir, 'pkg', 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'cachestack.js'), join(dir, 'pkg', 'bin', 'cachestack.js'));
  mkdirSync(join(dir, 'pkg', 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(
    join(dir, 'pkg', 'dist', 'src', 'cli', 'main.js'),
    `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nmodule.exports = require(${JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'))});\n`,
  );
  // Lists every module the process loaded, when it exits.
  writeFileSync(join(dir, 'probe.js'), "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache))));\n");
  mkdirSync(join(dir, 'unbuilt', 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'cachestack.js'), join(dir, 'unbuilt', 'bin', 'cachestack.js'));
  writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nservice: bad\nregion: us-east-1\nhandlers:\n  api:\n    entry: api.ts\n    memoryMB: 512\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: '1', CHECKPOINT_DISABLE: '1', ...extra });

describe('bin/cachestack.js in a child process', () => {
  it('GIVEN a valid and an invalid file WHEN validated THEN the process exits 1, prints one JSON document, and never loads cdktf', () => {
    const probe = join(dir, 'modules.json');
    const child = spawnSync(
      process.execPath,
      ['-r', join(dir, 'probe.js'), join(dir, 'pkg', 'bin', 'cachestack.js'), 'validate', 'config/user-service.yaml', join(dir, 'bad.yaml'), '--format', 'json'],
      { cwd: ROOT, env: env({ PROBE_OUT: probe }), encoding: 'utf8', timeout: 120000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    const report = JSON.parse(child.stdout);
    expect(report.files.map((f: { path: string; valid: boolean }) => [f.path, f.valid])).toEqual([
      ['config/user-service.yaml', true],
      [join(dir, 'bad.yaml'), false],
    ]);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toContain('schema-unknown-key');

    const modules = (JSON.parse(readFileSync(probe, 'utf8')) as string[]).map((m) => m.split('\\').join('/'));
    // The probe saw the CLI and the config front end, so an empty list cannot pass.
    expect(modules.some((m) => m.endsWith('/src/cli/commands/validate.ts'))).toBe(true);
    expect(modules.some((m) => m.endsWith('/src/config/load.ts'))).toBe(true);
    // src/infra/naming.ts is cdktf-free and shared with the rules; esbuild is loaded by tsx here, so it is not checked.
    expect(modules.filter((m) => /\/node_modules\/(cdktf|@cdktf|constructs)\//.test(m))).toEqual([]);
    expect(modules.filter((m) => /\/src\/(synth|package)\//.test(m))).toEqual([]);
  });

  it('GIVEN a package whose dist/ was never built WHEN run THEN it says so in one line and exits 2', () => {
    const child = spawnSync(process.execPath, [join(dir, 'unbuilt', 'bin', 'cachestack.js'), '--version'], { env: env(), encoding: 'utf8', timeout: 60000 });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe('cachestack: the CLI is not built; run `npm run build` in the cachestack package\n');
  });
});
