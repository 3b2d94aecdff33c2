/**
 * The APPSYNC_JS code of a resolver with `evicts`: a UNIT resolver around the same
 * Lambda data source that a direct Lambda resolver uses, whose request step
 * invokes the handler with the event a direct Lambda resolver sends (arguments,
 * identity, source, request, info, prev, stash: the handler cannot tell the
 * difference), and whose response step, once the handler succeeded, evicts each
 * target's entry from the API cache (`extensions.evictFromApiCache`) and returns
 * the handler's result.
 *
 * Key values: each cache key of the target (`$context.arguments.userId`) takes
 * the value at the `$context` path `evicts[].keys` maps it to, else at the same
 * path of this request; the object lists them in the order of the target's
 * `caching_keys` and names them as AppSync does (`context.arguments.userId`).
 *
 * The code uses only what the APPSYNC_JS runtime supports (no `try`, no `while`
 * or `for(;;)`, no optional chaining) and is a pure function of the model: the
 * same YAML gives the same text.
 */
import type { Eviction, Resolver } from '../config/model';

/** The runtime of the generated code (`runtime` of aws_appsync_resolver). */
export const APPSYNC_JS_RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } as const;

export interface EvictionKey {
  /** Key as AppSync names it in `evictFromApiCache`: `context.arguments.userId`. */
  name: string;
  /** Where its value is read in this request, as path segments under `ctx`: `['arguments', 'input', 'id']`. */
  from: string[];
}

export interface EvictionPlan {
  typeName: string;
  fieldName: string;
  keys: EvictionKey[];
}

/** `$context.arguments.input.id` → `['arguments', 'input', 'id']`. */
function segments(contextPath: string): string[] {
  return contextPath.replace(/^\$context\./, '').split('.');
}

/** The evictions of `resolver`, each with its key values resolved against the targets' cache keys. */
export function evictionPlans(resolver: Resolver, resolvers: readonly Resolver[]): EvictionPlan[] {
  return resolver.evicts.map((e: Eviction) => {
    const target = resolvers.find((r) => r.field === e.field);
    const keys = target?.cache?.keys ?? [];
    return {
      typeName: e.typeName,
      fieldName: e.fieldName,
      keys: keys.map((k) => ({
        name: k.replace(/^\$/, ''),
        from: segments(Object.prototype.hasOwnProperty.call(e.keys, k) ? e.keys[k] : k),
      })),
    };
  });
}

/** The resolver's APPSYNC_JS module. */
export function evictingResolverCode(field: string, plans: readonly EvictionPlan[]): string {
  const lines = [
    `// cachestack: ${field} invokes its Lambda handler as a direct Lambda resolver would,`,
    '// then evicts the cached entries its `evicts` names (generated; do not edit).',
    "import { util, extensions } from '@aws-appsync/utils';",
    '',
    'function valueAt(ctx, path) {',
    '  let value = ctx;',
    '  for (const name of path) {',
    '    value = value === null || value === undefined ? undefined : value[name];',
    '  }',
    '  return value;',
    '}',
    '',
    'export function request(ctx) {',
    '  return {',
    "    operation: 'Invoke',",
    '    payload: {',
    '      arguments: ctx.arguments,',
    '      identity: ctx.identity,',
    '      source: ctx.source,',
    '      request: ctx.request,',
    '      info: ctx.info,',
    '      prev: ctx.prev,',
    '      stash: ctx.stash,',
    '    },',
    '  };',
    '}',
    '',
    'export function response(ctx) {',
    '  if (ctx.error) {',
    '    util.error(ctx.error.message, ctx.error.type);',
    '  }',
  ];
  for (const p of plans) {
    const entries = p.keys.map((k) => `    ${JSON.stringify(k.name)}: valueAt(ctx, ${JSON.stringify(k.from)}),`);
    lines.push(`  extensions.evictFromApiCache(${JSON.stringify(p.typeName)}, ${JSON.stringify(p.fieldName)}, {`, ...entries, '  });');
  }
  lines.push('  return ctx.result;', '}', '');
  return lines.join('\n');
}
