/**
 * A Python handler's `requirements` file is read by validate, so the loader
 * refuses it like the GraphQL schema: outside the project root, not a regular
 * file (a FIFO), or larger than a config file may be.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, MAX_FILE_BYTES } from '../../src/config';

const CONFIG = (requirements: string) => `version: 1
service: shop
region: us-east-1
handlers:
  py:
    entry: handler.py
    requirements: ${requirements}
`;

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-reqs-')));
  fs.mkdirSync(path.join(dir, 'project', 'config'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'project', 'package.json'), '{}');
  fs.writeFileSync(path.join(dir, 'project', 'config', 'handler.py'), 'def handler(event, context):\n    return 1\n');
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'redis\n');
  fs.writeFileSync(path.join(dir, 'project', 'config', 'big.txt'), '#'.repeat(MAX_FILE_BYTES + 1));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function codesFor(requirements: string): { code: string; message: string; hint?: string }[] {
  const file = path.join(dir, 'project', 'config', 'shop.yaml');
  fs.writeFileSync(file, CONFIG(requirements));
  const r = loadConfig([file], { cwd: path.join(dir, 'project') });
  return r.diagnostics.map((d) => ({ code: d.code, message: d.message, hint: d.hint }));
}

describe('requirements files the loader refuses', () => {
  it('GIVEN a requirements file outside the project root THEN path-outside-project, and no other diagnostic about it', () => {
    expect(codesFor('../../outside.txt').map((d) => d.code)).toEqual(['path-outside-project']);
  });

  it('GIVEN a requirements file over the limit (4 MiB) THEN file-too-large says it is a requirements file', () => {
    const [d] = codesFor('big.txt');
    expect(d.code).toBe('file-too-large');
    expect(d.message).toContain('a requirements file may hold at most 4 MiB');
  });

  it('GIVEN a FIFO as the requirements file THEN file-not-regular, without reading it', () => {
    const fifo = path.join(dir, 'project', 'config', 'fifo.txt');
    if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error('mkfifo failed');
    const [d] = codesFor('fifo.txt');
    expect(d).toMatchObject({ code: 'file-not-regular', hint: 'point it at a pip requirements file' });
  });
});
