/**
 * `npm run bench`: the figures docs/benchmarks.md reports.
 *
 * 1. validate — whole `cachestack validate` process on generated configs with
 *    10, 100 and 1,000 endpoints (plus as many cached resolvers), against ajv-cli
 *    validating the same YAML file against the same JSON Schema.
 * 2. synth — whole `cachestack synth` process on the bundled example and the
 *    generated configs, against a baseline written the way most cdktf projects
 *    are: the provider loaded through the `@cdktf/provider-aws` package index and
 *    the app run through `cdktf synth` (cdktf-cli starting `tsx main.ts`).
 * 3. handlers — zip size of every packaged handler, the warm guard's overhead,
 *    cache-aside hit latency against a local redis-server.
 *
 * Results go to bench/.out/results.json and into the generated part of
 * docs/benchmarks.md (between the BEGIN/END GENERATED markers), with the
 * machine and the date. Timings are medians of several runs after a warm-up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { writeGeneratedConfig } from './generate';
import { measure, type Measurement } from './measure';
import { benchHandlers, type HandlerBenchResult } from './handlers';

const ROOT = resolve(__dirname, existsSync(resolve(__dirname, '../package.json')) ? '..' : '../..');
const OUT = join(ROOT, 'bench', '.out');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SYNTH_RUNS = Number(process.env.BENCH_SYNTH_RUNS ?? 3);
const CLI = join(ROOT, 'bin', 'cachestack.js');
const AJV_CLI = join(ROOT, 'node_modules', 'ajv-cli', 'dist', 'index.js');
const CDKTF_CLI = join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', CI: '1' };

interface Row {
  label: string;
  ours: Measurement;
  other?: Measurement;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
function fmtMiB(m: number): string {
  return `${Math.round(m)} MiB`;
}
function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

function benchValidate(configs: { n: number; file: string }[]): Row[] {
  const rows: Row[] = [];
  for (const { n, file } of configs) {
    const ours = measure(`validate ${n}`, [process.execPath, CLI, 'validate', file], { cwd: ROOT, env: ENV, runs: RUNS });
    const other = measure(`ajv-cli ${n}`, [process.execPath, AJV_CLI, 'validate', '-s', join(ROOT, 'schema', 'cachestack.schema.json'), '-d', file, '--strict=false'], {
      cwd: ROOT,
      env: ENV,
      runs: RUNS,
    });
    rows.push({ label: `${n} endpoints + ${n} resolvers`, ours, other });
  }
  return rows;
}

/** A cdktf project the common way: provider through the package index, run by cdktf-cli. */
function writeBaselineProject(): string {
  const dir = join(OUT, 'baseline');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.ts'),
    [
      '// Baseline for docs/benchmarks.md: the same resources as cachestack synth, but the',
      '// AWS provider is loaded through its package index, as most cdktf projects do.',
      "import * as aws from '@cdktf/provider-aws';",
      `import { synthesizeModels } from '${relative(dir, join(ROOT, 'src', 'synth')).split('\\').join('/')}';`,
      `import { loadConfig } from '${relative(dir, join(ROOT, 'src', 'config')).split('\\').join('/')}';`,
      `import { buildApp } from '${relative(dir, join(ROOT, 'src', 'infra')).split('\\').join('/')}';`,
      'void aws;',
      'async function main() {',
      "  const files = (process.env.BASELINE_CONFIG ?? '').split(',');",
      '  const loaded = loadConfig(files, { cwd: process.cwd() });',
      "  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new Error('baseline config invalid');",
      "  await synthesizeModels(loaded.models, buildApp, { out: process.env.CDKTF_OUTDIR ?? 'cdktf.out', cwd: process.cwd() });",
      '}',
      'main().catch((e) => { console.error(e); process.exit(1); });',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `${join(ROOT, 'node_modules', '.bin', 'tsx')} main.ts`, projectId: 'cachestack-bench-baseline', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2),
  );
  return dir;
}

function benchSynth(configs: { label: string; file: string }[]): Row[] {
  const baselineDir = writeBaselineProject();
  const rows: Row[] = [];
  for (const { label, file } of configs) {
    const out = join(OUT, 'synth-ours');
    const ours = measure(`synth ${label}`, [process.execPath, CLI, 'synth', file, '--out', out], { cwd: ROOT, env: ENV, runs: SYNTH_RUNS });
    rmSync(out, { recursive: true, force: true });
    const baseOut = join(baselineDir, 'cdktf.out');
    const other = measure(`baseline ${label}`, [process.execPath, CDKTF_CLI, 'synth', '--output', baseOut], {
      cwd: baselineDir,
      env: { ...ENV, BASELINE_CONFIG: file },
      runs: SYNTH_RUNS,
    });
    rmSync(baseOut, { recursive: true, force: true });
    rows.push({ label, ours, other });
  }
  return rows;
}

interface ZipSize {
  stack: string;
  file: string;
  bytes: number;
}

function zipSizes(): ZipSize[] {
  const out = join(OUT, 'sizes');
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [CLI, 'synth', 'config', 'config/examples', '--out', out], { cwd: ROOT, env: ENV, stdio: 'ignore' });
  const sizes: ZipSize[] = [];
  const seen = new Set<string>();
  for (const stack of readdirSync(join(out, 'stacks')).sort()) {
    const assets = join(out, 'stacks', stack, 'assets');
    if (!existsSync(assets)) continue;
    for (const file of readdirSync(assets).sort()) {
      if (seen.has(file)) continue; // the same bundle in dev and prod
      seen.add(file);
      sizes.push({ stack, file, bytes: statSync(join(assets, file)).size });
    }
  }
  rmSync(out, { recursive: true, force: true });
  return sizes;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node.js ${process.version}, ${process.platform}/${process.arch}`;
}

function table(rows: Row[], otherName: string): string {
  const lines = [
    `| input | cachestack wall (median) | cachestack peak RSS | ${otherName} wall (median) | ${otherName} peak RSS | time ratio (cachestack / ${otherName}) | memory ratio |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const o = r.other!;
    lines.push(
      `| ${r.label} | ${fmtMs(r.ours.medianWallMs)} | ${fmtMiB(r.ours.peakRssMiB)} | ${fmtMs(o.medianWallMs)} | ${fmtMiB(o.peakRssMiB)} | ${ratio(r.ours.medianWallMs, o.medianWallMs)} | ${ratio(r.ours.peakRssMiB, o.peakRssMiB)} |`,
    );
  }
  return lines.join('\n');
}

function render(results: { date: string; machine: string; validate: Row[]; synth: Row[]; zips: ZipSize[]; handlers: HandlerBenchResult }): string {
  const h = results.handlers;
  return [
    `Measured on ${results.date} on ${results.machine}. Each figure is the median of ${RUNS} runs (synth: ${SYNTH_RUNS}) after one warm-up run; wall time is spawn to exit of the whole process, peak RSS is GNU time's maximum resident set size.`,
    '',
    '### validate',
    '',
    table(results.validate, 'ajv-cli'),
    '',
    '### synth',
    '',
    table(results.synth, 'baseline'),
    '',
    '### handler bundles (zipped, `@aws-sdk/*` external)',
    '',
    '| stack | zip | size |',
    '|---|---|---:|',
    ...results.zips.map((z) => `| ${z.stack} | ${z.file} | ${(z.bytes / 1024).toFixed(1)} KB |`),
    '',
    '### runtime kit',
    '',
    '| figure | value |',
    '|---|---:|',
    `| guard overhead per call (guarded − bare no-op handler) | ${h.guard.overheadNsPerCall} ns |`,
    `| time to answer a warm ping (no hold) | ${h.guard.pingAnswerUs} µs |`,
    `| raw GET p50 (same ioredis connection) | ${h.cacheAside.rawGetP50Us} µs |`,
    `| raw GET + JSON.parse p50 | ${h.cacheAside.rawGetParseP50Us} µs |`,
    `| cache-aside \`getOrLoad\` hit p50 | ${h.cacheAside.getOrLoadHitP50Us} µs |`,
    `| hit / raw GET | ${h.cacheAside.ratioToRawGet.toFixed(2)}x |`,
    `| hit / raw GET + parse | ${h.cacheAside.ratioToRawGetParse.toFixed(2)}x |`,
    '',
  ].join('\n');
}

function writeDoc(generated: string): void {
  const doc = join(ROOT, 'docs', 'benchmarks.md');
  const begin = '<!-- BEGIN GENERATED: results (npm run bench) -->';
  const end = '<!-- END GENERATED: results -->';
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/benchmarks.md lacks the ${begin} … ${end} markers`);
  writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${generated}\n${text.slice(b)}`);
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is needed: apt-get install time');
  mkdirSync(OUT, { recursive: true });
  const generated = SIZES.map((n) => ({ n, file: writeGeneratedConfig(OUT, n).file }));
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

  log('validate …');
  const validate = benchValidate(generated);
  log('synth …');
  const synth = benchSynth([
    { label: 'bundled example (config/user-service.yaml)', file: join(ROOT, 'config', 'user-service.yaml') },
    ...generated.map((g) => ({ label: `${g.n} endpoints + ${g.n} resolvers`, file: g.file })),
  ]);
  log('handler bundles …');
  const zips = zipSizes();
  log('runtime kit …');
  const handlers = await benchHandlers();

  const results = { date: new Date().toISOString().slice(0, 10), machine: machine(), validate, synth, zips, handlers };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = render(results);
  writeDoc(md);
  process.stdout.write(`${md}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
