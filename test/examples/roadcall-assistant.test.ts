/**
 * config/examples/roadcall-assistant.yaml (seed: "Performance Optimization
 * Implementation" of the AI Roadcall Assistant, /work/shared/seeds/004_*.txt),
 * synthesized once through the real pipeline. The seed's settings appear in both
 * stacks: Redis 7.0 on cache.t3.medium with 5-day snapshots, vendor profiles 5 min
 * and search results 1 min; DAX dax.t3.small with SSE over Incidents, Vendors and
 * TrackingSessions; AppSync PER_RESOLVER_CACHING for 5 s, encrypted at rest and in
 * transit, on the two tracking queries; the Aurora pool (min 2, max 10, 30 s idle,
 * 5 s connect, 30 s statement); a warmer every 5 minutes, 3 per function, 60 s
 * timeout; 1024 MB functions. dev is what the seed deploys (single-AZ Redis, one
 * DAX node); prod has the upgrades it names (Multi-AZ Redis, three DAX nodes).
 */
import { expectEndpointsAsWritten, forEnvironment, readYaml, redisKeysOf, synthesizeConfig, tableNames, type TfStack } from './support';

const FILE = 'config/examples/roadcall-assistant.yaml';
const doc = readYaml(FILE);
const ENVS = ['dev', 'prod'] as const;
const HANDLERS = ['incidents', 'payments', 'tracking', 'vendors'];

let stacks: Record<(typeof ENVS)[number], TfStack>;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()].sort()).toEqual(['roadcall-dev', 'roadcall-prod']);
  stacks = { dev: result.stacks.get('roadcall-dev')!, prod: result.stacks.get('roadcall-prod')! };
  warnings = result.warnings;
}, 120_000);

describe(`${FILE} in Terraform`, () => {
  it('GIVEN prod with the seed\'s production upgrades WHEN synthesized THEN no warning (no single-AZ Redis or small DAX in prod)', () => {
    expect(warnings).toEqual([]);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the vendor cache is read THEN redis 7.0 on cache.t3.medium with 5-day snapshots, encrypted', (env) => {
    const g = stacks[env].replicationGroup('vendor-cache');
    expect(g).toEqual(
      expect.objectContaining({
        engine: 'redis',
        engine_version: '7.0',
        node_type: 'cache.t3.medium',
        num_node_groups: 1,
        snapshot_retention_limit: 5,
        transit_encryption_enabled: true,
        // "Automatic minor version upgrades enabled"
        auto_minor_version_upgrade: 'true',
      }),
    );
    const c = doc.redis['vendor-cache'];
    expect([g.engine, g.engine_version, g.node_type, g.snapshot_retention_limit]).toEqual([c.engine, c.version, c.nodeType, c.snapshotRetentionDays]);
    expect(String(g.at_rest_encryption_enabled)).toBe('true');
    expect(stacks[env].deref(g.parameter_group_name).family).toBe('redis7');
  });

  it('GIVEN single-AZ in the base and Multi-AZ in prod WHEN both stacks are read THEN dev has one node and prod a replica with failover', () => {
    expect(stacks.dev.replicationGroup('vendor-cache')).toEqual(expect.objectContaining({ replicas_per_node_group: 0, multi_az_enabled: false, automatic_failover_enabled: false }));
    expect(stacks.prod.replicationGroup('vendor-cache')).toEqual(expect.objectContaining({ replicas_per_node_group: 1, multi_az_enabled: true, automatic_failover_enabled: true }));
    expect(forEnvironment(doc, 'prod').redis['vendor-cache']).toEqual(expect.objectContaining({ replicasPerShard: 1, multiAz: true }));
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the vendors function is read THEN it carries vendor profiles for 300 s and search results for 60 s', (env) => {
    const keys = [
      { pattern: 'vendor:{vendorId}', ttlSeconds: 300 },
      { pattern: 'vendor:search:{queryHash}', ttlSeconds: 60 },
    ];
    expect(redisKeysOf(doc, 'vendor-cache')).toEqual(keys);
    expect(stacks[env].redisKeys('vendors')).toEqual(keys);
    expect(stacks[env].env('vendors').CACHESTACK_REDIS_CACHE).toBe('vendor-cache');
    // Only vendors names the Redis cache.
    expect(HANDLERS.filter((h) => stacks[env].env(h).CACHESTACK_REDIS_HOST !== undefined)).toEqual(['vendors']);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the DAX cluster is read THEN dax.t3.small with SSE, a TLS endpoint and the default 5-minute item and query TTLs', (env) => {
    const s = stacks[env];
    const c = s.daxCluster('hot');
    expect(c).toEqual(expect.objectContaining({ node_type: 'dax.t3.small', server_side_encryption: { enabled: true }, cluster_endpoint_encryption_type: 'TLS' }));
    expect(c.node_type).toBe(doc.dax.hot.nodeType);
    expect(s.daxParameters('hot')).toEqual({ 'record-ttl-millis': '300000', 'query-ttl-millis': '300000' });
    for (const h of ['incidents', 'vendors', 'tracking']) {
      expect({ h, endpoint: s.env(h).CACHESTACK_DAX_ENDPOINT }).toEqual({ h, endpoint: expect.stringMatching(/^daxs:\/\/\$\{aws_dax_cluster\.[^}]+\.cluster_address\}:9111$/) });
      expect(s.deref(s.env(h).CACHESTACK_DAX_ENDPOINT.replace(/^daxs:\/\/(.*):9111$/, '$1'))).toBe(c);
    }
    expect(s.env('payments').CACHESTACK_DAX_ENDPOINT).toBeUndefined();
  });

  it('GIVEN replication factor 1 in the base and 3 in prod WHEN both clusters are read THEN dev has 1 node and prod 3', () => {
    expect(stacks.dev.daxCluster('hot').replication_factor).toBe(1);
    expect(stacks.prod.daxCluster('hot').replication_factor).toBe(3);
    expect([doc.dax.hot.replicationFactor, forEnvironment(doc, 'prod').dax.hot.replicationFactor]).toEqual([1, 3]);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the IAM policies are read THEN DAX reaches exactly the three tables and only the DAX handlers reach the cluster', (env) => {
    const s = stacks[env];
    const cluster = s.daxCluster('hot');
    const statements = s.roleStatements(cluster.iam_role_arn);
    const bySid = (sid: string) => {
      const found = statements.filter((st) => st.sid === sid);
      if (found.length !== 1) throw new Error(`expected one ${sid} statement in the DAX role's policy, found ${found.length}`);
      return found[0];
    };
    const tables = bySid('Tables');
    expect(tableNames(tables.resources)).toEqual(['Incidents', 'Vendors', 'TrackingSessions']);
    expect(tableNames(tables.resources)).toEqual(doc.dax.hot.tables);
    const indexes = bySid('Indexes');
    expect(statements.map((st) => st.sid)).toEqual(['Tables', 'Indexes']);
    expect(indexes.resources.map((r: string) => /:table\/([^/]+)\/index\/\*$/.exec(r)?.[1])).toEqual(doc.dax.hot.tables);
    expect(statements.flatMap((st) => st.resources).every((r: string) => /:table\//.test(r))).toBe(true);
    for (const h of HANDLERS) {
      const dax = s.roleStatements(s.lambda(h).role).filter((st) => (st.actions as string[]).some((a) => a.startsWith('dax:')));
      const uses = doc.handlers[h].connections?.dax?.cluster === 'hot';
      expect({ h, resources: dax.flatMap((st) => st.resources.map((r: string) => s.refersTo(r, cluster))) }).toEqual({ h, resources: uses ? [true] : [] });
    }
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the AppSync cache and resolvers are read THEN per-resolver caching for 5 s, encrypted both ways, on the two tracking queries and not on the mutation', (env) => {
    const s = stacks[env];
    expect(s.appsyncCache()).toEqual(expect.objectContaining({ api_caching_behavior: 'PER_RESOLVER_CACHING', type: 'SMALL', ttl: 5, at_rest_encryption_enabled: true, transit_encryption_enabled: true }));
    expect(s.resolver('Query.getTrackingSession').caching_config).toEqual({ ttl: 5, caching_keys: ['$context.identity.sub', '$context.arguments.sessionId'] });
    expect(s.resolver('Query.getActiveSessionByIncident').caching_config).toEqual({ ttl: 5, caching_keys: ['$context.identity.sub', '$context.arguments.incidentId'] });
    expect(s.resolver('Mutation.updateLocation').caching_config).toBeUndefined();
    for (const r of doc.graphqlApi.resolvers) {
      const want = r.cache ? { ttl: r.cache.ttlSeconds, caching_keys: r.cache.keys } : undefined;
      expect({ field: r.field, caching: s.resolver(r.field).caching_config }).toEqual({ field: r.field, caching: want });
    }
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the payments function is read THEN it carries the Aurora pool: min 2, max 10, 30 s idle, 5 s connect, 30 s statement, and the secret', (env) => {
    const pg = doc.handlers.payments.connections.postgres;
    expect(stacks[env].env('payments')).toEqual(
      expect.objectContaining({
        CACHESTACK_PG_MIN: '2',
        CACHESTACK_PG_MAX: '10',
        CACHESTACK_PG_IDLE_TIMEOUT_MS: '30000',
        CACHESTACK_PG_CONNECTION_TIMEOUT_MS: '5000',
        CACHESTACK_PG_STATEMENT_TIMEOUT_MS: '30000',
        CACHESTACK_PG_SECRET_ARN: pg.secret,
      }),
    );
    expect([pg.min, pg.max, pg.idleTimeoutMs, pg.connectionTimeoutMs, pg.statementTimeoutMs]).toEqual([2, 10, 30000, 5000, 30000]);
    // The seed's DB_PASSWORD in the environment is replaced by the secret: no password variable.
    expect(Object.keys(stacks[env].env('payments')).filter((k) => /PASSWORD/i.test(k))).toEqual([]);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the functions are read THEN each has the seed\'s 1024 MB', (env) => {
    for (const h of HANDLERS) {
      expect({ h, memory: stacks[env].lambda(h).memory_size }).toEqual({ h, memory: 1024 });
      expect(doc.handlers[h].memoryMb).toBe(1024);
    }
  });

  it.each(ENVS)('GIVEN the %s stack WHEN the warmer is read THEN every 5 minutes, 3 pings per function, 60 s timeout, targeting the four warm handlers\' live aliases', (env) => {
    const w = stacks[env].warmer();
    expect(w).toBeDefined();
    expect(w!.rule).toEqual(expect.objectContaining({ schedule_expression: 'rate(5 minutes)', state: 'ENABLED' }));
    expect(w!.input).toEqual({ targets: HANDLERS, concurrency: 3 });
    expect(w!.fn.timeout).toBe(60);
    expect([doc.warmer.schedule, doc.warmer.concurrency, doc.warmer.timeoutSeconds]).toEqual(['rate(5 minutes)', 3, 60]);
    expect(HANDLERS.filter((h) => doc.handlers[h].warm === true)).toEqual(HANDLERS);
  });

  it.each(ENVS)('GIVEN the %s stack WHEN every endpoint is read THEN none is cached at API Gateway (the seed caches in CloudFront, Redis and DAX) and the stage has no cache cluster', (env) => {
    expectEndpointsAsWritten(stacks[env], forEnvironment(doc, env));
    for (const e of doc.restApi.endpoints) expect({ e: e.path, caching: stacks[env].methodSettings(e.method, e.path).caching_enabled }).toEqual({ e: e.path, caching: false });
    expect(stacks[env].stage().cache_cluster_enabled).toBe(false);
  });
});
