/** `payout explain`'s text: one claim's way from the gross fund to its amount, step by step. */
import type { ChalkInstance } from 'chalk';
import type { ClaimReport } from '../core/explain-report.js';
import { formatMoneyHuman, parseMoney } from '../core/money.js';
import { roundingMethod } from '../core/rounding/index.js';
import { cents } from '../core/rounding/words.js';
import { grouped, renderTable } from './table.js';

/** A money string as people read it: "$13,420.51". */
export const human = (m: string): string => formatMoneyHuman(parseMoney(m) ?? 0n);
export { cents, remainderPlaceLines, type RemainderPlace } from '../core/rounding/words.js';

function outcomeLine(r: ClaimReport): string {
  switch (r.outcome) {
    case 'ineligible':
      return `ineligible: status "${r.status}" is not one of the plan's eligible statuses (${r.eligibleStatuses.join(', ')})`;
    case 'below_minimum':
      return `below_minimum: removed by the minimum rule, paid nothing`;
    case 'capped':
      return 'capped: paid the maximum payment';
    default:
      return 'paid';
  }
}

export function renderClaimText(r: ClaimReport, claimsFile: string, c: ChalkInstance): string[] {
  const out: string[] = [c.bold(`Claim ${r.claimId}`) + c.dim(` (${claimsFile} line ${r.line})`)];
  const cls = r.class.weight !== null ? `${r.class.id} (weight ${r.class.weight})` : `${r.class.id} (pool ${r.class.poolPercent ?? '?'}% of net)`;
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['class', cls],
        ['units', r.units],
        ['points', `${r.points} = ${r.pointsRule}`],
        ['status', `${r.status}: ${r.eligible ? 'eligible' : 'not eligible'} (eligible: ${r.eligibleStatuses.join(', ')})`],
        ['outcome', outcomeLine(r)],
      ],
      ['left', 'left'],
      '  ',
    ).slice(1),
    '',
  );

  // Section 1: the net fund.
  const f = r.fund;
  const fundRows: string[][] = [['Gross fund', human(f.gross), '']];
  if (f.interest !== '0.00') fundRows.push(['+ interest', human(f.interest), ''], ['Fund', human(f.fund), '']);
  for (const d of f.deductions) fundRows.push([`− ${d.label} (${d.rule})`, human(d.amount), c.dim(`leaves ${human(d.remaining)}`)]);
  fundRows.push([c.bold('Net settlement fund'), c.bold(human(f.net)), c.dim(cents(f.netCents))]);
  out.push(c.bold('Net fund'), ...renderTable(['', '', ''], fundRows, ['left', 'right', 'left'], '  ').slice(1), '');

  const p = r.pool;
  if (p === null) {
    out.push(`${c.bold('Amount')}: ${human(r.amount)} (not eligible, takes no part in the split)`);
    return out;
  }

  // Section 3: the pool and the share.
  out.push(c.bold(p.id === 'all' ? 'Pool (all classes, weights mode)' : `Pool ${p.id}`));
  if (p.exactNetCents !== null) {
    const split = p.splitCent
      ? ' (floored, plus one of the leftover cents of the split between pools)'
      : p.exactNetCents.includes('/')
        ? ' (floored; the leftover cents of the split went to other pools)'
        : '';
    out.push(`  net × ${r.class.poolPercent ?? '?'}% = ${p.exactNetCents} cents → ${cents(p.netCents)}${split}`);
  } else out.push(`  ${cents(p.netCents)} (${human(p.net)})`);
  out.push(`  ${grouped(p.eligibleClaims)} eligible claims, ${p.eligiblePoints} points`);
  if (p.belowMinimumClaims > 0) out.push(`  ${grouped(p.belowMinimumClaims)} removed by the minimum rule; ${grouped(p.paidClaims)} paid, ${p.paidPoints} points`);
  if (p.cappedClaims > 0) out.push(`  ${grouped(p.cappedClaims)} capped at the maximum payment`);
  if (p.centsPerPoint !== null) {
    const worth = `one point is worth ${p.centsPerPoint.fraction} cents (${p.centsPerPoint.decimal})`;
    // A capped claim is paid the cap, not its points at this value (its whole class may be capped).
    out.push(r.outcome === 'capped' ? `  ${worth} to the claims below the cap; this claim is capped, so not its points × that` : `  ${worth}`);
  }
  out.push('');

  if (r.share !== null) {
    out.push(
      `${c.bold('Share')}, in cents: ${r.share.formula}`,
      `  = ${r.share.cents.fraction} cents ≈ ${r.share.cents.decimal} cents = ${r.share.ledger} (ledger share)`,
    );
  }
  const cap = r.cap.maximum === null ? 'none in the plan' : r.cap.applied ? `applied: the share is the cap, ${human(r.cap.maximum)}` : `${human(r.cap.maximum)}, not reached`;
  out.push(`${c.bold('Cap')}: ${cap}`);
  const m = r.minimum;
  let minLine: string;
  if (m.minimum === null) minLine = 'none in the plan';
  else if (m.removed !== null) {
    const x = m.removed;
    const at = x.amountAtStep !== null ? `paid ${human(x.amountAtStep)}` : `a share of ${x.shareAtStepCents.fraction} cents (${x.shareAtStepCents.decimal})`;
    minLine =
      `${human(m.minimum)}: removed in round ${x.step} of ${x.steps}` +
      (x.step > 1 ? `, after the ${x.step - 1} smaller points value${x.step - 1 === 1 ? ' was' : 's were'} removed` : ', as the smallest points value') +
      `: it would have had ${at}, below the minimum; all ${grouped(x.removedWithIt)} claims with ${r.points} point${r.points === '1' ? '' : 's'} were removed together`;
  } else minLine = r.share !== null ? `${human(m.minimum)}, met` : human(m.minimum);
  out.push(`${c.bold('Minimum')}: ${minLine}`, '');

  // Section 4: cents.
  const k = r.cents;
  if (r.share !== null) {
    const step = roundingMethod({ method: k.method }).explainCents({ round: 1, outcome: r.outcome, points: r.points, ...k, place: k });
    out.push(c.bold(step.title), ...step.lines);
    out.push('');
  }
  out.push(`${c.bold('Amount')}: ${c.bold(human(r.amount))} (${cents(r.amountCents)}${k.remainderCent ? ', with a remainder cent' : ''})`);
  return out;
}
