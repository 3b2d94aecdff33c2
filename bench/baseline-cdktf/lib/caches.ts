/**
 * The two caches of the service: a Valkey replication group (ElastiCache) and a
 * DAX cluster in front of the Items table, each with its subnet group, parameter
 * group and security group; `allowFrom` opens them to one Lambda handler.
 */
import { Construct } from 'constructs';
import {
  cloudwatchLogGroup,
  daxCluster,
  daxParameterGroup,
  daxSubnetGroup,
  dataAwsCallerIdentity,
  dataAwsIamPolicyDocument,
  dataAwsPartition,
  elasticacheParameterGroup,
  elasticacheReplicationGroup,
  elasticacheSubnetGroup,
  iamRole,
  iamRolePolicy,
  securityGroup,
  vpcSecurityGroupIngressRule,
} from '@cdktf/provider-aws';
import type { LambdaHandler } from './lambda-handler';

interface Network {
  vpcId: string;
  subnetIds: string[];
}

export interface ValkeyCacheProps {
  name: string;
  nodeType: string;
  replicas: number;
  network: Network;
}

export class ValkeyCache extends Construct {
  static readonly PORT = 6379;
  readonly group: elasticacheReplicationGroup.ElasticacheReplicationGroup;
  readonly securityGroup: securityGroup.SecurityGroup;

  constructor(scope: Construct, id: string, props: ValkeyCacheProps) {
    super(scope, id);
    this.securityGroup = new securityGroup.SecurityGroup(this, 'sg', {
      name: `${props.name}-valkey`,
      description: `Valkey ${props.name}`,
      vpcId: props.network.vpcId,
    });
    const subnets = new elasticacheSubnetGroup.ElasticacheSubnetGroup(this, 'subnets', {
      name: props.name,
      description: `Valkey ${props.name}`,
      subnetIds: props.network.subnetIds,
    });
    const params = new elasticacheParameterGroup.ElasticacheParameterGroup(this, 'params', {
      name: `${props.name}-valkey8`,
      family: 'valkey8',
      parameter: [{ name: 'maxmemory-policy', value: 'volatile-lru' }],
      lifecycle: { createBeforeDestroy: true },
    });
    const slowLog = new cloudwatchLogGroup.CloudwatchLogGroup(this, 'slow-log', {
      name: `/aws/elasticache/${props.name}/slow-log`,
      retentionInDays: 30,
    });
    this.group = new elasticacheReplicationGroup.ElasticacheReplicationGroup(this, 'group', {
      replicationGroupId: props.name,
      description: `Valkey ${props.name}`,
      engine: 'valkey',
      engineVersion: '8.0',
      nodeType: props.nodeType,
      port: ValkeyCache.PORT,
      numNodeGroups: 1,
      replicasPerNodeGroup: props.replicas,
      automaticFailoverEnabled: props.replicas > 0,
      multiAzEnabled: props.replicas > 0,
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      subnetGroupName: subnets.name,
      parameterGroupName: params.name,
      securityGroupIds: [this.securityGroup.id],
      snapshotRetentionLimit: 1,
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType: 'slow-log' }],
    });
  }

  allowFrom(handler: LambdaHandler, label: string): void {
    if (!handler.securityGroup) return;
    new vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(this, `from-${label}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: handler.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: ValkeyCache.PORT,
      toPort: ValkeyCache.PORT,
    });
    handler.allowTo(this.securityGroup, ValkeyCache.PORT, 'valkey');
  }
}

export interface DaxProps {
  name: string;
  nodeType: string;
  replicationFactor: number;
  tables: string[];
  region: string;
  network: Network;
}

export class Dax extends Construct {
  static readonly PORT = 9111;
  readonly cluster: daxCluster.DaxCluster;
  readonly securityGroup: securityGroup.SecurityGroup;

  constructor(scope: Construct, id: string, props: DaxProps) {
    super(scope, id);
    const account = new dataAwsCallerIdentity.DataAwsCallerIdentity(this, 'account');
    const partition = new dataAwsPartition.DataAwsPartition(this, 'partition');
    const tableArns = props.tables.map((t) => `arn:${partition.partition}:dynamodb:${props.region}:${account.accountId}:table/${t}`);

    const trust = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['dax.amazonaws.com'] }] }],
    });
    const role = new iamRole.IamRole(this, 'role', { name: `${props.name}-dax`, assumeRolePolicy: trust.json });
    const access = new dataAwsIamPolicyDocument.DataAwsIamPolicyDocument(this, 'access', {
      statement: [
        {
          actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'],
          resources: tableArns,
        },
        { actions: ['dynamodb:Query', 'dynamodb:Scan'], resources: tableArns.map((a) => `${a}/index/*`) },
      ],
    });
    const policy = new iamRolePolicy.IamRolePolicy(this, 'policy', { role: role.id, policy: access.json });

    this.securityGroup = new securityGroup.SecurityGroup(this, 'sg', {
      name: `${props.name}-dax`,
      description: `DAX ${props.name}`,
      vpcId: props.network.vpcId,
    });
    const subnets = new daxSubnetGroup.DaxSubnetGroup(this, 'subnets', { name: props.name, subnetIds: props.network.subnetIds });
    const params = new daxParameterGroup.DaxParameterGroup(this, 'params', {
      name: props.name,
      parameters: [
        { name: 'query-ttl-millis', value: '300000' },
        { name: 'record-ttl-millis', value: '300000' },
      ],
    });
    this.cluster = new daxCluster.DaxCluster(this, 'cluster', {
      clusterName: props.name,
      nodeType: props.nodeType,
      replicationFactor: props.replicationFactor,
      iamRoleArn: role.arn,
      subnetGroupName: subnets.name,
      parameterGroupName: params.name,
      securityGroupIds: [this.securityGroup.id],
      serverSideEncryption: { enabled: true },
      clusterEndpointEncryptionType: 'TLS',
      dependsOn: [policy],
    });
  }

  get endpoint(): string {
    return `daxs://${this.cluster.clusterAddress}:${Dax.PORT}`;
  }

  allowFrom(handler: LambdaHandler, label: string): void {
    if (!handler.securityGroup) return;
    new vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(this, `from-${label}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: handler.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: Dax.PORT,
      toPort: Dax.PORT,
    });
    handler.allowTo(this.securityGroup, Dax.PORT, 'dax');
  }
}
