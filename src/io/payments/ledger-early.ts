/**
 * The workers of a large pay run, started first thing by `payout pay` when the ledger is large:
 * the one that reads the ledger (ledger-thread.ts) and the one that makes the payment files
 * (pay-builder.ts). A worker takes ~40 ms to boot and load its modules, which they do while the
 * command loads its own and reads the plan and the ledger's manifest (one core idle), rather than
 * after them, while the claims' reading waits for the ledger's first rows and the files' worker
 * would boot on the core the ledger's worker reads on.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Ledgers from this size on (~50,000 rows) get their worker started early. */
export const LEDGER_EARLY_MIN_BYTES = 1 << 20;

let early: Worker | undefined;
let earlyBuild: Worker | undefined;

/** The ledger worker's file, when there is one (the compiled program; not the TypeScript sources). */
export function ledgerWorkerUrl(): URL | undefined {
  return workerUrl(new URL('./paid-ledger-worker.js', import.meta.url));
}

/** The payment files' worker (pay-build-worker.ts), when built: as `ledgerWorkerUrl`. */
export function buildWorkerUrl(): URL | undefined {
  return workerUrl(new URL('./pay-build-worker.js', import.meta.url));
}

function workerUrl(url: URL): URL | undefined {
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
    // workerData 'early': for the tests' fault injection only (ledger-shared.ts's FAULT_ENV).
    const w = new Worker(url, { workerData: 'early' });
    early = w;
    w.on('error', () => undefined); // a worker that fails to start is not used (its reading reports nothing: see ledger-thread.ts)
    w.once('exit', () => {
      if (early === w) early = undefined; // gone before it was taken: not handed out
    });
    w.unref();
    const build = buildWorkerUrl();
    if (build !== undefined) {
      earlyBuild = new Worker(build);
      earlyBuild.on('error', () => undefined); // the files' worker reports its own failures once taken (pay-builder.ts)
      earlyBuild.unref();
    }
  } catch {
    // Whatever was not started is started by the run itself.
  }
}

/** The payment files' worker started early (once), or undefined. */
export function takeEarlyBuildWorker(): Worker | undefined {
  const w = earlyBuild;
  earlyBuild = undefined;
  return w;
}

/** Stops the payment files' worker started early when the run builds its files on this thread. */
export function dropEarlyBuildWorker(): void {
  void takeEarlyBuildWorker()?.terminate();
}

/** The worker started early (once) and not gone, or undefined. */
export function takeEarlyLedgerWorker(): Worker | undefined {
  const w = early;
  early = undefined;
  // One whose exit was heard is dropped above; one gone since is not used either (ledger-thread.ts waits for its first heartbeat, or its exit).
  return w === undefined || w.threadId === -1 ? undefined : w;
}
