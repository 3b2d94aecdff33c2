/**
 * `cdn` (rule 17), `restApi.compression`, `cors`, `domain` and `waf` through the
 * real loader: the resolved model with its defaults, and each check at its place.
 */
import { MINIMAL, places, TempDir } from '../config/helpers';

const API = ['handlers:', '  api:', '    entry: ok.ts', 'restApi:', '  name: api', '  endpoints:', '    - { path: /items, method: GET, handler: api, auth: none }', ''].join('\n');
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123';
const ACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/0123abcd-0000-0000-0000-000000000000';

let tmp: TempDir;
beforeEach(() => (tmp = new TempDir()));
afterEach(() => tmp.remove());

function load(yaml: string) {
  tmp.write('svc.yaml', yaml);
  return tmp.load(['svc.yaml']);
}

describe('the edge: schema, defaults and rules', () => {
  it('GIVEN a cdn with only an api behavior THEN every default is applied', () => {
    const r = load(MINIMAL + API + ['cdn:', '  api: {}', ''].join('\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.models[0].cdn).toEqual({
      priceClass: 'PriceClass_All',
      minimumTls: 'TLSv1.2_2021',
      compress: true,
      aliases: [],
      api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 0 },
    });
  });

  it('GIVEN static and logging without a prefix THEN the prefix is the stack name and static gets the long TTLs', () => {
    const r = load(MINIMAL + ['cdn:', '  logging: { bucket: my-logs }', '  static: { bucket: my-frontend }', ''].join('\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.models[0].cdn?.logging).toEqual({ bucket: 'my-logs', prefix: 'svc/' });
    expect(r.models[0].cdn?.static).toEqual({ bucket: 'my-frontend', defaultTtlSeconds: 86400, maxTtlSeconds: 31536000 });
  });

  it('GIVEN compression, cors, domain and waf THEN the rest api model carries them with defaults', () => {
    const r = load(
      MINIMAL + API.replace('  name: api\n', ['  name: api', '  compression: { minimumSizeBytes: 1024 }', '  cors: { allowOrigins: [https://app.example.com] }', `  domain: { name: api.example.com, certificateArn: "${CERT}" }`, '  waf: { managedRules: [AWSManagedRulesCommonRuleSet] }', ''].join('\n')),
    );
    expect(r.diagnostics).toEqual([]);
    const api = r.models[0].restApi!;
    expect(api.compression).toEqual({ minimumSizeBytes: 1024 });
    expect(api.cors).toEqual({ allowOrigins: ['https://app.example.com'], allowHeaders: ['Authorization', 'Content-Type'], exposeHeaders: [], maxAgeSeconds: 600, allowCredentials: false });
    expect(api.domain).toEqual({ name: 'api.example.com', certificateArn: CERT, endpointType: 'REGIONAL' });
    expect(api.waf).toEqual({ managedRules: ['AWSManagedRulesCommonRuleSet'] });
  });

  it.each([
    ['a wildcard beside other origins', '  cors: { allowOrigins: [https://a.example.com, "*"] }', ['cors-origin-conflict 9:49']],
    ['an origin with a path', '  cors: { allowOrigins: [https://a.example.com/app] }', ['schema-pattern 9:26']],
    ['an EDGE domain with a regional certificate', `  domain: { name: api.example.com, endpointType: EDGE, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" }`, ['domain-certificate-region 9:72']],
    ['an empty waf', '  waf: {}', ['schema-range 9:3']],
    ['a web acl of another region', `  waf: { webAclArn: "${ACL.replace('us-east-1', 'eu-west-1')}" }`, ['waf-acl-scope 9:21']],
    ['a managed rule group that is not AWS\'s', '  waf: { managedRules: [MyRules] }', ['schema-pattern 9:25']],
    ['a negative compression size', '  compression: { minimumSizeBytes: -1 }', ['schema-range 9:36']],
  ])('GIVEN %s THEN it is reported at its place', (_name, line, expected) => {
    const r = load(MINIMAL + API.replace('  name: api\n', `  name: api\n${line}\n`));
    expect(places(r)).toEqual(expected);
    if (line.includes('waf: {}')) expect(r.diagnostics[0].message).toMatch(/at least 1/);
  });

  it('GIVEN a graphql api waf with both forms THEN waf-conflict points into graphqlApi', () => {
    tmp.write('s.graphql', 'type Query { a: String }\n');
    const r = load(MINIMAL + ['graphqlApi:', '  name: gq', '  schema: s.graphql', '  auth: iam', `  waf: { webAclArn: "${ACL}", managedRules: [AWSManagedRulesCommonRuleSet] }`, ''].join('\n'));
    expect(places(r)).toEqual(['waf-conflict 8:121']);
    expect(r.diagnostics[0].path).toBe('graphqlApi.waf.managedRules');
  });

  it('GIVEN a cdn api in front of a PRIVATE rest api THEN cloudfront cannot reach it', () => {
    const r = load(MINIMAL + API.replace('  name: api\n', '  name: api\n  endpointType: PRIVATE\n') + ['network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }', 'cdn:', '  api: {}', ''].join('\n'));
    expect(places(r)).toEqual(['cdn-origin-missing 14:3']);
    expect(r.diagnostics[0].message).toMatch(/PRIVATE/);
  });

  it('GIVEN a cdn with an alias, no certificate and no origin THEN both errors are reported', () => {
    const r = load(MINIMAL + API + ['cdn:', '  aliases: [app.example.com]', ''].join('\n'));
    expect(places(r)).toEqual(['cdn-origin-missing 11:1', 'cdn-alias-needs-certificate 12:3']);
  });
});
