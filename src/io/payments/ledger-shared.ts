/**
 * What ledger-thread.ts (the main thread) and paid-ledger-worker.ts (the thread reading the ledger)
 * share: the start message, the layout of the shared state and the worker's last message.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LedgerRead } from './ledger-rows.js';

/** Rows published at a time (and payment ids hashed at a time). */
export const LEDGER_STEP = 4096;

/**
 * The shared state's slots: rows published; 1 once the worker has ended (its `end` is on the port,
 * unless the thread stopped before it could post it); the worker's heartbeat (1 once it has its
 * start message, then one more every LEDGER_BEAT rows it reads, read again or compares).
 */
export const S_ROWS = 0;
export const S_ENDED = 1;
export const S_BEAT = 2;
/** The shared state's bytes. */
export const STATE_BYTES = 16;

/** Rows read between two heartbeats (a power of 2). */
export const LEDGER_BEAT = 4096;

/**
 * Test-only fault injection in the worker (the tests that use it say how): `early-exit` (a worker
 * started early stops as it loads), `exit:N` (stops at its N-th row), `stall:N` (stops reading at
 * its N-th row, alive), `slow-replay:MS` (waits MS every LEDGER_BEAT rows read again after a quote).
 */
export const FAULT_ENV = 'PAYOUT_TEST_LEDGER_FAULT';

/** A distinct amount's slot in the table when its cents do not fit 64 bits (its cents come on the port). */
export const I64_OUTSIDE = -(1n << 63n);

export interface LedgerStart {
  /** The ledger.csv to read. */
  file: string;
  /** The payment ids' hashed prefix (`seed:payment:round:`). */
  prefix: string;
  /** [rows published, ended, heartbeat] (Int32). */
  state: SharedArrayBuffer;
  /** The ids' UTF-8 bytes, one after the other (a bigger buffer replaces it on the port when they outgrow it). */
  ids: SharedArrayBuffer;
  /** Int32, rows + 1: where row r's id ends (ends[0] = 0); its room is the most rows the worker writes. */
  ends: SharedArrayBuffer;
  /** Int32 per row: its amount's index in `table`. */
  index: SharedArrayBuffer;
  /** BigInt64 per distinct amount: its cents (I64_OUTSIDE: on the port); a bigger table replaces it on the port. */
  table: SharedArrayBuffer;
  /** 8 bytes per row: its payment id's (payment-ids.ts). */
  digests: SharedArrayBuffer;
  /** [rows whose payment ids are hashed, 1 when no more will be] (Int32; payment-ids.ts's `progress`). */
  progress: SharedArrayBuffer;
  /** The worker's messages, in order, read without the event loop (receiveMessageOnPort). */
  port: MessagePort;
}

/** The worker's messages on the port. */
export type LedgerNote = { ids: SharedArrayBuffer } | { table: SharedArrayBuffer } | { k: number; cents: bigint } | { end: LedgerEnd };

/** How the reading ended: what it read, or the error it threw. */
export type LedgerEnd =
  | { read: LedgerRead; overflow: boolean; differs: boolean; error?: undefined }
  | { error: { name: string; message: string; problems?: unknown[] } };
