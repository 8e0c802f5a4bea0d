/**
 * The worker that reads a pay run's ledger (ledger-thread.ts), started first thing by `payout pay`
 * when the ledger is large: a worker takes ~40 ms to boot and load its modules, which it does
 * while the command loads its own and reads the plan and the ledger's manifest (one core idle),
 * rather than after them, while the claims' reading waits for the ledger's first rows.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Ledgers from this size on (~50,000 rows) get their worker started early. */
export const LEDGER_EARLY_MIN_BYTES = 1 << 20;

let early: Worker | undefined;

/** The ledger worker's file, when there is one (the compiled program; not the TypeScript sources). */
export function ledgerWorkerUrl(): URL | undefined {
  const url = new URL('./paid-ledger-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Starts the worker for `fromDir`'s ledger.csv when it is large and workers are allowed; anything else is left to the run. */
export function startLedgerWorkerEarly(fromDir: string): void {
  if (process.env.PAYOUT_WORKERS === '0' || early !== undefined) return;
  try {
    const s = statSync(join(fromDir, 'ledger.csv'));
    if (!s.isFile() || s.size < LEDGER_EARLY_MIN_BYTES) return;
    const url = ledgerWorkerUrl();
    if (url === undefined) return;
    early = new Worker(url);
    early.on('error', () => undefined); // a worker that fails to start is not used (its reading reports nothing: see ledger-thread.ts)
    early.unref();
  } catch {
    early = undefined;
  }
}

/** The worker started early (once), or undefined. */
export function takeEarlyLedgerWorker(): Worker | undefined {
  const w = early;
  early = undefined;
  return w;
}
