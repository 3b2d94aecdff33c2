/**
 * Security groups and VPC endpoints: one group per function that runs in the VPC,
 * one per Redis cache and one per DAX cluster, rules that admit a cache's port
 * only from the functions that name the cache in `connections`, and the VPC
 * endpoints `network.endpoints` asks for.
 *
 * A function's group allows out:
 * - with `network.egress: nat` (the default): HTTPS (443) to anywhere, for AWS APIs
 *   through the VPC's NAT gateway (which cachestack does not create);
 * - with `network.egress: endpoints`: HTTPS only to the interface endpoints' group
 *   and to the prefix lists of the gateway endpoints (DynamoDB, S3); nothing else;
 * - in both modes, the port of each cache or cluster it names (to that group only)
 *   and, with `connections.postgres`, the pool's port: to the database's group when
 *   `securityGroupId` names it (which then gets an ingress rule from the function),
 *   else anywhere inside the VPC's CIDR block.
 * Cache, cluster and endpoint groups have no egress rule at all (Terraform removes
 * the default allow-all rule of a new group).
 *
 * Endpoints: a gateway endpoint (`dynamodb`, `s3`) adds routes to the route tables
 * of `network.subnetIds`, each looked up by subnet (`data.aws_route_table`, which
 * finds a subnet's explicitly associated table: a subnet that only has the VPC's
 * main table implicitly fails the plan with "no matching route table"). An
 * interface endpoint (the others) gets network interfaces in `network.subnetIds`
 * with private DNS, so the SDK's default hostname resolves to them, and one shared
 * group that admits 443 from the functions' groups only.
 *
 * A handler that names a Redis cache or a DAX cluster runs in the VPC even when
 * its `vpc` is false: both services are reachable only from inside the VPC.
 */
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { runsInVpc } from '../config/aws-services';
import { GATEWAY_ENDPOINT_SERVICES } from '../config/constants';
import type { Handler, ServiceModel, VpcEndpointService } from '../config/model';
import { SynthesisError } from './errors';
import type { Lookups } from './lookups';
import type { ResourceNames } from './naming';

/** DAX listens on 8111 without TLS and on 9111 with it. */
export function daxPort(encryption: boolean): number {
  return encryption ? 9111 : 8111;
}

/** Whether `network.endpoints` creates a gateway endpoint (route table entries) for a service, else an interface endpoint. */
export function isGatewayService(service: VpcEndpointService): boolean {
  return (GATEWAY_ENDPOINT_SERVICES as readonly string[]).includes(service);
}

/** The endpoint service name of `service` in `region` (commercial and GovCloud partitions). */
export function endpointServiceName(region: string, service: VpcEndpointService): string {
  return `com.amazonaws.${region}.${service}`;
}

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
  private readonly gatewayEndpoints = new Map<string, VpcEndpoint>();
  private readonly interfaceEndpoints = new Map<string, VpcEndpoint>();
  private endpointGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { model, names } = props;
    const vpcHandlers = model.handlers.filter(runsInVpc);
    const needsVpc = vpcHandlers.length > 0 || model.redis.length > 0 || model.dax.length > 0;
    this.subnetIds = model.network?.subnetIds ?? [];
    if (!needsVpc && !model.network?.endpoints.length) return;
    if (!model.network) {
      const what = vpcHandlers.length > 0 ? `handler \`${vpcHandlers[0].name}\` runs in a VPC` : model.redis.length > 0 ? `redis cache \`${model.redis[0].name}\` runs in a VPC` : `dax cluster \`${model.dax[0].name}\` runs in a VPC`;
      throw new SynthesisError(`${what} but \`network\` is missing; add network.vpcId and network.subnetIds`, 'network', model.stackName);
    }
    const vpcId = model.network.vpcId;
    this.vpcId = vpcId;

    const egress = model.network.egress;
    for (const handler of vpcHandlers) {
      const sg = new SecurityGroup(this, `handler:${handler.name}`, {
        name: names.handlerSecurityGroupName(handler.name),
        description: `cachestack: function ${handler.name} of ${model.stackName}`,
        vpcId,
      });
      this.handlerGroups.set(handler.name, sg);
      if (egress === 'nat') {
        new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:https-out`, {
          securityGroupId: sg.id,
          description: 'HTTPS to AWS APIs',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: '0.0.0.0/0',
        });
      }
      const pg = handler.connections.postgres;
      if (pg && pg.securityGroupId === undefined) {
        new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:postgres-out`, {
          securityGroupId: sg.id,
          description: 'Postgres inside the VPC',
          ipProtocol: 'tcp',
          fromPort: pg.port,
          toPort: pg.port,
          cidrIpv4: props.lookups.vpcCidr(vpcId),
        });
      }
    }

    // The database's group is the user's: only the rules are added to it.
    for (const handler of vpcHandlers) {
      const pg = handler.connections.postgres;
      if (pg?.securityGroupId === undefined) continue;
      this.connect(handler.name, pg.securityGroupId, 'postgres', pg.port, `postgres (${pg.securityGroupId})`);
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

    this.addEndpoints(model, names, props.lookups, vpcHandlers);
  }

  /**
   * The VPC endpoints of `network.endpoints`, in the YAML's order of services
   * sorted by name, and, with `egress: endpoints`, each function's way to them.
   */
  private addEndpoints(model: ServiceModel, names: ResourceNames, lookups: Lookups, vpcHandlers: Handler[]): void {
    const network = model.network!;
    const services = [...network.endpoints].sort();
    const gateway = services.filter(isGatewayService);
    const iface = services.filter((s) => !isGatewayService(s));

    if (gateway.length > 0) {
      const routeTables = [...new Set(network.subnetIds)].map((subnet) => lookups.routeTableOf(subnet));
      for (const service of gateway) {
        this.gatewayEndpoints.set(
          service,
          new VpcEndpoint(this, `endpoint:${service}`, {
            vpcId: network.vpcId,
            serviceName: endpointServiceName(model.region, service),
            vpcEndpointType: 'Gateway',
            routeTableIds: routeTables,
            tags: { Name: names.vpcEndpointName(service) },
          }),
        );
      }
    }

    if (iface.length > 0) {
      const sg = new SecurityGroup(this, 'endpoints', {
        name: names.endpointSecurityGroupName(),
        description: `cachestack: interface endpoints of ${model.stackName}`,
        vpcId: network.vpcId,
      });
      this.endpointGroup = sg;
      for (const service of iface) {
        this.interfaceEndpoints.set(
          service,
          new VpcEndpoint(this, `endpoint:${service}`, {
            vpcId: network.vpcId,
            serviceName: endpointServiceName(model.region, service),
            vpcEndpointType: 'Interface',
            subnetIds: [...network.subnetIds],
            securityGroupIds: [sg.id],
            privateDnsEnabled: true,
            tags: { Name: names.vpcEndpointName(service) },
          }),
        );
      }
      for (const handler of vpcHandlers) {
        new VpcSecurityGroupIngressRule(this, `endpoints:from:${handler.name}`, {
          securityGroupId: sg.id,
          description: `HTTPS from function ${handler.name}`,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          referencedSecurityGroupId: this.handlerGroups.get(handler.name)!.id,
        });
      }
    }

    if (network.egress !== 'endpoints') return;
    for (const handler of vpcHandlers) {
      const source = this.handlerGroups.get(handler.name)!;
      if (this.endpointGroup) {
        new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:to:endpoints`, {
          securityGroupId: source.id,
          description: 'HTTPS to the interface endpoints',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          referencedSecurityGroupId: this.endpointGroup.id,
        });
      }
      for (const [service, endpoint] of this.gatewayEndpoints) {
        new VpcSecurityGroupEgressRule(this, `handler:${handler.name}:to:endpoint:${service}`, {
          securityGroupId: source.id,
          description: `HTTPS to ${service} through its gateway endpoint`,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          prefixListId: endpoint.prefixListId,
        });
      }
    }
  }

  /** Admit `port` on `target` from the handler's group, and let the handler's group reach it. */
  private connect(handler: string, target: SecurityGroup | string, targetId: string, port: number, what: string): void {
    const source = this.handlerGroups.get(handler)!;
    const targetGroupId = typeof target === 'string' ? target : target.id;
    new VpcSecurityGroupIngressRule(this, `${targetId}:from:${handler}`, {
      securityGroupId: targetGroupId,
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
      referencedSecurityGroupId: targetGroupId,
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
