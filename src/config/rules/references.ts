/**
 * Rule 1: every name used as a reference names something that exists.
 *
 * What: `restApi.endpoints[].handler`, `graphqlApi.resolvers[].handler` and
 * `auth.lambda.handler` name a handler; `connections.redis.cache` names a `redis`
 * entry; `connections.dax.cluster` names a `dax` entry; an endpoint or the GraphQL
 * API whose `auth` (written, or the derived default) is `cognito`, `lambda`, `oidc`
 * or `api-key` needs the matching entry under `auth`.
 *
 * Why: JSON Schema checks each name's spelling but not that it points somewhere.
 * A dangling name would otherwise surface at synthesis as a missing construct, or
 * worse, at deploy time. Every message lists the names that do exist and suggests
 * the closest one, so a typo is a one-keystroke fix.
 */
import type { ServiceModel } from '../model';
import type { FieldPath, Rule, RuleContext } from './types';
import { closest, endpointLabel, nameList } from './util';

/** `auth` values that need an entry under `auth`, and the key of that entry. */
const AUTH_ENTRY: Record<string, keyof ServiceModel['auth'] | undefined> = {
  cognito: 'cognito',
  lambda: 'lambda',
  oidc: 'oidc',
  'api-key': 'apiKey',
};

/** What a user writes to define each provider, for the hint. */
const AUTH_EXAMPLE: Record<string, string> = {
  cognito: '`auth.cognito: { userPoolArn: ... }`',
  lambda: '`auth.lambda: { handler: ... }`',
  oidc: '`auth.oidc: { issuer: https://... }`',
  apiKey: '`auth.apiKey: { expires: YYYY-MM-DD }`',
};

function checkName(
  ctx: RuleContext,
  path: FieldPath,
  what: string,
  value: string,
  kind: { singular: string; section: string },
  existing: string[],
): void {
  if (existing.includes(value)) return;
  const listed = existing.length
    ? `defined ${kind.singular}s: ${nameList(existing)}`
    : `no ${kind.singular}s are defined in \`${kind.section}\``;
  const guess = closest(value, existing);
  ctx.report({
    code: 'unresolved-reference',
    path,
    message: `${what} names ${kind.singular} \`${value}\`, which is not defined in \`${kind.section}\`; ${listed}`,
    hint: guess !== undefined ? `did you mean \`${guess}\`?` : existing.length ? undefined : `define \`${kind.section}.${value}\``,
  });
}

function checkAuth(ctx: RuleContext, path: FieldPath, what: string, auth: string, allowed: readonly string[]): void {
  const entry = AUTH_ENTRY[auth];
  if (entry === undefined || ctx.model.auth[entry] !== undefined) return;
  const defined = (Object.keys(ctx.model.auth) as (keyof ServiceModel['auth'])[]).filter((k) => ctx.model.auth[k] !== undefined);
  const listed = defined.length ? `defined providers: ${nameList(defined)}` : 'no identity providers are defined in `auth`';
  const usable = allowed.filter((a) => a === 'none' || a === 'iam' || (AUTH_ENTRY[a] !== undefined && defined.includes(AUTH_ENTRY[a]!)));
  const how = ctx.written(path) ? '' : ' (the default, derived from `auth`)';
  ctx.report({
    code: 'unresolved-reference',
    path,
    message: `${what} uses \`auth: ${auth}\`${how} but \`auth.${entry}\` is not defined; ${listed}`,
    hint: `define ${AUTH_EXAMPLE[entry]}, or use one of: ${usable.join(', ')}`,
  });
}

export const referencesRule: Rule = {
  id: 'references',
  meta: [
    {
      code: 'unresolved-reference',
      severity: 'error',
      description:
        'a handler, redis cache, dax cluster or identity provider named by the config is not defined (endpoints, resolvers, auth.lambda, connections, auth).',
      specRule: 1,
    },
  ],
  check(ctx) {
    const m = ctx.model;
    const handlers = m.handlers.map((h) => h.name);
    const handlerKind = { singular: 'handler', section: 'handlers' };

    m.restApi?.endpoints.forEach((e, i) => {
      const what = `endpoint ${endpointLabel(e)}`;
      checkName(ctx, ['restApi', 'endpoints', i, 'handler'], what, e.handler, handlerKind, handlers);
      checkAuth(ctx, ['restApi', 'endpoints', i, 'auth'], what, e.auth, ['none', 'iam', 'cognito', 'lambda']);
    });

    if (m.graphqlApi) {
      m.graphqlApi.resolvers.forEach((r, i) => {
        checkName(ctx, ['graphqlApi', 'resolvers', i, 'handler'], `resolver \`${r.field}\``, r.handler, handlerKind, handlers);
      });
      checkAuth(ctx, ['graphqlApi', 'auth'], 'the graphql api', m.graphqlApi.auth, ['api-key', 'iam', 'cognito', 'oidc', 'lambda']);
    }

    if (m.auth.lambda) {
      checkName(ctx, ['auth', 'lambda', 'handler'], 'the lambda authorizer', m.auth.lambda.handler, handlerKind, handlers);
    }

    const caches = m.redis.map((r) => r.name);
    const clusters = m.dax.map((d) => d.name);
    for (const h of m.handlers) {
      const redis = h.connections.redis;
      if (redis) {
        checkName(ctx, ['handlers', h.name, 'connections', 'redis', 'cache'], `handler \`${h.name}\``, redis.cache, { singular: 'redis cache', section: 'redis' }, caches);
      }
      const dax = h.connections.dax;
      if (dax) {
        checkName(ctx, ['handlers', h.name, 'connections', 'dax', 'cluster'], `handler \`${h.name}\``, dax.cluster, { singular: 'dax cluster', section: 'dax' }, clusters);
      }
    }
  },
};
