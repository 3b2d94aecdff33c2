/**
 * Raw config → resolved model: every default applied (static ones from the
 * schema, derived ones as the schema describes them in words).
 */
import * as path from 'path';
import { normalize, redisKeyName, redisKeyParams } from '../../src/config/normalize';
import { DEFAULT_REDIS_VERSION, HandlerSchema, type RawConfig } from '../../src/config/schema';

const BASE_DIR = path.resolve('/svc/config');
const files: Record<string, string> = { [path.join(BASE_DIR, 'api.graphql')]: 'type Query { me: String }' };

function model(raw: Partial<RawConfig>, environment?: string) {
  return normalize({ version: 1, service: 'svc', region: 'eu-west-1', ...raw } as RawConfig, {
    environment,
    sourceFile: 'config/svc.yaml',
    baseDir: BASE_DIR,
    readFile: (abs) => files[abs],
  });
}

describe('normalize', () => {
  it('GIVEN the smallest config WHEN normalized THEN the model has local state, empty maps and the stack named after the service', () => {
    expect(model({})).toEqual({
      version: 1,
      service: 'svc',
      stackName: 'svc',
      sourceFile: 'config/svc.yaml',
      baseDir: BASE_DIR,
      region: 'eu-west-1',
      tags: {},
      terraform: { awsProvider: '>= 5.100, < 7.0' },
      backend: { kind: 'local' },
      auth: {},
      handlers: [],
      redis: [],
      dax: [],
    });
  });

  it('GIVEN an environment WHEN normalized THEN the stack is <service>-<env>', () => {
    const m = model({}, 'prod');
    expect([m.environment, m.stackName]).toEqual(['prod', 'svc-prod']);
  });

  it('GIVEN a handler with only entry WHEN normalized THEN every default comes from the schema, connections included', () => {
    const m = model({ handlers: { zed: { entry: 'z.ts' }, api: { entry: '../src/api.ts' } } });
    expect(m.handlers.map((h) => h.name)).toEqual(['api', 'zed']);
    expect(m.handlers[0]).toEqual({
      name: 'api',
      entry: '../src/api.ts',
      entryPath: path.resolve(BASE_DIR, '../src/api.ts'),
      export: 'handler',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      memoryMb: HandlerSchema.properties.memoryMb.default,
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
      access: { dynamodb: [], s3: [], sqs: [], sns: [], secrets: [], statements: [] },
      invalidates: [],
    });
  });

  it('GIVEN partial connections WHEN normalized THEN each gets its defaults', () => {
    const m = model({
      handlers: {
        api: { entry: 'a.ts', reservedConcurrency: 5, connections: { http: { maxSockets: 10 }, redis: { cache: 'sessions' }, dax: { cluster: 'hot' }, postgres: { max: 4 } } },
      },
    });
    expect(m.handlers[0].reservedConcurrency).toBe(5);
    expect(m.handlers[0].connections).toEqual({
      http: { keepAlive: true, maxSockets: 10, connectTimeoutMs: 3000, requestTimeoutMs: 5000 },
      retries: { maxAttempts: 3, mode: 'standard' },
      redis: { cache: 'sessions', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 },
      dax: { cluster: 'hot', requestTimeoutMs: 1000 },
      postgres: { min: 0, max: 4, idleTimeoutMs: 10000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432 },
    });
  });

  it.each([
    [{}, 'iam'],
    [{ lambda: { handler: 'authz' } }, 'lambda'],
    [{ cognito: { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Ab1' }, lambda: { handler: 'authz' } }, 'cognito'],
  ])('GIVEN auth %j WHEN an endpoint and the GraphQL API name none THEN they get %s', (auth, expected) => {
    const m = model({
      auth: auth as RawConfig['auth'],
      restApi: { name: 'api', endpoints: [{ path: '/a', method: 'GET', handler: 'api' }] },
      graphqlApi: { name: 'gql', schema: 'api.graphql' },
    });
    expect(m.restApi?.endpoints[0].auth).toBe(expected);
    expect(m.graphqlApi?.auth).toBe(expected);
  });

  it('GIVEN a lambda authorizer WHEN normalized THEN it gets the default identity header and result TTL', () => {
    expect(model({ auth: { lambda: { handler: 'authz' } } }).auth).toEqual({ lambda: { handler: 'authz', identityHeader: 'Authorization', resultTtlSeconds: 300 } });
  });

  it('GIVEN endpoint caches WHEN normalized THEN the TTL defaults to the stage TTL and false or 0 mean no cache', () => {
    const m = model({
      restApi: {
        name: 'api',
        cache: { ttlSeconds: 120 },
        endpoints: [
          { path: '/a', method: 'GET', handler: 'api', cache: {} },
          { path: '/b', method: 'GET', handler: 'api', cache: false },
          { path: '/c', method: 'GET', handler: 'api', cache: { ttlSeconds: 0 } },
          { path: '/d', method: 'GET', handler: 'api' },
          { path: '/e', method: 'GET', handler: 'api', cache: { ttlSeconds: 30, keys: ['query.q'], namespace: 'e', shared: true } },
        ],
      },
    });
    const api = m.restApi!;
    expect(api.cache).toEqual({ sizeGb: 0.5, encrypted: true, ttlSeconds: 120 });
    expect([api.stage, api.endpointType, api.logRetentionDays]).toEqual(['v1', 'REGIONAL', 30]);
    expect(api.endpoints.map((e) => e.cache)).toEqual([
      { ttlSeconds: 120, keys: [], requireAuthorization: true, unauthorized: 'fail', shared: false },
      undefined,
      undefined,
      undefined,
      { ttlSeconds: 30, keys: ['query.q'], requireAuthorization: true, unauthorized: 'fail', namespace: 'e', shared: true },
    ]);
    expect(api.endpoints.every((e) => !('cache' in e) || e.cache !== undefined)).toBe(true);
  });

  it('GIVEN a stage TTL of 0 WHEN an endpoint caches without its own TTL THEN the endpoint is not cached', () => {
    const m = model({ restApi: { name: 'api', cache: { ttlSeconds: 0 }, endpoints: [{ path: '/a', method: 'GET', handler: 'api', cache: {} }] } });
    expect(m.restApi?.endpoints[0].cache).toBeUndefined();
  });

  it('GIVEN a GraphQL API WHEN normalized THEN the SDL is read, resolver TTLs default to the API cache TTL and fields are split', () => {
    const m = model({
      graphqlApi: {
        name: 'gql',
        schema: 'api.graphql',
        cache: { ttlSeconds: 90 },
        resolvers: [
          { field: 'Query.me', handler: 'api', cache: { keys: ['$context.identity.sub'] } },
          { field: 'Query.other', handler: 'api', cache: false },
        ],
      },
    });
    const g = m.graphqlApi!;
    expect(g.schemaPath).toBe(path.join(BASE_DIR, 'api.graphql'));
    expect(g.schemaSdl).toBe('type Query { me: String }');
    expect(g.cache).toEqual({ behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 90, encryption: { atRest: true, transit: true } });
    expect(g.resolvers).toEqual([
      { field: 'Query.me', typeName: 'Query', fieldName: 'me', handler: 'api', cache: { ttlSeconds: 90, keys: ['$context.identity.sub'], shared: false }, evicts: [] },
      { field: 'Query.other', typeName: 'Query', fieldName: 'other', handler: 'api', evicts: [] },
    ]);
  });

  it('GIVEN an SDL file that cannot be read WHEN normalized THEN schemaSdl is empty (a rule reports it)', () => {
    expect(model({ graphqlApi: { name: 'gql', schema: 'missing.graphql' } }).graphqlApi?.schemaSdl).toBe('');
  });

  it('GIVEN redis caches WHEN normalized THEN the version follows the engine and keys get names and params', () => {
    const m = model({
      redis: {
        b: { engine: 'redis', keys: [{ pattern: 'user:profile:{userId}', ttlSeconds: 300 }, { pattern: 'x:{a}:{b}', ttlSeconds: 5, name: 'pair' }] },
        a: {},
      },
    });
    expect(m.redis.map((r) => [r.name, r.engine, r.version])).toEqual([
      ['a', 'valkey', DEFAULT_REDIS_VERSION.valkey],
      ['b', 'redis', DEFAULT_REDIS_VERSION.redis],
    ]);
    expect(m.redis[0]).toMatchObject({ nodeType: 'cache.t4g.small', shards: 1, replicasPerShard: 1, multiAz: true, snapshotRetentionDays: 1, port: 6379, encryption: { atRest: true, transit: true }, keys: [] });
    expect(m.redis[1].keys).toEqual([
      { name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300, params: ['userId'] },
      { name: 'pair', pattern: 'x:{a}:{b}', ttlSeconds: 5, params: ['a', 'b'] },
    ]);
  });

  it.each([
    ['session:{token}', 'session', ['token']],
    ['user:profile:{userId}', 'userProfile', ['userId']],
    ['{id}', 'key', ['id']],
    ['2fa-codes:{user}', 'key2faCodes', ['user']],
    ['API_v2/items.{id}', 'apiV2Items', ['id']],
  ])('GIVEN the key pattern %s THEN the builder is %s with params %j', (pattern, name, params) => {
    expect(redisKeyName(pattern)).toBe(name);
    expect(redisKeyParams(pattern)).toEqual(params);
    expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it('GIVEN an S3 backend without region WHEN normalized THEN it uses the service region and locks and encrypts', () => {
    expect(model({ backend: { s3: { bucket: 'state', key: 'svc' } } }).backend).toEqual({
      kind: 's3',
      bucket: 'state',
      key: 'svc',
      region: 'eu-west-1',
      useLockfile: true,
      encrypt: true,
    });
  });

  it('GIVEN dax, warmer and network WHEN normalized THEN defaults apply', () => {
    const m = model({ dax: { hot: { tables: ['T1'] } }, warmer: {}, network: { vpcId: 'vpc-01234567', subnetIds: ['subnet-0aaa'] } });
    expect(m.dax).toEqual([{ name: 'hot', nodeType: 'dax.t3.small', replicationFactor: 3, encryption: true, tables: ['T1'], itemTtlSeconds: 300, queryTtlSeconds: 300 }]);
    expect(m.warmer).toEqual({ schedule: 'rate(5 minutes)', concurrency: 1, enabled: true, timeoutSeconds: 30 });
    expect(m.network).toEqual({ vpcId: 'vpc-01234567', subnetIds: ['subnet-0aaa'], egress: 'nat', endpoints: [] });
  });

  it('GIVEN raw lists and maps WHEN normalized THEN the model shares none of them', () => {
    const raw = { tags: { team: 'a' }, dax: { hot: { tables: ['T1'] } } } as Partial<RawConfig>;
    const m = model(raw);
    m.tags.team = 'changed';
    m.dax[0].tables.push('T2');
    expect(raw).toEqual({ tags: { team: 'a' }, dax: { hot: { tables: ['T1'] } } });
  });
});
