/**
 * App builders for the worker tests (test/synth/workers.test.ts), in a module of
 * their own because a worker thread loads its builder by module path and export
 * name: `miniSynth` synthesizes like `miniApp`; `failing` refuses stack
 * `svc-b` with a SynthesisError, as src/infra refuses a model; `crashing` ends
 * the thread without a reply when it gets stack `svc-b`, as a killed or
 * out-of-memory worker would.
 */
import { SynthesisError } from '../../src/infra/errors';
import type { AppBuilder } from '../../src/synth/pipeline';
import { miniApp } from './helpers';

export const miniSynth: AppBuilder = miniApp();

export const failing: AppBuilder = (models, assets, outdir) => {
  if (models.some((m) => m.stackName === 'svc-b')) throw new SynthesisError('this model cannot be synthesized', 'handlers.api', 'svc-b');
  return miniSynth(models, assets, outdir);
};

export const crashing: AppBuilder = (models, assets, outdir) => {
  if (models.some((m) => m.stackName === 'svc-b')) process.exit(7);
  return miniSynth(models, assets, outdir);
};
