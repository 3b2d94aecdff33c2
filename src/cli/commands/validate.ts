/**
 * `cachestack validate`: load config files, run the schema and the rules, print
 * the diagnostics in one of the output formats, exit 0 (valid), 1 (invalid) or 2
 * (usage or I/O error). Loads nothing of cdktf.
 */
import { ALL_CODE_META, DEFAULT_CONFIG_DIR, loadConfig, resolveInputs, type Diagnostic, type LoadResult } from '../../config';
import { CliError, formatHelp, parseCommandArgs, UsageError, type Command, type OptionSpec } from '../command';
import { DEFAULT_MAX_DIAGNOSTICS, FORMATS, renderReport, type Format, type ValidationReport } from '../format';
import { allowOutsideRootFromEnv, useColor } from '../io';
import { closest } from '../suggest';
import { cachestackVersion } from '../version';

const usage = 'cachestack validate [FILE|DIR ...] [--env NAME] [--format text|json|github|sarif] [--strict] [--max-diagnostics N] [--allow-outside-root]';

const OPTIONS: Record<string, OptionSpec> = {
  env: { type: 'string' },
  format: { type: 'string', choices: FORMATS },
  strict: { type: 'boolean' },
  'max-diagnostics': { type: 'string' },
  'allow-outside-root': { type: 'boolean' },
};

/** Codes that mean a config file could not be read at all (on the file itself, not a field): an I/O error (exit 2), not an invalid config. */
const IO_CODES: ReadonlySet<Diagnostic['code']> = new Set(['file-unreadable', 'file-not-regular']);

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check config files: schema, references and rules, with file:line:column diagnostics.',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Checks each config file against the JSON Schema and the rules a schema cannot express (references, duplicates, cache isolation, environments ...), once per environment, and prints every problem with its file, line, column, field path and rule code.',
      'Nothing is deployed and cdktf is not loaded. The one file written is the analysis of each GraphQL schema, kept by content in the user cache directory (~/.cache/cachestack/sdl on Linux) so that an unchanged schema is analysed once; CACHESTACK_CACHE_DIR moves it ($CACHESTACK_CACHE_DIR/sdl), CACHESTACK_NO_CACHE=1 turns it off (docs/config.md, "The analysis cache").',
    ],
    arguments: [
      ['FILE|DIR ...', `Config files, or directories whose *.yaml and *.yml files (directly inside, not in subdirectories) are checked. Default: ${DEFAULT_CONFIG_DIR}`],
    ],
    options: [
      ['--env NAME', 'Check only environment NAME of each file. Default: every environment (and the base when a file has none). An environment no file defines is an error (exit 2).'],
      ['--format FORMAT', 'text (default): compiler-style messages with the source line; json: one JSON document; github: GitHub Actions annotations; sarif: one SARIF 2.1.0 log.'],
      ['--strict', 'Warnings fail too (exit 1). Default: only errors fail.'],
      [
        '--max-diagnostics N',
        `text and github: show at most N diagnostics per file, then a line that counts the rest (the counts per file always cover all). Default: ${DEFAULT_MAX_DIAGNOSTICS}; 0 shows all. json and sarif always list every diagnostic.`,
      ],
      [
        '--allow-outside-root',
        'Also read config files, handler entries and GraphQL schemas outside the project root (after following symbolic links). Default: refused (path-outside-project). The project root is the nearest directory above the config file holding .git, else package.json, else the working directory. CACHESTACK_ALLOW_OUTSIDE_ROOT=1 does the same.',
      ],
    ],
    exitCodes: [
      [0, 'Every file is valid (warnings allowed unless --strict).'],
      [1, 'At least one error, or a warning with --strict.'],
      [2, 'Usage error, a path that does not exist or cannot be read (or is a FIFO or a device), an unknown --env, or an internal error.'],
    ],
    examples: [
      ['cachestack validate', `Check every config file in ${DEFAULT_CONFIG_DIR}`],
      ['cachestack validate config/users.yaml --env prod', 'Check one file, for its prod environment only.'],
      ['cachestack validate --format github --strict', 'In GitHub Actions: annotate the pull request and fail on warnings too.'],
      ['cachestack validate --format sarif > cachestack.sarif', 'Write a SARIF log for code scanning.'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('validate', args, OPTIONS, true);
    const format = (values.format as Format | undefined) ?? 'text';
    const env = values.env as string | undefined;
    const strict = values.strict === true;
    const maxDiagnostics = parseMaxDiagnostics(values['max-diagnostics'] as string | undefined);
    const allowOutsideRoot = values['allow-outside-root'] === true || allowOutsideRootFromEnv(io.env);

    const inputs = resolveInputs(positionals, io.cwd);
    if ('error' in inputs) throw new CliError(inputs.error);
    const result = loadConfig(inputs.files, { env, cwd: io.cwd, allowOutsideRoot });
    if (result.unknownEnvironment !== undefined) throw new CliError(unknownEnvironmentMessage(result.unknownEnvironment, result));

    const report: ValidationReport = {
      files: result.files.map((f) => ({ path: f.file, environments: f.environments })),
      diagnostics: result.diagnostics,
      sources: result.sources,
      strict,
    };
    io.stdout(renderReport(format, report, { color: useColor(io), version: cachestackVersion(), rules: ALL_CODE_META, maxDiagnostics }));

    if (result.diagnostics.some((d) => IO_CODES.has(d.code) && d.path === '')) return 2;
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.length - errors;
    return errors > 0 || (strict && warnings > 0) ? 1 : 0;
  },
};

/** `--max-diagnostics N`: a whole number, 0 for no limit. */
function parseMaxDiagnostics(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_DIAGNOSTICS;
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`invalid value \`${value}\` for \`--max-diagnostics\`; allowed: a whole number of diagnostics per file, 0 for all`);
  const n = Number(value);
  return n === 0 ? Infinity : n;
}

function unknownEnvironmentMessage(env: string, result: LoadResult): string {
  const defined = [...new Set(result.files.flatMap((f) => f.environments))].sort();
  const where = result.files.length === 1 ? result.files[0].file : 'the files checked';
  const allowed = defined.length > 0 ? `environments defined: ${defined.join(', ')}` : `${where} ${result.files.length === 1 ? 'defines' : 'define'} no environments`;
  const guess = closest(env, defined);
  return `unknown environment \`${env}\` for --env; ${allowed}${guess ? `; did you mean \`${guess}\`?` : ''}`;
}
