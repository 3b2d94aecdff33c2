/**
 * `npm run bench`: the figures docs/benchmarks.md reports.
 *
 * 1. validate — whole `cachestack validate` process on generated configs with
 *    10, 100, 1,000 and 5,000 endpoints (plus as many cached resolvers), against
 *    ajv-cli validating the same YAML file against the same JSON Schema.
 * 2. synth — whole `cachestack synth` process on the same generated configs,
 *    against two anchors that build the same service independently of our code:
 *    a plain cdktf app written by hand (bench/baseline-cdktf, run by
 *    `cdktf synth`, whose cdktf.json starts `npx tsx main.ts`) and an AWS CDK app
 *    (bench/baseline-awscdk, run by `cdk synth`, whose cdk.json starts
 *    `npx tsx app.ts`). Plus the cdktf path of this repository (`cdktf synth`
 *    with its cdktf.json) against `cachestack synth` on the bundled example.
 * 3. many services — 50 generated services of 100 endpoints and 100 resolvers
 *    in one `cachestack synth` call over their directory, on both cores and on
 *    one (`taskset -c 0`), against the anchors building the 50 stacks in one app.
 * 4. handlers — zip size of every packaged handler, the warm guard's overhead,
 *    cache-aside hit latency against a local redis-server.
 *
 * Results go to bench/.out/results.json and into the generated part of
 * docs/benchmarks.md (between the BEGIN/END GENERATED markers), with the
 * machine, the date and the run counts. Timings are medians with their spread
 * (min-max); the run counts are below and in the generated text.
 *
 * Run counts (environment variables override them):
 *   BENCH_RUNS=5             validate, each tool and size (after one warm-up run)
 *   BENCH_SYNTH_RUNS=5       cachestack synth up to 1,000 endpoints (after one warm-up)
 *   BENCH_ANCHOR_RUNS=3      each anchor up to 1,000 endpoints (one warm-up before the first size only)
 *   BENCH_BIG_RUNS=3         cachestack synth at 5,000 and for the many services (after one warm-up)
 *   BENCH_BIG_ANCHOR_RUNS=1  each anchor at 5,000 and for the many services (no warm-up)
 * Other knobs: BENCH_SIZES=10,100,1000,5000, BENCH_MANY=50x100 (empty: no
 * many-services row), BENCH_ANCHORS=cdktf,awscdk (empty: cachestack alone).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { writeGeneratedConfig, writeManyConfigs } from './generate';
import { succeeded, tryMeasure, type Outcome } from './measure';
import { benchHandlers, type HandlerBenchResult } from './handlers';

const ROOT = resolve(__dirname, existsSync(resolve(__dirname, '../package.json')) ? '..' : '../..');
const OUT = join(ROOT, 'bench', '.out');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,5000').split(',').filter(Boolean).map(Number);
const BIG = 1000; // sizes above this get the big-row run counts
const RUNS = num('BENCH_RUNS', 5);
const SYNTH_RUNS = num('BENCH_SYNTH_RUNS', 5);
const ANCHOR_RUNS = num('BENCH_ANCHOR_RUNS', 3);
const BIG_RUNS = num('BENCH_BIG_RUNS', 3);
const BIG_ANCHOR_RUNS = num('BENCH_BIG_ANCHOR_RUNS', 1);
const MANY = /^(\d+)x(\d+)$/.exec(process.env.BENCH_MANY ?? '50x100');
const ANCHORS = new Set((process.env.BENCH_ANCHORS ?? 'cdktf,awscdk').split(',').filter(Boolean));
const CLI = join(ROOT, 'bin', 'cachestack.js');
const AJV_CLI = join(ROOT, 'node_modules', 'ajv-cli', 'dist', 'index.js');
const CDKTF_CLI = join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
const AWS_CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const ENV = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  NO_COLOR: '1',
  CI: '1',
  // cachestack's GraphQL analysis cache: here, not in the user's cache directory; the warm-up run fills it
  CACHESTACK_CACHE_DIR: join(OUT, 'cache'),
  // the AWS CDK CLI: no version check against the registry, no telemetry (the bench runs offline)
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
};

type Anchor = 'cdktf' | 'awscdk';
const ANCHOR_NAME: Record<Anchor, string> = { cdktf: 'plain cdktf', awscdk: 'AWS CDK' };

interface Row {
  label: string;
  ours: Outcome;
  other?: Outcome;
  /** The cdktf path only: the same `cdktf synth` started through `npx`, as the issue's target names it. */
  viaNpx?: Outcome;
}

interface SynthRow {
  label: string;
  ours: Outcome;
  anchors: Partial<Record<Anchor, Outcome>>;
}

interface ManyRow {
  services: number;
  endpoints: number;
  ours: Outcome;
  oursOneCore?: Outcome;
  anchors: Partial<Record<Anchor, Outcome>>;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
function fmtRange(a: number, b: number): string {
  return a >= 1000 || b >= 1000 ? `${(a / 1000).toFixed(2)}-${(b / 1000).toFixed(2)} s` : `${Math.round(a)}-${Math.round(b)} ms`;
}
/** Median with the spread of the runs: `1.23 s (1.20-1.31 s, 5 runs)`. */
function fmtWall(o: Outcome | undefined): string {
  if (o === undefined) return 'not run';
  if (!succeeded(o)) return `failed (${o.error.replace(/\|/g, '\\|').slice(0, 120)})`;
  return o.runs > 1 ? `${fmtMs(o.medianWallMs)} (${fmtRange(o.minWallMs, o.maxWallMs)}, ${o.runs} runs)` : `${fmtMs(o.medianWallMs)} (1 run)`;
}
function fmtRss(o: Outcome | undefined): string {
  return succeeded(o) ? `${Math.round(o.peakRssMiB)} MiB` : '-';
}
function ratio(a: Outcome | undefined, b: Outcome | undefined): string {
  return succeeded(a) && succeeded(b) ? `${(a.medianWallMs / b.medianWallMs).toFixed(2)}x` : '-';
}
function memRatio(a: Outcome | undefined, b: Outcome | undefined): string {
  return succeeded(a) && succeeded(b) ? `${(a.peakRssMiB / b.peakRssMiB).toFixed(2)}x` : '-';
}

function benchValidate(configs: { n: number; file: string }[]): Row[] {
  const rows: Row[] = [];
  for (const { n, file } of configs) {
    const ours = tryMeasure(`validate ${n}`, [process.execPath, CLI, 'validate', file], { cwd: ROOT, env: ENV, runs: RUNS });
    const other = tryMeasure(`ajv-cli ${n}`, [process.execPath, AJV_CLI, 'validate', '-s', join(ROOT, 'schema', 'cachestack.schema.json'), '-d', file, '--strict=false'], {
      cwd: ROOT,
      env: ENV,
      runs: RUNS,
    });
    rows.push({ label: `${count(n)} endpoints + ${count(n)} resolvers`, ours, other });
  }
  return rows;
}

/** One anchor app synthesizing `services` stacks of `n` endpoints and resolvers, through its own CLI as its users run it. */
function measureAnchor(anchor: Anchor, n: number, services: number, runs: number, warmup: number): Outcome {
  const out = join(OUT, `anchor-${anchor}`);
  const env = { ...ENV, BENCH_N: String(n), BENCH_SERVICES: String(services) };
  const label = `${ANCHOR_NAME[anchor]} ${services > 1 ? `${services}x` : ''}${n}`;
  const result =
    anchor === 'cdktf'
      ? tryMeasure(label, [process.execPath, CDKTF_CLI, 'synth', '--output', out], { cwd: join(ROOT, 'bench', 'baseline-cdktf'), env, runs, warmup })
      : tryMeasure(label, [process.execPath, AWS_CDK_CLI, 'synth', '--quiet', '--no-notices', '--output', out], { cwd: join(ROOT, 'bench', 'baseline-awscdk'), env, runs, warmup });
  rmSync(out, { recursive: true, force: true });
  return result;
}

function benchSynth(configs: { n: number; file: string }[]): SynthRow[] {
  const rows: SynthRow[] = [];
  for (const [i, { n, file }] of configs.entries()) {
    const big = n > BIG;
    const out = join(OUT, 'synth-ours');
    const ours = tryMeasure(`synth ${n}`, [process.execPath, CLI, 'synth', file, '--out', out], { cwd: ROOT, env: ENV, runs: big ? BIG_RUNS : SYNTH_RUNS });
    rmSync(out, { recursive: true, force: true });
    const anchors: SynthRow['anchors'] = {};
    for (const anchor of ['cdktf', 'awscdk'] as const) {
      if (!ANCHORS.has(anchor)) continue;
      // one warm-up (file cache, tsx's compile cache) before the first size only: an anchor run takes 10-100 s
      anchors[anchor] = measureAnchor(anchor, n, 1, big ? BIG_ANCHOR_RUNS : ANCHOR_RUNS, i === 0 ? 1 : 0);
    }
    rows.push({ label: `${count(n)} endpoints + ${count(n)} resolvers`, ours, anchors });
  }
  return rows;
}

/** This repository's cdktf path (`cdktf synth`, cdktf.json's app) against `cachestack synth`, on the bundled example. */
function benchCdktfPath(): Row {
  const example = join(ROOT, 'config', 'user-service.yaml');
  const out = join(OUT, 'synth-ours');
  const ours = tryMeasure('synth example', [process.execPath, CLI, 'synth', example, '--out', out], { cwd: ROOT, env: ENV, runs: SYNTH_RUNS });
  rmSync(out, { recursive: true, force: true });
  const cdktfOut = join(OUT, 'cdktf-path');
  const other = tryMeasure('cdktf synth example', [process.execPath, CDKTF_CLI, 'synth', '--output', cdktfOut], {
    cwd: ROOT,
    env: { ...ENV, CACHESTACK_CONFIG: example },
    runs: SYNTH_RUNS,
  });
  rmSync(cdktfOut, { recursive: true, force: true });
  // What a user types: npx finds node_modules/.bin/cdktf (about 0.3 s of its own).
  const viaNpx = tryMeasure('npx cdktf synth example', ['npx', '--no-install', 'cdktf', 'synth', '--output', cdktfOut], {
    cwd: ROOT,
    env: { ...ENV, CACHESTACK_CONFIG: example },
    runs: SYNTH_RUNS,
  });
  rmSync(cdktfOut, { recursive: true, force: true });
  return { label: 'bundled example (config/user-service.yaml)', ours, other, viaNpx };
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

function benchMany(services: number, n: number): ManyRow {
  const { dir } = writeManyConfigs(OUT, services, n);
  const out = join(OUT, 'synth-many');
  const command = [process.execPath, CLI, 'synth', dir, '--out', out];
  const ours = tryMeasure(`synth ${services}x${n}`, command, { cwd: ROOT, env: ENV, runs: BIG_RUNS });
  const oursOneCore = hasTaskset() ? tryMeasure(`synth ${services}x${n}, one core`, ['taskset', '-c', '0', ...command], { cwd: ROOT, env: ENV, runs: BIG_RUNS }) : undefined;
  rmSync(out, { recursive: true, force: true });
  const anchors: ManyRow['anchors'] = {};
  for (const anchor of ['cdktf', 'awscdk'] as const) {
    if (ANCHORS.has(anchor)) anchors[anchor] = measureAnchor(anchor, n, services, BIG_ANCHOR_RUNS, 0);
  }
  return { services, endpoints: n, ours, oursOneCore, anchors };
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
    `| input | cachestack wall: median (min-max, runs) | cachestack peak RSS | ${otherName} wall: median (min-max, runs) | ${otherName} peak RSS | time ratio (cachestack / ${otherName}) | memory ratio |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.label} | ${fmtWall(r.ours)} | ${fmtRss(r.ours)} | ${fmtWall(r.other)} | ${fmtRss(r.other)} | ${ratio(r.ours, r.other)} | ${memRatio(r.ours, r.other)} |`);
  }
  return lines.join('\n');
}

function cdktfPathTable(r: Row): string {
  return [
    '| input | `cachestack synth` wall: median (min-max, runs) | peak RSS | `cdktf synth` (cdktf.json runs dist/main.js) wall | peak RSS | `npx cdktf synth` wall | `cdktf synth` / `cachestack synth` | `npx cdktf synth` / `cachestack synth` |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.label} | ${fmtWall(r.ours)} | ${fmtRss(r.ours)} | ${fmtWall(r.other)} | ${fmtRss(r.other)} | ${fmtWall(r.viaNpx)} | ${ratio(r.other, r.ours)} | ${ratio(r.viaNpx, r.ours)} |`,
  ].join('\n');
}

function synthTable(rows: SynthRow[]): string {
  const lines = [
    '| input | cachestack wall: median (min-max, runs) | peak RSS | plain cdktf (`cdktf synth`) wall | peak RSS | AWS CDK (`cdk synth`) wall | peak RSS | cachestack / plain cdktf | cachestack / AWS CDK |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const c = r.anchors.cdktf;
    const k = r.anchors.awscdk;
    lines.push(`| ${r.label} | ${fmtWall(r.ours)} | ${fmtRss(r.ours)} | ${fmtWall(c)} | ${fmtRss(c)} | ${fmtWall(k)} | ${fmtRss(k)} | ${ratio(r.ours, c)} | ${ratio(r.ours, k)} |`);
  }
  return lines.join('\n');
}

function manyTable(m: ManyRow): string {
  const one = m.oursOneCore;
  const lines = [
    `${m.services} services of ${count(m.endpoints)} endpoints + ${count(m.endpoints)} resolvers each (${count(m.services * m.endpoints)} + ${count(m.services * m.endpoints)} in all) in one process; the anchors build the ${m.services} stacks in one app.`,
    '',
    '| run | wall: median (min-max, runs) | peak RSS | ratio to cachestack on one core |',
    '|---|---:|---:|---:|',
    `| \`cachestack synth DIR\`, both cores | ${fmtWall(m.ours)} | ${fmtRss(m.ours)} | ${ratio(m.ours, one)} |`,
    `| \`cachestack synth DIR\`, one core (\`taskset -c 0\`) | ${one ? fmtWall(one) : 'not run (no taskset)'} | ${fmtRss(one)} | ${succeeded(one) ? '1.00x' : '-'} |`,
  ];
  for (const anchor of ['cdktf', 'awscdk'] as const) {
    const o = m.anchors[anchor];
    if (o) lines.push(`| ${ANCHOR_NAME[anchor]}, both cores | ${fmtWall(o)} | ${fmtRss(o)} | ${ratio(o, one)} |`);
  }
  return lines.join('\n');
}

interface Results {
  date: string;
  machine: string;
  validate: Row[];
  cdktfPath: Row;
  synth: SynthRow[];
  many?: ManyRow;
  zips: ZipSize[];
  handlers: HandlerBenchResult;
}

function render(results: Results): string {
  const h = results.handlers;
  return [
    `Measured on ${results.date} on ${results.machine}. Wall time is spawn to exit of the whole process, shown as the median with the spread (fastest-slowest run) and the number of runs; peak RSS is the median of GNU time's maximum resident set size. Runs: validate ${RUNS} per tool and size; cachestack synth ${SYNTH_RUNS} up to ${count(BIG)} endpoints and ${BIG_RUNS} above and for the many services; each anchor ${ANCHOR_RUNS} up to ${count(BIG)} endpoints and ${BIG_ANCHOR_RUNS} above and for the many services. One unreported warm-up run precedes each measurement, except for the anchors, which have one before their first size only.`,
    '',
    '### validate',
    '',
    table(results.validate, 'ajv-cli'),
    '',
    '### synth',
    '',
    synthTable(results.synth),
    '',
    '### the cdktf path of this repository',
    '',
    cdktfPathTable(results.cdktfPath),
    '',
    ...(results.many ? ['### many services', '', manyTable(results.many), ''] : []),
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
  const log = (s: string) => process.stderr.write(`bench: ${new Date().toISOString().slice(11, 19)} ${s}\n`);

  log('validate …');
  const validate = benchValidate(generated);
  log('synth …');
  const synth = benchSynth(generated);
  log('the cdktf path …');
  const cdktfPath = benchCdktfPath();
  let many: ManyRow | undefined;
  if (MANY) {
    log(`many services (${MANY[1]} x ${MANY[2]}) …`);
    many = benchMany(Number(MANY[1]), Number(MANY[2]));
  }
  log('handler bundles …');
  const zips = zipSizes();
  log('runtime kit …');
  const handlers = await benchHandlers();

  const results: Results = { date: new Date().toISOString().slice(0, 10), machine: machine(), validate, cdktfPath, synth, many, zips, handlers };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = render(results);
  writeDoc(md);
  process.stdout.write(`${md}\n`);
  log('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
