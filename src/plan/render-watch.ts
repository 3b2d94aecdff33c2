/**
 * The alarm and cost parts of `explain` (text and markdown), kept out of
 * render-explain.ts: each environment's alarms (kind, what, threshold) and its
 * monthly estimate line by line, with the price table's date.
 */
import type { CostEstimate } from './cost';
import type { CostDelta } from './diff-alarms';
import type { ServicePlan } from './explain';
import { code, md, mdTable, textTable } from './table';

export function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

function costTotal(c: CostEstimate): string {
  return `${money(c.totalUsd)} a month${c.complete ? '' : ' (incomplete: some items have no price, see above)'}`;
}

function priceNote(c: CostEstimate): string {
  return `prices of ${c.pricesAsOf}, ${c.source}; traffic-based charges (requests, invocations, data transfer, logs) are not included`;
}

export function watchText(p: ServicePlan): string[] {
  const out: string[] = [];
  if (p.alarms) {
    if (!p.alarms.enabled) out.push('', 'alarms: off in this environment');
    else {
      out.push('', `alarms: ${p.alarms.list.length}, notify ${p.alarms.notify}, dashboard ${p.alarms.dashboard ? 'on' : 'off'}`);
      const rows = [['KIND', 'WHAT', 'ALARM WHEN']];
      for (const a of p.alarms.list) rows.push([a.kind, a.subject, `${a.measure} ${a.condition}`]);
      if (p.alarms.list.length) out.push(...textTable(rows));
    }
  }
  out.push('', `monthly cost estimate (${p.cost.region}): ${costTotal(p.cost)}`);
  if (p.cost.lines.length) {
    const rows = [['ITEM', 'MONTHLY', 'HOW']];
    for (const l of p.cost.lines) rows.push([l.item, l.monthlyUsd === null ? 'unknown' : money(l.monthlyUsd), l.detail]);
    out.push(...textTable(rows));
  }
  out.push(`  ${priceNote(p.cost)}`);
  return out;
}

export function watchMarkdown(p: ServicePlan): string[] {
  const out: string[] = [];
  if (p.alarms) {
    out.push('', '### Alarms', '');
    if (!p.alarms.enabled) out.push('Off in this environment.');
    else {
      out.push(`${p.alarms.list.length} alarms, notify ${md(p.alarms.notify)}, dashboard ${p.alarms.dashboard ? 'on' : 'off'}.`);
      if (p.alarms.list.length) {
        out.push('', ...mdTable(['Kind', 'What', 'Alarm when'], p.alarms.list.map((a) => [code(a.kind), md(a.subject), md(`${a.measure} ${a.condition}`)])));
      }
    }
  }
  out.push('', '### Monthly cost estimate', '', `**${md(costTotal(p.cost))}** in ${code(p.cost.region)}.`);
  if (p.cost.lines.length) out.push('', ...mdTable(['Item', 'Monthly', 'How'], p.cost.lines.map((l) => [md(l.item), l.monthlyUsd === null ? 'unknown' : md(money(l.monthlyUsd)), md(l.detail)])));
  out.push('', `_${md(priceNote(p.cost))}_`);
  return out;
}

/** `, monthly cost $17.61 → $20.61 (+$3.00)`, or nothing when the estimate did not move. */
export function costDeltaText(c: CostDelta): string {
  if (c.deltaUsd === 0) return '';
  const side = (n: number | null) => (n === null ? 'none' : money(n));
  const sign = c.deltaUsd > 0 ? '+' : '−';
  return `, monthly cost ${side(c.beforeUsd)} → ${side(c.afterUsd)} (${sign}${money(Math.abs(c.deltaUsd))}${c.complete ? '' : ', incomplete: some items have no price'})`;
}
