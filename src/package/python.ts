/**
 * Python handler packaging: a `.py` entry → the Python sources of its directory,
 * the Python runtime kit (`cachestack_runtime`) and the packages of its
 * `requirements`, installed for the function's platform → one deterministic zip.
 *
 * - Sources: every `*.py` file under the entry's directory (sub-packages
 *   included), at the zip's root, so Lambda's handler string is
 *   `<entry module>.<export>`. Skipped: `__pycache__`, compiled files, hidden
 *   directories (`.venv`, `.git`), `node_modules`, and directories holding a
 *   virtual environment (`pyvenv.cfg`). A file whose real path is outside the
 *   project root is an error, as for bundled TypeScript.
 * - The kit: `handlers/python/cachestack_runtime/*.py` of the cachestack package,
 *   as `cachestack_runtime/` in every zip.
 * - Requirements: `python -m pip install --target DIR --platform
 *   manylinux2014_<aarch64|x86_64> --python-version <3.12|3.13> --implementation cp
 *   --only-binary=:all: --no-compile -r FILE`, cached by the SHA-256 of the file's
 *   bytes, the platform and the Python version (see `requirementsCacheDir`); a
 *   cache entry is written to a temporary directory and renamed into place, so
 *   concurrent synths never see half an install. From the installed tree the zip
 *   leaves out what would differ between machines or runs and that nothing
 *   imports: `bin/` (console scripts, with this machine's interpreter path in
 *   their first line), `__pycache__`/`*.pyc`, and in `*.dist-info/` the files pip
 *   writes about the installation rather than the package: `RECORD` (a list of
 *   the installed files and their hashes, which would list the dropped scripts;
 *   only `pip uninstall` reads it), `INSTALLER`, `REQUESTED` and
 *   `direct_url.json` (which holds a local path for file installs). `METADATA`,
 *   `WHEEL`, `entry_points.txt`, `top_level.txt` and license files stay:
 *   `importlib.metadata.version()` reads `METADATA`.
 * - Checks, each a diagnostic in the file it is about, never an exception: a
 *   syntax error in the entry (Python's own message, line and column, from
 *   `compile()`), an entry function that the module does not define at top
 *   level (or defines with `async def`, which Lambda's Python runtime does not
 *   await), a requirement pip cannot resolve for the platform (at its line in the
 *   requirements file), a source file that clashes with an installed package or
 *   with the kit.
 *
 * The interpreter is `CACHESTACK_PYTHON` when set, else `python3.12`/`python3.13`
 * matching the runtime when it is on PATH, else `python3`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from '../config/cache-dir';
import { isWithin } from '../config/files';
import { checkPythonFiles, PythonUnavailableError, runPython, type PythonCheck } from './python-check';
import type { ZipFile } from './zip';

/** Bumped when what is installed into a cache entry (or how) changes. */
const CACHE_FORMAT = 1;

export interface PythonRequest {
  name: string;
  entryPath: string;
  export: string;
  runtime: string;
  architecture: string;
  requirementsPath?: string;
  projectRoot?: string;
  sourceFile?: string;
}

export interface PythonProblem {
  /** Absolute path of the file the problem is in. */
  file: string;
  line: number;
  column: number;
  message: string;
  lineText?: string;
  hint?: string;
}

export type PythonPackageResult = { ok: true; files: ZipFile[]; sourceBytes: number } | { ok: false; problems: PythonProblem[] };

/** `python3.13` → `3.13`. */
export function pythonVersionOf(runtime: string): string {
  const m = /^python(\d+\.\d+)$/.exec(runtime);
  if (!m) throw new Error(`not a python runtime: ${JSON.stringify(runtime)}`);
  return m[1];
}

/** The pip platform tag of a Lambda architecture. */
export function pipPlatformOf(architecture: string): string {
  return architecture === 'x86_64' ? 'manylinux2014_x86_64' : 'manylinux2014_aarch64';
}

const onPath = new Map<string, boolean>();
function commandExists(cmd: string): boolean {
  let known = onPath.get(cmd);
  if (known === undefined) {
    known = spawnSync(cmd, ['-c', 'pass'], { stdio: 'ignore' }).status === 0;
    onPath.set(cmd, known);
  }
  return known;
}

/** The interpreter that checks entries and runs pip (see the module comment). */
export function pythonInterpreter(runtime: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CACHESTACK_PYTHON) return env.CACHESTACK_PYTHON;
  const exact = runtime.startsWith('python') ? runtime : undefined;
  if (exact && commandExists(exact)) return exact;
  return 'python3';
}

/**
 * Where installed requirements are kept: `CACHESTACK_CACHE_DIR`, else
 * `node_modules/.cache/cachestack` of the working directory when it has
 * `node_modules`, else the user's cache directory (`$XDG_CACHE_HOME` or
 * `~/.cache`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows; see
 * `userCacheDir`).
 */
export function requirementsCacheRoot(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CACHESTACK_CACHE_DIR) return path.resolve(cwd, env.CACHESTACK_CACHE_DIR, 'python');
  if (fs.existsSync(path.join(cwd, 'node_modules'))) return path.join(cwd, 'node_modules', '.cache', 'cachestack', 'python');
  return path.join(userCacheDir(env), 'cachestack', 'python');
}

/** The cache key of one install: the requirements' bytes, the platform and the Python version. */
export function requirementsKey(requirements: Buffer, platform: string, pythonVersion: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, platform, pythonVersion, implementation: 'cp' }))
    .update('\0')
    .update(requirements)
    .digest('hex');
}

const DIST_INFO_DROPPED = new Set(['RECORD', 'INSTALLER', 'REQUESTED', 'direct_url.json']);

/** Whether an installed file (path relative to the install directory, `/` separators) goes into the zip. */
export function keepInstalledFile(rel: string): boolean {
  const parts = rel.split('/');
  if (parts[0] === 'bin') return false;
  if (parts.includes('__pycache__') || rel.endsWith('.pyc') || rel.endsWith('.pyo')) return false;
  if (parts.length === 2 && parts[0].endsWith('.dist-info') && DIST_INFO_DROPPED.has(parts[1])) return false;
  return true;
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Every regular file under `dir` (relative, `/` separators, sorted), following `filter` for directories. */
function walk(dir: string, skipDir: (abs: string, name: string) => boolean, keepFile: (name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(childAbs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // a dangling link
        }
      }
      if (isDir) {
        if (!skipDir(childAbs, entry.name)) visit(childAbs, childRel);
      } else if (isFile && keepFile(entry.name)) {
        out.push(childRel);
      }
    }
  };
  visit(dir, '');
  return out;
}

/** The `.py` files of an entry's directory (see the module comment for what is skipped). */
export function pythonSources(dir: string): string[] {
  return walk(
    dir,
    (abs, name) => name.startsWith('.') || name === '__pycache__' || name === 'node_modules' || fs.existsSync(path.join(abs, 'pyvenv.cfg')),
    (name) => name.endsWith('.py'),
  );
}

/** Directory of the Python runtime kit shipped in the cachestack package. */
export function pythonKitDir(packageRoot: string): string {
  return path.join(packageRoot, 'handlers', 'python', 'cachestack_runtime');
}

function kitFiles(packageRoot: string): ZipFile[] {
  const dir = pythonKitDir(packageRoot);
  return pythonSources(dir).map((rel) => ({ name: `cachestack_runtime/${rel}`, data: fs.readFileSync(path.join(dir, rel)) }));
}

const installs = new Map<string, Promise<{ ok: true; dir: string } | { ok: false; problems: PythonProblem[] }>>();

/** Lower-case, `-`/`_`/`.` runs as `-` (PEP 503). */
function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The line (1-based) and column of the requirement naming `pkg` in `text`, else line 1. */
function requirementLine(text: string, pkg: string): { line: number; column: number; lineText?: string } {
  const want = canonicalName(pkg);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const m = /^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(raw);
    if (m && canonicalName(m[2]) === want) return { line: i + 1, column: m[1].length + 1, lineText: raw };
  }
  return { line: 1, column: 1, lineText: lines[0]?.replace(/\r$/, '') };
}

/** pip's failure, placed in the requirements file. */
export function pipProblem(stderr: string, requirementsPath: string, text: string, target: string): PythonProblem {
  const errors = stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('ERROR:'));
  const notFound = errors.map((l) => /^ERROR: No matching distribution found for (\S+)/.exec(l)).find((m) => m !== null);
  const versions = errors.map((l) => /^ERROR: Could not find a version that satisfies the requirement (\S+) \(from versions: ([^)]*)\)/.exec(l)).find((m) => m !== null);
  if (notFound) {
    const spec = notFound[1];
    const pkg = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec)?.[0] ?? spec;
    const at = requirementLine(text, pkg);
    const available = versions && versions[2].trim() !== 'none' ? `; versions with such a wheel: ${versions[2].trim()}` : '';
    return {
      file: requirementsPath,
      ...at,
      message: `requirement \`${spec}\` cannot be resolved for ${target}: no matching distribution (binary wheels only)${available}`,
      hint: 'pick a version that publishes a wheel for this platform and Python version (manylinux2014 or older, or pure Python), or check the package index pip uses (pip config list)',
    };
  }
  const fromLine = errors.map((l) => /from line (\d+) of/.exec(l)).find((m) => m !== null);
  const first = errors[0]?.replace(/^ERROR:\s*/, '') ?? (stderr.trim().split('\n').pop() || 'pip failed');
  const line = fromLine ? Number(fromLine[1]) : 1;
  return {
    file: requirementsPath,
    line,
    column: 1,
    lineText: text.split('\n')[line - 1]?.replace(/\r$/, ''),
    message: `pip cannot install the requirements for ${target}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`,
    hint: 'run the same `pip install --platform ... --only-binary=:all:` yourself to see pip\'s whole output',
  };
}

/**
 * Installs a requirements file for one platform into the cache (once per key,
 * also across concurrent processes), resolving with the cache directory.
 */
export function installRequirements(
  requirementsPath: string,
  runtime: string,
  architecture: string,
  cacheRoot: string,
  python: string,
): Promise<{ ok: true; dir: string } | { ok: false; problems: PythonProblem[] }> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(requirementsPath);
  } catch (e) {
    return Promise.resolve({ ok: false, problems: [{ file: requirementsPath, line: 1, column: 1, message: `cannot read the requirements file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }] });
  }
  const version = pythonVersionOf(runtime);
  const platform = pipPlatformOf(architecture);
  const key = requirementsKey(bytes, platform, version);
  const final = path.join(cacheRoot, key);
  const memo = installs.get(final);
  if (memo) return memo;
  const work = (async () => {
    if (fs.existsSync(path.join(final, '.cachestack-complete'))) return { ok: true as const, dir: final };
    fs.mkdirSync(cacheRoot, { recursive: true });
    const tmp = path.join(cacheRoot, `.tmp-${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      const args = [
        '-m', 'pip', 'install', '--target', tmp, '--platform', platform, '--python-version', version,
        '--implementation', 'cp', '--only-binary=:all:', '--no-compile', '--disable-pip-version-check', '--no-input', '--quiet',
        '-r', requirementsPath,
      ];
      const r = await runPython(python, args, undefined, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
      if (r.code !== 0) {
        const target = `python${version} on ${architecture === 'x86_64' ? 'x86_64' : 'arm64'} (${platform})`;
        return { ok: false as const, problems: [pipProblem(r.stderr, requirementsPath, bytes.toString('utf8'), target)] };
      }
      fs.writeFileSync(path.join(tmp, '.cachestack-complete'), `${key}\n`);
      try {
        fs.renameSync(tmp, final);
      } catch (e) {
        // another process finished the same install first: use its copy
        const code = (e as NodeJS.ErrnoException).code;
        if (!((code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM') && fs.existsSync(path.join(final, '.cachestack-complete')))) throw e;
      }
      return { ok: true as const, dir: final };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  })();
  installs.set(final, work);
  work.catch(() => installs.delete(final));
  return work;
}

/** The files of an install directory that go into a zip. */
export function installedFiles(dir: string): ZipFile[] {
  return walk(dir, () => false, (name) => name !== '.cachestack-complete')
    .filter(keepInstalledFile)
    .map((rel) => ({ name: rel, data: fs.readFileSync(path.join(dir, rel)) }));
}

export interface PythonContext {
  cwd: string;
  packageRoot: string;
  env?: NodeJS.ProcessEnv;
}

/** Checks of the entries, run once for every distinct (interpreter, entry file). */
export async function checkEntries(requests: readonly PythonRequest[], ctx: PythonContext): Promise<Map<string, PythonCheck | { ok: false; kind: 'unreadable'; message: string }>> {
  const byPython = new Map<string, string[]>();
  for (const r of requests) {
    const py = pythonInterpreter(r.runtime, ctx.env);
    const list = byPython.get(py) ?? [];
    if (!list.includes(r.entryPath)) list.push(r.entryPath);
    byPython.set(py, list);
  }
  const out = new Map<string, PythonCheck>();
  await Promise.all(
    [...byPython].map(async ([py, files]) => {
      const results = await checkPythonFiles(py, files);
      files.forEach((f, i) => out.set(`${py}\0${f}`, results[i]));
    }),
  );
  return out;
}

function entryProblems(req: PythonRequest, check: PythonCheck | undefined): PythonProblem[] {
  if (!check) return [];
  if (!check.ok) {
    if (check.kind === 'unreadable') return [{ file: req.entryPath, line: 1, column: 1, message: `cannot read the handler: ${check.message}` }];
    return [{ file: req.entryPath, line: check.line, column: check.column, lineText: check.lineText, message: `python syntax error: ${check.message}`, hint: `python${pythonVersionOf(req.runtime)} would fail to import the handler` }];
  }
  const bound = check.names.filter((n) => n.name === req.export);
  const last = bound[bound.length - 1];
  const base = path.basename(req.entryPath);
  if (!last) {
    const defs = check.names.filter((n) => n.kind === 'def').map((n) => `\`${n.name}\``);
    return [{
      file: req.entryPath,
      line: 1,
      column: 1,
      message: `handler \`${req.name}\` calls \`${req.export}\`, but ${base} defines no top-level \`${req.export}\``,
      hint: defs.length > 0 ? `set \`export\` to one of ${defs.join(', ')}, or define \`def ${req.export}(event, context)\`` : `define \`def ${req.export}(event, context)\` at the top level of ${base}`,
    }];
  }
  if (last.kind === 'async def') {
    return [{
      file: req.entryPath,
      line: last.line,
      column: 1,
      message: `\`${req.export}\` is an \`async def\`: Lambda's Python runtime calls it without awaiting it, so it would return a coroutine`,
      hint: `define a plain \`def ${req.export}(event, context)\` that runs the coroutine with \`asyncio.run(...)\``,
    }];
  }
  return [];
}

/** Key under which identical zips are shared: same directory, platform, Python version, requirements, confinement. */
export function pythonPackageKey(req: PythonRequest): string {
  return ['py', path.dirname(req.entryPath), req.runtime, req.architecture, req.requirementsPath ?? '', req.projectRoot ?? ''].join('\0');
}

/**
 * The files of one Python handler's zip, or the problems that prevent it.
 * `check` is the entry's check result (from `checkEntries`).
 */
export async function pythonPackageFiles(req: PythonRequest, check: PythonCheck | undefined, ctx: PythonContext): Promise<PythonPackageResult> {
  const problems = entryProblems(req, check);
  const dir = path.dirname(req.entryPath);
  const rels = pythonSources(dir);
  const files: ZipFile[] = [];
  let sourceBytes = 0;
  for (const rel of rels) {
    const abs = path.join(dir, rel);
    if (req.projectRoot !== undefined) {
      let real: string;
      try {
        real = fs.realpathSync.native(abs);
      } catch {
        real = abs;
      }
      if (!isWithin(req.projectRoot, real)) {
        problems.push({ file: abs, line: 1, column: 1, message: `${posix(path.relative(ctx.cwd, abs))} (a symbolic link to ${real}) is outside the project root; it is not packaged`, hint: 'keep the file inside the project, or pass --allow-outside-root to package it anyway' });
        continue;
      }
    }
    const data = fs.readFileSync(abs);
    sourceBytes += data.length;
    files.push({ name: rel, data });
  }
  const kit = kitFiles(ctx.packageRoot);
  const taken = new Map<string, string>();
  for (const f of files) taken.set(f.name, 'source');
  for (const f of kit) {
    if (taken.has(f.name)) {
      problems.push({ file: path.join(dir, f.name), line: 1, column: 1, message: `${f.name} would replace the cachestack runtime kit's module of the same name in the zip`, hint: 'rename the directory: `cachestack_runtime` is the kit\'s package' });
    } else taken.set(f.name, 'kit');
  }
  files.push(...kit.filter((f) => taken.get(f.name) === 'kit'));

  if (req.requirementsPath !== undefined) {
    const python = pythonInterpreter(req.runtime, ctx.env);
    const installed = await installRequirements(req.requirementsPath, req.runtime, req.architecture, requirementsCacheRoot(ctx.cwd, ctx.env), python);
    if (!installed.ok) {
      problems.push(...installed.problems);
    } else {
      for (const f of installedFiles(installed.dir)) {
        const owner = taken.get(f.name);
        if (owner) {
          problems.push({
            file: owner === 'kit' ? req.requirementsPath : path.join(dir, f.name),
            line: 1,
            column: 1,
            message: `${f.name} is both ${owner === 'kit' ? 'in the cachestack runtime kit' : 'a source file of the handler'} and installed by the requirements`,
            hint: owner === 'kit' ? 'remove the requirement that installs `cachestack_runtime`' : 'rename the module, so that it does not shadow the installed package',
          });
          continue;
        }
        taken.set(f.name, 'requirements');
        files.push(f);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, files, sourceBytes };
}

export { PythonUnavailableError };
