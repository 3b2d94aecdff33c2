import { diffModels, type Change } from '../../src/plan/diff';
import { edited, serviceModel } from './models';

function only(changes: Change[], subject: Change['subject'], field?: string): Change {
  const found = changes.filter((c) => c.subject === subject && (field === undefined || c.field === field));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('diffModels', () => {
  test('GIVEN the same model twice WHEN diffed THEN nothing changes', () => {
    expect(diffModels(serviceModel(), serviceModel())).toEqual([]);
  });

  test('GIVEN endpoints listed in another order WHEN diffed THEN they match by method and path', () => {
    const head = edited((m) => m.restApi!.endpoints.reverse());
    expect(diffModels(serviceModel(), head)).toEqual([]);
  });

  describe('ElastiCache replacement rules (aws_elasticache_replication_group)', () => {
    test('GIVEN at-rest encryption turned off WHEN diffed THEN it is a replace with data loss and a security change', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.redis[0].encryption.atRest = false))), 'redis', 'encryption.atRest');
      expect(c.flags).toEqual(['replace', 'security']);
      expect(c.dataLoss).toBe(true);
      expect(c.rule).toMatch(/at_rest_encryption_enabled forces a new replication group/);
      expect(c.message).toMatch(/every key is lost/);
    });

    test('GIVEN at-rest encryption turned on WHEN diffed THEN it is a replace but not a security change', () => {
      const base = edited((m) => (m.redis[0].encryption.atRest = false));
      const c = only(diffModels(base, serviceModel()), 'redis', 'encryption.atRest');
      expect(c.flags).toEqual(['replace']);
      expect(c.dataLoss).toBe(true);
    });

    test('GIVEN engine redis → valkey WHEN diffed THEN it is an in-place upgrade that keeps the data', () => {
      const base = edited((m) => Object.assign(m.redis[0], { engine: 'redis', version: '7.1' }));
      const changes = diffModels(base, serviceModel());
      const engine = only(changes, 'redis', 'engine');
      expect(engine.flags).toEqual([]);
      expect(engine.dataLoss).toBe(false);
      expect(engine.message).toMatch(/upgraded in place, data kept/);
      expect(only(changes, 'redis', 'version').flags).toEqual([]);
    });

    test('GIVEN engine valkey → redis WHEN diffed THEN the replication group is replaced and its data lost', () => {
      const head = edited((m) => Object.assign(m.redis[0], { engine: 'redis', version: '7.1' }));
      const changes = diffModels(serviceModel(), head);
      const engine = only(changes, 'redis', 'engine');
      expect(engine.flags).toEqual(['replace']);
      expect(engine.dataLoss).toBe(true);
      expect(engine.rule).toMatch(/engine/);
      // the version change rides on the engine replacement; it is not flagged twice
      expect(only(changes, 'redis', 'version').flags).toEqual([]);
    });

    test('GIVEN an engine version downgrade WHEN diffed THEN it replaces; an upgrade does not', () => {
      const down = only(diffModels(serviceModel(), edited((m) => (m.redis[0].version = '7.2'))), 'redis', 'version');
      expect(down.flags).toEqual(['replace']);
      expect(down.rule).toMatch(/downgrade/);
      const up = only(diffModels(edited((m) => (m.redis[0].version = '7.2')), serviceModel()), 'redis', 'version');
      expect(up.flags).toEqual([]);
      expect(up.message).toMatch(/upgraded in place/);
    });

    test('GIVEN a port change WHEN diffed THEN it replaces', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.redis[0].port = 6380))), 'redis', 'port');
      expect(c.flags).toEqual(['replace']);
      expect(c.dataLoss).toBe(true);
    });

    test('GIVEN transit encryption turned off WHEN diffed THEN it is a security change made in place', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.redis[0].encryption.transit = false))), 'redis', 'encryption.transit');
      expect(c.flags).toEqual(['security']);
      expect(c.dataLoss).toBe(false);
    });

    test('GIVEN a bigger node type and more replicas WHEN diffed THEN the cache grows in place', () => {
      const head = edited((m) => Object.assign(m.redis[0], { nodeType: 'cache.t4g.medium', replicasPerShard: 2 }));
      const changes = diffModels(serviceModel(), head);
      expect(only(changes, 'redis', 'nodeType')).toMatchObject({ flags: [], direction: 'grow', dataLoss: false });
      const replicas = only(changes, 'redis', 'replicasPerShard');
      expect(replicas).toMatchObject({ flags: [], direction: 'grow' });
      expect(replicas.message).toContain('2 → 3 nodes');
    });

    test('GIVEN a node type of another family WHEN diffed THEN no direction is claimed', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.redis[0].nodeType = 'cache.r7g.large'))), 'redis', 'nodeType');
      expect(c.direction).toBeNull();
    });

    test('GIVEN one shard becoming three WHEN diffed THEN the cluster-mode switch is called out', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.redis[0].shards = 3))), 'redis', 'shards');
      expect(c.message).toMatch(/switches cluster mode on/);
      expect(c.direction).toBe('grow');
    });

    test('GIVEN the auth token removed WHEN diffed THEN it is a security change', () => {
      const c = only(diffModels(serviceModel(), edited((m) => delete m.redis[0].authTokenSecret)), 'redis', 'authTokenSecret');
      expect(c.flags).toEqual(['security']);
    });

    test('GIVEN a key pattern TTL changed and a pattern added WHEN diffed THEN each pattern is reported', () => {
      const head = edited((m) => {
        m.redis[0].keys[0].ttlSeconds = 3600;
        m.redis[0].keys.push({ name: 'lock', pattern: 'lock:{id}', ttlSeconds: 10, params: ['id'] });
      });
      const msgs = diffModels(serviceModel(), head).map((c) => c.message);
      expect(msgs).toEqual(['key pattern lock:{id} added, ttl 10s', 'key pattern session:{token} ttl 86400s (1d) → 3600s (1h)']);
    });
  });

  describe('renames', () => {
    test('GIVEN a cache renamed WHEN diffed THEN it shows as remove + add and the removal is a replace with data loss', () => {
      const head = edited((m) => {
        m.redis[0].name = 'user-sessions';
        m.handlers[1].connections.redis!.cache = 'user-sessions';
      });
      const changes = diffModels(serviceModel(), head).filter((c) => c.subject === 'redis');
      expect(changes.map((c) => [c.action, c.name])).toEqual([
        ['remove', 'sessions'],
        ['add', 'user-sessions'],
      ]);
      expect(changes[0]).toMatchObject({ flags: ['replace'], dataLoss: true });
      expect(changes[0].message).toMatch(/renamed to user-sessions.*destroyed with every key in it/);
      expect(changes[0].rule).toMatch(/replication_group_id/);
      expect(changes[1].message).toMatch(/renamed from sessions/);
      expect(changes[1].flags).toEqual([]);
    });

    test('GIVEN a cache simply removed while two different ones are added WHEN diffed THEN the removal is a destroy', () => {
      const head = edited((m) => {
        const old = m.redis[0];
        m.redis = [
          { ...old, name: 'a-cache', nodeType: 'cache.t4g.medium' },
          { ...old, name: 'b-cache', nodeType: 'cache.t4g.large' },
        ];
      });
      const removal = diffModels(serviceModel(), head).find((c) => c.action === 'remove' && c.subject === 'redis')!;
      expect(removal).toMatchObject({ name: 'sessions', flags: ['destroy'], dataLoss: true });
    });

    test('GIVEN a DAX cluster renamed WHEN diffed THEN the old cluster is replaced', () => {
      const head = edited((m) => (m.dax[0].name = 'warm'));
      const removal = diffModels(serviceModel(), head).find((c) => c.subject === 'dax' && c.action === 'remove')!;
      expect(removal).toMatchObject({ name: 'hot', flags: ['replace'], dataLoss: true });
      expect(removal.rule).toMatch(/cluster_name/);
    });

    test('GIVEN a handler renamed WHEN diffed THEN it is a replace without data loss', () => {
      const head = edited((m) => (m.handlers[2].name = 'people'));
      const removal = diffModels(serviceModel(), head).find((c) => c.subject === 'handler' && c.action === 'remove')!;
      expect(removal).toMatchObject({ name: 'users', flags: ['replace'], dataLoss: false });
    });

    test('GIVEN the REST API renamed WHEN diffed THEN it is renamed in place, keeping its id and stage cache', () => {
      const changes = diffModels(serviceModel(), edited((m) => (m.restApi!.name = 'people')));
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ subject: 'rest-api', field: 'name', flags: [], dataLoss: false });
      expect(changes[0].message).toMatch(/in place: same api id, invoke url and stage cache/);
    });

    test('GIVEN the stage renamed WHEN diffed THEN the stage is replaced', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.restApi!.stage = 'v2'))), 'rest-api', 'stage');
      expect(c).toMatchObject({ flags: ['replace'], dataLoss: true });
      expect(c.rule).toMatch(/stage_name/);
    });

    test('GIVEN the GraphQL API renamed WHEN diffed THEN it is renamed in place', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.graphqlApi!.name = 'people'))), 'graphql-api', 'name');
      expect(c).toMatchObject({ flags: [], dataLoss: false });
    });

    test('GIVEN the service renamed WHEN diffed THEN every stateful resource is named as replaced', () => {
      const head = edited((m) => Object.assign(m, { service: 'people', stackName: 'people-prod' }));
      const c = only(diffModels(serviceModel(), head), 'service', 'service');
      expect(c).toMatchObject({ flags: ['replace'], dataLoss: true });
      expect(c.message).toContain('redis sessions, dax hot, stage cache users/v1, api cache users');
    });

    test('GIVEN an endpoint path changed WHEN diffed THEN it is a remove plus an add', () => {
      const head = edited((m) => (m.restApi!.endpoints[0].path = '/me'));
      const changes = diffModels(serviceModel(), head).filter((c) => c.subject === 'endpoint');
      expect(changes.map((c) => [c.action, c.name])).toEqual([
        ['add', 'GET /me'],
        ['remove', 'GET /profile'],
      ]);
    });
  });

  describe('DAX replacement rules (aws_dax_cluster)', () => {
    test('GIVEN a node type change WHEN diffed THEN the cluster is replaced', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.dax[0].nodeType = 'dax.r5.large'))), 'dax', 'nodeType');
      expect(c).toMatchObject({ flags: ['replace'], dataLoss: true });
      expect(c.rule).toMatch(/node_type forces a new cluster/);
    });

    test('GIVEN server-side encryption turned off WHEN diffed THEN it is a replace and a security change', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.dax[0].encryption = false))), 'dax', 'encryption');
      expect(c.flags).toEqual(['replace', 'security']);
    });

    test('GIVEN more nodes WHEN diffed THEN the cluster grows in place', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.dax[0].replicationFactor = 5))), 'dax', 'replicationFactor');
      expect(c).toMatchObject({ flags: [], direction: 'grow', dataLoss: false });
    });
  });

  describe('AppSync and API Gateway caches', () => {
    test.each([
      ['atRest', ['replace', 'security']],
      ['transit', ['replace', 'security']],
    ] as const)('GIVEN AppSync cache encryption %s turned off WHEN diffed THEN the api cache is replaced', (flag, flags) => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.graphqlApi!.cache!.encryption[flag] = false))), 'appsync-cache', 'cache.encryption');
      expect(c.flags).toEqual(flags);
      expect(c.dataLoss).toBe(true);
      expect(c.rule).toMatch(/aws_appsync_api_cache/);
    });

    test('GIVEN a larger AppSync cache type WHEN diffed THEN it grows in place', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.graphqlApi!.cache!.type = 'LARGE'))), 'appsync-cache', 'cache.type');
      expect(c).toMatchObject({ flags: [], direction: 'grow' });
    });

    test('GIVEN a smaller stage cache WHEN diffed THEN API Gateway re-creates it and cached responses are lost', () => {
      const base = edited((m) => (m.restApi!.cache!.sizeGb = 1.6));
      const c = only(diffModels(base, serviceModel()), 'stage-cache', 'cache.sizeGb');
      expect(c).toMatchObject({ flags: ['replace'], dataLoss: true, direction: 'shrink' });
    });

    test('GIVEN stage cache encryption turned off WHEN diffed THEN it is a security change', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.restApi!.cache!.encrypted = false))), 'stage-cache', 'cache.encrypted');
      expect(c.flags).toEqual(['security']);
    });

    test('GIVEN the stage cache removed WHEN diffed THEN it is destroyed', () => {
      const head = edited((m) => {
        delete m.restApi!.cache;
        for (const e of m.restApi!.endpoints) delete e.cache;
      });
      const c = only(diffModels(serviceModel(), head), 'stage-cache');
      expect(c).toMatchObject({ action: 'remove', flags: ['destroy'], dataLoss: true });
    });
  });

  describe('isolation and protection (security)', () => {
    test('GIVEN a per-caller endpoint cache that drops the Authorization key WHEN diffed THEN it becomes shared and is flagged', () => {
      const head = edited((m) => {
        const c = m.restApi!.endpoints[2].cache!;
        c.keys = ['path.userId'];
        c.shared = true;
      });
      const changes = diffModels(serviceModel(), head);
      const scope = only(changes, 'endpoint', 'cache.scope');
      expect(scope).toMatchObject({ name: 'GET /users/{userId}', before: 'per-caller', after: 'shared', flags: ['security'] });
      expect(scope.message).toMatch(/no longer includes header.Authorization/);
      expect(only(changes, 'endpoint', 'cache.keys').message).toBe('cache keys removed header.Authorization (now path.userId)');
    });

    test('GIVEN a lambda-authorized endpoint WHEN its identity header key is dropped THEN it is flagged', () => {
      const head = edited((m) => {
        m.restApi!.endpoints[3].cache!.keys = ['header.Authorization'];
      });
      const c = only(diffModels(serviceModel(), head), 'endpoint', 'cache.scope');
      expect(c.flags).toEqual(['security']);
      expect(c.message).toContain('header.X-Session');
    });

    test('GIVEN a shared cache becoming per caller WHEN diffed THEN it is not flagged', () => {
      const head = edited((m) => (m.restApi!.endpoints[4].cache!.keys = ['query.lang', 'header.Authorization']));
      expect(only(diffModels(serviceModel(), head), 'endpoint', 'cache.scope').flags).toEqual([]);
    });

    test('GIVEN requireAuthorization turned off WHEN diffed THEN anyone may flush and it is flagged', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.restApi!.endpoints[0].cache!.requireAuthorization = false))), 'endpoint', 'cache.requireAuthorization');
      expect(c.flags).toEqual(['security']);
      expect(c.message).toMatch(/any caller may now flush/);
    });

    test('GIVEN an endpoint whose auth becomes none WHEN diffed THEN it is flagged', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.restApi!.endpoints[0].auth = 'none'))), 'endpoint', 'auth');
      expect(c.flags).toEqual(['security']);
      expect(c.message).toMatch(/read its cached responses/);
    });

    test('GIVEN a new authenticated endpoint with a shared cache WHEN diffed THEN it is flagged', () => {
      const head = edited((m) =>
        m.restApi!.endpoints.push({
          path: '/teams',
          method: 'GET',
          handler: 'users',
          auth: 'cognito',
          cache: { ttlSeconds: 60, keys: [], requireAuthorization: true, unauthorized: 'fail', shared: true },
        }),
      );
      const c = only(diffModels(serviceModel(), head), 'endpoint');
      expect(c).toMatchObject({ action: 'add', flags: ['security'] });
    });

    test('GIVEN a resolver cache that drops its identity key WHEN diffed THEN it is flagged', () => {
      const head = edited((m) => {
        m.graphqlApi!.resolvers[1].cache = { ttlSeconds: 600, keys: ['$context.arguments.userId'], shared: true };
      });
      const c = only(diffModels(serviceModel(), head), 'resolver', 'cache.scope');
      expect(c).toMatchObject({ name: 'Query.user', flags: ['security'] });
    });

    test('GIVEN the GraphQL API switched to API keys WHEN diffed THEN identity keys stop isolating callers and it is flagged', () => {
      const changes = diffModels(serviceModel(), edited((m) => (m.graphqlApi!.auth = 'api-key')));
      expect(only(changes, 'graphql-api', 'auth').flags).toEqual(['security']);
      expect(changes.filter((c) => c.subject === 'resolver' && c.field === 'cache.scope').map((c) => c.name)).toEqual(['Query.myProfile', 'Query.user']);
    });
  });

  describe('plain changes', () => {
    test('GIVEN a longer endpoint TTL WHEN diffed THEN the message states both values and no flag is raised', () => {
      const c = only(diffModels(serviceModel(), edited((m) => (m.restApi!.endpoints[0].cache!.ttlSeconds = 900))), 'endpoint', 'cache.ttlSeconds');
      expect(c).toMatchObject({ name: 'GET /profile', before: 300, after: 900, flags: [] });
      expect(c.message).toBe('ttl 300s (5m) → 900s (15m): responses stay cached longer (staler reads, fewer handler calls)');
    });

    test('GIVEN caching turned off for an endpoint WHEN diffed THEN it says every request calls the handler', () => {
      const c = only(diffModels(serviceModel(), edited((m) => delete m.restApi!.endpoints[0].cache)), 'endpoint', 'cache');
      expect(c.message).toMatch(/caching turned off .* every request calls profile/);
    });

    test('GIVEN handler sizing and pool changes WHEN diffed THEN each is reported with its direction', () => {
      const head = edited((m) => {
        const h = m.handlers[1];
        h.memoryMb = 1024;
        h.provisionedConcurrency = 1;
        h.connections.redis!.poolSize = 4;
      });
      const changes = diffModels(serviceModel(), head);
      expect(changes.map((c) => [c.field, c.direction])).toEqual([
        ['memoryMb', 'grow'],
        ['provisionedConcurrency', 'shrink'],
        ['connections.redis', null],
      ]);
    });

    test('GIVEN no base WHEN diffed THEN everything is added and unencrypted additions are flagged', () => {
      const head = edited((m) => (m.dax[0].encryption = false));
      const changes = diffModels(undefined, head);
      expect(changes.every((c) => c.action === 'add' || c.field !== null)).toBe(true);
      expect(changes.find((c) => c.subject === 'dax')!.flags).toEqual(['security']);
      expect(changes.some((c) => c.action === 'remove')).toBe(false);
    });

    test('GIVEN no head WHEN diffed THEN every cache is destroyed', () => {
      const changes = diffModels(serviceModel(), undefined);
      expect(changes.filter((c) => c.flags.includes('destroy')).map((c) => `${c.subject} ${c.name}`)).toEqual([
        'rest-api users',
        'graphql-api users',
        'redis sessions',
        'dax hot',
      ]);
    });
  });
});
