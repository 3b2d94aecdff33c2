/**
 * The REST and GraphQL API's edge settings: CORS, the custom domain and WAF.
 *
 * What:
 * - `cors-origin-conflict` (error): `allowOrigins` has `*` together with
 *   `allowCredentials: true` (browsers refuse credentials with a wildcard origin),
 *   or `*` beside other origins (the others would mean nothing).
 * - `domain-certificate-region` (error): a REGIONAL custom domain's certificate
 *   is not in the service `region`, or an EDGE one's is not in us-east-1.
 * - `waf-conflict` (error): `waf` gives both `webAclArn` and `managedRules` (an
 *   empty `waf` is a schema error).
 * - `waf-acl-scope` (error): `webAclArn` is a CLOUDFRONT (global) web ACL or one
 *   of another region; API Gateway stages and AppSync APIs take REGIONAL web ACLs
 *   of their own region.
 */
import type { Waf } from '../model';
import { arnRegion, CDN_CERTIFICATE_REGION } from './cdn';
import type { FieldPath, Rule, RuleContext } from './types';

function checkWaf(ctx: RuleContext, base: FieldPath, written: Waf | undefined): void {
  const hasArn = ctx.written([...base, 'webAclArn']);
  const hasRules = ctx.written([...base, 'managedRules']);
  if (hasArn && hasRules) {
    ctx.report({
      code: 'waf-conflict',
      path: [...base, 'managedRules'],
      message: '`waf` gives both `webAclArn` and `managedRules`; an API has one web ACL',
      hint: 'keep `webAclArn` to associate an existing web ACL, or `managedRules` to have cachestack create one',
    });
    return;
  }
  if (written && 'webAclArn' in written) {
    const arn = written.webAclArn;
    const scope = arn.split(':')[5]?.split('/')[0];
    const region = arnRegion(arn);
    if (scope !== 'regional' || region !== ctx.model.region) {
      ctx.report({
        code: 'waf-acl-scope',
        path: [...base, 'webAclArn'],
        message: scope !== 'regional'
          ? 'the web ACL is a CLOUDFRONT (global) one; an API takes a REGIONAL web ACL'
          : `the web ACL is in \`${region}\`; the API is in \`${ctx.model.region}\` and takes a REGIONAL web ACL of its own region`,
        hint: `give a REGIONAL web ACL in ${ctx.model.region}, or \`managedRules\` to have cachestack create one`,
      });
    }
  }
}

export const edgeRule: Rule = {
  id: 'edge',
  meta: [
    { code: 'cors-origin-conflict', severity: 'error', description: '`restApi.cors.allowOrigins` has `*` with `allowCredentials: true`, or `*` beside other origins.' },
    { code: 'domain-certificate-region', severity: 'error', description: 'the certificate of `restApi.domain` is not where API Gateway reads it: the service `region` for REGIONAL, us-east-1 for EDGE.' },
    { code: 'waf-conflict', severity: 'error', description: '`waf` gives both `webAclArn` and `managedRules`; give one.' },
    { code: 'waf-acl-scope', severity: 'error', description: '`waf.webAclArn` is a global (CLOUDFRONT) web ACL or one of another region; APIs take REGIONAL web ACLs of their own region.' },
  ],
  check(ctx) {
    const api = ctx.model.restApi;
    const cors = api?.cors;
    if (cors) {
      const star = cors.allowOrigins.indexOf('*');
      if (star >= 0 && cors.allowCredentials) {
        ctx.report({
          code: 'cors-origin-conflict',
          path: ['restApi', 'cors', 'allowOrigins', star],
          message: '`*` with `allowCredentials: true`: browsers refuse credentials from a wildcard origin, and echoing any origin instead would let every site act as the user',
          hint: 'list the origins that may send credentials, such as `https://app.example.com`',
        });
      } else if (star >= 0 && cors.allowOrigins.length > 1) {
        ctx.report({
          code: 'cors-origin-conflict',
          path: ['restApi', 'cors', 'allowOrigins', star],
          message: '`*` already admits every origin, so the other origins listed mean nothing',
          hint: 'keep `*` alone, or list only the origins that may call the API',
        });
      }
    }
    const domain = api?.domain;
    if (domain) {
      const want = domain.endpointType === 'EDGE' ? CDN_CERTIFICATE_REGION : ctx.model.region;
      const got = arnRegion(domain.certificateArn);
      if (got !== want) {
        ctx.report({
          code: 'domain-certificate-region',
          path: ['restApi', 'domain', 'certificateArn'],
          message: `the certificate is in \`${got}\`; a ${domain.endpointType} custom domain takes an ACM certificate in \`${want}\``,
          hint: domain.endpointType === 'EDGE' ? 'give a certificate in us-east-1, or use `endpointType: REGIONAL` with one in the service region' : `give a certificate in ${want}, or use \`endpointType: EDGE\` with one in us-east-1`,
        });
      }
    }
    checkWaf(ctx, ['restApi', 'waf'], api?.waf);
    checkWaf(ctx, ['graphqlApi', 'waf'], ctx.model.graphqlApi?.waf);
  },
};
