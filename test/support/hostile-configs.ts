/**
 * Hostile config files for the bounded-work test (test/config/bounded.test.ts),
 * from a seeded generator: the kinds of input that once hung `cachestack
 * validate` or ran it out of memory, and their neighbours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pick, prng, type Rand } from './random';

const ROOT = join(__dirname, '..', '..');

export const HEAD = 'version: 1\nservice: svc\nregion: us-east-1\n';
export const ENTRY = 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n';
export const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Generated {
  kind: string;
  text: string | Uint8Array;
  /** A format the case must be run in (the one its bug was in); else one is drawn. */
  format?: Format;
}

function int(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** Many handlers each written as an alias of an anchored, invalid one: every diagnostic is located through an alias. */
function aliasFanOut(rand: Rand, n: number): string {
  const bad = pick(rand, ['memoryMb: big', 'timeoutSeconds: -1', 'runtime: cobol', 'nope: 1']);
  let s = `${HEAD}handlers:\n`;
  for (let i = 0; i < n; i++) s += `  h${i}: &h${i}\n    entry: ok.ts\n    ${bad}\n  g${i}: *h${i}\n`;
  return s;
}

/** A chain of anchors, each holding an alias of the one before (yaml counts what a chain expands to: a long one is refused). */
function aliasChain(rand: Rand): string {
  const n = int(rand, 50, 4000);
  const seq = rand() < 0.5;
  const where = pick(rand, ['top', 'handler', 'environment']);
  let anchors = '';
  for (let i = 1; i < n; i++) anchors += seq ? `  c${i}: &c${i} [*c${i - 1}]\n` : `  c${i}: &c${i} { n: *c${i - 1}, bad: 1 }\n`;
  const first = '  c0: &c0 { entry: ok.ts, memoryMb: big }\n';
  const last = `*c${n - 1}`;
  if (where === 'top') return `${HEAD}chain:\n${first}${anchors}use: ${last}\n`;
  if (where === 'handler') return `${HEAD}handlers:\n${first}${anchors}  api: ${last}\n`;
  return `${HEAD}handlers:\n${first}${anchors}environments:\n  prod:\n    handlers: { c0: ${last} }\n`;
}

/** The classic exponential alias bomb. */
function aliasBomb(rand: Rand): string {
  const levels = int(rand, 3, 12);
  const width = int(rand, 2, 10);
  let s = `${HEAD}bomb:\n  l0: &l0 [${Array(width).fill('lol').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) s += `  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n`;
  return `${s}handlers: *l${levels - 1}\n`;
}

const ODD = ['\t', '界', '🙂', 'é', ' ', '\u200b'];

/** One line, one flow mapping, thousands of unknown keys (each an error on that line), sometimes with tabs and wide characters. */
function longLine(rand: Rand, keys: number): string {
  const odd = rand() < 0.5;
  const parts = ['version: 1', 'service: svc', 'region: us-east-1'];
  for (let i = 0; i < keys; i++) parts.push(`${odd && i % 7 === 0 ? `"${pick(rand, ODD)}k${i}"` : `k${i}`}: ${i}`);
  const inner = rand() < 0.5;
  return inner ? `{version: 1, service: svc, region: us-east-1, handlers: {api: {entry: ok.ts, ${parts.slice(3).join(', ')}}}}\n` : `{${parts.join(', ')}}\n`;
}

const HUGE = ['1e400', '-1e400', '9'.repeat(400), `0x${'f'.repeat(300)}`, '0o777777777777777777777', '.inf', '-.inf', '.nan', '-0', '1_000', '0.0000000000000000000000001', '123456789012345678901234567890'];

function hugeNumbers(rand: Rand): string {
  let s = `${HEAD}handlers:\n`;
  const n = int(rand, 10, 3000);
  for (let i = 0; i < n; i++) s += `  h${i}: { entry: ok.ts, memoryMb: ${pick(rand, HUGE)}, timeoutSeconds: ${pick(rand, HUGE)}, reservedConcurrency: ${pick(rand, HUGE)} }\n`;
  return s;
}

function deepNesting(rand: Rand): string {
  const depth = int(rand, 60, 100_000);
  const kind = pick(rand, ['flow-seq', 'flow-map', 'block-map', 'block-seq']);
  if (kind === 'flow-seq') return `${HEAD}deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  if (kind === 'flow-map') return `${HEAD}deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
  const d = Math.min(depth, 1200);
  let s = `${HEAD}deep:\n`;
  for (let i = 1; i <= d; i++) s += `${' '.repeat(i)}${kind === 'block-seq' ? '-' : `a${i}:`}\n`;
  return s;
}

function randomBytes(rand: Rand): Uint8Array {
  const n = int(rand, 1, 300_000);
  const ascii = rand() < 0.5;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ascii ? pick(rand, [10, 32, 32, 45, 58, 91, 93, 123, 125, 38, 42, 97, 98, 35]) : Math.floor(rand() * 256);
  return out;
}

const EXAMPLES = ['config/user-service.yaml', 'config/examples/auth-service.yaml', 'config/examples/ecommerce-analytics.yaml', 'config/examples/course-registration.yaml'].map((f) =>
  readFileSync(join(ROOT, f), 'utf8').replace(/^(\s*entry:\s*).*$/gm, '$1ok.ts'),
);

function truncated(rand: Rand): string {
  const text = pick(rand, EXAMPLES);
  return text.slice(0, Math.floor(rand() * text.length));
}

function duplicateKeys(rand: Rand): string {
  const n = int(rand, 100, 20_000);
  const oneLine = rand() < 0.5;
  const key = pick(rand, ['service', 'handlers', 'x']);
  if (oneLine) return `{version: 1, region: us-east-1, ${Array.from({ length: n }, (_, i) => `${key}: v${i}`).join(', ')}}\n`;
  return `${HEAD}${Array.from({ length: n }, (_, i) => `${key}: v${i}\n`).join('')}`;
}

function manyDocuments(rand: Rand): string {
  const doc = pick(rand, ['', HEAD, '{a: 1}\n', '*x\n']);
  // At most 1 MB: a larger file is refused before it is parsed.
  const n = Math.min(int(rand, 2, 200_000), Math.floor(1_000_000 / (doc.length + 4)));
  return Array.from({ length: n }, () => `---\n${doc}`).join('');
}

/** One key or value of hundreds of kilobytes, under a place the schema checks further. */
function longScalar(rand: Rand): string {
  const long = 'x'.repeat(int(rand, 10_000, 700_000));
  const children = Array.from({ length: int(rand, 1, 2000) }, (_, i) => `k${i}: 1`).join(', ');
  return pick(rand, [
    `${HEAD}handlers:\n  ${long}: { entry: ok.ts, ${children} }\n`,
    `${HEAD}${long}: { ${children} }\n`,
    `${HEAD}handlers:\n  api: { entry: ok.ts, description: ${long} }\n`,
    `${HEAD}tags: { ${long}: ${long} }\n`,
  ]);
}

/** The cases, in a fixed order: first the reproductions of the bugs this test was written for, then random ones. */
export function hostileCases(seed: number): Generated[] {
  const rand = prng(seed);
  const out: Generated[] = [
    // Locating 12,000 diagnostics, each through an alias, took minutes.
    { kind: 'alias fan-out', text: aliasFanOut(rand, 6000), format: 'json' },
    // A one-line file of 88 KB with 7,000 errors: "internal error: Invalid string length".
    { kind: 'long line', text: longLine(rand, 7000), format: 'text' },
    // The same at 0.9 MB aborted node.
    { kind: 'long line', text: longLine(rand, 60_000), format: 'text' },
  ];
  const makers: [string, (r: Rand) => string | Uint8Array][] = [
    ['alias fan-out', (r) => aliasFanOut(r, int(r, 1, 3000))],
    ['alias chain', aliasChain],
    ['alias bomb', aliasBomb],
    ['long line', (r) => longLine(r, int(r, 100, 20_000))],
    ['huge numbers', hugeNumbers],
    ['deep nesting', deepNesting],
    ['random bytes', randomBytes],
    ['truncation', truncated],
    ['duplicate keys', duplicateKeys],
    ['many documents', manyDocuments],
    ['long scalar', longScalar],
  ];
  for (let round = 0; round < 3; round++) for (const [kind, make] of makers) out.push({ kind, text: make(rand) });
  return out;
}

