/**
 * The library API of the `cachestack` package (`require('cachestack')`): what
 * the CLI and the cdktf app (main.ts, `cachestack/cdktf-app`) are made of, for
 * scripts that run cachestack in-process.
 *
 * - `run(argv, io)`: the CLI, with the arguments after `cachestack`; returns the exit code.
 * - `runSynth(inputs, options, io)`: `cachestack synth` (validate, bundle, write Terraform).
 * - `processIo()`: the real process as the `Io` both take (stdout, stderr, cwd, env).
 * - `loadConfig` and `synth`: the phases without the CLI's printing, returning
 *   diagnostics and results as data.
 */
export { run } from './cli/main';
export { processIo, type Io } from './cli/io';
export { runSynth, type RunSynthOptions } from './cli/commands/synth';
export { loadConfig, type LoadOptions, type LoadResult, type Diagnostic } from './config';
export { synth, type SynthOptions, type SynthResult } from './synth';
