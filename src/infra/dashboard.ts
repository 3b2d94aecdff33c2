/**
 * One aws_cloudwatch_dashboard per stack (`alarms.dashboard`, on by default while
 * alarms are on): per endpoint latency p50/p95/p99 and, when cached, the
 * stage-cache hit rate; per handler duration and errors; per redis node CPU,
 * memory, hits and evictions; per DAX cluster CPU and item-cache hits; the
 * AppSync API's latency and errors.
 *
 * The body is built in a fixed order (the model's: endpoints in YAML order,
 * handlers, caches and clusters by name) with keys written in one order, so the
 * same model gives the same JSON. Dimensions resolve like the alarms' do, to
 * attributes of resources of this stack.
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { ServiceModel } from '../config/model';
import { CDN_METRICS_REGION, redisNodeSuffixes, type DimensionRef } from '../plan/alarms';
import { resolveDimension, type AlarmTargets } from './alarms';
import { fitName } from './naming';

/** Dashboard names: up to 255 letters, digits, `-` and `_`. */
const DASHBOARD_NAME_MAX = 255;
const WIDTH = 12;
const HEIGHT = 6;

type MetricRow = (string | Record<string, unknown>)[];

interface Widget {
  title: string;
  metrics: MetricRow[];
  stat?: string;
  /** Where the metrics are. @default the stack's region */
  region?: string;
}

export interface DashboardProps {
  model: ServiceModel;
  targets: AlarmTargets;
}

export class ServiceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { model, targets } = props;
    const dim = (d: DimensionRef) => resolveDimension(d, targets, model.stackName, 'the dashboard');
    const widgets: Widget[] = [];
    /** `[namespace, metric, dim1, value1, ...]` with the dimensions in the order given. */
    const row = (namespace: string, metric: string, dims: [string, DimensionRef][], options?: Record<string, unknown>): MetricRow => {
      const r: MetricRow = [namespace, metric, ...dims.flatMap(([k, v]) => [k, dim(v)])];
      if (options) r.push(options);
      return r;
    };

    const api = model.restApi;
    for (const e of api?.endpoints ?? []) {
      const dims: [string, DimensionRef][] = [
        ['ApiName', { ref: 'restApiName' }],
        ['Stage', { ref: 'restStage' }],
        ['Method', { ref: 'restMethod', method: e.method, path: e.path }],
        ['Resource', { ref: 'restResource', method: e.method, path: e.path }],
      ];
      widgets.push({
        title: `${e.method} ${e.path} latency (ms)`,
        metrics: ['p50', 'p95', 'p99'].map((stat) => row('AWS/ApiGateway', 'Latency', dims, { stat, label: stat })),
      });
      if (e.cache) {
        widgets.push({
          title: `${e.method} ${e.path} cache hit rate (%)`,
          metrics: [
            [{ expression: 'IF(hits + misses > 0, 100 * hits / (hits + misses), 100)', label: 'hit rate', id: 'rate' }],
            row('AWS/ApiGateway', 'CacheHitCount', dims, { id: 'hits', stat: 'Sum', visible: false }),
            row('AWS/ApiGateway', 'CacheMissCount', dims, { id: 'misses', stat: 'Sum', visible: false }),
          ],
        });
      }
    }
    if (model.graphqlApi) {
      const dims: [string, DimensionRef][] = [['GraphQLAPIId', { ref: 'graphqlApiId' }]];
      widgets.push({ title: `graphql ${model.graphqlApi.name} latency (ms)`, metrics: ['p50', 'p95', 'p99'].map((stat) => row('AWS/AppSync', 'Latency', dims, { stat, label: stat })) });
      widgets.push({ title: `graphql ${model.graphqlApi.name} errors`, stat: 'Sum', metrics: [row('AWS/AppSync', '4XXError', dims), row('AWS/AppSync', '5XXError', dims)] });
    }
    for (const h of model.handlers) {
      const dims: [string, DimensionRef][] = [['FunctionName', { ref: 'functionName', handler: h.name }]];
      widgets.push({ title: `handler ${h.name} duration (ms)`, metrics: ['p50', 'p95', 'p99'].map((stat) => row('AWS/Lambda', 'Duration', dims, { stat, label: stat })) });
      widgets.push({ title: `handler ${h.name} invocations and errors`, stat: 'Sum', metrics: [row('AWS/Lambda', 'Invocations', dims), row('AWS/Lambda', 'Errors', dims), row('AWS/Lambda', 'Throttles', dims)] });
    }
    for (const c of model.redis) {
      const nodes = redisNodeSuffixes(c).map((n): [string, DimensionRef][] => [['CacheClusterId', { ref: 'redisNode', cache: c.name, nodeSuffix: n }]]);
      widgets.push({ title: `redis ${c.name} engine CPU (%)`, stat: 'Average', metrics: nodes.map((d) => row('AWS/ElastiCache', 'EngineCPUUtilization', d)) });
      widgets.push({ title: `redis ${c.name} memory used (%)`, stat: 'Average', metrics: nodes.map((d) => row('AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', d)) });
      widgets.push({ title: `redis ${c.name} hits and misses`, stat: 'Sum', metrics: nodes.flatMap((d) => [row('AWS/ElastiCache', 'CacheHits', d), row('AWS/ElastiCache', 'CacheMisses', d)]) });
      widgets.push({ title: `redis ${c.name} evictions`, stat: 'Sum', metrics: nodes.map((d) => row('AWS/ElastiCache', 'Evictions', d)) });
    }
    for (const x of model.dax) {
      const dims: [string, DimensionRef][] = [['ClusterId', { ref: 'daxCluster', cluster: x.name }]];
      widgets.push({ title: `dax ${x.name} CPU (%)`, stat: 'Average', metrics: [row('AWS/DAX', 'CPUUtilization', dims)] });
      widgets.push({ title: `dax ${x.name} item cache`, stat: 'Sum', metrics: [row('AWS/DAX', 'ItemCacheHits', dims), row('AWS/DAX', 'ItemCacheMisses', dims)] });
    }

    if (model.cdn) {
      const dims: [string, DimensionRef][] = [['DistributionId', { ref: 'cdnDistribution' }], ['Region', { ref: 'literal', value: 'Global' }]];
      widgets.push({ title: 'cdn error rates (%)', stat: 'Average', region: CDN_METRICS_REGION, metrics: [row('AWS/CloudFront', '4xxErrorRate', dims), row('AWS/CloudFront', '5xxErrorRate', dims)] });
      widgets.push({ title: 'cdn requests', stat: 'Sum', region: CDN_METRICS_REGION, metrics: [row('AWS/CloudFront', 'Requests', dims)] });
    }

    const body = {
      widgets: widgets.map((w, i) => ({
        type: 'metric',
        x: (i % 2) * WIDTH,
        y: Math.floor(i / 2) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: { title: w.title, region: w.region ?? model.region, view: 'timeSeries', stacked: false, period: 300, ...(w.stat ? { stat: w.stat } : {}), metrics: w.metrics },
      })),
    };
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: fitName(model.stackName, { maxLength: DASHBOARD_NAME_MAX }),
      dashboardBody: JSON.stringify(body),
    });
  }
}
