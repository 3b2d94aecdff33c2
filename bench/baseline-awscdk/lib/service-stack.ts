/**
 * One service: ten Lambda handlers behind `live` aliases, a REST API with a
 * cache cluster and per-method cache settings, an AppSync API with a
 * per-resolver cache, a Valkey replication group, a DAX cluster and a scheduled
 * warmer.
 */
import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ServiceSpec } from '../../baseline-service';

const HANDLER_CODE = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: (event && event.path) || null }) });`;
const VALKEY_PORT = 6379;
const DAX_PORT = 9111;

export interface ServiceStackProps extends StackProps {
  spec: ServiceSpec;
}

export class ServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const spec = props.spec;
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'vpc', {
      vpcId: spec.vpcId,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: spec.subnetIds,
      privateSubnetRouteTableIds: spec.subnetIds.map((_, i) => `rtb-0${i}`),
    });

    // Valkey
    const valkeySg = new ec2.SecurityGroup(this, 'valkey-sg', { vpc, description: `Valkey ${spec.name}`, allowAllOutbound: false });
    const valkeySubnets = new elasticache.CfnSubnetGroup(this, 'valkey-subnets', {
      cacheSubnetGroupName: `${spec.name}-sessions`,
      description: `Valkey ${spec.name}`,
      subnetIds: spec.subnetIds,
    });
    const valkeyParams = new elasticache.CfnParameterGroup(this, 'valkey-params', {
      cacheParameterGroupFamily: 'valkey8',
      description: `Valkey ${spec.name}`,
      properties: { 'maxmemory-policy': 'volatile-lru' },
    });
    const slowLog = new logs.LogGroup(this, 'valkey-slow-log', { retention: logs.RetentionDays.ONE_MONTH });
    const valkey = new elasticache.CfnReplicationGroup(this, 'valkey', {
      replicationGroupId: `${spec.name}-sessions`,
      replicationGroupDescription: `Valkey ${spec.name}`,
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: 'cache.t4g.small',
      port: VALKEY_PORT,
      numNodeGroups: 1,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      cacheSubnetGroupName: valkeySubnets.ref,
      cacheParameterGroupName: valkeyParams.ref,
      securityGroupIds: [valkeySg.securityGroupId],
      snapshotRetentionLimit: 1,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });

    // DAX
    const tableArn = `arn:${Aws.PARTITION}:dynamodb:${this.region}:${this.account}:table/Items`;
    const daxRole = new iam.Role(this, 'dax-role', { assumedBy: new iam.ServicePrincipal('dax.amazonaws.com') });
    daxRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'],
        resources: [tableArn],
      }),
    );
    daxRole.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:Scan'], resources: [`${tableArn}/index/*`] }));
    const daxSg = new ec2.SecurityGroup(this, 'dax-sg', { vpc, description: `DAX ${spec.name}`, allowAllOutbound: false });
    const daxSubnets = new dax.CfnSubnetGroup(this, 'dax-subnets', { subnetGroupName: `${spec.name}-hot`, subnetIds: spec.subnetIds });
    const daxParams = new dax.CfnParameterGroup(this, 'dax-params', {
      parameterGroupName: `${spec.name}-hot`,
      parameterNameValues: { 'query-ttl-millis': '300000', 'record-ttl-millis': '300000' },
    });
    const daxCluster = new dax.CfnCluster(this, 'dax', {
      clusterName: `${spec.name}-hot`,
      nodeType: 'dax.t3.small',
      replicationFactor: 3,
      iamRoleArn: daxRole.roleArn,
      subnetGroupName: daxSubnets.ref,
      parameterGroupName: daxParams.ref,
      securityGroupIds: [daxSg.securityGroupId],
      sseSpecification: { sseEnabled: true },
      clusterEndpointEncryptionType: 'TLS',
    });
    daxCluster.node.addDependency(daxRole);

    // Handlers
    const aliases = new Map<string, lambda.Alias>();
    for (const h of spec.handlers) {
      const sg = new ec2.SecurityGroup(this, `${h.name}-sg`, { vpc, description: `Lambda ${h.name}`, allowAllOutbound: false });
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
      valkeySg.connections.allowFrom(sg, ec2.Port.tcp(VALKEY_PORT), `from ${h.name}`);
      daxSg.connections.allowFrom(sg, ec2.Port.tcp(DAX_PORT), `from ${h.name}`);
      const fn = new lambda.Function(this, h.name, {
        functionName: `${spec.name}-${h.name}`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: lambda.Code.fromInline(HANDLER_CODE),
        memorySize: h.memoryMb,
        timeout: Duration.seconds(h.timeoutSeconds),
        tracing: lambda.Tracing.ACTIVE,
        loggingFormat: lambda.LoggingFormat.TEXT,
        logGroup: new logs.LogGroup(this, `${h.name}-logs`, { retention: logs.RetentionDays.ONE_MONTH }),
        vpc,
        vpcSubnets: { subnets: vpc.privateSubnets },
        securityGroups: [sg],
        environment: {
          SERVICE: spec.name,
          REDIS_HOST: valkey.attrPrimaryEndPointAddress,
          REDIS_READER_HOST: valkey.attrReaderEndPointAddress,
          REDIS_PORT: String(VALKEY_PORT),
          DAX_ENDPOINT: `daxs://${daxCluster.attrClusterDiscoveryEndpointUrl}`,
        },
      });
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dax:GetItem', 'dax:BatchGetItem', 'dax:Query', 'dax:Scan', 'dax:PutItem', 'dax:UpdateItem', 'dax:DeleteItem', 'dax:BatchWriteItem', 'dax:ConditionCheckItem'],
          resources: [daxCluster.attrArn],
        }),
      );
      const alias = new lambda.Alias(this, `${h.name}-live`, {
        aliasName: 'live',
        version: fn.currentVersion,
        provisionedConcurrentExecutions: h.provisionedConcurrency > 0 ? h.provisionedConcurrency : undefined,
      });
      aliases.set(h.name, alias);
    }

    // REST API
    const accessLog = new logs.LogGroup(this, 'api-access-log', { retention: logs.RetentionDays.ONE_MONTH });
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const e of spec.endpoints) {
      methodOptions[`/${e.pathPart}/{${e.param}}/${e.method}`] = { cachingEnabled: true, cacheTtl: Duration.seconds(e.ttlSeconds), cacheDataEncrypted: true };
    }
    const api = new apigw.RestApi(this, 'api', {
      restApiName: `${spec.name}-api`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        cacheClusterEnabled: true,
        cacheClusterSize: '0.5',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingBurstLimit: 5000,
        throttlingRateLimit: 2000,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLog),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        methodOptions,
      },
    });
    new logs.LogGroup(this, 'api-execution-log', {
      logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/prod`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'cognito', {
      cognitoUserPools: [cognito.UserPool.fromUserPoolArn(this, 'pool', spec.userPoolArn)],
    });
    for (const e of spec.endpoints) {
      const resource = api.root.addResource(e.pathPart).addResource(`{${e.param}}`);
      resource.addMethod(
        e.method,
        new apigw.LambdaIntegration(aliases.get(e.handler)!, {
          allowTestInvoke: false,
          cacheNamespace: resource.resourceId,
          cacheKeyParameters: [`method.request.path.${e.param}`, 'method.request.header.Authorization'],
        }),
        {
          authorizer,
          authorizationType: apigw.AuthorizationType.COGNITO,
          requestParameters: { [`method.request.path.${e.param}`]: true, 'method.request.header.Authorization': false },
        },
      );
    }

    // AppSync
    const graphLog = new logs.LogGroup(this, 'graph-log', { retention: logs.RetentionDays.ONE_MONTH });
    const graphLogRole = new iam.Role(this, 'graph-log-role', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    graphLog.grantWrite(graphLogRole);
    const graph = new appsync.CfnGraphQLApi(this, 'graph', {
      name: `${spec.name}-graph`,
      authenticationType: 'AMAZON_COGNITO_USER_POOLS',
      userPoolConfig: { awsRegion: spec.region, userPoolId: spec.userPoolArn.split('/').pop()!, defaultAction: 'ALLOW' },
      logConfig: { cloudWatchLogsRoleArn: graphLogRole.roleArn, fieldLogLevel: 'ERROR', excludeVerboseContent: true },
      xrayEnabled: true,
    });
    const schema = new appsync.CfnGraphQLSchema(this, 'graph-schema', { apiId: graph.attrApiId, definition: spec.schema });
    const cache = new appsync.CfnApiCache(this, 'graph-cache', {
      apiId: graph.attrApiId,
      apiCachingBehavior: 'PER_RESOLVER_CACHING',
      type: 'SMALL',
      ttl: 300,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
    });
    const dsRole = new iam.Role(this, 'graph-datasource-role', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    const dataSources = new Map<string, appsync.CfnDataSource>();
    for (const handler of new Set(spec.resolvers.map((r) => r.handler))) {
      const alias = aliases.get(handler)!;
      alias.grantInvoke(dsRole);
      const ds = new appsync.CfnDataSource(this, `graph-ds-${handler}`, {
        apiId: graph.attrApiId,
        name: handler.replace(/[^A-Za-z0-9_]/g, '_'),
        type: 'AWS_LAMBDA',
        serviceRoleArn: dsRole.roleArn,
        lambdaConfig: { lambdaFunctionArn: alias.functionArn },
      });
      ds.node.addDependency(dsRole);
      dataSources.set(handler, ds);
    }
    for (const r of spec.resolvers) {
      const resolver = new appsync.CfnResolver(this, `graph-${r.typeName}-${r.fieldName}`, {
        apiId: graph.attrApiId,
        typeName: r.typeName,
        fieldName: r.fieldName,
        kind: 'UNIT',
        dataSourceName: dataSources.get(r.handler)!.attrName,
        cachingConfig: { ttl: r.ttlSeconds, cachingKeys: ['$context.identity.sub', '$context.arguments.id'] },
      });
      resolver.node.addDependency(schema, cache);
    }

    // Warmer
    const warmTargets = spec.handlers.filter((h) => h.warm).map((h) => aliases.get(h.name)!);
    const warmer = new lambda.Function(this, 'warmer', {
      functionName: `${spec.name}-warmer`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER_CODE),
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: new logs.LogGroup(this, 'warmer-logs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    for (const t of warmTargets) t.grantInvoke(warmer);
    new events.Rule(this, 'warmer-schedule', {
      schedule: events.Schedule.expression('rate(5 minutes)'),
      targets: [
        new targets.LambdaFunction(warmer, {
          event: events.RuleTargetInput.fromObject({ concurrency: 2, targets: warmTargets.map((t) => t.functionArn) }),
        }),
      ],
    });
  }
}
