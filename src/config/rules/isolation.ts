/**
 * Rule 5: a cache in front of authenticated callers keeps callers apart.
 *
 * Why: a cache returns whatever it stored under a key. When the key does not
 * contain the caller's identity, the first caller's response is stored and then
 * served to every other caller who sends the same path and parameters: one user
 * sees another user's profile, orders or tokens. This is the most damaging
 * mistake a caching layer can make, and it is silent (no error, just wrong data),
 * so the default is to refuse it. A user who really serves the same response to
 * everyone says so with `shared: true`.
 *
 * What:
 * - REST endpoint that caches, whose `auth` is not `none`, and is not `shared`:
 *   its `cache.keys` must contain the header that identifies the caller:
 *   - `cognito`: `header.Authorization` (the ID/access token);
 *   - `lambda`: `header.<auth.lambda.identityHeader>` (default `Authorization`),
 *     the identity source the authorizer reads;
 *   - `iam`: `header.Authorization`. Decision: an IAM caller is identified by its
 *     SigV4 signature, which lives in `Authorization`; API Gateway cannot key a
 *     cache on the resolved IAM principal. Keying on the signature is safe but
 *     signed requests rarely repeat, so the hint says that `shared: true` is the
 *     honest choice when every IAM caller may see the same response.
 *   Header names compare case-insensitively, as HTTP headers do.
 * - GraphQL resolver that caches, when the API's `auth` is not `api-key` and the
 *   resolver cache is not `shared`: its `keys` must contain a
 *   `$context.identity.` key that identifies the caller under the API's auth mode
 *   (with an API key, every caller holds the same key, so there is no per-caller
 *   identity to key on). AppSync fills `$context.identity` differently per mode,
 *   and a key on a field the mode leaves empty is the same (null) for every
 *   caller: `sub` under iam, say. What identifies a caller:
 *   - cognito: `sub`, `username`, or a `claims.` entry;
 *   - oidc: `sub`, or a `claims.` entry;
 *   - iam: `userArn`, `cognitoIdentityId` or `username` (`accountId` names an
 *     account that many roles and users share);
 *   - lambda: a `resolverContext.` entry, what the authorizer returned (AppSync
 *     fills nothing else).
 *   `sourceIp`, `issuer`, `groups`, `defaultAuthStrategy` and the claims that name
 *   the token rather than its holder (`iss`, `aud`, `exp`, `client_id`, ...) are
 *   shared by many callers, so they never count.
 */
import type { GraphqlAuth } from '../model';
import type { FieldPath, Rule, RuleContext } from './types';
import { endpointLabel, getIn, isRecord, writtenConfig } from './util';

/** A resolver key that identifies the caller, suggested per auth mode. */
const IDENTITY_KEY: Record<Exclude<GraphqlAuth, 'api-key'>, string> = {
  cognito: '$context.identity.sub',
  oidc: '$context.identity.sub',
  iam: '$context.identity.userArn',
  lambda: '$context.identity.resolverContext.userId',
};

/** The `$context.identity.` fields that tell one caller from another, per auth mode. */
const CALLER_FIELDS: Record<Exclude<GraphqlAuth, 'api-key'>, { exact: string[]; prefixes: string[] }> = {
  cognito: { exact: ['sub', 'username'], prefixes: ['claims.'] },
  oidc: { exact: ['sub'], prefixes: ['claims.'] },
  iam: { exact: ['userArn', 'cognitoIdentityId', 'username'], prefixes: [] },
  lambda: { exact: [], prefixes: ['resolverContext.'] },
};

/** Token claims that describe the token or the app client, not the person holding it. */
const TOKEN_CLAIMS = new Set(['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'auth_time', 'token_use', 'client_id', 'scope', 'jti', 'origin_jti', 'event_id', 'email_verified']);

/** True when `key` is a `$context.identity.` key that differs between callers of `auth`. */
export function identifiesCaller(auth: Exclude<GraphqlAuth, 'api-key'>, key: string): boolean {
  const prefix = '$context.identity.';
  if (!key.startsWith(prefix)) return false;
  const field = key.slice(prefix.length);
  const allowed = CALLER_FIELDS[auth];
  if (allowed.exact.includes(field)) return true;
  // A key on the whole map (`claims`, `resolverContext`) holds every entry, the identifying ones included.
  if (allowed.prefixes.some((p) => field === p.slice(0, -1))) return true;
  const under = allowed.prefixes.find((p) => field.startsWith(p));
  if (!under) return false;
  return !(under === 'claims.' && TOKEN_CLAIMS.has(field.slice(under.length).split('.')[0]));
}

function callerFieldList(auth: Exclude<GraphqlAuth, 'api-key'>): string {
  const { exact, prefixes } = CALLER_FIELDS[auth];
  return [...exact.map((f) => `\`${f}\``), ...prefixes.map((p) => `\`${p}*\``)].join(', ');
}

function keyList(keys: readonly string[]): string {
  return keys.length ? `keys: ${keys.map((k) => `\`${k}\``).join(', ')}` : 'no keys';
}

interface CacheView {
  keys: string[];
  shared: boolean;
}

/** The cache an endpoint or resolver asks for: the resolved one, or the written object when the model dropped it. */
function cacheView(resolved: { keys: string[]; shared: boolean } | undefined, written: unknown, enabled: (w: Record<string, unknown>) => boolean): CacheView | undefined {
  if (resolved) return { keys: resolved.keys, shared: resolved.shared };
  if (!isRecord(written) || !enabled(written)) return undefined;
  return {
    keys: Array.isArray(written.keys) ? written.keys.filter((k): k is string => typeof k === 'string') : [],
    shared: written.shared === true,
  };
}

function keysPath(ctx: RuleContext, cachePath: FieldPath): FieldPath {
  const keys = [...cachePath, 'keys'];
  return ctx.written(keys) ? keys : cachePath;
}

export const isolationRule: Rule = {
  id: 'isolation',
  meta: [
    {
      code: 'cache-isolation',
      severity: 'error',
      description:
        'a cached endpoint or resolver behind authentication has no cache key that identifies the caller (and is not `shared: true`), so one caller\'s response would be served to another.',
      specRule: 5,
    },
  ],
  check(ctx) {
    const m = ctx.model;
    const written = writtenConfig(ctx);

    m.restApi?.endpoints.forEach((e, i) => {
      if (e.auth === 'none') return;
      const cachePath: FieldPath = ['restApi', 'endpoints', i, 'cache'];
      const cache = cacheView(e.cache, getIn(written, cachePath), (w) => w.ttlSeconds !== 0);
      if (!cache || cache.shared) return;
      const header = e.auth === 'lambda' ? (m.auth.lambda?.identityHeader ?? 'Authorization') : 'Authorization';
      const wanted = `header.${header}`.toLowerCase();
      if (cache.keys.some((k) => k.toLowerCase() === wanted)) return;
      const why =
        e.auth === 'lambda'
          ? `the lambda authorizer identifies callers by header \`${header}\``
          : e.auth === 'iam'
            ? 'iam callers are identified by their signed `Authorization` header'
            : 'cognito callers are identified by their token in `Authorization`';
      ctx.report({
        code: 'cache-isolation',
        path: keysPath(ctx, cachePath),
        message: `endpoint ${endpointLabel(e)} is cached under \`auth: ${e.auth}\` but no cache key identifies the caller (${keyList(cache.keys)}; ${why}); one caller's response would be served to another`,
        hint:
          e.auth === 'iam'
            ? '`shared: true` if every iam caller may see the same response; otherwise add `header.Authorization` (safe, but sigv4 signatures rarely repeat, so expect few cache hits)'
            : `add \`header.${header}\` to \`keys\`, or set \`shared: true\` if the response is the same for every caller`,
      });
    });

    const api = m.graphqlApi;
    if (!api || api.auth === 'api-key') return;
    const auth = api.auth;
    api.resolvers.forEach((r, i) => {
      const cachePath: FieldPath = ['graphqlApi', 'resolvers', i, 'cache'];
      const cache = cacheView(r.cache, getIn(written, cachePath), () => true);
      if (!cache || cache.shared) return;
      if (cache.keys.some((k) => identifiesCaller(auth, k))) return;
      const suggestion = IDENTITY_KEY[auth];
      const identityKeys = cache.keys.filter((k) => k.startsWith('$context.identity.'));
      if (identityKeys.length) {
        ctx.report({
          code: 'cache-isolation',
          path: keysPath(ctx, cachePath),
          message: `resolver \`${r.field}\` is cached under \`auth: ${auth}\` but its identity ${identityKeys.length === 1 ? 'key' : 'keys'} ${identityKeys.map((k) => `\`${k}\``).join(', ')} ${identityKeys.length === 1 ? 'does' : 'do'} not tell ${auth} callers apart (what does: ${callerFieldList(auth)}); every caller would share one entry and one caller's result would be served to another`,
          hint: `key on \`${suggestion}\` instead, or set \`shared: true\` if the result is the same for every caller`,
        });
        return;
      }
      ctx.report({
        code: 'cache-isolation',
        path: keysPath(ctx, cachePath),
        message: `resolver \`${r.field}\` is cached under \`auth: ${auth}\` but no cache key identifies the caller (${keyList(cache.keys)}); one caller's result would be served to another`,
        hint: `add a \`$context.identity.\` key such as \`${suggestion}\`, or set \`shared: true\` if the result is the same for every caller`,
      });
    });
  },
};
