/**
 * What esbuild may read into a zip: with a project root, nothing whose real path
 * is outside it (the project's node_modules aside), named at the import that
 * pulls it in; never a FIFO or a device, entry or import, whatever the root.
 * Real esbuild, real FIFOs (mkfifo) and real symbolic links; `synth()` end to end.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { packageHandlers, type PackageRequest, type PackageResult } from '../../src/package';
import { synth } from '../../src/synth';

const QUICK = 30_000;
const SECRET = 'cachestack-outside-secret-4711';

let top: string;
let project: string;
let root: string;

function write(rel: string, text: string): string {
  const abs = path.join(top, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function request(name: string, entry: string, confined = true): PackageRequest {
  return { id: name, name, entryPath: path.join(project, entry), export: 'handler', runtime: 'nodejs22.x', ...(confined ? { projectRoot: root, nodeModules: [path.join(root, 'node_modules')] } : {}) };
}

function zipText(result: PackageResult): string {
  if (!result.ok) return '';
  return [...result.packages.values()].map((p) => Object.values(unzipSync(new Uint8Array(p.zip))).map((b) => Buffer.from(b).toString('utf8')).join('\n')).join('\n');
}

/** A real FIFO, and a writer that opens it after 5 s (giving up after 10 s), so a bundler that would block on it is unblocked and the test fails instead of hanging. */
function mkfifo(abs: string): void {
  execFileSync('mkfifo', [abs]);
  spawn('timeout', ['10', 'sh', '-c', 'sleep 5; printf "export const handler = 1;\\n" > "$1"', 'sh', abs], { stdio: 'ignore' }).unref();
}

beforeAll(() => {
  top = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-confine-'));
  project = path.join(top, 'project');
  write('outside/secret.txt', `${SECRET}\n`);
  write('outside/data.json', `{ "secret": "${SECRET}" }\n`);
  write('project/package.json', '{}\n');
  write('project/handlers/lib/ok.txt', 'inside text\n');
  write('project/handlers/ok.ts', "import text from './lib/ok.txt';\nimport { pad } from 'tiny-pad';\nexport const handler = async () => pad(text);\n");
  write('project/node_modules/tiny-pad/package.json', '{ "name": "tiny-pad", "version": "1.0.0", "main": "index.js" }\n');
  write('project/node_modules/tiny-pad/index.js', 'exports.pad = (s) => ` ${s} `;\n');
  write('project/handlers/txt.ts', "import secret from '../../outside/secret.txt';\nexport const handler = async () => secret;\n");
  write('project/handlers/json.ts', "import data from '../../outside/data.json';\nexport const handler = async () => data.secret;\n");
  fs.symlinkSync(path.join(top, 'outside', 'secret.txt'), path.join(project, 'handlers', 'linked.txt'));
  write('project/handlers/link.ts', "import secret from './linked.txt';\nexport const handler = async () => secret;\n");
  mkfifo(path.join(project, 'handlers', 'pipe.ts'));
  mkfifo(path.join(project, 'handlers', 'pipe.txt'));
  write('project/handlers/imports-pipe.ts', "import p from './pipe.txt';\nexport const handler = async () => p;\n");
  root = fs.realpathSync(project);
});

afterAll(() => {
  fs.rmSync(top, { recursive: true, force: true });
});

describe('bundling confined to the project root', () => {
  it.each([
    ['txt', 'handlers/txt.ts', "'../../outside/secret.txt'"],
    ['json', 'handlers/json.ts', "'../../outside/data.json'"],
    ['link', 'handlers/link.ts', "'./linked.txt'"],
  ])('GIVEN an import of a %s file outside THEN a bundle-error at the import in the importing file, and nothing is zipped', async (name, entry, spec) => {
    const result = await packageHandlers([request(name, entry)], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    const [e] = result.errors;
    const firstLine = fs.readFileSync(path.join(project, entry), 'utf8').split('\n')[0];
    expect({ file: e.file, line: e.line, column: e.column }).toEqual({ file: entry, line: 1, column: firstLine.indexOf(spec) + 1 });
    expect(e.message).toContain('outside the project root');
    expect(e.hint).toContain('--allow-outside-root');
    expect(e.lineText).toContain(spec);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  }, QUICK);

  it('GIVEN files inside the root and a package of its node_modules THEN it bundles', async () => {
    const result = await packageHandlers([request('ok', 'handlers/ok.ts')], { cwd: project });
    expect(result.ok).toBe(true);
    expect(zipText(result)).toContain('inside text');
  }, QUICK);

  it('GIVEN node_modules that is a link to a directory elsewhere (as in a linked checkout) THEN its packages bundle', async () => {
    const linked = path.join(top, 'linked-project');
    fs.mkdirSync(path.join(linked, 'handlers'), { recursive: true });
    fs.symlinkSync(path.join(project, 'node_modules'), path.join(linked, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(linked, 'handlers', 'h.ts'), "import { pad } from 'tiny-pad';\nexport const handler = async () => pad('x');\n");
    const realRoot = fs.realpathSync(linked);
    const req: PackageRequest = {
      id: 'h',
      name: 'h',
      entryPath: path.join(linked, 'handlers', 'h.ts'),
      export: 'handler',
      runtime: 'nodejs22.x',
      projectRoot: realRoot,
      nodeModules: [fs.realpathSync(path.join(linked, 'node_modules'))],
    };
    expect((await packageHandlers([req], { cwd: linked })).ok).toBe(true);
  }, QUICK);

  it('GIVEN no project root (allowed outside) THEN the outside file is bundled', async () => {
    const result = await packageHandlers([request('txt', 'handlers/txt.ts', false)], { cwd: project });
    expect(result.ok).toBe(true);
    expect(zipText(result)).toContain(SECRET);
  }, QUICK);
});

describe('bundling never reads a FIFO', () => {
  it.each([true, false])('GIVEN an entry that is a FIFO (confined: %s) THEN a bundle-error, without blocking esbuild', async (confined) => {
    const result = await packageHandlers([request('pipe', 'handlers/pipe.ts', confined), request('ok', 'handlers/ok.ts', confined)], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.handler, e.file])).toEqual([['pipe', 'handlers/pipe.ts']]);
    expect(result.errors[0].message).toContain('FIFO');
  }, QUICK);

  it('GIVEN an import of a FIFO THEN a bundle-error at the import, without blocking esbuild', async () => {
    const result = await packageHandlers([request('imp', 'handlers/imports-pipe.ts', false)], { cwd: project });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.file, e.line])).toEqual([['handlers/imports-pipe.ts', 1]]);
    expect(result.errors[0].message).toContain('not a regular file');
  }, QUICK);
});

describe('synth keeps outside files out of the zips', () => {
  beforeAll(() => {
    write(
      'project/config/svc.yaml',
      'version: 1\nservice: svc\nregion: us-east-1\nhandlers:\n  reader:\n    entry: ../handlers/txt.ts\nrestApi:\n  name: api\n  endpoints:\n    - { method: GET, path: /x, handler: reader, auth: none }\n',
    );
  });

  it('GIVEN a handler importing a file outside THEN synth writes nothing (bundle-error); with allowOutsideRoot it writes the zip', async () => {
    const refused = await synth(['config/svc.yaml'], { cwd: project, out: 'out-refused' });
    expect(refused.status).toBe('bundle-error');
    expect(fs.existsSync(path.join(project, 'out-refused'))).toBe(false);

    const allowed = await synth(['config/svc.yaml'], { cwd: project, out: 'out-allowed', allowOutsideRoot: true });
    expect(allowed.status).toBe('ok');
  }, 180_000);

});
