/**
 * The fuzz corpus of the config front end: deterministic variants of real configs
 * (config/, config/examples/ and the rule fixtures), each mutated the way files go
 * wrong — flipped types, deleted and duplicated keys, random bytes, deep nesting,
 * huge numbers, unknown enumeration values, alias bombs, truncation. Used by
 * test/config/fuzz.test.ts (every variant ends in models or well-placed
 * diagnostics) and test/config/yaml-parity.test.ts (the parser gives the same
 * models and diagnostics as the reference).
 *
 * The mutations are made with the `yaml` package (a dev dependency): it edits a
 * document and prints it back, which the corpus needs and the parser does not do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { pick, prng, type Rand } from './random';

const ROOT = path.join(__dirname, '../..');

export function seedFiles(): string[] {
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


export interface Variant {
  /** `variant N of FILE`. */
  name: string;
  /** The seed file it was made from. */
  seed: string;
  text: string | Uint8Array;
}

/** The corpus: `count` variants from seed `seed` (the same variants on every run). */
export function fuzzVariants(count: number, seed = 20260611): Variant[] {
  const seeds = seedFiles();
  const rand = prng(seed);
  // Entries point at the handler the temporary directory holds, so that unmutated parts resolve.
  const texts = seeds.map((f) => fs.readFileSync(f, 'utf8').replace(/^(\s*entry:\s*).*$/gm, '$1ok.ts'));
  const out: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const s = Math.floor(rand() * seeds.length);
    let variant: string | Uint8Array = texts[s];
    const rounds = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < rounds; r++) {
      const base: string = typeof variant === 'string' ? variant : Buffer.from(variant).toString('latin1');
      variant = rand() < 0.5 ? structural(base, rand) : textual(base, rand);
    }
    out.push({ name: `variant ${i} of ${path.relative(ROOT, seeds[s])}`, seed: seeds[s], text: variant });
  }
  return out;
}
