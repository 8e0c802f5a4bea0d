/**
 * An addresses.csv row from a claim's record of bytes (core/payments/record-batch.ts), as
 * addressRowBytes (row-bytes.ts) writes it: the claim id and the six cells of its mailing address.
 */
import { putCell, putCells } from './record-cells.js';

/**
 * Writes the row at `u` in `b` and returns where it ends. `at`: start and end of the record's cells
 * in `src` (the claim id first); the address's six are those from index `from` (of `at`) on.
 */
export function putAddressRow(b: Uint8Array, u: number, src: Uint8Array, at: Int32Array, from: number): number {
  u = putCells(b, putCell(b, u, src, at[0]!, at[1]!), src, at, from, from + 12);
  b[u++] = 0x0a;
  return u;
}
