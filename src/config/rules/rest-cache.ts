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
 *
 * Why: API Gateway declares cache key parameters as method request parameters;
 * a `path.` key for a segment the path does not have is rejected at deploy time,
 * or (if it were dropped) would merge the cache entries of different resources.
 * Method caching without a stage cache cluster is a no-op in API Gateway: the
 * user asked for caching and would silently get none.
 */
import type { Rule, RuleContext } from './types';
import { didYouMean, endpointLabel, getIn, isRecord, nameList, pathParams, writtenConfig } from './util';

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
