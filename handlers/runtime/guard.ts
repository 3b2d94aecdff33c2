/**
 * The warm-ping guard: wrap a handler so that the warmer's pings are answered
 * before any of the handler's own work runs.
 *
 *   export const handler = withWarmGuard(async (event: APIGatewayProxyEvent) => { ... });
 *
 * Depends only on `contract.ts`, `ping.ts` and `node:crypto`: importing the guard
 * never pulls in Redis or an AWS SDK client.
 *
 * Why the guard may hold a ping for a moment: the warmer sends `concurrency`
 * synchronous invocations at once to keep that many execution environments warm.
 * Lambda routes an invocation to any idle environment of the function, so if the
 * first ping is answered in a millisecond, the second, arriving a few
 * milliseconds later, may be served by the same environment and only one stays
 * warm. Each ping therefore carries `holdMs` (the warmer sets it when it sends more
 * than one ping per target) and the guard keeps its environment busy that long
 * before it answers. The hold is bounded three times: by `maxHoldMs` (default
 * 250 ms), by `MAX_HOLD_MS` (1 s) whatever the options say, and by the time the
 * invocation has left (`context.getRemainingTimeInMillis()` less a 100 ms margin).
 * A ping without `holdMs` is answered at once.
 */
import { randomBytes } from 'node:crypto';
import { isWarmPing, type WarmPing } from './contract';
import { MAX_HOLD_MS, requestedHoldMs, type WarmPingReply } from './ping';

export type { WarmPingReply } from './ping';

/** The part of the Lambda context object the guard reads; the real `Context` satisfies it. */
export interface GuardContext {
  getRemainingTimeInMillis?: () => number;
}

export interface WarmGuardOptions {
  /**
   * Longest time a ping may hold the environment, in ms (capped at 1000).
   * @default 250
   */
  maxHoldMs?: number;
  /**
   * Work that makes the environment ready for real traffic, run on every ping
   * inside the hold (e.g. `() => cache.connect()` to open the Redis connection and
   * read its auth token before the first user request needs them). It should be
   * idempotent and cheap once done. It is bounded by the invocation's remaining
   * time; a failure is logged and the ping is still answered.
   * @default no priming
   */
  prime?: () => unknown;
}

/** Random id of this execution environment, fixed when the module first loads. */
export const INSTANCE_ID: string = randomBytes(6).toString('hex');

const SAFETY_MARGIN_MS = 100;
let invocations = 0;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) resolve();
    else setTimeout(resolve, ms);
  });

function remainingBudgetMs(context: GuardContext | undefined): number {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Infinity;
  return Math.max(0, remaining - SAFETY_MARGIN_MS);
}

async function runPrime(prime: () => unknown, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(prime),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, budgetMs === Infinity ? 2 ** 31 - 1 : budgetMs);
      }),
    ]);
  } catch (err) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'warm ping: prime failed', error: err instanceof Error ? err.message : String(err) }));
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Answer a warm ping: hold (bounded), prime, reply. */
async function answerWarmPing(ping: WarmPing, context?: GuardContext, options: WarmGuardOptions = {}): Promise<WarmPingReply> {
  const started = Date.now();
  const cold = invocations === 1;
  const budget = remainingBudgetMs(context);
  const maxHold = Math.min(options.maxHoldMs ?? 250, MAX_HOLD_MS);
  const hold = Math.min(requestedHoldMs(ping, maxHold), budget);
  const work: Promise<void>[] = [sleep(hold)];
  if (options.prime) work.push(runPrime(options.prime, budget));
  await Promise.all(work);
  return { source: ping.source, warm: true, instance: INSTANCE_ID, cold, heldMs: Date.now() - started };
}

/**
 * Wrap an async handler so that a warm ping (`isWarmPing(event)`) is answered with
 * a `WarmPingReply` and never reaches it. Any other event goes to the handler
 * unchanged. Callback-style handlers are not supported (Node.js 24 drops them).
 */
export function withWarmGuard<E, R, C extends GuardContext = GuardContext>(
  handler: (event: E, context: C) => Promise<R>,
  options: WarmGuardOptions = {},
): (event: E | WarmPing, context: C) => Promise<R | WarmPingReply> {
  return async (event, context) => {
    invocations++;
    if (isWarmPing(event)) return answerWarmPing(event, context, options);
    return handler(event as E, context);
  };
}
