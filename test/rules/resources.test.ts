import { brief, dax, handler, model, NETWORK, redis, run } from './helpers';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth';

describe('rule redis', () => {
  const cases = [
    { name: 'GIVEN multiAz with 0 replicas THEN it is reported', r: redis('s', { replicasPerShard: 0 }), expected: ['redis-multi-az-replicas@redis.s.replicasPerShard'] },
    { name: 'GIVEN single-AZ with 0 replicas THEN it passes', r: redis('s', { replicasPerShard: 0, multiAz: false }), expected: [] },
    { name: 'GIVEN an auth token without transit encryption THEN it is reported', r: redis('s', { authTokenSecret: SECRET, encryption: { atRest: true, transit: false } }), expected: ['redis-auth-needs-transit@redis.s.encryption.transit'] },
    { name: 'GIVEN an auth token with transit encryption THEN it passes', r: redis('s', { authTokenSecret: SECRET }), expected: [] },
    { name: 'GIVEN no auth token and no transit encryption THEN it passes', r: redis('s', { encryption: { atRest: true, transit: false } }), expected: [] },
    { name: 'GIVEN a valkey version with engine redis THEN the version is reported', r: redis('s', { engine: 'redis', version: '7.2' }), expected: ['redis-engine-version@redis.s.engine'] },
    { name: 'GIVEN a supported redis version THEN it passes', r: redis('s', { engine: 'redis', version: '6.2' }), expected: [] },
  ];
  it.each(cases)('$name', ({ r, expected }) => {
    expect(brief(run(model({ network: NETWORK, redis: [r] })))).toEqual(expected);
  });

  it('GIVEN multiAz written WHEN replicas are 0 THEN it points at multiAz and does not call it the default', () => {
    const raw = { redis: { s: { multiAz: true, replicasPerShard: 0 } } };
    const [r] = run(model({ network: NETWORK, redis: [redis('s', { replicasPerShard: 0 })] }), { raw });
    expect(brief([r])).toEqual(['redis-multi-az-replicas@redis.s.multiAz']);
    expect(r.message).toBe('redis cache `s` has `multiAz: true` but `replicasPerShard: 0`; multi-az failover needs at least 1 replica per shard');
  });

  it('GIVEN a version of the other engine WHEN written THEN it points at the version and the hint names the engine', () => {
    const raw = { redis: { s: { engine: 'redis', version: '7.2' } } };
    const [r] = run(model({ network: NETWORK, redis: [redis('s', { engine: 'redis', version: '7.2' })] }), { raw });
    expect(brief([r])).toEqual(['redis-engine-version@redis.s.version']);
    expect(r.message).toBe('redis cache `s`: version `7.2` is not available for engine `redis`; allowed: 6.2, 7.0, 7.1');
    expect(r.hint).toBe('`7.2` is a valkey version: set `engine: valkey`, or pick a redis version');
  });
});

describe('rule concurrency (concurrency-exceeds-reserved)', () => {
  const cases = [
    { name: 'GIVEN provisioned above reserved THEN it is reported', h: handler('api', { provisionedConcurrency: 10, reservedConcurrency: 5 }), expected: ['concurrency-exceeds-reserved@handlers.api.provisionedConcurrency'] },
    { name: 'GIVEN provisioned equal to reserved THEN it passes', h: handler('api', { provisionedConcurrency: 5, reservedConcurrency: 5 }), expected: [] },
    { name: 'GIVEN provisioned without reserved THEN it passes', h: handler('api', { provisionedConcurrency: 50 }), expected: [] },
  ];
  it.each(cases)('$name', ({ h, expected }) => {
    expect(brief(run(model({ handlers: [h] })))).toEqual(expected);
  });
});

describe('rule network (network-required)', () => {
  it('GIVEN a vpc handler, a redis cache and a dax cluster without network THEN each is reported', () => {
    const m = model({ handlers: [handler('api', { vpc: true })], redis: [redis('s')], dax: [dax('d')] });
    expect(brief(run(m))).toEqual(['network-required@handlers.api.vpc', 'network-required@redis.s', 'network-required@dax.d']);
  });
  it('GIVEN the same with network THEN nothing is reported', () => {
    const m = model({ network: NETWORK, handlers: [handler('api', { vpc: true })], redis: [redis('s')], dax: [dax('d')] });
    expect(run(m)).toEqual([]);
  });
});

describe('rule entries', () => {
  it('GIVEN a missing entry with a sibling of another extension THEN the hint names it', () => {
    const m = model({ handlers: [handler('api', { entry: 'handlers/ok.js' })] });
    const [r] = run(m);
    expect(brief([r])).toEqual(['entry-not-found@handlers.api.entry']);
    expect(r.message).toBe('handler `api`: entry file `handlers/ok.js` does not exist (looked at `handlers/ok.js`)');
    expect(r.hint).toBe('did you mean `handlers/ok.ts`?');
  });
  it('GIVEN a missing entry without siblings THEN the hint says paths are relative', () => {
    const [r] = run(model({ handlers: [handler('api', { entry: 'src/nope.ts' })] }));
    expect(r.hint).toBe('the path is relative to the config file');
  });
  const warmerCases = [
    { name: 'GIVEN an enabled warmer and no warm handler THEN a warning', warm: false, enabled: true, expected: ['warmer-without-targets@warmer'] },
    { name: 'GIVEN an enabled warmer and a warm handler THEN nothing', warm: true, enabled: true, expected: [] },
    { name: 'GIVEN a disabled warmer and no warm handler THEN nothing', warm: false, enabled: false, expected: [] },
  ];
  it.each(warmerCases)('$name', ({ warm, enabled, expected }) => {
    const m = model({ handlers: [handler('api', { warm })], warmer: { schedule: 'rate(5 minutes)', concurrency: 1, enabled, timeoutSeconds: 30 } });
    const reports = run(m);
    expect(brief(reports)).toEqual(expected);
    for (const r of reports) expect(r.severity).toBe('warning');
  });
});

describe('rule production', () => {
  const risky = () => ({ network: NETWORK, redis: [redis('s', { multiAz: false })], dax: [dax('d', { replicationFactor: 1 })] });
  it.each(['prod', 'production'])('GIVEN environment %s with single-AZ redis and a 1-node dax THEN two warnings', (environment) => {
    const reports = run(model({ environment, ...risky() }));
    expect(brief(reports)).toEqual(['prod-dax-replication@dax.d.replicationFactor', 'prod-redis-single-az@redis.s.multiAz']);
    expect(reports.map((r) => r.severity)).toEqual(['warning', 'warning']);
  });
  it.each([undefined, 'dev', 'staging', 'prod-eu'])('GIVEN environment %s THEN nothing is reported', (environment) => {
    expect(run(model({ environment, ...risky() }))).toEqual([]);
  });
});
