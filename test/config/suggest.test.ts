/**
 * One "did you mean" rule for the config diagnostics and the CLI: the same typo
 * gets the same hint wherever it is made, and a swap of two letters is one edit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closest as cliClosest } from '../../src/cli/suggest';
import { run } from '../../src/cli/main';
import { closest, editDistance } from '../../src/config/suggest';
import { closest as ruleClosest } from '../../src/config/rules/util';
import { captureIo } from '../cli/io';

describe('editDistance', () => {
  it.each([
    ['cache', 'cache', 0],
    ['cahce', 'cache', 1], // adjacent swap
    ['cach', 'cache', 1],
    ['cachee', 'cache', 1],
    ['cbche', 'cache', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'ac', 1],
    ['abcdef', 'badcfe', 3],
  ])('GIVEN %s and %s WHEN measured THEN the distance is %i, both ways', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  it('GIVEN a swapped pair of letters WHEN suggested THEN the config rules and the CLI both name the word meant', () => {
    for (const f of [closest, cliClosest, ruleClosest]) {
      expect(f('cahce', ['cache', 'handler', 'method'])).toBe('cache');
      expect(f('--fromat', ['--format', '--env', '--help'])).toBe('--format');
      expect(f('zzz', ['cache', 'handler'])).toBeUndefined();
    }
  });

  it('GIVEN ties WHEN suggested THEN the first in sorted order wins, whatever the order given', () => {
    expect(closest('ab', ['ac', 'aa'])).toBe('aa');
    expect(closest('ab', ['aa', 'ac'])).toBe('aa');
  });
});

describe('GIVEN an endpoint with `cahce:` WHEN validated', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cachestack-suggest-'));
    writeFileSync(join(dir, 'api.ts'), 'export const handler = async () => ({ statusCode: 200, body: "[]" });\n');
    writeFileSync(
      join(dir, 'orders.yaml'),
      'version: 1\nservice: orders\nregion: eu-west-1\nhandlers:\n  api:\n    entry: api.ts\nrestApi:\n  name: orders\n  endpoints:\n    - path: /orders\n      method: GET\n      handler: api\n      auth: iam\n      cahce: false\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN the unknown key points at the line and the hint says `cache`', async () => {
    const io = captureIo(dir);
    expect(await run(['validate', 'orders.yaml'], io)).toBe(1);
    expect(io.out).toMatch(/^orders\.yaml:14:7: error\[schema-unknown-key\]/m);
    expect(io.out).toMatch(/did you mean `cache`\?/);
  });
});
