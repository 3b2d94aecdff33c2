/**
 * A hand-made validation report for the renderer tests: two config files (one
 * with errors, a warning and a duplicate with a related location; one valid with
 * environments) and a diagnostic in a GraphQL schema file that no config lists.
 */
import type { Diagnostic, RuleCode, Severity } from '../../src/config/diagnostics';
import type { CodeInfo, ValidationReport } from '../../src/cli/format/report';

export const USERS_YAML = [
  'version: 1',
  'service: user-service',
  'region: us-east-1',
  'handlers:',
  '  profile:',
  '    entry: ../handlers/profile.ts',
  '    memoryMb: 64',
  '    timeoutSeconds: 60',
  'restApi:',
  '  name: users',
  '  endpoints:',
  '    - path: /profile',
  '      method: GET',
  '      handler: profle',
  '    - path: /profile',
  '      method: GET',
  '      handler: profile',
  '',
].join('\n');

export const ORDERS_YAML = [
  'version: 1',
  'service: orders',
  'region: eu-west-1',
  'environments:',
  '  dev: {}',
  '  prod: {}',
  '',
].join('\n');

export const SCHEMA_GRAPHQL = 'type Query {\n  me: User\n';

/** Location of the `nth` occurrence of `needle` in `text` (0-based), as offsets. */
export function at(file: string, text: string, needle: string, nth = 0): { file: string; start: number; end: number } {
  let from = -1;
  for (let i = 0; i <= nth; i++) {
    from = text.indexOf(needle, from + 1);
    if (from < 0) throw new Error(`${needle} not found ${nth + 1} times in ${file}`);
  }
  return { file, start: from, end: from + needle.length };
}

function diag(code: RuleCode, severity: Severity, message: string, path: string, location: Diagnostic['location'], extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity, message, path, location, ...extra };
}

export function sampleDiagnostics(): Diagnostic[] {
  const users = 'config/users.yaml';
  const firstEndpoint = at(users, USERS_YAML, 'path: /profile\n      method: GET\n      handler: profle');
  const secondEndpoint = at(users, USERS_YAML, 'path: /profile\n      method: GET\n      handler: profile');
  // Deliberately out of order: renderers sort.
  return [
    diag('duplicate-endpoint', 'error', 'endpoint `GET /profile` is defined twice', 'restApi.endpoints[1]', secondEndpoint, {
      hint: 'remove one of them or change its method or path',
      related: [{ message: 'first defined here', path: 'restApi.endpoints[0]', location: firstEndpoint }],
    }),
    diag('schema-range', 'error', '`memoryMb` is 64; allowed: an integer from 128 to 10240', 'handlers.profile.memoryMb', at(users, USERS_YAML, '64')),
    diag('unresolved-reference', 'error', 'handler `profle` is not defined; defined handlers: profile', 'restApi.endpoints[0].handler', at(users, USERS_YAML, 'profle'), {
      hint: 'did you mean `profile`?',
    }),
    diag(
      'api-timeout-exceeds-gateway',
      'warning',
      'handler `profile` has `timeoutSeconds: 60` but sits behind `restApi`, which stops waiting after 29 s',
      'handlers.profile.timeoutSeconds',
      at(users, USERS_YAML, '60'),
      { environment: 'prod', hint: 'set `timeoutSeconds` to 29 or less' },
    ),
    diag('graphql-schema-syntax', 'error', 'the GraphQL schema does not parse: expected `}`, found end of file', '', {
      file: 'config/schema, v2.graphql',
      start: SCHEMA_GRAPHQL.length,
      end: SCHEMA_GRAPHQL.length,
    }),
  ];
}

export function sampleReport(strict = false): ValidationReport {
  return {
    files: [
      { path: 'config/users.yaml', environments: [] },
      { path: 'config/orders.yaml', environments: ['dev', 'prod'] },
    ],
    diagnostics: sampleDiagnostics(),
    sources: new Map([
      ['config/users.yaml', USERS_YAML],
      ['config/orders.yaml', ORDERS_YAML],
      ['config/schema, v2.graphql', SCHEMA_GRAPHQL],
    ]),
    strict,
  };
}

/** A report with warnings only (valid unless strict). */
export function warningsOnlyReport(strict: boolean): ValidationReport {
  const all = sampleReport(strict);
  return { ...all, diagnostics: all.diagnostics.filter((d) => d.severity === 'warning') };
}

export const SAMPLE_RULES: CodeInfo[] = [
  { code: 'schema-range', severity: 'error', description: 'A number is outside the range the field allows.' },
  { code: 'unresolved-reference', severity: 'error', description: 'A name refers to a handler, cache, cluster or auth entry that does not exist.' },
  { code: 'duplicate-endpoint', severity: 'error', description: 'Two endpoints have the same method and path.' },
  { code: 'api-timeout-exceeds-gateway', severity: 'warning', description: 'A handler behind the REST API may run longer than API Gateway waits (29 s).' },
  { code: 'graphql-schema-syntax', severity: 'error', description: 'The GraphQL schema file does not parse as SDL.' },
];
