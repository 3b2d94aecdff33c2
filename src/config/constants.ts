/**
 * Plain constants of the config language: names, enumerations, patterns. No
 * TypeBox here, so that the validate path can use them without loading the
 * schema builder (src/config/schema.ts re-exports all of them).
 */

/** Names of handlers, caches, clusters, the service and environments. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]{0,38}[a-z0-9]$';

// Enumerations shared with rules, infra and docs.

export const NODE_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;
export const PYTHON_RUNTIMES = ['python3.12', 'python3.13'] as const;
export const LAMBDA_RUNTIMES = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES] as const;
/** The runtime of a JavaScript/TypeScript entry without `runtime`. */
export const DEFAULT_RUNTIME = 'nodejs22.x';
/** The runtime of a `.py` entry without `runtime`. */
export const DEFAULT_PYTHON_RUNTIME = 'python3.13';
/** Extensions of entries bundled with esbuild. */
export const NODE_ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/** True for a `.py` entry (a Python handler). */
export function isPythonEntry(entry: string): boolean {
  return entry.endsWith('.py');
}

/** True for `python3.12`, `python3.13`. */
export function isPythonRuntime(runtime: string): boolean {
  return runtime.startsWith('python');
}

/**
 * Lambda's handler string: `index.<export>` for a bundled Node.js entry (the zip
 * holds `index.js`); `<module>.<export>` for a Python entry, the module being the
 * entry's file name without `.py` (the zip holds the entry's directory at its root).
 */
export function lambdaHandlerString(entry: string, exportName: string): string {
  if (!isPythonEntry(entry)) return `index.${exportName}`;
  const base = entry.split(/[\\/]/).pop() as string;
  return `${base.slice(0, -'.py'.length)}.${exportName}`;
}
export const ARCHITECTURES = ['arm64', 'x86_64'] as const;
/** The retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export const ENDPOINT_AUTH = ['none', 'iam', 'cognito', 'lambda'] as const;
export const GRAPHQL_AUTH = ['api-key', 'iam', 'cognito', 'oidc', 'lambda'] as const;
export const UNAUTHORIZED_STRATEGIES = ['fail', 'ignore-with-warning', 'ignore'] as const;
/** API Gateway stage cache cluster sizes in GB. */
export const REST_CACHE_SIZES_GB = [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237] as const;
export const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'] as const;
export const APPSYNC_CACHE_BEHAVIORS = ['per-resolver', 'full-request', 'operation-level'] as const;
export const APPSYNC_CACHE_TYPES = ['SMALL', 'MEDIUM', 'LARGE', 'XLARGE', 'LARGE_2X', 'LARGE_4X', 'LARGE_8X', 'LARGE_12X'] as const;
/** Accepted with a deprecation warning. */
export const APPSYNC_LEGACY_CACHE_TYPES = ['T2_SMALL', 'T2_MEDIUM', 'R4_LARGE', 'R4_XLARGE', 'R4_2XLARGE', 'R4_4XLARGE', 'R4_8XLARGE'] as const;
export const APPSYNC_FIELD_LOG_LEVELS = ['NONE', 'ERROR', 'INFO', 'DEBUG', 'ALL'] as const;
export const RETRY_MODES = ['standard', 'adaptive'] as const;
export const REDIS_ENGINES = ['valkey', 'redis'] as const;
export const REDIS_VERSIONS = {
  valkey: ['7.2', '8.0', '8.1'],
  redis: ['6.2', '7.0', '7.1'],
} as const;
export const DEFAULT_REDIS_VERSION = { valkey: '8.0', redis: '7.1' } as const;
export const MAXMEMORY_POLICIES = [
  'volatile-lru', 'allkeys-lru', 'volatile-lfu', 'allkeys-lfu',
  'volatile-random', 'allkeys-random', 'volatile-ttl', 'noeviction',
] as const;

export const SECRET_ARN_PATTERN = '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+$';
export const COGNITO_POOL_ARN_PATTERN = '^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\\d{12}:userpool/[a-z0-9-]+_[A-Za-z0-9]+$';
export const REGION_PATTERN = '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d$';
export const DURATION_SCHEDULE_PATTERN = '^(rate\\(\\s*\\d+\\s+(minute|minutes|hour|hours|day|days)\\s*\\)|cron\\(.+\\))$';

/**
 * A Terraform version constraint as `required_providers` takes it: comma-separated
 * `[op] VERSION`, op one of `=`, `!=`, `>`, `>=`, `<`, `<=`, `~>` (none means `=`),
 * VERSION `MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`.
 */
const TF_VERSION = '\\d+(\\.\\d+(\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?)?)?';
const TF_CONSTRAINT = `\\s*(=|!=|>=|<=|>|<|~>)?\\s*${TF_VERSION}\\s*`;
export const TF_VERSION_CONSTRAINT_PATTERN = `^${TF_CONSTRAINT}(,${TF_CONSTRAINT})*$`;
/** What every stack requires of the AWS provider unless `terraform.awsProvider` says otherwise. */
export const DEFAULT_AWS_PROVIDER_CONSTRAINT = '>= 5.100, < 7.0';

/** How VPC handlers reach AWS APIs: through a NAT gateway the VPC already has, or only through VPC endpoints. */
export const EGRESS_MODES = ['nat', 'endpoints'] as const;

/** Services whose VPC endpoint is a gateway endpoint: routes in the subnets' route tables, no charge. */
export const GATEWAY_ENDPOINT_SERVICES = ['dynamodb', 's3'] as const;

/**
 * Services `network.endpoints` may name whose endpoint is an interface endpoint
 * (network interfaces in the subnets, private DNS, charged per hour and AZ). Each
 * name is the last part of the endpoint service name `com.amazonaws.<region>.<name>`.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'secretsmanager', 'sqs', 'sns', 'sts', 'logs', 'monitoring', 'kms', 'ssm', 'lambda', 'xray', 'events', 'states', 'execute-api',
] as const;

/** Every name `network.endpoints` accepts. */
export const VPC_ENDPOINT_SERVICES = [...GATEWAY_ENDPOINT_SERVICES, ...INTERFACE_ENDPOINT_SERVICES] as const;

/** The Postgres port a pool connects to unless `connections.postgres.port` says otherwise. */
export const DEFAULT_POSTGRES_PORT = 5432;

/**
 * The concurrency an unreserved function can reach: the default Lambda
 * concurrent-executions quota of an account and region (rule 15 assumes it; an
 * account with a raised quota can reach more).
 */
export const ACCOUNT_CONCURRENCY_DEFAULT = 1000;

/** A resource path of `restApi.endpoints[].path`; `{name}` is a path parameter, `{name+}` a greedy one. */
export const RESOURCE_PATH_PATTERN = '^/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\+?\\})?(/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\+?\\}))*$';
/** `handlers.<name>.invalidates[]`: `METHOD /path`, one endpoint as written in `restApi.endpoints`. */
export const INVALIDATES_PATTERN = `^(${HTTP_METHODS.join('|')}) ${RESOURCE_PATH_PATTERN.slice(1)}`;
export const CACHE_KEY_PATTERN = '^(header|query|path)\\.[A-Za-z0-9_.~-]+$';

// The edge: CloudFront, custom domains, CORS and WAF.

/** CloudFront price classes (edge locations served). */
export const CDN_PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
/** Viewer TLS policies cachestack accepts: TLS 1.2 or newer only. */
export const CDN_MINIMUM_TLS = ['TLSv1.2_2021', 'TLSv1.2_2019', 'TLSv1.2_2018'] as const;
/** Methods a CORS `allowMethods` may name (OPTIONS is always answered by the preflight method itself). */
export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
/** Endpoint types of an API Gateway custom domain name. */
export const DOMAIN_ENDPOINT_TYPES = ['REGIONAL', 'EDGE'] as const;
/** A DNS name: labels of letters, digits and hyphens; a leading `*.` for a wildcard. */
export const HOSTNAME_PATTERN = '^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$';
export const ACM_CERTIFICATE_ARN_PATTERN = '^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+$';
export const WAF_WEB_ACL_ARN_PATTERN = '^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\\d{12}:(regional|global)/webacl/[A-Za-z0-9_-]+/[A-Za-z0-9-]+$';
/** AWS managed rule groups are named `AWSManagedRules...` (vendor `AWS`). */
export const WAF_MANAGED_RULE_PATTERN = '^AWSManagedRules[A-Za-z0-9]+$';
/** An S3 bucket name (the general-purpose bucket naming rules). */
export const S3_BUCKET_PATTERN = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';
/** A CORS origin: `*`, or a scheme, host and optional port with no path. */
export const CORS_ORIGIN_PATTERN = '^(\\*|https?://([A-Za-z0-9-]+\\.)*[A-Za-z0-9-]+(:\\d{1,5})?)$';
/** An HTTP header name (RFC 9110 token characters cachestack admits). */
export const HEADER_NAME_PATTERN = '^[A-Za-z0-9-]+$';
/** A CloudFront path pattern: starts with `/`, may hold `*` and `?`. */
export const CDN_PATH_PATTERN = '^/[A-Za-z0-9_.~/*?-]*$';

/**
 * The standard alarm kinds, in the order explain and docs list them. Which
 * threshold key (in `alarms.thresholds`) each reads, its default and the range a
 * threshold may take (rule 18). The metric, statistic, period and dimensions of
 * each kind are in src/infra/alarms.ts.
 */
export const ALARM_KINDS = [
  'api-5xx',
  'api-latency',
  'api-cache-hit-rate',
  'appsync-5xx',
  'appsync-latency',
  'lambda-errors',
  'lambda-throttles',
  'lambda-duration',
  'lambda-spillover',
  'redis-cpu',
  'redis-memory',
  'redis-evictions',
  'redis-connections',
  'redis-hit-rate',
  'dax-cpu',
  'dax-hit-rate',
  'pool-exhaustion',
  'cdn-5xx',
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export interface AlarmThresholdSpec {
  kind: AlarmKind;
  default: number;
  min: number;
  max: number;
  /** `min` itself is allowed (false: the threshold must be greater than `min`). */
  minInclusive: boolean;
  unit: string;
  description: string;
}

/** `alarms.thresholds` keys: the kind each sets, its default and its metric's range. */
export const ALARM_THRESHOLDS = {
  apiErrorRatePercent: { kind: 'api-5xx', default: 1, min: 0, max: 100, minInclusive: false, unit: '%', description: 'API Gateway 5XX responses as a percentage of requests (per stage, and per endpoint with `latencyTargetMs`); alarm above.' },
  apiCacheHitRatePercent: { kind: 'api-cache-hit-rate', default: 60, min: 0, max: 100, minInclusive: false, unit: '%', description: 'Stage-cache hit rate of a cached endpoint; alarm below.' },
  appsyncErrorRatePercent: { kind: 'appsync-5xx', default: 1, min: 0, max: 100, minInclusive: false, unit: '%', description: 'AppSync 5XX errors as a percentage of requests; alarm above.' },
  appsyncLatencyMs: { kind: 'appsync-latency', default: 1000, min: 1, max: 30000, minInclusive: true, unit: 'ms', description: 'AppSync p95 request latency; alarm above.' },
  lambdaErrorRatePercent: { kind: 'lambda-errors', default: 1, min: 0, max: 100, minInclusive: false, unit: '%', description: 'Function errors as a percentage of invocations; alarm above.' },
  lambdaThrottles: { kind: 'lambda-throttles', default: 0, min: 0, max: 1000000, minInclusive: true, unit: 'count', description: 'Throttled invocations in 5 minutes; alarm above.' },
  lambdaDurationPercentOfTimeout: { kind: 'lambda-duration', default: 80, min: 0, max: 100, minInclusive: false, unit: '% of timeout', description: 'p95 duration as a percentage of the function timeout; alarm above.' },
  lambdaSpillover: { kind: 'lambda-spillover', default: 0, min: 0, max: 1000000, minInclusive: true, unit: 'count', description: 'Invocations of the `live` alias beyond its provisioned concurrency in 5 minutes; alarm above.' },
  redisCpuPercent: { kind: 'redis-cpu', default: 80, min: 0, max: 100, minInclusive: false, unit: '%', description: 'EngineCPUUtilization of each node; alarm above.' },
  redisMemoryPercent: { kind: 'redis-memory', default: 80, min: 0, max: 100, minInclusive: false, unit: '%', description: 'DatabaseMemoryUsagePercentage of each node; alarm above.' },
  redisEvictionsPerMinute: { kind: 'redis-evictions', default: 100, min: 0, max: 100000000, minInclusive: true, unit: 'per minute', description: 'Keys evicted per minute on each node; alarm above.' },
  redisConnections: { kind: 'redis-connections', default: 1000, min: 1, max: 65000, minInclusive: true, unit: 'count', description: 'CurrConnections of each node; alarm above.' },
  redisHitRatePercent: { kind: 'redis-hit-rate', default: 60, min: 0, max: 100, minInclusive: false, unit: '%', description: 'CacheHitRate of each node; alarm below.' },
  daxCpuPercent: { kind: 'dax-cpu', default: 80, min: 0, max: 100, minInclusive: false, unit: '%', description: 'CPUUtilization of the DAX cluster; alarm above.' },
  daxHitRatePercent: { kind: 'dax-hit-rate', default: 60, min: 0, max: 100, minInclusive: false, unit: '%', description: 'Item-cache hit rate of the DAX cluster; alarm below.' },
  cdnErrorRatePercent: { kind: 'cdn-5xx', default: 1, min: 0, max: 100, minInclusive: false, unit: '%', description: 'CloudFront `5xxErrorRate` of the `cdn` distribution (a percentage of its requests); alarm above.' },
  poolWaiters: { kind: 'pool-exhaustion', default: 0, min: 0, max: 10000, minInclusive: true, unit: 'count', description: 'Callers waiting for a pooled redis connection (the runtime kit\'s `PoolWaiters` metric); alarm above.' },
} as const satisfies Record<string, AlarmThresholdSpec>;
export type AlarmThresholdKey = keyof typeof ALARM_THRESHOLDS;

/** Range of `alarms.latencyFactor`. */
export const LATENCY_FACTOR_RANGE = { min: 1, max: 10, default: 2 } as const;
export const SNS_TOPIC_ARN_PATTERN = '^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}$';

/**
 * The `actions` keywords of `handlers.<name>.access`, per service. What each
 * grants (the exact IAM actions) is in src/config/access.ts.
 */
export const ACCESS_ACTIONS = {
  dynamodb: ['read', 'write', 'readwrite'],
  s3: ['read', 'write', 'readwrite'],
  sqs: ['send', 'receive', 'sendreceive'],
  sns: ['publish'],
} as const;
