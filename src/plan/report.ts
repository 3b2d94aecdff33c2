/**
 * The diff of a set of config files: per file, per environment, the changes from
 * the base (a git ref or another file) to the working copy.
 */
import type { ServiceModel } from '../config/model';
import { diffModels, FLAGS, type Change, type Flag } from './diff';
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
    },
  };
}

/** Parse `--fail-on replace,security`; `undefined` on an unknown name. */
export function parseFailOn(value: string): { flags: Flag[] } | { error: string } {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) return { error: `--fail-on needs one or more of ${FLAGS.join(', ')}` };
  const flags: Flag[] = [];
  for (const n of names) {
    if (n === 'any') {
      flags.push(...FLAGS);
      continue;
    }
    if (!(FLAGS as readonly string[]).includes(n)) {
      return { error: `unknown --fail-on value \`${n}\`; allowed: ${[...FLAGS, 'any'].join(', ')}` };
    }
    flags.push(n as Flag);
  }
  return { flags: FLAGS.filter((f) => flags.includes(f)) };
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
