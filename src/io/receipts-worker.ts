/**
 * The worker thread of receipts-root.ts: makes the subtree roots of blocks of receipt leaves
 * (receipts-leaves.ts) while the main thread writes the ledger and then takes blocks too. Blocks
 * are taken from a shared counter by whichever thread is free, so who makes which block never
 * changes a root.
 */
import { parentPort } from 'node:worker_threads';
import { LeafBlocks, type ReceiptsJob } from './receipts-leaves.js';

parentPort?.on('message', (job: ReceiptsJob) => {
  const blocks = new LeafBlocks(job.rows);
  const state = new Int32Array(job.state);
  for (;;) {
    const block = Atomics.add(state, 0, 1);
    if (block >= blocks.blocks) break;
    const root = blocks.blockRoot(block);
    parentPort?.postMessage({ block, root }, [root.buffer as ArrayBuffer]);
  }
  parentPort?.postMessage({ done: true });
});
