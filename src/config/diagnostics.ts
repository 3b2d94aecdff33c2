/**
 * Diagnostics are data. Phases never throw on bad input: they report to a
 * collector, and the CLI renders the list once, at the edge.
 *
 * Locations stay as offsets into the source text; line and column are computed
 * only when a diagnostic is printed or serialized (see `positionOf`).
 */

/**
 * Every rule code cachestack can report. A closed list: a new code is added here,
 * in the rule registry (or the phase that reports it) and in docs/config.md, and
 * gets a failing and a passing fixture.
 */
export const RULE_CODES = [
  // files and YAML syntax
  'file-unreadable',
  'file-too-large',
  'file-not-regular',
  'path-outside-project',
  'file-not-utf8',
  'file-empty',
  'yaml-syntax',
  'yaml-duplicate-key',
  'yaml-alias-limit',
  'yaml-multiple-documents',
  // across files
  'duplicate-stack',
  // JSON Schema
  'schema-unknown-key',
  'schema-missing-field',
  'schema-type',
  'schema-enum',
  'schema-range',
  'schema-pattern',
  'schema-invalid',
  // semantic rules (spec rules 1 to 11, and a few more)
  'unresolved-reference',
  'duplicate-endpoint',
  'duplicate-resolver',
  'cache-key-path-param',
  'endpoint-cache-needs-stage-cache',
  'resolver-cache-needs-per-resolver',
  'resolver-field-not-in-schema',
  'graphql-schema-syntax',
  'graphql-schema-missing',
  'cache-isolation',
  'cache-key-incomplete',
  'cache-key-missing-source',
  'cache-namespace-conflict',
  'resolver-cache-mutation',
  'redis-multi-az-replicas',
  'redis-auth-needs-transit',
  'redis-engine-version',
  'concurrency-exceeds-reserved',
  'api-timeout-exceeds-gateway',
  'network-required',
  'entry-not-found',
  'warmer-without-targets',
  'handler-runtime-mismatch',
  'python-export-invalid',
  'requirements-not-python',
  'requirements-not-found',
  'requirements-unsupported',
  'overlay-unknown-entry',
  'prod-dax-replication',
  'prod-redis-single-az',
  'appsync-legacy-cache-type',
  'reserved-environment-variable',
  'secret-in-environment',
  'endpoint-path-conflict',
  'cache-unsafe-method',
  'reserved-handler-name',
  'secret-in-config',
  'alarm-threshold-range',
  'alarm-kind-unknown',
  'alarm-notify-conflict',
  'alarm-without-notify',
  'alarm-without-subject',
  'access-name-form',
  'access-wildcard',
  'access-region',
  'access-sdk-not-granted',
  'egress-endpoint-missing',
  'postgres-security-group-needs-vpc',
  'postgres-connection-budget',
  'postgres-connection-budget-unknown',
  'appsync-health-metrics-ignored',
  'invalidation-unknown-target',
  'invalidation-target-not-cached',
  'invalidation-open-cache-control',
  'eviction-outside-mutation',
  'eviction-key-unknown',
  'eviction-key-unresolved',
  'alarm-cdn-topic-region',
  'cdn-alias-needs-certificate',
  'cdn-certificate-region',
  'cdn-origin-missing',
  'cdn-ttl-order',
  'cdn-tls-default-certificate',
  'cors-origin-conflict',
  'domain-certificate-region',
  'waf-conflict',
  'waf-acl-scope',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];
export type Severity = 'error' | 'warning';

/** A span of a source file, as byte-free character offsets into its text. */
export interface SourceLocation {
  /** Path of the file as given on the command line (relative to cwd when possible), `/` separators. */
  file: string;
  /** Offset of the first character. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

export interface RelatedLocation {
  message: string;
  path?: string;
  location: SourceLocation;
}

export interface Diagnostic {
  code: RuleCode;
  severity: Severity;
  /** Lower-case; names the value received and what is allowed. */
  message: string;
  /** Field path, e.g. `restApi.endpoints[0].cache.ttlSeconds`; empty for the whole file. */
  path: string;
  location: SourceLocation;
  /** A hint such as "did you mean `memoryMb`?". */
  hint?: string;
  /** Other places the diagnostic is about (both halves of a duplicate). */
  related?: RelatedLocation[];
  /** Environment the diagnostic applies to, when it comes from one environment's resolved model only. */
  environment?: string;
}

/** 1-based line and column of an offset. */
export interface Position {
  line: number;
  column: number;
}

/** Field path segments → `a.b[0].c` (keys that are not identifiers are quoted: `handlers["x.y"]`). */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The offsets where the lines of a text start, for offset → line and column. */
export class LineCounter {
  readonly lineStarts: number[] = [0];

  /** 1-based line and column of an offset (binary search over the line starts). */
  linePos(offset: number): { line: number; col: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo, col: offset - starts[lo - 1] + 1 };
  }
}

/**
 * The line starts of `text`. Only `\n` ends a line (a `\r` before it stays on its
 * line), for YAML and for any other file a diagnostic points into (a GraphQL schema).
 */
export function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.lineStarts.push(i + 1);
  return lines;
}

/** 1-based line and column (in UTF-16 code units) of an offset, with `lines` from `lineCounterOf`. */
export function positionOf(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(Math.max(0, offset));
  return { line, column: col };
}

/** Stable order for output: file, offset, code, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  if (a.location.start !== b.location.start) return a.location.start - b.location.start;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
