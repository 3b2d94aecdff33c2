/**
 * Every fixture under test/fixtures/rules/<code>/ through the real loader:
 * a failing file reports exactly the diagnostics its `# expect:` lines list
 * (code, file, line, column), a passing file reports nothing at all.
 * See fixture-files.ts for the convention.
 */
import * as path from 'path';
import { loadConfig } from '../../src/config';
import { lineCounterOf, positionOf, type Diagnostic } from '../../src/config/diagnostics';
import { formatExpectation, listFixtures, type Expectation } from './fixture-files';

const ROOT = path.join(__dirname, '../..');
const fixtures = listFixtures();

function observed(file: string): { found: Expectation[]; diagnostics: Diagnostic[] } {
  const result = loadConfig([path.relative(ROOT, file)], { cwd: ROOT });
  const found = result.diagnostics.map((d) => {
    const text = result.sources.get(d.location.file) ?? '';
    const pos = positionOf(lineCounterOf(text), d.location.start);
    return { code: d.code, file: path.resolve(ROOT, d.location.file), line: pos.line, column: pos.column };
  });
  return { found, diagnostics: result.diagnostics };
}

/** Sorted and de-duplicated: several environments may report one place once each. */
function canonical(list: Expectation[]): string[] {
  return [...new Set(list.map(formatExpectation))].sort();
}

describe('rule fixtures through loadConfig', () => {
  it('GIVEN the fixture folder THEN it holds fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  const failing = fixtures.filter((f) => f.kind === 'fail');
  const passing = fixtures.filter((f) => f.kind === 'pass');

  it.each(failing.map((f) => [f.name, f] as const))('GIVEN %s WHEN loaded THEN it reports exactly its expectations', (_name, f) => {
    const { found, diagnostics } = observed(f.file);
    expect(canonical(found)).toEqual(canonical(f.expectations));
    // Every rule diagnostic is complete: lower-case message, a field path, a location in a file.
    for (const d of diagnostics) {
      expect(d.message).toMatch(/^[a-z`"(]/);
      expect(d.location.end).toBeGreaterThanOrEqual(d.location.start);
    }
  });

  it.each(passing.map((f) => [f.name, f] as const))('GIVEN %s WHEN loaded THEN it reports nothing', (_name, f) => {
    const { diagnostics } = observed(f.file);
    expect(diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`)).toEqual([]);
  });
});
