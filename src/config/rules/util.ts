/**
 * Small helpers the rule modules share: "did you mean" suggestions, lists of names
 * in messages, the endpoint label users recognise, and the document as written for
 * one environment (base with the overlay merged the way the loader merges it).
 *
 * Everything here is pure and total: bad or partial input gives `undefined` or an
 * empty result, never an exception (rules must not throw).
 */
import type { Endpoint, Resolver } from '../model';
import type { RawConfig } from '../schema';
import { closest } from '../suggest';
import type { FieldPath, RuleContext } from './types';

/** The edit distance and "closest candidate" rule, shared with the CLI (../suggest.ts). */
export { closest, editDistance } from '../suggest';

/** `a`, `b`, `c` — names in backticks, sorted, for messages; long lists end with "and N more". */
export function nameList(names: Iterable<string>, limit = 20): string {
  const all = [...new Set(names)].sort();
  const shown = all.slice(0, limit).map((n) => `\`${n}\``).join(', ');
  return all.length > limit ? `${shown} and ${all.length - limit} more` : shown;
}

/** "did you mean `x`?" when a close candidate exists. */
export function didYouMean(value: string, candidates: Iterable<string>, render: (c: string) => string = (c) => c): string | undefined {
  const c = closest(value, candidates);
  return c === undefined ? undefined : `did you mean \`${render(c)}\`?`;
}

/** `GET /users/{userId}`, the way people name an endpoint. */
export function endpointLabel(e: { method: string; path: string }): string {
  return `\`${e.method} ${e.path}\``;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Value at `path` inside a plain JSON-like value, or `undefined`. */
export function getIn(root: unknown, path: FieldPath): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg < 0 || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (!isRecord(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** Deep merge with the overlay semantics of the config language: maps merge by key, everything else (lists included) is replaced. */
function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (isRecord(base) && isRecord(overlay)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(overlay)) out[k] = k in out ? mergeOverlay(out[k], v) : v;
    return out;
  }
  return overlay === undefined ? base : overlay;
}

/**
 * The document as written for this rule run's environment: the base with this
 * environment's overlay merged over it, without `environments` and without any
 * default. Rules use it where "the user wrote X" matters and the resolved model has
 * already folded X away (e.g. an endpoint `cache` object when no stage cache exists).
 */
export function writtenConfig(ctx: Pick<RuleContext, 'raw' | 'environment'>): Record<string, unknown> {
  const key = isRecord(ctx.raw) ? ctx.raw : undefined;
  const envKey = ctx.environment ?? '';
  const cached = key ? writtenCache.get(key)?.get(envKey) : undefined;
  if (cached) return cached;
  const result = computeWritten(ctx);
  if (key) {
    let perEnv = writtenCache.get(key);
    if (!perEnv) writtenCache.set(key, (perEnv = new Map()));
    perEnv.set(envKey, result);
  }
  return result;
}

/** Memo of `writtenConfig` per raw document and environment (the document is never mutated by rules). */
const writtenCache = new WeakMap<object, Map<string, Record<string, unknown>>>();

function computeWritten(ctx: Pick<RuleContext, 'raw' | 'environment'>): Record<string, unknown> {
  const raw = (isRecord(ctx.raw) ? ctx.raw : {}) as Record<string, unknown>;
  const { environments, ...base } = raw as RawConfig & Record<string, unknown>;
  const overlay = ctx.environment !== undefined && isRecord(environments) ? environments[ctx.environment] : undefined;
  const merged = mergeOverlay(base, isRecord(overlay) ? overlay : undefined);
  return isRecord(merged) ? merged : {};
}

/** The `{name}` and `{name+}` parameters of a resource path, in order. */
export function pathParams(path: string): string[] {
  const out: string[] = [];
  for (const m of path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)) out.push(m[1]);
  return out;
}

/*
 * The cache an endpoint or resolver asks for, as the cache-key rules see it: the
 * resolved one, or the object the YAML wrote when the model dropped it (an
 * endpoint `cache` without a stage cache, say). Checking the written object too
 * means that fixing one error does not reveal another one only on the next run.
 */

export interface CacheView {
  keys: string[];
  shared: boolean;
  /** The endpoint's explicit `namespace`, when it has one (REST only). */
  namespace?: string;
  /** `[..., 'cache']` of the endpoint or resolver. */
  path: FieldPath;
}

function fromWritten(written: unknown, path: FieldPath): CacheView | undefined {
  if (!isRecord(written)) return undefined;
  return {
    keys: Array.isArray(written.keys) ? written.keys.filter((k): k is string => typeof k === 'string') : [],
    shared: written.shared === true,
    namespace: typeof written.namespace === 'string' ? written.namespace : undefined,
    path,
  };
}

/** The cache of `restApi.endpoints[i]`, or `undefined` when it does not cache (omitted, `false`, `ttlSeconds: 0`). */
export function endpointCacheView(ctx: RuleContext, e: Endpoint, i: number): CacheView | undefined {
  const path: FieldPath = ['restApi', 'endpoints', i, 'cache'];
  if (e.cache) return { keys: e.cache.keys, shared: e.cache.shared, namespace: e.cache.namespace, path };
  const written = getIn(writtenConfig(ctx), path);
  if (isRecord(written) && written.ttlSeconds === 0) return undefined;
  return fromWritten(written, path);
}

/** The cache of `graphqlApi.resolvers[i]`, or `undefined` when it does not cache. */
export function resolverCacheView(ctx: RuleContext, r: Resolver, i: number): CacheView | undefined {
  const path: FieldPath = ['graphqlApi', 'resolvers', i, 'cache'];
  if (r.cache) return { keys: r.cache.keys, shared: r.cache.shared, path };
  return fromWritten(getIn(writtenConfig(ctx), path), path);
}

/** `[..., 'cache', 'keys']` when the YAML writes `keys`, else the cache itself: where a diagnostic about the keys points. */
export function keysPath(ctx: RuleContext, view: CacheView): FieldPath {
  const keys = [...view.path, 'keys'];
  return ctx.written(keys) ? keys : view.path;
}

/** `keys: `a`, `b`` or `no keys`, for messages. */
export function keyList(keys: readonly string[]): string {
  return keys.length ? `keys: ${keys.map((k) => `\`${k}\``).join(', ')}` : 'no keys';
}
