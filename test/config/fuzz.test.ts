/**
 * Fuzzing the front end: 1,200 deterministic variants of real configs (config/,
 * config/examples/ and the rule fixtures), each mutated the way files go wrong —
 * flipped types, deleted and duplicated keys, random bytes, deep nesting, huge
 * numbers, unknown enumeration values, alias bombs, truncation. Every variant must
 * end in models or in diagnostics whose positions lie inside their file, and never
 * in an exception.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { lineCounterOf, positionOf, RULE_CODES, type Diagnostic } from '../../src/config/diagnostics';
import type { LoadResult } from '../../src/config/load';
import { TempDir } from './helpers';
import { pick, prng, type Rand } from '../support/random';

const ROOT = path.join(__dirname, '../..');
const VARIANTS = 1200;

function seedFiles(): string[] {
  const dirs = [path.join(ROOT, 'config'), path.join(ROOT, 'config/examples')];
  const fixtures = path.join(ROOT, 'test/fixtures/rules');
  if (fs.existsSync(fixtures)) for (const d of fs.readdirSync(fixtures).sort()) dirs.push(path.join(fixtures, d));
  const out: string[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      if (/\.ya?ml$/.test(f) && fs.statSync(file).isFile()) out.push(file);
    }
  }
  return out;
}

const ODD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 9007199254740993, Infinity, -Infinity, NaN,
  '', ' ', 'GET', 'get', 'nodejs18.x', 'T2_SMALL', 'yes', '0x1F', '__proto__', 'a'.repeat(300), '{x}', '$context.identity.sub',
  [], [1, 'two', null], {}, { unknown: 1 }, { ttlSeconds: 'soon' },
];

/** All nodes of a document with their parent collection, for structural mutations. */
function nodesOf(doc: ReturnType<typeof parseDocument>): { node: Node; parent?: Node }[] {
  const out: { node: Node; parent?: Node }[] = [];
  visit(doc, {
    Node(_key, node, ancestors) {
      const parent = [...ancestors].reverse().find((a) => isMap(a) || isSeq(a)) as Node | undefined;
      out.push({ node, parent });
    },
  });
  return out;
}

function structural(text: string, rand: Rand): string {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return text + '\nextra: [1, 2\n';
  const nodes = nodesOf(doc).filter((n) => !isMap(n.node) || n.parent);
  if (!nodes.length) return text;
  const target = pick(rand, nodes);
  const kind = Math.floor(rand() * 5);
  if (kind === 0 && (isScalar(target.node) || isMap(target.node) || isSeq(target.node))) {
    // type flip or odd value
    const replacement = doc.createNode(pick(rand, ODD_VALUES));
    replaceNode(doc, target.node, replacement);
  } else if (kind === 1 && target.parent && (isMap(target.parent) || isSeq(target.parent))) {
    // deletion of an item or a pair
    const items = (target.parent as { items: unknown[] }).items;
    if (items.length) items.splice(Math.floor(rand() * items.length), 1);
  } else if (kind === 2 && target.parent && isMap(target.parent)) {
    // a new key with an unknown or misspelt name
    target.parent.set(pick(rand, ['memoryMB', 'ttl', 'cache', 'handler', 'environments', 'x-y', 'Name', '<<', '1']), doc.createNode(pick(rand, ODD_VALUES)));
  } else if (kind === 3 && isScalar(target.node) && typeof target.node.value === 'string') {
    // enumeration values with the wrong case or a typo
    const v = target.node.value;
    target.node.value = pick(rand, [v.toUpperCase(), v.toLowerCase(), `${v}x`, v.slice(1), v.replace(/[aeiou]/, '')]);
  } else if (isScalar(target.node) && typeof target.node.value === 'number') {
    target.node.value = pick(rand, [0, -5, 1e21, 2 ** 53 + 1, 0.1, Number.MAX_SAFE_INTEGER, -0]);
  } else {
    replaceNode(doc, target.node, doc.createNode(pick(rand, ODD_VALUES)));
  }
  try {
    return doc.toString();
  } catch {
    // The mutation left the document unprintable (an alias whose anchor was deleted): keep the text.
    return text;
  }
}

function replaceNode(doc: ReturnType<typeof parseDocument>, node: Node, replacement: Node): void {
  visit(doc, {
    Node(_key, n) {
      return n === node ? replacement : undefined;
    },
  });
}

function textual(text: string, rand: Rand): string | Uint8Array {
  const lines = text.split('\n');
  const at = Math.floor(rand() * Math.max(1, lines.length));
  switch (Math.floor(rand() * 9)) {
    case 0: // duplicate a line (duplicate keys)
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    case 1: // delete a line
      lines.splice(at, 1);
      return lines.join('\n');
    case 2: // change indentation
      lines[at] = pick(rand, [' ', '\t', '   ', '']) + (lines[at] ?? '');
      return lines.join('\n');
    case 3: {
      // random bytes, often not UTF-8
      const bytes = Buffer.from(text);
      const out = Buffer.from(bytes);
      for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
      return out;
    }
    case 4: // truncate
      return text.slice(0, Math.floor(rand() * text.length));
    case 5: {
      // deep nesting
      const depth = 10 + Math.floor(rand() * 300);
      const open = rand() < 0.5 ? '[' : '{a: ';
      const close = open === '[' ? ']' : '}';
      lines.splice(at, 0, `deep: ${open.repeat(depth)}${close.repeat(depth)}`);
      return lines.join('\n');
    }
    case 6: {
      // an alias bomb under an existing or new key
      const levels = 3 + Math.floor(rand() * 7);
      let bomb = 'bomb:\n  l0: &l0 [x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i < levels; i++) bomb += `  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
      return `${text}\n${bomb}`;
    }
    case 7: // a second document
      return `${text}\n---\n${text}`;
    default: {
      // control characters and odd quoting
      const c = pick(rand, ['"', "'", '\u0000', '\u0007', '\r', '%', '&', '*', '!', '|', '>', '? ', '- ', ': ', '#']);
      const line = lines[at] ?? '';
      const p = Math.floor(rand() * (line.length + 1));
      lines[at] = line.slice(0, p) + c + line.slice(p);
      return lines.join('\n');
    }
  }
}

function check(result: LoadResult, name: string): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length && !result.models.length) throw new Error(`${name}: neither models nor errors`);
  if (errors.length && result.models.length) throw new Error(`${name}: models despite errors`);
  const codes = new Set<string>(RULE_CODES);
  const places = (d: Diagnostic) => [d.location, ...(d.related ?? []).map((r) => r.location)];
  for (const d of result.diagnostics) {
    if (!codes.has(d.code)) throw new Error(`${name}: unknown code ${d.code}`);
    if (!/^[a-z`"(]/.test(d.message)) throw new Error(`${name}: message not lower-case: ${d.message}`);
    for (const loc of places(d)) {
      const text = result.sources.get(loc.file);
      if (text === undefined) throw new Error(`${name}: no source for ${loc.file}`);
      if (!(loc.start >= 0 && loc.start <= loc.end && loc.end <= text.length)) throw new Error(`${name}: ${d.code} range ${loc.start}..${loc.end} outside 0..${text.length}`);
      const lines = lineCounterOf(text);
      const starts = lines.lineStarts;
      const p = positionOf(lines, loc.start);
      const lineEnd = p.line < starts.length ? starts[p.line] - 1 : text.length;
      if (p.line < 1 || p.line > starts.length || p.column < 1 || starts[p.line - 1] + p.column - 1 > lineEnd) {
        throw new Error(`${name}: ${d.code} at ${p.line}:${p.column} is not inside the file`);
      }
    }
  }
}

describe('fuzzing the config front end', () => {
  const seeds = seedFiles();
  let tmp: TempDir;
  beforeAll(() => {
    tmp = new TempDir();
  });
  afterAll(() => tmp.remove());

  it('GIVEN seed configs THEN there are enough of them to mutate', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(10);
  });

  it(`GIVEN ${VARIANTS} mutated configs WHEN loaded THEN each ends in models or well-placed diagnostics, never an exception`, () => {
    const rand = prng(20260611);
    const failures: string[] = [];
    const outcomes = { models: 0, diagnostics: 0 };
    const codeCounts: Record<string, number> = {};
    // Entries point at the handler the temporary directory holds, so that unmutated parts resolve.
    const texts = seeds.map((f) => fs.readFileSync(f, 'utf8').replace(/^(\s*entry:\s*).*$/gm, '$1ok.ts'));
    for (let i = 0; i < VARIANTS; i++) {
      const s = Math.floor(rand() * seeds.length);
      let variant: string | Uint8Array = texts[s];
      const rounds = 1 + Math.floor(rand() * 3);
      for (let r = 0; r < rounds; r++) {
        const base: string = typeof variant === 'string' ? variant : Buffer.from(variant).toString('latin1');
        variant = rand() < 0.5 ? structural(base, rand) : textual(base, rand);
      }
      const name = `variant ${i} of ${path.relative(ROOT, seeds[s])}`;
      for (const g of fs.readdirSync(path.dirname(seeds[s])).filter((f) => f.endsWith('.graphql'))) {
        fs.copyFileSync(path.join(path.dirname(seeds[s]), g), path.join(tmp.dir, g));
      }
      try {
        const result = tmp.load([tmp.write('variant.yaml', variant)]);
        check(result, name);
        if (result.models.length) outcomes.models++;
        else outcomes.diagnostics++;
        if (process.env.FUZZ_STATS) for (const d of result.diagnostics) codeCounts[d.code] = (codeCounts[d.code] ?? 0) + 1;
      } catch (err) {
        failures.push(`${name}: ${(err as Error).stack ?? String(err)}`);
      }
    }
    if (process.env.FUZZ_STATS) console.log(JSON.stringify({ outcomes, codeCounts }));
    expect(failures.slice(0, 5)).toEqual([]);
    // The mutations must reach both outcomes, or the fuzzing proves little.
    expect(outcomes.diagnostics).toBeGreaterThan(VARIANTS / 2);
    expect(outcomes.models).toBeGreaterThan(0);
  });
});
