/**
 * `cachestack explain` on the example configs: golden output per file and
 * format, byte-identical across runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { captureIo } from '../cli/io';
import { expectGolden } from './golden';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = [
  'config/user-service.yaml',
  ...fs
    .readdirSync(path.join(ROOT, 'config', 'examples'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `config/examples/${f}`),
];
const EXT = { text: 'txt', markdown: 'md', json: 'json' } as const;

async function explain(...args: string[]) {
  const io = captureIo(ROOT);
  const code = await run(['explain', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('cachestack explain on the examples', () => {
  test('GIVEN the example directory WHEN listed THEN every example has golden outputs', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
  });

  describe.each(EXAMPLES)('%s', (file) => {
    const stem = path.basename(file).replace(/\.ya?ml$/, '');
    test.each(Object.keys(EXT) as (keyof typeof EXT)[])('GIVEN the example WHEN explained as %s THEN the output matches its golden file and does not change between runs', async (format) => {
      const first = await explain(file, '--format', format);
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expectGolden(`explain/${stem}.${EXT[format]}`, first.out);
      const second = await explain(file, '--format', format);
      expect(second.out).toBe(first.out);
    });
  });

  test('GIVEN --env WHEN explained THEN only that environment is planned', async () => {
    const { code, out } = await explain('config/user-service.yaml', '--env', 'dev', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).plans.map((p: { stackName: string }) => p.stackName)).toEqual(['user-service-dev']);
  });

  test('GIVEN an environment no file defines WHEN explained THEN it is a usage error naming the defined ones', async () => {
    const { code, out, err } = await explain('config/user-service.yaml', '--env', 'staging');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('unknown environment `staging` for --env; environments defined: dev, prod');
  });

  test('GIVEN an invalid config WHEN explained THEN diagnostics go to stderr, nothing to stdout, exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'cachestack-explain-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nservice: bad\nregion: us-east-1\nhandlers:\n  api: { entry: a.ts, memoryMb: 64 }\n');
      fs.writeFileSync(path.join(dir, 'a.ts'), 'export const handler = async () => 1;\n');
      const io = captureIo(dir);
      const code = await run(['explain', 'bad.yaml'], io);
      expect(code).toBe(1);
      expect(io.out).toBe('');
      expect(io.err).toMatch(/bad\.yaml:5:\d+: error\[schema-range\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN an unknown format WHEN explained THEN it is a usage error', async () => {
    const { code, err } = await explain('--format', 'html');
    expect(code).toBe(2);
    expect(err).toContain('invalid value `html` for `--format`; allowed: text, markdown, json');
  });
});
