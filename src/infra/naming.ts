/**
 * Every name synthesis gives to something: AWS physical names (within each AWS
 * limit), Terraform construct ids and the logical ids (Terraform addresses) made
 * from them. One module, so a name cannot be built two ways.
 *
 * Physical names are `<stack>-<name>[-<kind>]`, where `<stack>` is the model's
 * stack name (`<service>-<env>`, or `<service>` without environments). A name
 * longer than its AWS limit, or with characters the service refuses, is shortened
 * deterministically: the valid part is cut and a hyphen and the first 6 hex digits
 * of the SHA-256 of the full name are appended, so two long names stay distinct
 * and the same config always gives the same name.
 *
 * Construct ids come from config names (handler name, method + path, resolver
 * field, cache name), never from list positions: reordering endpoints or handlers
 * in the YAML renames nothing in Terraform.
 *
 * No cdktf import here: the rules, `explain` and the docs may use it too.
 */
import { createHash } from 'node:crypto';

/** A service's naming rule for one kind of physical name. */
export interface NameRule {
  /** Longest name AWS accepts. */
  maxLength: number;
  /** The service rejects `--` (ElastiCache, DAX). @default false */
  noDoubleHyphen?: boolean;
  /** Characters the service refuses are replaced by `_` (AppSync data sources). @default undefined: hyphens kept */
  identifier?: boolean;
}

/** Limits per kind of physical name, from the AWS API references. */
export const NAME_RULES = {
  lambdaFunction: { maxLength: 64 },
  iamRole: { maxLength: 64 },
  logGroup: { maxLength: 512 },
  securityGroup: { maxLength: 255 },
  eventRule: { maxLength: 64 },
  restApi: { maxLength: 1024 },
  graphqlApi: { maxLength: 65536 },
  appsyncDataSource: { maxLength: 65536, identifier: true },
  redisReplicationGroup: { maxLength: 40, noDoubleHyphen: true },
  redisSubnetGroup: { maxLength: 255, noDoubleHyphen: true },
  redisParameterGroup: { maxLength: 255, noDoubleHyphen: true },
  daxCluster: { maxLength: 20, noDoubleHyphen: true },
  daxSubnetGroup: { maxLength: 255, noDoubleHyphen: true },
  daxParameterGroup: { maxLength: 255, noDoubleHyphen: true },
  wafWebAcl: { maxLength: 128 },
  cloudfrontPolicy: { maxLength: 128 },
  cloudfrontOac: { maxLength: 64 },
  cloudfrontFunction: { maxLength: 64 },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Length of the hash suffix, hyphen included. */
const SUFFIX_LENGTH = 7;

/** First `n` hex digits of the SHA-256 of `text`. */
export function shortHash(text: string, n = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, n);
}

/**
 * `name` if it obeys `rule`; otherwise its valid form, cut to fit, with `-<hash>`
 * of the original appended.
 */
export function fitName(name: string, rule: NameRule): string {
  let valid = name;
  let lossy = false;
  // Config names hold only [a-z0-9-], so mapping the rest to `_` loses nothing.
  if (rule.identifier) valid = valid.replace(/[^A-Za-z0-9_]/g, '_');
  if (rule.noDoubleHyphen) {
    const collapsed = valid.replace(/-{2,}/g, '-');
    lossy = collapsed !== valid;
    valid = collapsed;
  }
  if (!lossy && valid.length <= rule.maxLength) return valid;
  const sep = rule.identifier ? '_' : '-';
  const cut = valid.slice(0, rule.maxLength - SUFFIX_LENGTH).replace(/[-_]+$/, '');
  return `${cut}${sep}${shortHash(name)}`;
}

/** A physical name of `kind` from its parts, joined with `-` and fitted to the kind's rule. */
export function physicalName(kind: NameKind, ...parts: string[]): string {
  return fitName(parts.join('-'), NAME_RULES[kind]);
}

/** The ElastiCache parameter group family of an engine and version: `valkey8`, `redis7`, `redis6.x`. */
export function redisParameterFamily(engine: 'valkey' | 'redis', version: string): string {
  const major = Number(version.split('.')[0]);
  if (engine === 'valkey') return `valkey${major}`;
  return major <= 6 ? `redis${major}.x` : `redis${major}`;
}

/** Handler names that would collide with a function cachestack adds itself. */
export const RESERVED_HANDLER_NAMES = ['warmer'] as const;

/**
 * Physical names of one stack's resources. Every `<kind>` suffix differs between
 * resources that share an AWS namespace (roles, security groups), so a config name
 * can never make two of them equal.
 */
export class ResourceNames {
  constructor(readonly prefix: string) {}

  functionName(handler: string): string {
    return physicalName('lambdaFunction', this.prefix, handler);
  }
  handlerRoleName(handler: string): string {
    return physicalName('iamRole', this.prefix, handler, 'fn');
  }
  handlerSecurityGroupName(handler: string): string {
    return physicalName('securityGroup', this.prefix, handler, 'fn');
  }
  functionLogGroupName(functionName: string): string {
    return fitName(`/aws/lambda/${functionName}`, NAME_RULES.logGroup);
  }

  restApiName(api: string): string {
    return physicalName('restApi', this.prefix, api);
  }
  restAccessLogGroupName(apiName: string, stage: string): string {
    return fitName(`/aws/apigateway/${apiName}/${stage}/access`, NAME_RULES.logGroup);
  }

  graphqlApiName(api: string): string {
    return physicalName('graphqlApi', this.prefix, api);
  }
  graphqlLogRoleName(api: string): string {
    return physicalName('iamRole', this.prefix, api, 'appsync-logs');
  }
  graphqlDataSourceRoleName(api: string): string {
    return physicalName('iamRole', this.prefix, api, 'appsync-ds');
  }
  /** AppSync data source names are identifiers: `lambda_<handler>` with `-` as `_`. */
  graphqlDataSourceName(handler: string): string {
    return fitName(`lambda_${handler}`, NAME_RULES.appsyncDataSource);
  }

  redisReplicationGroupId(cache: string): string {
    return physicalName('redisReplicationGroup', this.prefix, cache);
  }
  redisSubnetGroupName(cache: string): string {
    return physicalName('redisSubnetGroup', this.prefix, cache);
  }
  /** The family is part of the name so an engine upgrade creates the new group before the old one goes. */
  redisParameterGroupName(cache: string, family: string): string {
    return physicalName('redisParameterGroup', this.prefix, cache, family.replace(/\./g, '-'));
  }
  redisSecurityGroupName(cache: string): string {
    return physicalName('securityGroup', this.prefix, cache, 'redis');
  }
  /**
   * Under `/aws/vendedlogs/`: CloudWatch Logs then covers every delivery log group
   * with one resource policy instead of growing it per group (it is capped at 5120
   * characters per account and region).
   */
  redisSlowLogGroupName(replicationGroupId: string): string {
    return fitName(`/aws/vendedlogs/elasticache/${replicationGroupId}/slow-log`, NAME_RULES.logGroup);
  }

  daxClusterName(cluster: string): string {
    return physicalName('daxCluster', this.prefix, cluster);
  }
  daxSubnetGroupName(cluster: string): string {
    return physicalName('daxSubnetGroup', this.prefix, cluster);
  }
  daxParameterGroupName(cluster: string): string {
    return physicalName('daxParameterGroup', this.prefix, cluster);
  }
  daxRoleName(cluster: string): string {
    return physicalName('iamRole', this.prefix, cluster, 'dax');
  }
  daxSecurityGroupName(cluster: string): string {
    return physicalName('securityGroup', this.prefix, cluster, 'dax');
  }
  /** The group of the stack's interface endpoints (a handler's is `<prefix>-<handler>-fn`, so no handler name can give this one). */
  endpointSecurityGroupName(): string {
    return physicalName('securityGroup', this.prefix, 'vpc-endpoints');
  }
  /** The `Name` tag of a VPC endpoint (endpoints have no name of their own). */
  vpcEndpointName(service: string): string {
    return `${this.prefix}-${service}`;
  }
  /** The account-level API Gateway CloudWatch Logs role (`restApi.accountLogsRole`). */
  apiGatewayAccountRoleName(): string {
    return physicalName('iamRole', this.prefix, 'apigw-cloudwatch');
  }

  /** The web ACL cachestack creates from `waf.managedRules` for an API (`rest` or `graphql`). */
  wafWebAclName(kind: 'rest' | 'graphql', api: string): string {
    return physicalName('wafWebAcl', this.prefix, kind, api);
  }
  cdnCachePolicyName(behavior: 'api' | 'static'): string {
    return physicalName('cloudfrontPolicy', this.prefix, 'cdn', behavior);
  }
  cdnOriginRequestPolicyName(): string {
    return physicalName('cloudfrontPolicy', this.prefix, 'cdn', 'api-origin');
  }
  cdnOriginAccessControlName(): string {
    return physicalName('cloudfrontOac', this.prefix, 'cdn', 'static');
  }
  cdnFunctionName(): string {
    return physicalName('cloudfrontFunction', this.prefix, 'cdn', 'api-prefix');
  }

  warmerFunctionName(): string {
    return physicalName('lambdaFunction', this.prefix, 'warmer');
  }
  warmerRoleName(): string {
    return physicalName('iamRole', this.prefix, 'warmer');
  }
  warmerRuleName(): string {
    return physicalName('eventRule', this.prefix, 'warmer');
  }
}

// ---------------------------------------------------------------------------
// Construct ids. `/` separates construct paths, so ids never contain it.

/**
 * A REST resource path as a construct id: segments joined with `:` (a character
 * API Gateway paths cannot hold, so distinct paths give distinct ids).
 * `/users/{userId}` → `users:{userId}`; `/` → `root`.
 */
export function pathId(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  return segments.length === 0 ? 'root' : segments.join(':');
}

/**
 * Construct ids: a fixed kind and the config name, joined with `:` (which no
 * config name holds), so two different names never give the same id.
 */
export const constructIds = {
  handler: (name: string) => `handler:${name}`,
  redis: (name: string) => `redis:${name}`,
  dax: (name: string) => `dax:${name}`,
  /** `GET /users/{userId}` → `GET:users:{userId}`. */
  endpoint: (method: string, path: string) => `${method}:${pathId(path)}`,
  resource: (path: string) => `resource:${pathId(path)}`,
  resolver: (field: string) => `resolver:${field}`,
  dataSource: (handler: string) => `datasource:${handler}`,
};

/** Terraform output names; each is derived from the config name it reports on. */
export const outputIds = {
  restApiUrl: () => 'rest-api-url',
  restApiId: () => 'rest-api-id',
  restApiStage: () => 'rest-api-stage',
  graphqlUrl: () => 'graphql-url',
  graphqlApiId: () => 'graphql-api-id',
  redisPrimary: (cache: string) => `redis-${cache}-primary-endpoint`,
  redisReader: (cache: string) => `redis-${cache}-reader-endpoint`,
  daxEndpoint: (cluster: string) => `dax-${cluster}-endpoint`,
  functionName: (handler: string) => `function-${handler}-name`,
  aliasArn: (handler: string) => `function-${handler}-alias-arn`,
  restDomainTarget: () => 'rest-api-domain-target',
  restDomainZone: () => 'rest-api-domain-zone-id',
  cdnDomain: () => 'cdn-domain-name',
  cdnDistributionId: () => 'cdn-distribution-id',
};

// ---------------------------------------------------------------------------
// Logical ids (Terraform addresses)

const HUMAN_MAX = 200;

function readable(component: string): string {
  return component.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The Terraform logical id of an element from its construct path below the stack:
 * the path's components made readable (`GET:users:{userId}` → `GET_users_userId`)
 * and joined with `_`, then `_` and the first 8 hex digits of the MD5 of the raw
 * path, which keeps two paths that read alike apart. A top-level element whose id
 * is already a valid name keeps it unchanged (`rest-api-url`).
 */
export function logicalIdOf(components: readonly string[]): string {
  const parts = components.filter((c) => c !== 'Default');
  if (parts.length === 0) throw new Error('cannot name a Terraform element without a construct path');
  if (parts.length === 1 && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(parts[0])) return parts[0];
  const hash = createHash('md5').update(parts.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human = parts
    .filter((c) => c !== 'Resource')
    .map(readable)
    .filter((c) => c !== '')
    .join('_')
    .slice(0, HUMAN_MAX);
  return human === '' ? `r_${hash}` : `${/^[A-Za-z_]/.test(human) ? '' : 'r_'}${human}_${hash}`;
}
