import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { formatBundleDiagnostic, packageHandlers, packageRoot, sourcemapFromEnv, warmerEntry, type PackageRequest } from '../../src/package';

let project: string;

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-package-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), text);
  };
  write('handlers/lib/greet.ts', 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n');
  write(
    'handlers/ok.ts',
    [
      "import { LambdaClient } from '@aws-sdk/client-lambda';",
      "import { greet } from './lib/greet';",
      'export const client = () => LambdaClient;',
      'export async function handler(event: { name: string }) {',
      '  return { statusCode: 200, body: greet(event.name), file: __filename.length > 0 };',
      '}',
      '',
    ].join('\n'),
  );
  write('handlers/other.ts', "import { greet } from './lib/greet';\nexport const main = async () => greet('other');\n");
  write('handlers/syntax.ts', 'export const handler = async () => {\n  const x = 1 +;\n  return x;\n};\n');
  write('handlers/unresolved.ts', "import { nope } from './does-not-exist';\nexport const handler = async () => nope;\n");
  write('handlers/cjs.js', 'module.exports.handler = async () => 42;\n');
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const req = (name: string, entry: string, extra: Partial<PackageRequest> = {}): PackageRequest => ({
  id: name,
  name,
  entryPath: path.join(project, entry),
  export: 'handler',
  runtime: 'nodejs22.x',
  sourceFile: 'config/service.yaml',
  ...extra,
});

function unzip(zip: Buffer): Record<string, string> {
  const files = unzipSync(new Uint8Array(zip));
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
}

describe('packageHandlers', () => {
  it('GIVEN a TypeScript handler WHEN packaged THEN the zip holds one minified CommonJS index.js that keeps @aws-sdk external and runs', async () => {
    const result = await packageHandlers([req('ok', 'handlers/ok.ts')], { cwd: project });
    if (!result.ok) throw new Error(result.errors.map(formatBundleDiagnostic).join(''));
    const pkg = result.packages.get('ok')!;
    expect(pkg.fileName).toMatch(/^ok-[0-9a-f]{8}\.zip$/);
    expect(pkg.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const files = unzip(pkg.zip);
    expect(Object.keys(files)).toEqual(['index.js']);
    const js = files['index.js'];
    expect(js).toContain('require("@aws-sdk/client-lambda")');
    expect(js).not.toContain(project);
    expect(js).not.toContain('sourceMappingURL');
    expect(js.split('\n').filter((l) => l.length > 0).length).toBeLessThanOrEqual(2); // minified
    // Load it the way Lambda does (index.handler), with the SDK the project has installed.
    const dir = fs.mkdtempSync(path.join(project, 'run-'));
    fs.writeFileSync(path.join(dir, 'index.js'), js);
    fs.symlinkSync(path.join(packageRoot(), 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const mod = require(path.join(dir, 'index.js')) as { handler: (e: { name: string }) => Promise<{ body: string }> };
    await expect(mod.handler({ name: 'ada' })).resolves.toMatchObject({ statusCode: 200, body: 'hello ada' });
  });

  it('GIVEN the same entry in two stacks and another entry WHEN packaged THEN the shared entry is bundled once and both get the same zip', async () => {
    const result = await packageHandlers(
      [req('ok', 'handlers/ok.ts', { id: 'svc-dev/ok' }), req('ok', 'handlers/ok.ts', { id: 'svc-prod/ok' }), req('other', 'handlers/other.ts', { export: 'main' })],
      { cwd: project },
    );
    if (!result.ok) throw new Error(result.errors.map(formatBundleDiagnostic).join(''));
    expect(result.bundled).toBe(2);
    const dev = result.packages.get('svc-dev/ok')!;
    const prod = result.packages.get('svc-prod/ok')!;
    expect(dev.fileName).toBe(prod.fileName);
    expect(Buffer.compare(dev.zip, prod.zip)).toBe(0);
    expect(result.packages.get('other')!.fileName).toMatch(/^other-/);
  });

  it('GIVEN the entry file gets a new mtime WHEN packaged again THEN the zip bytes are identical', async () => {
    const first = await packageHandlers([req('ok', 'handlers/ok.ts')], { cwd: project });
    const past = new Date('2001-02-03T04:05:06Z');
    for (const f of ['handlers/ok.ts', 'handlers/lib/greet.ts']) fs.utimesSync(path.join(project, f), past, past);
    const second = await packageHandlers([req('ok', 'handlers/ok.ts')], { cwd: project });
    if (!first.ok || !second.ok) throw new Error('packaging failed');
    expect(Buffer.compare(first.packages.get('ok')!.zip, second.packages.get('ok')!.zip)).toBe(0);
    expect(first.packages.get('ok')!.sha256).toBe(second.packages.get('ok')!.sha256);
  });

  it('GIVEN runtimes nodejs22.x and nodejs24.x WHEN packaged THEN both bundle (one esbuild target each)', async () => {
    const result = await packageHandlers(
      [req('a', 'handlers/other.ts', { export: 'main' }), req('b', 'handlers/other.ts', { export: 'main', runtime: 'nodejs24.x' })],
      { cwd: project },
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.bundled).toBe(2);
  });

  it('GIVEN a syntax error WHEN packaged THEN a bundle-error names the file, line and column, and the healthy handler is not blamed', async () => {
    const result = await packageHandlers([req('ok', 'handlers/ok.ts'), req('broken', 'handlers/syntax.ts')], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    const [d] = result.errors;
    expect(d).toMatchObject({ code: 'bundle-error', handler: 'broken', entry: 'handlers/syntax.ts', file: 'handlers/syntax.ts', line: 2, column: 16 });
    expect(d.message).toMatch(/^unexpected ";"/);
    const text = formatBundleDiagnostic(d);
    expect(text).toContain('handlers/syntax.ts:2:16: error [bundle-error] unexpected ";"');
    expect(text).toContain('  const x = 1 +;\n                 ^');
    expect(text).toContain('while bundling handler `broken` (declared in config/service.yaml)');
    expect(text).not.toContain(project);
  });

  it('GIVEN an import that does not resolve WHEN packaged THEN the error points at the import with a hint', async () => {
    const result = await packageHandlers([req('lost', 'handlers/unresolved.ts')], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ file: 'handlers/unresolved.ts', line: 1, column: 22, message: 'could not resolve "./does-not-exist"' });
    expect(result.errors[0].hint).toBeDefined();
  });

  it('GIVEN an import of a package that is not installed WHEN packaged THEN the hint says to install it, not to mark it external', async () => {
    fs.writeFileSync(path.join(project, 'handlers', 'missing-package.ts'), "import { chunk } from '@acme/not-installed/array';\nexport const handler = async () => chunk;\n");
    const result = await packageHandlers([req('missing', 'handlers/missing-package.ts')], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ file: 'handlers/missing-package.ts', line: 1, message: 'could not resolve "@acme/not-installed/array"' });
    expect(result.errors[0].hint).toBe(
      'install `@acme/not-installed` in the project that holds the handler (`npm install @acme/not-installed`) so that it is bundled into the zip; only `@aws-sdk/*` is left out of bundles, because the Lambda runtime provides it',
    );
    expect(formatBundleDiagnostic(result.errors[0])).not.toMatch(/external to exclude/);
  });

  it('GIVEN an ES module entry without the named export WHEN packaged THEN it is an error listing the exports', async () => {
    const result = await packageHandlers([req('other', 'handlers/other.ts', { export: 'handler' })], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0].message).toBe('handler `other` calls export `handler`, but handlers/other.ts exports `main`');
    expect(result.errors[0].hint).toBe('set `export` to one of `main`, or export a function named `handler`');
  });

  it('GIVEN a CommonJS entry WHEN packaged THEN it bundles (its exports cannot be checked statically)', async () => {
    const result = await packageHandlers([req('cjs', 'handlers/cjs.js')], { cwd: project });
    expect(result.ok).toBe(true);
  });

  it('GIVEN source maps on WHEN packaged THEN index.js.map is in the zip with relative sources and index.js links it', async () => {
    const result = await packageHandlers([req('ok', 'handlers/ok.ts')], { cwd: project, sourcemap: true });
    if (!result.ok) throw new Error('packaging failed');
    const files = unzip(result.packages.get('ok')!.zip);
    expect(Object.keys(files).sort()).toEqual(['index.js', 'index.js.map']);
    expect(files['index.js']).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    const map = JSON.parse(files['index.js.map']) as { sources: string[] };
    expect(map.sources).toContain('../../handlers/ok.ts');
    expect(files['index.js.map']).not.toContain(project);
  });

  it('GIVEN CACHESTACK_SOURCEMAP WHEN read THEN 1/true turn source maps on and anything else leaves them off', () => {
    expect(sourcemapFromEnv({ CACHESTACK_SOURCEMAP: '1' })).toBe(true);
    expect(sourcemapFromEnv({ CACHESTACK_SOURCEMAP: 'true' })).toBe(true);
    expect(sourcemapFromEnv({ CACHESTACK_SOURCEMAP: '0' })).toBe(false);
    expect(sourcemapFromEnv({})).toBe(false);
  });

  it('GIVEN the package WHEN asked for the warmer entry THEN it is handlers/warmer/index.ts under the package root', () => {
    expect(fs.existsSync(path.join(packageRoot(), 'package.json'))).toBe(true);
    expect(warmerEntry()).toBe(path.join(packageRoot(), 'handlers', 'warmer', 'index.ts'));
  });

  it('GIVEN the warmer in a checkout and in node_modules WHEN packaged THEN the zips are the same bytes', async () => {
    // esbuild reads the checkout's tsconfig.json (strict → "use strict") but no tsconfig under node_modules
    const installed = path.join(project, 'node_modules', 'cachestack');
    fs.cpSync(path.join(packageRoot(), 'handlers'), path.join(installed, 'handlers'), { recursive: true });
    fs.writeFileSync(path.join(installed, 'package.json'), '{"name":"cachestack"}\n');
    const warmer = (entryPath: string): PackageRequest => ({ id: entryPath, name: 'cachestack-warmer', entryPath, export: 'handler', runtime: 'nodejs22.x' });
    const fromCheckout = await packageHandlers([warmer(warmerEntry())], { cwd: packageRoot() });
    const fromInstall = await packageHandlers([warmer(path.join(installed, 'handlers', 'warmer', 'index.ts'))], { cwd: project });
    if (!fromCheckout.ok || !fromInstall.ok) throw new Error('warmer did not bundle');
    const a = [...fromCheckout.packages.values()][0];
    const b = [...fromInstall.packages.values()][0];
    expect(Buffer.from(unzipSync(b.zip)['index.js']).toString('utf8').slice(0, 13)).toBe('"use strict";');
    expect(b.fileName).toBe(a.fileName);
    expect(b.zip.equals(a.zip)).toBe(true);
  });
});
