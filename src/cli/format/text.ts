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
 */
import type { Diagnostic } from '../../config/diagnostics';
import { Locator, plural, sortedDiagnostics, summarize, type FileSummary, type ValidationReport } from './report';

export interface TextOptions {
  color: boolean;
}

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

  for (const d of sortedDiagnostics(report)) out.push(...renderDiagnostic(d, locator, paint), '');

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

  const source = locator.line(d.location.file, span.line);
  if (source !== undefined) {
    const shown = source.replace(/\t/g, ' ');
    const number = String(span.line);
    const gutter = ' '.repeat(number.length);
    const startCol = Math.min(span.column, shown.length + 1);
    const endCol = span.endLine === span.line ? Math.min(span.endColumn, shown.length + 1) : shown.length + 1;
    const width = Math.max(1, endCol - startCol);
    lines.push(`  ${paint(`${number} |`, 'blue')} ${shown}`.trimEnd());
    lines.push(`  ${paint(`${gutter} |`, 'blue')} ${' '.repeat(startCol - 1)}${paint('^'.repeat(width), 'bold', colour)}`);
  }
  if (d.hint) lines.push(`  ${paint('hint:', 'bold', 'cyan')} ${d.hint}`);
  for (const r of d.related ?? []) {
    const rs = locator.span(r.location);
    const field = r.path ? ` (${r.path})` : '';
    lines.push(`  ${paint('related:', 'bold', 'blue')} ${r.location.file}:${rs.line}:${rs.column}: ${r.message}${field}`);
  }
  return lines;
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
