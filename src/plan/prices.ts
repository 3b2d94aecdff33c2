/**
 * The bundled price table of the cost estimate: AWS public on-demand prices in
 * USD, as published on the AWS pricing pages of each service, as of the date
 * below. No discount, savings plan, reserved node or free tier is applied.
 *
 * A figure that is not in this table is not estimated: the estimate says which
 * item it could not price (an unknown region or node type), never a guess from a
 * neighbouring region or size. Update the table and `PRICES_AS_OF` together.
 */

/** When the figures were read from the AWS pricing pages. */
export const PRICES_AS_OF = '2025-06-01';
export const PRICES_SOURCE = 'AWS public on-demand prices (aws.amazon.com/<service>/pricing), USD, no free tier or discounts';
/** Hours in a month, the figure AWS's own calculator uses. */
export const HOURS_PER_MONTH = 730;

export interface RegionPrices {
  /** API Gateway REST stage cache, USD per hour, by size in GB. */
  apiGatewayCacheHourly: Record<string, number>;
  /** AppSync API cache, USD per hour, by cache type. */
  appsyncCacheHourly: Record<string, number>;
  /** ElastiCache node-based, Redis OSS, USD per node-hour by node type (Valkey: `valkeyDiscount` off). */
  elasticacheRedisHourly: Record<string, number>;
  /** DAX, USD per node-hour by node type. */
  daxHourly: Record<string, number>;
  /** Lambda provisioned concurrency, USD per GB-second, by architecture. */
  provisionedConcurrencyGbSecond?: { x86_64: number; arm64: number };
  /** VPC interface endpoint, USD per endpoint per availability zone per hour. */
  interfaceEndpointHourly?: number;
  /** CloudWatch standard-resolution alarm, USD per alarm metric per month. */
  alarmMetricMonthly?: number;
  /** CloudWatch dashboard, USD per dashboard per month. */
  dashboardMonthly?: number;
  /** AWS WAF, USD per web ACL per month, and per rule (a managed rule group counts as one) per month; requests are traffic and not estimated. */
  wafWebAclMonthly?: number;
  wafRuleMonthly?: number;
}

/** ElastiCache for Valkey node-based prices are 20% below Redis OSS for the same node type. */
export const VALKEY_DISCOUNT = 0.2;

const REST_CACHE_US = { '0.5': 0.02, '1.6': 0.038, '6.1': 0.2, '13.5': 0.25, '28.4': 0.5, '58.2': 1.0, '118': 1.9, '237': 3.8 };

const APPSYNC_CACHE_US = {
  SMALL: 0.044, MEDIUM: 0.088, LARGE: 0.176, XLARGE: 0.352, LARGE_2X: 0.704, LARGE_4X: 1.408, LARGE_8X: 2.816, LARGE_12X: 4.224,
};

const ELASTICACHE_US = {
  'cache.t2.micro': 0.017, 'cache.t2.small': 0.034, 'cache.t2.medium': 0.068,
  'cache.t3.micro': 0.017, 'cache.t3.small': 0.034, 'cache.t3.medium': 0.068,
  'cache.t4g.micro': 0.016, 'cache.t4g.small': 0.032, 'cache.t4g.medium': 0.065,
  'cache.m5.large': 0.156, 'cache.m5.xlarge': 0.311, 'cache.m6g.large': 0.149, 'cache.m6g.xlarge': 0.297, 'cache.m7g.large': 0.158,
  'cache.r5.large': 0.216, 'cache.r5.xlarge': 0.431, 'cache.r6g.large': 0.206, 'cache.r6g.xlarge': 0.411, 'cache.r7g.large': 0.219,
};

const DAX_US = { 'dax.t2.small': 0.04, 'dax.t2.medium': 0.08, 'dax.t3.small': 0.04, 'dax.t3.medium': 0.08, 'dax.r4.large': 0.269, 'dax.r5.large': 0.269 };

const US: RegionPrices = {
  apiGatewayCacheHourly: REST_CACHE_US,
  appsyncCacheHourly: APPSYNC_CACHE_US,
  elasticacheRedisHourly: ELASTICACHE_US,
  daxHourly: DAX_US,
  provisionedConcurrencyGbSecond: { x86_64: 0.0000041667, arm64: 0.0000033334 },
  interfaceEndpointHourly: 0.01,
  alarmMetricMonthly: 0.1,
  dashboardMonthly: 3,
  wafWebAclMonthly: 5,
  wafRuleMonthly: 1,
};

/**
 * Prices by region. us-east-1 and us-west-2 share one price list for these
 * services. For the other regions only the figures known for that region are
 * here; anything missing is reported as not priced.
 */
export const PRICES: Record<string, RegionPrices> = {
  'us-east-1': US,
  'us-west-2': US,
  'eu-west-1': {
    apiGatewayCacheHourly: {},
    appsyncCacheHourly: {},
    elasticacheRedisHourly: { 'cache.t3.micro': 0.018, 'cache.t3.small': 0.036, 'cache.t3.medium': 0.073, 'cache.t4g.micro': 0.017, 'cache.t4g.small': 0.034, 'cache.t4g.medium': 0.068, 'cache.m6g.large': 0.166, 'cache.r6g.large': 0.229 },
    daxHourly: {},
    provisionedConcurrencyGbSecond: { x86_64: 0.0000041667, arm64: 0.0000033334 },
    interfaceEndpointHourly: 0.011,
    alarmMetricMonthly: 0.1,
    dashboardMonthly: 3,
    wafWebAclMonthly: 5,
    wafRuleMonthly: 1,
  },
  'eu-central-1': {
    apiGatewayCacheHourly: {},
    appsyncCacheHourly: {},
    elasticacheRedisHourly: { 'cache.t3.micro': 0.019, 'cache.t3.small': 0.038, 'cache.t3.medium': 0.076, 'cache.t4g.micro': 0.018, 'cache.t4g.small': 0.036, 'cache.t4g.medium': 0.072 },
    daxHourly: {},
    interfaceEndpointHourly: 0.012,
    alarmMetricMonthly: 0.1,
    dashboardMonthly: 3,
    wafWebAclMonthly: 5,
    wafRuleMonthly: 1,
  },
  'ap-southeast-1': {
    apiGatewayCacheHourly: {},
    appsyncCacheHourly: {},
    elasticacheRedisHourly: { 'cache.t3.micro': 0.025, 'cache.t3.small': 0.05, 'cache.t3.medium': 0.1 },
    daxHourly: {},
    interfaceEndpointHourly: 0.013,
    alarmMetricMonthly: 0.1,
    dashboardMonthly: 3,
    wafWebAclMonthly: 5,
    wafRuleMonthly: 1,
  },
};
