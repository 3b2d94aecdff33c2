/**
 * aws_cloudwatch_metric_alarm for every alarm of `planAlarms` (src/plan/alarms.ts),
 * and where they notify: an encrypted SNS topic with email subscriptions
 * (KMS `alias/aws/sns`), or the existing topic `notify.topicArn`. Alarm and OK
 * actions both go to it.
 *
 * Every dimension is resolved here to an attribute of a resource of this stack
 * (the REST API's name, the stage's name, a method's HTTP method, the function's
 * name, the AppSync API's id, the DAX cluster's name, a member cluster id built
 * from the replication group's id); a reference to something the stack lacks is
 * a SynthesisError, never an alarm on nothing. The one literal is the REST
 * `Resource` dimension, the endpoint's resource path, which is exactly what the
 * stack's aws_api_gateway_resource tree builds (a test checks it).
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { ServiceModel } from '../config/model';
import { CDN_METRICS_REGION, planAlarms, type DimensionRef, type PlannedAlarm } from '../plan/alarms';
import type { DaxCluster } from './dax-cluster';
import { SynthesisError } from './errors';
import type { GraphqlApi } from './graphql-api';
import { LIVE_ALIAS, type HandlerFunction } from './handler-function';
import { fitName } from './naming';
import type { RedisCache } from './redis-cache';
import type { RestApi } from './rest-api';
import type { ServiceCdn } from './cdn';

/** CloudWatch's limit on an alarm name. */
const ALARM_NAME_MAX = 255;
/** SNS topic names: 256 letters, digits, hyphens and underscores. */
const TOPIC_NAME_MAX = 256;

export interface AlarmTargets {
  restApi?: RestApi;
  cdn?: ServiceCdn;
  graphqlApi?: GraphqlApi;
  handlers: ReadonlyMap<string, HandlerFunction>;
  redis: ReadonlyMap<string, RedisCache>;
  dax: ReadonlyMap<string, DaxCluster>;
}

export interface ServiceAlarmsProps {
  model: ServiceModel;
  targets: AlarmTargets;
  /**
   * The provider of us-east-1, where CloudFront's metrics are, for a stack in
   * another region: the `cdn-5xx` alarm is made there, notifying a topic there.
   * @default undefined: the stack's region is us-east-1
   */
  cdnMetricsProvider?: TerraformProvider;
}

export class ServiceAlarms extends Construct {
  readonly topic?: SnsTopic;
  /** The us-east-1 topic of the `cdn-5xx` alarm, for email notification from a stack in another region. */
  readonly cdnTopic?: SnsTopic;
  /** Where alarm and OK notifications go; undefined without `notify`. */
  readonly topicArn?: string;
  readonly alarms = new Map<string, CloudwatchMetricAlarm>();
  readonly planned: PlannedAlarm[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { model, targets } = props;
    const notify = model.alarms?.notify;
    if (notify && 'topicArn' in notify) {
      this.topicArn = notify.topicArn;
    } else if (notify) {
      this.topic = new SnsTopic(this, 'topic', {
        name: fitName(`${model.stackName}-alarms`, { maxLength: TOPIC_NAME_MAX }),
        kmsMasterKeyId: 'alias/aws/sns',
      });
      this.topicArn = this.topic.arn;
      for (const email of [...notify.email].sort()) {
        new SnsTopicSubscription(this, `email:${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
      }
    }

    this.planned = planAlarms(model);
    const actions = this.topicArn ? [this.topicArn] : [];
    // CloudFront's alarm lives in us-east-1 and may only notify a topic of that region.
    let cdnActions = actions;
    const provider = props.cdnMetricsProvider;
    if (provider && this.planned.some((p) => p.kind === 'cdn-5xx')) {
      if (notify && 'topicArn' in notify) {
        cdnActions = notify.topicArn.split(':')[3] === CDN_METRICS_REGION ? actions : [];
      } else if (notify) {
        this.cdnTopic = new SnsTopic(this, `topic:${CDN_METRICS_REGION}`, {
          provider,
          name: fitName(`${model.stackName}-alarms-${CDN_METRICS_REGION}`, { maxLength: TOPIC_NAME_MAX }),
          kmsMasterKeyId: 'alias/aws/sns',
        });
        for (const email of [...notify.email].sort()) {
          new SnsTopicSubscription(this, `email:${CDN_METRICS_REGION}:${email}`, { provider, topicArn: this.cdnTopic.arn, protocol: 'email', endpoint: email });
        }
        cdnActions = [this.cdnTopic.arn];
      }
    }
    for (const p of this.planned) {
      const cdnAlarm = p.kind === 'cdn-5xx';
      const resolve = (d: DimensionRef) => resolveDimension(d, targets, model.stackName, `alarm \`${p.id}\``);
      const dims = (m: PlannedAlarm['metrics'][number]) => Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, resolve(v)]));
      const common = {
        alarmName: fitName(`${model.stackName}-${p.id}`, { maxLength: ALARM_NAME_MAX }),
        alarmDescription: `cachestack ${p.kind}: ${p.subject}, ${p.measure} ${p.comparison === 'GreaterThanThreshold' ? 'above' : 'below'} ${p.threshold} ${p.unit}`,
        comparisonOperator: p.comparison,
        threshold: p.threshold,
        evaluationPeriods: p.evaluationPeriods,
        datapointsToAlarm: p.datapointsToAlarm,
        treatMissingData: p.treatMissingData,
        alarmActions: cdnAlarm ? cdnActions : actions,
        okActions: cdnAlarm ? cdnActions : actions,
        provider: cdnAlarm ? provider : undefined,
      };
      let alarm: CloudwatchMetricAlarm;
      if (p.expression === undefined) {
        const m = p.metrics[0];
        const percentile = /^p\d+(\.\d+)?$/.test(m.stat);
        alarm = new CloudwatchMetricAlarm(this, p.id, {
          ...common,
          lifecycle: memberClusterCheck(m.dimensions.CacheClusterId, targets),
          namespace: m.namespace,
          metricName: m.metricName,
          period: p.periodSeconds,
          statistic: percentile ? undefined : m.stat,
          extendedStatistic: percentile ? m.stat : undefined,
          dimensions: dims(m),
        });
      } else {
        const queries: CloudwatchMetricAlarmMetricQuery[] = [
          { id: 'result', expression: p.expression, label: p.measure, returnData: true },
          ...p.metrics.map((m) => ({
            id: m.id,
            returnData: false,
            metric: { namespace: m.namespace, metricName: m.metricName, period: p.periodSeconds, stat: m.stat, dimensions: dims(m) },
          })),
        ];
        alarm = new CloudwatchMetricAlarm(this, p.id, { ...common, metricQuery: queries });
      }
      this.alarms.set(p.id, alarm);
    }
  }
}

/**
 * For a per-node redis alarm: after apply, the member cluster id it names must be
 * one of the replication group's `member_clusters`, so an id ElastiCache did not
 * give (a naming change on AWS's side) fails loudly instead of alarming on nothing.
 */
function memberClusterCheck(d: DimensionRef | undefined, t: AlarmTargets): CloudwatchMetricAlarm['lifecycle'] {
  if (d?.ref !== 'redisNode') return undefined;
  const group = t.redis.get(d.cache)?.replicationGroup;
  if (!group) return undefined;
  return {
    postcondition: [
      {
        condition: `\${contains(${group.fqn}.member_clusters, self.dimensions["CacheClusterId"])}`,
        errorMessage: `the alarm names a node that is not a member cluster of the replication group of redis cache ${d.cache}; cachestack's node ids no longer match ElastiCache's: please report this`,
      },
    ],
  };
}

/** A dimension's value: an attribute of a resource of this stack (see the module comment). */
export function resolveDimension(d: DimensionRef, t: AlarmTargets, stackName: string, user: string): string {
  const missing = (what: string) => new SynthesisError(`${user} watches ${what}, which this stack does not have; this is a bug in cachestack's alarm plan`, `alarms`, stackName);
  switch (d.ref) {
    case 'restApiName':
      if (!t.restApi) throw missing('the rest api');
      return t.restApi.api.name;
    case 'restStage':
      if (!t.restApi) throw missing('the rest api stage');
      return t.restApi.stage.stageName;
    case 'restMethod': {
      const m = t.restApi?.methods.get(`${d.method} ${d.path}`);
      if (!m) throw missing(`method ${d.method} ${d.path}`);
      return m.httpMethod;
    }
    case 'restResource':
      if (!t.restApi?.methods.has(`${d.method} ${d.path}`)) throw missing(`resource ${d.path}`);
      return d.path;
    case 'graphqlApiId':
      if (!t.graphqlApi) throw missing('the graphql api');
      return t.graphqlApi.api.id;
    case 'functionName': {
      const fn = t.handlers.get(d.handler);
      if (!fn) throw missing(`handler ${d.handler}`);
      return fn.function.functionName;
    }
    case 'aliasResource': {
      const fn = t.handlers.get(d.handler);
      if (!fn) throw missing(`handler ${d.handler}`);
      return `${fn.function.functionName}:${LIVE_ALIAS}`;
    }
    case 'redisNode': {
      const c = t.redis.get(d.cache);
      if (!c) throw missing(`redis cache ${d.cache}`);
      return `${c.replicationGroup.replicationGroupId}-${d.nodeSuffix}`;
    }
    case 'cdnDistribution':
      if (!t.cdn) throw missing('the cdn distribution');
      return t.cdn.distribution.id;
    case 'literal':
      return d.value;
    case 'daxCluster': {
      const x = t.dax.get(d.cluster);
      if (!x) throw missing(`dax cluster ${d.cluster}`);
      return x.resource.clusterName;
    }
  }
}
