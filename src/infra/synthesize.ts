/**
 * An app's synthesis in memory: the JSON documents cdktf's `app.synth()` would
 * write (`manifest.json`, `stacks/<stack>/cdk.tf.json`), as objects, with no
 * file written. The synth pipeline normalizes them and writes each file once
 * (src/synth/normalize.ts); before, cdktf serialized and wrote them, and the
 * pipeline read, parsed, re-sorted and rewrote every one.
 *
 * `synthesizeInMemory` does what cdktf 0.21's `App.synth()` and
 * `StackSynthesizer.synthesize()` do, in the same order and with cdktf's own
 * helpers and errors, minus the `fs` calls: prepare every stack, then per stack
 * invoke aspects, run validations, register it in the manifest, collect its
 * annotations into the manifest (an error annotation throws, as cdktf does,
 * unless CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set) and call
 * `toTerraform()`; then validate the app and build the manifest. Like the skipped
 * resolve passes (./resolve-once.ts), it depends on cdktf's internals, so it runs
 * only on the cdktf whose fingerprints `assertKnownCdktf` recorded (those two
 * methods are among them), and falls back to cdktf's own `app.synth()` for
 * whatever it does not reproduce: `CACHESTACK_CDKTF_PASSES=all`, HCL output, a
 * stack with a synthesizer of its own, a construct with custom synthesis (a
 * `TerraformAsset`). The fallback lets cdktf write into `app.outdir` and reads
 * the documents back: `synthesizeStacks` (./index.ts) gives it a throwaway
 * directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { appValidationFailure, encounteredAnnotationWithLevelError } from 'cdktf/lib/errors';
import { invokeAspects, StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
import { withoutCreationStacks } from './creation-stacks';
import { assertKnownCdktf, stockPasses } from './resolve-once';

/** The documents of one synthesized app, by file path relative to the output directory (`/` separators). */
export interface SynthesizedApp {
  /**
   * cdktf's JSON documents, not yet normalized: in memory, every stack's
   * `stacks/<stack>/cdk.tf.json`, each synthesized only when the iteration
   * reaches it (so a caller that renders and drops each one holds one at a
   * time), then `manifest.json`. Iterate once; an error of synthesis is thrown
   * by the iteration.
   */
  files: Iterable<[string, unknown]>;
}

const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');
const ANNOTATION_LEVELS = new Set(['@cdktf/info', '@cdktf/warn', '@cdktf/error']);

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

function stacksOf(app: App): TerraformStack[] {
  return app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

/** Whether `synthesizeInMemory` reproduces what `app.synth()` would write for this app. */
function reproducible(app: App, stacks: readonly TerraformStack[]): boolean {
  if (app.hclOutput) return false;
  for (const stack of stacks) {
    const synthesizer = stack.synthesizer as unknown as { hclOutput?: boolean };
    if (Object.getPrototypeOf(synthesizer) !== StackSynthesizer.prototype || synthesizer.hclOutput === true) return false;
  }
  return !app.node.findAll().some((c) => Object.prototype.hasOwnProperty.call(c, CUSTOM_SYNTHESIS));
}

interface Annotation {
  constructPath: string;
  level: string;
  message: unknown;
  stacktrace?: string[];
}

function* synthesizeInMemory(app: App, stacks: readonly TerraformStack[]): Generator<[string, unknown]> {
  // App.synth()
  withoutCreationStacks(() => stacks.forEach((stack) => stack.prepareStack()));
  const manifest = app.manifest;
  for (const stack of stacks) {
    yield withoutCreationStacks(() => synthesizeStack(app, stack));
  }
  withoutCreationStacks(() => {
    if (!app.skipValidation) {
      const validations = app.node.validate();
      if (validations.length) throw appValidationFailure(validations.join('\n  '));
    }
  });
  yield ['manifest.json', manifest.buildManifest()];
}

/** StackSynthesizer.synthesize(session), without writing: the stack's path and document. */
function synthesizeStack(app: App, stack: TerraformStack): [string, unknown] {
  invokeAspects(stack);
  if (stack.hasResourceMove()) {
    stack.node.addValidation(new ValidateTerraformVersion('>=1.5', 'Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.'));
  }
  if (!app.skipValidation) stack.runAllValidations();
  const stackManifest = app.manifest.forStack(stack);
  const annotations: Annotation[] = stack.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((m) => ANNOTATION_LEVELS.has(m.type))
      .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
  );
  (stackManifest as { annotations: unknown }).annotations = annotations;
  const continueOnErrors = (stack.synthesizer as unknown as { continueOnErrorAnnotations?: boolean }).continueOnErrorAnnotations === true;
  if (!continueOnErrors && annotations.some((a) => a.level === '@cdktf/error')) {
    throw encounteredAnnotationWithLevelError(
      annotations
        .filter((a) => a.level === '@cdktf/error')
        .map((a) => `[${a.constructPath}] ${String(a.message)}`)
        .join('\n'),
    );
  }
  return [posix(stackManifest.synthesizedStackPath), stack.toTerraform()];
}

/** cdktf's own `app.synth()`, then its files read back (the stacks, then the manifest). */
function synthesizeThroughFiles(app: App): SynthesizedApp {
  app.synth();
  const read = (rel: string): unknown => JSON.parse(fs.readFileSync(path.join(app.outdir, rel), 'utf8'));
  const manifest = read('manifest.json') as { stacks?: Record<string, { synthesizedStackPath?: string }> };
  const files: [string, unknown][] = [];
  for (const stack of Object.values(manifest.stacks ?? {})) {
    const rel = posix(stack.synthesizedStackPath ?? '');
    if (rel.endsWith('.json') && fs.existsSync(path.join(app.outdir, rel))) files.push([rel, read(rel)]);
  }
  files.push(['manifest.json', manifest]);
  return { files };
}

/**
 * Synthesizes `app` in memory (see the module comment); any construct tree
 * cdktf can synthesize, not only cachestack's. Under the fallback, cdktf writes
 * into `app.outdir`.
 */
export function synthesizeApp(app: App): SynthesizedApp {
  const stacks = stacksOf(app);
  if (stockPasses() || !reproducible(app, stacks)) return withoutCreationStacks(() => synthesizeThroughFiles(app));
  assertKnownCdktf(stacks[0]?.node.id ?? '');
  return { files: synthesizeInMemory(app, stacks) };
}
