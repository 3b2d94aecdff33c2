/**
 * config/examples/ecommerce-analytics.yaml (seed: "Performance Optimization
 * Guide" of the eCommerce AI Analytics Platform, /work/shared/seeds/003_*.txt),
 * synthesized once through the real pipeline. The seed's settings appear in the
 * stack: the `prod` stage with an encrypted 0.5 GB cache, stage throttling burst
 * 5000 / rate 2000, the three read-heavy GETs cached 5 min / 1 h / 30 s, the
 * memory of all seven functions, Market Intelligence's 300 s timeout, reserved 10
 * and provisioned 5, SDK pools of 50 with 3 attempts, and `forecast:{productId}`
 * for 300 s in Redis (cache.t3.medium, one node, port 6379).
 */
import { expectEndpointsAsWritten, readYaml, synthesizeConfig, type TfStack } from './support';

const FILE = 'config/examples/ecommerce-analytics.yaml';
const doc = readYaml(FILE);

let stack: TfStack;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()]).toEqual(['ecommerce-analytics']);
  stack = result.stacks.get('ecommerce-analytics')!;
  warnings = result.warnings;
}, 120_000);

/** The seed's "Current Settings" memory table, with Market Intelligence raised to 4096 MB. */
const SEED_MEMORY: Record<string, number> = {
  auth: 512,
  analytics: 1024,
  'market-intelligence': 4096,
  'demand-insights': 3072,
  'compliance-guardian': 3072,
  'retail-copilot': 2048,
  'global-market-pulse': 1024,
};

describe(`${FILE} in Terraform`, () => {
  it('GIVEN the 300 s timeout behind API Gateway WHEN synthesized THEN the only warning is the one the header explains', () => {
    expect(warnings).toEqual(['api-timeout-exceeds-gateway handlers.market-intelligence.timeoutSeconds']);
  });

  it('GIVEN the seed\'s prod stage WHEN the stage is read THEN it is named prod with a 0.5 GB cache cluster', () => {
    expect(stack.stage()).toEqual(expect.objectContaining({ stage_name: 'prod', cache_cluster_enabled: true, cache_cluster_size: '0.5' }));
    expect(doc.restApi.stage).toBe('prod');
    expect(doc.restApi.cache).toEqual({ sizeGb: 0.5, encrypted: true, ttlSeconds: 300 });
  });

  it('GIVEN stage throttling burst 5000 / rate 2000 WHEN the stage-wide and every endpoint\'s settings are read THEN all carry those limits', () => {
    expect(doc.restApi.throttling).toEqual({ burstLimit: 5000, rateLimit: 2000 });
    const all = stack.all('aws_api_gateway_method_settings');
    expect(all).toHaveLength(doc.restApi.endpoints.length + 1);
    for (const { path, block } of all) {
      expect({ path, burst: block.settings.throttling_burst_limit, rate: block.settings.throttling_rate_limit }).toEqual({ path, burst: 5000, rate: 2000 });
    }
  });

  it('GIVEN the seed\'s TTL tiers WHEN the three cached GETs are read THEN trends 300 s, segments 3600 s, regional prices 30 s, all encrypted with authorization required', () => {
    const expected: [string, number, string[]][] = [
      ['/market-intelligence/trends', 300, ['method.request.querystring.category']],
      ['/demand-insights/segments', 3600, ['method.request.header.Authorization']],
      ['/global-market/regional-prices', 30, ['method.request.querystring.region']],
    ];
    for (const [path, ttl, keys] of expected) {
      expect({ path, settings: stack.methodSettings('GET', path) }).toEqual({
        path,
        settings: expect.objectContaining({
          caching_enabled: true,
          cache_ttl_in_seconds: ttl,
          cache_data_encrypted: true,
          require_authorization_for_cache_control: true,
          unauthorized_cache_control_header_strategy: 'FAIL_WITH_403',
        }),
      });
      expect({ path, keys: stack.integration('GET', path).cache_key_parameters }).toEqual({ path, keys });
      expect({ path, declared: Object.keys(stack.method('GET', path).request_parameters) }).toEqual({ path, declared: keys });
    }
  });

  it('GIVEN every endpoint of the file WHEN read from the stack THEN settings, cache keys and request parameters are as written', () => {
    expectEndpointsAsWritten(stack, doc);
  });

  it('GIVEN the Auth handler as Lambda authorizer WHEN the authorizer is read THEN it is a REQUEST authorizer on the Authorization header invoking the auth alias', () => {
    const authorizer = stack.only('aws_api_gateway_authorizer', () => true, 'the authorizer');
    expect(authorizer).toEqual(expect.objectContaining({ type: 'REQUEST', identity_source: `method.request.header.${doc.auth.lambda.identityHeader}` }));
    expect(stack.refersTo(authorizer.authorizer_uri, stack.aliasOf('auth'))).toBe(true);
    for (const e of doc.restApi.endpoints) expect(stack.method(e.method, e.path).authorization).toBe('CUSTOM');
  });

  it('GIVEN the seed\'s memory table WHEN every function is read THEN its memory is the seed\'s and the file\'s', () => {
    expect(Object.keys(doc.handlers).sort()).toEqual(Object.keys(SEED_MEMORY).sort());
    for (const [name, h] of Object.entries(doc.handlers as Record<string, { memoryMb: number }>)) {
      expect({ name, memory: stack.lambda(name).memory_size }).toEqual({ name, memory: h.memoryMb });
      expect({ name, memory: stack.lambda(name).memory_size }).toEqual({ name, memory: SEED_MEMORY[name] });
    }
  });

  it('GIVEN Market Intelligence WHEN its function is read THEN 300 s timeout, 10 reserved, 5 provisioned on the live alias', () => {
    const fn = stack.lambda('market-intelligence');
    expect([fn.timeout, fn.reserved_concurrent_executions]).toEqual([300, 10]);
    const pcs = stack.provisionedConcurrency('market-intelligence');
    expect(pcs.map((p) => p.provisioned_concurrent_executions)).toEqual([5]);
    expect(stack.deref(pcs[0].qualifier).name).toBe('live');
    const h = doc.handlers['market-intelligence'];
    expect([h.timeoutSeconds, h.reservedConcurrency, h.provisionedConcurrency]).toEqual([300, 10, 5]);
  });

  it('GIVEN provisioned concurrency for Auth, Analytics and Market Intelligence only WHEN the configs are read THEN exactly those three, with the file\'s counts', () => {
    for (const name of Object.keys(doc.handlers)) {
      const want = doc.handlers[name].provisionedConcurrency ?? 0;
      const got = stack.provisionedConcurrency(name).map((p) => p.provisioned_concurrent_executions);
      expect({ name, got }).toEqual({ name, got: want > 0 ? [want] : [] });
    }
    expect(stack.all('aws_lambda_provisioned_concurrency_config')).toHaveLength(3);
  });

  it('GIVEN max_pool_connections=50 and 3 attempts WHEN every function\'s environment is read THEN keep-alive, 50 sockets, 3 standard attempts', () => {
    for (const name of Object.keys(doc.handlers)) {
      expect({ name, env: stack.env(name) }).toEqual({
        name,
        env: expect.objectContaining({
          CACHESTACK_HTTP_KEEP_ALIVE: 'true',
          CACHESTACK_HTTP_MAX_SOCKETS: '50',
          CACHESTACK_RETRY_MAX_ATTEMPTS: '3',
          // The seed's retries name no mode: botocore's and the language's default.
          CACHESTACK_RETRY_MODE: 'standard',
        }),
      });
    }
  });

  it('GIVEN the seed\'s Redis cluster WHEN the replication group is read THEN redis on one cache.t3.medium node at port 6379, encrypted, no failover', () => {
    const g = stack.replicationGroup('cache');
    expect(g).toEqual(
      expect.objectContaining({
        engine: 'redis',
        node_type: 'cache.t3.medium',
        num_node_groups: 1,
        replicas_per_node_group: 0,
        multi_az_enabled: false,
        automatic_failover_enabled: false,
        port: 6379,
        transit_encryption_enabled: true,
      }),
    );
    expect([g.engine, g.node_type, g.port]).toEqual([doc.redis.cache.engine, doc.redis.cache.nodeType, doc.redis.cache.port]);
    // The seed's parameter group default.redis7: the redis 7 family (engine version not written: the default).
    expect(g.engine_version).toMatch(/^7\./);
    expect(stack.deref(g.parameter_group_name).family).toBe('redis7');
  });

  it('GIVEN forecast caching for 5 minutes WHEN demand-insights\' environment is read THEN forecast:{productId} has TTL 300, and only demand-insights reaches Redis', () => {
    expect(stack.redisKeys('demand-insights')).toEqual([{ pattern: 'forecast:{productId}', ttlSeconds: 300 }]);
    expect(stack.env('demand-insights').CACHESTACK_REDIS_CACHE).toBe('cache');
    const withRedis = Object.keys(doc.handlers).filter((h) => stack.env(h).CACHESTACK_REDIS_HOST !== undefined);
    expect(withRedis).toEqual(['demand-insights']);
  });
});

describe(`${FILE} Python handler`, () => {
  it('GIVEN the seed\'s Python `demand-insights` WHEN the function is read THEN it runs demand_insights.handler on python3.13 from its zip, and the warmer pings it', () => {
    expect(stack.lambda('demand-insights')).toEqual(expect.objectContaining({ handler: 'demand_insights.handler', runtime: 'python3.13', architectures: ['arm64'] }));
    expect(stack.lambda('demand-insights').filename).toMatch(/^\$\{path\.module\}\/assets\/demand-insights-[0-9a-f]{8}\.zip$/);
    expect(doc.handlers['demand-insights'].requirements).toMatch(/requirements\.txt$/);
    expect(stack.warmer()!.input.targets).toEqual(['demand-insights']);
  });
});
