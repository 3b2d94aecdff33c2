/**
 * Rule 17: `cdn`, a CloudFront distribution that is complete and keys its cache
 * on the caller where it must.
 *
 * What:
 * - `cdn-alias-needs-certificate` (error): `aliases` without `certificateArn`:
 *   CloudFront refuses an alternate domain name without a certificate covering it.
 * - `cdn-certificate-region` (error): `certificateArn` is not in us-east-1, the only
 *   region CloudFront reads certificates from.
 * - `cdn-origin-missing` (error): the distribution has nothing to serve (neither
 *   `api` nor `static`), or `api` is given without a `restApi` behind it (or
 *   with a PRIVATE one, which CloudFront cannot reach).
 * - `cdn-ttl-order` (error): a behavior's `defaultTtlSeconds` is above its
 *   `maxTtlSeconds`; CloudFront rejects the cache policy.
 * - `cdn-tls-default-certificate` (warning): `minimumTls` is written but there is
 *   no certificate: the `*.cloudfront.net` certificate always admits TLS 1.0, so
 *   the setting does nothing.
 *
 * The other half of rule 17 is a guarantee of synthesis, not a check: an `api`
 * behavior that caches (`maxTtlSeconds > 0`) in front of endpoints with `auth`
 * gets a cache policy whose key includes the Authorization header (and a lambda
 * authorizer's identity header); the config has no way to give a policy that
 * drops it (src/infra/cdn.ts, `apiCacheKeyHeaders`).
 */
import type { Rule } from './types';

export const CDN_CERTIFICATE_REGION = 'us-east-1';

/** The region part of an ARN (`arn:aws:acm:REGION:...`). */
export function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export const cdnRule: Rule = {
  id: 'cdn',
  meta: [
    { code: 'cdn-alias-needs-certificate', severity: 'error', description: '`cdn.aliases` are given without `cdn.certificateArn`; CloudFront needs a certificate covering every alias.', specRule: 17 },
    { code: 'cdn-certificate-region', severity: 'error', description: '`cdn.certificateArn` is not an ACM certificate in us-east-1, the only region CloudFront takes certificates from.', specRule: 17 },
    { code: 'cdn-origin-missing', severity: 'error', description: '`cdn` has neither `api` nor `static`, or `cdn.api` is given without a `restApi` CloudFront can reach (none, or a PRIVATE one).', specRule: 17 },
    { code: 'cdn-ttl-order', severity: 'error', description: 'a `cdn` behavior\'s `defaultTtlSeconds` is above its `maxTtlSeconds`.', specRule: 17 },
    { code: 'cdn-tls-default-certificate', severity: 'warning', description: '`cdn.minimumTls` is set without `certificateArn`; the default `*.cloudfront.net` certificate admits TLS 1.0 whatever it says.', specRule: 17 },
  ],
  check(ctx) {
    const cdn = ctx.model.cdn;
    if (!cdn) return;
    if (cdn.aliases.length > 0 && cdn.certificateArn === undefined) {
      ctx.report({
        code: 'cdn-alias-needs-certificate',
        path: ['cdn', 'aliases'],
        message: `\`aliases\` (${cdn.aliases.join(', ')}) need \`certificateArn\`: CloudFront serves an alternate domain name only with a certificate that covers it`,
        hint: 'add `certificateArn: arn:aws:acm:us-east-1:ACCOUNT:certificate/ID` (a certificate in us-east-1 covering every alias)',
      });
    }
    if (cdn.certificateArn !== undefined && arnRegion(cdn.certificateArn) !== CDN_CERTIFICATE_REGION) {
      ctx.report({
        code: 'cdn-certificate-region',
        path: ['cdn', 'certificateArn'],
        message: `the certificate is in \`${arnRegion(cdn.certificateArn)}\`; CloudFront only uses ACM certificates in \`${CDN_CERTIFICATE_REGION}\``,
        hint: 'request or import the certificate in us-east-1 and give that ARN',
      });
    }
    if (!cdn.api && !cdn.static) {
      ctx.report({
        code: 'cdn-origin-missing',
        path: ['cdn'],
        message: '`cdn` has nothing to serve: give `api` (the REST API stage), `static` (an S3 bucket) or both',
        hint: 'add `api: { pathPattern: /api/*, maxTtlSeconds: 300 }` or `static: { bucket: my-frontend }`',
      });
    } else if (cdn.api && !ctx.model.restApi) {
      ctx.report({
        code: 'cdn-origin-missing',
        path: ['cdn', 'api'],
        message: '`cdn.api` sends requests to the REST API stage, but this service has no `restApi`',
        hint: 'add `restApi`, or remove `cdn.api` and serve `static` only',
      });
    } else if (cdn.api && ctx.model.restApi?.endpointType === 'PRIVATE') {
      ctx.report({
        code: 'cdn-origin-missing',
        path: ['cdn', 'api'],
        message: '`cdn.api` sends requests to the REST API stage, but a PRIVATE api answers only inside its VPC, so CloudFront cannot reach it',
        hint: 'use `restApi.endpointType: REGIONAL` behind the distribution, or remove `cdn.api`',
      });
    }
    for (const key of ['api', 'static'] as const) {
      const b = cdn[key];
      if (b && b.defaultTtlSeconds > b.maxTtlSeconds) {
        ctx.report({
          code: 'cdn-ttl-order',
          path: ['cdn', key, 'defaultTtlSeconds'],
          message: `\`defaultTtlSeconds: ${b.defaultTtlSeconds}\` is above \`maxTtlSeconds: ${b.maxTtlSeconds}\`; CloudFront rejects such a cache policy`,
          hint: `lower \`defaultTtlSeconds\` to at most ${b.maxTtlSeconds}, or raise \`maxTtlSeconds\``,
        });
      }
    }
    if (cdn.certificateArn === undefined && ctx.written(['cdn', 'minimumTls'])) {
      ctx.report({
        code: 'cdn-tls-default-certificate',
        path: ['cdn', 'minimumTls'],
        message: `\`minimumTls: ${cdn.minimumTls}\` has no effect without \`certificateArn\`: the default *.cloudfront.net certificate admits TLS 1.0`,
        hint: 'add `aliases` and `certificateArn` to serve your own name with this TLS policy, or remove `minimumTls`',
      });
    }
  },
};
