/**
 * Rule 4 (cache half) and AppSync cache types.
 *
 * What:
 * - `resolver-cache-needs-per-resolver`: a resolver sets `cache` but the API cache
 *   is absent or its `behavior` is not `per-resolver`;
 * - `appsync-health-metrics-ignored` (warning): `cache.healthMetrics: true`; the
 *   AWS provider has no argument for it (neither 5.100 nor 6.x), so the generated
 *   Terraform cannot deploy it and the field would promise what is not there;
 * - `appsync-legacy-cache-type` (warning): `graphqlApi.cache.type` is one of the
 *   legacy `T2_*`/`R4_*` instance types;
 * - `resolver-cache-mutation` (warning): a resolver of the schema's mutation type
 *   sets `cache`. A cached mutation answers a repeated call with the stored result
 *   and never reaches the handler, so the write does not happen (the GraphQL
 *   counterpart of REST's `cache-unsafe-method`, and a warning for the same
 *   reason: an idempotent mutation may be cached on purpose, if rarely).
 * (Resolver cache keys start with `$context.arguments.`, `$context.identity.` or
 * `$context.source.`: the JSON Schema pattern checks that.)
 *
 * Why: AppSync honours a resolver's caching config only under per-resolver
 * caching. With full-request or operation-level caching, or no API cache at all,
 * the resolver's TTL and keys are ignored: the user would believe a field is
 * cached (or keyed per caller) when it is not. The legacy instance types are
 * deprecated by AppSync; the modern type of the same size costs the same or less.
 */
import { analyzeMemo } from '../sdl';
import type { Rule, RuleContext } from './types';
import { getIn, isRecord, resolverCacheView, writtenConfig } from './util';

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
      code: 'resolver-cache-mutation',
      severity: 'warning',
      description: 'a resolver of the mutation type sets `cache`; a repeated call would be answered from the cache and the write would not happen.',
    },
    {
      code: 'appsync-health-metrics-ignored',
      severity: 'warning',
      description: '`graphqlApi.cache.healthMetrics: true` has no effect: the aws provider (5.100 and 6.x) has no argument for the cache\'s health metrics, so nothing turns them on.',
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

    if (cache?.healthMetrics === true) {
      ctx.report({
        code: 'appsync-health-metrics-ignored',
        path: ['graphqlApi', 'cache', 'healthMetrics'],
        message: '`healthMetrics: true` has no effect: the terraform aws provider (5.100 and 6.x) has no argument for the api cache\'s health metrics, so the generated terraform cannot turn them on',
        hint: 'remove `healthMetrics` and turn the metrics on outside terraform (`aws appsync update-api-cache --health-metrics-config ENABLED`)',
      });
    }

    checkMutations(ctx);

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

/** The schema's mutation type name (`Mutation` unless a `schema { mutation: ... }` block says otherwise), when the schema parses. */
function mutationTypeName(ctx: RuleContext): string | undefined {
  const api = ctx.model.graphqlApi!;
  const text = ctx.readFile(api.schemaPath);
  if (text === undefined) return undefined;
  const analyzed = analyzeMemo(text);
  return analyzed.ok ? analyzed.schema.mutationType : undefined;
}

function checkMutations(ctx: RuleContext): void {
  const resolvers = ctx.model.graphqlApi!.resolvers;
  const cached = resolvers.map((r, i) => ({ r, view: resolverCacheView(ctx, r, i) })).filter((x) => x.view !== undefined);
  if (!cached.length) return;
  const mutation = mutationTypeName(ctx);
  if (mutation === undefined) return;
  for (const { r, view } of cached) {
    if (r.typeName !== mutation) continue;
    ctx.report({
      code: 'resolver-cache-mutation',
      path: view!.path,
      message: `resolver \`${r.field}\` is a mutation and sets \`cache\`: a repeated call with the same key values would get the stored result, and the handler (the write) would not run`,
      hint: 'remove `cache` from the mutation (cache the query that reads the data instead)',
    });
  }
}
