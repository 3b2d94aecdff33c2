/**
 * REST endpoints that share a cache namespace are interchangeable.
 *
 * Why: API Gateway finds a cached response by the integration's cache namespace
 * and the values of its cache key parameters. Endpoints in one namespace read each
 * other's entries: that is what an explicit shared `namespace` is for (two paths
 * that return the same thing). It is only safe when every endpoint in the namespace
 * would give the same response for the same key values:
 * - the same key set: with `/a` keyed on `path.id` and `/b` on `path.id` plus
 *   `header.Authorization`, the values that tell `/b`'s callers apart are not in
 *   `/a`'s entries;
 * - the same `auth`: an `auth: none` endpoint would serve, to anyone, what an
 *   authenticated endpoint stored;
 * - the same handler: two handlers answer differently for the same key values
 *   (`/users/{id}` and `/orders/{id}` keyed on `path.id` in one namespace would
 *   serve user 1 as order 1); a namespace shared across paths says that the
 *   paths are aliases of one resource, which one handler serves;
 * - the same method: API Gateway does not document the HTTP method as part of the
 *   cache key, so a cached HEAD and GET (or a cached POST and GET) on one resource
 *   may answer each other; cachestack does not bet on it.
 *
 * Every endpoint has a namespace: its own `namespace`, else the id of its
 * resource (what cachestack writes, so endpoints on one path share it).
 *
 * What: `cache-namespace-conflict`, on every cached endpoint after the first in a
 * namespace whose method, `auth`, handler or key set differs from the first's. Key sets
 * compare as sets; header names case-insensitively, as HTTP does.
 */
import type { Endpoint } from '../model';
import type { Rule } from './types';
import { endpointCacheView, endpointLabel, keyList, type CacheView } from './util';

interface Member {
  e: Endpoint;
  i: number;
  cache: CacheView;
  keys: string[];
}

/** A key as API Gateway compares it: header names are case-insensitive. */
function canonicalKey(key: string): string {
  return key.toLowerCase().startsWith('header.') ? `header.${key.slice('header.'.length).toLowerCase()}` : key;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, j) => k === b[j]);
}

export const cacheNamespaceRule: Rule = {
  id: 'cache-namespace',
  meta: [
    {
      code: 'cache-namespace-conflict',
      severity: 'error',
      description:
        'cached endpoints share a cache namespace (an explicit `namespace`, or the same path) but differ in method, `auth`, handler or cache keys, so one would answer from the other\'s entries.',
    },
  ],
  check(ctx) {
    const api = ctx.model.restApi;
    if (!api) return;
    const groups = new Map<string, Member[]>();
    api.endpoints.forEach((e, i) => {
      const cache = endpointCacheView(ctx, e, i);
      if (!cache) return;
      const id = cache.namespace !== undefined ? `namespace:${cache.namespace}` : `path:${e.path}`;
      const keys = [...new Set(cache.keys.map(canonicalKey))].sort();
      let group = groups.get(id);
      if (!group) groups.set(id, (group = []));
      group.push({ e, i, cache, keys });
    });

    for (const [id, members] of groups) {
      const [first, ...rest] = members;
      const explicit = id.startsWith('namespace:');
      for (const m of rest) {
        const diffs: string[] = [];
        if (m.e.method !== first.e.method) diffs.push(`method ${m.e.method} vs ${first.e.method}`);
        if (m.e.auth !== first.e.auth) diffs.push(`\`auth: ${m.e.auth}\` vs \`auth: ${first.e.auth}\``);
        if (m.e.handler !== first.e.handler) diffs.push(`handler \`${m.e.handler}\` vs \`${first.e.handler}\``);
        if (!sameKeys(m.keys, first.keys)) diffs.push(`${keyList(m.cache.keys)} vs ${keyList(first.cache.keys)}`);
        if (!diffs.length) continue;
        const where = explicit ? `cache namespace \`${m.cache.namespace}\`` : `the cache namespace of path \`${m.e.path}\` (its resource's id, the default)`;
        const namespacePath = [...m.cache.path, 'namespace'];
        ctx.report({
          code: 'cache-namespace-conflict',
          path: explicit && ctx.written(namespacePath) ? namespacePath : m.cache.path,
          message: `endpoint ${endpointLabel(m.e)} shares ${where} with ${endpointLabel(first.e)} but differs from it (${diffs.join('; ')}); one would answer from the other's cached entries`,
          hint: explicit
            ? `give endpoints that share a \`namespace\` the same method, \`auth\`, handler and keys, or give ${endpointLabel(m.e)} its own \`namespace\``
            : `give ${endpointLabel(m.e)} its own \`namespace\` (or cache only one method of \`${m.e.path}\`)`,
          related: [{ path: first.cache.path, message: `${endpointLabel(first.e)} is cached in the same namespace here` }],
        });
      }
    }
  },
};
