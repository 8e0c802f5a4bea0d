/**
 * Streams an allocation's ledger.csv (docs/outputs.md) and tallies its `amount` column in bigint
 * cents: rows, paid claims, Σ amounts, and the histogram of the paid claims' amounts. Memory stays
 * bounded on a ledger of millions of rows: distinct amounts are remembered only while they are few
 * (the usual case: one or two amounts per points level); past that, a second pass counts the
 * amounts into equal-width bars between the minimum and maximum of the first.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import {
  AmountTally,
  EqualWidthCounter,
  equalWidthLayout,
  histogramFromTally,
} from '../core/amount-histogram.js';
import { parseMoney, type Cents } from '../core/money.js';
import type { Problem } from '../core/problems.js';
import type { LedgerTally } from '../core/report-model.js';
import { UsageError } from '../core/errors.js';

/** Outcomes that are paid money (SPEC section 3). */
const PAID_OUTCOMES = new Set(['paid', 'capped']);
const MAX_PROBLEMS = 20;
/** The ledger's amount column: always 2 decimals (docs/outputs.md). */
const AMOUNT = /^\d+\.\d{2}$/;

interface Row {
  line: number;
  outcome: string;
  amount: Cents;
}

/** Every data row's outcome and amount, with its line; throws UsageError listing the bad rows. */
async function* ledgerRows(path: string): AsyncGenerator<Row> {
  const file = path;
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, info: true, relax_column_count: false }));
  // pipe() does not forward a read error (a missing file, EIO): hand it to the parser's reader.
  input.on('error', (err) => parser.destroy(err));
  const problems: Problem[] = [];
  let outcomeAt = -1;
  let amountAt = -1;
  let header = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header) {
        header = false;
        const names = record.map((h) => h.trim().toLowerCase());
        outcomeAt = names.indexOf('outcome');
        amountAt = names.indexOf('amount');
        const missing = [outcomeAt < 0 ? 'outcome' : '', amountAt < 0 ? 'amount' : ''].filter(Boolean);
        if (missing.length > 0) {
          throw new UsageError(`${file}: not a payout ledger`, [
            { code: 'missing_column', severity: 'error', file, line: 1, message: `no ${missing.join(' or ')} column (expected the ledger that payout allocate writes)` },
          ]);
        }
        continue;
      }
      const amountText = record[amountAt] ?? '';
      const amount = AMOUNT.test(amountText) ? parseMoney(amountText) : undefined;
      if (amount === undefined) {
        problems.push({ code: 'input', severity: 'error', file, line: info.lines, field: 'amount', message: `"${amountText}" is not an amount with 2 decimals` });
        if (problems.length >= MAX_PROBLEMS) break;
        continue;
      }
      yield { line: info.lines, outcome: (record[outcomeAt] ?? '').trim(), amount };
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as { code?: string; message?: string; lines?: number };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw new UsageError(`${file}: cannot be read as CSV`, [
        { code: 'csv_syntax', severity: 'error', file, ...(e.lines === undefined ? {} : { line: e.lines }), message: e.message ?? String(err) },
      ]);
    }
    throw err;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header) {
    throw new UsageError(`${file}: empty`, [{ code: 'empty_file', severity: 'error', file, message: 'the ledger is empty (no header row)' }]);
  }
  if (problems.length > 0) throw new UsageError(`${file}: ${problems.length}${problems.length >= MAX_PROBLEMS ? '+' : ''} bad amounts`, problems);
}

/** Reads ledger.csv and returns its tally and the histogram of the paid claims' amounts. */
export async function tallyLedger(path: string): Promise<LedgerTally> {
  const tally = new AmountTally();
  let rows = 0;
  let paidCents: Cents = 0n;
  for await (const row of ledgerRows(path)) {
    rows++;
    paidCents += row.amount;
    if (PAID_OUTCOMES.has(row.outcome)) tally.add(row.amount);
  }
  let histogram = histogramFromTally(tally);
  if (!histogram) {
    // Too many distinct amounts to keep: count them again into equal-width bars.
    const counter = new EqualWidthCounter(equalWidthLayout(tally.min ?? 0n, tally.max ?? 0n));
    for await (const row of ledgerRows(path)) if (PAID_OUTCOMES.has(row.outcome)) counter.add(row.amount);
    histogram = counter.histogram();
  }
  return { rows, paidClaims: tally.count, paidCents, histogram };
}
