/**
 * Rule 12: a cache key identifies the resource.
 *
 * Why: a cache answers from whatever it stored under a key. A value the response
 * depends on but the key leaves out is a value the cache cannot tell apart:
 * `GET /users/{userId}/card` cached without `path.userId` writes
 * `cache_key_parameters = []`, and the first card asked for is served for every
 * `userId` until the TTL ends. Rule 5 (isolation) keeps callers apart; this rule
 * keeps resources apart, so `shared: true` (the same response for every caller)
 * does not lift it.
 *
 * What:
 * - `cache-key-incomplete`, REST: every `{name}` and greedy `{name+}` segment of a
 *   cached endpoint's path is a `path.name` key (API Gateway keys a greedy
 *   parameter on the whole rest of the path, so `path.proxy` for `{proxy+}`).
 * - `cache-key-incomplete`, GraphQL: every argument of a cached resolver's field
 *   (read from the schema file; optional arguments too, since a different value,
 *   or none, is a different answer) is covered by `$context.arguments.` keys.
 *   Coverage of an input-object argument: a key on the argument itself
 *   (`$context.arguments.input`) covers all of it; keys on its fields
 *   (`$context.arguments.input.id`) cover only those fields, so the argument is
 *   covered when they cover every field of the input type, recursively. A list,
 *   or an input type that contains itself, can only be covered whole: a key
 *   cannot address list items, and a recursive type has no finite set of fields.
 *   The hint names the smallest set of keys that completes the coverage.
 * - `cache-key-missing-source`: a cached resolver on a field of a type that is not
 *   a root operation type (`User.posts`, not `Query.user`) has a
 *   `$context.source.` key. Such a field resolves once per parent object, and the
 *   parent (AppSync's `$context.source`) is what tells one user's posts from
 *   another's; arguments and identity do not.
 *
 * A schema that does not parse, or a field it lacks, is rule 4's to report; this
 * rule then says nothing about that resolver.
 */
import { analyzeMemo, isListRef, withoutNonNull, type SchemaView, type SdlType } from '../sdl';
import type { Rule, RuleContext } from './types';
import { closest, endpointCacheView, endpointLabel, keyList, keysPath, resolverCacheView, type CacheView } from './util';

const ARGS = '$context.arguments.';
const SOURCE = '$context.source.';

function ticks(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** What `shared: true` does not do, added to a hint when the cache says it. */
function sharedNote(cache: CacheView, what: string): string {
  return cache.shared ? `; \`shared: true\` only says the response is the same for every caller, not for every ${what}` : '';
}

function checkEndpoints(ctx: RuleContext): void {
  const api = ctx.model.restApi;
  if (!api) return;
  api.endpoints.forEach((e, i) => {
    const cache = endpointCacheView(ctx, e, i);
    if (!cache) return;
    const segments = [...e.path.matchAll(/\{([A-Za-z0-9_]+)(\+?)\}/g)].map((m) => ({ name: m[1], segment: m[0] }));
    const missing = segments.filter((p) => !cache.keys.includes(`path.${p.name}`));
    if (!missing.length) return;
    const names = missing.map((p) => p.name);
    const greedy = missing.filter((p) => p.segment.endsWith('+}')).map((p) => p.segment);
    ctx.report({
      code: 'cache-key-incomplete',
      path: keysPath(ctx, cache),
      message:
        `endpoint ${endpointLabel(e)} is cached, but path ${plural(names.length, 'parameter', 'parameters')} ${ticks(names)} ` +
        `${plural(names.length, 'is not a cache key', 'are not cache keys')} (${keyList(cache.keys)}); ` +
        `the response for one ${ticks(names)} would be served for every other` +
        (greedy.length ? ` (a greedy ${ticks(greedy)} matches the whole rest of the path)` : ''),
      hint: `add ${ticks(names.map((n) => `path.${n}`))} to \`keys\`${sharedNote(cache, names.length === 1 ? `\`${names[0]}\`` : 'value of the path')}`,
    });
  });
}

/**
 * Argument paths under `prefix` that `keys` (argument paths) leave uncovered: the
 * whole prefix when no key is on or under it, else the uncovered fields of an
 * input object, recursively. `type` is the argument's or field's type reference.
 */
function uncovered(schema: SchemaView, prefix: string[], type: string, keys: readonly string[][], seen: ReadonlySet<string>): string[][] {
  const startsWith = (k: readonly string[], p: readonly string[]) => p.length <= k.length && p.every((s, j) => k[j] === s);
  if (keys.some((k) => startsWith(prefix, k))) return [];
  const t = withoutNonNull(type);
  const under = keys.some((k) => k.length > prefix.length && startsWith(k, prefix));
  const input = isListRef(t) ? undefined : schema.inputType(t);
  if (!under || !input || seen.has(input.name)) return [prefix];
  const inner = new Set(seen).add(input.name);
  return (input.fields ?? []).flatMap((f) => uncovered(schema, [...prefix, f.name], f.type, keys, inner));
}

/** A key suggestion that identifies a parent of `type`: its first `ID!`/`ID` field, else `id`. */
function sourceSuggestion(type: SdlType): string {
  const fields = type.fields ?? [];
  const idField = fields.find((f) => f.type === 'ID!') ?? fields.find((f) => f.type === 'ID') ?? fields.find((f) => f.name === 'id');
  return `${SOURCE}${idField?.name ?? 'id'}`;
}

function checkResolvers(ctx: RuleContext): void {
  const api = ctx.model.graphqlApi;
  if (!api || !api.resolvers.length) return;
  const text = ctx.readFile(api.schemaPath);
  if (text === undefined) return;
  const analyzed = analyzeMemo(text);
  if (!analyzed.ok) return;
  const schema = analyzed.schema;
  const roots = new Set(schema.rootTypeNames());

  api.resolvers.forEach((r, i) => {
    const cache = resolverCacheView(ctx, r, i);
    if (!cache) return;
    const type = schema.objectType(r.typeName);
    if (!type) return;
    const field = schema.field(type, r.fieldName);
    if (!field) return;
    const args = field.args ?? [];

    const argKeys = cache.keys.filter((k) => k.startsWith(ARGS)).map((k) => k.slice(ARGS.length).split('.'));
    const missing = args.flatMap((a) => uncovered(schema, [a.name], a.type, argKeys, new Set()));
    if (missing.length) {
      const names = missing.map((p) => p.join('.'));
      const argNames = args.map((a) => a.name);
      const strays = [...new Set(argKeys.map((k) => k[0]).filter((n) => !argNames.includes(n)))].sort();
      const strayNote = strays
        .map((n) => {
          const guess = closest(n, argNames);
          return `; \`${ARGS}${n}\` names no argument of \`${r.field}\`${guess !== undefined ? ` (did you mean \`${guess}\`?)` : ''}`;
        })
        .join('');
      // Keys under a path that is still uncovered: a list, a scalar or a recursive input, which only a key on the whole value covers.
      const partial = missing.filter((p) => argKeys.some((k) => k.length > p.length && p.every((seg, j) => k[j] === seg))).map((p) => p.join('.'));
      const wholeNote = partial.length
        ? ` (keys inside ${ticks(partial)} cannot cover ${plural(partial.length, 'it', 'them')}: a list, a scalar, or an input type that contains itself is keyed whole)`
        : '';
      ctx.report({
        code: 'cache-key-incomplete',
        path: keysPath(ctx, cache),
        message:
          `resolver \`${r.field}\` is cached, but its cache key does not cover ${plural(names.length, 'argument', 'arguments')} ${ticks(names)} ` +
          `(${keyList(cache.keys)}); the result for one ${ticks(names)} would be served for every other`,
        hint: `add ${ticks(names.map((n) => `${ARGS}${n}`))} to \`keys\`${wholeNote}${strayNote}${sharedNote(cache, 'argument value')}`,
      });
    }

    if (roots.has(type.name)) return;
    if (cache.keys.some((k) => k.startsWith(SOURCE))) return;
    ctx.report({
      code: 'cache-key-missing-source',
      path: keysPath(ctx, cache),
      message:
        `resolver \`${r.field}\` is cached, but no cache key comes from \`$context.source\` (${keyList(cache.keys)}); ` +
        `\`${r.fieldName}\` resolves once per parent \`${type.name}\`, so one parent's result would be served for every other`,
      hint: `add a key that identifies the parent \`${type.name}\`, such as \`${sourceSuggestion(type)}\`${sharedNote(cache, `parent \`${type.name}\``)}`,
    });
  });
}

export const cacheKeysRule: Rule = {
  id: 'cache-keys',
  meta: [
    {
      code: 'cache-key-incomplete',
      severity: 'error',
      description:
        'a cached endpoint has a path parameter that is not a `path.` key, or a cached resolver has an argument no `$context.arguments.` key covers, so one resource\'s response would be served for another (`shared: true` does not lift it).',
      specRule: 12,
    },
    {
      code: 'cache-key-missing-source',
      severity: 'error',
      description:
        'a cached resolver on a field of a non-root type (`User.posts`) has no `$context.source.` key, so one parent object\'s result would be served for another.',
    },
  ],
  check(ctx) {
    checkEndpoints(ctx);
    checkResolvers(ctx);
  },
};
