/**
 * The worker thread of dedupe-batch.ts: the duplicate-claimant checks of every row, batch after
 * batch in row order, with the same ClaimantIndex and the same `checkBatch` the reader would use
 * (its tables in memory, or spilled to partitions in a folder: dedupe-spill.ts); and, when asked,
 * the SHA-256 of the claims file's bytes, moved here chunk by chunk in order.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ClaimantIndex } from './csv-dedupe.js';
import { checkBatch, type DedupeBatch, type SpillReply, type WorkerNote } from './dedupe-check.js';
import { SpilledClaimants } from './dedupe-spill.js';
import { lowerThreadPriority } from './thread-priority.js';

lowerThreadPriority(fs, os);

/** Made at the first message: spilled when that is `spill` (one kind of table per thread). */
let index: ClaimantIndex | undefined;
let spilled: SpilledClaimants | undefined;
/** The claims file's SHA-256, when the reader has it computed here (`DuplicateChecks.hashFile`). */
const file = createHash('sha256');

const indexOf = (): ClaimantIndex => (index ??= new ClaimantIndex());

parentPort?.on('message', (m: DedupeBatch | WorkerNote) => {
  if ('spill' in m) {
    spilled = new SpilledClaimants(m.spill);
    index = new ClaimantIndex(spilled.emails, spilled.namesAddresses);
  } else if ('spillFinish' in m) {
    let reply: SpillReply;
    try {
      reply = { spilledHits: spilled?.finish() ?? [] };
    } catch (err) {
      reply = { spillError: (err as Error).message };
    }
    parentPort?.postMessage(reply);
  } else if ('reserve' in m) indexOf().reserve(m.reserve, m.email, m.nameAddress);
  else if ('fileBytes' in m) {
    file.update(m.fileBytes);
    // Moved back for the reader to read the next chunk into (DuplicateChecks.takeFileBuffer).
    const back = m.fileBytes;
    if (back.byteOffset === 0 && back.byteLength === back.buffer.byteLength && back.buffer instanceof ArrayBuffer) parentPort?.postMessage({ fileBytesBack: back }, [back.buffer]);
  }
  else if ('fileDigest' in m) parentPort?.postMessage({ fileSha256: file.digest('hex') });
  else {
    const reply = checkBatch(indexOf(), m, spilled);
    if (!('bytes' in m)) parentPort?.postMessage(reply);
    else {
      // Nothing here holds on to the batch's bytes or ranges: they go back to be filled again.
      reply.bytes = m.bytes;
      reply.ranges = m.ranges;
      parentPort?.postMessage(reply, [m.bytes.buffer as ArrayBuffer, m.ranges.buffer as ArrayBuffer]);
    }
  }
});
