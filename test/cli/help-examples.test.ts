/**
 * The examples of `cachestack synth --help` name this repository's example
 * config and the stacks it really has, so they run as printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCommand } from '../../src/cli/commands/synth';
import { run } from '../../src/cli/main';
import { captureIo } from './io';

const ROOT = path.resolve(__dirname, '..', '..');

describe('synth --help examples', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-help-examples-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('GIVEN the example with a config file and --env WHEN run here THEN it writes the stack the terraform example plans', async () => {
    const lines = synthCommand.help.split('\n').map((l) => l.trim());
    const synthLine = lines.find((l) => /^cachestack synth \S+\.yaml --env \w+ --out \S+$/.test(l))!;
    const planLine = lines.find((l) => l.startsWith('terraform -chdir=cdktf.out/stacks/'))!;
    expect(synthLine).toBeDefined();
    expect(planLine).toBeDefined();
    const [, , file, , env] = synthLine.split(' ');
    expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    const stack = /stacks\/([^ ]+) plan$/.exec(planLine)![1];

    const io = captureIo(ROOT, { env: { CHECKPOINT_DISABLE: '1' } });
    expect(await run(['synth', file, '--env', env, '--out', path.join(out, 'tf')], io)).toBe(0);
    expect(fs.readdirSync(path.join(out, 'tf', 'stacks'))).toEqual([stack]);
  }, 120000);
});
