/**
 * Bundles handler entry files with esbuild into one CommonJS file each, the way
 * the Lambda Node.js runtime loads them (`index.js`, handler string `index.<export>`).
 *
 * - `@aws-sdk/*` stays external: the Lambda runtime provides SDK v3.
 * - Minified, no legal comments, no source map unless asked for: the bundle
 *   carries no file paths, so it is the same on every machine.
 * - All entries with the same target (and project root) go through one esbuild
 *   call. When that call fails, each entry is built alone so every error is
 *   attributed to its entry.
 * - Every file esbuild would read is checked first (the `confine` plugin): a FIFO,
 *   a device or a socket is refused (it would block esbuild or never end), and
 *   with a `projectRoot` a file whose real path is outside it (other than in the
 *   project's `node_modules`) is an error at the import that names it, so nothing
 *   from outside the project ends up in a zip. An entry is checked before esbuild
 *   runs at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type BuildFailure, type BuildOptions, type Message, type Metafile, type Plugin } from 'esbuild';
import { isWithin, probeRegularFile } from '../config/files';

export interface BundleInput {
  /** Absolute path of the entry file. */
  entryPath: string;
  /** Lambda runtime, e.g. `nodejs22.x`; decides esbuild's target. */
  runtime: string;
  /** Real path of the directory every bundled file must be inside; `undefined`: not confined. */
  projectRoot?: string;
  /** Real paths of `node_modules` directories whose files may be bundled too (with `projectRoot`). */
  nodeModules?: readonly string[];
}

export interface BundleOptions {
  /** esbuild's working directory; paths in messages and source maps are relative to it. */
  cwd: string;
  /** Emit `index.js.map` next to `index.js` (off by default). */
  sourcemap?: boolean;
}

export interface BundleOutput {
  kind: 'bundle';
  /** `index.js`, and `index.js.map` when source maps are on. */
  files: { name: string; data: Uint8Array }[];
  /** Size of `index.js` in bytes. */
  bytes: number;
  /** Names the entry exports when it is an ES module; `undefined` for CommonJS entries (not knowable). */
  exports?: string[];
  /**
   * Every import of a package by a file bundled into this entry, from esbuild's
   * metafile: the external ones (`@aws-sdk/*`, as `path`) and bare package
   * imports that were bundled (as `original`). Importers are absolute paths.
   * Sorted; what src/package/sdk-imports.ts reads.
   */
  packageImports: PackageImport[];
}

export interface PackageImport {
  /** The bare specifier, such as `@aws-sdk/client-dynamodb`. */
  specifier: string;
  /** Absolute path of the file that imports it. */
  importer: string;
  /** Left external (the Lambda runtime provides it) rather than bundled. */
  external: boolean;
}

export interface BundleMessage {
  /** File the message is about, relative to the working directory, `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  text: string;
  lineText?: string;
  /** esbuild's notes ("you can mark the path as external ..."), as text. */
  notes: string[];
}

export interface BundleFailed {
  kind: 'failed';
  messages: BundleMessage[];
}

export type BundleResult = BundleOutput | BundleFailed;

/** `nodejs22.x` → `node22`. */
export function targetOf(runtime: string): string {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!m) throw new Error(`unsupported lambda runtime ${JSON.stringify(runtime)}: expected nodejs<major>.x`);
  return `node${m[1]}`;
}

/** The key under which identical work is shared: same entry, same target, same source map setting, same confinement. */
export function bundleKey(input: BundleInput, options: BundleOptions): string {
  return `${input.entryPath}\0${targetOf(input.runtime)}\0${options.sourcemap ? 'map' : 'nomap'}\0${confinementKey(input)}`;
}

function confinementKey(input: BundleInput): string {
  return input.projectRoot === undefined ? '' : [input.projectRoot, ...(input.nodeModules ?? [])].join('\0');
}

interface Confinement {
  root: string;
  nodeModules: readonly string[];
}

const OUTSIDE_NOTE = 'keep the file inside the project, or pass --allow-outside-root to bundle it anyway';

/** `file` as messages print it: relative to `cwd` when inside it, else absolute. */
function shown(file: string, cwd: string): string {
  return isWithin(cwd, file) ? relativeFile(cwd, file) : file;
}

/** Why esbuild must not read `file` (absolute), or `undefined` when it may. */
function refusal(file: string, confine: Confinement | undefined, cwd: string): { text: string; note: string } | undefined {
  if (confine) {
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      real = path.resolve(file);
    }
    if (!isWithin(confine.root, real) && !confine.nodeModules.some((d) => isWithin(d, real))) {
      const via = real === path.resolve(file) ? '' : ` (a symbolic link to ${real})`;
      return { text: `${shown(file, cwd)}${via} is outside the project root ${shown(confine.root, cwd) || '.'}; it is not bundled`, note: OUTSIDE_NOTE };
    }
  }
  const probe = probeRegularFile(file);
  if (!probe.ok && probe.kind === 'not-regular') {
    return { text: `${shown(file, cwd)} is ${probe.detail}, not a regular file; it is not bundled`, note: 'import source files only (a FIFO or a device would block the bundler or never end)' };
  }
  return undefined;
}

/**
 * Checks every file before esbuild loads it: resolves each import the way esbuild
 * would (`build.resolve`), then refuses it with an error that esbuild places at
 * the import statement of the importing file.
 */
function confinePlugin(confine: Confinement | undefined, cwd: string): Plugin {
  return {
    name: 'cachestack-confine',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        // Entries are checked before esbuild runs (see `bundleEntries`); resolving them here would lose esbuild's tsconfig for them.
        if (args.kind === 'entry-point' || (args.pluginData as { cachestackInner?: boolean } | undefined)?.cachestackInner) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          namespace: args.namespace,
          with: args.with,
          pluginData: { cachestackInner: true },
        });
        // What does not resolve is esbuild's to report (or to tolerate, as a `require` inside try/catch).
        if (r.errors.length > 0) return undefined;
        if (!r.external && r.namespace === 'file' && path.isAbsolute(r.path)) {
          const refused = refusal(r.path, confine, cwd);
          if (refused) return { errors: [{ text: refused.text, notes: [{ text: refused.note }] }] };
        }
        return { path: r.path, external: r.external, namespace: r.namespace, sideEffects: r.sideEffects, suffix: r.suffix, pluginData: r.pluginData, warnings: r.warnings };
      });
    },
  };
}

function confinementOf(input: BundleInput): Confinement | undefined {
  return input.projectRoot === undefined ? undefined : { root: input.projectRoot, nodeModules: input.nodeModules ?? [] };
}

/** The package.json `exports` condition under which `cachestack/runtime` is its TypeScript source. */
export const RUNTIME_SOURCE_CONDITION = 'cachestack-source';

/** Where esbuild pretends to write; nothing is written (write: false). Source map `sources` are relative to it. */
const OUT_DIR_NAME = '.cachestack-bundle';

function baseOptions(target: string, options: BundleOptions, confine: Confinement | undefined): BuildOptions {
  return {
    plugins: [confinePlugin(confine, options.cwd)],
    absWorkingDir: options.cwd,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    external: ['@aws-sdk/*'],
    // `cachestack/runtime` resolves to the kit's TypeScript sources, as in a
    // checkout, so a handler's bundle holds only the kit modules it uses;
    // `module` is esbuild's default condition, kept.
    conditions: [RUNTIME_SOURCE_CONDITION, 'module'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    sourcemap: options.sourcemap ? 'linked' : false,
    sourcesContent: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: path.join(options.cwd, OUT_DIR_NAME),
  };
}

/** UTF-8 byte column (0-based) → character column (1-based). */
function charColumn(lineText: string, byteColumn: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  return bytes.subarray(0, Math.min(byteColumn, bytes.length)).toString('utf8').length + 1;
}

function toMessage(m: Message, fallbackFile: string): BundleMessage {
  const loc = m.location;
  const notes = m.notes.map((n) => n.text).filter((t) => t.length > 0);
  if (!loc) return { file: fallbackFile, line: 1, column: 1, text: m.text, notes };
  return {
    file: loc.file.split(path.sep).join('/'),
    line: loc.line,
    column: charColumn(loc.lineText, loc.column),
    text: m.text,
    lineText: loc.lineText,
    notes,
  };
}

function relativeFile(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return typeof e === 'object' && e !== null && Array.isArray((e as BuildFailure).errors);
}

const BARE = /^(@[A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]+(\/.*)?$/;

/** The package imports of the files bundled into one output (see `BundleOutput.packageImports`). */
function packageImportsOf(metafile: Metafile, outputKey: string, cwd: string): PackageImport[] {
  const output = metafile.outputs[outputKey];
  if (!output) return [];
  const seen = new Map<string, PackageImport>();
  for (const input of Object.keys(output.inputs)) {
    const importer = path.resolve(cwd, input);
    for (const imp of metafile.inputs[input]?.imports ?? []) {
      const specifier = imp.external ? imp.path : imp.original;
      if (specifier === undefined || specifier.startsWith('.') || path.isAbsolute(specifier) || !BARE.test(specifier)) continue;
      const external = imp.external === true;
      seen.set(`${specifier}\0${importer}\0${external}`, { specifier, importer, external });
    }
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

function collectOutputs(
  outputFiles: { path: string; contents: Uint8Array }[],
  outDir: string,
  slot: string,
  entryPath: string,
  exports: string[] | undefined,
  packageImports: PackageImport[],
): BundleOutput {
  const files: { name: string; data: Uint8Array }[] = [];
  for (const f of outputFiles) {
    const rel = path.relative(path.join(outDir, slot), f.path);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    files.push({ name: rel.split(path.sep).join('/'), data: f.contents });
  }
  const js = files.find((f) => f.name === 'index.js');
  if (!js) throw new Error(`esbuild produced no index.js for ${entryPath}`);
  return { kind: 'bundle', files, bytes: js.data.length, exports, packageImports };
}

/**
 * The names each ES module entry exports (`undefined` for CommonJS entries). A
 * CommonJS bundle's metafile lists no exports, so this asks a second, unminified
 * ESM build of the same graph, run alongside the real one.
 */
async function entryExports(inputs: BundleInput[], target: string, options: BundleOptions, slots: string[]): Promise<(string[] | undefined)[]> {
  const opts = { ...baseOptions(target, options, confinementOf(inputs[0])), format: 'esm' as const, minify: false, sourcemap: false };
  const result = await build({ ...opts, entryPoints: inputs.map((input, i) => ({ in: input.entryPath, out: `${slots[i]}/index` })) });
  const metafile = result.metafile as Metafile;
  return inputs.map((input, i) => {
    if (metafile.inputs[relativeFile(options.cwd, input.entryPath)]?.format !== 'esm') return undefined;
    const out = metafile.outputs[relativeFile(options.cwd, path.join(opts.outdir as string, slots[i], 'index.js'))];
    return out ? [...out.exports].sort() : undefined;
  });
}

async function buildGroup(inputs: BundleInput[], target: string, options: BundleOptions): Promise<BundleResult[]> {
  const opts = baseOptions(target, options, confinementOf(inputs[0]));
  const outDir = opts.outdir as string;
  const slots = inputs.map((_, i) => `e${i}`);
  const [result, exports] = await Promise.all([
    build({ ...opts, entryPoints: inputs.map((input, i) => ({ in: input.entryPath, out: `${slots[i]}/index` })) }),
    entryExports(inputs, target, options, slots),
  ]);
  const metafile = result.metafile as Metafile;
  return inputs.map((input, i) => {
    const key = relativeFile(options.cwd, path.join(outDir, slots[i], 'index.js'));
    return collectOutputs(result.outputFiles ?? [], outDir, slots[i], input.entryPath, exports[i], packageImportsOf(metafile, key, options.cwd));
  });
}

async function buildOne(input: BundleInput, target: string, options: BundleOptions): Promise<BundleResult> {
  try {
    const [out] = await buildGroup([input], target, options);
    return out;
  } catch (e) {
    if (!isBuildFailure(e)) throw e;
    const fallback = relativeFile(options.cwd, input.entryPath);
    return { kind: 'failed', messages: e.errors.map((m) => toMessage(m, fallback)) };
  }
}

/**
 * Bundles every input; the result at index i belongs to inputs[i]. Identical
 * inputs (same `bundleKey`) are bundled once. Never throws for errors in the
 * user's code (those come back as `kind: 'failed'`); throws only when esbuild
 * itself cannot run.
 */
export async function bundleEntries(inputs: readonly BundleInput[], options: BundleOptions): Promise<BundleResult[]> {
  const unique = new Map<string, BundleInput>();
  for (const input of inputs) unique.set(bundleKey(input, options), input);

  const results = new Map<string, BundleResult>();
  // Entries are checked before esbuild runs: a FIFO as an entry would block it.
  const byTarget = new Map<string, string[]>();
  for (const [key, input] of unique) {
    const refused = refusal(input.entryPath, confinementOf(input), options.cwd);
    if (refused) {
      const file = relativeFile(options.cwd, input.entryPath);
      results.set(key, { kind: 'failed', messages: [{ file, line: 1, column: 1, text: refused.text, notes: [refused.note] }] });
      continue;
    }
    const group = `${targetOf(input.runtime)}\0${confinementKey(input)}`;
    byTarget.set(group, [...(byTarget.get(group) ?? []), key]);
  }

  await Promise.all(
    [...byTarget].map(async ([groupKey, keys]) => {
      const target = groupKey.slice(0, groupKey.indexOf('\0'));
      const group = keys.map((k) => unique.get(k) as BundleInput);
      let outs: BundleResult[];
      try {
        outs = await buildGroup(group, target, options);
      } catch (e) {
        if (!isBuildFailure(e)) throw e;
        // One failing entry fails the whole call: build each alone to say which.
        outs = await Promise.all(group.map((input) => buildOne(input, target, options)));
      }
      keys.forEach((k, i) => results.set(k, outs[i]));
    }),
  );
  return inputs.map((input) => results.get(bundleKey(input, options)) as BundleResult);
}
