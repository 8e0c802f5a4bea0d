/**
 * The worker thread of dedupe-batch.ts: the duplicate-claimant checks of every row, batch after
 * batch in row order, with the same ClaimantIndex and the same `checkBatch` the reader would use.
 */
import { parentPort } from 'node:worker_threads';
import { ClaimantIndex } from './csv-dedupe.js';
import { checkBatch, type DedupeBatch } from './dedupe-batch.js';

const index = new ClaimantIndex();

parentPort?.on('message', (m: DedupeBatch | { reserve: number; email: boolean; nameAddress: boolean }) => {
  if ('reserve' in m) index.reserve(m.reserve, m.email, m.nameAddress);
  else parentPort?.postMessage(checkBatch(index, m));
});
