/**
 * An AppSync GraphQL API with a per-resolver cache: Cognito auth, logs, one Lambda
 * data source per handler and one direct Lambda resolver per field, each cached
 * by the caller and the `id` argument.
 */
import { Construct } from 'constructs';
import {
  appsyncApiCache,
  appsyncDatasource,
  appsyncGraphqlApi,
  appsyncResolver,
  cloudwatchLogGroup,
  dataAwsIamPolicyDocument,
  iamRole,
  iamRolePolicy,
} from '@cdktf/provider-aws';
import type { LambdaHandler } from './lambda-handler';

export interface CachedField {
  typeName: string;
  fieldName: string;
  handler: LambdaHandler;
  ttlSeconds: number;
}

export interface CachedGraphqlApiProps {
  name: string;
  schema: string;
  region: string;
  userPoolId: string;
  cache: { type: string; ttlSeconds: number };
  fields: CachedField[];
}

function appsyncRole(scope: Construct, id: string, name: string, statement: dataAwsIamPolicyDocument.DataAwsIamPolicyDocumentStatement[]) {
  const trust = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(scope, `${id}-trust`, {
    statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['appsync.amazonaws.com'] }] }],
  });
  const role = new iamRole.IamRole(scope, id, { name, assumeRolePolicy: trust.json });
  const permissions = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(scope, `${id}-permissions`, { statement });
  const policy = new iamRolePolicy.IamRolePolicy(scope, `${id}-policy`, { role: role.id, policy: permissions.json });
  return { role, policy };
}

export class CachedGraphqlApi extends Construct {
  readonly api: appsyncGraphqlApi.AppsyncGraphqlApi;

  constructor(scope: Construct, id: string, props: CachedGraphqlApiProps) {
    super(scope, id);
    const logGroupArn = `arn:aws:logs:${props.region}:*:log-group:/aws/appsync/apis/*`;
    const logs = appsyncRole(this, 'log-role', `${props.name}-appsync-logs`, [
      { actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroupArn, `${logGroupArn}:*`] },
    ]);
    this.api = new appsyncGraphqlApi.AppsyncGraphqlApi(this, 'api', {
      name: props.name,
      schema: props.schema,
      authenticationType: 'AMAZON_COGNITO_USER_POOLS',
      userPoolConfig: { awsRegion: props.region, userPoolId: props.userPoolId, defaultAction: 'ALLOW' },
      logConfig: { cloudwatchLogsRoleArn: logs.role.arn, fieldLogLevel: 'ERROR', excludeVerboseContent: true },
      xrayEnabled: true,
    });
    new cloudwatchLogGroup.CloudwatchLogGroup(this, 'logs', { name: `/aws/appsync/apis/${this.api.id}`, retentionInDays: 30 });

    const cache = new appsyncApiCache.AppsyncApiCache(this, 'cache', {
      apiId: this.api.id,
      apiCachingBehavior: 'PER_RESOLVER_CACHING',
      type: props.cache.type,
      ttl: props.cache.ttlSeconds,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
    });

    const handlers = [...new Set(props.fields.map((f) => f.handler))];
    const invoke = appsyncRole(this, 'datasource-role', `${props.name}-appsync-lambda`, [
      { actions: ['lambda:InvokeFunction'], resources: handlers.map((h) => h.alias.arn) },
    ]);
    const dataSources = new Map<LambdaHandler, appsyncDatasource.AppsyncDatasource>();
    for (const h of handlers) {
      dataSources.set(
        h,
        new appsyncDatasource.AppsyncDatasource(this, `ds-${h.node.id}`, {
          apiId: this.api.id,
          name: h.node.id.replace(/[^A-Za-z0-9_]/g, '_'),
          type: 'AWS_LAMBDA',
          serviceRoleArn: invoke.role.arn,
          lambdaConfig: { functionArn: h.alias.arn },
          dependsOn: [invoke.policy],
        }),
      );
    }

    for (const f of props.fields) {
      new appsyncResolver.AppsyncResolver(this, `${f.typeName}-${f.fieldName}`, {
        apiId: this.api.id,
        type: f.typeName,
        field: f.fieldName,
        kind: 'UNIT',
        dataSource: dataSources.get(f.handler)!.name,
        cachingConfig: { ttl: f.ttlSeconds, cachingKeys: ['$context.identity.sub', '$context.arguments.id'] },
        dependsOn: [cache],
      });
    }
  }
}
