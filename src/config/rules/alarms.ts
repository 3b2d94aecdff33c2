/**
 * Rule 18: alarms that can fire, on resources of this stack.
 *
 * What:
 * - `alarm-threshold-range` (error): a threshold in `alarms.thresholds`, or
 *   `alarms.latencyFactor`, lies outside what its metric can take (a percentage
 *   above 100, a negative count): such an alarm never fires, or always does.
 * - `alarm-kind-unknown` (error): `alarms.disable` names no standard alarm kind,
 *   so the alarm meant to be left out would still be created.
 * - `alarm-notify-conflict` (error): `notify` gives both `email` and `topicArn`.
 * - `alarm-without-notify` (warning): alarms are on but `notify` is missing; they
 *   change state with nobody told.
 * - `alarm-without-subject` (warning): a threshold is written for a kind that has
 *   nothing to watch in this stack (a redis threshold without `redis`): the
 *   dimensions of every alarm name resources of the same stack, so none is made.
 * - `alarm-cdn-topic-region` (warning): the `cdn-5xx` alarm lives in us-east-1
 *   (where CloudFront's metrics are) and may only notify a topic there; with
 *   `notify.topicArn` in another region it is made without actions.
 */
import { ALARM_KINDS, ALARM_THRESHOLDS, LATENCY_FACTOR_RANGE, type AlarmKind, type AlarmThresholdKey } from '../constants';
import type { ServiceModel } from '../model';
import type { Rule } from './types';
import { didYouMean } from './util';

/** Whether the stack has something an alarm of `kind` watches. */
export function kindHasSubject(model: ServiceModel, kind: AlarmKind): boolean {
  const endpoints = model.restApi?.endpoints ?? [];
  switch (kind) {
    case 'api-5xx':
      return model.restApi !== undefined;
    case 'api-latency':
      return endpoints.some((e) => e.latencyTargetMs !== undefined);
    case 'api-cache-hit-rate':
      return endpoints.some((e) => e.cache !== undefined);
    case 'appsync-5xx':
    case 'appsync-latency':
      return model.graphqlApi !== undefined;
    case 'lambda-errors':
    case 'lambda-throttles':
    case 'lambda-duration':
      return model.handlers.length > 0;
    case 'lambda-spillover':
      return model.handlers.some((h) => h.provisionedConcurrency > 0);
    case 'redis-cpu':
    case 'redis-memory':
    case 'redis-evictions':
    case 'redis-connections':
    case 'redis-hit-rate':
      return model.redis.length > 0;
    case 'dax-cpu':
    case 'dax-hit-rate':
      return model.dax.length > 0;
    case 'pool-exhaustion':
      return model.handlers.some((h) => h.connections.redis !== undefined);
    case 'cdn-5xx':
      return model.cdn !== undefined;
  }
}

function rangeText(spec: { min: number; max: number; minInclusive: boolean }): string {
  return `${spec.minInclusive ? 'from' : 'above'} ${spec.min} ${spec.minInclusive ? 'to' : 'up to'} ${spec.max}`;
}

export const alarmsRule: Rule = {
  id: 'alarms',
  meta: [
    { code: 'alarm-threshold-range', severity: 'error', description: 'an alarm threshold (or `alarms.latencyFactor`) is outside the range its metric can take.', specRule: 18 },
    { code: 'alarm-kind-unknown', severity: 'error', description: '`alarms.disable` names a kind that is not a standard alarm kind.', specRule: 18 },
    { code: 'alarm-notify-conflict', severity: 'error', description: '`alarms.notify` gives both `email` and `topicArn`; give one.', specRule: 18 },
    { code: 'alarm-without-notify', severity: 'warning', description: 'alarms are on but `alarms.notify` is missing, so nobody is told when one fires.', specRule: 18 },
    { code: 'alarm-cdn-topic-region', severity: 'warning', description: 'the CloudFront alarm is made in us-east-1 and cannot notify `alarms.notify.topicArn` of another region, so it fires silently.', specRule: 18 },
    { code: 'alarm-without-subject', severity: 'warning', description: 'a threshold is set for an alarm kind that watches nothing in this stack, so no alarm is made from it.', specRule: 18 },
  ],
  check(ctx) {
    const alarms = ctx.model.alarms;
    if (!alarms) return;
    for (const key of Object.keys(ALARM_THRESHOLDS) as AlarmThresholdKey[]) {
      const spec = ALARM_THRESHOLDS[key];
      const value = alarms.thresholds[key];
      const path = ['alarms', 'thresholds', key];
      const low = spec.minInclusive ? value < spec.min : value <= spec.min;
      if (low || value > spec.max) {
        ctx.report({
          code: 'alarm-threshold-range',
          path,
          message: `\`${key}: ${value}\` is outside the range of its metric (${spec.unit}, ${rangeText(spec)})`,
          hint: `set a value ${rangeText(spec)}, or leave it out for the default ${spec.default}`,
        });
      } else if (ctx.written(path) && !kindHasSubject(ctx.model, spec.kind)) {
        ctx.report({
          code: 'alarm-without-subject',
          path,
          message: `\`${key}\` sets the \`${spec.kind}\` alarm, but this stack has nothing it watches, so no alarm is made`,
          hint: `remove \`${key}\`, or add what the alarm watches (see the alarm table in docs/config.md)`,
        });
      }
    }
    const f = alarms.latencyFactor;
    if (!(f >= LATENCY_FACTOR_RANGE.min && f <= LATENCY_FACTOR_RANGE.max)) {
      ctx.report({
        code: 'alarm-threshold-range',
        path: ['alarms', 'latencyFactor'],
        message: `\`latencyFactor: ${f}\` is outside ${LATENCY_FACTOR_RANGE.min} to ${LATENCY_FACTOR_RANGE.max}; below 1 the latency alarm fires while the endpoint meets its target`,
        hint: `set a factor from ${LATENCY_FACTOR_RANGE.min} to ${LATENCY_FACTOR_RANGE.max} (default ${LATENCY_FACTOR_RANGE.default})`,
      });
    }
    alarms.disable.forEach((kind, i) => {
      if (!(ALARM_KINDS as readonly string[]).includes(kind)) {
        const guess = didYouMean(kind, ALARM_KINDS, (c) => `\`${c}\``);
        ctx.report({
          code: 'alarm-kind-unknown',
          path: ['alarms', 'disable', i],
          message: `\`${kind}\` is not a standard alarm kind, so nothing is left out`,
          hint: guess ?? `use one of: ${ALARM_KINDS.join(', ')}`,
        });
      }
    });
    const notify = writtenNotify(ctx.raw, ctx.environment);
    if (notify.email && notify.topicArn) {
      ctx.report({
        code: 'alarm-notify-conflict',
        path: ['alarms', 'notify', 'topicArn'],
        message: '`alarms.notify` gives both `email` and `topicArn`; alarms notify one topic',
        hint: 'keep `topicArn` to notify an existing topic, or `email` to have cachestack create one with these subscriptions',
      });
    } else if (alarms.enabled && alarms.notify && 'topicArn' in alarms.notify && ctx.model.cdn && !alarms.disable.includes('cdn-5xx')) {
      const region = alarms.notify.topicArn.split(':')[3];
      if (region !== 'us-east-1') {
        ctx.report({
          code: 'alarm-cdn-topic-region',
          path: ['alarms', 'notify', 'topicArn'],
          message: `the CloudFront 5xx alarm is made in us-east-1, where CloudFront's metrics are, and cannot notify a topic in \`${region}\`; it would fire with nobody told`,
          hint: 'use `notify: { email: [...] }` (cachestack then makes a topic in us-east-1 for it), a topic in us-east-1, or `disable: [cdn-5xx]`',
        });
      }
    } else if (alarms.enabled && !alarms.notify) {
      ctx.report({
        code: 'alarm-without-notify',
        path: ['alarms'],
        message: 'alarms are on but `alarms.notify` is missing; they change state with nobody told',
        hint: 'add `notify: { email: [you@example.com] }` or `notify: { topicArn: arn:aws:sns:... }`',
      });
    }
  },
};

/** Which notify forms the merged config writes (the model keeps only one). */
function writtenNotify(raw: { alarms?: { notify?: { email?: unknown; topicArn?: unknown } }; environments?: Record<string, unknown> }, env: string | undefined): { email: boolean; topicArn: boolean } {
  const base = raw.alarms?.notify;
  const overlay = env !== undefined ? (raw.environments?.[env] as { alarms?: { notify?: { email?: unknown; topicArn?: unknown } } } | undefined)?.alarms?.notify : undefined;
  return {
    email: (overlay?.email ?? base?.email) !== undefined,
    topicArn: (overlay?.topicArn ?? base?.topicArn) !== undefined,
  };
}
