import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { captureIo } from './io';

const VALID = `version: 1
service: orders
region: eu-west-1
handlers:
  api:
    entry: api.ts
restApi:
  name: orders
  endpoints:
    - { path: /orders, method: GET, handler: api, auth: iam }
environments:
  dev: {}
  prod: {}
`;

/** Valid, with one warning: a handler behind the REST API may run longer than API Gateway waits. */
const WARNING = VALID.replace('    entry: api.ts\n', '    entry: api.ts\n    timeoutSeconds: 60\n');

/** Invalid: the endpoint names a handler that does not exist. */
const ERROR = VALID.replace('handler: api,', 'handler: apj,');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cachestack-validate-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'api.ts'), 'export const handler = async () => ({ statusCode: 200, body: "[]" });\n');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(dir, 'config', name), text);
  return `config/${name}`;
}

async function cli(argv: string[], options: { env?: Record<string, string>; isTTY?: boolean } = {}) {
  const io = captureIo(dir, options);
  const code = await run(['validate', ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe('cachestack validate: exit codes', () => {
  it('GIVEN no path and a config/ directory with a valid file WHEN validated THEN it checks config/ and exits 0', async () => {
    write('orders.yaml', VALID);
    expect(await cli([])).toEqual({ code: 0, out: 'config/orders.yaml: valid (environments: dev, prod)\n1 file checked: valid\n', err: '' });
  });

  it('GIVEN a file with only a warning WHEN validated THEN it exits 0, and 1 with --strict', async () => {
    const file = write('orders.yaml', WARNING);
    const lenient = await cli([file]);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('warning[api-timeout-exceeds-gateway]');
    expect(lenient.out.endsWith('1 file checked: valid, 1 warning\n')).toBe(true);
    const strict = await cli([file, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.out.endsWith('1 file checked: invalid, 0 errors and 1 warning (warnings fail with --strict)\n')).toBe(true);
  });

  it('GIVEN a file with an error WHEN validated THEN it exits 1 and points at the line and column with a hint', async () => {
    const file = write('orders.yaml', ERROR);
    const { code, out, err } = await cli([file]);
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toMatch(/^config\/orders\.yaml:10:46: error\[unresolved-reference\]: .*`apj`/);
    expect(out).toContain('  field: restApi.endpoints[0].handler\n');
    expect(out).toContain(`  10 |     - { path: /orders, method: GET, handler: apj, auth: iam }\n     | ${' '.repeat(45)}^^^\n`);
    expect(out).toContain('hint: did you mean `api`?');
  });

  it('GIVEN a valid and an invalid file WHEN validated together THEN it exits 1 and says which is which', async () => {
    const good = write('a.yaml', VALID);
    const bad = write('b.yaml', ERROR.replace('service: orders', 'service: billing'));
    const { code, out } = await cli([good, bad]);
    expect(code).toBe(1);
    expect(out).toContain('config/a.yaml: valid (environments: dev, prod)\nconfig/b.yaml: invalid, 1 error, 0 warnings (environments: dev, prod)\n2 files checked: invalid, 1 error and 0 warnings\n');
  });

  it('GIVEN a path that does not exist WHEN validated THEN it exits 2 with one line on stderr and nothing on stdout', async () => {
    expect(await cli(['config/nope.yaml'])).toEqual({ code: 2, out: '', err: 'cachestack: config/nope.yaml: no such file or directory\n' });
  });

  it('GIVEN no path and no config/ directory WHEN validated THEN it exits 2 and says what to do', async () => {
    rmSync(join(dir, 'config'), { recursive: true });
    const { code, err } = await cli([]);
    expect(code).toBe(2);
    expect(err).toBe('cachestack: no config/ directory here: name the config files or directories to check\n');
  });

  it('GIVEN a directory entry that cannot be read WHEN validated THEN the diagnostic is printed and it exits 2 (an I/O error)', async () => {
    write('orders.yaml', VALID);
    symlinkSync(join(dir, 'missing-target.yaml'), join(dir, 'config', 'broken.yaml'));
    const { code, out } = await cli(['config', '--format', 'json']);
    expect(code).toBe(2);
    const doc = JSON.parse(out);
    expect(doc.diagnostics.map((d: { code: string; file: string }) => [d.code, d.file])).toEqual([['file-unreadable', 'config/broken.yaml']]);
  });

  it('GIVEN --env naming an environment WHEN validated THEN only that environment is checked', async () => {
    const file = write('orders.yaml', VALID.replace('  prod: {}\n', '  prod:\n    handlers: { apj: { memoryMb: 1024 } }\n'));
    expect((await cli([file])).code).toBe(1);
    expect((await cli([file, '--env', 'dev'])).code).toBe(0);
    const prod = await cli([file, '--env', 'prod']);
    expect(prod.code).toBe(1);
    expect(prod.out).toContain('error[overlay-unknown-entry]');
  });

  it('GIVEN --env naming an environment no file defines WHEN validated THEN it exits 2 and lists the environments, with a guess', async () => {
    const file = write('orders.yaml', VALID);
    expect(await cli([file, '--env', 'prd'])).toEqual({
      code: 2,
      out: '',
      err: 'cachestack: unknown environment `prd` for --env; environments defined: dev, prod; did you mean `prod`?\n',
    });
  });
});

describe('cachestack validate: arguments', () => {
  it.each([
    [['--format', 'xml'], 'invalid value `xml` for `--format`; allowed: text, json, github, sarif'],
    [['--format', 'jsno'], 'did you mean `json`?'],
    [['--format'], 'option `--format` needs a value'],
    [['--env', 'a', '--env', 'b'], 'option `--env` was given 2 times; give it once'],
    [['--strict=yes'], 'option `--strict` takes no value'],
    [['--strickt'], 'unknown option `--strickt`; did you mean `--strict`?'],
    [['-x'], 'unknown option `-x`; options: --env, --format, --strict, --max-diagnostics, --allow-outside-root, --help'],
    [['--max-diagnostics', 'all'], 'invalid value `all` for `--max-diagnostics`; allowed: a whole number of diagnostics per file, 0 for all'],
    [['--max-diagnostics=-1'], 'invalid value `-1` for `--max-diagnostics`'],
    [['--max-diagnostics', '2.5'], 'invalid value `2.5` for `--max-diagnostics`'],
  ])('GIVEN %j WHEN parsed THEN it is a usage error (exit 2) that says so', async (argv, message) => {
    write('orders.yaml', VALID);
    const { code, out, err } = await cli(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('Usage: cachestack validate [FILE|DIR ...]');
  });

  it('GIVEN a path that starts with a dash after `--` WHEN validated THEN it is taken as a path', async () => {
    const { code, err } = await cli(['--', '-odd.yaml']);
    expect(code).toBe(2);
    expect(err).toBe('cachestack: -odd.yaml: no such file or directory\n');
  });
});

describe('cachestack validate: output', () => {
  it.each(['json', 'sarif'])('GIVEN --format %s WHEN validated THEN stdout is exactly one JSON document', async (format) => {
    const file = write('orders.yaml', ERROR);
    const { code, out } = await cli([file, '--format', format]);
    expect(code).toBe(1);
    const doc = JSON.parse(out);
    expect(JSON.stringify(doc)).toContain('unresolved-reference');
  });

  it('GIVEN --format sarif WHEN validated THEN every code the loader and rules know is a rule, with the package version', async () => {
    const file = write('orders.yaml', ERROR);
    const doc = JSON.parse((await cli([file, '--format', 'sarif'])).out);
    const ids = doc.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['file-unreadable', 'schema-unknown-key', 'unresolved-reference', 'cache-isolation']));
    expect(doc.runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.runs[0].results[0]).toMatchObject({ ruleId: 'unresolved-reference', level: 'error' });
    expect(ids[doc.runs[0].results[0].ruleIndex]).toBe('unresolved-reference');
  });

  it('GIVEN --format github WHEN validated THEN each diagnostic is a workflow command', async () => {
    const file = write('orders.yaml', ERROR);
    const { out } = await cli([file, '--format', 'github']);
    expect(out.split('\n')[0]).toMatch(/^::error file=config\/orders\.yaml,line=10,col=46,endLine=10,endColumn=48,title=cachestack unresolved-reference::/);
  });

  it('GIVEN a file with 150 errors WHEN validated THEN text shows 100 and counts the rest, --max-diagnostics changes that, 0 shows all, json lists all', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `    k${i}: 1\n`).join('');
    const file = write('orders.yaml', VALID.replace('    entry: api.ts\n', `    entry: api.ts\n${keys}`));
    const blocks = (out: string) => (out.match(/^config\/orders\.yaml:\d+:\d+: error\[schema-unknown-key\]/gm) ?? []).length;
    const byDefault = await cli([file]);
    expect(byDefault.code).toBe(1);
    expect(blocks(byDefault.out)).toBe(100);
    expect(byDefault.out).toContain('\n… and 50 more diagnostics in config/orders.yaml (50 errors); `cachestack validate --max-diagnostics 0` shows them all\n');
    expect(byDefault.out).toContain('config/orders.yaml: invalid, 150 errors, 0 warnings');
    const three = await cli([file, '--max-diagnostics', '3']);
    expect(blocks(three.out)).toBe(3);
    expect(three.out).toContain('… and 147 more diagnostics in config/orders.yaml (147 errors)');
    const all = await cli([file, '--max-diagnostics', '0']);
    expect(blocks(all.out)).toBe(150);
    expect(all.out).not.toContain('more diagnostics');
    const github = await cli([file, '--format', 'github', '--max-diagnostics', '7']);
    expect(github.out.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(7);
    const json = await cli([file, '--format', 'json', '--max-diagnostics', '3']);
    expect(JSON.parse(json.out).diagnostics).toHaveLength(150);
  });

  it('GIVEN a terminal WHEN validated THEN the text has colour, unless NO_COLOR is set', async () => {
    const file = write('orders.yaml', ERROR);
    expect((await cli([file], { isTTY: true })).out).toContain('\u001b[');
    expect((await cli([file], { isTTY: true, env: { NO_COLOR: '1' } })).out).not.toContain('\u001b[');
    expect((await cli([file])).out).not.toContain('\u001b[');
  });

  it('GIVEN the same files WHEN validated twice in every format THEN the output is byte-identical', async () => {
    const files = [write('a.yaml', WARNING), write('b.yaml', ERROR.replace('service: orders', 'service: billing'))];
    for (const format of ['text', 'json', 'github', 'sarif']) {
      const first = await cli([...files, '--format', format]);
      const second = await cli([...files, '--format', format]);
      expect(second).toEqual(first);
    }
  });
});
