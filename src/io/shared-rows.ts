/**
 * The per-row parts both ledger-side workers read — the ledger's (ledger-bytes.ts) and the receipts
 * root's (receipts-root.ts) — copied once into shared memory: each row's claim id (bytes and end),
 * status, cell and remainder cent, ~20 bytes a claim. Posted to a worker, a SharedArrayBuffer is
 * shared, not copied, so the two workers and this thread read the same copy (at 5M claims: one
 * copy of ~100 MB instead of two moved and one more cloned while the ledger is written). The copy
 * is made by whichever asks first and kept for the same table and allocation. Ids already in
 * shared memory (the reader's table keeps them there from the start, ClaimIds `shared`) are not
 * copied at all: the workers read the table's own arrays (~14 bytes a claim less, ~280 MB at 20M).
 */
import type { Allocation } from '../core/allocate.js';
import type { ClaimTable, RowIndexArray } from '../core/claims.js';
import { countOf } from '../core/display-numbers.js';

export interface SharedRows {
  ids: { bytes: Uint8Array; ends: Uint32Array };
  statusIndex: RowIndexArray;
  cellOf: Uint32Array;
  extraCent: Uint8Array;
}

const made = new WeakMap<ClaimTable, { alloc: Allocation; rows: SharedRows }>();

/** `a`'s first `n` values in an array of the same type over a SharedArrayBuffer. */
function sharedCopy<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, n: number): T {
  const make = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new make(new SharedArrayBuffer(Math.max(1, n) * a.BYTES_PER_ELEMENT));
  out.set(a.subarray(0, n));
  return (n === 0 ? out.subarray(0, 0) : out) as T;
}

/** The parts of rows [0, claims.count), in shared memory: the same object for the same table and allocation. */
export function sharedRows(claims: ClaimTable, alloc: Allocation): SharedRows {
  const known = made.get(claims);
  if (known !== undefined && known.alloc === alloc) return known.rows;
  const n = claims.count;
  if (claims.ids.length !== n) throw new RangeError(`internal: ${countOf(claims.ids.length, 'claim id')} for ${countOf(n, 'row')}`);
  const view = claims.ids.view();
  const rows: SharedRows = {
    ids: claims.ids.shared ? view : { bytes: sharedCopy(view.bytes, view.bytes.length), ends: sharedCopy(view.ends, n) },
    statusIndex: sharedCopy(claims.statusIndex, n),
    cellOf: sharedCopy(alloc.cellOf, n),
    extraCent: sharedCopy(alloc.extraCent, n),
  };
  made.set(claims, { alloc, rows });
  return rows;
}
