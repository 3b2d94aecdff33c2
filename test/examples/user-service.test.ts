/**
 * config/user-service.yaml, synthesized once through the real pipeline: what
 * the file says appears in the Terraform of both its stacks, and the dev overlay
 * differs from prod exactly where the file says.
 *
 * The file's header names no seed; its /profile cache is the one the GoalsGuild
 * write-up (/work/shared/seeds/000_*.txt) describes: GET /profile cached 300 s per
 * Authorization header, encrypted, authorization required for cache control.
 */
import { expectEndpointsAsWritten, forEnvironment, readYaml, redisKeysOf, synthesizeConfig, type Json, type TfStack } from './support';

const FILE = 'config/user-service.yaml';
const doc = readYaml(FILE);
const ENVS = ['dev', 'prod'] as const;

let stacks: Record<(typeof ENVS)[number], TfStack>;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()].sort()).toEqual(['user-service-dev', 'user-service-prod']);
  stacks = { dev: result.stacks.get('user-service-dev')!, prod: result.stacks.get('user-service-prod')! };
  warnings = result.warnings;
}, 120_000);

describe(`${FILE} in Terraform`, () => {
  it('GIVEN the file WHEN synthesized THEN one stack per environment and no warning', () => {
    expect(Object.keys(doc.environments)).toEqual([...ENVS]);
    expect(warnings).toEqual([]);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN GET /profile is read THEN caching is on for 300 s, encrypted, authorization required, keyed on the Authorization header', (env) => {
    const s = stacks[env];
    expect(s.methodSettings('GET', '/profile')).toEqual(
      expect.objectContaining({
        caching_enabled: true,
        cache_ttl_in_seconds: 300,
        cache_data_encrypted: true,
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: 'FAIL_WITH_403',
      }),
    );
    const integration = s.integration('GET', '/profile');
    expect(integration.cache_key_parameters).toEqual(['method.request.header.Authorization']);
    expect(integration.cache_namespace).toBe('user-profile');
    expect(s.method('GET', '/profile').request_parameters).toEqual({ 'method.request.header.Authorization': false });
    expect(s.method('GET', '/profile').authorization).toBe('COGNITO_USER_POOLS');
  });

  it.each(ENVS)('GIVEN the %s stack WHEN every endpoint of the file is read THEN its settings, cache keys and request parameters are what the file writes', (env) => {
    expectEndpointsAsWritten(stacks[env], forEnvironment(doc, env));
    // Seed numbers the file carries: /users/{userId} for 600 s per user and caller; /health never cached.
    const users = stacks[env].methodSettings('GET', '/users/{userId}');
    expect([users.caching_enabled, users.cache_ttl_in_seconds]).toEqual([true, 600]);
    expect(stacks[env].integration('GET', '/users/{userId}').cache_key_parameters).toEqual(['method.request.path.userId', 'method.request.header.Authorization']);
    expect(stacks[env].method('GET', '/users/{userId}').request_parameters).toEqual({ 'method.request.path.userId': true, 'method.request.header.Authorization': false });
    expect(stacks[env].methodSettings('GET', '/health')).toEqual(expect.objectContaining({ caching_enabled: false, cache_ttl_in_seconds: 0 }));
    expect(stacks[env].integration('GET', '/health').cache_key_parameters).toBeUndefined();
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the stage is read THEN its 0.5 GB cache cluster is on, the stage is v1, and the stage-wide settings cache nothing', (env) => {
    const stage = stacks[env].stage();
    expect(doc.restApi.cache.sizeGb).toBe(0.5);
    expect(stage).toEqual(expect.objectContaining({ stage_name: 'v1', cache_cluster_enabled: true, cache_cluster_size: '0.5' }));
    expect(stacks[env].stageWideSettings()).toEqual(expect.objectContaining({ caching_enabled: false, cache_data_encrypted: true }));
    // The file sets no throttling, so none is written (the account's limits apply).
    expect(stacks[env].stageWideSettings().throttling_burst_limit).toBeUndefined();
  });

  it('GIVEN the sessions cache WHEN prod and dev are compared THEN prod has one replica with Multi-AZ failover and dev a single node, as the overlay says', () => {
    const prod = stacks.prod.replicationGroup('sessions');
    const dev = stacks.dev.replicationGroup('sessions');
    expect(prod).toEqual(expect.objectContaining({ replicas_per_node_group: 1, multi_az_enabled: true, automatic_failover_enabled: true }));
    expect(dev).toEqual(expect.objectContaining({ replicas_per_node_group: 0, multi_az_enabled: false, automatic_failover_enabled: false }));
    expect(doc.environments.dev.redis.sessions).toEqual({ replicasPerShard: 0, multiAz: false });
    expect(prod.replicas_per_node_group).toBe(doc.redis.sessions.replicasPerShard);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the sessions cache is read THEN engine, node type, encryption, AUTH secret and the documented defaults are in the replication group and its parameter group', (env) => {
    const s = stacks[env];
    const g = s.replicationGroup('sessions');
    expect(g).toEqual(
      expect.objectContaining({
        engine: doc.redis.sessions.engine,
        node_type: doc.redis.sessions.nodeType,
        num_node_groups: 1,
        transit_encryption_enabled: true,
        port: 6379,
      }),
    );
    expect([g.engine, g.node_type]).toEqual(['valkey', 'cache.t4g.small']);
    expect(String(g.at_rest_encryption_enabled)).toBe('true');
    // The AUTH token comes from the secret the file names, never from the YAML.
    expect(s.deref(g.auth_token).secret_id).toBe(doc.redis.sessions.authTokenSecret);
    // Not written in the file: the documented defaults (valkey 8.0, one day of snapshots, volatile-lru).
    expect(g.engine_version).toBe('8.0');
    expect(g.snapshot_retention_limit).toBe(1);
    expect(s.redisParameters('sessions')['maxmemory-policy']).toBe('volatile-lru');
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the handlers are read THEN both carry the key patterns and TTLs of the sessions cache and their pool settings', (env) => {
    const s = stacks[env];
    const keys = [
      { pattern: 'session:{token}', ttlSeconds: 86400 },
      { pattern: 'user:profile:{userId}', ttlSeconds: 300 },
    ];
    expect(redisKeysOf(doc, 'sessions')).toEqual(keys);
    for (const h of ['profile', 'users']) {
      expect({ h, keys: s.redisKeys(h) }).toEqual({ h, keys });
      expect(s.env(h)).toEqual(expect.objectContaining({ CACHESTACK_REDIS_CACHE: 'sessions', CACHESTACK_REDIS_TLS: 'true', CACHESTACK_REDIS_AUTH_SECRET_ARN: doc.redis.sessions.authTokenSecret }));
    }
    expect(s.env('profile')).toEqual(expect.objectContaining({ CACHESTACK_REDIS_POOL_SIZE: '2', CACHESTACK_REDIS_COMMAND_TIMEOUT_MS: '500' }));
    expect(doc.handlers.profile.connections.redis).toEqual({ cache: 'sessions', poolSize: 2, commandTimeoutMs: 500 });
    // users writes no pool size: one connection, the documented default.
    expect(s.env('users').CACHESTACK_REDIS_POOL_SIZE).toBe('1');
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the profile function is read THEN memory, timeout and reserved concurrency are the file\'s', (env) => {
    const fn = stacks[env].lambda('profile');
    const h = doc.handlers.profile as Json;
    expect([fn.memory_size, fn.timeout, fn.reserved_concurrent_executions]).toEqual([h.memoryMb, h.timeoutSeconds, h.reservedConcurrency]);
    expect([fn.memory_size, fn.timeout, fn.reserved_concurrent_executions]).toEqual([512, 10, 50]);
    expect(fn.vpc_config.subnet_ids).toEqual(doc.network.subnetIds);
    expect(stacks[env].aliasOf('profile').name).toBe('live');
  });

  it('GIVEN provisioned concurrency 2 in the base and 0 in dev WHEN both stacks are read THEN prod provisions 2 on the live alias and dev none', () => {
    expect(doc.handlers.profile.provisionedConcurrency).toBe(2);
    const [pc] = stacks.prod.provisionedConcurrency('profile');
    expect(stacks.prod.provisionedConcurrency('profile')).toHaveLength(1);
    expect(pc.provisioned_concurrent_executions).toBe(2);
    expect(stacks.prod.deref(pc.qualifier).name).toBe('live');
    expect(stacks.prod.refersTo(pc.qualifier, stacks.prod.aliasOf('profile'))).toBe(true);
    expect(stacks.dev.provisionedConcurrency('profile')).toEqual([]);
    expect(stacks.prod.provisionedConcurrency('users')).toEqual([]);
  });

  it('GIVEN the warmer enabled in the base and disabled in dev WHEN both stacks are read THEN prod pings profile every 5 minutes, 2 at a time, and dev has no warmer', () => {
    const w = stacks.prod.warmer();
    expect(w).toBeDefined();
    expect(w!.rule.schedule_expression).toBe(doc.warmer.schedule);
    expect(w!.rule.schedule_expression).toBe('rate(5 minutes)');
    expect(w!.rule.state).toBe('ENABLED');
    expect(w!.input).toEqual({ targets: ['profile'], concurrency: 2 });
    expect(w!.input.concurrency).toBe(doc.warmer.concurrency);
    expect(stacks.dev.warmer()).toBeUndefined();
    expect(stacks.dev.where('aws_lambda_function', (f) => f.function_name === 'user-service-dev-warmer')).toEqual([]);
  });
});
