/**
 * `cachestack explain`: the caching plan of each config file and environment, in
 * words a reviewer can check without reading Terraform. Loads nothing of cdktf.
 */
import { DEFAULT_CONFIG_DIR, loadConfig, resolveInputs } from '../../config';
import type { PlanFormat } from '../../plan/render-explain';
import { CliError, formatHelp, parseCommandArgs, type Command, type OptionSpec } from '../command';
import { renderText } from '../format/text';
import { useColor } from '../io';

const usage = 'cachestack explain [FILE|DIR ...] [--env NAME] [--format text|markdown|json]';

export const PLAN_FORMATS: readonly PlanFormat[] = ['text', 'markdown', 'json'];

const OPTIONS: Record<string, OptionSpec> = {
  env: { type: 'string' },
  format: { type: 'string', choices: PLAN_FORMATS },
};

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Print the plan per environment: endpoints, caches, handlers, grants, edge, alarms, monthly cost.',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Validates the config files and prints, for each file and environment, what the performance layer does: every endpoint (method, path, auth, TTL, cache keys, per caller or shared, who may invalidate) and resolver (field, TTL, keys); every Redis/Valkey cache (engine, version, node type, nodes, Multi-AZ, encryption, eviction, key patterns with TTLs); every DAX cluster; every handler (memory, timeout, concurrency, pool sizes, warm) with every statement of its role policy (what it may call: its connections and its `access`), and the warmer; the network (egress mode: nat needs a NAT gateway, endpoints allows only the VPC endpoints; the endpoints; the AWS services each VPC handler calls), each Postgres pool\'s ingress rule and connection budget (pool max x reserved concurrency, or 1000 when unreserved, against serverMaxConnections), and who sets the account\'s API Gateway logging role; the edge: response compression, CORS, the custom domain, WAF, and the CloudFront distribution with what each behavior caches and keys on.',
      'A cache is per caller when one of its keys identifies the caller (the Authorization header, or the header a Lambda authorizer reads; a $context.identity key for a resolver), and shared otherwise. The markdown format is written for a pull-request comment or $GITHUB_STEP_SUMMARY. The output is sorted and has no timestamps: the same configs print the same bytes.',
    ],
    arguments: [
      ['FILE|DIR ...', `Config files, or directories whose *.yaml and *.yml files (directly inside) are read. Default: ${DEFAULT_CONFIG_DIR}`],
    ],
    options: [
      ['--env NAME', 'Only environment NAME of each file. Default: every environment (and the base when a file has none). An environment no file defines is an error (exit 2).'],
      ['--format FORMAT', 'text (default): aligned tables for a terminal; markdown: tables for a pull request or job summary; json: {"plans": [...]}, one plan per file and environment.'],
    ],
    exitCodes: [
      [0, 'The plan was printed.'],
      [1, 'A config is invalid: its diagnostics are printed on stderr and nothing on stdout.'],
      [2, 'Usage error, a path that does not exist or cannot be read, an unknown --env, or an internal error.'],
    ],
    examples: [
      ['cachestack explain', `The plan of every config in ${DEFAULT_CONFIG_DIR}`],
      ['cachestack explain config/user-service.yaml --env prod', 'One file, its prod environment only.'],
      ['cachestack explain --format markdown >> "$GITHUB_STEP_SUMMARY"', 'In GitHub Actions: put the plan in the job summary.'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('explain', args, OPTIONS, true);
    const format = (values.format as PlanFormat | undefined) ?? 'text';
    const env = values.env as string | undefined;

    const inputs = resolveInputs(positionals, io.cwd);
    if ('error' in inputs) throw new CliError(inputs.error);
    const result = loadConfig(inputs.files, { env, cwd: io.cwd });
    // src/plan is loaded here, not at the top: every command module is loaded for
    // each CLI call, and `validate` should not pay for the planner.
    const [{ buildPlans }, { renderPlans }, { unknownEnvironmentMessage }] = await Promise.all([
      import('../../plan/explain'),
      import('../../plan/render-explain'),
      import('../../plan/collect'),
    ]);
    if (result.unknownEnvironment !== undefined) throw new CliError(unknownEnvironmentMessage(result.unknownEnvironment, result));

    const unreadable = result.diagnostics.some((d) => d.code === 'file-unreadable');
    if (unreadable || result.files.some((f) => f.errors > 0)) {
      io.stderr(renderText({ files: result.files.map((f) => ({ path: f.file, environments: f.environments })), diagnostics: result.diagnostics, sources: result.sources, strict: false }, { color: useColor(io) }));
      io.stderr('cachestack explain: the config is invalid; run `cachestack validate` for details\n');
      return unreadable ? 2 : 1;
    }
    io.stdout(renderPlans(buildPlans(result.models), format));
    return 0;
  },
};
