/**
 * The generated parts of docs/config.md: one field table per section of the
 * published JSON Schema (type, default, allowed values, description) and the
 * table of rule codes. Hand-written prose sits around them; the generated parts
 * sit between markers:
 *
 *   <!-- BEGIN GENERATED: fields.handlers -->
 *   ...
 *   <!-- END GENERATED: fields.handlers -->
 *
 * Pure functions of the schema and the code list: the same input gives the same text.
 */

type JsonSchema = Record<string, any>;

export interface CodeDoc {
  code: string;
  severity: 'error' | 'warning';
  description: string;
  /** Rule number in the config language contract, when the code implements one. */
  specRule?: number;
}

/** Sections of the top level that get a table of their own; the rest go into `fields.top`. */
const OWN_TABLE = new Set(['backend', 'auth', 'network', 'handlers', 'restApi', 'graphqlApi', 'redis', 'dax', 'warmer', 'cdn', 'alarms', 'environments']);

/** Name of the generated part that holds a top-level key's fields. */
export function sectionOf(key: string): string {
  return OWN_TABLE.has(key) ? `fields.${key}` : 'fields.top';
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function literal(value: unknown): string {
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

function isObject(s: JsonSchema): boolean {
  return s.type === 'object' && s.properties !== undefined;
}

function mapValue(s: JsonSchema): { keyPattern: string; value: JsonSchema } | undefined {
  if (s.type !== 'object' || !s.patternProperties) return undefined;
  const [[keyPattern, value]] = Object.entries(s.patternProperties as Record<string, JsonSchema>);
  return { keyPattern, value };
}

/** The object branch of a `false | object` union. */
function unionObject(s: JsonSchema): JsonSchema | undefined {
  return Array.isArray(s.anyOf) ? (s.anyOf as JsonSchema[]).find((b) => isObject(b)) : undefined;
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return literal(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map((b) => (b.const !== undefined ? literal(b.const) : typeOf(b))).join(' or ');
  if (s.$ref === '#/definitions/overlay') return 'overlay';
  const map = mapValue(s);
  if (map) return `map of ${typeOf(map.value)}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  if (s.type === 'array') return `list of ${typeOf(s.items ?? {})}`;
  if (typeof s.type === 'string') return s.type;
  return 'any';
}

/** `1 to 63 characters`, `at least 1 item`, `0 to 3600`. */
function range(min: number | undefined, max: number | undefined, unit = ''): string | undefined {
  const of = (n: number) => (unit ? ` ${unit}${n === 1 ? '' : 's'}` : '');
  if (min !== undefined && max !== undefined) return `${min} to ${max}${of(max)}`;
  if (min !== undefined) return `at least ${min}${of(min)}`;
  if (max !== undefined) return `at most ${max}${of(max)}`;
  return undefined;
}

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  if (Array.isArray(s.enum)) out.push((s.enum as unknown[]).map(literal).join(', '));
  const numeric = range(s.minimum, s.maximum);
  if (numeric && (s.type === 'integer' || s.type === 'number')) out.push(numeric);
  const length = range(s.minLength, s.maxLength, 'character');
  if (length) out.push(length);
  if (typeof s.pattern === 'string') out.push(`pattern ${code(s.pattern)}`);
  return out;
}

function allowed(s: JsonSchema): string {
  const out = constraints(s);
  const map = mapValue(s);
  if (map) out.push(`keys: pattern ${code(map.keyPattern)}`);
  if (s.propertyNames?.pattern) out.push(`keys: pattern ${code(s.propertyNames.pattern)}`);
  if (s.type === 'array') {
    const items = range(s.minItems, s.maxItems, 'item');
    if (items) out.push(items);
    if (s.uniqueItems) out.push('no duplicates');
    const each = constraints(s.items ?? {});
    if (each.length > 0) out.push(`each: ${each.join('; ')}`);
  }
  return out.join('; ');
}

function defaultOf(s: JsonSchema, required: boolean): string {
  if (required) return 'required';
  if (s.default !== undefined) return literal(s.default);
  return '';
}

interface Row {
  path: string;
  type: string;
  default: string;
  allowed: string;
  description: string;
}

function rows(s: JsonSchema, path: string, required: boolean, out: Row[]): void {
  out.push({ path, type: typeOf(s), default: defaultOf(s, required), allowed: allowed(s), description: s.description ?? '' });
  const object = isObject(s) ? s : unionObject(s);
  if (object) {
    const req = new Set<string>(object.required ?? []);
    for (const [key, child] of Object.entries(object.properties as Record<string, JsonSchema>)) rows(child, `${path}.${key}`, req.has(key), out);
    return;
  }
  const map = mapValue(s);
  if (map) {
    if (isObject(map.value)) {
      const placeholder = path === 'handlers' || path === 'redis' || path === 'dax' || path.endsWith('.handlers') ? '<name>' : '<key>';
      const req = new Set<string>(map.value.required ?? []);
      for (const [key, child] of Object.entries(map.value.properties as Record<string, JsonSchema>)) rows(child, `${path}.${placeholder}.${key}`, req.has(key), out);
    }
    return;
  }
  if (s.type === 'array' && s.items && isObject(s.items)) {
    const req = new Set<string>(s.items.required ?? []);
    for (const [key, child] of Object.entries(s.items.properties as Record<string, JsonSchema>)) rows(child, `${path}[].${key}`, req.has(key), out);
  }
}

function table(list: Row[]): string {
  const lines = ['| Field | Type | Default | Allowed | Description |', '| --- | --- | --- | --- | --- |'];
  for (const r of list) lines.push(`| ${code(r.path)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.allowed)} | ${cell(r.description)} |`);
  return lines.join('\n');
}

/** Field tables by generated-part name (`fields.top`, `fields.handlers` ...), in schema order. */
export function fieldTables(schema: JsonSchema): Map<string, string> {
  const bySection = new Map<string, Row[]>();
  const required = new Set<string>(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    const list: Row[] = [];
    rows(child, key, required.has(key), list);
    const section = sectionOf(key);
    bySection.set(section, [...(bySection.get(section) ?? []), ...list]);
  }
  return new Map([...bySection].map(([name, list]) => [name, table(list)]));
}

/** The table of rule codes. */
export function codeTable(codes: readonly CodeDoc[]): string {
  const lines = ['| Code | Severity | Spec rule | What it reports |', '| --- | --- | --- | --- |'];
  for (const c of codes) lines.push(`| ${code(c.code)} | ${c.severity} | ${c.specRule ?? ''} | ${cell(c.description)} |`);
  return lines.join('\n');
}

/** The alarm table: one row per standard alarm kind. */
export function alarmTable(kinds: readonly { kind: string; what: string; metric: string; statistic: string; period: string; threshold: string; dimensions: string; missingData: string }[]): string {
  const lines = ['| Kind | Watches | Metric | Statistic | Period | Default threshold | Dimensions | Missing data |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const k of kinds) lines.push(`| ${code(k.kind)} | ${cell(k.what)} | ${cell(k.metric)} | ${cell(k.statistic)} | ${cell(k.period)} | ${cell(k.threshold)} | ${cell(k.dimensions)} | ${code(k.missingData)} |`);
  return lines.join('\n');
}

/** The command table: usage and summary of every registered command, in registry order. */
export function commandTable(commands: readonly { usage: string; summary: string }[]): string {
  const lines = ['| Command | What it does |', '| --- | --- |'];
  for (const c of commands) lines.push(`| ${cell(code(c.usage))} | ${cell(c.summary)} |`);
  return lines.join('\n');
}

const MARKER = /<!-- (BEGIN|END) GENERATED: ([A-Za-z0-9_.-]+) -->/g;

/**
 * Replaces the text between each pair of markers with its part. Throws when a
 * marker has no part, a part has no marker, or markers do not pair up: a doc
 * that silently lost a table would pass the staleness test.
 */
export function updateGenerated(doc: string, parts: ReadonlyMap<string, string>): string {
  const found: { kind: string; name: string; start: number; end: number }[] = [];
  for (const m of doc.matchAll(MARKER)) found.push({ kind: m[1], name: m[2], start: m.index!, end: m.index! + m[0].length });
  let out = '';
  let cursor = 0;
  const done = new Set<string>();
  for (let i = 0; i < found.length; i += 2) {
    const begin = found[i];
    const end = found[i + 1];
    if (begin.kind !== 'BEGIN' || !end || end.kind !== 'END' || end.name !== begin.name) {
      throw new Error(`generated markers do not pair up at \`${begin.kind} GENERATED: ${begin.name}\``);
    }
    const part = parts.get(begin.name);
    if (part === undefined) throw new Error(`no generated part is called \`${begin.name}\`; known: ${[...parts.keys()].join(', ')}`);
    if (done.has(begin.name)) throw new Error(`generated part \`${begin.name}\` appears twice`);
    done.add(begin.name);
    out += `${doc.slice(cursor, begin.end)}\n${part}\n`;
    cursor = end.start;
  }
  const missing = [...parts.keys()].filter((name) => !done.has(name));
  if (missing.length > 0) throw new Error(`the doc has no markers for ${missing.map((n) => `\`${n}\``).join(', ')}`);
  return out + doc.slice(cursor);
}
