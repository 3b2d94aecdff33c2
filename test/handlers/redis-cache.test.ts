import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Redis from 'ioredis';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from '../../handlers/runtime/contract';
import { CacheKeyError, RedisCache, type RedisSettings } from '../../handlers/runtime/redis-cache';
import { forgetSecrets } from '../../handlers/runtime/secrets';
import { freePort, rawCommand, RedisServer } from './redis-server';

const KEYS = [
  { name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 },
  { name: 'session', pattern: 'session:{token}', ttlSeconds: 86400 },
];
const settingsFor = (port: number, over: Partial<RedisSettings> = {}): RedisSettings => ({
  cache: 'sessions', host: '127.0.0.1', port, tls: false, clusterMode: false, poolSize: 2,
  commandTimeoutMs: 300, connectTimeoutMs: 1000, keys: KEYS, ...over,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loader that counts its runs and takes `ms` to answer. */
function countingLoader<T>(value: T, ms = 0) {
  const loader = async () => {
    loader.calls++;
    if (ms) await sleep(ms);
    return value;
  };
  loader.calls = 0;
  return loader;
}

/**
 * A loader that blocks until released: the test forces a write (and its
 * invalidation) between the load's read of the database and its store.
 */
function gatedLoader<T>() {
  let release!: (value: T) => void;
  let started!: () => void;
  const gate = new Promise<T>((r) => (release = r));
  const startedP = new Promise<void>((r) => (started = r));
  const loader = async () => {
    loader.calls++;
    started();
    return gate;
  };
  loader.calls = 0;
  return Object.assign(loader, { started: startedP, release: (value: T) => release(value) });
}

/** Poll (bounded) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The kit's EMF lines (test/handlers/emf.test.ts checks them) stay out of the test run's output. */
const metrics = { write: (_line: string) => undefined };

describe('redis cache-aside against a real redis-server', () => {
  let server: RedisServer;
  let inspect: Redis;
  const caches: RedisCache[] = [];
  const logs: string[] = [];
  const make = (over: Partial<RedisSettings> = {}, options = {}) => {
    const c = new RedisCache(settingsFor(server.port, over), { log: (l) => logs.push(l), metrics, ...options });
    caches.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await RedisServer.start();
    inspect = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    inspect.on('error', () => undefined);
    await inspect.connect();
  });
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()));
    inspect.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    logs.length = 0;
    await inspect.flushall();
  });

  it('GIVEN a cold key WHEN read twice THEN the first is a miss that runs the loader and the second is a hit from redis', async () => {
    const cache = make();
    const key = cache.keys.userProfile('42');
    const loader = countingLoader({ id: '42', name: 'Ada' });
    await expect(cache.getOrLoad(key, loader)).resolves.toEqual({ id: '42', name: 'Ada' });
    await expect(cache.getOrLoad(key, loader)).resolves.toEqual({ id: '42', name: 'Ada' });
    expect(loader.calls).toBe(1);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, loads: 1, degraded: 0 });
    expect(JSON.parse((await inspect.get('user:profile:42'))!)).toEqual({ id: '42', name: 'Ada' });
  });

  it('GIVEN key patterns with TTLs WHEN a value is loaded THEN redis holds it under the pattern key with that TTL', async () => {
    const cache = make();
    await cache.getOrLoad(cache.keys.userProfile({ userId: 'u-1' }), async () => 'p');
    await cache.getOrLoad(cache.key('session')('tok'), async () => 's');
    const profileTtl = await inspect.ttl('user:profile:u-1');
    const sessionTtl = await inspect.ttl('session:tok');
    expect(profileTtl).toBeGreaterThan(290);
    expect(profileTtl).toBeLessThanOrEqual(300);
    expect(sessionTtl).toBeGreaterThan(86390);
    expect(sessionTtl).toBeLessThanOrEqual(86400);
    // the keys hold the values (the leases used to load them are gone) and nothing else was written
    expect(await inspect.get('user:profile:u-1')).toBe('"p"');
    expect(await inspect.get('session:tok')).toBe('"s"');
    expect((await inspect.keys('*')).sort()).toEqual(['session:tok', 'user:profile:u-1']);
  });

  it('GIVEN 100 concurrent callers on a cold key WHEN they getOrLoad THEN the loader runs once and all get its value', async () => {
    const cache = make();
    const loader = countingLoader({ v: 1 }, 100);
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad(cache.keys.userProfile('hot'), loader)));
    expect(loader.calls).toBe(1);
    expect(results.every((r) => r.v === 1)).toBe(true);
  });

  it('GIVEN three processes sharing only redis WHEN each has 40 concurrent callers on a cold key THEN one loader runs in all and the others read its value', async () => {
    // separate RedisCache instances share no memory: only the redis lock coordinates them
    const processes = [make(), make(), make()];
    let calls = 0;
    const loader = async () => {
      calls++;
      await sleep(150);
      return 'from-db';
    };
    const results = await Promise.all(processes.flatMap((p) => Array.from({ length: 40 }, () => p.getOrLoad(p.keys.userProfile('shared'), loader))));
    expect(calls).toBe(1);
    expect(new Set(results)).toEqual(new Set(['from-db']));
    expect(processes.reduce((n, p) => n + p.stats.waits, 0)).toBe(2);
  });

  it('GIVEN a cached value WHEN invalidated THEN the next read loads again', async () => {
    const cache = make();
    const key = cache.keys.userProfile('7');
    await cache.getOrLoad(key, async () => 'old');
    await expect(cache.invalidate(key)).resolves.toBe(true);
    expect(await inspect.exists('user:profile:7')).toBe(0);
    await expect(cache.getOrLoad(key, async () => 'new')).resolves.toBe('new');
    await expect(cache.getOrLoad(key, async () => 'newer')).resolves.toBe('new');
  });

  describe('GIVEN a load in flight that read the database before a write', () => {
    it('WHEN the same process invalidates the key before the load stores THEN the old value is not stored, and a read after the invalidation loads the new one', async () => {
      const cache = make();
      const key = cache.keys.userProfile('race-1');
      const slow = gatedLoader<string>();
      const inFlight = cache.getOrLoad(key, slow);
      await slow.started; // the load has read the old row
      await expect(cache.invalidate(key)).resolves.toBe(true); // the write's invalidation
      // a read after the invalidation does not join the old load or wait for it
      await expect(cache.getOrLoad(key, async () => 'new')).resolves.toBe('new');
      slow.release('old');
      await expect(inFlight).resolves.toBe('old'); // the caller that started it gets what it loaded
      expect(await inspect.get('user:profile:race-1')).toBe('"new"');
      await expect(cache.getOrLoad(key, async () => 'newer')).resolves.toBe('new');
    });

    it('WHEN the invalidation comes before anyone reads again THEN the old value is not stored and the next read loads', async () => {
      const cache = make();
      const key = cache.keys.userProfile('race-2');
      const slow = gatedLoader<string>();
      const inFlight = cache.getOrLoad(key, slow);
      await slow.started;
      await expect(cache.invalidate(key)).resolves.toBe(true);
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      expect(await inspect.exists('user:profile:race-2')).toBe(0);
      await expect(cache.getOrLoad(key, async () => 'new')).resolves.toBe('new');
    });

    it('WHEN another client invalidates the key THEN neither client serves the old value afterwards', async () => {
      const loading = make();
      const writer = make();
      const key = loading.keys.userProfile('race-3');
      const slow = gatedLoader<{ name: string }>();
      const inFlight = loading.getOrLoad(key, slow);
      await slow.started;
      await expect(writer.invalidate(writer.keys.userProfile('race-3'))).resolves.toBe(true);
      slow.release({ name: 'old' });
      await expect(inFlight).resolves.toEqual({ name: 'old' });
      expect(await inspect.exists('user:profile:race-3')).toBe(0);
      await expect(writer.getOrLoad(key, async () => ({ name: 'new' }))).resolves.toEqual({ name: 'new' });
      await expect(loading.getOrLoad(key, async () => ({ name: 'other' }))).resolves.toEqual({ name: 'new' });
    });

    it('WHEN another client is waiting on the load and the key is invalidated THEN the waiter loads the new value itself', async () => {
      const loading = make();
      const waiting = make({}, { lockWaitMs: 60_000 }); // it must still be waiting when the invalidation comes, however slow the machine
      const writer = make();
      const key = loading.keys.userProfile('race-4');
      const slow = gatedLoader<string>();
      const inFlight = loading.getOrLoad(key, slow);
      await slow.started;
      const fresh = countingLoader('new');
      const waiter = waiting.getOrLoad(key, fresh);
      await until(async () => waiting.stats.waits === 1, 'the second client to wait on the lease');
      await expect(writer.invalidate(key)).resolves.toBe(true);
      await expect(waiter).resolves.toBe('new');
      expect(fresh.calls).toBe(1);
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      expect(await inspect.get('user:profile:race-4')).toBe('"new"');
    });

    it('WHEN the writer sets the new value instead of invalidating THEN the load does not overwrite it', async () => {
      const cache = make();
      const key = cache.keys.userProfile('race-5');
      const slow = gatedLoader<string>();
      const inFlight = cache.getOrLoad(key, slow);
      await slow.started;
      await expect(cache.set(key, 'new')).resolves.toBe(true);
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      expect(await inspect.get('user:profile:race-5')).toBe('"new"');
      await expect(cache.getOrLoad(key, async () => 'other')).resolves.toBe('new');
    });

    it('WHEN the load outlives its lease THEN its value is served but not stored', async () => {
      const cache = make({}, { lockTtlMs: 100 });
      const key = cache.keys.userProfile('race-6');
      const slow = gatedLoader<string>();
      const inFlight = cache.getOrLoad(key, slow);
      await slow.started;
      await until(async () => (await inspect.exists('user:profile:race-6')) === 0, 'the lease to expire');
      slow.release('late');
      await expect(inFlight).resolves.toBe('late');
      expect(await inspect.exists('user:profile:race-6')).toBe(0);
    });
  });

  it('GIVEN an entry that is not JSON WHEN read THEN one warning names the key, and the loader value replaces it', async () => {
    const cache = make();
    const key = cache.keys.userProfile('garbled');
    await inspect.set('user:profile:garbled', 'not json');
    const loader = countingLoader({ ok: true });
    await expect(cache.getOrLoad(key, loader)).resolves.toEqual({ ok: true });
    await expect(cache.getOrLoad(key, loader)).resolves.toEqual({ ok: true });
    expect(loader.calls).toBe(1);
    expect(JSON.parse((await inspect.get('user:profile:garbled'))!)).toEqual({ ok: true });
    expect(logs.map((l) => JSON.parse(l))).toEqual([{ level: 'warn', msg: 'redis cache: entry is not JSON, reloading it', cache: 'sessions', key: 'user:profile:garbled' }]);
  });

  it('GIVEN a loader that throws WHEN concurrent callers wait on it THEN all get the error, nothing is stored and the lease is released', async () => {
    const cache = make();
    const key = cache.keys.userProfile('err');
    let calls = 0;
    const failing = async () => {
      calls++;
      await sleep(50);
      throw new Error('database down');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => cache.getOrLoad(key, failing)));
    expect(calls).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).message === 'database down')).toBe(true);
    expect(await inspect.exists('user:profile:err')).toBe(0); // the lease is released too
    await expect(cache.getOrLoad(key, async () => 'recovered')).resolves.toBe('recovered');
  });

  it('GIVEN undefined and null from loaders WHEN loaded THEN null is cached and undefined is not', async () => {
    const cache = make();
    const nul = countingLoader(null);
    const undef = countingLoader(undefined);
    await cache.getOrLoad(cache.keys.userProfile('nobody'), nul);
    await cache.getOrLoad(cache.keys.userProfile('nobody'), nul);
    await cache.getOrLoad(cache.keys.userProfile('ghost'), undef);
    await cache.getOrLoad(cache.keys.userProfile('ghost'), undef);
    expect(nul.calls).toBe(1);
    expect(undef.calls).toBe(2);
  });

  it('GIVEN pool size 3 WHEN 100 different keys load at once THEN at most 3 connections are opened', async () => {
    const cache = make({ poolSize: 3, cache: 'pooled' });
    await Promise.all(Array.from({ length: 100 }, (_, i) => cache.getOrLoad(cache.keys.userProfile(`p${i}`), async () => i)));
    const clients = (await inspect.client('LIST')) as string;
    const ours = clients.split('\n').filter((l) => l.includes('name=cachestack:pooled'));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    expect(ours.length).toBeLessThanOrEqual(3);
  });

  it('GIVEN redis slower than the command timeout WHEN a request reads THEN the loader answers it and the cache serves again once redis is fast', async () => {
    const cache = make({ commandTimeoutMs: 200 });
    const key = cache.keys.userProfile('slow');
    await cache.getOrLoad(key, async () => 'cached');
    await inspect.client('PAUSE', 1500, 'ALL');
    const loader = countingLoader('fresh');
    await expect(cache.getOrLoad(key, loader)).resolves.toBe('fresh');
    expect(loader.calls).toBe(1);
    expect(cache.stats.degraded).toBe(1);
    expect(logs.some((l) => JSON.parse(l).msg.startsWith('redis cache unavailable'))).toBe(true);
    await inspect.client('UNPAUSE');
    // after the pause the same client answers from redis again
    let served: string | undefined;
    for (let i = 0; i < 50 && served !== 'cached'; i++) {
      served = await cache.getOrLoad(key, async () => 'loader');
      if (served !== 'cached') await sleep(100);
    }
    expect(served).toBe('cached');
  });

  it('GIVEN an unknown key name WHEN asked for its builder THEN the error lists the patterns and suggests the closest', () => {
    const cache = make();
    expect(() => cache.key('userProfil')).toThrow(CacheKeyError);
    expect(() => cache.key('userProfil')).toThrow(/no key pattern named `userProfil`; the patterns are `userProfile`, `session` \(did you mean `userProfile`\?\)/);
  });

  describe('GIVEN the server is killed mid-run', () => {
    it('WHEN requests keep coming THEN every one is answered from the loader, and after a restart on the same port the cache serves again', async () => {
      const cache = make({ commandTimeoutMs: 200, connectTimeoutMs: 500 });
      const key = cache.keys.userProfile('crash');
      const value = { id: 'crash', plan: 'pro' };
      await cache.getOrLoad(key, async () => value);

      const answered: unknown[] = [];
      const loaderCalls = { n: 0 };
      const loader = async () => {
        loaderCalls.n++;
        return value;
      };
      for (let i = 0; i < 60; i++) {
        if (i === 20) await server.kill();
        answered.push(await cache.getOrLoad(key, loader));
        await sleep(5);
      }
      expect(answered).toHaveLength(60);
      expect(answered.every((a) => JSON.stringify(a) === JSON.stringify(value))).toBe(true);
      expect(loaderCalls.n).toBeGreaterThanOrEqual(40); // at least every request after the kill
      expect(cache.stats.degraded).toBeGreaterThanOrEqual(40);
      // concurrent requests during the outage still share one load per key
      const before = loaderCalls.n;
      await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad(key, loader)));
      expect(loaderCalls.n).toBe(before + 1);

      await server.restart();
      expect(await rawCommand(server.port, 'PING')).toBe('+PONG');
      // the client reconnects by itself: poll (bounded) until a read is served from redis again
      let fromCache = false;
      for (let i = 0; i < 100 && !fromCache; i++) {
        const calls = loaderCalls.n;
        await cache.getOrLoad(key, loader);
        fromCache = loaderCalls.n === calls;
        if (!fromCache) await sleep(100);
      }
      expect(fromCache).toBe(true);
      expect(await rawCommand(server.port, 'EXISTS user:profile:crash')).toBe(':1');
      expect(logs.some((l) => JSON.parse(l).msg === 'redis cache available again')).toBe(true);
      await inspect.connect().catch(() => undefined);
    });
  });
});

describe('redis auth token from Secrets Manager', () => {
  let server: RedisServer;
  let sm: Server;
  let smUrl = '';
  const smRequests: Array<{ target: string; body: string }> = [];
  const TOKEN = 'a-long-auth-token-0123456789';
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth-AbCdEf';

  beforeAll(async () => {
    server = await RedisServer.start({ args: ['--requirepass', TOKEN] });
    sm = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        smRequests.push({ target: String(req.headers['x-amz-target']), body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'redis-auth', VersionId: 'v1', SecretString: JSON.stringify({ authToken: TOKEN }) }));
      });
    });
    await new Promise<void>((r) => sm.listen(0, '127.0.0.1', r));
    smUrl = `http://127.0.0.1:${(sm.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.stop();
    await new Promise((r) => sm.close(r));
  });

  it('GIVEN a cache with an auth secret WHEN used by many requests THEN the token is read once and redis accepts it', async () => {
    forgetSecrets();
    const secretsManager = new SecretsManagerClient({ region: 'us-east-1', endpoint: smUrl, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
    const cache = new RedisCache(settingsFor(server.port, { authSecretArn: SECRET_ARN, commandTimeoutMs: 2000 }), { secretsManager, log: () => undefined, metrics });
    try {
      await expect(cache.connect()).resolves.toBe(true);
      for (let i = 0; i < 5; i++) await cache.getOrLoad(cache.keys.session(`t${i}`), async () => i);
      await expect(cache.getOrLoad(cache.keys.session('t3'), async () => -1)).resolves.toBe(3);
      expect(cache.stats.degraded).toBe(0);
      expect(smRequests).toHaveLength(1);
      expect(smRequests[0].target).toBe('secretsmanager.GetSecretValue');
      expect(JSON.parse(smRequests[0].body)).toEqual({ SecretId: SECRET_ARN });
    } finally {
      await cache.close();
      secretsManager.destroy();
    }
  });
});

describe('redisCache() from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const load = (): typeof import('../../handlers/runtime/redis-cache') => {
    let mod!: typeof import('../../handlers/runtime/redis-cache');
    jest.isolateModules(() => {
      mod = require('../../handlers/runtime/redis-cache');
    });
    return mod;
  };

  it('GIVEN the variables synthesis writes WHEN the configured cache is asked for THEN it gets their settings and key builders, once per container', () => {
    Object.assign(process.env, {
      [ENV.handler]: 'profile', [ENV.redisCache]: 'sessions', [ENV.redisHost]: 'primary.example', [ENV.redisPort]: '6380',
      [ENV.redisTls]: 'true', [ENV.redisPoolSize]: '4', [ENV.redisCommandTimeoutMs]: '250',
      [ENV.redisKeys]: JSON.stringify(KEYS),
    });
    const mod = load();
    const cache = mod.redisCache('sessions');
    expect(mod.redisCache()).toBe(cache);
    expect(cache.settings).toMatchObject({ host: 'primary.example', port: 6380, tls: true, poolSize: 4, commandTimeoutMs: 250 });
    expect(cache.keys.userProfile('9')).toEqual({ key: 'user:profile:9', ttlSeconds: 300, name: 'userProfile' });
  });

  it('GIVEN a handler connected to another cache WHEN a cache is asked for by name THEN the error names both', () => {
    Object.assign(process.env, { [ENV.handler]: 'profile', [ENV.redisCache]: 'sessions', [ENV.redisHost]: 'h' });
    expect(() => load().redisCache('ratelimits')).toThrow(/connected to redis cache `sessions`, not `ratelimits`/);
  });

  it('GIVEN a handler without a redis connection WHEN a cache is asked for THEN the error says what to add to the YAML', () => {
    delete process.env[ENV.redisHost];
    Object.assign(process.env, { [ENV.handler]: 'users' });
    expect(() => load().redisCache('sessions')).toThrow(/handler `users` has no redis connection .*connections: \{ redis: \{ cache: sessions \} \}/);
  });
});

describe('redis cache-aside in cluster mode (a one-node redis cluster)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/cachestack-cluster-`);
    server = await RedisServer.start({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', `${dir}/nodes.conf`, '--cluster-announce-ip', '127.0.0.1'] });
    const admin = new Redis({ host: '127.0.0.1', port: server.port });
    try {
      await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
      let info = '';
      for (let i = 0; i < 100 && !info.includes('cluster_state:ok'); i++) {
        info = String(await admin.call('CLUSTER', 'INFO'));
        if (!info.includes('cluster_state:ok')) await sleep(50);
      }
      expect(info).toContain('cluster_state:ok');
    } finally {
      admin.disconnect();
    }
  });
  afterAll(() => server.stop());

  it('GIVEN cluster mode WHEN 20 callers load a cold key, read it again and invalidate it THEN the cluster client does all of it with one loader run', async () => {
    const cache = new RedisCache(settingsFor(server.port, { clusterMode: true, commandTimeoutMs: 1000 }), { log: () => undefined, metrics });
    try {
      const key = cache.keys.userProfile('c1');
      const loader = countingLoader({ id: 'c1' }, 50);
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad(key, loader)));
      expect(results.every((r) => r.id === 'c1')).toBe(true);
      expect(loader.calls).toBe(1);
      await expect(cache.getOrLoad(key, loader)).resolves.toEqual({ id: 'c1' });
      expect(loader.calls).toBe(1);
      expect(cache.stats.degraded).toBe(0);
      await expect(cache.invalidate(key)).resolves.toBe(true);
      await expect(cache.get(key)).resolves.toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('GIVEN cluster mode and a load in flight WHEN another client invalidates the key before it stores THEN the old value is not stored', async () => {
    const settings = settingsFor(server.port, { clusterMode: true, commandTimeoutMs: 1000 });
    const loading = new RedisCache(settings, { log: () => undefined, metrics });
    const writer = new RedisCache(settings, { log: () => undefined, metrics });
    try {
      const key = loading.keys.userProfile('c-race');
      const slow = gatedLoader<string>();
      const inFlight = loading.getOrLoad(key, slow);
      await slow.started;
      await expect(writer.invalidate(key)).resolves.toBe(true);
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      await expect(writer.get(key)).resolves.toBeUndefined();
      await expect(writer.getOrLoad(key, async () => 'new')).resolves.toBe('new');
      await expect(loading.getOrLoad(key, async () => 'other')).resolves.toBe('new');
      expect(loading.stats.degraded + writer.stats.degraded).toBe(0);
    } finally {
      await Promise.all([loading.close(), writer.close()]);
    }
  });
});

describe('a redis that answers but refuses writes', () => {
  const lines = (logs: string[]) => logs.map((l) => JSON.parse(l) as { level: string; msg: string; error?: string });

  it('GIVEN a full redis (maxmemory, noeviction) WHEN many requests miss THEN each is served from the loader, nothing is stored, one warning is logged, and one line when it has room again', async () => {
    const server = await RedisServer.start({ args: ['--maxmemory', '2mb', '--maxmemory-policy', 'noeviction'] });
    const admin = new Redis({ host: '127.0.0.1', port: server.port });
    const logs: string[] = [];
    const cache = new RedisCache(settingsFor(server.port), { log: (l) => logs.push(l), metrics });
    try {
      await admin.set('user:profile:kept', JSON.stringify({ id: 'kept' }));
      // fill it: SET until redis answers OOM
      const filler = 'x'.repeat(20_000);
      let full = false;
      for (let i = 0; i < 1000 && !full; i++) {
        full = await admin.set(`filler:${i}`, filler).then(() => false, (err: Error) => /^OOM/.test(err.message));
      }
      expect(full).toBe(true);

      const loader = countingLoader({ id: 'from-db' });
      for (let i = 0; i < 20; i++) {
        await expect(cache.getOrLoad(cache.keys.userProfile(`cold-${i}`), loader)).resolves.toEqual({ id: 'from-db' });
        // entries already there are still served
        await expect(cache.getOrLoad(cache.keys.userProfile('kept'), loader)).resolves.toEqual({ id: 'kept' });
      }
      expect(loader.calls).toBe(20);
      expect(cache.stats).toMatchObject({ hits: 20, misses: 20, loads: 20, degraded: 20 });
      expect(await admin.exists(...Array.from({ length: 20 }, (_, i) => `user:profile:cold-${i}`))).toBe(0);
      // in one process, concurrent misses of a key still share one load
      const shared = countingLoader('shared', 50);
      await Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad(cache.keys.userProfile('hot'), shared)));
      expect(shared.calls).toBe(1);
      await expect(cache.set(cache.keys.userProfile('w'), 'v')).resolves.toBe(false);
      await expect(cache.invalidate(cache.keys.userProfile('kept'))).resolves.toBe(true); // DEL works on a full redis
      expect(lines(logs)).toEqual([{ level: 'warn', msg: expect.stringMatching(/^redis cache refuses writes/), cache: 'sessions', error: expect.stringMatching(/^OOM /) }]);

      await admin.config('SET', 'maxmemory', '0');
      for (let i = 0; i < 5; i++) await cache.getOrLoad(cache.keys.userProfile(`later-${i}`), loader);
      expect(await admin.get('user:profile:later-0')).toBe('{"id":"from-db"}');
      expect(lines(logs).map((l) => l.msg)).toEqual([expect.stringMatching(/^redis cache refuses writes/), 'redis cache accepts writes again']);
    } finally {
      await cache.close();
      admin.disconnect();
      await server.stop();
    }
  });

  it('GIVEN a read-only replica WHEN requests miss THEN each is served from the loader and one warning is logged', async () => {
    const masterPort = await freePort(); // nothing listens there: the replica keeps serving its (empty) data
    const server = await RedisServer.start({ args: ['--replicaof', '127.0.0.1', String(masterPort)] });
    const logs: string[] = [];
    const cache = new RedisCache(settingsFor(server.port), { log: (l) => logs.push(l), metrics });
    try {
      const loader = countingLoader('from-db');
      for (let i = 0; i < 10; i++) await expect(cache.getOrLoad(cache.keys.session(`t${i}`), loader)).resolves.toBe('from-db');
      expect(loader.calls).toBe(10);
      expect(cache.stats.degraded).toBe(10);
      expect(lines(logs)).toEqual([{ level: 'warn', msg: expect.stringMatching(/^redis cache refuses writes/), cache: 'sessions', error: expect.stringMatching(/^READONLY /) }]);
    } finally {
      await cache.close();
      await server.stop();
    }
  });
});
