import { decodeHandlerEnvironment, encodeHandlerEnvironment, ENV, HandlerEnvironmentError, type HandlerSettings } from '../handlers/runtime/contract';

describe('handler environment contract', () => {
  const settings: HandlerSettings = {
    service: 'user-service',
    environment: 'prod',
    handler: 'profile',
    http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 10000, requestTimeoutMs: 30000 },
    retries: { maxAttempts: 3, mode: 'adaptive' },
    redis: {
      cache: 'sessions', host: 'primary.example', readerHost: 'reader.example', port: 6379, tls: true,
      clusterMode: false, authSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth',
      poolSize: 10, commandTimeoutMs: 500, connectTimeoutMs: 2000,
      keys: [{ name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 }],
    },
    dax: { cluster: 'hot', endpoint: 'daxs://hot.example:9111', requestTimeoutMs: 1000 },
    postgres: { min: 2, max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000 },
    restApi: { stageUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod', region: 'us-east-1' },
  };

  it('GIVEN full settings WHEN encoded and decoded THEN they round-trip', () => {
    expect(decodeHandlerEnvironment(encodeHandlerEnvironment(settings))).toEqual(settings);
  });

  it('GIVEN settings WHEN encoded THEN every variable is a CACHESTACK_ name and keys are sorted', () => {
    const env = encodeHandlerEnvironment(settings);
    const keys = Object.keys(env);
    expect(keys.every((k) => k.startsWith('CACHESTACK_'))).toBe(true);
    expect(keys).toEqual([...keys].sort());
    expect(env[ENV.redisKeys]).toBe('[{"name":"userProfile","pattern":"user:profile:{userId}","ttlSeconds":300}]');
  });

  it('GIVEN an empty environment WHEN decoded THEN the config defaults apply and no connection is configured', () => {
    const s = decodeHandlerEnvironment({});
    expect(s.http).toEqual({ keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000 });
    expect(s.redis).toBeUndefined();
    expect(s.dax).toBeUndefined();
    expect(s.restApi).toBeUndefined();
  });

  it('GIVEN a malformed number WHEN decoded THEN it names the variable', () => {
    expect(() => decodeHandlerEnvironment({ [ENV.httpMaxSockets]: 'many' })).toThrow(HandlerEnvironmentError);
    expect(() => decodeHandlerEnvironment({ [ENV.httpMaxSockets]: 'many' })).toThrow(/CACHESTACK_HTTP_MAX_SOCKETS/);
  });
});

/**
 * The Python kit (handlers/python/cachestack_runtime) against the same contract,
 * with the real python3: it names exactly the variables synthesis writes, reads
 * exactly those, builds the same keys and speaks the same Redis protocol.
 */
describe('python kit contract', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const path = require('node:path') as typeof import('node:path');
  const fs = require('node:fs') as typeof import('node:fs');
  const kitDir = path.join(__dirname, '..', 'handlers', 'python');
  const python = (code: string, input = ''): unknown => {
    const r = spawnSync('python3', ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(kitDir)})\n${code}`], { input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const full: HandlerSettings = {
    service: 'user-service',
    environment: 'prod',
    handler: 'profile',
    http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 10000, requestTimeoutMs: 30000 },
    retries: { maxAttempts: 3, mode: 'adaptive' },
    redis: {
      cache: 'sessions', host: 'primary.example', readerHost: 'reader.example', port: 6379, tls: true, clusterMode: true,
      authSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth', poolSize: 10, commandTimeoutMs: 500,
      connectTimeoutMs: 2000, keys: [{ name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 }],
    },
    dax: { cluster: 'hot', endpoint: 'daxs://hot.example:9111', requestTimeoutMs: 1000 },
    postgres: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pg', min: 2, max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000 },
    restApi: { stageUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod', region: 'eu-west-1' },
  };

  it('GIVEN everything synthesis can write WHEN both kits decode it THEN each reads exactly those variables, no more and no fewer', () => {
    const written = Object.keys(encodeHandlerEnvironment(full)).sort();
    // the TypeScript kit: ENV names every variable, and decoding reads exactly those
    const readByTs = new Set<string>();
    decodeHandlerEnvironment(new Proxy(encodeHandlerEnvironment(full), { get: (t, k: string) => (readByTs.add(k), t[k]) }));
    expect([...readByTs].sort()).toEqual(written);
    expect(Object.values(ENV).sort()).toEqual(written);
    // the Python kit: its one constants table, and what its decoder asks the environment for
    const py = python(
      [
        'import json',
        'from cachestack_runtime.contract import ENV, decode_handler_environment',
        'class R(dict):',
        '    read = set()',
        '    def get(self, k, d=None):',
        '        R.read.add(k); return super().get(k, d)',
        '    def __getitem__(self, k):',
        '        R.read.add(k); return super().__getitem__(k)',
        's = decode_handler_environment(R(json.load(sys.stdin)))',
        'print(json.dumps({"names": sorted(ENV.values()), "read": sorted(R.read), "pool": s.redis.pool_size, "mode": s.retries.mode, "pgMax": s.postgres.max, "cluster": s.redis.cluster_mode, "rest": [s.rest_api.stage_url, s.rest_api.region]}))',
      ].join('\n'),
      JSON.stringify(encodeHandlerEnvironment(full)),
    ) as { names: string[]; read: string[]; pool: number; mode: string; pgMax: number; cluster: boolean; rest: [string, string] };
    expect(py.names).toEqual(written);
    expect(py.read).toEqual(written);
    expect(py).toMatchObject({ pool: 10, mode: 'adaptive', pgMax: 10, cluster: true, rest: [full.restApi!.stageUrl, 'eu-west-1'] });
  });

  it('GIVEN a stage URL with or without its region WHEN both kits decode it THEN the stage and the region (CACHESTACK_REST_REGION, else AWS_REGION, else us-east-1) are the same', () => {
    const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
    const cases: Record<string, string>[] = [
      {},
      { [ENV.restRegion]: 'us-west-2' },
      { [ENV.restStageUrl]: url },
      { [ENV.restStageUrl]: url, AWS_REGION: 'ap-south-1' },
      { [ENV.restStageUrl]: url, [ENV.restRegion]: 'eu-west-1', AWS_REGION: 'ap-south-1' },
      { [ENV.restStageUrl]: '', [ENV.restRegion]: 'eu-west-1' },
    ];
    const ts = cases.map((env) => decodeHandlerEnvironment(env).restApi ?? null);
    const py = python(
      'import json\nfrom cachestack_runtime.contract import decode_handler_environment\nout = []\nfor env in json.load(sys.stdin):\n    r = decode_handler_environment(env).rest_api\n    out.append(r and {"stageUrl": r.stage_url, "region": r.region})\nprint(json.dumps(out))',
      JSON.stringify(cases),
    );
    expect(py).toEqual(ts);
    expect(ts.map((r) => r?.region ?? null)).toEqual([null, null, 'us-east-1', 'ap-south-1', 'eu-west-1', null]);
  });

  it('GIVEN the same request, credentials and time WHEN both kits sign an invalidation THEN the presigned one carries the same signature and the header-signed one the same scope and headers', async () => {
    const { signedInvalidation } = require('../handlers/runtime/invalidate') as typeof import('../handlers/runtime/invalidate');
    const stage = { stageUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1', region: 'eu-west-1' };
    const credentials = { accessKeyId: 'AKIDCONTRACT', secretAccessKey: 'contract-secret', sessionToken: 'contract-token' };
    const signingDate = new Date('2026-12-07T07:00:00Z');
    const query = { tag: ['b', 'a'], q: 'é x' };
    const headerSets: Record<string, string>[] = [{ Authorization: 'caller-token' }, { 'X-Tenant': 't1' }];
    const ts = await Promise.all(
      headerSets.map((headers) => signedInvalidation('GET', '/users/a b', { stage, credentials, signingDate, query, headers })),
    );
    const py = python(
      [
        'import datetime, json',
        'import botocore.auth',
        'botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2026, 12, 7, 7, 0, 0)',
        'from cachestack_runtime.contract import RestApiSettings',
        'from cachestack_runtime.invalidate import signed_invalidation',
        'a = json.load(sys.stdin)',
        'stage = RestApiSettings(**a["stage"])',
        'out = [signed_invalidation("GET", "/users/a b", query=a["query"], headers=h, credentials=a["credentials"], stage=stage)._asdict() for h in a["headers"]]',
        'print(json.dumps(out))',
      ].join('\n'),
      JSON.stringify({
        stage: { stage_url: stage.stageUrl, region: stage.region },
        credentials: { access_key: credentials.accessKeyId, secret_key: credentials.secretAccessKey, token: credentials.sessionToken },
        query,
        headers: headerSets,
      }),
    ) as { url: string; headers: Record<string, string> }[];
    const params = (url: string) => Object.fromEntries(new URL(url).searchParams);
    // query string: the same signature over the same canonical request (only host and cache-control signed)
    expect(params(py[0].url)['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(params(py[0].url)).toEqual(params(ts[0].url));
    expect(py[0].headers.authorization).toBe('caller-token');
    expect([...new URL(py[0].url).searchParams.getAll('tag')]).toEqual(['b', 'a']);
    // header: the same scope and signed headers, but for x-amz-content-sha256 that the JS signer adds (so the signatures differ)
    const auth = (h: string) => /^AWS4-HMAC-SHA256 Credential=(\S+), SignedHeaders=(\S+), Signature=[0-9a-f]{64}$/.exec(h)!.slice(1);
    const [tsScope, tsSigned] = auth(ts[1].headers.authorization);
    const [pyScope, pySigned] = auth(py[1].headers.authorization);
    expect(pyScope).toBe(tsScope);
    expect(pySigned).toBe(tsSigned.split(';').filter((x) => x !== 'x-amz-content-sha256').join(';'));
    expect(new URL(py[1].url).pathname).toBe(new URL(ts[1].url).pathname);
    expect([...new URL(py[1].url).searchParams]).toEqual([...new URL(ts[1].url).searchParams]);
  });

  it('GIVEN the same values WHEN both kits build keys THEN the keys are the same', () => {
    const { keyBuilder } = require('../handlers/runtime/keys') as typeof import('../handlers/runtime/keys');
    const values: (string | number)[] = ['42', 42, 4.5, '1:x', 'a b', '{x}%', '\u00a0', '\u2028', '\ufeff', '\t', 'é', 'ü:ß', '\u0085'];
    const ts = values.map((v) => keyBuilder({ name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 })(v).key);
    const py = python(
      'import json\nfrom cachestack_runtime.contract import RedisKeySetting\nfrom cachestack_runtime.keys import KeyBuilder\nb = KeyBuilder(RedisKeySetting("userProfile", "user:profile:{userId}", 300))\nprint(json.dumps([b(v).key for v in json.load(sys.stdin)]))',
      JSON.stringify(values),
    );
    expect(py).toEqual(ts);
  });

  it('GIVEN both kits THEN the lease marker and the Lua scripts of the cache-aside protocol are identical', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', 'handlers', 'runtime', 'redis-cache.ts'), 'utf8');
    const ts = (name: string): string => {
      const m = new RegExp(`const ${name} = ([\`'"])([\\s\\S]*?)\\1;`).exec(source);
      if (!m) throw new Error(`${name} not found in redis-cache.ts`);
      return m[2];
    };
    const py = python(
      'import json\nfrom cachestack_runtime import redis_cache as r\nprint(json.dumps([r.LEASE_PREFIX, r.ACQUIRE_SCRIPT, r.STORE_SCRIPT, r.RELEASE_SCRIPT]))',
    );
    expect(py).toEqual([ts('LEASE_PREFIX'), ts('ACQUIRE_SCRIPT'), ts('STORE_SCRIPT'), ts('RELEASE_SCRIPT')]);
  });
});
