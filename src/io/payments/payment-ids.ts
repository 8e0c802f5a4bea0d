/**
 * The payment ids of a ledger's rows (docs/payments.md: `P<round>-` and the first 16 hex digits of
 * SHA-256(seed:payment:round:claim_id)), hashed ahead on a worker thread while the main thread
 * reads the claims file: the ids are known as soon as the ledger is read. The worker writes the
 * first 8 bytes of each row's digest into shared memory and counts the rows done; the main thread
 * reads a row's bytes once the count has passed it, and hashes a row itself when it is there first
 * (while the worker starts: waiting for it cost ~0.2 s at a million claims). Small
 * ledgers, `PAYOUT_WORKERS=0`, or a worker that fails or stalls: the rows left are hashed on the
 * main thread, with the same bytes. With the native SHA-256 addon (sha256-batch.ts) the worker
 * hashes STEP ids a call (`batchDigests`).
 */
import * as nodeCrypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { LedgerIds, type LedgerIdsView } from './ledger-ids.js';
import { nativeAddonForWorkers, type Sha256Batch } from '../sha256-batch.js';

/** What a claim id is hashed after for its payment id: `seed:payment:round:` (docs/payments.md). */
export const paymentIdPrefix = (seed: string, round: number): string => `${seed}:payment:${round}:`;

/** Ledgers from this many rows on are hashed on a worker (its start-up costs ~40 ms). */
export const PAYMENT_ID_WORKER_MIN_ROWS = 50_000;
/** The worker publishes its count every this many rows. */
const STEP = 4096;
/** No progress for this long: the main thread gives the worker up and hashes the rest. */
const STALL_MS = 5000;

/** The 8 bytes of `prefix + id`'s SHA-256 into `out` at `at`. Self-contained: the worker's source embeds it. */
export function digestInto(crypto: typeof import('node:crypto'), prefix: string, id: string, out: Uint8Array, at: number): void {
  const d = typeof crypto.hash === 'function' ? crypto.hash('sha256', prefix + id, 'binary') : crypto.createHash('sha256').update(prefix + id).digest('binary');
  for (let j = 0; j < 8; j++) out[at + j] = d.charCodeAt(j);
}

/**
 * The rows' 8 bytes with the batched SHA-256 addon (sha256-batch.ts), `step` rows a call, `done`
 * told after each: the ids of those rows as one substring of their string, its UTF-8 and where
 * each id ends in it (the UTF-16 starts when the substring is ASCII, the common case; else each
 * id's byte length). Nothing bigger than a step's ids is made. Self-contained: the worker's source
 * embeds it.
 */
export function batchDigests(
  batch: Pick<Sha256Batch, 'many'>,
  head: Uint8Array,
  texts: readonly string[],
  starts: Int32Array,
  rows: number,
  shift: number,
  out: Uint8Array,
  done: (rows: number) => void,
  step: number,
): void {
  const ends = new Uint32Array(step);
  let buf = Buffer.allocUnsafe(0);
  for (let from = 0; from < rows; ) {
    // Rows [from, to): at most `step`, all in one string.
    const text = texts[from >>> shift]!;
    const to = Math.min(rows, from + step, ((from >>> shift) + 1) << shift);
    const base = starts[from]!;
    const stop = to < rows && to >>> shift === from >>> shift ? starts[to]! : text.length;
    const part = text.substring(base, stop);
    // Encoded into one buffer reused step after step (at most 3 bytes a UTF-16 unit), not a new one each time.
    if (buf.length < part.length * 3) buf = Buffer.allocUnsafe(part.length * 3);
    const bytes = buf.subarray(0, buf.write(part, 0, 'utf8'));
    if (bytes.length === part.length) {
      for (let r = from; r < to; r++) ends[r - from] = (r + 1 < to ? starts[r + 1]! : stop) - base;
    } else {
      let at = 0;
      for (let r = from; r < to; r++) {
        at += Buffer.byteLength(part.substring(starts[r]! - base, (r + 1 < to ? starts[r + 1]! : stop) - base), 'utf8');
        ends[r - from] = at;
      }
    }
    batch.many(bytes, ends.subarray(0, to - from), out.subarray(from * 8, to * 8), head, 8);
    from = to;
    done(to);
  }
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const digestInto = ${digestInto.toString()};
const batchDigests = ${batchDigests.toString()};
parentPort.once('message', ({ prefix, texts, starts, rows, shift, out, state, native }) => {
  const bytes = new Uint8Array(out);
  const progress = new Int32Array(state);
  let batch;
  try {
    if (native !== undefined) batch = require(native);
  } catch {
    batch = undefined;
  }
  try {
    if (batch !== undefined) {
      batchDigests(batch, Buffer.from(prefix, 'utf8'), texts, starts, rows, shift, bytes, (done) => {
        Atomics.store(progress, 0, done);
        Atomics.notify(progress, 0);
      }, ${STEP});
    } else for (let i = 0; i < rows; i++) {
      // Row i's id, as LedgerIds.at gives it.
      const text = texts[i >>> shift];
      const end = i + 1 === rows || (i + 1) >>> shift !== i >>> shift ? text.length : starts[i + 1];
      digestInto(crypto, prefix, text.substring(starts[i], end), bytes, i * 8);
      if ((i + 1) % ${STEP} === 0) {
        Atomics.store(progress, 0, i + 1);
        Atomics.notify(progress, 0);
      }
    }
    Atomics.store(progress, 0, rows);
  } catch {
    Atomics.store(progress, 1, 1);
  }
  Atomics.notify(progress, 0);
});
`;

export class PaymentIds {
  private readonly prefix: string;
  /** The ids' head, `P<round>-` (PaymentBatchOptions.paymentIdOfRow). */
  readonly head: string;
  private readonly bytes: Buffer & { hexSlice(start: number, end: number): string };
  private readonly view: DataView;
  /** [rows done by the worker, 1 when it failed]; undefined without a worker. */
  private readonly progress: Int32Array | undefined;
  private worker: Worker | undefined;
  /** Rows below this have their bytes (from the worker, or hashed here). */
  private ready = 0;
  /** Rows hashed here past the worker (from `ready` on, the worker is no longer waited for). */
  private alone: boolean;
  /** The last row hashed here ahead of the worker (its bytes are there; -1: none). */
  private hereRow = -1;
  /** Rows hashed here because the worker had not come to them yet. */
  aheadOfWorker = 0;
  /** The worker's count when last read, and since when (ms) it has been that. */
  private lastDone = -1;
  private since = 0;

  /**
   * `options.shared`: the bytes and count of a thread that hashes the ids already (the ledger's
   * reading thread, ledger-thread.ts: it hashes each row's as it reads it); none is started then.
   */
  constructor(
    seed: string,
    round: number,
    private readonly ids: LedgerIdsView,
    options: { worker?: boolean; shared?: { digests: SharedArrayBuffer; progress: SharedArrayBuffer } } = {},
  ) {
    this.prefix = paymentIdPrefix(seed, round);
    this.head = `P${round}-`;
    if (options.shared !== undefined) {
      this.bytes = Buffer.from(options.shared.digests) as PaymentIds['bytes'];
      this.view = new DataView(options.shared.digests);
      this.progress = new Int32Array(options.shared.progress);
      this.alone = false;
      return;
    }
    const shared = new SharedArrayBuffer(Math.max(8, ids.length * 8));
    this.bytes = Buffer.from(shared) as PaymentIds['bytes'];
    this.view = new DataView(shared);
    const texts = ids instanceof LedgerIds ? ids : undefined;
    const wanted = (options.worker ?? true) && texts !== undefined && ids.length >= PAYMENT_ID_WORKER_MIN_ROWS && process.env.PAYOUT_WORKERS !== '0';
    this.alone = !wanted;
    if (!wanted) return;
    try {
      const state = new SharedArrayBuffer(8);
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('error', () => undefined); // the main thread goes on alone (see `through`)
      worker.unref();
      // A string per 2^20 ids and where each id starts in it: a copy of each of a million strings cost ~0.1 s here.
      worker.postMessage({ prefix: this.prefix, texts: texts!.texts, starts: texts!.starts, rows: ids.length, shift: texts!.shift, out: shared, state, native: nativeAddonForWorkers() });
      this.worker = worker;
      this.progress = new Int32Array(state);
    } catch {
      this.alone = true;
    }
  }

  /**
   * What another thread needs to read the ids as the worker makes them (io/payments/pay-builder.ts):
   * the ids' head, the hashed text's prefix, the rows' 8 bytes and the worker's count of rows done
   * (undefined without a worker: the rows are then to be hashed by the reader).
   */
  shared(): { head: string; prefix: string; digests: SharedArrayBuffer; progress: SharedArrayBuffer | undefined } {
    return { head: this.head, prefix: this.prefix, digests: this.bytes.buffer as SharedArrayBuffer, progress: this.alone ? undefined : (this.progress?.buffer as SharedArrayBuffer | undefined) };
  }

  /** Each row's 8 bytes (the id's 16 hex digits), there for a row once id or bits has returned. */
  get digests(): Uint8Array {
    return this.bytes;
  }

  /** The payment id of ledger row `row`. */
  id(row: number): string {
    this.through(row);
    return this.head + this.bytes.hexSlice(row * 8, row * 8 + 8);
  }

  /** The id's 64 bits (its 16 hex digits as a number), to find two claims with one id. */
  bits(row: number): bigint {
    this.through(row);
    return this.view.getBigUint64(row * 8);
  }

  /** Stops the worker (nothing is waited for any more). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /** Makes sure row `row`'s bytes are there. */
  private through(row: number): void {
    if (row < this.ready || row === this.hereRow) return;
    const progress = this.progress;
    if (!this.alone && progress !== undefined) {
      const done = Atomics.load(progress, 0);
      if (done > row) {
        this.ready = done;
        return;
      }
      if (Atomics.load(progress, 1) === 0) {
        // The worker has not come to this row yet (it is still starting: the rows are needed from
        // the first claim on): hashed here rather than waited for. The worker writes the same
        // bytes there later. A worker that no longer makes progress is given up.
        const now = Date.now();
        if (done !== this.lastDone) {
          this.lastDone = done;
          this.since = now;
        }
        if (now - this.since <= STALL_MS) {
          digestInto(nodeCrypto, this.prefix, this.ids.at(row) as string, this.bytes, row * 8);
          this.hereRow = row;
          this.aheadOfWorker++;
          return;
        }
      }
      // The worker failed or stalled: from its last published row on, the rows are hashed here.
      this.ready = Math.max(this.ready, done);
      this.alone = true;
      this.close();
    }
    const to = Math.min(this.ids.length, Math.max(row + 1, this.ready + STEP));
    for (let r = this.ready; r < to; r++) digestInto(nodeCrypto, this.prefix, this.ids.at(r) as string, this.bytes, r * 8);
    this.ready = to;
  }
}

/**
 * The rows a payment-id worker has done (its shared `progress`), once past `row`; fewer when it
 * failed (progress[1] set) or made no progress for STALL_MS: the caller then hashes the rest itself
 * (the payment files' worker, pay-build-worker.ts, which has nothing else to do meanwhile).
 */
export function rowsDone(progress: Int32Array, row: number): number {
  let done = Atomics.load(progress, 0);
  let since = Date.now();
  while (done <= row && Atomics.load(progress, 1) === 0) {
    Atomics.wait(progress, 0, done, 50);
    const now = Atomics.load(progress, 0);
    if (now !== done) {
      done = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) break;
  }
  return done;
}
