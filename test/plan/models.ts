/**
 * Hand-built resolved models for the plan and diff tests: one service with every
 * section, close to config/user-service.yaml, and a helper that copies it with a
 * change applied.
 */
import type { ServiceModel } from '../../src/config/model';

export function serviceModel(): ServiceModel {
  return {
    version: 1,
    service: 'user-service',
    environment: 'prod',
    stackName: 'user-service-prod',
    sourceFile: 'config/user-service.yaml',
    baseDir: '/repo/config',
    region: 'us-east-1',
    tags: { team: 'identity' },
    backend: { kind: 'local' },
    auth: {
      cognito: { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' },
      lambda: { handler: 'authorizer', identityHeader: 'X-Session', resultTtlSeconds: 300 },
    },
    network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] },
    handlers: [
      handler('authorizer'),
      {
        ...handler('profile'),
        memoryMb: 512,
        provisionedConcurrency: 2,
        reservedConcurrency: 50,
        vpc: true,
        warm: true,
        connections: {
          ...handler('profile').connections,
          redis: { cache: 'sessions', poolSize: 2, commandTimeoutMs: 500, connectTimeoutMs: 2000 },
          dax: { cluster: 'hot', requestTimeoutMs: 1000 },
        },
      },
      handler('users'),
    ],
    restApi: {
      name: 'users',
      stage: 'v1',
      endpointType: 'REGIONAL',
      cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 },
      logRetentionDays: 30,
      endpoints: [
        {
          path: '/profile',
          method: 'GET',
          handler: 'profile',
          auth: 'cognito',
          cache: { ttlSeconds: 300, keys: ['header.Authorization'], requireAuthorization: true, unauthorized: 'fail', namespace: 'user-profile', shared: false },
        },
        { path: '/health', method: 'GET', handler: 'profile', auth: 'none' },
        {
          path: '/users/{userId}',
          method: 'GET',
          handler: 'users',
          auth: 'cognito',
          cache: { ttlSeconds: 600, keys: ['path.userId', 'header.Authorization'], requireAuthorization: true, unauthorized: 'fail', shared: false },
        },
        {
          path: '/session',
          method: 'GET',
          handler: 'users',
          auth: 'lambda',
          cache: { ttlSeconds: 60, keys: ['header.X-Session'], requireAuthorization: true, unauthorized: 'ignore-with-warning', shared: false },
        },
        {
          path: '/catalog',
          method: 'GET',
          handler: 'users',
          auth: 'cognito',
          cache: { ttlSeconds: 3600, keys: ['query.lang'], requireAuthorization: true, unauthorized: 'fail', shared: true },
        },
      ],
    },
    graphqlApi: {
      name: 'users',
      schema: 'users.graphql',
      schemaPath: '/repo/config/users.graphql',
      schemaSdl: 'type Query { myProfile: String user(userId: ID!): String }',
      auth: 'cognito',
      fieldLogLevel: 'ERROR',
      logRetentionDays: 30,
      cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 300, encryption: { atRest: true, transit: true }, healthMetrics: true },
      resolvers: [
        { field: 'Query.myProfile', typeName: 'Query', fieldName: 'myProfile', handler: 'profile', cache: { ttlSeconds: 300, keys: ['$context.identity.sub'], shared: false } },
        {
          field: 'Query.user',
          typeName: 'Query',
          fieldName: 'user',
          handler: 'users',
          cache: { ttlSeconds: 600, keys: ['$context.identity.sub', '$context.arguments.userId'], shared: false },
        },
      ],
    },
    redis: [
      {
        name: 'sessions',
        engine: 'valkey',
        version: '8.0',
        nodeType: 'cache.t4g.small',
        shards: 1,
        replicasPerShard: 1,
        multiAz: true,
        snapshotRetentionDays: 1,
        maxmemoryPolicy: 'volatile-lru',
        encryption: { atRest: true, transit: true },
        authTokenSecret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth',
        port: 6379,
        keys: [
          { name: 'session', pattern: 'session:{token}', ttlSeconds: 86400, params: ['token'] },
          { name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300, params: ['userId'] },
        ],
      },
    ],
    dax: [
      {
        name: 'hot',
        nodeType: 'dax.t3.small',
        replicationFactor: 3,
        encryption: true,
        tables: ['Users'],
        itemTtlSeconds: 300,
        queryTtlSeconds: 300,
      },
    ],
    warmer: { schedule: 'rate(5 minutes)', concurrency: 2, enabled: true, timeoutSeconds: 30 },
  };
}

function handler(name: string): ServiceModel['handlers'][number] {
  return {
    name,
    entry: `../handlers/examples/${name}.ts`,
    entryPath: `/repo/handlers/examples/${name}.ts`,
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
    connections: {
      http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000 },
      retries: { maxAttempts: 3, mode: 'standard' },
    },
  };
}

/** A deep copy of the model with `edit` applied. */
export function edited(edit: (m: ServiceModel) => void, from: ServiceModel = serviceModel()): ServiceModel {
  const copy = structuredClone(from);
  edit(copy);
  return copy;
}
