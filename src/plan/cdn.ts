/**
 * The `cdn` distribution of one environment, as data: its behaviors, what each
 * cache policy keys on, and whether the API behavior strips a path prefix.
 * Synthesis (src/infra/cdn.ts) builds exactly this; `explain` lists it and `diff`
 * (src/plan/diff-cdn.ts) compares it.
 *
 * What the API behavior keys on (rule 17): when it caches (`maxTtlSeconds > 0`),
 * the whole query string, every header an endpoint behind it keys its own stage
 * cache on (`header.X`), and, when any endpoint has `auth`, the header that
 * identifies the caller (Authorization, or a lambda authorizer's identity header).
 * One caller's response is then never served to another, and no two resources
 * share an entry. When it does not cache, nothing is keyed and every request
 * reaches the API.
 *
 * No cdktf import.
 */
import type { Cdn, ServiceModel } from '../config/model';
import { identityHeaderOf } from './facts';

export interface CdnBehaviorPlan {
  /** `api` or `static`: the origin it sends requests to. */
  origin: 'api' | 'static';
  /** `*` for the default behavior. */
  pathPattern: string;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  caches: boolean;
  /** Headers in the cache key, sorted (case as written). */
  keyHeaders: string[];
  /** Query strings in the cache key: all of them, or none. */
  keyQueryStrings: 'all' | 'none';
  /** The literal prefix a CloudFront Function removes before the request reaches the API, or null. */
  stripPrefix: string | null;
}

export interface CdnPlan {
  priceClass: string;
  /** The TLS policy viewers get: `minimumTls` with a certificate; TLSv1 on the default certificate. */
  viewerTls: string;
  compress: boolean;
  aliases: string[];
  certificateArn: string | null;
  logging: null | { bucket: string; prefix: string };
  /** The bucket of `static`, whose policy cachestack writes. */
  staticBucket: string | null;
  behaviors: CdnBehaviorPlan[];
}

const sortText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The headers the API behavior's cache policy keys on (see the module comment); [] when it does not cache. */
export function apiCacheKeyHeaders(model: ServiceModel): string[] {
  const cdn = model.cdn;
  const api = model.restApi;
  if (!cdn?.api || !api || cdn.api.maxTtlSeconds === 0) return [];
  const byLower = new Map<string, string>();
  for (const e of api.endpoints) {
    if (e.auth !== 'none') {
      const h = identityHeaderOf(model, e);
      if (!byLower.has(h.toLowerCase())) byLower.set(h.toLowerCase(), h);
    }
    for (const k of e.cache?.keys ?? []) {
      if (!k.startsWith('header.')) continue;
      const h = k.slice('header.'.length);
      if (!byLower.has(h.toLowerCase())) byLower.set(h.toLowerCase(), h);
    }
  }
  return [...byLower.values()].sort(sortText);
}

/**
 * The literal prefix of the API path pattern (`/api` of `/api/*`) that is removed
 * before the request reaches the stage: only when `static` holds the default
 * behavior (so the pattern routes), and no endpoint path lives under it already.
 */
export function apiStripPrefix(model: ServiceModel): string | null {
  const cdn = model.cdn;
  if (!cdn?.api || !cdn.static) return null;
  const m = /^(\/[A-Za-z0-9_.~-]+(?:\/[A-Za-z0-9_.~-]+)*)\/\*$/.exec(cdn.api.pathPattern);
  if (!m) return null;
  const prefix = m[1];
  const under = (model.restApi?.endpoints ?? []).some((e) => e.path === prefix || e.path.startsWith(`${prefix}/`));
  return under ? null : prefix;
}

export function viewerTls(cdn: Cdn): string {
  return cdn.certificateArn !== undefined ? cdn.minimumTls : 'TLSv1 (default *.cloudfront.net certificate)';
}

export function planCdn(model: ServiceModel): CdnPlan | null {
  const cdn = model.cdn;
  if (!cdn) return null;
  const behaviors: CdnBehaviorPlan[] = [];
  if (cdn.static) {
    behaviors.push({ origin: 'static', pathPattern: '*', defaultTtlSeconds: cdn.static.defaultTtlSeconds, maxTtlSeconds: cdn.static.maxTtlSeconds, caches: cdn.static.maxTtlSeconds > 0, keyHeaders: [], keyQueryStrings: 'none', stripPrefix: null });
  }
  if (cdn.api) {
    const caches = cdn.api.maxTtlSeconds > 0;
    behaviors.push({
      origin: 'api',
      pathPattern: cdn.static ? cdn.api.pathPattern : '*',
      defaultTtlSeconds: cdn.api.defaultTtlSeconds,
      maxTtlSeconds: cdn.api.maxTtlSeconds,
      caches,
      keyHeaders: apiCacheKeyHeaders(model),
      keyQueryStrings: caches ? 'all' : 'none',
      stripPrefix: apiStripPrefix(model),
    });
  }
  return {
    priceClass: cdn.priceClass,
    viewerTls: viewerTls(cdn),
    compress: cdn.compress,
    aliases: [...cdn.aliases].sort(sortText),
    certificateArn: cdn.certificateArn ?? null,
    logging: cdn.logging ? { ...cdn.logging } : null,
    staticBucket: cdn.static?.bucket ?? null,
    behaviors,
  };
}

/** The viewer-request function that removes `prefix` from the URI (cloudfront-js-2.0). */
export function stripPrefixFunctionCode(prefix: string): string {
  return [
    'function handler(event) {',
    '  var request = event.request;',
    `  var prefix = ${JSON.stringify(prefix)};`,
    '  if (request.uri === prefix || request.uri.indexOf(prefix + "/") === 0) {',
    '    request.uri = request.uri.substring(prefix.length) || "/";',
    '  }',
    '  return request;',
    '}',
    '',
  ].join('\n');
}
