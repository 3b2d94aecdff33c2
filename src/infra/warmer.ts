/**
 * The warmer: one function that EventBridge invokes on `warmer.schedule` with a
 * `WarmerInput` naming the `live` alias of every `warm: true` handler; it pings
 * each of them `warmer.concurrency` times at once (handlers/warmer).
 *
 * Resources: aws_cloudwatch_log_group, aws_iam_role (+ policy: its own log group,
 * X-Ray, and `lambda:InvokeFunction` on exactly the warm handlers' aliases),
 * aws_lambda_function, aws_cloudwatch_event_rule, aws_cloudwatch_event_target,
 * aws_lambda_permission (the rule as source ARN).
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { encodeHandlerEnvironment, type WarmerInput } from '../../handlers/runtime/contract';
import type { Architecture, LambdaRuntime, Warmer as WarmerModel } from '../config/model';
import { DEFAULT_RUNTIME } from '../config/constants';
import { assetFilename, type HandlerAsset } from './assets';
import { XRAY_ACTIONS, type HandlerFunction } from './handler-function';
import type { ResourceNames } from './naming';
import { ServiceRole } from './service-role';

export interface WarmerProps {
  warmer: WarmerModel;
  /** The `warm: true` handlers. */
  targets: HandlerFunction[];
  asset: HandlerAsset;
  names: ResourceNames;
  service: string;
  /** @default undefined: the file has no environments */
  environment?: string;
  stackName: string;
  /** Runtime of the warmer function. @default the config language's default runtime (nodejs22.x) */
  runtime?: LambdaRuntime;
  /** @default arm64 */
  architecture?: Architecture;
  /** Memory in MB; pings are small, but many of them overlap. @default 256 */
  memoryMb?: number;
  /** Days CloudWatch keeps the warmer's log. @default 30 */
  logRetentionDays?: number;
}

/** The EventBridge input of a warmer run: targets sorted by handler name. */
export function warmerInput(targets: readonly HandlerFunction[], concurrency: number): WarmerInput {
  return {
    targets: [...targets]
      .sort((a, b) => (a.handler.name < b.handler.name ? -1 : a.handler.name > b.handler.name ? 1 : 0))
      .map((t) => ({ name: t.handler.name, functionArn: t.aliasArn })),
    concurrency,
  };
}

export class Warmer extends Construct {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly permission: LambdaPermission;

  constructor(scope: Construct, id: string, props: WarmerProps) {
    super(scope, id);
    const functionName = props.names.warmerFunctionName();
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.names.functionLogGroupName(functionName),
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.role = new ServiceRole(this, 'role', {
      name: props.names.warmerRoleName(),
      service: 'lambda.amazonaws.com',
      description: `cachestack: warmer of ${props.stackName}`,
      statements: [
        { sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
        { sid: 'XRay', actions: [...XRAY_ACTIONS], resources: ['*'] },
        { sid: 'PingWarmHandlers', actions: ['lambda:InvokeFunction'], resources: [...props.targets].sort((a, b) => (a.handler.name < b.handler.name ? -1 : 1)).map((t) => t.aliasArn) },
      ],
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: `cachestack: keeps the warm handlers of ${props.stackName} warm`,
      role: this.role.arn,
      filename: assetFilename(props.asset),
      sourceCodeHash: props.asset.sha256,
      handler: 'index.handler',
      runtime: props.runtime ?? DEFAULT_RUNTIME,
      architectures: [props.architecture ?? 'arm64'],
      memorySize: props.memoryMb ?? 256,
      timeout: props.warmer.timeoutSeconds,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      environment: {
        variables: encodeHandlerEnvironment({
          service: props.service,
          environment: props.environment,
          handler: 'warmer',
          http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000 },
          retries: { maxAttempts: 1, mode: 'standard' },
        }),
      },
      dependsOn: [this.logGroup, ...(this.role.policy ? [this.role.policy] : [])],
    });
    this.rule = new CloudwatchEventRule(this, 'schedule', {
      name: props.names.warmerRuleName(),
      description: `cachestack: warmer schedule of ${props.stackName}`,
      scheduleExpression: props.warmer.schedule,
      state: 'ENABLED',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'warmer',
      arn: this.function.arn,
      input: JSON.stringify(warmerInput(props.targets, props.warmer.concurrency)),
    });
    this.permission = new LambdaPermission(this, 'permission', {
      statementId: 'warmer-schedule',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
  }
}
