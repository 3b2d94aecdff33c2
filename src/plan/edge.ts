/**
 * The edge of one environment, as data and as sentences: REST compression, CORS,
 * the custom domain, WAF on both APIs, and the `cdn` distribution. `explain`
 * shows it (text and markdown share `edgeLines`), `diff` compares it
 * (src/plan/diff-cdn.ts).
 *
 * No cdktf import.
 */
import type { ServiceModel, Waf } from '../config/model';
import { planCdn, type CdnBehaviorPlan, type CdnPlan } from './cdn';
import { seconds } from './facts';

export interface WafPlan {
  /** An existing web ACL, or null when cachestack creates one. */
  webAclArn: string | null;
  /** AWS managed rule groups of the created web ACL, in order. */
  managedRules: string[];
}

export interface EdgePlan {
  compression: null | { minimumSizeBytes: number };
  cors: null | {
    allowOrigins: string[];
    /** Null: each resource allows its endpoints' methods. */
    allowMethods: string[] | null;
    allowHeaders: string[];
    exposeHeaders: string[];
    maxAgeSeconds: number;
    allowCredentials: boolean;
  };
  domain: null | { name: string; basePath: string | null; endpointType: string; certificateArn: string };
  restWaf: null | WafPlan;
  graphqlWaf: null | WafPlan;
  cdn: CdnPlan | null;
}

function wafPlan(w: Waf | undefined): WafPlan | null {
  if (!w) return null;
  return 'webAclArn' in w ? { webAclArn: w.webAclArn, managedRules: [] } : { webAclArn: null, managedRules: [...w.managedRules] };
}

export function planEdge(model: ServiceModel): EdgePlan {
  const api = model.restApi;
  return {
    compression: api?.compression ? { ...api.compression } : null,
    cors: api?.cors
      ? {
          allowOrigins: [...api.cors.allowOrigins],
          allowMethods: api.cors.allowMethods ? [...api.cors.allowMethods] : null,
          allowHeaders: [...api.cors.allowHeaders],
          exposeHeaders: [...api.cors.exposeHeaders],
          maxAgeSeconds: api.cors.maxAgeSeconds,
          allowCredentials: api.cors.allowCredentials,
        }
      : null,
    domain: api?.domain ? { name: api.domain.name, basePath: api.domain.basePath ?? null, endpointType: api.domain.endpointType, certificateArn: api.domain.certificateArn } : null,
    restWaf: wafPlan(api?.waf),
    graphqlWaf: wafPlan(model.graphqlApi?.waf),
    cdn: planCdn(model),
  };
}

export function wafText(w: WafPlan): string {
  return w.webAclArn !== null ? `existing web ACL ${w.webAclArn}` : `new REGIONAL web ACL with ${w.managedRules.join(', ')}`;
}

export function behaviorText(b: CdnBehaviorPlan, staticBucket: string | null): string {
  const to = b.origin === 'api' ? 'the rest api stage' : `s3 bucket ${staticBucket} (origin access control)`;
  const key = [...(b.keyQueryStrings === 'all' ? ['query string'] : []), ...b.keyHeaders].join(' + ') || 'nothing';
  const caching = b.caches ? `cached ${seconds(b.defaultTtlSeconds)} by default, at most ${seconds(b.maxTtlSeconds)}, keyed by ${key}` : 'not cached (every request reaches the origin)';
  const strip = b.stripPrefix !== null ? `; ${b.stripPrefix} is removed before the API` : '';
  return `${b.pathPattern === '*' ? 'default (*)' : b.pathPattern} → ${to}: ${caching}${strip}`;
}

/** One sentence per edge setting; empty when there is none. */
export function edgeLines(e: EdgePlan): string[] {
  const out: string[] = [];
  if (e.compression) out.push(`compression: rest api responses of ${e.compression.minimumSizeBytes} bytes or more are compressed (gzip or deflate, as the client accepts)`);
  if (e.cors) {
    const c = e.cors;
    out.push(
      `cors: origins ${c.allowOrigins.join(', ')}; methods ${c.allowMethods ? c.allowMethods.join(', ') : 'of each resource\'s endpoints'}; headers ${c.allowHeaders.join(', ') || 'none'}; credentials ${c.allowCredentials ? 'allowed' : 'not allowed'}; preflight cached by browsers ${seconds(c.maxAgeSeconds)}, never by the stage (OPTIONS with a MOCK integration on every resource)`,
    );
  }
  if (e.domain) out.push(`custom domain: https://${e.domain.name}/${e.domain.basePath ?? ''} → the stage (${e.domain.endpointType}, TLS 1.2); point DNS at the rest-api-domain-target output`);
  if (e.restWaf) out.push(`waf (rest api): ${wafText(e.restWaf)}`);
  if (e.graphqlWaf) out.push(`waf (graphql api): ${wafText(e.graphqlWaf)}`);
  if (e.cdn) {
    const c = e.cdn;
    const names = c.aliases.length ? `aliases ${c.aliases.join(', ')}` : 'no aliases (the *.cloudfront.net name only)';
    out.push(`cdn: ${c.priceClass}, viewer TLS ${c.viewerTls}, compression ${c.compress ? 'on (gzip, brotli)' : 'off'}, ${names}, ${c.logging ? `logs to s3://${c.logging.bucket}/${c.logging.prefix}` : 'no access logs'}`);
    for (const b of c.behaviors) out.push(`cdn ${behaviorText(b, c.staticBucket)}`);
    if (c.staticBucket) out.push(`cdn: cachestack writes the bucket policy of ${c.staticBucket} (this distribution may read it; requests without TLS are denied)`);
  }
  return out;
}
