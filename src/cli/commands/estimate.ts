/**
 * `payout estimate --plan PLAN --members CLASS=N … --rate R …` (docs/spec.md §7): the per-claimant
 * amounts a notice or the press can quote before the claims deadline, for assumed claim rates.
 * `--claimants CLASS=N …` gives the counts directly instead. The use case is src/app/estimate.ts.
 */
import type { ChalkInstance } from 'chalk';
import { estimateAmounts } from '../../app/estimate.js';
import { buildEstimateJson, type Estimate } from '../../core/estimate.js';
import { formatMoneyHuman } from '../../core/money.js';
import { humanizeAmounts } from '../../core/display-numbers.js';
import type { Plan } from '../../core/plan.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';

export interface EstimateCliOptions {
  plan: string;
  members: string[];
  rate: string[];
  claimants: string[];
  json?: boolean;
}



/** The estimate as people read it: the net fund, then one row per rate. */
export function renderEstimate(plan: Plan, est: Estimate, c: ChalkInstance): string[] {
  const f = est.fund;
  const out: string[] = [c.bold(plan.name), ''];
  const fundRows: string[][] = [['Fund', formatMoneyHuman(f.fund)]];
  for (const d of f.deductions) fundRows.push([`− ${d.label} (${humanizeAmounts(d.rule)})`, formatMoneyHuman(d.amount)]);
  fundRows.push([c.bold('Net settlement fund'), c.bold(formatMoneyHuman(f.net))]);
  out.push(...renderTable(['', ''], fundRows, ['left', 'right']).slice(1), '');

  const direct = est.rows.every((r) => r.rate === null);
  const header = [direct ? '' : 'rate'];
  const align: ('left' | 'right')[] = ['right'];
  for (const k of plan.classes) {
    header.push(`${k.id} claimants`, `${k.id} each`);
    align.push('right', 'right');
  }
  header.push('total paid', 'residual');
  align.push('right', 'right');
  const notes: string[] = [];
  const rows = est.rows.map((r) => {
    const label = r.rate?.percent ?? 'given';
    const cells = [label];
    for (const k of r.classes) {
      let each = k.amount === null ? '-' : formatMoneyHuman(k.amount);
      if (k.outcome === 'below_minimum') {
        each = 'nothing';
        notes.push(`${label}: ${k.id} claimants would get less than the minimum payment ${formatMoneyHuman(plan.minimumPayment ?? 0n)}: nothing (docs/spec.md §3)`);
      } else if (k.outcome === 'capped') {
        each += ' (cap)';
      }
      cells.push(grouped(k.claimants), each);
    }
    cells.push(formatMoneyHuman(r.paid), formatMoneyHuman(r.residual));
    return cells;
  });
  out.push(...renderTable(header, rows, align), '');
  if (notes.length > 0) out.push(...notes, '');
  out.push(
    c.dim(
      'Each claimant claims 1 unit. Amounts are exact shares (docs/spec.md §3) rounded half-up to the cent; the allocation\n' +
        'itself pays whole cents by its rounding rule, so a payment can differ from this figure by a cent.',
    ),
  );
  return out;
}

export async function runEstimate(o: EstimateCliOptions): Promise<void> {
  const { plan, estimate: est } = await estimateAmounts({ planFile: o.plan, members: o.members, rate: o.rate, claimants: o.claimants });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(buildEstimateJson(plan, est), null, 2)}\n`);
    return;
  }
  process.stdout.write(`${renderEstimate(plan, est, colorFor(process.stdout)).join('\n')}\n`);
}
