/**
 * From field paths to YAML nodes (src/config/locate.ts) and from offsets to
 * lines and columns (src/config/diagnostics.ts): aliases stand for what the `yaml`
 * library (the reference, a dev dependency) resolves them to, and lookups cost
 * no more than the path is long.
 */
import { Alias, parseDocument, visit } from 'yaml';
import { lineCounterOf, positionOf } from '../../src/config/diagnostics';
import { deref, nodeAt } from '../../src/config/locate';
import { MAX_NESTING_DEPTH } from '../../src/config/parse';
import { isAlias, parseYaml, type YamlAlias, type YamlDocument, type YamlNode } from '../../src/config/yaml-tree';
import { MINIMAL, places, TempDir } from './helpers';

function parse(text: string): YamlDocument {
  const stream = parseYaml(text, { maxDepth: MAX_NESTING_DEPTH });
  if (stream.error) throw new Error(stream.error.message);
  return stream.documents[0];
}

function aliasesOf(node: YamlNode | null, out: YamlAlias[] = []): YamlAlias[] {
  if (!node) return out;
  if (node.kind === 'alias') out.push(node);
  else if (node.kind === 'seq') for (const item of node.items) aliasesOf(item, out);
  else if (node.kind === 'map')
    for (const p of node.items) {
      aliasesOf(p.key, out);
      aliasesOf(p.value, out);
    }
  return out;
}

describe('aliases', () => {
  it('GIVEN anchors redefined, used before and after, and inside their own node WHEN followed THEN each alias stands for what Alias.resolve finds', () => {
    const text = [
      'a: &x 1',
      'b: *x',
      'c: &x [2, *x]',
      'd: *x',
      'e: { &y k: v, f: *y }',
      'g: &x { h: *x }',
      'i: [*x, *y]',
      '',
    ].join('\n');
    const reference = parseDocument(text);
    const aliases: Alias[] = [];
    visit(reference, { Alias: (_k, node) => void aliases.push(node) });
    expect(aliases).toHaveLength(7);
    const expected = aliases.map((a) => a.resolve(reference)?.range?.[0]);
    expect(expected.every((n) => n !== undefined)).toBe(true);
    const doc = parse(text);
    const ours = aliasesOf(doc.contents);
    expect(ours.map((a) => a.range[0])).toEqual(aliases.map((a) => a.range![0]));
    expect(ours.map((a) => (deref(doc, a) as YamlNode).range[0])).toEqual(expected);
  });

  it('GIVEN a path through an alias WHEN located THEN it ends at the node inside the anchored content', () => {
    const text = `${MINIMAL}base: &b { deep: { leaf: 7 } }\nuse: *b\n`;
    const doc = parse(text);
    const hit = nodeAt(doc, ['use', 'deep', 'leaf']);
    expect(hit.complete).toBe(true);
    expect(text.slice(hit.node!.range![0], hit.node!.range![1])).toBe('7');
    expect(nodeAt(doc, ['use', 'deep', 'nope']).complete).toBe(false);
  });

  it('GIVEN 500 paths each through an alias WHEN located THEN each ends in its own anchored content (targets are bound at parse time, not searched per lookup)', () => {
    let text = 'items:\n';
    for (let i = 0; i < 500; i++) text += `  a${i}: &a${i} { v: ${i} }\n  b${i}: *a${i}\n`;
    const doc = parse(text);
    for (const a of aliasesOf(doc.contents)) expect(a.target).toBeDefined();
    for (let i = 0; i < 500; i++) {
      const hit = nodeAt(doc, ['items', `b${i}`, 'v']);
      expect((hit.node as YamlNode & { value: unknown }).value).toBe(i);
    }
  });

  it('GIVEN a mapping that repeats a key WHEN a path goes through it THEN the last pair is taken, as toJS does', () => {
    const text = 'm: { k: 1, j: 2, k: 3 }\n';
    expect(parseDocument(text, { uniqueKeys: false }).toJS().m.k).toBe(3);
    const doc = parse(text);
    const hit = nodeAt(doc, ['m', 'k']);
    expect(text.slice(hit.node!.range![0], hit.node!.range![1])).toBe('3');
    expect(nodeAt(doc, ['m', 'j']).complete).toBe(true);
  });

  it('GIVEN handlers written as aliases of invalid anchored ones WHEN loaded THEN each diagnostic points into the anchored content', () => {
    const tmp = new TempDir();
    try {
      const text = `${MINIMAL}handlers:\n  api: &api\n    entry: ok.ts\n    memoryMb: big\n  web: *api\n`;
      const r = tmp.load([tmp.write('svc.yaml', text)]);
      expect(places(r)).toEqual(['schema-type 7:15', 'schema-type 7:15']);
      expect(r.diagnostics.map((d) => d.path)).toEqual(['handlers.api.memoryMb', 'handlers.web.memoryMb']);
      expect(isAlias(nodeAt(parse(text), ['handlers', 'web']).node)).toBe(true);
    } finally {
      tmp.remove();
    }
  });
});

describe('lines and columns', () => {
  /** The reference: count the line breaks before the offset. */
  function naive(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
  }

  it.each([
    ['an empty text', ''],
    ['one line without a break', 'version: 1'],
    ['LF lines and a final break', 'a: 1\nb: 2\n'],
    ['CRLF lines (the CR stays on its line)', 'a: 1\r\nb: 2\r\n\r\n'],
    ['a lone CR (not a line break)', 'a: 1\rb: 2\n'],
    ['empty lines and wide characters', '\n\n界🙂: x\n\n'],
  ])('GIVEN %s WHEN every offset is placed THEN line and column are those of a count of line breaks', (_name, text) => {
    const lines = lineCounterOf(text);
    for (let offset = 0; offset <= text.length; offset++) expect([offset, positionOf(lines, offset)]).toEqual([offset, naive(text, offset)]);
  });
});
