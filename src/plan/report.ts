/**
 * The diff of a set of config files: per file, per environment, the changes from
 * the base (a git ref or another file) to the working copy.
 */
import type { ServiceModel } from '../config/model';
import { diffModels, FLAGS, type Change, type Flag } from './diff';
import { costDelta, type CostDelta } from './diff-alarms';
import { cmp } from './explain';

/** One side of a comparison, as the loader left it. */
export type Side =
  | { status: 'ok'; models: ServiceModel[] }
  | { status: 'absent' }
  /** Could not be loaded or did not validate; `problems` are rendered diagnostic lines. */
  | { status: 'invalid'; problems: string[] };

export interface FileInput {
  /** The config file as the user named it (relative to cwd, `/` separators). */
  file: string;
  /** Where the base came from, e.g. `main:config/user-service.yaml` or `old.yaml`. */
  baseLabel: string;
  base: Side;
  head: Side;
}

export interface EnvironmentDiff {
  environment: string | null;
  stackName: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  changes: Change[];
  /** The monthly cost estimate of both sides and its delta. */
  cost: CostDelta;
}

export interface FileDiff {
  file: string;
  baseLabel: string;
  base: 'ok' | 'absent' | 'invalid';
  head: 'ok' | 'absent' | 'invalid';
  /** Diagnostics of an invalid side, already rendered. */
  problems: string[];
  environments: EnvironmentDiff[];
}

export interface DiffSummary {
  changes: number;
  replace: number;
  destroy: number;
  security: number;
  dataLoss: number;
  /** Files whose base or head could not be loaded. */
  invalid: number;
  /** Sum of the environments' monthly cost deltas, USD. */
  costDeltaUsd: number;
}

export interface DiffReport {
  base: string;
  files: FileDiff[];
  summary: DiffSummary;
}

function envKey(m: ServiceModel): string {
  return m.environment ?? '';
}

export function diffFile(input: FileInput): FileDiff {
  const problems = [
    ...(input.base.status === 'invalid' ? input.base.problems : []),
    ...(input.head.status === 'invalid' ? input.head.problems : []),
  ];
  const result: FileDiff = {
    file: input.file,
    baseLabel: input.baseLabel,
    base: input.base.status,
    head: input.head.status,
    problems,
    environments: [],
  };
  if (input.base.status === 'invalid' || input.head.status === 'invalid') return result;
  const baseModels = input.base.status === 'ok' ? input.base.models : [];
  const headModels = input.head.status === 'ok' ? input.head.models : [];
  const bm = new Map(baseModels.map((m) => [envKey(m), m]));
  const hm = new Map(headModels.map((m) => [envKey(m), m]));
  const keys = [...new Set([...bm.keys(), ...hm.keys()])].sort(cmp);
  for (const k of keys) {
    const b = bm.get(k);
    const h = hm.get(k);
    const changes = diffModels(b, h);
    result.environments.push({
      environment: k === '' ? null : k,
      stackName: (h ?? b)!.stackName,
      status: !b ? 'added' : !h ? 'removed' : changes.length ? 'changed' : 'unchanged',
      changes,
      cost: costDelta(b, h),
    });
  }
  return result;
}

export function buildDiffReport(base: string, inputs: readonly FileInput[]): DiffReport {
  const files = inputs.map(diffFile).sort((a, b) => cmp(a.file, b.file));
  const all = files.flatMap((f) => f.environments.flatMap((e) => e.changes));
  const count = (flag: Flag) => all.filter((c) => c.flags.includes(flag)).length;
  return {
    base,
    files,
    summary: {
      changes: all.length,
      replace: count('replace'),
      destroy: count('destroy'),
      security: count('security'),
      dataLoss: all.filter((c) => c.dataLoss).length,
      invalid: files.filter((f) => f.base === 'invalid' || f.head === 'invalid').length,
      costDeltaUsd: Math.round(files.reduce((t, f) => t + f.environments.reduce((u, e) => u + e.cost.deltaUsd, 0), 0) * 100) / 100,
    },
  };
}

/**
 * Parse `--fail-on replace,security,cost:+25`; an error for an unknown name.
 * `cost:+N` fails when an environment's monthly estimate grows by more than N USD.
 */
export function parseFailOn(value: string): { flags: Flag[]; costLimitUsd?: number } | { error: string } {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) return { error: `--fail-on needs one or more of ${FLAGS.join(', ')}, any or cost:+N` };
  const flags: Flag[] = [];
  let costLimitUsd: number | undefined;
  for (const n of names) {
    if (n === 'any') {
      flags.push(...FLAGS);
      continue;
    }
    if (n.startsWith('cost:')) {
      const m = /^cost:\+(\d+(\.\d+)?)$/.exec(n);
      if (!m) return { error: `invalid --fail-on value \`${n}\`; write cost:+N, the most the monthly estimate may grow in USD (cost:+25)` };
      costLimitUsd = Number(m[1]);
      continue;
    }
    if (!(FLAGS as readonly string[]).includes(n)) {
      return { error: `unknown --fail-on value \`${n}\`; allowed: ${[...FLAGS, 'any', 'cost:+N'].join(', ')}` };
    }
    flags.push(n as Flag);
  }
  const out: { flags: Flag[]; costLimitUsd?: number } = { flags: FLAGS.filter((f) => flags.includes(f)) };
  if (costLimitUsd !== undefined) out.costLimitUsd = costLimitUsd;
  return out;
}

/** Environments whose monthly estimate grows by more than `limitUsd`. */
export function costFailures(report: DiffReport, limitUsd: number | undefined): EnvironmentDiff[] {
  if (limitUsd === undefined) return [];
  return report.files.flatMap((f) => f.environments).filter((e) => e.cost.deltaUsd > limitUsd);
}

/**
 * The changes that trip a `--fail-on` gate. A file whose base could not be read
 * as a valid config trips any gate too: the diff cannot prove nothing is replaced.
 */
export function gateFailures(report: DiffReport, flags: readonly Flag[]): { changes: Change[]; unknownBase: string[] } {
  if (!flags.length) return { changes: [], unknownBase: [] };
  const changes = report.files.flatMap((f) => f.environments.flatMap((e) => e.changes)).filter((c) => c.flags.some((f) => flags.includes(f)));
  const unknownBase = report.files.filter((f) => f.base === 'invalid').map((f) => f.file);
  return { changes, unknownBase };
}
