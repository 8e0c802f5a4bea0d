/**
 * Streams a second round's ledger.csv (`claim_id,class,first_amount,outcome,amount`,
 * docs/redistribute.md) and tallies it in bigint cents for the report's cross-checks: rows per
 * outcome, the rows paid 0.00 by outcome, Σ amount, Σ first-round amounts of the uncashed and of the cashed claims, and the
 * histogram of the amounts paid (above 0), as ledger-histogram.ts does for a first round.
 */
import { AmountTally, EqualWidthCounter, equalWidthLayout, histogramFromTally } from '../core/amount-histogram.js';
import { UsageError } from '../core/errors.js';
import { parseMoney, type Cents } from '../core/money.js';
import type { Round2LedgerTally } from '../core/round2-report-model.js';
import { readLedgerRows } from './ledger-histogram.js';

const AMOUNT = /^\d+\.\d{2}$/;
/** Outcomes of a claim that cashed its first payment (docs/redistribute.md: `eligible`). */
const CASHED = new Set(['paid', 'capped', 'below_minimum']);

/** Reads DIR2/ledger.csv; a missing column or a bad first_amount is a UsageError naming the line. */
export async function tallyRound2Ledger(path: string): Promise<Round2LedgerTally> {
  const tally = new AmountTally();
  const outcomes = new Map<string, number>();
  const unpaid = new Map<string, number>();
  let rows = 0;
  let amountCents: Cents = 0n;
  let uncashedFirstCents: Cents = 0n;
  let cashedFirstCents: Cents = 0n;
  let firstAt = -1;
  const onHeader = (names: readonly string[], line: number): void => {
    firstAt = names.indexOf('first_amount');
    if (firstAt < 0) {
      throw new UsageError(`${path}: not a second round's ledger`, [
        { code: 'missing_column', severity: 'error', file: path, line, message: 'no first_amount column (expected the ledger that payout redistribute writes)' },
      ]);
    }
  };
  await readLedgerRows(
    path,
    (outcome, amount, record, line) => {
      const text = record[firstAt] as string;
      const first = AMOUNT.test(text) ? parseMoney(text) : undefined;
      if (first === undefined) {
        throw new UsageError(`${path}: bad first_amount`, [
          { code: 'input', severity: 'error', file: path, line, field: 'first_amount', message: `"${text}" is not an amount with 2 decimals` },
        ]);
      }
      rows++;
      amountCents += amount;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (outcome === 'uncashed') uncashedFirstCents += first;
      if (CASHED.has(outcome)) cashedFirstCents += first;
      if (amount > 0n) tally.add(amount);
      else unpaid.set(outcome, (unpaid.get(outcome) ?? 0) + 1);
    },
    onHeader,
  );
  let histogram = histogramFromTally(tally);
  if (!histogram) {
    // Too many distinct amounts to keep: count them again into equal-width bars.
    const counter = new EqualWidthCounter(equalWidthLayout(tally.min ?? 0n, tally.max ?? 0n));
    await readLedgerRows(path, (_outcome, amount) => {
      if (amount > 0n) counter.add(amount);
    });
    histogram = counter.histogram();
  }
  const n = (o: string): number => outcomes.get(o) ?? 0;
  const z = (o: string): number => unpaid.get(o) ?? 0;
  const known = ['uncashed', 'ineligible', 'below_minimum', 'capped', 'paid'];
  return {
    rows,
    amountCents,
    paidClaims: tally.count,
    outcomes: { paid: n('paid'), capped: n('capped'), belowMinimum: n('below_minimum'), uncashed: n('uncashed'), ineligible: n('ineligible') },
    unpaid: {
      uncashed: z('uncashed'),
      ineligible: z('ineligible'),
      belowMinimum: z('below_minimum'),
      capped: z('capped'),
      paid: z('paid'),
      other: [...unpaid].reduce((acc, [o, c]) => (known.includes(o) ? acc : acc + c), 0),
    },
    uncashedFirstCents,
    cashedFirstCents,
    histogram,
  };
}
