/**
 * `cachestack synth`: validate, bundle the handlers and write Terraform, one
 * stack per service and environment, in the layout `cdktf synth` writes.
 *
 * `runSynth` does the work and the printing for both this command and
 * `main.ts` (what `cdktf synth` runs). This module loads no cdktf or esbuild
 * itself: the synth library is imported inside `runSynth`.
 */
import { formatHelp, parseCommandArgs, type Command } from '../command';
import { allowOutsideRootFromEnv, useColor, type Io } from '../io';

const usage = 'cachestack synth [FILE|DIR ...] [--env NAME] [--out DIR] [--allow-outside-root]';

export interface RunSynthOptions {
  env?: string;
  out?: string;
  /** Passed through to the pipeline: see `PipelineOptions.keepUnlistedStacks`. */
  keepUnlistedStacks?: boolean;
  /** The command name used in messages (`cachestack synth`, or `main.ts` under cdktf). */
  label?: string;
  /** `--allow-outside-root` (CACHESTACK_ALLOW_OUTSIDE_ROOT=1 turns it on too). */
  allowOutsideRoot?: boolean;
}

/** `1234` → `1.2 KiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Runs a synth and prints its outcome: the summary on stdout, diagnostics and
 * errors on stderr. Returns the exit code: 0 written, 1 invalid config or a
 * handler that does not bundle, 2 input or output problem.
 */
export async function runSynth(inputs: readonly string[], options: RunSynthOptions, io: Io): Promise<number> {
  const label = options.label ?? 'cachestack synth';
  const [{ synth, workersFromEnv }, { renderText }, { formatBundleDiagnostic, sourcemapFromEnv }] = await Promise.all([
    import('../../synth'),
    import('../format/text'),
    import('../../package'),
  ]);
  const workers = workersFromEnv(io.env);
  if (typeof workers === 'object') {
    io.stderr(`${label}: ${workers.error}\n`);
    return 2;
  }
  const result = await synth(inputs, {
    workers,
    env: options.env,
    out: options.out,
    cwd: io.cwd,
    sourcemap: sourcemapFromEnv(io.env),
    keepUnlistedStacks: options.keepUnlistedStacks,
    allowOutsideRoot: options.allowOutsideRoot === true || allowOutsideRootFromEnv(io.env),
  });
  const color = useColor(io);
  const report = (strict = false) => renderText({ files: result.files, diagnostics: result.diagnostics, sources: result.sources, strict }, { color });

  switch (result.status) {
    case 'invalid':
      io.stderr(report());
      io.stderr(`${label}: the config is invalid; nothing was written\n`);
      return 1;
    case 'io-error':
      io.stderr(report());
      io.stderr(`${label}: a config file could not be read; nothing was written\n`);
      return 2;
    case 'input-error':
      io.stderr(`${label}: ${result.message}\n`);
      return 2;
    case 'bundle-error':
      if (result.diagnostics.length > 0) io.stderr(report());
      for (const d of result.errors) io.stderr(`${formatBundleDiagnostic(d)}\n`);
      io.stderr(`${label}: ${plural(result.errors.length, 'bundling error')}; nothing was written\n`);
      return 1;
    case 'model-error':
      io.stderr(`${label}: ${result.message}; nothing was written\n`);
      return 1;
    case 'failed':
      io.stderr(`${label}: ${result.message}\n`);
      return 2;
    case 'ok': {
      if (result.diagnostics.length > 0) io.stderr(report());
      for (const note of result.notes) io.stderr(`warning: ${note}\n`);
      for (const file of result.recovered) io.stderr(`note: moved ${file} back into ${result.outDisplay}; an older cachestack left it there when it was killed\n`);
      for (const kept of result.leftovers) io.stderr(`warning: ${kept}\n`);
      for (const kept of result.keptStacks) {
        const holds = kept.holds.length > 6 ? `${kept.holds.slice(0, 6).join(', ')} and ${kept.holds.length - 6} more` : kept.holds.join(', ');
        io.stderr(
          options.keepUnlistedStacks
            ? `note: stacks/${kept.name} is no longer in the config; it was left for cdktf-cli, which deletes it\n`
            : `note: stacks/${kept.name} is no longer in the config but was kept, because it holds files synth did not write (${holds}); if it has state, destroy its resources with terraform, then delete the directory\n`,
        );
      }
      const zips = result.stacks.flatMap((s) => [...s.handlers, ...(s.warmer ? [s.warmer] : [])]);
      const lines = [`wrote ${plural(result.stacks.length, 'stack')} to ${result.outDisplay} (${plural(result.bundled, 'bundle')}, ${plural(zips.length, 'zip')})`];
      const nameWidth = Math.max(0, ...zips.map((z) => z.name.length));
      const pathWidth = Math.max(0, ...zips.map((z) => z.path.length));
      for (const stack of result.stacks) {
        lines.push(`  ${stack.dir}/cdk.tf.json  (${stack.sourceFile})`);
        for (const z of [...stack.handlers, ...(stack.warmer ? [stack.warmer] : [])]) {
          lines.push(`    ${z.name.padEnd(nameWidth)}  ${z.path.padEnd(pathWidth)}  ${formatBytes(z.bytes).padStart(9)}`);
        }
      }
      io.stdout(`${lines.join('\n')}\n`);
      return 0;
    }
  }
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Validate, bundle the handlers and write Terraform (one stack per service and environment).',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Validates the config files like `cachestack validate`, bundles every handler with esbuild into a zip, and writes one Terraform stack per service and environment in the layout `cdktf synth` writes: DIR/manifest.json and DIR/stacks/<stack>/cdk.tf.json, with the zips in DIR/stacks/<stack>/assets/. Both `cdktf deploy` and `terraform -chdir=DIR/stacks/<stack> plan` work on it.',
      'Every AWS SDK client a handler\'s bundle imports (read from esbuild\'s metafile) must be for a service its role grants something on, through `access` or `connections`; otherwise synth warns (access-sdk-not-granted, at the handler\'s `entry`): its calls would fail with AccessDenied.',
      'Nothing is written when the config is invalid or a handler does not bundle. Synth records the files it writes in DIR/.cachestack-out.json and only ever replaces or deletes those: state (terraform.tfstate*, errored.tfstate), .terraform/, the lock file, tfvars, overrides, plans and notes in a stack directory are kept, and a stack the config no longer defines is kept and reported while its directory holds anything synth did not write.',
      'Files are moved into place one atomic rename at a time under a lock (DIR/.cachestack-out.lock): a second synth into DIR waits up to CACHESTACK_LOCK_TIMEOUT seconds (default 60), then exits 2. A killed synth never leaves state anywhere but where it was; the next synth takes over its lock and completes the output.',
      'The same input gives byte-identical output on every run and machine, zips included, so `terraform plan` shows no change when nothing changed. Set CACHESTACK_SOURCEMAP=1 to put index.js.map in every zip (the function then needs NODE_OPTIONS=--enable-source-maps in its environment).',
      'Many large stacks are synthesized in worker threads, one per core (at most 4), with the same output; a single stack or a little work never starts one. CACHESTACK_SYNTH_WORKERS=1 synthesizes on one thread, CACHESTACK_SYNTH_WORKERS=N in at most N threads (auto: the default).',
    ],
    arguments: [['FILE|DIR ...', 'Config files, or directories whose *.yaml and *.yml files (not subdirectories) are read. Default: config/.']],
    options: [
      ['--env NAME', 'Only the stacks of environment NAME. Default: every environment of every file.'],
      ['--out DIR', 'Output directory. Default: cdktf.out. An existing directory is written into only if it is empty, holds .cachestack-out.json, or is the output of an older cachestack (only manifest.json and stacks/); anything else is refused (exit 2) and left alone.'],
      [
        '--allow-outside-root',
        'Also read and bundle files outside the project root (after following symbolic links): handler entries, files they import, GraphQL schemas. Default: refused, so nothing from outside the project reaches a zip. CACHESTACK_ALLOW_OUTSIDE_ROOT=1 does the same (for cdktf synth).',
      ],
    ],
    exitCodes: [
      [0, 'Terraform written.'],
      [1, 'The config is invalid, or a handler does not bundle (file:line:column of the error is printed).'],
      [2, 'Usage error, a missing input, an unknown environment, an output directory that is not synth output or is locked by another synth, or a file-system error while writing (the message says what is already written).'],
    ],
    examples: [
      ['cachestack synth', 'Synthesize every file in config/ into cdktf.out/.'],
      ['cachestack synth config/user-service.yaml --env prod --out build/tf', 'Only the prod stack of one service, into build/tf/.'],
      ['terraform -chdir=cdktf.out/stacks/user-service-prod plan', 'Plan one stack with plain Terraform.'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('synth', args, { env: { type: 'string' }, out: { type: 'string' }, 'allow-outside-root': { type: 'boolean' } }, true);
    return runSynth(
      positionals,
      { env: values.env as string | undefined, out: values.out as string | undefined, allowOutsideRoot: values['allow-outside-root'] === true },
      io,
    );
  },
};
