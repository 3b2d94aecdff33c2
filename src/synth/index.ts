/**
 * `synth(inputs, options)`: config files → validated models → packaged handlers
 * → Terraform in `options.out`, the library behind `cachestack synth`, `main.ts`
 * (what `cdktf synth` runs) and the tests.
 *
 * With no inputs, every `*.yaml`/`*.yml` directly in `config/` is read.
 * Invalid config writes nothing: the result carries the diagnostics and the
 * sources they point into, for the caller to render. In the output directory
 * synth only replaces or removes files it wrote itself (see ./atomic.ts), and
 * their bytes depend only on the inputs (see ./normalize.ts).
 *
 * cdktf and src/infra are loaded only once the config is valid, so a config
 * error is reported without paying for them.
 */
import * as path from 'node:path';
import { loadConfig, resolveInputs } from '../config';
import { compareDiagnostics, type Diagnostic } from '../config/diagnostics';
import { sdkGrantDiagnostics } from '../config/sdk-grants';
import type { ReportFile } from '../cli/format/report';
import { synthesizeModels, type PipelineOptions, type PipelineResult } from './pipeline';

export { synthesizeModels, WARMER_NAME, displayPath } from './pipeline';
export type { AppBuilder, LazyAppBuilder, PipelineOptions, PipelineResult, StackSummary, PackagedFile } from './pipeline';
export { TERRAFORM_WORKING_FILES, OutputDirError, MARKER, LOCK } from './atomic';
export { stableJson } from './normalize';
export { synthWorkerCount, stackWeight, workersFromEnv, WORKERS_ENV, MAX_AUTO_WORKERS, MIN_WEIGHT_PER_WORKER } from './workers';

export interface SynthOptions extends PipelineOptions {
  /** Synthesize only this environment's stack (of every file that defines it). */
  env?: string;
  /** Read and bundle files outside each config's project root too (`--allow-outside-root`; see src/config/files.ts). */
  allowOutsideRoot?: boolean;
}

/** What the config loader found, for rendering diagnostics. */
export interface ConfigOutcome {
  files: readonly ReportFile[];
  /** Errors and warnings of the config (warnings only, when the status is not `invalid`). */
  diagnostics: readonly Diagnostic[];
  sources: ReadonlyMap<string, string>;
}

export type SynthResult =
  | ({ status: 'invalid' } & ConfigOutcome)
  /** A config file could not be read (the diagnostics say which): exit 2. */
  | ({ status: 'io-error' } & ConfigOutcome)
  /** `--env` names an environment no file defines, or an input path does not exist: exit 2. */
  | ({ status: 'input-error'; message: string } & ConfigOutcome)
  | (PipelineResult & ConfigOutcome);

/** Diagnostics that mean a config file could not be read at all: an I/O error (exit 2), as for `cachestack validate`. */
const IO_CODES: ReadonlySet<Diagnostic['code']> = new Set(['file-unreadable', 'file-not-regular']);

export async function synth(inputs: readonly string[], options: SynthOptions = {}): Promise<SynthResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const resolved = resolveInputs([...inputs], cwd);
  const empty: ConfigOutcome = { files: [], diagnostics: [], sources: new Map() };
  if ('error' in resolved) return { status: 'input-error', message: resolved.error, ...empty };

  const loaded = loadConfig(resolved.files, { env: options.env, cwd, allowOutsideRoot: options.allowOutsideRoot });
  const outcome: ConfigOutcome = {
    files: loaded.files.map((f) => ({ path: f.file, environments: f.environments })),
    diagnostics: loaded.diagnostics,
    sources: loaded.sources,
  };
  if (loaded.diagnostics.some((d) => IO_CODES.has(d.code) && d.path === '')) return { status: 'io-error', ...outcome };
  if (loaded.diagnostics.some((d) => d.severity === 'error')) return { status: 'invalid', ...outcome };
  if (loaded.unknownEnvironment !== undefined) {
    const known = [...new Set(loaded.files.flatMap((f) => f.environments))].sort();
    const hint = known.length > 0 ? `; environments: ${known.map((e) => `\`${e}\``).join(', ')}` : '; no config file defines environments';
    return { status: 'input-error', message: `environment \`${loaded.unknownEnvironment}\` is not defined in ${resolved.files.join(', ')}${hint}`, ...outcome };
  }

  // Worker threads load the same function from the same module (./workers.ts).
  const infra = { load: async () => (await import('../infra')).synthesizeStacks, worker: { module: require.resolve('../infra'), export: 'synthesizeStacks' } };
  const result = await synthesizeModels(loaded.models, infra, { ...options, cwd });
  if (result.status === 'ok') {
    // Rule 13's bundle half: SDK clients the roles grant nothing on (warnings, located at each handler's `entry`).
    const warnings = sdkGrantDiagnostics(loaded.models, result.sdkUses, loaded.sources);
    if (warnings.length > 0) outcome.diagnostics = [...outcome.diagnostics, ...warnings].sort(compareDiagnostics);
  }
  return { ...result, ...outcome };
}
