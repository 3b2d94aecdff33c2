/**
 * End to end through the real config loader, the real constructs of src/infra and
 * real cdktf synthesis. Full synths are slow, so there are four: the same
 * config twice (through the CLI command and through the library), once with
 * its lists reordered, and the repository's example configs once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCommand } from '../../src/cli/commands/synth';
import type { Io } from '../../src/cli/io';
import { synth } from '../../src/synth';
import { checkAgainstProviderSchema } from './provider-schema';
import { findMachinePaths, machinePaths, readTree, treeHash, writeFiles } from './helpers';

const SERVICE = `# a service with two environments, a cached REST API, Redis and a warmer
version: 1
service: shop
region: eu-west-1
tags: { team: checkout }
auth:
  cognito: { userPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123" }
network:
  vpcId: vpc-0123456789abcdef0
  subnetIds: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
handlers:
  cart:
    entry: ../handlers/cart.ts
    vpc: true
    warm: true
    provisionedConcurrency: 1
    reservedConcurrency: 10
    connections:
      redis: { cache: carts }
  catalog:
    entry: ../handlers/catalog.ts
restApi:
  name: shop
  stage: v1
  cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }
  endpoints:
    - path: /cart
      method: GET
      handler: cart
      auth: cognito
      cache: { ttlSeconds: 60, keys: [header.Authorization] }
    - path: "/products/{id}"
      method: GET
      handler: catalog
      auth: none
      cache: { ttlSeconds: 600, keys: [path.id], shared: true }
    - path: /health
      method: GET
      handler: catalog
      auth: none
      cache: false
redis:
  carts:
    engine: valkey
    nodeType: cache.t4g.small
    replicasPerShard: 1
    multiAz: true
    keys:
      - { pattern: "cart:{userId}", ttlSeconds: 3600 }
warmer:
  schedule: rate(5 minutes)
  concurrency: 1
environments:
  dev:
    redis: { carts: { replicasPerShard: 0, multiAz: false } }
  prod: {}
`;

/** The same service with endpoints, handlers and top-level sections in reverse order. */
function reordered(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('  endpoints:')) + 1;
  const end = lines.findIndex((l) => l.startsWith('redis:'));
  const items: string[][] = [];
  for (const line of lines.slice(start, end)) {
    if (line.startsWith('    - ')) items.push([line]);
    else items[items.length - 1].push(line);
  }
  const endpoints = items.reverse().flat();
  const body = [...lines.slice(0, start), ...endpoints, ...lines.slice(end)].join('\n');
  // Swap the two handlers' blocks as well.
  return body.replace(/(  cart:\n(?:    .*\n|      .*\n)+)(  catalog:\n(?:    .*\n)+)/, '$2$1');
}

function memoryIo(cwd: string): Io & { out: string; err: string } {
  const io = { out: '', err: '', cwd, env: {}, isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

function addresses(dir: string): string[] {
  const out: string[] = [];
  for (const stack of fs.readdirSync(path.join(dir, 'stacks')).sort()) {
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    for (const section of ['resource', 'data'] as const) {
      for (const [type, instances] of Object.entries((tf[section] ?? {}) as Record<string, object>)) {
        for (const name of Object.keys(instances)) out.push(`${stack}: ${section === 'data' ? 'data.' : ''}${type}.${name}`);
      }
    }
  }
  return out.sort();
}

let project: string;
let outA: string;
let outB: string;
let cliRun: { code: number; out: string; err: string };

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-synth-'));
  writeFiles(project, {
    'config/shop.yaml': SERVICE,
    'handlers/cart.ts': "import { shared } from './shared';\nexport async function handler() {\n  return { statusCode: 200, body: shared('cart') };\n}\n",
    'handlers/catalog.ts': "import { shared } from './shared';\nexport const handler = async () => ({ statusCode: 200, body: shared('catalog') });\n",
    'handlers/shared.ts': 'export const shared = (what: string): string => JSON.stringify({ what });\n',
  });
  outA = path.join(project, 'out-a');
  outB = path.join(project, 'out-b');
  const io = memoryIo(project);
  const code = await synthCommand.run(['--out', 'out-a'], io);
  cliRun = { code, out: io.out, err: io.err };
  const second = await synth([], { cwd: project, out: outB });
  if (second.status !== 'ok') throw new Error(`second synth failed: ${JSON.stringify(second)}`);
}, 240_000);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('synth (end to end)', () => {
  it('GIVEN a valid config WHEN `cachestack synth` runs THEN it exits 0 and lists the stacks and zips with their sizes', () => {
    expect(cliRun.err).toBe('');
    expect(cliRun.code).toBe(0);
    expect(cliRun.out).toMatch(/^wrote 2 stacks to out-a \(3 bundles, 6 zips\)\n/);
    expect(cliRun.out).toContain('  stacks/shop-dev/cdk.tf.json  (config/shop.yaml)\n');
    expect(cliRun.out).toMatch(/\n {4}cart +assets\/cart-[0-9a-f]{8}\.zip +\d+(\.\d)? (B|KiB)\n/);
    expect(cliRun.out).toMatch(/\n {4}cachestack-warmer +assets\/cachestack-warmer-[0-9a-f]{8}\.zip +\d/);
  });

  it('GIVEN the same config twice WHEN synthesized into two directories THEN every byte, zips included, is identical', () => {
    const a = readTree(outA);
    const b = readTree(outB);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()].filter((f) => f.endsWith('.zip')).length).toBe(6);
    for (const [file, bytes] of a) expect({ file, same: Buffer.compare(bytes, b.get(file)!) === 0 }).toEqual({ file, same: true });
  });

  it('GIVEN a synth WHEN every file and every zipped file is searched THEN no path of this machine appears (repo, home, temp, project, output)', () => {
    expect(findMachinePaths(outA, machinePaths(project, outA))).toEqual([]);
  });

  it('GIVEN the synthesized stacks WHEN every resource and data source is checked against the provider bindings THEN every type and argument exists', () => {
    for (const stack of ['shop-dev', 'shop-prod']) {
      const tf = JSON.parse(fs.readFileSync(path.join(outA, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect({ stack, problems: checkAgainstProviderSchema(tf) }).toEqual({ stack, problems: [] });
    }
  });

  it('GIVEN endpoints and handlers in another order WHEN synthesized THEN every Terraform address is the same', async () => {
    const moved = path.join(project, 'moved');
    writeFiles(moved, {
      'config/shop.yaml': reordered(SERVICE),
      'handlers/cart.ts': fs.readFileSync(path.join(project, 'handlers/cart.ts'), 'utf8'),
      'handlers/catalog.ts': fs.readFileSync(path.join(project, 'handlers/catalog.ts'), 'utf8'),
      'handlers/shared.ts': fs.readFileSync(path.join(project, 'handlers/shared.ts'), 'utf8'),
    });
    expect(reordered(SERVICE)).not.toBe(SERVICE);
    const text = reordered(SERVICE);
    expect(text.indexOf('path: /health')).toBeLessThan(text.indexOf('path: /cart'));
    expect(text.indexOf('  catalog:\n')).toBeLessThan(text.indexOf('  cart:\n'));
    const result = await synth([], { cwd: moved, out: 'out' });
    expect(result.status).toBe('ok');
    expect(addresses(path.join(moved, 'out'))).toEqual(addresses(outA));
  }, 120_000);

  it('GIVEN every example config of the repository WHEN synthesized THEN every stack passes the provider-schema check and holds no machine path', async () => {
    const repo = path.resolve(__dirname, '../..');
    const out = path.join(project, 'examples-out');
    const result = await synth(['config', 'config/examples'], { cwd: repo, out });
    if (result.status !== 'ok') throw new Error(`examples did not synthesize: ${JSON.stringify(result).slice(0, 2000)}`);
    const types = new Set<string>();
    for (const stack of result.stacks) {
      const tf = JSON.parse(fs.readFileSync(path.join(out, stack.dir, 'cdk.tf.json'), 'utf8'));
      for (const section of ['resource', 'data']) for (const t of Object.keys(tf[section] ?? {})) types.add(`${section}.${t}`);
      expect({ stack: stack.name, problems: checkAgainstProviderSchema(tf) }).toEqual({ stack: stack.name, problems: [] });
    }
    // The examples cover the services cachestack compiles, so the check saw their resource types.
    for (const t of ['resource.aws_api_gateway_method_settings', 'resource.aws_appsync_resolver', 'resource.aws_elasticache_replication_group', 'resource.aws_dax_cluster', 'resource.aws_lambda_function']) {
      expect(types).toContain(t);
    }
    expect(findMachinePaths(out, machinePaths(project, out, repo))).toEqual([]);
  }, 120_000);

  it('GIVEN an existing output WHEN the config is invalid THEN exit 1, the diagnostics are printed and the output is untouched', async () => {
    const before = treeHash(outA);
    writeFiles(project, { 'bad/shop.yaml': SERVICE.replace('handler: catalog\n      auth: none\n      cache: false', 'handler: catalgo\n      auth: none\n      cache: false') });
    const io = memoryIo(project);
    const code = await synthCommand.run(['bad', '--out', 'out-a'], io);
    expect(code).toBe(1);
    expect(io.err).toMatch(/bad\/shop\.yaml:\d+:\d+: error\[unresolved-reference\]/);
    expect(io.err).toContain('nothing was written');
    expect(io.out).toBe('');
    expect(treeHash(outA)).toBe(before);
    expect(fs.readdirSync(project).filter((n) => /\.(new|old)-/.test(n))).toEqual([]);
  });

  it('GIVEN an existing output WHEN a handler has a syntax error THEN exit 1 with file:line:column and the output is untouched', async () => {
    const before = treeHash(outA);
    writeFiles(project, { 'broken/config/shop.yaml': SERVICE, 'broken/handlers/cart.ts': 'export const handler = async () => {\n  return {;\n};\n', 'broken/handlers/catalog.ts': 'export const handler = async () => 1;\n' });
    const io = memoryIo(project);
    const code = await synthCommand.run(['broken/config', '--out', 'out-a'], io);
    expect(code).toBe(1);
    expect(io.err).toContain('broken/handlers/cart.ts:2:11: error [bundle-error]');
    expect(io.err).toContain('while bundling handler `cart` (declared in broken/config/shop.yaml)');
    expect(io.err).not.toMatch(/^\s+at /m);
    expect(treeHash(outA)).toBe(before);
  });

  it('GIVEN a python handler with a syntax error WHEN synth runs THEN exit 1 with python\'s file:line:column, no stack trace, and the output is untouched', async () => {
    const before = treeHash(outA);
    writeFiles(project, {
      'pybroken/config/shop.yaml': SERVICE.replace('entry: ../handlers/cart.ts', 'entry: ../handlers/cart.py'),
      'pybroken/handlers/cart.py': 'def handler(event, context):\n    return {"ok": True\n',
      'pybroken/handlers/catalog.ts': 'export const handler = async () => 1;\n',
    });
    const io = memoryIo(project);
    const code = await synthCommand.run(['pybroken/config', '--out', 'out-a'], io);
    expect(code).toBe(1);
    expect(io.err).toMatch(/pybroken\/handlers\/cart\.py:2:12: error \[bundle-error\] python syntax error: /);
    expect(io.err).toContain('while packaging python handler `cart` (declared in pybroken/config/shop.yaml)');
    expect(io.err).not.toMatch(/^\s+at |Traceback/m);
    expect(treeHash(outA)).toBe(before);
  });

  it('GIVEN a python handler WHEN synth runs twice THEN its zip and Terraform are byte-identical and the function runs cart.handler on python3.13', async () => {
    writeFiles(project, {
      'py/config/shop.yaml': SERVICE.replace('entry: ../handlers/cart.ts', 'entry: ../handlers/cart.py'),
      'py/handlers/cart.py': 'from cachestack_runtime import warm_guard\n\n\n@warm_guard\ndef handler(event, context):\n    return {"statusCode": 200}\n',
      'py/handlers/catalog.ts': 'export const handler = async () => 1;\n',
    });
    const first = memoryIo(project);
    expect(await synthCommand.run(['py/config', '--out', 'out-py-1'], first)).toBe(0);
    expect(await synthCommand.run(['py/config', '--out', 'out-py-2'], memoryIo(project))).toBe(0);
    expect(treeHash(path.join(project, 'out-py-2'))).toBe(treeHash(path.join(project, 'out-py-1')));
    const stack = fs.readdirSync(path.join(project, 'out-py-1', 'stacks'))[0];
    const tf = JSON.parse(fs.readFileSync(path.join(project, 'out-py-1', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const fn = Object.values(tf.resource.aws_lambda_function as Record<string, { function_name: string; handler: string; runtime: string }>).find((f) => f.function_name.endsWith('-cart'))!;
    expect([fn.handler, fn.runtime]).toEqual(['cart.handler', 'python3.13']);
  });

  it('GIVEN --out names a file WHEN synth runs THEN exit 2 with a message', async () => {
    fs.writeFileSync(path.join(project, 'a-file'), 'x');
    const io = memoryIo(project);
    expect(await synthCommand.run(['--out', 'a-file'], io)).toBe(2);
    expect(io.err).toBe('cachestack synth: output path a-file exists and is not a directory; choose another --out\n');
  });

  it('GIVEN --out names a web app with its own manifest.json WHEN synth runs THEN exit 2, a message saying why, and not one of its files changes', async () => {
    writeFiles(project, { 'pwa/manifest.json': '{"name":"shop"}\n', 'pwa/index.html': '<html></html>\n', 'pwa/src/app.ts': 'export {};\n' });
    const before = treeHash(path.join(project, 'pwa'));
    const io = memoryIo(project);
    expect(await synthCommand.run(['--out', 'pwa'], io)).toBe(2);
    expect(io.err).toBe(
      'cachestack synth: output directory pwa is not synth output (no .cachestack-out.json, and beside manifest.json it holds `index.html`, `src`), so synth will not write into it; nothing was changed. Choose another --out, or an empty or new directory\n',
    );
    expect(treeHash(path.join(project, 'pwa'))).toBe(before);
  });

  it('GIVEN an unknown flag WHEN synth runs THEN it is a usage error with a suggestion', async () => {
    await expect(synthCommand.run(['--outt', 'x'], memoryIo(project))).rejects.toThrow('unknown option `--outt`; did you mean `--out`?');
  });
});
