/**
 * The alarm and cost part of `diff`, kept out of diff.ts: an alarm removed
 * (including by turning alarms off or disabling its kind) or loosened (a higher
 * "above" threshold, a lower "below" one) is flagged `security`, since a failure
 * it used to report now goes unnoticed. A new or tightened alarm is listed
 * unflagged. The monthly cost estimate of both sides gives the delta that
 * `--fail-on cost:+N` gates on.
 */
import type { ServiceModel } from '../config/model';
import { summarizeAlarms, type AlarmSummary } from './alarms';
import { estimateCost } from './cost';
import type { Change } from './diff';

function change(a: AlarmSummary, action: Change['action'], field: string | null, before: unknown, after: unknown, message: string, flagged: boolean): Change {
  return { subject: 'alarm', name: a.id, action, field, before, after, message, flags: flagged ? ['security'] : [], dataLoss: false, direction: null, rule: null };
}

export function diffAlarms(base: ServiceModel, head: ServiceModel): Change[] {
  const before = new Map(summarizeAlarms(base).map((a) => [a.id, a]));
  const after = new Map(summarizeAlarms(head).map((a) => [a.id, a]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const why = head.alarms === undefined ? ' (`alarms` removed)' : !head.alarms.enabled ? ' (alarms turned off)' : '';
  const out: Change[] = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b && !a) {
      const disabled = head.alarms?.enabled && head.alarms.disable.includes(b.kind) ? ` (\`${b.kind}\` disabled)` : why;
      out.push(change(b, 'remove', null, b.condition, null, `alarm removed${disabled}: ${b.subject} no longer alarms when ${b.measure} ${b.condition}`, true));
    } else if (!b && a) {
      out.push(change(a, 'add', null, null, a.condition, `alarm added: ${a.subject}, ${a.measure} ${a.condition}`, false));
    } else if (a && b && a.threshold !== b.threshold) {
      const looser = a.comparison === 'GreaterThanThreshold' ? a.threshold > b.threshold : a.threshold < b.threshold;
      out.push(
        change(a, 'update', 'threshold', b.threshold, a.threshold, `alarm ${looser ? 'loosened' : 'tightened'}: ${a.subject}, ${a.measure} ${b.condition} → ${a.condition}`, looser),
      );
    }
  }
  return out;
}

export interface CostDelta {
  beforeUsd: number | null;
  afterUsd: number | null;
  /** After minus before (a missing side counts 0), rounded to cents. */
  deltaUsd: number;
  /** False when either side has an item the price table cannot price. */
  complete: boolean;
}

export function costDelta(base: ServiceModel | undefined, head: ServiceModel | undefined): CostDelta {
  const b = base ? estimateCost(base) : undefined;
  const h = head ? estimateCost(head) : undefined;
  return {
    beforeUsd: b ? b.totalUsd : null,
    afterUsd: h ? h.totalUsd : null,
    deltaUsd: Math.round(((h?.totalUsd ?? 0) - (b?.totalUsd ?? 0)) * 100) / 100,
    complete: (b?.complete ?? true) && (h?.complete ?? true),
  };
}
