/**
 * The warmer Lambda. EventBridge invokes it on the YAML's `warmer.schedule` with a
 * `WarmerInput` (targets = the aliases of the `warm: true` handlers, and the
 * concurrency); it pings each target `concurrency` times at once and logs one
 * JSON summary line, which it also returns.
 *
 * The Lambda client is built once per container with the kit's keep-alive agents
 * (connect timeout and socket cap from the CACHESTACK_HTTP_* variables). Two
 * settings differ from a user handler's on purpose:
 * - one attempt per ping (no SDK retries): a retried ping would arrive after its
 *   siblings were answered and could not hold an environment of its own, and
 *   retries would eat into the run's deadline;
 * - no per-request timeout in the HTTP handler: a ping to a cold function waits
 *   for its init, so the run's deadline (the function's remaining time less a
 *   margin, or the input's `timeoutMs` if shorter) ends pings instead.
 * The agents' socket cap is raised to the number of pings of a run when that is
 * higher, so that all of them really overlap.
 *
 * The directive below makes the bundle the same wherever cachestack runs from:
 * esbuild applies tsconfig.json's `strict` (a `"use strict"` at the top of the
 * bundle) to files in a checkout but ignores tsconfig files under node_modules.
 */
'use strict';

import { LambdaClient } from '@aws-sdk/client-lambda';
import { keepAliveAgents } from '../runtime/sdk';
import { handlerSettings } from '../runtime/settings';
import { parseWarmerInput, warm, type WarmerSummary } from './warm';

export type { WarmerSummary, TargetSummary } from './warm';

const settings = handlerSettings();
const agents = keepAliveAgents(settings.http);
const client = new LambdaClient({
  requestHandler: { ...agents, connectionTimeout: settings.http.connectTimeoutMs },
  maxAttempts: 1,
});

/** Margin kept between the end of the run and the function's timeout. */
function marginMs(remainingMs: number): number {
  return Math.min(2000, Math.max(200, Math.floor(remainingMs * 0.1)));
}

export async function handler(event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<WarmerSummary> {
  const input = parseWarmerInput(event);
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 30_000;
  const pings = input.targets.length * input.concurrency;
  for (const agent of [agents.httpAgent, agents.httpsAgent]) {
    if (agent.maxSockets < pings) agent.maxSockets = pings;
  }
  const summary = await warm(input, { client, budgetMs: Math.max(1, remaining - marginMs(remaining)) });
  console.log(JSON.stringify(summary));
  return summary;
}
