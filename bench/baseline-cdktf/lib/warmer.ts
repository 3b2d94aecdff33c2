/**
 * Keeps a few handlers warm: an EventBridge schedule invokes a small function
 * that pings each of them.
 */
import { Construct } from 'constructs';
import type { TerraformAsset } from 'cdktf';
import { cloudwatchEventRule, cloudwatchEventTarget, lambdaPermission } from '@cdktf/provider-aws';
import { LambdaHandler } from './lambda-handler';

export interface WarmerProps {
  name: string;
  code: TerraformAsset;
  schedule: string;
  concurrency: number;
  targets: LambdaHandler[];
}

export class Warmer extends Construct {
  constructor(scope: Construct, id: string, props: WarmerProps) {
    super(scope, id);
    const pinger = new LambdaHandler(this, 'pinger', {
      functionName: props.name,
      code: props.code,
      memoryMb: 256,
      timeoutSeconds: 30,
      live: false,
      statements: [{ actions: ['lambda:InvokeFunction'], resources: props.targets.map((t) => t.alias.arn) }],
    });
    const rule = new cloudwatchEventRule.CloudwatchEventRule(this, 'schedule', {
      name: props.name,
      scheduleExpression: props.schedule,
    });
    new cloudwatchEventTarget.CloudwatchEventTarget(this, 'target', {
      rule: rule.name,
      arn: pinger.fn.arn,
      input: JSON.stringify({ concurrency: props.concurrency, targets: props.targets.map((t) => t.alias.arn) }),
    });
    new lambdaPermission.LambdaPermission(this, 'invoke', {
      statementId: 'AllowEventBridge',
      action: 'lambda:InvokeFunction',
      functionName: pinger.fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    });
  }
}
