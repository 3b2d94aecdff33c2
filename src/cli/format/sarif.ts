/**
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run whose
 * tool driver lists every rule code cachestack can report, and one result per
 * diagnostic. Artifact URIs are relative to the working directory (`%SRCROOT%`
 * when run from the repository root); columns count UTF-16 code units and
 * `endColumn` is the column after the last character, as SARIF defines it.
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { Locator, sortedDiagnostics, summarize, type CodeInfo, type ValidationReport } from './report';
import type { SourceLocation } from '../../config/diagnostics';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://cachestack.dev';
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** The cachestack version, for `tool.driver.version`. */
  version: string;
  /** Every rule code with its default severity and description, in a stable order. */
  rules: readonly CodeInfo[];
}

/** A display path as a SARIF artifact location: relative paths as URI references, absolute ones as file URLs. */
export function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** Where the code table lives, in the package and the repository. */
export const CODE_TABLE = 'docs/config.md, "Rules and diagnostic codes"';

function sentence(text: string): string {
  const t = text.trim();
  return t.length > 0 ? t[0].toUpperCase() + t.slice(1) : t;
}

/**
 * A rule of the tool driver. GitHub code scanning shows `fullDescription` and
 * `help` on every alert (it requires both); they come from the same description
 * as the code table of docs/config.md.
 */
export function ruleDescriptor(r: CodeInfo): Sarif.ReportingDescriptor {
  const description = sentence(r.description);
  return {
    id: r.code,
    name: r.code,
    shortDescription: { text: r.description },
    fullDescription: { text: description },
    help: {
      text: `${r.code} (${r.severity}): ${description} Every code is listed in ${CODE_TABLE}.`,
      markdown: `**\`${r.code}\`** (${r.severity}): ${description}\n\nEvery code is listed in ${CODE_TABLE}.`,
    },
    defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
  };
}

export function renderSarif(report: ValidationReport, options: SarifOptions): string {
  const locator = new Locator(report.sources);
  const ruleIndex = new Map(options.rules.map((r, i) => [r.code, i]));
  const physical = (location: SourceLocation): Sarif.PhysicalLocation => {
    const span = locator.span(location);
    return {
      artifactLocation: artifactLocation(location.file),
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
    };
  };

  const results: Sarif.Result[] = sortedDiagnostics(report).map((d) => {
    const text = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    const location: Sarif.Location = { physicalLocation: physical(d.location) };
    if (d.path) location.logicalLocations = [{ fullyQualifiedName: d.path, kind: 'property' }];
    const result: Sarif.Result = {
      ruleId: d.code,
      level: d.severity === 'error' ? 'error' : 'warning',
      message: { text },
      locations: [location],
    };
    const index = ruleIndex.get(d.code);
    if (index !== undefined) result.ruleIndex = index;
    if (d.related && d.related.length > 0) {
      result.relatedLocations = d.related.map((r, i) => {
        const related: Sarif.Location = { id: i + 1, physicalLocation: physical(r.location), message: { text: r.message } };
        if (r.path) related.logicalLocations = [{ fullyQualifiedName: r.path, kind: 'property' }];
        return related;
      });
    }
    if (d.environment) result.properties = { environment: d.environment };
    return result;
  });

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cachestack',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: options.rules.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        artifacts: summarize(report).files.map((f) =>
          f.config ? { location: artifactLocation(f.path), roles: ['analysisTarget'] } : { location: artifactLocation(f.path) },
        ),
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
