/**
 * Resolved models for synthesis tests, built by hand with the config language's
 * defaults (src/config/schema.ts), so infra tests do not depend on the loader.
 * Every builder takes overrides; lists and maps keep the order the model promises
 * (handlers, caches and clusters by name; endpoints and resolvers as given).
 */
import { createHash } from 'node:crypto';
import type {
  Connections,
  DaxCluster,
  Endpoint,
  EndpointCache,
  GraphqlApi,
  Handler,
  RedisCache,
  RedisKey,
  Resolver,
  RestApi,
  ServiceModel,
} from '../../src/config/model';
import type { HandlerAsset, StackAssets } from '../../src/infra';

export const ACCOUNT = '123456789012';
export const USER_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_AbCdEf123`;
export const REDIS_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:redis-auth`;
export const PG_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:pg-main`;

type HandlerOverrides = Partial<Omit<Handler, 'connections'>> & { connections?: Partial<Connections> };

export function handler(name: string, over: HandlerOverrides = {}): Handler {
  const { connections, ...rest } = over;
  return {
    name,
    entry: `../handlers/examples/${name}.ts`,
    entryPath: `/work/project/handlers/examples/${name}.ts`,
    export: 'handler',
    runtime: 'nodejs22.x',
    architecture: 'arm64',
    memoryMb: 512,
    timeoutSeconds: 10,
    provisionedConcurrency: 0,
    vpc: false,
    warm: false,
    logRetentionDays: 30,
    environment: {},
    ...rest,
    connections: {
      http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000 },
      retries: { maxAttempts: 3, mode: 'standard' },
      ...connections,
    },
  };
}

export function endpointCache(over: Partial<EndpointCache> = {}): EndpointCache {
  return { ttlSeconds: 300, keys: [], requireAuthorization: true, unauthorized: 'fail', shared: false, ...over };
}

export function endpoint(method: Endpoint['method'], path: string, handlerName: string, over: Partial<Endpoint> = {}): Endpoint {
  return { method, path, handler: handlerName, auth: 'iam', ...over };
}

export function restApi(endpoints: Endpoint[], over: Partial<RestApi> = {}): RestApi {
  return { name: 'api', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, endpoints, ...over };
}

export function resolver(field: string, handlerName: string, over: Partial<Resolver> = {}): Resolver {
  const [typeName, fieldName] = field.split('.');
  return { field, typeName, fieldName, handler: handlerName, ...over };
}

export const SDL = `type Profile { id: ID! name: String }
type User { id: ID! email: String }
type Query { myProfile: Profile user(userId: ID!): User }
`;

export function graphqlApi(resolvers: Resolver[], over: Partial<GraphqlApi> = {}): GraphqlApi {
  return {
    name: 'graph',
    schema: 'users.graphql',
    schemaPath: '/work/project/config/users.graphql',
    schemaSdl: SDL,
    auth: 'iam',
    fieldLogLevel: 'ERROR',
    logRetentionDays: 30,
    resolvers,
    ...over,
  };
}

export function redisKey(pattern: string, ttlSeconds: number, name: string): RedisKey {
  return { name, pattern, ttlSeconds, params: [...pattern.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]) };
}

export function redisCache(name: string, over: Partial<RedisCache> = {}): RedisCache {
  return {
    name,
    engine: 'valkey',
    version: '8.0',
    nodeType: 'cache.t4g.small',
    shards: 1,
    replicasPerShard: 1,
    multiAz: true,
    snapshotRetentionDays: 1,
    maxmemoryPolicy: 'volatile-lru',
    encryption: { atRest: true, transit: true },
    port: 6379,
    keys: [],
    ...over,
  };
}

export function daxCluster(name: string, tables: string[], over: Partial<DaxCluster> = {}): DaxCluster {
  return { name, nodeType: 'dax.t3.small', replicationFactor: 3, encryption: true, tables, itemTtlSeconds: 300, queryTtlSeconds: 300, ...over };
}

export function model(over: Partial<ServiceModel> = {}): ServiceModel {
  const service = over.service ?? 'users';
  const environment = 'environment' in over ? over.environment : 'prod';
  const m: ServiceModel = {
    version: 1,
    service,
    environment,
    stackName: environment === undefined ? service : `${service}-${environment}`,
    sourceFile: 'config/users.yaml',
    baseDir: '/work/project/config',
    region: 'us-east-1',
    tags: {},
    backend: { kind: 'local' },
    auth: {},
    handlers: [],
    redis: [],
    dax: [],
    ...over,
  };
  m.handlers = [...m.handlers].sort((a, b) => (a.name < b.name ? -1 : 1));
  m.redis = [...m.redis].sort((a, b) => (a.name < b.name ? -1 : 1));
  m.dax = [...m.dax].sort((a, b) => (a.name < b.name ? -1 : 1));
  return m;
}

export const NETWORK = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] };

function fakeAsset(name: string): HandlerAsset {
  const sha = createHash('sha256').update(`zip of ${name}`).digest();
  return { path: `assets/${name}-${sha.toString('hex').slice(0, 8)}.zip`, sha256: sha.toString('base64') };
}

/** Asset records as the packager would hand them over (no zip is read by synthesis). */
export function assetsFor(m: ServiceModel): StackAssets {
  return {
    handlers: Object.fromEntries(m.handlers.map((h) => [h.name, fakeAsset(h.name)])),
    warmer: fakeAsset('warmer'),
  };
}

/** The config language's example (docs), resolved: every section and connection kind. */
export function fullModel(over: Partial<ServiceModel> = {}): ServiceModel {
  return model({
    service: 'user-service',
    environment: 'prod',
    tags: { team: 'identity' },
    auth: {
      cognito: { userPoolArn: USER_POOL_ARN },
      lambda: { handler: 'authorizer', identityHeader: 'X-Session', resultTtlSeconds: 300 },
    },
    network: NETWORK,
    handlers: [
      handler('profile', {
        memoryMb: 512,
        provisionedConcurrency: 5,
        reservedConcurrency: 50,
        vpc: true,
        warm: true,
        logRetentionDays: 14,
        environment: { LOG_LEVEL: 'info' },
        connections: {
          http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 10000, requestTimeoutMs: 30000 },
          retries: { maxAttempts: 3, mode: 'adaptive' },
          redis: { cache: 'sessions', poolSize: 10, commandTimeoutMs: 500, connectTimeoutMs: 2000 },
          dax: { cluster: 'hot', requestTimeoutMs: 1000 },
          postgres: { secret: PG_SECRET_ARN, min: 2, max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000 },
        },
      }),
      handler('users', { warm: true }),
      handler('authorizer'),
    ],
    restApi: restApi(
      [
        endpoint('GET', '/profile', 'profile', {
          auth: 'cognito',
          cache: endpointCache({ keys: ['header.Authorization'], namespace: 'user-profile' }),
        }),
        endpoint('GET', '/health', 'profile', { auth: 'none' }),
        endpoint('GET', '/users/{userId}', 'users', {
          auth: 'cognito',
          cache: endpointCache({ ttlSeconds: 600, keys: ['path.userId', 'header.Authorization'], unauthorized: 'ignore-with-warning' }),
        }),
        endpoint('POST', '/users', 'users', { auth: 'lambda', throttling: { burstLimit: 100, rateLimit: 50 } }),
      ],
      { name: 'users', stage: 'prod', cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }, throttling: { burstLimit: 5000, rateLimit: 2000 } },
    ),
    graphqlApi: graphqlApi(
      [
        resolver('Query.myProfile', 'profile', { cache: { ttlSeconds: 300, keys: ['$context.identity.sub'], shared: false } }),
        resolver('Query.user', 'users', { cache: { ttlSeconds: 600, keys: ['$context.identity.sub', '$context.arguments.userId'], shared: false } }),
      ],
      {
        name: 'users',
        auth: 'cognito',
        cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 300, encryption: { atRest: true, transit: true }, healthMetrics: true },
      },
    ),
    redis: [
      redisCache('sessions', {
        version: '7.2',
        nodeType: 'cache.t3.medium',
        replicasPerShard: 2,
        snapshotRetentionDays: 5,
        maxmemoryPolicy: 'allkeys-lru',
        authTokenSecret: REDIS_SECRET_ARN,
        keys: [redisKey('session:{token}', 86400, 'session'), redisKey('user:profile:{userId}', 300, 'userProfile')],
      }),
    ],
    dax: [daxCluster('hot', ['Incidents', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Vendors`])],
    warmer: { schedule: 'rate(5 minutes)', concurrency: 3, enabled: true, timeoutSeconds: 30 },
    ...over,
  });
}
