/**
 * One warmer run: `concurrency` overlapping synchronous invocations per target,
 * every one of them ended by a deadline that lies inside the warmer's own
 * timeout, and a summary per target.
 *
 * Imports only the Lambda client (left external when bundled: the Lambda Node.js
 * runtime provides it) and the kit's dependency-free ping and contract modules.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { setMaxListeners } from 'node:events';
import type { WarmerInput } from '../runtime/contract';
import { isWarmPingReply, warmPing } from '../runtime/ping';

/** Hold each ping asks for when a target gets more than one (see guard.ts). */
export const DEFAULT_HOLD_MS = 150;

export interface PingError {
  /** `timeout`, `function error (Unhandled)`, or the SDK error name (`TooManyRequestsException`, ...). */
  reason: string;
  count: number;
  /** The message of the first error with this reason. */
  example: string;
}

export interface TargetSummary {
  name: string;
  functionArn: string;
  pinged: number;
  succeeded: number;
  failed: number;
  /** From the first ping sent to the last one settled. */
  durationMs: number;
  /** Distinct execution environments that answered (from the guard's replies). */
  environments: number;
  /** Pings that were the first invocation of their environment. */
  coldStarts: number;
  /** Successful pings whose reply was not the guard's: the handler is not wrapped in `withWarmGuard`. */
  unguarded: number;
  errors: PingError[];
}

export interface WarmerSummary {
  msg: 'warmer run';
  run: string;
  concurrency: number;
  /** Deadline each ping had, in ms from the start of the run. */
  timeoutMs: number;
  pinged: number;
  succeeded: number;
  failed: number;
  durationMs: number;
  targets: TargetSummary[];
}

export interface WarmOptions {
  client: LambdaClient;
  /** Time the run may take at most, in ms (the function's remaining time less a margin). */
  budgetMs: number;
  /** Identifies the run in the pings and the summary. @default a random id */
  run?: string;
  /** Hold each ping asks for when `concurrency > 1`. @default DEFAULT_HOLD_MS */
  holdMs?: number;
}

/** The warmer's event did not have the shape synthesis writes. */
export class WarmerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarmerInputError';
  }
}

/** Check the event against `WarmerInput`; throws `WarmerInputError` naming what is wrong. */
export function parseWarmerInput(event: unknown): WarmerInput {
  if (typeof event !== 'object' || event === null) throw new WarmerInputError(`warmer event must be an object, got ${JSON.stringify(event)}`);
  const { targets, concurrency, timeoutMs } = event as Record<string, unknown>;
  if (!Array.isArray(targets)) throw new WarmerInputError(`warmer event needs a \`targets\` list, got ${JSON.stringify(targets)}`);
  targets.forEach((t, i) => {
    const target = t as Record<string, unknown> | null;
    if (typeof target?.name !== 'string' || typeof target?.functionArn !== 'string' || target.functionArn === '') {
      throw new WarmerInputError(`warmer event targets[${i}] must be { name, functionArn } strings, got ${JSON.stringify(t)}`);
    }
  });
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new WarmerInputError(`warmer event \`concurrency\` must be a whole number >= 1, got ${JSON.stringify(concurrency)}`);
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new WarmerInputError(`warmer event \`timeoutMs\` must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}`);
  }
  return event as WarmerInput;
}

function reasonOf(err: unknown, timedOut: boolean): { reason: string; message: string } {
  const e = err as { name?: string; code?: string; message?: string };
  const message = e?.message ?? String(err);
  if (timedOut || e?.name === 'AbortError') return { reason: 'timeout', message };
  return { reason: e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error'), message };
}

type PingOutcome =
  | { ok: true; instance?: string; cold: boolean }
  | { ok: false; reason: string; message: string };

async function ping(client: LambdaClient, functionArn: string, payload: Uint8Array, signal: AbortSignal, deadline: { passed: boolean }): Promise<PingOutcome> {
  try {
    const out = await client.send(
      new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: payload }),
      { abortSignal: signal },
    );
    const body = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) {
      return { ok: false, reason: `function error (${out.FunctionError})`, message: body.slice(0, 300) };
    }
    let reply: unknown;
    try {
      reply = body ? JSON.parse(body) : undefined;
    } catch {
      reply = undefined;
    }
    return isWarmPingReply(reply) ? { ok: true, instance: reply.instance, cold: reply.cold } : { ok: true, cold: false };
  } catch (err) {
    return { ok: false, ...reasonOf(err, deadline.passed) };
  }
}

async function warmTarget(client: LambdaClient, target: WarmerInput['targets'][number], concurrency: number, payload: Uint8Array, signal: AbortSignal, deadline: { passed: boolean }): Promise<TargetSummary> {
  const started = Date.now();
  const outcomes = await Promise.all(Array.from({ length: concurrency }, () => ping(client, target.functionArn, payload, signal, deadline)));
  const summary: TargetSummary = {
    name: target.name,
    functionArn: target.functionArn,
    pinged: concurrency,
    succeeded: 0,
    failed: 0,
    durationMs: Date.now() - started,
    environments: 0,
    coldStarts: 0,
    unguarded: 0,
    errors: [],
  };
  const instances = new Set<string>();
  const errors = new Map<string, PingError>();
  for (const o of outcomes) {
    if (o.ok) {
      summary.succeeded++;
      if (o.instance === undefined) summary.unguarded++;
      else instances.add(o.instance);
      if (o.cold) summary.coldStarts++;
    } else {
      summary.failed++;
      const e = errors.get(o.reason);
      if (e) e.count++;
      else errors.set(o.reason, { reason: o.reason, count: 1, example: o.message });
    }
  }
  summary.environments = instances.size;
  summary.errors = [...errors.values()].sort((a, b) => (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return summary;
}

/**
 * Ping every target `concurrency` times at once. A target that fails or hangs
 * does not hold up the others: every ping is aborted at
 * `min(input.timeoutMs, budgetMs)`, so the run ends inside the budget. Never throws
 * for a failed ping; the summary counts it.
 */
export async function warm(input: WarmerInput, options: WarmOptions): Promise<WarmerSummary> {
  const started = Date.now();
  const run = options.run ?? `${new Date(started).toISOString()}/${Math.random().toString(36).slice(2, 10)}`;
  const timeoutMs = Math.max(1, Math.floor(Math.min(input.timeoutMs ?? Infinity, options.budgetMs)));
  const holdMs = input.concurrency > 1 ? (options.holdMs ?? DEFAULT_HOLD_MS) : 0;
  const payload = Buffer.from(JSON.stringify(warmPing(run, holdMs)));
  const controller = new AbortController();
  // every ping of the run listens on this one signal
  setMaxListeners(input.targets.length * input.concurrency + 10, controller.signal);
  const deadline = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    controller.abort();
  }, timeoutMs);
  let targets: TargetSummary[];
  try {
    targets = await Promise.all(input.targets.map((t) => warmTarget(options.client, t, input.concurrency, payload, controller.signal, deadline)));
  } finally {
    clearTimeout(timer);
  }
  const sum = (k: 'pinged' | 'succeeded' | 'failed') => targets.reduce((n, t) => n + t[k], 0);
  return {
    msg: 'warmer run',
    run,
    concurrency: input.concurrency,
    timeoutMs,
    pinged: sum('pinged'),
    succeeded: sum('succeeded'),
    failed: sum('failed'),
    durationMs: Date.now() - started,
    targets,
  };
}
