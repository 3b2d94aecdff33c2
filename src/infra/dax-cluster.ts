/**
 * One DAX cluster in the VPC's subnets, behind the security group `Network` made
 * for it, with a role that reaches exactly the listed DynamoDB tables.
 *
 * Resources: aws_dax_subnet_group, aws_dax_parameter_group, aws_iam_role (+ policy,
 * assumed by dax.amazonaws.com), aws_dax_cluster.
 */
import { Construct } from 'constructs';
import { DaxCluster as DaxClusterResource } from '@cdktf/provider-aws/lib/dax-cluster';
import { DaxParameterGroup } from '@cdktf/provider-aws/lib/dax-parameter-group';
import { DaxSubnetGroup } from '@cdktf/provider-aws/lib/dax-subnet-group';
import type { DaxCluster as DaxClusterModel } from '../config/model';
import type { DaxEndpoint } from './handler-function';
import type { Lookups } from './lookups';
import type { ResourceNames } from './naming';
import { daxPort } from './network';
import { ServiceRole } from './service-role';

/** What DAX does on a table on behalf of its clients. */
export const DAX_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
  'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

/** What DAX does on a table's indexes (reads only: indexes take no writes). */
export const DAX_INDEX_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'];

export interface DaxClusterProps {
  cluster: DaxClusterModel;
  names: ResourceNames;
  lookups: Lookups;
  /** `network.subnetIds`. */
  subnetIds: string[];
  /** The cluster's own security group (from `Network`). */
  securityGroupId: string;
  /** Stack name, for descriptions. */
  stackName: string;
}

export class DaxCluster extends Construct {
  readonly cluster: DaxClusterModel;
  readonly subnetGroup: DaxSubnetGroup;
  readonly parameterGroup: DaxParameterGroup;
  readonly role: ServiceRole;
  readonly resource: DaxClusterResource;
  /** Table ARNs the role reaches (tokens for names, resolved by Terraform). */
  readonly tableArns: string[];

  constructor(scope: Construct, id: string, props: DaxClusterProps) {
    super(scope, id);
    const d = props.cluster;
    this.cluster = d;

    this.subnetGroup = new DaxSubnetGroup(this, 'subnet-group', {
      name: props.names.daxSubnetGroupName(d.name),
      description: `cachestack: ${d.name} of ${props.stackName}`,
      subnetIds: props.subnetIds,
    });

    this.parameterGroup = new DaxParameterGroup(this, 'parameter-group', {
      name: props.names.daxParameterGroupName(d.name),
      description: `cachestack: ${d.name} of ${props.stackName}`,
      parameters: [
        { name: 'query-ttl-millis', value: String(d.queryTtlSeconds * 1000) },
        { name: 'record-ttl-millis', value: String(d.itemTtlSeconds * 1000) },
      ],
    });

    this.tableArns = d.tables.map((t) =>
      t.startsWith('arn:') ? t : `arn:${props.lookups.partition}:dynamodb:${props.lookups.region}:${props.lookups.accountId}:table/${t}`,
    );
    this.role = new ServiceRole(this, 'role', {
      name: props.names.daxRoleName(d.name),
      service: 'dax.amazonaws.com',
      description: `cachestack: dax cluster ${d.name} of ${props.stackName}`,
      statements: [
        { sid: 'Tables', actions: DAX_TABLE_ACTIONS, resources: this.tableArns },
        { sid: 'Indexes', actions: DAX_INDEX_ACTIONS, resources: this.tableArns.map((arn) => `${arn}/index/*`) },
      ],
    });

    this.resource = new DaxClusterResource(this, 'cluster', {
      clusterName: props.names.daxClusterName(d.name),
      description: `cachestack: ${d.name} of ${props.stackName}`,
      iamRoleArn: this.role.arn,
      nodeType: d.nodeType,
      replicationFactor: d.replicationFactor,
      parameterGroupName: this.parameterGroup.name,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [props.securityGroupId],
      serverSideEncryption: { enabled: d.encryption },
      clusterEndpointEncryptionType: d.encryption ? 'TLS' : 'NONE',
      // DAX checks at creation that it may use the role.
      dependsOn: this.role.policy ? [this.role.policy] : [],
    });
  }

  /** `daxs://<address>:9111` with TLS, `dax://<address>:8111` without: the DAX client's endpoint URL. */
  get endpointUrl(): string {
    const scheme = this.cluster.encryption ? 'daxs' : 'dax';
    return `${scheme}://${this.resource.clusterAddress}:${daxPort(this.cluster.encryption)}`;
  }

  /** What a handler that names this cluster gets. */
  get endpoint(): DaxEndpoint {
    return { name: this.cluster.name, endpoint: this.endpointUrl, arn: this.resource.arn };
  }
}
