/** A second distribution's summary as people read it at the terminal: where the money comes from, who gets it, the check. */
import { moneyText } from '../core/display-numbers.js';
import type { ChalkInstance } from 'chalk';
import type { RedistributionSummaryJson } from '../core/redistribute-output.js';
import { ROUND_2_POINTS_AMOUNT } from '../core/redistribute.js';
import { grouped, renderTable } from './table.js';
import { roundingMethod } from '../core/rounding/index.js';


export function renderRedistribution(s: RedistributionSummaryJson, c: ChalkInstance): string[] {
  const a = s.available;
  const out: string[] = [c.bold(`${s.case}: second distribution`), ''];
  out.push(
    `First round: ${grouped(s.firstRound.claims)} claims, ${grouped(s.firstRound.paid)} paid ${moneyText(s.firstRound.amount)} (seed "${s.firstRound.seed}")`,
    '',
  );
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['  First-round residual', moneyText(a.firstRoundResidual)],
        [`+ ${grouped(a.uncashedClaims)} uncashed payments`, moneyText(a.uncashedAmount)],
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
  if (t.belowMinimum > 0) notes.push(`${grouped(t.belowMinimum)} claims would get less than the minimum payment ${moneyText(s.minimumPayment)}: nothing`);
  if (t.capped > 0) notes.push(`${grouped(t.capped)} claims capped at maximumPayment ${moneyText(s.maximumPayment)} over both rounds`);
  if (notes.length > 0) out.push(...notes, '');
  const method = roundingMethod(s.rounding).roundTwoLine(s.rounding, { centsPlaced: grouped(t.centsPlaced), seed: s.seed });
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
