/**
 * `cachestack diff`: what a config change does to caching, data and isolation,
 * against a git ref or another file. Loads nothing of cdktf; runs git (without a
 * shell) only for a ref.
 */
import { DEFAULT_CONFIG_DIR } from '../../config';
import { FLAGS, type Flag } from '../../plan/flags';
import type { DiffFormat } from '../../plan/render-diff';
import { CliError, formatHelp, parseCommandArgs, UsageError, type Command, type OptionSpec } from '../command';
import { renderText } from '../format/text';
import { useColor } from '../io';

const usage = 'cachestack diff --base REF|--base-file FILE [FILE|DIR ...] [--env NAME] [--format text|markdown|json] [--fail-on replace,destroy,security,cost:+N]';

const FORMATS: readonly DiffFormat[] = ['text', 'markdown', 'json'];

const OPTIONS: Record<string, OptionSpec> = {
  base: { type: 'string' },
  'base-file': { type: 'string' },
  env: { type: 'string' },
  format: { type: 'string', choices: FORMATS },
  'fail-on': { type: 'string' },
};

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show what a config change does to caching, data and isolation, against a git ref or a file.',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Compares the configs at the base with the working copy, per file and environment: TTL, cache key, auth and isolation changes; endpoints, resolvers, caches, DAX clusters and handlers added or removed; node type, replica, shard and size changes. Endpoints match by method and path, resolvers by field, caches, clusters and handlers by name, so a rename shows as a removal plus an addition.',
      'Flags: `replace` when Terraform (or AWS) destroys and re-creates a stateful resource, following the AWS provider\'s rules (ElastiCache at-rest encryption, port, engine other than redis to valkey, version downgrade; DAX node type and encryption; AppSync cache encryption; the REST API stage and stage cache size; renamed caches, clusters and handlers; a CloudFront behavior, origin or cache key that changes, which empties its cache in effect), with "data loss" when cached or stored data goes with it; `destroy` when a cache, cluster or the CloudFront distribution is removed; `security` when isolation or protection gets weaker (a per-caller cache becomes shared, the caller\'s header leaves CloudFront\'s cache key, auth, encryption or WAF is turned off, CORS admits more origins, anyone may flush a cache, network.egress widens from endpoints to nat, a database security group gets a new ingress rule).',
      '`--base` is always a git ref, resolved by git, never a path: a file in the working tree named like the ref (a pull request could add `origin/main`) plays no part. Each config is read at the ref with `git show REF:<path>` (with the GraphQL schema it names; handler code plays no part; symbolic links are followed only inside the repository) and loaded like the working copy. A config absent at the ref is all additions; one deleted since is all removals; one invalid at the ref is reported and not compared. `--base-file` compares a config file with the one config file given.',
    ],
    arguments: [
      ['FILE|DIR ...', `Config files, or directories whose *.yaml and *.yml files (directly inside) are compared. Default: ${DEFAULT_CONFIG_DIR}`],
    ],
    options: [
      ['--base REF', 'A git ref to compare with: one commit (branch, origin/main, tag, sha, HEAD~1); not a range, not `REV:path`, not beginning with `-`. This or --base-file is required.'],
      ['--base-file FILE', 'A config file to compare with the one config file given, instead of a git ref.'],
      ['--env NAME', 'Only environment NAME. Default: every environment.'],
      ['--format FORMAT', 'text (default); markdown: for a pull-request comment or $GITHUB_STEP_SUMMARY; json: the report as one document.'],
      ['--fail-on FLAGS', `Exit 1 when a change carries one of these flags: a comma-separated list of ${FLAGS.join(', ')}, or any; and cost:+N, when an environment's monthly cost estimate grows by more than N USD. A base that could not be loaded also fails the flag gate. Default: never fail on changes.`],
    ],
    exitCodes: [
      [0, 'The diff was printed (and nothing matched --fail-on).'],
      [1, 'A change matched --fail-on, or the cost grew past cost:+N (the whole diff is printed first), a working-copy config is invalid, or, with --fail-on, a base could not be loaded.'],
      [2, 'Usage error, a path that does not exist or cannot be read, an unknown --env, an unknown or refused git ref, a symbolic link out of the repository at the ref, or no git repository.'],
    ],
    examples: [
      ['cachestack diff --base main', `What the working copy changes in ${DEFAULT_CONFIG_DIR} compared with branch main.`],
      ['cachestack diff --base origin/main --format markdown --fail-on replace,destroy,security >> "$GITHUB_STEP_SUMMARY"', 'In a pull-request job: the diff in the job summary, and a failing job when a cache would be replaced or destroyed or isolation weakened.'],
      ['cachestack diff --base-file old.yaml config/user-service.yaml', 'Compare two files.'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('diff', args, OPTIONS, true);
    const ref = values.base as string | undefined;
    const file = values['base-file'] as string | undefined;
    if (ref !== undefined && file !== undefined) throw new UsageError('give either `--base REF` or `--base-file FILE`, not both');
    if (file === '') throw new UsageError('`--base-file` needs a file name: the config file to compare with');
    if (ref === undefined && file === undefined) throw new UsageError('`--base REF` (a git ref) or `--base-file FILE` is required: what to compare with');
    const base = file !== undefined ? { file } : { ref: ref as string };
    const format = (values.format as DiffFormat | undefined) ?? 'text';
    // src/plan is loaded here, not at the top: every command module is loaded for
    // each CLI call, and `validate` should not pay for the planner.
    const [{ collectDiff }, { renderDiff }, { buildDiffReport, costFailures, gateFailures, parseFailOn }] = await Promise.all([
      import('../../plan/collect'),
      import('../../plan/render-diff'),
      import('../../plan/report'),
    ]);
    let failOn: Flag[] = [];
    let costLimitUsd: number | undefined;
    if (values['fail-on'] !== undefined) {
      const parsed = parseFailOn(values['fail-on'] as string);
      if ('error' in parsed) throw new UsageError(parsed.error);
      failOn = parsed.flags;
      costLimitUsd = parsed.costLimitUsd;
    }

    const collected = await collectDiff(positionals, { base, env: values.env as string | undefined, cwd: io.cwd });
    if (collected.kind === 'error') throw new CliError(collected.message);
    if (collected.kind === 'invalid') {
      const head = collected.head;
      io.stderr(renderText({ files: head.files.map((f) => ({ path: f.file, environments: f.environments })), diagnostics: head.diagnostics, sources: head.sources, strict: false }, { color: useColor(io) }));
      io.stderr('cachestack diff: the working copy is invalid, so there is nothing to compare; run `cachestack validate` for details\n');
      return collected.io ? 2 : 1;
    }

    const report = buildDiffReport(collected.base, collected.inputs);
    io.stdout(renderDiff(report, format));

    for (const f of report.files) if (f.base === 'invalid') io.stderr(`cachestack diff: ${f.file} is not a valid config at ${f.baseLabel}; it was not compared\n`);
    const gate = gateFailures(report, failOn);
    if (gate.changes.length || gate.unknownBase.length) {
      const parts: string[] = [];
      if (gate.changes.length) parts.push(`${gate.changes.length} change${gate.changes.length === 1 ? '' : 's'} flagged ${failOn.filter((f) => gate.changes.some((c) => c.flags.includes(f))).join(', ')}`);
      if (gate.unknownBase.length) parts.push(`no valid base for ${gate.unknownBase.join(', ')}`);
      io.stderr(`cachestack diff: --fail-on ${failOn.join(',')}: ${parts.join('; ')}\n`);
      return 1;
    }
    const pricier = costFailures(report, costLimitUsd);
    if (pricier.length) {
      io.stderr(`cachestack diff: --fail-on cost:+${costLimitUsd}: the monthly estimate grows by more than $${costLimitUsd} in ${pricier.map((e) => `${e.stackName} (+$${e.cost.deltaUsd.toFixed(2)})`).join(', ')}\n`);
      return 1;
    }
    return 0;
  },
};
