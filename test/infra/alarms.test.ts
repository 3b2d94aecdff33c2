/**
 * Alarms through real synthesis: every shipped config with `alarms`, every
 * environment. Each alarm dimension must name a resource of the same stack
 * (resolved against cdk.tf.json), and the SNS side must be as documented.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import type { ServiceModel } from '../../src/config/model';
import { planAlarms, redisNodeSuffixes } from '../../src/plan/alarms';
import { resourcesOf, synth, type Json } from './synth';

process.env.CHECKPOINT_DISABLE = '1';

const ROOT = path.resolve(__dirname, '../..');
const FILES = fs.readdirSync(path.join(ROOT, 'config/examples')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `config/examples/${f}`).sort();
const MODELS: [string, ServiceModel][] = FILES.flatMap((file) => loadConfig([file], { cwd: ROOT }).models.map((m) => [`${file} (${m.stackName})`, m] as [string, ServiceModel]));
const WITH_ALARMS = MODELS.filter(([, m]) => m.alarms?.enabled);

/** `${type.id.attr}` → [type, id, attr], or undefined for a literal. */
function reference(value: string): [string, string, string] | undefined {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}(.*)$/.exec(value);
  return m ? [m[1], m[2], m[3]] : undefined;
}

/** The path each aws_api_gateway_resource builds from its parents. */
function resourcePaths(tf: Json): Map<string, string> {
  const res = resourcesOf(tf, 'aws_api_gateway_resource');
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    if (paths.has(id)) return paths.get(id)!;
    const r = res[id];
    const parent = reference(r.parent_id)!;
    const prefix = parent[0] === 'aws_api_gateway_rest_api' ? '' : pathOf(parent[1]);
    const p = `${prefix}/${r.path_part}`;
    paths.set(id, p);
    return p;
  };
  for (const id of Object.keys(res)) pathOf(id);
  return paths;
}

/** Checks one alarm's dimensions; returns the problems found. */
function problems(tf: Json, model: ServiceModel, dims: Record<string, string>): string[] {
  const out: string[] = [];
  const exists = (type: string, id: string) => resourcesOf(tf, type)[id] !== undefined;
  const expectRef = (key: string, type: string, attr: string) => {
    const r = reference(dims[key]);
    if (!r || r[0] !== type || r[2] !== attr || !exists(r[0], r[1]) || dims[key] !== `\${${r.join('.')}}`) out.push(`${key}=${dims[key]} is not ${type}.*.${attr} of this stack`);
  };
  for (const key of Object.keys(dims)) {
    switch (key) {
      case 'ApiName': expectRef(key, 'aws_api_gateway_rest_api', 'name'); break;
      case 'Stage': expectRef(key, 'aws_api_gateway_stage', 'stage_name'); break;
      case 'GraphQLAPIId': expectRef(key, 'aws_appsync_graphql_api', 'id'); break;
      case 'FunctionName': expectRef(key, 'aws_lambda_function', 'function_name'); break;
      case 'ClusterId': expectRef(key, 'aws_dax_cluster', 'cluster_name'); break;
      case 'DistributionId': expectRef(key, 'aws_cloudfront_distribution', 'id'); break;
      case 'Region':
        // CloudFront's metrics carry Region=Global beside the distribution's id.
        if (dims.Region !== 'Global' || !('DistributionId' in dims)) out.push(`Region=${dims.Region} is not CloudFront's Global beside a DistributionId`);
        break;
      case 'Method': {
        expectRef(key, 'aws_api_gateway_method', 'http_method');
        const r = reference(dims.Method);
        const method = r && resourcesOf(tf, 'aws_api_gateway_method')[r[1]];
        if (method) {
          const res = reference(method.resource_id)!;
          const p = res[0] === 'aws_api_gateway_rest_api' ? '/' : resourcePaths(tf).get(res[1]);
          if (p !== dims.Resource) out.push(`Resource=${dims.Resource} is not the path of the method's resource (${p})`);
        }
        break;
      }
      case 'Resource':
        if ('Method' in dims) break; // checked with Method
        {
          const m = /^\$\{aws_lambda_function\.([A-Za-z0-9_-]+)\.function_name\}:live$/.exec(dims.Resource);
          const aliases = Object.values(resourcesOf(tf, 'aws_lambda_alias'));
          if (!m || !aliases.some((a) => a.name === 'live' && a.function_name === `\${aws_lambda_function.${m[1]}.function_name}`)) out.push(`Resource=${dims.Resource} is not the live alias of a function of this stack`);
        }
        break;
      case 'CacheClusterId': {
        const m = /^\$\{aws_elasticache_replication_group\.([A-Za-z0-9_-]+)\.replication_group_id\}-(.+)$/.exec(dims[key]);
        const group = m && resourcesOf(tf, 'aws_elasticache_replication_group')[m[1]];
        if (!group) {
          out.push(`CacheClusterId=${dims[key]} names no replication group of this stack`);
          break;
        }
        const nodes = redisNodeSuffixes({ shards: group.num_node_groups, replicasPerShard: group.replicas_per_node_group });
        if (!nodes.includes(m![2])) out.push(`CacheClusterId=${dims[key]}: node ${m![2]} is not one of ${nodes.join(', ')}`);
        break;
      }
      default:
        out.push(`unknown dimension ${key}`);
    }
  }
  void model;
  return out;
}

describe('alarms in the synthesized stack', () => {
  it('GIVEN the examples THEN some of them have alarms, so the checks below run', () => {
    expect(WITH_ALARMS.length).toBeGreaterThanOrEqual(5);
  });

  it.each(WITH_ALARMS)('GIVEN %s WHEN synthesized THEN every alarm dimension names a resource of the same stack', (_name, m) => {
    const { tf } = synth(m);
    const alarms = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm'));
    expect(alarms.length).toBe(planAlarms(m).length);
    const found: string[] = [];
    for (const a of alarms) {
      const dimSets = a.metric_query ? a.metric_query.filter((q: Json) => q.metric).map((q: Json) => q.metric.dimensions) : [a.dimensions];
      for (const dims of dimSets) found.push(...problems(tf, m, dims).map((p) => `${a.alarm_name}: ${p}`));
    }
    expect(found).toEqual([]);
  });

  it.each(WITH_ALARMS)('GIVEN %s THEN every alarm notifies on alarm and on OK, and a created topic is encrypted', (_name, m) => {
    const { tf } = synth(m);
    const topics = Object.values(resourcesOf(tf, 'aws_sns_topic'));
    const notify = m.alarms!.notify!;
    if ('topicArn' in notify) {
      expect(topics).toEqual([]);
    } else {
      expect(topics.map((t) => t.kms_master_key_id)).toEqual(['alias/aws/sns']);
      const subs = Object.values(resourcesOf(tf, 'aws_sns_topic_subscription'));
      expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual(notify.email.map((e) => ['email', e]));
    }
    for (const a of Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm'))) {
      expect(a.alarm_actions).toHaveLength(1);
      expect(a.ok_actions).toEqual(a.alarm_actions);
    }
  });

  it('GIVEN roadcall dev, which turns alarms off THEN its stack has no alarm and no topic', () => {
    const [, dev] = MODELS.find(([name]) => name.includes('(roadcall-dev)'))!;
    const { tf } = synth(dev);
    expect(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).toEqual({});
    expect(resourcesOf(tf, 'aws_sns_topic')).toEqual({});
  });

  it('GIVEN auth-service THEN the seed thresholds come out: p95 above 2x each target, 5XX above 1%, evictions above 100 per node', () => {
    const [, m] = MODELS.find(([name]) => name.includes('auth-service'))!;
    const { tf } = synth(m);
    const byName = Object.fromEntries(Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).map((a) => [a.alarm_name, a]));
    const me = byName['auth-service-api-latency-get-auth-me'];
    expect([me.extended_statistic, me.threshold, me.period, me.treat_missing_data]).toEqual(['p95', 200, 300, 'notBreaching']);
    expect(me.dimensions.Resource).toBe('/auth/me');
    expect(byName['auth-service-api-latency-post-auth-register'].threshold).toBe(1000);
    expect(byName['auth-service-api-5xx-stage'].threshold).toBe(1);
    const evictions = Object.keys(byName).filter((n) => n.startsWith('auth-service-redis-evictions-')).sort();
    // replicasPerShard: 2 and one shard: three member clusters, 001 to 003
    expect(evictions).toEqual(['auth-service-redis-evictions-app-cache-001', 'auth-service-redis-evictions-app-cache-002', 'auth-service-redis-evictions-app-cache-003']);
    expect(byName[evictions[0]].threshold).toBe(100);
  });
});

describe('alarm prerequisites in the stack', () => {
  it('GIVEN a per-node redis alarm THEN a postcondition checks its node is a member cluster of the group', () => {
    const [, m] = MODELS.find(([name]) => name.includes('course-registration'))!;
    const { tf } = synth(m);
    const redisAlarms = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).filter((a) => a.dimensions?.CacheClusterId);
    expect(redisAlarms.length).toBe(5);
    const group = Object.keys(resourcesOf(tf, 'aws_elasticache_replication_group'))[0];
    for (const a of redisAlarms) {
      expect(a.lifecycle.postcondition).toEqual([
        expect.objectContaining({ condition: `\${contains(aws_elasticache_replication_group.${group}.member_clusters, self.dimensions["CacheClusterId"])}` }),
      ]);
    }
  });

  it.each(WITH_ALARMS.filter(([, m]) => m.restApi?.endpoints.some((e) => e.cache)))('GIVEN %s THEN every cached endpoint with a hit-rate alarm has per-method metrics on', (_name, m) => {
    const { tf } = synth(m);
    const settings = Object.values(resourcesOf(tf, 'aws_api_gateway_method_settings'));
    for (const e of m.restApi!.endpoints.filter((x) => x.cache)) {
      const path = `${e.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${e.method}`;
      const s = settings.find((x) => x.method_path === path);
      expect({ path, metrics: s?.settings?.metrics_enabled }).toEqual({ path, metrics: true });
    }
  });
});

describe('redis member cluster ids', () => {
  it('GIVEN one shard THEN nodes are 001.. ; GIVEN cluster mode THEN shard-node pairs', () => {
    expect(redisNodeSuffixes({ shards: 1, replicasPerShard: 1 })).toEqual(['001', '002']);
    expect(redisNodeSuffixes({ shards: 2, replicasPerShard: 1 })).toEqual(['0001-001', '0001-002', '0002-001', '0002-002']);
  });
});

describe('the dashboard', () => {
  it.each(WITH_ALARMS)('GIVEN %s WHEN synthesized THEN one dashboard whose every reference names a resource of the stack, the same on every run', (_name, m) => {
    const { tf } = synth(m);
    const boards = Object.values(resourcesOf(tf, 'aws_cloudwatch_dashboard'));
    expect(boards).toHaveLength(1);
    const body = JSON.parse(boards[0].dashboard_body);
    const refs = [...(boards[0].dashboard_body as string).matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g)];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(([, type, id]) => resourcesOf(tf, type)[id] === undefined).map((r) => r[0])).toEqual([]);
    const titles: string[] = body.widgets.map((w: Json) => w.properties.title);
    for (const h of m.handlers) expect(titles).toEqual(expect.arrayContaining([`handler ${h.name} duration (ms)`, `handler ${h.name} invocations and errors`]));
    for (const e of m.restApi?.endpoints ?? []) expect(titles).toContain(`${e.method} ${e.path} latency (ms)`);
    for (const e of (m.restApi?.endpoints ?? []).filter((x) => x.cache)) expect(titles).toContain(`${e.method} ${e.path} cache hit rate (%)`);
    for (const c of m.redis) expect(titles).toEqual(expect.arrayContaining([`redis ${c.name} engine CPU (%)`, `redis ${c.name} memory used (%)`, `redis ${c.name} hits and misses`, `redis ${c.name} evictions`]));
    expect(synth(m).tf.resource.aws_cloudwatch_dashboard).toEqual(tf.resource.aws_cloudwatch_dashboard);
  });

  it('GIVEN dashboard: false THEN alarms but no dashboard', () => {
    const [, m] = MODELS.find(([name]) => name.includes('auth-service'))!;
    const { tf } = synth({ ...m, alarms: { ...m.alarms!, dashboard: false } });
    expect(resourcesOf(tf, 'aws_cloudwatch_dashboard')).toEqual({});
    expect(Object.keys(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).length).toBeGreaterThan(0);
  });
});
