/**
 * The worker thread of dedupe-batch.ts: the duplicate-claimant checks of every row, batch after
 * batch in row order, with the same ClaimantIndex and the same `checkBatch` the reader would use;
 * and, when asked, the SHA-256 of the claims file's bytes, moved here chunk by chunk in order.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ClaimantIndex } from './csv-dedupe.js';
import { checkBatch, type DedupeBatch, type WorkerNote } from './dedupe-batch.js';
import { lowerThreadPriority } from './thread-priority.js';

lowerThreadPriority(fs, os);

const index = new ClaimantIndex();
/** The claims file's SHA-256, when the reader has it computed here (`DuplicateChecks.hashFile`). */
const file = createHash('sha256');

parentPort?.on('message', (m: DedupeBatch | WorkerNote) => {
  if ('reserve' in m) index.reserve(m.reserve, m.email, m.nameAddress);
  else if ('fileBytes' in m) file.update(m.fileBytes);
  else if ('fileDigest' in m) parentPort?.postMessage({ fileSha256: file.digest('hex') });
  else parentPort?.postMessage(checkBatch(index, m));
});
