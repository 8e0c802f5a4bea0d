/**
 * What the main thread and the ledger worker share (ledger-bytes.ts, ledger-worker.ts): the job
 * posted once, and the two counters in a SharedArrayBuffer that split the blocks between them.
 */
import type { LedgerRowsSource } from '../core/ledger.js';

/** Index in the shared counters: the next block not yet taken (by either thread). */
export const NEXT_BLOCK = 0;
/** Index in the shared counters: blocks handed to the writer so far, in order. */
export const WRITTEN_BLOCKS = 1;
/** The worker takes no block more than this many past the last one written (~7 MiB of rows). */
export const LEDGER_AHEAD = 8;

export interface LedgerJob {
  /** Every row's parts, with the ids as posted (ClaimIds.slice). */
  source: Omit<LedgerRowsSource, 'ids'> & { ids: { bytes: Uint8Array; ends: Uint32Array } };
  /** Int32Array [NEXT_BLOCK, WRITTEN_BLOCKS] over a SharedArrayBuffer. */
  state: SharedArrayBuffer;
  blocks: number;
  blockRows: number;
  /** Rows of the table (the last block may be short). */
  rows: number;
}
