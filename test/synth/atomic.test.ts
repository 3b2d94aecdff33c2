import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK, MARKER, OutputDirError, openOutput, readOwnership } from '../../src/synth/atomic';
import { treeHash, writeFiles } from './helpers';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-atomic-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const LEGACY_MANIFEST = JSON.stringify({ version: '0.21.0', stacks: { a: { name: 'a', synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: 'stacks/a' } } });

describe('readOwnership', () => {
  it('GIVEN a web app with its own manifest.json WHEN checked THEN it is refused, naming what it holds, and nothing is touched', () => {
    const app = path.join(root, 'app');
    writeFiles(app, { 'manifest.json': '{"name":"my-pwa","icons":[]}\n', 'index.html': '<html></html>\n', 'src/main.ts': 'export {};\n' });
    const before = treeHash(app);
    expect(() => readOwnership(app, 'app')).toThrow(OutputDirError);
    expect(() => readOwnership(app, 'app')).toThrow('output directory app is not synth output (no .cachestack-out.json, and beside manifest.json it holds `index.html`, `src`)');
    expect(treeHash(app)).toBe(before);
  });

  it('GIVEN a manifest.json that is not a cdktf manifest, alone WHEN checked THEN it is refused', () => {
    writeFiles(root, { 'o/manifest.json': '{"name":"x"}\n' });
    expect(() => readOwnership(path.join(root, 'o'), 'o')).toThrow('its manifest.json is not a cdktf manifest (no `stacks`)');
    writeFiles(root, { 'p/manifest.json': LEGACY_MANIFEST, 'p/stacks/a/main.tf': '' });
    expect(() => readOwnership(path.join(root, 'p'), 'p')).toThrow('stack `a` of its manifest.json has no stacks/a/cdk.tf.json');
  });

  it('GIVEN a legacy output (cdktf manifest, its stacks, nothing else at the top) WHEN checked THEN synth owns the manifest, cdk.tf.json and its zips only', () => {
    const out = path.join(root, 'cdktf.out');
    writeFiles(out, {
      'manifest.json': LEGACY_MANIFEST,
      'stacks/a/cdk.tf.json': '{}\n',
      'stacks/a/assets/api-0123abcd.zip': 'zip',
      'stacks/a/assets/mine.zip': 'user',
      'stacks/a/terraform.tfstate': '{}',
      'stacks/old/terraform.tfstate': '{}',
    });
    const owned = readOwnership(out, 'cdktf.out');
    expect(owned.kind).toBe('legacy');
    expect([...owned.files].sort()).toEqual(['manifest.json', 'stacks/a/assets/api-0123abcd.zip', 'stacks/a/cdk.tf.json']);
    expect([...owned.stacks]).toEqual(['a']);
  });

  it('GIVEN a marker that names a path synth never writes WHEN checked THEN it is refused rather than trusted', () => {
    writeFiles(root, { [`o/${MARKER}`]: JSON.stringify({ format: 1, tool: 'cachestack', stacks: [], files: ['../../etc/passwd'] }) });
    expect(() => readOwnership(path.join(root, 'o'), 'o')).toThrow('lists `../../etc/passwd`, which is not a path synth writes');
    writeFiles(root, { [`n/${MARKER}`]: JSON.stringify({ format: 2, tool: 'cachestack', stacks: [], files: [] }) });
    expect(() => readOwnership(path.join(root, 'n'), 'n')).toThrow('has format 2, and this cachestack reads format 1 (a newer cachestack wrote it: upgrade)');
  });

  it('GIVEN --out names a file WHEN checked THEN it is refused with a message naming it', () => {
    fs.writeFileSync(path.join(root, 'file'), 'x');
    expect(() => readOwnership(path.join(root, 'file'), 'file')).toThrow('output path file exists and is not a directory; choose another --out');
  });
});

describe('openOutput', () => {
  it('GIVEN a lock held by a live process WHEN opening with no time to wait THEN it is refused naming the lock and its holder', async () => {
    const out = path.join(root, 'out');
    writeFiles(out, { [LOCK]: `${JSON.stringify({ pid: process.pid, host: os.hostname(), started: 'then' })}\n` });
    await expect(openOutput(out, 'out', { lockTimeoutSeconds: 0 })).rejects.toThrow(`another synth is writing out (process ${process.pid} on ${os.hostname()}, since then holds out/${LOCK})`);
    expect(fs.readdirSync(out)).toEqual([LOCK]);
  });

  it('GIVEN a lock whose process is gone WHEN opening THEN the stale lock is taken over, and released afterwards', async () => {
    const out = path.join(root, 'out');
    // pid 2^22+1 is above Linux's pid_max, so no process has it.
    writeFiles(out, { [LOCK]: `${JSON.stringify({ pid: 4194305, host: os.hostname(), started: 'then' })}\n`, '.cachestack-staging-abc123/manifest.json': '{}' });
    const opened = await openOutput(out, 'out', { lockTimeoutSeconds: 0 });
    expect(JSON.parse(fs.readFileSync(path.join(out, LOCK), 'utf8')).pid).toBe(process.pid);
    expect(fs.existsSync(path.join(out, '.cachestack-staging-abc123'))).toBe(false); // a killed run's staging is swept
    opened.release();
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('GIVEN an empty lock (its process was killed before writing it) WHEN it is old THEN it is taken over; WHEN fresh THEN it is waited for', async () => {
    const out = path.join(root, 'out');
    writeFiles(out, { [LOCK]: '' });
    await expect(openOutput(out, 'out', { lockTimeoutSeconds: 0 })).rejects.toThrow('another synth is writing out (another process holds out/.cachestack-out.lock)');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(out, LOCK), old, old);
    const opened = await openOutput(out, 'out', { lockTimeoutSeconds: 0 });
    opened.release();
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('GIVEN no output directory WHEN opened and released without a commit THEN nothing is left behind', async () => {
    const out = path.join(root, 'new');
    const opened = await openOutput(out, 'new');
    expect(path.dirname(opened.dir)).toBe(out);
    opened.release();
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
