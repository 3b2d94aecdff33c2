/**
 * Bounded work on any input: `cachestack validate` over hostile files of the
 * kinds that once hung it or ran it out of memory — many aliases under
 * diagnostics (locating them was quadratic), deep alias chains, alias bombs,
 * one-line files with thousands of errors (the text format printed the whole
 * line for each), huge numbers, deep nesting, random bytes, truncation,
 * duplicate keys, many documents, very long keys and values.
 *
 * Each case runs in a worker thread (test/support/cli-worker.ts) with a memory
 * limit and must end within CASE_LIMIT_MS, or the worker is terminated and the
 * case fails: a hang guard, far above what a case needs (well under a second on a quiet machine),
 * not a measure of speed. The whole run must also end within TOTAL_LIMIT_MS.
 * The inputs come from a seeded generator, so a failure names its seed and case
 * and reproduces: `BOUNDED_SEED=n npx jest test/config/bounded.test.ts`.
 */
import { CliWorker, type CliCase, type CliOutcome } from '../support/cli-worker';
import { ENTRY, FORMATS, HEAD, hostileCases, type Format } from '../support/hostile-configs';
import { pick, prng } from '../support/random';

const SEED = Number(process.env.BOUNDED_SEED ?? 20261202);
// Generous for a busy two-core CI machine (a case took over 10 s there while other
// suites ran beside it); the hangs and quadratic cases this guards against ran for
// minutes or forever.
const CASE_LIMIT_MS = 60_000;
const TOTAL_LIMIT_MS = 400_000;
/** A worker that needs more than this for a file at the size limit has a leak of work, not of data. */
const WORKER_MEMORY_MB = 1024;
/**
 * The human formats print at most 100 diagnostics of a few lines each per file, whatever it holds: a few
 * hundred kilobytes, plus what a message quotes of the file (a key of 500 KB is named in full, once).
 */
const humanOutputLimit = (inputLength: number) => 300_000 + 3 * inputLength;

function problems(outcome: CliOutcome, format: Format, inputLength: number): string[] {
  const found: string[] = [];
  if (![0, 1, 2].includes(outcome.code)) found.push(`exit code ${outcome.code}`);
  if (outcome.stderr.includes('internal error')) found.push(`stderr: ${outcome.stderr.slice(0, 300)}`);
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(outcome.stderr)) found.push('a stack trace on stderr');
  if (outcome.json === false) found.push(`--format ${format} printed something that is not one JSON document`);
  if ((format === 'text' || format === 'github') && outcome.stdoutLength > humanOutputLimit(inputLength)) found.push(`--format ${format} printed ${outcome.stdoutLength} characters`);
  return found;
}

describe('validate does bounded work on any input', () => {
  const worker = new CliWorker(WORKER_MEMORY_MB);
  afterAll(() => worker.stop());

  it(`GIVEN hostile files (seed ${SEED}) WHEN validated THEN each run ends within ${CASE_LIMIT_MS} ms, cleanly, with bounded output`, async () => {
    // Loading the sources in the worker is not part of any case.
    const warm = await worker.run({ files: { 'ok.yaml': HEAD }, argv: ['validate', 'ok.yaml'] }, 120_000);
    expect(warm).toEqual({ outcome: expect.objectContaining({ code: 0 }) });

    const started = Date.now();
    const failures: string[] = [];
    const kinds = new Set<string>();
    const all = hostileCases(SEED);
    const formats = prng(SEED + 1);
    for (let i = 0; i < all.length; i++) {
      if (Date.now() - started > TOTAL_LIMIT_MS) {
        failures.push(`the run exceeded ${TOTAL_LIMIT_MS} ms before case ${i} of ${all.length}`);
        break;
      }
      const c = all[i];
      const format = c.format ?? pick(formats, FORMATS);
      const test: CliCase = { files: { 'svc.yaml': c.text, 'ok.ts': ENTRY }, argv: ['validate', 'svc.yaml', '--format', format] };
      const size = c.text.length;
      const name = `seed ${SEED} case ${i} (${c.kind}, ${size} ${typeof c.text === 'string' ? 'characters' : 'bytes'}, --format ${format})`;
      const result = await worker.run(test, CASE_LIMIT_MS, format === 'json' || format === 'sarif');
      if ('timedOut' in result) failures.push(`${name}: still running after ${CASE_LIMIT_MS} ms`);
      else if ('crashed' in result) failures.push(`${name}: ${result.crashed.split('\n')[0]}`);
      else for (const p of problems(result.outcome, format, size)) failures.push(`${name}: ${p}`);
      kinds.add(c.kind);
    }
    expect(failures).toEqual([]);
    expect(kinds.size).toBe(11);
  }, TOTAL_LIMIT_MS + 140_000);
});
