/**
 * The cachestack config language, version 1: the one source of truth.
 *
 * The JSON Schema published at `schema/cachestack.schema.json` and the TypeScript
 * types of the raw config (`RawConfig` and friends) both come from the definitions
 * in this file. `npm run build` / `cachestack schema` print it; a test fails when the
 * committed file is stale.
 *
 * Conventions:
 * - every field has a `description`; a field with a static default has `default`
 *   (the value the resolved model gets when the field is omitted); a default that
 *   follows from other fields is described in words instead.
 * - every object rejects unknown keys (`additionalProperties: false`).
 * - enums are closed lists (`enum`), so an editor completes them.
 */
import { Type, type Static, type TSchema, type TObject, type TProperties, type TOptional, type TNumber } from '@sinclair/typebox';
import {
  APPSYNC_CACHE_BEHAVIORS, APPSYNC_CACHE_TYPES, APPSYNC_FIELD_LOG_LEVELS, APPSYNC_LEGACY_CACHE_TYPES, ARCHITECTURES,
  CACHE_KEY_PATTERN, COGNITO_POOL_ARN_PATTERN, DEFAULT_PYTHON_RUNTIME, DEFAULT_REDIS_VERSION, DEFAULT_RUNTIME, DURATION_SCHEDULE_PATTERN,
  ENDPOINT_AUTH, ENDPOINT_TYPES, GRAPHQL_AUTH, HTTP_METHODS, LAMBDA_RUNTIMES, LOG_RETENTION_DAYS, MAXMEMORY_POLICIES,
  NAME_PATTERN, REDIS_ENGINES, REDIS_VERSIONS, REGION_PATTERN, REST_CACHE_SIZES_GB, RETRY_MODES, SECRET_ARN_PATTERN,
  TF_VERSION_CONSTRAINT_PATTERN, UNAUTHORIZED_STRATEGIES, DEFAULT_AWS_PROVIDER_CONSTRAINT,
  ALARM_THRESHOLDS, LATENCY_FACTOR_RANGE, SNS_TOPIC_ARN_PATTERN, ACCESS_ACTIONS, EGRESS_MODES, VPC_ENDPOINT_SERVICES,
  DEFAULT_POSTGRES_PORT, ACCOUNT_CONCURRENCY_DEFAULT, INVALIDATES_PATTERN, RESOURCE_PATH_PATTERN,
  ACM_CERTIFICATE_ARN_PATTERN, CORS_METHODS, CDN_MINIMUM_TLS, CDN_PATH_PATTERN, CDN_PRICE_CLASSES, CORS_ORIGIN_PATTERN, DOMAIN_ENDPOINT_TYPES,
  HEADER_NAME_PATTERN, HOSTNAME_PATTERN, S3_BUCKET_PATTERN, WAF_MANAGED_RULE_PATTERN, WAF_WEB_ACL_ARN_PATTERN,
} from './constants';

import { DYNAMODB_ACTIONS, S3_BUCKET_READ_ACTIONS, S3_OBJECT_ACTIONS, SNS_ACTIONS, SQS_ACTIONS } from './access';

export * from './constants';

const NAME_HELP = 'lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit; 2 to 40 characters';

function Name(description: string) {
  return Type.String({ pattern: NAME_PATTERN, description: `${description} (${NAME_HELP}).` });
}

/** An object that rejects unknown keys. */
function Obj<T extends TProperties>(properties: T, description: string, extra: Record<string, unknown> = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, description, ...extra });
}

function Int(min: number, max: number | undefined, description: string, def?: number) {
  const opts: Record<string, unknown> = { minimum: min, description };
  if (max !== undefined) opts.maximum = max;
  if (def !== undefined) opts.default = def;
  return Type.Integer(opts);
}

function Bool(description: string, def?: boolean) {
  return def === undefined ? Type.Boolean({ description }) : Type.Boolean({ description, default: def });
}

function Enum<const T extends readonly string[]>(values: T, description: string, def?: T[number]) {
  const opts: Record<string, unknown> = { description };
  if (def !== undefined) opts.default = def;
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}

function Map<T extends TSchema>(value: T, description: string, keyPattern = NAME_PATTERN) {
  return Type.Record(Type.String({ pattern: keyPattern }), value, {
    description,
    additionalProperties: false,
  });
}

// ---------------------------------------------------------------------------
// Sections

export const BackendSchema = Obj(
  {
    s3: Obj(
      {
        bucket: Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9][a-z0-9.-]+[a-z0-9]$', description: 'S3 bucket that holds the Terraform state.' }),
        key: Type.String({ minLength: 1, description: 'Key prefix of the state object; the stack name is appended (`<key>/<stack>.tfstate`).' }),
        region: Type.Optional(Type.String({ pattern: REGION_PATTERN, description: 'Region of the bucket. Default: the service `region`.' })),
        useLockfile: Type.Optional(Bool('Lock the state with an S3 lock file (Terraform 1.10 or newer).', true)),
        encrypt: Type.Optional(Bool('Encrypt the state object at rest.', true)),
      },
      'Terraform state in S3.',
    ),
  },
  'Where Terraform keeps state. Default: local state in each stack directory (`cdktf.out/stacks/<stack>/terraform.tfstate`), which `cachestack synth` carries over when it rewrites the output; use `s3` for state a team shares.',
);

export const TerraformSchema = Obj(
  {
    awsProvider: Type.Optional(
      Type.String({
        pattern: TF_VERSION_CONSTRAINT_PATTERN,
        default: DEFAULT_AWS_PROVIDER_CONSTRAINT,
        description:
          'Version constraint of the AWS provider (`required_providers`) written into every stack, such as `~> 6.25`. The default admits every release the generated code is written for; `.terraform.lock.hcl` records the release `terraform init` picked.',
      }),
    ),
  },
  'How the generated Terraform is run.',
);

export const AuthSchema = Obj(
  {
    cognito: Type.Optional(
      Obj(
        {
          userPoolArn: Type.String({ pattern: COGNITO_POOL_ARN_PATTERN, description: 'ARN of the Cognito user pool whose tokens are accepted.' }),
        },
        'Cognito user pool authorizer, used by endpoints and the GraphQL API that say `auth: cognito`.',
      ),
    ),
    lambda: Type.Optional(
      Obj(
        {
          handler: Name('Name of the handler (in `handlers`) that authorizes requests'),
          identityHeader: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]+$', default: 'Authorization', description: 'Request header that carries the caller identity; API Gateway passes it to the authorizer and caches its result per value.' })),
          resultTtlSeconds: Type.Optional(Int(0, 3600, 'How long API Gateway and AppSync cache an authorizer result; 0 turns that cache off.', 300)),
        },
        'Lambda authorizer, used by endpoints and the GraphQL API that say `auth: lambda`.',
      ),
    ),
    oidc: Type.Optional(
      Obj(
        {
          issuer: Type.String({ pattern: '^https://', description: 'OIDC issuer URL.' }),
          clientId: Type.Optional(Type.String({ minLength: 1, description: 'Client id that tokens must be issued to. Default: any client of the issuer.' })),
          authTtlSeconds: Type.Optional(Int(0, 86400, 'How long a token stays valid after authentication; 0 means no limit.', 0)),
        },
        'OpenID Connect provider for a GraphQL API that says `auth: oidc`.',
      ),
    ),
    apiKey: Type.Optional(
      Obj(
        {
          expires: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Day the AppSync API key expires (YYYY-MM-DD, at most 365 days ahead when deployed). Fixed in the file so that synthesis stays deterministic.' }),
          description: Type.Optional(Type.String({ maxLength: 256, description: 'Description of the key.' })),
        },
        'AppSync API key for a GraphQL API that says `auth: api-key`.',
      ),
    ),
  },
  'Identity providers that endpoints and the GraphQL API name in their `auth`.',
);

export const NetworkSchema = Obj(
  {
    vpcId: Type.String({ pattern: '^vpc-[0-9a-f]{8,17}$', description: 'VPC for handlers with `vpc: true`, Redis caches and DAX clusters.' }),
    subnetIds: Type.Array(Type.String({ pattern: '^subnet-[0-9a-z]{4,17}$' }), { minItems: 1, uniqueItems: true, description: 'Private subnets (ideally one per availability zone) for functions, cache nodes and DAX nodes.' }),
    egress: Type.Optional(
      Enum(
        EGRESS_MODES,
        'How VPC handlers reach AWS APIs. `nat`: the VPC has a NAT gateway (cachestack does not create or check one); handler groups allow HTTPS to anywhere. `endpoints`: only through `network.endpoints`; handler groups allow HTTPS to those endpoints and the cache, cluster and database ports, nothing else, and rule 14 checks every AWS API a handler needs has an endpoint.',
        'nat',
      ),
    ),
    endpoints: Type.Optional(
      Type.Array(Enum(VPC_ENDPOINT_SERVICES, 'An AWS service: `dynamodb` and `s3` get gateway endpoints, the others interface endpoints.'), {
        uniqueItems: true,
        default: [],
        description: 'VPC endpoints to create: gateway endpoints (`dynamodb`, `s3`) on the route tables of `subnetIds`, interface endpoints (the others) with private DNS in `subnetIds`, admitting HTTPS from the handlers\' security groups only.',
      }),
    ),
  },
  'The VPC that functions, caches and clusters run in. Required when any handler has `vpc: true`, or when `redis` or `dax` is used.',
);

export const HttpConnectionSchema = Obj(
  {
    keepAlive: Type.Optional(Bool('Reuse TCP/TLS connections between calls (HTTP keep-alive) for AWS SDK clients.', true)),
    maxSockets: Type.Optional(Int(1, 1000, 'Connection pool size per host for AWS SDK clients.', 50)),
    connectTimeoutMs: Type.Optional(Int(1, 60000, 'Time allowed to open a connection, in ms.', 3000)),
    requestTimeoutMs: Type.Optional(Int(1, 900000, 'Time allowed for a response once connected, in ms.', 5000)),
  },
  'HTTP client settings for AWS SDK v3 clients built with the runtime kit.',
);

export const RetryConnectionSchema = Obj(
  {
    maxAttempts: Type.Optional(Int(1, 10, 'Attempts per AWS SDK call, the first included.', 3)),
    mode: Type.Optional(Enum(RETRY_MODES, 'AWS SDK retry strategy: `standard` or `adaptive` (client-side rate limiting when throttled).', 'standard')),
  },
  'Retry settings for AWS SDK v3 clients.',
);

export const RedisConnectionSchema = Obj(
  {
    cache: Name('Name of the cache (in `redis`) this handler reads and writes'),
    poolSize: Type.Optional(Int(1, 100, 'Connections the handler may open to the cache.', 1)),
    commandTimeoutMs: Type.Optional(Int(1, 60000, 'Time a Redis command may take before the runtime kit falls back to the loader, in ms.', 500)),
    connectTimeoutMs: Type.Optional(Int(1, 60000, 'Time allowed to connect to the cache, in ms.', 2000)),
  },
  'A Redis/Valkey cache this handler uses; grants it the cache auth secret and network access.',
);

export const DaxConnectionSchema = Obj(
  {
    cluster: Name('Name of the DAX cluster (in `dax`) this handler reads through'),
    requestTimeoutMs: Type.Optional(Int(1, 60000, 'Time a DAX request may take, in ms.', 1000)),
  },
  'A DAX cluster this handler uses; grants it the DAX actions on that cluster and network access.',
);

export const PostgresConnectionSchema = Obj(
  {
    secret: Type.Optional(Type.String({ pattern: SECRET_ARN_PATTERN, description: 'Secrets Manager secret with host, port, username, password and dbname (the RDS secret format). The handler may read exactly this secret.' })),
    min: Type.Optional(Int(0, 100, 'Connections the pool keeps open.', 0)),
    max: Type.Optional(Int(1, 100, 'Connections the pool may open.', 10)),
    idleTimeoutMs: Type.Optional(Int(0, 3600000, 'Time an idle connection stays open, in ms.', 10000)),
    connectionTimeoutMs: Type.Optional(Int(1, 60000, 'Time allowed to open a connection, in ms.', 5000)),
    statementTimeoutMs: Type.Optional(Int(0, 3600000, 'Time a statement may run; 0 means no limit.', 30000)),
    port: Type.Optional(Int(1, 65535, 'Port the database listens on; the handler\'s security group may connect to it.', DEFAULT_POSTGRES_PORT)),
    securityGroupId: Type.Optional(Type.String({ pattern: '^sg-[0-9a-f]{8,17}$', description: 'Security group of the database: cachestack adds an ingress rule on it from the handler\'s group on `port`, and the handler may connect only to that group. Default: the handler may connect to `port` anywhere in the VPC, and the database must admit it by other means.' })),
    serverMaxConnections: Type.Optional(Int(1, 262143, `The database's \`max_connections\`: with it, rule 15 checks that \`max\` times the function's reachable concurrency (\`reservedConcurrency\`, or ${ACCOUNT_CONCURRENCY_DEFAULT} when unreserved) fits.`)),
  },
  'Settings for a Postgres (`pg`) pool the handler builds with the runtime kit.',
);

export const ConnectionsSchema = Obj(
  {
    http: Type.Optional(HttpConnectionSchema),
    retries: Type.Optional(RetryConnectionSchema),
    redis: Type.Optional(RedisConnectionSchema),
    dax: Type.Optional(DaxConnectionSchema),
    postgres: Type.Optional(PostgresConnectionSchema),
  },
  'Pool sizes and client settings that the handler code reads through the runtime kit (as environment variables).',
);

const ACCESS_HELP = 'IAM names exactly these resources, never `*`; docs/config.md lists the actions each keyword grants';

/** `GetItem, Query` from `['dynamodb:GetItem', 'dynamodb:Query']`: the action lists of src/config/access.ts in words. */
function actionWords(...lists: (readonly string[])[]): string {
  return [...new Set(lists.flat())].sort().map((a) => a.slice(a.indexOf(':') + 1)).join(', ');
}

export const DynamodbAccessSchema = Obj(
  {
    table: Type.String({ minLength: 1, maxLength: 2048, description: 'DynamoDB table name (`Users`, in the stack\'s region and account) or table ARN (`arn:aws:dynamodb:REGION:ACCOUNT:table/Users`).' }),
    actions: Enum(ACCESS_ACTIONS.dynamodb, `\`read\` (${actionWords(DYNAMODB_ACTIONS.read)}), \`write\` (${actionWords(DYNAMODB_ACTIONS.write)}) or \`readwrite\` (both).`),
    indexes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{3,255}$', description: 'A global or local secondary index name of the table.' }), { uniqueItems: true, minItems: 1, description: 'Secondary indexes the handler queries or scans (`IndexName`): each becomes the exact index ARN `table/NAME/index/INDEX` with Query and Scan. Default: none (no `index/*`).' })),
  },
  `A DynamoDB table the handler's own code calls (not through DAX). ${ACCESS_HELP}.`,
  { required: ['table', 'actions'] },
);

export const S3AccessSchema = Obj(
  {
    bucket: Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9][a-z0-9.-]+[a-z0-9]$', description: 'S3 bucket name.' }),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, pattern: '^[^*?]+$', description: 'Key prefix the handler reads or writes under (`avatars/`): objects `bucket/prefix*`, and ListBucket only with `s3:prefix` under it. Default: the whole bucket.' })),
    actions: Enum(ACCESS_ACTIONS.s3, `\`read\` (${actionWords(S3_OBJECT_ACTIONS.read)}, and ${actionWords(S3_BUCKET_READ_ACTIONS)} so a missing key is a 404), \`write\` (${actionWords(S3_OBJECT_ACTIONS.write)}) or \`readwrite\` (both).`),
  },
  `An S3 bucket (or a prefix of it) the handler's code calls. ${ACCESS_HELP}, except the object prefix (see docs/config.md).`,
  { required: ['bucket', 'actions'] },
);

export const SqsAccessSchema = Obj(
  {
    queue: Type.String({ minLength: 1, maxLength: 2048, description: 'SQS queue name (`jobs`, `jobs.fifo`; in the stack\'s region and account) or queue ARN.' }),
    actions: Enum(ACCESS_ACTIONS.sqs, `\`send\` (${actionWords(SQS_ACTIONS.send)}), \`receive\` (${actionWords(SQS_ACTIONS.receive)}) or \`sendreceive\` (both).`),
  },
  `An SQS queue the handler's code calls. ${ACCESS_HELP}.`,
  { required: ['queue', 'actions'] },
);

export const SnsAccessSchema = Obj(
  {
    topic: Type.String({ minLength: 1, maxLength: 2048, description: 'SNS topic name (in the stack\'s region and account) or topic ARN.' }),
    actions: Enum(ACCESS_ACTIONS.sns, `\`publish\` (${actionWords(SNS_ACTIONS.publish)}).`),
  },
  `An SNS topic the handler's code publishes to. ${ACCESS_HELP}.`,
  { required: ['topic', 'actions'] },
);

export const StatementAccessSchema = Obj(
  {
    actions: Type.Array(Type.String({ minLength: 1, maxLength: 256, description: '`service:Action`, such as `ses:SendEmail`.' }), { minItems: 1, uniqueItems: true, description: 'Exact IAM actions; `*` in any is an error (rule 13).' }),
    resources: Type.Array(Type.String({ minLength: 1, maxLength: 2048, description: 'A full ARN.' }), { minItems: 1, uniqueItems: true, description: 'Exact ARNs; `*` in any is an error (rule 13).' }),
  },
  'One extra `Allow` statement: explicit actions on explicit ARNs, for what the keywords above do not cover.',
  { required: ['actions', 'resources'] },
);

export const AccessSchema = Obj(
  {
    dynamodb: Type.Optional(Type.Array(DynamodbAccessSchema, { default: [], description: 'DynamoDB tables the code calls directly (DAX access comes from `connections.dax`).' })),
    s3: Type.Optional(Type.Array(S3AccessSchema, { default: [], description: 'S3 buckets and prefixes the code calls.' })),
    sqs: Type.Optional(Type.Array(SqsAccessSchema, { default: [], description: 'SQS queues the code calls.' })),
    sns: Type.Optional(Type.Array(SnsAccessSchema, { default: [], description: 'SNS topics the code publishes to.' })),
    secrets: Type.Optional(Type.Array(Type.String({ pattern: SECRET_ARN_PATTERN, description: 'A Secrets Manager secret ARN (the `-XXXXXX` suffix may be left out).' }), { uniqueItems: true, default: [], description: 'Secrets the code reads with GetSecretValue (secrets of `connections` are granted already).' })),
    statements: Type.Optional(Type.Array(StatementAccessSchema, { default: [], description: 'Escape hatch: extra statements with explicit actions and ARNs.' })),
  },
  'What the handler\'s own code reaches through the AWS SDK. Its role grants exactly this (plus what `connections` need), as statements of its one inline policy.',
);

export const HandlerSchema = Obj(
  {
    entry: Type.String({ minLength: 1, pattern: '\\.(ts|mts|cts|js|mjs|cjs|py)$', description: 'Source file of the handler, relative to the config file. A JavaScript/TypeScript entry is bundled with its imports (AWS SDK v3 left external); a `.py` entry is packaged with the Python sources of its directory, the Python runtime kit and its `requirements`.' }),
    export: Type.Optional(Type.String({ pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', default: 'handler', description: 'Function that Lambda calls: an export of a JavaScript/TypeScript entry (handler string `index.<export>`), or a top-level function of a `.py` entry (handler string `<module>.<export>`).' })),
    runtime: Type.Optional(Enum(LAMBDA_RUNTIMES, `Lambda runtime. Default: \`${DEFAULT_RUNTIME}\` for a JavaScript/TypeScript entry, \`${DEFAULT_PYTHON_RUNTIME}\` for a \`.py\` entry; a Node.js runtime with a \`.py\` entry, or a Python runtime with any other entry, is an error.`)),
    requirements: Type.Optional(Type.String({ minLength: 1, description: 'Python only: a pip requirements file, relative to the config file. Its packages are installed for the function\'s platform (architecture, Python version, binary wheels only) into the zip.' })),
    architecture: Type.Optional(Enum(ARCHITECTURES, 'Instruction set of the function.', 'arm64')),
    memoryMb: Type.Optional(Int(128, 10240, 'Memory in MB (CPU grows with it).', 512)),
    timeoutSeconds: Type.Optional(Int(1, 900, 'Function timeout in seconds.', 10)),
    provisionedConcurrency: Type.Optional(Int(0, 10000, 'Execution environments kept initialized on the `live` alias; 0 means none.', 0)),
    reservedConcurrency: Type.Optional(Int(0, 10000, 'Concurrency reserved for (and capping) this function. Default: unreserved.')),
    vpc: Type.Optional(Bool('Run in `network.subnetIds` with a security group of its own.', false)),
    warm: Type.Optional(Bool('The warmer pings this handler on its schedule.', false)),
    logRetentionDays: Type.Optional(Type.Unsafe<number>({ type: 'integer', enum: [...LOG_RETENTION_DAYS], default: 30, description: 'Days CloudWatch keeps the function log.' })),
    environment: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String({ maxLength: 4096 }), {
        additionalProperties: false,
        default: {},
        description: 'Plain environment variables. No secrets: name a Secrets Manager secret in `connections` instead. Names starting with `CACHESTACK_` or `AWS_` are reserved.',
      }),
    ),
    connections: Type.Optional(ConnectionsSchema),
    access: Type.Optional(AccessSchema),
    invalidates: Type.Optional(
      Type.Array(Type.String({ pattern: INVALIDATES_PATTERN, description: '`METHOD /path` of a cached endpoint in `restApi.endpoints`, as written there (`GET /users/{userId}`).' }), {
        uniqueItems: true,
        default: [],
        description:
          'Cached endpoints whose entries this handler may drop: its role gets `execute-api:InvalidateCache` on exactly these methods of the stage, and the runtime kit\'s `invalidateEndpoint` sends them a signed request with `Cache-Control: max-age=0` (rule 16: each must cache with `requireAuthorization: true`).',
      }),
    ),
  },
  'A Lambda function: bundled code, sizing, concurrency and the connections it uses.',
  { required: ['entry'] },
);

export const ThrottlingSchema = Obj(
  {
    burstLimit: Int(0, 1000000, 'Requests allowed in a burst.'),
    rateLimit: Type.Number({ minimum: 0, maximum: 1000000, description: 'Steady-state requests per second.' }),
  },
  'API Gateway throttling.',
);

export const StageCacheSchema = Obj(
  {
    sizeGb: Type.Optional(Type.Unsafe<number>({ type: 'number', enum: [...REST_CACHE_SIZES_GB], default: 0.5, description: 'Size of the stage cache cluster in GB.' })),
    encrypted: Type.Optional(Bool('Encrypt cached responses.', true)),
    ttlSeconds: Type.Optional(Int(0, 3600, 'Default TTL of cached endpoints that do not set their own.', 300)),
  },
  'The stage cache cluster. Present means the cluster is on; endpoints opt in with their own `cache`.',
);


export const EndpointCacheSchema = Obj(
  {
    ttlSeconds: Type.Optional(Int(0, 3600, 'Seconds a response stays cached; 0 disables caching for this method. Default: `restApi.cache.ttlSeconds`.')),
    keys: Type.Optional(Type.Array(Type.String({ pattern: CACHE_KEY_PATTERN, description: '`header.NAME`, `query.NAME` or `path.NAME`.' }), { uniqueItems: true, default: [], description: 'Request parameters that are part of the cache key.' })),
    requireAuthorization: Type.Optional(Bool('Only callers allowed `execute-api:InvalidateCache` may bypass the cache with `Cache-Control: max-age=0`.', true)),
    unauthorized: Type.Optional(Enum(UNAUTHORIZED_STRATEGIES, 'What API Gateway does with an unauthorized `Cache-Control: max-age=0`.', 'fail')),
    namespace: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Cache namespace; endpoints that share one share cached entries. Default: one namespace per resource path.' })),
    shared: Type.Optional(Bool('The response is the same for every caller, so the cache key need not identify the caller.', false)),
  },
  'Method caching for this endpoint.',
);

export const EndpointSchema = Obj(
  {
    path: Type.String({ pattern: RESOURCE_PATH_PATTERN, description: 'Resource path; `{name}` is a path parameter, `{name+}` a greedy one.' }),
    method: Enum(HTTP_METHODS, 'HTTP method.'),
    handler: Name('Name of the handler (in `handlers`) behind this endpoint'),
    auth: Type.Optional(Enum(ENDPOINT_AUTH, 'Who may call: `none`, `iam`, `cognito` or `lambda`. Default: `cognito` when `auth.cognito` is set, else `lambda` when `auth.lambda` is set, else `iam`.')),
    cache: Type.Optional(Type.Union([Type.Literal(false), EndpointCacheSchema], { description: 'Method caching: an object to cache, `false` (or omitted) for never. Needs `restApi.cache`.' })),
    throttling: Type.Optional(ThrottlingSchema),
    latencyTargetMs: Type.Optional(Int(1, 29000, 'p95 latency target in milliseconds; with `alarms`, this endpoint gets a latency alarm at `alarms.latencyFactor` times it and a 5XX-rate alarm of its own.')),
  },
  'One method on one resource path, proxied to a handler.',
);

export const CompressionSchema = Obj(
  {
    minimumSizeBytes: Int(0, 10485760, 'Responses at least this large are compressed (gzip or deflate, as the client accepts); 0 compresses every response.'),
  },
  'Response compression of the REST API (`minimum_compression_size`). Omitted: compression off.',
);

export const CorsSchema = Obj(
  {
    allowOrigins: Type.Array(Type.String({ pattern: CORS_ORIGIN_PATTERN, description: 'An origin (`https://app.example.com`, with a port if any, no path), or `*` for any.' }), { minItems: 1, uniqueItems: true, description: 'Origins a browser may call the API from. `*` stands alone and excludes `allowCredentials`.' }),
    allowMethods: Type.Optional(Type.Array(Enum(CORS_METHODS, 'An HTTP method.'), { minItems: 1, uniqueItems: true, description: 'Methods allowed cross-origin. Default: on each resource, the methods of its endpoints.' })),
    allowHeaders: Type.Optional(Type.Array(Type.String({ pattern: HEADER_NAME_PATTERN, description: 'A request header name.' }), { uniqueItems: true, default: ['Authorization', 'Content-Type'], description: 'Request headers a browser may send cross-origin.' })),
    exposeHeaders: Type.Optional(Type.Array(Type.String({ pattern: HEADER_NAME_PATTERN, description: 'A response header name.' }), { uniqueItems: true, default: [], description: 'Response headers a browser lets the calling page read, besides the CORS-safelisted ones.' })),
    maxAgeSeconds: Type.Optional(Int(0, 86400, 'Seconds a browser may cache the preflight (OPTIONS) answer.', 600)),
    allowCredentials: Type.Optional(Bool('Browsers send cookies and HTTP authentication with cross-origin requests (`Access-Control-Allow-Credentials: true`).', false)),
  },
  'Cross-origin resource sharing: an OPTIONS method (MOCK integration, never cached) on every resource with endpoints, and the CORS headers on API Gateway\'s own 4XX and 5XX responses. Handlers add the headers to their own responses (the runtime kit reads them from the environment).',
  { required: ['allowOrigins'] },
);

export const DomainSchema = Obj(
  {
    name: Type.String({ pattern: HOSTNAME_PATTERN, maxLength: 253, description: 'The custom domain name, such as `api.example.com`.' }),
    certificateArn: Type.String({ pattern: ACM_CERTIFICATE_ARN_PATTERN, description: 'ACM certificate for the name: in the service `region` for REGIONAL, in us-east-1 for EDGE.' }),
    basePath: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$', description: 'Path under the domain that maps to the stage (`v1` gives `https://api.example.com/v1/...`). Default: the root of the domain.' })),
    endpointType: Type.Optional(Enum(DOMAIN_ENDPOINT_TYPES, 'REGIONAL (a regional domain name; put your own CloudFront or DNS in front) or EDGE (API Gateway\'s CloudFront distribution).', 'REGIONAL')),
  },
  'A custom domain name mapped to the stage (TLS 1.2). The stack outputs the target that a DNS record (alias or CNAME) of `name` must point at.',
  { required: ['name', 'certificateArn'] },
);

export const WafSchema = Obj(
  {
    webAclArn: Type.Optional(Type.String({ pattern: WAF_WEB_ACL_ARN_PATTERN, description: 'An existing WAFv2 web ACL (REGIONAL scope, same region) to associate.' })),
    managedRules: Type.Optional(Type.Array(Type.String({ pattern: WAF_MANAGED_RULE_PATTERN, description: 'An AWS managed rule group, such as `AWSManagedRulesCommonRuleSet`.' }), { minItems: 1, uniqueItems: true, description: 'Create a REGIONAL web ACL that allows by default and blocks what these AWS managed rule groups match (in this order), and associate it.' })),
  },
  'AWS WAF in front of the API: `webAclArn` or `managedRules`, one of them.',
  { minProperties: 1 },
);

export const RestApiSchema = Obj(
  {
    name: Name('Name of the REST API (prefixed with the service and environment)'),
    stage: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'v1', description: 'Stage name; the invoke URL ends with it.' })),
    endpointType: Type.Optional(Enum(ENDPOINT_TYPES, 'API Gateway endpoint type.', 'REGIONAL')),
    cache: Type.Optional(StageCacheSchema),
    throttling: Type.Optional(ThrottlingSchema),
    logRetentionDays: Type.Optional(Type.Unsafe<number>({ type: 'integer', enum: [...LOG_RETENTION_DAYS], default: 30, description: 'Days CloudWatch keeps the access log.' })),
    accountLogsRole: Type.Optional(Bool('Create the account-level CloudWatch Logs role of API Gateway (`aws_iam_role` with the managed policy AmazonAPIGatewayPushToCloudWatchLogs, and `aws_api_gateway_account`). One setting per account and region: let exactly one stack there say `true`. Without it, the role must already be set, or the stage\'s access logging fails.', false)),
    compression: Type.Optional(CompressionSchema),
    cors: Type.Optional(CorsSchema),
    domain: Type.Optional(DomainSchema),
    waf: Type.Optional(WafSchema),
    endpoints: Type.Array(EndpointSchema, { minItems: 1, description: 'Methods of the API.' }),
  },
  'One API Gateway REST API with one stage.',
);

export const ResolverCacheSchema = Obj(
  {
    ttlSeconds: Type.Optional(Int(1, 3600, 'Seconds a result stays cached. Default: `graphqlApi.cache.ttlSeconds`.')),
    keys: Type.Optional(Type.Array(Type.String({ pattern: '^\\$context\\.(arguments|identity|source)(\\.[A-Za-z0-9_]+)+$', description: '`$context.arguments.X`, `$context.identity.X` or `$context.source.X`.' }), { uniqueItems: true, default: [], description: 'Values that are part of the cache key.' })),
    shared: Type.Optional(Bool('The result is the same for every caller, so the cache key need not identify the caller.', false)),
  },
  'Resolver caching (needs `graphqlApi.cache.behavior: per-resolver`).',
);

const CONTEXT_PATH_PATTERN = '^\\$context\\.(arguments|identity|source)(\\.[A-Za-z0-9_]+)+$';

export const EvictionSchema = Obj(
  {
    field: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$', description: '`Type.field` of a cached resolver in `graphqlApi.resolvers`.' }),
    keys: Type.Optional(
      Type.Record(Type.String({ pattern: CONTEXT_PATH_PATTERN }), Type.String({ pattern: CONTEXT_PATH_PATTERN, description: 'Where this request holds the value: `$context.arguments.X`, `$context.identity.X` or `$context.source.X`.' }), {
        additionalProperties: false,
        default: {},
        description: 'Cache key of the target → the `$context` path of this request that holds its value. A key not named here takes the same path of this request.',
      }),
    ),
  },
  'A cached resolver entry to evict: the target field and where each of its cache key values comes from.',
  { required: ['field'] },
);

export const ResolverSchema = Obj(
  {
    field: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$', description: '`Type.field` in the GraphQL schema.' }),
    handler: Name('Name of the handler (in `handlers`) that resolves the field'),
    cache: Type.Optional(Type.Union([Type.Literal(false), ResolverCacheSchema], { description: 'Resolver caching: an object to cache, `false` (or omitted) for never.' })),
    evicts: Type.Optional(Type.Array(EvictionSchema, { default: [], description: 'Cached resolvers whose entries this field drops after it resolves without error (AppSync `extensions.evictFromApiCache`); the resolver becomes an APPSYNC_JS resolver around the same Lambda data source.' })),
  },
  'A Lambda resolver for one field.',
);

export const GraphqlCacheSchema = Obj(
  {
    behavior: Type.Optional(Enum(APPSYNC_CACHE_BEHAVIORS, 'What is cached: per resolver, the full request, or per operation.', 'per-resolver')),
    type: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...APPSYNC_CACHE_TYPES, ...APPSYNC_LEGACY_CACHE_TYPES], default: 'SMALL', description: 'Cache instance type (legacy `T2_*`/`R4_*` types are accepted with a warning).' })),
    ttlSeconds: Type.Optional(Int(1, 3600, 'Default TTL of cached results.', 300)),
    encryption: Type.Optional(
      Obj(
        {
          atRest: Type.Optional(Bool('Encrypt the cache at rest. Changing it replaces the cache.', true)),
          transit: Type.Optional(Bool('Encrypt traffic to the cache. Changing it replaces the cache.', true)),
        },
        'Cache encryption; cannot change after creation.',
      ),
    ),
    healthMetrics: Type.Optional(Bool('Has no effect: the AWS provider (5.100 and 6.x) has no argument for the cache\'s health metrics, so nothing is deployed for it (`true` is a warning, `appsync-health-metrics-ignored`). Turn them on outside Terraform.')),
  },
  'The AppSync API cache.',
);

export const GraphqlApiSchema = Obj(
  {
    name: Name('Name of the GraphQL API (prefixed with the service and environment)'),
    schema: Type.String({ minLength: 1, pattern: '\\.(graphql|gql)$', description: 'GraphQL SDL file, relative to the config file.' }),
    auth: Type.Optional(Enum(GRAPHQL_AUTH, 'Default authorization of the API. Default: `cognito` when `auth.cognito` is set, else `lambda` when `auth.lambda` is set, else `iam`.')),
    fieldLogLevel: Type.Optional(Enum(APPSYNC_FIELD_LOG_LEVELS, 'AppSync field log level.', 'ERROR')),
    logRetentionDays: Type.Optional(Type.Unsafe<number>({ type: 'integer', enum: [...LOG_RETENTION_DAYS], default: 30, description: 'Days CloudWatch keeps the API log.' })),
    cache: Type.Optional(GraphqlCacheSchema),
    waf: Type.Optional(WafSchema),
    resolvers: Type.Optional(Type.Array(ResolverSchema, { default: [], description: 'Lambda resolvers.' })),
  },
  'One AppSync GraphQL API.',
);

export const RedisKeySchema = Obj(
  {
    pattern: Type.String({ minLength: 1, maxLength: 512, pattern: '^[^\\s{}]*(\\{[A-Za-z][A-Za-z0-9]*\\}[^\\s{}]*)*$', description: 'Key pattern; `{name}` is a parameter of the key builder.' }),
    ttlSeconds: Int(1, 31536000, 'Seconds an entry lives.'),
    name: Type.Optional(Type.String({ pattern: '^[a-z][A-Za-z0-9]*$', description: 'Name of the key builder in the runtime kit. Default: the camelCase of the pattern\'s literal words (`user:profile:{userId}` gives `userProfile`).' })),
  },
  'An application key pattern with its TTL.',
);

export const RedisCacheSchema = Obj(
  {
    engine: Type.Optional(Enum(REDIS_ENGINES, 'Cache engine.', 'valkey')),
    version: Type.Optional(Type.String({ pattern: '^\\d+\\.\\d+$', description: `Engine version. Valkey: ${REDIS_VERSIONS.valkey.join(', ')} (default ${DEFAULT_REDIS_VERSION.valkey}); Redis OSS: ${REDIS_VERSIONS.redis.join(', ')} (default ${DEFAULT_REDIS_VERSION.redis}).` })),
    nodeType: Type.Optional(Type.String({ pattern: '^cache\\.[a-z0-9]+\\.[a-z0-9]+$', default: 'cache.t4g.small', description: 'Node type.' })),
    shards: Type.Optional(Int(1, 500, 'Node groups; more than 1 means cluster mode.', 1)),
    replicasPerShard: Type.Optional(Int(0, 5, 'Read replicas per shard.', 1)),
    multiAz: Type.Optional(Bool('Spread nodes over availability zones with automatic failover; needs `replicasPerShard >= 1`.', true)),
    snapshotRetentionDays: Type.Optional(Int(0, 35, 'Days automatic snapshots are kept; 0 turns them off.', 1)),
    maxmemoryPolicy: Type.Optional(Enum(MAXMEMORY_POLICIES, 'Eviction policy when memory is full.', 'volatile-lru')),
    encryption: Type.Optional(
      Obj(
        {
          atRest: Type.Optional(Bool('Encrypt data at rest. Changing it replaces the cache and loses its data.', true)),
          transit: Type.Optional(Bool('TLS between clients and the cache.', true)),
        },
        'Encryption of the cache.',
      ),
    ),
    authTokenSecret: Type.Optional(Type.String({ pattern: SECRET_ARN_PATTERN, description: 'Secrets Manager secret holding the AUTH token: a reference, never the token itself. Needs `encryption.transit`.' })),
    port: Type.Optional(Int(1024, 65535, 'Port the cache listens on.', 6379)),
    keys: Type.Optional(Type.Array(RedisKeySchema, { default: [], description: 'Application key patterns and TTLs; handlers get key builders for them.' })),
  },
  'An ElastiCache replication group (Valkey or Redis OSS).',
);

export const DaxClusterSchema = Obj(
  {
    nodeType: Type.Optional(Type.String({ pattern: '^dax\\.[a-z0-9]+\\.[a-z0-9]+$', default: 'dax.t3.small', description: 'Node type.' })),
    replicationFactor: Type.Optional(Int(1, 10, 'Nodes in the cluster (one primary, the rest read replicas).', 3)),
    encryption: Type.Optional(Bool('Server-side encryption at rest and a TLS endpoint. Changing it replaces the cluster.', true)),
    tables: Type.Array(Type.String({ pattern: '^([A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\\d{12}:table/[A-Za-z0-9_.-]{3,255})$' }), { minItems: 1, uniqueItems: true, description: 'DynamoDB table names or ARNs the cluster may read and write; its IAM role is scoped to them and their indexes.' }),
    itemTtlSeconds: Type.Optional(Int(0, 2592000, 'Seconds an item stays in the item cache.', 300)),
    queryTtlSeconds: Type.Optional(Int(0, 2592000, 'Seconds a query result stays in the query cache.', 300)),
  },
  'A DynamoDB Accelerator (DAX) cluster.',
);

export const WarmerSchema = Obj(
  {
    schedule: Type.Optional(Type.String({ pattern: DURATION_SCHEDULE_PATTERN, default: 'rate(5 minutes)', description: 'EventBridge schedule expression: `rate(...)` or `cron(...)`.' })),
    concurrency: Type.Optional(Int(1, 50, 'Parallel pings per warm handler (execution environments kept warm).', 1)),
    enabled: Type.Optional(Bool('Turn the schedule on; an environment may turn it off.', true)),
    timeoutSeconds: Type.Optional(Int(5, 300, 'Timeout of the warmer function; every ping of a run ends inside it.', 30)),
  },
  'One scheduled function that keeps the `warm: true` handlers warm.',
);

function CdnTtl(description: string, def: number) {
  return Type.Optional(Int(0, 31536000, description, def));
}

export const CdnSchema = Obj(
  {
    priceClass: Type.Optional(Enum(CDN_PRICE_CLASSES, 'Edge locations that serve the distribution: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200` (and most of Asia, Middle East, Africa), `PriceClass_All`.', 'PriceClass_All')),
    minimumTls: Type.Optional(Enum(CDN_MINIMUM_TLS, 'Oldest TLS policy viewers may use with the `aliases` (needs `certificateArn`; the default `*.cloudfront.net` certificate always admits TLS 1.0).', 'TLSv1.2_2021')),
    compress: Type.Optional(Bool('CloudFront compresses responses with gzip and brotli when the viewer accepts them (and caches the compressed forms).', true)),
    aliases: Type.Optional(Type.Array(Type.String({ pattern: HOSTNAME_PATTERN, maxLength: 253, description: 'A domain name such as `app.example.com`.' }), { uniqueItems: true, default: [], description: 'Domain names the distribution answers for besides its `*.cloudfront.net` name; needs `certificateArn`.' })),
    certificateArn: Type.Optional(Type.String({ pattern: ACM_CERTIFICATE_ARN_PATTERN, description: 'ACM certificate (in us-east-1) covering every alias. Viewers connect with SNI.' })),
    logging: Type.Optional(
      Obj(
        {
          bucket: Type.String({ pattern: S3_BUCKET_PATTERN, description: 'Existing S3 bucket for standard access logs (ACLs enabled, as CloudFront standard logging needs).' }),
          prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9!_.*\'()/-]{0,256}$', description: 'Key prefix of the log files. Default: `<stack>/`.' })),
        },
        'Standard access logs of the distribution.',
        { required: ['bucket'] },
      ),
    ),
    api: Type.Optional(
      Obj(
        {
          pathPattern: Type.Optional(Type.String({ pattern: CDN_PATH_PATTERN, maxLength: 255, default: '/api/*', description: 'Requests whose path matches go to the REST API stage (when `static` is the default behavior). A literal prefix (`/api` of `/api/*`) that no endpoint path starts with is removed before the request reaches the API (a CloudFront Function).' })),
          defaultTtlSeconds: CdnTtl('Seconds CloudFront caches an API response that sends no Cache-Control/Expires.', 0),
          maxTtlSeconds: CdnTtl('Most seconds CloudFront caches an API response whatever its Cache-Control says; 0 turns CloudFront caching off for the API.', 0),
        },
        'The REST API stage as an origin (HTTPS only). Its cache policy keys on the query string and, in front of endpoints with `auth`, on the caller\'s Authorization (or authorizer) header.',
      ),
    ),
    static: Type.Optional(
      Obj(
        {
          bucket: Type.String({ pattern: S3_BUCKET_PATTERN, description: 'Existing S3 bucket with the static files; read through origin access control. cachestack writes (and owns) its bucket policy.' }),
          defaultTtlSeconds: CdnTtl('Seconds CloudFront caches an object that sends no Cache-Control/Expires.', 86400),
          maxTtlSeconds: CdnTtl('Most seconds CloudFront caches an object.', 31536000),
        },
        'An S3 bucket as the default behavior (`/*`).',
        { required: ['bucket'] },
      ),
    ),
  },
  'A CloudFront distribution in front of `restApi` (and, optionally, static files from S3). Give `api`, `static` or both.',
);

export const AlarmThresholdsSchema = Obj(
  Object.fromEntries(
    Object.entries(ALARM_THRESHOLDS).map(([key, t]) => [
      key,
      Type.Optional(Type.Number({ default: t.default, description: `${t.description} Unit: ${t.unit}; more than ${t.min}${t.minInclusive ? ' or equal' : ''}, at most ${t.max}.` })),
    ]),
  ) as Record<keyof typeof ALARM_THRESHOLDS, TOptional<TNumber>>,
  'Thresholds of the standard alarms; each has a documented default (docs/config.md, the alarm table).',
);

export const AlarmsSchema = Obj(
  {
    enabled: Type.Optional(Bool('Create the alarms (and the dashboard); an environment may turn them off.', true)),
    notify: Type.Optional(
      Obj(
        {
          email: Type.Optional(Type.Array(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', description: 'An email address.' }), { minItems: 1, uniqueItems: true, description: 'Addresses subscribed to a new, encrypted SNS topic (each confirms by email).' })),
          topicArn: Type.Optional(Type.String({ pattern: SNS_TOPIC_ARN_PATTERN, description: 'An existing SNS topic to notify instead of creating one.' })),
        },
        'Where alarm and OK notifications go: `email` or `topicArn`, not both.',
      ),
    ),
    dashboard: Type.Optional(Bool('A CloudWatch dashboard for the stack.', true)),
    latencyFactor: Type.Optional(Type.Number({ default: LATENCY_FACTOR_RANGE.default, description: `The latency alarm of an endpoint fires when its p95 is above this factor times its \`latencyTargetMs\` for 5 minutes (${LATENCY_FACTOR_RANGE.min} to ${LATENCY_FACTOR_RANGE.max}).` })),
    thresholds: Type.Optional(AlarmThresholdsSchema),
    disable: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9-]+$', description: 'A standard alarm kind (docs/config.md, the alarm table).' }), { uniqueItems: true, default: [], description: 'Standard alarm kinds to leave out.' })),
  },
  'CloudWatch alarms and a dashboard derived from the plan: every dimension names a resource of the same stack.',
);

/** Sections an environment overlay may change (everything but `version`, `service` and `environments`). */
const overlayable = {
  region: Type.String({ pattern: REGION_PATTERN, description: 'AWS region of every resource.' }),
  tags: Type.Record(Type.String({ pattern: '^[A-Za-z0-9 _.:/=+@-]{1,128}$' }), Type.String({ maxLength: 256 }), {
    additionalProperties: false,
    default: {},
    description: 'Tags added to every taggable resource (besides `cachestack:service` and `cachestack:environment`).',
  }),
  terraform: TerraformSchema,
  backend: BackendSchema,
  auth: AuthSchema,
  network: NetworkSchema,
  handlers: Map(HandlerSchema, 'Lambda functions by name.'),
  restApi: RestApiSchema,
  graphqlApi: GraphqlApiSchema,
  redis: Map(RedisCacheSchema, 'ElastiCache replication groups by name.'),
  dax: Map(DaxClusterSchema, 'DAX clusters by name.'),
  warmer: WarmerSchema,
  cdn: CdnSchema,
  alarms: AlarmsSchema,
};

export const ConfigSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Version of the config language.' }),
    service: Name('Name of the service; prefixes every resource name and stack name'),
    region: overlayable.region,
    tags: Type.Optional(overlayable.tags),
    terraform: Type.Optional(overlayable.terraform),
    backend: Type.Optional(overlayable.backend),
    auth: Type.Optional(overlayable.auth),
    network: Type.Optional(overlayable.network),
    handlers: Type.Optional(overlayable.handlers),
    restApi: Type.Optional(overlayable.restApi),
    graphqlApi: Type.Optional(overlayable.graphqlApi),
    redis: Type.Optional(overlayable.redis),
    dax: Type.Optional(overlayable.dax),
    warmer: Type.Optional(overlayable.warmer),
    cdn: Type.Optional(overlayable.cdn),
    alarms: Type.Optional(overlayable.alarms),
    environments: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Any(), {
        additionalProperties: false,
        description:
          'One Terraform stack per environment. Each entry is deep-merged over the base (maps merge by key, lists are replaced whole) and may only change keys the base can hold.',
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://cachestack.dev/schema/v1/cachestack.schema.json',
    title: 'cachestack service config',
    description: 'One service\'s API performance layer: caches, handlers, concurrency and warmer.',
  },
);

/** The raw config as written (before defaults), typed from the schema. */
export type RawConfig = Static<typeof ConfigSchema>;
export type RawHandler = Static<typeof HandlerSchema>;
export type RawEndpoint = Static<typeof EndpointSchema>;
export type RawEndpointCache = Static<typeof EndpointCacheSchema>;
export type RawRestApi = Static<typeof RestApiSchema>;
export type RawGraphqlApi = Static<typeof GraphqlApiSchema>;
export type RawResolver = Static<typeof ResolverSchema>;
export type RawResolverCache = Static<typeof ResolverCacheSchema>;
export type RawEviction = Static<typeof EvictionSchema>;
export type RawRedisCache = Static<typeof RedisCacheSchema>;
export type RawDaxCluster = Static<typeof DaxClusterSchema>;
export type RawWarmer = Static<typeof WarmerSchema>;
export type RawAlarms = Static<typeof AlarmsSchema>;
export type RawCdn = Static<typeof CdnSchema>;
export type RawCors = Static<typeof CorsSchema>;
export type RawDomain = Static<typeof DomainSchema>;
export type RawWaf = Static<typeof WafSchema>;
export type RawAuth = Static<typeof AuthSchema>;
export type RawNetwork = Static<typeof NetworkSchema>;
export type RawBackend = Static<typeof BackendSchema>;
export type RawTerraform = Static<typeof TerraformSchema>;
export type RawConnections = Static<typeof ConnectionsSchema>;
export type RawAccess = Static<typeof AccessSchema>;
export type RawThrottling = Static<typeof ThrottlingSchema>;

/** Keys an environment overlay may name at its top level. */
export const OVERLAY_KEYS = Object.keys(overlayable) as (keyof typeof overlayable)[];

/**
 * The overlay schema: the same shapes as the base with nothing required and no
 * defaults, so an overlay can change one field deep inside a section.
 */
function deepPartial(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(deepPartial);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'required' || k === 'default' || k === 'minItems') continue;
    if (k === 'items') {
      out[k] = v; // list items are replaced whole, so each item is complete
      continue;
    }
    out[k] = deepPartial(v);
  }
  return out;
}

export const OverlaySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Changes for one environment, deep-merged over the base.',
  properties: Object.fromEntries(Object.entries(overlayable).map(([k, v]) => [k, deepPartial(v)])),
} as const;

/**
 * The published JSON Schema (draft-07, which the YAML language server and ajv
 * both understand). Environments use the overlay schema.
 */
export function publishedSchema(): Record<string, unknown> {
  const base = JSON.parse(JSON.stringify(ConfigSchema)) as Record<string, any>;
  base.properties.environments.additionalProperties = false;
  base.properties.environments.patternProperties = { [NAME_PATTERN]: { $ref: '#/definitions/overlay' } };
  delete base.properties.environments.additionalProperties;
  base.properties.environments = {
    type: 'object',
    description: base.properties.environments.description,
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: { $ref: '#/definitions/overlay' },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...base,
    definitions: { overlay: JSON.parse(JSON.stringify(OverlaySchema)) },
  };
}
