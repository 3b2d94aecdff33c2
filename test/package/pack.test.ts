/**
 * The path a team takes: `npm pack` this repository, install the tarball (and
 * cdktf-cli) into an empty project from the npm registry, `cachestack init`,
 * then validate, synth, `npx cdktf synth`, explain and diff in that project's
 * own directory, with nothing of this checkout on the path but the tarball.
 *
 * The install prefers npm's cache (`--prefer-offline`): the packages are the
 * ones this checkout installed, so it needs the registry only for what the
 * cache lacks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { run } from '../../src/cli/main';
import { captureIo } from '../cli/io';

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for this repository. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null', NO_COLOR: '1', CI: '1' };
}

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function sh(cwd: string, command: string, args: string[]): Ran {
  const r = spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 400000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(cwd: string, command: string, args: string[]): Ran {
  const r = sh(cwd, command, args);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}\n${r.out}\n${r.err}`);
  return r;
}

function tree(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(root, p)).isFile())
    .map((p) => p.split(path.sep).join('/'))
    .sort();
}

function installedVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('GIVEN the packed tarball installed into an empty project', () => {
  let scratch: string;
  let project: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-pack-')));
    // `npm pack` runs `prepare` (the build), so the tarball holds the current dist/
    const packed = JSON.parse(ok(ROOT, NPM, ['pack', '--json', '--pack-destination', scratch]).out) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(scratch, packed[0].filename);
    files = packed[0].files.map((f) => f.path).sort();
    project = path.join(scratch, 'shop');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'shop', version: '1.0.0', private: true }, null, 2)}\n`);
    ok(project, NPM, ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball, `cdktf-cli@${installedVersion('cdktf-cli')}`]);
  }, 600000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('THEN the tarball holds the license, the compiled code with its types, the kit, the schema and docs, and no build leftovers', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/cachestack.js', 'dist/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/handlers/runtime/index.js', 'dist/handlers/runtime/index.d.ts', 'handlers/warmer/index.ts', 'handlers/python/cachestack_runtime/__init__.py', 'handlers/python/cachestack_runtime/redis_cache.py', 'schema/cachestack.schema.json', 'docs/examples/github-workflow.yml']) {
      expect([f, files.includes(f)]).toEqual([f, true]);
    }
    expect(files.filter((f) => /tsbuildinfo|^dist\/bench\/|^dist\/test\/|^bench\/|^test\/|generate\.js$|__pycache__|\.pyc$/.test(f))).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  test('THEN the package exports resolve: the library API, the runtime kit and the schema', () => {
    const script = [
      "const api = require('cachestack');",
      "const kit = require('cachestack/runtime');",
      "const redis = require('cachestack/runtime/redis-cache');",
      "const schema = require('cachestack/schema');",
      "console.log(JSON.stringify({ api: ['run', 'runSynth', 'processIo', 'loadConfig', 'synth'].map((k) => typeof api[k]), guard: typeof kit.withWarmGuard, sdk: typeof kit.sdkClientConfig, redis: typeof redis.redisCache, kitHasRedis: 'redisCache' in kit, schema: schema.$schema }));",
    ].join('\n');
    expect(JSON.parse(ok(project, process.execPath, ['-e', script]).out)).toEqual({
      api: ['function', 'function', 'function', 'function', 'function'],
      guard: 'function',
      sdk: 'function',
      redis: 'function',
      kitHasRedis: false,
      schema: 'http://json-schema.org/draft-07/schema#',
    });
  });

  describe('WHEN `cachestack init` writes the project', () => {
    beforeAll(() => {
      ok(project, NPX, ['cachestack', 'init']);
    }, 120000);

    test('THEN the schema modeline names a file that exists', () => {
      const first = fs.readFileSync(path.join(project, 'config', 'shop.yaml'), 'utf8').split('\n')[0];
      const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(m).not.toBeNull();
      expect(fs.existsSync(path.resolve(project, 'config', m![1]))).toBe(true);
    });

    test('THEN validate passes, and a second init refuses to overwrite', () => {
      expect(ok(project, NPX, ['cachestack', 'validate', '--strict']).out).toContain('config/shop.yaml: valid');
      const again = sh(project, NPX, ['cachestack', 'init']);
      expect(again.code).toBe(2);
      expect(again.err).toContain('already exist; nothing was written');
    });

    test('THEN synth and `npx cdktf synth` write the same stacks, and the bundles equal those of a checkout', () => {
      const synth = ok(project, NPX, ['cachestack', 'synth']);
      expect(synth.out).toContain('stacks/shop-dev/cdk.tf.json');
      const mine = path.join(project, 'cdktf.out');
      const stacks = tree(mine);
      expect(stacks).toEqual(expect.arrayContaining(['manifest.json', 'stacks/shop-dev/cdk.tf.json', 'stacks/shop-prod/cdk.tf.json']));
      const helloZip = stacks.find((f) => /^stacks\/shop-dev\/assets\/hello-[0-9a-f]{8}\.zip$/.test(f));
      expect(helloZip).toBeDefined();
      // the handler's bundle carries the kit from node_modules/cachestack (the guard answers the warmer's pings)
      const hello = Buffer.from(unzipSync(fs.readFileSync(path.join(mine, helloZip!)))['index.js']).toString('utf8');
      expect(hello).toContain('cachestack:warm-ping');
      // the kit comes from its sources (the `cachestack-source` condition): only the modules the handler uses
      expect(hello).not.toContain('the RDS secret format');
      expect(hello).not.toContain('ioredis');

      const read = (s: string) => fs.readFileSync(path.join(mine, `stacks/${s}/cdk.tf.json`), 'utf8');
      const before = { dev: read('shop-dev'), prod: read('shop-prod') };
      fs.rmSync(mine, { recursive: true });
      const cdktf = sh(project, NPX, ['cdktf', 'synth']);
      expect({ code: cdktf.code, err: cdktf.err.includes('rror') ? cdktf.err : '' }).toEqual({ code: 0, err: '' });
      expect({ dev: read('shop-dev'), prod: read('shop-prod') }).toEqual(before);
      const afterCdktf = tree(mine).filter((f) => f.startsWith('stacks/'));
      expect(afterCdktf.filter((f) => f.endsWith('.zip'))).toEqual(stacks.filter((f) => f.startsWith('stacks/') && f.endsWith('.zip')));
      const cdktfStacks = Object.fromEntries(['shop-dev', 'shop-prod'].map((s) => [s, fs.readFileSync(path.join(mine, `stacks/${s}/cdk.tf.json`), 'utf8')]));

      // this checkout's cachestack (warmer from handlers/ here) on the same project gives the same bytes
      const fromCheckout = path.join(scratch, 'from-checkout');
      return run(['synth', '--out', fromCheckout], captureIo(project, { env: { CHECKPOINT_DISABLE: '1' } })).then((code) => {
        expect(code).toBe(0);
        const theirs = tree(fromCheckout);
        expect(theirs).toEqual(stacks);
        for (const f of theirs) expect([f, fs.readFileSync(path.join(fromCheckout, f)).equals(fs.readFileSync(path.join(mine, f)))]).toEqual([f, true]);
        for (const [s, text] of Object.entries(cdktfStacks)) expect(text).toBe(fs.readFileSync(path.join(fromCheckout, `stacks/${s}/cdk.tf.json`), 'utf8'));
      });
    }, 300000);

    test('THEN explain and diff work on the project', () => {
      const explain = ok(project, NPX, ['cachestack', 'explain', '--format', 'markdown']);
      expect(explain.out).toContain('## Caching plan:');
      expect(explain.out).toContain('/hello');
      const config = path.join(project, 'config', 'shop.yaml');
      const base = path.join(scratch, 'base.yaml');
      fs.writeFileSync(base, fs.readFileSync(config, 'utf8'));
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('ttlSeconds: 300', 'ttlSeconds: 60'));
      try {
        const diff = ok(project, NPX, ['cachestack', 'diff', '--base-file', base, 'config/shop.yaml']);
        expect(diff.out).toMatch(/300.*60|ttl/i);
      } finally {
        fs.writeFileSync(config, fs.readFileSync(base, 'utf8'));
      }
    }, 120000);
  });
});
