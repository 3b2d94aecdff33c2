/**
 * THE REFERENCE for test/config/yaml-parity.test.ts: src/config/parse.ts and
 * src/config/locate.ts as they were while cachestack parsed with the `yaml`
 * package (until issue 16 moved the loader to js-yaml's event parser, see
 * src/config/yaml-tree.ts). Frozen: it is what "the same as before" means.
 *
 * Bytes → text → YAML document → JavaScript value, with file hygiene first.
 *
 * Limits (each a diagnostic, never an exception):
 * - a config file is a regular file (not a FIFO or a device: `file-not-regular`)
 *   and holds at most 4 MiB (`MAX_FILE_BYTES`): a service's config is a few
 *   kilobytes, and 5,000 cached endpoints with as many resolvers (about 1.5 MiB)
 *   stay well below it; no more than the limit plus one byte is ever read;
 * - it is UTF-8 (a byte-order mark is allowed and dropped);
 * - collections nest at most 64 levels deep (`MAX_NESTING_DEPTH`): deeper input
 *   is refused before the YAML composer (which recurses) sees it;
 * - anchors and aliases expand to at most 100 copies (`MAX_ALIAS_COUNT`, the
 *   `yaml` library's `maxAliasCount`), so an alias bomb is refused at once;
 * - one document per file.
 *
 * Offsets in diagnostics are character offsets into the decoded text (after the
 * byte-order mark), the same text the loader hands to the output formatters.
 */
import { Composer, Parser, isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, RuleCode } from '../../src/config/diagnostics';
import { formatPath } from '../../src/config/diagnostics';
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

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_NESTING_DEPTH = 64;
export const MAX_ALIAS_COUNT = 100;

/** Options every document is composed with. */
const YAML_OPTIONS = {
  // Duplicate keys are found by `duplicateKeys` below, with both places.
  uniqueKeys: false,
  prettyErrors: false,
  // The yaml library would otherwise print warnings (e.g. collection keys) to the console.
  logLevel: 'silent',
  // Always the YAML 1.2 core schema: no timestamps, no `<<` merge keys, whatever a %YAML directive says.
  schema: 'core',
  merge: false,
} as const;

function diag(code: RuleCode, file: string, start: number, end: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', message, path: '', location: { file, start, end }, ...extra };
}

// ---------------------------------------------------------------------------
// Parsing

export interface ParsedSource {
  file: string;
  text: string;
  /** The (first) document, when the text is well-formed YAML. */
  doc?: Document.Parsed;
  /** The document's JavaScript value; `undefined` when the document cannot be checked further. */
  value?: unknown;
  /** True when `value` holds the document's value (which may itself be `null`). */
  hasValue: boolean;
  diagnostics: Diagnostic[];
}

interface CstLike {
  type?: string;
  offset?: number;
  value?: unknown;
  items?: { key?: unknown; value?: unknown }[];
}

/** Offset of the first collection nested deeper than `max`, found without recursion. */
function tooDeep(tokens: readonly unknown[], max: number): number | undefined {
  const stack: [CstLike, number][] = [];
  for (const t of tokens) stack.push([t as CstLike, 0]);
  while (stack.length) {
    const [tok, depth] = stack.pop()!;
    if (!tok || typeof tok !== 'object') continue;
    if (tok.type === 'document') {
      if (tok.value) stack.push([tok.value as CstLike, depth]);
      continue;
    }
    if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth + 1 > max) return tok.offset ?? 0;
      for (const item of tok.items ?? []) {
        if (item.key) stack.push([item.key as CstLike, depth + 1]);
        if (item.value) stack.push([item.value as CstLike, depth + 1]);
      }
    }
  }
  return undefined;
}

function yamlMessage(message: string): string {
  const m = message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces';
    case 'TAG_RESOLVE_FAILED':
      return 'cachestack files use plain YAML values: remove the tag';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the quotes on this line';
    default:
      return undefined;
  }
}

/** Duplicate keys in every mapping, each with the place of its first occurrence. */
function duplicateKeys(doc: Document, file: string, out: Diagnostic[]): void {
  // One path stack for the whole walk; a path is formatted only for a duplicate.
  const path: Segment[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        const key = jsKeyOf(pair.key);
        if (key !== undefined) {
          const first = seen.get(key);
          const here = pair.key as Node | null;
          if (first && here?.range && first.range) {
            const at = formatPath([...path, key]);
            out.push(
              diag('yaml-duplicate-key', file, here.range[0], here.range[1], `key \`${key}\` appears twice in the same mapping; YAML would keep only the last value`, {
                path: at,
                hint: 'remove one of them, or merge their contents',
                related: [{ message: `first \`${key}\``, path: at, location: { file, start: first.range[0], end: first.range[1] } }],
              }),
            );
          } else if (here) seen.set(key, here);
          path.push(key);
          walk(pair.value);
          path.pop();
        } else walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i]);
        path.pop();
      }
    }
  };
  walk(doc.contents);
}

/** The alias whose resolution fails in `doc.toJS()` (run again with each alias instrumented). */
function failingAlias(doc: Document): Alias | undefined {
  let culprit: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      const original = node.toJSON;
      node.toJSON = function (this: Alias, arg?: unknown, ctx?: unknown) {
        try {
          return (original as (a?: unknown, c?: unknown) => unknown).call(this, arg, ctx);
        } catch (e) {
          culprit ??= node;
          throw e;
        }
      } as Alias['toJSON'];
    },
  });
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // expected: this run only finds the culprit
  }
  return culprit;
}

function isEmptyDocument(doc: Document): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && !c.source && !c.tag);
}

/** Text → document and value; `file` is the display path used in diagnostics. Never throws. */
export function parseSource(text: string, file: string): ParsedSource {
  const result: ParsedSource = { file, text, hasValue: false, diagnostics: [] };
  const out = result.diagnostics;
  try {
    const tokens = Array.from(new Parser().parse(text));
    const deep = tooDeep(tokens, MAX_NESTING_DEPTH);
    if (deep !== undefined) {
      out.push(diag('yaml-syntax', file, deep, deep + 1, `collections nest more than ${MAX_NESTING_DEPTH} levels deep here`, { hint: 'a cachestack config needs fewer than ten levels' }));
      return result;
    }
    const composer = new Composer(YAML_OPTIONS);
    const docs = Array.from(composer.compose(tokens)) as Document.Parsed[];
    // Only the first syntax error: the ones after it are mostly the parser losing its way.
    const syntax = (problems: readonly { code: string; message: string; pos: [number, number] }[]) => {
      const first = [...problems].sort((a, b) => a.pos[0] - b.pos[0])[0];
      if (!first) return;
      const end = Math.max(first.pos[0], Math.min(first.pos[1], text.length));
      out.push(diag('yaml-syntax', file, first.pos[0], end, yamlMessage(first.message), { hint: yamlHint(first.code) }));
    };
    if (docs.length === 0) {
      const info = composer.streamInfo();
      syntax([...info.errors, ...info.warnings]);
      if (!out.length) out.push(diag('file-empty', file, 0, 0, 'the file holds no YAML document (it is empty or only comments)', { hint: 'start with `version: 1`' }));
      return result;
    }
    syntax(docs.flatMap((d) => [...d.errors, ...d.warnings]));
    // A trailing `---` with nothing after it starts no second service.
    const written = docs.filter((d, i) => i === 0 || !isEmptyDocument(d));
    if (written.length > 1) {
      const start = written[1].range?.[0] ?? 0;
      const end = Math.min(text.length, start + 3);
      out.push(diag('yaml-multiple-documents', file, start, end, `the file holds ${written.length} YAML documents; a config file holds one service in one document`, {
        hint: 'put each service in a file of its own',
      }));
    }
    const doc = docs[0];
    result.doc = doc;
    if (out.some((d) => d.code === 'yaml-syntax')) return result;
    if (isEmptyDocument(doc)) {
      out.push(diag('file-empty', file, 0, 0, 'the file holds no YAML document (it is empty or only comments)', { hint: 'start with `version: 1`' }));
      return result;
    }
    duplicateKeys(doc, file, out);
    try {
      result.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      result.hasValue = true;
    } catch (err) {
      const alias = failingAlias(doc);
      const r = alias?.range ?? [0, 0];
      const message = err instanceof Error ? err.message : String(err);
      if (/excessive alias count/i.test(message)) {
        out.push(diag('yaml-alias-limit', file, r[0], r[1], `aliases expand to more than ${MAX_ALIAS_COUNT} copies of anchored content here`, {
          hint: 'write the values out, or use fewer nested aliases',
        }));
      } else {
        out.push(diag('yaml-syntax', file, r[0], r[1], yamlMessage(message)));
      }
    }
  } catch (err) {
    // The yaml library reports problems as errors, not exceptions; this is a last resort.
    out.push(diag('yaml-syntax', file, 0, 0, `the file cannot be parsed as YAML: ${yamlMessage(err instanceof Error ? err.message : String(err))}`));
  }
  return result;
}


// ---------------------------------------------------------------------------
// Locating (src/config/locate.ts as it was)



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
