/**
 * Files the loader reads: bounded (a FIFO or a device is refused without blocking,
 * at most the limit plus one byte is read) and confined to the project root (a
 * path or a link that leaves it is refused, and its content never reaches a
 * diagnostic or `sources`). Real FIFOs (mkfifo), /dev/zero and real symbolic links.
 *
 * Each test that could hang on the old code has a jest timeout: it fails instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { findProjectRoot, readBounded } from '../../src/config/files';
import { loadConfig, MAX_FILE_BYTES, type LoadResult } from '../../src/config';
import { renderText } from '../../src/cli/format/text';
import { captureIo } from '../cli/io';

const QUICK = 15_000;
const SECRET = 'root:$6$cachestack-secret-hash:19000:0:99999:7:::';

let top: string;
let project: string;
let outside: string;

function write(abs: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

/**
 * A real FIFO, and a writer that opens it after 5 s (and gives up after 10 s):
 * code that would block reading it is unblocked, so the test fails instead of
 * hanging the run. Code that refuses the FIFO never waits for the writer.
 */
function mkfifo(abs: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  execFileSync('mkfifo', [abs]);
  spawn('timeout', ['10', 'sh', '-c', 'sleep 5; printf "rescued: 1\\n" > "$1"', 'sh', abs], { stdio: 'ignore' }).unref();
}

const HEADER = 'version: 1\nservice: svc\nregion: us-east-1\n';

function config(name: string, body: string): string {
  write(path.join(project, 'config', name), HEADER + body);
  return `config/${name}`;
}

function codes(r: LoadResult): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.path}`);
}

/** Everything a user could see: the text report and the sources handed to the formatters. */
function visible(r: LoadResult): string {
  return renderText({ files: r.files.map((f) => ({ path: f.file, environments: f.environments })), diagnostics: r.diagnostics, sources: r.sources, strict: false }, { color: false }) + [...r.sources.values()].join('\n');
}

beforeAll(() => {
  top = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-files-'));
  project = path.join(top, 'project');
  outside = path.join(top, 'outside');
  write(path.join(project, 'package.json'), '{}\n');
  write(path.join(project, 'handlers', 'ok.ts'), 'export const handler = async () => 1;\n');
  write(path.join(project, 'schema.graphql'), 'type Query { a: String }\n');
  // Outside the project: a "shadow" file whose lines must never be printed, as YAML and as SDL.
  write(path.join(outside, 'shadow'), `${SECRET}\n`);
  write(path.join(outside, 'shadow.graphql'), `${SECRET}\n`);
  write(path.join(outside, 'lib.ts'), 'export const handler = async () => 2;\n');
});

afterAll(() => {
  fs.rmSync(top, { recursive: true, force: true });
});

describe('the project root', () => {
  it('GIVEN a config below a directory with package.json THEN that directory is the root; .git wins over a nearer package.json', () => {
    expect(findProjectRoot(path.join(project, 'config', 'x.yaml'), top).dir).toBe(project);
    const repo = path.join(top, 'repo');
    write(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(path.join(repo, 'services', 'a', 'package.json'), '{}\n');
    expect(findProjectRoot(path.join(repo, 'services', 'a', 'config', 'x.yaml'), top).dir).toBe(repo);
  });

  it('GIVEN no marker THEN the root is the cwd when the config is inside it, else the config file\'s directory', () => {
    const bare = path.join(top, 'bare');
    fs.mkdirSync(path.join(bare, 'config'), { recursive: true });
    expect(findProjectRoot(path.join(bare, 'config', 'x.yaml'), bare).dir).toBe(bare);
    expect(findProjectRoot(path.join(bare, 'config', 'x.yaml'), project).dir).toBe(path.join(bare, 'config'));
  });
});

describe('bounded reads', () => {
  it('GIVEN a config that is a FIFO THEN it is refused as file-not-regular, without blocking', () => {
    mkfifo(path.join(project, 'config', 'fifo.yaml'));
    const r = loadConfig(['config/fifo.yaml'], { cwd: project });
    expect(codes(r)).toEqual(['file-not-regular ']);
    expect(r.diagnostics[0].message).toContain('FIFO');
  }, QUICK);

  it('GIVEN /dev/zero as the config THEN it is refused as file-not-regular (nothing is read)', () => {
    const r = loadConfig(['/dev/zero'], { cwd: project });
    expect(codes(r)).toEqual(['file-not-regular ']);
    expect(r.diagnostics[0].message).toContain('character device');
  }, QUICK);

  it('GIVEN `cachestack validate` on a FIFO and on /dev/zero THEN each exits 2 with file-not-regular', async () => {
    mkfifo(path.join(project, 'config', 'fifo2.yaml'));
    for (const arg of ['config/fifo2.yaml', '/dev/zero']) {
      const io = captureIo(project);
      expect(await run(['validate', arg], io)).toBe(2);
      expect(io.out).toContain('[file-not-regular]');
    }
  }, QUICK);

  it('GIVEN a file one byte over the limit THEN readBounded says too-large; at the limit it reads it', () => {
    const file = path.join(top, 'big.bin');
    fs.writeFileSync(file, Buffer.alloc(1001, 0x61));
    expect(readBounded(file, 1000)).toMatchObject({ ok: false, kind: 'too-large' });
    expect(readBounded(file, 1001)).toMatchObject({ ok: true });
  });

  it('GIVEN a graphql schema that is a FIFO THEN file-not-regular at graphqlApi.schema, without blocking', () => {
    mkfifo(path.join(project, 'pipe.graphql'));
    const r = loadConfig([config('schema-fifo.yaml', 'graphqlApi:\n  name: api\n  schema: ../pipe.graphql\n')], { cwd: project });
    expect(codes(r)).toEqual(['file-not-regular graphqlApi.schema']);
  }, QUICK);

  it('GIVEN a graphql schema linked to /dev/zero, allowed outside the root THEN still file-not-regular, without reading it', () => {
    fs.symlinkSync('/dev/zero', path.join(project, 'zero.graphql'));
    const file = config('schema-zero.yaml', 'graphqlApi:\n  name: api\n  schema: ../zero.graphql\n');
    expect(codes(loadConfig([file], { cwd: project, allowOutsideRoot: true }))).toEqual(['file-not-regular graphqlApi.schema']);
    expect(codes(loadConfig([file], { cwd: project }))).toEqual(['path-outside-project graphqlApi.schema']);
  }, QUICK);

  it('GIVEN a graphql schema over the limit (4 MiB) THEN file-too-large at graphqlApi.schema', () => {
    write(path.join(project, 'huge.graphql'), `type Query { a: String }\n${'#'.repeat(MAX_FILE_BYTES)}\n`);
    const r = loadConfig([config('schema-huge.yaml', 'graphqlApi:\n  name: api\n  schema: ../huge.graphql\n')], { cwd: project });
    expect(codes(r)).toEqual(['file-too-large graphqlApi.schema']);
  });

  it('GIVEN a handler entry that is a FIFO THEN file-not-regular at its entry (and no entry-not-found)', () => {
    mkfifo(path.join(project, 'handlers', 'pipe.ts'));
    const r = loadConfig([config('entry-fifo.yaml', 'handlers:\n  fn:\n    entry: ../handlers/pipe.ts\n')], { cwd: project });
    expect(codes(r)).toEqual(['file-not-regular handlers.fn.entry']);
  }, QUICK);
});

describe('files outside the project', () => {
  it('GIVEN a config file that is a link to a file outside THEN path-outside-project, and none of its lines is shown', () => {
    fs.symlinkSync(path.join(outside, 'shadow'), path.join(project, 'config', 'shadow.yaml'));
    const r = loadConfig(['config/shadow.yaml'], { cwd: project });
    expect(codes(r)).toEqual(['path-outside-project ']);
    expect(visible(r)).not.toContain('cachestack-secret-hash');
    // Allowed, the same file is read (and its YAML error shows the line): the refusal above is what kept it out.
    expect(visible(loadConfig(['config/shadow.yaml'], { cwd: project, allowOutsideRoot: true }))).toContain('cachestack-secret-hash');
  });

  it('GIVEN `cachestack validate` on such a link THEN it exits 1 with path-outside-project and prints none of its lines', async () => {
    const io = captureIo(project);
    expect(await run(['validate', 'config/shadow.yaml'], io)).toBe(1);
    expect(io.out).toContain('[path-outside-project]');
    expect(io.out).not.toContain('cachestack-secret-hash');
  });

  it('GIVEN a graphql schema linked to a file outside THEN path-outside-project, and its lines are not shown', () => {
    fs.symlinkSync(path.join(outside, 'shadow.graphql'), path.join(project, 'linked.graphql'));
    const file = config('schema-link.yaml', 'graphqlApi:\n  name: api\n  schema: ../linked.graphql\n');
    const r = loadConfig([file], { cwd: project });
    expect(codes(r)).toEqual(['path-outside-project graphqlApi.schema']);
    expect(r.diagnostics[0].message).toContain(path.join(outside, 'shadow.graphql'));
    expect(visible(r)).not.toContain('cachestack-secret-hash');
    // With the opt-in, the file is read and its syntax error points into it.
    expect(codes(loadConfig([file], { cwd: project, allowOutsideRoot: true }))).toEqual(['graphql-schema-syntax graphqlApi.schema']);
  });

  it('GIVEN `../..` entry and schema paths THEN path-outside-project at each field; --allow-outside-root accepts them', async () => {
    const file = config('relative.yaml', 'handlers:\n  fn:\n    entry: ../../outside/lib.ts\ngraphqlApi:\n  name: api\n  schema: ../../outside/shadow.graphql\n');
    const r = loadConfig([file], { cwd: project });
    expect(codes(r)).toEqual(['path-outside-project handlers.fn.entry', 'path-outside-project graphqlApi.schema']);
    expect(r.diagnostics.map((d) => d.location.start)).toEqual([HEADER.length + 'handlers:\n  fn:\n    entry: '.length, expect.any(Number)]);
    expect(visible(r)).not.toContain('cachestack-secret-hash');

    const io = captureIo(project);
    expect(await run(['validate', file, '--allow-outside-root'], io)).toBe(1);
    expect(io.out).not.toContain('[path-outside-project]');
    expect(io.out).toContain('[graphql-schema-syntax]');
  });

  it('GIVEN CACHESTACK_ALLOW_OUTSIDE_ROOT=1 THEN validate reads outside files as with the flag', async () => {
    const file = config('env-opt-in.yaml', 'handlers:\n  fn:\n    entry: ../../outside/lib.ts\n');
    const refused = captureIo(project);
    expect(await run(['validate', file], refused)).toBe(1);
    const allowed = captureIo(project, { env: { CACHESTACK_ALLOW_OUTSIDE_ROOT: '1' } });
    expect(await run(['validate', file], allowed)).toBe(0);
  });

  it('GIVEN entry and schema inside the project THEN nothing is reported', () => {
    const r = loadConfig([config('inside.yaml', 'handlers:\n  fn:\n    entry: ../handlers/ok.ts\ngraphqlApi:\n  name: api\n  schema: ../schema.graphql\n')], { cwd: project });
    expect(codes(r)).toEqual([]);
    expect(r.models[0].projectRoot).toBe(fs.realpathSync(project));
  });
});
