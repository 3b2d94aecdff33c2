import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { schemaCommand } from '../../src/cli/commands/schema';
import { mainHelp, run } from '../../src/cli/main';
import { captureIo } from './io';

const ROOT = join(__dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo(ROOT, { env });
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('cachestack (no command)', () => {
  it('GIVEN --help WHEN run THEN it lists every registered command and exits 0', async () => {
    const { code, out, err } = await cli(['--help']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(mainHelp());
    for (const c of COMMANDS) expect(out).toContain(`  ${c.name}`);
    expect(out).toContain('Exit codes: 0 success, 1 invalid config, 2 usage error');
  });

  it.each([['-h'], ['help']])('GIVEN %s WHEN run THEN it prints the same help', async (flag) => {
    expect((await cli([flag])).out).toBe(mainHelp());
  });

  it.each([['--version'], ['-v']])('GIVEN %s WHEN run THEN it prints the package version', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  it('GIVEN no arguments WHEN run THEN it is a usage error with the help on stderr', async () => {
    const { code, out, err } = await cli([]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('cachestack: no command given');
    expect(err).toContain('Usage: cachestack <command>');
  });

  it('GIVEN a misspelt command WHEN run THEN it suggests the right one and exits 2', async () => {
    const { code, err } = await cli(['scheam']);
    expect(code).toBe(2);
    expect(err).toBe('cachestack: unknown command `scheam`; did you mean `schema`?\nRun `cachestack --help` for the list of commands.\n');
  });

  it('GIVEN an option before the command WHEN run THEN it says options go after the command', async () => {
    const { code, err } = await cli(['--format', 'json', 'schema']);
    expect(code).toBe(2);
    expect(err).toContain('unknown option `--format` before the command');
  });

  it('GIVEN `help` with an unknown command or two names WHEN run THEN it exits 2', async () => {
    expect((await cli(['help', 'nope'])).code).toBe(2);
    expect((await cli(['help', 'schema', 'schema'])).code).toBe(2);
  });
});

describe.each(COMMANDS.map((c) => [c.name, c] as const))('cachestack %s', (name, command) => {
  it('GIVEN --help, -h or `help <command>` WHEN run THEN each prints the full help and exits 0', async () => {
    for (const argv of [[name, '--help'], [name, '-h'], ['help', name]]) {
      expect(await cli(argv)).toEqual({ code: 0, out: command.help, err: '' });
    }
  });

  it('GIVEN its help WHEN read THEN it has usage, options, exit codes and examples, and documents every flag of the usage line', () => {
    expect(command.help.startsWith(`Usage: ${command.usage}\n`)).toBe(true);
    for (const section of ['\nOptions:\n', '\nExit codes:\n', '\nExamples:\n']) expect(command.help).toContain(section);
    expect(command.help).toContain('  -h, --help');
    const flags = command.usage.match(/--[a-z-]+/g) ?? [];
    const options = command.help.slice(command.help.indexOf('\nOptions:\n'), command.help.indexOf('\nExit codes:\n'));
    for (const flag of flags) expect(options).toContain(`  ${flag}`);
    expect(command.summary.length).toBeLessThanOrEqual(100);
  });

  it('GIVEN an unknown flag WHEN run THEN it is a usage error with the usage and no stack trace', async () => {
    const { code, out, err } = await cli([name, '--no-such-flag']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`cachestack ${name}: unknown option \`--no-such-flag\``);
    expect(err).toContain(`Usage: ${command.usage}\n`);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('cachestack schema', () => {
  it('GIVEN no arguments WHEN run THEN it prints the committed schema file byte for byte', async () => {
    const { code, out } = await cli(['schema']);
    expect(code).toBe(0);
    expect(out).toBe(readFileSync(join(ROOT, 'schema', 'cachestack.schema.json'), 'utf8'));
  });

  it('GIVEN an argument WHEN run THEN it is a usage error', async () => {
    const { code, err } = await cli(['schema', 'out.json']);
    expect(code).toBe(2);
    expect(err).toContain('unexpected argument `out.json`; `cachestack schema` takes no arguments');
  });

  it('GIVEN a flag misspelt close to --help WHEN run THEN the hint names --help', async () => {
    const { err } = await cli(['schema', '--hepl']);
    expect(err).toContain('did you mean `--help`?');
  });
});

describe('internal errors', () => {
  afterEach(() => jest.restoreAllMocks());

  it('GIVEN a command that throws WHEN run THEN one line is printed, without a stack trace, and the exit code is 2', async () => {
    jest.spyOn(schemaCommand, 'run').mockRejectedValue(new Error('disk on fire\n  at somewhere'));
    const { code, out, err } = await cli(['schema']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('cachestack: internal error: disk on fire at somewhere (please report this)\n');
  });

  it('GIVEN CACHESTACK_DEBUG=1 WHEN a command throws THEN the stack follows the line', async () => {
    jest.spyOn(schemaCommand, 'run').mockRejectedValue(new Error('disk on fire'));
    const { code, err } = await cli(['schema'], { CACHESTACK_DEBUG: '1' });
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('cachestack: internal error: disk on fire (please report this)');
    expect(err).toMatch(/\n\s+at /);
  });

  it('GIVEN a command that throws a non-Error WHEN run THEN it is reported the same way', async () => {
    jest.spyOn(schemaCommand, 'run').mockImplementation(() => {
      throw 'a string';
    });
    expect((await cli(['schema'])).err).toBe('cachestack: internal error: a string (please report this)\n');
  });
});
