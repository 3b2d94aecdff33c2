/**
 * Plain constants of the config language: names, enumerations, patterns. No
 * TypeBox here, so that the validate path can use them without loading the
 * schema builder (src/config/schema.ts re-exports all of them).
 */

/** Names of handlers, caches, clusters, the service and environments. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]{0,38}[a-z0-9]$';

// Enumerations shared with rules, infra and docs.

export const LAMBDA_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;
export const DEFAULT_RUNTIME = 'nodejs22.x';
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

export const CACHE_KEY_PATTERN = '^(header|query|path)\\.[A-Za-z0-9_.~-]+$';
