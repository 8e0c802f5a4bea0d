/**
 * The worker thread of ledger-thread.ts: reads a ledger.csv (ledger-rows.ts) and publishes its
 * rows in shared memory as they are read, while the main thread reads the claims file: each row's
 * claim id (UTF-8 bytes, one after the other, and where each ends), the index of its amount among
 * the distinct amounts and those amounts' cents, and the count of rows published. Each batch of
 * rows published, their payment ids are hashed (payment-ids.ts: the first 8 bytes of each row's
 * digest, with the batched SHA-256 when it is there) and their count published for the payment
 * files' worker. At the end (or at an error), the result goes to the main thread on the port.
 */
import * as nodeCrypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { HashThread } from '../hash-thread.js';
import { sha256Batch, type Sha256Batch } from '../sha256-batch.js';
import { readLedgerRows, type LedgerSink } from './ledger-rows.js';
import { digestInto } from './payment-ids.js';
import { FAULT_ENV, I64_OUTSIDE, LEDGER_BEAT, LEDGER_STEP, S_BEAT, S_ENDED, S_ROWS, type LedgerEnd, type LedgerStart } from './ledger-shared.js';
import type { SliceableBuffer } from '../sliceable-buffer.js';

/** A fault the tests inject (ledger-shared.ts's FAULT_ENV): what, and at which row (or how long). */
const fault = /^(exit|stall|slow-replay):(\d+)$/.exec(process.env[FAULT_ENV] ?? '');
if (process.env[FAULT_ENV] === 'early-exit' && workerData === 'early') process.exit(4);

/** The first rows published (then LEDGER_STEP at a time). */
const FIRST_STEP = 256;

const MAX_I64 = (1n << 63n) - 1n;

/** The rows written into shared memory, published every LEDGER_STEP rows. */
class SharedRows implements LedgerSink {
  private ids: SliceableBuffer;
  private readonly ends: Int32Array;
  private readonly index: Int32Array;
  private table: BigInt64Array;
  private readonly digests: Uint8Array;
  private readonly state: Int32Array;
  private readonly progress: Int32Array;
  private readonly batch: Sha256Batch;
  private readonly head: Buffer;
  private readonly relative = new Uint32Array(LEDGER_STEP);
  /** Rows written; rows published; rows whose payment ids are hashed. */
  private rows = 0;
  private published = 0;
  private hashed = 0;
  private used = 0;
  private distinctCount = 0;
  /** Rows written before a restart: read again, they are compared, not written (they may have been read). */
  private replay = 0;
  private nextIndex = -1;
  /** More rows than room for: the rest are not written (the ledger is then not its manifest's: the caller refuses it). */
  overflow = false;
  /** A row read again after a restart that differs from the one first written. */
  differs = false;

  constructor(private readonly s: LedgerStart) {
    this.ids = Buffer.from(s.ids) as SharedRows['ids'];
    this.ends = new Int32Array(s.ends);
    this.index = new Int32Array(s.index);
    this.table = new BigInt64Array(s.table);
    this.digests = new Uint8Array(s.digests);
    this.state = new Int32Array(s.state);
    this.progress = new Int32Array(s.progress);
    this.batch = sha256Batch();
    this.head = Buffer.from(s.prefix, 'utf8');
  }

  distinct(cents: bigint): void {
    const k = this.distinctCount++;
    if (k >= this.table.length) {
      const bigger = new SharedArrayBuffer(this.table.byteLength * 2);
      new BigInt64Array(bigger).set(this.table);
      this.table = new BigInt64Array(bigger);
      this.s.port.postMessage({ table: bigger });
    }
    const outside = cents <= I64_OUTSIDE || cents > MAX_I64;
    if (outside) this.s.port.postMessage({ k, cents });
    this.table[k] = outside ? I64_OUTSIDE : cents;
  }

  amount(k: number): void {
    this.nextIndex = k;
  }

  addAscii(src: Uint8Array, s: number, e: number): void {
    const at = this.begin(e - s);
    if (at === -1) return;
    if (at === -2) {
      this.compare(Buffer.from(src.buffer, src.byteOffset + s, e - s));
      return;
    }
    // Byte by byte: an id is ~10 bytes, and a subarray per row to `set` from cost more (a view and its garbage per row).
    const ids = this.ids;
    let to = at;
    for (let i = s; i < e; i++) ids[to++] = src[i]!;
    this.end(to);
  }

  addString(id: string): void {
    const n = Buffer.byteLength(id, 'utf8');
    const at = this.begin(n);
    if (at === -1) return;
    if (at === -2) {
      this.compare(Buffer.from(id, 'utf8'));
      return;
    }
    this.ids.write(id, at, 'utf8');
    this.end(at + n);
  }

  restart(): void {
    this.replay = this.rows;
    this.rows = 0;
  }

  /** Publishes every row written, then hashes their payment ids. */
  publish(): void {
    const to = Math.min(this.rows, this.ends.length - 1);
    if (to > this.published) {
      this.published = to;
      Atomics.store(this.state, S_ROWS, to);
      Atomics.notify(this.state, S_ROWS);
    }
    while (this.hashed < this.published) this.hashIds(Math.min(this.published, this.hashed + LEDGER_STEP));
  }

  /** A chunk of the file read: a heartbeat (ledger-thread.ts gives up a worker without any for long). */
  tick(): void {
    Atomics.add(this.state, S_BEAT, 1);
  }

  /** Every LEDGER_BEAT rows (read, read again or past the room): a heartbeat; and the tests' faults. */
  private beat(row: number): void {
    Atomics.add(this.state, S_BEAT, 1);
    if (fault === null || row === 0) return;
    const [, what, n] = fault;
    if (what === 'exit' && row >= Number(n)) process.exit(3);
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    if (what === 'stall' && row >= Number(n)) for (;;) Atomics.wait(sleep, 0, 0, 100);
    if (what === 'slow-replay' && row < this.replay) Atomics.wait(sleep, 0, 0, Number(n));
  }

  /** Tells the readers of the payment ids that no more will come (the rows not hashed are theirs to hash). */
  giveUpIds(): void {
    Atomics.store(this.progress, 1, 1);
    Atomics.notify(this.progress, 0);
  }

  /** Where row `rows`'s id of `n` bytes goes; -1: no room for the row; -2: a row read again. */
  private begin(n: number): number {
    const row = this.rows;
    if ((row & (LEDGER_BEAT - 1)) === 0) this.beat(row);
    if (row < this.replay) return -2;
    // No room for the row, or its id's end past an Int32 (2 GiB of ids: only ids that are not UTF-8, each byte 3 once decoded, could).
    if (row >= this.ends.length - 1 || this.overflow || this.used + n > 0x7fffffff) {
      this.overflow = true;
      this.rows++;
      return -1;
    }
    if (this.used + n > this.ids.length) {
      // A bigger buffer, sent before the rows in it are published (the reader takes it first).
      const bigger = new SharedArrayBuffer(Math.max(this.ids.length * 2, this.used + n));
      const b = Buffer.from(bigger) as SharedRows['ids'];
      this.ids.copy(b, 0, 0, this.used);
      this.ids = b;
      this.s.port.postMessage({ ids: bigger });
    }
    return this.used;
  }

  private end(to: number): void {
    const row = this.rows++;
    this.used = to;
    this.ends[row + 1] = to;
    this.index[row] = this.nextIndex;
    // The first rows soon (the claims' reading waits for them), then a step at a time.
    if (this.rows - this.published >= (this.published === 0 ? FIRST_STEP : LEDGER_STEP)) this.publish();
  }

  /** Row `rows`, read again after a restart: the same id and amount as written first. */
  private compare(id: Buffer): void {
    const row = this.rows++;
    const s = this.ends[row]!;
    const e = this.ends[row + 1]!;
    if (this.index[row] !== this.nextIndex || e - s !== id.length || !id.equals(this.ids.subarray(s, e))) this.differs = true;
  }

  /** The payment ids of rows [hashed, to). */
  private hashIds(to: number): void {
    const from = this.hashed;
    const base = this.ends[from]!;
    if (this.batch.native) {
      const rel = this.relative;
      for (let r = from; r < to; r++) rel[r - from] = this.ends[r + 1]! - base;
      this.batch.many(this.ids.subarray(base, this.ends[to]!), rel.subarray(0, to - from), this.digests.subarray(from * 8, to * 8), this.head, 8);
    } else {
      for (let r = from; r < to; r++) digestInto(nodeCrypto, this.s.prefix, this.ids.utf8Slice(this.ends[r]!, this.ends[r + 1]!), this.digests, r * 8);
    }
    this.hashed = to;
    Atomics.store(this.progress, 0, to);
    Atomics.notify(this.progress, 0);
  }
}

async function run(s: LedgerStart): Promise<void> {
  const state = new Int32Array(s.state);
  // The thread stopping before its end is posted (process.exit, a fatal error): the main thread,
  // perhaps waiting for rows without its event loop, is told (ledger-thread.ts reports it).
  const exited = (): void => {
    // The payment ids not hashed are their readers' to hash.
    Atomics.store(new Int32Array(s.progress), 1, 1);
    Atomics.notify(new Int32Array(s.progress), 0);
    ended();
  };
  process.on('exit', exited);
  // The first heartbeat: the main thread waits for it when it hands over the file.
  Atomics.add(state, S_BEAT, 1);
  Atomics.notify(state, S_BEAT);
  let end: LedgerEnd;
  let rows: SharedRows | undefined;
  try {
    rows = new SharedRows(s);
    const read = await readLedgerRows(s.file, new HashThread({ worker: false }), rows);
    rows.publish();
    end = { read, overflow: rows.overflow, differs: rows.differs };
  } catch (err) {
    const e = err as Error & { problems?: unknown };
    end = { error: { name: e.name, message: e.message, ...(Array.isArray(e.problems) ? { problems: e.problems } : {}) } };
    rows?.giveUpIds();
  }
  if (end.error === undefined && (end.overflow || end.differs)) rows?.giveUpIds();
  s.port.postMessage({ end });
  process.off('exit', exited);
  ended();

  function ended(): void {
    Atomics.store(state, S_ENDED, 1);
    Atomics.notify(state, S_ENDED);
    Atomics.notify(state, S_ROWS);
  }
}

parentPort?.once('message', (s: LedgerStart) => {
  run(s).catch(() => process.exit(1)); // nothing posted: the exit tells the main thread
});
