/**
 * `cachestack init`: the files of a project of one's own, the refusal to
 * overwrite anything, and the usage errors. The packed-tarball test
 * (test/package/pack.test.ts) runs the written project against an installed cachestack.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { CDKTF_APP, serviceNameFrom } from '../../src/cli/commands/init';
import { captureIo } from './io';

const ROOT = path.resolve(__dirname, '..', '..');
const FILES = ['.github/workflows/cachestack.yml', '.gitignore', 'cdktf.json', 'config/orders.yaml', 'handlers/hello.ts'];

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-init-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tree(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(root, p)).isFile())
    .map((p) => p.split(path.sep).join('/'))
    .sort();
}

describe('cachestack init', () => {
  it('GIVEN a new directory WHEN init runs THEN it writes the project files, and they validate', async () => {
    const io = captureIo(dir);
    expect(await run(['init', 'orders'], io)).toBe(0);
    const project = path.join(dir, 'orders');
    expect(tree(project)).toEqual(FILES);
    expect(io.out).toContain('wrote a project for service `orders` in orders');
    expect(io.out).toContain('npx cdktf deploy orders-dev');

    const config = fs.readFileSync(path.join(project, 'config/orders.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/cachestack/schema/cachestack.schema.json');
    expect(fs.readFileSync(path.join(project, 'handlers/hello.ts'), 'utf8')).toContain("from 'cachestack/runtime'");
    const cdktf = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8'));
    expect(cdktf).toMatchObject({ language: 'typescript', app: CDKTF_APP, output: 'cdktf.out' });
    expect(cdktf.app).not.toMatch(/tsx|ts-node/);
    expect(fs.readFileSync(path.join(project, '.gitignore'), 'utf8')).toMatch(/^cdktf\.out\/$/m);
    // the workflow is the one the docs describe, byte for byte
    expect(fs.readFileSync(path.join(project, '.github/workflows/cachestack.yml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'docs/examples/github-workflow.yml'), 'utf8'));

    const check = captureIo(project);
    expect(await run(['validate', '--strict'], check)).toBe(0);
    expect(check.out).toContain('config/orders.yaml: valid');
  });

  it('GIVEN no DIR WHEN init runs THEN the current directory is used and the service is named after it', async () => {
    const project = path.join(dir, 'My_Shop.API');
    fs.mkdirSync(project);
    const io = captureIo(project);
    expect(await run(['init'], io)).toBe(0);
    expect(tree(project)).toContain('config/my-shop-api.yaml');
    expect(io.out).not.toContain('cd ');
  });

  it('GIVEN one of its files exists WHEN init runs THEN nothing is written and the file is named', async () => {
    fs.writeFileSync(path.join(dir, '.gitignore'), 'mine\n');
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'orders.yaml'), 'mine\n');
    const io = captureIo(dir);
    expect(await run(['init', '--service', 'orders'], io)).toBe(2);
    expect(io.err).toBe('cachestack: init: `config/orders.yaml`, `.gitignore` already exist; nothing was written. cachestack never overwrites a file: move them away, or run init in another directory\n');
    expect(tree(dir)).toEqual(['.gitignore', 'config/orders.yaml']);
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('mine\n');
  });

  it('GIVEN a bad service name or two directories WHEN init runs THEN it is a usage error and nothing is written', async () => {
    for (const [args, message] of [
      [['init', '--service', 'Orders'], 'invalid service name `Orders`'],
      [['init', 'a', 'b'], 'expected at most one directory, got 2'],
      [['init', '--servcie', 'x'], 'did you mean `--service`?'],
    ] as const) {
      const io = captureIo(dir);
      expect(await run(args, io)).toBe(2);
      expect(io.err).toContain(message);
      expect(io.err).toContain('Usage: cachestack init [DIR] [--service NAME]');
    }
    expect(tree(dir)).toEqual([]);
  });

  it('GIVEN DIR is a file WHEN init runs THEN it says so', async () => {
    fs.writeFileSync(path.join(dir, 'orders'), '');
    const io = captureIo(dir);
    expect(await run(['init', 'orders'], io)).toBe(2);
    expect(io.err).toContain('`orders` exists and is not a directory');
  });

  it.each([
    ['orders', 'orders'],
    ['Order Service', 'order-service'],
    ['2fast', 'fast'],
    ['x', undefined],
    ['___', undefined],
  ])('GIVEN the directory name %s WHEN a service name is made THEN it is %s', (name, service) => {
    expect(serviceNameFrom(name)).toBe(service);
  });
});
