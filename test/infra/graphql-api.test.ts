import { Testing } from 'cdktf';
import { AppsyncApiCache } from '@cdktf/provider-aws/lib/appsync-api-cache';
import { AppsyncApiKey } from '@cdktf/provider-aws/lib/appsync-api-key';
import { AppsyncDatasource } from '@cdktf/provider-aws/lib/appsync-datasource';
import { AppsyncGraphqlApi } from '@cdktf/provider-aws/lib/appsync-graphql-api';
import { AppsyncResolver } from '@cdktf/provider-aws/lib/appsync-resolver';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { GraphqlApi, ServiceModel } from '../../src/config/model';
import { SynthesisError } from '../../src/infra';
import { graphqlApi, handler, model, resolver, SDL, USER_POOL_ARN } from './model-builder';
import { addresses, dataOf, idOf, one, ref, resourcesOf, synth, type Json, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const CACHE: GraphqlApi['cache'] = { behavior: 'per-resolver', type: 'MEDIUM', ttlSeconds: 120, encryption: { atRest: true, transit: true } };
const RESOLVERS = [
  resolver('Query.myProfile', 'profile', { cache: { ttlSeconds: 300, keys: ['$context.identity.sub'], shared: false } }),
  resolver('Query.user', 'users'),
  resolver('User.email', 'users'),
];

function gqlModel(api: Partial<GraphqlApi> = {}, over: Partial<ServiceModel> = {}): ServiceModel {
  return model({
    auth: {
      cognito: { userPoolArn: USER_POOL_ARN },
      lambda: { handler: 'authorizer', identityHeader: 'Authorization', resultTtlSeconds: 60 },
      oidc: { issuer: 'https://login.example.com', clientId: 'web', authTtlSeconds: 3600 },
      apiKey: { expires: '2026-12-31', description: 'partner key' },
    },
    handlers: [handler('profile'), handler('users'), handler('authorizer')],
    graphqlApi: graphqlApi(RESOLVERS, { name: 'users', auth: 'cognito', fieldLogLevel: 'ALL', logRetentionDays: 60, cache: CACHE, ...api }),
    ...over,
  });
}

describe('GraphqlApi', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(gqlModel());
  });

  it('GIVEN cognito auth WHEN synthesized THEN the API has the SDL, the user pool, X-Ray and field logs through its log role', () => {
    expect(s.text).toHaveResourceWithProperties(AppsyncGraphqlApi, {
      name: 'users-prod-users',
      schema: SDL,
      authentication_type: 'AMAZON_COGNITO_USER_POOLS',
      user_pool_config: { user_pool_id: 'us-east-1_AbCdEf123', aws_region: 'us-east-1', default_action: 'ALLOW' },
      xray_enabled: true,
      log_config: { cloudwatch_logs_role_arn: ref('aws_iam_role', idOf(s.tf, 'aws_iam_role', 'graphql-api_log-role_'), 'arn'), field_log_level: 'ALL', exclude_verbose_content: true },
    });
  });

  it('GIVEN logging WHEN synthesized THEN the log group is the one AppSync writes to, with a retention, and the log role may write only there', () => {
    const api = idOf(s.tf, 'aws_appsync_graphql_api', 'graphql-api_api_');
    const log = idOf(s.tf, 'aws_cloudwatch_log_group', 'graphql-api_log-group_');
    expect(resourcesOf(s.tf, 'aws_cloudwatch_log_group')[log]).toEqual({ name: `/aws/appsync/apis/${ref('aws_appsync_graphql_api', api, 'id')}`, retention_in_days: 60 });
    const doc = Object.entries(dataOf(s.tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith('graphql-api_log-role_permissions_'))![1] as Json;
    expect(doc.statement).toEqual([
      {
        sid: 'Logs',
        effect: 'Allow',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [ref('aws_cloudwatch_log_group', log, 'arn'), `${ref('aws_cloudwatch_log_group', log, 'arn')}:*`],
      },
    ]);
  });

  it('GIVEN a per-resolver cache WHEN synthesized THEN the API cache has its type, TTL, behavior and encryption', () => {
    expect(s.text).toHaveResourceWithProperties(AppsyncApiCache, {
      api_caching_behavior: 'PER_RESOLVER_CACHING',
      type: 'MEDIUM',
      ttl: 120,
      at_rest_encryption_enabled: true,
      transit_encryption_enabled: true,
    });
  });

  it('GIVEN resolvers WHEN synthesized THEN each field gets a direct Lambda UNIT resolver on its handler data source, cached only when the YAML says so', () => {
    const profileDs = idOf(s.tf, 'aws_appsync_datasource', 'graphql-api_datasource_profile_');
    expect(s.text).toHaveResourceWithProperties(AppsyncResolver, {
      type: 'Query',
      field: 'myProfile',
      kind: 'UNIT',
      data_source: ref('aws_appsync_datasource', profileDs, 'name'),
      caching_config: { ttl: 300, caching_keys: ['$context.identity.sub'] },
    });
    const user = one(s.tf, 'aws_appsync_resolver', 'graphql-api_resolver_Query_user_');
    expect(user.caching_config).toBeUndefined();
    expect(user.request_template).toBeUndefined();
    expect(user.code).toBeUndefined();
    expect(one(s.tf, 'aws_appsync_resolver', 'graphql-api_resolver_User_email_')).toMatchObject({ type: 'User', field: 'email' });
  });

  it('GIVEN two handlers behind three resolvers WHEN synthesized THEN there is one data source per handler, invoking its live alias through a role that may invoke only those aliases', () => {
    const role = idOf(s.tf, 'aws_iam_role', 'graphql-api_datasource-role_');
    const profileAlias = idOf(s.tf, 'aws_lambda_alias', 'handler_profile_alias_');
    const usersAlias = idOf(s.tf, 'aws_lambda_alias', 'handler_users_alias_');
    expect(Object.values(resourcesOf(s.tf, 'aws_appsync_datasource')).map((d) => d.name)).toEqual(['lambda_profile', 'lambda_users']);
    expect(s.text).toHaveResourceWithProperties(AppsyncDatasource, {
      name: 'lambda_users',
      type: 'AWS_LAMBDA',
      service_role_arn: ref('aws_iam_role', role, 'arn'),
      lambda_config: { function_arn: ref('aws_lambda_alias', usersAlias, 'arn') },
    });
    const doc = Object.entries(dataOf(s.tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith('graphql-api_datasource-role_permissions_'))![1] as Json;
    expect(doc.statement).toEqual([
      { sid: 'InvokeResolvers', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [ref('aws_lambda_alias', profileAlias, 'arn'), ref('aws_lambda_alias', usersAlias, 'arn')] },
    ]);
  });

  it('GIVEN the resolvers in another order WHEN synthesized THEN no address changes and the JSON is identical', () => {
    const reordered = synth(gqlModel({ resolvers: [...RESOLVERS].reverse() }));
    expect(addresses(reordered.tf)).toEqual(addresses(s.tf));
    expect(reordered.text).toBe(s.text);
  });

  describe('other authorization modes', () => {
    it('GIVEN api-key auth WHEN synthesized THEN an API key expires at the start of the day the YAML names', () => {
      const { text, tf } = synth(gqlModel({ auth: 'api-key', cache: undefined, resolvers: [] }));
      expect(text).toHaveResourceWithProperties(AppsyncGraphqlApi, { authentication_type: 'API_KEY' });
      expect(text).toHaveResourceWithProperties(AppsyncApiKey, { expires: '2026-12-31T00:00:00Z', description: 'partner key' });
      expect(resourcesOf(tf, 'aws_appsync_datasource')).toEqual({});
    });

    it('GIVEN oidc auth WHEN synthesized THEN the issuer, client and token lifetime (in milliseconds) are set', () => {
      const { text } = synth(gqlModel({ auth: 'oidc', cache: undefined, resolvers: [] }));
      expect(text).toHaveResourceWithProperties(AppsyncGraphqlApi, {
        authentication_type: 'OPENID_CONNECT',
        openid_connect_config: { issuer: 'https://login.example.com', client_id: 'web', auth_ttl: 3600000 },
      });
    });

    it('GIVEN lambda auth WHEN synthesized THEN the authorizer alias is called with the result TTL and may be invoked by this API only', () => {
      const { text, tf } = synth(gqlModel({ auth: 'lambda', cache: undefined, resolvers: [] }));
      const alias = idOf(tf, 'aws_lambda_alias', 'handler_authorizer_alias_');
      const api = idOf(tf, 'aws_appsync_graphql_api', 'graphql-api_api_');
      expect(text).toHaveResourceWithProperties(AppsyncGraphqlApi, {
        authentication_type: 'AWS_LAMBDA',
        lambda_authorizer_config: { authorizer_uri: ref('aws_lambda_alias', alias, 'arn'), authorizer_result_ttl_in_seconds: 60 },
      });
      expect(text).toHaveResourceWithProperties(LambdaPermission, {
        statement_id: 'graphql-authorizer',
        principal: 'appsync.amazonaws.com',
        source_arn: ref('aws_appsync_graphql_api', api, 'arn'),
      });
    });

    it('GIVEN full-request caching WHEN synthesized THEN the behavior is FULL_REQUEST_CACHING and no resolver carries a caching config', () => {
      const { text, tf } = synth(gqlModel({ auth: 'iam', cache: { ...CACHE!, behavior: 'full-request' } }));
      expect(text).toHaveResourceWithProperties(AppsyncGraphqlApi, { authentication_type: 'AWS_IAM' });
      expect(text).toHaveResourceWithProperties(AppsyncApiCache, { api_caching_behavior: 'FULL_REQUEST_CACHING' });
      expect(Object.values(resourcesOf(tf, 'aws_appsync_resolver')).every((r) => r.caching_config === undefined)).toBe(true);
    });

    it('GIVEN api-key auth without auth.apiKey WHEN synthesized THEN a SynthesisError names the missing entry', () => {
      const m = gqlModel({ auth: 'api-key' }, { auth: {} });
      expect(() => synth(m)).toThrow(SynthesisError);
      expect(() => synth(m)).toThrow('graphqlApi.auth is `api-key` but `auth.apiKey` is missing; add it or change graphqlApi.auth');
    });
  });
});
