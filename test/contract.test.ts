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
