import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GitError,
  listConfigFiles,
  materializeConfig,
  referencedFiles,
  repoRelative,
  repoRoot,
  resolveRef,
  showFile,
} from '../../src/plan/git';

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

describe('git helpers', () => {
  let repo: string;
  let first: string;

  beforeAll(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-git-')));
    sh(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'config'));
    fs.mkdirSync(path.join(repo, 'handlers'));
    fs.writeFileSync(
      path.join(repo, 'config', 'svc.yaml'),
      [
        'version: 1',
        'service: svc',
        'region: us-east-1',
        'handlers:',
        '  a: { entry: ../handlers/a.ts }',
        'graphqlApi: { name: api, schema: svc.graphql }',
        'environments:',
        '  dev:',
        '    handlers: { a: { entry: ../handlers/a-dev.ts } }',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(repo, 'config', 'svc.graphql'), 'type Query { a: String }\n');
    fs.writeFileSync(path.join(repo, 'config', 'notes.txt'), 'not a config\n');
    fs.writeFileSync(path.join(repo, 'handlers', 'a.ts'), 'export const handler = 1;\n');
    sh(repo, 'add', '.');
    sh(repo, 'commit', '-q', '-m', 'first');
    first = sh(repo, 'rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), 'version: 1\nservice: changed\nregion: us-east-1\n');
    fs.writeFileSync(path.join(repo, 'config', 'new.yml'), 'version: 1\n');
    sh(repo, 'add', '.');
    sh(repo, 'commit', '-q', '-m', 'second');
  });

  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('GIVEN a directory inside a repository WHEN asked for the root THEN the work tree root is returned', async () => {
    expect(await repoRoot(path.join(repo, 'config'))).toBe(repo);
  });

  test('GIVEN a directory outside any repository WHEN asked for the root THEN a GitError says so', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-nogit-'));
    try {
      await expect(repoRoot(outside)).rejects.toThrow(/not inside a git repository/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('GIVEN refs WHEN resolved THEN branches and relative refs name commits and unknown refs fail clearly', async () => {
    expect(await resolveRef(repo, 'main~1')).toBe(first);
    await expect(resolveRef(repo, 'no-such-branch')).rejects.toThrow(GitError);
    await expect(resolveRef(repo, 'no-such-branch')).rejects.toThrow(/unknown git ref `no-such-branch`/);
    await expect(resolveRef(repo, '--output=/tmp/x')).rejects.toThrow(/not a git ref cachestack accepts: "--output=\/tmp\/x": it begins with `-`/);
  });

  test('GIVEN a file at a ref WHEN shown THEN its text at that commit is returned, and a missing file is undefined', async () => {
    expect(await showFile(repo, first, 'config/svc.yaml')).toContain('service: svc');
    expect(await showFile(repo, first, 'config/new.yml')).toBeUndefined();
    expect(await showFile(repo, first, 'config')).toBeUndefined();
  });

  test('GIVEN a directory at a ref WHEN listed THEN only YAML files directly in it are returned', async () => {
    expect(await listConfigFiles(repo, first, 'config')).toEqual(['config/svc.yaml']);
    const head = await resolveRef(repo, 'HEAD');
    expect(await listConfigFiles(repo, head, 'config')).toEqual(['config/new.yml', 'config/svc.yaml']);
  });

  test('GIVEN a config WHEN its references are collected THEN entries and the schema of base and overlays are found', () => {
    const text = fs.readFileSync(path.join(repo, 'config', 'svc.yaml'), 'utf8');
    expect(referencedFiles(sh(repo, 'show', `${first}:config/svc.yaml`))).toEqual(['../handlers/a-dev.ts', '../handlers/a.ts', 'svc.graphql']);
    expect(referencedFiles(text)).toEqual([]);
    expect(referencedFiles('handlers: [unclosed')).toEqual([]);
  });

  test('GIVEN a config at a ref WHEN materialized THEN it, its schema and stand-ins for its entries exist with the repository layout', async () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-mat-'));
    try {
      const file = await materializeConfig(repo, first, 'config/svc.yaml', dest);
      expect(file).toBe(path.join(dest, 'config', 'svc.yaml'));
      expect(fs.readFileSync(file!, 'utf8')).toContain('service: svc');
      expect(fs.readFileSync(path.join(dest, 'config', 'svc.graphql'), 'utf8')).toContain('type Query');
      // handler code plays no part in a diff: every entry is there, committed or not
      expect(fs.existsSync(path.join(dest, 'handlers', 'a.ts'))).toBe(true);
      expect(fs.existsSync(path.join(dest, 'handlers', 'a-dev.ts'))).toBe(true);
      expect(await materializeConfig(repo, first, 'config/new.yml', dest)).toBeUndefined();
    } finally {
      fs.rmSync(dest, { recursive: true, force: true });
    }
  });

  test('GIVEN paths WHEN made repository-relative THEN they use / and paths outside the repository are undefined', () => {
    expect(repoRelative(repo, path.join(repo, 'config', 'svc.yaml'))).toBe('config/svc.yaml');
    expect(repoRelative(repo, path.join(repo, 'config', 'deleted.yaml'))).toBe('config/deleted.yaml');
    expect(repoRelative(repo, os.tmpdir())).toBeUndefined();
  });
});
