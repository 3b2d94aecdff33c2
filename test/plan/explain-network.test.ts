/**
 * explain on the network: the egress mode and what it requires, the endpoints,
 * the services each VPC handler calls, each Postgres pool's ingress rule and
 * connection budget, who sets the account's API Gateway logging role, and no
 * claim about AppSync cache health metrics (nothing deploys them).
 */
import { buildPlan } from '../../src/plan/explain';
import { renderPlans } from '../../src/plan/render-explain';
import { edited, serviceModel } from './models';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';

function withPostgres(over: { reserved?: number; securityGroupId?: string; serverMaxConnections?: number; max?: number } = {}) {
  return edited((m) => {
    const h = m.handlers[0];
    h.vpc = true;
    if (over.reserved !== undefined) h.reservedConcurrency = over.reserved;
    else delete h.reservedConcurrency;
    h.connections.postgres = { secret: SECRET, min: 2, max: over.max ?? 10, idleTimeoutMs: 30000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432 };
    if (over.securityGroupId) h.connections.postgres.securityGroupId = over.securityGroupId;
    if (over.serverMaxConnections) h.connections.postgres.serverMaxConnections = over.serverMaxConnections;
  });
}

describe('explain: network', () => {
  test('GIVEN egress nat (the default) WHEN explained THEN the text says a NAT gateway must exist', () => {
    const m = serviceModel();
    expect(m.network?.egress).toBe('nat');
    const text = renderPlans([buildPlan(m)], 'text');
    expect(text).toContain('egress nat: vpc handlers reach aws apis over https to anywhere, which works only if the vpc has a NAT gateway');
    expect(text).toContain('vpc endpoints: none');
  });

  test('GIVEN egress endpoints WHEN explained THEN the plan lists the endpoints by type and how each vpc handler reaches what it calls', () => {
    const m = withPostgres({ reserved: 10 });
    m.network = { ...m.network!, egress: 'endpoints', endpoints: ['secretsmanager', 'dynamodb'] };
    const plan = buildPlan(m);
    expect(plan.network).toEqual({ vpcId: m.network.vpcId, subnetIds: m.network.subnetIds, egress: 'endpoints', endpoints: [{ service: 'dynamodb', type: 'gateway' }, { service: 'secretsmanager', type: 'interface' }] });
    const h = plan.handlers.find((x) => x.name === m.handlers[0].name)!;
    expect(h.awsServices).toEqual(['secretsmanager']);
    const text = renderPlans([plan], 'text');
    expect(text).toContain('egress endpoints: vpc handlers may send https only to the vpc endpoints below');
    expect(text).toContain('vpc endpoints: dynamodb (gateway), secretsmanager (interface)');
    expect(text).toContain(`handler ${h.name} calls secretsmanager (endpoint)`);
    expect(renderPlans([plan], 'markdown')).toContain('### Network');
  });

  test('GIVEN the seed 001 pool (20) reserved at 20 against 400 connections and a database group WHEN explained THEN the ingress rule and the budget 20 x 20 = 400 of 400 are shown', () => {
    const plan = buildPlan(withPostgres({ reserved: 20, max: 20, securityGroupId: 'sg-0123456789abcdef0', serverMaxConnections: 400 }));
    const pg = plan.handlers.find((h) => h.postgres)!.postgres!;
    expect(pg).toEqual({ min: 2, max: 20, port: 5432, securityGroupId: 'sg-0123456789abcdef0', serverMaxConnections: 400, budget: { concurrency: 20, concurrencySource: 'reserved', connections: 400 } });
    const text = renderPlans([plan], 'text');
    expect(text).toContain('ingress rule on sg-0123456789abcdef0 from the function\'s group on port 5432; budget 20 x 20 (reserved) = 400 of 400 server connections');
    expect(text).not.toContain('(OVER)');
  });

  test('GIVEN the seed 004 pool (2..10) unreserved without a group WHEN explained THEN the budget uses the account default of 1000 and no ingress rule is claimed', () => {
    const plan = buildPlan(withPostgres());
    const text = renderPlans([plan], 'text');
    expect(text).toContain('port 5432, no ingress rule (the database must admit the function by other means); budget 10 x 1000 (account default, unreserved) = 10000 server max unknown');
  });

  test('GIVEN restApi.accountLogsRole WHEN explained THEN the plan says who sets the account role the access log needs', () => {
    const without = renderPlans([buildPlan(serviceModel())], 'text');
    expect(without).toContain("access log: needs the account's api gateway cloudwatch logs role to be set already");
    const m = edited((x) => (x.restApi!.accountLogsRole = true));
    expect(buildPlan(m).restApi!.accountLogsRole).toBe(true);
    expect(renderPlans([buildPlan(m)], 'text')).toContain("access log: this stack sets the account's api gateway cloudwatch logs role (aws_api_gateway_account)");
  });

  test('GIVEN an AppSync cache with healthMetrics true WHEN explained THEN nothing claims health metrics (the terraform sets none)', () => {
    const m = edited((x) => (x.graphqlApi!.cache!.healthMetrics = true));
    for (const format of ['text', 'markdown', 'json'] as const) expect(renderPlans([buildPlan(m)], format).toLowerCase()).not.toMatch(/health ?metrics/);
  });
});
