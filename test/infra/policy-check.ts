/**
 * A small policy checker over synthesized Terraform JSON: the Checkov/Trivy
 * policies cachestack's secure defaults must pass, each evaluated the way the
 * scanner evaluates it on these resource types, plus the IAM and log-retention
 * rules of the house. `checkPolicies` returns the failures per policy id; a
 * policy with no resource to inspect reports `notApplicable`, so a test can tell
 * "passed" from "nothing was checked".
 */

import { isAllowedWildcardResource } from '../../src/config/access';

type Json = Record<string, any>;

export interface PolicyResult {
  id: string;
  title: string;
  /** Resources inspected. */
  checked: number;
  /** `type.name: reason` per failing resource. */
  failures: string[];
}

interface Policy {
  id: string;
  title: string;
  resourceType: string;
  /** `data` blocks instead of `resource` blocks. @default resource */
  data?: boolean;
  /** A reason when the block fails, else undefined. */
  check(block: Json, name: string): string | undefined;
}

const isTrue = (v: unknown) => v === true || v === 'true';

/** Actions AWS offers no resource-level permission for, so `Resource: "*"` is required with them. */
export const STAR_RESOURCE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

/** S3 object actions `access.s3` grants on `BUCKET/PREFIX*`. */
const S3_OBJECT_ACTIONS = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);

/**
 * Why a resource with `*` in it (other than the whole `"*"`, which the policy
 * above checks) is allowed in this statement, or `undefined` when it is not.
 * Exactly three forms, each where IAM offers no exact name:
 * - the log streams of one log group (`<log group arn>:*`) with logs actions: stream names are made by Lambda;
 * - the objects under one S3 prefix (`arn:P:s3:::BUCKET/PREFIX*`, `*` once, at the end) with S3 object actions only
 *   (`isAllowedWildcardResource` of src/config/access.ts): object keys are not known in advance;
 * - a DAX cluster's own role on the indexes of the tables it serves (`table/NAME/index/*`): the YAML names no indexes
 *   for `dax.<name>.tables` (handler roles never get this form: their indexes are listed).
 */
function allowedWildcard(resource: string, actions: string[], blockPath: string, statement: Json = {}): boolean {
  // The CloudFront static origin's bucket policy: every object of that one bucket, read
  // only by the distribution (through OAC), and a Deny of non-TLS access to the same objects.
  if (/^\$\{data\.aws_s3_bucket\.[A-Za-z0-9_-]+\.arn\}\/\*$/.test(resource) && /cdn[/_]static-bucket-policy-document/.test(blockPath)) {
    return statement.effect === 'Deny' || actions.every((a) => a === 's3:GetObject');
  }
  if (/^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_-]+\.arn\}:\*$/.test(resource)) return actions.every((a) => a.startsWith('logs:'));
  if (isAllowedWildcardResource(resource)) return actions.every((a) => S3_OBJECT_ACTIONS.has(a));
  if (/:table\/[A-Za-z0-9_.-]+\/index\/\*$/.test(resource) && (/\/dax:[^/]+\/role\/permissions$/.test(blockPath) || /^dax_[A-Za-z0-9-]+_role_permissions_[0-9A-F]{8}$/.test(blockPath))) {
    return actions.every((a) => a === 'dynamodb:Query' || a === 'dynamodb:Scan');
  }
  return false;
}

/** Lambda runtimes AWS has not deprecated (the config language offers no other). */
const SUPPORTED_RUNTIMES = new Set(['nodejs22.x', 'nodejs24.x', 'nodejs20.x', 'python3.12', 'python3.13']);

export const POLICIES: Policy[] = [
  {
    id: 'CKV_AWS_29',
    title: 'ElastiCache replication group encrypted at rest',
    resourceType: 'aws_elasticache_replication_group',
    check: (b) => (isTrue(b.at_rest_encryption_enabled) ? undefined : `at_rest_encryption_enabled is ${JSON.stringify(b.at_rest_encryption_enabled)}`),
  },
  {
    id: 'CKV_AWS_30',
    title: 'ElastiCache replication group encrypted in transit',
    resourceType: 'aws_elasticache_replication_group',
    check: (b) => (isTrue(b.transit_encryption_enabled) ? undefined : `transit_encryption_enabled is ${JSON.stringify(b.transit_encryption_enabled)}`),
  },
  {
    id: 'CKV_AWS_47',
    title: 'DAX cluster server-side encryption',
    resourceType: 'aws_dax_cluster',
    check: (b) => (isTrue(b.server_side_encryption?.enabled) ? undefined : 'server_side_encryption.enabled is not true'),
  },
  {
    id: 'CKV_AWS_239',
    title: 'DAX cluster endpoint uses TLS',
    resourceType: 'aws_dax_cluster',
    check: (b) => (b.cluster_endpoint_encryption_type === 'TLS' ? undefined : `cluster_endpoint_encryption_type is ${JSON.stringify(b.cluster_endpoint_encryption_type)}`),
  },
  {
    id: 'CKV_AWS_308',
    title: 'API Gateway method cache encrypted',
    resourceType: 'aws_api_gateway_method_settings',
    check: (b) => (isTrue(b.settings?.caching_enabled) && !isTrue(b.settings?.cache_data_encrypted) ? 'caching on without cache_data_encrypted' : undefined),
  },
  {
    id: 'CKV_AWS_276',
    title: 'API Gateway data trace off',
    resourceType: 'aws_api_gateway_method_settings',
    check: (b) => (isTrue(b.settings?.data_trace_enabled) ? 'data_trace_enabled is true' : undefined),
  },
  {
    id: 'CKV_AWS_73',
    title: 'API Gateway stage X-Ray tracing',
    resourceType: 'aws_api_gateway_stage',
    check: (b) => (isTrue(b.xray_tracing_enabled) ? undefined : 'xray_tracing_enabled is not true'),
  },
  {
    id: 'CKV_AWS_76',
    title: 'API Gateway stage access logging',
    resourceType: 'aws_api_gateway_stage',
    check: (b) => (b.access_log_settings?.destination_arn ? undefined : 'no access_log_settings.destination_arn'),
  },
  {
    id: 'CKV_AWS_214',
    title: 'AppSync API cache encrypted at rest',
    resourceType: 'aws_appsync_api_cache',
    check: (b) => (isTrue(b.at_rest_encryption_enabled) ? undefined : 'at_rest_encryption_enabled is not true'),
  },
  {
    id: 'CKV_AWS_215',
    title: 'AppSync API cache encrypted in transit',
    resourceType: 'aws_appsync_api_cache',
    check: (b) => (isTrue(b.transit_encryption_enabled) ? undefined : 'transit_encryption_enabled is not true'),
  },
  {
    id: 'CKV_AWS_193',
    title: 'AppSync logging',
    resourceType: 'aws_appsync_graphql_api',
    check: (b) => (b.log_config?.cloudwatch_logs_role_arn ? undefined : 'no log_config.cloudwatch_logs_role_arn'),
  },
  {
    id: 'CKV_AWS_194',
    title: 'AppSync field-level logs',
    resourceType: 'aws_appsync_graphql_api',
    check: (b) => (['ALL', 'ERROR'].includes(b.log_config?.field_log_level) ? undefined : `field_log_level is ${JSON.stringify(b.log_config?.field_log_level)}`),
  },
  {
    id: 'CKV_AWS_50',
    title: 'Lambda X-Ray tracing',
    resourceType: 'aws_lambda_function',
    check: (b) => (b.tracing_config?.mode === 'Active' || b.tracing_config?.mode === 'PassThrough' ? undefined : 'no tracing_config.mode'),
  },
  {
    id: 'CKV_AWS_363',
    title: 'Lambda runtime supported',
    resourceType: 'aws_lambda_function',
    check: (b) => (SUPPORTED_RUNTIMES.has(b.runtime) ? undefined : `runtime ${JSON.stringify(b.runtime)} is deprecated or unknown`),
  },
  {
    id: 'CKV_AWS_364',
    title: 'Lambda permission for a service limited by source ARN',
    resourceType: 'aws_lambda_permission',
    check: (b) => (typeof b.principal === 'string' && b.principal.endsWith('.amazonaws.com') && !b.source_arn && !b.source_account ? `principal ${b.principal} without source_arn` : undefined),
  },
  {
    id: 'IAM_NO_WILDCARD_ACTION',
    title: 'no wildcard IAM actions in what a policy allows (a Deny may name them all: it only takes away)',
    resourceType: 'aws_iam_policy_document',
    data: true,
    check: (b) => {
      const bad = (b.statement ?? []).filter((s: Json) => s.effect !== 'Deny').flatMap((s: Json) => (s.actions ?? []).filter((a: string) => a.includes('*')));
      return bad.length > 0 ? `wildcard actions ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'IAM_STAR_RESOURCE_ONLY_WHERE_REQUIRED',
    title: 'Resource "*" only with actions that have no resource-level permission',
    resourceType: 'aws_iam_policy_document',
    data: true,
    check: (b) => {
      const bad = (b.statement ?? [])
        .filter((s: Json) => (s.resources ?? []).includes('*'))
        .flatMap((s: Json) => (s.actions ?? []).filter((a: string) => !STAR_RESOURCE_ACTIONS.has(a)));
      return bad.length > 0 ? `"*" resource with ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'IAM_NO_WILDCARD_IN_RESOURCE',
    title: 'no "*" inside a resource ARN, except where IAM offers no exact name (log streams, S3 objects under a prefix, the CDN static bucket\'s objects, a DAX role\'s table indexes)',
    resourceType: 'aws_iam_policy_document',
    data: true,
    check: (b, name) => {
      // The construct path when the JSON carries it (cdk.tf.json), else the block name (`dax_hot_role_permissions_<hash>`).
      const path = String(b['//']?.metadata?.path ?? name);
      const bad = (b.statement ?? []).flatMap((s: Json) =>
        (s.resources ?? []).filter((r: string) => r !== '*' && /[*?]/.test(r) && !allowedWildcard(r, s.actions ?? [], path, s)).map((r: string) => `${s.sid ?? '?'}: ${r}`),
      );
      return bad.length > 0 ? `wildcard in resources ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'LOG_GROUP_RETENTION',
    title: 'log groups have a retention',
    resourceType: 'aws_cloudwatch_log_group',
    check: (b) => (typeof b.retention_in_days === 'number' && b.retention_in_days > 0 ? undefined : 'no retention_in_days'),
  },
];

/** Every policy over one synthesized stack (the JSON text `Testing.synth` or `cdk.tf.json` holds). */
export function checkPolicies(synthesized: string | Json): PolicyResult[] {
  const tf: Json = typeof synthesized === 'string' ? JSON.parse(synthesized) : synthesized;
  return POLICIES.map((p) => {
    const blocks: Json = (p.data ? tf.data : tf.resource)?.[p.resourceType] ?? {};
    const failures: string[] = [];
    for (const [name, block] of Object.entries(blocks)) {
      const reason = p.check(block as Json, name);
      if (reason) failures.push(`${p.resourceType}.${name}: ${reason}`);
    }
    return { id: p.id, title: p.title, checked: Object.keys(blocks).length, failures };
  });
}
