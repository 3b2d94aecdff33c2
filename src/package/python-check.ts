/**
 * Checks Python entry files with the Python interpreter itself, in one
 * subprocess for all of them: `compile()` finds syntax errors (with Python's own
 * line, column and message), and the module's top-level statements tell whether
 * the entry function exists. The module is never imported or run.
 */
import { spawn } from 'node:child_process';

/** What the checker found in one file. */
export type PythonCheck =
  | { ok: true; /** Top-level names the module binds: `def`, `class`, assignments, imports. */ names: { name: string; kind: 'def' | 'async def' | 'class' | 'assignment' | 'import'; line: number }[] }
  | { ok: false; kind: 'syntax'; line: number; column: number; message: string; lineText?: string }
  | { ok: false; kind: 'unreadable'; message: string };

/**
 * The checker, run as `python -c`. Reads a JSON list of paths on stdin, writes a
 * JSON list of results on stdout. `compile(..., dont_inherit=True)` with no
 * optimisation: the same checks the Lambda runtime's import would make first.
 */
export const CHECK_SCRIPT = String.raw`
import ast, json, sys
out = []
for path in json.load(sys.stdin):
    try:
        with open(path, 'rb') as f:
            source = f.read()
    except OSError as e:
        out.append({'ok': False, 'kind': 'unreadable', 'message': e.strerror or str(e)})
        continue
    try:
        tree = compile(source, path, 'exec', ast.PyCF_ONLY_AST, dont_inherit=True)
        compile(tree, path, 'exec', dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        if isinstance(e, SyntaxError):
            text = e.text.rstrip('\r\n') if isinstance(e.text, str) else None
            out.append({'ok': False, 'kind': 'syntax', 'line': e.lineno or 1, 'column': e.offset or 1, 'message': e.msg, 'lineText': text})
        else:
            out.append({'ok': False, 'kind': 'syntax', 'line': 1, 'column': 1, 'message': str(e)})
        continue
    names = []
    def bind(target, kind, line):
        if isinstance(target, ast.Name):
            names.append({'name': target.id, 'kind': kind, 'line': line})
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                bind(t, kind, line)
    def visit(body):
        for node in body:
            if isinstance(node, ast.FunctionDef):
                names.append({'name': node.name, 'kind': 'def', 'line': node.lineno})
            elif isinstance(node, ast.AsyncFunctionDef):
                names.append({'name': node.name, 'kind': 'async def', 'line': node.lineno})
            elif isinstance(node, ast.ClassDef):
                names.append({'name': node.name, 'kind': 'class', 'line': node.lineno})
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    bind(t, 'assignment', node.lineno)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                bind(node.target, 'assignment', node.lineno)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for a in node.names:
                    if a.name != '*':
                        names.append({'name': (a.asname or a.name).split('.')[0], 'kind': 'import', 'line': node.lineno})
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(node.orelse)
                for h in getattr(node, 'handlers', []):
                    visit(h.body)
                visit(getattr(node, 'finalbody', []))
            elif isinstance(node, ast.With):
                visit(node.body)
    visit(tree.body)
    out.append({'ok': True, 'names': names})
json.dump(out, sys.stdout)
`;

export class PythonUnavailableError extends Error {}

/** Runs `python -c script` with `input` on stdin; resolves with exit code, stdout and stderr. */
export function runPython(python: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    } catch (e) {
      reject(new PythonUnavailableError(`cannot run ${python}: ${(e as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new PythonUnavailableError(e.code === 'ENOENT' ? `${python} is not installed (or not on PATH)` : `cannot run ${python}: ${e.message}`));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Checks every file (absolute paths); results in the same order. */
export async function checkPythonFiles(python: string, files: readonly string[]): Promise<PythonCheck[]> {
  if (files.length === 0) return [];
  const r = await runPython(python, ['-I', '-c', CHECK_SCRIPT], JSON.stringify(files));
  if (r.code !== 0) throw new PythonUnavailableError(`${python} could not check the handlers: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`}`);
  return JSON.parse(r.stdout) as PythonCheck[];
}
