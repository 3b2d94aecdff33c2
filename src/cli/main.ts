/**
 * The `cachestack` command line: dispatch to a command, `--help`, `--version`,
 * exit codes. Commands live in `./commands/` and are listed in
 * `./commands/index.ts`.
 *
 * Exit codes: 0 success, 1 invalid config, 2 usage error, I/O error or internal
 * error. Nothing escapes `run` as an exception: an unexpected one becomes one
 * line on stderr (a stack trace only with CACHESTACK_DEBUG=1) and exit 2.
 */
import { CliError, UsageError, wantsHelp, type Command } from './command';
import { COMMANDS } from './commands';
import { processIo, type Io } from './io';
import { closest } from './suggest';
import { cachestackVersion } from './version';

export type { Io } from './io';

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The text of `cachestack --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `cachestack ${cachestackVersion()}: validate an API performance layer described in YAML and compile it to Terraform.`,
    '',
    'Usage: cachestack <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}Show the help of a command (\`cachestack help validate\`).`,
    '',
    'Options:',
    '  -h, --help     Show this help.',
    '  -v, --version  Print the version of cachestack.',
    '',
    'Exit codes: 0 success, 1 invalid config, 2 usage error, I/O error or internal error.',
    '',
    'Run `cachestack <command> --help` for the options, defaults and examples of a command.',
    'The config language is documented in docs/config.md.',
    '',
  ].join('\n');
}

function unknownCommand(name: string, io: Io): number {
  const suggestion = closest(name, [...COMMANDS.map((c) => c.name), 'help']);
  const hint = suggestion ? `; did you mean \`${suggestion}\`?` : `; commands: ${COMMANDS.map((c) => c.name).join(', ')}`;
  io.stderr(`cachestack: unknown command \`${name}\`${hint}\nRun \`cachestack --help\` for the list of commands.\n`);
  return 2;
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(`cachestack: no command given\n\n${mainHelp()}`);
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(mainHelp());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${cachestackVersion()}\n`);
    return 0;
  }
  if (first === 'help') {
    if (rest.length === 0) {
      io.stdout(mainHelp());
      return 0;
    }
    if (rest.length > 1) {
      io.stderr('cachestack help: give one command name, e.g. `cachestack help validate`\n');
      return 2;
    }
    const command = findCommand(rest[0]);
    if (!command) return unknownCommand(rest[0], io);
    io.stdout(command.help);
    return 0;
  }
  if (first.startsWith('-')) {
    io.stderr(`cachestack: unknown option \`${first}\` before the command; options go after it (\`cachestack validate --format json\`)\nRun \`cachestack --help\` for the list of commands.\n`);
    return 2;
  }
  const command = findCommand(first);
  if (!command) return unknownCommand(first, io);
  if (wantsHelp(rest)) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cachestack ${command.name}: ${error.message}\nUsage: ${command.usage}\nRun \`cachestack ${command.name} --help\` for more.\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the CLI with the arguments after `cachestack` and returns the exit code; never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: Io): number {
  try {
    if (error instanceof CliError) {
      io.stderr(`cachestack: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`cachestack: internal error: ${oneLine(message)} (please report this)\n`);
    if (io.env.CACHESTACK_DEBUG === '1' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  } catch {
    // Even printing failed (a closed stderr): the exit code still says what happened.
  }
  return 2;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}

/** Entry point of bin/cachestack.js: runs with the process's arguments and sets `process.exitCode`. */
export function runMain(): void {
  const io = processIo();
  // A closed pipe (`cachestack validate | head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = reportFailure(error, io);
  });
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(error, io);
    },
  );
}
