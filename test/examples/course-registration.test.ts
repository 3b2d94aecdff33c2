/**
 * config/examples/course-registration.yaml (seed: "Backend Performance
 * Optimization Guide" for a course registration backend,
 * /work/shared/seeds/002_*.txt), synthesized once through the real pipeline. The
 * seed's settings appear in the stack: ElastiCache `course-reg-cache`, Redis 7.0
 * on one cache.t3.micro node with LRU eviction and an AUTH password (here a
 * Secrets Manager reference); the cache-aside keys and the 10 s stampede lock;
 * REDIS_MAX_CONNECTIONS 50; the boto3 Config (pool 50, connect 5 s, read 10 s,
 * 3 adaptive attempts); CACHE_ENABLED for the handlers of the three cached routes.
 */
import { expectEndpointsAsWritten, readYaml, redisKeysOf, synthesizeConfig, type TfStack } from './support';

const FILE = 'config/examples/course-registration.yaml';
const doc = readYaml(FILE);
const HANDLERS = ['courses', 'enrollments', 'profile'];

let stack: TfStack;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()]).toEqual(['course-registration']);
  stack = result.stacks.get('course-registration')!;
  warnings = result.warnings;
}, 120_000);

describe(`${FILE} in Terraform`, () => {
  it('GIVEN the file WHEN synthesized THEN one stack and no warning', () => {
    expect(warnings).toEqual([]);
    expect(Object.keys(doc.handlers).sort()).toEqual(HANDLERS);
  });

  it('GIVEN `create-cache-cluster --engine-version 7.0 --cache-node-type cache.t3.micro --num-cache-nodes 1` WHEN the replication group is read THEN redis 7.0, one cache.t3.micro node, no failover', () => {
    const g = stack.replicationGroup('course-reg-cache');
    expect(g).toEqual(
      expect.objectContaining({
        replication_group_id: 'course-registration-course-reg-cache',
        engine: 'redis',
        engine_version: '7.0',
        node_type: 'cache.t3.micro',
        num_node_groups: 1,
        replicas_per_node_group: 0,
        multi_az_enabled: false,
        automatic_failover_enabled: false,
        transit_encryption_enabled: true,
      }),
    );
    const c = doc.redis['course-reg-cache'];
    expect([g.engine, g.engine_version, g.node_type, g.replicas_per_node_group]).toEqual([c.engine, c.version, c.nodeType, c.replicasPerShard]);
    expect(String(g.at_rest_encryption_enabled)).toBe('true');
  });

  it('GIVEN `maxmemory-policy allkeys-lru` WHEN the parameter group is read THEN it sets allkeys-lru in the redis7 family', () => {
    expect(stack.redisParameters('course-reg-cache')['maxmemory-policy']).toBe('allkeys-lru');
    expect(doc.redis['course-reg-cache'].maxmemoryPolicy).toBe('allkeys-lru');
    expect(stack.deref(stack.replicationGroup('course-reg-cache').parameter_group_name).family).toBe('redis7');
  });

  it('GIVEN REDIS_PASSWORD WHEN the cache and the handlers are read THEN the AUTH token is read from the named secret, never written in the YAML or the Terraform', () => {
    const g = stack.replicationGroup('course-reg-cache');
    const arn = doc.redis['course-reg-cache'].authTokenSecret;
    expect(stack.deref(g.auth_token).secret_id).toBe(arn);
    expect(g.auth_token).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\.[^}]+\.secret_string\}$/);
    for (const h of HANDLERS) expect({ h, arn: stack.env(h).CACHESTACK_REDIS_AUTH_SECRET_ARN }).toEqual({ h, arn });
  });

  it('GIVEN the cache keys, the seed\'s 10 s lock and REDIS_MAX_CONNECTIONS=50 WHEN every handler\'s environment is read THEN the patterns with their TTLs and a pool of 50', () => {
    const keys = [
      { pattern: 'courses:semester:{semesterId}:department:{departmentId}', ttlSeconds: 300 },
      { pattern: 'course:{courseId}', ttlSeconds: 300 },
      { pattern: 'enrollments:user:{userId}', ttlSeconds: 60 },
      { pattern: 'user:profile:{userId}', ttlSeconds: 300 },
      { pattern: 'lock:{key}', ttlSeconds: 10 },
    ];
    expect(redisKeysOf(doc, 'course-reg-cache')).toEqual(keys);
    for (const h of HANDLERS) {
      expect({ h, keys: stack.redisKeys(h) }).toEqual({ h, keys });
      expect({ h, pool: stack.env(h).CACHESTACK_REDIS_POOL_SIZE, cache: stack.env(h).CACHESTACK_REDIS_CACHE }).toEqual({ h, pool: '50', cache: 'course-reg-cache' });
    }
    expect(doc.handlers.courses.connections.redis.poolSize).toBe(50);
  });

  it('GIVEN the seed\'s boto3 Config WHEN every handler\'s environment is read THEN keep-alive, 50 sockets, 5 s connect, 10 s read, 3 adaptive attempts, CACHE_ENABLED', () => {
    const c = doc.handlers.courses.connections;
    for (const h of HANDLERS) {
      expect({ h, env: stack.env(h) }).toEqual({
        h,
        env: expect.objectContaining({
          CACHESTACK_HTTP_KEEP_ALIVE: String(c.http.keepAlive),
          CACHESTACK_HTTP_MAX_SOCKETS: '50',
          CACHESTACK_HTTP_CONNECT_TIMEOUT_MS: '5000',
          CACHESTACK_HTTP_REQUEST_TIMEOUT_MS: '10000',
          CACHESTACK_RETRY_MAX_ATTEMPTS: '3',
          CACHESTACK_RETRY_MODE: 'adaptive',
          CACHE_ENABLED: 'true',
        }),
      });
    }
    expect([c.http.maxSockets, c.http.connectTimeoutMs, c.http.requestTimeoutMs, c.retries.maxAttempts, c.retries.mode]).toEqual([50, 5000, 10000, 3, 'adaptive']);
  });

  it('GIVEN the seed\'s routes behind Cognito WHEN every endpoint is read THEN each has its own settings with API Gateway caching off (the caching is in Redis) and no stage cache', () => {
    expectEndpointsAsWritten(stack, doc);
    for (const e of doc.restApi.endpoints) {
      expect({ route: `${e.method} ${e.path}`, caching: stack.methodSettings(e.method, e.path).caching_enabled }).toEqual({ route: `${e.method} ${e.path}`, caching: false });
      expect(stack.method(e.method, e.path).authorization).toBe('COGNITO_USER_POOLS');
    }
    expect(stack.stage().cache_cluster_enabled).toBe(false);
    expect(stack.method('POST', '/api/courses/{course_id}').request_parameters).toEqual({ 'method.request.path.course_id': true });
  });
});

describe(`${FILE} Python handler`, () => {
  it('GIVEN the seed\'s Python `courses` WHEN the function is read THEN it runs courses.handler on python3.13 from its zip, and the warmer pings it', () => {
    expect(stack.lambda('courses')).toEqual(expect.objectContaining({ handler: 'courses.handler', runtime: 'python3.13', architectures: ['arm64'] }));
    expect(stack.lambda('courses').filename).toMatch(/^\$\{path\.module\}\/assets\/courses-[0-9a-f]{8}\.zip$/);
    expect(doc.handlers['courses'].requirements).toMatch(/requirements\.txt$/);
    expect(stack.warmer()!.input.targets).toEqual(['courses']);
  });
});
