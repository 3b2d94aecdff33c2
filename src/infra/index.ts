/**
 * Synthesis: resolved models → one cdktf stack each. The only cdktf code of the
 * project lives in this folder; callers (the synth pipeline, `main.ts`, tests)
 * import from here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { ServiceModel } from '../config/model';
import type { StackAssets } from './assets';
import { withoutCreationStacks } from './creation-stacks';
import { stockPasses } from './resolve-once';
import { ServiceStack } from './service-stack';
import { synthesizeApp, type SynthesizedApp } from './synthesize';

export type { HandlerAsset, StackAssets } from './assets';
export { SynthesisError } from './errors';
export { synthesizeApp, type SynthesizedApp } from './synthesize';
export { ServiceStack, hasWarmer, defaultTags, LOCAL_STATE_PATH } from './service-stack';
export { ResourceNames, physicalName, fitName, NAME_RULES, RESERVED_HANDLER_NAMES } from './naming';

/**
 * One `ServiceStack` per model in an app that writes to `outdir`; the caller
 * calls `app.synth()`. Stack traces stay out of the synthesized metadata so the
 * output does not depend on where the code runs, and cdktf's per-token creation
 * stacks are not captured while building or synthesizing (see creation-stacks.ts).
 *
 * @param assets zips by stack name (`model.stackName`)
 * @throws SynthesisError when a model cannot be synthesized (nothing is written)
 */
export function buildApp(models: ServiceModel[], assets: Record<string, StackAssets>, outdir: string): App {
  const app = new App({ outdir, stackTraces: false });
  withoutCreationStacks(() => {
    for (const model of models) {
      new ServiceStack(app, model, assets[model.stackName] ?? { handlers: {} });
    }
  });
  const synth = app.synth.bind(app);
  app.synth = () => withoutCreationStacks(synth);
  return app;
}

/**
 * The synth pipeline's app builder: `buildApp`, synthesized in memory
 * (./synthesize.ts). `outdir` is the pipeline's staging directory, and nothing
 * is written into it (cdktf's App only makes sure it and its `stacks/` exist).
 * With CACHESTACK_CDKTF_PASSES=all, cdktf's own `app.synth()` writes into a
 * throwaway directory, read back and removed.
 *
 * @throws SynthesisError when a model cannot be synthesized
 */
export function synthesizeStacks(models: ServiceModel[], assets: Record<string, StackAssets>, outdir: string): SynthesizedApp {
  if (!stockPasses()) return synthesizeApp(buildApp(models, assets, outdir));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-cdktf-'));
  try {
    return synthesizeApp(buildApp(models, assets, scratch));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
