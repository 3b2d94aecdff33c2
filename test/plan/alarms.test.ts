/**
 * The alarm plan agrees with its documentation: the table in docs/config.md is
 * generated from ALARM_KIND_DOCS, so each row must say what planAlarms does.
 */
import * as path from 'node:path';
import { ALARM_KINDS, ALARM_THRESHOLDS } from '../../src/config/constants';
import { loadConfig } from '../../src/config/load';
import { ALARM_KIND_DOCS, planAlarms, type PlannedAlarm } from '../../src/plan/alarms';

const ROOT = path.resolve(__dirname, '../..');
const models = ['config/examples/auth-service.yaml', 'config/examples/roadcall-assistant.yaml', 'config/examples/ecommerce-analytics.yaml', 'config/examples/goalsguild-user-service.yaml'].flatMap(
  (f) => loadConfig([f], { cwd: ROOT }).models,
);

describe('alarm plan and its documentation', () => {
  const planned: PlannedAlarm[] = models.flatMap((m) => planAlarms({ ...m, alarms: m.alarms && { ...m.alarms, enabled: true, disable: [], thresholds: Object.fromEntries(Object.entries(ALARM_THRESHOLDS).map(([k, v]) => [k, v.default])) as never } }));

  it('GIVEN the documented kinds THEN there is one row per kind, in kind order', () => {
    expect(ALARM_KIND_DOCS.map((d) => d.kind)).toEqual([...ALARM_KINDS]);
  });

  it.each([...ALARM_KINDS])('GIVEN kind %s THEN the examples plan it, with the documented missing data, statistic and default', (kind) => {
    const doc = ALARM_KIND_DOCS.find((d) => d.kind === kind)!;
    const of = planned.filter((p) => p.kind === kind);
    expect(of.length).toBeGreaterThan(0);
    for (const p of of) {
      expect(p.treatMissingData).toBe(doc.missingData);
      expect(p.metrics.every((m) => m.stat === doc.statistic)).toBe(true);
      expect(`${p.periodSeconds / 60} min, ${p.datapointsToAlarm} of ${p.evaluationPeriods}`).toBe(doc.period);
    }
    const key = Object.entries(ALARM_THRESHOLDS).find(([, t]) => t.kind === kind)?.[0];
    if (key) expect(doc.threshold).toContain(`\`${key}\` (${ALARM_THRESHOLDS[key as keyof typeof ALARM_THRESHOLDS].default})`);
  });

  it('GIVEN a kind in disable THEN it is left out, and alarms turned off plan nothing', () => {
    const m = models[0];
    expect(planAlarms({ ...m, alarms: { ...m.alarms!, disable: ['lambda-throttles'] } }).some((p) => p.kind === 'lambda-throttles')).toBe(false);
    expect(planAlarms({ ...m, alarms: { ...m.alarms!, enabled: false } })).toEqual([]);
  });
});
