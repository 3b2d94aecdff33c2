/**
 * GitHub Actions workflow commands: each diagnostic becomes an annotation on the
 * line it points at in the pull request.
 *
 *   ::error file=config/users.yaml,line=12,col=16,endLine=12,endColumn=21,title=cachestack unresolved-reference::handler `profle` ...
 *
 * Columns are sent only for a single-line span (GitHub ignores them otherwise);
 * `endColumn` is the column of the last character. The message carries the field
 * path, the hint and related locations on further lines (`%0A`). A step shows at
 * most 10 annotations of each kind, so the last line is a plain summary that the
 * log always shows. Like the text format, at most `maxDiagnostics` annotations per
 * file (a plain line counts the rest).
 */
import { DEFAULT_MAX_DIAGNOSTICS, Locator, moreDiagnosticsLine, plural, shownDiagnostics, summarize, type ValidationReport } from './report';

/** Escapes the message of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (also `:` and `,`, which delimit properties). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  /** At most this many annotations per file (default `DEFAULT_MAX_DIAGNOSTICS`); `Infinity` for all. */
  maxDiagnostics?: number;
}

export function renderGithub(report: ValidationReport, options: GithubOptions = {}): string {
  const locator = new Locator(report.sources);
  const out: string[] = [];
  for (const d of shownDiagnostics(report, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS)) {
    if ('more' in d) {
      out.push(moreDiagnosticsLine(d));
      continue;
    }
    const span = locator.span(d.location);
    const props: [string, string | number][] = [
      ['file', d.location.file],
      ['line', span.line],
    ];
    if (span.line === span.endLine) {
      props.push(['col', span.column], ['endLine', span.endLine], ['endColumn', Math.max(span.column, span.endColumn - 1)]);
    } else props.push(['endLine', span.endLine]);
    props.push(['title', `cachestack ${d.code}`]);

    const message = [d.message];
    if (d.path) message.push(`field: ${d.path}`);
    if (d.environment) message.push(`environment: ${d.environment}`);
    if (d.hint) message.push(`hint: ${d.hint}`);
    for (const r of d.related ?? []) {
      const rs = locator.span(r.location);
      message.push(`related: ${r.location.file}:${rs.line}:${rs.column}: ${r.message}`);
    }
    const command = d.severity === 'error' ? 'error' : 'warning';
    out.push(`::${command} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message.join('\n'))}`);
  }
  const summary = summarize(report);
  const files = plural(summary.files.filter((f) => f.config).length, 'file');
  const verdict = summary.valid ? 'valid' : 'invalid';
  const why = !summary.valid && summary.errors === 0 && report.strict ? ' (warnings fail with --strict)' : '';
  out.push(`cachestack: ${files} checked: ${verdict}, ${plural(summary.errors, 'error')} and ${plural(summary.warnings, 'warning')}${why}`);
  return `${out.join('\n')}\n`;
}
