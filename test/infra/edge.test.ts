/**
 * The edge through real synthesis: `cdn` (cache policies, rule 17's Authorization
 * key, origins, OAC and the bucket policy, TLS, logging, the prefix function run
 * for real), `restApi.compression`, `cors`, `domain` and `waf` on both APIs.
 */
import * as vm from 'node:vm';
import { ALARM_THRESHOLDS, type AlarmThresholdKey } from '../../src/config/constants';
import type { Cdn, ServiceModel } from '../../src/config/model';
import { stripPrefixFunctionCode } from '../../src/plan/cdn';
import { originEchoTemplate } from '../../src/infra/rest-cors';
import { endpoint, graphqlApi, handler, model, resolver, restApi, USER_POOL_ARN } from './model-builder';
import { dataOf, one, resourcesOf, synth, type Json } from './synth';

process.env.CHECKPOINT_DISABLE = '1';

const THRESHOLDS = Object.fromEntries(Object.entries(ALARM_THRESHOLDS).map(([k, v]) => [k, v.default])) as Record<AlarmThresholdKey, number>;
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

function withCdn(cdn: Partial<Cdn>, over: Partial<ServiceModel> = {}): ServiceModel {
  return model({
    auth: { cognito: { userPoolArn: USER_POOL_ARN } },
    handlers: [handler('api')],
    restApi: restApi([endpoint('GET', '/items', 'api', { auth: 'cognito' }), endpoint('GET', '/health', 'api', { auth: 'none' })]),
    cdn: { priceClass: 'PriceClass_100', minimumTls: 'TLSv1.2_2021', compress: true, aliases: [], ...cdn },
    ...over,
  });
}

const policies = (tf: Json) => Object.values(resourcesOf(tf, 'aws_cloudfront_cache_policy'));
const policyNamed = (tf: Json, suffix: string) => policies(tf).find((p) => p.name.endsWith(suffix))!;

describe('cdn', () => {
  it('GIVEN an api behavior that caches in front of cognito endpoints THEN its cache policy keys on Authorization and the query string (rule 17)', () => {
    const { tf } = synth(withCdn({ api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 300 } }));
    const p = policyNamed(tf, '-cdn-api');
    expect(p).toMatchObject({ min_ttl: 0, default_ttl: 0, max_ttl: 300 });
    expect(p.parameters_in_cache_key_and_forwarded_to_origin).toEqual({
      cookies_config: { cookie_behavior: 'none' },
      enable_accept_encoding_brotli: true,
      enable_accept_encoding_gzip: true,
      headers_config: { header_behavior: 'whitelist', headers: { items: ['Authorization'] } },
      query_strings_config: { query_string_behavior: 'all' },
    });
    const d = one(tf, 'aws_cloudfront_distribution');
    // api-only: the api is the default behavior, nothing is stripped.
    expect(d.default_cache_behavior).toMatchObject({ target_origin_id: 'api', viewer_protocol_policy: 'https-only', compress: true, cached_methods: ['GET', 'HEAD'] });
    expect(d.ordered_cache_behavior).toBeUndefined();
    expect(resourcesOf(tf, 'aws_cloudfront_function')).toEqual({});
    expect(d.origin).toEqual([
      expect.objectContaining({
        origin_id: 'api',
        domain_name: expect.stringMatching(/^\$\{aws_api_gateway_rest_api\.[^.]+\.id\}\.execute-api\.us-east-1\.amazonaws\.com$/),
        origin_path: expect.stringMatching(/^\/\$\{aws_api_gateway_stage\.[^.]+\.stage_name\}$/),
        custom_origin_config: { http_port: 80, https_port: 443, origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] },
      }),
    ]);
    expect(one(tf, 'aws_cloudfront_origin_request_policy')).toMatchObject({ headers_config: { header_behavior: 'allExcept', headers: { items: ['Host'] } }, query_strings_config: { query_string_behavior: 'all' } });
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(d.price_class).toBe('PriceClass_100');
  });

  it('GIVEN a lambda authorizer and a header cache key THEN the key holds the identity header and that header, not Authorization', () => {
    const m = withCdn(
      { api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 60 } },
      {
        auth: { lambda: { handler: 'api', identityHeader: 'X-Session', resultTtlSeconds: 300 } },
        restApi: restApi([endpoint('GET', '/items', 'api', { auth: 'lambda' }), endpoint('GET', '/open', 'api', { auth: 'none', cache: { ttlSeconds: 60, keys: ['header.Accept-Language'], requireAuthorization: true, unauthorized: 'fail', shared: true } })], { cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 } }),
      },
    );
    const p = policyNamed(synth(m).tf, '-cdn-api');
    expect(p.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers.items).toEqual(['Accept-Language', 'X-Session']);
  });

  it('GIVEN an api behavior that does not cache THEN its policy keys on nothing and accepts no encodings', () => {
    const p = policyNamed(synth(withCdn({ api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 0 } })).tf, '-cdn-api');
    expect(p.parameters_in_cache_key_and_forwarded_to_origin).toMatchObject({ enable_accept_encoding_gzip: false, enable_accept_encoding_brotli: false, headers_config: { header_behavior: 'none' }, query_strings_config: { query_string_behavior: 'none' } });
  });

  it('GIVEN static and api, aliases, a certificate and logging THEN static is the default, /api/* is ordered with the prefix function, and the bucket policy names this distribution', () => {
    const { tf } = synth(
      withCdn({
        aliases: ['app.example.com'],
        certificateArn: CERT,
        logging: { bucket: 'my-logs', prefix: 'cdn/' },
        api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 300 },
        static: { bucket: 'my-frontend', defaultTtlSeconds: 3600, maxTtlSeconds: 86400 },
      }),
    );
    const d = one(tf, 'aws_cloudfront_distribution');
    expect(d.default_cache_behavior).toMatchObject({ target_origin_id: 'static', viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['GET', 'HEAD', 'OPTIONS'] });
    expect(d.ordered_cache_behavior).toHaveLength(1);
    expect(d.ordered_cache_behavior[0]).toMatchObject({ path_pattern: '/api/*', target_origin_id: 'api', function_association: [{ event_type: 'viewer-request', function_arn: expect.stringContaining('aws_cloudfront_function.') }] });
    expect(d.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
    expect(d.aliases).toEqual(['app.example.com']);
    expect(d.logging_config).toEqual({ bucket: 'my-logs.s3.amazonaws.com', prefix: 'cdn/', include_cookies: false });
    const staticOrigin = (d.origin as Json[]).find((o) => o.origin_id === 'static')!;
    expect(staticOrigin.domain_name).toMatch(/^\$\{data\.aws_s3_bucket\.[^.]+\.bucket_regional_domain_name\}$/);
    expect(staticOrigin.origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control/);
    expect(one(tf, 'aws_cloudfront_origin_access_control')).toMatchObject({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    expect(Object.values(dataOf(tf, 'aws_s3_bucket'))).toEqual([expect.objectContaining({ bucket: 'my-frontend' })]);
    const doc = Object.values(dataOf(tf, 'aws_iam_policy_document')).find((x) => x.statement?.[0]?.sid === 'CloudFrontReadsThroughOac')!;
    expect(doc.statement[0]).toMatchObject({ effect: 'Allow', actions: ['s3:GetObject'], principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }], condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[^.]+\.arn\}$/)] }] });
    expect(doc.statement[1]).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    expect(policyNamed(tf, '-cdn-static')).toMatchObject({ default_ttl: 3600, max_ttl: 86400 });
    expect(tf.output['cdn-domain-name'].value).toMatch(/aws_cloudfront_distribution\.[^.]+\.domain_name/);
  });

  it('GIVEN endpoints already under /api THEN the prefix is kept (no function)', () => {
    const m = withCdn({ api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 0 }, static: { bucket: 'my-frontend', defaultTtlSeconds: 1, maxTtlSeconds: 2 } }, { restApi: restApi([endpoint('GET', '/api/items', 'api', { auth: 'none' })]) });
    expect(resourcesOf(synth(m).tf, 'aws_cloudfront_function')).toEqual({});
  });

  it.each([
    ['/api/items', '/items'],
    ['/api', '/'],
    ['/api/', '/'],
    ['/apix/items', '/apix/items'],
  ])('GIVEN the prefix function WHEN it runs on %s THEN the api sees %s', (uri, expected) => {
    const context = vm.createContext({});
    vm.runInContext(stripPrefixFunctionCode('/api'), context);
    const request = (context as { handler: (e: unknown) => { uri: string } }).handler({ request: { uri } });
    expect(request.uri).toBe(expected);
  });

  it('GIVEN a stack outside us-east-1 with alarms THEN the cdn alarm is made by the us-east-1 provider alias with a topic there', () => {
    const m = withCdn({ api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 0 } }, { region: 'eu-west-1' });
    m.alarms = { enabled: true, notify: { email: ['ops@example.com'] }, dashboard: true, latencyFactor: 2, thresholds: THRESHOLDS, disable: [] };
    const { tf } = synth(m);
    expect((tf.provider.aws as Json[]).map((p) => [p.alias ?? null, p.region])).toEqual([[null, 'eu-west-1'], ['us-east-1', 'us-east-1']]);
    const alarm = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).find((a) => a.namespace === 'AWS/CloudFront')!;
    expect(alarm).toMatchObject({ provider: 'aws.us-east-1', metric_name: '5xxErrorRate', statistic: 'Average', dimensions: { DistributionId: expect.stringContaining('aws_cloudfront_distribution.'), Region: 'Global' } });
    const topics = Object.values(resourcesOf(tf, 'aws_sns_topic'));
    const east = topics.find((t) => t.provider === 'aws.us-east-1')!;
    expect(alarm.alarm_actions).toEqual([expect.stringContaining('aws_sns_topic.')]);
    expect(east.name).toMatch(/-alarms-us-east-1$/);
    const widget = JSON.parse(one(tf, 'aws_cloudwatch_dashboard').dashboard_body).widgets.find((w: Json) => w.properties.title === 'cdn error rates (%)');
    expect(widget.properties.region).toBe('us-east-1');
  });

  it('GIVEN a stack in us-east-1 THEN there is one provider and the cdn alarm uses it', () => {
    const m = withCdn({ api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 0 } });
    m.alarms = { enabled: true, notify: { topicArn: 'arn:aws:sns:us-east-1:123456789012:t' }, dashboard: false, latencyFactor: 2, thresholds: THRESHOLDS, disable: [] };
    const { tf } = synth(m);
    expect(tf.provider.aws).toHaveLength(1);
    const alarm = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).find((a) => a.namespace === 'AWS/CloudFront')!;
    expect(alarm.provider).toBeUndefined();
    expect(alarm.alarm_actions).toEqual(['arn:aws:sns:us-east-1:123456789012:t']);
  });
});

describe('rest api edge settings', () => {
  const api = (over: Parameters<typeof restApi>[1]) =>
    model({ handlers: [handler('api')], restApi: restApi([endpoint('GET', '/items', 'api', { auth: 'none' }), endpoint('PUT', '/items', 'api', { auth: 'none' }), endpoint('GET', '/items/{id}', 'api', { auth: 'none' })], over) });

  it('GIVEN compression THEN minimum_compression_size is a string (the provider type in 5.100 and 6.x) and the deployment follows it', () => {
    const a = synth(api({ compression: { minimumSizeBytes: 1024 } })).tf;
    const b = synth(api({})).tf;
    expect(one(a, 'aws_api_gateway_rest_api').minimum_compression_size).toBe('1024');
    expect(one(b, 'aws_api_gateway_rest_api').minimum_compression_size).toBeUndefined();
    expect(one(a, 'aws_api_gateway_deployment').triggers).not.toEqual(one(b, 'aws_api_gateway_deployment').triggers);
  });

  it('GIVEN cors with one origin THEN every resource gets a never-cached OPTIONS MOCK method with its methods, and 4XX/5XX carry the origin', () => {
    const { tf } = synth(api({ cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['Authorization', 'Content-Type'], exposeHeaders: [], maxAgeSeconds: 600, allowCredentials: true } }));
    const options = Object.values(resourcesOf(tf, 'aws_api_gateway_method')).filter((m) => m.http_method === 'OPTIONS');
    expect(options).toHaveLength(2);
    expect(options.every((m) => m.authorization === 'NONE')).toBe(true);
    const mock = Object.values(resourcesOf(tf, 'aws_api_gateway_integration')).filter((i) => i.type === 'MOCK');
    expect(mock).toHaveLength(2);
    const responses = Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response')).map((r) => r.response_parameters);
    expect(responses).toContainEqual({
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Access-Control-Allow-Headers': "'Authorization,Content-Type'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,PUT'",
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Access-Control-Max-Age': "'600'",
      'method.response.header.Vary': "'Origin'",
    });
    expect(responses.map((r) => r['method.response.header.Access-Control-Allow-Methods']).sort()).toEqual(["'GET,OPTIONS'", "'GET,OPTIONS,PUT'"]);
    const settings = Object.values(resourcesOf(tf, 'aws_api_gateway_method_settings')).filter((s) => s.method_path.endsWith('/OPTIONS'));
    expect(settings.map((s) => s.method_path).sort()).toEqual(['~1items/OPTIONS', '~1items~1{id}/OPTIONS']);
    expect(settings.every((s) => s.settings.caching_enabled === false)).toBe(true);
    const gateway = Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response'));
    expect(gateway.map((g) => g.response_type).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    expect(gateway[0].response_parameters).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Vary': "'Origin'",
    });
  });

  it('GIVEN cors with several origins THEN the preflight echoes a listed Origin through its template and the error responses echo it too', () => {
    const { tf } = synth(api({ cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowHeaders: [], exposeHeaders: [], maxAgeSeconds: 0, allowCredentials: false } }));
    const r = Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response'))[0];
    expect(r.response_parameters['method.response.header.Access-Control-Allow-Origin']).toBeUndefined();
    expect(r.response_templates['application/json']).toBe(originEchoTemplate(['https://a.example.com', 'https://b.example.com']));
    expect(r.response_templates['application/json']).toContain('["https://a.example.com", "https://b.example.com"].contains("$!origin")');
    expect(Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response'))[0].response_parameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe('method.request.header.Origin');
  });

  it('GIVEN a regional custom domain THEN a domain name with TLS 1.2, a base path mapping and the DNS target outputs', () => {
    const { tf } = synth(api({ domain: { name: 'api.example.com', certificateArn: CERT, basePath: 'v1', endpointType: 'REGIONAL' } }));
    expect(one(tf, 'aws_api_gateway_domain_name')).toMatchObject({ domain_name: 'api.example.com', regional_certificate_arn: CERT, security_policy: 'TLS_1_2', endpoint_configuration: { types: ['REGIONAL'] } });
    expect(one(tf, 'aws_api_gateway_domain_name').certificate_arn).toBeUndefined();
    expect(one(tf, 'aws_api_gateway_base_path_mapping')).toMatchObject({ base_path: 'v1' });
    expect(tf.output['rest-api-domain-target'].value).toMatch(/regional_domain_name/);
    expect(tf.output['rest-api-domain-zone-id'].value).toMatch(/regional_zone_id/);
  });

  it('GIVEN an edge custom domain THEN the certificate is certificate_arn and the target is the cloudfront name', () => {
    const { tf } = synth(api({ domain: { name: 'api.example.com', certificateArn: CERT, endpointType: 'EDGE' } }));
    expect(one(tf, 'aws_api_gateway_domain_name')).toMatchObject({ certificate_arn: CERT, endpoint_configuration: { types: ['EDGE'] } });
    expect(tf.output['rest-api-domain-target'].value).toMatch(/cloudfront_domain_name/);
  });

  it('GIVEN waf with managed rules THEN a REGIONAL web ACL runs them in order and is associated with the stage', () => {
    const { tf } = synth(api({ waf: { managedRules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] } }));
    const acl = one(tf, 'aws_wafv2_web_acl');
    expect(acl).toMatchObject({ scope: 'REGIONAL', default_action: { allow: {} } });
    expect((acl.rule as Json[]).map((r) => [r.name, r.priority, r.statement.managed_rule_group_statement.vendor_name, r.override_action])).toEqual([
      ['AWSManagedRulesCommonRuleSet', 0, 'AWS', { none: {} }],
      ['AWSManagedRulesKnownBadInputsRuleSet', 1, 'AWS', { none: {} }],
    ]);
    expect(one(tf, 'aws_wafv2_web_acl_association')).toMatchObject({ resource_arn: expect.stringMatching(/aws_api_gateway_stage\.[^.]+\.arn/), web_acl_arn: expect.stringMatching(/aws_wafv2_web_acl\.[^.]+\.arn/) });
  });

  it('GIVEN a graphql api with an existing web ACL THEN only the association is made, on the api', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/0123';
    const { tf } = synth(model({ auth: { cognito: { userPoolArn: USER_POOL_ARN } }, handlers: [handler('api')], graphqlApi: graphqlApi([resolver('Query.myProfile', 'api')], { auth: 'cognito', waf: { webAclArn: arn } }) }));
    expect(resourcesOf(tf, 'aws_wafv2_web_acl')).toEqual({});
    expect(one(tf, 'aws_wafv2_web_acl_association')).toMatchObject({ resource_arn: expect.stringMatching(/aws_appsync_graphql_api\.[^.]+\.arn/), web_acl_arn: arn });
  });
});
