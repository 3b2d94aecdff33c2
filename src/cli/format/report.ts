/**
 * What every output format renders: the files checked, their diagnostics and the
 * source texts the diagnostics point into. Renderers are pure functions of a
 * report, so the same report always prints the same bytes.
 */
import { compareDiagnostics, lineCounterOf, positionOf, type Diagnostic, type LineCounter, type SourceLocation } from '../../config/diagnostics';

export interface ReportFile {
  /** Display path (relative to the working directory, `/` separators). */
  path: string;
  /** Environments the file defines, in order; empty when it has none or could not be read that far. */
  environments: readonly string[];
}

export interface ValidationReport {
  /** Config files checked, in the order they were given. */
  files: readonly ReportFile[];
  diagnostics: readonly Diagnostic[];
  /** Display path → text of every file a diagnostic may point into. */
  sources: ReadonlyMap<string, string>;
  /** `--strict`: warnings make a file invalid. */
  strict: boolean;
}

/** What the rule-code table, SARIF and docs know about a code. */
export interface CodeInfo {
  code: string;
  severity: 'error' | 'warning';
  description: string;
}

export interface FileSummary {
  path: string;
  environments: readonly string[];
  errors: number;
  warnings: number;
  valid: boolean;
  /** False for files that were not given as config but hold diagnostics (a GraphQL schema file). */
  config: boolean;
}

export interface Summary {
  files: FileSummary[];
  errors: number;
  warnings: number;
  valid: boolean;
}

export function sortedDiagnostics(report: ValidationReport): Diagnostic[] {
  return [...report.diagnostics].sort(compareDiagnostics);
}

/**
 * Diagnostics per file that the human formats (text, github) show by default: a
 * file with thousands of errors (one broken line repeated) says what is wrong in
 * its first hundred. The machine formats (json, sarif) list every diagnostic.
 */
export const DEFAULT_MAX_DIAGNOSTICS = 100;

/** The diagnostics of a file that a capped format leaves out. */
export interface MoreDiagnostics {
  more: number;
  file: string;
  errors: number;
  warnings: number;
}

/**
 * The sorted diagnostics, at most `max` per file (`Infinity`: all); where a file's
 * shown diagnostics end, what was left out of it.
 */
export function shownDiagnostics(report: ValidationReport, max: number): (Diagnostic | MoreDiagnostics)[] {
  const out: (Diagnostic | MoreDiagnostics)[] = [];
  let file: string | undefined;
  let shown = 0;
  let left: MoreDiagnostics | undefined;
  const flush = () => {
    if (left) out.push(left);
    left = undefined;
  };
  for (const d of sortedDiagnostics(report)) {
    if (d.location.file !== file) {
      flush();
      file = d.location.file;
      shown = 0;
    }
    if (shown < max) {
      out.push(d);
      shown++;
      continue;
    }
    left ??= { more: 0, file: d.location.file, errors: 0, warnings: 0 };
    left.more++;
    if (d.severity === 'error') left.errors++;
    else left.warnings++;
  }
  flush();
  return out;
}

/** The line that stands for the diagnostics a capped format left out of a file. */
export function moreDiagnosticsLine(left: MoreDiagnostics): string {
  const what = [left.errors > 0 ? plural(left.errors, 'error') : '', left.warnings > 0 ? plural(left.warnings, 'warning') : ''].filter(Boolean).join(' and ');
  return `… and ${plural(left.more, 'more diagnostic')} in ${left.file} (${what}); \`cachestack validate --max-diagnostics 0\` shows them all`;
}

/**
 * Counts per file: the config files in their order, then any other file that a
 * diagnostic points into (sorted), so a broken `.graphql` file is not hidden.
 */
export function summarize(report: ValidationReport): Summary {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const d of report.diagnostics) {
    const c = counts.get(d.location.file) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') c.errors++;
    else c.warnings++;
    counts.set(d.location.file, c);
  }
  const isValid = (c: { errors: number; warnings: number }) => c.errors === 0 && (!report.strict || c.warnings === 0);
  const files: FileSummary[] = [];
  const seen = new Set<string>();
  for (const f of report.files) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    const c = counts.get(f.path) ?? { errors: 0, warnings: 0 };
    files.push({ path: f.path, environments: f.environments, ...c, valid: isValid(c), config: true });
  }
  for (const path of [...counts.keys()].filter((p) => !seen.has(p)).sort()) {
    const c = counts.get(path)!;
    files.push({ path, environments: [], ...c, valid: isValid(c), config: false });
  }
  const errors = files.reduce((n, f) => n + f.errors, 0);
  const warnings = files.reduce((n, f) => n + f.warnings, 0);
  return { files, errors, warnings, valid: isValid({ errors, warnings }) };
}

/** Line/column span of a location, 1-based; `endColumn` is the column after the last character. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns offsets into lines and columns, computing each file's line starts once. */
export class Locator {
  private readonly counters = new Map<string, LineCounter>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  text(file: string): string | undefined {
    return this.sources.get(file);
  }

  private lines(file: string): LineCounter {
    let lines = this.counters.get(file);
    if (!lines) {
      lines = lineCounterOf(this.sources.get(file) ?? '');
      this.counters.set(file, lines);
    }
    return lines;
  }

  span(location: SourceLocation): Span {
    const text = this.sources.get(location.file) ?? '';
    const start = clamp(location.start, 0, text.length);
    let end = clamp(location.end, start, text.length);
    // A node that ends with its line break ends on its own line.
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    const lines = this.lines(location.file);
    const from = positionOf(lines, start);
    const to = positionOf(lines, end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** The text of a 1-based line without its line break, or undefined when the file is not known. */
  line(file: string, line: number): string | undefined {
    const text = this.sources.get(file);
    if (text === undefined) return undefined;
    const starts = this.lines(file).lineStarts;
    if (line < 1 || line > starts.length) return undefined;
    const from = starts[line - 1];
    const to = line < starts.length ? starts[line] - 1 : text.length;
    return text.charCodeAt(to - 1) === 13 && to > from ? text.slice(from, to - 1) : text.slice(from, to);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), lo), hi) : lo;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
