/**
 * `cachestack diff` end to end, in temporary git repositories the tests create:
 * the example configs are committed on `main`, the working copy is edited, and
 * the diff against `main` is compared with golden files in every format.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { captureIo } from '../cli/io';
import { expectGolden } from './golden';

const ROOT = path.resolve(__dirname, '..', '..');
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV });
}

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A repository with the example configs and handlers committed on `main`. */
function exampleRepo(): string {
  const repo = tempDir('cachestack-diff-');
  git(repo, 'init', '-q', '-b', 'main');
  fs.cpSync(path.join(ROOT, 'config'), path.join(repo, 'config'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'handlers', 'examples'), path.join(repo, 'handlers', 'examples'), { recursive: true });
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'examples');
  return repo;
}

/** Replace text in a file, failing the test when the text is not there (an example changed under us). */
function edit(repo: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(repo, file);
  const text = fs.readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  fs.writeFileSync(p, next);
}

async function diff(cwd: string, ...args: string[]) {
  const io = captureIo(cwd);
  const code = await run(['diff', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('cachestack diff --base REF on the examples', () => {
  let repo: string;

  beforeAll(() => {
    repo = exampleRepo();
    // user-service: a longer TTL, a per-caller cache made shared, the cache renamed
    edit(repo, 'config/user-service.yaml', 'cache: { ttlSeconds: 300, keys: [header.Authorization], namespace: user-profile }', 'cache: { ttlSeconds: 900, keys: [header.Authorization], namespace: user-profile }');
    edit(repo, 'config/user-service.yaml', 'cache: { ttlSeconds: 600, keys: [path.userId, header.Authorization] }', 'cache: { ttlSeconds: 600, keys: [path.userId], shared: true }');
    edit(repo, 'config/user-service.yaml', /\n {2}sessions: /, '\n  user-sessions: ');
    edit(repo, 'config/user-service.yaml', /cache: sessions\b/g, 'cache: user-sessions');
    edit(repo, 'config/user-service.yaml', 'redis: { sessions: {', 'redis: { user-sessions: {');
    // roadcall: a bigger DAX node type (replaces the cluster), redis → valkey (in place)
    edit(repo, 'config/examples/roadcall-assistant.yaml', 'nodeType: dax.t3.small', 'nodeType: dax.t3.medium');
    edit(repo, 'config/examples/roadcall-assistant.yaml', /engine: redis\n(\s+)version: "7\.0"/, 'engine: valkey\n$1version: "7.2"');
    // ecommerce: a bigger stage cache, at-rest encryption of the cache turned off
    edit(repo, 'config/examples/ecommerce-analytics.yaml', 'cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }', 'cache: { sizeGb: 1.6, encrypted: true, ttlSeconds: 300 }');
    edit(repo, 'config/examples/ecommerce-analytics.yaml', 'encryption: { atRest: true, transit: true }', 'encryption: { atRest: false, transit: true }');
    // auth-service deleted; a new service added
    fs.rmSync(path.join(repo, 'config/examples/auth-service.yaml'));
    fs.copyFileSync(path.join(repo, 'config/examples/goalsguild-user-service.yaml'), path.join(repo, 'config/examples/goalsguild-copy.yaml'));
    edit(repo, 'config/examples/goalsguild-copy.yaml', /\nservice: [a-z-]+/, '\nservice: goalsguild-copy');
  });

  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test.each([
    ['text', 'txt'],
    ['markdown', 'md'],
    ['json', 'json'],
  ])('GIVEN edited examples WHEN diffed against main as %s THEN the output matches its golden file and does not change between runs', async (format, ext) => {
    const first = await diff(repo, '--base', 'main', 'config', 'config/examples', '--format', format);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expectGolden(`diff/examples.${ext}`, first.out);
    expect((await diff(repo, '--base', 'main', 'config', 'config/examples', '--format', format)).out).toBe(first.out);
  });

  test('GIVEN the edits WHEN diffed as json THEN each one carries the flag the provider rules give it', async () => {
    const { out } = await diff(repo, '--base', 'main', 'config', 'config/examples', '--format', 'json');
    const report = JSON.parse(out);
    const changes = report.files.flatMap((f: any) => f.environments.flatMap((e: any) => e.changes.map((c: any) => ({ ...c, file: f.file, env: e.environment }))));
    const find = (file: string, env: string | null, subject: string, field: string | null, name?: string) =>
      changes.filter((c: any) => c.file === file && c.env === env && c.subject === subject && c.field === field && (name === undefined || c.name === name));

    const us = 'config/user-service.yaml';
    expect(find(us, 'prod', 'endpoint', 'cache.ttlSeconds')[0]).toMatchObject({ before: 300, after: 900, flags: [] });
    expect(find(us, 'prod', 'endpoint', 'cache.scope')[0]).toMatchObject({ name: 'GET /users/{userId}', flags: ['security'] });
    expect(find(us, 'prod', 'redis', null, 'sessions')[0]).toMatchObject({ action: 'remove', flags: ['replace'], dataLoss: true });
    expect(find(us, 'prod', 'redis', null, 'user-sessions')[0]).toMatchObject({ action: 'add', flags: [] });

    const rc = 'config/examples/roadcall-assistant.yaml';
    expect(find(rc, 'prod', 'dax', 'nodeType')[0]).toMatchObject({ flags: ['replace'], dataLoss: true, direction: 'grow' });
    expect(find(rc, 'prod', 'redis', 'engine')[0]).toMatchObject({ before: 'redis', after: 'valkey', flags: [], dataLoss: false });

    const ec = 'config/examples/ecommerce-analytics.yaml';
    expect(find(ec, null, 'stage-cache', 'cache.sizeGb')[0]).toMatchObject({ flags: ['replace'], direction: 'grow' });
    expect(find(ec, null, 'redis', 'encryption.atRest')[0]).toMatchObject({ flags: ['replace', 'security'], dataLoss: true });

    const deleted = report.files.find((f: any) => f.file === 'config/examples/auth-service.yaml');
    expect(deleted).toMatchObject({ base: 'ok', head: 'absent' });
    expect(deleted.environments[0].status).toBe('removed');
    expect(deleted.environments[0].changes.find((c: any) => c.subject === 'redis')).toMatchObject({ action: 'remove', flags: ['destroy'] });

    const added = report.files.find((f: any) => f.file === 'config/examples/goalsguild-copy.yaml');
    expect(added).toMatchObject({ base: 'absent', head: 'ok' });
    expect(added.environments[0].changes.every((c: any) => c.action === 'add' || c.field !== null)).toBe(true);
    expect(added.environments[0].changes.some((c: any) => c.action === 'remove')).toBe(false);
  });

  test.each([
    ['replace', 1],
    ['destroy', 1],
    ['security', 1],
    ['replace,destroy,security', 1],
  ])('GIVEN --fail-on %s WHEN a change carries it THEN the report is printed and the exit code is %d', async (flags, expected) => {
    const { code, out, err } = await diff(repo, '--base', 'main', 'config', 'config/examples', '--fail-on', flags);
    expect(code).toBe(expected);
    expect(out).toContain('summary:');
    expect(err).toMatch(new RegExp(`^cachestack diff: --fail-on ${flags}: \\d+ changes? flagged`));
  });

  test('GIVEN only the user-service file WHEN gated on destroy THEN nothing matches and the exit code is 0', async () => {
    const { code, err } = await diff(repo, '--base', 'main', 'config/user-service.yaml', '--fail-on', 'destroy');
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('GIVEN --env WHEN diffed THEN only that environment is compared', async () => {
    const { code, out } = await diff(repo, '--base', 'main', 'config/user-service.yaml', '--env', 'dev', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).files[0].environments.map((e: any) => e.environment)).toEqual(['dev']);
  });

  test('GIVEN the deleted file named on the command line WHEN diffed THEN everything in it is removed', async () => {
    const { code, out } = await diff(repo, '--base', 'main', 'config/examples/auth-service.yaml', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).files[0]).toMatchObject({ file: 'config/examples/auth-service.yaml', base: 'ok', head: 'absent' });
  });

  test('GIVEN a command run from a subdirectory WHEN diffed THEN paths resolve against the repository root', async () => {
    const { code, out } = await diff(path.join(repo, 'config'), '--base', 'main', 'user-service.yaml', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).files[0].baseLabel).toBe('main:config/user-service.yaml');
  });

  test('GIVEN an unknown ref WHEN diffed THEN it is exit 2 with a clear message', async () => {
    const { code, out, err } = await diff(repo, '--base', 'no-such-branch');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('unknown git ref `no-such-branch`');
  });

  test('GIVEN no --base WHEN diffed THEN it is a usage error', async () => {
    const { code, err } = await diff(repo);
    expect(code).toBe(2);
    expect(err).toContain('`--base REF` (a git ref) or `--base-file FILE` is required');
  });

  test('GIVEN an unknown --fail-on flag WHEN diffed THEN it is a usage error listing the allowed ones', async () => {
    const { code, err } = await diff(repo, '--base', 'main', '--fail-on', 'replace,oops');
    expect(code).toBe(2);
    expect(err).toContain('unknown --fail-on value `oops`; allowed: replace, destroy, security, any');
  });
});

describe('cachestack diff edge cases', () => {
  const VALID = ['version: 1', 'service: svc', 'region: us-east-1', 'redis:', '  cache:', '    nodeType: cache.t4g.small', 'network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }', ''].join('\n');
  let repo: string;

  beforeEach(() => {
    repo = tempDir('cachestack-edge-');
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'config'));
  });

  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('GIVEN a config invalid at the ref WHEN diffed THEN the base problems are reported with their lines and the file is not compared', async () => {
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID.replace('nodeType: cache.t4g.small', 'nodeType: small'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'broken');
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    const { code, out, err } = await diff(repo, '--base', 'main');
    expect(code).toBe(0);
    expect(out).toContain('the base main:config/svc.yaml is not a valid config, so this file was not compared');
    expect(out).toMatch(/main:config\/svc\.yaml:6:15: error\[schema-pattern\]/);
    expect(err).toContain('config/svc.yaml is not a valid config at main:config/svc.yaml');
    // a gate cannot tell what changed, so it fails closed
    const gated = await diff(repo, '--base', 'main', '--fail-on', 'replace');
    expect(gated.code).toBe(1);
    expect(gated.err).toContain('no valid base for config/svc.yaml');
  });

  test('GIVEN a config absent at the ref WHEN diffed THEN everything in it is added', async () => {
    fs.writeFileSync(path.join(repo, 'README'), 'x\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'empty');
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    const { code, out } = await diff(repo, '--base', 'main', '--format', 'json');
    expect(code).toBe(0);
    const file = JSON.parse(out).files[0];
    expect(file).toMatchObject({ file: 'config/svc.yaml', base: 'absent', head: 'ok' });
    expect(file.environments[0].status).toBe('added');
    expect(file.environments[0].changes.map((c: any) => `${c.action} ${c.subject} ${c.name}`)).toEqual(['add redis cache']);
  });

  test('GIVEN an invalid working copy WHEN diffed THEN its diagnostics go to stderr and the exit code is 1', async () => {
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'ok');
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID.replace('region: us-east-1', 'region: nowhere'));
    const { code, out, err } = await diff(repo, '--base', 'main');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/config\/svc\.yaml:3:9: error\[schema-pattern\]/);
  });

  test('GIVEN --base-file naming a file WHEN diffed THEN that file is the base of the one config given', async () => {
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    fs.writeFileSync(path.join(repo, 'old.yaml'), VALID.replace('nodeType: cache.t4g.small', 'nodeType: cache.t4g.medium'));
    const { code, out } = await diff(repo, '--base-file', 'old.yaml', 'config/svc.yaml');
    expect(code).toBe(0);
    expect(out).toContain('config/svc.yaml (base old.yaml)');
    expect(out).toContain('~ redis cache: node type cache.t4g.medium → cache.t4g.small (shrinks): scaled in place, data kept');
    const two = await diff(repo, '--base-file', 'old.yaml', 'config/svc.yaml', 'old.yaml');
    expect(two.code).toBe(2);
    expect(two.err).toContain('--base-file old.yaml is compared with one config file; 2 were given');
  });

  test('GIVEN a base file whose handler code is gone WHEN diffed THEN it is still compared', async () => {
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    fs.writeFileSync(path.join(repo, 'old.yaml'), `${VALID}handlers:\n  gone: { entry: handlers/gone.ts }\n`);
    const { code, out } = await diff(repo, '--base-file', 'old.yaml', 'config/svc.yaml');
    expect(code).toBe(0);
    expect(out).toContain('- handler gone: handler removed: its function is deleted');
  });

  test('GIVEN an invalid base file WHEN diffed THEN its problems point at the base file itself', async () => {
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    fs.writeFileSync(path.join(repo, 'old.yaml'), VALID.replace('nodeType: cache.t4g.small', 'nodeType: small'));
    const { code, out } = await diff(repo, '--base-file', 'old.yaml', 'config/svc.yaml');
    expect(code).toBe(0);
    expect(out).toMatch(/^ {4}old\.yaml:6:15: error\[schema-pattern\]/m);
  });

  test('GIVEN a directory outside any git repository WHEN diffed against a ref THEN it is exit 2', async () => {
    const plain = tempDir('cachestack-nogit-');
    try {
      fs.mkdirSync(path.join(plain, 'config'));
      fs.writeFileSync(path.join(plain, 'config', 'svc.yaml'), VALID);
      const { code, err } = await diff(plain, '--base', 'main');
      expect(code).toBe(2);
      expect(err).toContain('is not inside a git repository');
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('cachestack diff with hostile bases', () => {
  const VALID = ['version: 1', 'service: svc', 'region: us-east-1', 'redis:', '  cache:', '    nodeType: cache.t4g.small', 'network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }', ''].join('\n');
  // a new port replaces the replication group, and loses its data
  const CHANGED = VALID.replace('nodeType: cache.t4g.small', 'nodeType: cache.t4g.small\n    port: 6380');
  let repo: string;

  beforeEach(() => {
    repo = tempDir('cachestack-hostile-');
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'config'));
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), VALID);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    // what `actions/checkout` with fetch-depth 0 leaves: the target branch as a remote-tracking ref
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), CHANGED);
  });

  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('GIVEN a pull request that adds a file named like the base ref WHEN the gate runs THEN the ref is compared and the gate still fails', async () => {
    // the pull request's copy of its own config, at the path the gate names as its base
    fs.mkdirSync(path.join(repo, 'origin'));
    fs.writeFileSync(path.join(repo, 'origin', 'main'), CHANGED);
    const { code, out, err } = await diff(repo, '--base', 'origin/main', '--fail-on', 'replace,destroy,security');
    expect(out).toContain('config/svc.yaml (base origin/main:config/svc.yaml)');
    expect(out).toMatch(/port 6379 → 6380/);
    expect(err).toContain('--fail-on replace,destroy,security: 1 change flagged replace');
    expect(code).toBe(1);
  });

  test('GIVEN --base naming a file that is no git ref WHEN diffed THEN it is exit 2 and the hint names --base-file', async () => {
    fs.writeFileSync(path.join(repo, 'old.yaml'), VALID);
    const { code, out, err } = await diff(repo, '--base', 'old.yaml', 'config/svc.yaml');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('unknown git ref `old.yaml`');
    expect(err).toContain('to compare with the file old.yaml, pass `--base-file old.yaml`');
  });

  test('GIVEN both --base and --base-file WHEN diffed THEN it is a usage error', async () => {
    fs.writeFileSync(path.join(repo, 'old.yaml'), VALID);
    const { code, err } = await diff(repo, '--base', 'main', '--base-file', 'old.yaml', 'config/svc.yaml');
    expect(code).toBe(2);
    expect(err).toContain('give either `--base REF` or `--base-file FILE`, not both');
  });

  test('GIVEN --base-file naming no file WHEN diffed THEN it is exit 2 and no git ref is tried', async () => {
    const { code, out, err } = await diff(repo, '--base-file', 'main', 'config/svc.yaml');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('--base-file main: the file does not exist');
  });

  test.each([
    ['--base=-output=/tmp/x', '-output=/tmp/x'],
    ['--base=main..HEAD', 'main..HEAD'],
    ['--base=main...HEAD', 'main...HEAD'],
    ['--base=HEAD:config/svc.yaml', 'HEAD:config/svc.yaml'],
    ['--base=main\nx', 'main\nx'],
    ['--base=main x', 'main x'],
  ])('GIVEN the hostile ref %j WHEN diffed THEN it is exit 2 naming the ref and nothing is compared', async (arg, ref) => {
    const { code, out, err } = await diff(repo, arg);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`not a git ref cachestack accepts: ${JSON.stringify(ref)}`);
  });

  test('GIVEN a config that is a symbolic link at the ref WHEN diffed THEN the link is followed inside the repository', async () => {
    fs.renameSync(path.join(repo, 'config', 'svc.yaml'), path.join(repo, 'config', 'real.yml.txt'));
    fs.writeFileSync(path.join(repo, 'config', 'real.yml.txt'), VALID);
    fs.symlinkSync('real.yml.txt', path.join(repo, 'config', 'svc.yaml'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'linked');
    fs.rmSync(path.join(repo, 'config', 'svc.yaml'));
    fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), CHANGED);
    const { code, out } = await diff(repo, '--base', 'main', 'config/svc.yaml', '--fail-on', 'replace');
    expect(out).toMatch(/port 6379 → 6380/);
    expect(code).toBe(1);
  });

  test('GIVEN a config that is a symbolic link out of the repository at the ref WHEN diffed THEN it is exit 2 and nothing outside is read', async () => {
    const outside = tempDir('cachestack-outside-');
    try {
      fs.writeFileSync(path.join(outside, 'secret.yaml'), VALID.replace('service: svc', 'service: outside-secret'));
      fs.rmSync(path.join(repo, 'config', 'svc.yaml'));
      fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'config', 'svc.yaml'));
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'linked out');
      fs.rmSync(path.join(repo, 'config', 'svc.yaml'));
      fs.writeFileSync(path.join(repo, 'config', 'svc.yaml'), CHANGED);
      const { code, out, err } = await diff(repo, '--base', 'main', 'config/svc.yaml');
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('config/svc.yaml is a symbolic link at main that points outside the repository');
      expect(err).not.toContain('outside-secret');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
