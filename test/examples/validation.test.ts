/**
 * Every config the repository ships (each `*.yaml` in config/ and
 * config/examples/, found afresh on every run) validates clean through the real
 * loader: no error, and no warning except the ones listed here with the reason
 * they are kept. Every such config also has its own settings test beside this file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import { configFiles, REPO_ROOT } from './support';

/**
 * Warnings kept on purpose, by file: `code path` → why. Each must still be
 * reported (a fixed finding is removed from here), and the file's own header
 * comment must explain it (the test checks that it names the code).
 */
const EXPECTED_WARNINGS: Record<string, Record<string, string>> = {
  'config/examples/ecommerce-analytics.yaml': {
    'api-timeout-exceeds-gateway handlers.market-intelligence.timeoutSeconds':
      'the seed gives Market Intelligence a 300 s timeout behind API Gateway, which stops waiting after 29 s; the warning is the finding',
  },
};

const FILES = configFiles();

/** `config/examples/x.yaml` → `test/examples/x.test.ts`; `config/x.yaml` → `test/examples/x.test.ts`. */
function settingsTestOf(file: string): string {
  return `test/examples/${path.basename(file).replace(/\.ya?ml$/, '')}.test.ts`;
}

describe('shipped configs validate clean', () => {
  it('GIVEN config/ and config/examples/ WHEN listed THEN the user-service config and the five seed examples are among them', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'config/user-service.yaml',
        'config/examples/auth-service.yaml',
        'config/examples/course-registration.yaml',
        'config/examples/ecommerce-analytics.yaml',
        'config/examples/goalsguild-user-service.yaml',
        'config/examples/roadcall-assistant.yaml',
      ]),
    );
  });

  it.each(FILES)('GIVEN %s WHEN loaded THEN it has no error and only the warnings listed with a reason', (file) => {
    const result = loadConfig([file], { cwd: REPO_ROOT });
    const show = (d: (typeof result.diagnostics)[number]) => `${d.code} ${d.path}${d.environment ? ` (${d.environment})` : ''}: ${d.message}`;
    const allowed = Object.keys(EXPECTED_WARNINGS[file] ?? {});
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(show);
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    const unexpected = warnings.filter((d) => !allowed.includes(`${d.code} ${d.path}`)).map(show);
    expect({ file, errors }).toEqual({ file, errors: [] });
    expect({ file, unexpected }).toEqual({ file, unexpected: [] });
    // A listed warning that is no longer reported is stale: remove it from the list.
    expect({ file, missing: allowed.filter((w) => !warnings.some((d) => `${d.code} ${d.path}` === w)) }).toEqual({ file, missing: [] });
    // The file yields one model per environment (one without environments): what synthesis consumes.
    expect(result.models.map((m) => m.environment ?? '')).toEqual(result.files[0].environments.length > 0 ? result.files[0].environments : ['']);
  });

  it.each(Object.entries(EXPECTED_WARNINGS))('GIVEN %s keeps a warning on purpose WHEN its header comment is read THEN it names the warning\'s code', (file, warnings) => {
    const header = fs
      .readFileSync(path.join(REPO_ROOT, file), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    for (const key of Object.keys(warnings)) expect(header).toContain(key.split(' ')[0]);
  });

  it.each(FILES)('GIVEN %s WHEN the test folder is listed THEN a test asserts its settings in the synthesized Terraform', (file) => {
    expect({ file, test: fs.existsSync(path.join(REPO_ROOT, settingsTestOf(file))) }).toEqual({ file, test: true });
  });
});
