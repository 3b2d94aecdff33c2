/**
 * Rule 16: invalidation names what it drops, and can say which entry.
 *
 * What:
 * - `invalidation-unknown-target` (error): `handlers.<name>.invalidates` names no
 *   endpoint of `restApi.endpoints`, or `graphqlApi.resolvers[].evicts[].field`
 *   names no resolver. The message lists the cached ones that exist.
 * - `invalidation-target-not-cached` (error): the endpoint or resolver exists but
 *   does not cache: there is nothing to drop, and a grant for it would be a
 *   permission without a purpose.
 * - `invalidation-open-cache-control` (error): an endpoint in `invalidates` caches
 *   with `requireAuthorization: false`. Then anyone may send
 *   `Cache-Control: max-age=0`, so the `execute-api:InvalidateCache` grant means
 *   nothing, and every caller can empty the cache of that method.
 * - `eviction-outside-mutation` (error): `evicts` on a resolver that is not a field
 *   of the mutation type; AppSync's `evictFromApiCache` works only in mutations.
 * - `eviction-key-unknown` (error): `evicts[].keys` maps a key the target
 *   resolver's cache does not have (its keys are listed).
 * - `eviction-key-unresolved` (error): a cache key of the target gets no value
 *   from this request: the `$context.arguments.` path names no argument (or no
 *   field of an input argument) of the evicting field, or a `$context.source.` path
 *   is read on a root field (`Mutation.x` has no parent). AppSync would evict an
 *   entry under an `undefined` key, which is never the cached one.
 *
 * Why: an invalidation that names the wrong thing fails silently: the write
 * succeeds, the stale entry stays, and readers see old data until the TTL ends.
 */
import type { Resolver } from '../model';
import { analyzeMemo, isListRef, withoutNonNull, type SchemaView } from '../sdl';
import type { Rule, RuleContext } from './types';
import { didYouMean, endpointLabel, nameList } from './util';

const ARGS = '$context.arguments.';
const SOURCE = '$context.source.';

function checkInvalidates(ctx: RuleContext): void {
  const endpoints = ctx.model.restApi?.endpoints ?? [];
  const cached = endpoints.filter((e) => e.cache !== undefined).map((e) => `${e.method} ${e.path}`);
  const cachedList = cached.length ? `cached endpoints: ${nameList(cached)}` : 'no endpoint caches';
  for (const h of ctx.model.handlers) {
    h.invalidates.forEach((target, i) => {
      const path = ['handlers', h.name, 'invalidates', i];
      const label = `${target.method} ${target.path}`;
      const e = endpoints.find((x) => x.method === target.method && x.path === target.path);
      if (!e) {
        ctx.report({
          code: 'invalidation-unknown-target',
          path,
          message: `handler \`${h.name}\` invalidates \`${label}\`, which is not an endpoint of \`restApi.endpoints\`; ${cachedList}`,
          hint: didYouMean(label, cached),
        });
        return;
      }
      if (!e.cache) {
        ctx.report({
          code: 'invalidation-target-not-cached',
          path,
          message: `handler \`${h.name}\` invalidates ${endpointLabel(e)}, which does not cache; ${cachedList}`,
          hint: 'give the endpoint a `cache`, or remove it from `invalidates`',
        });
        return;
      }
      if (!e.cache.requireAuthorization) {
        ctx.report({
          code: 'invalidation-open-cache-control',
          path,
          message:
            `handler \`${h.name}\` invalidates ${endpointLabel(e)}, whose cache has \`requireAuthorization: false\`: ` +
            'any caller may already bypass and refresh its entries, so the grant would protect nothing',
          hint: 'set `requireAuthorization: true` on the endpoint\'s cache (the default) so only granted principals invalidate it',
        });
      }
    });
  }
}

/** The problem with reading `expr` in a request to `source`, or `undefined` when it has a value there. */
function unresolved(expr: string, source: Resolver, schema: SchemaView | undefined): string | undefined {
  if (!schema) return undefined;
  const type = schema.objectType(source.typeName);
  if (!type) return undefined;
  const field = schema.field(type, source.fieldName);
  if (!field) return undefined;
  if (expr.startsWith(SOURCE)) {
    return schema.rootTypeNames().includes(type.name) ? `\`${source.field}\` is a root field, so \`$context.source\` is empty` : undefined;
  }
  if (!expr.startsWith(ARGS)) return undefined;
  const [argName, ...rest] = expr.slice(ARGS.length).split('.');
  const args = field.args ?? [];
  const arg = args.find((a) => a.name === argName);
  if (!arg) {
    const names = args.map((a) => a.name);
    return `\`${source.field}\` has no argument \`${argName}\` (${names.length ? `arguments: ${nameList(names)}` : 'it takes no arguments'})`;
  }
  let t = arg.type;
  let walked = argName;
  for (const seg of rest) {
    t = withoutNonNull(t);
    const input = isListRef(t) ? undefined : schema.inputType(t);
    if (!input) return `\`${walked}\` of \`${source.field}\` is not an input object, so it has no \`${seg}\``;
    const f = schema.field(input, seg);
    if (!f) return `input \`${input.name}\` of \`${walked}\` has no field \`${seg}\` (fields: ${nameList(schema.fieldNames(input))})`;
    t = f.type;
    walked = `${walked}.${seg}`;
  }
  return undefined;
}

function checkEvicts(ctx: RuleContext): void {
  const api = ctx.model.graphqlApi;
  if (!api) return;
  const byField = new Map(api.resolvers.map((r) => [r.field, r] as const));
  const cached = api.resolvers.filter((r) => r.cache !== undefined).map((r) => r.field);
  const cachedList = cached.length ? `cached resolvers: ${nameList(cached)}` : 'no resolver caches';
  let schema: SchemaView | undefined;
  if (api.resolvers.some((r) => r.evicts.length > 0)) {
    const text = ctx.readFile(api.schemaPath);
    const analyzed = text === undefined ? undefined : analyzeMemo(text);
    schema = analyzed?.ok ? analyzed.schema : undefined;
  }
  const mutationType = schema?.mutationType;
  api.resolvers.forEach((r, i) => {
    if (schema && r.evicts.length > 0 && r.typeName !== mutationType) {
      ctx.report({
        code: 'eviction-outside-mutation',
        path: ['graphqlApi', 'resolvers', i, 'evicts'],
        message: `resolver \`${r.field}\` has \`evicts\`, but AppSync evicts cache entries only from a mutation's resolver (${mutationType ? `the mutation type is \`${mutationType}\`` : 'the schema has no mutation type'})`,
        hint: 'move `evicts` to the mutation that changes the data',
      });
      return;
    }
    r.evicts.forEach((ev, j) => {
      const base = ['graphqlApi', 'resolvers', i, 'evicts', j];
      const target = byField.get(ev.field);
      if (!target) {
        ctx.report({
          code: 'invalidation-unknown-target',
          path: [...base, 'field'],
          message: `resolver \`${r.field}\` evicts \`${ev.field}\`, which is not a resolver of \`graphqlApi.resolvers\`; ${cachedList}`,
          hint: didYouMean(ev.field, cached),
        });
        return;
      }
      if (!target.cache) {
        ctx.report({
          code: 'invalidation-target-not-cached',
          path: [...base, 'field'],
          message: `resolver \`${r.field}\` evicts \`${ev.field}\`, which does not cache; ${cachedList}`,
          hint: 'give the target resolver a `cache`, or remove it from `evicts`',
        });
        return;
      }
      const targetKeys = target.cache.keys;
      for (const k of Object.keys(ev.keys)) {
        if (targetKeys.includes(k)) continue;
        ctx.report({
          code: 'eviction-key-unknown',
          path: [...base, 'keys', k],
          message: `\`${k}\` is not a cache key of \`${ev.field}\` (${targetKeys.length ? `its keys: ${nameList(targetKeys)}` : 'it has no keys'})`,
          hint: didYouMean(k, targetKeys),
        });
      }
      for (const k of targetKeys) {
        const mapped = Object.prototype.hasOwnProperty.call(ev.keys, k);
        const expr = mapped ? ev.keys[k] : k;
        const problem = unresolved(expr, r, schema);
        if (problem === undefined) continue;
        ctx.report({
          code: 'eviction-key-unresolved',
          path: mapped ? [...base, 'keys', k] : [...base, 'field'],
          message: `cache key \`${k}\` of \`${ev.field}\` gets no value from a \`${r.field}\` request: ${mapped ? `\`${expr}\`` : 'the same path'} is empty there, since ${problem}`,
          hint: `map it to the path of this request that holds the value: \`keys: { ${k}: $context.arguments.… }\``,
        });
      }
    });
  });
}

export const invalidationRule: Rule = {
  id: 'invalidation',
  meta: [
    {
      code: 'invalidation-unknown-target',
      severity: 'error',
      description: '`invalidates` names no endpoint of `restApi.endpoints`, or `evicts[].field` names no resolver of `graphqlApi.resolvers`; the message lists the cached ones.',
      specRule: 16,
    },
    {
      code: 'invalidation-target-not-cached',
      severity: 'error',
      description: 'an endpoint in `invalidates` or a resolver in `evicts` does not cache, so there is nothing to invalidate.',
      specRule: 16,
    },
    {
      code: 'invalidation-open-cache-control',
      severity: 'error',
      description: 'an endpoint in `invalidates` caches with `requireAuthorization: false`: every caller may already invalidate it, so the grant protects nothing.',
      specRule: 16,
    },
    {
      code: 'eviction-outside-mutation',
      severity: 'error',
      description: '`evicts` on a resolver of a type other than the mutation type: AppSync\'s `evictFromApiCache` works only in mutations.',
      specRule: 16,
    },
    {
      code: 'eviction-key-unknown',
      severity: 'error',
      description: '`evicts[].keys` maps a key that is not a cache key of the target resolver.',
      specRule: 16,
    },
    {
      code: 'eviction-key-unresolved',
      severity: 'error',
      description: 'a cache key of an `evicts` target gets no value from the evicting request (no such argument, or `$context.source` on a root field), so the eviction would miss the cached entry.',
      specRule: 16,
    },
  ],
  check(ctx) {
    checkInvalidates(ctx);
    checkEvicts(ctx);
  },
};
