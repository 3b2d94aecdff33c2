/**
 * The monthly cost estimate of one environment, line by line, from the bundled
 * price table (src/plan/prices.ts): what runs by the hour whatever the traffic
 * (stage cache, AppSync cache, ElastiCache and DAX nodes, provisioned
 * concurrency, VPC interface endpoints), the CloudWatch alarms and dashboard, and the web ACLs
 * cachestack creates (`waf.managedRules`). Requests, data transfer, invocations, logs and
 * CloudFront (billed by traffic only) depend on traffic and are not estimated.
 *
 * A line the table cannot price (unknown region or node type) has `monthlyUsd:
 * null` and says why; the total then covers only the priced lines and
 * `complete` is false.
 */
import { GATEWAY_ENDPOINT_SERVICES } from '../config/constants';
import type { ServiceModel } from '../config/model';
import { planAlarms } from './alarms';
import { redisNodeCount } from './facts';
import { HOURS_PER_MONTH, PRICES, PRICES_AS_OF, PRICES_SOURCE, VALKEY_DISCOUNT, type RegionPrices } from './prices';

export interface CostLine {
  item: string;
  /** What the price is for, e.g. `3 x cache.t3.medium (redis) x 730 h x $0.068`. */
  detail: string;
  /** USD per month, rounded to cents; null when the table has no price for it. */
  monthlyUsd: number | null;
}

export interface CostEstimate {
  region: string;
  lines: CostLine[];
  /** Sum of the priced lines, in USD per month, rounded to cents. */
  totalUsd: number;
  /** False when a line could not be priced. */
  complete: boolean;
  pricesAsOf: string;
  source: string;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const usd = (n: number) => `$${n < 0.01 ? String(n) : String(Math.round(n * 10000) / 10000)}`;

export function estimateCost(model: ServiceModel): CostEstimate {
  const region = model.region;
  const p: RegionPrices | undefined = PRICES[region];
  const lines: CostLine[] = [];
  const unknown = (item: string, what: string) => lines.push({ item, detail: `no price for ${what} in ${region} in the bundled table (${PRICES_AS_OF})`, monthlyUsd: null });
  const hourly = (item: string, count: number, what: string, price: number | undefined): void => {
    if (price === undefined) {
      unknown(item, what);
      return;
    }
    lines.push({ item, detail: `${count} x ${what} x ${HOURS_PER_MONTH} h x ${usd(price)}/h`, monthlyUsd: cents(count * HOURS_PER_MONTH * price) });
  };

  const stageCache = model.restApi?.cache;
  if (stageCache) hourly('rest api stage cache', 1, `${stageCache.sizeGb} GB cache`, p?.apiGatewayCacheHourly[String(stageCache.sizeGb)]);
  const gqlCache = model.graphqlApi?.cache;
  if (gqlCache) hourly('appsync api cache', 1, `${gqlCache.type} cache`, p?.appsyncCacheHourly[gqlCache.type]);
  for (const c of model.redis) {
    const base = p?.elasticacheRedisHourly[c.nodeType];
    const price = base === undefined ? undefined : c.engine === 'valkey' ? Math.round(base * (1 - VALKEY_DISCOUNT) * 10000) / 10000 : base;
    hourly(`redis ${c.name}`, redisNodeCount(c.shards, c.replicasPerShard), `${c.nodeType} (${c.engine})`, price);
  }
  for (const x of model.dax) hourly(`dax ${x.name}`, x.replicationFactor, x.nodeType, p?.daxHourly[x.nodeType]);
  for (const h of model.handlers) {
    if (h.provisionedConcurrency <= 0) continue;
    const rate = p?.provisionedConcurrencyGbSecond?.[h.architecture];
    const item = `provisioned concurrency ${h.name}`;
    if (rate === undefined) {
      unknown(item, `provisioned concurrency (${h.architecture})`);
      continue;
    }
    const gb = h.memoryMb / 1024;
    lines.push({
      item,
      detail: `${h.provisionedConcurrency} x ${gb} GB x ${HOURS_PER_MONTH * 3600} s x ${usd(rate)}/GB-s (${h.architecture})`,
      monthlyUsd: cents(h.provisionedConcurrency * gb * HOURS_PER_MONTH * 3600 * rate),
    });
  }
  const interfaceEndpoints = (model.network?.endpoints ?? []).filter((e) => !(GATEWAY_ENDPOINT_SERVICES as readonly string[]).includes(e));
  if (interfaceEndpoints.length) {
    // One network interface per endpoint and subnet (a subnet is one availability zone); gateway endpoints are free.
    const subnets = model.network!.subnetIds.length;
    hourly('vpc interface endpoints', interfaceEndpoints.length * subnets, `endpoint-AZ (${[...interfaceEndpoints].sort().join(', ')} in ${subnets} subnet${subnets === 1 ? '' : 's'})`, p?.interfaceEndpointHourly);
  }
  const alarms = planAlarms(model);
  if (alarms.length) {
    const metrics = alarms.reduce((n, a) => n + a.metrics.length, 0);
    const price = p?.alarmMetricMonthly;
    if (price === undefined) unknown('cloudwatch alarms', 'alarm metrics');
    else lines.push({ item: 'cloudwatch alarms', detail: `${alarms.length} alarms on ${metrics} metrics x ${usd(price)}/metric-month`, monthlyUsd: cents(metrics * price) });
  }
  if (model.alarms?.enabled && model.alarms.dashboard) {
    const price = p?.dashboardMonthly;
    if (price === undefined) unknown('cloudwatch dashboard', 'dashboards');
    else lines.push({ item: 'cloudwatch dashboard', detail: `1 dashboard x ${usd(price)}/month`, monthlyUsd: cents(price) });
  }
  const wafs: [string, string[] | undefined][] = [
    [`waf rest api ${model.restApi?.name ?? ''}`, model.restApi?.waf && 'managedRules' in model.restApi.waf ? model.restApi.waf.managedRules : undefined],
    [`waf graphql api ${model.graphqlApi?.name ?? ''}`, model.graphqlApi?.waf && 'managedRules' in model.graphqlApi.waf ? model.graphqlApi.waf.managedRules : undefined],
  ];
  for (const [item, rules] of wafs) {
    if (!rules) continue;
    if (p?.wafWebAclMonthly === undefined || p.wafRuleMonthly === undefined) {
      unknown(item, 'AWS WAF web ACLs');
      continue;
    }
    lines.push({ item, detail: `1 web ACL x ${usd(p.wafWebAclMonthly)} + ${rules.length} rule groups x ${usd(p.wafRuleMonthly)} per month (requests not estimated)`, monthlyUsd: cents(p.wafWebAclMonthly + rules.length * p.wafRuleMonthly) });
  }
  const priced = lines.filter((l) => l.monthlyUsd !== null);
  return {
    region,
    lines,
    totalUsd: cents(priced.reduce((s, l) => s + l.monthlyUsd!, 0)),
    complete: priced.length === lines.length,
    pricesAsOf: PRICES_AS_OF,
    source: PRICES_SOURCE,
  };
}
