/**
 * The cost estimate from the bundled price table: the seed 002 anchor, and an
 * unknown region or node type said, never guessed.
 */
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import type { ServiceModel } from '../../src/config/model';
import { estimateCost } from '../../src/plan/cost';

const ROOT = path.resolve(__dirname, '../..');
const load = (f: string): ServiceModel[] => loadConfig([`config/examples/${f}.yaml`], { cwd: ROOT }).models;

describe('monthly cost estimate', () => {
  it('GIVEN course-registration (seed 002: one cache.t3.micro, "$11" of its "$21 a month") THEN the node line is 730 h at the us-east-1 price', () => {
    const [m] = load('course-registration');
    const c = estimateCost(m);
    const redis = c.lines.find((l) => l.item === 'redis course-reg-cache')!;
    expect(redis).toEqual({ item: 'redis course-reg-cache', detail: '1 x cache.t3.micro (redis) x 730 h x $0.017/h', monthlyUsd: 12.41 });
    // the seed's $21 adds DynamoDB indexes ($8) and data transfer ($2), which cachestack neither creates nor prices
    expect(Math.abs(redis.monthlyUsd! - 11)).toBeLessThan(2);
    expect(c.complete).toBe(true);
    expect(c.totalUsd).toBe(Math.round(c.lines.reduce((s, l) => s + l.monthlyUsd!, 0) * 100) / 100);
    expect(c.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('GIVEN an environment with more nodes THEN its estimate grows by exactly their hours', () => {
    const [dev, prod] = load('roadcall-assistant');
    const line = (m: ServiceModel, item: string) => estimateCost(m).lines.find((l) => l.item === item)!.monthlyUsd!;
    expect(line(prod, 'dax hot') / line(dev, 'dax hot')).toBeCloseTo(3, 5);
    expect(estimateCost(dev).lines.map((l) => l.item)).not.toContain('cloudwatch alarms'); // dev turns alarms off
  });

  it('GIVEN a region the table does not have THEN every line says so and the total is incomplete', () => {
    const [m] = load('course-registration');
    const c = estimateCost({ ...m, region: 'sa-east-1' });
    expect(c.complete).toBe(false);
    expect(c.totalUsd).toBe(0);
    expect(c.lines.every((l) => l.monthlyUsd === null && l.detail.includes('no price for') && l.detail.includes('sa-east-1'))).toBe(true);
  });

  it('GIVEN a node type the table does not have THEN that line is unknown and the others are priced', () => {
    const [m] = load('course-registration');
    const c = estimateCost({ ...m, redis: m.redis.map((r) => ({ ...r, nodeType: 'cache.x2gd.16xlarge' })) });
    const redis = c.lines.find((l) => l.item.startsWith('redis '))!;
    expect(redis.monthlyUsd).toBeNull();
    expect(redis.detail).toBe('no price for cache.x2gd.16xlarge (redis) in us-east-1 in the bundled table (2025-06-01)');
    expect(c.complete).toBe(false);
    expect(c.totalUsd).toBeGreaterThan(0);
  });

  it('GIVEN valkey instead of redis THEN the node price is 20% lower', () => {
    const [m] = load('course-registration');
    const valkey = estimateCost({ ...m, redis: m.redis.map((r) => ({ ...r, engine: 'valkey' as const })) }).lines.find((l) => l.item.startsWith('redis '))!;
    expect(valkey.monthlyUsd).toBe(Math.round(730 * 0.0136 * 100) / 100);
  });
});
