/**
 * Python handler packaging, with the real python3 and pip against this
 * machine's package index (redis is there as a pure-Python wheel; psycopg-binary
 * has no wheel for the Lambda platforms there, which makes the unresolvable case).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { formatBundleDiagnostic, packageHandlers, type PackageRequest } from '../../src/package';
import { installRequirements, keepInstalledFile, pipPlatformOf, pythonSources, requirementsKey } from '../../src/package/python';

let project: string;
let cacheDir: string;
const savedCache = process.env.CACHESTACK_CACHE_DIR;

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
  fs.writeFileSync(path.join(project, rel), text);
};

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-python-'));
  cacheDir = path.join(project, '.cache');
  process.env.CACHESTACK_CACHE_DIR = cacheDir;
  write('svc/app.py', 'from cachestack_runtime import warm_guard\nfrom lib.util import shout\n\n\n@warm_guard\ndef handler(event, context):\n    return {"statusCode": 200, "body": shout("hi")}\n');
  write('svc/lib/__init__.py', '');
  write('svc/lib/util.py', 'def shout(s):\n    return s.upper()\n');
  write('svc/lib/__pycache__/util.cpython-311.pyc', 'compiled');
  write('svc/.venv/lib/site.py', 'x = 1\n');
  write('svc/notes.txt', 'not python');
  write('svc/requirements.txt', '# the cache\nredis>=5\n');
  write('broken/app.py', 'def handler(event, context):\n    return {"ok": True\n\nx = 1\n');
  write('nofn/app.py', 'import json\n\n\ndef main(event, context):\n    return 1\n');
  write('async/app.py', 'async def handler(event, context):\n    return 1\n');
  write('mangum/app.py', 'from fastapi_stub import app\n\nhandler = app\n');
  write('binary/app.py', 'def handler(event, context):\n    return 1\n');
  write('binary/requirements.txt', 'redis>=5\npsycopg-binary==3.3.6\n');
  write('clash/app.py', 'def handler(event, context):\n    return 1\n');
  write('clash/cachestack_runtime/__init__.py', '');
});

afterAll(() => {
  if (savedCache === undefined) delete process.env.CACHESTACK_CACHE_DIR;
  else process.env.CACHESTACK_CACHE_DIR = savedCache;
  fs.rmSync(project, { recursive: true, force: true });
});

const req = (name: string, entry: string, extra: Partial<PackageRequest> = {}): PackageRequest => ({
  id: name,
  name,
  entryPath: path.join(project, entry),
  export: 'handler',
  runtime: 'python3.13',
  architecture: 'arm64',
  sourceFile: 'config/svc.yaml',
  ...extra,
});

function names(zip: Buffer): string[] {
  return Object.keys(unzipSync(new Uint8Array(zip)));
}

describe('python packaging', () => {
  it('GIVEN a python entry with requirements WHEN packaged twice THEN the zips are byte-identical and hold sources, kit and packages', async () => {
    const request = req('svc', 'svc/app.py', { requirementsPath: path.join(project, 'svc/requirements.txt') });
    const first = await packageHandlers([request], { cwd: project });
    if (!first.ok) throw new Error(first.errors.map(formatBundleDiagnostic).join('\n'));
    // touch every source: times are not part of the zip
    const later = new Date(Date.now() + 60_000);
    for (const f of ['svc/app.py', 'svc/lib/util.py']) fs.utimesSync(path.join(project, f), later, later);
    const second = await packageHandlers([request], { cwd: project });
    if (!second.ok) throw new Error('second packaging failed');
    const a = first.packages.get('svc')!;
    const b = second.packages.get('svc')!;
    expect(b.zip.equals(a.zip)).toBe(true);
    expect(a.fileName).toMatch(/^svc-[0-9a-f]{8}\.zip$/);

    const entries = names(a.zip);
    expect(entries).toEqual([...entries].sort());
    expect(entries).toEqual(expect.arrayContaining(['app.py', 'lib/__init__.py', 'lib/util.py', 'cachestack_runtime/__init__.py', 'cachestack_runtime/redis_cache.py', 'redis/__init__.py']));
    expect(entries.some((e) => /^redis-[\d.]+\.dist-info\/METADATA$/.test(e))).toBe(true);
    expect(entries.filter((e) => e.includes('__pycache__') || e.endsWith('.pyc') || e.startsWith('bin/') || e.startsWith('.venv/'))).toEqual([]);
    expect(entries.filter((e) => /\.dist-info\/(RECORD|INSTALLER|REQUESTED|direct_url\.json)$/.test(e))).toEqual([]);
    expect(entries).not.toContain('notes.txt');
  });

  it('GIVEN the zip WHEN python imports the handler from it THEN the handler string module.function works and answers a warm ping', async () => {
    const r = await packageHandlers([req('svc', 'svc/app.py')], { cwd: project });
    if (!r.ok) throw new Error(r.errors.map(formatBundleDiagnostic).join('\n'));
    const zipPath = path.join(project, 'svc.zip');
    fs.writeFileSync(zipPath, r.packages.get('svc')!.zip);
    const script = 'import sys, json; sys.path.insert(0, sys.argv[1]); import app; print(json.dumps([app.handler({}, None), app.handler({"source": "cachestack:warm-ping"}, None)["warm"]]))';
    const out = spawnSync('python3', ['-I', '-c', script, zipPath], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual([{ statusCode: 200, body: 'HI' }, true]);
  });

  it('GIVEN x86_64 and arm64 THEN the platforms differ and so do the install cache keys', () => {
    expect(pipPlatformOf('arm64')).toBe('manylinux2014_aarch64');
    expect(pipPlatformOf('x86_64')).toBe('manylinux2014_x86_64');
    const text = Buffer.from('redis>=5\n');
    expect(requirementsKey(text, 'manylinux2014_aarch64', '3.13')).not.toBe(requirementsKey(text, 'manylinux2014_x86_64', '3.13'));
    expect(requirementsKey(text, 'manylinux2014_aarch64', '3.12')).not.toBe(requirementsKey(text, 'manylinux2014_aarch64', '3.13'));
  });

  it('GIVEN concurrent installs of the same requirements THEN one cache entry results and both use it', async () => {
    const root = path.join(project, '.cache-concurrent');
    const reqs = path.join(project, 'svc/requirements.txt');
    // two installs started at once, as two synths would: each in its own temporary directory, renamed into place
    const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); const p = require(${JSON.stringify(path.join(__dirname, '../../src/package/python.ts'))}); p.installRequirements(process.argv[1], 'python3.12', 'x86_64', process.argv[2], 'python3').then((r) => { console.log(JSON.stringify(r)); });`;
    const run = () =>
      new Promise<string>((resolve) => {
        const { spawn } = require('node:child_process') as typeof import('node:child_process');
        const child = spawn(process.execPath, ['-e', script, reqs, root], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out.trim()));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
    expect(JSON.parse(a).ok).toBe(true);
    const entries = fs.readdirSync(root);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{64}$/);
    // and this process finds the finished entry without running pip
    const again = await installRequirements(reqs, 'python3.12', 'x86_64', root, 'python3-that-does-not-exist');
    expect(again).toEqual(JSON.parse(a));
  });

  it('GIVEN a syntax error THEN the diagnostic is in the python file at python\'s line', async () => {
    const r = await packageHandlers([req('broken', 'broken/app.py')], { cwd: project });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    const d = r.errors[0];
    expect(d).toMatchObject({ code: 'bundle-error', handler: 'broken', file: 'broken/app.py', line: 2 });
    expect(d.message).toMatch(/^python syntax error: '\{' was never closed/);
    expect(formatBundleDiagnostic(d)).toContain('while packaging python handler `broken` (declared in config/svc.yaml), entry broken/app.py');
  });

  it('GIVEN an entry without the function THEN the diagnostic names the file and the functions it has', async () => {
    const r = await packageHandlers([req('nofn', 'nofn/app.py')], { cwd: project });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'nofn/app.py', message: 'handler `nofn` calls `handler`, but app.py defines no top-level `handler`' });
    expect(r.errors[0].hint).toContain('`main`');
  });

  it('GIVEN an async def entry function THEN it is refused with a hint', async () => {
    const r = await packageHandlers([req('async', 'async/app.py')], { cwd: project });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ file: 'async/app.py', line: 1, message: expect.stringContaining('`async def`') });
  });

  it('GIVEN the entry function bound by an assignment (handler = Mangum(app)) THEN it packages', async () => {
    const r = await packageHandlers([req('mangum', 'mangum/app.py')], { cwd: project });
    expect(r.ok).toBe(true);
  });

  it('GIVEN a requirement without a wheel for the platform THEN the diagnostic points at its line in the requirements file', async () => {
    const r = await packageHandlers([req('binary', 'binary/app.py', { requirementsPath: path.join(project, 'binary/requirements.txt') })], { cwd: project });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'binary/requirements.txt', line: 2, column: 1, lineText: 'psycopg-binary==3.3.6' });
    expect(r.errors[0].message).toBe('requirement `psycopg-binary==3.3.6` cannot be resolved for python3.13 on arm64 (manylinux2014_aarch64): no matching distribution (binary wheels only)');
    expect(formatBundleDiagnostic(r.errors[0])).not.toMatch(/Traceback|at .*\.ts:\d+/);
  });

  it('GIVEN a source directory named cachestack_runtime THEN it is refused rather than replacing the kit', async () => {
    const r = await packageHandlers([req('clash', 'clash/app.py')], { cwd: project });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain('cachestack_runtime/__init__.py would replace the cachestack runtime kit');
  });

  it('GIVEN no python interpreter THEN every python handler gets a diagnostic, not a stack trace', async () => {
    const saved = process.env.CACHESTACK_PYTHON;
    process.env.CACHESTACK_PYTHON = 'python-that-does-not-exist';
    try {
      const r = await packageHandlers([req('svc', 'svc/app.py')], { cwd: project });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0].message).toBe('cannot package python handler `svc`: python-that-does-not-exist is not installed (or not on PATH)');
    } finally {
      if (saved === undefined) delete process.env.CACHESTACK_PYTHON;
      else process.env.CACHESTACK_PYTHON = saved;
    }
  });

  it.each([
    ['redis/__init__.py', true],
    ['redis-8.1.0.dist-info/METADATA', true],
    ['redis-8.1.0.dist-info/licenses/LICENSE', true],
    ['redis-8.1.0.dist-info/RECORD', false],
    ['redis-8.1.0.dist-info/INSTALLER', false],
    ['redis-8.1.0.dist-info/REQUESTED', false],
    ['x-1.0.dist-info/direct_url.json', false],
    ['bin/normalizer', false],
    ['redis/__pycache__/client.cpython-313.pyc', false],
    ['pkg/mod.pyc', false],
  ])('GIVEN installed file %s THEN kept is %s', (rel, kept) => {
    expect(keepInstalledFile(rel)).toBe(kept);
  });

  it('GIVEN a directory THEN the sources are its .py files, sorted, without caches and virtual environments', () => {
    expect(pythonSources(path.join(project, 'svc'))).toEqual(['app.py', 'lib/__init__.py', 'lib/util.py']);
  });
});
