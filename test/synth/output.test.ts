/**
 * What synth keeps, refuses and recovers in an output directory, through the real
 * pipeline (esbuild, cdktf) and, for kills and concurrent runs, real child processes.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeModels, type PipelineResult } from '../../src/synth/pipeline';
import { LOCK, MARKER } from '../../src/synth/atomic';
import { handler, miniApp, model, readTree, treeHash, writeFiles } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
let project: string;

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-output-'));
  writeFiles(project, {
    'handlers/api.ts': 'export async function handler() {\n  return { statusCode: 200 };\n}\n',
    'handlers/api2.ts': 'export async function handler() {\n  return { statusCode: 201 };\n}\n',
    // A child synth: models of svc-dev and svc-prod (or only svc-dev with ONLY_DEV=1), into OUT.
    'child.js': `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
const path = require('path');
const { synthesizeModels } = require(${JSON.stringify(path.join(ROOT, 'src/synth/pipeline.ts'))});
const h = require(${JSON.stringify(path.join(ROOT, 'test/synth/helpers.ts'))});
const project = ${JSON.stringify('__PROJECT__')};
const hs = [h.handler('api', path.join(project, 'handlers', process.env.ENTRY || 'api.ts'))];
const models = [h.model('svc', 'dev', hs, project), ...(process.env.ONLY_DEV ? [] : [h.model('svc', 'prod', hs, project)])];
synthesizeModels(models, h.miniApp(), { cwd: project, out: process.env.OUT }).then((r) => {
  process.stdout.write(JSON.stringify({ status: r.status, message: r.message }));
  process.exitCode = r.status === 'ok' ? 0 : 2;
});
`,
  });
  fs.writeFileSync(path.join(project, 'child.js'), fs.readFileSync(path.join(project, 'child.js'), 'utf8').replace('"__PROJECT__"', JSON.stringify(project)));
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const models = (entry = 'api.ts', envs = ['dev', 'prod']) => envs.map((e) => model('svc', e, [handler('api', path.join(project, 'handlers', entry))], project));

function ok(result: PipelineResult) {
  if (result.status !== 'ok') throw new Error(`synth failed: ${JSON.stringify(result)}`);
  return result;
}

/** Files in a stack directory that Terraform or the user put there: synth must never lose any of them. */
const USER_FILES: Record<string, string> = {
  'terraform.tfstate': '{"version":4,"serial":7}\n',
  'terraform.tfstate.backup': '{"version":4,"serial":6}\n',
  'errored.tfstate': '{"version":4,"serial":8}\n',
  'terraform.tfstate.1700000000.backup': '{"version":4,"serial":5}\n',
  'terraform.tfstate.d/staging/terraform.tfstate': '{"version":4}\n',
  'terraform.tfvars': 'x = 1\n',
  'override.tf': 'locals {}\n',
  'lambda_override.tf.json': '{}\n',
  'plan.tfplan': 'plan',
  'NOTES.md': 'notes\n',
  '.terraform/providers/marker': 'providers',
  '.terraform.lock.hcl': '# lock\n',
  'assets/mine.txt': 'mine\n',
};

function userFiles(stackDir: string): Record<string, string> {
  return Object.fromEntries(Object.keys(USER_FILES).map((f) => [f, fs.existsSync(path.join(stackDir, f)) ? fs.readFileSync(path.join(stackDir, f), 'utf8') : '(missing)']));
}

function withUserFiles(dir: string, stack: string) {
  writeFiles(path.join(dir, 'stacks', stack), USER_FILES);
}

describe('synth keeps what it did not write', () => {
  it('GIVEN user and Terraform files in every stack directory WHEN synthesized again with other handler code THEN every one is kept and the stale zip goes', async () => {
    const out = path.join(project, 'keep');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    const oldZips = fs.readdirSync(path.join(out, 'stacks/svc-dev/assets'));
    withUserFiles(out, 'svc-dev');
    withUserFiles(out, 'svc-prod');
    ok(await synthesizeModels(models('api2.ts'), miniApp(), { cwd: project, out }));
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    expect(userFiles(path.join(out, 'stacks/svc-prod'))).toEqual(USER_FILES);
    const zips = fs.readdirSync(path.join(out, 'stacks/svc-dev/assets')).filter((f) => f.endsWith('.zip'));
    expect(zips).toHaveLength(1);
    expect(oldZips).not.toContain(zips[0]);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER, 'manifest.json', 'stacks']);
  });

  it('GIVEN a stack leaves the config WHEN its directory holds state THEN it is kept and reported; a stack with only synth files goes', async () => {
    const out = path.join(project, 'removed');
    ok(await synthesizeModels(models('api.ts', ['dev', 'prod', 'qa']), miniApp(), { cwd: project, out }));
    writeFiles(out, { 'stacks/svc-prod/errored.tfstate': '{"version":4}\n' });
    const result = ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out }));
    expect(result.keptStacks).toEqual([{ name: 'svc-prod', holds: ['errored.tfstate'] }]);
    expect(fs.readdirSync(path.join(out, 'stacks')).sort()).toEqual(['svc-dev', 'svc-prod']);
    const marker = JSON.parse(fs.readFileSync(path.join(out, MARKER), 'utf8'));
    expect(marker).toMatchObject({ format: 1, tool: 'cachestack', stacks: ['svc-dev'] });
    expect(marker.pending).toBeUndefined();
    expect(marker.files.filter((f: string) => !f.includes('/assets/'))).toEqual(['manifest.json', 'stacks/svc-dev/cdk.tf.json']);
  });

  it('GIVEN a removed stack whose directory became a link to elsewhere WHEN synthesized THEN nothing behind the link is deleted', async () => {
    const out = path.join(project, 'linked');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    const elsewhere = path.join(project, 'elsewhere');
    fs.renameSync(path.join(out, 'stacks/svc-prod'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, 'stacks/svc-prod'));
    const before = treeHash(elsewhere);
    ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out }));
    expect(treeHash(elsewhere)).toBe(before);
  });

  it('GIVEN a web app directory with a manifest.json WHEN used as --out THEN synth refuses and touches nothing', async () => {
    const app = path.join(project, 'webapp');
    writeFiles(app, { 'manifest.json': '{"name":"pwa"}\n', 'index.html': '<html></html>\n', 'src/app.ts': 'export {};\n', 'config/svc.yaml': 'version: 1\n' });
    const before = treeHash(app);
    const result = await synthesizeModels(models(), miniApp(), { cwd: app, out: '.' });
    expect(result).toMatchObject({ status: 'failed', message: expect.stringContaining('output directory . is not synth output') });
    expect(treeHash(app)).toBe(before);
  });

  it('GIVEN a legacy output without the marker WHEN synthesized THEN it is taken over: state kept, old synth files replaced', async () => {
    const out = path.join(project, 'legacy');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    fs.rmSync(path.join(out, MARKER));
    withUserFiles(out, 'svc-dev');
    const result = ok(await synthesizeModels(models('api2.ts', ['dev']), miniApp(), { cwd: project, out }));
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    expect(fs.readdirSync(path.join(out, 'stacks/svc-dev/assets')).filter((f) => f.endsWith('.zip'))).toHaveLength(1);
    expect(fs.existsSync(path.join(out, 'stacks/svc-prod'))).toBe(false);
    expect(result.keptStacks).toEqual([]);
  });

  it('GIVEN a file at a path synth writes that synth did not write WHEN synthesized THEN it is refused, naming it, and nothing changes', async () => {
    const out = path.join(project, 'conflict');
    ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out }));
    writeFiles(out, { 'stacks/svc-prod': 'a file where a stack directory goes\n' });
    const before = treeHash(out);
    const result = await synthesizeModels(models(), miniApp(), { cwd: project, out });
    expect(result).toMatchObject({ status: 'failed', message: expect.stringContaining('stacks/svc-prod is a file where synth must write a directory') });
    if (result.status === 'failed') expect(result.message).toContain('nothing was changed');
    expect(treeHash(out)).toBe(before);
  });

  it('GIVEN cdktf-cli runs the app WHEN a stack that left the config holds state THEN synth refuses, since cdktf-cli would delete the directory', async () => {
    const out = path.join(project, 'under-cdktf');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out, keepUnlistedStacks: true }));
    writeFiles(out, { 'stacks/svc-prod/terraform.tfstate.1700000000.backup': '{}\n' });
    const before = treeHash(out);
    const result = await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out, keepUnlistedStacks: true });
    expect(result).toMatchObject({ status: 'failed', message: expect.stringContaining('stacks/svc-prod holds Terraform state (`terraform.tfstate.1700000000.backup`), and cdktf-cli deletes the directory') });
    expect(treeHash(out)).toBe(before);
    // Without state, the directory is left exactly as it was, for cdktf-cli to delete.
    fs.rmSync(path.join(out, 'stacks/svc-prod/terraform.tfstate.1700000000.backup'));
    const prodBefore = treeHash(path.join(out, 'stacks/svc-prod'));
    const left = ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out, keepUnlistedStacks: true }));
    expect(left.keptStacks.map((k) => k.name)).toEqual(['svc-prod']);
    expect(treeHash(path.join(out, 'stacks/svc-prod'))).toBe(prodBefore);
    // Once cdktf-cli has deleted it, the next run does not miss it.
    fs.rmSync(path.join(out, 'stacks/svc-prod'), { recursive: true });
    ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out, keepUnlistedStacks: true }));
    expect(JSON.parse(fs.readFileSync(path.join(out, MARKER), 'utf8')).stacks).toEqual(['svc-dev']);
  });

  it('GIVEN the file system fails in the middle of the commit WHEN synthesizing THEN it says what happened, and the next synth finishes the job', async () => {
    const out = path.join(project, 'midway');
    ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out }));
    withUserFiles(out, 'svc-dev');
    // Once svc-dev is in place, something puts a file where svc-prod's directory must go.
    const onStep = (step: string) => {
      if (step === 'placed:stacks/svc-dev/cdk.tf.json') fs.writeFileSync(path.join(out, 'stacks/svc-prod'), 'x');
    };
    const result = await synthesizeModels(models('api2.ts'), miniApp(), { cwd: project, out, onStep });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') {
      expect(result.message).toMatch(/^writing stacks\/svc-prod\/assets\/api-[0-9a-f]{8}\.zip in midway failed \((something already stands where a directory must be; EEXIST|a file stands where a directory must be; ENOTDIR): /);
      expect(result.message).toContain('the output is partly updated (stacks/svc-dev done), and no file synth did not write was touched');
      expect(result.message).not.toMatch(/internal error|^\s+at /m);
    }
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    fs.rmSync(path.join(out, 'stacks/svc-prod'));
    ok(await synthesizeModels(models('api2.ts'), miniApp(), { cwd: project, out }));
    const fresh = path.join(project, 'midway-fresh');
    ok(await synthesizeModels(models('api2.ts'), miniApp(), { cwd: project, out: fresh }));
    const got = [...readTree(out).keys()].filter((f) => !f.startsWith('stacks/svc-dev/') || !Object.keys(USER_FILES).some((u) => f === `stacks/svc-dev/${u}`));
    expect(got).toEqual([...readTree(fresh).keys()]);
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
  });
});

describe('synth recovers what an older cachestack left when it was killed', () => {
  it('GIVEN state stranded in .<out>.new-* and .<out>.old-* trees WHEN synthesized THEN it is moved back into its stack directories and the trees go', async () => {
    const dir = fs.mkdtempSync(path.join(project, 'older-'));
    const out = path.join(dir, 'cdktf.out');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    fs.rmSync(path.join(out, MARKER)); // written by an older cachestack: no marker
    // Killed while carrying working files into the new tree: they are only there.
    writeFiles(dir, {
      '.cdktf.out.new-AbC123/manifest.json': '{}',
      '.cdktf.out.new-AbC123/stacks/svc-dev/cdk.tf.json': '{}',
      '.cdktf.out.new-AbC123/stacks/svc-dev/assets/api-0123abcd.zip': 'zip',
      '.cdktf.out.new-AbC123/stacks/svc-dev/terraform.tfstate': USER_FILES['terraform.tfstate'],
      '.cdktf.out.new-AbC123/stacks/svc-dev/.terraform/providers/marker': 'providers',
      // Killed after the swap: the set-aside tree still had files it did not carry.
      '.cdktf.out.old-XyZ789/stacks/svc-prod/cdk.tf.json': '{}',
      '.cdktf.out.old-XyZ789/stacks/svc-prod/terraform.tfvars': 'x = 1\n',
      '.cdktf.out.old-XyZ789/stacks/svc-prod/errored.tfstate': USER_FILES['errored.tfstate'],
    });
    const result = ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    expect(fs.readFileSync(path.join(out, 'stacks/svc-dev/terraform.tfstate'), 'utf8')).toBe(USER_FILES['terraform.tfstate']);
    expect(fs.readFileSync(path.join(out, 'stacks/svc-dev/.terraform/providers/marker'), 'utf8')).toBe('providers');
    expect(fs.readFileSync(path.join(out, 'stacks/svc-prod/errored.tfstate'), 'utf8')).toBe(USER_FILES['errored.tfstate']);
    expect(fs.readFileSync(path.join(out, 'stacks/svc-prod/terraform.tfvars'), 'utf8')).toBe('x = 1\n');
    expect(result.recovered).toEqual([
      'stacks/svc-dev/.terraform (from .cdktf.out.new-AbC123)',
      'stacks/svc-dev/terraform.tfstate (from .cdktf.out.new-AbC123)',
      'stacks/svc-prod/errored.tfstate (from .cdktf.out.old-XyZ789)',
      'stacks/svc-prod/terraform.tfvars (from .cdktf.out.old-XyZ789)',
    ]);
    expect(result.leftovers).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
  });

  it('GIVEN the output was set aside and never replaced WHEN synthesized THEN the set-aside tree becomes the output again; a clash keeps the tree and says so', async () => {
    const dir = fs.mkdtempSync(path.join(project, 'older-'));
    writeFiles(dir, {
      '.out.old-AbC123/manifest.json': JSON.stringify({ stacks: { 'svc-dev': { synthesizedStackPath: 'stacks/svc-dev/cdk.tf.json' } } }),
      '.out.old-AbC123/stacks/svc-dev/cdk.tf.json': '{}',
      '.out.old-AbC123/stacks/svc-dev/terraform.tfvars': 'x = 1\n',
      '.out.new-AbC123/stacks/svc-dev/terraform.tfstate': USER_FILES['terraform.tfstate'],
      '.out.new-AbC123/stacks/svc-dev/terraform.tfvars': 'x = 2\n',
    });
    const out = path.join(dir, 'out');
    const result = ok(await synthesizeModels(models('api.ts', ['dev']), miniApp(), { cwd: project, out }));
    expect(fs.readFileSync(path.join(out, 'stacks/svc-dev/terraform.tfstate'), 'utf8')).toBe(USER_FILES['terraform.tfstate']);
    expect(fs.readFileSync(path.join(out, 'stacks/svc-dev/terraform.tfvars'), 'utf8')).toBe('x = 1\n');
    const shown = path.relative(project, out);
    expect(result.leftovers).toEqual([`.out.new-AbC123 next to ${shown} was kept: it holds \`stacks/svc-dev/terraform.tfvars\`, which ${shown} has too; compare them (it may hold Terraform state), then delete it`]);
    expect(fs.readdirSync(dir).sort()).toEqual(['.out.new-AbC123', 'out']);
  });
});

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startChild(env: Record<string, string>): { done: Promise<Child> } {
  const child = spawn(process.execPath, [path.join(project, 'child.js')], { cwd: project, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 1200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  if (!fs.existsSync(file)) throw new Error(`${file} never appeared`);
}

describe('synth killed or run twice at once', () => {
  const KILL_STEPS = [
    'locked',
    'marker-pending',
    'placed:stacks/svc-dev/cdk.tf.json',
    'placed:manifest.json',
    'removed:stacks/svc-dev/assets/', // the first stale zip: completed below
    'committed',
  ];

  it.each(KILL_STEPS)('GIVEN kill -9 at step %s WHEN the next synth runs THEN every state and user file is in its stack directory and nothing temporary is left', async (step) => {
    const out = path.join(project, `kill-${KILL_STEPS.indexOf(step)}`);
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    withUserFiles(out, 'svc-dev');
    withUserFiles(out, 'svc-prod');
    let exact = step;
    if (step.endsWith('/')) exact = `${step}${fs.readdirSync(path.join(out, 'stacks/svc-dev/assets')).find((f) => f.endsWith('.zip'))}`;
    // The killed run changes handler code (new zips) and drops svc-prod.
    const killed = await startChild({ OUT: out, ENTRY: 'api2.ts', ONLY_DEV: '1', CACHESTACK_TEST_STEP: exact, CACHESTACK_TEST_ACTION: 'kill' }).done;
    expect({ signal: killed.signal, stderr: killed.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    // Right after the kill, and after the next run, nothing the user had is anywhere but where it was.
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    expect(userFiles(path.join(out, 'stacks/svc-prod'))).toEqual(USER_FILES);
    const next = ok(await synthesizeModels(models('api2.ts', ['dev']), miniApp(), { cwd: project, out, lockTimeoutSeconds: 0 }));
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    expect(userFiles(path.join(out, 'stacks/svc-prod'))).toEqual(USER_FILES);
    expect(next.keptStacks.map((k) => k.name)).toEqual(['svc-prod']);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER, 'manifest.json', 'stacks']);
    expect(fs.readdirSync(project).filter((n) => /\.(new|old)-/.test(n))).toEqual([]);
    // What synth wrote is exactly what a fresh synth writes.
    const fresh = path.join(project, `kill-fresh-${KILL_STEPS.indexOf(step)}`);
    ok(await synthesizeModels(models('api2.ts', ['dev']), miniApp(), { cwd: project, out: fresh }));
    const ours = (dir: string) => [...readTree(dir)].filter(([f]) => !f.startsWith('stacks/svc-prod/') && !Object.keys(USER_FILES).some((u) => f === `stacks/svc-dev/${u}`));
    expect(ours(out).map(([f, b]) => [f, b.toString('base64')])).toEqual(ours(fresh).map(([f, b]) => [f, b.toString('base64')]));
  }, 120_000);

  it('GIVEN two synths into one --out at once WHEN the second finds the first holding the lock THEN it waits, or exits 2 naming the lock, and no state is lost', async () => {
    const out = path.join(project, 'concurrent');
    ok(await synthesizeModels(models(), miniApp(), { cwd: project, out }));
    withUserFiles(out, 'svc-dev');
    withUserFiles(out, 'svc-prod');
    const pause = fs.mkdtempSync(path.join(project, 'pause-'));
    // The first holds the lock, paused in the middle of its commit.
    const first = startChild({ OUT: out, ENTRY: 'api2.ts', CACHESTACK_TEST_STEP: 'placed:stacks/svc-dev/cdk.tf.json', CACHESTACK_TEST_ACTION: `pause:${pause}` });
    await waitFor(path.join(pause, 'reached'));
    const impatient = await startChild({ OUT: out, ONLY_DEV: '1', CACHESTACK_LOCK_TIMEOUT: '0' }).done;
    expect(impatient.code).toBe(2);
    expect(JSON.parse(impatient.stdout).message).toMatch(new RegExp(`^another synth is writing .*concurrent \\(process \\d+ on .* holds .*concurrent/${LOCK.replace(/\./g, '\\.')}\\); nothing was changed`));
    // The second waits for the first, then drops svc-prod.
    const second = startChild({ OUT: out, ONLY_DEV: '1' });
    await new Promise((r) => setTimeout(r, 1500));
    fs.writeFileSync(path.join(pause, 'go'), '');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(userFiles(path.join(out, 'stacks/svc-dev'))).toEqual(USER_FILES);
    expect(userFiles(path.join(out, 'stacks/svc-prod'))).toEqual(USER_FILES);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER, 'manifest.json', 'stacks']);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).stacks)).toEqual(['svc-dev']);
  }, 120_000);
});
