/**
 * The network of a stack as Terraform: egress modes, VPC endpoints, the database's
 * ingress rule and the account's API Gateway logging role, through real synthesis.
 */
import type { Handler, Network, ServiceModel } from '../../src/config/model';
import { endpointServiceName, isGatewayService } from '../../src/infra/network';
import { pushToCloudWatchLogsPolicyArn } from '../../src/infra/api-gateway-account';
import { endpoint, handler, model, NETWORK, restApi } from './model-builder';
import { dataOf, ref, resourcesOf, synth, type Json } from './synth';

const PG_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const DB_GROUP = 'sg-0123456789abcdef0';

function pgHandler(name: string, over: Partial<NonNullable<Handler['connections']['postgres']>> = {}, vpc = true): Handler {
  const h = handler(name, { vpc, reservedConcurrency: 10 });
  h.connections.postgres = { secret: PG_SECRET, min: 0, max: 2, idleTimeoutMs: 10000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432, ...over };
  return h;
}

function netModel(network: Partial<Network>, handlers: Handler[], over: Partial<ServiceModel> = {}): ServiceModel {
  return model({ network: { ...NETWORK, ...network }, handlers, ...over });
}

/** Rules of one type whose `security_group_id` is `group` (a reference or an id). */
function rulesOn(tf: Json, type: string, group: string): Json[] {
  return Object.values(resourcesOf(tf, type)).filter((r) => r.security_group_id === group);
}

function groupRef(tf: Json, prefix: string): string {
  const id = Object.keys(resourcesOf(tf, 'aws_security_group')).find((k) => k.startsWith(prefix))!;
  expect(id).toBeDefined();
  return ref('aws_security_group', id, 'id');
}

const strip = (r: Json) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== '//' && k !== 'security_group_id' && k !== 'description'));

describe('network egress', () => {
  it('GIVEN egress nat (the default) WHEN synthesized THEN a VPC handler may reach 443 anywhere and no endpoint exists', () => {
    const { tf } = synth(netModel({}, [handler('api', { vpc: true })]));
    const sg = groupRef(tf, 'network_handler_api_');
    expect(rulesOn(tf, 'aws_vpc_security_group_egress_rule', sg).map(strip)).toEqual([{ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }]);
    expect(resourcesOf(tf, 'aws_vpc_endpoint')).toEqual({});
    expect(dataOf(tf, 'aws_route_table')).toEqual({});
  });

  it('GIVEN egress endpoints with dynamodb, s3 and secretsmanager WHEN synthesized THEN gateway endpoints use the subnets\' route tables, the interface endpoint has private DNS, and handlers reach only those', () => {
    const { tf } = synth(netModel({ egress: 'endpoints', endpoints: ['secretsmanager', 'dynamodb', 's3'] }, [handler('api', { vpc: true }), handler('other', { vpc: true }), handler('outside')]));
    const endpoints = Object.values(resourcesOf(tf, 'aws_vpc_endpoint'));
    expect(endpoints.map((e) => `${e.vpc_endpoint_type} ${e.service_name}`).sort()).toEqual([
      'Gateway com.amazonaws.us-east-1.dynamodb',
      'Gateway com.amazonaws.us-east-1.s3',
      'Interface com.amazonaws.us-east-1.secretsmanager',
    ]);

    // one route table lookup per subnet, by subnet id
    const tables = dataOf(tf, 'aws_route_table');
    expect(Object.values(tables).map((t) => t.subnet_id).sort()).toEqual([...NETWORK.subnetIds].sort());
    const tableRefs = Object.keys(tables).map((k) => `\${data.aws_route_table.${k}.route_table_id}`).sort();
    const dynamodb = endpoints.find((e) => e.service_name.endsWith('.dynamodb'))!;
    expect([...dynamodb.route_table_ids].sort()).toEqual(tableRefs);
    expect(dynamodb.vpc_id).toBe(NETWORK.vpcId);
    expect(dynamodb.subnet_ids).toBeUndefined();

    const endpointsGroup = groupRef(tf, 'network_endpoints_');
    const sm = endpoints.find((e) => e.service_name.endsWith('.secretsmanager'))!;
    expect(sm).toMatchObject({ private_dns_enabled: true, subnet_ids: NETWORK.subnetIds, security_group_ids: [endpointsGroup] });
    expect(sm.route_table_ids).toBeUndefined();

    // the endpoints' group admits 443 from each VPC handler's group, and sends nothing
    const api = groupRef(tf, 'network_handler_api_');
    const other = groupRef(tf, 'network_handler_other_');
    expect(rulesOn(tf, 'aws_vpc_security_group_ingress_rule', endpointsGroup).map(strip).sort((a, b) => (a.referenced_security_group_id < b.referenced_security_group_id ? -1 : 1))).toEqual(
      [api, other].sort().map((g) => ({ ip_protocol: 'tcp', from_port: 443, to_port: 443, referenced_security_group_id: g })),
    );
    expect(rulesOn(tf, 'aws_vpc_security_group_egress_rule', endpointsGroup)).toEqual([]);

    // a handler's group: 443 to the endpoints' group and to each gateway prefix list; never 0.0.0.0/0
    const out = rulesOn(tf, 'aws_vpc_security_group_egress_rule', api).map(strip);
    const prefixLists = Object.entries(resourcesOf(tf, 'aws_vpc_endpoint'))
      .filter(([, e]) => e.vpc_endpoint_type === 'Gateway')
      .map(([k]) => ref('aws_vpc_endpoint', k, 'prefix_list_id'))
      .sort();
    expect(out).toEqual(
      expect.arrayContaining([
        { ip_protocol: 'tcp', from_port: 443, to_port: 443, referenced_security_group_id: endpointsGroup },
        ...prefixLists.map((p) => ({ ip_protocol: 'tcp', from_port: 443, to_port: 443, prefix_list_id: p })),
      ]),
    );
    expect(out).toHaveLength(3);
    expect(JSON.stringify(resourcesOf(tf, 'aws_vpc_security_group_egress_rule'))).not.toContain('0.0.0.0/0');
  });

  it('GIVEN egress nat with an interface endpoint WHEN synthesized THEN handlers keep 443 anywhere and the endpoint admits them', () => {
    const { tf } = synth(netModel({ endpoints: ['sqs'] }, [handler('api', { vpc: true })]));
    const api = groupRef(tf, 'network_handler_api_');
    expect(rulesOn(tf, 'aws_vpc_security_group_egress_rule', api).map((r) => r.cidr_ipv4)).toEqual(['0.0.0.0/0']);
    expect(rulesOn(tf, 'aws_vpc_security_group_ingress_rule', groupRef(tf, 'network_endpoints_')).map((r) => r.referenced_security_group_id)).toEqual([api]);
    expect(dataOf(tf, 'aws_route_table')).toEqual({});
  });

  it('GIVEN the service names THEN dynamodb and s3 are gateway services and names follow com.amazonaws.<region>.<service>', () => {
    expect(isGatewayService('dynamodb')).toBe(true);
    expect(isGatewayService('s3')).toBe(true);
    expect(isGatewayService('secretsmanager')).toBe(false);
    expect(endpointServiceName('eu-west-1', 'sts')).toBe('com.amazonaws.eu-west-1.sts');
  });
});

describe('postgres ingress', () => {
  it('GIVEN a pool with the database\'s securityGroupId and port 5433 WHEN synthesized THEN that group admits the handler on 5433 and the handler reaches only that group', () => {
    const { tf } = synth(netModel({}, [pgHandler('payments', { securityGroupId: DB_GROUP, port: 5433 })]));
    const fn = groupRef(tf, 'network_handler_payments_');
    expect(rulesOn(tf, 'aws_vpc_security_group_ingress_rule', DB_GROUP).map(strip)).toEqual([{ ip_protocol: 'tcp', from_port: 5433, to_port: 5433, referenced_security_group_id: fn }]);
    const out = rulesOn(tf, 'aws_vpc_security_group_egress_rule', fn).map(strip);
    expect(out).toContainEqual({ ip_protocol: 'tcp', from_port: 5433, to_port: 5433, referenced_security_group_id: DB_GROUP });
    expect(out.filter((r) => r.from_port === 5433)).toHaveLength(1);
    expect(dataOf(tf, 'aws_vpc')).toEqual({});
  });

  it('GIVEN a pool without securityGroupId WHEN synthesized THEN the handler may reach the pool\'s port inside the VPC CIDR, as before', () => {
    const { tf } = synth(netModel({}, [pgHandler('payments', { port: 6432 })]));
    const fn = groupRef(tf, 'network_handler_payments_');
    const out = rulesOn(tf, 'aws_vpc_security_group_egress_rule', fn).filter((r) => r.from_port === 6432);
    expect(out).toHaveLength(1);
    expect(out[0].cidr_ipv4).toBe(`\${data.aws_vpc.${Object.keys(dataOf(tf, 'aws_vpc'))[0]}.cidr_block}`);
    expect(Object.values(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule'))).toEqual([]);
  });
});

describe('restApi.accountLogsRole', () => {
  const api = () => restApi([endpoint('GET', '/users', 'api')]);

  it('GIVEN accountLogsRole true WHEN synthesized THEN a role trusted by API Gateway gets the managed push-to-logs policy, the account points at it, and the stage waits for it', () => {
    const { tf } = synth(model({ handlers: [handler('api')], restApi: { ...api(), accountLogsRole: true } }));
    const account = Object.entries(resourcesOf(tf, 'aws_api_gateway_account'));
    expect(account).toHaveLength(1);
    const roleId = Object.keys(resourcesOf(tf, 'aws_iam_role')).find((k) => k.startsWith('api-gateway-account_role'))!;
    expect(account[0][1].cloudwatch_role_arn).toBe(ref('aws_iam_role', roleId, 'arn'));
    const attachment = Object.values(resourcesOf(tf, 'aws_iam_role_policy_attachment'));
    expect(attachment).toHaveLength(1);
    expect(attachment[0].role).toBe(ref('aws_iam_role', roleId, 'name'));
    expect(attachment[0].policy_arn).toBe(pushToCloudWatchLogsPolicyArn(`\${data.aws_partition.${Object.keys(dataOf(tf, 'aws_partition'))[0]}.partition}`));
    const trust = Object.entries(dataOf(tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith('api-gateway-account_role_trust'))![1];
    expect(trust.statement[0].principals).toEqual([{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }]);
    const stage = Object.values(resourcesOf(tf, 'aws_api_gateway_stage'))[0];
    expect(stage.depends_on).toContain(`aws_api_gateway_account.${account[0][0]}`);
    // the role has no inline policy: only the managed one
    expect(Object.keys(resourcesOf(tf, 'aws_iam_role_policy')).filter((k) => k.startsWith('api-gateway-account'))).toEqual([]);
  });

  it('GIVEN accountLogsRole false (the default) WHEN synthesized THEN the stack leaves the account setting alone', () => {
    const { tf } = synth(model({ handlers: [handler('api')], restApi: api() }));
    expect(resourcesOf(tf, 'aws_api_gateway_account')).toEqual({});
    expect(resourcesOf(tf, 'aws_iam_role_policy_attachment')).toEqual({});
  });
});
