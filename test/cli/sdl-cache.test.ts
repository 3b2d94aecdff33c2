/**
 * The GraphQL schema analysis cache across real processes: a warm `validate`
 * never loads graphql-js, and two processes writing the same entry at once
 * leave a valid one, while neither ever reads a partial entry. Children load
 * the TypeScript sources through tsx (as in process.test.ts); the cache lives
 * in a temporary CACHESTACK_CACHE_DIR.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs/api');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cachestack-sdl-proc-'));
  mkdirSync(join(dir, 'pkg', 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'cachestack.js'), join(dir, 'pkg', 'bin', 'cachestack.js'));
  mkdirSync(join(dir, 'pkg', 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(
    join(dir, 'pkg', 'dist', 'src', 'cli', 'main.js'),
    `require(${JSON.stringify(TSX)}).register();\nmodule.exports = require(${JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'))});\n`,
  );
  writeFileSync(join(dir, 'probe.js'), "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache))));\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a child with the cache on, in `cacheDir`. */
function env(cacheDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CHECKPOINT_DISABLE: '1', CACHESTACK_CACHE_DIR: cacheDir, ...extra };
  delete e.CACHESTACK_NO_CACHE;
  return e;
}

describe('the analysis cache across processes', () => {
  it('GIVEN a warm cache WHEN validate runs THEN graphql-js is not loaded and the output is the cold run\'s', () => {
    const cache = join(dir, 'cache-validate');
    const validate = (name: string) => {
      const probe = join(dir, `${name}.json`);
      const child = spawnSync(
        process.execPath,
        ['-r', join(dir, 'probe.js'), join(dir, 'pkg', 'bin', 'cachestack.js'), 'validate', 'config/examples/roadcall-assistant.yaml', 'test/fixtures/rules/graphql-schema-syntax/fail.yaml', '--format', 'json'],
        { cwd: ROOT, env: env(cache, { PROBE_OUT: probe }), encoding: 'utf8', timeout: 120000 },
      );
      const graphql = (JSON.parse(readFileSync(probe, 'utf8')) as string[]).map((m) => m.split('\\').join('/')).filter((m) => m.includes('/node_modules/graphql/'));
      return { status: child.status, stdout: child.stdout, stderr: child.stderr, graphql };
    };
    const cold = validate('cold');
    expect(cold.stderr).toBe('');
    expect(cold.status).toBe(1);
    expect(JSON.parse(cold.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain('graphql-schema-syntax');
    // The cold run analysed the schemas, so it loaded graphql-js: the warm run's check below can fail.
    expect(cold.graphql.some((m) => m.endsWith('/graphql/validation/validate.js'))).toBe(true);
    expect(readdirSync(join(cache, 'sdl'))).toHaveLength(2);

    const warm = validate('warm');
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toBe('');
    expect(warm.status).toBe(1);
    // graphql/version.js alone: its version is part of the cache key.
    expect(warm.graphql.map((m) => m.replace(/.*\/node_modules\//, ''))).toEqual(['graphql/version.js']);
  });

  it('GIVEN two processes writing the same entry many times at once WHEN both are done THEN the entry is valid and no read ever saw a partial one', async () => {
    const cache = join(dir, 'cache-race');
    const script = join(dir, 'writer.js');
    writeFileSync(
      script,
      [
        `require(${JSON.stringify(TSX)}).register();`,
        `const { analyzeSdl } = require(${JSON.stringify(join(ROOT, 'src', 'config', 'sdl-analysis.ts'))});`,
        `const { isSdlAnalysis } = require(${JSON.stringify(join(ROOT, 'src', 'config', 'sdl.ts'))});`,
        `const { readEntry, writeEntry } = require(${JSON.stringify(join(ROOT, 'src', 'config', 'sdl-cache.ts'))});`,
        // About 200 KB of entry: a write that was not atomic would be seen half done.
        "const fields = Array.from({ length: 2000 }, (_, i) => `  item${i}(id: ID!, filter: String): Item`).join('\\n');",
        "const text = `type Item { id: ID! }\\ntype Query {\\n${fields}\\n}\\n`;",
        'const value = analyzeSdl(text);',
        'const expected = JSON.stringify(value);',
        "const key = 'c'.repeat(64);",
        'const accept = (v) => isSdlAnalysis(v, text.length);',
        'let bad = 0;',
        'for (let i = 0; i < 150; i++) {',
        '  writeEntry(process.argv[2], key, value);',
        '  const read = readEntry(process.argv[2], key, accept);',
        '  if (read === undefined || JSON.stringify(read) !== expected) bad++;',
        '}',
        'process.stdout.write(JSON.stringify({ bad, size: expected.length }));',
      ].join('\n'),
    );
    const writer = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [script, join(cache, 'sdl')], { env: env(cache), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (err += b.toString()));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const results = await Promise.all([writer(), writer()]);
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const { bad, size } = JSON.parse(r.out) as { bad: number; size: number };
      expect(size).toBeGreaterThan(100_000);
      expect(bad).toBe(0);
    }
    // One entry, no temporary file left behind, and it holds the value under its key.
    expect(readdirSync(join(cache, 'sdl'))).toEqual([`${'c'.repeat(64)}.json`]);
    const entry = JSON.parse(readFileSync(join(cache, 'sdl', `${'c'.repeat(64)}.json`), 'utf8'));
    expect(entry.key).toBe('c'.repeat(64));
    expect(entry.value.ok).toBe(true);
    expect(entry.value.summary.types.find((t: { name: string }) => t.name === 'Query').fields).toHaveLength(2000);
  });
});
