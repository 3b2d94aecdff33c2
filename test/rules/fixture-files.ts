/**
 * The fixture convention shared by every diagnostic code (rules and loader phases):
 *
 *   test/fixtures/rules/<code>/fail*.yaml   first lines: `# expect: <code> <line>:<col>`
 *                                           (or `# expect: <code> <file>:<line>:<col>` for a
 *                                           diagnostic in another file of the same folder,
 *                                           e.g. a .graphql schema), one line per diagnostic;
 *                                           the file's diagnostics must be exactly these.
 *   test/fixtures/rules/<code>/pass*.yaml   no diagnostic at all (no error, no warning).
 *
 * Lines and columns are 1-based, as the text output prints them.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES_DIR = path.join(__dirname, '../fixtures/rules');

export interface Expectation {
  code: string;
  /** Absolute path of the file the diagnostic points into. */
  file: string;
  line: number;
  column: number;
}

export interface Fixture {
  /** The code folder, e.g. `cache-isolation`. */
  code: string;
  kind: 'fail' | 'pass';
  /** Absolute path. */
  file: string;
  /** `cache-isolation/fail-endpoint.yaml`, for test names. */
  name: string;
  expectations: Expectation[];
  /** `# expect:` lines that do not parse, reported by the runner. */
  malformed: string[];
}

const EXPECT = /^#\s*expect:\s*(\S+)\s+(?:(\S+):)?(\d+):(\d+)\s*$/;

/** The `# expect:` lines among the leading comment lines of a fixture. */
export function parseExpectations(text: string, file: string): { expectations: Expectation[]; malformed: string[] } {
  const expectations: Expectation[] = [];
  const malformed: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    if (!/^#\s*expect:/.test(line)) continue;
    const m = EXPECT.exec(line);
    if (!m) {
      malformed.push(line);
      continue;
    }
    const target = m[2] ? path.resolve(path.dirname(file), m[2]) : file;
    expectations.push({ code: m[1], file: target, line: Number(m[3]), column: Number(m[4]) });
  }
  return { expectations, malformed };
}

export function listFixtures(): Fixture[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  const out: Fixture[] = [];
  for (const code of fs.readdirSync(FIXTURES_DIR).sort()) {
    const dir = path.join(FIXTURES_DIR, code);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      const kind = f.startsWith('fail') ? 'fail' : f.startsWith('pass') ? 'pass' : undefined;
      if (!kind || !/\.ya?ml$/.test(f)) continue;
      const file = path.join(dir, f);
      // A fixture may itself be unreadable on purpose (a directory named fail.yaml, say).
      let text = '';
      try {
        text = fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : '';
      } catch {
        text = '';
      }
      out.push({ code, kind, file, name: `${code}/${f}`, ...parseExpectations(text, file) });
    }
  }
  return out;
}

/** `code file:line:col` with the file relative to the fixtures folder, for readable diffs. */
export function formatExpectation(e: Expectation): string {
  return `${e.code} ${path.relative(FIXTURES_DIR, e.file).split(path.sep).join('/')}:${e.line}:${e.column}`;
}
