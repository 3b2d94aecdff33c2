/**
 * `diff`: what a config change does to caching, data and isolation.
 *
 * Compares two resolved models of the same environment (the base, e.g. the target
 * branch, and the head, the working copy). Endpoints match by method + path,
 * resolvers by field, caches, clusters and handlers by name. A rename is a removal
 * plus an addition (cachestack's resource names come from config names), flagged
 * `replace` because Terraform destroys the old resource; for a cache its data goes
 * with it.
 *
 * Flags:
 * - `replace`: Terraform (or AWS) destroys and re-creates a stateful resource;
 *   `dataLoss` says whether cached or stored data is lost with it.
 * - `destroy`: a cache or cluster is removed outright, with its data.
 * - `security`: isolation or protection gets weaker: a per-caller cache becomes
 *   shared, authentication or encryption is turned off, anyone may flush a cache,
 *   an alarm is removed or loosened (src/plan/diff-alarms.ts), a handler's role
 *   may call more (new actions or resources in `access`: src/plan/diff-access.ts),
 *   a handler is newly allowed to invalidate an endpoint's cache
 *   (src/plan/diff-invalidation.ts), CloudFront's cache key loses the caller's
 *   header, WAF or a narrower CORS goes (src/plan/diff-cdn.ts).
 *
 * Pure: models in, data out. Output order is fixed (section order, then sorted
 * names, then field order) so the same change always renders the same bytes.
 */
import type {
  DaxCluster,
  Endpoint,
  GraphqlApi,
  Handler,
  RedisCache,
  Resolver,
  ServiceModel,
} from '../config/model';
import { cmp, endpointOrder } from './explain';
import {
  compareAppsyncTypes,
  compareNodeTypes,
  compareNumbers,
  compareVersions,
  endpointScope,
  identityHeaderOf,
  invalidationText,
  redisNodeCount,
  resolverCaching,
  seconds,
  type ResolverCaching,
} from './facts';
import { diffAccess } from './diff-access';
import { diffAlarms } from './diff-alarms';
import { diffNetwork } from './diff-network';
import { diffInvalidation } from './diff-invalidation';
import { diffCdn, diffEdge } from './diff-cdn';
import { RULES, redisEngineChangeReplaces, type ReplacementRule } from './replacement';

import { FLAGS, type Flag } from './flags';

export { FLAGS, type Flag } from './flags';

export type Subject =
  | 'service'
  | 'rest-api'
  | 'stage-cache'
  | 'endpoint'
  | 'graphql-api'
  | 'appsync-cache'
  | 'resolver'
  | 'redis'
  | 'dax'
  | 'handler'
  | 'warmer'
  | 'cdn'
  | 'edge'
  | 'alarm'
  | 'access'
  | 'network'
  | 'invalidation';

export interface Change {
  subject: Subject;
  /** `GET /profile`, `Query.user`, `sessions`, the API name ... */
  name: string;
  action: 'add' | 'remove' | 'update';
  /** Config field that changed (`cache.ttlSeconds`), `null` for add/remove of the whole subject. */
  field: string | null;
  before: unknown;
  after: unknown;
  /** Lower-case sentence: what the change does. */
  message: string;
  flags: Flag[];
  /** Cached or stored data is lost. */
  dataLoss: boolean;
  /** Capacity grows or shrinks. */
  direction: 'grow' | 'shrink' | null;
  /** The provider fact behind a `replace`, when there is one. */
  rule: string | null;
}

interface Draft {
  subject: Subject;
  name: string;
  action?: Change['action'];
  field?: string | null;
  before?: unknown;
  after?: unknown;
  message: string;
  flags?: Flag[];
  dataLoss?: boolean;
  direction?: 'grow' | 'shrink' | 'change' | null;
  rule?: ReplacementRule;
}

function mk(d: Draft): Change {
  const flags = FLAGS.filter((f) => d.flags?.includes(f));
  return {
    subject: d.subject,
    name: d.name,
    action: d.action ?? 'update',
    field: d.field ?? null,
    before: d.before === undefined ? null : d.before,
    after: d.after === undefined ? null : d.after,
    message: d.message,
    flags,
    dataLoss: d.dataLoss ?? false,
    direction: d.direction === 'grow' || d.direction === 'shrink' ? d.direction : null,
    rule: d.rule ? `${d.rule.resource}: ${d.rule.reason}` : null,
  };
}

const onOff = (b: boolean) => (b ? 'on' : 'off');
const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');
const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function grewWord(dir: 'grow' | 'shrink' | 'change'): string {
  return dir === 'grow' ? ' (grows)' : dir === 'shrink' ? ' (shrinks)' : '';
}

/** Added/removed members of two string lists, in sorted order. */
function setDelta(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: [...a].filter((x) => !b.has(x)).sort(cmp), removed: [...b].filter((x) => !a.has(x)).sort(cmp) };
}

function deltaText(d: { added: string[]; removed: string[] }): string {
  const parts: string[] = [];
  if (d.added.length) parts.push(`added ${d.added.join(', ')}`);
  if (d.removed.length) parts.push(`removed ${d.removed.join(', ')}`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------
// REST API and endpoints

function endpointName(e: { method: string; path: string }): string {
  return `${e.method} ${e.path}`;
}

function describeEndpointCache(model: ServiceModel, e: Endpoint): string {
  if (!e.cache) return 'not cached';
  const scope = endpointScope(model, e);
  return `cached ${seconds(e.cache.ttlSeconds)} by ${list(e.cache.keys)} (${scope === 'per-caller' ? 'per caller' : 'shared by every caller'})`;
}

function diffRestApi(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  const b = base.restApi;
  const h = head.restApi;
  if (!b && !h) return;
  if (!b && h) {
    out.push(mk({ subject: 'rest-api', name: h.name, action: 'add', after: { name: h.name, stage: h.stage }, message: `rest api added with stage ${h.stage}` }));
    if (h.cache) out.push(stageCacheAdded(h.name, h.stage, h.cache));
  } else if (b && !h) {
    const lost = b.cache ? '; its stage cache and every cached response are deleted' : '';
    out.push(
      mk({
        subject: 'rest-api',
        name: b.name,
        action: 'remove',
        before: { name: b.name, stage: b.stage },
        message: `rest api removed${lost}`,
        flags: b.cache ? ['destroy'] : [],
        dataLoss: !!b.cache,
      }),
    );
  } else if (b && h) {
    if (b.name !== h.name) {
      out.push(
        mk({
          subject: 'rest-api',
          name: h.name,
          field: 'name',
          before: b.name,
          after: h.name,
          message: `rest api renamed ${b.name} → ${h.name} in place: same api id, invoke url and stage cache`,
          rule: RULES.restApiRename,
        }),
      );
    }
    if (b.stage !== h.stage) {
      out.push(
        mk({
          subject: 'rest-api',
          name: h.name,
          field: 'stage',
          before: b.stage,
          after: h.stage,
          message: `stage renamed ${b.stage} → ${h.stage}: the invoke url changes${b.cache ? ' and the stage cache is re-created empty' : ''}`,
          flags: ['replace'],
          dataLoss: !!b.cache,
          rule: RULES.stageRename,
        }),
      );
    }
    if (b.endpointType !== h.endpointType) {
      out.push(mk({ subject: 'rest-api', name: h.name, field: 'endpointType', before: b.endpointType, after: h.endpointType, message: `endpoint type ${b.endpointType} → ${h.endpointType}` }));
    }
    if (!eq(b.throttling ?? null, h.throttling ?? null)) {
      out.push(mk({ subject: 'rest-api', name: h.name, field: 'throttling', before: b.throttling ?? null, after: h.throttling ?? null, message: `stage throttling ${throttleText(b.throttling)} → ${throttleText(h.throttling)}` }));
    }
    const cacheName = `${h.name}/${h.stage}`;
    const replacedWhole = b.stage !== h.stage;
    if (!b.cache && h.cache) out.push(stageCacheAdded(h.name, h.stage, h.cache));
    else if (b.cache && !h.cache) {
      out.push(
        mk({
          subject: 'stage-cache',
          name: cacheName,
          action: 'remove',
          before: b.cache,
          message: 'stage cache cluster removed: every cached response is deleted and every endpoint calls its handler',
          flags: ['destroy'],
          dataLoss: true,
        }),
      );
    } else if (b.cache && h.cache && !replacedWhole) {
      if (b.cache.sizeGb !== h.cache.sizeGb) {
        const dir = compareNumbers(b.cache.sizeGb, h.cache.sizeGb);
        out.push(
          mk({
            subject: 'stage-cache',
            name: cacheName,
            field: 'cache.sizeGb',
            before: b.cache.sizeGb,
            after: h.cache.sizeGb,
            message: `stage cache ${b.cache.sizeGb} GB → ${h.cache.sizeGb} GB${grewWord(dir)}: api gateway deletes the cache instance and creates a new one, so every cached response is dropped`,
            flags: ['replace'],
            dataLoss: true,
            direction: dir,
            rule: RULES.stageCacheSize,
          }),
        );
      }
      if (b.cache.encrypted !== h.cache.encrypted) {
        out.push(
          mk({
            subject: 'stage-cache',
            name: cacheName,
            field: 'cache.encrypted',
            before: b.cache.encrypted,
            after: h.cache.encrypted,
            message: h.cache.encrypted ? 'cached responses are encrypted from now on' : 'cached responses are no longer encrypted',
            flags: h.cache.encrypted ? [] : ['security'],
          }),
        );
      }
      if (b.cache.ttlSeconds !== h.cache.ttlSeconds) {
        out.push(mk({ subject: 'stage-cache', name: cacheName, field: 'cache.ttlSeconds', before: b.cache.ttlSeconds, after: h.cache.ttlSeconds, message: `default ttl ${seconds(b.cache.ttlSeconds)} → ${seconds(h.cache.ttlSeconds)} (endpoints without their own ttl)` }));
      }
    } else if (b.cache && h.cache && replacedWhole && !h.cache.encrypted && b.cache.encrypted) {
      out.push(mk({ subject: 'stage-cache', name: cacheName, field: 'cache.encrypted', before: true, after: false, message: 'cached responses are no longer encrypted', flags: ['security'] }));
    }
  }
  diffEndpoints(base, head, out);
}

function stageCacheAdded(api: string, stage: string, c: { sizeGb: number; encrypted: boolean; ttlSeconds: number }): Change {
  return mk({
    subject: 'stage-cache',
    name: `${api}/${stage}`,
    action: 'add',
    after: c,
    message: `stage cache cluster added: ${c.sizeGb} GB, ${c.encrypted ? 'encrypted' : 'not encrypted'}, default ttl ${seconds(c.ttlSeconds)}`,
    flags: c.encrypted ? [] : ['security'],
  });
}

function throttleText(t: { burstLimit: number; rateLimit: number } | undefined): string {
  return t ? `burst ${t.burstLimit}, rate ${t.rateLimit}/s` : 'account default';
}

function diffEndpoints(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  const key = (e: Endpoint) => endpointName(e);
  const bm = new Map((base.restApi?.endpoints ?? []).map((e) => [key(e), e]));
  const hm = new Map((head.restApi?.endpoints ?? []).map((e) => [key(e), e]));
  const all = [...new Set([...bm.keys(), ...hm.keys()])]
    .map((k) => (hm.get(k) ?? bm.get(k))!)
    .sort(endpointOrder)
    .map(key);
  for (const k of all) {
    const b = bm.get(k);
    const h = hm.get(k);
    if (!b && h) {
      const shared = h.cache && h.auth !== 'none' && endpointScope(head, h) === 'shared';
      out.push(
        mk({
          subject: 'endpoint',
          name: k,
          action: 'add',
          after: endpointSummary(head, h),
          message: `endpoint added: handler ${h.handler}, auth ${h.auth}, ${describeEndpointCache(head, h)}${shared ? `; the key does not include header.${identityHeaderOf(head, h)}, so callers share cached responses` : ''}`,
          flags: shared ? ['security'] : [],
        }),
      );
      if (h.cache && !h.cache.requireAuthorization) {
        out.push(mk({ subject: 'endpoint', name: k, field: 'cache.requireAuthorization', after: false, message: 'any caller may flush this cache with Cache-Control: max-age=0', flags: ['security'] }));
      }
    } else if (b && !h) {
      out.push(mk({ subject: 'endpoint', name: k, action: 'remove', before: endpointSummary(base, b), message: `endpoint removed (was ${describeEndpointCache(base, b)})` }));
    } else if (b && h) {
      diffEndpoint(base, head, k, b, h, out);
    }
  }
}

function endpointSummary(model: ServiceModel, e: Endpoint): Record<string, unknown> {
  return {
    handler: e.handler,
    auth: e.auth,
    cache: e.cache
      ? { ttlSeconds: e.cache.ttlSeconds, keys: e.cache.keys, scope: endpointScope(model, e), requireAuthorization: e.cache.requireAuthorization, unauthorized: e.cache.unauthorized }
      : null,
  };
}

function diffEndpoint(base: ServiceModel, head: ServiceModel, name: string, b: Endpoint, h: Endpoint, out: Change[]): void {
  const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'endpoint', name, ...d }));
  if (b.handler !== h.handler) c({ field: 'handler', before: b.handler, after: h.handler, message: `handler ${b.handler} → ${h.handler}` });
  if (b.auth !== h.auth) {
    const weaker = h.auth === 'none';
    c({
      field: 'auth',
      before: b.auth,
      after: h.auth,
      message: weaker
        ? `auth ${b.auth} → none: anyone may call this endpoint${h.cache ? ' and read its cached responses' : ''}`
        : `auth ${b.auth} → ${h.auth}: a different identity provider decides who may call`,
      flags: weaker ? ['security'] : [],
    });
  }
  if (!eq(b.throttling ?? null, h.throttling ?? null)) {
    c({ field: 'throttling', before: b.throttling ?? null, after: h.throttling ?? null, message: `throttling ${throttleText(b.throttling)} → ${throttleText(h.throttling)}` });
  }
  if (!b.cache && !h.cache) return;
  if (!b.cache && h.cache) {
    const scope = endpointScope(head, h);
    const risky = scope === 'shared' && h.auth !== 'none';
    c({
      field: 'cache',
      before: null,
      after: endpointSummary(head, h).cache,
      message: `caching turned on: ${describeEndpointCache(head, h)}${risky ? `; the key does not include header.${identityHeaderOf(head, h)}, so callers share cached responses` : ''}`,
      flags: risky ? ['security'] : [],
    });
    if (!h.cache.requireAuthorization) c({ field: 'cache.requireAuthorization', after: false, message: 'any caller may flush this cache with Cache-Control: max-age=0', flags: ['security'] });
    return;
  }
  if (b.cache && !h.cache) {
    c({ field: 'cache', before: endpointSummary(base, b).cache, after: null, message: `caching turned off (was ${describeEndpointCache(base, b)}): every request calls ${h.handler}` });
    return;
  }
  const bc = b.cache!;
  const hc = h.cache!;
  if (bc.ttlSeconds !== hc.ttlSeconds) {
    const longer = hc.ttlSeconds > bc.ttlSeconds;
    c({
      field: 'cache.ttlSeconds',
      before: bc.ttlSeconds,
      after: hc.ttlSeconds,
      message: `ttl ${seconds(bc.ttlSeconds)} → ${seconds(hc.ttlSeconds)}: responses stay cached ${longer ? 'longer (staler reads, fewer handler calls)' : 'shorter (fresher reads, more handler calls)'}`,
    });
  }
  const kd = setDelta(bc.keys, hc.keys);
  if (kd.added.length || kd.removed.length) {
    c({ field: 'cache.keys', before: bc.keys, after: hc.keys, message: `cache keys ${deltaText(kd)} (now ${list(hc.keys)})` });
  }
  const bs = endpointScope(base, b);
  const hs = endpointScope(head, h);
  if (bs !== hs) {
    const header = identityHeaderOf(head, h);
    c({
      field: 'cache.scope',
      before: bs,
      after: hs,
      message:
        hs === 'shared'
          ? `cache becomes shared: the key no longer includes header.${header}, so one caller's cached response is served to every caller with the same keys`
          : `cache becomes per caller: the key now includes header.${header}`,
      flags: hs === 'shared' ? ['security'] : [],
    });
  }
  if (bc.requireAuthorization !== hc.requireAuthorization) {
    c({
      field: 'cache.requireAuthorization',
      before: bc.requireAuthorization,
      after: hc.requireAuthorization,
      message: hc.requireAuthorization
        ? `only callers allowed execute-api:InvalidateCache may flush the cache now (${invalidationText(hc)})`
        : 'any caller may now flush the cache with Cache-Control: max-age=0',
      flags: hc.requireAuthorization ? [] : ['security'],
    });
  } else if (bc.unauthorized !== hc.unauthorized && hc.requireAuthorization) {
    c({ field: 'cache.unauthorized', before: bc.unauthorized, after: hc.unauthorized, message: `unauthorized flush requests: ${bc.unauthorized} → ${hc.unauthorized} (${invalidationText(hc)})` });
  }
  if ((bc.namespace ?? null) !== (hc.namespace ?? null)) {
    c({ field: 'cache.namespace', before: bc.namespace ?? null, after: hc.namespace ?? null, message: `cache namespace ${bc.namespace ?? 'default'} → ${hc.namespace ?? 'default'}: entries cached under the old namespace are no longer read` });
  }
}

// ---------------------------------------------------------------------------
// GraphQL API and resolvers

function diffGraphql(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  const b = base.graphqlApi;
  const h = head.graphqlApi;
  if (!b && !h) return;
  if (!b && h) {
    out.push(mk({ subject: 'graphql-api', name: h.name, action: 'add', after: { name: h.name, auth: h.auth }, message: `graphql api added with auth ${h.auth}` }));
    if (h.cache) out.push(appsyncCacheAdded(h));
  } else if (b && !h) {
    out.push(
      mk({
        subject: 'graphql-api',
        name: b.name,
        action: 'remove',
        before: { name: b.name, auth: b.auth },
        message: `graphql api removed${b.cache ? '; its cache and every cached result are deleted' : ''}`,
        flags: b.cache ? ['destroy'] : [],
        dataLoss: !!b.cache,
      }),
    );
  } else if (b && h) {
    if (b.name !== h.name) {
      out.push(
        mk({
          subject: 'graphql-api',
          name: h.name,
          field: 'name',
          before: b.name,
          after: h.name,
          message: `graphql api renamed ${b.name} → ${h.name} in place: same api id, url and cache`,
          rule: RULES.appsyncApiRename,
        }),
      );
    }
    if (b.auth !== h.auth) {
      const apiKey = h.auth === 'api-key';
      out.push(
        mk({
          subject: 'graphql-api',
          name: h.name,
          field: 'auth',
          before: b.auth,
          after: h.auth,
          message: apiKey
            ? `auth ${b.auth} → api-key: any holder of the key may call, and $context.identity is empty, so identity cache keys no longer separate callers`
            : `auth ${b.auth} → ${h.auth}: a different identity provider decides who may call`,
          flags: apiKey ? ['security'] : [],
        }),
      );
    }
    const name = h.name;
    if (!b.cache && h.cache) out.push(appsyncCacheAdded(h));
    else if (b.cache && !h.cache) {
      out.push(mk({ subject: 'appsync-cache', name, action: 'remove', before: b.cache, message: 'api cache removed: every cached result is deleted and every resolver runs on each request', flags: ['destroy'], dataLoss: true }));
    } else if (b.cache && h.cache) {
      const bc = b.cache;
      const hc = h.cache;
      const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'appsync-cache', name, ...d }));
      const encChanged = bc.encryption.atRest !== hc.encryption.atRest || bc.encryption.transit !== hc.encryption.transit;
      if (encChanged) {
        const weaker = (bc.encryption.atRest && !hc.encryption.atRest) || (bc.encryption.transit && !hc.encryption.transit);
        c({
          field: 'cache.encryption',
          before: bc.encryption,
          after: hc.encryption,
          message: `encryption at rest ${onOff(bc.encryption.atRest)} → ${onOff(hc.encryption.atRest)}, in transit ${onOff(bc.encryption.transit)} → ${onOff(hc.encryption.transit)}: the api cache is destroyed and re-created empty`,
          flags: weaker ? ['replace', 'security'] : ['replace'],
          dataLoss: true,
          rule: RULES.appsyncEncryption,
        });
      }
      if (bc.type !== hc.type) {
        const dir = compareAppsyncTypes(bc.type, hc.type);
        c({ field: 'cache.type', before: bc.type, after: hc.type, message: `cache instance ${bc.type} → ${hc.type}${grewWord(dir)}`, direction: dir });
      }
      if (bc.behavior !== hc.behavior) {
        c({ field: 'cache.behavior', before: bc.behavior, after: hc.behavior, message: `caching behavior ${bc.behavior} → ${hc.behavior}: ${behaviorText(hc.behavior)}` });
      }
      if (bc.ttlSeconds !== hc.ttlSeconds) {
        c({ field: 'cache.ttlSeconds', before: bc.ttlSeconds, after: hc.ttlSeconds, message: `default ttl ${seconds(bc.ttlSeconds)} → ${seconds(hc.ttlSeconds)}` });
      }
      // `cache.healthMetrics` deploys nothing (the provider has no argument for it): no change to report.
    }
  }
  diffResolvers(b, h, out);
}

function behaviorText(b: string): string {
  if (b === 'full-request') return 'every resolver is cached by the whole of $context.arguments and $context.identity';
  if (b === 'operation-level') return 'whole operation responses are cached; resolvers are not cached one by one';
  return 'only resolvers with their own cache are cached';
}

function appsyncCacheAdded(api: GraphqlApi): Change {
  const c = api.cache!;
  const unencrypted = !c.encryption.atRest || !c.encryption.transit;
  return mk({
    subject: 'appsync-cache',
    name: api.name,
    action: 'add',
    after: c,
    message: `api cache added: ${c.type}, ${c.behavior}, default ttl ${seconds(c.ttlSeconds)}, encryption at rest ${onOff(c.encryption.atRest)}, in transit ${onOff(c.encryption.transit)}`,
    flags: unencrypted ? ['security'] : [],
  });
}

function describeResolverCache(c: ResolverCaching | undefined): string {
  if (!c) return 'not cached';
  const how = c.source === 'resolver' ? '' : ` (${c.source} caching)`;
  return `cached ${seconds(c.ttlSeconds)} by ${list(c.keys)}${how} (${c.scope === 'per-caller' ? 'per caller' : 'shared by every caller'})`;
}

function diffResolvers(bApi: GraphqlApi | undefined, hApi: GraphqlApi | undefined, out: Change[]): void {
  const bm = new Map((bApi?.resolvers ?? []).map((r) => [r.field, r]));
  const hm = new Map((hApi?.resolvers ?? []).map((r) => [r.field, r]));
  const all = [...new Set([...bm.keys(), ...hm.keys()])].sort(cmp);
  for (const field of all) {
    const b = bm.get(field);
    const h = hm.get(field);
    const bc = b && bApi ? resolverCaching(bApi, b) : undefined;
    const hc = h && hApi ? resolverCaching(hApi, h) : undefined;
    const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'resolver', name: field, ...d }));
    if (!b && h) {
      const risky = !!hc && hc.scope === 'shared' && hApi!.auth !== 'api-key';
      c({
        action: 'add',
        after: resolverSummary(h, hc),
        message: `resolver added: handler ${h.handler}, ${describeResolverCache(hc)}${risky ? '; no $context.identity key, so callers share cached results' : ''}`,
        flags: risky ? ['security'] : [],
      });
      continue;
    }
    if (b && !h) {
      c({ action: 'remove', before: resolverSummary(b, bc), message: `resolver removed (was ${describeResolverCache(bc)})` });
      continue;
    }
    if (!b || !h) continue;
    if (b.handler !== h.handler) c({ field: 'handler', before: b.handler, after: h.handler, message: `handler ${b.handler} → ${h.handler}` });
    if (!bc && !hc) continue;
    if (!bc && hc) {
      const risky = hc.scope === 'shared' && hApi!.auth !== 'api-key';
      c({
        field: 'cache',
        after: hc,
        message: `caching turned on: ${describeResolverCache(hc)}${risky ? '; no $context.identity key, so callers share cached results' : ''}`,
        flags: risky ? ['security'] : [],
      });
      continue;
    }
    if (bc && !hc) {
      c({ field: 'cache', before: bc, after: null, message: `caching turned off (was ${describeResolverCache(bc)})` });
      continue;
    }
    const x = bc!;
    const y = hc!;
    if (x.source !== y.source) {
      c({ field: 'cache.source', before: x.source, after: y.source, message: `cached by ${x.source} caching → ${y.source} caching` });
    }
    if (x.ttlSeconds !== y.ttlSeconds) {
      c({
        field: 'cache.ttlSeconds',
        before: x.ttlSeconds,
        after: y.ttlSeconds,
        message: `ttl ${seconds(x.ttlSeconds)} → ${seconds(y.ttlSeconds)}: results stay cached ${y.ttlSeconds > x.ttlSeconds ? 'longer' : 'shorter'}`,
      });
    }
    const kd = setDelta(x.keys, y.keys);
    if (kd.added.length || kd.removed.length) c({ field: 'cache.keys', before: x.keys, after: y.keys, message: `cache keys ${deltaText(kd)} (now ${list(y.keys)})` });
    if (x.scope !== y.scope) {
      c({
        field: 'cache.scope',
        before: x.scope,
        after: y.scope,
        message:
          y.scope === 'shared'
            ? "cache becomes shared: the key no longer identifies the caller, so one caller's cached result is served to others"
            : 'cache becomes per caller: the key now identifies the caller',
        flags: y.scope === 'shared' ? ['security'] : [],
      });
    }
  }
}

function resolverSummary(r: Resolver, c: ResolverCaching | undefined): Record<string, unknown> {
  return { handler: r.handler, cache: c ?? null };
}

// ---------------------------------------------------------------------------
// Redis / Valkey

function redisSummary(c: RedisCache): Record<string, unknown> {
  return {
    engine: c.engine,
    version: c.version,
    nodeType: c.nodeType,
    shards: c.shards,
    replicasPerShard: c.replicasPerShard,
    encryption: c.encryption,
  };
}

/** Everything but the name: two caches with the same settings look like a rename. */
function settingsOf<T extends { name: string }>(x: T): string {
  // Absolute paths differ between a base read at a git ref and the working copy.
  const { name: _name, entryPath: _entryPath, ...rest } = x as T & { entryPath?: string };
  void _name;
  void _entryPath;
  return JSON.stringify(rest);
}

/**
 * Pair removed and added entries that look like renames: a single removal and a
 * single addition, or entries whose settings are identical.
 */
function pairRenames<T extends { name: string }>(removed: T[], added: T[]): Map<string, string> {
  const pairs = new Map<string, string>();
  if (removed.length === 1 && added.length === 1) {
    pairs.set(removed[0].name, added[0].name);
    return pairs;
  }
  const used = new Set<string>();
  for (const r of removed) {
    const match = added.find((a) => !used.has(a.name) && settingsOf(a) === settingsOf(r));
    if (match) {
      used.add(match.name);
      pairs.set(r.name, match.name);
    }
  }
  return pairs;
}

function diffNamed<T extends { name: string }>(
  before: readonly T[],
  after: readonly T[],
  onAdd: (x: T, renamedFrom: string | undefined) => void,
  onRemove: (x: T, renamedTo: string | undefined) => void,
  onBoth: (b: T, h: T) => void,
): void {
  const bm = new Map(before.map((x) => [x.name, x]));
  const hm = new Map(after.map((x) => [x.name, x]));
  const removed = before.filter((x) => !hm.has(x.name));
  const added = after.filter((x) => !bm.has(x.name));
  const renames = pairRenames(removed, added);
  const renamedFrom = new Map([...renames].map(([from, to]) => [to, from]));
  const names = [...new Set([...bm.keys(), ...hm.keys()])].sort(cmp);
  for (const n of names) {
    const b = bm.get(n);
    const h = hm.get(n);
    if (b && h) onBoth(b, h);
    else if (b) onRemove(b, renames.get(n));
    else if (h) onAdd(h, renamedFrom.get(n));
  }
}

function diffRedis(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  diffNamed(
    base.redis,
    head.redis,
    (h, from) => {
      const unencrypted = !h.encryption.atRest || !h.encryption.transit;
      out.push(
        mk({
          subject: 'redis',
          name: h.name,
          action: 'add',
          after: redisSummary(h),
          message: `${from ? `cache added (renamed from ${from}), empty: ` : 'cache added: '}${h.engine} ${h.version}, ${h.nodeType}, ${h.shards} shard(s) × ${1 + h.replicasPerShard} node(s), encryption at rest ${onOff(h.encryption.atRest)}, in transit ${onOff(h.encryption.transit)}`,
          flags: unencrypted ? ['security'] : [],
        }),
      );
    },
    (b, to) => {
      out.push(
        mk({
          subject: 'redis',
          name: b.name,
          action: 'remove',
          before: redisSummary(b),
          message: to
            ? `cache renamed to ${to}: the replication group ${b.name} is destroyed with every key in it, and ${to} starts empty`
            : 'cache removed: the replication group is destroyed with every key in it',
          flags: to ? ['replace'] : ['destroy'],
          dataLoss: true,
          rule: to ? RULES.redisRename : undefined,
        }),
      );
    },
    (b, h) => diffRedisCache(b, h, out),
  );
}

function diffRedisCache(b: RedisCache, h: RedisCache, out: Change[]): void {
  const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'redis', name: h.name, ...d }));
  const lost = 'the replication group is destroyed and re-created empty: every key is lost';
  if (b.engine !== h.engine) {
    if (redisEngineChangeReplaces(b.engine, h.engine)) {
      c({ field: 'engine', before: b.engine, after: h.engine, message: `engine ${b.engine} → ${h.engine}: ${lost}`, flags: ['replace'], dataLoss: true, rule: RULES.redisEngine });
    } else {
      c({ field: 'engine', before: b.engine, after: h.engine, message: `engine ${b.engine} → ${h.engine}: upgraded in place, data kept`, rule: RULES.redisEngineUpgrade });
    }
  }
  if (b.version !== h.version) {
    const down = compareVersions(h.version, b.version) < 0;
    const engineReplaces = redisEngineChangeReplaces(b.engine, h.engine);
    if (down && !engineReplaces) {
      c({ field: 'version', before: b.version, after: h.version, message: `version ${b.version} → ${h.version} is a downgrade: ${lost}`, flags: ['replace'], dataLoss: true, rule: RULES.redisVersionDowngrade });
    } else {
      c({ field: 'version', before: b.version, after: h.version, message: `version ${b.version} → ${h.version}${down ? '' : ': upgraded in place'}` });
    }
  }
  if (b.encryption.atRest !== h.encryption.atRest) {
    c({
      field: 'encryption.atRest',
      before: b.encryption.atRest,
      after: h.encryption.atRest,
      message: `encryption at rest ${onOff(b.encryption.atRest)} → ${onOff(h.encryption.atRest)}: ${lost}`,
      flags: h.encryption.atRest ? ['replace'] : ['replace', 'security'],
      dataLoss: true,
      rule: RULES.redisAtRest,
    });
  }
  if (b.port !== h.port) {
    c({ field: 'port', before: b.port, after: h.port, message: `port ${b.port} → ${h.port}: ${lost}`, flags: ['replace'], dataLoss: true, rule: RULES.redisPort });
  }
  if (b.encryption.transit !== h.encryption.transit) {
    c({
      field: 'encryption.transit',
      before: b.encryption.transit,
      after: h.encryption.transit,
      message: h.encryption.transit ? 'tls between clients and the cache turned on (in place)' : 'tls between clients and the cache turned off: traffic and the auth token travel in clear text',
      flags: h.encryption.transit ? [] : ['security'],
    });
  }
  if ((b.authTokenSecret ?? null) !== (h.authTokenSecret ?? null)) {
    const removed = !h.authTokenSecret;
    c({
      field: 'authTokenSecret',
      before: b.authTokenSecret ?? null,
      after: h.authTokenSecret ?? null,
      message: removed ? 'auth token removed: clients that reach the cache need no password' : b.authTokenSecret ? 'auth token read from another secret (rotated in place)' : 'auth token required from now on',
      flags: removed ? ['security'] : [],
    });
  }
  if (b.nodeType !== h.nodeType) {
    const dir = compareNodeTypes(b.nodeType, h.nodeType);
    c({ field: 'nodeType', before: b.nodeType, after: h.nodeType, message: `node type ${b.nodeType} → ${h.nodeType}${grewWord(dir)}: scaled in place, data kept`, direction: dir });
  }
  if (b.shards !== h.shards) {
    const dir = compareNumbers(b.shards, h.shards);
    const modeSwitch = (b.shards > 1) !== (h.shards > 1);
    c({
      field: 'shards',
      before: b.shards,
      after: h.shards,
      message: modeSwitch
        ? `shards ${b.shards} → ${h.shards}${grewWord(dir)}: switches cluster mode ${h.shards > 1 ? 'on' : 'off'} (the parameter group's cluster-enabled changes); elasticache changes cluster mode only through a staged migration, and clients must ${h.shards > 1 ? 'use a cluster-aware client' : 'stop using cluster mode'}: check this change before applying it`
        : `shards ${b.shards} → ${h.shards}${grewWord(dir)}: online resharding, data kept`,
      direction: dir,
    });
  }
  if (b.replicasPerShard !== h.replicasPerShard) {
    const dir = compareNumbers(b.replicasPerShard, h.replicasPerShard);
    c({
      field: 'replicasPerShard',
      before: b.replicasPerShard,
      after: h.replicasPerShard,
      message: `replicas per shard ${b.replicasPerShard} → ${h.replicasPerShard}${grewWord(dir)} (${redisNodeCount(b.shards, b.replicasPerShard)} → ${redisNodeCount(h.shards, h.replicasPerShard)} nodes)`,
      direction: dir,
    });
  }
  if (b.multiAz !== h.multiAz) {
    c({ field: 'multiAz', before: b.multiAz, after: h.multiAz, message: h.multiAz ? 'multi-az with automatic failover turned on' : 'multi-az turned off: losing the primary node loses writes until a replacement is up' });
  }
  if (b.maxmemoryPolicy !== h.maxmemoryPolicy) {
    c({ field: 'maxmemoryPolicy', before: b.maxmemoryPolicy, after: h.maxmemoryPolicy, message: `eviction ${b.maxmemoryPolicy} → ${h.maxmemoryPolicy}${h.maxmemoryPolicy === 'noeviction' ? ': writes fail once memory is full' : ''}` });
  }
  if (b.snapshotRetentionDays !== h.snapshotRetentionDays) {
    c({ field: 'snapshotRetentionDays', before: b.snapshotRetentionDays, after: h.snapshotRetentionDays, message: `snapshots kept ${b.snapshotRetentionDays} → ${h.snapshotRetentionDays} day(s)${h.snapshotRetentionDays === 0 ? ': no automatic snapshots' : ''}` });
  }
  diffRedisKeys(b, h, out);
}

function diffRedisKeys(b: RedisCache, h: RedisCache, out: Change[]): void {
  const bm = new Map(b.keys.map((k) => [k.pattern, k]));
  const hm = new Map(h.keys.map((k) => [k.pattern, k]));
  const all = [...new Set([...bm.keys(), ...hm.keys()])].sort(cmp);
  for (const p of all) {
    const x = bm.get(p);
    const y = hm.get(p);
    const field = `keys[${JSON.stringify(p)}]`;
    if (!x && y) out.push(mk({ subject: 'redis', name: h.name, field, after: y.ttlSeconds, message: `key pattern ${p} added, ttl ${seconds(y.ttlSeconds)}` }));
    else if (x && !y) out.push(mk({ subject: 'redis', name: h.name, field, before: x.ttlSeconds, message: `key pattern ${p} removed (entries already written expire after their ttl)` }));
    else if (x && y && x.ttlSeconds !== y.ttlSeconds) {
      out.push(mk({ subject: 'redis', name: h.name, field, before: x.ttlSeconds, after: y.ttlSeconds, message: `key pattern ${p} ttl ${seconds(x.ttlSeconds)} → ${seconds(y.ttlSeconds)}` }));
    }
  }
}

// ---------------------------------------------------------------------------
// DAX

function diffDax(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  const summary = (d: DaxCluster) => ({ nodeType: d.nodeType, replicationFactor: d.replicationFactor, encryption: d.encryption, tables: d.tables });
  diffNamed(
    base.dax,
    head.dax,
    (h, from) =>
      out.push(
        mk({
          subject: 'dax',
          name: h.name,
          action: 'add',
          after: summary(h),
          message: `${from ? `cluster added (renamed from ${from}), empty: ` : 'cluster added: '}${h.nodeType} × ${h.replicationFactor}, encryption ${onOff(h.encryption)}, tables ${list(h.tables)}`,
          flags: h.encryption ? [] : ['security'],
        }),
      ),
    (b, to) =>
      out.push(
        mk({
          subject: 'dax',
          name: b.name,
          action: 'remove',
          before: summary(b),
          message: to
            ? `cluster renamed to ${to}: ${b.name} is destroyed with its item and query caches, and ${to} starts cold (the tables are untouched)`
            : 'cluster removed: its item and query caches are destroyed (the tables are untouched)',
          flags: to ? ['replace'] : ['destroy'],
          dataLoss: true,
          rule: to ? RULES.daxRename : undefined,
        }),
      ),
    (b, h) => {
      const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'dax', name: h.name, ...d }));
      const lost = 'the cluster is destroyed and re-created cold (the tables are untouched)';
      if (b.nodeType !== h.nodeType) {
        const dir = compareNodeTypes(b.nodeType, h.nodeType);
        c({ field: 'nodeType', before: b.nodeType, after: h.nodeType, message: `node type ${b.nodeType} → ${h.nodeType}${grewWord(dir)}: ${lost}`, flags: ['replace'], dataLoss: true, direction: dir, rule: RULES.daxNodeType });
      }
      if (b.encryption !== h.encryption) {
        c({
          field: 'encryption',
          before: b.encryption,
          after: h.encryption,
          message: `server-side encryption ${onOff(b.encryption)} → ${onOff(h.encryption)}: ${lost}`,
          flags: h.encryption ? ['replace'] : ['replace', 'security'],
          dataLoss: true,
          rule: RULES.daxEncryption,
        });
      }
      if (b.replicationFactor !== h.replicationFactor) {
        const dir = compareNumbers(b.replicationFactor, h.replicationFactor);
        c({ field: 'replicationFactor', before: b.replicationFactor, after: h.replicationFactor, message: `nodes ${b.replicationFactor} → ${h.replicationFactor}${grewWord(dir)}: changed in place`, direction: dir });
      }
      const td = setDelta(b.tables, h.tables);
      if (td.added.length || td.removed.length) c({ field: 'tables', before: b.tables, after: h.tables, message: `tables ${deltaText(td)} (the cluster's role may read and write exactly ${list([...h.tables].sort(cmp))})` });
      if (b.itemTtlSeconds !== h.itemTtlSeconds) c({ field: 'itemTtlSeconds', before: b.itemTtlSeconds, after: h.itemTtlSeconds, message: `item cache ttl ${seconds(b.itemTtlSeconds)} → ${seconds(h.itemTtlSeconds)}` });
      if (b.queryTtlSeconds !== h.queryTtlSeconds) c({ field: 'queryTtlSeconds', before: b.queryTtlSeconds, after: h.queryTtlSeconds, message: `query cache ttl ${seconds(b.queryTtlSeconds)} → ${seconds(h.queryTtlSeconds)}` });
    },
  );
}

// ---------------------------------------------------------------------------
// Handlers and warmer

function handlerSettings(h: Handler): Record<string, unknown> {
  return {
    runtime: h.runtime,
    memoryMb: h.memoryMb,
    timeoutSeconds: h.timeoutSeconds,
    provisionedConcurrency: h.provisionedConcurrency,
    reservedConcurrency: h.reservedConcurrency ?? null,
    warm: h.warm,
  };
}

function diffHandlers(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  diffNamed(
    base.handlers,
    head.handlers,
    (h, from) =>
      out.push(
        mk({
          subject: 'handler',
          name: h.name,
          action: 'add',
          after: handlerSettings(h),
          message: `${from ? `handler added (renamed from ${from}): ` : 'handler added: '}${h.memoryMb} MB, timeout ${seconds(h.timeoutSeconds)}, provisioned concurrency ${h.provisionedConcurrency}${h.warm ? ', warm' : ''}`,
        }),
      ),
    (b, to) =>
      out.push(
        mk({
          subject: 'handler',
          name: b.name,
          action: 'remove',
          before: handlerSettings(b),
          message: to
            ? `handler renamed to ${to}: a new function replaces ${b.name}${b.provisionedConcurrency ? ' and its provisioned concurrency is allocated again' : ''}`
            : 'handler removed: its function is deleted',
          flags: to ? ['replace'] : [],
          rule: to ? RULES.handlerRename : undefined,
        }),
      ),
    (b, h) => diffHandler(b, h, out),
  );
}

function diffHandler(b: Handler, h: Handler, out: Change[]): void {
  const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'handler', name: h.name, ...d }));
  const num = (field: keyof Handler, label: string, unit = '') => {
    const x = b[field] as number | undefined;
    const y = h[field] as number | undefined;
    if (x === y) return;
    const dir = x !== undefined && y !== undefined ? compareNumbers(x, y) : 'change';
    c({ field, before: x ?? null, after: y ?? null, message: `${label} ${x ?? 'unset'}${unit} → ${y ?? 'unset'}${unit}${grewWord(dir)}`, direction: dir });
  };
  if (b.entry !== h.entry) c({ field: 'entry', before: b.entry, after: h.entry, message: `entry ${b.entry} → ${h.entry}` });
  if (b.runtime !== h.runtime) c({ field: 'runtime', before: b.runtime, after: h.runtime, message: `runtime ${b.runtime} → ${h.runtime}` });
  if (b.architecture !== h.architecture) c({ field: 'architecture', before: b.architecture, after: h.architecture, message: `architecture ${b.architecture} → ${h.architecture}` });
  num('memoryMb', 'memory', ' MB');
  num('timeoutSeconds', 'timeout', 's');
  num('provisionedConcurrency', 'provisioned concurrency');
  num('reservedConcurrency', 'reserved concurrency');
  if (b.warm !== h.warm) c({ field: 'warm', before: b.warm, after: h.warm, message: h.warm ? 'the warmer pings it from now on' : 'no longer kept warm by the warmer' });
  if (b.vpc !== h.vpc) c({ field: 'vpc', before: b.vpc, after: h.vpc, message: h.vpc ? 'moves into the vpc' : 'moves out of the vpc' });
  const env = setDelta(Object.keys(b.environment), Object.keys(h.environment));
  const changedVars = Object.keys(h.environment).filter((k) => k in b.environment && b.environment[k] !== h.environment[k]).sort(cmp);
  if (env.added.length || env.removed.length || changedVars.length) {
    const parts = [deltaText(env), changedVars.length ? `changed ${changedVars.join(', ')}` : ''].filter(Boolean);
    c({ field: 'environment', message: `environment variables ${parts.join('; ')}` });
  }
  const bc = b.connections;
  const hc = h.connections;
  if (bc.http.maxSockets !== hc.http.maxSockets) {
    c({ field: 'connections.http.maxSockets', before: bc.http.maxSockets, after: hc.http.maxSockets, message: `http pool ${bc.http.maxSockets} → ${hc.http.maxSockets} sockets per host`, direction: compareNumbers(bc.http.maxSockets, hc.http.maxSockets) });
  }
  if (bc.http.keepAlive !== hc.http.keepAlive) c({ field: 'connections.http.keepAlive', before: bc.http.keepAlive, after: hc.http.keepAlive, message: `http keep-alive ${onOff(bc.http.keepAlive)} → ${onOff(hc.http.keepAlive)}` });
  if (bc.http.connectTimeoutMs !== hc.http.connectTimeoutMs || bc.http.requestTimeoutMs !== hc.http.requestTimeoutMs) {
    c({ field: 'connections.http', message: `http timeouts connect ${bc.http.connectTimeoutMs} → ${hc.http.connectTimeoutMs} ms, request ${bc.http.requestTimeoutMs} → ${hc.http.requestTimeoutMs} ms` });
  }
  if (!eq(bc.retries, hc.retries)) c({ field: 'connections.retries', before: bc.retries, after: hc.retries, message: `retries ${bc.retries.maxAttempts} ${bc.retries.mode} → ${hc.retries.maxAttempts} ${hc.retries.mode}` });
  if (!eq(bc.redis ?? null, hc.redis ?? null)) {
    const t = (r: Handler['connections']['redis']) => (r ? `${r.cache} (pool ${r.poolSize}, command timeout ${r.commandTimeoutMs} ms)` : 'none');
    c({ field: 'connections.redis', before: bc.redis ?? null, after: hc.redis ?? null, message: `redis ${t(bc.redis)} → ${t(hc.redis)}` });
  }
  if (!eq(bc.dax ?? null, hc.dax ?? null)) {
    const t = (r: Handler['connections']['dax']) => (r ? `${r.cluster} (timeout ${r.requestTimeoutMs} ms)` : 'none');
    c({ field: 'connections.dax', before: bc.dax ?? null, after: hc.dax ?? null, message: `dax ${t(bc.dax)} → ${t(hc.dax)}` });
  }
  if (!eq(bc.postgres ?? null, hc.postgres ?? null)) {
    const t = (p: Handler['connections']['postgres']) =>
      p ? `pool ${p.min}..${p.max}, port ${p.port}${p.securityGroupId ? `, database group ${p.securityGroupId}` : ''}${p.serverMaxConnections ? `, server max ${p.serverMaxConnections}` : ''}` : 'none';
    c({ field: 'connections.postgres', before: bc.postgres ?? null, after: hc.postgres ?? null, message: `postgres ${t(bc.postgres)} → ${t(hc.postgres)}` });
  }
}

function diffWarmer(base: ServiceModel, head: ServiceModel, out: Change[]): void {
  const b = base.warmer;
  const h = head.warmer;
  if (!b && !h) return;
  if (!b && h) out.push(mk({ subject: 'warmer', name: 'warmer', action: 'add', after: h, message: `warmer added: ${h.schedule}, ${h.concurrency} ping(s) per handler${h.enabled ? '' : ', disabled'}` }));
  else if (b && !h) out.push(mk({ subject: 'warmer', name: 'warmer', action: 'remove', before: b, message: 'warmer removed: warm handlers are no longer pinged' }));
  else if (b && h) {
    const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'warmer', name: 'warmer', ...d }));
    if (b.schedule !== h.schedule) c({ field: 'schedule', before: b.schedule, after: h.schedule, message: `schedule ${b.schedule} → ${h.schedule}` });
    if (b.concurrency !== h.concurrency) c({ field: 'concurrency', before: b.concurrency, after: h.concurrency, message: `pings per handler ${b.concurrency} → ${h.concurrency}`, direction: compareNumbers(b.concurrency, h.concurrency) });
    if (b.enabled !== h.enabled) c({ field: 'enabled', before: b.enabled, after: h.enabled, message: h.enabled ? 'warmer schedule turned on' : 'warmer schedule turned off' });
    if (b.timeoutSeconds !== h.timeoutSeconds) c({ field: 'timeoutSeconds', before: b.timeoutSeconds, after: h.timeoutSeconds, message: `warmer timeout ${b.timeoutSeconds}s → ${h.timeoutSeconds}s` });
  }
}

// ---------------------------------------------------------------------------

/** A model with nothing in it: the "before" of a new environment, the "after" of a removed one. */
export function emptyModel(like: ServiceModel): ServiceModel {
  return {
    ...like,
    handlers: [],
    restApi: undefined,
    graphqlApi: undefined,
    redis: [],
    dax: [],
    warmer: undefined,
    network: undefined,
    cdn: undefined,
  };
}

function statefulNames(m: ServiceModel): string[] {
  const names: string[] = [];
  for (const r of m.redis) names.push(`redis ${r.name}`);
  for (const d of m.dax) names.push(`dax ${d.name}`);
  if (m.restApi?.cache) names.push(`stage cache ${m.restApi.name}/${m.restApi.stage}`);
  if (m.graphqlApi?.cache) names.push(`api cache ${m.graphqlApi.name}`);
  return names;
}

/**
 * The changes from `base` to `head` for one environment. Either side may be
 * missing: a new environment (or config file) is all additions, a removed one all
 * removals.
 */
export function diffModels(base: ServiceModel | undefined, head: ServiceModel | undefined): Change[] {
  if (!base && !head) return [];
  const b = base ?? emptyModel(head!);
  const h = head ?? emptyModel(base!);
  const out: Change[] = [];
  if (base && head) {
    const both = statefulNames(base).filter((n) => statefulNames(head).includes(n));
    const loses = both.length ? `: ${both.join(', ')} are destroyed with their data and re-created empty` : '';
    if (base.service !== head.service) {
      out.push(
        mk({
          subject: 'service',
          name: head.service,
          field: 'service',
          before: base.service,
          after: head.service,
          message: `service renamed ${base.service} → ${head.service}: every resource name and the stack name (${base.stackName} → ${head.stackName}) change, so every resource is replaced${loses}`,
          flags: ['replace'],
          dataLoss: both.length > 0,
          rule: RULES.serviceRename,
        }),
      );
    }
    if (base.region !== head.region) {
      out.push(
        mk({
          subject: 'service',
          name: head.service,
          field: 'region',
          before: base.region,
          after: head.region,
          message: `region ${base.region} → ${head.region}: every resource is created in the new region and destroyed in the old one${loses}`,
          flags: ['replace'],
          dataLoss: both.length > 0,
          rule: RULES.regionChange,
        }),
      );
    }
    if (!eq(base.network ?? null, head.network ?? null) && base.network && head.network) {
      if (base.network.vpcId !== head.network.vpcId) {
        out.push(mk({ subject: 'service', name: head.service, field: 'network.vpcId', before: base.network.vpcId, after: head.network.vpcId, message: `vpc ${base.network.vpcId} → ${head.network.vpcId}: security groups are re-created; caches and clusters cannot move between vpcs in place` }));
      } else if (!eq(base.network.subnetIds, head.network.subnetIds)) {
        const d = setDelta(base.network.subnetIds, head.network.subnetIds);
        out.push(mk({ subject: 'service', name: head.service, field: 'network.subnetIds', before: base.network.subnetIds, after: head.network.subnetIds, message: `subnets ${deltaText(d)}` }));
      }
    }
  }
  diffRestApi(b, h, out);
  diffGraphql(b, h, out);
  diffRedis(b, h, out);
  diffDax(b, h, out);
  diffHandlers(b, h, out);
  diffWarmer(b, h, out);
  if (base && head) out.push(...diffNetwork(base, head));
  out.push(...diffEdge(b, h), ...diffCdn(b, h));
  if (base && head) out.push(...diffAlarms(base, head));
  if (base && head) out.push(...diffAccess(base, head));
  if (head) out.push(...diffInvalidation(base, head));
  return out;
}
