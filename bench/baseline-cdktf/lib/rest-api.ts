/**
 * A REST API with a cache cluster on its stage: one `/<part>/{param}` route per
 * endpoint behind a Cognito authorizer, each proxied to a Lambda alias with its
 * own cache TTL and cache key (the path parameter and the caller's token).
 */
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import {
  apiGatewayAuthorizer,
  apiGatewayDeployment,
  apiGatewayIntegration,
  apiGatewayMethod,
  apiGatewayMethodSettings,
  apiGatewayResource,
  apiGatewayRestApi,
  apiGatewayStage,
  cloudwatchLogGroup,
  lambdaPermission,
} from '@cdktf/provider-aws';
import type { LambdaHandler } from './lambda-handler';

export interface CachedRoute {
  pathPart: string;
  param: string;
  method: string;
  handler: LambdaHandler;
  ttlSeconds: number;
}

export interface CachedRestApiProps {
  name: string;
  stageName: string;
  cacheSizeGb: string;
  userPoolArn: string;
  throttling: { burstLimit: number; rateLimit: number };
  routes: CachedRoute[];
}

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
});

export class CachedRestApi extends Construct {
  readonly api: apiGatewayRestApi.ApiGatewayRestApi;
  readonly stage: apiGatewayStage.ApiGatewayStage;

  constructor(scope: Construct, id: string, props: CachedRestApiProps) {
    super(scope, id);
    const api = new apiGatewayRestApi.ApiGatewayRestApi(this, 'api', {
      name: props.name,
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    this.api = api;

    const authorizer = new apiGatewayAuthorizer.ApiGatewayAuthorizer(this, 'cognito', {
      name: 'cognito',
      restApiId: api.id,
      type: 'COGNITO_USER_POOLS',
      providerArns: [props.userPoolArn],
      identitySource: 'method.request.header.Authorization',
    });

    const redeployOn: string[] = [];
    const dependsOn: (apiGatewayMethod.ApiGatewayMethod | apiGatewayIntegration.ApiGatewayIntegration)[] = [];
    const routeSettings: { methodPath: string; ttlSeconds: number }[] = [];
    const invokedBy = new Map<LambdaHandler, true>();

    for (const route of props.routes) {
      const key = `${route.method}-${route.pathPart}`;
      const parent = new apiGatewayResource.ApiGatewayResource(this, `${route.pathPart}`, {
        restApiId: api.id,
        parentId: api.rootResourceId,
        pathPart: route.pathPart,
      });
      const resource = new apiGatewayResource.ApiGatewayResource(this, `${route.pathPart}-${route.param}`, {
        restApiId: api.id,
        parentId: parent.id,
        pathPart: `{${route.param}}`,
      });
      const method = new apiGatewayMethod.ApiGatewayMethod(this, `${key}-method`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: route.method,
        authorization: 'COGNITO_USER_POOLS',
        authorizerId: authorizer.id,
        requestParameters: {
          [`method.request.path.${route.param}`]: true,
          'method.request.header.Authorization': false,
        },
      });
      const integration = new apiGatewayIntegration.ApiGatewayIntegration(this, `${key}-integration`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: route.handler.alias.invokeArn,
        cacheNamespace: resource.id,
        cacheKeyParameters: [`method.request.path.${route.param}`, 'method.request.header.Authorization'],
      });
      dependsOn.push(method, integration);
      redeployOn.push(resource.id, method.id, integration.id);
      routeSettings.push({ methodPath: `${route.pathPart}/{${route.param}}/${route.method}`, ttlSeconds: route.ttlSeconds });
      invokedBy.set(route.handler, true);
    }

    for (const handler of invokedBy.keys()) {
      new lambdaPermission.LambdaPermission(this, `invoke-${handler.node.id}`, {
        statementId: 'AllowApiGateway',
        action: 'lambda:InvokeFunction',
        functionName: handler.fn.functionName,
        qualifier: handler.alias.name,
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${api.executionArn}/*`,
      });
    }

    const deployment = new apiGatewayDeployment.ApiGatewayDeployment(this, 'deployment', {
      restApiId: api.id,
      triggers: { redeployment: Fn.sha1(Fn.jsonencode(redeployOn)) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...dependsOn, authorizer],
    });

    const accessLog = new cloudwatchLogGroup.CloudwatchLogGroup(this, 'access-log', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: 30,
    });
    const executionLog = new cloudwatchLogGroup.CloudwatchLogGroup(this, 'execution-log', {
      name: `API-Gateway-Execution-Logs_${api.id}/${props.stageName}`,
      retentionInDays: 30,
    });

    this.stage = new apiGatewayStage.ApiGatewayStage(this, 'stage', {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName: props.stageName,
      cacheClusterEnabled: true,
      cacheClusterSize: props.cacheSizeGb,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLog.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [executionLog],
    });

    const common = {
      metricsEnabled: true,
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      throttlingBurstLimit: props.throttling.burstLimit,
      throttlingRateLimit: props.throttling.rateLimit,
    };
    new apiGatewayMethodSettings.ApiGatewayMethodSettings(this, 'all-methods', {
      restApiId: api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: { ...common, cachingEnabled: false },
    });
    for (const s of routeSettings) {
      new apiGatewayMethodSettings.ApiGatewayMethodSettings(this, `settings-${s.methodPath}`, {
        restApiId: api.id,
        stageName: this.stage.stageName,
        methodPath: s.methodPath,
        settings: {
          ...common,
          cachingEnabled: true,
          cacheTtlInSeconds: s.ttlSeconds,
          cacheDataEncrypted: true,
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
        },
      });
    }
  }
}
