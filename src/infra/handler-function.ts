/**
 * One handler: a Lambda function built from its packaged zip, its own log group,
 * a role that may do exactly what its connections need, and the `live` alias that
 * API Gateway, AppSync and the warmer invoke (with provisioned concurrency on it
 * when asked).
 *
 * Resources: aws_cloudwatch_log_group, aws_iam_role (+ aws_iam_role_policy and
 * two aws_iam_policy_document data sources), aws_lambda_function, aws_lambda_alias,
 * aws_lambda_provisioned_concurrency_config (provisionedConcurrency > 0),
 * aws_lambda_permission (one per caller that asks through `allowInvoke`).
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { encodeHandlerEnvironment, type HandlerSettings } from '../../handlers/runtime/contract';
import { accessSecretArns, accessStatements, DAX_CLIENT_ACTIONS, LOGS_ACTIONS, SECRET_ACTIONS, VPC_ENI_ACTIONS, XRAY_ACTIONS, type ArnContext } from '../config/access';
import { lambdaHandlerString } from '../config/constants';
import type { Handler, RedisKey } from '../config/model';
import { assetFilename, type HandlerAsset } from './assets';
import type { ResourceNames } from './naming';
import { ServiceRole, type PolicyStatement } from './service-role';

/** The alias every caller invokes. */
export const LIVE_ALIAS = 'live';

// The action lists of the role live with the access lists (pure, so explain reads them too).
export { DAX_CLIENT_ACTIONS, VPC_ENI_ACTIONS, XRAY_ACTIONS } from '../config/access';

/** A Redis cache as one of its clients sees it. */
export interface RedisEndpoint {
  name: string;
  /** Primary endpoint, or the configuration endpoint in cluster mode. */
  host: string;
  /** Reader endpoint; none in cluster mode. */
  readerHost?: string;
  port: number;
  tls: boolean;
  clusterMode: boolean;
  /** The secret as written in the YAML (what the runtime kit asks Secrets Manager for). */
  authSecretArn?: string;
  /** The same secret's full ARN (what IAM matches). */
  authSecretIamArn?: string;
  keys: RedisKey[];
}

/** A DAX cluster as one of its clients sees it. */
export interface DaxEndpoint {
  name: string;
  /** `daxs://<cluster address>:9111` with TLS, `dax://<cluster address>:8111` without. */
  endpoint: string;
  arn: string;
}

export interface HandlerFunctionProps {
  handler: Handler;
  service: string;
  /** @default undefined: the file has no environments */
  environment?: string;
  names: ResourceNames;
  asset: HandlerAsset;
  /** Subnets and the function's own security group. @default the function runs outside any VPC */
  vpc?: { subnetIds: string[]; securityGroupId: string };
  /** The cache named in `connections.redis`. @default no Redis variables, no secret grant */
  redis?: RedisEndpoint;
  /** The cluster named in `connections.dax`. @default no DAX variables, no DAX grant */
  dax?: DaxEndpoint;
  /** Full ARN of `connections.postgres.secret`. @default no Secrets Manager grant for Postgres */
  postgresSecretIamArn?: string;
  /**
   * Where the names of `access` become ARNs (partition, region, account) and
   * partial secret ARNs become full ones. Read only for what `access` names, so a
   * handler without `access` adds no lookup. @default names cannot be resolved; a handler with `access` needs it
   */
  arnContext?: ArnContext;
  /**
   * The REST API stage of the endpoints in `invalidates`: the role may
   * `execute-api:InvalidateCache` on exactly `methodArns`, and the function gets
   * the stage URL. Values may be Terraform references.
   * @default no invalidation grant, no stage variables
   */
  invalidation?: { stageUrl: string; region: string; methodArns: string[] };
}

export class HandlerFunction extends Construct {
  readonly handler: Handler;
  readonly functionName: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: ServiceRole;
  readonly function: LambdaFunction;
  readonly alias: LambdaAlias;
  readonly provisionedConcurrency?: LambdaProvisionedConcurrencyConfig;
  /** The variables the function gets, before Terraform resolves references. */
  readonly environmentVariables: Record<string, string>;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const h = props.handler;
    this.handler = h;
    this.functionName = props.names.functionName(h.name);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.names.functionLogGroupName(this.functionName),
      retentionInDays: h.logRetentionDays,
    });

    const statements: PolicyStatement[] = [
      { sid: 'Logs', actions: [...LOGS_ACTIONS], resources: [`${this.logGroup.arn}:*`] },
      { sid: 'XRay', actions: [...XRAY_ACTIONS], resources: ['*'] },
    ];
    if (props.vpc) statements.push({ sid: 'VpcNetworkInterfaces', actions: [...VPC_ENI_ACTIONS], resources: ['*'] });
    if (props.dax) statements.push({ sid: 'Dax', actions: [...DAX_CLIENT_ACTIONS], resources: [props.dax.arn] });
    const hasAccess = Object.values(h.access).some((list) => list.length > 0);
    if (hasAccess && !props.arnContext) throw new Error(`handler ${h.name} has \`access\` but no arnContext to name its resources`);
    const accessSecrets = hasAccess ? accessSecretArns(h.access, props.arnContext!) : [];
    const secrets = [...new Set([props.redis?.authSecretIamArn, props.postgresSecretIamArn, ...accessSecrets].filter((s): s is string => s !== undefined))];
    if (secrets.length > 0) statements.push({ sid: 'Secrets', actions: [...SECRET_ACTIONS], resources: secrets });
    // What the handler's own code reaches: the same one policy document, after the statements its connections need.
    if (hasAccess) statements.push(...accessStatements(h.access, props.arnContext!));
    if (props.invalidation) statements.push({ sid: 'InvalidateCache', actions: ['execute-api:InvalidateCache'], resources: props.invalidation.methodArns });
    this.role = new ServiceRole(this, 'role', {
      name: props.names.handlerRoleName(h.name),
      service: 'lambda.amazonaws.com',
      description: `cachestack: function ${this.functionName}`,
      statements,
    });

    this.environmentVariables = handlerEnvironment(props);

    this.function = new LambdaFunction(this, 'function', {
      functionName: this.functionName,
      role: this.role.arn,
      filename: assetFilename(props.asset),
      sourceCodeHash: props.asset.sha256,
      handler: lambdaHandlerString(h.entry, h.export),
      runtime: h.runtime,
      architectures: [h.architecture],
      memorySize: h.memoryMb,
      timeout: h.timeoutSeconds,
      reservedConcurrentExecutions: h.reservedConcurrency,
      publish: true,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      environment: { variables: this.environmentVariables },
      vpcConfig: props.vpc ? { subnetIds: props.vpc.subnetIds, securityGroupIds: [props.vpc.securityGroupId] } : undefined,
      // The log group must exist before the first log line, and a VPC function is
      // created only once its role may create network interfaces.
      dependsOn: [this.logGroup, ...(this.role.policy ? [this.role.policy] : [])],
    });

    this.alias = new LambdaAlias(this, 'alias', {
      name: LIVE_ALIAS,
      description: `published version behind ${this.functionName}`,
      functionName: this.function.functionName,
      functionVersion: this.function.version,
    });

    if (h.provisionedConcurrency > 0) {
      this.provisionedConcurrency = new LambdaProvisionedConcurrencyConfig(this, 'provisioned-concurrency', {
        functionName: this.function.functionName,
        qualifier: this.alias.name,
        provisionedConcurrentExecutions: h.provisionedConcurrency,
      });
    }
  }

  /** ARN of the `live` alias. */
  get aliasArn(): string {
    return this.alias.arn;
  }

  /** The API Gateway integration URI of the `live` alias. */
  get aliasInvokeArn(): string {
    return this.alias.invokeArn;
  }

  /**
   * Let `principal` invoke the `live` alias, only from `sourceArn`.
   * @param id statement id, unique among this function's callers (`[A-Za-z0-9_-]`).
   */
  allowInvoke(id: string, principal: string, sourceArn: string): LambdaPermission {
    return new LambdaPermission(this, `permission:${id}`, {
      statementId: id,
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      qualifier: this.alias.name,
      principal,
      sourceArn,
    });
  }
}

/**
 * The function's variables: its own `environment`, then exactly what
 * `encodeHandlerEnvironment` writes (names under `CACHESTACK_`, which the rules
 * reserve), sorted by name.
 */
export function handlerEnvironment(props: HandlerFunctionProps): Record<string, string> {
  const h = props.handler;
  const c = h.connections;
  const settings: HandlerSettings = {
    service: props.service,
    environment: props.environment,
    handler: h.name,
    http: { ...c.http },
    retries: { ...c.retries },
  };
  if (c.redis && props.redis) {
    settings.redis = {
      cache: props.redis.name,
      host: props.redis.host,
      readerHost: props.redis.readerHost,
      port: props.redis.port,
      tls: props.redis.tls,
      clusterMode: props.redis.clusterMode,
      authSecretArn: props.redis.authSecretArn,
      poolSize: c.redis.poolSize,
      commandTimeoutMs: c.redis.commandTimeoutMs,
      connectTimeoutMs: c.redis.connectTimeoutMs,
      keys: props.redis.keys.map((k) => ({ name: k.name, pattern: k.pattern, ttlSeconds: k.ttlSeconds })),
    };
  }
  if (c.dax && props.dax) {
    settings.dax = { cluster: props.dax.name, endpoint: props.dax.endpoint, requestTimeoutMs: c.dax.requestTimeoutMs };
  }
  if (c.postgres) {
    settings.postgres = {
      secretArn: c.postgres.secret,
      min: c.postgres.min,
      max: c.postgres.max,
      idleTimeoutMs: c.postgres.idleTimeoutMs,
      connectionTimeoutMs: c.postgres.connectionTimeoutMs,
      statementTimeoutMs: c.postgres.statementTimeoutMs,
    };
  }
  if (props.invalidation) settings.restApi = { stageUrl: props.invalidation.stageUrl, region: props.invalidation.region };
  const merged = { ...h.environment, ...encodeHandlerEnvironment(settings) };
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
