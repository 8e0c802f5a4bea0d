/**
 * The payment files built on a worker thread (pay-build-worker.ts) while the main thread reads the
 * claims: each paid claim is packed into a compact record of bytes (core/payments/claim-records.ts)
 * and moved over in blocks; the worker makes every file's rows and hashes them as they are made.
 * Given the run's stage (io/atomic-output.ts, OutputSet.stage), the worker writes each file to its
 * temporary name in the output folder as it makes it, and `finish` gives each file's size and
 * SHA-256: the main thread checks the control totals and only then renames them into place (a
 * failed run removes them). Without a stage, the files' bytes come back at `finish`. Small runs
 * (fewer than PAY_BUILDER_MIN_CLAIMS paid claims), `PAYOUT_WORKERS=0`, or no compiled worker
 * file: the files are built on the main thread (PaymentBatchBuilder), with the same bytes.
 */
import { Worker } from 'node:worker_threads';
import { UsageError } from '../../core/errors.js';
import type { PaidClaim, PaymentBatch } from '../../core/payments/batch.js';
import { formatMoney } from '../../core/money.js';
import { ClaimRecordWriter, METHOD_BITS, M_CHECKING, M_SAVINGS, RECORD_BLOCK, type RecordCells } from '../../core/payments/claim-records.js';
import type { PaymentsConfig } from '../../core/payments/plan-section.js';
import type { Stage } from '../atomic-output.js';
import { onUnfinishedRun } from '../run-cleanup.js';
import { buildWorkerUrl, takeEarlyBuildWorker } from './ledger-early.js';
import type { PaymentIds } from './payment-ids.js';
import { PaymentIdWords } from '../../core/payments/record-batch-state.js';

/** From this many paid claims on, the files are built on a worker (its start-up costs ~40 ms). */
export const PAY_BUILDER_MIN_CLAIMS = 65_536;

/**
 * Blocks of records (1 MiB each, ~10,000 claims) in a ring of shared memory: the reading thread
 * fills the next while the worker reads the others, and waits when the worker has not done with
 * it yet. Blocks moved over instead (a new one each) would pile up while the worker is behind (on
 * a busy machine, at its lower priority): the ring holds them to 16 MiB, and nothing is allocated
 * per block. With 6 blocks, the reading thread of a 1M run on the loaded machine (load 10) spent
 * about 7% of its time waiting for the worker.
 */
const RING = 16;
/** No block done for this long: the reading thread stops waiting (a worker gone is reported at `finish`). */
const STALL_MS = 5000;

/** Messages to the worker. */
export interface BuildStart {
  type: 'start';
  config: PaymentsConfig;
  currency: string;
  round: number;
  ids: { head: string; prefix: string; digests: SharedArrayBuffer; progress: SharedArrayBuffer | undefined };
  /**
   * [blocks of records the worker is done with, stop, opening]: the reading thread waits when it
   * is too far ahead; `stop` set (the run is ending: a signal, an exit), the worker makes no more
   * files; `opening` is 1 while it makes one (BuildStop).
   */
  done: SharedArrayBuffer;
  /** The ring of blocks of records (RING blocks of RECORD_BLOCK bytes). */
  ring: SharedArrayBuffer;
  /** Where to write the files as they are made; none: their bytes are moved back at `finish`. */
  stage?: Stage;
}
/** A block of records: in the ring (`at`, `length`), or moved over (`block`: a record larger than a block, or the ring given up). */
export type BuildNote = BuildStart | { type: 'block'; at: number; length: number } | { type: 'block'; block: Uint8Array } | { type: 'restart' } | { type: 'finish' };

/** The worker's answer to `finish`. */
export type BuildDone =
  | { batch: PaymentBatch; sha256: Record<string, string>; written?: Record<string, number>; writes?: { all: number; here: number }; error?: undefined }
  | { error: { name: string; message: string } };

/**
 * The files built, with the SHA-256 of each file's bytes by name; `written`: the files were written
 * at their staged names (their bytes not in `batch`), with their sizes by name.
 */
export interface BuiltPayments {
  batch: PaymentBatch;
  sha256?: Record<string, string>;
  written?: Record<string, number>;
  /** Blocks the worker wrote as it made them: in all, and on its own thread (not on libuv's), synchronously. */
  writes?: { all: number; here: number };
}

/** Whether a run of `paid` claims has its files built on a worker. */
export function buildsOnWorker(paid: number): boolean {
  return paid >= PAY_BUILDER_MIN_CLAIMS && process.env.PAYOUT_WORKERS !== '0';
}

const stopped = (code: number): Error => new Error(`the payment files' worker stopped (exit code ${code}) before it finished`);

export class PayBuilderThread {
  private readonly records: ClaimRecordWriter;
  private failure: Error | undefined;
  private achCount = 0;
  private sent = 0;
  private waitGivenUp = false;
  /** Blocks in the ring. */
  private readonly blocks: number;
  /** Drops the cleanup that stops the worker's files (stopFiles) once the worker has stopped. */
  private readonly dropStop: () => void;
  /**
   * The claims sent, to find payment ids made twice while the worker finishes (`finish`): their
   * ledger rows (`paidRows`, the highest `lastRow`), and the ids of claims with no row.
   */
  private paidRows = new Int32Array(1 << 16);
  private paidCount = 0;
  private lastRow = -1;
  private textIds: string[] = [];

  private constructor(
    private readonly worker: Worker,
    private readonly o: { config: PaymentsConfig; paymentId: (claimId: string) => string },
    private readonly done: Int32Array,
    private readonly ring: SharedArrayBuffer,
    /** The rows' payment ids (8 bytes a row) and the payment-id worker's count of rows done (PaymentIds.shared). */
    private readonly ids: BuildStart['ids'],
  ) {
    this.blocks = ring.byteLength / RECORD_BLOCK;
    this.records = new ClaimRecordWriter((block) => this.send(block), RECORD_BLOCK, this.slot(0));
    worker.on('error', (err) => {
      this.failure ??= err;
    });
    worker.on('messageerror', (err) => {
      this.failure ??= err;
    });
    // A worker gone before `finish` (its 'exit' then comes before finish listens for it): finish
    // reports it rather than wait for an answer that never comes.
    worker.on('exit', (code) => {
      this.failure ??= stopped(code);
    });
    this.dropStop = onUnfinishedRun(() => this.stopFiles());
  }

  /**
   * A run ending before it finished (SIGINT, SIGTERM, an exit): the worker is told to make no more
   * files, and one it is making is waited for (up to a second), so that the output folder's
   * cleanup, which runs next (it was registered first), removes every file the worker made.
   */
  private stopFiles(): void {
    Atomics.store(this.done, 1, 1);
    const until = Date.now() + 1000;
    while (Atomics.load(this.done, 2) === 1 && Date.now() < until) Atomics.wait(this.done, 2, 1, 50);
  }

  /**
   * The worker, started; undefined when it cannot be (no compiled worker file: the TypeScript
   * sources). `ring`: blocks in the ring (RING; fewer in tests, to see it go round). `stage`: the
   * files are written there as they are made (BuildStart.stage).
   */
  static start(o: {
    config: PaymentsConfig;
    currency: string;
    round: number;
    ids: PaymentIds;
    paymentId: (claimId: string) => string;
    ring?: number;
    stage?: Stage;
  }): PayBuilderThread | undefined {
    // One started first thing by the command (ledger-early.ts), or started now.
    const early = takeEarlyBuildWorker();
    const url = buildWorkerUrl();
    if (url === undefined) return undefined;
    let worker: Worker;
    try {
      worker = early ?? new Worker(url);
    } catch {
      return undefined;
    }
    worker.unref(); // a run that fails elsewhere does not wait for it; ref'd while its answer is awaited
    const done = new SharedArrayBuffer(12);
    const ring = new SharedArrayBuffer(Math.max(2, o.ring ?? RING) * RECORD_BLOCK);
    const start: BuildStart = { type: 'start', config: o.config, currency: o.currency, round: o.round, ids: o.ids.shared(), done, ring, ...(o.stage !== undefined ? { stage: o.stage } : {}) };
    worker.postMessage(start);
    return new PayBuilderThread(worker, o, new Int32Array(done), ring, start.ids);
  }

  /** A paid claim, in ledger order (as PaymentBatchBuilder.add; the same errors for an amount no file can hold). */
  add(c: PaidClaim): void {
    if (c.amount <= 0n) throw new RangeError(`claim ${c.claimId}: a payment of ${formatMoney(c.amount)} (only amounts above 0 are paid)`);
    if (c.election.method === 'ach' && this.o.config.ach !== undefined && ++this.achCount <= 9_999_999 && c.amount > 9_999_999_999n) {
      throw new RangeError(`${c.amount} does not fit a NACHA field of 10 digits`);
    }
    if (c.row === undefined) {
      const id = this.o.paymentId(c.claimId);
      this.textIds.push(id);
      this.records.add(c, id);
    } else {
      this.paid(c.row);
      this.records.add(c);
    }
  }

  /** Ledger row `row` is paid (its payment id is looked for among the others' at `finish`). */
  private paid(row: number): void {
    if (this.paidCount === this.paidRows.length) {
      const grown = new Int32Array(this.paidRows.length * 2);
      grown.set(this.paidRows);
      this.paidRows = grown;
    }
    this.paidRows[this.paidCount++] = row;
    if (row > this.lastRow) this.lastRow = row;
  }

  /**
   * A paid claim read from bytes (elections-reader.ts, core/payments/election-bytes.ts): ledger row
   * `row`, `cents` (above 0, a signed 64-bit integer), its claim id `src[s … e]`. False, and nothing
   * is added, for an amount `add` refuses (the claim is then added as a PaidClaim, and refused).
   */
  addBytes(row: number, cents: bigint, src: Uint8Array, s: number, e: number, election: RecordCells): boolean {
    const method = election.tag & METHOD_BITS;
    if ((method === M_CHECKING || method === M_SAVINGS) && this.o.config.ach !== undefined) {
      if (this.achCount + 1 <= 9_999_999 && cents > 9_999_999_999n) return false;
      this.achCount++;
    }
    this.paid(row);
    this.records.addBytes(row, cents, src, s, e, election);
    return true;
  }

  /** The claims are read again from the start: everything added so far is dropped. */
  restart(): void {
    this.records.reset();
    this.achCount = 0;
    this.paidCount = 0;
    this.lastRow = -1;
    this.textIds = [];
    this.worker.postMessage({ type: 'restart' } satisfies BuildNote);
  }

  /** Block `n` of the ring. */
  private slot(n: number): Uint8Array {
    return new Uint8Array(this.ring, (n % this.blocks) * RECORD_BLOCK, RECORD_BLOCK);
  }

  /** Hands a block of records to the worker; gives the next one to fill. */
  private send(block: Uint8Array): Uint8Array | undefined {
    if (block.buffer === this.ring) this.worker.postMessage({ type: 'block', at: block.byteOffset, length: block.length } satisfies BuildNote);
    else this.worker.postMessage({ type: 'block', block } satisfies BuildNote, [block.buffer as ArrayBuffer]);
    this.sent++;
    // The next block of the ring is free once the worker is done with the block sent a ring ago.
    let done = Atomics.load(this.done, 0);
    let since = 0;
    while (!this.waitGivenUp && this.sent - done > this.blocks - 1) {
      since ||= Date.now();
      Atomics.wait(this.done, 0, done, 50);
      const now = Atomics.load(this.done, 0);
      if (now !== done) {
        done = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) this.waitGivenUp = true;
    }
    // A worker that stopped answering: new blocks, moved over (finish reports what happened to it).
    return this.waitGivenUp ? undefined : this.slot(this.sent);
  }

  /**
   * The payment ids made for more than one claim sent (as RecordBatchBuilder finds them): each
   * row's 8 bytes must be there, made by the payment-id worker or, for a row it had not come to, by
   * the files' worker.
   */
  private duplicates(): string[] {
    // The rows paid, not all the room the digests have (sized from the ledger file's size).
    const words = new PaymentIdWords(new Uint8Array(this.ids.digests, 0, (this.lastRow + 1) * 8));
    const rows = this.paidRows;
    for (let i = 0; i < this.paidCount; i++) words.addRow(rows[i]!);
    for (const id of this.textIds) words.addText(id);
    return words.duplicates();
  }

  /**
   * The files: the worker's answer, once it has made every row. The payment ids made twice are
   * found here meanwhile, when the payment-id worker has made every paid row's id (else once the
   * files' worker has answered: it made those it had to); at a million claims the look-up takes
   * ~40 ms that the files' worker no longer spends after its last row (docs/payments.md,
   * "Performance").
   */
  async finish(): Promise<BuiltPayments> {
    this.records.flush();
    const { worker } = this;
    worker.ref();
    try {
      const answer = new Promise<BuildDone>((resolve, reject) => {
        if (this.failure !== undefined) return reject(this.failure);
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(stopped(code)));
        worker.postMessage({ type: 'finish' } satisfies BuildNote);
      });
      const progress = this.ids.progress !== undefined ? new Int32Array(this.ids.progress) : undefined;
      let duplicateIds = progress !== undefined && Atomics.load(progress, 1) === 0 && Atomics.load(progress, 0) > this.lastRow ? this.duplicates() : undefined;
      const done = await answer;
      if (done.error !== undefined) {
        const { name, message } = done.error;
        throw name === 'UsageError' ? new UsageError(message) : name === 'RangeError' ? new RangeError(message) : new Error(message);
      }
      duplicateIds ??= this.duplicates();
      return { batch: { ...done.batch, duplicateIds }, sha256: done.sha256, ...(done.written !== undefined ? { written: done.written } : {}), ...(done.writes !== undefined ? { writes: done.writes } : {}) };
    } finally {
      void this.close();
    }
  }

  /** Stops the worker; resolves once it has stopped (it writes no more: its staged files may be removed). */
  async close(): Promise<void> {
    await this.worker.terminate();
    this.dropStop();
  }
}
