/** The allocation summary as people read it at the terminal: the fund, the split per class, the check. */
import type { ChalkInstance } from 'chalk';
import type { SummaryJson, UnpaidJson } from '../core/summary.js';
import type { BucketUnpaidJson } from '../core/buckets/output.js';
import { grouped, renderTable } from './table.js';
import { roundingMethod } from '../core/rounding/index.js';
import { claimCount, countOf, groupDecimal, humanizeAmounts, moneyText } from '../core/display-numbers.js';
import { visibleText } from '../core/visible-text.js';


/** The case name, then the fund down to the net fund, deduction by deduction: every plan's summary opens so. */
export function renderFundHead(
  s: Pick<SummaryJson, 'case' | 'fund' | 'deductions' | 'net'>,
  c: ChalkInstance,
): string[] {
  const fundRows: string[][] = [['Gross fund', moneyText(s.fund.gross)]];
  if (s.fund.interest !== '0.00') fundRows.push(['+ interest', moneyText(s.fund.interest)], ['Fund', moneyText(s.fund.fund)]);
  for (const d of s.deductions) fundRows.push([`− ${d.label} (${humanizeAmounts(d.rule)})`, moneyText(d.amount)]);
  fundRows.push([c.bold('Net settlement fund'), c.bold(moneyText(s.net))]);
  return [c.bold(s.case), '', ...renderTable(['', ''], fundRows, ['left', 'right']).slice(1), ''];
}

/** Statuses listed by name in the "Not paid" line; the rest are counted. */
const STATUSES_SHOWN = 6;

/**
 * `Not paid: 176 claims (status rejected 98, deficient 78; below the minimum 3)`: summary.json's
 * `unpaid` in one line, a classes plan's or a bucket plan's (its reasons: nothing claimed, nothing
 * left for the buckets claimed in); nothing when every claim was paid.
 */
export function unpaidLine(s: { unpaid: UnpaidJson | BucketUnpaidJson; maximumPayment?: string | null }): string | null {
  const u = s.unpaid;
  if (u.claims === 0) return null;
  const parts: string[] = [];
  if (u.byStatus.length > 0) {
    // A status with a space or a comma is quoted, so that the list reads unambiguously.
    const name = (status: string): string => (/^[\p{L}\p{N}_@.'-]+$/u.test(status) ? visibleText(status) : visibleText(JSON.stringify(status)));
    const named = u.byStatus.slice(0, STATUSES_SHOWN).map((x) => `${name(x.status)} ${grouped(x.claims)}`);
    const rest = u.byStatus.slice(STATUSES_SHOWN);
    if (rest.length > 0) named.push(`${countOf(rest.length, 'other status', 'other statuses')} ${grouped(rest.reduce((n, x) => n + x.claims, 0))}`);
    parts.push(`status ${named.join(', ')}`);
  }
  if (u.belowMinimum > 0) parts.push(`below the minimum ${grouped(u.belowMinimum)}`);
  if ('cappedToZero' in u && u.cappedToZero > 0) parts.push(`capped at ${moneyText(s.maximumPayment ?? null)} ${grouped(u.cappedToZero)}`);
  if ('noEntitlement' in u) {
    if (u.noEntitlement > 0) parts.push(`nothing claimed ${grouped(u.noEntitlement)}`);
    if (u.unfunded > 0) parts.push(`nothing left in their buckets ${grouped(u.unfunded)}`);
  }
  if (u.roundedToZero > 0) parts.push(`a share under one cent ${grouped(u.roundedToZero)}`);
  return `Not paid: ${claimCount(u.claims)} (${parts.join('; ')})`;
}

export function renderSummary(s: SummaryJson, c: ChalkInstance): string[] {
  const out: string[] = renderFundHead(s, c);

  const weights = s.mode === 'weights';
  const rows = s.classes.map((k) => [
    k.id,
    weights ? (k.weight ?? '') : `${k.poolPercent ?? ''}%`,
    grouped(k.claims),
    grouped(k.eligible),
    grouped(k.paid),
    groupDecimal(k.points),
    moneyText(k.amount),
    moneyText(k.smallest),
    moneyText(k.largest),
  ]);
  rows.push([
    c.bold('total'),
    '',
    grouped(s.totals.claims),
    grouped(s.totals.eligible),
    grouped(s.totals.paid),
    '',
    c.bold(moneyText(s.totals.amount)),
    '',
    '',
  ]);
  out.push(
    ...renderTable(
      ['class', weights ? 'weight' : 'pool', 'claims', 'eligible', 'paid', 'points', 'amount', 'smallest', 'largest'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
  );
  const notes: string[] = [];
  for (const k of s.classes) {
    if (k.belowMinimum > 0) notes.push(`${k.id}: ${countOf(k.belowMinimum, 'claim')} below the minimum payment ${moneyText(s.minimumPayment)} ${k.belowMinimum === 1 ? 'gets' : 'get'} nothing`);
    if (k.capped > 0 && k.capped === k.paid) notes.push(`${k.id}: every paid claim capped at ${moneyText(s.maximumPayment)} (${claimCount(k.capped)})`);
    else if (k.capped > 0) notes.push(`${k.id}: ${claimCount(k.capped)} capped at ${moneyText(s.maximumPayment)}`);
  }
  const unpaid = unpaidLine(s);
  if (unpaid !== null) notes.push(unpaid);
  if (notes.length > 0) out.push(...notes, '');
  const method = roundingMethod(s.rounding).summaryLine(s.rounding, { centsPlaced: s.totals.centsPlaced, seed: s.seed });
  out.push(
    ...renderTable(
      ['', ''],
      [
        ['Paid to claimants', moneyText(s.totals.amount)],
        [`Residual${s.residualRecipient ? ` (to ${s.residualRecipient})` : ''}`, moneyText(s.totals.residual)],
      ],
      ['left', 'right'],
    ).slice(1),
    `Cents: ${method}`,
  );
  out.push(
    s.check.balanced
      ? c.green(`Check: paid ${moneyText(s.totals.amount)} + residual ${moneyText(s.totals.residual)} = net ${moneyText(s.net)} ✓`)
      : c.red(`Check FAILED: paid + residual = ${moneyText(s.check.paidPlusResidual)} but net is ${moneyText(s.net)}`),
  );
  return out;
}
