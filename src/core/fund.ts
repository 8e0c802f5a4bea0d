/**
 * The net fund (docs/spec.md §1): fund = gross + interest; deductions in the plan's order, a
 * percent of the fund ("gross") or of what remains, each rounded half-up to the cent.
 */
import { divHalfUp, pow10, type Dec } from './decimal.js';
import { formatMoney, formatMoneyHuman, type Cents } from './money.js';

/** A deduction of the plan (plan.ts re-exports it): a fixed amount or a percent. */
export type Deduction =
  | { label: string; kind: 'amount'; amount: Cents }
  | { label: string; kind: 'percent'; percent: Dec; percentText: string; of: 'gross' | 'remaining' };

/** What of a plan the net fund depends on. */
export interface FundTerms {
  gross: Cents;
  interest: Cents;
  deductions: Deduction[];
}

export interface DeductionLine {
  label: string;
  /** How the amount was reached, in words: `fixed`, `33.3333333333% of gross 92000000.00`. */
  rule: string;
  amount: Cents;
  /** What is left of the fund after this deduction. */
  remaining: Cents;
}

export interface NetFund {
  gross: Cents;
  interest: Cents;
  fund: Cents;
  deductions: DeductionLine[];
  totalDeductions: Cents;
  net: Cents;
}

export function computeNetFund(
  plan: FundTerms,
): NetFund | { problem: { field: string; message: string } } {
  const fund = plan.gross + plan.interest;
  let remaining = fund;
  const lines: DeductionLine[] = [];
  for (const [i, d] of plan.deductions.entries()) {
    let amount: Cents;
    let rule: string;
    if (d.kind === 'amount') {
      amount = d.amount;
      rule = 'fixed';
    } else {
      const base = d.of === 'gross' ? fund : remaining;
      amount = divHalfUp(base * d.percent.n, 100n * pow10(d.percent.scale));
      rule = `${d.percentText}% of ${d.of === 'gross' ? 'the fund' : 'the remainder'} ${formatMoney(base)}, rounded half-up`;
    }
    if (amount > remaining) {
      return {
        problem: {
          field: `deductions[${i}]`,
          message: `"${d.label}" (${formatMoneyHuman(amount)}) exceeds what is left of the fund (${formatMoneyHuman(remaining)}): the deductions exceed the fund`,
        },
      };
    }
    remaining -= amount;
    lines.push({ label: d.label, rule, amount, remaining });
  }
  return { gross: plan.gross, interest: plan.interest, fund, deductions: lines, totalDeductions: fund - remaining, net: remaining };
}
