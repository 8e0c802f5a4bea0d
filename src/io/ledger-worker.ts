/**
 * The worker thread of ledger-bytes.ts: makes blocks of ledger rows (core/ledger.ts LedgerRows,
 * the plain rows by the native addon when there is one: ledger-rows-native.ts)
 * while the main thread makes, hashes and writes others. Blocks are taken in order from a shared
 * counter by whichever thread is free, and this one stays at most LEDGER_AHEAD blocks ahead of the
 * writing (so finished blocks do not pile up in memory).
 */
import { parentPort } from 'node:worker_threads';
import { ClaimIds } from '../core/claims.js';
import { LedgerRows } from '../core/ledger.js';
import { LEDGER_AHEAD, NEXT_BLOCK, WRITTEN_BLOCKS, type LedgerJob } from './ledger-job.js';
import { ledgerRowRun } from './ledger-rows-native.js';

// The native writer of plain rows (when built and allowed), loaded and checked while the worker
// waits for its job.
const run = ledgerRowRun();

parentPort?.on('message', (job: LedgerJob) => {
  const rows = new LedgerRows({ ...job.source, ids: ClaimIds.fromSlice(job.source.ids) }, { run });
  const state = new Int32Array(job.state);
  for (;;) {
    for (;;) {
      const written = Atomics.load(state, WRITTEN_BLOCKS);
      if (Atomics.load(state, NEXT_BLOCK) - written < LEDGER_AHEAD) break;
      Atomics.wait(state, WRITTEN_BLOCKS, written, 100);
    }
    const block = Atomics.add(state, NEXT_BLOCK, 1);
    if (block >= job.blocks) break;
    const from = block * job.blockRows;
    const bytes = rows.rows(from, Math.min(job.rows, from + job.blockRows));
    parentPort?.postMessage({ block, bytes }, [bytes.buffer as ArrayBuffer]);
  }
  parentPort?.postMessage({ done: true });
});
