/**
 * `invalidatePattern` of the runtime kit against a real redis-server, standalone
 * and as a one-node cluster: SCAN with a bounded COUNT and UNLINK, never KEYS
 * (checked in INFO commandstats), exactly the matching keys deleted, parameters
 * encoded as the key builders encode them, and the same win over loads in flight
 * as `invalidate` (a load that read the database before the write stores nothing).
 */
import Redis from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CacheKeyError, RedisCache, type RedisSettings } from '../../handlers/runtime/redis-cache';
import { RedisServer } from './redis-server';

const KEYS = [
  { name: 'coursePage', pattern: 'courses:semester:{semesterId}:page:{page}', ttlSeconds: 300 },
  { name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 },
];
const settingsFor = (port: number, over: Partial<RedisSettings> = {}): RedisSettings => ({
  cache: 'courses', host: '127.0.0.1', port, tls: false, clusterMode: false, poolSize: 2,
  commandTimeoutMs: 2000, connectTimeoutMs: 2000, keys: KEYS, ...over,
});
const metrics = { write: (_line: string) => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gatedLoader<T>() {
  let release!: (value: T) => void;
  let started!: () => void;
  const gate = new Promise<T>((r) => (release = r));
  const startedP = new Promise<void>((r) => (started = r));
  const loader = async () => {
    started();
    return gate;
  };
  return Object.assign(loader, { started: startedP, release: (value: T) => release(value) });
}

/** `cmdstat_<name>` calls from INFO commandstats. */
async function calls(admin: Redis, name: string): Promise<number> {
  const info = await admin.info('commandstats');
  const m = new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(info);
  return m ? Number(m[1]) : 0;
}

async function fill(admin: Redis | import('ioredis').Cluster, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 200) {
    await Promise.all(keys.slice(i, i + 200).map((k) => admin.set(k, '"v"')));
  }
}

function suite(label: string, clusterMode: boolean) {
  describe(label, () => {
    let server: RedisServer;
    let admin: Redis;
    const caches: RedisCache[] = [];
    const make = () => {
      const c = new RedisCache(settingsFor(server.port, { clusterMode }), { log: () => undefined, metrics });
      caches.push(c);
      return c;
    };

    beforeAll(async () => {
      const args = clusterMode ? ['--cluster-enabled', 'yes', '--cluster-config-file', `${mkdtempSync(`${tmpdir()}/cachestack-pattern-`)}/nodes.conf`, '--cluster-announce-ip', '127.0.0.1'] : [];
      server = await RedisServer.start({ args });
      admin = new Redis({ host: '127.0.0.1', port: server.port });
      if (clusterMode) {
        await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
        let info = '';
        for (let i = 0; i < 100 && !info.includes('cluster_state:ok'); i++) {
          info = String(await admin.call('CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok')) await sleep(50);
        }
        expect(info).toContain('cluster_state:ok');
      }
    });
    afterAll(async () => {
      await Promise.all(caches.map((c) => c.close()));
      admin.disconnect();
      await server.stop();
    });
    beforeEach(async () => {
      await admin.flushall();
      await admin.call('CONFIG', 'RESETSTAT');
    });

    // On the one node of the test cluster, one connection can write every slot: the admin client writes directly.
    it('GIVEN 1200 matching keys among others WHEN a pattern with one parameter is invalidated THEN exactly those are unlinked, by SCAN and UNLINK, never KEYS', async () => {
      const s1 = Array.from({ length: 1200 }, (_, i) => `courses:semester:S1:page:${i}`);
      const others = ['courses:semester:S10:page:1', 'courses:semester:S2:page:1', 'user:profile:S1', 'courses:semester:S1'];
      await fill(admin, [...s1, ...others]);
      const cache = make();
      const result = await cache.invalidatePattern('courses:semester:{semesterId}:*', { semesterId: 'S1' }, { count: 100 });
      expect(result).toEqual({ ok: true, deleted: 1200 });
      expect(await admin.dbsize()).toBe(others.length);
      for (const k of others) expect(await admin.exists(k)).toBe(1);
      expect(await calls(admin, 'keys')).toBe(0);
      expect(await calls(admin, 'scan')).toBeGreaterThan(1); // bounded COUNT: more than one round trip for 1204 keys
      expect(await calls(admin, 'unlink')).toBeGreaterThan(0);
      expect(await calls(admin, 'del')).toBe(0);
    });

    it('GIVEN a key pattern name and some of its parameters WHEN invalidated THEN the others match anything, and values are encoded as the builders encode them', async () => {
      const cache = make();
      const page = cache.key('coursePage');
      await fill(admin, [page('S:1', 1).key, page('S:1', 2).key, page('S', 1).key, page('S:10', 1).key]);
      expect(page('S:1', 1).key).toBe('courses:semester:S%3A1:page:1');
      await expect(cache.invalidatePattern('coursePage', { semesterId: 'S:1' })).resolves.toEqual({ ok: true, deleted: 2 });
      expect(await admin.exists(page('S', 1).key)).toBe(1);
      expect(await admin.exists(page('S:10', 1).key)).toBe(1);
      expect(await admin.dbsize()).toBe(2);
    });

    it('GIVEN a load in flight that read the database before the write WHEN another client invalidates by pattern THEN the old value is not stored', async () => {
      const loading = make();
      const writer = make();
      const key = loading.key('coursePage')('S7', 1);
      const slow = gatedLoader<string>();
      const inFlight = loading.getOrLoad(key, slow);
      await slow.started; // the lease is in the key
      await expect(writer.invalidatePattern('coursePage', { semesterId: 'S7' })).resolves.toEqual({ ok: true, deleted: 1 });
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      expect(await admin.exists(key.key)).toBe(0);
      await expect(writer.getOrLoad(key, async () => 'new')).resolves.toBe('new');
      await expect(loading.getOrLoad(key, async () => 'other')).resolves.toBe('new');
    });

    it('GIVEN a load in flight in the same process WHEN invalidated by pattern THEN a later read does not join it and loads the new value', async () => {
      const cache = make();
      const key = cache.key('coursePage')('S8', 3);
      const slow = gatedLoader<string>();
      const inFlight = cache.getOrLoad(key, slow);
      await slow.started;
      await expect(cache.invalidatePattern('courses:semester:S8:*')).resolves.toEqual({ ok: true, deleted: 1 });
      await expect(cache.getOrLoad(key, async () => 'new')).resolves.toBe('new');
      slow.release('old');
      await expect(inFlight).resolves.toBe('old');
      expect(await admin.get(key.key)).toBe('"new"');
    });

    it('GIVEN a pattern that matches everything, or an unknown parameter THEN CacheKeyError, and nothing is deleted', async () => {
      await fill(admin, ['user:profile:1']);
      const cache = make();
      await expect(cache.invalidatePattern('*')).rejects.toThrow(CacheKeyError);
      await expect(cache.invalidatePattern('{userId}')).rejects.toThrow(/matches every key/);
      await expect(cache.invalidatePattern('userProfile', { id: '1' })).rejects.toThrow(/has no parameter `id`/);
      expect(await admin.dbsize()).toBe(1);
    });
  });
}

suite('invalidatePattern against a real redis-server', false);
suite('invalidatePattern in cluster mode (a one-node redis cluster: every master is scanned)', true);

describe('invalidatePattern when redis is down', () => {
  it('GIVEN the server stopped WHEN a pattern is invalidated THEN it resolves { ok: false } without throwing', async () => {
    const server = await RedisServer.start();
    const cache = new RedisCache(settingsFor(server.port, { commandTimeoutMs: 300, connectTimeoutMs: 300 }), { log: () => undefined, metrics });
    await cache.connect();
    await server.stop();
    await expect(cache.invalidatePattern('user:profile:*')).resolves.toEqual({ ok: false });
    await cache.close();
  });
});
