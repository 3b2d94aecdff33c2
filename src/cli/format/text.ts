/**
 * The human format, laid out like a compiler's:
 *
 *   config/users.yaml:12:16: error[unresolved-reference]: handler `profle` is not defined
 *     field: restApi.endpoints[0].handler
 *     12 |       handler: profle
 *        |                ^^^^^^
 *     hint: did you mean `profile`?
 *     related: config/users.yaml:20:3: the handlers are defined here
 *
 * then one line per file and a final count. Colour only when asked for.
 *
 * Bounded whatever the file holds: a source line longer than `SOURCE_WIDTH`
 * columns is shown as a window of it around the column, with `…` where it was
 * cut, and a file shows at most `maxDiagnostics` diagnostics (in output order),
 * then a line that counts the rest; the per-file and final counts cover all.
 */
import type { Diagnostic } from '../../config/diagnostics';
import { DEFAULT_MAX_DIAGNOSTICS, Locator, moreDiagnosticsLine, plural, shownDiagnostics, summarize, type FileSummary, type ValidationReport } from './report';

export interface TextOptions {
  color: boolean;
  /** At most this many diagnostics per file (default `DEFAULT_MAX_DIAGNOSTICS`); `Infinity` for all. */
  maxDiagnostics?: number;
}

/** Columns of a source line shown at most (a longer line is windowed). */
export const SOURCE_WIDTH = 120;
/** Columns shown before the start of the span when a line is windowed. */
const CONTEXT_BEFORE = 40;
const ELLIPSIS = '…';

const ANSI = {
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
} as const;

type Style = keyof typeof ANSI;

export function renderText(report: ValidationReport, options: TextOptions): string {
  const paint = (text: string, ...styles: Style[]) =>
    options.color && text ? `${styles.map((s) => ANSI[s]).join('')}${text}${ANSI.reset}` : text;
  const locator = new Locator(report.sources);
  const out: string[] = [];

  for (const item of shownDiagnostics(report, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS)) {
    if ('more' in item) out.push(paint(moreDiagnosticsLine(item), 'dim'), '');
    else out.push(...renderDiagnostic(item, locator, paint), '');
  }

  const summary = summarize(report);
  for (const file of summary.files) out.push(fileLine(file, report.strict, paint));
  out.push(finalLine(summary.files.filter((f) => f.config).length, summary.errors, summary.warnings, summary.valid, report.strict, paint));
  return `${out.join('\n')}\n`;
}

function renderDiagnostic(d: Diagnostic, locator: Locator, paint: (text: string, ...styles: Style[]) => string): string[] {
  const span = locator.span(d.location);
  const colour: Style = d.severity === 'error' ? 'red' : 'yellow';
  const where = `${d.location.file}:${span.line}:${span.column}`;
  const lines = [`${paint(`${where}:`, 'bold')} ${paint(`${d.severity}[${d.code}]`, 'bold', colour)}: ${paint(d.message, 'bold')}`];
  if (d.path) lines.push(`  ${paint('field:', 'dim')} ${d.path}`);
  if (d.environment) lines.push(`  ${paint('environment:', 'dim')} ${d.environment}`);

  const line = locator.line(d.location.file, span.line);
  if (line !== undefined) {
    const number = String(span.line);
    const gutter = ' '.repeat(number.length);
    const startCol = Math.min(span.column, line.length + 1);
    const endCol = span.endLine === span.line ? Math.min(span.endColumn, line.length + 1) : line.length + 1;
    const { text, caret, width } = sourceWindow(line, startCol, endCol);
    // A tab shows as one space, so that the caret counts columns as the location does (after the window: a line may be long).
    lines.push(`  ${paint(`${number} |`, 'blue')} ${text.replace(/\t/g, ' ')}`.trimEnd());
    lines.push(`  ${paint(`${gutter} |`, 'blue')} ${' '.repeat(caret - 1)}${paint('^'.repeat(width), 'bold', colour)}`);
  }
  if (d.hint) lines.push(`  ${paint('hint:', 'bold', 'cyan')} ${d.hint}`);
  for (const r of d.related ?? []) {
    const rs = locator.span(r.location);
    const field = r.path ? ` (${r.path})` : '';
    lines.push(`  ${paint('related:', 'bold', 'blue')} ${r.location.file}:${rs.line}:${rs.column}: ${r.message}${field}`);
  }
  return lines;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * What to print of a source line for a span from column
 * `startCol` to before `endCol` (1-based, in UTF-16 code units, as the location
 * counts them): the line itself when it has at most `SOURCE_WIDTH` columns, else
 * at most `SOURCE_WIDTH` columns around `startCol` with `…` where it was cut
 * (never inside a surrogate pair); and the column and width of the caret in
 * what is printed, cut at the end of the window.
 */
export function sourceWindow(line: string, startCol: number, endCol: number): { text: string; caret: number; width: number } {
  if (line.length <= SOURCE_WIDTH) return { text: line, caret: startCol, width: Math.max(1, endCol - startCol) };
  const start = startCol - 1;
  let from = Math.max(0, start - CONTEXT_BEFORE);
  let to: number;
  if (from === 0) to = SOURCE_WIDTH - 1;
  else if (line.length - from <= SOURCE_WIDTH - 1) {
    from = line.length - (SOURCE_WIDTH - 1);
    to = line.length;
  } else to = from + SOURCE_WIDTH - 2;
  if (from > 0 && isLowSurrogate(line.charCodeAt(from)) && isHighSurrogate(line.charCodeAt(from - 1))) from++;
  if (to < line.length && isHighSurrogate(line.charCodeAt(to - 1)) && isLowSurrogate(line.charCodeAt(to))) to--;
  const left = from > 0 ? ELLIPSIS : '';
  const right = to < line.length ? ELLIPSIS : '';
  const caret = start - from + left.length + 1;
  const width = Math.max(1, Math.min(endCol - 1, to) - start);
  return { text: `${left}${line.slice(from, to)}${right}`, caret, width };
}

function counts(errors: number, warnings: number): string {
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

function fileLine(file: FileSummary, strict: boolean, paint: (text: string, ...styles: Style[]) => string): string {
  const envs = file.environments.length > 0 ? ` (environments: ${file.environments.join(', ')})` : '';
  if (file.valid) {
    const warnings = file.warnings > 0 ? `, ${plural(file.warnings, 'warning')}` : '';
    return `${file.path}: ${paint('valid', 'green')}${warnings}${envs}`;
  }
  const why = file.errors === 0 && strict ? ' (warnings fail with --strict)' : '';
  return `${file.path}: ${paint('invalid', 'red')}, ${counts(file.errors, file.warnings)}${why}${envs}`;
}

function finalLine(
  files: number,
  errors: number,
  warnings: number,
  valid: boolean,
  strict: boolean,
  paint: (text: string, ...styles: Style[]) => string,
): string {
  const checked = `${plural(files, 'file')} checked: `;
  if (valid) return checked + paint(warnings > 0 ? `valid, ${plural(warnings, 'warning')}` : 'valid', 'bold', 'green');
  const why = errors === 0 && strict ? ' (warnings fail with --strict)' : '';
  return checked + paint(`invalid, ${plural(errors, 'error')} and ${plural(warnings, 'warning')}${why}`, 'bold', 'red');
}
