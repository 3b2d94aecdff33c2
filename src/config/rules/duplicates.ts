/**
 * Rule 2: an endpoint (method + path) and a resolver (`Type.field`) appear once.
 *
 * What: two endpoints with the same method on the same resource, or two resolvers
 * for the same field. Paths that differ only in the names of their parameters
 * (`/users/{id}` and `/users/{userId}`) match the same requests, so they count as
 * the same resource.
 *
 * Why: API Gateway has one method per resource and verb, and AppSync one resolver
 * per field; the second definition would either fail the deploy or silently win
 * over the first, depending on the order Terraform creates them. The diagnostic
 * points at the second definition and names the first as related.
 */
import type { Rule } from './types';
import { endpointLabel } from './util';

/** The resource a path addresses: parameter names erased, greedy parameters kept distinct. */
function resourceKey(path: string): string {
  return path.replace(/\{[A-Za-z0-9_]+(\+?)\}/g, (_, plus: string) => `{${plus}}`);
}

export const duplicatesRule: Rule = {
  id: 'duplicates',
  meta: [
    {
      code: 'duplicate-endpoint',
      severity: 'error',
      description: 'two restApi endpoints have the same method and path (paths that differ only in parameter names are the same).',
      specRule: 2,
    },
    {
      code: 'duplicate-resolver',
      severity: 'error',
      description: 'two graphqlApi resolvers name the same `Type.field`.',
      specRule: 2,
    },
  ],
  check(ctx) {
    const seen = new Map<string, number>();
    ctx.model.restApi?.endpoints.forEach((e, i) => {
      const key = `${e.method} ${resourceKey(e.path)}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return;
      }
      const other = ctx.model.restApi!.endpoints[first];
      const same = other.path === e.path;
      ctx.report({
        code: 'duplicate-endpoint',
        path: ['restApi', 'endpoints', i],
        message: same
          ? `endpoint ${endpointLabel(e)} is defined twice (endpoints[${first}] and endpoints[${i}]); each method and path may appear once`
          : `endpoint ${endpointLabel(e)} matches the same requests as ${endpointLabel(other)} (endpoints[${first}]); paths that differ only in parameter names are the same resource`,
        hint: same ? 'remove one of them, or change its method or path' : `use one parameter name for both, e.g. \`${other.path}\`, and remove one of them`,
        related: [{ path: ['restApi', 'endpoints', first], message: `first defined here as ${endpointLabel(other)}` }],
      });
    });

    const fields = new Map<string, number>();
    ctx.model.graphqlApi?.resolvers.forEach((r, i) => {
      const first = fields.get(r.field);
      if (first === undefined) {
        fields.set(r.field, i);
        return;
      }
      ctx.report({
        code: 'duplicate-resolver',
        path: ['graphqlApi', 'resolvers', i, 'field'],
        message: `resolver field \`${r.field}\` is defined twice (resolvers[${first}] and resolvers[${i}]); a field has one resolver`,
        hint: 'remove one of them, or point it at another field',
        related: [{ path: ['graphqlApi', 'resolvers', first, 'field'], message: `first defined here` }],
      });
    });
  },
};
