/**
 * Raw config (schema-checked, environment merged) → `ServiceModel`, with every
 * default applied.
 *
 * Static defaults are read from the schema (`default` of each property), never
 * written again here. Defaults that follow from other fields are the ones the
 * schema describes in words:
 * - endpoint and GraphQL `auth`: `cognito` when `auth.cognito` is set, else
 *   `lambda` when `auth.lambda` is set, else `iam`;
 * - endpoint cache TTL: `restApi.cache.ttlSeconds`; `cache: false` and a TTL of 0
 *   mean no cache (`cache: undefined`);
 * - resolver cache TTL: `graphqlApi.cache.ttlSeconds`;
 * - redis `version`: `DEFAULT_REDIS_VERSION` of the engine;
 * - redis key `name`: the camelCase of the pattern's literal words;
 * - backend: local unless `backend.s3`; `s3.region`: the service `region`;
 * - `stackName`: `<service>-<env>`, or `<service>` without environments.
 * Maps become arrays sorted by name; lists keep their YAML order.
 */
import { resolve } from 'node:path';
import type { Static, TObject } from '@sinclair/typebox';
import type {
  Auth,
  Backend,
  Connections,
  Access,
  DaxCluster,
  Endpoint,
  EndpointAuth,
  EndpointCache,
  GraphqlApi,
  Handler,
  RedisCache,
  RedisKey,
  Resolver,
  RestApi,
  ServiceModel,
  Throttling,
  Warmer,
  Alarms,
  Cdn,
  Cors,
  Waf,
} from './model';
import { setOwn } from './schema-check';
import { ALARM_THRESHOLDS, DEFAULT_PYTHON_RUNTIME, DEFAULT_REDIS_VERSION, DEFAULT_RUNTIME, NAME_PATTERN, isPythonEntry, type AlarmThresholdKey } from './constants';
import { PUBLISHED_SCHEMA } from './generated/schema-data';
import type {
  AuthSchema as TAuth,
  BackendSchema as TBackend,
  TerraformSchema as TTerraform,
  DaxClusterSchema as TDaxCluster,
  DaxConnectionSchema as TDaxConnection,
  EndpointCacheSchema as TEndpointCache,
  GraphqlApiSchema as TGraphqlApi,
  GraphqlCacheSchema as TGraphqlCache,
  HandlerSchema as THandler,
  HttpConnectionSchema as THttpConnection,
  NetworkSchema as TNetwork,
  PostgresConnectionSchema as TPostgresConnection,
  RedisCacheSchema as TRedisCache,
  RedisConnectionSchema as TRedisConnection,
  ResolverCacheSchema as TResolverCache,
  RestApiSchema as TRestApi,
  RetryConnectionSchema as TRetryConnection,
  StageCacheSchema as TStageCache,
  WarmerSchema as TWarmer,
  AlarmsSchema as TAlarms,
  AlarmThresholdsSchema as TAlarmThresholds,
  CdnSchema as TCdn,
  CorsSchema as TCors,
  DomainSchema as TDomain,
  RawCdn,
  RawCors,
  RawWaf,
  RawConfig,
  RawEndpoint,
  RawGraphqlApi,
  RawHandler,
  RawRedisCache,
  RawRestApi,
} from './schema';

/*
 * The section schemas, taken from the published schema as data (generated from
 * src/config/schema.ts) so that loading a config never loads TypeBox; typed as
 * the TypeBox definitions they were generated from.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const P: Json = PUBLISHED_SCHEMA.properties;
/** The object variant of a `false | {...}` union. */
const objectOf = (union: Json): Json => (union.anyOf as Json[]).find((s) => s.type === 'object');
const HandlerSchema = P.handlers.patternProperties[NAME_PATTERN] as typeof THandler;
const connections: Json = (HandlerSchema as Json).properties.connections.properties;
const AuthSchema = P.auth as typeof TAuth;
const BackendSchema = P.backend as typeof TBackend;
const TerraformSchema = P.terraform as typeof TTerraform;
const DaxClusterSchema = P.dax.patternProperties[NAME_PATTERN] as typeof TDaxCluster;
const DaxConnectionSchema = connections.dax as typeof TDaxConnection;
const NetworkSchema = P.network as typeof TNetwork;
const HttpConnectionSchema = connections.http as typeof THttpConnection;
const PostgresConnectionSchema = connections.postgres as typeof TPostgresConnection;
const RedisConnectionSchema = connections.redis as typeof TRedisConnection;
const RetryConnectionSchema = connections.retries as typeof TRetryConnection;
const RestApiSchema = P.restApi as typeof TRestApi;
const StageCacheSchema = P.restApi.properties.cache as typeof TStageCache;
const EndpointCacheSchema = objectOf(P.restApi.properties.endpoints.items.properties.cache) as typeof TEndpointCache;
const GraphqlApiSchema = P.graphqlApi as typeof TGraphqlApi;
const GraphqlCacheSchema = P.graphqlApi.properties.cache as typeof TGraphqlCache;
const ResolverCacheSchema = objectOf(P.graphqlApi.properties.resolvers.items.properties.cache) as typeof TResolverCache;
const RedisCacheSchema = P.redis.patternProperties[NAME_PATTERN] as typeof TRedisCache;
const WarmerSchema = P.warmer as typeof TWarmer;
const AlarmsSchema = P.alarms as typeof TAlarms;
const AlarmThresholdsSchema = P.alarms.properties.thresholds as typeof TAlarmThresholds;
const CorsSchema = P.restApi.properties.cors as typeof TCors;
const DomainSchema = P.restApi.properties.domain as typeof TDomain;
const CdnSchema = P.cdn as typeof TCdn;

/** The schema's `default` of `schema.properties[key]`; fails at load time when the schema has none. */
function d<S extends TObject, K extends keyof S['properties'] & string>(schema: S, key: K): Exclude<Static<S['properties'][K]>, undefined> {
  const value = (schema.properties[key] as { default?: unknown }).default;
  if (value === undefined) throw new Error(`src/config/schema.ts: ${key} has no default`);
  return value as Exclude<Static<S['properties'][K]>, undefined>;
}

const lambdaAuthSchema = AuthSchema.properties.lambda;
const oidcSchema = AuthSchema.properties.oidc;
const s3Schema = BackendSchema.properties.s3;
const graphqlEncryptionSchema = GraphqlCacheSchema.properties.encryption;
const redisEncryptionSchema = RedisCacheSchema.properties.encryption;

/** Every static default, read once from the schema. */
const D = {
  lambdaAuth: { identityHeader: d(lambdaAuthSchema, 'identityHeader'), resultTtlSeconds: d(lambdaAuthSchema, 'resultTtlSeconds') },
  oidc: { authTtlSeconds: d(oidcSchema, 'authTtlSeconds') },
  s3: { useLockfile: d(s3Schema, 'useLockfile'), encrypt: d(s3Schema, 'encrypt') },
  terraform: { awsProvider: d(TerraformSchema, 'awsProvider') },
  handler: {
    export: d(HandlerSchema, 'export'),
    architecture: d(HandlerSchema, 'architecture'),
    memoryMb: d(HandlerSchema, 'memoryMb'),
    timeoutSeconds: d(HandlerSchema, 'timeoutSeconds'),
    provisionedConcurrency: d(HandlerSchema, 'provisionedConcurrency'),
    vpc: d(HandlerSchema, 'vpc'),
    warm: d(HandlerSchema, 'warm'),
    logRetentionDays: d(HandlerSchema, 'logRetentionDays'),
  },
  http: {
    keepAlive: d(HttpConnectionSchema, 'keepAlive'),
    maxSockets: d(HttpConnectionSchema, 'maxSockets'),
    connectTimeoutMs: d(HttpConnectionSchema, 'connectTimeoutMs'),
    requestTimeoutMs: d(HttpConnectionSchema, 'requestTimeoutMs'),
  },
  retries: { maxAttempts: d(RetryConnectionSchema, 'maxAttempts'), mode: d(RetryConnectionSchema, 'mode') },
  redisConnection: {
    poolSize: d(RedisConnectionSchema, 'poolSize'),
    commandTimeoutMs: d(RedisConnectionSchema, 'commandTimeoutMs'),
    connectTimeoutMs: d(RedisConnectionSchema, 'connectTimeoutMs'),
  },
  daxConnection: { requestTimeoutMs: d(DaxConnectionSchema, 'requestTimeoutMs') },
  postgres: {
    min: d(PostgresConnectionSchema, 'min'),
    max: d(PostgresConnectionSchema, 'max'),
    idleTimeoutMs: d(PostgresConnectionSchema, 'idleTimeoutMs'),
    connectionTimeoutMs: d(PostgresConnectionSchema, 'connectionTimeoutMs'),
    statementTimeoutMs: d(PostgresConnectionSchema, 'statementTimeoutMs'),
    port: d(PostgresConnectionSchema, 'port'),
  },
  network: { egress: d(NetworkSchema, 'egress'), endpoints: d(NetworkSchema, 'endpoints') },
  restApi: {
    stage: d(RestApiSchema, 'stage'),
    endpointType: d(RestApiSchema, 'endpointType'),
    logRetentionDays: d(RestApiSchema, 'logRetentionDays'),
    accountLogsRole: d(RestApiSchema, 'accountLogsRole'),
  },
  stageCache: { sizeGb: d(StageCacheSchema, 'sizeGb'), encrypted: d(StageCacheSchema, 'encrypted'), ttlSeconds: d(StageCacheSchema, 'ttlSeconds') },
  endpointCache: {
    requireAuthorization: d(EndpointCacheSchema, 'requireAuthorization'),
    unauthorized: d(EndpointCacheSchema, 'unauthorized'),
    shared: d(EndpointCacheSchema, 'shared'),
  },
  graphqlApi: { fieldLogLevel: d(GraphqlApiSchema, 'fieldLogLevel'), logRetentionDays: d(GraphqlApiSchema, 'logRetentionDays') },
  graphqlCache: {
    behavior: d(GraphqlCacheSchema, 'behavior'),
    type: d(GraphqlCacheSchema, 'type'),
    ttlSeconds: d(GraphqlCacheSchema, 'ttlSeconds'),
    atRest: d(graphqlEncryptionSchema, 'atRest'),
    transit: d(graphqlEncryptionSchema, 'transit'),
  },
  resolverCache: { shared: d(ResolverCacheSchema, 'shared') },
  redis: {
    engine: d(RedisCacheSchema, 'engine'),
    nodeType: d(RedisCacheSchema, 'nodeType'),
    shards: d(RedisCacheSchema, 'shards'),
    replicasPerShard: d(RedisCacheSchema, 'replicasPerShard'),
    multiAz: d(RedisCacheSchema, 'multiAz'),
    snapshotRetentionDays: d(RedisCacheSchema, 'snapshotRetentionDays'),
    maxmemoryPolicy: d(RedisCacheSchema, 'maxmemoryPolicy'),
    port: d(RedisCacheSchema, 'port'),
    atRest: d(redisEncryptionSchema, 'atRest'),
    transit: d(redisEncryptionSchema, 'transit'),
  },
  dax: {
    nodeType: d(DaxClusterSchema, 'nodeType'),
    replicationFactor: d(DaxClusterSchema, 'replicationFactor'),
    encryption: d(DaxClusterSchema, 'encryption'),
    itemTtlSeconds: d(DaxClusterSchema, 'itemTtlSeconds'),
    queryTtlSeconds: d(DaxClusterSchema, 'queryTtlSeconds'),
  },
  warmer: {
    schedule: d(WarmerSchema, 'schedule'),
    concurrency: d(WarmerSchema, 'concurrency'),
    enabled: d(WarmerSchema, 'enabled'),
    timeoutSeconds: d(WarmerSchema, 'timeoutSeconds'),
  },
  cors: {
    allowHeaders: d(CorsSchema, 'allowHeaders'),
    exposeHeaders: d(CorsSchema, 'exposeHeaders'),
    maxAgeSeconds: d(CorsSchema, 'maxAgeSeconds'),
    allowCredentials: d(CorsSchema, 'allowCredentials'),
  },
  domain: { endpointType: d(DomainSchema, 'endpointType') },
  cdn: {
    priceClass: d(CdnSchema, 'priceClass'),
    minimumTls: d(CdnSchema, 'minimumTls'),
    compress: d(CdnSchema, 'compress'),
    pathPattern: d(CdnSchema.properties.api, 'pathPattern'),
    apiDefaultTtl: d(CdnSchema.properties.api, 'defaultTtlSeconds'),
    apiMaxTtl: d(CdnSchema.properties.api, 'maxTtlSeconds'),
    staticDefaultTtl: d(CdnSchema.properties.static, 'defaultTtlSeconds'),
    staticMaxTtl: d(CdnSchema.properties.static, 'maxTtlSeconds'),
  },
  alarms: {
    enabled: d(AlarmsSchema, 'enabled'),
    dashboard: d(AlarmsSchema, 'dashboard'),
    latencyFactor: d(AlarmsSchema, 'latencyFactor'),
    thresholds: Object.fromEntries(Object.keys(ALARM_THRESHOLDS).map((k) => [k, d(AlarmThresholdsSchema, k as AlarmThresholdKey)])) as Record<AlarmThresholdKey, number>,
  },
} as const;

export interface NormalizeContext {
  /** Environment name; `undefined` when the file has no `environments`. */
  environment?: string;
  /** The config file as diagnostics print it. */
  sourceFile: string;
  /** Absolute directory of the config file. */
  baseDir: string;
  /** Absolute path → text, or `undefined` when unreadable (memoized by the caller). */
  readFile(absPath: string): string | undefined;
}

/** `user:profile:{userId}` → `userProfile`; `{id}` alone → `key`. */
export function redisKeyName(pattern: string): string {
  const words = pattern
    .replace(/\{[^}]*\}/g, ' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return 'key';
  const [first, ...rest] = words;
  const name = first.toLowerCase() + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[a-z]/.test(name) ? name : `key${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** The `{name}` parameters of a redis key pattern, in order. */
export function redisKeyParams(pattern: string): string[] {
  return [...pattern.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]);
}

function sortedEntries<T>(map: Record<string, T> | undefined): [string, T][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function copyMap(map: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) setOwn(out, k, v);
  return out;
}

function throttling(t: { burstLimit: number; rateLimit: number } | undefined): Throttling | undefined {
  return t ? { burstLimit: t.burstLimit, rateLimit: t.rateLimit } : undefined;
}

/** The auth a caller gets when an endpoint or the GraphQL API names none. */
function defaultAuth(auth: RawConfig['auth']): 'cognito' | 'lambda' | 'iam' {
  return auth?.cognito ? 'cognito' : auth?.lambda ? 'lambda' : 'iam';
}

function normalizeAuth(a: RawConfig['auth']): Auth {
  const out: Auth = {};
  if (a?.cognito) out.cognito = { userPoolArn: a.cognito.userPoolArn };
  if (a?.lambda) {
    out.lambda = {
      handler: a.lambda.handler,
      identityHeader: a.lambda.identityHeader ?? D.lambdaAuth.identityHeader,
      resultTtlSeconds: a.lambda.resultTtlSeconds ?? D.lambdaAuth.resultTtlSeconds,
    };
  }
  if (a?.oidc) {
    out.oidc = { issuer: a.oidc.issuer, authTtlSeconds: a.oidc.authTtlSeconds ?? D.oidc.authTtlSeconds };
    if (a.oidc.clientId !== undefined) out.oidc.clientId = a.oidc.clientId;
  }
  if (a?.apiKey) {
    out.apiKey = { expires: a.apiKey.expires };
    if (a.apiKey.description !== undefined) out.apiKey.description = a.apiKey.description;
  }
  return out;
}

function normalizeBackend(b: RawConfig['backend'], region: string): Backend {
  const s3 = b?.s3;
  if (!s3) return { kind: 'local' };
  return {
    kind: 's3',
    bucket: s3.bucket,
    key: s3.key,
    region: s3.region ?? region,
    useLockfile: s3.useLockfile ?? D.s3.useLockfile,
    encrypt: s3.encrypt ?? D.s3.encrypt,
  };
}

function normalizeConnections(c: RawHandler['connections']): Connections {
  const http = c?.http;
  const retries = c?.retries;
  const out: Connections = {
    http: {
      keepAlive: http?.keepAlive ?? D.http.keepAlive,
      maxSockets: http?.maxSockets ?? D.http.maxSockets,
      connectTimeoutMs: http?.connectTimeoutMs ?? D.http.connectTimeoutMs,
      requestTimeoutMs: http?.requestTimeoutMs ?? D.http.requestTimeoutMs,
    },
    retries: { maxAttempts: retries?.maxAttempts ?? D.retries.maxAttempts, mode: retries?.mode ?? D.retries.mode },
  };
  if (c?.redis) {
    out.redis = {
      cache: c.redis.cache,
      poolSize: c.redis.poolSize ?? D.redisConnection.poolSize,
      commandTimeoutMs: c.redis.commandTimeoutMs ?? D.redisConnection.commandTimeoutMs,
      connectTimeoutMs: c.redis.connectTimeoutMs ?? D.redisConnection.connectTimeoutMs,
    };
  }
  if (c?.dax) out.dax = { cluster: c.dax.cluster, requestTimeoutMs: c.dax.requestTimeoutMs ?? D.daxConnection.requestTimeoutMs };
  if (c?.postgres) {
    const p = c.postgres;
    out.postgres = {
      min: p.min ?? D.postgres.min,
      max: p.max ?? D.postgres.max,
      idleTimeoutMs: p.idleTimeoutMs ?? D.postgres.idleTimeoutMs,
      connectionTimeoutMs: p.connectionTimeoutMs ?? D.postgres.connectionTimeoutMs,
      statementTimeoutMs: p.statementTimeoutMs ?? D.postgres.statementTimeoutMs,
      port: p.port ?? D.postgres.port,
    };
    if (p.secret !== undefined) out.postgres = { secret: p.secret, ...out.postgres };
    if (p.securityGroupId !== undefined) out.postgres.securityGroupId = p.securityGroupId;
    if (p.serverMaxConnections !== undefined) out.postgres.serverMaxConnections = p.serverMaxConnections;
  }
  return out;
}

function normalizeAccess(a: RawHandler['access']): Access {
  return {
    dynamodb: (a?.dynamodb ?? []).map((d) => ({ table: d.table, actions: d.actions, indexes: [...(d.indexes ?? [])] })),
    s3: (a?.s3 ?? []).map((b) => (b.prefix !== undefined ? { bucket: b.bucket, prefix: b.prefix, actions: b.actions } : { bucket: b.bucket, actions: b.actions })),
    sqs: (a?.sqs ?? []).map((q) => ({ queue: q.queue, actions: q.actions })),
    sns: (a?.sns ?? []).map((t) => ({ topic: t.topic, actions: t.actions })),
    secrets: [...(a?.secrets ?? [])],
    statements: (a?.statements ?? []).map((st) => ({ actions: [...st.actions], resources: [...st.resources] })),
  };
}

function normalizeHandler(name: string, h: RawHandler, baseDir: string): Handler {
  const out: Handler = {
    name,
    entry: h.entry,
    entryPath: resolve(baseDir, h.entry),
    export: h.export ?? D.handler.export,
    runtime: h.runtime ?? (isPythonEntry(h.entry) ? DEFAULT_PYTHON_RUNTIME : DEFAULT_RUNTIME),
    architecture: h.architecture ?? D.handler.architecture,
    memoryMb: h.memoryMb ?? D.handler.memoryMb,
    timeoutSeconds: h.timeoutSeconds ?? D.handler.timeoutSeconds,
    provisionedConcurrency: h.provisionedConcurrency ?? D.handler.provisionedConcurrency,
    vpc: h.vpc ?? D.handler.vpc,
    warm: h.warm ?? D.handler.warm,
    logRetentionDays: h.logRetentionDays ?? D.handler.logRetentionDays,
    environment: copyMap(h.environment),
    connections: normalizeConnections(h.connections),
    access: normalizeAccess(h.access),
    invalidates: (h.invalidates ?? []).map((i) => {
      const space = i.indexOf(' ');
      return { method: i.slice(0, space) as Handler['invalidates'][number]['method'], path: i.slice(space + 1) };
    }),
  };
  if (h.reservedConcurrency !== undefined) out.reservedConcurrency = h.reservedConcurrency;
  if (h.requirements !== undefined) {
    out.requirements = h.requirements;
    out.requirementsPath = resolve(baseDir, h.requirements);
  }
  return out;
}

function normalizeEndpoint(e: RawEndpoint, auth: EndpointAuth, stageTtl: number): Endpoint {
  const out: Endpoint = { path: e.path, method: e.method, handler: e.handler, auth: e.auth ?? auth };
  const c = e.cache;
  const ttl = c ? (c.ttlSeconds ?? stageTtl) : 0;
  if (c && ttl > 0) {
    const cache: EndpointCache = {
      ttlSeconds: ttl,
      keys: [...(c.keys ?? [])],
      requireAuthorization: c.requireAuthorization ?? D.endpointCache.requireAuthorization,
      unauthorized: c.unauthorized ?? D.endpointCache.unauthorized,
      shared: c.shared ?? D.endpointCache.shared,
    };
    if (c.namespace !== undefined) cache.namespace = c.namespace;
    out.cache = cache;
  }
  const t = throttling(e.throttling);
  if (t) out.throttling = t;
  if (e.latencyTargetMs !== undefined) out.latencyTargetMs = e.latencyTargetMs;
  return out;
}

function normalizeRestApi(r: RawRestApi, auth: EndpointAuth): RestApi {
  const stageTtl = r.cache?.ttlSeconds ?? D.stageCache.ttlSeconds;
  const out: RestApi = {
    name: r.name,
    stage: r.stage ?? D.restApi.stage,
    endpointType: r.endpointType ?? D.restApi.endpointType,
    logRetentionDays: r.logRetentionDays ?? D.restApi.logRetentionDays,
    accountLogsRole: r.accountLogsRole ?? D.restApi.accountLogsRole,
    endpoints: r.endpoints.map((e) => normalizeEndpoint(e, auth, stageTtl)),
  };
  if (r.cache) {
    out.cache = {
      sizeGb: r.cache.sizeGb ?? D.stageCache.sizeGb,
      encrypted: r.cache.encrypted ?? D.stageCache.encrypted,
      ttlSeconds: r.cache.ttlSeconds ?? D.stageCache.ttlSeconds,
    };
  }
  const t = throttling(r.throttling);
  if (t) out.throttling = t;
  if (r.compression) out.compression = { minimumSizeBytes: r.compression.minimumSizeBytes };
  if (r.cors) out.cors = normalizeCors(r.cors);
  if (r.domain) {
    out.domain = { name: r.domain.name, certificateArn: r.domain.certificateArn, endpointType: r.domain.endpointType ?? D.domain.endpointType };
    if (r.domain.basePath !== undefined) out.domain.basePath = r.domain.basePath;
  }
  const waf = normalizeWaf(r.waf);
  if (waf) out.waf = waf;
  return out;
}

function normalizeCors(c: RawCors): Cors {
  const out: Cors = {
    allowOrigins: [...c.allowOrigins],
    allowHeaders: [...(c.allowHeaders ?? D.cors.allowHeaders)],
    exposeHeaders: [...(c.exposeHeaders ?? D.cors.exposeHeaders)],
    maxAgeSeconds: c.maxAgeSeconds ?? D.cors.maxAgeSeconds,
    allowCredentials: c.allowCredentials ?? D.cors.allowCredentials,
  };
  if (c.allowMethods) out.allowMethods = [...c.allowMethods];
  return out;
}

/** The ACL to associate; with both forms written (an error of rule 17), the existing ACL wins. */
function normalizeWaf(w: RawWaf | undefined): Waf | undefined {
  if (w?.webAclArn !== undefined) return { webAclArn: w.webAclArn };
  if (w?.managedRules !== undefined) return { managedRules: [...w.managedRules] };
  return undefined;
}

function normalizeCdn(c: RawCdn, stackName: string): Cdn {
  const out: Cdn = {
    priceClass: c.priceClass ?? D.cdn.priceClass,
    minimumTls: c.minimumTls ?? D.cdn.minimumTls,
    compress: c.compress ?? D.cdn.compress,
    aliases: [...(c.aliases ?? [])],
  };
  if (c.certificateArn !== undefined) out.certificateArn = c.certificateArn;
  if (c.logging) out.logging = { bucket: c.logging.bucket, prefix: c.logging.prefix ?? `${stackName}/` };
  if (c.api) {
    out.api = {
      pathPattern: c.api.pathPattern ?? D.cdn.pathPattern,
      defaultTtlSeconds: c.api.defaultTtlSeconds ?? D.cdn.apiDefaultTtl,
      maxTtlSeconds: c.api.maxTtlSeconds ?? D.cdn.apiMaxTtl,
    };
  }
  if (c.static) {
    out.static = {
      bucket: c.static.bucket,
      defaultTtlSeconds: c.static.defaultTtlSeconds ?? D.cdn.staticDefaultTtl,
      maxTtlSeconds: c.static.maxTtlSeconds ?? D.cdn.staticMaxTtl,
    };
  }
  return out;
}

function normalizeGraphqlApi(g: RawGraphqlApi, auth: 'cognito' | 'lambda' | 'iam', ctx: NormalizeContext): GraphqlApi {
  const schemaPath = resolve(ctx.baseDir, g.schema);
  const defaultTtl = g.cache?.ttlSeconds ?? D.graphqlCache.ttlSeconds;
  const out: GraphqlApi = {
    name: g.name,
    schema: g.schema,
    schemaPath,
    schemaSdl: ctx.readFile(schemaPath) ?? '',
    auth: g.auth ?? auth,
    fieldLogLevel: g.fieldLogLevel ?? D.graphqlApi.fieldLogLevel,
    logRetentionDays: g.logRetentionDays ?? D.graphqlApi.logRetentionDays,
    resolvers: (g.resolvers ?? []).map((r): Resolver => {
      const dot = r.field.indexOf('.');
      const resolver: Resolver = {
        field: r.field,
        typeName: r.field.slice(0, dot),
        fieldName: r.field.slice(dot + 1),
        handler: r.handler,
        evicts: (r.evicts ?? []).map((e) => {
          const d = e.field.indexOf('.');
          return { field: e.field, typeName: e.field.slice(0, d), fieldName: e.field.slice(d + 1), keys: copyMap(e.keys) };
        }),
      };
      if (r.cache) {
        resolver.cache = { ttlSeconds: r.cache.ttlSeconds ?? defaultTtl, keys: [...(r.cache.keys ?? [])], shared: r.cache.shared ?? D.resolverCache.shared };
      }
      return resolver;
    }),
  };
  if (g.cache) {
    out.cache = {
      behavior: g.cache.behavior ?? D.graphqlCache.behavior,
      type: g.cache.type ?? D.graphqlCache.type,
      ttlSeconds: g.cache.ttlSeconds ?? D.graphqlCache.ttlSeconds,
      encryption: {
        atRest: g.cache.encryption?.atRest ?? D.graphqlCache.atRest,
        transit: g.cache.encryption?.transit ?? D.graphqlCache.transit,
      },
    };
    if (g.cache.healthMetrics !== undefined) out.cache.healthMetrics = g.cache.healthMetrics;
  }
  const waf = normalizeWaf(g.waf);
  if (waf) out.waf = waf;
  return out;
}

function normalizeRedis(name: string, r: RawRedisCache): RedisCache {
  const engine = r.engine ?? D.redis.engine;
  const out: RedisCache = {
    name,
    engine,
    version: r.version ?? DEFAULT_REDIS_VERSION[engine],
    nodeType: r.nodeType ?? D.redis.nodeType,
    shards: r.shards ?? D.redis.shards,
    replicasPerShard: r.replicasPerShard ?? D.redis.replicasPerShard,
    multiAz: r.multiAz ?? D.redis.multiAz,
    snapshotRetentionDays: r.snapshotRetentionDays ?? D.redis.snapshotRetentionDays,
    maxmemoryPolicy: r.maxmemoryPolicy ?? D.redis.maxmemoryPolicy,
    encryption: { atRest: r.encryption?.atRest ?? D.redis.atRest, transit: r.encryption?.transit ?? D.redis.transit },
    port: r.port ?? D.redis.port,
    keys: (r.keys ?? []).map(
      (k): RedisKey => ({ name: k.name ?? redisKeyName(k.pattern), pattern: k.pattern, ttlSeconds: k.ttlSeconds, params: redisKeyParams(k.pattern) }),
    ),
  };
  if (r.authTokenSecret !== undefined) out.authTokenSecret = r.authTokenSecret;
  return out;
}

function normalizeDax(name: string, x: NonNullable<RawConfig['dax']>[string]): DaxCluster {
  return {
    name,
    nodeType: x.nodeType ?? D.dax.nodeType,
    replicationFactor: x.replicationFactor ?? D.dax.replicationFactor,
    encryption: x.encryption ?? D.dax.encryption,
    tables: [...x.tables],
    itemTtlSeconds: x.itemTtlSeconds ?? D.dax.itemTtlSeconds,
    queryTtlSeconds: x.queryTtlSeconds ?? D.dax.queryTtlSeconds,
  };
}

function normalizeWarmer(w: NonNullable<RawConfig['warmer']>): Warmer {
  return {
    schedule: w.schedule ?? D.warmer.schedule,
    concurrency: w.concurrency ?? D.warmer.concurrency,
    enabled: w.enabled ?? D.warmer.enabled,
    timeoutSeconds: w.timeoutSeconds ?? D.warmer.timeoutSeconds,
  };
}

function normalizeAlarms(a: NonNullable<RawConfig['alarms']>): Alarms {
  const thresholds = Object.fromEntries(
    (Object.keys(ALARM_THRESHOLDS) as AlarmThresholdKey[]).map((key) => [key, a.thresholds?.[key] ?? D.alarms.thresholds[key]]),
  ) as Record<AlarmThresholdKey, number>;
  // Key order of `Alarms`; rule 18 reports `notify` with both forms, and the topic wins here.
  const out = { enabled: a.enabled ?? D.alarms.enabled } as Alarms;
  if (a.notify?.topicArn !== undefined) out.notify = { topicArn: a.notify.topicArn };
  else if (a.notify?.email !== undefined) out.notify = { email: [...a.notify.email] };
  out.dashboard = a.dashboard ?? D.alarms.dashboard;
  out.latencyFactor = a.latencyFactor ?? D.alarms.latencyFactor;
  out.thresholds = thresholds;
  out.disable = [...(a.disable ?? [])];
  return out;
}

/**
 * One environment's resolved model. `raw` must have passed the schema check
 * (`checkSchema` / `pruneToSchema`) with its overlay already merged.
 */
export function normalize(raw: RawConfig, ctx: NormalizeContext): ServiceModel {
  const auth = defaultAuth(raw.auth);
  // Built in the key order of `ServiceModel`, so that serialized models read like the interface.
  const model = { version: 1, service: raw.service } as ServiceModel;
  if (ctx.environment !== undefined) model.environment = ctx.environment;
  model.stackName = ctx.environment !== undefined ? `${raw.service}-${ctx.environment}` : raw.service;
  model.sourceFile = ctx.sourceFile;
  model.baseDir = ctx.baseDir;
  model.region = raw.region;
  model.tags = copyMap(raw.tags);
  model.terraform = { awsProvider: raw.terraform?.awsProvider ?? D.terraform.awsProvider };
  model.backend = normalizeBackend(raw.backend, raw.region);
  model.auth = normalizeAuth(raw.auth);
  if (raw.network) {
    model.network = {
      vpcId: raw.network.vpcId,
      subnetIds: [...raw.network.subnetIds],
      egress: raw.network.egress ?? D.network.egress,
      endpoints: [...(raw.network.endpoints ?? D.network.endpoints)],
    };
  }
  model.handlers = sortedEntries(raw.handlers).map(([name, h]) => normalizeHandler(name, h, ctx.baseDir));
  if (raw.restApi) model.restApi = normalizeRestApi(raw.restApi, auth);
  if (raw.graphqlApi) model.graphqlApi = normalizeGraphqlApi(raw.graphqlApi, auth, ctx);
  model.redis = sortedEntries(raw.redis).map(([name, r]) => normalizeRedis(name, r));
  model.dax = sortedEntries(raw.dax).map(([name, x]) => normalizeDax(name, x));
  if (raw.warmer) model.warmer = normalizeWarmer(raw.warmer);
  if (raw.cdn) model.cdn = normalizeCdn(raw.cdn, model.stackName);
  if (raw.alarms) model.alarms = normalizeAlarms(raw.alarms);
  return model;
}
