/**
 * Streams a bucket plan's ledger.csv (docs/outputs.md) and sums it in bigint cents for the
 * report's cross-checks against summary.json: rows, paid claims, rows paid 0.00, Σ amount and Σ of each bucket's
 * column. Read by the ledger reader the classes report uses (ledger-histogram.ts).
 */
import type { BucketLedgerTally } from '../core/buckets/report.js';
import { parseMoney, type Cents } from '../core/money.js';
import { readLedgerRows } from './ledger-histogram.js';

/** A ledger cell of money: always 2 decimals (docs/outputs.md). */
const AMOUNT = /^\d+\.\d{2}$/;

/** Sums DIR/ledger.csv; `bucketIds` are summary.json's buckets, whose columns are summed in that order. */
export async function tallyBucketLedger(path: string, bucketIds: readonly string[]): Promise<BucketLedgerTally> {
  const tally: BucketLedgerTally = { rows: 0, paidClaims: 0, unpaidRows: 0, amount: 0n, buckets: bucketIds.map(() => 0n), missingColumns: [], badCells: 0 };
  let at: number[] = [];
  await readLedgerRows(
    path,
    (outcome, amount, record) => {
      tally.rows++;
      tally.amount += amount;
      if (outcome === 'paid') tally.paidClaims++;
      if (amount === 0n) tally.unpaidRows++;
      at.forEach((col, k) => {
        if (col < 0) return;
        const text = (record[col] ?? '').trim();
        const cents = AMOUNT.test(text) ? parseMoney(text) : undefined;
        if (cents === undefined) tally.badCells++;
        else tally.buckets[k] = (tally.buckets[k] as Cents) + cents;
      });
    },
    (names) => {
      at = bucketIds.map((id) => names.indexOf(id.toLowerCase()));
      tally.missingColumns = bucketIds.filter((_, k) => at[k]! < 0);
    },
  );
  return tally;
}
