/**
 * Builds a `RuleContext` from a hand-made resolved model, for unit tests of the
 * rules without the loader. Files are an in-memory map of absolute paths; `raw`
 * is the document as written (only the parts a test cares about), and `written`
 * answers from it (base, or this environment's overlay).
 */
import * as path from 'path';
import { formatPath } from '../../src/config/diagnostics';
import type { Endpoint, GraphqlApi, Handler, RedisCache, DaxCluster, ServiceModel, Resolver } from '../../src/config/model';
import { runRules } from '../../src/config/rules';
import type { FieldPath, Rule, RuleContext, RuleReport } from '../../src/config/rules/types';
import type { RawConfig } from '../../src/config/schema';
import { getIn, isRecord } from '../../src/config/rules/util';

export const BASE_DIR = '/svc';
export const OK_ENTRY = 'handlers/ok.ts';

export function handler(name: string, over: Partial<Handler> = {}): Handler {
  const entry = over.entry ?? OK_ENTRY;
  return {
    name,
    entry,
    entryPath: path.posix.join(BASE_DIR, entry),
    export: 'handler',
    runtime: 'nodejs22.x',
    architecture: 'arm64',
    memoryMb: 512,
    timeoutSeconds: 10,
    provisionedConcurrency: 0,
    vpc: false,
    warm: false,
    logRetentionDays: 30,
    environment: {},
    connections: {
      http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000 },
      retries: { maxAttempts: 3, mode: 'standard' },
    },
    ...over,
  };
}

export function endpoint(method: Endpoint['method'], p: string, h: string, over: Partial<Endpoint> = {}): Endpoint {
  return { path: p, method, handler: h, auth: 'iam', ...over };
}

export function endpointCache(over: Partial<NonNullable<Endpoint['cache']>> = {}): NonNullable<Endpoint['cache']> {
  return { ttlSeconds: 300, keys: [], requireAuthorization: true, unauthorized: 'fail', shared: false, ...over };
}

export function resolver(field: string, h: string, cache?: Resolver['cache']): Resolver {
  const [typeName, fieldName] = field.split('.');
  return { field, typeName, fieldName, handler: h, cache };
}

export function graphqlApi(over: Partial<GraphqlApi> = {}): GraphqlApi {
  return {
    name: 'api',
    schema: 'schema.graphql',
    schemaPath: path.posix.join(BASE_DIR, 'schema.graphql'),
    schemaSdl: '',
    auth: 'iam',
    fieldLogLevel: 'ERROR',
    logRetentionDays: 30,
    resolvers: [],
    ...over,
  };
}

export function redis(name: string, over: Partial<RedisCache> = {}): RedisCache {
  return {
    name,
    engine: 'valkey',
    version: '8.0',
    nodeType: 'cache.t4g.small',
    shards: 1,
    replicasPerShard: 1,
    multiAz: true,
    snapshotRetentionDays: 1,
    maxmemoryPolicy: 'volatile-lru',
    encryption: { atRest: true, transit: true },
    port: 6379,
    keys: [],
    ...over,
  };
}

export function dax(name: string, over: Partial<DaxCluster> = {}): DaxCluster {
  return { name, nodeType: 'dax.t3.small', replicationFactor: 3, encryption: true, tables: ['Items'], itemTtlSeconds: 300, queryTtlSeconds: 300, ...over };
}

export const NETWORK = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] };

export function model(over: Partial<ServiceModel> = {}): ServiceModel {
  return {
    version: 1,
    service: 'svc',
    stackName: over.environment ? `svc-${over.environment}` : 'svc',
    sourceFile: 'svc.yaml',
    baseDir: BASE_DIR,
    region: 'us-east-1',
    tags: {},
    backend: { kind: 'local' },
    auth: {},
    handlers: [handler('api')],
    redis: [],
    dax: [],
    ...over,
  };
}

export interface RunOptions {
  raw?: Record<string, unknown>;
  /** Absolute path → content. `/svc/handlers/ok.ts` exists unless `files` is given. */
  files?: Record<string, string>;
  /** Only this rule (default: the whole registry through `runRules`). */
  rule?: Rule;
}

export type Reported = RuleReport & { severity: 'error' | 'warning' };

export function contextFor(m: ServiceModel, opts: RunOptions = {}): { ctx: RuleContext; reports: Reported[] } {
  const files = opts.files ?? { [path.posix.join(BASE_DIR, OK_ENTRY)]: 'export const handler = async () => ({});\n' };
  const raw = (opts.raw ?? { version: 1, service: m.service, region: m.region }) as Record<string, unknown>;
  const reports: Reported[] = [];
  const overlay = m.environment !== undefined && isRecord(raw.environments) ? raw.environments[m.environment] : undefined;
  const ctx: RuleContext = {
    model: m,
    environment: m.environment,
    raw: raw as unknown as RawConfig,
    written: (p: FieldPath) => getIn(raw, p) !== undefined || getIn(overlay, p) !== undefined,
    report: (r) => reports.push(r as Reported),
    fileExists: (abs) => Object.prototype.hasOwnProperty.call(files, abs),
    readFile: (abs) => files[abs],
    displayPath: (abs) => path.posix.relative(BASE_DIR, abs) || '.',
  };
  return { ctx, reports };
}

/** Run the registry (or one rule) and return what it reported. */
export function run(m: ServiceModel, opts: RunOptions = {}): Reported[] {
  const { ctx, reports } = contextFor(m, opts);
  if (opts.rule) {
    const severities = new Map(opts.rule.meta.map((x) => [x.code, x.severity]));
    opts.rule.check({ ...ctx, report: (r) => reports.push({ ...r, severity: r.severity ?? severities.get(r.code)! }) });
  } else {
    runRules(ctx);
  }
  return reports;
}

/** `code@a.b[0].c` for compact assertions. */
export function brief(reports: readonly RuleReport[]): string[] {
  return reports.map((r) => `${r.code}@${formatPath(r.path)}`);
}
