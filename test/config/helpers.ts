/**
 * Helpers for the loader tests: config files in a fresh temporary directory, and
 * diagnostics as `code line:column` strings (1-based, as the text output prints them).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lineCounterOf, positionOf, type Diagnostic } from '../../src/config/diagnostics';
import { loadConfig, type LoadOptions, type LoadResult } from '../../src/config/load';

/** A minimal valid service; tests append to it or replace lines. */
export const MINIMAL = ['version: 1', 'service: svc', 'region: us-east-1', ''].join('\n');

export class TempDir {
  readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-config-'));
    fs.writeFileSync(path.join(this.dir, 'ok.ts'), 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
  }

  write(name: string, content: string | Uint8Array): string {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return name;
  }

  load(files: string[], options: Omit<LoadOptions, 'cwd'> = {}): LoadResult {
    return loadConfig(files, { ...options, cwd: this.dir });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `code line:col` of each diagnostic, in output order. */
export function places(result: Pick<LoadResult, 'diagnostics' | 'sources'>): string[] {
  return result.diagnostics.map((d) => `${d.code} ${where(result, d)}`);
}

export function where(result: Pick<LoadResult, 'sources'>, d: Pick<Diagnostic, 'location'>): string {
  const text = result.sources.get(d.location.file) ?? '';
  const p = positionOf(lineCounterOf(text), d.location.start);
  return `${p.line}:${p.column}`;
}

/** The one diagnostic with `code`; fails the test when there is not exactly one. */
export function only(result: LoadResult, code: string): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) throw new Error(`expected one ${code}, got: ${JSON.stringify(places(result))}`);
  return found[0];
}
