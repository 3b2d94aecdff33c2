/**
 * The standard alarm set of one environment, as data: which alarms the model
 * gets, on what, with which metric, statistic, period, threshold and missing-data
 * treatment. Synthesis (`src/infra/alarms.ts`) turns each into an
 * aws_cloudwatch_metric_alarm, resolving every dimension to an attribute of a
 * resource of the same stack; `explain` lists them and `diff` compares them.
 *
 * Dimensions are references, never names typed twice: `{ ref: 'restApiName' }`
 * becomes the stack's own REST API's `name`, `{ ref: 'redisNode', ... }` a member
 * cluster id built from the stack's own replication group's id.
 *
 * No cdktf import: explain and diff use this module.
 */
import { ALARM_KINDS, ALARM_THRESHOLDS, type AlarmKind, type AlarmThresholdKey } from '../config/constants';
import type { Endpoint, RedisCache, ServiceModel } from '../config/model';

/** Namespace of the runtime kit's own EMF metrics (docs/handlers.md). */
export const EMF_NAMESPACE = 'cachestack';

export type DimensionRef =
  | { ref: 'restApiName' }
  | { ref: 'restStage' }
  | { ref: 'restMethod'; method: string; path: string }
  | { ref: 'restResource'; method: string; path: string }
  | { ref: 'graphqlApiId' }
  | { ref: 'functionName'; handler: string }
  | { ref: 'aliasResource'; handler: string }
  | { ref: 'redisNode'; cache: string; nodeSuffix: string }
  | { ref: 'daxCluster'; cluster: string }
  | { ref: 'cdnDistribution' }
  | { ref: 'literal'; value: string };

/** CloudFront publishes its metrics in us-east-1 only, with the dimension Region=Global. */
export const CDN_METRICS_REGION = 'us-east-1';

export interface PlannedMetric {
  id: string;
  namespace: string;
  metricName: string;
  /** `Sum`, `Average`, `Maximum`, or a percentile such as `p95`. */
  stat: string;
  dimensions: Record<string, DimensionRef>;
}

export type Comparison = 'GreaterThanThreshold' | 'LessThanThreshold';
export type MissingData = 'notBreaching' | 'breaching' | 'missing' | 'ignore';

export interface PlannedAlarm {
  kind: AlarmKind;
  /** Unique within the stack; the construct id and the alarm name suffix. */
  id: string;
  /** What it watches, for people: `GET /users/{id}`, `handler api`, `redis main node 0001-001`. */
  subject: string;
  /** One metric, or several and an expression (metric math) whose result is compared. */
  metrics: PlannedMetric[];
  expression?: string;
  /** What the compared value is, for the alarm description. */
  measure: string;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: Comparison;
  threshold: number;
  unit: string;
  treatMissingData: MissingData;
}

/** Per kind: what docs/config.md's alarm table says; the planner below follows it. */
export interface AlarmKindDoc {
  kind: AlarmKind;
  what: string;
  metric: string;
  statistic: string;
  period: string;
  threshold: string;
  dimensions: string;
  missingData: MissingData;
}

export const ALARM_KIND_DOCS: readonly AlarmKindDoc[] = [
  { kind: 'api-5xx', what: 'the stage, and each endpoint with `latencyTargetMs`', metric: 'AWS/ApiGateway `100 * 5XXError / Count` (metric math)', statistic: 'Sum', period: '5 min, 1 of 1', threshold: 'above `apiErrorRatePercent` (1)', dimensions: 'ApiName, Stage (+ Method, Resource per endpoint)', missingData: 'notBreaching' },
  { kind: 'api-latency', what: 'each endpoint with `latencyTargetMs`', metric: 'AWS/ApiGateway `Latency`', statistic: 'p95', period: '5 min, 1 of 1', threshold: 'above `latencyFactor` (2) x `latencyTargetMs`', dimensions: 'ApiName, Stage, Method, Resource', missingData: 'notBreaching' },
  { kind: 'api-cache-hit-rate', what: 'each cached endpoint', metric: 'AWS/ApiGateway `100 * CacheHitCount / (CacheHitCount + CacheMissCount)`', statistic: 'Sum', period: '5 min, 3 of 3', threshold: 'below `apiCacheHitRatePercent` (60)', dimensions: 'ApiName, Stage, Method, Resource', missingData: 'notBreaching' },
  { kind: 'appsync-5xx', what: 'the GraphQL API', metric: 'AWS/AppSync `100 * 5XXError / Requests`', statistic: 'Sum', period: '5 min, 1 of 1', threshold: 'above `appsyncErrorRatePercent` (1)', dimensions: 'GraphQLAPIId', missingData: 'notBreaching' },
  { kind: 'appsync-latency', what: 'the GraphQL API', metric: 'AWS/AppSync `Latency`', statistic: 'p95', period: '5 min, 1 of 1', threshold: 'above `appsyncLatencyMs` (1000)', dimensions: 'GraphQLAPIId', missingData: 'notBreaching' },
  { kind: 'lambda-errors', what: 'each handler', metric: 'AWS/Lambda `100 * Errors / Invocations`', statistic: 'Sum', period: '5 min, 1 of 1', threshold: 'above `lambdaErrorRatePercent` (1)', dimensions: 'FunctionName', missingData: 'notBreaching' },
  { kind: 'lambda-throttles', what: 'each handler', metric: 'AWS/Lambda `Throttles`', statistic: 'Sum', period: '5 min, 1 of 1', threshold: 'above `lambdaThrottles` (0)', dimensions: 'FunctionName', missingData: 'notBreaching' },
  { kind: 'lambda-duration', what: 'each handler', metric: 'AWS/Lambda `Duration`', statistic: 'p95', period: '5 min, 1 of 1', threshold: 'above `lambdaDurationPercentOfTimeout` (80) % of `timeoutSeconds`', dimensions: 'FunctionName', missingData: 'notBreaching' },
  { kind: 'lambda-spillover', what: 'each handler with `provisionedConcurrency`', metric: 'AWS/Lambda `ProvisionedConcurrencySpilloverInvocations`', statistic: 'Sum', period: '5 min, 1 of 1', threshold: 'above `lambdaSpillover` (0)', dimensions: 'FunctionName, Resource (`<function>:live`)', missingData: 'notBreaching' },
  { kind: 'redis-cpu', what: 'each node of each redis cache', metric: 'AWS/ElastiCache `EngineCPUUtilization`', statistic: 'Average', period: '1 min, 5 of 5', threshold: 'above `redisCpuPercent` (80)', dimensions: 'CacheClusterId (the member cluster of the node)', missingData: 'breaching' },
  { kind: 'redis-memory', what: 'each node of each redis cache', metric: 'AWS/ElastiCache `DatabaseMemoryUsagePercentage`', statistic: 'Average', period: '1 min, 5 of 5', threshold: 'above `redisMemoryPercent` (80)', dimensions: 'CacheClusterId', missingData: 'breaching' },
  { kind: 'redis-evictions', what: 'each node of each redis cache', metric: 'AWS/ElastiCache `Evictions`', statistic: 'Sum', period: '1 min, 5 of 5', threshold: 'above `redisEvictionsPerMinute` (100)', dimensions: 'CacheClusterId', missingData: 'notBreaching' },
  { kind: 'redis-connections', what: 'each node of each redis cache', metric: 'AWS/ElastiCache `CurrConnections`', statistic: 'Maximum', period: '1 min, 5 of 5', threshold: 'above `redisConnections` (1000)', dimensions: 'CacheClusterId', missingData: 'notBreaching' },
  { kind: 'redis-hit-rate', what: 'each node of each redis cache', metric: 'AWS/ElastiCache `CacheHitRate`', statistic: 'Average', period: '5 min, 3 of 3', threshold: 'below `redisHitRatePercent` (60)', dimensions: 'CacheClusterId', missingData: 'notBreaching' },
  { kind: 'dax-cpu', what: 'each DAX cluster', metric: 'AWS/DAX `CPUUtilization`', statistic: 'Average', period: '1 min, 5 of 5', threshold: 'above `daxCpuPercent` (80)', dimensions: 'ClusterId', missingData: 'breaching' },
  { kind: 'dax-hit-rate', what: 'each DAX cluster', metric: 'AWS/DAX `100 * ItemCacheHits / (ItemCacheHits + ItemCacheMisses)`', statistic: 'Sum', period: '5 min, 3 of 3', threshold: 'below `daxHitRatePercent` (60)', dimensions: 'ClusterId', missingData: 'notBreaching' },
  { kind: 'pool-exhaustion', what: 'each handler with a redis connection', metric: `${EMF_NAMESPACE} \`PoolWaiters\` (the runtime kit's EMF)`, statistic: 'Maximum', period: '1 min, 3 of 3', threshold: 'above `poolWaiters` (0)', dimensions: 'FunctionName', missingData: 'notBreaching' },
  { kind: 'cdn-5xx', what: 'the `cdn` distribution', metric: 'AWS/CloudFront `5xxErrorRate` (in us-east-1)', statistic: 'Average', period: '5 min, 1 of 1', threshold: 'above `cdnErrorRatePercent` (1)', dimensions: 'DistributionId, Region=Global', missingData: 'notBreaching' },
];

/**
 * Member cluster id suffixes of a replication group, one per node: `001`,
 * `002` ... without cluster mode; `0001-001` (shard, then node) with it. These
 * are the ids ElastiCache gives the nodes of a group it creates.
 */
export function redisNodeSuffixes(cache: Pick<RedisCache, 'shards' | 'replicasPerShard'>): string[] {
  const perShard = 1 + cache.replicasPerShard;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const out: string[] = [];
  if (cache.shards > 1) {
    for (let s = 1; s <= cache.shards; s++) for (let n = 1; n <= perShard; n++) out.push(`${pad(s, 4)}-${pad(n, 3)}`);
  } else {
    for (let n = 1; n <= perShard; n++) out.push(pad(n, 3));
  }
  return out;
}

function endpointSlug(e: Pick<Endpoint, 'method' | 'path'>): string {
  const path = e.path.replace(/[{}+]/g, '').split('/').filter(Boolean).join('-') || 'root';
  return `${e.method.toLowerCase()}-${path}`;
}

function rate(numerator: string, denominators: string[], emptyValue: number): string {
  const total = denominators.length === 1 ? denominators[0] : `(${denominators.join(' + ')})`;
  return `IF(${total} > 0, 100 * ${numerator} / ${total}, ${emptyValue})`;
}

/**
 * Every alarm the model gets, in a fixed order (kinds in `ALARM_KINDS` order,
 * then subjects in model order). Empty when `alarms` is absent or turned off.
 */
export function planAlarms(model: ServiceModel): PlannedAlarm[] {
  const a = model.alarms;
  if (!a || !a.enabled) return [];
  const off = new Set(a.disable);
  const t = (key: AlarmThresholdKey) => a.thresholds[key];
  const out: PlannedAlarm[] = [];
  const add = (alarm: PlannedAlarm) => {
    if (!off.has(alarm.kind)) out.push(alarm);
  };
  const api = model.restApi;
  const stageDims = { ApiName: { ref: 'restApiName' }, Stage: { ref: 'restStage' } } as const;
  const methodDims = (e: Endpoint): Record<string, DimensionRef> => ({ ...stageDims, Method: { ref: 'restMethod', method: e.method, path: e.path }, Resource: { ref: 'restResource', method: e.method, path: e.path } });
  const gw = 'AWS/ApiGateway';

  for (const kind of ALARM_KINDS) {
    switch (kind) {
      case 'api-5xx':
        if (!api) break;
        for (const e of [undefined, ...api.endpoints.filter((x) => x.latencyTargetMs !== undefined)]) {
          const dims = e ? methodDims(e) : stageDims;
          add({
            kind, id: e ? `api-5xx-${endpointSlug(e)}` : 'api-5xx-stage', subject: e ? `${e.method} ${e.path}` : `stage ${api.stage}`,
            metrics: [
              { id: 'errors', namespace: gw, metricName: '5XXError', stat: 'Sum', dimensions: dims },
              { id: 'requests', namespace: gw, metricName: 'Count', stat: 'Sum', dimensions: dims },
            ],
            expression: rate('errors', ['requests'], 0), measure: '5XX responses (% of requests)',
            periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', threshold: t('apiErrorRatePercent'), unit: '%', treatMissingData: 'notBreaching',
          });
        }
        break;
      case 'api-latency':
        for (const e of api?.endpoints ?? []) {
          if (e.latencyTargetMs === undefined) continue;
          add({
            kind, id: `api-latency-${endpointSlug(e)}`, subject: `${e.method} ${e.path}`,
            metrics: [{ id: 'latency', namespace: gw, metricName: 'Latency', stat: 'p95', dimensions: methodDims(e) }],
            measure: `p95 latency (target ${e.latencyTargetMs} ms x ${a.latencyFactor})`,
            periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', threshold: round(e.latencyTargetMs * a.latencyFactor), unit: 'ms', treatMissingData: 'notBreaching',
          });
        }
        break;
      case 'api-cache-hit-rate':
        for (const e of api?.endpoints ?? []) {
          if (!e.cache) continue;
          const dims = methodDims(e);
          add({
            kind, id: `api-cache-hit-rate-${endpointSlug(e)}`, subject: `${e.method} ${e.path}`,
            metrics: [
              { id: 'hits', namespace: gw, metricName: 'CacheHitCount', stat: 'Sum', dimensions: dims },
              { id: 'misses', namespace: gw, metricName: 'CacheMissCount', stat: 'Sum', dimensions: dims },
            ],
            expression: rate('hits', ['hits', 'misses'], 100), measure: 'stage-cache hit rate (%)',
            periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'LessThanThreshold', threshold: t('apiCacheHitRatePercent'), unit: '%', treatMissingData: 'notBreaching',
          });
        }
        break;
      case 'appsync-5xx':
      case 'appsync-latency': {
        if (!model.graphqlApi) break;
        const dims = { GraphQLAPIId: { ref: 'graphqlApiId' } } as const;
        const subject = `graphql api ${model.graphqlApi.name}`;
        if (kind === 'appsync-5xx') {
          add({
            kind, id: 'appsync-5xx', subject,
            metrics: [
              { id: 'errors', namespace: 'AWS/AppSync', metricName: '5XXError', stat: 'Sum', dimensions: dims },
              { id: 'requests', namespace: 'AWS/AppSync', metricName: 'Requests', stat: 'Sum', dimensions: dims },
            ],
            expression: rate('errors', ['requests'], 0), measure: '5XX errors (% of requests)',
            periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', threshold: t('appsyncErrorRatePercent'), unit: '%', treatMissingData: 'notBreaching',
          });
        } else {
          add({
            kind, id: 'appsync-latency', subject,
            metrics: [{ id: 'latency', namespace: 'AWS/AppSync', metricName: 'Latency', stat: 'p95', dimensions: dims }],
            measure: 'p95 latency', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', threshold: t('appsyncLatencyMs'), unit: 'ms', treatMissingData: 'notBreaching',
          });
        }
        break;
      }
      case 'lambda-errors':
      case 'lambda-throttles':
      case 'lambda-duration':
      case 'lambda-spillover':
      case 'pool-exhaustion':
        for (const h of model.handlers) {
          const fn = { FunctionName: { ref: 'functionName', handler: h.name } } as const;
          const base = { subject: `handler ${h.name}`, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', treatMissingData: 'notBreaching' } as const;
          if (kind === 'lambda-errors') {
            add({
              ...base, kind, id: `lambda-errors-${h.name}`,
              metrics: [
                { id: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', dimensions: fn },
                { id: 'invocations', namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum', dimensions: fn },
              ],
              expression: rate('errors', ['invocations'], 0), measure: 'errors (% of invocations)', threshold: t('lambdaErrorRatePercent'), unit: '%',
            });
          } else if (kind === 'lambda-throttles') {
            add({ ...base, kind, id: `lambda-throttles-${h.name}`, metrics: [{ id: 'throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', stat: 'Sum', dimensions: fn }], measure: 'throttled invocations', threshold: t('lambdaThrottles'), unit: 'count' });
          } else if (kind === 'lambda-duration') {
            add({
              ...base, kind, id: `lambda-duration-${h.name}`, metrics: [{ id: 'duration', namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p95', dimensions: fn }],
              measure: `p95 duration (${t('lambdaDurationPercentOfTimeout')}% of the ${h.timeoutSeconds} s timeout)`, threshold: round(h.timeoutSeconds * 10 * t('lambdaDurationPercentOfTimeout')), unit: 'ms',
            });
          } else if (kind === 'lambda-spillover') {
            if (h.provisionedConcurrency <= 0) continue;
            add({
              ...base, kind, id: `lambda-spillover-${h.name}`,
              metrics: [{ id: 'spillover', namespace: 'AWS/Lambda', metricName: 'ProvisionedConcurrencySpilloverInvocations', stat: 'Sum', dimensions: { ...fn, Resource: { ref: 'aliasResource', handler: h.name } } }],
              measure: `invocations beyond the ${h.provisionedConcurrency} provisioned`, threshold: t('lambdaSpillover'), unit: 'count',
            });
          } else {
            if (!h.connections.redis) continue;
            add({
              ...base, kind, id: `pool-exhaustion-${h.name}`, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
              metrics: [{ id: 'waiters', namespace: EMF_NAMESPACE, metricName: 'PoolWaiters', stat: 'Maximum', dimensions: fn }],
              measure: `callers waiting for one of ${h.connections.redis.poolSize} pooled redis connections`, threshold: t('poolWaiters'), unit: 'count',
            });
          }
        }
        break;
      case 'redis-cpu':
      case 'redis-memory':
      case 'redis-evictions':
      case 'redis-connections':
      case 'redis-hit-rate': {
        const spec = {
          'redis-cpu': { metric: 'EngineCPUUtilization', stat: 'Average', key: 'redisCpuPercent', cmp: 'GreaterThanThreshold', missing: 'breaching', fast: true, measure: 'engine CPU (%)' },
          'redis-memory': { metric: 'DatabaseMemoryUsagePercentage', stat: 'Average', key: 'redisMemoryPercent', cmp: 'GreaterThanThreshold', missing: 'breaching', fast: true, measure: 'memory used (%)' },
          'redis-evictions': { metric: 'Evictions', stat: 'Sum', key: 'redisEvictionsPerMinute', cmp: 'GreaterThanThreshold', missing: 'notBreaching', fast: true, measure: 'evictions per minute' },
          'redis-connections': { metric: 'CurrConnections', stat: 'Maximum', key: 'redisConnections', cmp: 'GreaterThanThreshold', missing: 'notBreaching', fast: true, measure: 'open connections' },
          'redis-hit-rate': { metric: 'CacheHitRate', stat: 'Average', key: 'redisHitRatePercent', cmp: 'LessThanThreshold', missing: 'notBreaching', fast: false, measure: 'hit rate (%)' },
        } as const;
        const s = spec[kind];
        for (const c of model.redis) {
          for (const node of redisNodeSuffixes(c)) {
            add({
              kind, id: `${kind}-${c.name}-${node}`, subject: `redis ${c.name} node ${node}`,
              metrics: [{ id: 'm', namespace: 'AWS/ElastiCache', metricName: s.metric, stat: s.stat, dimensions: { CacheClusterId: { ref: 'redisNode', cache: c.name, nodeSuffix: node } } }],
              measure: s.measure, periodSeconds: s.fast ? 60 : 300, evaluationPeriods: s.fast ? 5 : 3, datapointsToAlarm: s.fast ? 5 : 3,
              comparison: s.cmp, threshold: t(s.key), unit: ALARM_THRESHOLDS[s.key].unit, treatMissingData: s.missing,
            });
          }
        }
        break;
      }
      case 'cdn-5xx':
        if (!model.cdn) break;
        add({
          kind, id: 'cdn-5xx', subject: 'cdn distribution',
          metrics: [{ id: 'errors', namespace: 'AWS/CloudFront', metricName: '5xxErrorRate', stat: 'Average', dimensions: { DistributionId: { ref: 'cdnDistribution' }, Region: { ref: 'literal', value: 'Global' } } }],
          measure: '5XX responses (% of requests)', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanThreshold', threshold: t('cdnErrorRatePercent'), unit: '%', treatMissingData: 'notBreaching',
        });
        break;
      case 'dax-cpu':
      case 'dax-hit-rate':
        for (const x of model.dax) {
          const dims = { ClusterId: { ref: 'daxCluster', cluster: x.name } } as const;
          if (kind === 'dax-cpu') {
            add({
              kind, id: `dax-cpu-${x.name}`, subject: `dax ${x.name}`, metrics: [{ id: 'cpu', namespace: 'AWS/DAX', metricName: 'CPUUtilization', stat: 'Average', dimensions: dims }],
              measure: 'CPU (%)', periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 5, comparison: 'GreaterThanThreshold', threshold: t('daxCpuPercent'), unit: '%', treatMissingData: 'breaching',
            });
          } else {
            add({
              kind, id: `dax-hit-rate-${x.name}`, subject: `dax ${x.name}`,
              metrics: [
                { id: 'hits', namespace: 'AWS/DAX', metricName: 'ItemCacheHits', stat: 'Sum', dimensions: dims },
                { id: 'misses', namespace: 'AWS/DAX', metricName: 'ItemCacheMisses', stat: 'Sum', dimensions: dims },
              ],
              expression: rate('hits', ['hits', 'misses'], 100), measure: 'item-cache hit rate (%)',
              periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'LessThanThreshold', threshold: t('daxHitRatePercent'), unit: '%', treatMissingData: 'notBreaching',
            });
          }
        }
        break;
    }
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** One alarm as explain lists it and diff compares it. */
export interface AlarmSummary {
  kind: AlarmKind;
  id: string;
  subject: string;
  measure: string;
  comparison: Comparison;
  threshold: number;
  unit: string;
  /** `> 200 ms for 5 min`, `< 60 % for 3 x 5 min`. */
  condition: string;
}

export function summarizeAlarms(model: ServiceModel): AlarmSummary[] {
  return planAlarms(model).map((a) => {
    const op = a.comparison === 'GreaterThanThreshold' ? '>' : '<';
    const period = a.periodSeconds % 60 === 0 ? `${a.periodSeconds / 60} min` : `${a.periodSeconds} s`;
    const span = a.evaluationPeriods === 1 ? `for ${period}` : `for ${a.datapointsToAlarm} of ${a.evaluationPeriods} x ${period}`;
    return { kind: a.kind, id: a.id, subject: a.subject, measure: a.measure, comparison: a.comparison, threshold: a.threshold, unit: a.unit, condition: `${op} ${a.threshold} ${a.unit} ${span}` };
  });
}

/** Where notifications go, in words. */
export function notifyText(model: ServiceModel): string {
  const n = model.alarms?.notify;
  if (!n) return 'nobody (no `notify`)';
  return 'topicArn' in n ? `topic ${n.topicArn}` : `email ${n.email.join(', ')} (new encrypted topic)`;
}
