/**
 * The warm-ping conversation between the warmer and the guard, on top of the
 * marker in `contract.ts`. No dependencies: both the warmer and every guarded
 * handler bundle it.
 *
 * The warmer sends `{ source: WARM_PING_MARKER, run, holdMs }`; the guard answers
 * with a `WarmPingReply`, which tells the warmer which execution environment
 * served the ping and whether that was its first invocation (a cold start).
 */
import { isWarmPing, WARM_PING_MARKER, type WarmPing } from './contract';

/** Longest hold a guard grants, whatever a ping asks for. */
export const MAX_HOLD_MS = 1000;

/** A warm ping with the warmer's hint on how long to keep the environment busy. */
export interface WarmPingRequest extends WarmPing {
  /**
   * How long the receiving handler should stay busy before it answers, so that
   * the other pings of the same run, sent at the same moment, cannot be served by
   * this environment and each lands in an environment of its own. 0 when the
   * warmer sends a single ping per target.
   */
  holdMs?: number;
}

/** What a guarded handler returns to a warm ping. */
export interface WarmPingReply {
  source: typeof WARM_PING_MARKER;
  warm: true;
  /** Random id of the execution environment (one per container, fixed at its first load). */
  instance: string;
  /** True when this ping was the first invocation the environment served. */
  cold: boolean;
  /** Milliseconds the guard held the environment before answering. */
  heldMs: number;
}

export function warmPing(run: string, holdMs: number): WarmPingRequest {
  return { source: WARM_PING_MARKER, run, holdMs };
}

/** The hold a ping asks for, clamped to `0..maxHoldMs`; 0 when it asks for none. */
export function requestedHoldMs(ping: WarmPing, maxHoldMs: number = MAX_HOLD_MS): number {
  const raw = (ping as WarmPingRequest).holdMs;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) return 0;
  return Math.min(Math.floor(raw), Math.max(0, maxHoldMs));
}

export function isWarmPingReply(value: unknown): value is WarmPingReply {
  return (
    isWarmPing(value) &&
    (value as { warm?: unknown }).warm === true &&
    typeof (value as { instance?: unknown }).instance === 'string'
  );
}
