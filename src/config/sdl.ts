/**
 * What the GraphQL rules know of a schema file: the problems graphql-js finds in
 * it, or, when it is valid, a plain-data summary of its types (names, kinds,
 * fields, field arguments, type references as SDL text such as `[ID!]!`) and root
 * operation types. Rules read the summary through `SchemaView`, never graphql-js
 * objects, so that the analysis can be kept on disk and read back as JSON.
 *
 * `analyzeMemo(text)` answers, in order: from this process's memo; from the
 * analysis cache on disk (`sdl-cache.ts`: keyed by the SHA-256 of the text and of
 * everything else the result depends on); else by analysing the text
 * (`sdl-analysis.ts`, which loads graphql-js) and storing the result. graphql-js
 * is required only then: on a cache hit it is never loaded, which is most of
 * what the GraphQL rules cost a `validate` run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachestackVersion } from '../cli/version';
import { readEntry, sdlCacheDir, sdlCacheKey, writeEntry } from './sdl-cache';

/** A problem found in the SDL text, with offsets into it when graphql-js knows them. */
export interface SdlProblem {
  kind: 'syntax' | 'invalid';
  message: string;
  hint?: string;
  start?: number;
  end?: number;
}

/** An argument of a field: its name and type reference (`ID!`, `[String]`, `UserInput`). */
export interface SdlArgument {
  name: string;
  type: string;
}

/** A field of an object or input type (input fields have no `args`). */
export interface SdlField {
  name: string;
  type: string;
  args?: SdlArgument[];
}

/** A named type of the schema; `fields` only for object and input object types, in schema order. */
export interface SdlType {
  name: string;
  kind: 'object' | 'input' | 'other';
  fields?: SdlField[];
}

/** Every named type of a valid schema (graphql-js's type map order, introspection types included) and its root types. */
export interface SdlSummary {
  types: SdlType[];
  query?: string;
  mutation?: string;
  subscription?: string;
}

/** What analysing SDL text gives: plain JSON data. */
export type SdlAnalysis = { ok: true; summary: SdlSummary } | { ok: false; problems: SdlProblem[] };

/** What the rules get: a valid schema's view, or the problems. */
export type SdlResult = { ok: true; schema: SchemaView } | { ok: false; problems: SdlProblem[] };

/**
 * Bumped whenever `SdlAnalysis` or what `sdl-analysis.ts` puts into it changes
 * meaning, so that entries written by another build are never read as this one's.
 */
export const SDL_ANALYSIS_FORMAT = 1;

/** A type reference without its outer non-null marker: `[ID!]!` → `[ID!]`, `ID!` → `ID`. */
export function withoutNonNull(ref: string): string {
  return ref.endsWith('!') ? ref.slice(0, -1) : ref;
}

/** Whether a type reference (outer non-null removed) is a list. */
export function isListRef(ref: string): boolean {
  return ref.startsWith('[');
}

/** Lookups over a summary, built once per analysed text. */
export class SchemaView {
  private readonly byName = new Map<string, SdlType>();
  private readonly fieldsOf = new Map<SdlType, Map<string, SdlField>>();

  constructor(readonly summary: SdlSummary) {
    for (const t of summary.types) if (!this.byName.has(t.name)) this.byName.set(t.name, t);
  }

  get queryType(): string | undefined {
    return this.summary.query;
  }

  get mutationType(): string | undefined {
    return this.summary.mutation;
  }

  /** The root operation types the schema has, query first. */
  rootTypeNames(): string[] {
    return [this.summary.query, this.summary.mutation, this.summary.subscription].filter((n): n is string => n !== undefined);
  }

  /** Any named type (scalars, enums, introspection types included). */
  type(name: string): SdlType | undefined {
    return this.byName.get(name);
  }

  objectType(name: string): SdlType | undefined {
    const t = this.byName.get(name);
    return t?.kind === 'object' ? t : undefined;
  }

  inputType(name: string): SdlType | undefined {
    const t = this.byName.get(name);
    return t?.kind === 'input' ? t : undefined;
  }

  /** The names of the object types a resolver can attach to (introspection types left out), in schema order. */
  objectTypeNames(): string[] {
    return this.summary.types.filter((t) => t.kind === 'object' && !t.name.startsWith('__')).map((t) => t.name);
  }

  /** A field of an object or input type, by name (never an inherited property). */
  field(type: SdlType, name: string): SdlField | undefined {
    let fields = this.fieldsOf.get(type);
    if (!fields) {
      fields = new Map();
      for (const f of type.fields ?? []) if (!fields.has(f.name)) fields.set(f.name, f);
      this.fieldsOf.set(type, fields);
    }
    return fields.get(name);
  }

  fieldNames(type: SdlType): string[] {
    return (type.fields ?? []).map((f) => f.name);
  }
}

// ---------------------------------------------------------------------------
// Shape checks for what the disk cache hands back: anything else is ignored.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isOffset = (v: unknown, max: number): boolean => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max);
const optionalString = (v: unknown): boolean => v === undefined || isString(v);

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(o).every((k) => allowed.includes(k));
}

function isArgument(v: unknown): boolean {
  return isObject(v) && onlyKeys(v, ['name', 'type']) && isString(v.name) && isString(v.type);
}

function isField(v: unknown): boolean {
  return (
    isObject(v) &&
    onlyKeys(v, ['name', 'type', 'args']) &&
    isString(v.name) &&
    isString(v.type) &&
    (v.args === undefined || (Array.isArray(v.args) && v.args.every(isArgument)))
  );
}

function isType(v: unknown): boolean {
  return (
    isObject(v) &&
    onlyKeys(v, ['name', 'kind', 'fields']) &&
    isString(v.name) &&
    (v.kind === 'object' || v.kind === 'input' || v.kind === 'other') &&
    (v.fields === undefined || (Array.isArray(v.fields) && v.fields.every(isField)))
  );
}

function isProblem(v: unknown, textLength: number): boolean {
  return (
    isObject(v) &&
    onlyKeys(v, ['kind', 'message', 'hint', 'start', 'end']) &&
    (v.kind === 'syntax' || v.kind === 'invalid') &&
    isString(v.message) &&
    optionalString(v.hint) &&
    isOffset(v.start, textLength) &&
    isOffset(v.end, textLength)
  );
}

/** Whether `v` has the shape of an analysis of a text of `textLength` characters. */
export function isSdlAnalysis(v: unknown, textLength: number): v is SdlAnalysis {
  if (!isObject(v)) return false;
  if (v.ok === true) {
    const s = v.summary;
    return (
      onlyKeys(v, ['ok', 'summary']) &&
      isObject(s) &&
      onlyKeys(s, ['types', 'query', 'mutation', 'subscription']) &&
      Array.isArray(s.types) &&
      s.types.every(isType) &&
      optionalString(s.query) &&
      optionalString(s.mutation) &&
      optionalString(s.subscription)
    );
  }
  return v.ok === false && onlyKeys(v, ['ok', 'problems']) && Array.isArray(v.problems) && v.problems.length > 0 && v.problems.every((p) => isProblem(p, textLength));
}

// ---------------------------------------------------------------------------
// Analysis: memo, disk cache, graphql-js.

/** The analysis itself, loading graphql-js on first use. */
function analyzeNow(text: string): SdlAnalysis {
  // Required here, not imported at the top: a cache hit never loads graphql-js.
  const { analyzeSdl } = require('./sdl-analysis') as typeof import('./sdl-analysis');
  return analyzeSdl(text);
}

let fingerprint: string | null | undefined;

/**
 * What the result depends on besides the text: this format, cachestack's and
 * graphql-js's versions, and the analysing module's own source (so a changed
 * checkout never reads entries of the code before it, whatever the version
 * says). `null` when one of them cannot be read: then nothing is cached.
 */
function analysisFingerprint(): string | null {
  if (fingerprint !== undefined) return fingerprint;
  try {
    const graphqlVersion = (require('graphql/version') as { version: string }).version;
    let analyzer = '';
    try {
      analyzer = fs.readFileSync(path.join(__dirname, `sdl-analysis${path.extname(__filename)}`), 'utf8');
    } catch {
      // A bundled build has no separate module: the versions and the format stand for it.
    }
    fingerprint = JSON.stringify({ format: SDL_ANALYSIS_FORMAT, cachestack: cachestackVersion(), graphql: graphqlVersion, analyzer });
  } catch {
    fingerprint = null;
  }
  return fingerprint;
}

/**
 * The analysis of `text`: read from the disk cache when it holds a valid entry
 * for it, else computed and stored. Never throws for a cache problem (missing,
 * unwritable or read-only directory, a corrupt, truncated or foreign entry): it
 * then computes. `env` and `cwd` choose the directory (see `sdlCacheDir`).
 */
export function analyzeCached(text: string, env: NodeJS.ProcessEnv = process.env, cwd?: string): SdlAnalysis {
  const dir = sdlCacheDir(env, cwd);
  const fp = dir === undefined ? null : analysisFingerprint();
  if (dir === undefined || fp === null) return analyzeNow(text);
  const key = sdlCacheKey(fp, text);
  const hit = readEntry(dir, key, (v): v is SdlAnalysis => isSdlAnalysis(v, text.length));
  if (hit !== undefined) return hit;
  const result = analyzeNow(text);
  writeEntry(dir, key, result);
  return result;
}

/** Small memo: one schema text is analysed (or read) once per process, whichever rules and environments use it. */
const memo = new Map<string, SdlResult>();

/**
 * The analysis of a schema file's text, for the rules. The file's name is not
 * part of it: graphql-js's messages do not include it, and offsets are into the
 * text, so the rules add the name themselves.
 */
export function analyzeMemo(text: string): SdlResult {
  let r = memo.get(text);
  if (!r) {
    const a = analyzeCached(text);
    r = a.ok ? { ok: true, schema: new SchemaView(a.summary) } : a;
    if (memo.size >= 16) memo.delete(memo.keys().next().value as string);
    memo.set(text, r);
  }
  return r;
}

/** Forgets what this process analysed (for tests that change the cache settings between runs). */
export function clearSdlMemo(): void {
  memo.clear();
}
