/**
 * Synthesis of many stacks in worker threads (node:worker_threads).
 *
 * cdktf synthesizes one stack at a time on one thread, and most of a synth of
 * many services is that. With several stacks and several cores, the models are
 * split into shares, one worker thread a share; each worker loads the app builder
 * (cdktf and src/infra) while the handlers are still bundling, builds one cdktf
 * App of its share, synthesizes it in memory and normalizes and serializes the
 * documents (./normalize.ts `renderDocuments`). The calling thread merges the
 * shares (the manifest's stacks, the files by path) and writes every file, so
 * the output does not depend on how the stacks were split or which worker
 * finished first: each stack's document depends on its own model only, and the
 * manifest is written with sorted keys.
 *
 * How many: `synthWorkerCount`. None for a single stack, for little work, and
 * with CACHESTACK_SYNTH_WORKERS=1.
 *
 * Failures: a worker that reports an error (a model synthesis refuses, cdktf's
 * own errors) makes the caller synthesize again on its own thread, so the
 * diagnostic and exit code are exactly the single-thread ones. A worker that dies
 * without a result (killed, out of memory) is a `WorkerCrash`; the caller
 * reports it, and nothing is written: the workers write nothing, and the staging
 * directory is removed (./atomic.ts).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ServiceModel } from '../config/model';
import type { StackAssets } from '../infra/assets';
import type { NormalizeContext, RenderedDocuments } from './normalize';

/** Most worker threads synth starts by itself: each loads its own cdktf and provider classes (about 100 MiB). */
export const MAX_AUTO_WORKERS = 4;

/** The environment variable that sets the number of synth workers. */
export const WORKERS_ENV = 'CACHESTACK_SYNTH_WORKERS';

/**
 * CACHESTACK_SYNTH_WORKERS as a number: unset, empty or `auto` → `undefined`
 * (synth decides); a whole number ≥ 1 → that number (1: no worker thread).
 * Anything else → an error message.
 */
export function workersFromEnv(env: NodeJS.ProcessEnv | Record<string, string | undefined>): number | undefined | { error: string } {
  const raw = env[WORKERS_ENV]?.trim();
  if (raw === undefined || raw === '' || raw === 'auto') return undefined;
  if (/^[0-9]+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 256) return Number(raw);
  return { error: `${WORKERS_ENV} must be \`auto\` or a whole number from 1 to 256 (1 synthesizes on one thread), not \`${raw}\`` };
}

/**
 * Work below which a worker thread does not pay for itself, in `stackWeight`
 * units: each worker loads cdktf and the provider classes (about 0.4 s of CPU,
 * what synthesizing some 600 endpoints and resolvers costs), so a worker should
 * get at least this much.
 */
export const MIN_WEIGHT_PER_WORKER = 500;

/** A stack's share of synthesis work, roughly: its resources grow with endpoints, resolvers and handlers. */
export function stackWeight(model: ServiceModel): number {
  return 1 + (model.restApi?.endpoints.length ?? 0) + (model.graphqlApi?.resolvers.length ?? 0) + model.handlers.length;
}

/**
 * How many worker threads synthesize stacks of these weights (`stackWeight`): 0
 * means none, the calling thread synthesizes. Never for a single stack.
 * `requested` (CACHESTACK_SYNTH_WORKERS) sets the number, at most one per stack
 * (1: none). Otherwise one per core available, at most `MAX_AUTO_WORKERS`, and
 * only as many as get `MIN_WEIGHT_PER_WORKER` each (a few small stacks
 * synthesize faster on one thread than they load cdktf on two).
 */
export function synthWorkerCount(weights: readonly number[], requested?: number, parallelism: number = os.availableParallelism()): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const auto = Math.min(parallelism, MAX_AUTO_WORKERS, Math.floor(total / MIN_WEIGHT_PER_WORKER));
  const n = Math.min(weights.length, requested ?? auto);
  return n >= 2 ? n : 0;
}

/**
 * `models` (sorted by stack name) in `n` shares of about equal work: the
 * heaviest first, each onto the lightest share so far. Deterministic; each share
 * keeps the models' order.
 */
export function splitModels(models: readonly ServiceModel[], n: number): ServiceModel[][] {
  const load = new Array<number>(n).fill(0);
  const shares: number[][] = Array.from({ length: n }, () => []);
  const byWeight = models.map((m, i) => ({ i, w: stackWeight(m) })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { i, w } of byWeight) {
    let lightest = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[lightest]) lightest = k;
    load[lightest] += w;
    shares[lightest].push(i);
  }
  return shares.filter((s) => s.length > 0).map((s) => s.sort((a, b) => a - b).map((i) => models[i]));
}

/** Where a worker loads the app builder from: a module and the name of its `AppBuilder` export. */
export interface WorkerBuilder {
  module: string;
  export: string;
}

/** What a worker is started with. */
export interface WorkerInput {
  builder: WorkerBuilder;
  models: ServiceModel[];
}

/** What the calling thread sends once the handlers are packaged and the staging directory is open. */
export interface WorkerJob {
  assets: Record<string, StackAssets>;
  outdir: string;
  ctx: NormalizeContext;
}

export type WorkerReply = { ok: true; rendered: RenderedDocuments } | { ok: false; message: string };

/** A worker ended without a result. */
export class WorkerCrash extends Error {}

/** A worker reported an error: synthesize on the calling thread for the exact diagnostic. */
export class WorkerFailed extends Error {}

/** The worker script, and how to start it when running from TypeScript sources (tests, tsx). */
function workerScript(): { file: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `synth-worker${ext}`);
  if (ext === '.js') return { file, eval: false };
  return { file: `require('tsx/cjs/api').register();\nrequire(${JSON.stringify(file)});`, eval: true };
}

type Outcome = WorkerReply | { ok: false; crashed: true; message: string };

/** Worker threads started for shares of models; each loads the builder at once. */
export class SynthWorkers {
  private readonly workers: Worker[];
  private readonly outcomes: Promise<Outcome>[];

  constructor(shares: readonly ServiceModel[][], builder: WorkerBuilder) {
    const script = workerScript();
    this.workers = shares.map((models) => new Worker(script.file, { eval: script.eval, workerData: { builder, models } satisfies WorkerInput }));
    this.outcomes = this.workers.map(
      (worker, i) =>
        new Promise<Outcome>((resolve) => {
          // The first event settles: a reply, or an error or exit before one.
          worker.once('message', (reply: WorkerReply) => resolve(reply));
          worker.once('error', (e: unknown) => resolve({ ok: false, crashed: true, message: `synth worker ${i + 1} of ${shares.length} failed: ${e instanceof Error ? e.message : String(e)}` }));
          worker.once('exit', (code) => resolve({ ok: false, crashed: true, message: `synth worker ${i + 1} of ${shares.length} stopped (exit code ${code}) before it finished` }));
        }),
    );
  }

  get count(): number {
    return this.workers.length;
  }

  /**
   * Sends every worker its job and waits for their results, in the order of the
   * shares. Stops waiting at the first failure.
   * @throws WorkerCrash when a worker ended without a result, WorkerFailed when one reported an error
   */
  async run(job: WorkerJob): Promise<RenderedDocuments[]> {
    for (const worker of this.workers) worker.postMessage(job);
    const failure = new Promise<Outcome>((resolve) => {
      for (const outcome of this.outcomes) void outcome.then((o) => !o.ok && resolve(o));
    });
    const all = Promise.all(this.outcomes);
    const first = await Promise.race([failure, all]);
    const outcomes = Array.isArray(first) ? first : [first];
    for (const o of outcomes) {
      if (!o.ok && 'crashed' in o) throw new WorkerCrash(o.message);
      if (!o.ok) throw new WorkerFailed(o.message);
    }
    return outcomes.map((o) => (o as { rendered: RenderedDocuments }).rendered);
  }

  /** Stops every worker (they have nothing to clean up: they write no file). */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => undefined)));
  }
}
