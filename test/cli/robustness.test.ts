/**
 * "Never a stack trace": the CLI run in-process over garbage arguments and
 * mangled or random files. Every run must end with exit 0, 1 or 2, without an
 * internal error and without a stack frame on stderr, and a JSON format must
 * still print one JSON document. The inputs come from a seeded generator, so a
 * failure names its seed and case and reproduces.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { captureIo } from './io';
import { pick, prng, type Rand } from '../support/random';

const ROOT = join(__dirname, '..', '..');
const SEED = 20261123;

const BASE = readFileSync(join(ROOT, 'config', 'user-service.yaml'), 'utf8');
const YAML_NOISE = [':', '-', '{', '}', '[', ']', ',', '&a', '*a', '!!str', '|', '>', "'", '"', '#', '%', '@', '`', ' ', '\t', '\n', '  ', '? ', '<<: *a', 'null', '~', '1e309', '-0', '0x1F', '.nan', 'é', '\u0000', '\ufeff', '\r\n'];

function mangle(text: string, rnd: Rand): string {
  let out = text;
  const edits = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const kind = Math.floor(rnd() * 5);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + Math.floor(rnd() * 80));
    else if (kind === 1) out = out.slice(0, at) + pick(rnd, YAML_NOISE) + out.slice(at);
    else if (kind === 2) {
      const lines = out.split('\n');
      const n = Math.floor(rnd() * lines.length);
      lines.splice(n, 0, lines[n] ?? '');
      out = lines.join('\n');
    } else if (kind === 3) out = out.replace(/\b\d+\b/, () => pick(rnd, ['-1', '99999999999999999999', '0.5', 'true', '"3"', '']));
    else out = out.slice(0, at);
  }
  return out;
}

function bytes(rnd: Rand, n: number): Buffer {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) buf[i] = Math.floor(rnd() * 256);
  return buf;
}

const FLAGS = ['--env', '--format', '--strict', '--help', '-h', '--', '-', '', '=', '--format=json', '--format=sarif', '--format=', '--env=', '--env=prod', '--strict=1', '--version', '-v', 'prod', 'dev', 'json', 'text', 'github', 'sarif', '\u202e', 'ünïcode', '--x'.repeat(50)];

describe('the CLI never ends in a stack trace', () => {
  let dir: string;
  const files: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cachestack-fuzz-'));
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'empty-dir'));
    const rnd = prng(SEED);
    for (let i = 0; i < 40; i++) {
      const name = `config/m${i}.yaml`;
      writeFileSync(join(dir, name), mangle(BASE, rnd));
      files.push(name);
    }
    for (let i = 0; i < 5; i++) {
      const name = `config/b${i}.yml`;
      writeFileSync(join(dir, name), bytes(rnd, Math.floor(rnd() * 2000)));
      files.push(name);
    }
    files.push('config', 'empty-dir', '.', '..', '/dev/null', 'no/such/file.yaml');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(label: string, code: number, out: string, err: string, argv: string[]) {
    const context = `${label} argv=${JSON.stringify(argv)}\nstderr: ${err.slice(0, 500)}`;
    expect({ context, ok: [0, 1, 2].includes(code) }).toEqual({ context, ok: true });
    expect({ context, internal: err.includes('internal error') }).toEqual({ context, internal: false });
    expect({ context, stack: /\n\s+at .+:\d+:\d+\)?\n/.test(err) }).toEqual({ context, stack: false });
    const format = argv.includes('--format=json') || argv.join(' ').includes('--format json') ? 'json' : argv.includes('--format=sarif') || argv.join(' ').includes('--format sarif') ? 'sarif' : undefined;
    if (format && argv[0] === 'validate' && out !== '' && !argv.includes('--help') && !argv.includes('-h')) {
      expect({ context, parses: (() => { try { JSON.parse(out); return true; } catch { return false; } })() }).toEqual({ context, parses: true });
    }
  }

  it('GIVEN every mangled or random file WHEN validated in each format THEN each run ends cleanly', async () => {
    for (const file of files) {
      for (const format of ['text', 'json', 'github', 'sarif']) {
        const argv = ['validate', file, '--format', format];
        const io = captureIo(dir);
        check(`file ${file}`, await run(argv, io), io.out, io.err, argv);
      }
    }
  });

  it('GIVEN garbage argument lists WHEN run THEN each ends cleanly with a usage error or a result', async () => {
    const rnd = prng(SEED + 1);
    for (let i = 0; i < 300; i++) {
      const head = pick(rnd, ['validate', 'validate', 'validate', 'schema', 'help', '--help', '--version', 'valdate', '', '-', '--', 'HELP']);
      const argv = [head];
      const n = Math.floor(rnd() * 6);
      for (let j = 0; j < n; j++) argv.push(rnd() < 0.4 ? pick(rnd, files) : pick(rnd, FLAGS));
      const io = captureIo(dir);
      check(`case ${i}`, await run(argv, io), io.out, io.err, argv);
    }
  });
});
