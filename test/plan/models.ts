/**
 * Resolved models for the plan and diff tests: one service with every section,
 * close to config/user-service.yaml, written as its YAML would be and resolved by
 * the real `normalize` (test/support/models.ts), and a helper that copies it with
 * a change applied.
 */
import type { ServiceModel } from '../../src/config/model';
import { resolved } from '../support/models';

const entry = (name: string) => ({ entry: `../handlers/examples/${name}.ts` });

export function serviceModel(): ServiceModel {
  return resolved(
    {
      service: 'user-service',
      tags: { team: 'identity' },
      auth: {
        cognito: { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' },
        lambda: { handler: 'authorizer', identityHeader: 'X-Session' },
      },
      network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] },
      handlers: {
        authorizer: entry('authorizer'),
        profile: {
          ...entry('profile'),
          memoryMb: 512,
          provisionedConcurrency: 2,
          reservedConcurrency: 50,
          vpc: true,
          warm: true,
          connections: { redis: { cache: 'sessions', poolSize: 2 }, dax: { cluster: 'hot' } },
        },
        users: entry('users'),
      },
      restApi: {
        name: 'users',
        cache: {},
        endpoints: [
          { path: '/profile', method: 'GET', handler: 'profile', auth: 'cognito', cache: { keys: ['header.Authorization'], namespace: 'user-profile' } },
          { path: '/health', method: 'GET', handler: 'profile', auth: 'none' },
          { path: '/users/{userId}', method: 'GET', handler: 'users', auth: 'cognito', cache: { ttlSeconds: 600, keys: ['path.userId', 'header.Authorization'] } },
          { path: '/session', method: 'GET', handler: 'users', auth: 'lambda', cache: { ttlSeconds: 60, keys: ['header.X-Session'], unauthorized: 'ignore-with-warning' } },
          { path: '/catalog', method: 'GET', handler: 'users', auth: 'cognito', cache: { ttlSeconds: 3600, keys: ['query.lang'], shared: true } },
        ],
      },
      graphqlApi: {
        name: 'users',
        schema: 'users.graphql',
        auth: 'cognito',
        cache: {},
        resolvers: [
          { field: 'Query.myProfile', handler: 'profile', cache: { keys: ['$context.identity.sub'] } },
          { field: 'Query.user', handler: 'users', cache: { ttlSeconds: 600, keys: ['$context.identity.sub', '$context.arguments.userId'] } },
        ],
      },
      redis: {
        sessions: {
          authTokenSecret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth',
          keys: [
            { pattern: 'session:{token}', ttlSeconds: 86400 },
            { pattern: 'user:profile:{userId}', ttlSeconds: 300 },
          ],
        },
      },
      dax: { hot: { tables: ['Users'] } },
      warmer: { concurrency: 2 },
    },
    {
      environment: 'prod',
      sourceFile: 'config/user-service.yaml',
      baseDir: '/repo/config',
      files: { '/repo/config/users.graphql': 'type Query { myProfile: String user(userId: ID!): String }' },
    },
  );
}

/** A deep copy of the model with `edit` applied. */
export function edited(edit: (m: ServiceModel) => void, from: ServiceModel = serviceModel()): ServiceModel {
  const copy = structuredClone(from);
  edit(copy);
  return copy;
}
