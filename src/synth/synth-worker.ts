/**
 * A synth worker thread (see ./workers.ts): loads the app builder named in
 * `workerData` at once, then, for the job the calling thread sends, synthesizes
 * its share of the models and replies with the rendered documents, or with the
 * error message. It writes no file. It stays until the calling thread
 * terminates it, so a reply is never raced by its exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppBuilder } from './pipeline';
import { renderDocuments } from './normalize';
import type { WorkerInput, WorkerJob, WorkerReply } from './workers';

function message(e: unknown): string {
  return e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
}

const input = workerData as WorkerInput;
let builder: AppBuilder | undefined;
let loadError: unknown;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  builder = (require(input.builder.module) as Record<string, AppBuilder>)[input.builder.export];
  if (typeof builder !== 'function') loadError = new Error(`${input.builder.module} has no function \`${input.builder.export}\``);
} catch (e) {
  loadError = e;
}

parentPort?.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    if (!builder) throw loadError;
    reply = { ok: true, rendered: renderDocuments(builder(input.models, job.assets, job.outdir).files, job.ctx) };
  } catch (e) {
    reply = { ok: false, message: message(e) };
  }
  parentPort?.postMessage(reply);
});
