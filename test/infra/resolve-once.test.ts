/**
 * Synthesis skips two of cdktf's three resolve passes (src/infra/resolve-once.ts).
 * These tests prove the output is byte-identical to cdktf's own passes on every
 * shipped config and on the infra tests' full model, that a stack whose overrides
 * hold a token still gets the stock pass, and that a cdktf whose internals
 * differ from the ones the shortcut was written for is refused loudly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Lazy, TerraformStack, Testing } from 'cdktf';
import { run } from '../../src/cli/main';
import { ServiceStack, SynthesisError } from '../../src/infra';
import { assertKnownCdktf, CDKTF_VERSION, installedCdktf, toTerraformResolvedOnce } from '../../src/infra/resolve-once';
import { captureIo } from '../cli/io';
import { assetsFor, fullModel } from './model-builder';

const ROOT = path.join(__dirname, '../..');

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

function withPasses<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env.CACHESTACK_CDKTF_PASSES;
  if (value === undefined) delete process.env.CACHESTACK_CDKTF_PASSES;
  else process.env.CACHESTACK_CDKTF_PASSES = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.CACHESTACK_CDKTF_PASSES;
    else process.env.CACHESTACK_CDKTF_PASSES = saved;
  }
}

describe('one resolve pass instead of three', () => {
  it('GIVEN the installed cdktf WHEN checked THEN it is the release and the internals the shortcut was written for', () => {
    expect(installedCdktf()).toEqual({ version: CDKTF_VERSION, fingerprints: expect.any(Object), resolveWritable: true });
    expect(() => assertKnownCdktf('svc-dev')).not.toThrow();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.cdktf).toBe(CDKTF_VERSION);
  });

  it('GIVEN every shipped config WHEN synthesized with one pass and with cdktf\'s three THEN every output file is byte-identical', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-passes-'));
    try {
      const synthTo = async (out: string, passes: string | undefined) => {
        const saved = process.env.CACHESTACK_CDKTF_PASSES;
        if (passes === undefined) delete process.env.CACHESTACK_CDKTF_PASSES;
        else process.env.CACHESTACK_CDKTF_PASSES = passes;
        try {
          const io = captureIo(ROOT);
          const code = await run(['synth', '--out', out, 'config', 'config/examples'], io);
          expect({ code, err: io.err }).toEqual({ code: 0, err: expect.stringContaining('6 files checked: valid') });
        } finally {
          if (saved === undefined) delete process.env.CACHESTACK_CDKTF_PASSES;
          else process.env.CACHESTACK_CDKTF_PASSES = saved;
        }
      };
      await synthTo(path.join(scratch, 'once'), undefined);
      await synthTo(path.join(scratch, 'stock'), 'all');
      const once = tree(path.join(scratch, 'once'));
      const stock = tree(path.join(scratch, 'stock'));
      expect([...once.keys()].sort()).toEqual([...stock.keys()].sort());
      expect([...once.keys()].filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(5);
      for (const [file, bytes] of once) expect({ file, same: bytes.equals(stock.get(file)!) }).toEqual({ file, same: true });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 240000);

  it('GIVEN the full model (every section and connection kind) WHEN synthesized both ways THEN the Terraform JSON is the same', () => {
    const model = fullModel();
    const once = withPasses(undefined, () => Testing.synth(new ServiceStack(Testing.app(), model, assetsFor(model))));
    const stock = withPasses('all', () => Testing.synth(new ServiceStack(Testing.app(), model, assetsFor(model))));
    expect(once).toBe(stock);
  });

  it('GIVEN a stack whose override holds a token WHEN synthesized THEN the stock final pass resolves it', () => {
    const stack = new TerraformStack(Testing.app(), 'tokens');
    stack.addOverride('locals.answer', Lazy.stringValue({ produce: () => 'forty-two' }));
    const tf = toTerraformResolvedOnce(stack, () => TerraformStack.prototype.toTerraform.call(stack)) as { locals: { answer: string } };
    expect(tf.locals.answer).toBe('forty-two');
  });

  it('GIVEN cdktf internals that changed WHEN a stack is built THEN a SynthesisError says so and names the way out', () => {
    const original = TerraformStack.prototype.toTerraform;
    TerraformStack.prototype.toTerraform = function changed(this: TerraformStack) {
      return original.call(this);
    };
    try {
      let error: unknown;
      try {
        assertKnownCdktf('svc-dev');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SynthesisError);
      expect((error as Error).message).toBe(
        `cachestack skips two of cdktf's resolve passes and its file writing, and was written for cdktf ${CDKTF_VERSION}, but TerraformStack.prototype.toTerraform changed; ` +
          "install the cdktf version cachestack pins, or set CACHESTACK_CDKTF_PASSES=all to run all of cdktf's passes",
      );
      const model = fullModel();
      expect(() => new ServiceStack(Testing.app(), model, assetsFor(model))).toThrow(SynthesisError);
      expect(() => withPasses('all', () => new ServiceStack(Testing.app(), model, assetsFor(model)))).not.toThrow();
    } finally {
      TerraformStack.prototype.toTerraform = original;
    }
  });
});
