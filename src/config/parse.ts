/**
 * Bytes → text → YAML document → JavaScript value, with file hygiene first.
 *
 * Limits (each a diagnostic, never an exception):
 * - a config file is a regular file (not a FIFO or a device: `file-not-regular`)
 *   and holds at most 4 MiB (`MAX_FILE_BYTES`): a service's config is a few
 *   kilobytes, and 5,000 cached endpoints with as many resolvers (about 1.5 MiB)
 *   stay well below it; no more than the limit plus one byte is ever read;
 * - it is UTF-8 (a byte-order mark is allowed and dropped);
 * - collections nest at most 64 levels deep (`MAX_NESTING_DEPTH`): the parser
 *   stops at the first collection that is deeper, before building anything;
 * - anchors and aliases expand to at most 100 copies (`MAX_ALIAS_COUNT`, counted
 *   as the `yaml` package's `maxAliasCount` counts them), so an alias bomb is
 *   refused at once;
 * - one document per file.
 *
 * The parser is js-yaml's event parser, through src/config/yaml-tree.ts, which
 * builds the positioned nodes and the value from the same events. Until issue 16
 * cachestack parsed with the `yaml` package; test/config/yaml-parity.test.ts
 * checks values, places and diagnostics against that loader over every fixture
 * and the fuzz corpus. js-yaml is pinned exactly: the node ranges are derived
 * from its event offsets.
 *
 * Offsets in diagnostics are character offsets into the decoded text (after the
 * byte-order mark), the same text the loader hands to the output formatters.
 */
import type { Diagnostic, RuleCode } from './diagnostics';
import { formatPath } from './diagnostics';
import { readBounded } from './files';
import { jsKeyOf, type Segment } from './locate';
import { AliasLimitError, UnresolvedAliasError, isMap, isScalar, isSeq, parseYaml, toJS, type YamlDocument, type YamlNode, type YamlProblem } from './yaml-tree';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_NESTING_DEPTH = 64;
export const MAX_ALIAS_COUNT = 100;

function diag(code: RuleCode, file: string, start: number, end: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', message, path: '', location: { file, start, end }, ...extra };
}

// ---------------------------------------------------------------------------
// Reading and decoding

export interface SourceText {
  /** The decoded text; `''` when the file could not be read or is too large. */
  text: string;
  /** False when the text must not be parsed (a diagnostic says why). */
  ok: boolean;
  diagnostics: Diagnostic[];
}

/** Offset of the first byte that breaks UTF-8, or -1 when all are valid. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    if (i + need >= n) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** Bytes → text; `file` is the display path used in diagnostics. */
export function decodeSource(bytes: Uint8Array, file: string): SourceText {
  if (bytes.length > MAX_FILE_BYTES) return tooLarge(bytes.length, file);
  try {
    return { text: strictDecoder.decode(bytes), ok: true, diagnostics: [] };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8Byte(bytes));
    const at = lenientDecoder.decode(bytes.subarray(0, bad)).length;
    const text = lenientDecoder.decode(bytes);
    const hex = `0x${bytes[bad]?.toString(16).toUpperCase().padStart(2, '0') ?? '??'}`;
    return {
      text,
      ok: false,
      diagnostics: [
        diag('file-not-utf8', file, at, Math.min(at + 1, text.length), `byte ${hex} at byte offset ${bad} is not valid UTF-8`, {
          hint: 'save the file as UTF-8',
        }),
      ],
    };
  }
}

function tooLarge(size: number, file: string): SourceText {
  const message = `the file is ${formatSize(size)}; a config file may hold at most ${formatSize(MAX_FILE_BYTES)}`;
  return { text: '', ok: false, diagnostics: [diag('file-too-large', file, 0, 0, message, { hint: 'keep one service per file; a service needs far less' })] };
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/**
 * Reads and decodes a config file; never throws. Reads through `readBounded`: a
 * FIFO, a device or a socket is refused without blocking (`file-not-regular`),
 * and at most `MAX_FILE_BYTES + 1` bytes are ever read.
 */
export function readSource(absPath: string, file: string): SourceText {
  const read = readBounded(absPath, MAX_FILE_BYTES);
  if (read.ok) return decodeSource(read.bytes, file);
  if (read.kind === 'too-large') return tooLarge(read.size ?? MAX_FILE_BYTES + 1, file);
  if (read.kind === 'not-regular') {
    return {
      text: '',
      ok: false,
      diagnostics: [
        diag('file-not-regular', file, 0, 0, `the config file is ${read.detail}, not a regular file; it is not read`, {
          hint: 'name a YAML file (a FIFO or a device would block or never end)',
        }),
      ],
    };
  }
  return { text: '', ok: false, diagnostics: [diag('file-unreadable', file, 0, 0, `cannot read the file: ${read.detail}`)] };
}

// ---------------------------------------------------------------------------
// Parsing

export interface ParsedSource {
  file: string;
  text: string;
  /** The (first) document, when the text is well-formed YAML. */
  doc?: YamlDocument;
  /** The document's JavaScript value; `undefined` when the document cannot be checked further. */
  value?: unknown;
  /** True when `value` holds the document's value (which may itself be `null`). */
  hasValue: boolean;
  diagnostics: Diagnostic[];
}

function yamlMessage(message: string): string {
  const m = message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

function yamlHint(code: YamlProblem['code']): string | undefined {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces';
    case 'TAG_RESOLVE_FAILED':
      return 'cachestack files use plain YAML values: remove the tag';
    case 'BAD_INDENT':
      return 'check the indentation and the quotes on this line';
    default:
      return undefined;
  }
}

/** Duplicate keys in every mapping, each with the place of its first occurrence. */
function duplicateKeys(doc: YamlDocument, file: string, out: Diagnostic[]): void {
  // One path stack for the whole walk; a path is formatted only for a duplicate.
  const path: Segment[] = [];
  const walk = (node: YamlNode | null): void => {
    if (isMap(node)) {
      const seen = new Map<string, YamlNode>();
      for (const pair of node.items) {
        const key = jsKeyOf(pair.key);
        if (key !== undefined) {
          const first = seen.get(key);
          const here = pair.key;
          if (first && here) {
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

function multipleDocumentsAt(text: string, file: string, out: Diagnostic[], count: number, start: number): void {
  const end = Math.min(text.length, start + 3);
  out.push(diag('yaml-multiple-documents', file, start, end, `the file holds ${count} YAML documents; a config file holds one service in one document`, {
    hint: 'put each service in a file of its own',
  }));
}

/**
 * Documents of a text that is not well-formed (the parser stops at the first
 * error): counted at their `---` markers, a document being written when it holds
 * more than comments, blank lines and `...`.
 */
function multipleDocuments(text: string, file: string, out: Diagnostic[]): void {
  const markers: number[] = [];
  for (const m of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) markers.push(m.index ?? 0);
  const written = (from: number, to: number) =>
    text
      .slice(from, to)
      .split('\n')
      .some((line) => !/^\s*(#.*)?$/.test(line) && !/^\.\.\.(\s.*)?$/.test(line));
  const starts = markers.length && markers[0] === 0 ? markers : [0, ...markers];
  const docs = starts.filter((s, i) => i === 0 || written(s + 3, starts[i + 1] ?? text.length));
  if (docs.length > 1) multipleDocumentsAt(text, file, out, docs.length, docs[1]);
}

function isEmptyDocument(doc: YamlDocument): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && !c.source && !c.tag);
}

/** Text → document and value; `file` is the display path used in diagnostics. Never throws. */
export function parseSource(text: string, file: string): ParsedSource {
  const result: ParsedSource = { file, text, hasValue: false, diagnostics: [] };
  const out = result.diagnostics;
  try {
    const stream = parseYaml(text, { maxDepth: MAX_NESTING_DEPTH });
    const syntax = (p: YamlProblem) => {
      const end = Math.max(p.start, Math.min(p.end, text.length));
      if (p.code === 'TOO_DEEP') {
        out.push(diag('yaml-syntax', file, p.start, end, `collections nest more than ${MAX_NESTING_DEPTH} levels deep here`, { hint: 'a cachestack config needs fewer than ten levels' }));
      } else out.push(diag('yaml-syntax', file, p.start, end, yamlMessage(p.message), { hint: yamlHint(p.code) }));
    };
    if (stream.error) {
      syntax(stream.error);
      // Too deep is refused before anything else is looked at.
      if (stream.error.code !== 'TOO_DEEP') multipleDocuments(text, file, out);
      return result;
    }
    const docs = stream.documents;
    if (docs.length === 0) {
      out.push(diag('file-empty', file, 0, 0, 'the file holds no YAML document (it is empty or only comments)', { hint: 'start with `version: 1`' }));
      return result;
    }
    // Only the first problem: the ones after it are mostly consequences.
    const first = docs.flatMap((d) => d.errors).sort((a, b) => a.start - b.start)[0];
    if (first) syntax(first);
    // A trailing `---` with nothing after it starts no second service.
    const written = docs.filter((d, i) => i === 0 || !isEmptyDocument(d));
    if (written.length > 1) multipleDocumentsAt(text, file, out, written.length, written[1].start);
    const doc = docs[0];
    result.doc = doc;
    if (out.some((d) => d.code === 'yaml-syntax')) return result;
    if (isEmptyDocument(doc)) {
      out.push(diag('file-empty', file, 0, 0, 'the file holds no YAML document (it is empty or only comments)', { hint: 'start with `version: 1`' }));
      return result;
    }
    duplicateKeys(doc, file, out);
    try {
      result.value = toJS(doc, MAX_ALIAS_COUNT);
      result.hasValue = true;
    } catch (err) {
      if (err instanceof UnresolvedAliasError) {
        const r = err.alias.range;
        out.push(diag('yaml-syntax', file, r[0], r[1], err.message));
        return result;
      }
      if (!(err instanceof AliasLimitError)) throw err;
      const r = err.alias.range;
      out.push(diag('yaml-alias-limit', file, r[0], r[1], `aliases expand to more than ${MAX_ALIAS_COUNT} copies of anchored content here`, {
        hint: 'write the values out, or use fewer nested aliases',
      }));
    }
  } catch (err) {
    // The parser reports problems as values, not exceptions; this is a last resort.
    out.push(diag('yaml-syntax', file, 0, 0, `the file cannot be parsed as YAML: ${yamlMessage(err instanceof Error ? err.message : String(err))}`));
  }
  return result;
}
