/**
 * The contract of a CLI command, the argument parser every command uses, and the
 * layout of `--help` texts.
 *
 * A command is one module in `src/cli/commands/` exporting a `Command`, listed
 * in `src/cli/commands/index.ts`. Its module must load fast and never load
 * cdktf: `cachestack --help` and `cachestack validate` load every command
 * module, so a command that needs heavy code (src/infra, cdktf, esbuild) imports
 * it inside `run` with `await import(...)`.
 */
import { parseArgs } from 'node:util';
import type { Io } from './io';
import { closest } from './suggest';

export interface Command {
  /** The word after `cachestack`. */
  readonly name: string;
  /** One line for the command list of `cachestack --help`. */
  readonly summary: string;
  /** The synopsis, e.g. `cachestack validate [FILE|DIR ...] [--env NAME]`; printed with usage errors. */
  readonly usage: string;
  /** The full `--help` text: usage, description, arguments, options with defaults, exit codes, examples. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name and returns the exit code.
   * Throws `UsageError` for bad arguments (exit 2, usage printed) and `CliError`
   * for an expected failure with a message (its exit code); anything else is an
   * internal error. `--help`/`-h` never reach `run`: the dispatcher answers them.
   */
  run(args: readonly string[], io: Io): Promise<number>;
}

/** Bad command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure (missing path, unknown environment ...): printed as `cachestack: <message>`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** A string option may be given several times (values are collected in order). */
  multiple?: boolean;
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: ParsedValues;
  positionals: string[];
}

function quote(flag: string): string {
  return `\`${flag}\``;
}

/**
 * `util.parseArgs` in strict mode, with its errors turned into lower-case usage
 * errors that name the flag and what is allowed ("did you mean `--format`?").
 * A string option given twice is an error unless it is `multiple`.
 */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  allowPositionals: boolean,
): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type, multiple: true };
    if (spec.short) config[name].short = spec.short;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: config, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(describeParseError(command, error, options));
  }
  const values: ParsedValues = {};
  for (const [name, spec] of Object.entries(options)) {
    const given = parsed.values[name] as (string | boolean)[] | undefined;
    if (given === undefined) continue;
    if (spec.type === 'boolean') {
      values[name] = true;
      continue;
    }
    const strings = given as string[];
    for (const value of strings) checkChoice(name, value, spec);
    if (spec.multiple) values[name] = strings;
    else if (strings.length > 1) throw new UsageError(`option \`--${name}\` was given ${strings.length} times; give it once`);
    else values[name] = strings[0];
  }
  return { values, positionals: parsed.positionals };
}

function checkChoice(name: string, value: string, spec: OptionSpec): void {
  if (!spec.choices || spec.choices.includes(value)) return;
  const suggestion = closest(value, spec.choices);
  const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
  throw new UsageError(`invalid value \`${value}\` for \`--${name}\`; allowed: ${spec.choices.join(', ')}${hint}`);
}

function describeParseError(command: string, error: unknown, options: Readonly<Record<string, OptionSpec>>): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flagName = flag.split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = Object.keys(options).map((name) => `--${name}`);
      const suggestion = flagName.startsWith('--') ? closest(flagName, [...known, '--help']) : undefined;
      const hint = suggestion
        ? `; did you mean \`${suggestion}\`?`
        : known.length > 0
          ? `; options: ${[...known, '--help'].join(', ')}`
          : `; \`cachestack ${command}\` takes no options but --help`;
      return `unknown option ${quote(flagName)}${hint}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(message)) return `option ${quote(flagName)} needs a value`;
      if (/does not take an argument/.test(message)) return `option ${quote(flagName)} takes no value`;
      if (/ambiguous/.test(message)) return `option ${quote(flagName)} needs a value, not another option; write ${quote(`${flagName}=VALUE`)} if the value starts with \`-\``;
      return message.charAt(0).toLowerCase() + message.slice(1);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quote(flag)}; \`cachestack ${command}\` takes no arguments`;
    default:
      return message.charAt(0).toLowerCase() + message.slice(1);
  }
}

/** True when `-h` or `--help` appears before a `--` terminator. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

export interface HelpText {
  usage: string;
  /** Paragraphs of what the command does. */
  description: readonly string[];
  arguments?: readonly [string, string][];
  /** Flag (with its value name) and what it does, defaults included. */
  options: readonly [string, string][];
  exitCodes: readonly [number, string][];
  examples: readonly [string, string][];
}

/** Terminal width that help texts wrap at. */
const WIDTH = 88;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const left = Math.max(...rows.map(([term]) => term.length)) + 2;
  const out: string[] = [];
  for (const [term, text] of rows) {
    const body = wrap(text, WIDTH - 2 - left);
    out.push(`  ${term.padEnd(left)}${body[0] ?? ''}`.trimEnd());
    for (const more of body.slice(1)) out.push(`  ${' '.repeat(left)}${more}`);
  }
  return out;
}

/** Lays out a `--help` text; every command's help has the same sections in the same order. */
export function formatHelp(help: HelpText): string {
  const out: string[] = [`Usage: ${help.usage}`, ''];
  for (const paragraph of help.description) out.push(...wrap(paragraph, WIDTH), '');
  if (help.arguments && help.arguments.length > 0) out.push('Arguments:', ...table(help.arguments), '');
  out.push('Options:', ...table([...help.options, ['-h, --help', 'Show this help.']]), '');
  out.push('Exit codes:', ...table(help.exitCodes.map(([code, text]) => [String(code), text] as const)), '');
  out.push('Examples:');
  for (const [command, text] of help.examples) out.push(`  ${command}`, ...wrap(text, WIDTH - 6).map((line) => `      ${line}`));
  return `${out.join('\n')}\n`;
}
