import type { LedgerRows } from '../../src/core/ledger.js';

/** A ledger's rows made in ranges of the given sizes, in order, till `count`: blocks that start and end anywhere. */
export function rowsInRanges(rowsOf: LedgerRows, count: number, cuts: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let k = 0; from < count; k++) {
    const to = Math.min(count, from + (cuts[k % cuts.length] as number));
    parts.push(rowsOf.rows(from, to));
    from = to;
  }
  return parts;
}
