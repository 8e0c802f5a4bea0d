/**
 * Streams an allocation's ledger.csv (docs/outputs.md) and tallies its `amount` column in bigint
 * cents: rows, paid claims, Σ amounts, the rows paid 0.00 by outcome (the ineligible ones by
 * status), and the histogram of the paid claims' amounts. Memory stays
 * bounded on a ledger of millions of rows: distinct amounts are remembered only while they are few
 * (the usual case: one or two amounts per points level); past that, a second pass counts the
 * amounts into equal-width bars between the minimum and maximum of the first.
 */
import {
  AmountTally,
  EqualWidthCounter,
  equalWidthLayout,
  histogramFromTally,
} from '../core/amount-histogram.js';
import { parseMoney, type Cents } from '../core/money.js';
import type { Problem } from '../core/problems.js';
import type { LedgerTally, LedgerUnpaid } from '../core/report-model.js';
import { restoreFormula } from '../core/csv-cell.js';
import { UsageError } from '../core/errors.js';
import { CsvSyntaxError, readCsvFile } from './csv-records.js';
import { countOf, countText } from '../core/display-numbers.js';

/** Outcomes that are paid money (docs/spec.md §3). */
const PAID_OUTCOMES = new Set(['paid', 'capped']);
const MAX_PROBLEMS = 20;
/** The ledger's amount column: always 2 decimals (docs/outputs.md). */
const AMOUNT = /^\d+\.\d{2}$/;

/** Stops the reading once MAX_PROBLEMS bad amounts are found. */
const ENOUGH = new Error('enough problems');

/**
 * Hands every data row's outcome and amount to `onRow` (with the record and the line it starts on;
 * `onHeader` sees the header's names, trimmed and lower-cased, first); throws a
 * UsageError listing the bad rows. The ledger is a file payout wrote, so it is read by
 * readCsvFile (one `split(',')` per line without a quote), not by csv-parse: several times faster
 * on a ledger of a million rows, which `allocate --report` reads right after writing it.
 */
export async function readLedgerRows(
  path: string,
  onRow: (outcome: string, amount: Cents, record: readonly string[], line: number) => void,
  onHeader?: (names: readonly string[], line: number) => void,
): Promise<void> {
  const file = path;
  const problems: Problem[] = [];
  let outcomeAt = -1;
  let amountAt = -1;
  let columns = -1;
  const onRecord = (record: string[], line: number): void => {
    if (columns < 0) {
      columns = record.length;
      const names = record.map((h) => h.trim().toLowerCase());
      outcomeAt = names.indexOf('outcome');
      amountAt = names.indexOf('amount');
      const missing = [outcomeAt < 0 ? 'outcome' : '', amountAt < 0 ? 'amount' : ''].filter(Boolean);
      if (missing.length > 0) {
        throw new UsageError(`${file}: not a payout ledger`, [
          { code: 'missing_column', severity: 'error', file, line, message: `no ${missing.join(' or ')} column (expected the ledger that payout allocate writes)` },
        ]);
      }
      onHeader?.(names, line);
      return;
    }
    if (record.length !== columns) {
      throw new UsageError(`${file}: cannot be read as CSV`, [
        { code: 'csv_syntax', severity: 'error', file, line, message: `${countOf(record.length, 'column')} where the header has ${columns}` },
      ]);
    }
    const amountText = record[amountAt] as string;
    const amount = AMOUNT.test(amountText) ? parseMoney(amountText) : undefined;
    if (amount === undefined) {
      problems.push({ code: 'input', severity: 'error', file, line, field: 'amount', message: `"${amountText}" is not an amount with 2 decimals` });
      if (problems.length >= MAX_PROBLEMS) throw ENOUGH;
      return;
    }
    onRow((record[outcomeAt] as string).trim(), amount, record, line);
  };
  try {
    await readCsvFile(path, onRecord);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err !== ENOUGH) {
      if (err instanceof CsvSyntaxError) {
        throw new UsageError(`${file}: cannot be read as CSV`, [
          { code: 'csv_syntax', severity: 'error', file, line: err.line, message: err.message },
        ]);
      }
      throw err;
    }
  }
  if (columns < 0) {
    throw new UsageError(`${file}: empty`, [{ code: 'empty_file', severity: 'error', file, message: 'the ledger is empty (no header row)' }]);
  }
  if (problems.length > 0) throw new UsageError(`${file}: ${problems.length >= MAX_PROBLEMS ? `${countText(problems.length)}+ bad amounts` : countOf(problems.length, 'bad amount')}`, problems);
}

/** Reads ledger.csv and returns its tally and the histogram of the paid claims' amounts. */
export async function tallyLedger(path: string): Promise<LedgerTally> {
  const tally = new AmountTally();
  let rows = 0;
  let paidCents: Cents = 0n;
  const byStatus = new Map<string, number>();
  const unpaid: LedgerUnpaid = { rows: 0, byStatus, belowMinimum: 0, capped: 0, paid: 0, other: 0 };
  let statusAt = -1;
  await readLedgerRows(
    path,
    (outcome, amount, record) => {
      rows++;
      paidCents += amount;
      if (PAID_OUTCOMES.has(outcome)) tally.add(amount);
      if (amount !== 0n) return;
      unpaid.rows++;
      if (outcome === 'ineligible') {
        // The status as summary.json's `unpaid.byStatus` writes it: the formula guard removed.
        const status = statusAt < 0 ? '' : restoreFormula(record[statusAt] as string);
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      } else if (outcome === 'below_minimum') unpaid.belowMinimum++;
      else if (outcome === 'capped') unpaid.capped++;
      else if (outcome === 'paid') unpaid.paid++;
      else unpaid.other++;
    },
    (names) => {
      statusAt = names.indexOf('status');
    },
  );
  let histogram = histogramFromTally(tally);
  if (!histogram) {
    // Too many distinct amounts to keep: count them again into equal-width bars.
    const counter = new EqualWidthCounter(equalWidthLayout(tally.min ?? 0n, tally.max ?? 0n));
    await readLedgerRows(path, (outcome, amount) => {
      if (PAID_OUTCOMES.has(outcome)) counter.add(amount);
    });
    histogram = counter.histogram();
  }
  return { rows, paidClaims: tally.count, paidCents, unpaid, histogram };
}
