/**
 * The CLI in a worker thread, for tests that must survive a run that hangs or
 * exhausts memory: the test thread sends one case at a time, waits with a timer,
 * and terminates the worker when the case takes too long (a synchronous loop
 * cannot be interrupted from inside the thread that runs it).
 *
 * `CliWorker` starts the worker (tsx loads the TypeScript sources in it); the
 * worker writes the case's files into a directory of its own, runs
 * `cachestack ARGS` in-process there and answers with a digest of what the run
 * printed, so a huge output never crosses the thread boundary.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface CliCase {
  /** Files to write, by path relative to the case directory. */
  files: Record<string, string | Uint8Array>;
  /** Arguments after `cachestack`, with paths relative to the case directory. */
  argv: string[];
}

/** What a run printed, summarized. */
export interface CliOutcome {
  code: number;
  stdoutLength: number;
  /** The first 2,000 characters of standard error. */
  stderr: string;
  /** Standard output parses as one JSON document (checked only when asked). */
  json?: boolean;
}

/** Worker side: one message in, one outcome out. */
function serve(): void {
  // Loaded here, not at the top: the test thread needs only `CliWorker`.
  const { run } = require('../../src/cli/main') as typeof import('../../src/cli/main');
  // The test thread owns this directory and removes it, also after terminating the worker.
  const root = (workerData as { root: string }).root;
  let n = 0;
  parentPort!.on('message', async (message: { id: number; test: CliCase; checkJson: boolean }) => {
    const dir = join(root, String(n++));
    mkdirSync(dir);
    try {
      for (const [name, content] of Object.entries(message.test.files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      let out = '';
      let err = '';
      const code = await run(message.test.argv, {
        stdout: (t) => void (out += t),
        stderr: (t) => void (err += t),
        cwd: dir,
        env: { NO_COLOR: '1' },
        isTTY: false,
      });
      const outcome: CliOutcome = { code, stdoutLength: out.length, stderr: err.slice(0, 2000) };
      if (message.checkJson) {
        try {
          JSON.parse(out);
          outcome.json = true;
        } catch {
          outcome.json = false;
        }
      }
      parentPort!.postMessage({ id: message.id, outcome });
    } catch (error) {
      parentPort!.postMessage({ id: message.id, error: String((error as Error)?.stack ?? error) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (!isMainThread && parentPort) serve();

export type CaseResult = { outcome: CliOutcome } | { timedOut: true } | { crashed: string };

/** Test side: a worker that runs cases one at a time, each within `timeoutMs`. */
export class CliWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private root: string | undefined;
  private started = 0;

  constructor(private readonly memoryMb: number) {}

  private start(): Worker {
    this.root ??= mkdtempSync(join(tmpdir(), 'cachestack-worker-'));
    // Each worker gets a directory of its own: one that was terminated may have left a case behind.
    const root = join(this.root, `w${this.started++}`);
    mkdirSync(root);
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(__filename)});\n`;
    this.worker = new Worker(code, { eval: true, workerData: { root }, resourceLimits: { maxOldGenerationSizeMb: this.memoryMb }, stdout: true, stderr: true });
    return this.worker;
  }

  /** Runs one case; a worker that times out or dies is replaced for the next case. */
  run(test: CliCase, timeoutMs: number, checkJson = false): Promise<CaseResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      let settled = false;
      const done = (result: CaseResult, replace: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replace) {
          this.worker = undefined;
          void worker.terminate();
        }
        resolve(result);
      };
      const onMessage = (m: { id: number; outcome?: CliOutcome; error?: string }) => {
        if (m.id !== id) return;
        if (m.outcome) done({ outcome: m.outcome }, false);
        else done({ crashed: m.error ?? 'no outcome' }, true);
      };
      const onError = (error: Error) => done({ crashed: String(error.stack ?? error) }, true);
      const onExit = (code: number) => done({ crashed: `the worker exited with code ${code}` }, true);
      const timer = setTimeout(() => done({ timedOut: true }, true), timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, test, checkJson });
    });
  }

  /** Terminates the worker and removes every file the cases wrote. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }
}
