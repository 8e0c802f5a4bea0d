/**
 * The ledger's bytes on two threads. Making the rows (core/ledger.ts LedgerRows) is most of the
 * tail of a large `allocate` (~0.2 s at 1M claims) and ran while the other core was idle: here
 * the rows are cut into blocks (LEDGER_BLOCK_ROWS), the main thread and a worker
 * (ledger-worker.ts) each take the next block not yet taken from a shared counter, and the main
 * thread hands them on in order: its own as it makes them, the worker's as they arrive (moved,
 * not copied). Whoever is free takes the next block, so a worker that boots late or a core that
 * is busy elsewhere only changes who makes which block, never the bytes; without the worker
 * (small tables, `--keep` columns, `PAYOUT_WORKERS=0`, no compiled worker file, a worker that
 * fails) the main thread makes every block, the same ones. On both threads the plain rows are
 * written by the native addon when there is one (ledger-rows-native.ts), the same bytes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Allocation } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { LEDGER_BLOCK_ROWS, LedgerRows, ledgerRowsSource } from '../core/ledger.js';
import type { Plan } from '../core/plan.js';
import { NEXT_BLOCK, WRITTEN_BLOCKS, type LedgerJob } from './ledger-job.js';
import { ledgerRowRun } from './ledger-rows-native.js';
import { sharedRows } from './shared-rows.js';
import { nextTurn } from './atomic-output.js';

/** Below this many rows (4 blocks, ~12 ms of work) the ledger is made on the main thread alone. */
export const LEDGER_WORKER_MIN_ROWS = 4 * LEDGER_BLOCK_ROWS;

/** A worker started ahead by `startLedgerWorker`, until `ledgerBlocks` takes it. */
let early: Worker | undefined;

function bootWorker(): Worker | undefined {
  if (process.env.PAYOUT_WORKERS === '0') return undefined;
  const url = new URL('./ledger-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  try {
    const worker = new Worker(url);
    worker.unref();
    worker.on('error', () => {}); // seen again by `ledgerBlocks`, which then makes the blocks itself
    return worker;
  } catch {
    return undefined;
  }
}

/** Whether a ledger of `rows` rows with these `--keep` columns is made on two threads. */
function onTwoThreads(rows: number, keep: readonly string[]): boolean {
  // Kept columns are strings per row: posting them would cost about what making their rows does.
  return rows >= LEDGER_WORKER_MIN_ROWS && keep.length === 0;
}

/**
 * Boots the worker now, for a ledger to come (it loads its modules on the idle core while the
 * allocation is computed); nothing when the ledger will be made on this thread alone.
 */
export function startLedgerWorker(rows: number, keep: readonly string[]): void {
  if (onTwoThreads(rows, keep)) early ??= bootWorker();
}

/** Resolves when the worker booted ahead is online (true), or at once when there is none (false): for tests. */
export async function ledgerWorkerOnline(): Promise<boolean> {
  if (early === undefined) return false;
  const worker = early;
  return new Promise((resolve) => {
    worker.once('online', () => resolve(true));
    worker.once('error', () => resolve(false));
  });
}

/** Blocks made by each thread (for tests and measurements). */
export interface LedgerBlockCounts {
  here: number;
  worker: number;
}

/**
 * The ledger's rows as UTF-8 bytes (the header not included), in order, in blocks: what
 * `allocate` writes and `verify` hashes, the bytes of ledgerByteChunks, on two threads. `counts`,
 * when given, is told who made each block. `whileWaiting`, when given, is called while the next
 * block is the worker's and has not come yet, between turns of the event loop, until it returns
 * false (no work left) or the block is here.
 */
export async function* ledgerBlocks(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  keep: readonly string[],
  counts: LedgerBlockCounts = { here: 0, worker: 0 },
  whileWaiting?: () => boolean,
): AsyncGenerator<Uint8Array> {
  const n = claims.count;
  const blockRows = LEDGER_BLOCK_ROWS;
  const blocks = Math.ceil(n / blockRows);
  const source = ledgerRowsSource(plan, claims, alloc, keep);
  const rows = new LedgerRows(source, { run: ledgerRowRun() });
  const block = (b: number): Uint8Array => {
    counts.here++;
    return rows.rows(b * blockRows, Math.min(n, (b + 1) * blockRows));
  };
  const worker = onTwoThreads(n, keep) ? (early ?? bootWorker()) : undefined;
  if (worker === undefined) void early?.terminate(); // booted ahead for a ledger that did not need it
  early = undefined;
  if (worker === undefined) {
    for (let b = 0; b < blocks; b++) yield block(b);
    return;
  }

  const state = new Int32Array(new SharedArrayBuffer(8));
  const arrived = new Map<number, Uint8Array>();
  let stopped = false;
  let wake: (() => void) | undefined;
  worker.on('message', (m: { block?: number; bytes?: Uint8Array }) => {
    if (m.block !== undefined && m.bytes !== undefined) arrived.set(m.block, m.bytes);
    wake?.();
  });
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  worker.on('error', stop);
  worker.on('exit', stop);
  worker.on('messageerror', stop);

  /** Block `b`, taken by the worker: as it arrives, or made here if the worker stopped first. */
  const fromWorker = async (b: number): Promise<Uint8Array> => {
    for (;;) {
      const bytes = arrived.get(b);
      if (bytes !== undefined) {
        arrived.delete(b);
        counts.worker++;
        return bytes;
      }
      if (stopped) return block(b);
      if (whileWaiting?.()) {
        await nextTurn(); // the block may have come meanwhile
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };
  const written = (count: number): void => {
    Atomics.store(state, WRITTEN_BLOCKS, count);
    Atomics.notify(state, WRITTEN_BLOCKS);
  };
  try {
    worker.ref(); // its messages are awaited below
    // Every row's parts (~20 bytes a row) in shared memory, the copy the receipts worker reads too
    // (shared-rows.ts): the worker may take any block.
    const job: LedgerJob = {
      source: { ...source, ...sharedRows(claims, alloc) },
      state: state.buffer as SharedArrayBuffer,
      blocks,
      blockRows,
      rows: n,
    };
    worker.postMessage(job);

    let next = 0; // the next block to hand on
    while (next < blocks) {
      const b = Atomics.add(state, NEXT_BLOCK, 1);
      const mine = b < blocks ? block(b) : undefined;
      // The blocks before `b` not yet handed on were taken by the worker.
      for (const end = Math.min(b, blocks); next < end; next++) {
        yield await fromWorker(next);
        written(next + 1);
      }
      if (mine !== undefined) {
        yield mine;
        next = b + 1;
        written(next);
      }
    }
  } finally {
    worker.removeAllListeners('message');
    void worker.terminate();
  }
}
