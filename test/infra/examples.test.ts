/**
 * The shipped configs, through the real loader and synthesis: every model of a
 * file that validates must synthesize and pass the secure-default policies.
 * (Files that do not validate are the validation tests' business.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { checkPolicies } from './policy-check';
import { synth } from './synth';

process.env.CHECKPOINT_DISABLE = '1';

const ROOT = path.resolve(__dirname, '../..');
const FILES = ['config', 'config/examples'].flatMap((dir) =>
  fs.existsSync(path.join(ROOT, dir))
    ? fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${dir}/${f}`).sort()
    : [],
);

describe('shipped configs', () => {
  const loaded = FILES.map((file) => ({ file, result: loadConfig([file], { cwd: ROOT }) }));
  const valid = loaded.filter(({ result }) => !result.diagnostics.some((d) => d.severity === 'error'));
  const models = valid.flatMap(({ file, result }) => result.models.map((m) => [`${file} (${m.stackName})`, m] as const));

  it('GIVEN the config directory WHEN loaded THEN at least one file validates, so the checks below run', () => {
    expect(models.length).toBeGreaterThan(0);
  });

  it.each(models)('GIVEN %s WHEN synthesized THEN every secure-default policy passes', (_name, m) => {
    const failures = checkPolicies(synth(m).text).flatMap((r) => r.failures.map((f) => `${r.id} ${f}`));
    expect(failures).toEqual([]);
  });
});
