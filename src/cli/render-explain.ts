/** `payout explain`'s text: one claim's way from the gross fund to its amount, step by step. */
import { countOf, groupDecimal, humanizeAmounts, moneyText, pointsText } from '../core/display-numbers.js';
import type { ChalkInstance } from 'chalk';
import type { ClaimReport } from '../core/explain-report.js';
import { roundingMethod } from '../core/rounding/index.js';
import { cents } from '../core/rounding/words.js';
import { grouped, renderTable } from './table.js';

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

/**
 * The claims the minimum rule removed with the one explained (all of its points value, itself
 * among them): `all 3 claims with 2 points were removed together`, or, alone, `it was the only
 * claim with 2 points`.
 */
export function removedTogether(n: number, withWhat: string, more = ''): string {
  return n === 1 ? `it was the only claim with ${withWhat}` : `all ${countOf(n, 'claim')} with ${withWhat} were removed together${more}`;
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
        ['points', `${groupDecimal(r.points)} = ${r.pointsRule}`],
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
  const fundRows: string[][] = [['Gross fund', moneyText(f.gross), '']];
  if (f.interest !== '0.00') fundRows.push(['+ interest', moneyText(f.interest), ''], ['Fund', moneyText(f.fund), '']);
  for (const d of f.deductions) fundRows.push([`− ${d.label} (${humanizeAmounts(d.rule)})`, moneyText(d.amount), c.dim(`leaves ${moneyText(d.remaining)}`)]);
  fundRows.push([c.bold('Net settlement fund'), c.bold(moneyText(f.net)), c.dim(cents(f.netCents))]);
  out.push(c.bold('Net fund'), ...renderTable(['', '', ''], fundRows, ['left', 'right', 'left'], '  ').slice(1), '');

  const p = r.pool;
  if (p === null) {
    out.push(`${c.bold('Amount')}: ${moneyText(r.amount)} (not eligible, takes no part in the split)`);
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
    out.push(`  net × ${r.class.poolPercent ?? '?'}% = ${groupDecimal(p.exactNetCents)} cents → ${cents(p.netCents)}${split}`);
  } else out.push(`  ${cents(p.netCents)} (${moneyText(p.net)})`);
  out.push(`  ${countOf(p.eligibleClaims, 'eligible claim')}, ${pointsText(p.eligiblePoints)}`);
  if (p.belowMinimumClaims > 0) out.push(`  ${grouped(p.belowMinimumClaims)} removed by the minimum rule; ${grouped(p.paidClaims)} paid, ${pointsText(p.paidPoints)}`);
  if (p.cappedClaims > 0) out.push(`  ${grouped(p.cappedClaims)} capped at the maximum payment`);
  if (p.centsPerPoint !== null) {
    const worth = `one point is worth ${groupDecimal(p.centsPerPoint.fraction)} cents (${groupDecimal(p.centsPerPoint.decimal)})`;
    // A capped claim is paid the cap, not its points at this value (its whole class may be capped).
    out.push(r.outcome === 'capped' ? `  ${worth} to the claims below the cap; this claim is capped, so not its points × that` : `  ${worth}`);
  }
  out.push('');

  if (r.share !== null) {
    out.push(
      `${c.bold('Share')}, in cents: ${groupDecimal(r.share.formula)}`,
      `  = ${groupDecimal(r.share.cents.fraction)} cents ≈ ${groupDecimal(r.share.cents.decimal)} cents = $${groupDecimal(r.share.ledger)} (ledger share)`,
    );
  }
  const cap = r.cap.maximum === null ? 'none in the plan' : r.cap.applied ? `applied: the share is the cap, ${moneyText(r.cap.maximum)}` : `${moneyText(r.cap.maximum)}, not reached`;
  out.push(`${c.bold('Cap')}: ${cap}`);
  const m = r.minimum;
  let minLine: string;
  if (m.minimum === null) minLine = 'none in the plan';
  else if (m.removed !== null) {
    const x = m.removed;
    const at = x.amountAtStep !== null ? `paid ${moneyText(x.amountAtStep)}` : `a share of ${groupDecimal(x.shareAtStepCents.fraction)} cents (${groupDecimal(x.shareAtStepCents.decimal)})`;
    minLine =
      `${moneyText(m.minimum)}: removed in round ${x.step} of ${x.steps}` +
      (x.step > 1 ? `, after the ${countOf(x.step - 1, 'smaller points value')} ${x.step - 1 === 1 ? 'was' : 'were'} removed` : ', as the smallest points value') +
      `: it would have had ${at}, below the minimum; ${removedTogether(x.removedWithIt, pointsText(r.points))}`;
  } else minLine = r.share !== null ? `${moneyText(m.minimum)}, met` : moneyText(m.minimum);
  out.push(`${c.bold('Minimum')}: ${minLine}`, '');

  // Section 4: cents.
  const k = r.cents;
  if (r.share !== null) {
    const step = roundingMethod({ method: k.method }).explainCents({ round: 1, outcome: r.outcome, points: r.points, ...k, place: k });
    out.push(c.bold(step.title), ...step.lines);
    out.push('');
  }
  out.push(`${c.bold('Amount')}: ${c.bold(moneyText(r.amount))} (${cents(r.amountCents)}${k.remainderCent ? ', with a remainder cent' : ''})`);
  return out;
}
