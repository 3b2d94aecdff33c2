/**
 * Rule 9 for Python handlers: the entry's language, the runtime and the
 * requirements file agree.
 *
 * What:
 * - `handler-runtime-mismatch` (error): a `.py` entry with a Node.js runtime, or a
 *   JavaScript/TypeScript entry with a Python runtime. Lambda would load the zip
 *   with the wrong runtime and fail on the first invocation.
 * - `python-export-invalid` (error): the `export` of a `.py` entry is not a Python
 *   identifier (`$` is allowed in JavaScript names only).
 * - `requirements-not-python` (error): `requirements` on a JavaScript/TypeScript
 *   entry, whose dependencies come from `node_modules` through the bundler.
 * - `requirements-not-found` (error): the requirements file does not exist
 *   (relative to the config file).
 * - `requirements-unsupported` (error): a line of the requirements file that
 *   packaging cannot honour reproducibly: `-r`/`-c` includes (their content would
 *   not be part of the install cache key), `-e` editable installs and local paths
 *   (they install from this machine, so the zip would differ elsewhere). It points
 *   at the line in the requirements file.
 *
 * What is checked at synth instead (it needs the Python interpreter and pip, see
 * src/package/python.ts and docs/synth.md): a syntax error in the handler, a
 * missing entry function, and a requirement pip cannot resolve for the
 * function's platform.
 */
import type { SourceLocation } from '../diagnostics';
import { isPythonEntry, isPythonRuntime } from '../constants';
import type { Rule } from './types';

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a requirements line cannot be installed reproducibly, or `undefined`. */
export function unsupportedRequirement(line: string): string | undefined {
  const text = line.replace(/(^|\s)#.*$/, '').trim();
  if (text === '') return undefined;
  if (/^(-r|--requirement|-c|--constraint)(\s|=|$)/.test(text) || /^-[rc]\S/.test(text)) {
    return 'includes another file; its content would not be part of the install cache key, so list its requirements in this file';
  }
  if (/^(-e|--editable)(\s|=|$)/.test(text)) return 'is an editable install, which installs from this machine; name a released version instead';
  if (/^(\.{1,2}[\\/]|\/|~|file:)/.test(text)) return 'installs from a local path, so the zip would depend on this machine; name a released version instead';
  return undefined;
}

export const pythonHandlersRule: Rule = {
  id: 'python-handlers',
  meta: [
    {
      code: 'handler-runtime-mismatch',
      severity: 'error',
      description: 'a `.py` entry with a Node.js `runtime`, or a JavaScript/TypeScript entry with a Python `runtime`.',
      specRule: 9,
    },
    {
      code: 'python-export-invalid',
      severity: 'error',
      description: 'the `export` of a `.py` entry is not a Python identifier.',
      specRule: 9,
    },
    {
      code: 'requirements-not-python',
      severity: 'error',
      description: '`requirements` on a JavaScript/TypeScript entry (only Python handlers install requirements).',
      specRule: 9,
    },
    {
      code: 'requirements-not-found',
      severity: 'error',
      description: 'a handler\'s `requirements` file does not exist (paths are relative to the config file).',
      specRule: 9,
    },
    {
      code: 'requirements-unsupported',
      severity: 'error',
      description: 'a requirements line that cannot be installed reproducibly: `-r`/`-c` includes, `-e` editable installs, local paths.',
      specRule: 9,
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      const python = isPythonEntry(h.entry);
      if (python !== isPythonRuntime(h.runtime)) {
        ctx.report({
          code: 'handler-runtime-mismatch',
          path: ['handlers', h.name, 'runtime'],
          message: python
            ? `handler \`${h.name}\`: entry \`${h.entry}\` is a Python file, but \`runtime\` is \`${h.runtime}\`, a Node.js runtime`
            : `handler \`${h.name}\`: entry \`${h.entry}\` is JavaScript/TypeScript, but \`runtime\` is \`${h.runtime}\`, a Python runtime`,
          hint: python ? 'use `python3.12` or `python3.13`, or leave `runtime` out (python3.13)' : 'use `nodejs22.x` or `nodejs24.x`, or leave `runtime` out (nodejs22.x)',
        });
      }
      if (python && !PYTHON_IDENTIFIER.test(h.export)) {
        ctx.report({
          code: 'python-export-invalid',
          path: ['handlers', h.name, 'export'],
          message: `handler \`${h.name}\`: \`export\` \`${h.export}\` is not a Python identifier`,
          hint: 'name a top-level function of the entry module: letters, digits and underscores, not starting with a digit',
        });
      }
      if (h.requirements === undefined || h.requirementsPath === undefined) continue;
      if (!python) {
        ctx.report({
          code: 'requirements-not-python',
          path: ['handlers', h.name, 'requirements'],
          message: `handler \`${h.name}\`: \`requirements\` applies to Python handlers only, and entry \`${h.entry}\` is JavaScript/TypeScript`,
          hint: 'remove `requirements`: a JavaScript/TypeScript handler\'s packages come from node_modules through the bundler',
        });
        continue;
      }
      if (ctx.refused(h.requirementsPath)) continue;
      if (!ctx.fileExists(h.requirementsPath)) {
        ctx.report({
          code: 'requirements-not-found',
          path: ['handlers', h.name, 'requirements'],
          message: `handler \`${h.name}\`: requirements file \`${h.requirements}\` does not exist (looked at \`${ctx.displayPath(h.requirementsPath)}\`)`,
          hint: 'the path is relative to the config file',
        });
        continue;
      }
      const text = ctx.readFile(h.requirementsPath);
      if (text === undefined) continue;
      const display = ctx.displayPath(h.requirementsPath);
      let offset = 0;
      for (const line of text.split('\n')) {
        const why = unsupportedRequirement(line.replace(/\r$/, ''));
        if (why) {
          const start = offset + (line.length - line.trimStart().length);
          const location: SourceLocation = { file: display, start, end: offset + line.replace(/\r$/, '').length };
          ctx.report({
            code: 'requirements-unsupported',
            path: ['handlers', h.name, 'requirements'],
            message: `handler \`${h.name}\`: requirements line \`${line.trim()}\` ${why}`,
            location,
          });
        }
        offset += line.length + 1;
      }
    }
  },
};
