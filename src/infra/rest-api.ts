/**
 * One API Gateway REST API with one stage: the resource tree of the endpoint
 * paths, a method per endpoint proxied (AWS_PROXY) to its handler's `live` alias,
 * the authorizers the endpoints name, a deployment that follows every change of
 * the API, and the stage with its cache cluster, access log and X-Ray.
 *
 * Resources: aws_api_gateway_rest_api, aws_api_gateway_resource (one per path
 * prefix), aws_api_gateway_authorizer (cognito and/or lambda, when used),
 * aws_api_gateway_method + aws_api_gateway_integration + aws_api_gateway_method_settings
 * (one each per endpoint), aws_api_gateway_deployment, aws_api_gateway_stage,
 * aws_api_gateway_method_settings (`*\/*`), aws_cloudwatch_log_group (access log and
 * execution log), aws_lambda_permission (one per handler, one per authorizer).
 *
 * Compilation guarantees:
 * - every endpoint has its own method settings; one without `cache` is written
 *   with `caching_enabled = false` and a TTL of 0, and every cache field is set
 *   explicitly, so nothing is inherited from the stage-wide settings;
 * - cache key parameters are declared as method request parameters too;
 * - `require_authorization_for_cache_control` and the unauthorized strategy are
 *   set in Terraform.
 *
 * The account's API Gateway CloudWatch role (`aws_api_gateway_account`) is not
 * managed here: it is one setting per account and region shared by every API.
 * With `restApi.accountLogsRole: true` the stack creates it (api-gateway-account.ts)
 * and the stage waits for it (`stageDependsOn`); otherwise it must already be set,
 * or creating the stage with its access log fails (docs/config.md, `accountLogsRole`).
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayBasePathMapping } from '@cdktf/provider-aws/lib/api-gateway-base-path-mapping';
import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings, type ApiGatewayMethodSettingsSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { methodResourcePath } from '../config/access';
import type { Auth, Endpoint, RestApi as RestApiModel, Throttling, UnauthorizedStrategy } from '../config/model';
import { SynthesisError } from './errors';
import type { HandlerFunction } from './handler-function';
import { constructIds, type ResourceNames } from './naming';
import { preflightMethods, preflightPaths, RestCors } from './rest-cors';
import { ApiWaf } from './waf';

/** The method part of an execute-api ARN (pure, in src/config/access.ts so the explain plan names the same ARNs). */
export { methodResourcePath };

/** `unauthorized` in the YAML → API Gateway's `unauthorized_cache_control_header_strategy`. */
export const UNAUTHORIZED_STRATEGY: Record<UnauthorizedStrategy, string> = {
  fail: 'FAIL_WITH_403',
  'ignore-with-warning': 'SUCCEED_WITH_RESPONSE_HEADER',
  ignore: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
};

/** `auth` of an endpoint → `authorization` of its method. */
export const METHOD_AUTHORIZATION = {
  none: 'NONE',
  iam: 'AWS_IAM',
  cognito: 'COGNITO_USER_POOLS',
  lambda: 'CUSTOM',
} as const;

/** Access log line: one JSON object per request. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  xrayTraceId: '$context.xrayTraceId',
});

/**
 * `method_path` of an endpoint's method settings. API Gateway keys method
 * settings by the resource path with every `/` written `~1` (JSON Pointer
 * escaping, `~` as `~0` first) and the HTTP method; the Terraform provider
 * passes this string through unchanged to both the stage update and the read
 * back, so it must already be in that form: `/users/{userId}` GET →
 * `~1users~1{userId}/GET`, `/` GET → `~1/GET`.
 */
export function methodPath(path: string, method: string): string {
  return `${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
}

/** `header.X` → `method.request.header.X`; `query.X` → `method.request.querystring.X`; `path.X` → `method.request.path.X`. */
export function requestParameterName(key: string): string {
  const dot = key.indexOf('.');
  const kind = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const location = kind === 'query' ? 'querystring' : kind;
  return `method.request.${location}.${name}`;
}


/** Names of the `{name}` and `{name+}` segments of a path, in order. */
export function pathParameters(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.startsWith('{') && s.endsWith('}'))
    .map((s) => s.slice(1, -1).replace(/\+$/, ''));
}

/**
 * Method request parameters of an endpoint: every path parameter (required) and
 * every cache key (headers and query strings optional), sorted by name.
 */
export function methodRequestParameters(endpoint: Endpoint): Record<string, boolean> {
  const params: Record<string, boolean> = {};
  for (const name of pathParameters(endpoint.path)) params[`method.request.path.${name}`] = true;
  for (const key of endpoint.cache?.keys ?? []) {
    const name = requestParameterName(key);
    params[name] ??= false;
  }
  return Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Path prefixes below the root, parents first: `/a/{b}/c` → `/a`, `/a/{b}`, `/a/{b}/c`. */
export function pathPrefixes(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

/** Endpoints ordered by path, then method: the order of everything synthesized from them. */
export function sortedEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  return [...endpoints].sort((a, b) => (a.path === b.path ? cmp(a.method, b.method) : cmp(a.path, b.path)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Hash of everything a deployment snapshots (resources, methods, authorizers,
 * integrations), computed from the model at synth time. Order-independent:
 * endpoints are sorted first, so reordering them in the YAML does not redeploy.
 */
export function deploymentHash(api: RestApiModel, auth: Auth): string {
  const usesCognito = api.endpoints.some((e) => e.auth === 'cognito');
  const usesLambda = api.endpoints.some((e) => e.auth === 'lambda');
  const definition = {
    endpointType: api.endpointType,
    authorizers: {
      cognito: usesCognito ? auth.cognito?.userPoolArn ?? null : null,
      lambda: usesLambda && auth.lambda ? [auth.lambda.handler, auth.lambda.identityHeader, auth.lambda.resultTtlSeconds] : null,
    },
    endpoints: sortedEndpoints(api.endpoints).map((e) => [
      e.method,
      e.path,
      e.handler,
      e.auth,
      methodRequestParameters(e),
      (e.cache?.keys ?? []).map(requestParameterName),
      e.cache?.namespace ?? null,
    ]),
  } as Record<string, unknown>;
  // Written only when set, so the hash of an API without them stays what it was.
  if (api.compression) definition.compression = api.compression.minimumSizeBytes;
  if (api.cors) {
    definition.cors = {
      ...api.cors,
      preflight: preflightPaths(api.endpoints).map((p) => [p, preflightMethods(api.cors!, api.endpoints, p)]),
    };
  }
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

export interface RestApiProps {
  api: RestApiModel;
  auth: Auth;
  names: ResourceNames;
  /** Every handler of the stack, by name. */
  handlers: ReadonlyMap<string, HandlerFunction>;
  /** The VPC a PRIVATE API admits calls from. @default none; required when `endpointType` is PRIVATE */
  vpcId?: string;
  stackName: string;
  /** What the stage waits for: the account's logging role when this stack sets it. @default nothing */
  stageDependsOn?: ITerraformDependable[];
}

export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly deployment: ApiGatewayDeployment;
  readonly accessLog: CloudwatchLogGroup;
  readonly executionLog: CloudwatchLogGroup;
  /** Method settings by `method_path`, the stage-wide `*\/*` included. */
  readonly methodSettings = new Map<string, ApiGatewayMethodSettings>();
  readonly methods = new Map<string, ApiGatewayMethod>();
  readonly authorizers: { cognito?: ApiGatewayAuthorizer; lambda?: ApiGatewayAuthorizer } = {};
  /** The stage name, as written (known at synth time). */
  readonly stageName: string;
  readonly cors?: RestCors;
  readonly domainName?: ApiGatewayDomainName;
  readonly waf?: ApiWaf;
  private readonly domainEdge: boolean = false;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const { api, auth, names } = props;
    this.stageName = api.stage;
    const apiName = names.restApiName(api.name);
    const endpoints = sortedEndpoints(api.endpoints);

    let policy: string | undefined;
    if (api.endpointType === 'PRIVATE') {
      if (!props.vpcId) {
        throw new SynthesisError('restApi.endpointType PRIVATE needs `network.vpcId`, the VPC whose callers it admits; add `network` or use REGIONAL', 'restApi.endpointType', props.stackName);
      }
      policy = new DataAwsIamPolicyDocument(this, 'private-policy', {
        statement: [
          {
            sid: 'InvokeFromVpc',
            effect: 'Allow',
            actions: ['execute-api:Invoke'],
            principals: [{ type: 'AWS', identifiers: ['*'] }],
            resources: ['execute-api:/*'],
            condition: [{ test: 'StringEquals', variable: 'aws:SourceVpc', values: [props.vpcId] }],
          },
        ],
      }).json;
    }

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: apiName,
      description: `cachestack: ${props.stackName}`,
      endpointConfiguration: { types: [api.endpointType] },
      policy,
      // A string in the provider's schema (5.100 and 6.x): "" would mean off, so it is left out then.
      minimumCompressionSize: api.compression ? String(api.compression.minimumSizeBytes) : undefined,
    });

    // Resource tree.
    const resources = new Map<string, ApiGatewayResource>();
    const prefixes = [...new Set(endpoints.flatMap((e) => pathPrefixes(e.path)))].sort((a, b) => a.split('/').length - b.split('/').length || cmp(a, b));
    for (const prefix of prefixes) {
      const parent = prefix.slice(0, prefix.lastIndexOf('/'));
      resources.set(
        prefix,
        new ApiGatewayResource(this, constructIds.resource(prefix), {
          restApiId: this.api.id,
          parentId: parent === '' ? this.api.rootResourceId : resources.get(parent)!.id,
          pathPart: prefix.slice(prefix.lastIndexOf('/') + 1),
        }),
      );
    }
    const resourceIdOf = (path: string) => (path === '/' ? this.api.rootResourceId : resources.get(path)!.id);

    // Authorizers, when an endpoint names them.
    if (endpoints.some((e) => e.auth === 'cognito')) {
      if (!auth.cognito) throw missingAuth('cognito', props.stackName);
      this.authorizers.cognito = new ApiGatewayAuthorizer(this, 'authorizer:cognito', {
        name: 'cognito',
        restApiId: this.api.id,
        type: 'COGNITO_USER_POOLS',
        providerArns: [auth.cognito.userPoolArn],
        identitySource: 'method.request.header.Authorization',
      });
    }
    if (endpoints.some((e) => e.auth === 'lambda')) {
      if (!auth.lambda) throw missingAuth('lambda', props.stackName);
      const fn = handlerOf(props, auth.lambda.handler, 'auth.lambda.handler');
      this.authorizers.lambda = new ApiGatewayAuthorizer(this, 'authorizer:lambda', {
        name: 'lambda',
        restApiId: this.api.id,
        type: 'REQUEST',
        authorizerUri: fn.aliasInvokeArn,
        identitySource: `method.request.header.${auth.lambda.identityHeader}`,
        authorizerResultTtlInSeconds: auth.lambda.resultTtlSeconds,
      });
      fn.allowInvoke('rest-api-authorizer', 'apigateway.amazonaws.com', `${this.api.executionArn}/authorizers/${this.authorizers.lambda.id}`);
    }

    // Methods and integrations.
    const integrations: ApiGatewayIntegration[] = [];
    for (const e of endpoints) {
      const scope = new Construct(this, constructIds.endpoint(e.method, e.path));
      const fn = handlerOf(props, e.handler, 'restApi.endpoints[].handler');
      const authorizer = e.auth === 'cognito' ? this.authorizers.cognito : e.auth === 'lambda' ? this.authorizers.lambda : undefined;
      const requestParameters = methodRequestParameters(e);
      const method = new ApiGatewayMethod(scope, 'method', {
        restApiId: this.api.id,
        resourceId: resourceIdOf(e.path),
        httpMethod: e.method,
        authorization: METHOD_AUTHORIZATION[e.auth],
        authorizerId: authorizer?.id,
        requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      });
      this.methods.set(`${e.method} ${e.path}`, method);
      integrations.push(
        new ApiGatewayIntegration(scope, 'integration', {
          restApiId: this.api.id,
          resourceId: method.resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: fn.aliasInvokeArn,
          cacheKeyParameters: e.cache ? e.cache.keys.map(requestParameterName) : undefined,
          // The default, written out: one namespace per resource.
          cacheNamespace: e.cache?.namespace ?? resourceIdOf(e.path),
        }),
      );
    }

    if (api.cors) {
      this.cors = new RestCors(this, 'cors', { cors: api.cors, restApiId: this.api.id, endpoints, resourceIdOf });
    }

    // Each handler behind the API may be invoked by this API only.
    for (const handlerName of [...new Set(endpoints.map((e) => e.handler))].sort()) {
      handlerOf(props, handlerName, 'restApi.endpoints[].handler').allowInvoke('rest-api', 'apigateway.amazonaws.com', `${this.api.executionArn}/*`);
    }

    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      triggers: { redeployment: deploymentHash(api, auth) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...this.methods.values(), ...integrations, ...Object.values(this.authorizers).filter((a) => a !== undefined), ...(this.cors?.parts ?? [])],
    });

    this.accessLog = new CloudwatchLogGroup(this, 'access-log', {
      name: names.restAccessLogGroupName(apiName, api.stage),
      retentionInDays: api.logRetentionDays,
    });
    // API Gateway writes execution logs (logging level ERROR) to this group; made
    // here so that it has a retention instead of being created without one.
    this.executionLog = new CloudwatchLogGroup(this, 'execution-log', {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${api.stage}`,
      retentionInDays: api.logRetentionDays,
    });

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName: api.stage,
      description: `cachestack: ${props.stackName}`,
      cacheClusterEnabled: api.cache !== undefined,
      cacheClusterSize: api.cache ? String(api.cache.sizeGb) : undefined,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLog.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [this.executionLog, ...(props.stageDependsOn ?? [])],
    });

    const encrypted = api.cache?.encrypted ?? true;
    const stageWide = new ApiGatewayMethodSettings(this, 'settings:all', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        ...observability(),
        ...throttling(api.throttling),
        cachingEnabled: false,
        cacheTtlInSeconds: 0,
        cacheDataEncrypted: encrypted,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: UNAUTHORIZED_STRATEGY.fail,
      },
    });
    this.methodSettings.set('*/*', stageWide);

    for (const e of endpoints) {
      const scope = this.node.findChild(constructIds.endpoint(e.method, e.path));
      const path = methodPath(e.path, e.method);
      this.methodSettings.set(
        path,
        new ApiGatewayMethodSettings(scope, 'settings', {
          restApiId: this.api.id,
          stageName: this.stage.stageName,
          methodPath: path,
          settings: endpointSettings(e, api, encrypted),
        }),
      );
    }
    // A preflight answer is never cached.
    for (const [path, method] of this.cors?.methods ?? []) {
      const at = methodPath(path, 'OPTIONS');
      this.methodSettings.set(
        at,
        new ApiGatewayMethodSettings(method.node.scope!, 'settings', {
          restApiId: this.api.id,
          stageName: this.stage.stageName,
          methodPath: at,
          settings: { ...observability(), cachingEnabled: false, cacheTtlInSeconds: 0, cacheDataEncrypted: encrypted, requireAuthorizationForCacheControl: true, unauthorizedCacheControlHeaderStrategy: UNAUTHORIZED_STRATEGY.fail },
        }),
      );
    }

    if (api.domain) {
      const d = api.domain;
      this.domainEdge = d.endpointType === 'EDGE';
      this.domainName = new ApiGatewayDomainName(this, 'domain', {
        domainName: d.name,
        endpointConfiguration: { types: [d.endpointType] },
        regionalCertificateArn: d.endpointType === 'REGIONAL' ? d.certificateArn : undefined,
        certificateArn: d.endpointType === 'EDGE' ? d.certificateArn : undefined,
        securityPolicy: 'TLS_1_2',
      });
      new ApiGatewayBasePathMapping(this, 'base-path', {
        apiId: this.api.id,
        stageName: this.stage.stageName,
        domainName: this.domainName.domainName,
        basePath: d.basePath,
      });
    }

    if (api.waf) {
      this.waf = new ApiWaf(this, 'waf', { waf: api.waf, resourceArn: this.stage.arn, webAclName: names.wafWebAclName('rest', api.name) });
    }
  }

  /** What a DNS record of `domain.name` points at: the regional or the edge domain name, and its hosted zone. */
  get domainTarget(): { name: string; zoneId: string } | undefined {
    if (!this.domainName) return undefined;
    return this.domainEdge
      ? { name: this.domainName.cloudfrontDomainName, zoneId: this.domainName.cloudfrontZoneId }
      : { name: this.domainName.regionalDomainName, zoneId: this.domainName.regionalZoneId };
  }

  /** The stage's invoke URL. */
  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  /** ARN of one method of the stage, as `execute-api:` actions name it (`.../<id>/<stage>/GET/users/*`). */
  methodArn(method: string, path: string): string {
    return `${this.api.executionArn}/${this.stageName}/${methodResourcePath(method, path)}`;
  }

  /**
   * The stage URL built from the API id rather than read from the stage, so a
   * function behind the API can hold it without a dependency cycle (the stage
   * waits for the deployment, which waits for the functions).
   */
  stageUrl(region: string, dnsSuffix: string): string {
    return `https://${this.api.id}.execute-api.${region}.${dnsSuffix}/${this.stageName}`;
  }
}

function observability(): ApiGatewayMethodSettingsSettings {
  return { metricsEnabled: true, loggingLevel: 'ERROR', dataTraceEnabled: false };
}

function throttling(t: Throttling | undefined): ApiGatewayMethodSettingsSettings {
  return t ? { throttlingBurstLimit: t.burstLimit, throttlingRateLimit: t.rateLimit } : {};
}

/** Every setting of one endpoint's method, written out. */
export function endpointSettings(e: Endpoint, api: RestApiModel, encrypted = api.cache?.encrypted ?? true): ApiGatewayMethodSettingsSettings {
  const cache = e.cache;
  return {
    ...observability(),
    ...throttling(e.throttling ?? api.throttling),
    cachingEnabled: cache !== undefined,
    cacheTtlInSeconds: cache ? cache.ttlSeconds : 0,
    cacheDataEncrypted: encrypted,
    requireAuthorizationForCacheControl: cache ? cache.requireAuthorization : true,
    unauthorizedCacheControlHeaderStrategy: UNAUTHORIZED_STRATEGY[cache ? cache.unauthorized : 'fail'],
  };
}

function handlerOf(props: RestApiProps, name: string, path: string): HandlerFunction {
  const fn = props.handlers.get(name);
  if (!fn) {
    throw new SynthesisError(`handler \`${name}\` does not exist; handlers are: ${[...props.handlers.keys()].join(', ') || '(none)'}`, path, props.stackName);
  }
  return fn;
}

function missingAuth(kind: 'cognito' | 'lambda', stackName: string): SynthesisError {
  return new SynthesisError(`an endpoint says \`auth: ${kind}\` but \`auth.${kind}\` is missing; add it or change the endpoint's auth`, `auth.${kind}`, stackName);
}
