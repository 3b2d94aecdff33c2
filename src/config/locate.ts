/**
 * From field paths to YAML nodes, and from nodes to source locations.
 *
 * A field path (`['restApi', 'endpoints', 0, 'cache']`) names a place in the
 * JavaScript value of a document; `nodeAt` finds the YAML node that wrote it,
 * following aliases, taking the last of duplicate keys (as `toJS` does), and
 * stopping at the deepest node that exists when the path goes further than the
 * document. Diagnostics point at the key of a collection that is a map value (the
 * caret under `profile:` reads better than under its first field) and at the
 * value itself otherwise.
 *
 * Lookups cost no more than the path is long: the first alias followed in a
 * document resolves every alias of it in one walk, and the first key looked up in
 * a mapping indexes that mapping's keys (`Alias.resolve` walks the whole document
 * each time, and a scan of the pairs is linear: with a diagnostic per key or per
 * alias, both were quadratic). The indexes are kept per node object, so a parsed
 * document must not be changed once a lookup has been made in it (none is).
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export type Segment = string | number;

/** The JavaScript key `toJS` gives a map key node. */
export function jsKeyOf(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) {
    const v = key.value;
    return v === null || v === undefined ? '' : String(v);
  }
  return undefined;
}

/** Each mapping's pairs by JavaScript key (the last pair of a repeated key). */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pair of `map` whose key is `key`; the last one when a key repeats. */
function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = jsKeyOf(pair.key);
      if (k !== undefined) index.set(k, pair);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/** Each document's aliases with the node each stands for. */
const aliasTargets = new WeakMap<Document, Map<Alias, Node>>();

/**
 * The node `alias` stands for: as `Alias.resolve` finds it (the last node before
 * the alias, in document order, that carries its anchor), for all aliases of
 * `doc` in one walk.
 */
function targetOf(doc: Document, alias: Alias): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target) found.set(node, target);
        } else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
      },
    });
    targets = found;
    aliasTargets.set(doc, targets);
  }
  return targets.get(alias);
}

export interface NodeHit {
  /** The deepest node found along the path. */
  node: Node | undefined;
  /** The key node of the pair whose value is `node`, when `node` is a map value. */
  key: Node | undefined;
  /** True when the whole path was found. */
  complete: boolean;
}

/** The node an alias stands for (followed a bounded number of times); other nodes as they are. */
export function deref(doc: Document, node: unknown): unknown {
  for (let i = 0; i < 16 && isAlias(node); i++) node = targetOf(doc, node);
  return node;
}

/** One step down: the child node at `seg` and, for map values, its key node. */
export function childOf(doc: Document, node: unknown, seg: Segment): { node: Node; key: Node | undefined } | undefined {
  const target = deref(doc, node);
  if (isMap(target)) {
    const pair = pairOf(target, String(seg));
    if (!pair) return undefined;
    const key = isScalar(pair.key) || (pair.key && typeof pair.key === 'object') ? (pair.key as Node) : undefined;
    if (pair.value === null || pair.value === undefined) return key ? { node: key, key } : undefined;
    return { node: pair.value as Node, key };
  }
  if (isSeq(target) && typeof seg === 'number') {
    const item = target.items[seg];
    if (item === undefined || item === null) return undefined;
    if (isPair(item)) return undefined;
    return { node: item as Node, key: undefined };
  }
  return undefined;
}

/** The node at `path` under `root` (default: the document's contents). */
export function nodeAt(doc: Document, path: readonly Segment[], root: unknown = doc.contents): NodeHit {
  let node = (root ?? undefined) as Node | undefined;
  let key: Node | undefined;
  for (const seg of path) {
    const next = childOf(doc, node, seg);
    if (!next) return { node, key, complete: false };
    node = next.node;
    key = next.key;
  }
  return { node, key, complete: true };
}

/** The start and end offsets of a node's value. */
export function rangeOf(node: Node | undefined | null): [number, number] | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return [r[0], Math.max(r[0], r[1])];
}

/**
 * Where a diagnostic about `hit` points: a collection that is a map value is
 * shown at its key; a scalar (or a sequence item) at itself.
 */
export function pointOf(hit: NodeHit, preferKey = false): [number, number] {
  const node = hit.node;
  const isCollection = isMap(node) || isSeq(node);
  const useKey = hit.key && (preferKey || isCollection);
  return rangeOf(useKey ? hit.key : node) ?? rangeOf(node) ?? [0, 0];
}
