/**
 * Synthesis in memory (src/infra/synthesize.ts): the documents are the ones
 * cdktf's own `app.synth()` writes, nothing is written, and what it does not
 * reproduce falls back to cdktf's writing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Annotations, App, TerraformAsset, TerraformStack } from 'cdktf';
import { buildApp, synthesizeApp, synthesizeStacks } from '../../src/infra';
import { assetsFor, fullModel, model } from './model-builder';

/** Every file under `dir`, relative, `/` separators. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function withEnv<T>(name: string, value: string | undefined, fn: () => T): T {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('synthesis in memory', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-inmem-'));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('GIVEN two stacks WHEN synthesized in memory THEN the documents are exactly what cdktf\'s app.synth() writes, and nothing is written', () => {
    const models = [fullModel(), model({ service: 'other', stackName: 'other-dev' })];
    const assets = Object.fromEntries(models.map((m) => [m.stackName, assetsFor(m)]));
    const memDir = path.join(scratch, 'mem');
    const result = new Map(synthesizeStacks(models, assets, memDir).files);
    expect(files(memDir)).toEqual([]);

    const diskDir = path.join(scratch, 'disk');
    buildApp(models, assets, diskDir).synth();
    const written = files(diskDir);
    expect(written).toEqual(['manifest.json', ...models.map((m) => `stacks/${m.stackName}/cdk.tf.json`)].sort());
    expect([...result.keys()]).toEqual([...models.map((m) => `stacks/${m.stackName}/cdk.tf.json`), 'manifest.json']);
    for (const file of written) {
      // Through JSON, as the files are: the objects may hold `undefined` members JSON drops.
      expect({ file, doc: JSON.parse(JSON.stringify(result.get(file))) }).toEqual({ file, doc: JSON.parse(fs.readFileSync(path.join(diskDir, file), 'utf8')) });
    }
  });

  it('GIVEN CACHESTACK_CDKTF_PASSES=all WHEN synthesized THEN cdktf writes into a throwaway directory and the documents are the same', () => {
    const models = [fullModel()];
    const assets = { [models[0].stackName]: assetsFor(models[0]) };
    const once = synthesizeStacks(models, assets, path.join(scratch, 'a'));
    const stock = withEnv('CACHESTACK_CDKTF_PASSES', 'all', () => synthesizeStacks(models, assets, path.join(scratch, 'b')));
    expect(fs.existsSync(path.join(scratch, 'b'))).toBe(false);
    expect(JSON.parse(JSON.stringify([...stock.files]))).toEqual(JSON.parse(JSON.stringify([...once.files])));
  });

  it('GIVEN a warning annotation WHEN synthesized in memory THEN the manifest carries it as cdktf\'s does; an error annotation throws cdktf\'s error', () => {
    const warned = new App({ outdir: path.join(scratch, 'w'), stackTraces: false });
    Annotations.of(new TerraformStack(warned, 'warned')).addWarning('look here');
    const manifest = new Map(synthesizeApp(warned).files).get('manifest.json') as { stacks: Record<string, { annotations: unknown[] }> };
    expect(manifest.stacks.warned.annotations).toEqual([{ constructPath: 'warned', level: '@cdktf/warn', message: 'look here', stacktrace: undefined }]);

    const failed = new App({ outdir: path.join(scratch, 'e'), stackTraces: false });
    Annotations.of(new TerraformStack(failed, 'failed')).addError('broken');
    // Thrown as the iteration reaches the stack, as cdktf's app.synth() throws it.
    expect(() => [...synthesizeApp(failed).files]).toThrow(/broken/);
  });

  it('GIVEN a construct with custom synthesis (a TerraformAsset) WHEN synthesized THEN cdktf\'s own writing runs, so the asset is where cdktf puts it', () => {
    const src = path.join(scratch, 'asset.txt');
    fs.writeFileSync(src, 'x');
    const app = new App({ outdir: path.join(scratch, 'out'), stackTraces: false });
    new TerraformAsset(new TerraformStack(app, 'with-asset'), 'file', { path: src });
    const result = new Map(synthesizeApp(app).files);
    expect([...result.keys()]).toEqual(['stacks/with-asset/cdk.tf.json', 'manifest.json']);
    expect(files(path.join(scratch, 'out'))).toEqual(expect.arrayContaining(['manifest.json', 'stacks/with-asset/cdk.tf.json']));
    expect(files(path.join(scratch, 'out')).some((f) => f.includes('assets/'))).toBe(true);
  });
});
