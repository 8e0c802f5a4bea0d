/**
 * The worker thread of dedupe-batch.ts: the duplicate-claimant checks of every row, batch after
 * batch in row order, with the same ClaimantIndex and the same `checkBatch` the reader would use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ClaimantIndex } from './csv-dedupe.js';
import { checkBatch, type DedupeBatch } from './dedupe-batch.js';
import { lowerThreadPriority } from './thread-priority.js';

lowerThreadPriority(fs, os);

const index = new ClaimantIndex();

parentPort?.on('message', (m: DedupeBatch | { reserve: number; email: boolean; nameAddress: boolean }) => {
  if ('reserve' in m) index.reserve(m.reserve, m.email, m.nameAddress);
  else parentPort?.postMessage(checkBatch(index, m));
});
