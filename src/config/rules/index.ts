/**
 * The rule registry: every semantic rule, in one ordered list (spec rule order,
 * then the extra checks). The loader calls `runRules` once per environment with
 * that environment's resolved model; rules report, never throw.
 */
import type { RuleCode } from '../diagnostics';
import { accessRule } from './access';
import { alarmsRule } from './alarms';
import { appsyncCacheRule } from './appsync-cache';
import { cacheKeysRule } from './cache-keys';
import { cacheNamespaceRule } from './cache-namespace';
import { cdnRule } from './cdn';
import { concurrencyRule } from './concurrency';
import { connectionBudgetRule } from './connection-budget';
import { duplicatesRule } from './duplicates';
import { edgeRule } from './edge';
import { entriesRule } from './entries';
import { environmentVariablesRule } from './environment-variables';
import { graphqlSchemaRule } from './graphql-schema';
import { handlerNamesRule } from './handler-names';
import { invalidationRule } from './invalidation';
import { isolationRule } from './isolation';
import { networkRule } from './network';
import { networkPathsRule } from './network-paths';
import { overlaysRule } from './overlays';
import { productionRule } from './production';
import { pythonHandlersRule } from './python-handlers';
import { redisRule } from './redis';
import { referencesRule } from './references';
import { resourcePathsRule } from './resource-paths';
import { restCacheRule } from './rest-cache';
import { secretsRule } from './secrets';
import type { Rule, RuleContext, RuleMeta, RuleReport } from './types';

export type { Rule, RuleContext, RuleMeta, RuleReport } from './types';

export const RULES: Rule[] = [
  referencesRule, // 1
  duplicatesRule, // 2
  restCacheRule, // 3, unsafe cached methods
  graphqlSchemaRule, // 4
  appsyncCacheRule, // 4, legacy cache types
  isolationRule, // 5
  redisRule, // 6, engine versions
  concurrencyRule, // 7
  networkRule, // 8
  entriesRule, // 9
  pythonHandlersRule, // 9, python entries: runtime, export, requirements
  overlaysRule, // 10
  productionRule, // 11
  cacheKeysRule, // 12, the key identifies the resource
  accessRule, // 13, what handlers reach
  networkPathsRule, // 14, a way out for every aws api a vpc handler calls
  connectionBudgetRule, // 15, postgres pool x concurrency vs the database
  invalidationRule, // 16
  cdnRule, // 17
  alarmsRule, // 18
  cacheNamespaceRule, // endpoints sharing a cache namespace
  environmentVariablesRule, // reserved names, secrets
  resourcePathsRule, // api gateway resource tree
  handlerNamesRule, // names cachestack keeps for itself
  secretsRule, // credentials by value, in any field
  edgeRule, // cors, custom domain, waf
];

/** Metadata of every code a rule reports, by code. */
export const RULE_META: ReadonlyMap<RuleCode, RuleMeta & { rule: string }> = new Map(
  RULES.flatMap((r) => r.meta.map((m) => [m.code, { ...m, rule: r.id }] as const)),
);

/**
 * Run every rule on one environment's context. Each report reaches `ctx.report`
 * with its severity filled in from the code's metadata (unless the rule set one).
 * A rule that reports a code it does not declare, or throws, is a bug in
 * cachestack, not in the user's file: it is raised as an internal error naming
 * the rule.
 */
export function runRules(ctx: RuleContext): void {
  for (const rule of RULES) {
    const declared = new Map(rule.meta.map((m) => [m.code, m] as const));
    const scoped: RuleContext = Object.create(ctx, {
      report: {
        value(report: RuleReport): void {
          const meta = declared.get(report.code);
          if (!meta) throw new Error(`rule \`${rule.id}\` reported undeclared code \`${report.code}\``);
          ctx.report({ ...report, severity: report.severity ?? meta.severity });
        },
      },
    });
    try {
      rule.check(scoped);
    } catch (err) {
      throw new Error(`internal error in rule \`${rule.id}\`: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }
}
