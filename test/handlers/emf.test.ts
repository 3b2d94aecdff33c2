/**
 * The runtime kit's EMF lines, from a RedisCache on a real redis-server: the
 * lines are parsed as CloudWatch would, and the figures checked against what
 * happened. No API call is made; lines go to the `write` given.
 */
import { emfLine, EMF_NAMESPACE } from '../../handlers/runtime/emf';
import { RedisCache, type RedisSettings } from '../../handlers/runtime/redis-cache';
import { freePort, RedisServer } from './redis-server';

const KEYS = [
  { name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 },
  { name: 'session', pattern: 'session:{token}', ttlSeconds: 86400 },
];
const settingsFor = (port: number, over: Partial<RedisSettings> = {}): RedisSettings => ({
  cache: 'sessions', host: '127.0.0.1', port, tls: false, clusterMode: false, poolSize: 1,
  commandTimeoutMs: 300, connectTimeoutMs: 500, keys: KEYS, ...over,
});

type Emf = Record<string, any>;

/** Parse one EMF line the way CloudWatch reads it: the metrics named in `_aws`, with the dimension set given. */
function parse(line: string): { dims: Record<string, string>; metrics: Record<string, number>; doc: Emf } {
  const doc = JSON.parse(line) as Emf;
  const directive = doc._aws.CloudWatchMetrics[0];
  expect(typeof doc._aws.Timestamp).toBe('number');
  expect(directive.Namespace).toBe(EMF_NAMESPACE);
  expect(directive.Dimensions).toHaveLength(1);
  const dims = Object.fromEntries((directive.Dimensions[0] as string[]).map((d) => [d, doc[d]]));
  for (const v of Object.values(dims)) expect(typeof v).toBe('string');
  const metrics = Object.fromEntries((directive.Metrics as { Name: string; Unit: string }[]).map((m) => [m.Name, doc[m.Name]]));
  for (const v of Object.values(metrics)) expect(typeof v).toBe('number');
  return { dims, metrics, doc };
}

describe('EMF metrics of the redis cache against a real redis-server', () => {
  let server: RedisServer;
  const caches: RedisCache[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()));
    await server.stop();
  });

  const make = (port: number, lines: string[], over: Partial<RedisSettings> = {}) => {
    const c = new RedisCache(settingsFor(port, over), { log: () => undefined, metrics: { intervalMs: 3600000, write: (l) => lines.push(l), functionName: 'svc-prod-api' } });
    caches.push(c);
    return c;
  };

  it('GIVEN misses, hits and a second pattern WHEN flushed THEN one line per pattern with the counts, and one pool line', async () => {
    const lines: string[] = [];
    const cache = make(server.port, lines);
    const a = cache.keys.userProfile('a-' + Date.now());
    await cache.getOrLoad(a, async () => 1); // miss + load
    await cache.getOrLoad(a, async () => 1); // hit
    await cache.getOrLoad(a, async () => 1); // hit
    await cache.getOrLoad(cache.keys.session('t-' + Date.now()), async () => 's'); // miss + load
    expect(lines).toEqual([]); // nothing before the interval or a flush
    cache.flushMetrics();
    const parsed = lines.map(parse);
    expect(parsed.map((p) => p.dims)).toEqual([
      { FunctionName: 'svc-prod-api', KeyPattern: 'session:{token}' },
      { FunctionName: 'svc-prod-api', KeyPattern: 'user:profile:{userId}' },
      { FunctionName: 'svc-prod-api' },
    ]);
    expect(parsed[1].metrics).toEqual({ CacheHits: 2, CacheMisses: 1, CacheLoads: 1, CacheFallbacks: 0 });
    expect(parsed[0].metrics).toEqual({ CacheHits: 0, CacheMisses: 1, CacheLoads: 1, CacheFallbacks: 0 });
    expect(parsed[2].metrics).toEqual({ PoolInUse: 1, PoolWaiters: 0, PoolSize: 1 });
    expect(parsed[2].doc.Cache).toBe('sessions');
    // counts start again from zero; an idle period writes nothing
    lines.length = 0;
    cache.flushMetrics();
    expect(lines).toEqual([]);
  });

  it('GIVEN a pool of one and concurrent commands WHEN flushed THEN PoolWaiters counts the commands that queued on the busy connection', async () => {
    const lines: string[] = [];
    const cache = make(server.port, lines);
    await cache.connect();
    const keys = Array.from({ length: 5 }, (_, i) => cache.keys.userProfile(`w-${i}-${Date.now()}`));
    await Promise.all(keys.map((k) => cache.getOrLoad(k, async () => 'v')));
    cache.flushMetrics();
    const pool = parse(lines[lines.length - 1]);
    expect(pool.dims).toEqual({ FunctionName: 'svc-prod-api' });
    expect(pool.metrics.PoolWaiters).toBeGreaterThanOrEqual(1);
    expect(pool.metrics.PoolInUse).toBe(1);
  });

  it('GIVEN redis down WHEN read THEN the loader answers and the line counts a fallback', async () => {
    const lines: string[] = [];
    const cache = make(await freePort(), lines);
    await expect(cache.getOrLoad(cache.keys.userProfile('x'), async () => 'from-db')).resolves.toBe('from-db');
    cache.flushMetrics();
    const line = parse(lines[0]);
    expect(line.dims.KeyPattern).toBe('user:profile:{userId}');
    expect(line.metrics).toEqual({ CacheHits: 0, CacheMisses: 0, CacheLoads: 1, CacheFallbacks: 1 });
  });

  it('GIVEN the interval has passed WHEN the next cache call comes THEN it writes the lines by itself', async () => {
    const lines: string[] = [];
    const cache = new RedisCache(settingsFor(server.port), { log: () => undefined, metrics: { intervalMs: 0, write: (l) => lines.push(l), functionName: 'f' } });
    caches.push(cache);
    await cache.getOrLoad(cache.keys.session('auto-' + Date.now()), async () => 1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => parse(l).dims.FunctionName)).toContain('f');
  });

  it('GIVEN metrics: false THEN nothing is written', async () => {
    const cache = new RedisCache(settingsFor(server.port), { log: () => undefined, metrics: false });
    caches.push(cache);
    const spy = jest.spyOn(process.stdout, 'write');
    try {
      await cache.getOrLoad(cache.keys.session('off-' + Date.now()), async () => 1);
      cache.flushMetrics();
      expect(spy.mock.calls.filter(([l]) => String(l).includes('"_aws"'))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('emfLine', () => {
  it('GIVEN the same figures THEN the same line, keys in a fixed order', () => {
    const line = emfLine([['FunctionName', 'f'], ['KeyPattern', 'p:{x}']], [{ name: 'CacheHits', unit: 'Count', value: 3 }], 1700000000000, { Cache: 'c' });
    expect(line).toBe('{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"cachestack","Dimensions":[["FunctionName","KeyPattern"]],"Metrics":[{"Name":"CacheHits","Unit":"Count"}]}]},"FunctionName":"f","KeyPattern":"p:{x}","CacheHits":3,"Cache":"c"}');
  });
});
