/**
 * Security groups: one per function that runs in the VPC, one per Redis cache and
 * one per DAX cluster, and rules that admit a cache's port only from the functions
 * that name the cache in `connections`.
 *
 * A function's group allows out: HTTPS (443) to anywhere (AWS APIs, through a NAT
 * gateway or VPC endpoints), the port of each cache or cluster it names (to that
 * group only) and, with `connections.postgres`, 5432 inside the VPC's CIDR block.
 * Cache and cluster groups have no egress rule at all (Terraform removes the
 * default allow-all rule of a new group).
 *
 * A handler that names a Redis cache or a DAX cluster runs in the VPC even when
 * its `vpc` is false: both services are reachable only from inside the VPC.
 */
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { runsInVpc } from '../config/aws-services';
import type { ServiceModel } from '../config/model';
import { SynthesisError } from './errors';
import type { Lookups } from './lookups';
import type { ResourceNames } from './naming';

/** DAX listens on 8111 without TLS and on 9111 with it. */
export function daxPort(encryption: boolean): number {
  return encryption ? 9111 : 8111;
}

/** The Postgres port that `connections.postgres` opens egress to. */
export const POSTGRES_PORT = 5432;

/** Whether a handler gets a VPC attachment: `vpc: true`, or it names a cache or DAX cluster. */
export { runsInVpc };

export interface NetworkProps {
  model: ServiceModel;
  names: ResourceNames;
  lookups: Lookups;
}

export class Network extends Construct {
  readonly vpcId?: string;
  readonly subnetIds: string[];
  private readonly handlerGroups = new Map<string, SecurityGroup>();
  private readonly redisGroups = new Map<string, SecurityGroup>();
  private readonly daxGroups = new Map<string, SecurityGroup>();

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { model, names } = props;
    const vpcHandlers = model.handlers.filter(runsInVpc);
    const needsVpc = vpcHandlers.length > 0 || model.redis.length > 0 || model.dax.length > 0;
    this.subnetIds = model.network?.subnetIds ?? [];
    if (!needsVpc) return;
    if (!model.network) {
      const what = vpcHandlers.length > 0 ? `handler \`${vpcHandlers[0].name}\` runs in a VPC` : model.redis.length > 0 ? `redis cache \`${model.redis[0].name}\` runs in a VPC` : `dax cluster \`${model.dax[0].name}\` runs in a VPC`;
      throw new SynthesisError(`${what} but \`network\` is missing; add network.vpcId and network.subnetIds`, 'network', model.stackName);
    }
    const vpcId = model.network.vpcId;
    this.vpcId = vpcId;

    for (const handler of vpcHandlers) {
      const sg = new SecurityGroup(this, `handler:${handler.name}`, {
        name: names.handlerSecurityGroupName(handler.name),
        description: `cachestack: function ${handler.name} of ${model.stackName}`,
        vpcId,
      });
      this.handlerGroups.set(handler.name, sg);
      new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:https-out`, {
        securityGroupId: sg.id,
        description: 'HTTPS to AWS APIs',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
      if (handler.connections.postgres) {
        new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:postgres-out`, {
          securityGroupId: sg.id,
          description: 'Postgres inside the VPC',
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          cidrIpv4: props.lookups.vpcCidr(vpcId),
        });
      }
    }

    for (const cache of model.redis) {
      const sg = new SecurityGroup(this, `redis:${cache.name}`, {
        name: names.redisSecurityGroupName(cache.name),
        description: `cachestack: redis cache ${cache.name} of ${model.stackName}`,
        vpcId,
      });
      this.redisGroups.set(cache.name, sg);
      for (const handler of vpcHandlers.filter((h) => h.connections.redis?.cache === cache.name)) {
        this.connect(handler.name, sg, `redis:${cache.name}`, cache.port, `redis cache ${cache.name}`);
      }
    }

    for (const cluster of model.dax) {
      const port = daxPort(cluster.encryption);
      const sg = new SecurityGroup(this, `dax:${cluster.name}`, {
        name: names.daxSecurityGroupName(cluster.name),
        description: `cachestack: dax cluster ${cluster.name} of ${model.stackName}`,
        vpcId,
      });
      this.daxGroups.set(cluster.name, sg);
      for (const handler of vpcHandlers.filter((h) => h.connections.dax?.cluster === cluster.name)) {
        this.connect(handler.name, sg, `dax:${cluster.name}`, port, `dax cluster ${cluster.name}`);
      }
    }
  }

  /** Admit `port` on `target` from the handler's group, and let the handler's group reach it. */
  private connect(handler: string, target: SecurityGroup, targetId: string, port: number, what: string): void {
    const source = this.handlerGroups.get(handler)!;
    new VpcSecurityGroupIngressRule(this, `${targetId}:from:${handler}`, {
      securityGroupId: target.id,
      description: `from function ${handler}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: source.id,
    });
    new VpcSecurityGroupEgressRule(this, `handler:${handler}:to:${targetId}`, {
      securityGroupId: source.id,
      description: `to ${what}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: target.id,
    });
  }

  /** The security group id of a handler that runs in the VPC. */
  handlerSecurityGroupId(handler: string): string | undefined {
    return this.handlerGroups.get(handler)?.id;
  }

  redisSecurityGroupId(cache: string): string {
    return this.redisGroups.get(cache)!.id;
  }

  daxSecurityGroupId(cluster: string): string {
    return this.daxGroups.get(cluster)!.id;
  }
}
