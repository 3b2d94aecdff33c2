import { buildPlan, buildPlans } from '../../src/plan/explain';
import { compareNodeTypes, compareVersions, seconds } from '../../src/plan/facts';
import { renderPlans } from '../../src/plan/render-explain';
import { edited, serviceModel } from './models';

describe('buildPlan', () => {
  test('GIVEN a model WHEN planned THEN endpoints are sorted by path and method with their cache facts', () => {
    const plan = buildPlan(serviceModel());
    expect(plan.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /catalog', 'GET /health', 'GET /profile', 'GET /session', 'GET /users/{userId}']);
    const [catalog, health, profile, session] = plan.endpoints;
    expect(catalog.cache).toMatchObject({ scope: 'shared', declaredShared: true, ttlSeconds: 3600 });
    expect(health.cache).toBeNull();
    expect(profile.cache).toMatchObject({ scope: 'per-caller', identityHeader: 'Authorization', requireAuthorization: true, unauthorized: 'fail', namespace: 'user-profile' });
    // a lambda authorizer identifies the caller by its own header
    expect(session.cache).toMatchObject({ scope: 'per-caller', identityHeader: 'X-Session' });
  });

  test('GIVEN a cognito endpoint keyed on a header other than Authorization WHEN planned THEN it is shared even if not declared so', () => {
    const plan = buildPlan(edited((m) => (m.restApi!.endpoints[0].cache!.keys = ['header.X-Session'])));
    expect(plan.endpoints.find((e) => e.path === '/profile')!.cache).toMatchObject({ scope: 'shared', declaredShared: false });
  });

  test('GIVEN per-resolver caching WHEN planned THEN resolvers keyed on $context.identity are per caller', () => {
    const plan = buildPlan(serviceModel());
    expect(plan.resolvers.map((r) => [r.field, r.cache?.scope, r.cache?.source])).toEqual([
      ['Query.myProfile', 'per-caller', 'resolver'],
      ['Query.user', 'per-caller', 'resolver'],
    ]);
  });

  test('GIVEN API-key auth WHEN planned THEN identity keys do not make a resolver per caller', () => {
    const plan = buildPlan(edited((m) => (m.graphqlApi!.auth = 'api-key')));
    expect(plan.resolvers.map((r) => r.cache?.scope)).toEqual(['shared', 'shared']);
  });

  test('GIVEN full-request caching WHEN planned THEN every resolver is cached by arguments and identity with the API TTL', () => {
    const plan = buildPlan(
      edited((m) => {
        m.graphqlApi!.cache!.behavior = 'full-request';
        m.graphqlApi!.cache!.ttlSeconds = 120;
        for (const r of m.graphqlApi!.resolvers) delete r.cache;
      }),
    );
    expect(plan.resolvers.map((r) => r.cache)).toEqual([
      { source: 'full-request', ttlSeconds: 120, keys: ['$context.arguments', '$context.identity'], scope: 'per-caller' },
      { source: 'full-request', ttlSeconds: 120, keys: ['$context.arguments', '$context.identity'], scope: 'per-caller' },
    ]);
  });

  test('GIVEN caches, clusters and handlers WHEN planned THEN sizes, users and what each handler serves are stated', () => {
    const plan = buildPlan(serviceModel());
    expect(plan.caches[0]).toMatchObject({ name: 'sessions', nodes: 2, clusterMode: false, usedBy: [{ handler: 'profile', poolSize: 2 }] });
    expect(plan.caches[0].keys.map((k) => k.pattern)).toEqual(['session:{token}', 'user:profile:{userId}']);
    expect(plan.daxClusters[0]).toMatchObject({ name: 'hot', nodes: 3, usedBy: ['profile'] });
    expect(plan.handlers.map((h) => [h.name, h.serves])).toEqual([
      ['authorizer', ['lambda authorizer']],
      ['profile', ['GET /health', 'GET /profile', 'Query.myProfile']],
      ['users', ['GET /catalog', 'GET /session', 'GET /users/{userId}', 'Query.user']],
    ]);
    expect(plan.warmer).toEqual({ schedule: 'rate(5 minutes)', concurrency: 2, enabled: true, targets: ['profile'] });
  });

  test('GIVEN models of several files and environments WHEN planned THEN they are ordered by file then environment', () => {
    const plans = buildPlans([
      edited((m) => Object.assign(m, { sourceFile: 'b.yaml' })),
      edited((m) => Object.assign(m, { environment: 'prod' })),
      edited((m) => Object.assign(m, { environment: 'dev', stackName: 'user-service-dev' })),
    ]);
    expect(plans.map((p) => `${p.sourceFile} ${p.environment}`)).toEqual(['b.yaml prod', 'config/user-service.yaml dev', 'config/user-service.yaml prod']);
  });
});

describe('renderPlans', () => {
  const plans = [buildPlan(serviceModel())];

  test.each(['text', 'markdown', 'json'] as const)('GIVEN the same plan WHEN rendered twice as %s THEN the bytes are identical', (format) => {
    expect(renderPlans(plans, format)).toBe(renderPlans([buildPlan(serviceModel())], format));
  });

  test('GIVEN a plan WHEN rendered as text THEN every endpoint row states auth, ttl, key, scope and invalidation', () => {
    const text = renderPlans(plans, 'text');
    expect(text).toMatch(/^ {2}GET +\/profile +cognito +profile +300s \(5m\) +header\.Authorization +per caller +InvalidateCache IAM \(others: 403\)$/m);
    expect(text).toContain('note: GET /catalog declared shared');
    expect(text).not.toMatch(/[ \t]+$/m);
  });

  test('GIVEN a plan WHEN rendered as markdown THEN every table row has as many cells as its header', () => {
    const lines = renderPlans(plans, 'markdown').split('\n');
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const cells = line.split(/(?<!\\)\|/).length - 2;
      if (columns === 0) columns = cells;
      expect(cells).toBe(columns);
    }
    expect(lines).toContain('## Caching plan: `user-service-prod`');
  });

  test('GIVEN a plan WHEN rendered as json THEN it parses back to the plan', () => {
    expect(JSON.parse(renderPlans(plans, 'json'))).toEqual({ plans: JSON.parse(JSON.stringify(plans)) });
  });
});

describe('facts', () => {
  test('GIVEN node types WHEN compared THEN only sizes of one family are ordered', () => {
    expect(compareNodeTypes('cache.t4g.small', 'cache.t4g.medium')).toBe('grow');
    expect(compareNodeTypes('cache.r7g.2xlarge', 'cache.r7g.xlarge')).toBe('shrink');
    expect(compareNodeTypes('cache.r7g.12xlarge', 'cache.r7g.16xlarge')).toBe('grow');
    expect(compareNodeTypes('cache.t4g.small', 'cache.r7g.large')).toBe('change');
    expect(compareNodeTypes('dax.t3.small', 'dax.t3.medium')).toBe('grow');
  });

  test('GIVEN versions WHEN compared THEN they compare numerically', () => {
    expect(compareVersions('7.2', '8.0')).toBeLessThan(0);
    expect(compareVersions('8.10', '8.9')).toBeGreaterThan(0);
    expect(compareVersions('7.0', '7.0')).toBe(0);
  });

  test('GIVEN durations WHEN printed THEN exact seconds come first with a round unit', () => {
    expect([seconds(45), seconds(300), seconds(7200), seconds(86400), seconds(90)]).toEqual(['45s', '300s (5m)', '7200s (2h)', '86400s (1d)', '90s']);
  });
});
