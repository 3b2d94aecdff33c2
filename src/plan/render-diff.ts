/**
 * Renderers for `diff`: text for a terminal, markdown for a pull-request comment
 * or a job summary, JSON for tools. Same report in, same bytes out.
 */
import type { Change, Subject } from './diff';
import type { DiffReport, EnvironmentDiff, FileDiff } from './report';
import { costDeltaText } from './render-watch';
import { code, codeSpan, fenced, json, md, mdTable } from './table';

export type DiffFormat = 'text' | 'markdown' | 'json';

export function renderDiff(report: DiffReport, format: DiffFormat): string {
  if (format === 'json') return json(report);
  if (format === 'markdown') return diffMarkdown(report);
  return diffText(report);
}

const SUBJECT_LABEL: Record<Subject, string> = {
  service: 'service',
  'rest-api': 'rest api',
  'stage-cache': 'stage cache',
  endpoint: 'endpoint',
  'graphql-api': 'graphql api',
  'appsync-cache': 'api cache',
  resolver: 'resolver',
  redis: 'redis',
  dax: 'dax',
  handler: 'handler',
  warmer: 'warmer',
  cdn: 'cdn',
  edge: 'edge',
  alarm: 'alarm',
  access: 'access',
  network: 'network of',
  invalidation: 'invalidation',
};

function symbol(c: Change): string {
  return c.action === 'add' ? '+' : c.action === 'remove' ? '-' : '~';
}

function tags(c: Change): string[] {
  const t: string[] = [...c.flags];
  if (c.dataLoss) t.push('data loss');
  return t;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryLine(r: DiffReport): string {
  const s = r.summary;
  const parts = [plural(s.changes, 'change'), `${s.replace} replace`, `${s.destroy} destroy`, `${s.security} security`, `${s.dataLoss} with data loss`];
  if (s.invalid) parts.push(plural(s.invalid, 'file', 'files') + ' not compared');
  return parts.join(', ');
}

function envTitle(e: EnvironmentDiff): string {
  return e.environment ? `${e.stackName} (environment ${e.environment})` : e.stackName;
}

function envStatusText(e: EnvironmentDiff): string {
  return envStatusWords(e) + costDeltaText(e.cost);
}

function envStatusWords(e: EnvironmentDiff): string {
  if (e.status === 'added') return 'new stack';
  if (e.status === 'removed') return 'stack removed';
  if (e.status === 'unchanged') return 'no changes';
  return plural(e.changes.length, 'change');
}

function fileStatusText(f: FileDiff): string | undefined {
  if (f.base === 'invalid') return `the base ${f.baseLabel} is not a valid config, so this file was not compared`;
  if (f.head === 'invalid') return 'the working copy is not a valid config, so this file was not compared';
  if (f.base === 'absent') return `absent at the base (${f.baseLabel}): everything is added`;
  if (f.head === 'absent') return 'deleted in the working copy: everything is removed';
  return undefined;
}

// ---------------------------------------------------------------------------
// text

function diffText(r: DiffReport): string {
  const out: string[] = [`cachestack diff against ${r.base}`];
  for (const f of r.files) {
    out.push('', `${f.file} (base ${f.baseLabel})`);
    const status = fileStatusText(f);
    if (status) out.push(`  ${status}`);
    for (const p of f.problems) out.push(`    ${p}`);
    for (const e of f.environments) {
      out.push(`  ${envTitle(e)}: ${envStatusText(e)}`);
      for (const c of e.changes) {
        const t = tags(c);
        out.push(`    ${symbol(c)} ${SUBJECT_LABEL[c.subject]} ${c.name}: ${c.message}${t.length ? ` [${t.join(', ')}]` : ''}`);
        if (c.rule) out.push(`        provider: ${c.rule}`);
      }
    }
  }
  out.push('', `summary: ${summaryLine(r)}`);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// markdown

function flagCell(c: Change): string {
  const parts = c.flags.map((f) => `**${f}**`);
  if (c.dataLoss) parts.push('data loss');
  if (c.direction) parts.push(c.direction === 'grow' ? 'grows' : 'shrinks');
  return parts.join(', ');
}

function diffMarkdown(r: DiffReport): string {
  const out: string[] = [`## cachestack diff against ${codeSpan(r.base)}`, ''];
  const s = r.summary;
  const alerts: string[] = [];
  if (s.replace) alerts.push(`${plural(s.replace, 'change')} ${s.replace === 1 ? 'replaces' : 'replace'} a stateful resource (Terraform destroys and re-creates it)`);
  if (s.destroy) alerts.push(`${plural(s.destroy, 'change')} ${s.destroy === 1 ? 'destroys' : 'destroy'} a cache or cluster`);
  if (s.dataLoss) alerts.push(`${plural(s.dataLoss, 'change')} ${s.dataLoss === 1 ? 'loses' : 'lose'} cached or stored data`);
  if (s.security) alerts.push(`${plural(s.security, 'change')} ${s.security === 1 ? 'weakens' : 'weaken'} isolation or protection`);
  if (s.invalid) alerts.push(`${plural(s.invalid, 'file')} could not be compared`);
  if (alerts.length) {
    out.push('> [!WARNING]');
    for (const a of alerts) out.push(`> - ${a}.`);
  } else if (s.changes) {
    out.push(`${plural(s.changes, 'change')}; nothing is replaced or destroyed and no isolation or protection gets weaker.`);
  } else {
    out.push('No caching changes.');
  }
  for (const f of r.files) {
    out.push('', `### ${codeSpan(f.file)}`, '');
    const status = fileStatusText(f);
    if (status) out.push(`${md(cap(status))}.`, '');
    if (f.problems.length) {
      out.push(...fenced(f.problems), '');
    }
    for (const e of f.environments) {
      const title = e.environment ? `${codeSpan(e.stackName)} (environment ${codeSpan(e.environment)})` : codeSpan(e.stackName);
      if (!e.changes.length) {
        out.push(`**${title}**: ${envStatusText(e)}.`, '');
        continue;
      }
      out.push(`**${title}**: ${envStatusText(e)}`, '');
      out.push(
        ...mdTable(
          ['', 'Resource', 'Change', 'Flags'],
          e.changes.map((c) => [
            symbol(c) === '-' ? '−' : symbol(c),
            `${SUBJECT_LABEL[c.subject]} ${code(c.name)}`,
            md(c.message) + (c.rule ? `<br><sub>provider: ${md(c.rule)}</sub>` : ''),
            flagCell(c),
          ]),
        ),
      );
      out.push('');
    }
  }
  out.push('', `<sub>${md(summaryLine(r))}</sub>`);
  // one blank line between blocks, whatever order they were pushed in
  return `${out.filter((line, i) => line !== '' || (i > 0 && out[i - 1] !== '')).join('\n')}\n`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
