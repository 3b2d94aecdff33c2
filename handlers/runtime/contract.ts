/**
 * The contract between synthesis and the code that runs inside Lambda.
 *
 * Synthesis (`src/infra`) calls `encodeHandlerEnvironment` to set a function's
 * environment variables from the YAML; the runtime kit calls
 * `decodeHandlerEnvironment` to read them back. Both sides import this module, so
 * a variable cannot be renamed on one side only. It has no dependencies: it is
 * bundled into every handler.
 *
 * Values are plain strings; at synthesis time some of them (endpoints) are
 * Terraform references, which are strings too.
 */

/** Environment variable names, all under the `CACHESTACK_` prefix. */
export const ENV = {
  service: 'CACHESTACK_SERVICE',
  environment: 'CACHESTACK_ENVIRONMENT',
  handler: 'CACHESTACK_HANDLER',

  httpKeepAlive: 'CACHESTACK_HTTP_KEEP_ALIVE',
  httpMaxSockets: 'CACHESTACK_HTTP_MAX_SOCKETS',
  httpConnectTimeoutMs: 'CACHESTACK_HTTP_CONNECT_TIMEOUT_MS',
  httpRequestTimeoutMs: 'CACHESTACK_HTTP_REQUEST_TIMEOUT_MS',
  retryMaxAttempts: 'CACHESTACK_RETRY_MAX_ATTEMPTS',
  retryMode: 'CACHESTACK_RETRY_MODE',

  redisCache: 'CACHESTACK_REDIS_CACHE',
  redisHost: 'CACHESTACK_REDIS_HOST',
  redisReaderHost: 'CACHESTACK_REDIS_READER_HOST',
  redisPort: 'CACHESTACK_REDIS_PORT',
  redisTls: 'CACHESTACK_REDIS_TLS',
  redisClusterMode: 'CACHESTACK_REDIS_CLUSTER_MODE',
  redisAuthSecretArn: 'CACHESTACK_REDIS_AUTH_SECRET_ARN',
  redisPoolSize: 'CACHESTACK_REDIS_POOL_SIZE',
  redisCommandTimeoutMs: 'CACHESTACK_REDIS_COMMAND_TIMEOUT_MS',
  redisConnectTimeoutMs: 'CACHESTACK_REDIS_CONNECT_TIMEOUT_MS',
  /** JSON: `[{"name":"userProfile","pattern":"user:profile:{userId}","ttlSeconds":300}]`. */
  redisKeys: 'CACHESTACK_REDIS_KEYS',

  daxCluster: 'CACHESTACK_DAX_CLUSTER',
  daxEndpoint: 'CACHESTACK_DAX_ENDPOINT',
  daxRequestTimeoutMs: 'CACHESTACK_DAX_REQUEST_TIMEOUT_MS',

  pgSecretArn: 'CACHESTACK_PG_SECRET_ARN',
  pgMin: 'CACHESTACK_PG_MIN',
  pgMax: 'CACHESTACK_PG_MAX',
  pgIdleTimeoutMs: 'CACHESTACK_PG_IDLE_TIMEOUT_MS',
  pgConnectionTimeoutMs: 'CACHESTACK_PG_CONNECTION_TIMEOUT_MS',
  pgStatementTimeoutMs: 'CACHESTACK_PG_STATEMENT_TIMEOUT_MS',

  /** Invoke URL of the REST API stage (`https://<id>.execute-api.<region>.<dns suffix>/<stage>`), for handlers with `invalidates`. */
  restStageUrl: 'CACHESTACK_REST_STAGE_URL',
  /** Region the stage's SigV4 signatures name. */
  restRegion: 'CACHESTACK_REST_REGION',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** The payload the warmer sends and the guard recognises. */
export const WARM_PING_MARKER = 'cachestack:warm-ping' as const;
export interface WarmPing {
  source: typeof WARM_PING_MARKER;
  /** Which warmer run sent it (ISO time of the scheduled event, or a random id). */
  run?: string;
}

export function isWarmPing(event: unknown): event is WarmPing {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { source?: unknown }).source === WARM_PING_MARKER
  );
}

/** The warmer function's event (the EventBridge target's input). */
export interface WarmerInput { targets: { name: string; functionArn: string }[]; concurrency: number; timeoutMs?: number }

export interface RedisKeySetting {
  name: string;
  pattern: string;
  ttlSeconds: number;
}

/** Everything the runtime kit reads, as typed values. */
export interface HandlerSettings {
  service: string;
  environment?: string;
  handler: string;
  http: { keepAlive: boolean; maxSockets: number; connectTimeoutMs: number; requestTimeoutMs: number };
  retries: { maxAttempts: number; mode: 'standard' | 'adaptive' };
  redis?: {
    cache: string;
    host: string;
    readerHost?: string;
    port: number;
    tls: boolean;
    clusterMode: boolean;
    authSecretArn?: string;
    poolSize: number;
    commandTimeoutMs: number;
    connectTimeoutMs: number;
    keys: RedisKeySetting[];
  };
  dax?: { cluster: string; endpoint: string; requestTimeoutMs: number };
  postgres?: {
    secretArn?: string;
    min: number;
    max: number;
    idleTimeoutMs: number;
    connectionTimeoutMs: number;
    statementTimeoutMs: number;
  };
  /** The REST API stage this handler may invalidate entries of (`invalidates`). */
  restApi?: { stageUrl: string; region: string };
}

/** Settings → environment variables (synthesis side). Keys come out sorted. */
export function encodeHandlerEnvironment(s: HandlerSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (name: EnvName, value: string | number | boolean | undefined) => {
    if (value !== undefined) env[name] = String(value);
  };
  set(ENV.service, s.service);
  set(ENV.environment, s.environment);
  set(ENV.handler, s.handler);
  set(ENV.httpKeepAlive, s.http.keepAlive);
  set(ENV.httpMaxSockets, s.http.maxSockets);
  set(ENV.httpConnectTimeoutMs, s.http.connectTimeoutMs);
  set(ENV.httpRequestTimeoutMs, s.http.requestTimeoutMs);
  set(ENV.retryMaxAttempts, s.retries.maxAttempts);
  set(ENV.retryMode, s.retries.mode);
  if (s.redis) {
    set(ENV.redisCache, s.redis.cache);
    set(ENV.redisHost, s.redis.host);
    set(ENV.redisReaderHost, s.redis.readerHost);
    set(ENV.redisPort, s.redis.port);
    set(ENV.redisTls, s.redis.tls);
    set(ENV.redisClusterMode, s.redis.clusterMode);
    set(ENV.redisAuthSecretArn, s.redis.authSecretArn);
    set(ENV.redisPoolSize, s.redis.poolSize);
    set(ENV.redisCommandTimeoutMs, s.redis.commandTimeoutMs);
    set(ENV.redisConnectTimeoutMs, s.redis.connectTimeoutMs);
    set(ENV.redisKeys, JSON.stringify(s.redis.keys.map((k) => ({ name: k.name, pattern: k.pattern, ttlSeconds: k.ttlSeconds }))));
  }
  if (s.dax) {
    set(ENV.daxCluster, s.dax.cluster);
    set(ENV.daxEndpoint, s.dax.endpoint);
    set(ENV.daxRequestTimeoutMs, s.dax.requestTimeoutMs);
  }
  if (s.postgres) {
    set(ENV.pgSecretArn, s.postgres.secretArn);
    set(ENV.pgMin, s.postgres.min);
    set(ENV.pgMax, s.postgres.max);
    set(ENV.pgIdleTimeoutMs, s.postgres.idleTimeoutMs);
    set(ENV.pgConnectionTimeoutMs, s.postgres.connectionTimeoutMs);
    set(ENV.pgStatementTimeoutMs, s.postgres.statementTimeoutMs);
  }
  if (s.restApi) {
    set(ENV.restStageUrl, s.restApi.stageUrl);
    set(ENV.restRegion, s.restApi.region);
  }
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Thrown when the environment does not hold what synthesis writes. */
export class HandlerEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerEnvironmentError';
  }
}

function int(env: Record<string, string | undefined>, name: EnvName, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HandlerEnvironmentError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return n;
}

function bool(env: Record<string, string | undefined>, name: EnvName, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new HandlerEnvironmentError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * Environment variables → settings (runtime side). Missing optional variables
 * take the config language's defaults, so a handler also runs locally with an
 * empty environment; a malformed value throws `HandlerEnvironmentError`.
 */
export function decodeHandlerEnvironment(env: Record<string, string | undefined> = process.env): HandlerSettings {
  const mode = env[ENV.retryMode] ?? 'standard';
  if (mode !== 'standard' && mode !== 'adaptive') {
    throw new HandlerEnvironmentError(`${ENV.retryMode} must be standard or adaptive, got ${JSON.stringify(mode)}`);
  }
  const settings: HandlerSettings = {
    service: env[ENV.service] ?? 'local',
    environment: env[ENV.environment] || undefined,
    handler: env[ENV.handler] ?? 'local',
    http: {
      keepAlive: bool(env, ENV.httpKeepAlive, true),
      maxSockets: int(env, ENV.httpMaxSockets, 50),
      connectTimeoutMs: int(env, ENV.httpConnectTimeoutMs, 3000),
      requestTimeoutMs: int(env, ENV.httpRequestTimeoutMs, 5000),
    },
    retries: { maxAttempts: int(env, ENV.retryMaxAttempts, 3), mode },
  };
  if (env[ENV.redisHost]) {
    let keys: RedisKeySetting[] = [];
    const rawKeys = env[ENV.redisKeys];
    if (rawKeys) {
      try {
        keys = JSON.parse(rawKeys) as RedisKeySetting[];
      } catch {
        throw new HandlerEnvironmentError(`${ENV.redisKeys} must be JSON, got ${JSON.stringify(rawKeys.slice(0, 80))}`);
      }
      if (!Array.isArray(keys)) throw new HandlerEnvironmentError(`${ENV.redisKeys} must be a JSON list`);
    }
    settings.redis = {
      cache: env[ENV.redisCache] ?? 'default',
      host: env[ENV.redisHost] as string,
      readerHost: env[ENV.redisReaderHost] || undefined,
      port: int(env, ENV.redisPort, 6379),
      tls: bool(env, ENV.redisTls, true),
      clusterMode: bool(env, ENV.redisClusterMode, false),
      authSecretArn: env[ENV.redisAuthSecretArn] || undefined,
      poolSize: int(env, ENV.redisPoolSize, 1),
      commandTimeoutMs: int(env, ENV.redisCommandTimeoutMs, 500),
      connectTimeoutMs: int(env, ENV.redisConnectTimeoutMs, 2000),
      keys,
    };
  }
  if (env[ENV.daxEndpoint]) {
    settings.dax = {
      cluster: env[ENV.daxCluster] ?? 'default',
      endpoint: env[ENV.daxEndpoint] as string,
      requestTimeoutMs: int(env, ENV.daxRequestTimeoutMs, 1000),
    };
  }
  if (env[ENV.pgMax] || env[ENV.pgSecretArn]) {
    settings.postgres = {
      secretArn: env[ENV.pgSecretArn] || undefined,
      min: int(env, ENV.pgMin, 0),
      max: int(env, ENV.pgMax, 10),
      idleTimeoutMs: int(env, ENV.pgIdleTimeoutMs, 10000),
      connectionTimeoutMs: int(env, ENV.pgConnectionTimeoutMs, 5000),
      statementTimeoutMs: int(env, ENV.pgStatementTimeoutMs, 30000),
    };
  }
  if (env[ENV.restStageUrl]) {
    settings.restApi = { stageUrl: env[ENV.restStageUrl] as string, region: env[ENV.restRegion] || env.AWS_REGION || 'us-east-1' };
  }
  return settings;
}
