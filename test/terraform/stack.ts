/**
 * One synthesized stack directory under real Terraform: validate it as written,
 * then point the provider at moto with an override file written beside
 * cdk.tf.json (Terraform merges `*_override.tf.json` over the configuration; the
 * synthesized file itself is never edited), plan, and apply what moto implements.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type Run, type Tools } from './tools';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The file the suite adds to a stack directory; the only file it writes there besides Terraform's own. */
export const OVERRIDE_FILE = 'cachestack_override.tf.json';

/**
 * The provider `endpoints` key of every resource and data source type the stacks
 * use, by type prefix. A type missing here fails the suite (rather than letting
 * the provider try the real AWS API).
 */
const SERVICE_OF_TYPE: [prefix: string, service: string | null][] = [
  ['aws_api_gateway_', 'apigateway'],
  ['aws_appsync_', 'appsync'],
  ['aws_caller_identity', 'sts'],
  ['aws_cloudfront_', 'cloudfront'],
  ['aws_s3_', 's3'],
  ['aws_cloudwatch_event_', 'events'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_dashboard', 'cloudwatch'],
  ['aws_cloudwatch_metric_alarm', 'cloudwatch'],
  ['aws_dax_', 'dax'],
  ['aws_elasticache_', 'elasticache'],
  ['aws_iam_policy_document', null],
  ['aws_iam_', 'iam'],
  ['aws_lambda_', 'lambda'],
  ['aws_partition', null],
  ['aws_region', null],
  ['aws_route_table', 'ec2'],
  ['aws_secretsmanager_', 'secretsmanager'],
  ['aws_security_group', 'ec2'],
  ['aws_subnet', 'ec2'],
  ['aws_vpc', 'ec2'],
  ['aws_wafv2_', 'wafv2'],
  ['aws_acm_', 'acm'],
  ['aws_sns_', 'sns'],
  ['aws_sqs_', 'sqs'],
];

/**
 * Resource types moto implements well enough to create, read back and leave
 * unchanged (found by applying every shipped stack and the edge variant): API
 * Gateway REST APIs (CORS preflight method and integration responses and gateway
 * responses included) and the account's logging role setting, Lambda, IAM (managed
 * policy attachments with moto's MOTO_IAM_LOAD_MANAGED_POLICIES, which Moto.start
 * sets), CloudWatch Logs, alarms and dashboards, SNS and EventBridge. Not here:
 * ElastiCache parameter groups and
 * replication groups (moto does not implement them; the provider waits for
 * them forever), DAX, AppSync data sources and caches (moto answers 404), and
 * security groups and VPC endpoints (they name the YAML's VPC id, which moto does
 * not have), and the edge's CloudFront, S3 bucket policy, WAF and custom domain
 * resources (planned only: applying them against moto has not been tried yet).
 */
export const APPLIED_TYPES: ReadonlySet<string> = new Set([
  'aws_api_gateway_account',
  'aws_api_gateway_authorizer',
  'aws_api_gateway_deployment',
  'aws_api_gateway_gateway_response',
  'aws_api_gateway_integration',
  'aws_api_gateway_integration_response',
  'aws_api_gateway_method',
  'aws_api_gateway_method_response',
  'aws_api_gateway_method_settings',
  'aws_api_gateway_resource',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_stage',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_target',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_lambda_alias',
  'aws_lambda_function',
  'aws_lambda_permission',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
]);

/**
 * Arguments moto 5.2 accepts but does not store or return, so the plan after an
 * apply would show them as changes forever: a resource that sets one is only
 * planned (and so is everything that depends on it). Found by the converge check.
 * Also not applied: `aws_lambda_provisioned_concurrency_config` (moto answers 404).
 */
export const MOTO_DROPS: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_integration: ['cache_key_parameters'],
  aws_lambda_function: ['logging_config'],
};

function setsDroppedArgument(type: string, block: Json): boolean {
  return (MOTO_DROPS[type] ?? []).some((arg) => {
    const v = block[arg];
    return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  });
}

export function readStack(dir: string): Json {
  return JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as Json;
}

/** `type.name` of every managed resource, sorted. */
export function resourceAddresses(tf: Json): string[] {
  const out: string[] = [];
  for (const [type, blocks] of Object.entries((tf.resource ?? {}) as Json)) for (const name of Object.keys(blocks as Json)) out.push(`${type}.${name}`);
  return out.sort();
}

/** Every resource and data source type of the stack. */
export function typesOf(tf: Json): string[] {
  return [...new Set([...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {})])].sort();
}

export function serviceOf(type: string): string | null | undefined {
  return SERVICE_OF_TYPE.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/** Secret ARNs the stack's data sources read (moto must hold them before plan). */
export function secretArns(tf: Json): string[] {
  const out: string[] = [];
  for (const block of Object.values((tf.data?.aws_secretsmanager_secret ?? {}) as Json)) out.push((block as Json).arn);
  for (const block of Object.values((tf.data?.aws_secretsmanager_secret_version ?? {}) as Json)) out.push((block as Json).secret_id);
  return out.filter((a): a is string => typeof a === 'string');
}

/** The provider's region (the YAML's): the provider without an alias. */
export function regionOf(tf: Json): string {
  return ((tf.provider.aws as Json[]).find((p) => p.alias === undefined) ?? tf.provider.aws[0]).region as string;
}

/** Every region a provider of the stack (aliases included) works in. */
export function regionsOf(tf: Json): string[] {
  return [...new Set((tf.provider.aws as Json[]).map((p) => p.region as string))].sort();
}

/** S3 buckets the stack's data sources read (moto must hold them before plan). */
export function bucketNames(tf: Json): string[] {
  return Object.values((tf.data?.aws_s3_bucket ?? {}) as Json)
    .map((b) => (b as Json).bucket)
    .filter((b): b is string => typeof b === 'string');
}

/**
 * The override: static test credentials, every endpoint at moto, no account or
 * metadata lookups; local state in the stack directory whatever backend the stack
 * names (an override's backend block replaces the original's); and the VPC and
 * route table lookups pointed at the VPC and subnets created in moto.
 */
export function overrideFor(tf: Json, endpoint: string, vpcId: string, subnetIds: readonly string[] = []): Json {
  const services = new Set<string>(['sts']);
  for (const type of typesOf(tf)) {
    const service = serviceOf(type);
    if (service === undefined) throw new Error(`no provider endpoint is known for ${type}; add it to SERVICE_OF_TYPE in test/terraform/stack.ts`);
    if (service !== null) services.add(service);
  }
  const settings: Json = {
    access_key: 'test',
    secret_key: 'test',
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_requesting_account_id: true,
    endpoints: [Object.fromEntries([...services].sort().map((s) => [s, endpoint]))],
  };
  // moto serves buckets by path (`/bucket`), not as `bucket.localhost` host names.
  if (services.has('s3')) settings.s3_use_path_style = true;
  // Override blocks merge into the provider block of the same alias: one per provider of the stack (an
  // aliased one, such as us-east-1 for CloudFront's metrics, must not reach the real AWS API either).
  const aliases = ((tf.provider?.aws ?? [{}]) as Json[]).map((p) => p.alias as string | undefined);
  const override: Json = {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: { aws: aliases.map((alias) => (alias === undefined ? { ...settings } : { alias, ...settings })) },
  };
  const data: Json = {};
  const vpcs = Object.keys((tf.data?.aws_vpc ?? {}) as Json);
  if (vpcs.length > 0) data.aws_vpc = Object.fromEntries(vpcs.map((name) => [name, { id: vpcId }]));
  // Route tables are looked up by the YAML's subnet ids: each is pointed at a subnet of
  // the moto VPC that has a route table of its own (explicitly associated, as the
  // lookup requires), the YAML's subnets in sorted order onto moto's.
  const routeTables = Object.entries((tf.data?.aws_route_table ?? {}) as Json);
  if (routeTables.length > 0) {
    if (subnetIds.length === 0) throw new Error('the stack looks up route tables but moto has no subnets to point them at');
    const yamlSubnets = [...new Set(routeTables.map(([, block]) => String((block as Json).subnet_id)))].sort();
    data.aws_route_table = Object.fromEntries(routeTables.map(([name, block]) => [name, { subnet_id: subnetIds[yamlSubnets.indexOf(String((block as Json).subnet_id)) % subnetIds.length] }]));
  }
  if (Object.keys(data).length > 0) override.data = data;
  return override;
}

/** Addresses a value of the stack refers to (`${aws_x.name.attr}`, `${data.aws_x.name.attr}`, `depends_on`). */
function referencesIn(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{([^}]*)\}/g)) {
      for (const r of m[1].matchAll(/(?<![\w.])((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) out.add(`${r[1]}.${r[2]}`);
    }
    if (/^(data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(value)) out.add(value);
  } else if (Array.isArray(value)) value.forEach((v) => referencesIn(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== '//') referencesIn(v, out);
}

/**
 * The resources `terraform apply` creates in moto: those of `APPLIED_TYPES` whose
 * every dependency, through data sources too (what `-target` pulls in), is of
 * those types, and that sets no argument of `MOTO_DROPS`.
 */
export function applyTargets(tf: Json): string[] {
  const deps = new Map<string, Set<string>>();
  const dropped = new Set<string>();
  for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, blocks] of Object.entries((tf[kind] ?? {}) as Json)) {
      for (const [name, block] of Object.entries(blocks as Json)) {
        const refs = new Set<string>();
        referencesIn(block, refs);
        deps.set(`${prefix}${type}.${name}`, refs);
        if (kind === 'resource' && setsDroppedArgument(type, block as Json)) dropped.add(`${type}.${name}`);
      }
    }
  }
  const ok = new Map<string, boolean>();
  const visit = (address: string, seen: Set<string>): boolean => {
    const known = ok.get(address);
    if (known !== undefined) return known;
    if (seen.has(address)) return true;
    seen.add(address);
    const isData = address.startsWith('data.');
    const type = address.split('.')[isData ? 1 : 0];
    const refs = deps.get(address);
    const result = refs !== undefined && (isData || (APPLIED_TYPES.has(type) && !dropped.has(address))) && [...refs].every((r) => visit(r, seen));
    ok.set(address, result);
    return result;
  };
  return [...deps.keys()].filter((a) => !a.startsWith('data.') && visit(a, new Set())).sort();
}

export interface Terraform {
  /** `terraform <args>` in `dir`, with the suite's environment. */
  (dir: string, args: string[], timeoutMs?: number): Promise<Run>;
  tools: Tools;
}

/**
 * A `terraform` runner: no update checks, no CLI config of the user, no prompts;
 * with the registry (no plugin dir), providers are cached in `pluginCache` so
 * every stack after the first initializes without a download.
 */
export function terraformRunner(tools: Tools, pluginCache: string): Terraform {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  for (const k of Object.keys(env)) if (k.startsWith('TF_VAR_') || k === 'TF_CLI_ARGS' || k.startsWith('TF_CLI_ARGS_') || k.startsWith('AWS_')) delete env[k];
  if (tools.pluginDir) env.TF_CLI_CONFIG_FILE = '/dev/null';
  else env.TF_PLUGIN_CACHE_DIR = pluginCache;
  const tf = ((dir: string, args: string[], timeoutMs?: number) => run(tools.terraform, args, { cwd: dir, env, timeoutMs })) as Terraform;
  tf.tools = tools;
  return tf;
}

export function initArgs(tools: Tools, backend: boolean): string[] {
  const args = ['init', '-input=false', '-no-color'];
  if (!backend) args.push('-backend=false');
  if (tools.pluginDir) args.push(`-plugin-dir=${tools.pluginDir}`);
  return args;
}

/** `diagnostic` messages of a `-json` stream (plan, apply), or of `validate -json`. */
export function diagnostics(jsonOutput: string): { severity: string; summary: string; detail?: string; address?: string }[] {
  const trimmed = jsonOutput.trim();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const doc = JSON.parse(trimmed) as Json;
    if (Array.isArray(doc.diagnostics)) return doc.diagnostics;
  }
  const out: { severity: string; summary: string; detail?: string; address?: string }[] = [];
  for (const line of trimmed.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line) as Json;
    if (msg.type === 'diagnostic') out.push({ ...msg.diagnostic, address: msg.diagnostic.address });
  }
  return out;
}

export function describe(d: { severity: string; summary: string; detail?: string; address?: string }[]): string {
  return d.map((x) => `${x.severity}: ${x.summary}${x.address ? ` (${x.address})` : ''}${x.detail ? `\n  ${x.detail.replace(/\n/g, '\n  ')}` : ''}`).join('\n');
}

/** `type.name` and action of every managed resource in a `plan -json` stream (its `planned_change` messages), so no `terraform show` is needed. */
export function plannedChanges(planOutput: string): { address: string; actions: string }[] {
  const out: { address: string; actions: string }[] = [];
  for (const line of planOutput.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line) as Json;
    if (msg.type !== 'planned_change') continue;
    const address = String(msg.change.resource.addr);
    if (!address.startsWith('data.')) out.push({ address, actions: String(msg.change.action) });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : 1));
}
