/**
 * The resolved model: one per service and environment, every default applied,
 * every reference checked. This is what synthesis (`src/infra`), `explain` and
 * `diff` consume. It keeps the shape of the YAML (same keys, same list order), so
 * a field path in a diagnostic is a path in the model too; derived facts live in
 * fields the YAML cannot hold (`name` of map entries, `stackName`, `sourceFile` ...).
 *
 * Pure data: no cdktf, no file handles. File contents that synthesis needs (the
 * GraphQL SDL) are read by the loader and carried here.
 */
import type {
  APPSYNC_CACHE_BEHAVIORS,
  ARCHITECTURES,
  ENDPOINT_AUTH,
  ENDPOINT_TYPES,
  GRAPHQL_AUTH,
  HTTP_METHODS,
  LAMBDA_RUNTIMES,
  MAXMEMORY_POLICIES,
  REDIS_ENGINES,
  RETRY_MODES,
  UNAUTHORIZED_STRATEGIES,
  APPSYNC_FIELD_LOG_LEVELS,
  EGRESS_MODES,
  VPC_ENDPOINT_SERVICES,
  AlarmKind,
  AlarmThresholdKey,
  ACCESS_ACTIONS,
} from './constants';

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type EndpointAuth = (typeof ENDPOINT_AUTH)[number];
export type GraphqlAuth = (typeof GRAPHQL_AUTH)[number];
export type UnauthorizedStrategy = (typeof UNAUTHORIZED_STRATEGIES)[number];
export type RetryMode = (typeof RETRY_MODES)[number];
export type RedisEngine = (typeof REDIS_ENGINES)[number];
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];
export type Architecture = (typeof ARCHITECTURES)[number];
export type EndpointType = (typeof ENDPOINT_TYPES)[number];
export type AppsyncCacheBehavior = (typeof APPSYNC_CACHE_BEHAVIORS)[number];
export type AppsyncFieldLogLevel = (typeof APPSYNC_FIELD_LOG_LEVELS)[number];
export type EgressMode = (typeof EGRESS_MODES)[number];
export type VpcEndpointService = (typeof VPC_ENDPOINT_SERVICES)[number];

export interface ServiceModel {
  version: 1;
  service: string;
  /** Environment name, or `undefined` when the file has no `environments`. */
  environment?: string;
  /** `<service>-<env>`, or `<service>` when the file has no `environments`. */
  stackName: string;
  /** The config file, relative to the working directory, with `/` separators. */
  sourceFile: string;
  /** Directory of the config file, absolute; entries and schema paths resolve against it. */
  baseDir: string;
  /**
   * Real path of the project root that the handler code bundled for this service
   * must stay inside (see src/config/files.ts). Set by the loader; `undefined` when
   * the user allowed files outside the root, or for a model built in memory.
   */
  projectRoot?: string;
  /** Real paths of the `node_modules` directories packages of the project resolve from (with `projectRoot`). */
  projectNodeModules?: string[];
  region: string;
  tags: Record<string, string>;
  terraform: TerraformSettings;
  backend: Backend;
  auth: Auth;
  network?: Network;
  /** Ordered by name. */
  handlers: Handler[];
  restApi?: RestApi;
  graphqlApi?: GraphqlApi;
  /** Ordered by name. */
  redis: RedisCache[];
  /** Ordered by name. */
  dax: DaxCluster[];
  warmer?: Warmer;
  /** CloudFront in front of the REST API and/or an S3 bucket. */
  cdn?: Cdn;
  /** Present when the YAML has `alarms` (with `enabled: false` when this environment turns them off). */
  alarms?: Alarms;
}

export interface TerraformSettings {
  /** The AWS provider's `required_providers` version constraint, as written (default `>= 5.100, < 7.0`). */
  awsProvider: string;
}

export type Backend =
  | { kind: 'local' }
  | { kind: 's3'; bucket: string; key: string; region: string; useLockfile: boolean; encrypt: boolean };

export interface Auth {
  cognito?: { userPoolArn: string };
  lambda?: { handler: string; identityHeader: string; resultTtlSeconds: number };
  oidc?: { issuer: string; clientId?: string; authTtlSeconds: number };
  apiKey?: { expires: string; description?: string };
}

export interface Network {
  vpcId: string;
  subnetIds: string[];
  /** `nat` (default): handlers reach AWS APIs through a NAT gateway of the VPC; `endpoints`: only through `endpoints`. */
  egress: EgressMode;
  /** VPC endpoints to create, as written (the YAML's order). */
  endpoints: VpcEndpointService[];
}

export interface Handler {
  name: string;
  /** As written in the YAML. */
  entry: string;
  /** Absolute path of the entry file. */
  entryPath: string;
  export: string;
  /** Defaults by entry: `nodejs22.x`, or `python3.13` for a `.py` entry. */
  runtime: LambdaRuntime;
  architecture: Architecture;
  /** Python only: the requirements file as written in the YAML. */
  requirements?: string;
  /** Absolute path of `requirements`. */
  requirementsPath?: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** 0 = none. */
  provisionedConcurrency: number;
  reservedConcurrency?: number;
  vpc: boolean;
  warm: boolean;
  logRetentionDays: number;
  environment: Record<string, string>;
  connections: Connections;
  /** What the handler's own code reaches (`access`); every list empty when the YAML has none. */
  access: Access;
  /** `invalidates`, in YAML order: cached endpoints this handler may invalidate (execute-api:InvalidateCache). */
  invalidates: { method: HttpMethod; path: string }[];
}

export type DynamodbAccessActions = (typeof ACCESS_ACTIONS.dynamodb)[number];
export type S3AccessActions = (typeof ACCESS_ACTIONS.s3)[number];
export type SqsAccessActions = (typeof ACCESS_ACTIONS.sqs)[number];
export type SnsAccessActions = (typeof ACCESS_ACTIONS.sns)[number];

/** `handlers.<name>.access`, lists in YAML order (a field path indexes them). */
export interface Access {
  /** `table` as written: a name or an ARN. `indexes` empty when none. */
  dynamodb: { table: string; actions: DynamodbAccessActions; indexes: string[] }[];
  s3: { bucket: string; prefix?: string; actions: S3AccessActions }[];
  /** `queue` as written: a name or an ARN. */
  sqs: { queue: string; actions: SqsAccessActions }[];
  /** `topic` as written: a name or an ARN. */
  sns: { topic: string; actions: SnsAccessActions }[];
  /** Secret ARNs as written (possibly without the `-XXXXXX` suffix). */
  secrets: string[];
  statements: { actions: string[]; resources: string[] }[];
}

export interface Connections {
  /** Always present: every handler's SDK clients get keep-alive and timeouts. */
  http: { keepAlive: boolean; maxSockets: number; connectTimeoutMs: number; requestTimeoutMs: number };
  retries: { maxAttempts: number; mode: RetryMode };
  redis?: { cache: string; poolSize: number; commandTimeoutMs: number; connectTimeoutMs: number };
  dax?: { cluster: string; requestTimeoutMs: number };
  postgres?: {
    secret?: string;
    min: number;
    max: number;
    idleTimeoutMs: number;
    connectionTimeoutMs: number;
    statementTimeoutMs: number;
    /** The database's port (default 5432). */
    port: number;
    /** The database's security group: gets an ingress rule from the handler's group. */
    securityGroupId?: string;
    /** The database's `max_connections`, for the connection budget (rule 15). */
    serverMaxConnections?: number;
  };
}

export interface Throttling {
  burstLimit: number;
  rateLimit: number;
}

export interface RestApi {
  name: string;
  stage: string;
  endpointType: EndpointType;
  /** Present = stage cache cluster on. */
  cache?: { sizeGb: number; encrypted: boolean; ttlSeconds: number };
  throttling?: Throttling;
  logRetentionDays: number;
  /** Create the account-level API Gateway CloudWatch role (`aws_api_gateway_account`). */
  accountLogsRole: boolean;
  /** Present = compression on (`minimum_compression_size`). */
  compression?: { minimumSizeBytes: number };
  cors?: Cors;
  domain?: CustomDomain;
  waf?: Waf;
  /** In YAML order. */
  endpoints: Endpoint[];
}

export interface Cors {
  allowOrigins: string[];
  /** `undefined`: on each resource, the methods of its endpoints. */
  allowMethods?: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number;
  allowCredentials: boolean;
}

export interface CustomDomain {
  name: string;
  certificateArn: string;
  /** `undefined`: the root of the domain. */
  basePath?: string;
  endpointType: 'REGIONAL' | 'EDGE';
}

/** An existing web ACL, or one cachestack creates from AWS managed rule groups (rule: exactly one). */
export type Waf = { webAclArn: string } | { managedRules: string[] };

export interface Cdn {
  priceClass: string;
  minimumTls: string;
  compress: boolean;
  aliases: string[];
  certificateArn?: string;
  logging?: { bucket: string; prefix: string };
  api?: { pathPattern: string; defaultTtlSeconds: number; maxTtlSeconds: number };
  static?: { bucket: string; defaultTtlSeconds: number; maxTtlSeconds: number };
}

export interface Endpoint {
  path: string;
  method: HttpMethod;
  handler: string;
  auth: EndpointAuth;
  /** `undefined` = caching off (omitted, `cache: false`, or `ttlSeconds: 0`). */
  cache?: EndpointCache;
  throttling?: Throttling;
  /** p95 target; gives the endpoint a latency and a 5XX-rate alarm. */
  latencyTargetMs?: number;
}

export interface EndpointCache {
  /** Always >= 1 here; a 0 in the YAML resolves to `cache: undefined`. */
  ttlSeconds: number;
  keys: string[];
  requireAuthorization: boolean;
  unauthorized: UnauthorizedStrategy;
  namespace?: string;
  shared: boolean;
}

export interface GraphqlApi {
  name: string;
  /** As written in the YAML. */
  schema: string;
  /** Absolute path of the SDL file. */
  schemaPath: string;
  /** The SDL text, read by the loader. */
  schemaSdl: string;
  auth: GraphqlAuth;
  fieldLogLevel: AppsyncFieldLogLevel;
  logRetentionDays: number;
  cache?: {
    behavior: AppsyncCacheBehavior;
    type: string;
    ttlSeconds: number;
    encryption: { atRest: boolean; transit: boolean };
    /** As written; deploys nothing (the provider has no argument for it), see rule `appsync-health-metrics-ignored`. */
    healthMetrics?: boolean;
  };
  waf?: Waf;
  /** In YAML order. */
  resolvers: Resolver[];
}

export interface Resolver {
  field: string;
  /** `field` split: the GraphQL type ... */
  typeName: string;
  /** ... and the field name. */
  fieldName: string;
  handler: string;
  /** `undefined` = not cached. */
  cache?: { ttlSeconds: number; keys: string[]; shared: boolean };
  /** `evicts`, in YAML order: cached resolvers whose entries this field evicts after it resolves. */
  evicts: Eviction[];
}

export interface Eviction {
  /** `Type.field` of the target resolver. */
  field: string;
  typeName: string;
  fieldName: string;
  /** Target cache key → `$context` path of the evicting request, as written (keys not named take the same path). */
  keys: Record<string, string>;
}

export interface RedisKey {
  name: string;
  pattern: string;
  ttlSeconds: number;
  /** The `{param}` names of the pattern, in order. */
  params: string[];
}

export interface RedisCache {
  name: string;
  engine: RedisEngine;
  version: string;
  nodeType: string;
  shards: number;
  replicasPerShard: number;
  multiAz: boolean;
  snapshotRetentionDays: number;
  maxmemoryPolicy: MaxmemoryPolicy;
  encryption: { atRest: boolean; transit: boolean };
  authTokenSecret?: string;
  port: number;
  keys: RedisKey[];
}

export interface DaxCluster {
  name: string;
  nodeType: string;
  replicationFactor: number;
  encryption: boolean;
  tables: string[];
  itemTtlSeconds: number;
  queryTtlSeconds: number;
}

export interface Warmer {
  schedule: string;
  concurrency: number;
  enabled: boolean;
  timeoutSeconds: number;
}

export interface Alarms {
  enabled: boolean;
  /** Absent: alarms without actions (a warning). */
  notify?: { email: string[] } | { topicArn: string };
  dashboard: boolean;
  latencyFactor: number;
  /** Every key, defaults applied. */
  thresholds: Record<AlarmThresholdKey, number>;
  /** As written (rule 18 checks each is a kind). */
  disable: string[];
}

export type { AlarmKind, AlarmThresholdKey };
