/**
 * What `cdktf synth` (and `cdktf deploy`, `cdktf diff`) runs, compiled: in this
 * repository cdktf.json's `app` is `node -r ./scripts/ensure-built.js dist/main.js`
 * (rebuilt first, in the same process, when a source changed); in a project that installs cachestack
 * (`cachestack init`) it is the compiled `node node_modules/cachestack/dist/main.js`.
 * It does what `cachestack synth` does, on `config/` or on the files and
 * directories listed in CACHESTACK_CONFIG (separated by commas or by the
 * platform's path separator, `:` on Linux and macOS).
 *
 * cdktf-cli tells the app where to write through CDKTF_OUTDIR (cdktf.json's
 * `output`, or `--output`). It lists the stack directories before running the app
 * and deletes those the new manifest does not name afterwards, so stack
 * directories the config no longer defines are left for it to delete; while one
 * of them holds Terraform state, synth refuses (exit 2) rather than let
 * cdktf-cli delete the state.
 *
 * Invalid config prints the diagnostics (text format) and exits 1; nothing is
 * written, and cdktf-cli reports that synthesis failed.
 */
import * as path from 'node:path';
import { processIo, runSynth } from './src';

/** CACHESTACK_CONFIG → input paths; empty or unset → `config/`. */
export function configInputs(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(new RegExp(`[,${path.delimiter === ';' ? ';' : ':'}]`))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

async function main(): Promise<number> {
  const io = processIo();
  const underCdktf = io.env.CDKTF_OUTDIR !== undefined && io.env.CDKTF_OUTDIR !== '';
  return runSynth(
    configInputs(io.env.CACHESTACK_CONFIG),
    { out: io.env.CDKTF_OUTDIR || undefined, keepUnlistedStacks: underCdktf, label: 'cachestack (main.ts)' },
    io,
  );
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const debug = process.env.CACHESTACK_DEBUG === '1';
      process.stderr.write(`cachestack (main.ts): internal error: ${debug && error instanceof Error ? error.stack : String(error instanceof Error ? error.message : error)}\n`);
      process.exitCode = 2;
    },
  );
}
