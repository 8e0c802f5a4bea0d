/**
 * A ledger job as io/ledger-bytes.ts posts it, built by hand for a table of TikTok-plan claims, so
 * a test can drive a ledger worker directly: `blockRows` rows a block, no block taken by the test.
 */
import { allocate } from '../../src/core/allocate.js';
import type { ClaimTable } from '../../src/core/claims.js';
import { ledgerRowsSource, type LedgerRowsSource } from '../../src/core/ledger.js';
import type { Plan } from '../../src/core/plan.js';
import { tieKeyer } from '../../src/io/hash.js';
import type { LedgerJob } from '../../src/io/ledger-job.js';

export function ledgerJob(plan: Plan, table: ClaimTable, blockRows: number): { job: LedgerJob; state: Int32Array; source: LedgerRowsSource } {
  const alloc = allocate(plan, table, tieKeyer(plan.seed));
  const source = ledgerRowsSource(plan, table, alloc, []);
  const state = new Int32Array(new SharedArrayBuffer(8));
  const job: LedgerJob = {
    source: { ...source, ids: table.ids.slice(0, table.count) },
    state: state.buffer as SharedArrayBuffer,
    blocks: Math.ceil(table.count / blockRows),
    blockRows,
    rows: table.count,
  };
  return { job, state, source };
}
