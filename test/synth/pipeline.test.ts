import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { synthesizeModels, type PipelineResult } from '../../src/synth/pipeline';
import { checkAgainstProviderSchema } from './provider-schema';
import { findMachinePaths, handler, machinePaths, miniApp, model, readTree, treeHash, writeFiles } from './helpers';

let project: string;

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-pipeline-'));
  writeFiles(project, {
    'handlers/api.ts': "import { helper } from './lib';\nexport async function handler() {\n  return { statusCode: 200, body: helper() };\n}\n",
    'handlers/lib.ts': "export const helper = () => 'ok';\n",
    'handlers/jobs.ts': 'export const handler = async () => 1;\n',
    'handlers/broken.ts': 'export const handler = async () => {\n  return 1 +;\n};\n',
  });
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const models = () => {
  const h = [handler('api', path.join(project, 'handlers/api.ts')), handler('jobs', path.join(project, 'handlers/jobs.ts'))];
  return [model('svc', 'prod', h, project), model('svc', 'dev', h, project)];
};

function ok(result: PipelineResult) {
  if (result.status !== 'ok') throw new Error(`synth failed: ${JSON.stringify(result)}`);
  return result;
}

/** Names next to an output directory that a synth left behind (temporary or set-aside trees). */
function leftovers(parent: string): string[] {
  return fs.readdirSync(parent).filter((n) => /\.(new|old)-/.test(n));
}

describe('synthesizeModels', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = path.join(project, 'out-a');
    second = path.join(project, 'out-b');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out: 'out-a' }));
    // The second run sees the models in another order: the output must not care.
    ok(await synthesizeModels(models().reverse(), miniApp(), { cwd: project, out: second }));
  });

  it('GIVEN the same models twice WHEN synthesized into two directories THEN every byte of every file is identical', () => {
    const a = readTree(first);
    const b = readTree(second);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, bytes] of a) expect({ file, same: Buffer.compare(bytes, b.get(file)!) === 0 }).toEqual({ file, same: true });
  });

  it('GIVEN a synth WHEN its output is read THEN it has the layout cdktf writes, with the zips beside each stack', () => {
    const files = [...readTree(first).keys()];
    expect(files.filter((f) => !f.includes('/assets/'))).toEqual(['.cachestack-out.json', 'manifest.json', 'stacks/svc-dev/cdk.tf.json', 'stacks/svc-prod/cdk.tf.json']);
    // The marker lists exactly the files synth wrote.
    expect(JSON.parse(fs.readFileSync(path.join(first, '.cachestack-out.json'), 'utf8'))).toEqual({ format: 1, tool: 'cachestack', stacks: ['svc-dev', 'svc-prod'], files: files.filter((f) => f !== '.cachestack-out.json') });
    expect(files.filter((f) => f.startsWith('stacks/svc-dev/assets/'))).toEqual([expect.stringMatching(/\/api-[0-9a-f]{8}\.zip$/), expect.stringMatching(/\/jobs-[0-9a-f]{8}\.zip$/)]);
    const manifest = JSON.parse(fs.readFileSync(path.join(first, 'manifest.json'), 'utf8'));
    expect(manifest.stacks['svc-dev']).toMatchObject({ synthesizedStackPath: 'stacks/svc-dev/cdk.tf.json', workingDirectory: 'stacks/svc-dev' });
    const tf = JSON.parse(fs.readFileSync(path.join(first, 'stacks/svc-dev/cdk.tf.json'), 'utf8'));
    const fn = tf.resource.aws_lambda_function['handler-api'];
    expect(fn.filename).toMatch(/^\$\{path\.module\}\/assets\/api-[0-9a-f]{8}\.zip$/);
    expect(fs.existsSync(path.join(first, 'stacks/svc-dev', fn.filename.replace('${path.module}/', '')))).toBe(true);
  });

  it('GIVEN cdktf default local backend WHEN normalised THEN the state path is relative to the stack directory and points where cdktf would put it', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(first, 'stacks/svc-dev/cdk.tf.json'), 'utf8'));
    expect(tf.terraform.backend.local.path).toBe('../../../terraform.svc-dev.tfstate');
    expect(path.resolve(first, 'stacks/svc-dev', tf.terraform.backend.local.path)).toBe(path.join(project, 'terraform.svc-dev.tfstate'));
  });

  it('GIVEN a synth WHEN every file and every zipped file is searched THEN no absolute path of this machine appears', () => {
    expect(findMachinePaths(first, machinePaths(project, first))).toEqual([]);
  });

  it('GIVEN a synth WHEN checked against the provider bindings THEN every type and argument exists', () => {
    for (const stack of ['svc-dev', 'svc-prod']) {
      const tf = JSON.parse(fs.readFileSync(path.join(first, `stacks/${stack}/cdk.tf.json`), 'utf8'));
      expect(checkAgainstProviderSchema(tf)).toEqual([]);
    }
  });

  it('GIVEN an existing output WHEN a handler has a syntax error THEN synth reports it and the output tree is untouched', async () => {
    const before = treeHash(first);
    const broken = [model('svc', 'dev', [handler('api', path.join(project, 'handlers/broken.ts'))], project)];
    const result = await synthesizeModels(broken, miniApp(), { cwd: project, out: 'out-a' });
    expect(result.status).toBe('bundle-error');
    if (result.status === 'bundle-error') expect(result.errors[0]).toMatchObject({ file: 'handlers/broken.ts', line: 2, column: 13 });
    expect(treeHash(first)).toBe(before);
    expect(leftovers(project)).toEqual([]);
  });

  it('GIVEN an existing output WHEN the app would write a path of this machine THEN nothing is written and the output is untouched', async () => {
    const before = treeHash(first);
    const leaky = miniApp((stack) => {
      new LambdaFunction(stack, 'leaky', { functionName: 'leaky', role: 'arn:aws:iam::123456789012:role/x', filename: path.join(project, 'x.zip') });
    });
    const result = await synthesizeModels(models(), leaky, { cwd: project, out: 'out-a' });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expect(result.message).toContain('stacks/svc-dev/cdk.tf.json at resource.aws_lambda_function.leaky.filename contains');
    expect(treeHash(first)).toBe(before);
    expect(leftovers(project)).toEqual([]);
  });

  it('GIVEN a directory that is not synth output WHEN used as --out THEN synth refuses and leaves it alone', async () => {
    const dir = path.join(project, 'src-like');
    writeFiles(dir, { 'keep.ts': 'export {};\n' });
    const before = treeHash(dir);
    const result = await synthesizeModels(models(), miniApp(), { cwd: project, out: 'src-like' });
    expect(result).toMatchObject({ status: 'failed', message: expect.stringContaining('output directory src-like is not synth output (no .cachestack-out.json and no cdktf manifest.json; it holds `keep.ts`)') });
    expect(treeHash(dir)).toBe(before);
  });

  it('GIVEN terraform was initialised in a stack WHEN synthesized again with one stack fewer THEN .terraform stays and the removed stack goes', async () => {
    writeFiles(second, { 'stacks/svc-dev/.terraform/providers/marker': 'x', 'stacks/svc-dev/.terraform.lock.hcl': '# lock\n' });
    const result = ok(await synthesizeModels([models()[1]], miniApp(), { cwd: project, out: second }));
    expect(result.stacks.map((s) => s.name)).toEqual(['svc-dev']);
    expect(fs.readFileSync(path.join(second, 'stacks/svc-dev/.terraform/providers/marker'), 'utf8')).toBe('x');
    expect(fs.existsSync(path.join(second, 'stacks/svc-dev/.terraform.lock.hcl'))).toBe(true);
    expect(fs.existsSync(path.join(second, 'stacks/svc-prod'))).toBe(false);
    expect(result.keptStacks).toEqual([]);
    expect(leftovers(project)).toEqual([]);
  });

  it('GIVEN a stack directory holding local state WHEN its stack leaves the config THEN the directory is kept and reported', async () => {
    const out = path.join(project, 'out-state');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    writeFiles(out, { 'stacks/svc-prod/terraform.tfstate': '{"version":4}\n' });
    const result = ok(await synthesizeModels([models()[1]], miniApp(), { cwd: project, out }));
    expect(result.keptStacks).toEqual([{ name: 'svc-prod', holds: ['terraform.tfstate'] }]);
    expect(fs.readFileSync(path.join(out, 'stacks/svc-prod/terraform.tfstate'), 'utf8')).toBe('{"version":4}\n');
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).stacks)).toEqual(['svc-dev']);
  });

  it('GIVEN two models with one stack name WHEN synthesized THEN it is a model error naming both files', async () => {
    const [a] = models();
    const b = { ...a, sourceFile: 'config/other.yaml' };
    const result = await synthesizeModels([a, b], miniApp(), { cwd: project, out: 'out-c' });
    expect(result).toMatchObject({ status: 'model-error', message: expect.stringContaining('config/svc.yaml and config/other.yaml') });
    expect(fs.existsSync(path.join(project, 'out-c'))).toBe(false);
  });
});

describe('checkAgainstProviderSchema', () => {
  function synthStack(build: (stack: TerraformStack) => void): Record<string, unknown> {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'probe');
    build(stack);
    return JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
  }

  it('GIVEN an override with a misspelt argument WHEN checked THEN the misspelling is reported with its path', () => {
    const doc = synthStack((stack) => {
      const fn = new LambdaFunction(stack, 'fn', { functionName: 'f', role: 'r', filename: 'f.zip' });
      fn.addOverride('memry_size', 256);
      fn.addOverride('environment.varaibles', { A: '1' });
      fn.addOverride('lifecycle.ignore_change', ['tags']);
    });
    expect(checkAgainstProviderSchema(doc)).toEqual([
      'resource.aws_lambda_function.fn.environment.varaibles: `varaibles` is not an argument of aws_lambda_function',
      'resource.aws_lambda_function.fn.lifecycle.ignore_change: `ignore_change` is not a lifecycle argument',
      'resource.aws_lambda_function.fn.memry_size: `memry_size` is not an argument of aws_lambda_function',
    ]);
  });

  it('GIVEN a resource type the provider does not have WHEN checked THEN it is reported', () => {
    expect(checkAgainstProviderSchema({ resource: { aws_lambda_functions: { x: {} } } })).toEqual([
      'resource.aws_lambda_functions: no resource type `aws_lambda_functions` in @cdktf/provider-aws',
    ]);
  });

  it('GIVEN nested blocks, maps and meta-arguments that exist WHEN checked THEN nothing is reported', () => {
    const doc = synthStack((stack) => {
      const fn = new LambdaFunction(stack, 'fn', {
        functionName: 'f',
        role: 'r',
        filename: 'f.zip',
        environment: { variables: { ANY_KEY_IS_DATA: '1' } },
        vpcConfig: { subnetIds: ['s'], securityGroupIds: ['g'] },
        tags: { whatever: 'x' },
        lifecycle: { ignoreChanges: ['tags'] },
      });
      fn.addOverride('depends_on', []);
    });
    expect(checkAgainstProviderSchema(doc)).toEqual([]);
  });
});
