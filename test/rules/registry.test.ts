import * as fs from 'fs';
import * as path from 'path';
import { RULE_CODES } from '../../src/config/diagnostics';
import { RULE_META, RULES, runRules } from '../../src/config/rules';
import type { Rule } from '../../src/config/rules/types';
import { contextFor, model } from './helpers';

const RULES_DIR = path.join(__dirname, '../../src/config/rules');

describe('rule registry', () => {
  it('GIVEN the registry THEN rule ids are unique and each names its module file', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(fs.existsSync(path.join(RULES_DIR, `${id}.ts`))).toBe(true);
  });

  it('GIVEN every rule module file THEN it is registered', () => {
    const modules = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'util.ts'].includes(f));
    expect(modules.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('GIVEN every meta THEN its code is a known rule code, declared once, with a lower-case one-line description', () => {
    const codes = RULES.flatMap((r) => r.meta.map((m) => m.code));
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of RULES) {
      for (const m of r.meta) {
        expect(RULE_CODES).toContain(m.code);
        expect(m.description).toMatch(/^[a-z`]/);
        expect(m.description).not.toContain('\n');
        expect(RULE_META.get(m.code)?.rule).toBe(r.id);
      }
    }
  });

  it('GIVEN a rule that reports an undeclared code WHEN run THEN runRules raises an internal error naming the rule', () => {
    const rogue: Rule = { id: 'rogue', meta: [], check: (ctx) => ctx.report({ code: 'entry-not-found', path: [], message: 'x' }) };
    RULES.push(rogue);
    try {
      const { ctx } = contextFor(model());
      expect(() => runRules(ctx)).toThrow('internal error in rule `rogue`: rule `rogue` reported undeclared code `entry-not-found`');
    } finally {
      RULES.pop();
    }
  });

  it('GIVEN a report without severity WHEN run THEN the code default severity is filled in', () => {
    const { ctx, reports } = contextFor(model({ warmer: { schedule: 'rate(5 minutes)', concurrency: 1, enabled: true, timeoutSeconds: 30 } }));
    runRules(ctx);
    expect(reports.map((r) => [r.code, r.severity])).toEqual([['warmer-without-targets', 'warning']]);
  });
});
