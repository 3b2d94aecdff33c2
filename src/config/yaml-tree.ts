/**
 * The YAML front end: text → documents of positioned nodes → JavaScript values.
 *
 * One parser reads every config file: js-yaml 5's event parser (`parseEvents`),
 * which reports each scalar, mapping, sequence and alias with offsets into the
 * text. This module builds a small tree from those events (the nodes the rest of
 * cachestack needs to point diagnostics at a line and column) and turns it into
 * the document's value itself, so that the value and the positions always come
 * from the same parse.
 *
 * What the tree keeps, in the shape the loader relied on before (the `yaml`
 * package's documents, which cachestack used until issue 16; the parity test in
 * test/config/yaml-parity.test.ts checks both agree on every fixture and fuzz
 * variant):
 * - `range: [start, valueEnd, nodeEnd]`: `start` is where the value begins (the
 *   opening quote of a quoted scalar, the `|`/`>` of a block scalar, the `*` of an
 *   alias, the first key of a block mapping; anchors and tags come before it),
 *   `valueEnd` where it ends, and `nodeEnd` after the comment and line break that
 *   follow it. A block collection ends where its last item's node ends.
 * - scalars resolved by the YAML 1.2 core schema, whatever a `%YAML` directive
 *   says: `null`/`~`/empty, `true`/`false` in three spellings, decimal, `0o` and
 *   `0x` integers, floats with `.inf` and `.nan`; everything else is a string.
 *   Quoted and block scalars are strings. No `<<` merge keys, no timestamps.
 * - explicit tags of that schema (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`,
 *   `!!map`, `!!seq`, and the non-specific `!`); any other tag is an error.
 * - aliases expand to the value of the last node before them carrying the anchor;
 *   the expansion is bounded like the `yaml` package's `maxAliasCount`.
 */
import { parseEvents, getScalarValue, YAMLException } from 'js-yaml';

export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlAlias;

export type Range = [number, number, number];

export interface YamlScalar {
  kind: 'scalar';
  range: Range;
  value: unknown;
  /** The decoded text of the scalar (before resolution). */
  source: string;
  anchor?: string;
  tag?: string;
}

export interface YamlPair {
  key: YamlNode | null;
  value: YamlNode | null;
}

export interface YamlMap {
  kind: 'map';
  range: Range;
  items: YamlPair[];
  flow: boolean;
  anchor?: string;
  tag?: string;
}

export interface YamlSeq {
  kind: 'seq';
  range: Range;
  items: YamlNode[];
  flow: boolean;
  anchor?: string;
  tag?: string;
}

export interface YamlAlias {
  kind: 'alias';
  range: Range;
  /** The anchor name it refers to. */
  source: string;
  /** The node it stands for: the last node before it carrying the anchor (undefined when there is none). */
  target?: YamlNode;
}

export interface YamlDocument {
  /** Where the document starts: its `---` marker when it has one, else its first node. */
  start: number;
  contents: YamlNode | null;
  /** Problems found in the document's nodes (unknown tags, unresolved aliases), in text order. */
  errors: YamlProblem[];
}

export interface YamlProblem {
  code: 'SYNTAX' | 'TAG_RESOLVE_FAILED' | 'TOO_DEEP' | 'TAB_AS_INDENT' | 'BAD_INDENT';
  message: string;
  start: number;
  end: number;
}

export interface YamlStream {
  documents: YamlDocument[];
  /** The first syntax error of the text, when it is not well-formed YAML. */
  error?: YamlProblem;
}

export const isMap = (n: unknown): n is YamlMap => (n as YamlNode | null)?.kind === 'map';
export const isSeq = (n: unknown): n is YamlSeq => (n as YamlNode | null)?.kind === 'seq';
export const isScalar = (n: unknown): n is YamlScalar => (n as YamlNode | null)?.kind === 'scalar';
export const isAlias = (n: unknown): n is YamlAlias => (n as YamlNode | null)?.kind === 'alias';

// ---------------------------------------------------------------------------
// Events → tree

const EV_DOCUMENT = 1;
const EV_SEQUENCE = 2;
const EV_MAPPING = 3;
const EV_SCALAR = 4;
const EV_ALIAS = 5;
const EV_POP = 6;

const STYLE_PLAIN = 1;
const STYLE_SINGLE = 2;
const STYLE_DOUBLE = 3;

interface Ev {
  type: number;
  start?: number;
  valueStart?: number;
  valueEnd?: number;
  anchorStart?: number;
  anchorEnd?: number;
  tagStart?: number;
  tagEnd?: number;
  style?: number;
  explicitStart?: boolean;
}

const CORE_TAGS: Record<string, string> = {
  '!!str': 'str',
  '!!int': 'int',
  '!!float': 'float',
  '!!bool': 'bool',
  '!!null': 'null',
  '!!map': 'map',
  '!!seq': 'seq',
  '!': 'nonspecific',
  '!<tag:yaml.org,2002:str>': 'str',
  '!<tag:yaml.org,2002:int>': 'int',
  '!<tag:yaml.org,2002:float>': 'float',
  '!<tag:yaml.org,2002:bool>': 'bool',
  '!<tag:yaml.org,2002:null>': 'null',
  '!<tag:yaml.org,2002:map>': 'map',
  '!<tag:yaml.org,2002:seq>': 'seq',
};

/** After a node's value: spaces, a comment, and one line break. */
function nodeEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '#') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i > at && (i === text.length || text[i - 1] === '\n') ? i : at;
}

/** The offset of a block scalar's `|` or `>` indicator, on the line above its content. */
function blockHeader(text: string, valueStart: number, floor: number): number {
  let i = valueStart - 1;
  while (i >= floor) {
    const c = text[i];
    if (c === '|' || c === '>') {
      // The indicator starts the header: `|`, `|-`, `>2+`, followed by spaces or a comment.
      return i;
    }
    i--;
  }
  return valueStart;
}

/** The offset just after the `]` or `}` that closes a flow collection whose last content ends at `at`. */
function flowClose(text: string, at: number, close: string): number {
  let i = at;
  let inComment = false;
  while (i < text.length) {
    const c = text[i];
    if (inComment) {
      if (c === '\n') inComment = false;
    } else if (c === '#') inComment = true;
    else if (c === close) return i + 1;
    i++;
  }
  return at;
}

interface Frame {
  node: YamlMap | YamlSeq;
  /** A key waiting for its value (mappings only). */
  pendingKey?: YamlNode | null;
  hasPendingKey: boolean;
  /** Where the last content of the collection ended (for the end of flow collections). */
  lastEnd: number;
}

function problem(code: YamlProblem['code'], message: string, start: number, end: number): YamlProblem {
  return { code, message, start, end };
}

// The YAML 1.2 core schema's patterns, as the `yaml` package resolves them.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** An integer of the core schema, or undefined. */
function coreInt(source: string): number | undefined {
  if (INT_OCT.test(source)) return parseInt(source.slice(2), 8);
  if (INT_DEC.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.slice(2), 16);
  return undefined;
}

/** A float of the core schema, or undefined. */
function coreFloat(source: string): number | undefined {
  if (FLOAT_SPECIAL.test(source)) {
    if (source.slice(-3).toLowerCase() === 'nan') return NaN;
    return source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return undefined;
}

/** First characters of plain scalars that may resolve to something other than a string. */
const PLAIN_TYPED_START: boolean[] = [];
for (const ch of '~nNtTfF0123456789+-.') PLAIN_TYPED_START[ch.charCodeAt(0)] = true;

function resolvePlain(source: string): unknown {
  // Most plain scalars are names: text whose first character starts no null, bool or number.
  if (source.length && !PLAIN_TYPED_START[source.charCodeAt(0)]) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  return coreInt(source) ?? coreFloat(source) ?? source;
}

/** A scalar's value under an explicit core tag; `undefined` when the text does not fit the tag. */
function resolveTagged(tag: string, source: string): { value: unknown } | undefined {
  switch (tag) {
    case 'str':
      return { value: source };
    case 'null':
      return NULL.test(source) ? { value: null } : undefined;
    case 'bool':
      return BOOL.test(source) ? { value: source[0] === 't' || source[0] === 'T' } : undefined;
    case 'int': {
      const v = coreInt(source);
      return v === undefined ? undefined : { value: v };
    }
    case 'float': {
      const v = coreInt(source) ?? coreFloat(source);
      return v === undefined ? undefined : { value: v };
    }
    default:
      return undefined;
  }
}

export interface ParseOptions {
  /** Collections may nest this deep (the document's own top collection is level 1). */
  maxDepth: number;
}

/** Text → documents. Never throws: problems come back as `error` or per document. */
export function parseYaml(text: string, options: ParseOptions): YamlStream {
  let events: Ev[];
  try {
    events = parseEvents(text, { maxDepth: options.maxDepth }) as unknown as Ev[];
  } catch (err) {
    return { documents: [], error: syntaxProblem(text, err) };
  }
  const documents: YamlDocument[] = [];
  let doc: YamlDocument | undefined;
  const stack: Frame[] = [];
  const anchors = new Map<string, YamlNode>();

  const propsOf = (e: Ev, node: { anchor?: string; tag?: string }, errors: YamlProblem[]): string | undefined => {
    if (e.anchorStart !== undefined && e.anchorStart >= 0) node.anchor = text.slice(e.anchorStart, e.anchorEnd);
    if (e.tagStart !== undefined && e.tagStart >= 0) {
      const tag = text.slice(e.tagStart, e.tagEnd);
      node.tag = tag;
      const known = CORE_TAGS[tag];
      if (!known) {
        errors.push(problem('TAG_RESOLVE_FAILED', `unresolved tag: ${tag}`, e.tagStart, e.tagEnd ?? e.tagStart));
        return 'unknown';
      }
      return known;
    }
    return undefined;
  };

  const place = (node: YamlNode | null, end: number): void => {
    const frame = stack[stack.length - 1];
    if (!frame) {
      if (doc) doc.contents = node ?? null;
      return;
    }
    frame.lastEnd = Math.max(end, node ? node.range[2] : end);
    if (frame.node.kind === 'seq') {
      if (node) frame.node.items.push(node);
    }
    else if (!frame.hasPendingKey) {
      frame.pendingKey = node;
      frame.hasPendingKey = true;
    } else {
      frame.node.items.push({ key: frame.pendingKey ?? null, value: node });
      frame.pendingKey = undefined;
      frame.hasPendingKey = false;
    }
  };

  for (const e of events) {
    switch (e.type) {
      case EV_DOCUMENT: {
        anchors.clear();
        doc = { start: -1, contents: null, errors: [] };
        documents.push(doc);
        if (e.explicitStart) doc.start = -2; // found from the first node (the `---` before it)
        break;
      }
      case EV_SCALAR: {
        const d = doc!;
        const style = e.style ?? STYLE_PLAIN;
        let start = e.valueStart!;
        let end = e.valueEnd!;
        const empty = start < 0;
        if (empty) {
          // An empty value: placed after its indicator (`key:` or `- `) and the spaces after it.
          const frame = stack[stack.length - 1];
          const at = emptyAt(text, frame, Math.max(e.tagEnd ?? -1, e.anchorEnd ?? -1));
          if (at === undefined && frame) {
            // A key without `:` (`? key` or `{ key }`): the pair has no value node.
            place(null, frame.lastEnd);
            break;
          }
          start = end = at ?? 0;
        }
        if (style === STYLE_SINGLE || style === STYLE_DOUBLE) {
          start -= 1;
          end += 1;
        } else if (style !== STYLE_PLAIN) {
          start = blockHeader(text, e.valueStart!, Math.max(e.tagEnd ?? -1, e.anchorEnd ?? -1, 0));
        }
        const source = getScalarValue(text, e as never);
        const node: YamlScalar = { kind: 'scalar', range: [start, end, empty ? end : nodeEnd(text, end)], value: undefined, source };
        const tag = propsOf(e, node, d.errors);
        if (tag === undefined || tag === 'nonspecific') {
          node.value = style === STYLE_PLAIN && tag === undefined ? resolvePlain(source) : source;
        } else if (tag === 'map' || tag === 'seq') {
          d.errors.push(problem('TAG_RESOLVE_FAILED', `the tag ${node.tag} cannot be used on a scalar`, e.tagStart!, e.tagEnd!));
          node.value = source;
        } else if (tag === 'unknown') {
          node.value = source;
        } else {
          const r = resolveTagged(tag, source);
          if (r) node.value = r.value;
          else {
            d.errors.push(problem('TAG_RESOLVE_FAILED', `\`${source}\` is not a valid ${node.tag} value`, start, end));
            node.value = source;
          }
        }
        if (node.anchor !== undefined) anchors.set(node.anchor, node);
        if (d.start < 0) d.start = firstStart(text, d, Math.min(start, propStart(e)));
        place(node, end);
        break;
      }
      case EV_ALIAS: {
        const d = doc!;
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const start = e.anchorStart! - 1;
        const end = e.anchorEnd!;
        const node: YamlAlias = { kind: 'alias', range: [start, end, nodeEnd(text, end)], source: name, target: anchors.get(name) };
        if (d.start < 0) d.start = firstStart(text, d, start);
        place(node, end);
        break;
      }
      case EV_MAPPING:
      case EV_SEQUENCE: {
        const d = doc!;
        const flow = e.style === 2;
        const start = e.start!;
        const node: YamlMap | YamlSeq =
          e.type === EV_MAPPING ? { kind: 'map', range: [start, start, start], items: [], flow } : { kind: 'seq', range: [start, start, start], items: [], flow };
        const tag = propsOf(e, node, d.errors);
        if (tag !== undefined && tag !== 'unknown' && tag !== 'nonspecific' && tag !== node.kind) {
          d.errors.push(problem('TAG_RESOLVE_FAILED', `the tag ${node.tag} cannot be used on a ${node.kind === 'map' ? 'mapping' : 'sequence'}`, e.tagStart!, e.tagEnd!));
        }
        if (node.anchor !== undefined) anchors.set(node.anchor, node);
        if (d.start < 0) d.start = firstStart(text, d, Math.min(start, propStart(e)));
        stack.push({ node, hasPendingKey: false, lastEnd: start });
        break;
      }
      case EV_POP: {
        const frame = stack.pop();
        if (!frame) {
          // The end of a document.
          if (doc && doc.start < 0) doc.start = doc.start === -2 ? markerBefore(text, text.length) : 0;
          break;
        }
        const node = frame.node;
        if (node.kind === 'map' && frame.hasPendingKey) node.items.push({ key: frame.pendingKey ?? null, value: null });
        if (node.flow) {
          const end = flowClose(text, frame.lastEnd, node.kind === 'map' ? '}' : ']');
          node.range = [node.range[0], end, nodeEnd(text, end)];
        } else {
          const last = lastNode(node);
          if (last) last.range[2] = trailingComments(text, last, node.range[0]);
          const end = last ? last.range[2] : node.range[0];
          node.range = [node.range[0], end, end];
        }
        place(node, node.range[1]);
        break;
      }
      default:
        break;
    }
  }
  return { documents };
}

/** Where an empty scalar sits: after the `:` of its key or the `-` of its item, and the spaces after it (or after its props). */
function emptyAt(text: string, frame: Frame | undefined, propsEnd: number): number | undefined {
  const skip = (i: number): number => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    return i;
  };
  if (propsEnd >= 0) return skip(propsEnd);
  if (!frame) return 0;
  const node = frame.node;
  if (node.kind === 'map' && frame.hasPendingKey) {
    const next = afterSpace(text, frame.pendingKey ? frame.pendingKey.range[1] : frame.lastEnd);
    return text[next] === ':' ? skip(next + 1) : undefined;
  }
  if (node.kind !== 'seq' || node.flow) return frame.lastEnd;
  const from = node.items.length ? frame.lastEnd : node.range[0];
  const at = text.indexOf('-', from);
  return at < 0 ? from : skip(at + 1);
}

/** The first offset from `at` that is not a space, a line break or part of a comment. */
function afterSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else break;
  }
  return i;
}

function propStart(e: Ev): number {
  let s = Number.POSITIVE_INFINITY;
  if (e.anchorStart !== undefined && e.anchorStart >= 0) s = Math.min(s, e.anchorStart - 1);
  if (e.tagStart !== undefined && e.tagStart >= 0) s = Math.min(s, e.tagStart);
  return s;
}

/** The start of a document whose first node starts at `at`: its `---` marker, when it has one. */
function firstStart(text: string, d: YamlDocument, at: number): number {
  return d.start === -2 ? markerBefore(text, at) : at;
}

/** The `---` marker at the start of a line before `at`. */
function markerBefore(text: string, at: number): number {
  let i = Math.min(at, text.length);
  for (;;) {
    const found = text.lastIndexOf('---', i);
    if (found < 0) return at;
    if ((found === 0 || text[found - 1] === '\n') && found <= at) return found;
    i = found - 1;
    if (i < 0) return at;
  }
}

/**
 * The end of the last item of a block collection that starts at `start`, over the
 * comment lines after it that are indented deeper than the collection (and the
 * blank lines between them): they belong to the item, as in the `yaml` package's
 * ranges. An empty value also takes comments indented as deep as the collection.
 */
function trailingComments(text: string, last: YamlNode, start: number): number {
  const column = start - (text.lastIndexOf('\n', start - 1) + 1);
  const empty = last.kind === 'scalar' && last.range[0] === last.range[1];
  let end = last.range[2];
  let i = end;
  if (empty) {
    // From an empty value in the middle of its line: to the end of that line first.
    let j = i;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '#') while (j < text.length && text[j] !== '\n') j++;
    if (text[j] !== '\n') return end;
    i = j + 1;
  } else if (i > 0 && text[i - 1] !== '\n') return end;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] === ' ') j++;
    if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) {
      i = text.indexOf('\n', j) + 1;
      continue;
    }
    if (text[j] !== '#' || !(j - i > column || (empty && j - i >= column))) break;
    const eol = text.indexOf('\n', j);
    end = i = eol < 0 ? text.length : eol + 1;
  }
  return end;
}

function lastNode(node: YamlMap | YamlSeq): YamlNode | undefined {
  if (node.kind === 'seq') return node.items[node.items.length - 1];
  const pair = node.items[node.items.length - 1];
  if (!pair) return undefined;
  return pair.value ?? pair.key ?? undefined;
}

function syntaxProblem(text: string, err: unknown): YamlProblem {
  if (err instanceof YAMLException) {
    const at = Math.max(0, Math.min(err.mark?.position ?? 0, text.length));
    const reason = err.reason || err.message;
    let code: YamlProblem['code'] = 'SYNTAX';
    if (/depth/i.test(reason)) {
      // A flow collection is reported at its own bracket; a block one at the key whose
      // value it is: the collection that is too deep starts on a line below.
      if (text[at] !== '[' && text[at] !== '{') {
        const eol = text.indexOf('\n', at);
        const next = eol < 0 ? at : afterSpace(text, eol);
        if (next < text.length) return problem('TOO_DEEP', reason, next, next + 1);
      }
      code = 'TOO_DEEP';
    }
    else if (/tab/i.test(reason)) code = 'TAB_AS_INDENT';
    else if (/indent/i.test(reason)) code = 'BAD_INDENT';
    return problem(code, reason, at, Math.min(at + 1, text.length));
  }
  const message = err instanceof Error ? err.message : String(err);
  return problem('SYNTAX', message, 0, 0);
}

// ---------------------------------------------------------------------------
// Tree → JavaScript value

/** Thrown by `toJS` at the alias that crosses the expansion limit. */
export class AliasLimitError extends Error {
  constructor(readonly alias: YamlAlias) {
    super('excessive alias count');
  }
}

/** Thrown by `toJS` at an alias whose anchor no node before it carries. */
export class UnresolvedAliasError extends Error {
  constructor(readonly alias: YamlAlias) {
    super(`unresolved alias (the anchor must be set before the alias): ${alias.source}`);
  }
}

interface AnchorData {
  res: unknown;
  count: number;
  aliasCount: number;
}

/**
 * The document's value. Aliases stand for their target's value (the same object,
 * as the `yaml` package gives it); expanding more than `maxAliasCount` copies of
 * anchored content throws `AliasLimitError` naming the alias that crossed it.
 */
export function toJS(doc: YamlDocument, maxAliasCount: number): unknown {
  const anchors = new Map<YamlNode, AnchorData>();

  const aliasCount = (node: YamlNode | null): number => {
    if (!node) return 1;
    if (node.kind === 'alias') {
      const a = node.target && anchors.get(node.target);
      return a ? a.count * a.aliasCount : 0;
    }
    if (node.kind === 'map') {
      let count = 0;
      for (const p of node.items) count = Math.max(count, Math.max(aliasCount(p.key), aliasCount(p.value)));
      return count;
    }
    if (node.kind === 'seq') {
      let count = 0;
      for (const item of node.items) count = Math.max(count, aliasCount(item));
      return count;
    }
    return 1;
  };

  const value = (node: YamlNode | null): unknown => {
    if (!node) return null;
    if (node.kind === 'alias') {
      const target = node.target;
      if (!target) throw new UnresolvedAliasError(node);
      let data = anchors.get(target);
      if (!data) {
        value(target);
        data = anchors.get(target)!;
      }
      data.count += 1;
      if (data.aliasCount === 0) data.aliasCount = aliasCount(target);
      if (data.count * data.aliasCount > maxAliasCount) throw new AliasLimitError(node);
      return data.res;
    }
    let data: AnchorData | undefined;
    if (node.anchor !== undefined) {
      data = { res: undefined, count: 1, aliasCount: 0 };
      anchors.set(node, data);
    }
    if (node.kind === 'scalar') {
      if (data) data.res = node.value;
      return node.value;
    }
    if (node.kind === 'seq') {
      const out: unknown[] = [];
      if (data) data.res = out;
      for (const item of node.items) out.push(value(item));
      return out;
    }
    const out: Record<string, unknown> = {};
    if (data) data.res = out;
    for (const pair of node.items) {
      const k = keyString(value(pair.key));
      const v = value(pair.value);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  };
  return value(doc.contents);
}

/** The property name a key becomes: scalars as text; a collection as its flow YAML. */
export function keyString(jsKey: unknown): string {
  if (jsKey === null || jsKey === undefined) return '';
  if (typeof jsKey !== 'object') return String(jsKey);
  return flowText(jsKey);
}

function flowText(v: unknown): string {
  if (Array.isArray(v)) return v.length ? `[ ${v.map(flowText).join(', ')} ]` : '[]';
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, x]) => `${k}: ${flowText(x)}`).join(', ')} }` : '{}';
  }
  return v === null ? 'null' : String(v);
}
