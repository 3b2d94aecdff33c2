/**
 * Makes what cdktf synthesized byte-for-byte reproducible, and proves it carries
 * no path of this machine. It works on the documents in memory (src/infra's
 * `SynthesizedApp`, what cdktf would have written) and returns the text of each
 * file, so every file is written once.
 *
 * What cdktf 0.21 synthesizes, and what varies in it:
 * - `manifest.json`: stack names and relative paths (stable), the cdktf version
 *   (stable for a locked install), and per-stack `annotations` whose
 *   `stacktrace` lists absolute paths of the JavaScript that added them:
 *   stack traces are removed, the annotation messages kept.
 * - `stacks/<stack>/cdk.tf.json`: the Terraform JSON. src/infra always sets a
 *   backend (local `terraform.tfstate` in the stack directory, or S3); for an app
 *   that sets none (tests, custom builders), cdktf adds a local backend at `<process.cwd()>/terraform.<stack>.tfstate`,
 *   an absolute path. It is rewritten relative to the stack directory (Terraform
 *   resolves it against its working directory, `DIR/stacks/<stack>`), so the
 *   state file stays where cdktf would put it: next to the config, in the
 *   directory synth ran from. The same goes for `terraform_remote_state` data
 *   sources with a local backend.
 *   The `//` metadata (cdktf version, stack name, backend kind, construct paths
 *   of resources) holds no file system path and does not change between runs,
 *   and cdktf uses it to map Terraform errors back to constructs, so it stays.
 * - Every file is serialised with sorted keys and 2-space indentation.
 *
 * Every document is scanned for the absolute paths that would make the output
 * differ between machines (the temporary and final output directories, the
 * working directory, the cachestack package); a hit is reported, not hidden.
 *
 * The stacks' documents may be rendered in several worker threads
 * (./workers.ts); the manifest is merged from their parts and rendered once by
 * the thread that writes (`mergeManifests`, `renderManifest`).
 */
import * as path from 'node:path';

export interface NormalizeContext {
  /** Where the output is being written now (the temporary directory). */
  stagedDir: string;
  /** Where the output will live (the `--out` directory), absolute. */
  finalDir: string;
  /** The directory synth runs for (relative config paths resolve against it), absolute. */
  cwd: string;
  /** Absolute paths that must not appear anywhere in the output. */
  forbidden: readonly string[];
}

export interface PathLeak {
  /** File relative to the output directory, `/` separators. */
  file: string;
  /** JSON path of the value (`resource.aws_lambda_function.x.filename`), or `''` for non-JSON text. */
  at: string;
  /** The forbidden path found. */
  found: string;
}

/** JSON with object keys sorted at every level, 2-space indentation and a final newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (value && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(): unknown }).toJSON();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A local state path as the final stack directory should see it. cdktf built it
 * from `process.cwd()`; synth may run for another directory (`options.cwd`), so a
 * path under `process.cwd()` is first moved under `ctx.cwd`.
 */
function relativeStatePath(value: string, stackDir: string, ctx: NormalizeContext): string {
  if (!path.isAbsolute(value)) return value;
  let abs = value;
  const processCwd = process.cwd();
  const rel = path.relative(processCwd, value);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) abs = path.join(ctx.cwd, rel);
  return posix(path.relative(stackDir, abs));
}

function normalizeStack(doc: { [key: string]: Json }, stackName: string, ctx: NormalizeContext): void {
  const stackDir = path.join(ctx.finalDir, 'stacks', stackName);
  const terraform = doc.terraform as { [key: string]: Json } | undefined;
  const local = (terraform?.backend as { [key: string]: Json } | undefined)?.local as { [key: string]: Json } | undefined;
  if (local && typeof local.path === 'string') local.path = relativeStatePath(local.path, stackDir, ctx);
  if (local && typeof local.workspace_dir === 'string') local.workspace_dir = relativeStatePath(local.workspace_dir, stackDir, ctx);

  const remote = (doc.data as { [key: string]: Json } | undefined)?.terraform_remote_state as { [key: string]: Json } | undefined;
  for (const source of Object.values(remote ?? {})) {
    const s = source as { [key: string]: Json };
    const config = s.config as { [key: string]: Json } | undefined;
    if (s.backend === 'local' && config && typeof config.path === 'string') config.path = relativeStatePath(config.path, stackDir, ctx);
  }
}

function normalizeManifest(doc: { [key: string]: Json }): void {
  const stacks = (doc.stacks ?? {}) as { [key: string]: Json };
  for (const stack of Object.values(stacks)) {
    const annotations = (stack as { [key: string]: Json }).annotations;
    if (Array.isArray(annotations)) for (const a of annotations) if (a && typeof a === 'object' && !Array.isArray(a)) delete a.stacktrace;
  }
}

function findLeaks(value: Json, at: string, file: string, forbidden: readonly string[], out: PathLeak[]): void {
  if (typeof value === 'string') {
    for (const f of forbidden) if (value.includes(f)) out.push({ file, at, found: f });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findLeaks(v, `${at}[${i}]`, file, forbidden, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      for (const f of forbidden) if (k.includes(f)) out.push({ file, at: at ? `${at}.${k}` : k, found: f });
      findLeaks(v, at ? `${at}.${k}` : k, file, forbidden, out);
    }
  }
}

/** The stacks' files of one synthesized app, normalized and serialized, and its manifest as a document (merged with other parts' first). */
export interface RenderedDocuments {
  /** `manifest.json`'s document, normalized, not serialized. */
  manifest: ManifestDocument;
  /** Every other file's text, by path relative to the output directory (`stacks/<stack>/cdk.tf.json`), in the order synthesized. */
  files: [string, string][];
  /** Machine paths found in those files (not in the manifest: see `renderManifest`). */
  leaks: PathLeak[];
}

/** `manifest.json` as cdktf builds it: its version and one entry per stack. */
export interface ManifestDocument {
  version?: string;
  stacks?: { [stack: string]: { [key: string]: Json } };
  [key: string]: unknown;
}

/** The paths a leak scan looks for: each absolute, at least two levels deep, once. */
function forbiddenPaths(ctx: Pick<NormalizeContext, 'forbidden'>): string[] {
  return [...new Set(ctx.forbidden.map((p) => path.resolve(p)))].filter((p) => p.split(path.sep).filter(Boolean).length >= 2);
}

/**
 * Normalizes and serializes the documents of one app (`files`: path relative to
 * the output directory and cdktf's document, `manifest.json` among them), one
 * at a time: a document is dropped once its text is made. The manifest is
 * normalized but left a document, for `mergeManifests`.
 */
export function renderDocuments(files: Iterable<[string, unknown]>, ctx: NormalizeContext): RenderedDocuments {
  const forbidden = forbiddenPaths(ctx);
  const leaks: PathLeak[] = [];
  const out: [string, string][] = [];
  let manifest: ManifestDocument = {};
  for (const [file, value] of files) {
    // A sorted deep copy: normalizing never changes cdktf's own objects.
    const doc = sortKeys(value) as { [key: string]: Json };
    if (file === 'manifest.json') {
      normalizeManifest(doc);
      manifest = doc as ManifestDocument;
      continue;
    }
    const stack = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file);
    if (stack) normalizeStack(doc, stack[1], ctx);
    findLeaks(doc, '', file, forbidden, leaks);
    out.push([file, `${JSON.stringify(doc, null, 2)}\n`]);
  }
  return { manifest, files: out, leaks };
}

/**
 * One manifest from the manifests of several apps that synthesized disjoint
 * stacks: every stack's entry, whichever app it came from. The result does not
 * depend on the order of `parts` (the entries are written with sorted keys).
 * @throws Error when two parts disagree on anything but their stacks (the cdktf version)
 */
export function mergeManifests(parts: readonly ManifestDocument[]): ManifestDocument {
  if (parts.length === 1) return parts[0];
  const rest = (m: ManifestDocument) => stableJson({ ...m, stacks: undefined });
  const merged: ManifestDocument = { ...parts[0], stacks: {} };
  for (const part of parts) {
    if (rest(part) !== rest(parts[0])) throw new Error('the manifests of the synth workers differ beyond their stacks');
    for (const [name, entry] of Object.entries(part.stacks ?? {})) {
      if (merged.stacks![name]) throw new Error(`stack \`${name}\` was synthesized twice`);
      merged.stacks![name] = entry;
    }
  }
  return merged;
}

/** `manifest.json`'s text, and the machine paths found in it. */
export function renderManifest(manifest: ManifestDocument, ctx: Pick<NormalizeContext, 'forbidden'>): { text: string; leaks: PathLeak[] } {
  const leaks: PathLeak[] = [];
  findLeaks(manifest as unknown as Json, '', 'manifest.json', forbiddenPaths(ctx), leaks);
  return { text: stableJson(manifest), leaks };
}
