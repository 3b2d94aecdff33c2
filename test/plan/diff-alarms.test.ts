/**
 * diff on alarms and cost, end to end through the CLI with a base FILE: an
 * alarm removed or loosened is flagged security, a tightened one is not, the
 * cost delta is shown, and `--fail-on cost:+N` gates on it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { parseFailOn } from '../../src/plan/report';
import { captureIo } from '../cli/io';

const ROOT = path.resolve(__dirname, '..', '..');
const BASE = fs.readFileSync(path.join(ROOT, 'config/examples/course-registration.yaml'), 'utf8');

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-diff-alarms-')));
  fs.mkdirSync(path.join(dir, 'config/examples'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'handlers', 'examples'), path.join(dir, 'handlers', 'examples'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config/examples/base.yaml'), BASE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function head(from: string | RegExp, to: string): void {
  const next = BASE.replace(from, to);
  if (next === BASE) throw new Error(`${String(from)} not found in the example`);
  fs.writeFileSync(path.join(dir, 'config/examples/course-registration.yaml'), next);
}

async function diff(...args: string[]) {
  const io = captureIo(dir);
  const code = await run(['diff', '--base-file', 'config/examples/base.yaml', 'config/examples/course-registration.yaml', '--format', 'json', ...args], io);
  return { code, io, report: io.out ? JSON.parse(io.out) : undefined };
}

const changesOf = (report: any) => report.files[0].environments[0].changes.filter((c: any) => c.subject === 'alarm');

describe('diff: alarms and cost', () => {
  it('GIVEN a redis CPU threshold raised THEN the alarm is loosened and flagged security', async () => {
    head('redisCpuPercent: 50', 'redisCpuPercent: 90');
    const { code, report } = await diff();
    expect(code).toBe(0);
    expect(changesOf(report)).toEqual([
      expect.objectContaining({ name: 'redis-cpu-course-reg-cache-001', action: 'update', field: 'threshold', before: 50, after: 90, flags: ['security'] }),
    ]);
    expect(changesOf(report)[0].message).toBe('alarm loosened: redis course-reg-cache node 001, engine CPU (%) > 50 % for 5 of 5 x 1 min → > 90 % for 5 of 5 x 1 min');
  });

  it('GIVEN a hit-rate threshold raised THEN the alarm is tightened and not flagged', async () => {
    head('redisHitRatePercent: 90', 'redisHitRatePercent: 95');
    const { report } = await diff();
    expect(changesOf(report).map((c: any) => [c.message.split(':')[0], c.flags])).toEqual([['alarm tightened', []]]);
  });

  it('GIVEN a kind disabled THEN each of its alarms is removed, flagged security, and the cost falls', async () => {
    head('    redisCpuPercent: 50\n', '    redisCpuPercent: 50\n  disable: [lambda-throttles]\n');
    const { report } = await diff();
    const removed = changesOf(report);
    expect(removed.map((c: any) => c.name)).toEqual(['lambda-throttles-courses', 'lambda-throttles-enrollments', 'lambda-throttles-profile']);
    expect(removed.every((c: any) => c.action === 'remove' && c.flags.includes('security') && c.message.includes('(`lambda-throttles` disabled)'))).toBe(true);
    expect(report.files[0].environments[0].cost).toEqual({ beforeUsd: 32.21, afterUsd: 31.91, deltaUsd: -0.3, complete: true });
  });

  it('GIVEN a bigger redis node THEN text shows the cost delta and --fail-on cost:+N fails only past N', async () => {
    head(/nodeType: cache\.t3\.micro/, 'nodeType: cache.t3.medium');
    const text = captureIo(dir);
    expect(await run(['diff', '--base-file', 'config/examples/base.yaml', 'config/examples/course-registration.yaml'], text)).toBe(0);
    expect(text.out).toContain('monthly cost $32.21 → $69.44 (+$37.23)');
    const ok = await diff('--fail-on', 'cost:+40');
    expect(ok.code).toBe(0);
    const fail = await diff('--fail-on', 'replace,cost:+30');
    expect(fail.code).toBe(1);
    expect(fail.io.err).toContain('--fail-on cost:+30: the monthly estimate grows by more than $30 in course-registration (+$37.23)');
  });

  it('GIVEN a malformed cost gate THEN a usage error that shows the form', () => {
    expect(parseFailOn('cost:25')).toEqual({ error: 'invalid --fail-on value `cost:25`; write cost:+N, the most the monthly estimate may grow in USD (cost:+25)' });
    expect(parseFailOn('security,cost:+2.5')).toEqual({ flags: ['security'], costLimitUsd: 2.5 });
  });
});
