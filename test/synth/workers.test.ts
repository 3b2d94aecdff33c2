/**
 * Synthesis in worker threads (src/synth/workers.ts): how many, the same bytes
 * with and without them, none for one stack, and failures that end as clean
 * diagnostics with nothing written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHook } from 'node:async_hooks';
import { writeManyConfigs } from '../../bench/generate';
import { run } from '../../src/cli/main';
import { synth } from '../../src/synth';
import { synthesizeModels, type LazyAppBuilder, type PipelineResult } from '../../src/synth/pipeline';
import { MAX_AUTO_WORKERS, MIN_WEIGHT_PER_WORKER, splitModels, synthWorkerCount, workersFromEnv } from '../../src/synth/workers';
import { captureIo } from '../cli/io';
import { handler, model, readTree, treeHash, writeFiles } from './helpers';
import * as builders from './worker-builders';

const BUILDERS = path.join(__dirname, 'worker-builders.ts');

/**
 * Counts the worker threads started while `fn` runs, as node itself sees them:
 * every Worker is an async resource of type WORKER. (jest gives each test file a
 * process object of its own, so process's 'worker' event is not seen here.)
 */
async function countingWorkers<T>(fn: () => Promise<T>): Promise<{ result: T; started: number }> {
  let started = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'WORKER') started += 1;
    },
  }).enable();
  try {
    const result = await fn();
    return { result, started };
  } finally {
    hook.disable();
  }
}

function expectSameTree(a: string, b: string): void {
  const ta = readTree(a);
  const tb = readTree(b);
  expect([...ta.keys()]).toEqual([...tb.keys()]);
  for (const [file, bytes] of ta) expect({ file, same: bytes.equals(tb.get(file)!) }).toEqual({ file, same: true });
}

describe('how many synth workers', () => {
  const heavy = MIN_WEIGHT_PER_WORKER * 10;

  it.each([
    ['one stack, even when more are asked for', [heavy], 8, 16, 0],
    ['one stack', [heavy], undefined, 16, 0],
    ['no stack', [], undefined, 16, 0],
    ['one core', [heavy, heavy], undefined, 1, 0],
    ['two cores, two heavy stacks', [heavy, heavy], undefined, 2, 2],
    ['many cores: at most the cap', Array(20).fill(heavy), undefined, 64, MAX_AUTO_WORKERS],
    ['many cores, three stacks: one per stack', [heavy, heavy, heavy], undefined, 64, 3],
    ['little work in all: not worth a thread', [10, 10, 10, 10], undefined, 16, 0],
    ['work for two threads only', [MIN_WEIGHT_PER_WORKER, MIN_WEIGHT_PER_WORKER, 100], undefined, 16, 2],
    ['CACHESTACK_SYNTH_WORKERS=1', [heavy, heavy], 1, 16, 0],
    ['CACHESTACK_SYNTH_WORKERS=3, little work: as asked', [10, 10, 10, 10], 3, 1, 3],
    ['CACHESTACK_SYNTH_WORKERS=8, two stacks: one per stack', [10, 10], 8, 16, 2],
  ])('GIVEN %s WHEN deciding THEN the count is right', (_what, weights, requested, parallelism, expected) => {
    expect(synthWorkerCount(weights as number[], requested as number | undefined, parallelism as number)).toBe(expected);
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['auto', undefined],
    ['1', 1],
    [' 3 ', 3],
    ['0', { error: expect.stringContaining('CACHESTACK_SYNTH_WORKERS must be `auto` or a whole number from 1 to 256') }],
    ['two', { error: expect.stringContaining('not `two`') }],
    ['1.5', { error: expect.any(String) }],
    ['-2', { error: expect.any(String) }],
  ])('GIVEN CACHESTACK_SYNTH_WORKERS=%p WHEN read THEN it is %p', (value, expected) => {
    expect(workersFromEnv(value === undefined ? {} : { CACHESTACK_SYNTH_WORKERS: value })).toEqual(expected);
  });

  it('GIVEN stacks of different weights WHEN split THEN every stack is in exactly one share, in name order, and the split does not depend on the input order', () => {
    const dir = os.tmpdir();
    const h = (n: number) => Array.from({ length: n }, (_, i) => handler(`h${i}`, path.join(dir, 'x.ts')));
    const models = ['a', 'b', 'c', 'd', 'e'].map((s, i) => model(s, undefined, h(i + 1), dir));
    const shares = splitModels(models, 2);
    expect(shares.flat().map((m) => m.stackName).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const share of shares) expect(share.map((m) => m.stackName)).toEqual([...share.map((m) => m.stackName)].sort());
    // Weights 2..6: e, then d, then c onto the lighter share, b, a onto the first of two equal ones.
    expect(shares.map((s) => s.map((m) => m.stackName))).toEqual([['a', 'b', 'e'], ['c', 'd']]);
    expect(splitModels([...models].reverse(), 2).map((s) => s.map((m) => m.stackName).sort())).toEqual(shares.map((s) => s.map((m) => m.stackName)));
    expect(splitModels(models, 9)).toHaveLength(5);
  });
});

describe('synth in worker threads', () => {
  let scratch: string;
  let many: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-workers-'));
    many = writeManyConfigs(scratch, 4, 5).dir;
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('GIVEN four services WHEN synthesized with workers and without THEN the output is byte-identical, and the workers were really started', async () => {
    const off = await countingWorkers(() => synth([many], { cwd: many, out: path.join(scratch, 'off'), workers: 1 }));
    const on = await countingWorkers(() => synth([many], { cwd: many, out: path.join(scratch, 'on'), workers: 3 }));
    expect(off.result).toMatchObject({ status: 'ok', workers: 0 });
    expect(off.started).toBe(0);
    expect(on.result).toMatchObject({ status: 'ok', workers: 3 });
    expect(on.started).toBe(3);
    expect([...readTree(path.join(scratch, 'on')).keys()].filter((f) => f.endsWith('cdk.tf.json'))).toHaveLength(4);
    expectSameTree(path.join(scratch, 'off'), path.join(scratch, 'on'));
    // And with another split (two shares of two).
    expect(await synth([many], { cwd: many, out: path.join(scratch, 'two'), workers: 2 })).toMatchObject({ status: 'ok', workers: 2 });
    expectSameTree(path.join(scratch, 'off'), path.join(scratch, 'two'));
  }, 180000);

  it('GIVEN one config file WHEN synthesized, even with CACHESTACK_SYNTH_WORKERS=4 THEN no worker thread is started', async () => {
    const io = captureIo(many, { env: { CACHESTACK_SYNTH_WORKERS: '4' } });
    const { result: code, started } = await countingWorkers(() => run(['synth', 'svc-00.yaml', '--out', path.join(scratch, 'one')], io));
    expect({ code, err: io.err }).toEqual({ code: 0, err: expect.any(String) });
    expect(started).toBe(0);
    expect(io.out).toContain('wrote 1 stack to');
  }, 120000);

  it('GIVEN CACHESTACK_SYNTH_WORKERS=2 WHEN cachestack synth runs on many files THEN two workers synthesize and the output equals the one-thread output', async () => {
    const io = captureIo(many, { env: { CACHESTACK_SYNTH_WORKERS: '2' } });
    const { result: code, started } = await countingWorkers(() => run(['synth', '.', '--out', path.join(scratch, 'cli')], io));
    expect({ code, err: io.err }).toEqual({ code: 0, err: expect.any(String) });
    expect(started).toBe(2);
    expectSameTree(path.join(scratch, 'off'), path.join(scratch, 'cli'));
  }, 120000);

  it('GIVEN CACHESTACK_SYNTH_WORKERS=lots WHEN cachestack synth runs THEN it exits 2 with one line saying what is allowed', async () => {
    const io = captureIo(many, { env: { CACHESTACK_SYNTH_WORKERS: 'lots' } });
    const code = await run(['synth', '.', '--out', path.join(scratch, 'bad')], io);
    expect({ code, err: io.err }).toEqual({
      code: 2,
      err: 'cachestack synth: CACHESTACK_SYNTH_WORKERS must be `auto` or a whole number from 1 to 256 (1 synthesizes on one thread), not `lots`\n',
    });
    expect(fs.existsSync(path.join(scratch, 'bad'))).toBe(false);
  });
});

describe('a failing synth worker', () => {
  let project: string;
  const models = () => {
    const h = [handler('api', path.join(project, 'handlers/api.ts'))];
    return ['a', 'b', 'c'].map((s) => model('svc', s, h, project));
  };
  const lazy = (name: keyof typeof builders): LazyAppBuilder => ({ load: async () => builders[name], worker: { module: BUILDERS, export: name } });

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-worker-fail-'));
    writeFiles(project, { 'handlers/api.ts': 'export const handler = async () => 1;\n' });
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it('GIVEN a model a worker refuses WHEN synthesized in workers THEN the result is the very diagnostic of a one-thread synth, and nothing is written', async () => {
    const inWorkers = await synthesizeModels(models(), lazy('failing'), { cwd: project, out: 'out-w', workers: 3 });
    const oneThread = await synthesizeModels(models(), lazy('failing'), { cwd: project, out: 'out-1', workers: 1 });
    expect(inWorkers).toEqual({ status: 'model-error', message: 'stack `svc-b`, field `handlers.api`: this model cannot be synthesized' });
    expect(inWorkers).toEqual(oneThread);
    for (const out of ['out-w', 'out-1']) {
      const left = fs.existsSync(path.join(project, out)) ? [...readTree(path.join(project, out)).keys()] : [];
      expect({ out, left }).toEqual({ out, left: [] });
    }
  }, 120000);

  it('GIVEN an existing output WHEN a worker dies without a result THEN synth fails cleanly (exit 2 message, no stack trace) and the output is byte for byte what it was', async () => {
    const ok = (r: PipelineResult) => expect(r).toMatchObject({ status: 'ok', workers: 3 });
    ok(await synthesizeModels(models(), lazy('miniSynth'), { cwd: project, out: 'out-crash', workers: 3 }));
    const before = treeHash(path.join(project, 'out-crash'));
    const result = await synthesizeModels(models(), lazy('crashing'), { cwd: project, out: 'out-crash', workers: 3 });
    expect(result).toEqual({
      status: 'failed',
      message: expect.stringMatching(/^synth worker [123] of 3 stopped \(exit code 7\) before it finished; nothing was written\. Run synth again, or with CACHESTACK_SYNTH_WORKERS=1 to synthesize on one thread$/),
    });
    expect(treeHash(path.join(project, 'out-crash'))).toBe(before);
    expect(fs.readdirSync(path.join(project, 'out-crash')).filter((n) => n.startsWith('.cachestack-staging') || n.endsWith('.lock'))).toEqual([]);
    // The next synth works (the lock was released).
    ok(await synthesizeModels(models(), lazy('miniSynth'), { cwd: project, out: 'out-crash', workers: 3 }));
  }, 120000);
});
