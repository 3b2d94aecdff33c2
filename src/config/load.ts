/**
 * The config front end in one call: files → diagnostics and resolved models.
 *
 * Per file: read (hygiene) → parse (YAML) → schema check (then prune what failed)
 * → per environment: merge the overlay, normalize, run the semantic rules. A file
 * yields models only when it has no errors. Every problem of a file is reported in
 * one run: the rules run on what passed the schema even when other parts failed.
 *
 * Synchronous and pure apart from reading files; never throws on bad input (a rule
 * that throws is a bug in cachestack and surfaces as an internal error).
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isScalar, type YamlDocument } from './yaml-tree';
import { compareDiagnostics, formatPath, type Diagnostic, type RelatedLocation, type SourceLocation } from './diagnostics';
import { baseOf, environmentNames, mergeOverlay, Provenance } from './environments';
import { findProjectRoot, outsideRoot, probeRegularFile, readBounded, type ProjectRoot, type ReadOutcome } from './files';
import { nodeAt, pointOf, rangeOf, type NodeHit, type Segment } from './locate';
import type { ServiceModel } from './model';
import { normalize } from './normalize';
import { formatSize, MAX_FILE_BYTES, parseSource, readSource } from './parse';
import { RULE_META, runRules } from './rules';
import type { FieldPath, RuleContext, RuleReport } from './rules/types';
import type { RawConfig } from './schema';
import { checkSchema, pruneToSchema, toOriginal, type SchemaIssue } from './schema-check';

export interface LoadOptions {
  /** Only this environment's model (and rule run). */
  env?: string;
  /** Directory that display paths are relative to; default `process.cwd()`. */
  cwd?: string;
  /**
   * Read (and bundle) files outside each config's project root too
   * (`--allow-outside-root`). Default: refused with `path-outside-project`.
   */
  allowOutsideRoot?: boolean;
}

export interface LoadedFile {
  /** Display path (relative to cwd, `/` separators). */
  file: string;
  /** The `service` the file names, when it names one. */
  service?: string;
  /** Environment names in file order (empty when the file has none). */
  environments: string[];
  /** Resolved models; empty when the file has errors. */
  models: ServiceModel[];
  errors: number;
  warnings: number;
}

export interface LoadResult {
  /** Sorted with `compareDiagnostics`; a diagnostic that several environments share appears once, without `environment`. */
  diagnostics: Diagnostic[];
  /** Display path → text of every config file read and every other file a diagnostic points into. */
  sources: Map<string, string>;
  files: LoadedFile[];
  /** Models of the files without errors: one per environment (only `options.env` when given), or one when a file has no environments. */
  models: ServiceModel[];
  /** Set when `options.env` names an environment that no loaded file defines. */
  unknownEnvironment?: string;
}

type Refusal = { code: 'path-outside-project' | 'file-not-regular' | 'file-too-large'; message: string; hint: string };

const OUTSIDE_HINT = 'keep the file inside the project (see "Files outside the project" in docs/config.md), or pass --allow-outside-root to read it anyway';

/**
 * Reads through one memo per load, and prints paths the way diagnostics do.
 * Every read is bounded (`readBounded`); with a project root, nothing outside it
 * is read (see src/config/files.ts).
 */
class Files {
  private readonly reads = new Map<string, ReadOutcome>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly probes = new Map<string, ReturnType<typeof probeRegularFile>>();
  private readonly displayToAbs = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  displayPath = (absPath: string): string => {
    const rel = relative(this.cwd, absPath);
    const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absPath : rel;
    const out = sep === '/' ? shown : shown.split(sep).join('/');
    this.displayToAbs.set(out, absPath);
    return out;
  };

  private read(absPath: string): ReadOutcome {
    let r = this.reads.get(absPath);
    if (!r) {
      r = readBounded(absPath, MAX_FILE_BYTES);
      this.reads.set(absPath, r);
    }
    return r;
  }

  private probe(absPath: string): ReturnType<typeof probeRegularFile> {
    let r = this.probes.get(absPath);
    if (!r) {
      r = probeRegularFile(absPath);
      this.probes.set(absPath, r);
    }
    return r;
  }

  private text(absPath: string): string | undefined {
    if (this.texts.has(absPath)) return this.texts.get(absPath);
    const r = this.read(absPath);
    let text: string | undefined;
    if (r.ok) {
      text = r.bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.texts.set(absPath, text);
    return text;
  }

  /** Where `absPath` really is when outside `root` (see `outsideRoot`); never outside without a root. */
  outside(absPath: string, root: ProjectRoot | undefined): string | undefined {
    return root ? outsideRoot(absPath, root) : undefined;
  }

  /** Access for one config file: reads confined to its project root (none: not confined). */
  scoped(root: ProjectRoot | undefined): Pick<RuleContext, 'fileExists' | 'readFile'> {
    return {
      fileExists: (absPath) => this.outside(absPath, root) === undefined && this.probe(absPath).ok,
      readFile: (absPath) => (this.outside(absPath, root) === undefined ? this.text(absPath) : undefined),
    };
  }

  /** Why a handler entry must not be used at all (outside the root, or not a regular file); `undefined` when it may (missing files are the rules' business). */
  refuseEntry(absPath: string, root: ProjectRoot | undefined): Refusal | undefined {
    const out = this.outside(absPath, root);
    if (out !== undefined) return this.outsideRefusal(absPath, out, root as ProjectRoot);
    const p = this.probe(absPath);
    if (!p.ok && p.kind === 'not-regular') return { code: 'file-not-regular', message: `is ${p.detail}, not a regular file`, hint: 'point it at a JavaScript or TypeScript source file' };
    return undefined;
  }

  /** As `refuseEntry`, for a file that is read (the graphql schema, a Python requirements file): also too large. */
  refuseRead(absPath: string, root: ProjectRoot | undefined, kind: 'schema' | 'requirements' = 'schema'): Refusal | undefined {
    const out = this.outside(absPath, root);
    if (out !== undefined) return this.outsideRefusal(absPath, out, root as ProjectRoot);
    const r = this.read(absPath);
    if (r.ok) return undefined;
    const schema = kind === 'schema';
    if (r.kind === 'not-regular') return { code: 'file-not-regular', message: `is ${r.detail}, not a regular file`, hint: schema ? 'point it at a .graphql file' : 'point it at a pip requirements file' };
    if (r.kind === 'too-large') {
      return {
        code: 'file-too-large',
        message: `is ${formatSize(r.size ?? MAX_FILE_BYTES + 1)}; a ${schema ? 'schema' : 'requirements'} file may hold at most ${formatSize(MAX_FILE_BYTES)}`,
        hint: schema ? 'an appsync schema needs far less; check that the path names the schema' : 'a requirements file needs far less; check that the path names it',
      };
    }
    return undefined;
  }

  private outsideRefusal(absPath: string, real: string, root: ProjectRoot): Refusal {
    const lexical = resolve(absPath);
    const via = real === lexical ? `is \`${this.displayPath(lexical)}\`` : `resolves through a symbolic link to \`${real}\``;
    return { code: 'path-outside-project', message: `${via}, outside the project root \`${this.displayPath(root.dir)}\`; it is not read`, hint: OUTSIDE_HINT };
  }

  /** Text of a file a diagnostic points into, by display path: only a file this load read already (never a new read). */
  textOf(display: string): string | undefined {
    const abs = this.displayToAbs.get(display) ?? resolve(this.cwd, display);
    return this.texts.get(abs);
  }
}

/** A field path's location in `doc`, pointing at the key when `point` is `key`. */
function locationIn(file: string, hit: NodeHit, point: 'value' | 'key'): SourceLocation {
  // An empty value (`prod:` with nothing after it) has no text of its own: point at its key.
  const empty = isScalar(hit.node) && hit.node.value === null && !hit.node.source;
  const wantKey = point === 'key' || empty;
  const range = wantKey && hit.complete && hit.key ? (rangeOf(hit.key) ?? pointOf(hit, true)) : pointOf(hit, wantKey);
  return { file, start: range[0], end: range[1] };
}

function issueToDiagnostic(issue: SchemaIssue, file: string, doc: YamlDocument): Diagnostic {
  const out: Diagnostic = {
    code: issue.code,
    severity: 'error',
    message: issue.message,
    path: formatPath(issue.path),
    location: locationIn(file, nodeAt(doc, issue.path), issue.point),
  };
  if (issue.hint) out.hint = issue.hint;
  if (issue.related) {
    out.related = issue.related.map((r) => ({ message: r.message, path: formatPath(r.path), location: locationIn(file, nodeAt(doc, r.path), 'value') }));
  }
  return out;
}

function diagnosticKey(d: Diagnostic): string {
  return JSON.stringify([d.code, d.severity, d.message, d.path, d.location, d.hint ?? null, d.related ?? null]);
}

interface FileOutcome {
  loaded: LoadedFile;
  diagnostics: Diagnostic[];
  /** Environment names the file writes (before the schema check), for `unknownEnvironment`. */
  declaredEnvironments: string[];
  /** False when the file could not be read or parsed far enough to know its environments. */
  understood: boolean;
  /** Where the file writes `service` (for `duplicate-stack`), when it writes a string there. */
  serviceLocation?: SourceLocation;
}

function loadFile(absPath: string, files: Files, sources: Map<string, string>, env: string | undefined, root: ProjectRoot | undefined): FileOutcome {
  const file = files.displayPath(absPath);
  const diagnostics: Diagnostic[] = [];
  const loaded: LoadedFile = { file, environments: [], models: [], errors: 0, warnings: 0 };
  const outcome: FileOutcome = { loaded, diagnostics, declaredEnvironments: [], understood: false };
  const finish = (): FileOutcome => {
    loaded.errors = diagnostics.filter((d) => d.severity === 'error').length;
    loaded.warnings = diagnostics.length - loaded.errors;
    if (loaded.errors) loaded.models = [];
    return outcome;
  };

  // A config file reached through a link that leaves its project (`config/x.yaml -> /etc/shadow`) is not read: its lines would be printed in diagnostics.
  const outside = files.outside(absPath, root);
  if (outside !== undefined && root) {
    sources.set(file, '');
    diagnostics.push({
      code: 'path-outside-project',
      severity: 'error',
      message: `the config file resolves through a symbolic link to \`${outside}\`, outside the project root \`${files.displayPath(root.dir)}\`; it is not read`,
      path: '',
      location: { file, start: 0, end: 0 },
      hint: OUTSIDE_HINT,
    });
    return finish();
  }

  const source = readSource(absPath, file);
  sources.set(file, source.text);
  diagnostics.push(...source.diagnostics);
  if (!source.ok) return finish();

  const parsed = parseSource(source.text, file);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.hasValue || !parsed.doc) return finish();
  const doc = parsed.doc;
  outcome.understood = true;
  outcome.declaredEnvironments = environmentNames(parsed.value);
  const service = (parsed.value as { service?: unknown } | null)?.service;
  if (typeof service === 'string') {
    loaded.service = service;
    const hit = nodeAt(doc, ['service']);
    if (hit.complete && hit.node) outcome.serviceLocation = { file, start: hit.node.range[0], end: hit.node.range[1] };
  }

  const checked = checkSchema(parsed.value);
  for (const issue of checked.issues) diagnostics.push(issueToDiagnostic(issue, file, doc));
  if (!checked.usable) return finish();

  const raw = checked.value as RawConfig & Record<string, unknown>;
  const provenance = new Provenance(doc, raw, checked.indexMaps);
  const base = baseOf(raw);
  const names = environmentNames(raw);
  loaded.environments = names;
  const runs: (string | undefined)[] = names.length === 0 ? [undefined] : env !== undefined ? names.filter((n) => n === env) : names;
  const baseDir = dirname(absPath);
  const scope = files.scoped(root);

  const perRun: Diagnostic[][] = [];
  for (const environment of runs) {
    const envs = raw.environments as Record<string, unknown> | undefined;
    const overlay = environment === undefined ? undefined : envs?.[environment];
    // The base alone passed the schema already; only an overlay that adds something needs another check.
    const unchanged = overlay === undefined || (typeof overlay === 'object' && overlay !== null && Object.keys(overlay).length === 0);
    const pruned = unchanged ? { value: base, usable: true, indexMaps: new Map<string, number[]>() } : pruneToSchema(mergeOverlay(base, overlay));
    if (!pruned.usable) continue;
    const model = normalize(pruned.value as RawConfig, { environment, sourceFile: file, baseDir, readFile: scope.readFile });
    if (root) {
      model.projectRoot = root.real;
      model.projectNodeModules = root.nodeModules;
    }
    loaded.models.push(model);

    const found: Diagnostic[] = [];
    /** Where a rule's path points, and the path as the YAML writes it. */
    const place = (path: FieldPath): { location: SourceLocation; path: string } => {
      const hit = provenance.locate(toOriginal(path as Segment[], pruned.indexMaps), environment);
      return { location: locationIn(file, hit, 'value'), path: formatPath(hit.path) };
    };
    const refusedPaths = new Set<string>();
    const ctx: RuleContext = {
      model,
      environment,
      raw,
      written: (path) => provenance.written(toOriginal(path as Segment[], pruned.indexMaps), environment),
      report: (r: RuleReport) => {
        const at = place(r.path);
        const d: Diagnostic = {
          code: r.code,
          severity: r.severity ?? RULE_META.get(r.code)?.severity ?? 'error',
          message: r.message,
          path: at.path,
          location: r.location ?? at.location,
        };
        if (r.hint) d.hint = r.hint;
        if (r.related?.length) d.related = r.related.map((x): RelatedLocation => ({ message: x.message, ...place(x.path) }));
        if (environment !== undefined) d.environment = environment;
        found.push(d);
      },
      fileExists: scope.fileExists,
      readFile: scope.readFile,
      refused: (p) => refusedPaths.has(p),
      displayPath: files.displayPath,
    };
    // Files the config names that must not be read or bundled at all; the rules then say nothing more about them.
    for (const h of model.handlers) {
      const r = files.refuseEntry(h.entryPath, root);
      if (!r) continue;
      refusedPaths.add(h.entryPath);
      ctx.report({ code: r.code, path: ['handlers', h.name, 'entry'], message: `handler \`${h.name}\`: entry \`${h.entry}\` ${r.message}`, hint: r.hint });
    }
    for (const h of model.handlers) {
      const r = h.requirementsPath === undefined ? undefined : files.refuseRead(h.requirementsPath, root, 'requirements');
      if (!r || h.requirementsPath === undefined) continue;
      refusedPaths.add(h.requirementsPath);
      ctx.report({ code: r.code, path: ['handlers', h.name, 'requirements'], message: `handler \`${h.name}\`: requirements \`${h.requirements}\` ${r.message}`, hint: r.hint });
    }
    const api = model.graphqlApi;
    const refusedSchema = api && files.refuseRead(api.schemaPath, root);
    if (api && refusedSchema) {
      refusedPaths.add(api.schemaPath);
      ctx.report({ code: refusedSchema.code, path: ['graphqlApi', 'schema'], message: `graphql schema \`${api.schema}\` ${refusedSchema.message}`, hint: refusedSchema.hint });
    }
    runRules(ctx);
    perRun.push(found);
  }
  diagnostics.push(...mergeEnvironmentDiagnostics(perRun, runs.length));
  return finish();
}

/**
 * Rule diagnostics of several environment runs: one that every run reports is kept
 * once, without `environment`; the others stay, one per environment that reports
 * them. A single run (one environment asked for) keeps its `environment`.
 */
function mergeEnvironmentDiagnostics(perRun: Diagnostic[][], runCount: number): Diagnostic[] {
  if (runCount <= 1) return perRun.flat();
  const counts = new Map<string, number>();
  const keyed = perRun.map((list) =>
    list.map((d) => {
      const { environment: _env, ...rest } = d;
      const key = diagnosticKey(rest as Diagnostic);
      return { d, rest: rest as Diagnostic, key };
    }),
  );
  for (const list of keyed) for (const key of new Set(list.map((x) => x.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const out: Diagnostic[] = [];
  const shared = new Set<string>();
  for (const list of keyed) {
    for (const { d, rest, key } of list) {
      if (counts.get(key) === runCount) {
        if (shared.has(key)) continue;
        shared.add(key);
        out.push(rest);
      } else out.push(d);
    }
  }
  return out;
}

function compareWithEnvironment(a: Diagnostic, b: Diagnostic): number {
  const c = compareDiagnostics(a, b);
  if (c !== 0) return c;
  const ea = a.environment ?? '';
  const eb = b.environment ?? '';
  return ea < eb ? -1 : ea > eb ? 1 : 0;
}

/**
 * Two files checked together must not give the same stack name: their Terraform
 * would land in one `cdktf.out/stacks/<stack>` directory and overwrite each other.
 * The later file gets the error (at its `service`), with the earlier as related;
 * its models are dropped like those of any file with an error. Every environment
 * a file declares counts, also when `--env` selects one.
 */
function reportDuplicateStacks(outcomes: readonly FileOutcome[], result: LoadResult): void {
  const first = new Map<string, FileOutcome>();
  for (const outcome of outcomes) {
    const { service } = outcome.loaded;
    if (service === undefined || outcome.serviceLocation === undefined) continue;
    const stacks = outcome.declaredEnvironments.length === 0 ? [service] : outcome.declaredEnvironments.map((e) => `${service}-${e}`);
    const clashes: { stack: string; other: FileOutcome }[] = [];
    for (const stack of new Set(stacks)) {
      const other = first.get(stack);
      if (other) clashes.push({ stack, other });
      else first.set(stack, outcome);
    }
    if (clashes.length === 0) continue;
    const others = [...new Set(clashes.map((c) => c.other))];
    result.diagnostics.push({
      code: 'duplicate-stack',
      severity: 'error',
      message: `stack ${clashes.map((c) => `\`${c.stack}\``).join(', ')} is also defined by ${others.map((o) => o.loaded.file).join(', ')}; each service and environment must come from one file`,
      path: 'service',
      location: outcome.serviceLocation,
      hint: 'give one of the files another `service` name, or merge them into one file',
      related: others.map((o) => ({ message: `\`service: ${o.loaded.service}\` is first defined here`, path: 'service', location: o.serviceLocation as SourceLocation })),
    });
    if (outcome.loaded.errors === 0) {
      const dropped = new Set(outcome.loaded.models);
      result.models = result.models.filter((m) => !dropped.has(m));
    }
    outcome.loaded.errors += 1;
    outcome.loaded.models = [];
  }
}

/**
 * Loads config files (paths relative to `options.cwd`, or absolute). Never throws
 * on bad input: every problem is a diagnostic.
 */
export function loadConfig(files: string[], options: LoadOptions = {}): LoadResult {
  const cwd = resolve(options.cwd ?? process.cwd());
  const io = new Files(cwd);
  const sources = new Map<string, string>();
  const result: LoadResult = { diagnostics: [], sources, files: [], models: [] };
  const seen = new Set<string>();
  const outcomes: FileOutcome[] = [];
  let defined = false;
  let allUnderstood = true;
  for (const f of files) {
    const abs = resolve(cwd, f);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const root = options.allowOutsideRoot ? undefined : findProjectRoot(abs, cwd);
    const outcome = loadFile(abs, io, sources, options.env, root);
    outcomes.push(outcome);
    result.files.push(outcome.loaded);
    result.diagnostics.push(...outcome.diagnostics);
    if (!outcome.loaded.errors) result.models.push(...outcome.loaded.models);
    if (!outcome.understood) allUnderstood = false;
    if (options.env !== undefined && outcome.declaredEnvironments.includes(options.env)) defined = true;
  }
  if (options.env !== undefined && !defined && allUnderstood) result.unknownEnvironment = options.env;
  reportDuplicateStacks(outcomes, result);
  result.diagnostics.sort(compareWithEnvironment);
  for (const d of result.diagnostics) {
    for (const loc of [d.location, ...(d.related ?? []).map((r) => r.location)]) {
      if (!sources.has(loc.file)) {
        const text = io.textOf(loc.file);
        if (text !== undefined) sources.set(loc.file, text);
      }
    }
  }
  return result;
}
