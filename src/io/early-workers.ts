/**
 * The claims reader's worker threads, started first thing by a command that will read a large
 * claims file. A worker takes ~40 ms to boot; started by the reader, the reading thread waited for
 * the duplicate-check worker to come online and the boots took CPU while both cores were busy.
 * Started before the command loads its modules and reads the plan (~60–80 ms, one core idle),
 * they are ready when the reading starts.
 */
import { statSync } from 'node:fs';
import { startDuplicateCheckWorker } from './dedupe-batch.js';
import { startTieKeyWorker } from './tie-keys.js';

/** Files from this size on (~70,000 claims) are read with worker threads (start-up ~40 ms each). */
export const WORKER_MIN_BYTES = 8 << 20;

/**
 * Starts the duplicate-check worker, and the tie-break worker when `tieKeys`, if `claimsFile` is a
 * regular file large enough to be read with them and `PAYOUT_WORKERS` is not 0. Anything else
 * (a missing file, a pipe) is left to the reading, which reports it.
 */
export function startReaderWorkers(claimsFile: string, tieKeys: boolean): void {
  if (process.env.PAYOUT_WORKERS === '0') return;
  try {
    const s = statSync(claimsFile);
    if (!s.isFile() || s.size < WORKER_MIN_BYTES) return;
  } catch {
    return;
  }
  startDuplicateCheckWorker();
  if (tieKeys) startTieKeyWorker();
}
