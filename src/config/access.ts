/**
 * `handlers.<name>.access`: what a handler's own code reaches through the AWS
 * SDK, and the exact IAM statements that grant it. The one place that says
 * which IAM actions each `actions` keyword means: src/infra (the role policy),
 * src/plan (explain, diff), rule 13 and docs/config.md all read these lists.
 *
 * Resources are exact ARNs. A name (`Users`, `jobs`) becomes an ARN in the
 * stack's partition, region (the config's `region`) and account; the caller
 * passes those three as strings (Terraform references in src/infra,
 * placeholders in explain). There is no `*` in a resource, with one documented
 * exception that IAM leaves no way around: the objects under an S3 prefix are
 * `arn:PARTITION:s3:::BUCKET/PREFIX*` (or `BUCKET/*` for the whole bucket),
 * because object keys are not known in advance; ListBucket on that bucket is
 * scoped with an `s3:prefix` condition instead. `isAllowedWildcardResource`
 * says exactly which form that is.
 *
 * Pure: no cdktf, no files.
 */
import type { Access, DaxCluster, Handler, RedisCache, ServiceModel } from './model';

// ---------------------------------------------------------------------------
// The action lists

/** DynamoDB table actions per keyword (CDK's `grantReadData` / `grantWriteData`, without streams). */
export const DYNAMODB_ACTIONS = {
  read: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  write: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

/** What a listed index (`indexes`) grants: the only calls that take an `IndexName`. */
export const DYNAMODB_INDEX_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'] as const;

/** S3 object actions per keyword, on `BUCKET/PREFIX*`. */
export const S3_OBJECT_ACTIONS = {
  read: ['s3:GetObject'],
  write: ['s3:DeleteObject', 's3:PutObject'],
} as const;

/** S3 bucket actions of `read`, on the bucket ARN, with `s3:prefix` under the prefix when one is given (so a missing key is a 404, not a 403). */
export const S3_BUCKET_READ_ACTIONS = ['s3:ListBucket'] as const;

export const SQS_ACTIONS = {
  send: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
  receive: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
} as const;

export const SNS_ACTIONS = { publish: ['sns:Publish'] } as const;

export const SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

// The statements every handler role has, whatever `access` says (src/infra/handler-function.ts).

/** On the function's own log group (`<log group arn>:*`, its streams). */
export const LOGS_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** X-Ray accepts no resource ARN for these. */
export const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] as const;

/** What AWSLambdaVPCAccessExecutionRole grants; EC2 offers no resource-level scoping Lambda can use here. */
export const VPC_ENI_ACTIONS = [
  'ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:UnassignPrivateIpAddresses',
] as const;

/** Actions on a DAX cluster a handler's DAX client uses (`connections.dax`): item and query reads and writes. */
export const DAX_CLIENT_ACTIONS = [
  'dax:BatchGetItem', 'dax:BatchWriteItem', 'dax:ConditionCheckItem', 'dax:DeleteItem',
  'dax:GetItem', 'dax:PutItem', 'dax:Query', 'dax:Scan', 'dax:UpdateItem',
] as const;

type Keyword<T extends string> = T | 'readwrite' | 'sendreceive';

function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** The parts of a keyword: `readwrite` is `read` and `write`, `sendreceive` is `send` and `receive`. */
export function keywordParts(keyword: string): string[] {
  if (keyword === 'readwrite') return ['read', 'write'];
  if (keyword === 'sendreceive') return ['send', 'receive'];
  return [keyword];
}

/**
 * Every IAM action an `access` keyword of a service grants, sorted: the table of
 * docs/config.md. For S3 the object and the bucket actions together; for
 * DynamoDB the table actions (a listed index gets `DYNAMODB_INDEX_ACTIONS`).
 */
export function actionsOf(service: 'dynamodb' | 's3' | 'sqs' | 'sns', keyword: Keyword<string>): string[] {
  const parts = keywordParts(keyword);
  switch (service) {
    case 'dynamodb':
      return union(...parts.map((p) => DYNAMODB_ACTIONS[p as 'read' | 'write'] ?? []));
    case 's3':
      return union(...parts.map((p) => S3_OBJECT_ACTIONS[p as 'read' | 'write'] ?? []), parts.includes('read') ? S3_BUCKET_READ_ACTIONS : []);
    case 'sqs':
      return union(...parts.map((p) => SQS_ACTIONS[p as 'send' | 'receive'] ?? []));
    case 'sns':
      return union(...parts.map((p) => SNS_ACTIONS[p as 'publish'] ?? []));
  }
}

// ---------------------------------------------------------------------------
// Names and ARNs

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** `arn:partition:service:region:account:resource` split, or `undefined` when it is not of that form. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
export const TOPIC_NAME_PATTERN = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export type AccessRefKind = 'table' | 'queue' | 'topic';

const REF_SPEC: Record<AccessRefKind, { service: string; name: RegExp; nameHelp: string; resource: (r: string) => string | undefined; arnHelp: string }> = {
  table: {
    service: 'dynamodb',
    name: TABLE_NAME_PATTERN,
    nameHelp: '3 to 255 letters, digits, `_`, `-` or `.`',
    resource: (r) => (/^table\/[A-Za-z0-9_.-]{3,255}$/.test(r) ? r.slice('table/'.length) : undefined),
    arnHelp: '`arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`',
  },
  queue: {
    service: 'sqs',
    name: QUEUE_NAME_PATTERN,
    nameHelp: '1 to 80 letters, digits, `_` or `-` (and `.fifo` for a FIFO queue)',
    resource: (r) => (QUEUE_NAME_PATTERN.test(r) ? r : undefined),
    arnHelp: '`arn:aws:sqs:REGION:ACCOUNT:NAME`',
  },
  topic: {
    service: 'sns',
    name: TOPIC_NAME_PATTERN,
    nameHelp: '1 to 256 letters, digits, `_` or `-` (and `.fifo` for a FIFO topic)',
    resource: (r) => (TOPIC_NAME_PATTERN.test(r) ? r : undefined),
    arnHelp: '`arn:aws:sns:REGION:ACCOUNT:NAME`',
  },
};

export type ResolvedRef =
  | { ok: true; name: string; arn?: ParsedArn }
  | { ok: false; message: string; hint: string };

/**
 * A table, queue or topic reference as written: a plain name, or an ARN of the
 * right service and resource type. Rule 13 reports what this refuses; src/infra
 * only sees references it accepted.
 */
export function resolveRef(kind: AccessRefKind, value: string): ResolvedRef {
  const spec = REF_SPEC[kind];
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn || arn.service !== spec.service || arn.region === '' || arn.account === '') {
      return { ok: false, message: `\`${value}\` is not an ARN of an ${spec.service} ${kind}`, hint: `give the ${kind} name, or its ARN ${spec.arnHelp}` };
    }
    const name = spec.resource(arn.resource);
    if (name === undefined) {
      const index = kind === 'table' ? /^table\/([^/]+)\/index\/(.+)$/.exec(arn.resource) : null;
      return {
        ok: false,
        message: `\`${value}\` is not the ARN of a ${kind}`,
        hint: index ? `name the table (\`${index[1]}\`) and list the index in \`indexes: [${index[2]}]\`` : `give the ${kind} name, or its ARN ${spec.arnHelp}`,
      };
    }
    return { ok: true, name, arn };
  }
  if (!spec.name.test(value)) {
    return { ok: false, message: `\`${value}\` is not a ${kind} name (${spec.nameHelp}) nor a ${kind} ARN`, hint: `give the ${kind} name, or its ARN ${spec.arnHelp}` };
  }
  return { ok: true, name: value };
}

/** Where names become ARNs: Terraform references in src/infra, placeholders in explain. */
export interface ArnContext {
  partition: string;
  /** The config's `region`. */
  region: string;
  account: string;
  /** The ARN IAM matches for a secret as written (src/infra looks partial ARNs up). @default as written */
  secretArn?: (written: string) => string;
}

function refArn(kind: AccessRefKind, value: string, ctx: ArnContext): string {
  if (value.startsWith('arn:')) return value;
  const service = REF_SPEC[kind].service;
  const resource = kind === 'table' ? `table/${value}` : value;
  return `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.account}:${resource}`;
}

/** The table ARN of a `dynamodb` entry. */
export function tableArn(table: string, ctx: ArnContext): string {
  return refArn('table', table, ctx);
}

/** The S3 objects a prefix (or the whole bucket) covers: the one wildcard form allowed. */
export function s3ObjectsArn(partition: string, bucket: string, prefix: string | undefined): string {
  return `arn:${partition}:s3:::${bucket}/${prefix ?? ''}*`;
}

/**
 * The only resource with `*` an `access` grant produces: S3 objects under a
 * prefix, `arn:PARTITION:s3:::BUCKET/PREFIX*`, with `*` once, at the end, and
 * no `*` or `?` in the prefix. The policy checker of the tests allows exactly
 * this form (with S3 object actions only).
 */
export function isAllowedWildcardResource(resource: string): boolean {
  return /^arn:[^:*?]+:s3:::[a-z0-9][a-z0-9.-]+[a-z0-9]\/[^*?]*\*$/.test(resource);
}

// ---------------------------------------------------------------------------
// Statements

export interface AccessStatement {
  /** Unique in the role policy; from the service and keyword, never from a list position of a name. */
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

function byKey<T>(items: T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * The `Allow` statements of an `access` block, in a fixed order (DynamoDB, S3,
 * SQS, SNS, `statements`); resources sorted by what the YAML wrote, so the same
 * block always gives the same policy. `secrets` are not here: the role's one
 * `Secrets` statement lists them with the secrets of `connections`
 * (`accessSecretArns`).
 */
export function accessStatements(access: Access, ctx: ArnContext): AccessStatement[] {
  const out: AccessStatement[] = [];
  const tables = byKey(access.dynamodb, (d) => d.table);
  for (const part of ['read', 'write'] as const) {
    const resources = dedupe(tables.filter((d) => keywordParts(d.actions).includes(part)).map((d) => tableArn(d.table, ctx)));
    if (resources.length > 0) out.push({ sid: part === 'read' ? 'DynamoDbRead' : 'DynamoDbWrite', actions: [...DYNAMODB_ACTIONS[part]], resources });
  }
  const indexes = dedupe(tables.flatMap((d) => [...d.indexes].sort().map((i) => `${tableArn(d.table, ctx)}/index/${i}`)));
  if (indexes.length > 0) out.push({ sid: 'DynamoDbIndexes', actions: [...DYNAMODB_INDEX_ACTIONS], resources: indexes });

  const buckets = byKey(access.s3, (b) => `${b.bucket}/${b.prefix ?? ''}`);
  for (const part of ['read', 'write'] as const) {
    const resources = dedupe(buckets.filter((b) => keywordParts(b.actions).includes(part)).map((b) => s3ObjectsArn(ctx.partition, b.bucket, b.prefix)));
    if (resources.length > 0) out.push({ sid: part === 'read' ? 'S3ReadObjects' : 'S3WriteObjects', actions: [...S3_OBJECT_ACTIONS[part]], resources });
  }
  const listed = [...new Set(buckets.filter((b) => keywordParts(b.actions).includes('read')).map((b) => b.bucket))];
  listed.forEach((bucket, i) => {
    const entries = buckets.filter((b) => b.bucket === bucket && keywordParts(b.actions).includes('read'));
    const statement: AccessStatement = { sid: `S3ListBucket${i + 1}`, actions: [...S3_BUCKET_READ_ACTIONS], resources: [`arn:${ctx.partition}:s3:::${bucket}`] };
    // Any entry of the whole bucket lists the whole bucket; otherwise only under the prefixes.
    if (entries.every((b) => b.prefix !== undefined)) {
      statement.conditions = [{ test: 'StringLike', variable: 's3:prefix', values: dedupe(entries.map((b) => `${b.prefix}*`)) }];
    }
    out.push(statement);
  });

  const queues = byKey(access.sqs, (q) => q.queue);
  for (const part of ['send', 'receive'] as const) {
    const resources = dedupe(queues.filter((q) => keywordParts(q.actions).includes(part)).map((q) => refArn('queue', q.queue, ctx)));
    if (resources.length > 0) out.push({ sid: part === 'send' ? 'SqsSend' : 'SqsReceive', actions: [...SQS_ACTIONS[part]], resources });
  }
  const topics = dedupe(byKey(access.sns, (t) => t.topic).map((t) => refArn('topic', t.topic, ctx)));
  if (topics.length > 0) out.push({ sid: 'SnsPublish', actions: [...SNS_ACTIONS.publish], resources: topics });

  access.statements.forEach((s, i) => {
    out.push({ sid: `Statement${i + 1}`, actions: [...s.actions].sort(), resources: [...s.resources] });
  });
  return out;
}

/** The ARNs IAM matches for `access.secrets`, in YAML order. */
export function accessSecretArns(access: Access, ctx: ArnContext): string[] {
  return access.secrets.map((s) => (ctx.secretArn ? ctx.secretArn(s) : s));
}

// ---------------------------------------------------------------------------
// Services

/**
 * IAM action prefixes whose VPC endpoint service name differs (`com.amazonaws.REGION.<name>`);
 * every other prefix is its own endpoint name.
 */
const ENDPOINT_OF_PREFIX: Readonly<Record<string, string>> = {
  cloudwatch: 'monitoring',
  ses: 'email',
  kinesis: 'kinesis-streams',
  'execute-api': 'execute-api',
};

/** The endpoint service name of an IAM action (`ses:SendEmail` → `email`), or `undefined` for a malformed action. */
export function endpointServiceOfAction(action: string): string | undefined {
  const m = /^([a-z0-9-]+):/.exec(action);
  if (!m) return undefined;
  return ENDPOINT_OF_PREFIX[m[1]] ?? m[1];
}

/**
 * Whether a handler runs in the VPC: `vpc: true`, or it names a Redis cache or a
 * DAX cluster (both are reachable only from inside the VPC). Pure; src/infra and
 * the rules read it through ./aws-services.
 */
export function runsInVpc(handler: Pick<Handler, 'vpc' | 'connections'>): boolean {
  return handler.vpc || handler.connections.redis !== undefined || handler.connections.dax !== undefined;
}

/** The services of `access`'s own lists (tables, buckets, queues, topics, secrets); the same name as service and IAM prefix. */
function listedServices(a: Access): Set<string> {
  const out = new Set<string>();
  if (a.dynamodb.length > 0) out.add('dynamodb');
  if (a.s3.length > 0) out.add('s3');
  if (a.sqs.length > 0) out.add('sqs');
  if (a.sns.length > 0) out.add('sns');
  if (a.secrets.length > 0) out.add('secretsmanager');
  return out;
}

/**
 * The AWS services a handler's `access` needs, by endpoint service name
 * (`dynamodb`, `s3`, `sqs`, `sns`, `secretsmanager`, and the services of
 * `statements` actions): what rule 14 checks against `network.endpoints`.
 * Connections (Redis auth, Postgres secrets, DAX) are not included: see
 * `grantedIamPrefixes` for everything the role grants.
 */
export function accessServices(handler: Pick<Handler, 'access'>): Set<string> {
  const a = handler.access;
  const out = listedServices(a);
  for (const s of a.statements) {
    for (const action of s.actions) {
      const service = endpointServiceOfAction(action);
      if (service !== undefined) out.add(service);
    }
  }
  return out;
}

/**
 * IAM action prefixes the handler's role grants anything on, from `access` and
 * from `connections`: a Redis cache with an auth secret and a Postgres secret
 * give `secretsmanager`, a DAX cluster gives `dax` (not `dynamodb`).
 */
export function grantedIamPrefixes(handler: Handler, model: Pick<ServiceModel, 'redis' | 'dax'>): Set<string> {
  const a = handler.access;
  const out = listedServices(a);
  for (const s of a.statements) for (const action of s.actions) out.add(action.split(':')[0]);
  const c = handler.connections;
  const redis: RedisCache | undefined = c.redis ? model.redis.find((r) => r.name === c.redis!.cache) : undefined;
  if (redis?.authTokenSecret !== undefined || c.postgres?.secret !== undefined) out.add('secretsmanager');
  const dax: DaxCluster | undefined = c.dax ? model.dax.find((d) => d.name === c.dax!.cluster) : undefined;
  if (dax) out.add('dax');
  return out;
}

/**
 * The IAM prefix of the service an SDK package calls: `@aws-sdk/client-dynamodb`
 * and `@aws-sdk/lib-dynamodb` → `dynamodb`, `@aws-sdk/client-secrets-manager` →
 * `secretsmanager`, `@amazon-dax-sdk/client-dax` → `dax` ...; `undefined` for
 * packages that call no service (`@aws-sdk/types`, credential providers,
 * utilities). Subpaths (`@aws-sdk/client-s3/dist-cjs/...`) count as the package.
 */
export function sdkServiceOf(specifier: string): string | undefined {
  const parts = specifier.split('/');
  if (parts[0] === 'amazon-dax-client' || parts[0] === '@amazon-dax-sdk') return 'dax';
  if (parts.length < 2) return undefined;
  if (parts[0] !== '@aws-sdk') return undefined;
  const lib = /^lib-(dynamodb|storage)$/.exec(parts[1]);
  if (lib) return lib[1] === 'storage' ? 's3' : 'dynamodb';
  const m = /^client-(.+)$/.exec(parts[1]);
  if (!m) return undefined;
  return SDK_CLIENT_PREFIX[m[1]] ?? m[1].replace(/-/g, '');
}

/** Client package suffixes whose IAM prefix is not the suffix without hyphens. */
const SDK_CLIENT_PREFIX: Readonly<Record<string, string>> = {
  'dynamodb-streams': 'dynamodb',
  sesv2: 'ses',
  sfn: 'states',
  eventbridge: 'events',
  'cloudwatch-logs': 'logs',
  'cloudwatch-events': 'events',
  'api-gateway': 'apigateway',
  'apigatewaymanagementapi': 'execute-api',
  'secrets-manager': 'secretsmanager',
  'cognito-identity-provider': 'cognito-idp',
  'cognito-identity': 'cognito-identity',
  'rds-data': 'rds-data',
  'iot-data-plane': 'iot',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'sagemaker-runtime': 'sagemaker',
  'personalize-runtime': 'personalize',
  'timestream-write': 'timestream',
  'timestream-query': 'timestream',
  'application-auto-scaling': 'application-autoscaling',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  'kinesis-video': 'kinesisvideo',
  'sso-oidc': 'sso-oauth',
};

/** The IAM prefix as the `access` field that grants it is named, for messages. */
export function accessFieldFor(prefix: string): string {
  switch (prefix) {
    case 'dynamodb':
      return '`access.dynamodb` (a table, or `connections.dax` for DAX)';
    case 's3':
      return '`access.s3`';
    case 'sqs':
      return '`access.sqs`';
    case 'sns':
      return '`access.sns`';
    case 'secretsmanager':
      return '`access.secrets`';
    case 'dax':
      return '`connections.dax`';
    default:
      return `\`access.statements\` (actions \`${prefix}:...\` on exact ARNs)`;
  }
}

// ---------------------------------------------------------------------------
// What a handler's role grants, for explain and diff

/** Placeholders for what Terraform looks up when it plans: the partition and the account. */
export function placeholderContext(region: string): ArnContext {
  return { partition: '<partition>', region, account: '<account>' };
}

/** One statement of a handler's role as explain lists it; `from` says which part of the YAML asks for it. */
/**
 * The IAM resource path of an endpoint's method below a stage: `GET /users/{userId}`
 * → `GET/users/*`. A path parameter matches any value of its segment (`{proxy+}`
 * any rest of the path), which is what the method covers; the method and the
 * literal segments stay exact.
 */
export function methodResourcePath(method: string, path: string): string {
  const segments = path.split('/').map((s) => (s.startsWith('{') && s.endsWith('}') ? '*' : s));
  return `${method}${segments.join('/') || '/'}`;
}

export interface Grant {
  from: 'function' | 'connections' | 'access' | 'connections and access' | 'invalidates';
  sid: string;
  actions: string[];
  resources: string[];
  /** `s3:prefix StringLike avatars/*`, when the statement has a condition. */
  condition?: string;
}

/**
 * Every statement of a handler's role policy, in the order src/infra writes
 * them, with placeholders for what only Terraform knows (`<partition>`,
 * `<account>`, the log group and cluster ARNs, shown by name). The action lists
 * are the same constants src/infra uses; the resources are the YAML's names in
 * ARN form.
 */
export function handlerGrants(handler: Handler, model: Pick<ServiceModel, 'region' | 'redis' | 'dax' | 'restApi'>): Grant[] {
  const ctx = placeholderContext(model.region);
  const out: Grant[] = [
    { from: 'function', sid: 'Logs', actions: [...LOGS_ACTIONS], resources: [`<log group of ${handler.name}>:*`] },
    { from: 'function', sid: 'XRay', actions: [...XRAY_ACTIONS], resources: ['*'] },
  ];
  if (runsInVpc(handler)) out.push({ from: 'function', sid: 'VpcNetworkInterfaces', actions: [...VPC_ENI_ACTIONS], resources: ['*'] });
  const c = handler.connections;
  const dax = c.dax ? model.dax.find((d) => d.name === c.dax!.cluster) : undefined;
  if (dax) out.push({ from: 'connections', sid: 'Dax', actions: [...DAX_CLIENT_ACTIONS], resources: [`<dax cluster ${dax.name}>`] });
  const redis = c.redis ? model.redis.find((r) => r.name === c.redis!.cache) : undefined;
  const secrets = [...new Set([redis?.authTokenSecret, c.postgres?.secret, ...handler.access.secrets].filter((s): s is string => s !== undefined))];
  if (secrets.length > 0) {
    const fromConnections = secrets.some((s) => !handler.access.secrets.includes(s));
    const from = handler.access.secrets.length === 0 ? 'connections' : fromConnections ? 'connections and access' : 'access';
    out.push({ from, sid: 'Secrets', actions: [...SECRET_ACTIONS], resources: secrets });
  }
  for (const s of accessStatements(handler.access, ctx)) {
    const g: Grant = { from: 'access', sid: s.sid, actions: [...s.actions].sort(), resources: s.resources };
    if (s.conditions) g.condition = s.conditions.map((k) => `${k.variable} ${k.test} ${k.values.join(' ')}`).join('; ');
    out.push(g);
  }
  if (handler.invalidates.length > 0 && model.restApi) {
    const api = model.restApi;
    const resources = [...new Set(handler.invalidates.map((t) => `<execution arn of rest api ${api.name}>/${api.stage}/${methodResourcePath(t.method, t.path)}`))].sort();
    out.push({ from: 'invalidates', sid: 'InvalidateCache', actions: ['execute-api:InvalidateCache'], resources });
  }
  return out;
}
