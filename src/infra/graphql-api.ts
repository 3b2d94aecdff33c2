/**
 * One AppSync GraphQL API: the schema from the SDL file, its authorization,
 * logging (role + log group with retention) and X-Ray, the API cache, one Lambda
 * data source per handler the resolvers name, and one resolver per field.
 *
 * Resolvers are direct Lambda resolvers (a resolver with `evicts` is the one
 * exception: an APPSYNC_JS resolver around the same data source, see
 * appsync-eviction.ts): UNIT resolvers on a Lambda data source
 * with no mapping template and no APPSYNC_JS code, so AppSync passes the whole
 * context (arguments, identity, source, request headers) to the handler and
 * returns its result as the field's value. Nothing to template means nothing to
 * get wrong between the YAML and the handler, and the resolver cache still
 * applies (`caching_config`).
 *
 * Resources: aws_appsync_graphql_api, aws_appsync_api_key (auth api-key),
 * aws_iam_role for logging and for the data sources (+ policies),
 * aws_cloudwatch_log_group `/aws/appsync/apis/<id>`, aws_appsync_api_cache (when
 * `cache`), aws_appsync_datasource (per handler), aws_appsync_resolver (per
 * resolver), aws_lambda_permission (Lambda authorizer).
 */
import { Construct } from 'constructs';
import { AppsyncApiCache } from '@cdktf/provider-aws/lib/appsync-api-cache';
import { AppsyncApiKey } from '@cdktf/provider-aws/lib/appsync-api-key';
import { AppsyncDatasource } from '@cdktf/provider-aws/lib/appsync-datasource';
import { AppsyncGraphqlApi, type AppsyncGraphqlApiConfig } from '@cdktf/provider-aws/lib/appsync-graphql-api';
import { AppsyncResolver } from '@cdktf/provider-aws/lib/appsync-resolver';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AppsyncCacheBehavior, Auth, GraphqlApi as GraphqlApiModel, GraphqlAuth, Resolver } from '../config/model';
import { APPSYNC_JS_RUNTIME, evictingResolverCode, evictionPlans } from './appsync-eviction';
import { ApiWaf } from './waf';
import { SynthesisError } from './errors';
import type { HandlerFunction } from './handler-function';
import { constructIds, type ResourceNames } from './naming';
import { ServiceRole } from './service-role';

/** `auth` of the API → `authentication_type`. */
export const GRAPHQL_AUTHENTICATION_TYPE: Record<GraphqlAuth, string> = {
  'api-key': 'API_KEY',
  iam: 'AWS_IAM',
  cognito: 'AMAZON_COGNITO_USER_POOLS',
  oidc: 'OPENID_CONNECT',
  lambda: 'AWS_LAMBDA',
};

/** `cache.behavior` → `api_caching_behavior`. */
export const CACHING_BEHAVIOR: Record<AppsyncCacheBehavior, string> = {
  'per-resolver': 'PER_RESOLVER_CACHING',
  'full-request': 'FULL_REQUEST_CACHING',
  'operation-level': 'OPERATION_LEVEL_CACHING',
};

/** Resolvers ordered by field: the order of everything synthesized from them. */
export function sortedResolvers(resolvers: readonly Resolver[]): Resolver[] {
  return [...resolvers].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** `arn:aws:cognito-idp:<region>:<account>:userpool/<id>` → its region and id. */
export function userPoolOf(arn: string): { region: string; id: string } {
  return { region: arn.split(':')[3], id: arn.slice(arn.indexOf('userpool/') + 'userpool/'.length) };
}

export interface GraphqlApiProps {
  api: GraphqlApiModel;
  auth: Auth;
  names: ResourceNames;
  /** Every handler of the stack, by name. */
  handlers: ReadonlyMap<string, HandlerFunction>;
  stackName: string;
}

export class GraphqlApi extends Construct {
  readonly api: AppsyncGraphqlApi;
  readonly apiKey?: AppsyncApiKey;
  readonly logRole: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly cache?: AppsyncApiCache;
  readonly dataSourceRole?: ServiceRole;
  readonly dataSources = new Map<string, AppsyncDatasource>();
  readonly resolvers = new Map<string, AppsyncResolver>();
  readonly waf?: ApiWaf;

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);
    const { api, auth, names } = props;

    this.logRole = new ServiceRole(this, 'log-role', {
      name: names.graphqlLogRoleName(api.name),
      service: 'appsync.amazonaws.com',
      description: `cachestack: logs of graphql api ${api.name} of ${props.stackName}`,
      statements: [],
    });

    const config: AppsyncGraphqlApiConfig = {
      name: names.graphqlApiName(api.name),
      authenticationType: GRAPHQL_AUTHENTICATION_TYPE[api.auth],
      schema: api.schemaSdl,
      xrayEnabled: true,
      logConfig: {
        cloudwatchLogsRoleArn: this.logRole.arn,
        fieldLogLevel: api.fieldLogLevel,
        // Verbose content holds request headers (tokens) and resolver payloads.
        excludeVerboseContent: true,
      },
    };
    let authorizer: HandlerFunction | undefined;
    switch (api.auth) {
      case 'cognito': {
        if (!auth.cognito) throw missingAuth('cognito', props.stackName);
        const pool = userPoolOf(auth.cognito.userPoolArn);
        this.api = new AppsyncGraphqlApi(this, 'api', { ...config, userPoolConfig: { userPoolId: pool.id, awsRegion: pool.region, defaultAction: 'ALLOW' } });
        break;
      }
      case 'oidc': {
        if (!auth.oidc) throw missingAuth('oidc', props.stackName);
        this.api = new AppsyncGraphqlApi(this, 'api', {
          ...config,
          openidConnectConfig: {
            issuer: auth.oidc.issuer,
            clientId: auth.oidc.clientId,
            // AppSync counts this in milliseconds.
            authTtl: auth.oidc.authTtlSeconds > 0 ? auth.oidc.authTtlSeconds * 1000 : undefined,
          },
        });
        break;
      }
      case 'lambda': {
        if (!auth.lambda) throw missingAuth('lambda', props.stackName);
        authorizer = handlerOf(props, auth.lambda.handler, 'auth.lambda.handler');
        this.api = new AppsyncGraphqlApi(this, 'api', {
          ...config,
          lambdaAuthorizerConfig: { authorizerUri: authorizer.aliasArn, authorizerResultTtlInSeconds: auth.lambda.resultTtlSeconds },
        });
        break;
      }
      default:
        this.api = new AppsyncGraphqlApi(this, 'api', config);
    }
    if (authorizer) authorizer.allowInvoke('graphql-authorizer', 'appsync.amazonaws.com', this.api.arn);

    if (api.auth === 'api-key') {
      if (!auth.apiKey) throw missingAuth('apiKey', props.stackName);
      this.apiKey = new AppsyncApiKey(this, 'api-key', {
        apiId: this.api.id,
        description: auth.apiKey.description,
        expires: `${auth.apiKey.expires}T00:00:00Z`,
      });
    }

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/appsync/apis/${this.api.id}`,
      retentionInDays: api.logRetentionDays,
    });
    this.logRole.allow([
      { sid: 'Logs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.arn, `${this.logGroup.arn}:*`] },
    ]);

    if (api.cache) {
      this.cache = new AppsyncApiCache(this, 'cache', {
        apiId: this.api.id,
        apiCachingBehavior: CACHING_BEHAVIOR[api.cache.behavior],
        type: api.cache.type,
        ttl: api.cache.ttlSeconds,
        atRestEncryptionEnabled: api.cache.encryption.atRest,
        transitEncryptionEnabled: api.cache.encryption.transit,
      });
    }

    const resolvers = sortedResolvers(api.resolvers);
    const handlerNames = [...new Set(resolvers.map((r) => r.handler))].sort();
    if (handlerNames.length > 0) {
      const role = new ServiceRole(this, 'datasource-role', {
        name: names.graphqlDataSourceRoleName(api.name),
        service: 'appsync.amazonaws.com',
        description: `cachestack: lambda data sources of graphql api ${api.name} of ${props.stackName}`,
          statements: [
          { sid: 'InvokeResolvers', actions: ['lambda:InvokeFunction'], resources: handlerNames.map((h) => handlerOf(props, h, 'graphqlApi.resolvers[].handler').aliasArn) },
        ],
      });
      this.dataSourceRole = role;
      for (const h of handlerNames) {
        this.dataSources.set(
          h,
          new AppsyncDatasource(this, constructIds.dataSource(h), {
            apiId: this.api.id,
            name: names.graphqlDataSourceName(h),
            description: `handler ${h}`,
            type: 'AWS_LAMBDA',
            serviceRoleArn: role.arn,
            lambdaConfig: { functionArn: handlerOf(props, h, 'graphqlApi.resolvers[].handler').aliasArn },
            // AppSync checks the role when the data source is created.
            dependsOn: role.policy ? [role.policy] : [],
          }),
        );
      }
    }

    const perResolver = api.cache?.behavior === 'per-resolver';
    for (const r of resolvers) {
      const cached = perResolver && r.cache !== undefined;
      // `evicts`: an APPSYNC_JS resolver around the same data source (see appsync-eviction.ts).
      const evicting = r.evicts.length > 0 ? { runtime: { ...APPSYNC_JS_RUNTIME }, code: evictingResolverCode(r.field, evictionPlans(r, api.resolvers)) } : {};
      this.resolvers.set(
        r.field,
        new AppsyncResolver(this, constructIds.resolver(r.field), {
          apiId: this.api.id,
          type: r.typeName,
          field: r.fieldName,
          kind: 'UNIT',
          ...evicting,
          dataSource: this.dataSources.get(r.handler)!.name,
          cachingConfig: cached ? { ttl: r.cache!.ttlSeconds, cachingKeys: r.cache!.keys } : undefined,
          // A resolver cache needs the API cache to exist.
          dependsOn: cached && this.cache ? [this.cache] : undefined,
        }),
      );
    }

    if (api.waf) {
      this.waf = new ApiWaf(this, 'waf', { waf: api.waf, resourceArn: this.api.arn, webAclName: names.wafWebAclName('graphql', api.name) });
    }
  }

  /** The GraphQL endpoint URL. */
  get url(): string {
    return this.api.uris.lookup('GRAPHQL');
  }
}

function handlerOf(props: GraphqlApiProps, name: string, path: string): HandlerFunction {
  const fn = props.handlers.get(name);
  if (!fn) {
    throw new SynthesisError(`handler \`${name}\` does not exist; handlers are: ${[...props.handlers.keys()].join(', ') || '(none)'}`, path, props.stackName);
  }
  return fn;
}

function missingAuth(kind: 'cognito' | 'oidc' | 'lambda' | 'apiKey', stackName: string): SynthesisError {
  const said = kind === 'apiKey' ? 'api-key' : kind;
  return new SynthesisError(`graphqlApi.auth is \`${said}\` but \`auth.${kind}\` is missing; add it or change graphqlApi.auth`, `auth.${kind}`, stackName);
}
