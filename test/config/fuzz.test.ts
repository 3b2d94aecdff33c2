/**
 * Fuzzing the front end: 1,200 deterministic variants of real configs (config/,
 * config/examples/ and the rule fixtures), each mutated the way files go wrong —
 * flipped types, deleted and duplicated keys, random bytes, deep nesting, huge
 * numbers, unknown enumeration values, alias bombs, truncation. Every variant must
 * end in models or in diagnostics whose positions lie inside their file, and never
 * in an exception.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lineCounterOf, positionOf, RULE_CODES, type Diagnostic } from '../../src/config/diagnostics';
import type { LoadResult } from '../../src/config/load';
import { TempDir } from './helpers';
import { fuzzVariants, seedFiles } from '../support/fuzz-corpus';

const VARIANTS = 1200;

function check(result: LoadResult, name: string): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length && !result.models.length) throw new Error(`${name}: neither models nor errors`);
  if (errors.length && result.models.length) throw new Error(`${name}: models despite errors`);
  const codes = new Set<string>(RULE_CODES);
  const places = (d: Diagnostic) => [d.location, ...(d.related ?? []).map((r) => r.location)];
  for (const d of result.diagnostics) {
    if (!codes.has(d.code)) throw new Error(`${name}: unknown code ${d.code}`);
    if (!/^[a-z`"(]/.test(d.message)) throw new Error(`${name}: message not lower-case: ${d.message}`);
    for (const loc of places(d)) {
      const text = result.sources.get(loc.file);
      if (text === undefined) throw new Error(`${name}: no source for ${loc.file}`);
      if (!(loc.start >= 0 && loc.start <= loc.end && loc.end <= text.length)) throw new Error(`${name}: ${d.code} range ${loc.start}..${loc.end} outside 0..${text.length}`);
      const lines = lineCounterOf(text);
      const starts = lines.lineStarts;
      const p = positionOf(lines, loc.start);
      const lineEnd = p.line < starts.length ? starts[p.line] - 1 : text.length;
      if (p.line < 1 || p.line > starts.length || p.column < 1 || starts[p.line - 1] + p.column - 1 > lineEnd) {
        throw new Error(`${name}: ${d.code} at ${p.line}:${p.column} is not inside the file`);
      }
    }
  }
}

describe('fuzzing the config front end', () => {
  const seeds = seedFiles();
  let tmp: TempDir;
  beforeAll(() => {
    tmp = new TempDir();
  });
  afterAll(() => tmp.remove());

  it('GIVEN seed configs THEN there are enough of them to mutate', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(10);
  });

  it(`GIVEN ${VARIANTS} mutated configs WHEN loaded THEN each ends in models or well-placed diagnostics, never an exception`, () => {
    const failures: string[] = [];
    const outcomes = { models: 0, diagnostics: 0 };
    const codeCounts: Record<string, number> = {};
    for (const { name, seed, text: variant } of fuzzVariants(VARIANTS)) {
      for (const g of fs.readdirSync(path.dirname(seed)).filter((f) => f.endsWith('.graphql'))) {
        fs.copyFileSync(path.join(path.dirname(seed), g), path.join(tmp.dir, g));
      }
      try {
        const result = tmp.load([tmp.write('variant.yaml', variant)]);
        check(result, name);
        if (result.models.length) outcomes.models++;
        else outcomes.diagnostics++;
        if (process.env.FUZZ_STATS) for (const d of result.diagnostics) codeCounts[d.code] = (codeCounts[d.code] ?? 0) + 1;
      } catch (err) {
        failures.push(`${name}: ${(err as Error).stack ?? String(err)}`);
      }
    }
    if (process.env.FUZZ_STATS) console.log(JSON.stringify({ outcomes, codeCounts }));
    expect(failures.slice(0, 5)).toEqual([]);
    // The mutations must reach both outcomes, or the fuzzing proves little.
    expect(outcomes.diagnostics).toBeGreaterThan(VARIANTS / 2);
    expect(outcomes.models).toBeGreaterThan(0);
  });
});
