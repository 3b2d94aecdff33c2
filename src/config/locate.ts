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
 * Lookups cost no more than the path is long: every alias knows its target from
 * the parse (src/config/yaml-tree.ts), and the first key looked up in a mapping
 * indexes that mapping's keys (a scan of the pairs is linear: with a diagnostic
 * per key, that was quadratic). The indexes are kept per node object, so a parsed
 * document must not be changed once a lookup has been made in it (none is).
 */
import { isAlias, isMap, isScalar, isSeq, type YamlDocument, type YamlMap, type YamlNode, type YamlPair } from './yaml-tree';

export type Segment = string | number;
type Node = YamlNode;

/** The JavaScript key a map key node becomes (as `toJS` makes it); undefined for collections and aliases. */
export function jsKeyOf(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) {
    const v = key.value;
    return v === null || v === undefined ? '' : String(v);
  }
  return undefined;
}

/** Each mapping's pairs by JavaScript key (the last pair of a repeated key). */
const pairIndexes = new WeakMap<YamlMap, Map<string, YamlPair>>();

/** The pair of `map` whose key is `key`; the last one when a key repeats. */
function pairOf(map: unknown, key: string): YamlPair | undefined {
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

export interface NodeHit {
  /** The deepest node found along the path. */
  node: Node | undefined;
  /** The key node of the pair whose value is `node`, when `node` is a map value. */
  key: Node | undefined;
  /** True when the whole path was found. */
  complete: boolean;
}

/** The node an alias stands for (followed a bounded number of times); other nodes as they are. */
export function deref(_doc: YamlDocument, node: unknown): unknown {
  for (let i = 0; i < 16 && isAlias(node); i++) node = node.target;
  return node;
}

/** One step down: the child node at `seg` and, for map values, its key node. */
export function childOf(doc: YamlDocument, node: unknown, seg: Segment): { node: Node; key: Node | undefined } | undefined {
  const target = deref(doc, node);
  if (isMap(target)) {
    const pair = pairOf(target, String(seg));
    if (!pair) return undefined;
    const key = pair.key ?? undefined;
    if (pair.value === null || pair.value === undefined) return key ? { node: key, key } : undefined;
    return { node: pair.value as Node, key };
  }
  if (isSeq(target) && typeof seg === 'number') {
    const item = target.items[seg];
    if (item === undefined || item === null) return undefined;
    return { node: item, key: undefined };
  }
  return undefined;
}

/** The node at `path` under `root` (default: the document's contents). */
export function nodeAt(doc: YamlDocument, path: readonly Segment[], root: unknown = doc.contents): NodeHit {
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
