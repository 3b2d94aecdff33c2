/**
 * cdktf 0.21 resolves every token of a stack three times during `app.synth()`:
 *
 * 1. `TerraformStack.prepareStack()` resolves each element in "preparing" mode, a
 *    pass that exists only so that a cross-stack reference can add its outputs and
 *    remote-state data sources before the real pass. Our stacks never refer to one
 *    another (one stack per service and environment, nothing shared), so the pass
 *    can add nothing.
 * 2. `TerraformStack.toTerraform()` resolves each element's `toTerraform()`: the
 *    pass that turns tokens into Terraform expressions.
 * 3. It then merges those resolved fragments (and the stack's raw overrides) into
 *    one document and resolves that document again. After pass 2 the fragments hold
 *    no token, and our overrides are plain strings and booleans, so the pass walks
 *    plain data and changes nothing.
 *
 * With this module, passes 1 and 3 are skipped: 1 by `ServiceStack.prepareStack`
 * ensuring the backend (the rest of what cdktf's `prepareStack` does), 3 by
 * answering the final `resolve` of a stack document with the document itself,
 * only when its raw overrides hold no token (otherwise the stock pass runs). The
 * output is byte-identical (test/infra/resolve-once.test.ts synthesizes every
 * shipped config both ways); at 1,000 endpoints the two passes are about a
 * quarter of synth's CPU time.
 *
 * The shortcut depends on cdktf's internals, so it refuses to run on any other
 * cdktf than the one it was written for: `package.json` pins cdktf exactly, and
 * `assertKnownCdktf()` compares fingerprints of the three methods involved (and
 * the module the final pass calls through) with the ones recorded here. A
 * mismatch is a SynthesisError saying so, never a silent difference.
 * `CACHESTACK_CDKTF_PASSES=all` runs cdktf's own three passes instead.
 */
import { createHash } from 'node:crypto';
import { App, Manifest, TerraformStack, Token, Tokenization } from 'cdktf';
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import type * as Tokens from 'cdktf/lib/_tokens';
import { SynthesisError } from './errors';

/**
 * cdktf's own exports object of the module `toTerraform` calls `resolve` through
 * (`import * as` could hand over a copy, whose replaced `resolve` nobody calls).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tokensModule = require('cdktf/lib/_tokens') as typeof Tokens;

/** The cdktf release the fingerprints below were taken from. */
export const CDKTF_VERSION = '0.21.0';

/** sha-256 (first 16 hex digits) of the source text of each method the shortcuts (this module's and ./synthesize.ts's) rely on. */
const FINGERPRINTS: Record<string, string> = {
  'App.prototype.synth': 'e8cbafe6ec95f0b0',
  'TerraformStack.prototype.prepareStack': '7f39aeeb3fcd23a8',
  'TerraformStack.prototype.toTerraform': '07d724012b247878',
  // What ./synthesize.ts reproduces without writing files.
  'StackSynthesizer.prototype.synthesize': '32195be4424ec652',
  'Manifest.prototype.forStack': '44e25e0d4d56724f',
  'Manifest.prototype.buildManifest': '3abef82613fd3017',
};

type Resolve = typeof Tokens.resolve;

function fingerprint(fn: unknown): string {
  return createHash('sha256').update(String(fn)).digest('hex').slice(0, 16);
}

/** What the installed cdktf looks like, in the terms `FINGERPRINTS` records. */
export function installedCdktf(): { version: string; fingerprints: Record<string, string>; resolveWritable: boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require('cdktf/package.json') as { version: string }).version;
  const descriptor = Object.getOwnPropertyDescriptor(tokensModule, 'resolve');
  return {
    version,
    fingerprints: {
      'App.prototype.synth': fingerprint(App.prototype.synth),
      'TerraformStack.prototype.prepareStack': fingerprint(TerraformStack.prototype.prepareStack),
      'TerraformStack.prototype.toTerraform': fingerprint(TerraformStack.prototype.toTerraform),
      'StackSynthesizer.prototype.synthesize': fingerprint(StackSynthesizer.prototype.synthesize),
      'Manifest.prototype.forStack': fingerprint(Manifest.prototype.forStack),
      'Manifest.prototype.buildManifest': fingerprint(Manifest.prototype.buildManifest),
    },
    resolveWritable: typeof descriptor?.value === 'function' && descriptor.writable === true,
  };
}

/** Whether cdktf's own three passes run (CACHESTACK_CDKTF_PASSES=all). */
export function stockPasses(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CACHESTACK_CDKTF_PASSES === 'all';
}

/**
 * Throws a SynthesisError when the installed cdktf is not the one the shortcut
 * was written for.
 */
export function assertKnownCdktf(stackName: string): void {
  const found = installedCdktf();
  const changed = Object.keys(FINGERPRINTS).filter((name) => found.fingerprints[name] !== FINGERPRINTS[name]);
  if (found.version === CDKTF_VERSION && changed.length === 0 && found.resolveWritable) return;
  const what = [
    found.version !== CDKTF_VERSION ? `cdktf ${found.version} is installed` : undefined,
    changed.length > 0 ? `${changed.join(', ')} changed` : undefined,
    !found.resolveWritable ? 'cdktf/lib/_tokens no longer exports a replaceable `resolve`' : undefined,
  ].filter((s): s is string => s !== undefined);
  throw new SynthesisError(
    `cachestack skips two of cdktf's resolve passes and its file writing, and was written for cdktf ${CDKTF_VERSION}, but ${what.join('; ')}; ` +
      'install the cdktf version cachestack pins, or set CACHESTACK_CDKTF_PASSES=all to run all of cdktf\'s passes',
    'cdktf',
    stackName,
  );
}

function holdsToken(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (value === null || typeof value !== 'object') return false;
  if (Tokenization.isResolvable(value)) return true;
  return Object.values(value as Record<string, unknown>).some(holdsToken);
}

function isStackDocument(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '//');
}

/**
 * Runs `toTerraform` (cdktf's, for `stack`) with its final whole-document
 * resolve answered by the document itself. Falls back to the stock pass when the
 * stack's raw overrides hold a token.
 */
export function toTerraformResolvedOnce(stack: TerraformStack, stockToTerraform: () => unknown): unknown {
  const overrides = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  if (holdsToken(overrides)) return stockToTerraform();
  const module = tokensModule as { resolve: Resolve };
  const stockResolve = module.resolve;
  module.resolve = ((scope, obj, preparing) => (scope === stack && !preparing && isStackDocument(obj) ? obj : stockResolve(scope, obj, preparing))) as Resolve;
  try {
    return stockToTerraform();
  } finally {
    module.resolve = stockResolve;
  }
}
