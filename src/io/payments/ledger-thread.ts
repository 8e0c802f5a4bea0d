/**
 * A ledger's rows read on a worker thread (paid-ledger-worker.ts) while this thread reads the claims
 * file: the ledger was read first, on this thread alone (~0.35 s at a million rows, the other core
 * idle). The worker publishes the rows in shared memory as it reads them (ledger-shared.ts); a
 * claim asks for its ledger row (`is`, `isBytes`, `at`: the LedgerIdsView the claims' reader
 * takes) and waits only when it is ahead of the rows published (Atomics.wait, bounded). Each row's
 * amount is in `amounts` once its row has been asked for. The payment ids are hashed on the worker
 * as the rows come (`shared`, for PaymentIds and the payment files' worker). `finish` gives the
 * ledger once read, checked as `readPaidLedger` checks it, with the same errors.
 *
 * A worker that stops before its end (it exits, or its heartbeat, S_BEAT, stands still for
 * STALL_MS) fails the run with a UsageError naming the ledger, as an unreadable ledger does when
 * read on this thread: never a wait past that bound.
 *
 * Small ledgers (fewer than LEDGER_WORKER_MIN_ROWS rows), `PAYOUT_WORKERS=0` or no compiled worker
 * file (the TypeScript sources): `start` gives undefined, and the ledger is read on this thread.
 */
import { stat } from 'node:fs/promises';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { DataError, UsageError } from '../../core/errors.js';
import type { Cents } from '../../core/money.js';
import type { Problem } from '../../core/problems.js';
import type { LedgerIdsView } from './ledger-ids.js';
import { finishPaidLedger, type OpenedLedger, type PaidLedger } from './paid-ledger.js';
import { ledgerWorkerUrl, takeEarlyLedgerWorker } from './ledger-early.js';
import { I64_OUTSIDE, S_BEAT, S_ENDED, S_ROWS, STATE_BYTES, type LedgerEnd, type LedgerNote, type LedgerStart } from './ledger-shared.js';
import type { SliceableBuffer } from '../sliceable-buffer.js';

/** Ledgers from this many rows on are read on a worker (its start-up costs ~40 ms). */
export const LEDGER_WORKER_MIN_ROWS = 50_000;
/**
 * No heartbeat from the worker for this long (it beats every few thousand rows read, read again
 * or compared, and every chunk of the file): it is given up (the run fails). The tests set it
 * lower with PAYOUT_TEST_LEDGER_STALL_MS (or `stallMs`).
 */
const STALL_MS = 60_000;

/** Atomics.waitAsync's result, waited for with a ref'd timer: the process stays up meanwhile (a wait alone does not keep it up). */
async function waitAsync(state: Int32Array, index: number, value: number, ms: number): Promise<void> {
  const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(state, index, value, ms);
  if (!wait.async) return;
  const timer = setTimeout(() => undefined, ms + 10);
  try {
    await wait.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Thrown into the claims' reading when the ledger's reading failed: the run reports the ledger's error instead (`finish`). */
export class LedgerStopped extends Error {
  constructor() {
    super('the ledger could not be read');
    this.name = 'LedgerStopped';
  }
}

/** Atomics.waitAsync (Node 16 on; ES2024's lib, which the compiler is not set to). */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeout: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

export class LedgerThread implements LedgerIdsView {
  /** Each row's amount, for the rows asked for so far (every row once `length` or `finish` has returned). */
  readonly amounts: Cents[] = [];
  /** How long this thread waited for rows, and how often. */
  waitedMs = 0;
  waits = 0;
  private have = 0;
  private ids: SliceableBuffer;
  private readonly ends: Int32Array;
  private readonly index: Int32Array;
  private table: BigInt64Array;
  private readonly cache: Cents[] = [];
  private readonly outside = new Map<number, Cents>();
  private readonly state: Int32Array;
  private end: LedgerEnd | undefined;
  private exited = false;
  /** The worker was given up for no heartbeat for stallMs (while rows were waited for). */
  private stalled = false;
  private finished: Promise<PaidLedger> | undefined;

  private constructor(
    private readonly opened: OpenedLedger,
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly start: LedgerStart,
    private readonly stallMs: number,
    exited: boolean,
  ) {
    this.exited = exited;
    this.ids = Buffer.from(start.ids) as SliceableBuffer;
    this.ends = new Int32Array(start.ends);
    this.index = new Int32Array(start.index);
    this.table = new BigInt64Array(start.table);
    this.state = new Int32Array(start.state);
    worker.on('exit', () => {
      this.exited = true;
    });
  }

  /**
   * The worker reading `o`'s ledger.csv, started; undefined when the ledger is to be read on this
   * thread. `minRows`, `stallMs` and `capacity` (the room for rows, else as many as the file's size
   * can hold) are for the tests.
   */
  static async start(o: OpenedLedger, prefix: string, options: { minRows?: number; stallMs?: number; capacity?: number } = {}): Promise<LedgerThread | undefined> {
    const stallMs = options.stallMs ?? (Number(process.env.PAYOUT_TEST_LEDGER_STALL_MS) || STALL_MS);
    // A worker started early (ledger-early.ts) is used, or stopped when the ledger is read here.
    const early = takeEarlyLedgerWorker();
    const url = ledgerWorkerUrl();
    let size: number;
    try {
      size = (await stat(o.ledgerPath)).size;
    } catch {
      size = -1; // read on this thread, which reports it
    }
    // Where each id ends is an Int32: a ledger of 2 GiB or more is read on this thread.
    const tooLarge = size > 0x7fffffff - 64;
    if (process.env.PAYOUT_WORKERS === '0' || url === undefined || size < 0 || tooLarge || (o.recorded.rows ?? size / 64) < (options.minRows ?? LEDGER_WORKER_MIN_ROWS)) {
      void early?.terminate();
      return undefined;
    }
    // Room for as many rows as the file's bytes can hold (a row is at least 2 bytes): memory not
    // written to is not taken (a ledger of 56 MB: 28 million rows, 0.5 GB of address space, the
    // pages of a million rows used). Room that cannot be had: the ledger is read on this thread.
    const capacity = options.capacity ?? Math.floor(size / 2) + 2;
    let start: Omit<LedgerStart, 'port'>;
    let worker: Worker;
    try {
      start = {
        file: o.ledgerPath,
        prefix,
        state: new SharedArrayBuffer(STATE_BYTES),
        ids: new SharedArrayBuffer(size + 64),
        ends: new SharedArrayBuffer((capacity + 1) * 4),
        index: new SharedArrayBuffer(Math.max(4, capacity * 4)),
        table: new SharedArrayBuffer(4096 * 8),
        digests: new SharedArrayBuffer(Math.max(8, capacity * 8)),
        progress: new SharedArrayBuffer(8),
      };
      worker = early ?? new Worker(url);
    } catch {
      void early?.terminate();
      return undefined;
    }
    worker.unref();
    let exited = false;
    const onExit = (): void => void (exited = true);
    worker.on('error', () => undefined); // reported by `finish` (no end on the port)
    worker.on('exit', onExit);
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ ...start, port: port1 } satisfies LedgerStart, [port1]);
    // The worker's first heartbeat (it has the start message), or its exit: a worker that cannot
    // start (or an early one gone meanwhile) is not used, and the ledger is read on this thread.
    // The claims' reading would wait for its first rows anyway.
    const state = new Int32Array(start.state);
    const gone = new Promise((resolve) => worker.once('exit', resolve));
    for (let t0 = performance.now(); Atomics.load(state, S_BEAT) === 0 && !exited && worker.threadId !== -1 && performance.now() - t0 < stallMs; ) {
      await Promise.race([waitAsync(state, S_BEAT, 0, 100), gone]);
    }
    worker.off('exit', onExit);
    if (Atomics.load(state, S_BEAT) === 0) {
      void worker.terminate();
      port2.close();
      return undefined;
    }
    return new LedgerThread(o, worker, port2, { ...start, port: port1 }, stallMs, exited);
  }

  /** The payment ids' bytes and the count of rows hashed, as the worker makes them (PaymentIds' `shared` option). */
  shared(): { digests: SharedArrayBuffer; progress: SharedArrayBuffer } {
    return { digests: this.start.digests, progress: this.start.progress };
  }

  /** The rows a ledger has at most (the room made for them). */
  get capacity(): number {
    return this.ends.length - 1;
  }

  get length(): number {
    this.pull(Number.MAX_SAFE_INTEGER);
    return this.have;
  }

  at(row: number): string | undefined {
    if (row < 0 || (row >= this.have && !this.pull(row))) return undefined;
    return this.ids.utf8Slice(this.ends[row]!, this.ends[row + 1]!);
  }

  is(row: number, id: string): boolean {
    if (row < 0 || (row >= this.have && !this.pull(row))) return false;
    const s = this.ends[row]!;
    const n = this.ends[row + 1]! - s;
    const bytes = this.ids;
    if (id.length === n) {
      let i = 0;
      while (i < n && bytes[s + i]! < 0x80 && id.charCodeAt(i) === bytes[s + i]) i++;
      if (i === n) return true;
      // Two ASCII characters that differ (all before them ASCII too): not the id.
      if (bytes[s + i]! < 0x80 && id.charCodeAt(i) < 0x80) return false;
    }
    return bytes.utf8Slice(s, s + n) === id;
  }

  isBytes(row: number, src: Uint8Array, s: number, e: number): boolean {
    if (row < 0 || (row >= this.have && !this.pull(row))) return false;
    const from = this.ends[row]!;
    if (this.ends[row + 1]! - from !== e - s) return false;
    const bytes = this.ids;
    for (let i = 0; i < e - s; i++) {
      const c = src[s + i]!;
      if (c >= 0x80 || bytes[from + i] !== c) return false;
    }
    return true;
  }

  /**
   * The ledger, once the worker has read it: checked as readPaidLedger checks it (its SHA-256
   * against the manifest, every row readable, the amounts' sum against the summary), with the
   * same errors; or the error that stopped its reading.
   */
  finish(): Promise<PaidLedger> {
    this.finished ??= this.finishing();
    return this.finished;
  }

  /** Stops the worker (nothing more is waited for). */
  close(): void {
    void this.worker.terminate();
    this.port.close();
  }

  private async finishing(): Promise<PaidLedger> {
    // The end is waited for without blocking this thread (the worker's exit ends the wait too; a
    // timer keeps the process up meanwhile, as a dead worker ref'd would not).
    let beat = -1;
    let since = performance.now();
    while (Atomics.load(this.state, S_ENDED) === 0 && !this.exited && !this.stalled) {
      await waitAsync(this.state, S_ENDED, 0, 100);
      // A worker without a heartbeat for stallMs (gone before its exit could be heard, or stuck) is given up.
      const now = Atomics.load(this.state, S_BEAT);
      if (now !== beat) {
        beat = now;
        since = performance.now();
      } else if (performance.now() - since > this.stallMs) this.stalled = true;
    }
    this.drain();
    const end = this.end;
    if (this.stalled || end === undefined) {
      const why = this.stalled ? `made no progress for ${this.stallMs / 1000} s` : 'stopped before it finished';
      throw new UsageError(`${this.opened.ledgerPath}: cannot read the ledger (the thread reading it ${why}; PAYOUT_WORKERS=0 reads it on the main thread)`);
    }
    if (end.error !== undefined) throw thrown(end.error);
    this.take(Atomics.load(this.state, S_ROWS));
    const ledger = finishPaidLedger(this.opened, end.read, this, this.amounts);
    if (end.overflow) {
      throw new DataError(
        `${this.opened.ledgerPath}: more rows than its size when it was opened could hold (${this.capacity}), or ids of more than 2 GiB: was it written to while it was read? (PAYOUT_WORKERS=0 reads it on one thread) nothing is paid from it`,
      );
    }
    if (end.differs) throw new Error(`${this.opened.ledgerPath}: internal: its rows read again with the CSV reader differ from the first reading`);
    return ledger;
  }

  /**
   * Makes row `row` there when the worker has it, waiting for it (bounded) while the worker reads;
   * false when the ledger has fewer rows. Throws LedgerStopped when its reading failed.
   */
  private pull(row: number): boolean {
    const state = this.state;
    let n = Atomics.load(state, S_ROWS);
    // A worker whose exit has been heard (its rows up to then stand) is not waited for.
    if (n <= row && Atomics.load(state, S_ENDED) === 0 && !this.exited && !this.stalled) {
      const t0 = performance.now();
      let since = t0;
      let beat = Atomics.load(state, S_BEAT);
      this.waits++;
      while (n <= row && Atomics.load(state, S_ENDED) === 0) {
        Atomics.wait(state, S_ROWS, n, 50);
        n = Atomics.load(state, S_ROWS);
        const b = Atomics.load(state, S_BEAT);
        const now = performance.now();
        if (b !== beat) {
          beat = b;
          since = now;
        } else if (now - since > this.stallMs) {
          this.stalled = true;
          break;
        }
      }
      this.waitedMs += performance.now() - t0;
      n = Atomics.load(state, S_ROWS);
    }
    this.take(n);
    if (row < this.have) return true;
    if (Atomics.load(state, S_ENDED) === 0) throw new LedgerStopped(); // stalled, or gone
    this.drain();
    const end = this.end;
    if (end === undefined || end.error !== undefined || end.overflow || end.differs) throw new LedgerStopped();
    return false;
  }

  /** The rows up to `n` published: their amounts, after the worker's messages sent before them. */
  private take(n: number): void {
    if (n <= this.have) return;
    this.drain();
    // A message is on the port once posted (before the rows it is for are published): a buffer
    // still too small would be a message not yet there, waited for (bounded) rather than misread.
    for (let tries = 0; this.ends[n]! > this.ids.length && tries < 200; tries++) {
      Atomics.wait(this.state, S_ENDED, 0, 5);
      this.drain();
    }
    if (this.ends[n]! > this.ids.length) throw new Error(`internal: the ledger's ids (${this.ends[n]} bytes) are not there`);
    const { amounts, index } = this;
    for (let r = this.have; r < n; r++) {
      const k = index[r]!;
      amounts.push(this.cache[k] ?? this.amountOf(k));
    }
    this.have = n;
  }

  private amountOf(k: number): Cents {
    for (let tries = 0; k >= this.table.length && tries < 200; tries++) {
      Atomics.wait(this.state, S_ENDED, 0, 5);
      this.drain();
    }
    const c = this.table[k]!;
    const cents = c === I64_OUTSIDE ? this.outside.get(k) : c;
    if (cents === undefined) throw new Error(`internal: the ledger's amount ${k} is not there`);
    this.cache[k] = cents;
    return cents;
  }

  /** The worker's messages so far (a bigger buffer, an amount outside 64 bits, its end). */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const note = m.message as LedgerNote;
      if ('ids' in note) this.ids = Buffer.from(note.ids) as SliceableBuffer;
      else if ('table' in note) this.table = new BigInt64Array(note.table);
      else if ('k' in note) this.outside.set(note.k, note.cents);
      else this.end = note.end;
    }
  }
}

/** The worker's error as the one it was. */
function thrown(e: { name: string; message: string; problems?: unknown[] }): Error {
  const problems = (e.problems ?? []) as Problem[];
  if (e.name === 'UsageError') return new UsageError(e.message, problems);
  if (e.name === 'DataError') return new DataError(e.message, problems);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
