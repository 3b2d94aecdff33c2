/**
 * A Lambda function the way the team deploys them: its own log group and role,
 * a security group in the service VPC, X-Ray, a published version behind a `live`
 * alias (with provisioned concurrency when asked).
 */
import { Construct } from 'constructs';
import { TerraformAsset } from 'cdktf';
import {
  cloudwatchLogGroup,
  dataAwsIamPolicyDocument,
  iamRole,
  iamRolePolicy,
  lambdaAlias,
  lambdaFunction,
  lambdaProvisionedConcurrencyConfig,
  securityGroup,
  vpcSecurityGroupEgressRule,
} from '@cdktf/provider-aws';

export interface LambdaHandlerProps {
  functionName: string;
  code: TerraformAsset;
  memoryMb: number;
  timeoutSeconds: number;
  provisionedConcurrency?: number;
  /** Publish versions behind a `live` alias (default true). */
  live?: boolean;
  environment?: Record<string, string>;
  /** Statements added to the role next to logging and tracing. */
  statements?: dataAwsIamPolicyDocument.DataAwsIamPolicyDocumentStatement[];
  vpc?: { vpcId: string; subnetIds: string[] };
}

export class LambdaHandler extends Construct {
  readonly fn: lambdaFunction.LambdaFunction;
  private readonly liveAlias?: lambdaAlias.LambdaAlias;
  readonly role: iamRole.IamRole;
  readonly logGroup: cloudwatchLogGroup.CloudwatchLogGroup;
  readonly securityGroup?: securityGroup.SecurityGroup;

  constructor(scope: Construct, id: string, props: LambdaHandlerProps) {
    super(scope, id);

    this.logGroup = new cloudwatchLogGroup.CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: 30,
    });

    const trust = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }],
    });
    this.role = new iamRole.IamRole(this, 'role', { name: `${props.functionName}-role`, assumeRolePolicy: trust.json });

    const statements: dataAwsIamPolicyDocument.DataAwsIamPolicyDocumentStatement[] = [
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
      { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
    ];
    if (props.vpc) {
      statements.push({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      });
    }
    statements.push(...(props.statements ?? []));
    const permissions = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(this, 'permissions', { statement: statements });
    const policy = new iamRolePolicy.IamRolePolicy(this, 'policy', { role: this.role.id, policy: permissions.json });

    if (props.vpc) {
      this.securityGroup = new securityGroup.SecurityGroup(this, 'sg', {
        name: `${props.functionName}-lambda`,
        description: `Lambda ${props.functionName}`,
        vpcId: props.vpc.vpcId,
      });
      new vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(this, 'https-out', {
        securityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
    }

    this.fn = new lambdaFunction.LambdaFunction(this, 'fn', {
      functionName: props.functionName,
      filename: props.code.path,
      sourceCodeHash: props.code.assetHash,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      role: this.role.arn,
      publish: props.live !== false,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      environment: props.environment ? { variables: props.environment } : undefined,
      vpcConfig: props.vpc && this.securityGroup ? { subnetIds: props.vpc.subnetIds, securityGroupIds: [this.securityGroup.id] } : undefined,
      dependsOn: [this.logGroup, policy],
    });

    if (props.live === false) return;
    this.liveAlias = new lambdaAlias.LambdaAlias(this, 'live', {
      name: 'live',
      functionName: this.fn.functionName,
      functionVersion: this.fn.version,
    });

    if (props.provisionedConcurrency && props.provisionedConcurrency > 0) {
      new lambdaProvisionedConcurrencyConfig.LambdaProvisionedConcurrencyConfig(this, 'provisioned', {
        functionName: this.fn.functionName,
        qualifier: this.alias.name,
        provisionedConcurrentExecutions: props.provisionedConcurrency,
      });
    }
  }

  get alias(): lambdaAlias.LambdaAlias {
    if (!this.liveAlias) throw new Error(`${this.node.path} has no live alias`);
    return this.liveAlias;
  }

  /** Lets this function reach `target` on `port` (the target adds its ingress). */
  allowTo(target: securityGroup.SecurityGroup, port: number, label: string): void {
    if (!this.securityGroup) return;
    new vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(this, `to-${label}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: target.id,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
    });
  }
}
