import { checkPolicies, POLICIES } from './policy-check';

/** One weakened block per policy: what the checker must flag. */
const FAILING: Record<string, { type: string; data?: boolean; block: Record<string, unknown> }> = {
  CKV_AWS_29: { type: 'aws_elasticache_replication_group', block: { at_rest_encryption_enabled: 'false', transit_encryption_enabled: true } },
  CKV_AWS_30: { type: 'aws_elasticache_replication_group', block: { at_rest_encryption_enabled: 'true', transit_encryption_enabled: false } },
  CKV_AWS_47: { type: 'aws_dax_cluster', block: { server_side_encryption: { enabled: false }, cluster_endpoint_encryption_type: 'TLS' } },
  CKV_AWS_239: { type: 'aws_dax_cluster', block: { server_side_encryption: { enabled: true }, cluster_endpoint_encryption_type: 'NONE' } },
  CKV_AWS_308: { type: 'aws_api_gateway_method_settings', block: { settings: { caching_enabled: true, cache_data_encrypted: false } } },
  CKV_AWS_276: { type: 'aws_api_gateway_method_settings', block: { settings: { data_trace_enabled: true } } },
  CKV_AWS_73: { type: 'aws_api_gateway_stage', block: { access_log_settings: { destination_arn: 'arn' } } },
  CKV_AWS_76: { type: 'aws_api_gateway_stage', block: { xray_tracing_enabled: true } },
  CKV_AWS_214: { type: 'aws_appsync_api_cache', block: { at_rest_encryption_enabled: false, transit_encryption_enabled: true } },
  CKV_AWS_215: { type: 'aws_appsync_api_cache', block: { at_rest_encryption_enabled: true, transit_encryption_enabled: false } },
  CKV_AWS_193: { type: 'aws_appsync_graphql_api', block: { name: 'x' } },
  CKV_AWS_194: { type: 'aws_appsync_graphql_api', block: { log_config: { cloudwatch_logs_role_arn: 'arn', field_log_level: 'NONE' } } },
  CKV_AWS_50: { type: 'aws_lambda_function', block: { runtime: 'nodejs22.x' } },
  CKV_AWS_363: { type: 'aws_lambda_function', block: { runtime: 'nodejs16.x', tracing_config: { mode: 'Active' } } },
  CKV_AWS_364: { type: 'aws_lambda_permission', block: { principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction' } },
  IAM_NO_WILDCARD_ACTION: { type: 'aws_iam_policy_document', data: true, block: { statement: [{ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:us-east-1:1:table/T'] }] } },
  IAM_STAR_RESOURCE_ONLY_WHERE_REQUIRED: { type: 'aws_iam_policy_document', data: true, block: { statement: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }] } },
  IAM_NO_WILDCARD_IN_RESOURCE: {
    type: 'aws_iam_policy_document',
    data: true,
    block: { statement: [{ sid: 'DynamoDbRead', actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/T/index/*'] }] },
  },
  LOG_GROUP_RETENTION: { type: 'aws_cloudwatch_log_group', block: { name: '/aws/lambda/x' } },
};

describe('policy checker', () => {
  it('GIVEN the policy list WHEN compared with the failing examples THEN every policy has one', () => {
    expect(Object.keys(FAILING).sort()).toEqual(POLICIES.map((p) => p.id).sort());
  });

  it.each(Object.entries(FAILING))('GIVEN a block that breaks %s WHEN checked THEN that policy fails and names the block', (id, { type, data, block }) => {
    const tf = { [data ? 'data' : 'resource']: { [type]: { weakened: block } } };
    const result = checkPolicies(tf).find((r) => r.id === id)!;
    expect(result.checked).toBe(1);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(new RegExp(`^${type}\\.weakened: `));
  });

  it.each([
    ['an S3 object action on a bucket-wide wildcard of a handler', 'handler:x/role/permissions', ['s3:ListBucket'], 'arn:aws:s3:::bucket/*'],
    ['a wildcard in the middle of an S3 prefix', 'handler:x/role/permissions', ['s3:GetObject'], 'arn:aws:s3:::bucket/a*/b*'],
    ['a table index wildcard in a handler role', 'handler:x/role/permissions', ['dynamodb:Query'], 'arn:aws:dynamodb:us-east-1:123456789012:table/T/index/*'],
    ['a queue name wildcard', 'handler:x/role/permissions', ['sqs:SendMessage'], 'arn:aws:sqs:us-east-1:123456789012:jobs-*'],
    ['a secret wildcard', 'handler:x/role/permissions', ['secretsmanager:GetSecretValue'], 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????'],
  ])('GIVEN %s WHEN checked THEN the wildcard-in-resource policy rejects it', (_what, p, actions, resource) => {
    const tf = { data: { aws_iam_policy_document: { x: { '//': { metadata: { path: `svc/${p}` } }, statement: [{ sid: 'S', actions, resources: [resource] }] } } } };
    expect(checkPolicies(tf).find((r) => r.id === 'IAM_NO_WILDCARD_IN_RESOURCE')!.failures).toHaveLength(1);
  });

  it.each([
    ['S3 objects under a prefix', 'handler:x/role/permissions', ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::bucket/avatars/*'],
    ['S3 objects of a whole bucket', 'handler:x/role/permissions', ['s3:DeleteObject'], 'arn:aws:s3:::bucket/*'],
    ['the log streams of one log group', 'handler:x/role/permissions', ['logs:PutLogEvents'], '${aws_cloudwatch_log_group.handler_x_log-group_1234.arn}:*'],
    ['the DAX role on its tables\' indexes', 'dax:hot/role/permissions', ['dynamodb:Query'], 'arn:aws:dynamodb:us-east-1:123456789012:table/T/index/*'],
  ])('GIVEN %s WHEN checked THEN the wildcard-in-resource policy allows it', (_what, p, actions, resource) => {
    const tf = { data: { aws_iam_policy_document: { x: { '//': { metadata: { path: `svc/${p}` } }, statement: [{ sid: 'S', actions, resources: [resource] }] } } } };
    expect(checkPolicies(tf).find((r) => r.id === 'IAM_NO_WILDCARD_IN_RESOURCE')!.failures).toEqual([]);
  });

  it('GIVEN X-Ray and network interface actions on "*" WHEN checked THEN the star-resource policy allows them', () => {
    const tf = { data: { aws_iam_policy_document: { ok: { statement: [{ actions: ['xray:PutTraceSegments', 'ec2:CreateNetworkInterface'], resources: ['*'] }] } } } };
    expect(checkPolicies(tf).find((r) => r.id === 'IAM_STAR_RESOURCE_ONLY_WHERE_REQUIRED')!.failures).toEqual([]);
  });
});
