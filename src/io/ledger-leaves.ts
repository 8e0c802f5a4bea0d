/**
 * A ledger.csv read back as the leaves of its receipts tree (core/merkle.ts, docs/receipts.md):
 * each row's leaf hashed as the row is read (its cells as read back: formula guards removed,
 * quoting undone), so that a ledger of a million rows costs 32 bytes and its claim id a row, not
 * its cells. The leaves come back in claim_id order, with the cells of the one row asked for.
 */
import { concat, DIGEST_BYTES, netstring } from '../core/merkle.js';
import { DataError } from '../core/errors.js';
import { readLedgerFields } from './ledger-reader.js';
import { sha256Into } from './receipts-leaves.js';
import { claimIdOrder } from './receipts-root.js';
import { countOf } from '../core/display-numbers.js';

const utf8 = new TextEncoder();

export interface LedgerLeaves {
  columns: string[];
  /** Leaf digests in claim_id order, 32 bytes each. */
  leaves: Uint8Array;
  count: number;
  /** The row asked for: its cells, its ledger line and its leaf's position; undefined when absent. */
  found?: { cells: string[]; line: number; index: number };
}

/** Grows a byte array as bytes are appended. */
class Bytes {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  push(b: Uint8Array): void {
    if (this.length + b.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + b.length));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

/**
 * Reads `file` (a ledger payout wrote: it has a `claim_id` column) and hashes every row's leaf;
 * `claimId`'s row is kept. A claim id on two rows is a DataError naming both lines.
 */
export async function readLedgerLeaves(file: string, claimId: string): Promise<LedgerLeaves> {
  const digests = new Bytes();
  const ids = new Bytes();
  const ends: number[] = [];
  const digest = new Uint8Array(DIGEST_BYTES);
  let wanted: { cells: string[]; line: number; row: number } | undefined;
  let names: Uint8Array[] = [];
  let idCol = 0;
  const { columns } = await readLedgerFields(file, ['claim_id'], (cols) => {
    names = cols.map((c) => netstring(utf8.encode(c)));
    idCol = cols.indexOf('claim_id');
    return (fields, line) => {
      if (fields.length !== names.length) throw new DataError(`${file}:${line}: ${countOf(fields.length, 'cell')}, but the header has ${countOf(names.length, 'column')}: not a ledger payout wrote`);
      const parts: Uint8Array[] = [Uint8Array.of(0x00)];
      for (let col = 0; col < names.length; col++) parts.push(names[col]!, netstring(utf8.encode(fields[col] ?? '')));
      sha256Into(concat(parts), digest, 0);
      digests.push(digest);
      const id = fields[idCol] ?? '';
      ids.push(utf8.encode(id));
      ends.push(ids.length);
      if (id === claimId) {
        if (wanted !== undefined) throw new DataError(`${file}:${line}: claim "${claimId}" is also on line ${wanted.line}: not a ledger payout wrote`);
        wanted = { cells: names.map((_, col) => fields[col] ?? ''), line, row: ends.length - 1 };
      }
    };
  });
  const count = ends.length;
  const order = claimIdOrder(count, ids.bytes.subarray(0, ids.length), Uint32Array.from(ends));
  let leaves = digests.bytes.subarray(0, count * DIGEST_BYTES);
  let index = wanted?.row;
  if (order !== undefined) {
    const sorted = new Uint8Array(count * DIGEST_BYTES);
    for (let i = 0; i < count; i++) {
      const row = order[i]!;
      sorted.set(leaves.subarray(row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES), i * DIGEST_BYTES);
      if (row === wanted?.row) index = i;
    }
    leaves = sorted;
  }
  const result: LedgerLeaves = { columns, leaves, count };
  if (wanted !== undefined && index !== undefined) result.found = { cells: wanted.cells, line: wanted.line, index };
  return result;
}
