/**
 * `restApi.accountLogsRole: true`: the account-level CloudWatch Logs role of API
 * Gateway. A stage with access logging (every stage cachestack writes) can be
 * created only once the account and region name a role API Gateway may assume
 * to write logs; this construct creates that role and sets it.
 *
 * Resources: aws_iam_role (trusting apigateway.amazonaws.com, with the AWS
 * managed policy AmazonAPIGatewayPushToCloudWatchLogs attached through
 * aws_iam_role_policy_attachment), aws_api_gateway_account.
 *
 * The setting is one per account and region, not per API: two stacks that both
 * say `true` in one account overwrite each other's role on every apply, and a
 * destroy of either leaves the account with a role that no longer exists
 * (provider 5.x keeps the setting on destroy; 6.x resets it, which breaks the
 * other stack's logging just the same). Let exactly one stack per account and
 * region own it (docs/config.md, `restApi.accountLogsRole`).
 */
import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ResourceNames } from './naming';
import { ServiceRole } from './service-role';

/** The AWS managed policy API Gateway documents for its logging role (in the stack's partition). */
export function pushToCloudWatchLogsPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`;
}

export interface ApiGatewayAccountRoleProps {
  names: ResourceNames;
  /** The stack's partition (a lookup reference). */
  partition: string;
  stackName: string;
}

export class ApiGatewayAccountRole extends Construct {
  readonly role: ServiceRole;
  readonly attachment: IamRolePolicyAttachment;
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountRoleProps) {
    super(scope, id);
    this.role = new ServiceRole(this, 'role', {
      name: props.names.apiGatewayAccountRoleName(),
      service: 'apigateway.amazonaws.com',
      description: `cachestack: API Gateway CloudWatch Logs role of the account, set by ${props.stackName}`,
      statements: [],
    });
    this.attachment = new IamRolePolicyAttachment(this, 'push-to-logs', {
      role: this.role.role.name,
      policyArn: pushToCloudWatchLogsPolicyArn(props.partition),
    });
    this.account = new ApiGatewayAccount(this, 'account', {
      cloudwatchRoleArn: this.role.arn,
      // The role is usable only with its policy attached.
      dependsOn: [this.attachment],
    });
  }
}
