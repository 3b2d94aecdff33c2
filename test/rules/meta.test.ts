/**
 * Every diagnostic code is complete: it has metadata (a rule's `meta` or the
 * loader's `PHASE_CODES`), a failing and a passing fixture (or a named test that
 * covers it when it cannot be a file), and a mention in docs/config.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PHASE_CODES } from '../../src/config/codes';
import { RULE_CODES, type RuleCode } from '../../src/config/diagnostics';
import { RULE_META } from '../../src/config/rules';
import { FIXTURES_DIR, listFixtures } from './fixture-files';

const ROOT = path.join(__dirname, '../..');

/**
 * Codes whose failing or passing case cannot be a fixture file, with the test
 * file (relative to the repository root) that covers them instead. The test file
 * must exist and mention the code. Add an entry only when a file truly cannot
 * show the case (e.g. a file that cannot be read); say why in a comment.
 */
const COVERED_ELSEWHERE: Partial<Record<RuleCode, { test: string; missing: ('fail' | 'pass')[] }>> = {
  // A file over the size limit does not belong in the repository: the test generates one.
  'file-too-large': { test: 'test/config/parse.test.ts', missing: ['fail'] },
  // An unreadable file cannot carry its own `# expect:` line (the tests use a missing path and a directory).
  'file-unreadable': { test: 'test/config/parse.test.ts', missing: ['fail'] },
  // A FIFO or a device cannot be committed as a fixture: the test makes a real FIFO (mkfifo) and uses /dev/zero.
  'file-not-regular': { test: 'test/config/files.test.ts', missing: ['fail'] },
  // A clash between two files: a single-file fixture cannot show it (every single fixture passes).
  'duplicate-stack': { test: 'test/config/load.test.ts', missing: ['fail', 'pass'] },
  // Found from the bundler's metafile by synth, not by the loader that runs the fixtures.
  'access-sdk-not-granted': { test: 'test/synth/sdk-grants.test.ts', missing: ['fail', 'pass'] },
};

const fixtures = listFixtures();

describe('diagnostic codes are complete', () => {
  it.each([...RULE_CODES])('GIVEN code %s THEN it has exactly one metadata entry', (code) => {
    const inRules = RULE_META.has(code) ? 1 : 0;
    const inPhases = PHASE_CODES.filter((m) => m.code === code).length;
    expect(inRules + inPhases).toBe(1);
  });

  it.each([...RULE_CODES])('GIVEN code %s THEN it has a failing and a passing fixture (or a named test)', (code) => {
    const own = fixtures.filter((f) => f.code === code);
    const elsewhere = COVERED_ELSEWHERE[code];
    for (const kind of ['fail', 'pass'] as const) {
      if (elsewhere?.missing.includes(kind)) {
        const test = path.join(ROOT, elsewhere.test);
        expect(fs.existsSync(test)).toBe(true);
        expect(fs.readFileSync(test, 'utf8')).toContain(code);
        continue;
      }
      expect({ code, kind, fixtures: own.filter((f) => f.kind === kind).length > 0 }).toEqual({ code, kind, fixtures: true });
    }
  });

  it.each([...RULE_CODES])('GIVEN code %s THEN it is mentioned in docs/config.md', (code) => {
    const doc = path.join(ROOT, 'docs/config.md');
    expect(fs.existsSync(doc)).toBe(true);
    expect(fs.readFileSync(doc, 'utf8')).toContain(`\`${code}\``);
  });

  it('GIVEN the fixture folders THEN each is named after a known code and each failing file expects that code', () => {
    const known = new Set<string>(RULE_CODES);
    const folders = fs.existsSync(FIXTURES_DIR) ? fs.readdirSync(FIXTURES_DIR).filter((d) => fs.statSync(path.join(FIXTURES_DIR, d)).isDirectory()) : [];
    expect(folders.filter((d) => !known.has(d))).toEqual([]);
    const problems = fixtures
      .filter((f) => f.kind === 'fail')
      .filter((f) => f.malformed.length > 0 || !f.expectations.some((e) => e.code === f.code))
      .map((f) => f.name);
    expect(problems).toEqual([]);
  });

  it('GIVEN the passing fixtures THEN none declares an expectation', () => {
    expect(fixtures.filter((f) => f.kind === 'pass' && (f.expectations.length || f.malformed.length)).map((f) => f.name)).toEqual([]);
  });
});
