/**
 * Facts Terraform reads from the account at plan time (partition, account id,
 * full secret ARNs, the VPC's CIDR block, the subnets' route tables), each as one data source per stack,
 * created only when something needs it.
 *
 * The region is not looked up: it is the config's `region`, which the provider
 * block is set to. (`data.aws_region` names it `name` in provider 5.x and
 * `region` in 6.x, so no reference to it works with both.)
 */
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRouteTable } from '@cdktf/provider-aws/lib/data-aws-route-table';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';

export class Lookups extends Construct {
  private callerIdentity?: DataAwsCallerIdentity;
  private partitionData?: DataAwsPartition;
  private readonly secrets = new Map<string, DataAwsSecretsmanagerSecret>();
  private vpcData?: DataAwsVpc;
  private readonly routeTables = new Map<string, DataAwsRouteTable>();

  /** The account Terraform deploys to. */
  get accountId(): string {
    this.callerIdentity ??= new DataAwsCallerIdentity(this, 'caller-identity', {});
    return this.callerIdentity.accountId;
  }

  /** `aws`, `aws-cn`, `aws-us-gov` ... */
  get partition(): string {
    this.partitionData ??= new DataAwsPartition(this, 'partition', {});
    return this.partitionData.partition;
  }

  /** DNS suffix of the partition's endpoints: `amazonaws.com`, `amazonaws.com.cn` ... */
  get dnsSuffix(): string {
    this.partitionData ??= new DataAwsPartition(this, 'partition', {});
    return this.partitionData.dnsSuffix;
  }

  /** The config's region, which the stack's provider is set to. */
  readonly region: string;

  constructor(scope: Construct, id: string, region: string) {
    super(scope, id);
    this.region = region;
  }

  /**
   * The full ARN of a secret named by a (possibly partial) ARN in the YAML, so IAM
   * grants exactly that secret (a partial ARN lacks the `-XXXXXX` suffix IAM matches).
   */
  secretArn(arn: string): string {
    let data = this.secrets.get(arn);
    if (!data) {
      data = new DataAwsSecretsmanagerSecret(this, `secret:${arn.replace(/\//g, '|')}`, { arn });
      this.secrets.set(arn, data);
    }
    return data.arn;
  }

  /**
   * The id of the route table explicitly associated with a subnet (the provider
   * finds no table for a subnet that only uses the VPC's main table implicitly:
   * the plan then fails with "no matching route table found").
   */
  routeTableOf(subnetId: string): string {
    let data = this.routeTables.get(subnetId);
    if (!data) {
      data = new DataAwsRouteTable(this, `route-table:${subnetId}`, { subnetId });
      this.routeTables.set(subnetId, data);
    }
    return data.routeTableId;
  }

  /** The CIDR block of the VPC. */
  vpcCidr(vpcId: string): string {
    this.vpcData ??= new DataAwsVpc(this, 'vpc', { id: vpcId });
    return this.vpcData.cidrBlock;
  }
}
