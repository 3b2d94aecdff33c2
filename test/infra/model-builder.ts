/**
 * Resolved models for synthesis tests: the shared builders of
 * test/support/models.ts (every default from the real `normalize`, so infra tests
 * do not depend on the loader) with this suite's service (`users`, environment
 * `prod`) and GraphQL SDL, asset records as the packager hands them over, and the
 * config language's complete example.
 */
import { createHash } from 'node:crypto';
import type { GraphqlApi, Resolver, ServiceModel } from '../../src/config/model';
import type { HandlerAsset, StackAssets } from '../../src/infra';
import * as shared from '../support/models';

import { daxCluster, endpoint, endpointCache, handler, NETWORK, redisCache, redisKey, resolver, restApi } from '../support/models';

export { daxCluster, endpoint, endpointCache, handler, NETWORK, redisCache, redisKey, resolver, restApi };

export const ACCOUNT = '123456789012';
export const USER_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_AbCdEf123`;
export const REDIS_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:redis-auth`;
export const PG_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:pg-main`;

export const SDL = `type Profile { id: ID! name: String }
type User { id: ID! email: String }
type Query { myProfile: Profile user(userId: ID!): User }
`;

export function graphqlApi(resolvers: Resolver[], over: Partial<GraphqlApi> = {}): GraphqlApi {
  return shared.graphqlApi({ name: 'graph', schema: 'users.graphql', schemaSdl: SDL, resolvers, ...over });
}

/** A model of service `users` in environment `prod` (pass `environment: undefined` for a file without environments). */
export function model(over: Partial<ServiceModel> = {}): ServiceModel {
  return shared.model({ service: 'users', environment: 'prod', sourceFile: 'config/users.yaml', ...over });
}

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
          postgres: { secret: PG_SECRET_ARN, min: 2, max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432 },
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
        cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 300, encryption: { atRest: true, transit: true } },
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
