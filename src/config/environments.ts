/**
 * Environment overlays: `environments.<env>` deep-merged over the base, and the
 * provenance of every field of the result.
 *
 * Merge: objects and maps merge by key, lists are replaced whole, scalars
 * replace. An overlay may name entries the base lacks (rule 10 reports that); the
 * merge simply adds them.
 *
 * Provenance: for a field path of the merged result, the YAML node that wrote it
 * is the overlay's node when the overlay wrote that path, else the base's node,
 * else the nearest written ancestor. Paths that start with `environments` point
 * straight into the document.
 */
import { isMap, type YamlDocument } from './yaml-tree';
import { childOf, deref, nodeAt, type NodeHit, type Segment } from './locate';
import { pathKey, setOwn } from './schema-check';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `overlay` deep-merged over `base` (neither is changed; untouched subtrees are shared). */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return base;
  if (!isObject(base) || !isObject(overlay)) return overlay;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(overlay)) {
    setOwn(out, k, Object.prototype.hasOwnProperty.call(base, k) ? mergeOverlay(base[k], v) : v);
  }
  return out;
}

/** The base of a config: everything but `environments`. */
export function baseOf(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'environments') setOwn(out, k, v);
  return out;
}

/** Environment names in the order the file writes them. */
export function environmentNames(raw: unknown): string[] {
  return isObject(raw) && isObject(raw.environments) ? Object.keys(raw.environments) : [];
}

/**
 * Answers "who wrote this path" for one document: over the YAML nodes (for
 * locations) and over the checked value (for `written`).
 */
export class Provenance {
  private readonly base: Record<string, unknown>;

  constructor(
    private readonly doc: YamlDocument,
    /** The checked value (failing parts removed). */
    private readonly raw: Record<string, unknown>,
    /** From the schema check: lists of the document that lost items. */
    private readonly indexMaps: ReadonlyMap<string, number[]>,
  ) {
    this.base = baseOf(raw);
  }

  private original(listPath: readonly Segment[], index: number): number {
    const map = this.indexMaps.get(pathKey(listPath));
    return map && index < map.length ? map[index] : index;
  }

  /**
   * The node that wrote `path` of the merged result of `env` (or of the base when
   * `env` is undefined), and `path` with list indices as the YAML writes them (they
   * differ when the schema check removed list items).
   */
  locate(path: readonly Segment[], env?: string): NodeHit & { path: Segment[] } {
    const doc = this.doc;
    if (path[0] === 'environments' || env === undefined) {
      const orig: Segment[] = [];
      for (const seg of path) orig.push(typeof seg === 'number' ? this.original(orig, seg) : seg);
      return { ...nodeAt(doc, orig), path: orig };
    }
    type Side = { node: unknown; orig: Segment[] };
    const envHit = nodeAt(doc, ['environments', env]);
    let base: Side | undefined = { node: doc.contents, orig: [] };
    let over: Side | undefined = envHit.complete && isMap(envHit.node) ? { node: envHit.node, orig: ['environments', env] } : undefined;
    let best: NodeHit = { node: (doc.contents ?? undefined) as NodeHit['node'], key: undefined, complete: true };
    // The path as written: segments from whichever side wrote each step.
    const written: Segment[] = [];
    const step = (side: Side | undefined, seg: Segment) => {
      if (!side) return undefined;
      const s = typeof seg === 'number' ? this.original(side.orig, seg) : seg;
      const child = childOf(doc, side.node, s);
      return child ? { child, side: { node: child.node, orig: [...side.orig, s] } } : undefined;
    };
    for (const seg of path) {
      const o = step(over, seg);
      const b = step(base, seg);
      if (o) {
        // Both maps: they merge, and the base still speaks for keys the overlay leaves out.
        base = b && isMap(deref(doc, o.child.node)) && isMap(deref(doc, b.child.node)) ? b.side : undefined;
        over = o.side;
        best = { node: o.child.node, key: o.child.key, complete: true };
        written.push(o.side.orig[o.side.orig.length - 1]);
      } else if (b) {
        over = undefined;
        base = b.side;
        best = { node: b.child.node, key: b.child.key, complete: true };
        written.push(b.side.orig[b.side.orig.length - 1]);
      } else {
        return { ...best, complete: false, path: [...written, ...path.slice(written.length)] };
      }
    }
    return { ...best, path: written };
  }

  /** True when the YAML writes `path` (in the base, or in `env`'s overlay), counting only parts that passed the schema. */
  written(path: readonly Segment[], env?: string): boolean {
    if (path[0] === 'environments' || env === undefined) return valueAt(this.raw, path) !== undefined;
    let base: unknown = this.base;
    const envs = this.raw.environments;
    let over: unknown = isObject(envs) && isObject(envs[env]) ? envs[env] : undefined;
    for (const seg of path) {
      const o = over === undefined ? undefined : child(over, seg);
      const b = base === undefined ? undefined : child(base, seg);
      if (o !== undefined) {
        base = isObject(o) && isObject(b) ? b : undefined;
        over = o;
      } else if (b !== undefined) {
        over = undefined;
        base = b;
      } else return false;
    }
    return true;
  }
}

function child(v: unknown, seg: Segment): unknown {
  if (Array.isArray(v)) return typeof seg === 'number' ? v[seg] : undefined;
  if (isObject(v) && Object.prototype.hasOwnProperty.call(v, seg)) return v[seg as string];
  return undefined;
}

function valueAt(v: unknown, path: readonly Segment[]): unknown {
  let cur = v;
  for (const seg of path) {
    cur = child(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}
