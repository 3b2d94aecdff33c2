/**
 * Rule 4 (cache half) and AppSync cache types.
 *
 * What:
 * - `resolver-cache-needs-per-resolver`: a resolver sets `cache` but the API cache
 *   is absent or its `behavior` is not `per-resolver`;
 * - `appsync-legacy-cache-type` (warning): `graphqlApi.cache.type` is one of the
 *   legacy `T2_*`/`R4_*` instance types.
 * (Resolver cache keys start with `$context.arguments.`, `$context.identity.` or
 * `$context.source.`: the JSON Schema pattern checks that.)
 *
 * Why: AppSync honours a resolver's caching config only under per-resolver
 * caching. With full-request or operation-level caching, or no API cache at all,
 * the resolver's TTL and keys are ignored: the user would believe a field is
 * cached (or keyed per caller) when it is not. The legacy instance types are
 * deprecated by AppSync; the modern type of the same size costs the same or less.
 */
import type { Rule } from './types';
import { getIn, isRecord, writtenConfig } from './util';

/** Legacy type → the current type of the same size. */
export const LEGACY_CACHE_TYPE_REPLACEMENT: Record<string, string> = {
  T2_SMALL: 'SMALL',
  T2_MEDIUM: 'MEDIUM',
  R4_LARGE: 'LARGE',
  R4_XLARGE: 'XLARGE',
  R4_2XLARGE: 'LARGE_2X',
  R4_4XLARGE: 'LARGE_4X',
  R4_8XLARGE: 'LARGE_8X',
};

export const appsyncCacheRule: Rule = {
  id: 'appsync-cache',
  meta: [
    {
      code: 'resolver-cache-needs-per-resolver',
      severity: 'error',
      description: 'a resolver sets `cache` but `graphqlApi.cache.behavior` is not `per-resolver` (or there is no api cache), so appsync ignores it.',
      specRule: 4,
    },
    {
      code: 'appsync-legacy-cache-type',
      severity: 'warning',
      description: '`graphqlApi.cache.type` is a legacy `T2_*`/`R4_*` instance type; use the current type of the same size.',
    },
  ],
  check(ctx) {
    const api = ctx.model.graphqlApi;
    if (!api) return;
    const cache = api.cache;

    const legacy = cache && LEGACY_CACHE_TYPE_REPLACEMENT[cache.type];
    if (cache && legacy) {
      ctx.report({
        code: 'appsync-legacy-cache-type',
        path: ['graphqlApi', 'cache', 'type'],
        message: `appsync cache type \`${cache.type}\` is a legacy instance type; current types: SMALL, MEDIUM, LARGE, XLARGE, LARGE_2X, LARGE_4X, LARGE_8X, LARGE_12X`,
        hint: `use \`type: ${legacy}\` (same size); changing the type replaces the cache, so its entries are lost once`,
      });
    }

    if (cache?.behavior === 'per-resolver') return;
    const written = writtenConfig(ctx);
    api.resolvers.forEach((r, i) => {
      const rawCache = getIn(written, ['graphqlApi', 'resolvers', i, 'cache']);
      if (r.cache === undefined && !isRecord(rawCache)) return;
      ctx.report({
        code: 'resolver-cache-needs-per-resolver',
        path: ['graphqlApi', 'resolvers', i, 'cache'],
        message: cache
          ? `resolver \`${r.field}\` sets \`cache\` but \`graphqlApi.cache.behavior\` is \`${cache.behavior}\`; resolver caching needs \`per-resolver\``
          : `resolver \`${r.field}\` sets \`cache\` but \`graphqlApi.cache\` is not defined; resolver caching needs an api cache with \`behavior: per-resolver\``,
        hint: cache
          ? 'set `graphqlApi.cache.behavior: per-resolver`, or remove the resolver `cache`'
          : 'add `graphqlApi.cache: { behavior: per-resolver }`, or remove the resolver `cache`',
      });
    });
  },
};
