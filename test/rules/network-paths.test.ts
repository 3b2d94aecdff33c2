/**
 * Rules 14 and 15 on hand-made models, and `awsServicesOf`, the one function that
 * says which AWS services a handler calls. Positions (file:line:col) are checked
 * by the fixtures under test/fixtures/rules/<code>/.
 */
import { awsServicesOf, runsInVpc } from '../../src/config/aws-services';
import type { Access, Handler, ServiceModel, VpcEndpointService } from '../../src/config/model';
import { connectionBudgetRule } from '../../src/config/rules/connection-budget';
import { networkPathsRule } from '../../src/config/rules/network-paths';
import { handler, model, NETWORK, redis, run } from './helpers';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const AUTH = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-AbCdEf';

function pool(name: string, pg: Partial<NonNullable<Handler['connections']['postgres']>>, over: Partial<Handler> = {}): Handler {
  const h = handler(name, over);
  h.connections.postgres = { min: 0, max: 10, idleTimeoutMs: 10000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432, ...pg };
  return h;
}

describe('awsServicesOf', () => {
  const cases: { name: string; h: Handler; m?: Partial<ServiceModel>; expected: string[] }[] = [
    { name: 'a plain handler calls nothing', h: handler('api'), expected: [] },
    { name: 'a postgres pool with a secret reads Secrets Manager', h: pool('api', { secret: SECRET }), expected: ['secretsmanager'] },
    { name: 'a postgres pool without a secret calls nothing', h: pool('api', {}), expected: [] },
    {
      name: 'a redis cache with an AUTH token secret reads Secrets Manager',
      h: handler('api', { connections: { redis: { cache: 'c', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 } } as Handler['connections'] }),
      m: { redis: [redis('c', { authTokenSecret: AUTH })] },
      expected: ['secretsmanager'],
    },
    {
      name: 'a redis cache without a secret calls nothing',
      h: handler('api', { connections: { redis: { cache: 'c', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 } } as Handler['connections'] }),
      m: { redis: [redis('c')] },
      expected: [],
    },
    {
      name: 'DAX is inside the VPC: no AWS API endpoint',
      h: handler('api', { connections: { dax: { cluster: 'hot', requestTimeoutMs: 1000 } } as Handler['connections'] }),
      expected: [],
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('GIVEN %s', (_n, c) => {
    const h = { ...c.h, connections: { ...handler('x').connections, ...c.h.connections } };
    expect(awsServicesOf(h, model({ handlers: [h], ...c.m })).map((n) => n.service)).toEqual(c.expected);
  });

  it('GIVEN a redis secret and a postgres secret THEN secretsmanager is needed twice, each with its reason and field', () => {
    const h = pool('api', { secret: SECRET });
    h.connections.redis = { cache: 'c', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 };
    const needs = awsServicesOf(h, model({ handlers: [h], redis: [redis('c', { authTokenSecret: AUTH })] }));
    expect(needs.map((n) => [n.service, n.path.join('.')])).toEqual([
      ['secretsmanager', 'handlers.api.connections.redis.cache'],
      ['secretsmanager', 'handlers.api.connections.postgres.secret'],
    ]);
    expect(runsInVpc(h)).toBe(true);
  });
});

describe('rule 14 (network-paths)', () => {
  const vpcPool = pool('pay', { secret: SECRET, serverMaxConnections: 1000 }, { vpc: true, reservedConcurrency: 10 });
  const cases: { name: string; m: ServiceModel; codes: string[] }[] = [
    { name: 'egress endpoints without secretsmanager', m: model({ network: { ...NETWORK, egress: 'endpoints', endpoints: ['dynamodb'] }, handlers: [vpcPool] }), codes: ['egress-endpoint-missing'] },
    { name: 'egress endpoints with secretsmanager', m: model({ network: { ...NETWORK, egress: 'endpoints', endpoints: ['secretsmanager'] }, handlers: [vpcPool] }), codes: [] },
    { name: 'egress nat without endpoints', m: model({ network: { ...NETWORK, egress: 'nat', endpoints: [] }, handlers: [vpcPool] }), codes: [] },
    {
      name: 'a handler outside the vpc under egress endpoints',
      m: model({ network: { ...NETWORK, egress: 'endpoints', endpoints: [] }, handlers: [pool('pay', { secret: SECRET, serverMaxConnections: 1000 }, { reservedConcurrency: 10 })] }),
      codes: [],
    },
    {
      name: 'a database group on a handler outside the vpc',
      m: model({ handlers: [pool('pay', { securityGroupId: 'sg-0123456789abcdef0' }, { reservedConcurrency: 10 })] }),
      codes: ['postgres-security-group-needs-vpc'],
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('GIVEN %s', (_n, c) => {
    const reports = run(c.m, { rule: networkPathsRule });
    expect(reports.map((r) => r.code)).toEqual(c.codes);
    for (const r of reports.filter((x) => x.code === 'egress-endpoint-missing')) {
      expect(r.path).toEqual(['handlers', 'pay']);
      expect(r.hint).toContain('add `secretsmanager` to `network.endpoints`');
    }
  });
});

describe('rule 15 (connection-budget)', () => {
  const cases: { name: string; h: Handler; codes: string[] }[] = [
    // seed 001: pool 20 on an RDS db.t3.medium (about 400 connections)
    { name: 'seed 001: pool 20 x reserved 20 = 400 of 400', h: pool('auth', { max: 20, serverMaxConnections: 400 }, { reservedConcurrency: 20 }), codes: [] },
    { name: 'seed 001: pool 20 x reserved 21 = 420 of 400', h: pool('auth', { max: 20, serverMaxConnections: 400 }, { reservedConcurrency: 21 }), codes: ['postgres-connection-budget'] },
    { name: 'seed 001: pool 20 unreserved = 20000 of 400', h: pool('auth', { max: 20, serverMaxConnections: 400 }), codes: ['postgres-connection-budget'] },
    // seed 004: Aurora pool 2..10
    { name: 'seed 004: pool 2..10 x reserved 30 = 300 of 400', h: pool('payments', { min: 2, max: 10, serverMaxConnections: 400 }, { reservedConcurrency: 30 }), codes: [] },
    { name: 'seed 004: pool 2..10 unreserved, no server max', h: pool('payments', { min: 2, max: 10 }), codes: ['postgres-connection-budget-unknown'] },
    { name: 'seed 004: pool 2..10 unreserved x 1000 = 10000 of 10000', h: pool('payments', { min: 2, max: 10, serverMaxConnections: 10000 }), codes: [] },
    { name: 'reserved without a server max', h: pool('payments', { max: 10 }, { reservedConcurrency: 5 }), codes: [] },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('GIVEN %s', (_n, c) => {
    const reports = run(model({ handlers: [c.h] }), { rule: connectionBudgetRule });
    expect(reports.map((r) => [r.code, r.severity])).toEqual(c.codes.map((code) => [code, code.endsWith('unknown') ? 'warning' : 'error']));
  });

  it('GIVEN seed 001 over budget THEN the message shows the arithmetic and the hint the reserved concurrency that fits', () => {
    const [r] = run(model({ handlers: [pool('auth', { max: 20, serverMaxConnections: 400 }, { reservedConcurrency: 50 })] }), { rule: connectionBudgetRule });
    expect(r.message).toContain('20 x 50 = 1000 postgres connections');
    expect(r.message).toContain('`serverMaxConnections: 400`');
    expect(r.hint).toContain('set `reservedConcurrency` to 20 or less');
  });
});

describe('rule 14 and `access`', () => {
  const withAccess = (access: Partial<Access>) => handler('api', { vpc: true, access });
  const endpoints = (...names: VpcEndpointService[]) => ({ ...NETWORK, egress: 'endpoints' as const, endpoints: names });

  it('GIVEN a vpc handler whose access reads a table WHEN the vpc has no dynamodb endpoint THEN egress-endpoint-missing names dynamodb and the access', () => {
    const h = withAccess({ dynamodb: [{ table: 'Users', actions: 'read', indexes: [] }] });
    expect(awsServicesOf(h, model({ handlers: [h] })).map((n) => [n.service, n.path.join('.')])).toEqual([['dynamodb', 'handlers.api.access']]);
    const reports = run(model({ network: endpoints('secretsmanager'), handlers: [h] }), { rule: networkPathsRule });
    expect(reports.map((r) => [r.code, r.hint])).toEqual([['egress-endpoint-missing', 'add `dynamodb` to `network.endpoints`, or set `network.egress: nat` if the vpc has a NAT gateway']]);
    expect(run(model({ network: endpoints('dynamodb'), handlers: [h] }), { rule: networkPathsRule })).toEqual([]);
  });

  it('GIVEN a statement for a service no endpoint of cachestack serves WHEN egress is endpoints THEN the hint says to use a NAT instead', () => {
    const h = withAccess({ statements: [{ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] }] });
    const reports = run(model({ network: endpoints('dynamodb'), handlers: [h] }), { rule: networkPathsRule });
    expect(reports.map((r) => r.code)).toEqual(['egress-endpoint-missing']);
    expect(reports[0].message).toContain('calls email');
    expect(reports[0].hint).toBe('cachestack creates no vpc endpoint for email: set `network.egress: nat` (the vpc needs a NAT gateway), or run the handler outside the vpc');
  });
});
