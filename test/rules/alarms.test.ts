/**
 * Rule 18 through the real loader: YAML in, diagnostics with places out, and the
 * resolved `alarms` of each environment (defaults, overrides, turned off).
 */
import { ALARM_THRESHOLDS } from '../../src/config/constants';
import { MINIMAL, places, TempDir } from '../config/helpers';

const HANDLER = ['handlers:', '  api:', '    entry: ok.ts', ''].join('\n');
const REDIS = ['network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa, subnet-0bbb] }', 'redis:', '  main: {}', ''].join('\n');

let tmp: TempDir;
beforeEach(() => (tmp = new TempDir()));
afterEach(() => tmp.remove());

function load(yaml: string) {
  tmp.write('svc.yaml', yaml);
  return tmp.load(['svc.yaml']);
}

const codes = (r: ReturnType<typeof load>) => places(r).filter((p) => p.startsWith('alarm'));

describe('alarms: schema, defaults and rule 18', () => {
  it('GIVEN no thresholds THEN every documented default is applied', () => {
    const r = load(MINIMAL + HANDLER + ['alarms:', '  notify: { email: [ops@example.com] }', ''].join('\n'));
    expect(r.diagnostics).toEqual([]);
    const a = r.models[0].alarms!;
    expect(a).toEqual({
      enabled: true,
      notify: { email: ['ops@example.com'] },
      dashboard: true,
      latencyFactor: 2,
      thresholds: Object.fromEntries(Object.entries(ALARM_THRESHOLDS).map(([k, v]) => [k, v.default])),
      disable: [],
    });
  });

  it('GIVEN an environment that overrides a threshold and one that turns alarms off THEN each model says so', () => {
    const r = load(
      MINIMAL + HANDLER + REDIS +
        ['alarms:', '  notify: { topicArn: "arn:aws:sns:us-east-1:123456789012:oncall" }', '  thresholds: { redisCpuPercent: 75 }',
          'environments:', '  dev: { alarms: { enabled: false } }', '  prod: { alarms: { thresholds: { redisCpuPercent: 60 } } }', ''].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    const byEnv = Object.fromEntries(r.models.map((m) => [m.environment, m.alarms!]));
    expect(byEnv.dev.enabled).toBe(false);
    expect(byEnv.dev.thresholds.redisCpuPercent).toBe(75);
    expect(byEnv.prod.enabled).toBe(true);
    expect(byEnv.prod.thresholds.redisCpuPercent).toBe(60);
    expect(byEnv.prod.notify).toEqual({ topicArn: 'arn:aws:sns:us-east-1:123456789012:oncall' });
  });

  it('GIVEN a percentage above 100, a zero rate and a factor below 1 THEN each is an error at its line', () => {
    const r = load(
      MINIMAL + HANDLER + REDIS +
        ['alarms:', '  notify: { email: [ops@example.com] }', '  latencyFactor: 0.5', '  thresholds:', '    redisCpuPercent: 150', '    lambdaErrorRatePercent: 0', ''].join('\n'),
    );
    expect(codes(r)).toEqual(['alarm-threshold-range 12:18', 'alarm-threshold-range 14:22', 'alarm-threshold-range 15:29']);
    const cpu = r.diagnostics.find((d) => String(d.path).includes('redisCpuPercent'))!;
    expect(cpu.message).toBe('`redisCpuPercent: 150` is outside the range of its metric (%, above 0 up to 100)');
    expect(cpu.hint).toBe('set a value above 0 up to 100, or leave it out for the default 80');
    expect(cpu.severity).toBe('error');
  });

  it('GIVEN a misspelt kind in disable THEN it is an error that suggests the kind', () => {
    const r = load(MINIMAL + HANDLER + ['alarms:', '  notify: { email: [ops@example.com] }', '  disable: [lambda-throttle]', ''].join('\n'));
    expect(codes(r)).toEqual(['alarm-kind-unknown 9:13']);
    expect(r.diagnostics[0].hint).toContain('`lambda-throttles`');
  });

  it('GIVEN both email and a topic THEN it is an error; GIVEN neither THEN a warning', () => {
    const both = load(MINIMAL + HANDLER + ['alarms:', '  notify: { email: [ops@example.com], topicArn: "arn:aws:sns:us-east-1:123456789012:t" }', ''].join('\n'));
    expect(codes(both).map((c) => c.split(' ')[0])).toEqual(['alarm-notify-conflict']);
    const none = load(MINIMAL + HANDLER + ['alarms: { dashboard: false }', ''].join('\n'));
    expect(codes(none)).toEqual(['alarm-without-notify 7:1']);
    expect(none.diagnostics[0].severity).toBe('warning');
  });

  it('GIVEN a redis threshold in a stack without redis THEN a warning says no alarm is made', () => {
    const r = load(MINIMAL + HANDLER + ['alarms:', '  notify: { email: [ops@example.com] }', '  thresholds: { redisCpuPercent: 75 }', ''].join('\n'));
    expect(codes(r)).toEqual(['alarm-without-subject 9:34']);
  });

  it('GIVEN latencyTargetMs out of range THEN the schema rejects it', () => {
    const r = load(
      MINIMAL + HANDLER + ['restApi:', '  name: api', '  endpoints:', '    - { path: /a, method: GET, handler: api, latencyTargetMs: 0 }', ''].join('\n'),
    );
    expect(places(r)).toEqual(['schema-range 10:63']);
  });
});
