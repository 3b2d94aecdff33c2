/**
 * config/examples/auth-service.yaml (seed: "Performance Optimization Guide" for
 * an auth and user-profile API, /work/shared/seeds/001_*.txt), synthesized once
 * through the real pipeline. The seed's settings appear in the stack: the Redis
 * cache-aside keys with their TTLs (session, profile 5 min, e-mail verification
 * 1 h, rate limits 1 h), a cache.t3.medium Redis with a primary and two replicas,
 * automatic failover and LRU eviction, the Postgres pool (20 connections, 5 s
 * wait, 10 min idle), and session validation on every call through a Lambda
 * authorizer.
 */
import { expectEndpointsAsWritten, readYaml, redisKeysOf, synthesizeConfig, type TfStack } from './support';

const FILE = 'config/examples/auth-service.yaml';
const doc = readYaml(FILE);
const HANDLERS = ['auth', 'authorizer', 'profile'];

let stack: TfStack;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()]).toEqual(['auth-service']);
  stack = result.stacks.get('auth-service')!;
  warnings = result.warnings;
}, 120_000);

describe(`${FILE} in Terraform`, () => {
  it('GIVEN the file WHEN synthesized THEN one stack and no warning', () => {
    expect(warnings).toEqual([]);
    expect(Object.keys(doc.handlers).sort()).toEqual(HANDLERS);
  });

  it('GIVEN "3 nodes with replication, automatic failover, LRU" WHEN the replication group is read THEN redis on cache.t3.medium, a primary and two replicas, Multi-AZ failover, allkeys-lru', () => {
    const g = stack.replicationGroup('app-cache');
    expect(g).toEqual(
      expect.objectContaining({
        engine: 'redis',
        node_type: 'cache.t3.medium',
        num_node_groups: 1,
        replicas_per_node_group: 2,
        multi_az_enabled: true,
        automatic_failover_enabled: true,
        transit_encryption_enabled: true,
      }),
    );
    const c = doc.redis['app-cache'];
    expect([g.engine, g.node_type, g.num_node_groups, g.replicas_per_node_group]).toEqual([c.engine, c.nodeType, c.shards, c.replicasPerShard]);
    expect(String(g.at_rest_encryption_enabled)).toBe('true');
    expect(stack.redisParameters('app-cache')['maxmemory-policy']).toBe('allkeys-lru');
    expect(c.maxmemoryPolicy).toBe('allkeys-lru');
    // Not written in the file: the documented defaults (redis 7.1, one day of snapshots).
    expect(g.engine_version).toBe('7.1');
    expect(g.snapshot_retention_limit).toBe(1);
  });

  it('GIVEN the seed\'s "What to Cache" table WHEN every handler\'s environment is read THEN the four key patterns carry their TTLs', () => {
    const keys = [
      { pattern: 'session:{token}', ttlSeconds: 86400 },
      { pattern: 'user:profile:{userId}', ttlSeconds: 300 },
      { pattern: 'email:verified:{email}', ttlSeconds: 3600 },
      { pattern: 'rate_limit:{ip}:{endpoint}', ttlSeconds: 3600 },
    ];
    expect(redisKeysOf(doc, 'app-cache')).toEqual(keys);
    for (const h of HANDLERS) {
      expect({ h, keys: stack.redisKeys(h) }).toEqual({ h, keys });
      expect({ h, cache: stack.env(h).CACHESTACK_REDIS_CACHE, tls: stack.env(h).CACHESTACK_REDIS_TLS }).toEqual({ h, cache: 'app-cache', tls: 'true' });
    }
  });

  it('GIVEN the seed\'s connection pool WHEN every handler\'s environment is read THEN 20 connections, 5 s wait, 10 min idle and the database secret', () => {
    const pool = doc.handlers.auth.connections.postgres;
    expect([pool.max, pool.connectionTimeoutMs, pool.idleTimeoutMs]).toEqual([20, 5000, 600000]);
    for (const h of HANDLERS) {
      expect({ h, env: stack.env(h) }).toEqual({
        h,
        env: expect.objectContaining({
          CACHESTACK_PG_MAX: '20',
          CACHESTACK_PG_CONNECTION_TIMEOUT_MS: '5000',
          CACHESTACK_PG_IDLE_TIMEOUT_MS: '600000',
          CACHESTACK_PG_SECRET_ARN: pool.secret,
        }),
      });
    }
  });

  it('GIVEN the database secret WHEN each handler\'s IAM policy is read THEN it may read that one secret and nothing else from Secrets Manager', () => {
    for (const h of HANDLERS) {
      const secrets = stack.roleStatements(stack.lambda(h).role).filter((st) => (st.actions as string[]).some((a) => a.startsWith('secretsmanager:')));
      const arns = secrets.flatMap((st) => st.resources.map((r: string) => stack.deref(r).arn));
      expect({ h, arns }).toEqual({ h, arns: [doc.handlers[h].connections.postgres.secret] });
    }
  });

  it('GIVEN session validation on every call WHEN the authorizer is read THEN a REQUEST authorizer on the Authorization header, invoking the authorizer alias, caching no result', () => {
    const authorizer = stack.only('aws_api_gateway_authorizer', () => true, 'the authorizer');
    expect(authorizer).toEqual(expect.objectContaining({ type: 'REQUEST', identity_source: 'method.request.header.Authorization', authorizer_result_ttl_in_seconds: 0 }));
    expect(authorizer.authorizer_result_ttl_in_seconds).toBe(doc.auth.lambda.resultTtlSeconds);
    expect(stack.refersTo(authorizer.authorizer_uri, stack.aliasOf('authorizer'))).toBe(true);
  });

  it('GIVEN the seed\'s five routes WHEN their methods are read THEN register and login are open, me, logout and profile go through the authorizer', () => {
    const auth: Record<string, string> = {
      'POST /auth/register': 'NONE',
      'POST /auth/login': 'NONE',
      'GET /auth/me': 'CUSTOM',
      'POST /auth/logout': 'CUSTOM',
      'PUT /users/profile': 'CUSTOM',
    };
    expect(doc.restApi.endpoints.map((e: { method: string; path: string }) => `${e.method} ${e.path}`).sort()).toEqual(Object.keys(auth).sort());
    for (const [route, want] of Object.entries(auth)) {
      const [method, path] = route.split(' ');
      expect({ route, authorization: stack.method(method, path).authorization }).toEqual({ route, authorization: want });
    }
  });

  it('GIVEN caching in Redis, not in API Gateway WHEN every endpoint is read THEN each has its own settings with caching off and the stage has no cache cluster', () => {
    expectEndpointsAsWritten(stack, doc);
    for (const e of doc.restApi.endpoints) expect({ e: e.path, caching: stack.methodSettings(e.method, e.path).caching_enabled }).toEqual({ e: e.path, caching: false });
    expect(stack.stage().cache_cluster_enabled).toBe(false);
  });
});
