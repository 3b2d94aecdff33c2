/**
 * Facts about a resolved model that `explain` and `diff` both state: whether a
 * cache is shared between callers, who may invalidate it, how big a node type is.
 *
 * Pure functions of the model; no I/O.
 */
import type { Endpoint, EndpointCache, GraphqlApi, Resolver, ServiceModel } from '../config/model';

/** `per-caller`: the cache key identifies the caller; `shared`: every caller may get the same entry. */
export type CacheScope = 'per-caller' | 'shared';

/**
 * The request header that identifies the caller of an endpoint: the header API
 * Gateway hands to the Lambda authorizer (`auth.lambda.identityHeader`) for
 * `auth: lambda`, `Authorization` for every other kind (Cognito tokens, SigV4
 * signatures, or an unauthenticated token the handler checks itself).
 */
export function identityHeaderOf(model: ServiceModel, endpoint: Endpoint): string {
  if (endpoint.auth === 'lambda' && model.auth.lambda) return model.auth.lambda.identityHeader;
  return 'Authorization';
}

/**
 * An endpoint cache is per caller when one of its keys is the header that
 * identifies the caller; otherwise two callers sending the same cache keys get the
 * same cached response. The `shared` flag in the YAML is the author's statement;
 * this is what API Gateway will do.
 */
export function endpointScope(model: ServiceModel, endpoint: Endpoint, cache: EndpointCache = endpoint.cache!): CacheScope {
  const wanted = `header.${identityHeaderOf(model, endpoint)}`.toLowerCase();
  return cache.keys.some((k) => k.toLowerCase() === wanted) ? 'per-caller' : 'shared';
}

/**
 * A resolver cache is per caller when a key reads `$context.identity.*`, except
 * under API-key auth, where `$context.identity` carries nothing about the caller.
 */
export function resolverScope(api: GraphqlApi, keys: readonly string[]): CacheScope {
  if (api.auth === 'api-key') return 'shared';
  return keys.some((k) => k.startsWith('$context.identity.')) ? 'per-caller' : 'shared';
}

/** How a resolver is cached, whatever the API-level behaviour. */
export interface ResolverCaching {
  /** `resolver`: its own `cache`; `full-request` / `operation-level`: the API's behaviour. */
  source: 'resolver' | 'full-request' | 'operation-level';
  ttlSeconds: number;
  keys: string[];
  scope: CacheScope;
}

/**
 * What AppSync caches for a resolver. Per-resolver caching uses the resolver's own
 * TTL and keys. Full-request caching caches every resolver keyed by the whole of
 * `$context.arguments` and `$context.identity` (so per caller unless the API uses
 * API keys). Operation-level caching caches whole operation responses, not
 * resolvers; the resolver itself is not cached.
 */
export function resolverCaching(api: GraphqlApi, resolver: Resolver): ResolverCaching | undefined {
  const behavior = api.cache?.behavior;
  if (!api.cache) return undefined;
  if (behavior === 'full-request') {
    const keys = ['$context.arguments', '$context.identity'];
    return { source: 'full-request', ttlSeconds: api.cache.ttlSeconds, keys, scope: api.auth === 'api-key' ? 'shared' : 'per-caller' };
  }
  if (behavior === 'operation-level') return undefined;
  if (!resolver.cache) return undefined;
  return {
    source: 'resolver',
    ttlSeconds: resolver.cache.ttlSeconds,
    keys: [...resolver.cache.keys],
    scope: resolverScope(api, resolver.cache.keys),
  };
}

/** Who may bypass or flush an endpoint's cache with `Cache-Control: max-age=0`. */
export function invalidationText(cache: EndpointCache): string {
  if (!cache.requireAuthorization) return 'any caller (Cache-Control: max-age=0 is honoured for everyone)';
  const others =
    cache.unauthorized === 'fail'
      ? 'others get 403'
      : cache.unauthorized === 'ignore-with-warning'
        ? 'others are served from the cache with a warning header'
        : 'others are served from the cache';
  return `callers allowed execute-api:InvalidateCache; ${others}`;
}

/** Shorter form for table cells. */
export function invalidationShort(cache: EndpointCache): string {
  if (!cache.requireAuthorization) return 'anyone';
  const others = cache.unauthorized === 'fail' ? '403' : cache.unauthorized === 'ignore-with-warning' ? 'ignored, warning' : 'ignored';
  return `InvalidateCache IAM (others: ${others})`;
}

/**
 * Relative memory of a node size within a family (`cache.r7g.large` → `large`),
 * or `undefined` when the size is not one AWS names.
 */
function sizeWeight(size: string): number | undefined {
  const fixed: Record<string, number> = { nano: 0.125, micro: 0.25, small: 0.5, medium: 1, large: 2, xlarge: 4 };
  if (size in fixed) return fixed[size];
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? 4 * Number(m[1]) : undefined;
}

/**
 * Compare two node types (`cache.t4g.small`, `dax.r5.large`): `grow`, `shrink`,
 * or `change` when the families differ or a size is unknown (memory per size
 * differs between families, so only the same family is ordered).
 */
export function compareNodeTypes(before: string, after: string): 'grow' | 'shrink' | 'change' {
  const a = before.split('.');
  const b = after.split('.');
  if (a.length !== 3 || b.length !== 3 || a[0] !== b[0] || a[1] !== b[1]) return 'change';
  const wa = sizeWeight(a[2]);
  const wb = sizeWeight(b[2]);
  if (wa === undefined || wb === undefined || wa === wb) return 'change';
  return wb > wa ? 'grow' : 'shrink';
}

/** AppSync cache types from smallest to largest; legacy types mapped onto the same ladder. */
const APPSYNC_TYPE_RANK: Record<string, number> = {
  SMALL: 1,
  T2_SMALL: 1,
  MEDIUM: 2,
  T2_MEDIUM: 2,
  LARGE: 3,
  R4_LARGE: 3,
  XLARGE: 4,
  R4_XLARGE: 4,
  LARGE_2X: 5,
  R4_2XLARGE: 5,
  LARGE_4X: 6,
  R4_4XLARGE: 6,
  LARGE_8X: 7,
  R4_8XLARGE: 7,
  LARGE_12X: 8,
};

export function compareAppsyncTypes(before: string, after: string): 'grow' | 'shrink' | 'change' {
  const a = APPSYNC_TYPE_RANK[before];
  const b = APPSYNC_TYPE_RANK[after];
  if (a === undefined || b === undefined || a === b) return 'change';
  return b > a ? 'grow' : 'shrink';
}

export function compareNumbers(before: number, after: number): 'grow' | 'shrink' | 'change' {
  return after > before ? 'grow' : after < before ? 'shrink' : 'change';
}

/** Total nodes of a replication group: one primary plus replicas, per shard. */
export function redisNodeCount(shards: number, replicasPerShard: number): number {
  return shards * (1 + replicasPerShard);
}

/** Compare dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number(x));
  const pb = b.split('.').map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `300` → `300s`; `86400` → `86400s (1d)`; keeps exact seconds first. */
export function seconds(n: number): string {
  if (n >= 86400 && n % 86400 === 0) return `${n}s (${n / 86400}d)`;
  if (n >= 3600 && n % 3600 === 0) return `${n}s (${n / 3600}h)`;
  if (n >= 60 && n % 60 === 0) return `${n}s (${n / 60}m)`;
  return `${n}s`;
}
