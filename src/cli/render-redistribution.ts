/** A second distribution's summary as people read it at the terminal: where the money comes from, who gets it, the check. */
import { claimCount, countOf, countText, moneyText } from '../core/display-numbers.js';
import type { RoundTwoUnpaid } from '../core/redistribute-unpaid.js';
import type { ChalkInstance } from 'chalk';
import type { RedistributionSummaryJson } from '../core/redistribute-output.js';
import { ROUND_2_POINTS_AMOUNT } from '../core/redistribute.js';
import { grouped, renderTable } from './table.js';
import { roundingMethod } from '../core/rounding/index.js';


/**
 * `Not paid: 212 claims (uncashed 172; not paid in the first round 40)`: why claims of the round
 * were paid nothing, in one line as allocate says it (render-summary.ts `unpaidLine`), each reason
 * only when it has claims; nothing when every claim was paid.
 */
export function roundTwoUnpaidLine(u: RoundTwoUnpaid, s: Pick<RedistributionSummaryJson, 'maximumPayment'>): string | null {
  if (u.claims === 0) return null;
  const parts: string[] = [];
  if (u.uncashed > 0) parts.push(`uncashed ${countText(u.uncashed)}`);
  if (u.notPaidFirstRound > 0) parts.push(`not paid in the first round ${countText(u.notPaidFirstRound)}`);
  if (u.belowMinimum > 0) parts.push(`below the minimum ${countText(u.belowMinimum)}`);
  if (u.cappedToZero > 0) parts.push(`no room under the maximum ${moneyText(s.maximumPayment)} over both rounds ${countText(u.cappedToZero)}`);
  if (u.roundedToZero > 0) parts.push(`a share under one cent ${countText(u.roundedToZero)}`);
  return `Not paid: ${claimCount(u.claims)} (${parts.join('; ')})`;
}

export function renderRedistribution(s: RedistributionSummaryJson, c: ChalkInstance, unpaid?: RoundTwoUnpaid): string[] {
  const a = s.available;
  const out: string[] = [c.bold(`${s.case}: second distribution`), ''];
  out.push(
    `First round: ${countOf(s.firstRound.claims, 'claim')}, ${grouped(s.firstRound.paid)} paid ${moneyText(s.firstRound.amount)} (seed "${s.firstRound.seed}")`,
    '',
  );
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['  First-round residual', moneyText(a.firstRoundResidual)],
        [`+ ${countOf(a.uncashedClaims, 'uncashed payment')}`, moneyText(a.uncashedAmount)],
        ['− costs', moneyText(a.costs)],
        [c.bold('= Available'), c.bold(moneyText(a.available))],
      ],
      ['left', 'right'],
    ).slice(1),
    '',
  );
  const rows = s.classes.map((k) => [
    k.id,
    grouped(k.claims),
    grouped(k.eligible),
    grouped(k.uncashed),
    grouped(k.ineligible),
    grouped(k.paid),
    moneyText(k.amount),
    moneyText(k.smallest),
    moneyText(k.largest),
  ]);
  const t = s.totals;
  rows.push([c.bold('total'), grouped(t.claims), grouped(t.eligible), grouped(t.uncashed), grouped(t.ineligible), grouped(t.paid), c.bold(moneyText(t.amount)), '', '']);
  out.push(
    ...renderTable(
      ['class', 'claims', 'cashed', 'uncashed', 'ineligible', 'paid', 'amount', 'smallest', 'largest'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
  );
  const notes: string[] = [];
  if (s.perFirstRoundShare !== null) {
    // docs/spec.md §6a: after a bucket plan the points are the first-round amounts.
    notes.push(
      s.points === ROUND_2_POINTS_AMOUNT
        ? `Pro rata to the first-round amount: ${s.perFirstRoundShare} per 1.00 paid in the first round`
        : `Pro rata to the first-round exact share: ${s.perFirstRoundShare} per 1.00 of share`,
    );
  }
  if (t.belowMinimum > 0) notes.push(`${countOf(t.belowMinimum, 'claim')} would get less than the minimum payment ${moneyText(s.minimumPayment)}: nothing`);
  if (t.capped > 0) notes.push(`${countOf(t.capped, 'claim')} capped at maximumPayment ${moneyText(s.maximumPayment)} over both rounds`);
  const unpaidLine = unpaid === undefined ? null : roundTwoUnpaidLine(unpaid, s);
  if (unpaidLine !== null) notes.push(unpaidLine);
  if (notes.length > 0) out.push(...notes, '');
  const method = roundingMethod(s.rounding).roundTwoLine(s.rounding, { centsPlaced: t.centsPlaced, seed: s.seed });
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['Paid to claimants', moneyText(t.amount)],
        [`Residual${s.residualRecipient ? ` (to ${s.residualRecipient})` : ''}`, moneyText(t.residual)],
      ],
      ['left', 'right'],
    ).slice(1),
    `Cents: ${method}`,
    s.check.balanced
      ? c.green(`Check: paid ${moneyText(t.amount)} + residual ${moneyText(t.residual)} = available ${moneyText(a.available)} ✓`)
      : c.red(`Check FAILED: paid + residual = ${moneyText(s.check.paidPlusResidual)} but available is ${moneyText(a.available)}`),
  );
  return out;
}
