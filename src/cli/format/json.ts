/**
 * The machine format: one JSON document with a stable shape (version 1).
 * Absent values are `null` and lists are `[]`, so every key is always there.
 *
 *   { version: 1,
 *     valid, strict,
 *     files: [{ path, valid, errors, warnings, environments, config }],
 *     diagnostics: [{ code, severity, message, path, file, line, column, endLine, endColumn,
 *                     hint, related: [{ message, path, file, line, column, endLine, endColumn }],
 *                     environment }],
 *     summary: { files, errors, warnings, valid } }
 *
 * Lines and columns are 1-based; `endColumn` is the column after the last character
 * (as in SARIF and LSP). Columns count UTF-16 code units.
 */
import { Locator, sortedDiagnostics, summarize, type ValidationReport } from './report';

export const JSON_FORMAT_VERSION = 1;

export function renderJson(report: ValidationReport): string {
  const locator = new Locator(report.sources);
  const summary = summarize(report);
  const document = {
    version: JSON_FORMAT_VERSION,
    valid: summary.valid,
    strict: report.strict,
    files: summary.files.map((f) => ({
      path: f.path,
      valid: f.valid,
      errors: f.errors,
      warnings: f.warnings,
      environments: [...f.environments],
      config: f.config,
    })),
    diagnostics: sortedDiagnostics(report).map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      path: d.path,
      file: d.location.file,
      ...locator.span(d.location),
      hint: d.hint ?? null,
      related: (d.related ?? []).map((r) => ({
        message: r.message,
        path: r.path ?? null,
        file: r.location.file,
        ...locator.span(r.location),
      })),
      environment: d.environment ?? null,
    })),
    summary: {
      files: summary.files.filter((f) => f.config).length,
      errors: summary.errors,
      warnings: summary.warnings,
      valid: summary.valid,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
