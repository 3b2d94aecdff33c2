/**
 * Every `entry:` of config/**\/*.yaml is a real handler written against the kit:
 * the file exists, it imports the guard, it loads with the environment synthesis
 * would set for it (no network at load), and it answers a warm ping with the
 * guard's reply, priming its Redis connection against a real redis-server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { encodeHandlerEnvironment, type HandlerSettings } from '../../handlers/runtime/contract';
import { isWarmPingReply, warmPing } from '../../handlers/runtime/ping';
import { redisKeyName } from '../../src/config/normalize';
import { freePort, RedisServer } from './redis-server';

const ROOT = resolve(__dirname, '../..');

/** Imports a Python handler module (argv[1]), pings it with the payload on stdin, primes and closes its Redis caches. */
const PING_PY = `
import importlib, json, sys
mod = importlib.import_module(sys.argv[1])
class Context:
    def get_remaining_time_in_millis(self):
        return 5000
reply = mod.handler(json.load(sys.stdin), Context())
caches = {}
if "cachestack_runtime.redis_cache" in sys.modules:
    for name, cache in sys.modules["cachestack_runtime.redis_cache"]._caches.items():
        caches[name] = cache.connect()
        cache.close()
print(json.dumps({"reply": reply, "redis": caches}))
`;

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(f) ? [p] : [];
  });
}

interface Entry {
  config: string;
  handler: string;
  entryPath: string;
  settings: (redisPort: number) => HandlerSettings;
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const entries: Entry[] = yamlFiles(join(ROOT, 'config')).flatMap((file) => {
  const doc = parse(readFileSync(file, 'utf8')) as Raw;
  return Object.entries((doc?.handlers ?? {}) as Record<string, Raw>).map(([name, h]) => ({
    config: relative(ROOT, file),
    handler: name,
    entryPath: resolve(dirname(file), h.entry),
    settings: (redisPort: number): HandlerSettings => {
      const c = h.connections ?? {};
      const s: HandlerSettings = {
        service: doc.service, handler: name,
        http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000, ...(c.http ?? {}) },
        retries: { maxAttempts: 3, mode: 'standard', ...(c.retries ?? {}) },
      };
      if (c.redis) {
        const keys = ((doc.redis?.[c.redis.cache]?.keys ?? []) as Raw[]).map((k) => ({ name: k.name ?? redisKeyName(k.pattern), pattern: k.pattern, ttlSeconds: k.ttlSeconds }));
        s.redis = {
          cache: c.redis.cache, host: '127.0.0.1', port: redisPort, tls: false, clusterMode: false,
          poolSize: c.redis.poolSize ?? 1, commandTimeoutMs: 1000, connectTimeoutMs: 1000, keys,
        };
      }
      if (c.dax) s.dax = { cluster: c.dax.cluster, endpoint: 'dax://127.0.0.1:1', requestTimeoutMs: 1000 };
      // no secret: reading it would leave loopback; the pool then targets PGHOST below
      if (c.postgres) s.postgres = { min: 0, max: c.postgres.max ?? 10, idleTimeoutMs: 1000, connectionTimeoutMs: 500, statementTimeoutMs: 1000 };
      return s;
    },
  }));
});

describe('example handlers named by the configs', () => {
  let redis: RedisServer;
  let closedPort = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    redis = await RedisServer.start();
    closedPort = await freePort();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('GIVEN the configs WHEN their handlers are listed THEN there are entries, including the user-service ones', () => {
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => relative(ROOT, e.entryPath))).toEqual(expect.arrayContaining(['handlers/examples/profile.ts', 'handlers/examples/users.ts']));
  });

  it.each(entries.map((e) => [`${e.config} ${e.handler}`, e] as const))('GIVEN %s WHEN loaded and pinged THEN it is guarded and answers the warmer', async (_label, entry) => {
    expect(existsSync(entry.entryPath)).toBe(true);
    const source = readFileSync(entry.entryPath, 'utf8');
    if (entry.entryPath.endsWith('.py')) {
      // a Python handler: imported by python3 with the kit beside it, as in its zip, and pinged
      expect(source).toMatch(/^from cachestack_runtime import [^\n]*\bwarm_guard\b/m);
      const env = { ...process.env, ...encodeHandlerEnvironment(entry.settings(redis.port)), AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: [dirname(entry.entryPath), join(ROOT, 'handlers', 'python')].join(delimiter) };
      const out = spawnSync('python3', ['-c', PING_PY, basename(entry.entryPath, '.py')], { env, input: JSON.stringify(warmPing('examples-test', 0)), encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const result = JSON.parse(out.stdout) as { reply: unknown; redis: Record<string, boolean> };
      expect(isWarmPingReply(result.reply)).toBe(true);
      // priming the redis connection must work against the real server
      expect(Object.values(result.redis)).toEqual(entry.settings(redis.port).redis ? [true] : []);
      return;
    }
    expect(source).toMatch(/import \{[^}]*\bwithWarmGuard\b[^}]*\} from '(\.\.\/)+runtime\/guard'/);

    Object.assign(process.env, encodeHandlerEnvironment(entry.settings(redis.port)), { AWS_REGION: 'us-east-1', PGHOST: '127.0.0.1', PGPORT: String(closedPort) });
    const warnings: string[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(line));
    try {
      let mod!: { handler: (event: unknown, context: unknown) => Promise<unknown> };
      let cacheModule!: typeof import('../../handlers/runtime/redis-cache');
      jest.isolateModules(() => {
        mod = require(entry.entryPath);
        cacheModule = require('../../handlers/runtime/redis-cache');
      });
      expect(typeof mod.handler).toBe('function');
      const reply = await mod.handler(warmPing('examples-test', 0), { getRemainingTimeInMillis: () => 5000 });
      expect(isWarmPingReply(reply)).toBe(true);
      if (entry.settings(redis.port).redis) {
        const cache = cacheModule.redisCache();
        await cache.close();
      }
      // priming a redis connection must work against the real server
      expect(warnings.filter((w) => w.includes('redis'))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('user-service profile handler end to end', () => {
  let redis: RedisServer;
  const saved = { ...process.env };
  const dynamoRequests: Array<{ target: string; body: Record<string, unknown> }> = [];
  let dynamo: import('node:http').Server;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const { createServer } = await import('node:http');
    dynamo = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        dynamoRequests.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        const userId = (JSON.parse(body).Key?.userId?.S as string) ?? '';
        res.end(JSON.stringify(userId === 'u-1' ? { Item: { userId: { S: 'u-1' }, nickname: { S: 'ada' }, plan: { S: 'pro' } } } : {}));
      });
    });
    await new Promise<void>((r) => dynamo.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await redis.stop();
    await new Promise((r) => dynamo.close(r));
  });

  it('GIVEN a signed-in caller WHEN GET /profile twice and a missing user once THEN DynamoDB is read once per user and the second read comes from redis', async () => {
    const { port } = dynamo.address() as import('node:net').AddressInfo;
    Object.assign(process.env, encodeHandlerEnvironment({
      service: 'user-service', handler: 'profile',
      http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 1000, requestTimeoutMs: 2000 },
      retries: { maxAttempts: 1, mode: 'standard' },
      redis: { cache: 'sessions', host: '127.0.0.1', port: redis.port, tls: false, clusterMode: false, poolSize: 1, commandTimeoutMs: 1000, connectTimeoutMs: 1000,
        keys: [{ name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 }] },
    }), {
      AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', USERS_TABLE: 'Users',
    });
    let mod!: typeof import('../../handlers/examples/profile');
    let cacheModule!: typeof import('../../handlers/runtime/redis-cache');
    jest.isolateModules(() => {
      mod = require('../../handlers/examples/profile');
      cacheModule = require('../../handlers/runtime/redis-cache');
    });
    const request = (sub: string, resource = '/profile') =>
      ({ resource, httpMethod: 'GET', requestContext: { authorizer: { claims: { sub } } } }) as unknown as import('aws-lambda').APIGatewayProxyEvent;
    // The kit's EMF lines go to stdout (unprefixed, as Lambda needs them); keep them out of the test run and check them.
    const emitted: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (emitted.push(String(chunk)), true));
    try {
      const first = await mod.handler(request('u-1'), {});
      const second = await mod.handler(request('u-1'), {});
      const missing = await mod.handler(request('u-2'), {});
      const health = await mod.handler(request('u-1', '/health'), {});
      expect(first).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u-1', nickname: 'ada', plan: 'pro' }) });
      expect(second).toEqual(first);
      expect(missing).toMatchObject({ statusCode: 404 });
      expect(health).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
      expect(dynamoRequests.map((r) => [r.target, r.body])).toEqual([
        ['DynamoDB_20120810.GetItem', { TableName: 'Users', Key: { userId: { S: 'u-1' } } }],
        ['DynamoDB_20120810.GetItem', { TableName: 'Users', Key: { userId: { S: 'u-2' } } }],
      ]);
      expect(cacheModule.redisCache().stats).toMatchObject({ hits: 1, misses: 2 });
      await cacheModule.redisCache().close();
      const figures = emitted.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.KeyPattern === 'user:profile:{userId}');
      expect(figures).toEqual([expect.objectContaining({ FunctionName: 'local', CacheHits: 1, CacheMisses: 2, CacheLoads: 2, CacheFallbacks: 0 })]);
    } finally {
      stdout.mockRestore();
      await cacheModule.redisCache().close();
    }
  });
});
