/** `payout explain` on a second round, as text: one claim's way from the first round to its second amount. */
import type { ChalkInstance } from 'chalk';
import type { RoundTwoAvailableReport, RoundTwoClaimReport } from '../core/explain-redistribution.js';
import type { LedgerCheck, RoundTwoExplained, RoundTwoFiles } from '../app/explain.js';
import { grouped, renderTable } from './table.js';
import { roundingMethod } from '../core/rounding/index.js';
import { ROUND_2_POINTS, ROUND_2_POINTS_AMOUNT } from '../core/redistribute.js';
import { cents, removedTogether } from './render-explain.js';
import { countOf, groupDecimal, moneyText, pointsText } from '../core/display-numbers.js';


function outcomeLine(r: RoundTwoClaimReport): string {
  switch (r.outcome) {
    case 'uncashed':
      return 'uncashed: paid nothing in the second round';
    case 'ineligible':
      return 'ineligible: paid nothing in the second round';
    case 'below_minimum':
      return 'below_minimum: removed by the minimum rule, paid nothing';
    case 'capped':
      return r.cap.noRoom ? 'capped: no room left under the maximum payment, paid nothing' : 'capped: paid its room under the maximum payment';
    default:
      return 'paid';
  }
}

/**
 * `points` is the round's basis (Redistribution.points): the first-round exact share, or after a
 * bucket plan the first-round amount (docs/spec.md §6a).
 */
export function renderRoundTwoClaimText(r: RoundTwoExplained, a: RoundTwoAvailableReport, files: RoundTwoFiles, c: ChalkInstance, points = ROUND_2_POINTS): string[] {
  const byAmount = points === ROUND_2_POINTS_AMOUNT;
  const out: string[] = [c.bold(`Claim ${r.claimId}, second round`) + c.dim(` (${files.firstLedger} line ${r.firstLedgerLine})`)];
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['class', r.class],
        ['first round', byAmount ? `${r.first.outcome} ${moneyText(r.first.amount)}` : `${r.first.outcome} ${moneyText(r.first.amount)}, exact share $${groupDecimal(r.first.share)}`],
        [
          'points',
          byAmount
            ? `${groupDecimal(r.first.share)} = the first-round amount (the amount column of ${files.firstLedger}: a bucket plan's ledger has no share)`
            : `${groupDecimal(r.first.share)} = the first-round exact share (the share column of ${files.firstLedger})`,
        ],
        ['status', r.statusReason],
        ['outcome', outcomeLine(r)],
      ],
      ['left', 'left'],
      '  ',
    ).slice(1),
    '',
  );

  out.push(
    c.bold('Available'),
    ...renderTable(
      ['', '', ''],
      [
        [`  First-round residual (${files.firstSummary})`, moneyText(a.firstRoundResidual), ''],
        [`+ ${countOf(a.uncashedClaims, 'uncashed payment')} (${files.uncashed})`, moneyText(a.uncashedAmount), ''],
        [`− costs (${files.dir}/manifest.json)`, moneyText(a.costs), ''],
        [c.bold('= Available'), c.bold(moneyText(a.available)), c.dim(cents(a.availableCents))],
      ],
      ['left', 'right', 'left'],
      '  ',
    ).slice(1),
    '',
  );

  const p = r.pool;
  if (p === null) {
    out.push(`${c.bold('Amount')}: ${moneyText(r.amount)} (${r.status}: takes no part in the second round)`, ledgerLine(r, c));
    return out;
  }

  out.push(c.bold(`Pool (one pool, every class; points = ${points})`));
  out.push(`  ${countOf(p.eligibleClaims, 'cashed claim')}, ${pointsText(p.eligiblePoints)}`);
  if (p.noRoomClaims > 0) out.push(`  ${grouped(p.noRoomClaims)} with no room under the cap (or room below the minimum): capped at 0`);
  if (p.belowMinimumClaims > 0) {
    out.push(`  ${grouped(p.belowMinimumClaims)} removed by the minimum rule (${countOf(p.removedValues, 'smallest points value')})`);
  }
  if (p.cappedClaims > 0) out.push(`  ${grouped(p.cappedClaims)} capped at ${p.cappedClaims === 1 ? 'its' : 'their'} room, taking ${moneyText(p.cappedTotal)}`);
  if (p.paidClaims > 0) out.push(`  ${grouped(p.paidClaims)} paid pro rata, ${pointsText(p.paidPoints)}`);
  if (p.centsPerShareUnit !== null) {
    out.push(`  1.00 of first-round ${byAmount ? 'amount' : 'share'} is worth ${groupDecimal(p.centsPerShareUnit.fraction)} cents (${groupDecimal(p.centsPerShareUnit.decimal)}; ${p.perFirstRoundShare} per 1.00 in summary.json)`);
  }
  out.push('');

  if (r.share !== null) out.push(`${c.bold('Share')}, in cents: ${groupDecimal(r.share.formula)}`, `  = ${groupDecimal(r.share.cents.fraction)} cents ≈ ${groupDecimal(r.share.cents.decimal)} cents`);
  let cap: string;
  if (r.cap.maximum === null) cap = 'none in the plan';
  else {
    const room = `room = maximum ${moneyText(r.cap.maximum)} − first amount ${moneyText(r.first.amount)} = ${moneyText(r.cap.room ?? '0.00')}`;
    if (r.cap.noRoom) cap = `${room}: ${r.cap.room === '0.00' ? 'no room' : `below the minimum ${moneyText(r.minimum.minimum ?? '0.00')}`}, capped at 0`;
    else cap = `${room}; ${r.cap.applied ? 'applied: the share is the room' : 'not reached'}`;
  }
  out.push(`${c.bold('Cap')} over both rounds: ${cap}`);
  const m = r.minimum;
  let minLine: string;
  if (m.minimum === null) minLine = 'none in the plan';
  else if (m.removed !== null) {
    const x = m.removed;
    minLine =
      `${moneyText(m.minimum)} on the second-round amount: removed in round ${x.step} of ${x.steps}` +
      (x.step > 1 ? `, after the ${countOf(x.step - 1, 'smaller points value')} ${x.step - 1 === 1 ? 'was' : 'were'} removed` : ', as the smallest points value') +
      `: it would have had a share of ${groupDecimal(x.shareAtStepCents.fraction)} cents (${groupDecimal(x.shareAtStepCents.decimal)}), below the minimum; ${removedTogether(x.removedWithIt, pointsText(r.first.share), ', whatever their first amount')}`;
  } else minLine = r.share !== null ? `${moneyText(m.minimum)} on the second-round amount, met` : moneyText(m.minimum);
  out.push(`${c.bold('Minimum')}: ${minLine}`, '');

  const k = r.cents;
  if (r.share !== null) {
    const step = roundingMethod({ method: k.method }).explainCents({ round: 2, outcome: r.outcome, points: null, pointValueCents: null, ...k, place: k });
    out.push(c.bold(step.title), ...step.lines);
    out.push('');
  }
  out.push(`${c.bold('Amount')}: ${c.bold(moneyText(r.amount))} (${cents(r.amountCents)}${k.remainderCent ? ', with a remainder cent' : ''})`);
  out.push(ledgerLine(r, c));
  return out;
}

function ledgerLine(r: RoundTwoExplained, c: ChalkInstance): string {
  const l = r.ledger;
  if (l.line === null) return c.red(`${l.file}: no row for ${r.claimId} ✗ (payout verify shows every difference)`);
  const found = `${l.file} line ${l.line}: ${l.outcome ?? ''} ${l.amount === null ? '' : moneyText(l.amount)}`;
  return l.agrees ? c.green(`${found} ✓ agrees`) : c.red(`${found} ✗ differs from what these inputs give (payout verify shows every difference)`);
}
