/**
 * Cache-aside over the Redis (or Valkey) cache a handler names in the YAML
 * (`connections.redis.cache`), with the key patterns and TTLs of that cache.
 *
 *   const cache = redisCache('sessions');                   // module scope: once per container
 *   const profileKey = cache.key('userProfile');            // fails at cold start if the YAML has no such pattern
 *   const profile = await cache.getOrLoad(profileKey(userId), () => loadProfile(userId));
 *   await cache.invalidate(profileKey(userId));             // after a write
 *
 * What it guarantees:
 * - one loader per key at a time: concurrent callers in this process share one
 *   load, and other processes wait on a short lease the loading process writes
 *   into the key itself, and read the value it stores, so a cold key does not
 *   stampede the database;
 * - invalidation wins over loads in flight: a load stores its value only if its
 *   lease is still in the key, and `invalidate` deletes the key, lease and all, so
 *   a load that read the database before a write never stores the old value
 *   after `invalidate` returned (in this process or any other, in cluster mode
 *   too: the lease and the value are one key);
 * - graceful degradation: when Redis is down, unreachable, or slower than the
 *   command timeout, `getOrLoad` returns the loader's value and the request
 *   succeeds; a warning is logged once per outage, and the client reconnects in
 *   the background (commands are never queued while disconnected, so a stale write
 *   cannot be replayed after an invalidation);
 * - a Redis that answers but refuses writes (full with `noeviction`, or a
 *   read-only replica) serves its entries; misses are served from the loader and
 *   not stored; one warning when that starts, one line when writes work again;
 * - the AUTH token is read from Secrets Manager once per container.
 *
 * Built on ioredis (see docs/handlers.md for why).
 */
import { randomBytes } from 'node:crypto';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HandlerSettings } from './contract';
import { emfLine, functionName, writeStdout } from './emf';
import { CacheKeyError, keyBuilders, matchPattern, unknownKeyMessage, type CacheKey, type KeyBuilder, type KeyParam } from './keys';
import { authTokenFromSecret, readSecret } from './secrets';
import { handlerSettings } from './settings';

export type { CacheKey, KeyBuilder, KeyParam } from './keys';
export { CacheKeyError } from './keys';

export type RedisSettings = NonNullable<HandlerSettings['redis']>;

export interface RedisCacheOptions {
  /**
   * How long the lease that lets one process load a key lives, in ms. It should
   * cover a normal loader run: a loader that takes longer still answers its
   * callers, but its value is not stored (the lease has expired, and another
   * process may have loaded a newer value meanwhile). If the loading process
   * dies, others take over after it.
   * @default 5000
   */
  lockTtlMs?: number;
  /**
   * How long a caller waits for another process's load before it runs the loader
   * itself (and serves its value without storing it), in ms.
   * @default 3000
   */
  lockWaitMs?: number;
  /** Client for the AUTH token secret. @default a client with the kit's SDK settings */
  secretsManager?: SecretsManagerClient;
  /** Where warnings go (one JSON line each). @default console.warn */
  log?: (line: string) => void;
  /**
   * The kit's own CloudWatch metrics as EMF log lines (docs/handlers.md,
   * "Metrics"): per key pattern CacheHits, CacheMisses, CacheLoads and
   * CacheFallbacks; for the pool PoolInUse, PoolWaiters and PoolSize. Figures
   * are summed (counts) or maxed (pool) over `intervalMs` and written on the
   * first cache call after it has passed, and by `flushMetrics()` and `close()`.
   * `false` turns them off.
   * @default { intervalMs: 60000, write: one unprefixed stdout line }
   */
  metrics?: false | { intervalMs?: number; write?: (line: string) => void; functionName?: string };
}

/** Per key pattern figures since the last flush. */
interface PatternTally {
  hits: number;
  misses: number;
  loads: number;
  fallbacks: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Loader runs (misses, waits that gave up, and degraded requests). */
  loads: number;
  /** Times a caller found another process loading the key and waited for it. */
  waits: number;
  /**
   * Requests answered from the loader because Redis failed, was too slow, or
   * refused the write a load needs (a full Redis, a read-only replica).
   */
  degraded: number;
}

type Client = Redis | Cluster;
interface Connection {
  client: Client;
  inFlight: number;
  /** Settles when the connection attempt in progress succeeds or fails. */
  readyWait?: Promise<void>;
}

/**
 * A lease is the marker a loading process writes into the key it loads, with a
 * TTL of `lockTtlMs`. It is not JSON (no JSON text starts with `!`), so it never
 * reads as a value, and the hit path pays nothing for it.
 */
const LEASE_PREFIX = '!cachestack:loading:';
/**
 * Take the lease on KEYS[1] when the key is empty, or holds ARGV[3] (an entry
 * that is not JSON, which the caller saw and may replace). Returns {1} when
 * taken, else {0, current content} (a value, or another process's lease).
 * ARGV: lease, lease TTL in ms, replaceable entry ('' for none).
 */
const ACQUIRE_SCRIPT = `local v = redis.call('get', KEYS[1])
if v == false or v == ARGV[3] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, v}`;
/**
 * Store the loaded value only if the key still holds our lease: an
 * `invalidate` (DEL), a `set`, or another process's newer load replaced it.
 * ARGV: lease, value, TTL in seconds. Returns 1 when stored.
 */
const STORE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;
/** Delete the key if it still holds our lease (a load that stores nothing). */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/**
 * Replies of a Redis that is reachable but refuses writes: full under
 * `noeviction` (OOM), or a read-only replica after a failover (READONLY).
 */
const WRITE_REFUSED = /^(OOM|READONLY)\b/;

class RedisUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailable';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reject with `RedisUnavailable` if `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailable(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class RedisCache {
  /** Key builders by pattern name (`keys.userProfile(userId)`). */
  readonly keys: Readonly<Record<string, KeyBuilder>>;
  readonly stats: CacheStats = { hits: 0, misses: 0, loads: 0, waits: 0, degraded: 0 };

  private readonly connections: Connection[] = [];
  private readonly flights = new Map<string, Promise<unknown>>();
  private password?: Promise<string | undefined>;
  private opening?: Promise<Connection>;
  private available = true;
  /** False while Redis answers but refuses writes (see WRITE_REFUSED). */
  private storing = true;
  private closed = false;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly log: (line: string) => void;
  private readonly metrics?: { intervalMs: number; write: (line: string) => void; functionName: string };
  private readonly tallies = new Map<string, PatternTally>();
  private lastFlush = Date.now();
  /** Commands queued on a busy connection because the pool is full, now and at most since the last flush. */
  private waiting = 0;
  private maxWaiting = 0;
  private maxInUse = 0;

  constructor(readonly settings: RedisSettings, private readonly options: RedisCacheOptions = {}) {
    this.keys = keyBuilders(settings.keys);
    this.lockTtlMs = options.lockTtlMs ?? 5000;
    this.lockWaitMs = options.lockWaitMs ?? 3000;
    this.log = options.log ?? ((line) => console.warn(line));
    if (options.metrics !== false) {
      const m = options.metrics ?? {};
      this.metrics = { intervalMs: m.intervalMs ?? 60000, write: m.write ?? writeStdout, functionName: m.functionName ?? functionName() };
    }
  }

  /**
   * Write the figures gathered since the last flush as EMF lines (one per key
   * pattern that saw traffic, one for the pool) and start again from zero.
   * Nothing is written when nothing happened.
   */
  flushMetrics(): void {
    const m = this.metrics;
    this.lastFlush = Date.now();
    if (!m) return;
    const busy = this.inUse();
    if (this.tallies.size === 0 && this.maxInUse === 0 && this.maxWaiting === 0) return;
    const fn: [string, string] = ['FunctionName', m.functionName];
    const extra = { Cache: this.name };
    for (const pattern of [...this.tallies.keys()].sort()) {
      const t = this.tallies.get(pattern)!;
      m.write(emfLine([fn, ['KeyPattern', pattern]], [
        { name: 'CacheHits', unit: 'Count', value: t.hits },
        { name: 'CacheMisses', unit: 'Count', value: t.misses },
        { name: 'CacheLoads', unit: 'Count', value: t.loads },
        { name: 'CacheFallbacks', unit: 'Count', value: t.fallbacks },
      ], this.lastFlush, extra));
    }
    m.write(emfLine([fn], [
      { name: 'PoolInUse', unit: 'Count', value: this.maxInUse },
      { name: 'PoolWaiters', unit: 'Count', value: this.maxWaiting },
      { name: 'PoolSize', unit: 'Count', value: Math.max(1, this.settings.poolSize) },
    ], this.lastFlush, extra));
    this.tallies.clear();
    this.maxInUse = busy;
    this.maxWaiting = this.waiting;
  }

  get name(): string {
    return this.settings.cache;
  }

  /** The builder of a key pattern; throws `CacheKeyError` (with the names that exist) for an unknown name. */
  key(name: string): KeyBuilder {
    const builder = this.keys[name];
    if (!builder) throw new CacheKeyError(unknownKeyMessage(name, Object.keys(this.keys), this.settings.cache));
    return builder;
  }

  /**
   * The cached value of `key`, or the loader's value (stored with the key's TTL).
   * Values go through JSON: `undefined` is returned but not stored, `null` is
   * stored (a cached "not found"), a `Date` comes back as a string. A loader that
   * throws stores nothing and its error reaches every caller that waited on it.
   */
  getOrLoad<T>(key: CacheKey, loader: () => Promise<T> | T): Promise<T> {
    const existing = this.flights.get(key.key);
    if (existing) return existing as Promise<T>;
    // hit path (the common case): one GET on an idle ready connection, nothing else
    const conn = this.idleReady();
    if (!conn) return this.flight(key, () => this.resolve(key, loader));
    conn.inFlight++;
    this.noteBusy();
    return conn.client.get(key.key).then(
      (raw) => {
        conn.inFlight--;
        if (!this.available) this.recovered();
        const entry = this.entry<T>(key, raw);
        if (entry.hit) return entry.value;
        // a miss: from here on, callers of this key share one load
        return this.flight(key, () => {
          this.stats.misses++;
          this.tally(key, 'misses');
          return this.loadUnderLease(key, loader, entry.replaceable);
        });
      },
      (err: unknown) => {
        conn.inFlight--;
        return this.flight(key, () => this.degrade(key, err, loader));
      },
    );
  }

  /** The load in flight for `key`, or a new one started with `start`. */
  private flight<T>(key: CacheKey, start: () => Promise<T>): Promise<T> {
    const existing = this.flights.get(key.key);
    if (existing) return existing as Promise<T>;
    const flight = start();
    this.flights.set(key.key, flight);
    const clear = () => {
      if (this.flights.get(key.key) === flight) this.flights.delete(key.key);
    };
    flight.then(clear, clear);
    return flight;
  }

  private idleReady(): Connection | undefined {
    for (const c of this.connections) {
      if (c.inFlight === 0 && c.client.status === 'ready') return c;
    }
    return undefined;
  }

  /** The cached value, or `undefined` on a miss or when Redis is unavailable. */
  async get<T>(key: CacheKey): Promise<T | undefined> {
    let raw: string | null;
    try {
      raw = await this.command((c) => c.get(key.key));
    } catch (err) {
      this.unavailable(err);
      return undefined;
    }
    const entry = this.entry<T>(key, raw, false);
    return entry.hit ? entry.value : undefined;
  }

  /**
   * Store a value with the key's TTL (it replaces a load in flight's lease, so
   * that load does not store its older value over it). False when Redis is
   * unavailable or refuses writes (nothing stored).
   */
  async set(key: CacheKey, value: unknown): Promise<boolean> {
    if (value === undefined) return false;
    try {
      await this.command((c) => c.set(key.key, JSON.stringify(value), 'EX', key.ttlSeconds));
      this.storingAgain();
      return true;
    } catch (err) {
      this.unavailable(err);
      return false;
    }
  }

  /**
   * Delete cached entries (call it after the write that made them stale). True
   * when Redis confirmed; false when it was unavailable, in which case the entries
   * expire with their TTL. A load of one of these keys that is in flight (here or
   * in another process) loses its lease, so it answers its callers but does not
   * store its value; in this process, later callers do not join it.
   */
  async invalidate(...keys: Array<CacheKey | CacheKey[]>): Promise<boolean> {
    const names = keys.flat().map((k) => k.key);
    if (names.length === 0) return true;
    for (const n of names) this.flights.delete(n);
    try {
      // one DEL per key: in cluster mode the keys may live in different slots
      await Promise.all(names.map((n) => this.command((c) => c.del(n))));
      return true;
    } catch (err) {
      this.unavailable(err);
      return false;
    }
  }

  /**
   * Delete every entry whose key matches a pattern: a key pattern name of this
   * cache (`'coursesBySemester'`) or a pattern written out
   * (`'courses:semester:{semesterId}:*'`), with the parameters given in `values`
   * (encoded as the key builders encode them); a parameter not given, and a `*`
   * written in the pattern, match anything.
   *
   * Never KEYS: it walks the keyspace with SCAN (MATCH, a bounded `COUNT` per
   * call, default 500) and deletes each batch with UNLINK (the memory is freed in
   * the background), on every master node in cluster mode. Like `invalidate`, it
   * wins over loads in flight: a load's lease is in the key it loads, a key that
   * exists for the whole walk is always returned by SCAN, so the lease is deleted
   * and the load stores nothing; in this process, later callers of a matching key
   * do not join a load that started before. A key written while the walk runs
   * may survive it (it was loaded after the write, so it is fresh).
   *
   * Resolves `{ ok: true, deleted }` (keys deleted), or `{ ok: false }` when Redis
   * was unavailable (the entries then expire with their TTLs). Throws
   * `CacheKeyError` for an unknown parameter, an empty value, or a pattern that
   * would match every key.
   */
  async invalidatePattern(
    pattern: string,
    values: Record<string, KeyParam> = {},
    options: { count?: number } = {},
  ): Promise<{ ok: true; deleted: number } | { ok: false }> {
    const named = /^[a-z][A-Za-z0-9]*$/.test(pattern) ? this.keys[pattern] : undefined;
    const { glob, regexp } = matchPattern(named ? named.pattern : pattern, values);
    const count = Math.max(1, Math.min(options.count ?? 500, 10000));
    for (const k of [...this.flights.keys()]) if (regexp.test(k)) this.flights.delete(k);
    try {
      const deleted = await this.command(async (c) => {
        const nodes: Redis[] = c instanceof Cluster ? c.nodes('master') : [c];
        const perNode = await Promise.all(nodes.map((node) => scanAndUnlink(node, glob, count, c instanceof Cluster ? c : undefined)));
        return perNode.reduce((a, b) => a + b, 0);
      });
      return { ok: true, deleted };
    } catch (err) {
      this.unavailable(err);
      return { ok: false };
    }
  }

  /**
   * Run other commands (INCR for a rate limit, a pipeline ...) on one of the
   * cache's connections, with the same readiness rules and command timeout.
   * Unlike `getOrLoad`, it throws when Redis is unavailable: the caller decides
   * how to degrade.
   */
  withRedis<R>(run: (client: Redis | Cluster) => Promise<R>): Promise<R> {
    return this.command(run);
  }

  /**
   * Read the AUTH token and open the first connection, waiting at most
   * `waitMs` (default: the command timeout). True when Redis is ready. Never
   * throws: use it as the warm guard's `prime`.
   */
  async connect(waitMs = this.settings.commandTimeoutMs): Promise<boolean> {
    try {
      await this.ready(this.connections.find((c) => c.client.status === 'ready') ?? this.connections[0] ?? (await this.open()), waitMs);
      this.recovered();
      return true;
    } catch (err) {
      this.unavailable(err);
      return false;
    }
  }

  /** Close every connection (tests, scripts). The cache cannot be used afterwards. */
  async close(): Promise<void> {
    this.flushMetrics();
    this.closed = true;
    const all = this.connections.splice(0);
    await Promise.all(all.map((c) => c.client.quit().catch(() => c.client.disconnect())));
  }

  // ---- internals ----

  private tally(key: CacheKey, what: keyof PatternTally): void {
    if (!this.metrics) return;
    const pattern = this.keys[key.name]?.pattern ?? key.name;
    let t = this.tallies.get(pattern);
    if (!t) this.tallies.set(pattern, (t = { hits: 0, misses: 0, loads: 0, fallbacks: 0 }));
    t[what]++;
    if (Date.now() - this.lastFlush >= this.metrics.intervalMs) this.flushMetrics();
  }

  /** Connections with a command in flight. */
  private inUse(): number {
    let n = 0;
    for (const c of this.connections) if (c.inFlight > 0) n++;
    return n;
  }

  private noteBusy(): void {
    if (!this.metrics) return;
    const n = this.inUse();
    if (n > this.maxInUse) this.maxInUse = n;
  }

  private async resolve<T>(key: CacheKey, loader: () => Promise<T> | T): Promise<T> {
    let raw: string | null;
    try {
      raw = await this.command((c) => c.get(key.key));
    } catch (err) {
      return this.degrade(key, err, loader);
    }
    const entry = this.entry<T>(key, raw);
    if (entry.hit) return entry.value;
    this.stats.misses++;
    this.tally(key, 'misses');
    return this.loadUnderLease(key, loader, entry.replaceable);
  }

  /**
   * What a GET returned: a hit (counted) with its value, or a miss. A miss on an
   * entry that is not JSON (and not a lease) names it as `replaceable`, so the
   * load may overwrite it.
   */
  private entry<T>(key: CacheKey, raw: string | null, count = true): { hit: true; value: T } | { hit: false; replaceable?: string } {
    if (raw === null) return { hit: false };
    try {
      const value = JSON.parse(raw) as T;
      if (count) {
        this.stats.hits++;
        this.tally(key, 'hits');
      }
      return { hit: true, value };
    } catch {
      if (raw.startsWith(LEASE_PREFIX)) return { hit: false }; // another load in flight
      this.log(JSON.stringify({ level: 'warn', msg: 'redis cache: entry is not JSON, reloading it', cache: this.name, key: key.key }));
      return { hit: false, replaceable: raw };
    }
  }

  /**
   * Take the key's lease and load it, or wait for the process that holds it to
   * store its value. `replaceable` is an entry that is not JSON, seen by the
   * caller, which the lease may replace.
   */
  private async loadUnderLease<T>(key: CacheKey, loader: () => Promise<T> | T, replaceable?: string): Promise<T> {
    const lease = LEASE_PREFIX + randomBytes(12).toString('hex');
    const deadline = Date.now() + this.lockWaitMs;
    let delay = 10;
    let waited = false;
    for (;;) {
      let reply: [number, string?];
      try {
        reply = (await this.command((c) => c.eval(ACQUIRE_SCRIPT, 1, key.key, lease, this.lockTtlMs, replaceable ?? ''))) as [number, string?];
      } catch (err) {
        return this.degrade(key, err, loader);
      }
      if (reply[0] === 1) {
        this.storingAgain();
        return this.loadAndStore(key, lease, loader);
      }
      const current = reply[1] ?? null;
      const entry = this.entry<T>(key, current);
      if (entry.hit) return entry.value; // another process stored it meanwhile
      if (entry.replaceable !== undefined && entry.replaceable !== replaceable) {
        // an entry that is not JSON: take its place at once
        replaceable = entry.replaceable;
        if (Date.now() < deadline) continue;
      }
      // another process holds the lease: wait for its value
      if (!waited) {
        this.stats.waits++;
        waited = true;
      }
      if (Date.now() >= deadline) {
        // the other load is taking too long: serve this caller without waiting further
        this.stats.loads++;
        this.tally(key, 'loads');
        return loader();
      }
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 100);
    }
  }

  private async loadAndStore<T>(key: CacheKey, lease: string, loader: () => Promise<T> | T): Promise<T> {
    this.stats.loads++;
    this.tally(key, 'loads');
    let value: T;
    try {
      value = await loader();
    } catch (err) {
      await this.release(key, lease);
      throw err;
    }
    if (value === undefined) {
      await this.release(key, lease);
      return value;
    }
    try {
      // stored only if the lease is still there: an invalidate since the lease was taken wins
      const stored = await this.command((c) => c.eval(STORE_SCRIPT, 1, key.key, lease, JSON.stringify(value), key.ttlSeconds));
      if (stored === 1) this.storingAgain();
    } catch (err) {
      // the lease expires by itself after lockTtlMs
      this.unavailable(err);
    }
    return value;
  }

  private async release(key: CacheKey, lease: string): Promise<void> {
    try {
      await this.command((c) => c.eval(RELEASE_SCRIPT, 1, key.key, lease));
    } catch (err) {
      // the lease expires by itself after lockTtlMs
      this.unavailable(err);
    }
  }

  private async degrade<T>(key: CacheKey, err: unknown, loader: () => Promise<T> | T): Promise<T> {
    this.unavailable(err);
    this.stats.degraded++;
    this.stats.loads++;
    this.tally(key, 'loads');
    this.tally(key, 'fallbacks');
    return loader();
  }

  /** Log the start of an outage (or of a time when writes are refused), once. */
  private unavailable(err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    if (WRITE_REFUSED.test(error)) {
      // Redis answers (reads work) but refuses writes: not an outage of the connection
      if (!this.storing) return;
      this.storing = false;
      this.log(JSON.stringify({
        level: 'warn',
        msg: 'redis cache refuses writes: serving its entries, and misses from the loader without storing them, until it accepts writes again',
        cache: this.name,
        error,
      }));
      return;
    }
    if (!this.available) return;
    this.available = false;
    this.log(JSON.stringify({
      level: 'warn',
      msg: 'redis cache unavailable: serving from the loader until it is back',
      cache: this.name,
      error,
    }));
  }

  /** A write succeeded: end a time of refused writes, logged once. */
  private storingAgain(): void {
    if (this.storing) return;
    this.storing = true;
    this.log(JSON.stringify({ level: 'info', msg: 'redis cache accepts writes again', cache: this.name }));
  }

  private recovered(): void {
    if (this.available) return;
    this.available = true;
    this.log(JSON.stringify({ level: 'info', msg: 'redis cache available again', cache: this.name }));
  }

  /** Run one command on a ready connection; throws when none is ready in time. */
  private command<R>(run: (client: Client) => Promise<R>): Promise<R> {
    const idle = this.idleReady();
    return idle ? this.exec(idle, run) : this.slowCommand(run);
  }

  private async exec<R>(conn: Connection, run: (client: Client) => Promise<R>): Promise<R> {
    conn.inFlight++;
    this.noteBusy();
    try {
      const result = await run(conn.client);
      if (!this.available) this.recovered();
      return result;
    } finally {
      conn.inFlight--;
    }
  }

  /**
   * No idle ready connection: open the first one, or use the least busy ready
   * one (opening another in the background while the pool is below `poolSize`),
   * or wait a bounded time for one that is connecting. Connections are added
   * only when all open ones are ready and busy, so an outage does not fill the
   * pool with reconnecting clients.
   */
  private async slowCommand<R>(run: (client: Client) => Promise<R>): Promise<R> {
    if (this.closed) throw new RedisUnavailable(`redis cache \`${this.name}\` is closed`);
    let best: Connection | undefined;
    for (const c of this.connections) {
      if (c.client.status === 'ready' && (!best || c.inFlight < best.inFlight)) best = c;
    }
    if (best) {
      if (this.connections.length < Math.max(1, this.settings.poolSize)) {
        this.open().catch(() => undefined);
        return this.exec(best, run);
      }
      // the pool is full and every connection is busy: this command waits its turn
      this.waiting++;
      if (this.waiting > this.maxWaiting) this.maxWaiting = this.waiting;
      try {
        return await this.exec(best, run);
      } finally {
        this.waiting--;
      }
    }
    const conn = this.connections.find((c) => c.client.status === 'connecting' || c.client.status === 'connect') ?? this.connections[0] ?? (await this.open());
    await this.ready(conn, this.settings.commandTimeoutMs);
    return this.exec(conn, run);
  }

  private authToken(): Promise<string | undefined> {
    const arn = this.settings.authSecretArn;
    if (!arn) return Promise.resolve(undefined);
    if (!this.password) {
      const reading = readSecret(arn, this.options.secretsManager).then((s) => authTokenFromSecret(s, `secret ${arn}`));
      this.password = reading;
      reading.catch(() => {
        if (this.password === reading) this.password = undefined; // try again on the next request
      });
    }
    return this.password;
  }

  /** Open one more connection; one opening at a time. */
  private open(): Promise<Connection> {
    if (!this.opening) {
      const opening = this.openConnection();
      this.opening = opening;
      const done = () => {
        if (this.opening === opening) this.opening = undefined;
      };
      opening.then(done, done);
    }
    return this.opening;
  }

  private async openConnection(): Promise<Connection> {
    const password = await within(this.authToken(), this.settings.commandTimeoutMs, 'reading the redis auth token');
    if (this.closed) throw new RedisUnavailable(`redis cache \`${this.name}\` is closed`);
    const s = this.settings;
    const nodeOptions: RedisOptions = {
      password,
      tls: s.tls ? { servername: s.host } : undefined,
      connectTimeout: s.connectTimeoutMs,
      commandTimeout: s.commandTimeoutMs,
      // never queue while disconnected: fail fast and serve from the loader
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      connectionName: `cachestack:${this.name}`,
    };
    const client: Client = s.clusterMode
      ? new Cluster([{ host: s.host, port: s.port }], {
          // the cluster manages its node connections' queueing and reconnects itself;
          // its own queue stays off, so commands fail fast while it is not ready
          redisOptions: clusterNodeOptions(nodeOptions),
          enableOfflineQueue: false,
          clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
          // ElastiCache's TLS certificates name the configuration endpoint, not node IPs
          dnsLookup: (address, callback) => callback(null, address),
          slotsRefreshTimeout: s.connectTimeoutMs,
        })
      : new Redis({ ...nodeOptions, host: s.host, port: s.port });
    client.on('error', () => {
      /* reported through the commands that fail; ioredis reconnects by itself */
    });
    const conn: Connection = { client, inFlight: 0 };
    this.connections.push(conn);
    return conn;
  }

  private async ready(conn: Connection, waitMs: number): Promise<void> {
    const { client } = conn;
    const status = client.status;
    if (status === 'ready') return;
    if (status !== 'connecting' && status !== 'connect' && status !== 'wait') {
      // reconnecting, close or end: Redis is known to be down right now
      throw new RedisUnavailable(`redis cache \`${this.name}\` is not connected (${status})`);
    }
    if (!conn.readyWait) {
      // one pair of listeners per connection attempt, however many callers wait on it
      const wait = new Promise<void>((resolve, reject) => {
        const onReady = () => {
          client.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          client.off('ready', onReady);
          reject(new RedisUnavailable(`redis cache \`${this.name}\` closed the connection`));
        };
        client.once('ready', onReady);
        client.once('close', onClose);
      });
      conn.readyWait = wait;
      const clear = () => {
        if (conn.readyWait === wait) conn.readyWait = undefined;
      };
      wait.then(clear, clear);
      if (status === 'wait') void client.connect().catch(() => undefined);
    }
    await within(conn.readyWait, waitMs, `connecting to redis cache \`${this.name}\``);
  }
}

/**
 * SCAN one node with MATCH and COUNT until the cursor returns to 0, unlinking each
 * batch as it comes. In cluster mode keys of one batch may sit in different
 * slots, so each is unlinked on its own (pipelined on the node that holds it; a
 * key that moved meanwhile is unlinked through the cluster client).
 */
async function scanAndUnlink(node: Redis, glob: string, count: number, cluster?: Cluster): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', glob, 'COUNT', count);
    cursor = next;
    if (keys.length === 0) continue;
    if (!cluster) {
      deleted += await node.unlink(...keys);
      continue;
    }
    const pipeline = node.pipeline();
    for (const k of keys) pipeline.unlink(k);
    const results = (await pipeline.exec()) ?? [];
    for (let i = 0; i < keys.length; i++) {
      const [err, n] = results[i] ?? [new Error('no reply'), 0];
      deleted += err ? await cluster.unlink(keys[i]) : Number(n);
    }
  } while (cursor !== '0');
  return deleted;
}

/** Node options for ioredis' Cluster, which sets queueing and reconnects of its nodes itself. */
function clusterNodeOptions(options: RedisOptions): ClusterNodeOptions {
  const { enableOfflineQueue: _queue, retryStrategy: _retry, ...rest } = options;
  return rest;
}
type ClusterNodeOptions = NonNullable<ClusterOptions['redisOptions']>;

const caches = new Map<string, RedisCache>();

/**
 * The cache-aside client of the Redis cache this function is connected to
 * (`connections.redis.cache` in the YAML), one per container. `name` guards
 * against reading the wrong cache: it must match the configured one. Throws when
 * the function has no Redis connection.
 */
export function redisCache(name?: string, options?: RedisCacheOptions): RedisCache {
  const settings = handlerSettings();
  const redis = settings.redis;
  if (!redis) {
    throw new Error(`handler \`${settings.handler}\` has no redis connection${name ? ` (asked for \`${name}\`)` : ''}; add \`connections: { redis: { cache: ${name ?? 'NAME'} } }\` to the handler in the YAML`);
  }
  if (name !== undefined && name !== redis.cache) {
    throw new Error(`handler \`${settings.handler}\` is connected to redis cache \`${redis.cache}\`, not \`${name}\`; use \`redisCache('${redis.cache}')\` or change \`connections.redis.cache\` in the YAML`);
  }
  let cache = caches.get(redis.cache);
  if (!cache) {
    cache = new RedisCache(redis, options);
    caches.set(redis.cache, cache);
  }
  return cache;
}
