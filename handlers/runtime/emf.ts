/**
 * CloudWatch Embedded Metric Format: a metric is one JSON log line that
 * CloudWatch Logs turns into metric data. No API call, no SDK, no network: the
 * line goes to stdout with `process.stdout.write`, not `console.log`, because the
 * Lambda Node.js runtime prefixes console lines with a timestamp and request id
 * and a prefixed line is no longer EMF.
 *
 * The format (docs/handlers.md, "Metrics", says the same for kits in other
 * languages):
 *
 *   {"_aws":{"Timestamp":<ms>,"CloudWatchMetrics":[{"Namespace":"cachestack",
 *     "Dimensions":[["FunctionName","KeyPattern"]],
 *     "Metrics":[{"Name":"CacheHits","Unit":"Count"}, ...]}]},
 *    "FunctionName":"svc-prod-api","KeyPattern":"user:profile:{userId}",
 *    "CacheHits":12, ...}
 *
 * Keys are written in a fixed order: `_aws`, the dimensions in the order given,
 * then the metrics in the order given, so the same figures give the same line.
 */

/** Namespace of every metric the runtime kit publishes. */
export const EMF_NAMESPACE = 'cachestack';

export type EmfUnit = 'Count' | 'Milliseconds' | 'None';

export interface EmfMetric {
  name: string;
  unit: EmfUnit;
  value: number;
}

/** One EMF line (without the trailing newline). */
export function emfLine(dimensions: ReadonlyArray<readonly [string, string]>, metrics: readonly EmfMetric[], timestamp: number, extra: Record<string, string> = {}): string {
  const doc: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: EMF_NAMESPACE,
          Dimensions: [dimensions.map(([k]) => k)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
  };
  for (const [k, v] of dimensions) doc[k] = v;
  for (const m of metrics) doc[m.name] = m.value;
  for (const [k, v] of Object.entries(extra)) if (!(k in doc)) doc[k] = v;
  return JSON.stringify(doc);
}

/** Where EMF lines go by default: stdout, one line each, unprefixed. */
export function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The function the lines are about: Lambda sets AWS_LAMBDA_FUNCTION_NAME. */
export function functionName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
}
