/**
 * The kit stays small where it is bundled: the warmer and the guard pull in no
 * Redis client and none of @smithy/core, so the warmer zips far below 20 KB with
 * @aws-sdk/* external (as the packaging side bundles it).
 */
import { build } from 'esbuild';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

async function bundle(entry: string) {
  const out = await build({
    entryPoints: [join(ROOT, entry)], bundle: true, platform: 'node', target: 'node22', format: 'cjs',
    minify: true, write: false, metafile: true, external: ['@aws-sdk/*'], logLevel: 'silent', absWorkingDir: ROOT,
  });
  return { inputs: Object.keys(out.metafile!.inputs), bytes: out.outputFiles[0].contents };
}

describe('runtime kit bundles', () => {
  it('GIVEN the warmer WHEN bundled with @aws-sdk/* external THEN it holds no redis client nor @smithy code and deflates below 20 KB', async () => {
    const { inputs, bytes } = await bundle('handlers/warmer/index.ts');
    expect(inputs.filter((i) => /ioredis|@smithy|node_modules/.test(i))).toEqual([]);
    expect(deflateRawSync(bytes, { level: 9 }).length).toBeLessThan(20 * 1024);
  });

  it('GIVEN a module that imports only the guard WHEN bundled THEN it holds the guard, the ping and the contract and nothing else', async () => {
    const { inputs } = await bundle('handlers/runtime/guard.ts');
    expect(inputs.sort()).toEqual(['handlers/runtime/contract.ts', 'handlers/runtime/guard.ts', 'handlers/runtime/ping.ts']);
  });

  it('GIVEN the SDK settings WHEN bundled THEN no @smithy package is bundled (clients build NodeHttpHandler from the options)', async () => {
    const { inputs } = await bundle('handlers/runtime/sdk.ts');
    expect(inputs.filter((i) => i.includes('node_modules'))).toEqual([]);
  });
});
