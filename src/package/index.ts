/**
 * Handler packaging: entry file → esbuild bundle → deterministic zip → the
 * `source_code_hash` Terraform compares.
 *
 * The zip holds `index.js` (and `index.js.map` with source maps on), so a
 * function's handler string is `index.<export>`. Its file name carries the first
 * 8 hex digits of its SHA-256 (`profile-3f2a9c1e.zip`), so an unchanged handler
 * keeps its file name and hash across runs and machines.
 *
 * Source maps are off by default. Turn them on with `CACHESTACK_SOURCEMAP=1`
 * (read by `sourcemapFromEnv`, which `cachestack synth` and `cdktf synth` use);
 * the function then needs `NODE_OPTIONS=--enable-source-maps` in its
 * `environment` for stack traces to point at the TypeScript source.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPythonEntry } from '../config/constants';
import { bundleEntries, bundleKey, type BundleMessage, type BundleOptions, type PackageImport } from './bundle';
import { checkEntries, pythonInterpreter, pythonPackageFiles, pythonPackageKey, PythonUnavailableError, type PythonProblem } from './python';
import { deterministicZip } from './zip';

export { deterministicZip, type ZipFile } from './zip';
export { targetOf, type BundleMessage, type PackageImport } from './bundle';
export { sdkUses, type SdkUse } from './sdk-imports';

export interface PackageRequest {
  /** The caller's key for the result, e.g. `<stack>/<handler>`; unique within one call. */
  id: string;
  /** Handler name: names the zip file and appears in messages. */
  name: string;
  /** Absolute path of the entry file. */
  entryPath: string;
  /** The export Lambda calls (`index.<export>`). */
  export: string;
  /** Lambda runtime, e.g. `nodejs22.x` or `python3.13`. */
  runtime: string;
  /** `arm64` (default) or `x86_64`: the platform Python requirements are installed for. */
  architecture?: string;
  /** Python only: absolute path of the requirements file. */
  requirementsPath?: string;
  /** Config file that declares the handler, relative to cwd; named in messages. */
  sourceFile?: string;
  /** Real path of the project root every bundled file must be inside (the model's `projectRoot`); `undefined`: not confined. */
  projectRoot?: string;
  /** Real paths of the project's `node_modules` directories, whose files may be bundled too. */
  nodeModules?: readonly string[];
}

export interface HandlerPackage {
  /** `<name>-<first 8 hex digits of the zip's SHA-256>.zip`. */
  fileName: string;
  zip: Buffer;
  /** Base64 SHA-256 of the zip: Terraform's `source_code_hash`. */
  sha256: string;
  /** Size of the bundled `index.js` in bytes; for a Python handler, of its own `.py` sources. */
  bundleBytes: number;
  /** Package imports of the bundled files, from esbuild's metafile (see `sdkUses`). */
  packageImports: PackageImport[];
}

/** A bundling error, located in the file esbuild complained about. Rendered by `formatBundleDiagnostic`. */
export interface BundleDiagnostic {
  code: 'bundle-error';
  severity: 'error';
  /** Handler name. */
  handler: string;
  /** Config file that declares the handler, when known. */
  sourceFile?: string;
  /** The handler's entry file, relative to cwd, `/` separators. */
  entry: string;
  /** Where the error is (the entry or a file it imports), relative to cwd. */
  file: string;
  line: number;
  column: number;
  /** Lower-case, names what is wrong. */
  message: string;
  lineText?: string;
  hint?: string;
}

export type PackageResult =
  | { ok: true; packages: Map<string, HandlerPackage>; /** esbuild entries actually bundled (after sharing). */ bundled: number }
  | { ok: false; errors: BundleDiagnostic[] };

export interface PackageOptions {
  cwd: string;
  sourcemap?: boolean;
}

/** `CACHESTACK_SOURCEMAP=1` (or `true`) turns source maps on. */
export function sourcemapFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = (env.CACHESTACK_SOURCEMAP ?? '').trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

let packageRootCache: string | undefined;

/**
 * The cachestack package's root directory, found by walking up from this file
 * to the `package.json` named `cachestack`: works from the TypeScript sources
 * (ts-jest, tsx) and from the compiled `dist/` alike.
 */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'cachestack') {
          packageRootCache = dir;
          return dir;
        }
      } catch {
        // not a readable manifest: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the cachestack package root above ${__dirname}`);
    dir = parent;
  }
}

/** Absolute path of the warmer's entry file, shipped in the package (`handlers/warmer/index.ts`). */
export function warmerEntry(): string {
  return path.join(packageRoot(), 'handlers', 'warmer', 'index.ts');
}

function lower(text: string): string {
  return text.length > 0 ? text[0].toLowerCase() + text.slice(1) : text;
}

/** The package a bare import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function hintFor(m: BundleMessage): string | undefined {
  // esbuild suggests marking the path as external; a handler cannot (cachestack
  // keeps only `@aws-sdk/*` external, which the Lambda runtime provides), and a
  // missing package would fail at run time in Lambda anyway.
  const external = m.notes.map((n) => /mark the path "([^"]+)" as external/i.exec(n)).find((x) => x !== null);
  if (external) {
    const pkg = packageOf(external[1]);
    return `install \`${pkg}\` in the project that holds the handler (\`npm install ${pkg}\`) so that it is bundled into the zip; only \`@aws-sdk/*\` is left out of bundles, because the Lambda runtime provides it`;
  }
  const note = m.notes.find((n) => /install|did you mean/i.test(n));
  if (note) return lower(note);
  if (/^Could not resolve/.test(m.text)) return 'check the import path, or install the package in the project that holds the handler';
  return m.notes[0] ? lower(m.notes[0]) : undefined;
}

/** Absolute directories that must never appear in a bundle (it would differ between machines). */
function leakCandidates(cwd: string, entryPath: string): string[] {
  const dirs = [path.resolve(cwd), path.dirname(entryPath)];
  // A path of one segment ("/app") is too likely to be an ordinary string in code.
  return [...new Set(dirs)].filter((d) => d.split(path.sep).filter(Boolean).length >= 2);
}

/**
 * Bundles and zips every request. Entries shared between requests (the same
 * handler in the dev and the prod stack) are bundled and zipped once. Errors in
 * the user's code come back as diagnostics, all of them, never as exceptions.
 */
export async function packageHandlers(requests: readonly PackageRequest[], options: PackageOptions): Promise<PackageResult> {
  const bundleOptions: BundleOptions = { cwd: options.cwd, sourcemap: options.sourcemap === true };
  const pythonRequests = requests.filter((r) => isPythonEntry(r.entryPath));
  const nodeRequests = requests.filter((r) => !isPythonEntry(r.entryPath));
  const [results, python] = await Promise.all([bundleEntries(nodeRequests, bundleOptions), packagePython(pythonRequests, options)]);

  const errors: BundleDiagnostic[] = [...python.errors];
  const packages = new Map<string, HandlerPackage>(python.packages);
  const zips = new Map<string, { zip: Buffer; sha256: string; hex: string; bytes: number }>();
  const reportedFailures = new Set<string>();

  nodeRequests.forEach((req, i) => {
    const result = results[i];
    const entry = path.relative(options.cwd, req.entryPath).split(path.sep).join('/');
    const base = { code: 'bundle-error' as const, severity: 'error' as const, handler: req.name, sourceFile: req.sourceFile, entry };
    if (result.kind === 'failed') {
      // The same broken entry used by several stacks or handlers is reported once per handler name.
      const k = `${req.name}\0${req.entryPath}`;
      if (reportedFailures.has(k)) return;
      reportedFailures.add(k);
      for (const m of result.messages) {
        errors.push({ ...base, file: m.file, line: m.line, column: m.column, message: lower(m.text), lineText: m.lineText, hint: hintFor(m) });
      }
      return;
    }
    if (result.exports && !result.exports.includes(req.export)) {
      const k = `${req.name}\0${req.entryPath}\0export`;
      if (reportedFailures.has(k)) return;
      reportedFailures.add(k);
      const has = result.exports.length > 0 ? result.exports.map((e) => `\`${e}\``).join(', ') : 'nothing';
      errors.push({
        ...base,
        file: entry,
        line: 1,
        column: 1,
        message: `handler \`${req.name}\` calls export \`${req.export}\`, but ${entry} exports ${has}`,
        hint: result.exports.length > 0 ? `set \`export\` to one of ${has}, or export a function named \`${req.export}\`` : `export a function named \`${req.export}\``,
      });
      return;
    }
    const key = bundleKey(req, bundleOptions);
    let zipped = zips.get(key);
    if (!zipped) {
      for (const f of result.files) {
        const text = Buffer.from(f.data).toString('utf8');
        const leak = leakCandidates(options.cwd, req.entryPath).find((d) => text.includes(d));
        if (leak) {
          const k = `${req.name}\0${req.entryPath}\0leak`;
          if (reportedFailures.has(k)) return;
          reportedFailures.add(k);
          errors.push({
            ...base,
            file: entry,
            line: 1,
            column: 1,
            message: `the bundle of handler \`${req.name}\` (${f.name}) contains the absolute path ${leak}, so it would differ between machines`,
            hint: 'compute the path at run time (for example from __dirname) or pass it through the environment',
          });
          return;
        }
      }
      const zip = deterministicZip(result.files);
      const digest = createHash('sha256').update(zip).digest();
      zipped = { zip, sha256: digest.toString('base64'), hex: digest.toString('hex'), bytes: result.bytes };
      zips.set(key, zipped);
    }
    packages.set(req.id, {
      fileName: `${req.name}-${zipped.hex.slice(0, 8)}.zip`,
      zip: zipped.zip,
      sha256: zipped.sha256,
      bundleBytes: zipped.bytes,
      packageImports: result.packageImports,
    });
  });

  if (errors.length > 0) return { ok: false, errors: errors.sort(compareBundleDiagnostics) };
  return { ok: true, packages, bundled: zips.size + python.zipped };
}

function relative(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

/** Python handlers: check entries, collect sources, install requirements, zip (see ./python.ts). */
async function packagePython(
  requests: readonly PackageRequest[],
  options: PackageOptions,
): Promise<{ packages: Map<string, HandlerPackage>; errors: BundleDiagnostic[]; zipped: number }> {
  const packages = new Map<string, HandlerPackage>();
  const errors: BundleDiagnostic[] = [];
  if (requests.length === 0) return { packages, errors, zipped: 0 };
  const ctx = { cwd: options.cwd, packageRoot: packageRoot() };
  const reqs = requests.map((r) => ({ ...r, architecture: r.architecture ?? 'arm64' }));
  const diagnostic = (req: PackageRequest, p: PythonProblem): BundleDiagnostic => ({
    code: 'bundle-error',
    severity: 'error',
    handler: req.name,
    sourceFile: req.sourceFile,
    entry: relative(options.cwd, req.entryPath),
    file: relative(options.cwd, p.file),
    line: p.line,
    column: p.column,
    message: p.message,
    lineText: p.lineText,
    hint: p.hint,
  });
  let checks;
  try {
    checks = await checkEntries(reqs, ctx);
  } catch (e) {
    if (!(e instanceof PythonUnavailableError)) throw e;
    const seen = new Set<string>();
    for (const req of reqs) {
      if (seen.has(req.name)) continue;
      seen.add(req.name);
      errors.push(diagnostic(req, { file: req.entryPath, line: 1, column: 1, message: `cannot package python handler \`${req.name}\`: ${e.message}`, hint: 'install Python 3 (with pip), or set CACHESTACK_PYTHON to the interpreter to use' }));
    }
    return { packages, errors, zipped: 0 };
  }
  const zips = new Map<string, Promise<{ ok: true; zip: Buffer; sha256: string; hex: string; bytes: number } | { ok: false; problems: PythonProblem[] }>>();
  const reported = new Set<string>();
  await Promise.all(
    reqs.map(async (req) => {
      const check = checks.get(`${pythonInterpreter(req.runtime)}\0${req.entryPath}`);
      // the zip does not depend on the export, but the check of the entry function does
      const key = `${pythonPackageKey(req)}\0${req.export}`;
      let pending = zips.get(key);
      if (!pending) {
        pending = pythonPackageFiles(req, check, ctx).then((r) => {
          if (!r.ok) return r;
          const zip = deterministicZip(r.files);
          const digest = createHash('sha256').update(zip).digest();
          return { ok: true as const, zip, sha256: digest.toString('base64'), hex: digest.toString('hex'), bytes: r.sourceBytes };
        });
        zips.set(key, pending);
      }
      const result = await pending;
      if (!result.ok) {
        for (const p of result.problems) {
          const k = `${req.name}\0${p.file}\0${p.line}\0${p.message}`;
          if (reported.has(k)) continue;
          reported.add(k);
          errors.push(diagnostic(req, p));
        }
        return;
      }
      // No esbuild metafile for Python: rule 13's SDK check (`access-sdk-not-granted`) covers bundled JavaScript only.
      packages.set(req.id, { fileName: `${req.name}-${result.hex.slice(0, 8)}.zip`, zip: result.zip, sha256: result.sha256, bundleBytes: result.bytes, packageImports: [] });
    }),
  );
  const distinct = new Set([...packages.values()].map((p) => p.sha256));
  return { packages, errors, zipped: distinct.size };
}

function compareBundleDiagnostics(a: BundleDiagnostic, b: BundleDiagnostic): number {
  const ka = [a.file, String(a.line).padStart(9, '0'), String(a.column).padStart(9, '0'), a.handler, a.message];
  const kb = [b.file, String(b.line).padStart(9, '0'), String(b.column).padStart(9, '0'), b.handler, b.message];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/**
 * Text rendering, in the shape of the validator's text format:
 * `FILE:LINE:COLUMN: error [bundle-error] MESSAGE`, the source line with a caret,
 * then which handler it is about and a hint.
 */
export function formatBundleDiagnostic(d: BundleDiagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: error [${d.code}] ${d.message}`];
  if (d.lineText !== undefined) {
    const shown = d.lineText.replace(/\t/g, ' ');
    lines.push(`  ${shown}`, `  ${' '.repeat(Math.max(0, d.column - 1))}^`);
  }
  const where = d.sourceFile ? ` (declared in ${d.sourceFile})` : '';
  lines.push(`  while ${d.entry.endsWith('.py') ? 'packaging python' : 'bundling'} handler \`${d.handler}\`${where}, entry ${d.entry}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n') + '\n';
}
