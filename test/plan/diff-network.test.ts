/**
 * diff on the network: egress widened (endpoints -> nat) and a database ingress
 * rule added are flagged security; narrowing, endpoint changes and removed
 * ingress rules are listed unflagged. Unit cases on models, then one end to end
 * through the CLI on the course-registration example.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import type { Handler, ServiceModel, VpcEndpointService } from '../../src/config/model';
import { diffNetwork } from '../../src/plan/diff-network';
import { captureIo } from '../cli/io';
import { handler, model, NETWORK } from '../support/models';

function pg(name: string, over: Partial<NonNullable<Handler['connections']['postgres']>> = {}): Handler {
  const h = handler(name, { vpc: true, reservedConcurrency: 10 });
  h.connections.postgres = { min: 0, max: 2, idleTimeoutMs: 10000, connectionTimeoutMs: 5000, statementTimeoutMs: 30000, port: 5432, ...over };
  return h;
}

function withNetwork(egress: 'nat' | 'endpoints', endpoints: VpcEndpointService[], handlers: Handler[] = [handler('api', { vpc: true })]): ServiceModel {
  return model({ network: { ...NETWORK, egress, endpoints }, handlers });
}

describe('diffNetwork', () => {
  it('GIVEN egress endpoints -> nat THEN the change is egress widened, flagged security', () => {
    const changes = diffNetwork(withNetwork('endpoints', ['secretsmanager']), withNetwork('nat', ['secretsmanager']));
    expect(changes).toEqual([
      expect.objectContaining({ subject: 'network', action: 'update', field: 'network.egress', before: 'endpoints', after: 'nat', flags: ['security'] }),
    ]);
    expect(changes[0].message).toMatch(/^egress widened/);
  });

  it('GIVEN egress nat -> endpoints THEN the change is listed unflagged', () => {
    const changes = diffNetwork(withNetwork('nat', []), withNetwork('endpoints', ['dynamodb']));
    expect(changes.map((c) => [c.field, c.action, c.flags])).toEqual([
      ['network.egress', 'update', []],
      ['network.endpoints', 'add', []],
    ]);
  });

  it('GIVEN an endpoint removed THEN it is listed unflagged', () => {
    const changes = diffNetwork(withNetwork('nat', ['s3', 'sqs']), withNetwork('nat', ['s3']));
    expect(changes).toEqual([expect.objectContaining({ action: 'remove', field: 'network.endpoints', before: 'sqs', flags: [] })]);
  });

  it('GIVEN a pool that starts naming the database group THEN an ingress rule is added, flagged security', () => {
    const changes = diffNetwork(withNetwork('nat', [], [pg('payments')]), withNetwork('nat', [], [pg('payments', { securityGroupId: 'sg-0123456789abcdef0' })]));
    expect(changes).toEqual([
      expect.objectContaining({ subject: 'handler', name: 'payments', action: 'add', field: 'connections.postgres.securityGroupId', after: 'sg-0123456789abcdef0:5432', flags: ['security'] }),
    ]);
  });

  it('GIVEN the pool port changes on a named group THEN the new rule is an ingress rule added (flagged); removing the group is not flagged', () => {
    const base = withNetwork('nat', [], [pg('payments', { securityGroupId: 'sg-0123456789abcdef0' })]);
    const moved = diffNetwork(base, withNetwork('nat', [], [pg('payments', { securityGroupId: 'sg-0123456789abcdef0', port: 6432 })]));
    expect(moved.map((c) => [c.action, c.flags])).toEqual([['update', ['security']]]);
    const removed = diffNetwork(base, withNetwork('nat', [], [pg('payments')]));
    expect(removed.map((c) => [c.action, c.flags])).toEqual([['remove', []]]);
  });

  it('GIVEN no network change THEN nothing is reported', () => {
    expect(diffNetwork(withNetwork('endpoints', ['s3']), withNetwork('endpoints', ['s3']))).toEqual([]);
  });
});

describe('diff --base-file on the network of course-registration', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  const BASE = fs.readFileSync(path.join(ROOT, 'config/examples/course-registration.yaml'), 'utf8');
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-diff-network-')));
    fs.mkdirSync(path.join(dir, 'config/examples'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'handlers', 'examples'), path.join(dir, 'handlers', 'examples'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config/examples/base.yaml'), BASE);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('GIVEN egress switched from endpoints to nat WHEN diffed THEN it is flagged security and --fail-on security fails', async () => {
    const next = BASE.replace('egress: endpoints', 'egress: nat');
    expect(next).not.toBe(BASE);
    fs.writeFileSync(path.join(dir, 'config/examples/course-registration.yaml'), next);
    const io = captureIo(dir);
    const code = await run(['diff', '--base-file', 'config/examples/base.yaml', 'config/examples/course-registration.yaml', '--fail-on', 'security'], io);
    expect(io.out).toContain('network of course-registration: egress widened');
    expect(io.out).toContain('[security]');
    expect(code).not.toBe(0);
  });
});
