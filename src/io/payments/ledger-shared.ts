/**
 * What ledger-thread.ts (the main thread) and paid-ledger-worker.ts (the thread reading the ledger)
 * share: the start message, the layout of the shared state and the worker's last message.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LedgerRead } from './ledger-rows.js';

/** Rows published at a time (and payment ids hashed at a time). */
export const LEDGER_STEP = 4096;

/** The shared state's slots: rows published; 1 once the worker has ended (its `end` is on the port). */
export const S_ROWS = 0;
export const S_ENDED = 1;

/** A distinct amount's slot in the table when its cents do not fit 64 bits (its cents come on the port). */
export const I64_OUTSIDE = -(1n << 63n);

export interface LedgerStart {
  /** The ledger.csv to read. */
  file: string;
  /** The payment ids' hashed prefix (`seed:payment:round:`). */
  prefix: string;
  /** [rows published, ended] (Int32). */
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
