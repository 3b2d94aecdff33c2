/**
 * Rule 3: REST API method caching is coherent.
 *
 * What:
 * - a `path.NAME` cache key names a `{NAME}` (or `{NAME+}`) segment of the
 *   endpoint's own path;
 * - an endpoint that caches (`cache` is an object whose `ttlSeconds` is not 0)
 *   needs `restApi.cache`, the stage cache cluster.
 * (`restApi.cache.sizeGb` is one of API Gateway's sizes: the JSON Schema enum
 * checks that.)
 * - `cache-unsafe-method` (warning; an addition to the spec): a cached endpoint
 *   whose method is POST, PUT, PATCH, DELETE or ANY. API Gateway never puts the
 *   request body in the cache key, so one request's response answers another
 *   with a different body, and a cached write returns the stored response without
 *   reaching the handler at all. A warning, not an error: a read-only POST keyed
 *   on headers or query parameters is a deliberate, if rare, choice.
 *
 * Why: API Gateway declares cache key parameters as method request parameters;
 * a `path.` key for a segment the path does not have is rejected at deploy time,
 * or (if it were dropped) would merge the cache entries of different resources.
 * Method caching without a stage cache cluster is a no-op in API Gateway: the
 * user asked for caching and would silently get none.
 */
import type { Rule, RuleContext } from './types';
import { didYouMean, endpointLabel, getIn, isRecord, nameList, pathParams, writtenConfig } from './util';

/** Methods whose responses depend on the body or change state. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ANY']);

/** The endpoint's cache as the user wrote it for this environment, when it asks for caching. */
function writtenCache(ctx: RuleContext, i: number): Record<string, unknown> | undefined {
  const cache = getIn(writtenConfig(ctx), ['restApi', 'endpoints', i, 'cache']);
  if (!isRecord(cache) || cache.ttlSeconds === 0) return undefined;
  return cache;
}

export const restCacheRule: Rule = {
  id: 'rest-cache',
  meta: [
    {
      code: 'cache-key-path-param',
      severity: 'error',
      description: 'an endpoint cache key `path.NAME` names no `{NAME}` segment of the endpoint path.',
      specRule: 3,
    },
    {
      code: 'cache-unsafe-method',
      severity: 'warning',
      description: 'a cached endpoint uses POST, PUT, PATCH, DELETE or ANY; api gateway ignores the request body in the cache key and would answer writes from the cache.',
    },
    {
      code: 'endpoint-cache-needs-stage-cache',
      severity: 'error',
      description: 'an endpoint sets `cache` but `restApi.cache` (the stage cache cluster) is not defined, so nothing would be cached.',
      specRule: 3,
    },
  ],
  check(ctx) {
    const api = ctx.model.restApi;
    if (!api) return;
    api.endpoints.forEach((e, i) => {
      const raw = writtenCache(ctx, i);
      const caches = e.cache !== undefined || raw !== undefined;
      if (!caches) return;

      if (!api.cache) {
        ctx.report({
          code: 'endpoint-cache-needs-stage-cache',
          path: ['restApi', 'endpoints', i, 'cache'],
          message: `endpoint ${endpointLabel(e)} sets \`cache\` but \`restApi.cache\` is not defined; api gateway caches nothing without a stage cache cluster`,
          hint: 'add `restApi.cache: { sizeGb: 0.5 }` to turn on the stage cache cluster, or set `cache: false` on the endpoint',
        });
      }

      if (UNSAFE_METHODS.has(e.method)) {
        ctx.report({
          code: 'cache-unsafe-method',
          path: ['restApi', 'endpoints', i, 'method'],
          message: `endpoint ${endpointLabel(e)} is cached, but api gateway never puts the request body in the cache key: one request's response would answer another, and a cached ${e.method === 'ANY' ? 'write (ANY includes POST, PUT and DELETE)' : 'write'} would never reach the handler`,
          hint: e.method === 'ANY' ? 'cache a separate GET endpoint, and set `cache: false` here' : 'cache only GET (or HEAD) endpoints, or set `cache: false`',
        });
      }

      const keys = e.cache?.keys ?? (Array.isArray(raw?.keys) ? (raw!.keys as unknown[]) : []);
      const params = pathParams(e.path);
      keys.forEach((key, k) => {
        if (typeof key !== 'string' || !key.startsWith('path.')) return;
        const name = key.slice('path.'.length);
        if (params.includes(name)) return;
        ctx.report({
          code: 'cache-key-path-param',
          path: ['restApi', 'endpoints', i, 'cache', 'keys', k],
          message: params.length
            ? `cache key \`${key}\` names no segment of path \`${e.path}\`; its path parameters are: ${nameList(params)}`
            : `cache key \`${key}\` names a path parameter, but path \`${e.path}\` has none`,
          hint: params.length
            ? (didYouMean(name, params, (p) => `path.${p}`) ?? `use one of: ${params.map((p) => `\`path.${p}\``).join(', ')}`)
            : 'use `query.NAME` or `header.NAME`, or add a `{NAME}` segment to the path',
        });
      });
    });
  },
};
