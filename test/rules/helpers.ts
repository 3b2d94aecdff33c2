/**
 * Builds a `RuleContext` from a hand-made resolved model, for unit tests of the
 * rules without the loader. Models come from the shared builders of
 * test/support/models.ts (defaults from the real `normalize`, overrides laid over
 * as given, so a test can feed a model the loader would refuse); every handler's
 * entry is `handlers/ok.ts`, the one file that exists. Files are an in-memory map
 * of absolute paths; `raw` is the document as written (only the parts a test
 * cares about), and `written` answers from it (base, or this environment's overlay).
 */
import * as path from 'path';
import { formatPath } from '../../src/config/diagnostics';
import type { DaxCluster, Handler, Resolver, ServiceModel } from '../../src/config/model';
import { runRules } from '../../src/config/rules';
import type { FieldPath, Rule, RuleContext, RuleReport } from '../../src/config/rules/types';
import type { RawConfig } from '../../src/config/schema';
import { getIn, isRecord } from '../../src/config/rules/util';
import * as shared from '../support/models';
import { BASE_DIR, type HandlerOverrides } from '../support/models';

export { BASE_DIR, endpoint, endpointCache, graphqlApi, NETWORK, redisCache as redis } from '../support/models';

export const OK_ENTRY = 'handlers/ok.ts';

export function handler(name: string, over: HandlerOverrides = {}): Handler {
  return shared.handler(name, { entry: OK_ENTRY, ...over });
}

export function resolver(field: string, h: string, cache?: Resolver['cache']): Resolver {
  return shared.resolver(field, h, { cache });
}

export function dax(name: string, over: Partial<DaxCluster> = {}): DaxCluster {
  return shared.daxCluster(name, ['Items'], over);
}

/** A model of service `svc` without environments, with one handler `api` unless `handlers` is given. */
export function model(over: Partial<ServiceModel> = {}): ServiceModel {
  return shared.model({ handlers: [handler('api')], ...over });
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
    refused: () => false,
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
