import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutputDirError, stageOutput } from '../../src/synth/atomic';
import { treeHash, writeFiles } from './helpers';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-atomic-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('stageOutput', () => {
  it('GIVEN no output yet WHEN a staged tree is committed THEN it appears at the target and nothing else is left', () => {
    const target = path.join(root, 'cdktf.out');
    const staged = stageOutput(target, 'cdktf.out');
    expect(path.dirname(staged.dir)).toBe(root); // same parent, same file system
    writeFiles(staged.dir, { 'manifest.json': '{}\n', 'stacks/a/cdk.tf.json': '{}\n' });
    staged.commit();
    staged.discard();
    expect(fs.readdirSync(root)).toEqual(['cdktf.out']);
    expect(fs.readFileSync(path.join(target, 'stacks/a/cdk.tf.json'), 'utf8')).toBe('{}\n');
  });

  it('GIVEN the old output cannot be set aside WHEN committing THEN it throws and the old output, .terraform included, is exactly as before', () => {
    const target = path.join(root, 'cdktf.out');
    writeFiles(target, { 'manifest.json': '{"old":true}\n', 'stacks/a/cdk.tf.json': 'old\n', 'stacks/a/.terraform/x': 'providers', 'stacks/b/cdk.tf.json': 'b\n' });
    const before = treeHash(target);
    const staged = stageOutput(target, 'cdktf.out');
    writeFiles(staged.dir, { 'manifest.json': '{}\n', 'stacks/a/cdk.tf.json': 'new\n' });
    // Block the rename of the old tree: a non-empty directory where it would go.
    writeFiles(staged.dir.replace(/\.new-([^/]*)$/, '.old-$1'), { blocker: 'x' });
    expect(() => staged.commit({ keepUnlistedStacks: true })).toThrow(OutputDirError);
    staged.discard();
    expect(treeHash(target)).toBe(before);
  });

  it('GIVEN keepUnlistedStacks WHEN committing THEN stacks the new tree lacks are carried over for cdktf-cli to delete', () => {
    const target = path.join(root, 'out');
    writeFiles(target, { 'manifest.json': '{}\n', 'stacks/gone/cdk.tf.json': 'gone\n' });
    const staged = stageOutput(target, 'out');
    writeFiles(staged.dir, { 'manifest.json': '{}\n', 'stacks/a/cdk.tf.json': 'a\n' });
    staged.commit({ keepUnlistedStacks: true });
    expect(fs.readdirSync(path.join(target, 'stacks')).sort()).toEqual(['a', 'gone']);
  });

  it('GIVEN --out names a file WHEN staging THEN it is refused with a message naming it', () => {
    fs.writeFileSync(path.join(root, 'file'), 'x');
    expect(() => stageOutput(path.join(root, 'file'), 'file')).toThrow('output path file exists and is not a directory; choose another --out');
  });
});
