/**
 * The edge part of `diff`, kept out of diff.ts: the `cdn` distribution and the
 * REST/GraphQL edge settings (compression, CORS, custom domain, WAF).
 *
 * CloudFront (subject `cdn`):
 * - what empties its cache is flagged `replace` with `dataLoss`: the distribution
 *   removed (`destroy`), a behavior added, removed or moved (its path pattern, or
 *   the API behavior leaving the default when `static` arrives), an origin that
 *   changes (the REST API or its stage replaced or renamed, another bucket), and
 *   a change of what a cache policy keys on (headers, query strings, compression:
 *   entries under the old key are never hit again);
 * - what it keys on getting weaker is flagged `security`: the caller's
 *   Authorization (or identity) header leaving the key of a behavior that caches,
 *   and a lower viewer TLS policy;
 * - TTLs, price class, aliases, certificate and logging are listed unflagged.
 *
 * Edge (subject `edge`): WAF removed or its managed rule groups reduced, CORS
 * admitting more origins or credentials are `security`; a custom domain whose
 * endpoint type changes is replaced (`replace`, no data lost; its DNS target
 * changes).
 */
import type { ServiceModel } from '../config/model';
import { CDN_MINIMUM_TLS } from '../config/constants';
import { planCdn, type CdnBehaviorPlan, type CdnPlan } from './cdn';
import type { Change } from './diff';
import { planEdge, wafText, type WafPlan } from './edge';
import type { Flag } from './flags';
import { seconds } from './facts';

interface Draft {
  subject: 'cdn' | 'edge';
  name: string;
  action?: Change['action'];
  field?: string | null;
  before?: unknown;
  after?: unknown;
  message: string;
  flags?: Flag[];
  dataLoss?: boolean;
  rule?: string;
}

function mk(d: Draft): Change {
  const order: Flag[] = ['replace', 'destroy', 'security'];
  return {
    subject: d.subject,
    name: d.name,
    action: d.action ?? 'update',
    field: d.field ?? null,
    before: d.before === undefined ? null : d.before,
    after: d.after === undefined ? null : d.after,
    message: d.message,
    flags: order.filter((f) => d.flags?.includes(f)),
    dataLoss: d.dataLoss ?? false,
    direction: null,
    rule: d.rule ?? null,
  };
}

const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');
const EMPTIED = 'aws_cloudfront_cache_policy: entries cached under the old key or behavior are never served again';

/** Where the API origin points: the API's name and stage (the REST API's id follows its name). */
function apiOrigin(m: ServiceModel): string | null {
  return m.restApi ? `${m.restApi.name}/${m.restApi.stage}` : null;
}

function keyOf(b: CdnBehaviorPlan, compress: boolean): string {
  return JSON.stringify([b.keyQueryStrings, b.keyHeaders.map((h) => h.toLowerCase()), b.caches && compress]);
}

function diffBehaviors(base: ServiceModel, head: ServiceModel, b: CdnPlan, h: CdnPlan, out: Change[]): void {
  for (const origin of ['api', 'static'] as const) {
    const x = b.behaviors.find((y) => y.origin === origin);
    const y = h.behaviors.find((z) => z.origin === origin);
    const name = `${origin} behavior`;
    if (!x && !y) continue;
    if (!x && y) {
      out.push(mk({ subject: 'cdn', name, action: 'add', after: y.pathPattern, message: `behavior added: ${y.pathPattern} → ${origin}${y.pathPattern === '*' ? ' (the default behavior)' : ''}` }));
      continue;
    }
    if (x && !y) {
      out.push(mk({ subject: 'cdn', name, action: 'remove', before: x.pathPattern, message: `behavior removed: ${x.pathPattern} → ${origin}; its cached objects are no longer served`, flags: ['replace'], dataLoss: x.caches, rule: EMPTIED }));
      continue;
    }
    if (!x || !y) continue;
    if (x.pathPattern !== y.pathPattern) {
      out.push(mk({ subject: 'cdn', name, field: 'pathPattern', before: x.pathPattern, after: y.pathPattern, message: `${origin} behavior moves ${x.pathPattern} → ${y.pathPattern}: its cache starts empty`, flags: ['replace'], dataLoss: x.caches, rule: EMPTIED }));
    }
    if (keyOf(x, b.compress) !== keyOf(y, h.compress)) {
      const lost = x.caches && y.caches && x.keyHeaders.filter((k) => !y.keyHeaders.some((z) => z.toLowerCase() === k.toLowerCase()));
      const identity = ['authorization', ...(base.auth.lambda ? [base.auth.lambda.identityHeader.toLowerCase()] : [])];
      const weaker = !!lost && lost.some((k) => identity.includes(k.toLowerCase()));
      const key = (p: CdnBehaviorPlan, c: boolean) => `${[p.keyQueryStrings === 'all' ? 'query string' : '', ...p.keyHeaders].filter(Boolean).join(' + ') || 'nothing'}${p.caches && c ? ' (gzip/brotli variants)' : ''}`;
      out.push(
        mk({
          subject: 'cdn',
          name,
          field: 'cacheKey',
          before: key(x, b.compress),
          after: key(y, h.compress),
          message: `${origin} cache key ${key(x, b.compress)} → ${key(y, h.compress)}${weaker ? ': the caller\'s header leaves the key, so one caller\'s cached response may be served to another' : ''}; cached entries no longer match`,
          flags: weaker ? ['replace', 'security'] : ['replace'],
          dataLoss: x.caches,
          rule: EMPTIED,
        }),
      );
    }
    if (x.defaultTtlSeconds !== y.defaultTtlSeconds || x.maxTtlSeconds !== y.maxTtlSeconds) {
      out.push(
        mk({
          subject: 'cdn',
          name,
          field: 'ttl',
          before: [x.defaultTtlSeconds, x.maxTtlSeconds],
          after: [y.defaultTtlSeconds, y.maxTtlSeconds],
          message: `${origin} ttl default ${seconds(x.defaultTtlSeconds)}, max ${seconds(x.maxTtlSeconds)} → default ${seconds(y.defaultTtlSeconds)}, max ${seconds(y.maxTtlSeconds)}${y.caches ? '' : ' (no longer cached)'}`,
        }),
      );
    }
    if (x.stripPrefix !== y.stripPrefix) {
      out.push(mk({ subject: 'cdn', name, field: 'stripPrefix', before: x.stripPrefix, after: y.stripPrefix, message: `path prefix removed before the API: ${x.stripPrefix ?? 'none'} → ${y.stripPrefix ?? 'none'}` }));
    }
  }
  const bo = apiOrigin(base);
  const ho = apiOrigin(head);
  if (b.behaviors.some((x) => x.origin === 'api') && h.behaviors.some((x) => x.origin === 'api') && bo !== ho) {
    out.push(mk({ subject: 'cdn', name: 'api origin', field: 'origin', before: bo, after: ho, message: `api origin ${bo} → ${ho}: requests go to another rest api or stage; cached responses of the old one are no longer what it serves`, flags: ['replace'], dataLoss: true, rule: 'aws_cloudfront_distribution: origin domain or path changes' }));
  }
  if (b.staticBucket !== null && h.staticBucket !== null && b.staticBucket !== h.staticBucket) {
    out.push(mk({ subject: 'cdn', name: 'static origin', field: 'static.bucket', before: b.staticBucket, after: h.staticBucket, message: `static origin ${b.staticBucket} → ${h.staticBucket}: cachestack now writes the new bucket's policy and leaves the old one's in place`, flags: ['replace'], dataLoss: true, rule: 'aws_cloudfront_distribution: origin domain changes' }));
  }
}

export function diffCdn(base: ServiceModel, head: ServiceModel): Change[] {
  const b = planCdn(base);
  const h = planCdn(head);
  const out: Change[] = [];
  if (!b && !h) return out;
  if (!b && h) {
    out.push(mk({ subject: 'cdn', name: 'distribution', action: 'add', after: h.behaviors.map((x) => x.pathPattern), message: `cloudfront distribution added (${h.priceClass}): ${h.behaviors.map((x) => `${x.pathPattern} → ${x.origin}`).join(', ')}` }));
    return out;
  }
  if (b && !h) {
    out.push(mk({ subject: 'cdn', name: 'distribution', action: 'remove', before: b.behaviors.map((x) => x.pathPattern), message: `cloudfront distribution removed: every cached object is lost${b.aliases.length ? ` and ${b.aliases.join(', ')} stop being served` : ''}`, flags: ['destroy'], dataLoss: true }));
    return out;
  }
  if (!b || !h) return out;
  diffBehaviors(base, head, b, h, out);
  const c = (d: Omit<Draft, 'subject' | 'name'>) => out.push(mk({ subject: 'cdn', name: 'distribution', ...d }));
  if (b.priceClass !== h.priceClass) c({ field: 'priceClass', before: b.priceClass, after: h.priceClass, message: `price class ${b.priceClass} → ${h.priceClass}` });
  if (b.viewerTls !== h.viewerTls) {
    const rank = (t: string) => {
      const i = (CDN_MINIMUM_TLS as readonly string[]).indexOf(t);
      return i < 0 ? CDN_MINIMUM_TLS.length : i;
    };
    c({ field: 'minimumTls', before: b.viewerTls, after: h.viewerTls, message: `viewer TLS ${b.viewerTls} → ${h.viewerTls}`, flags: rank(h.viewerTls) > rank(b.viewerTls) ? ['security'] : [] });
  }
  if (!eq(b.aliases, h.aliases)) c({ field: 'aliases', before: b.aliases, after: h.aliases, message: `aliases ${list(b.aliases)} → ${list(h.aliases)}` });
  if (b.certificateArn !== h.certificateArn) c({ field: 'certificateArn', before: b.certificateArn, after: h.certificateArn, message: `certificate ${b.certificateArn ?? 'default'} → ${h.certificateArn ?? 'default'}` });
  if (!eq(b.logging, h.logging)) c({ field: 'logging', before: b.logging, after: h.logging, message: `access logs ${b.logging ? `s3://${b.logging.bucket}/${b.logging.prefix}` : 'off'} → ${h.logging ? `s3://${h.logging.bucket}/${h.logging.prefix}` : 'off'}` });
  return out;
}

function diffWaf(name: string, b: WafPlan | null, h: WafPlan | null, out: Change[]): void {
  if (eq(b, h)) return;
  if (b && !h) {
    out.push(mk({ subject: 'edge', name, action: 'remove', before: wafText(b), message: `waf removed: requests reach the api unfiltered (was ${wafText(b)})`, flags: ['security'] }));
  } else if (!b && h) {
    out.push(mk({ subject: 'edge', name, action: 'add', after: wafText(h), message: `waf added: ${wafText(h)}` }));
  } else if (b && h) {
    const dropped = b.managedRules.filter((r) => !h.managedRules.includes(r));
    out.push(mk({ subject: 'edge', name, field: 'waf', before: wafText(b), after: wafText(h), message: `waf ${wafText(b)} → ${wafText(h)}${dropped.length ? `: ${dropped.join(', ')} no longer applied` : ''}`, flags: dropped.length ? ['security'] : [] }));
  }
}

export function diffEdge(base: ServiceModel, head: ServiceModel): Change[] {
  const b = planEdge(base);
  const h = planEdge(head);
  const out: Change[] = [];
  const api = head.restApi?.name ?? base.restApi?.name ?? 'rest api';
  if (!eq(b.compression, h.compression)) {
    const t = (x: typeof b.compression) => (x ? `from ${x.minimumSizeBytes} bytes` : 'off');
    out.push(mk({ subject: 'edge', name: api, field: 'compression', before: b.compression, after: h.compression, message: `response compression ${t(b.compression)} → ${t(h.compression)}` }));
  }
  if (!eq(b.cors, h.cors)) {
    const bo = b.cors?.allowOrigins ?? [];
    const ho = h.cors?.allowOrigins ?? [];
    const wider = ho.some((o) => !bo.includes(o) && !bo.includes('*')) || (!!h.cors?.allowCredentials && !b.cors?.allowCredentials);
    const text = (c: typeof b.cors) => (c ? `origins ${c.allowOrigins.join(', ')}${c.allowCredentials ? ' with credentials' : ''}` : 'off');
    out.push(mk({ subject: 'edge', name: api, field: 'cors', action: !b.cors ? 'add' : !h.cors ? 'remove' : 'update', before: b.cors, after: h.cors, message: `cors ${text(b.cors)} → ${text(h.cors)}${wider ? ': more origins may call the api from a browser' : ''}`, flags: wider ? ['security'] : [] }));
  }
  if (!eq(b.domain, h.domain)) {
    const replaced = !!b.domain && !!h.domain && (b.domain.name !== h.domain.name || b.domain.endpointType !== h.domain.endpointType);
    const t = (d: typeof b.domain) => (d ? `${d.name}/${d.basePath ?? ''} (${d.endpointType})` : 'none');
    out.push(
      mk({
        subject: 'edge',
        name: api,
        field: 'domain',
        action: !b.domain ? 'add' : !h.domain ? 'remove' : 'update',
        before: b.domain,
        after: h.domain,
        message: `custom domain ${t(b.domain)} → ${t(h.domain)}${replaced ? ': the domain name is re-created and its DNS target changes' : ''}`,
        flags: replaced ? ['replace'] : [],
        rule: replaced ? 'aws_api_gateway_domain_name: domain_name and endpoint type force a new resource' : undefined,
      }),
    );
  }
  diffWaf(`${api} waf`, b.restWaf, h.restWaf, out);
  diffWaf(`${head.graphqlApi?.name ?? base.graphqlApi?.name ?? 'graphql api'} waf`, b.graphqlWaf, h.graphqlWaf, out);
  return out;
}
