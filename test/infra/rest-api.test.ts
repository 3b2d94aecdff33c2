import { Testing } from 'cdktf';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { Endpoint, ServiceModel } from '../../src/config/model';
import { SynthesisError } from '../../src/infra';
import { deploymentHash, methodPath, methodRequestParameters, pathPrefixes, requestParameterName } from '../../src/infra/rest-api';
import { endpoint, endpointCache, handler, model, restApi, USER_POOL_ARN } from './model-builder';
import { addresses, idOf, one, ref, resourcesOf, synth, type Json, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const ENDPOINTS: Endpoint[] = [
  endpoint('GET', '/profile', 'profile', { auth: 'cognito', cache: endpointCache({ keys: ['header.Authorization'], namespace: 'user-profile' }) }),
  endpoint('GET', '/health', 'profile', { auth: 'none' }),
  endpoint('GET', '/users/{userId}', 'users', {
    auth: 'lambda',
    cache: endpointCache({ ttlSeconds: 600, keys: ['path.userId', 'header.X-Session', 'query.fields'], unauthorized: 'ignore-with-warning' }),
  }),
  endpoint('DELETE', '/users/{userId}', 'users', { auth: 'iam', cache: endpointCache({ keys: ['path.userId'], requireAuthorization: false, unauthorized: 'ignore', shared: true }) }),
  endpoint('GET', '/', 'profile', { auth: 'none' }),
];

function restModel(endpoints: Endpoint[] = ENDPOINTS, over: Partial<ServiceModel> = {}): ServiceModel {
  return model({
    auth: { cognito: { userPoolArn: USER_POOL_ARN }, lambda: { handler: 'authorizer', identityHeader: 'X-Session', resultTtlSeconds: 120 } },
    handlers: [handler('profile'), handler('users'), handler('authorizer')],
    restApi: restApi(endpoints, { stage: 'prod', cache: { sizeGb: 1.6, encrypted: true, ttlSeconds: 300 }, throttling: { burstLimit: 500, rateLimit: 100 }, logRetentionDays: 90 }),
    ...over,
  });
}

/** Method settings by method_path. */
function settingsByPath(tf: Json): Record<string, Json> {
  return Object.fromEntries(Object.values(resourcesOf(tf, 'aws_api_gateway_method_settings')).map((b) => [b.method_path, b.settings]));
}

describe('RestApi', () => {
  let base: Synthesized;
  beforeAll(() => {
    base = synth(restModel());
  });

  describe('compilation guarantees', () => {
    it('GIVEN endpoints with and without cache WHEN synthesized THEN every endpoint has its own method settings and an uncached one says caching_enabled = false with every cache setting written out', () => {
      const settings = settingsByPath(base.tf);
      expect(Object.keys(settings).sort()).toEqual(['*/*', '~1/GET', '~1health/GET', '~1profile/GET', '~1users~1{userId}/DELETE', '~1users~1{userId}/GET']);
      expect(settings['~1health/GET']).toEqual({
        metrics_enabled: true,
        logging_level: 'ERROR',
        data_trace_enabled: false,
        throttling_burst_limit: 500,
        throttling_rate_limit: 100,
        caching_enabled: false,
        cache_ttl_in_seconds: 0,
        cache_data_encrypted: true,
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: 'FAIL_WITH_403',
      });
      expect(settings['~1users~1{userId}/GET']).toMatchObject({ caching_enabled: true, cache_ttl_in_seconds: 600, cache_data_encrypted: true });
    });

    it('GIVEN a cached endpoint WHEN its cache is removed from the YAML THEN the same method settings resource is kept and turns caching off', () => {
      const withoutCache = ENDPOINTS.map((e) => (e.path === '/profile' ? { ...e, cache: undefined } : e));
      const after = synth(restModel(withoutCache));
      const id = idOf(base.tf, 'aws_api_gateway_method_settings', 'rest-api_GET_profile_settings_');
      expect(resourcesOf(base.tf, 'aws_api_gateway_method_settings')[id].settings.caching_enabled).toBe(true);
      expect(resourcesOf(after.tf, 'aws_api_gateway_method_settings')[id].settings).toMatchObject({ caching_enabled: false, cache_ttl_in_seconds: 0 });
    });

    it('GIVEN cache keys on headers, query strings and path parameters WHEN synthesized THEN each is a method request parameter and an integration cache key parameter', () => {
      const method = one(base.tf, 'aws_api_gateway_method', 'rest-api_GET_users_userId_method_');
      const integration = one(base.tf, 'aws_api_gateway_integration', 'rest-api_GET_users_userId_integration_');
      expect(method.request_parameters).toEqual({
        'method.request.header.X-Session': false,
        'method.request.path.userId': true,
        'method.request.querystring.fields': false,
      });
      expect(integration.cache_key_parameters).toEqual(['method.request.path.userId', 'method.request.header.X-Session', 'method.request.querystring.fields']);
      // Every integration's cache keys are declared on the method it belongs to.
      const methods = resourcesOf(base.tf, 'aws_api_gateway_method');
      for (const block of Object.values(resourcesOf(base.tf, 'aws_api_gateway_integration'))) {
        const owner = Object.entries(methods).find(([id]) => block.http_method === ref('aws_api_gateway_method', id, 'http_method'))![1];
        for (const key of block.cache_key_parameters ?? []) expect(Object.keys(owner.request_parameters)).toContain(key);
      }
    });

    it('GIVEN each unauthorized strategy WHEN synthesized THEN cache-control authorization and the strategy are set in Terraform', () => {
      const settings = settingsByPath(base.tf);
      expect(settings['~1profile/GET']).toMatchObject({ require_authorization_for_cache_control: true, unauthorized_cache_control_header_strategy: 'FAIL_WITH_403' });
      expect(settings['~1users~1{userId}/GET']).toMatchObject({ require_authorization_for_cache_control: true, unauthorized_cache_control_header_strategy: 'SUCCEED_WITH_RESPONSE_HEADER' });
      expect(settings['~1users~1{userId}/DELETE']).toMatchObject({ require_authorization_for_cache_control: false, unauthorized_cache_control_header_strategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER' });
    });
  });

  it('GIVEN the endpoints in another order WHEN synthesized THEN no address changes and the Terraform JSON is identical', () => {
    const reordered = synth(restModel([...ENDPOINTS].reverse()));
    expect(addresses(reordered.tf)).toEqual(addresses(base.tf));
    expect(reordered.text).toBe(base.text);
  });

  it('GIVEN an endpoint change WHEN the deployment hash is computed THEN it changes, while reordering leaves it alone', () => {
    const api = restModel().restApi!;
    const auth = restModel().auth;
    const same = deploymentHash({ ...api, endpoints: [...api.endpoints].reverse() }, auth);
    const newKey = deploymentHash({ ...api, endpoints: api.endpoints.map((e) => (e.path === '/profile' ? { ...e, cache: endpointCache({ keys: ['header.Authorization', 'query.lang'] }) } : e)) }, auth);
    const newAuth = deploymentHash({ ...api, endpoints: api.endpoints.map((e) => (e.path === '/health' ? { ...e, auth: 'iam' as const } : e)) }, auth);
    expect(same).toBe(deploymentHash(api, auth));
    expect(new Set([deploymentHash(api, auth), newKey, newAuth]).size).toBe(3);
    expect(base.text).toHaveResourceWithProperties(ApiGatewayDeployment, {
      triggers: { redeployment: deploymentHash(api, auth) },
      lifecycle: { create_before_destroy: true },
    });
  });

  it('GIVEN nested paths WHEN synthesized THEN one resource per path prefix hangs off its parent, and a root endpoint uses the root resource', () => {
    const users = idOf(base.tf, 'aws_api_gateway_resource', 'rest-api_resource_users_');
    const resources = resourcesOf(base.tf, 'aws_api_gateway_resource');
    expect(Object.values(resources).map((r) => r.path_part).sort()).toEqual(['health', 'profile', 'users', '{userId}']);
    const userId = Object.values(resources).find((r) => r.path_part === '{userId}')!;
    expect(userId.parent_id).toBe(ref('aws_api_gateway_resource', users, 'id'));
    expect(resources[users].parent_id).toMatch(/\.root_resource_id\}$/);
    expect(one(base.tf, 'aws_api_gateway_method', 'rest-api_GET_root_method_').resource_id).toMatch(/\.root_resource_id\}$/);
  });

  it('GIVEN cognito, lambda, iam and none endpoints WHEN synthesized THEN methods carry the matching authorization and authorizer', () => {
    const cognito = idOf(base.tf, 'aws_api_gateway_authorizer', 'rest-api_authorizer_cognito_');
    const lambda = idOf(base.tf, 'aws_api_gateway_authorizer', 'rest-api_authorizer_lambda_');
    expect(one(base.tf, 'aws_api_gateway_method', 'rest-api_GET_profile_method_')).toMatchObject({ authorization: 'COGNITO_USER_POOLS', authorizer_id: ref('aws_api_gateway_authorizer', cognito, 'id') });
    expect(one(base.tf, 'aws_api_gateway_method', 'rest-api_GET_users_userId_method_')).toMatchObject({ authorization: 'CUSTOM', authorizer_id: ref('aws_api_gateway_authorizer', lambda, 'id') });
    expect(one(base.tf, 'aws_api_gateway_method', 'rest-api_DELETE_users_userId_method_').authorization).toBe('AWS_IAM');
    expect(one(base.tf, 'aws_api_gateway_method', 'rest-api_GET_health_method_').authorization).toBe('NONE');
    expect(base.text).toHaveResourceWithProperties(ApiGatewayAuthorizer, { type: 'COGNITO_USER_POOLS', provider_arns: [USER_POOL_ARN], identity_source: 'method.request.header.Authorization' });
    const authorizerAlias = idOf(base.tf, 'aws_lambda_alias', 'handler_authorizer_alias_');
    expect(base.text).toHaveResourceWithProperties(ApiGatewayAuthorizer, {
      type: 'REQUEST',
      identity_source: 'method.request.header.X-Session',
      authorizer_result_ttl_in_seconds: 120,
      authorizer_uri: ref('aws_lambda_alias', authorizerAlias, 'invoke_arn'),
    });
  });

  it('GIVEN handlers behind the API WHEN synthesized THEN integrations proxy to the live alias and each handler may be invoked from this API only', () => {
    const api = idOf(base.tf, 'aws_api_gateway_rest_api', 'rest-api_api_');
    const usersAlias = idOf(base.tf, 'aws_lambda_alias', 'handler_users_alias_');
    expect(one(base.tf, 'aws_api_gateway_integration', 'rest-api_GET_users_userId_integration_')).toMatchObject({
      type: 'AWS_PROXY',
      integration_http_method: 'POST',
      uri: ref('aws_lambda_alias', usersAlias, 'invoke_arn'),
    });
    expect(one(base.tf, 'aws_api_gateway_integration', 'rest-api_GET_profile_integration_').cache_namespace).toBe('user-profile');
    expect(base.text).toHaveResourceWithProperties(LambdaPermission, {
      statement_id: 'rest-api',
      principal: 'apigateway.amazonaws.com',
      qualifier: ref('aws_lambda_alias', usersAlias, 'name'),
      source_arn: `${ref('aws_api_gateway_rest_api', api, 'execution_arn')}/*`,
    });
    expect(Object.values(resourcesOf(base.tf, 'aws_lambda_permission')).map((p) => p.statement_id).sort()).toEqual(['rest-api', 'rest-api', 'rest-api-authorizer']);
    const authorizer = idOf(base.tf, 'aws_api_gateway_authorizer', 'rest-api_authorizer_lambda_');
    expect(base.text).toHaveResourceWithProperties(LambdaPermission, {
      statement_id: 'rest-api-authorizer',
      source_arn: `${ref('aws_api_gateway_rest_api', api, 'execution_arn')}/authorizers/${ref('aws_api_gateway_authorizer', authorizer, 'id')}`,
    });
  });

  it('GIVEN a stage cache of 1.6 GB WHEN synthesized THEN the stage runs that cache cluster, X-Ray, and access logs to a log group with the retention of the YAML', () => {
    const accessLog = idOf(base.tf, 'aws_cloudwatch_log_group', 'rest-api_access-log_');
    expect(base.text).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: 'prod',
      cache_cluster_enabled: true,
      cache_cluster_size: '1.6',
      xray_tracing_enabled: true,
      access_log_settings: expect.objectContaining({ destination_arn: ref('aws_cloudwatch_log_group', accessLog, 'arn') }),
    });
    expect(resourcesOf(base.tf, 'aws_cloudwatch_log_group')[accessLog]).toEqual({ name: '/aws/apigateway/users-prod-api/prod/access', retention_in_days: 90 });
    const api = idOf(base.tf, 'aws_api_gateway_rest_api', 'rest-api_api_');
    expect(one(base.tf, 'aws_cloudwatch_log_group', 'rest-api_execution-log_')).toEqual({ name: `API-Gateway-Execution-Logs_${ref('aws_api_gateway_rest_api', api, 'id')}/prod`, retention_in_days: 90 });
    expect(settingsByPath(base.tf)['*/*']).toMatchObject({ metrics_enabled: true, logging_level: 'ERROR', data_trace_enabled: false, throttling_burst_limit: 500, throttling_rate_limit: 100 });
  });

  it('GIVEN an endpoint with its own throttling WHEN synthesized THEN it overrides the stage-wide limits for that method only', () => {
    const throttled = ENDPOINTS.map((e) => (e.path === '/health' ? { ...e, throttling: { burstLimit: 10, rateLimit: 5 } } : e));
    const settings = settingsByPath(synth(restModel(throttled)).tf);
    expect(settings['~1health/GET']).toMatchObject({ throttling_burst_limit: 10, throttling_rate_limit: 5 });
    expect(settings['~1profile/GET']).toMatchObject({ throttling_burst_limit: 500, throttling_rate_limit: 100 });
  });

  it('GIVEN a PRIVATE API WHEN synthesized THEN its resource policy admits calls from the network VPC only; without network it is refused', () => {
    const api = { ...restModel().restApi!, endpointType: 'PRIVATE' as const };
    const { tf } = synth(restModel(undefined, { restApi: api, network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa'], egress: 'nat', endpoints: [] } }));
    expect(one(tf, 'aws_api_gateway_rest_api').endpoint_configuration).toEqual({ types: ['PRIVATE'] });
    const policy = Object.entries(tf.data.aws_iam_policy_document).find(([k]) => k.startsWith('rest-api_private-policy_'))![1] as Json;
    expect(policy.statement[0]).toMatchObject({ actions: ['execute-api:Invoke'], resources: ['execute-api:/*'], condition: [{ test: 'StringEquals', variable: 'aws:SourceVpc', values: ['vpc-0123456789abcdef0'] }] });
    expect(() => synth(restModel(undefined, { restApi: api }))).toThrow(SynthesisError);
  });
});

describe('REST helpers', () => {
  it.each([
    ['/users/{userId}', 'GET', '~1users~1{userId}/GET'],
    ['/', 'GET', '~1/GET'],
    ['/profile', 'POST', '~1profile/POST'],
    ['/files/{path+}', 'ANY', '~1files~1{path+}/ANY'],
  ])('GIVEN %s %s WHEN the method settings path is built THEN it is %s', (path, method, expected) => {
    expect(methodPath(path, method)).toBe(expected);
  });

  it('GIVEN cache keys WHEN mapped THEN they become method request parameter names', () => {
    expect(['header.Authorization', 'query.lang', 'path.userId'].map(requestParameterName)).toEqual([
      'method.request.header.Authorization',
      'method.request.querystring.lang',
      'method.request.path.userId',
    ]);
  });

  it('GIVEN a greedy path parameter WHEN request parameters are listed THEN it is declared required without the plus', () => {
    expect(methodRequestParameters(endpoint('GET', '/files/{path+}', 'x'))).toEqual({ 'method.request.path.path': true });
    expect(pathPrefixes('/a/{b}/c')).toEqual(['/a', '/a/{b}', '/a/{b}/c']);
  });
});
