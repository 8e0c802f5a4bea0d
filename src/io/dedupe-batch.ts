/**
 * The duplicate-claimant checks (same email; same name and address) of a large file, batched and
 * done off the reader's thread. Hashing ~70 characters a row and looking them up in tables of
 * millions is a third of the reader's work; here the reader only notes, per row, where its email,
 * name and address are in the chunk's bytes (or, after csv-parse took over, the strings), and a
 * worker thread (dedupe-worker.ts) decodes and checks them, in row order, with the same
 * ClaimantIndex. The duplicates come back at the end and ClaimsCollector.addDuplicateHits merges
 * them in line order, exactly as if found with their rows.
 *
 * Without a worker thread (the TypeScript sources under test have no compiled worker;
 * `PAYOUT_WORKERS=0`) the same batches can be checked on this thread (dedupe-check.ts `checkBatch`): the reader
 * does that only when asked (`duplicateChecks: 'batched'`, how the tests exercise the batching),
 * else it checks row by row.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClaimantIndex } from './csv-dedupe.js';
import { checkBatch, type DedupeBatch, type DedupeReply, type DuplicateHit, type SpillReply, type WorkerNote } from './dedupe-check.js';
import { RangedRows, type FieldRanges } from './dedupe-rows.js';
import { SpilledClaimants, type SpilledHit } from './dedupe-spill.js';
import { onUnfinishedRun } from './run-cleanup.js';
import { nextTurn } from './output-file.js';

/**
 * Batches (a chunk of ~1 MiB each) the worker may be behind before the reader waits for it. Each
 * costs ~7 MiB of peak memory (10M allocate: 949 MiB at 4, 1,039 MiB at 16); 4, 8, 16 and 32 took
 * the same time at 1M.
 */
const MAX_IN_FLIGHT = 4;

/** A buffer that can be moved to another thread (a small Buffer may share a pooled ArrayBuffer). */
function movable<T extends Uint8Array | Int32Array>(a: T): T {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a instanceof Int32Array ? Int32Array.prototype.slice.call(a) : Uint8Array.prototype.slice.call(a))) as T;
}

interface BootedWorker {
  worker: Worker;
  /** An error the worker met before a DuplicateChecks took it over. */
  failed: () => Error | undefined;
}

/** The worker started ahead by `startDuplicateCheckWorker`, until `DuplicateChecks.start` takes it. */
let early: Promise<BootedWorker | undefined> | undefined;

/** A worker thread that is online, or undefined (no compiled worker: the TypeScript sources; or it could not start). */
async function bootWorker(): Promise<BootedWorker | undefined> {
  const url = new URL('./dedupe-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  try {
    const worker = new Worker(url);
    let failure: Error | undefined;
    worker.on('error', (err) => {
      failure ??= err;
    });
    try {
      // Ref'd until online: a boot awaited with nothing else pending must not end the process
      // (\`validate\` on 1M claims exited 2, "stopped before it finished", about 1 run in 20).
      await Promise.race([once(worker, 'online'), once(worker, 'error').then(([err]) => Promise.reject(err as Error))]);
    } finally {
      worker.unref();
    }
    return { worker, failed: () => failure };
  } catch {
    return undefined; // no thread: the checks run on the reading thread
  }
}

/**
 * Starts the worker ahead of the reading (see early-workers.ts): it boots on the other core while
 * the command loads and reads the plan, instead of keeping the reader waiting ~40 ms.
 */
export function startDuplicateCheckWorker(): void {
  early ??= bootWorker();
}

/**
 * The spilled checks' folder in the system's temporary directory (TMPDIR), or undefined when none
 * can be made there (not writable, missing): the checks then keep their tables in memory, as for
 * smaller files; the same warnings either way.
 */
function makeSpillDir(): string | undefined {
  try {
    return mkdtempSync(join(tmpdir(), 'payout-claimants-'));
  } catch {
    return undefined;
  }
}

/**
 * Collects the rows to check, a batch per chunk, and has them checked — on a worker thread when
 * there is one — in row order. `finish` gives every duplicate found, in row order.
 */
export class DuplicateChecks {
  private worker: Worker | undefined;
  private readonly index: ClaimantIndex | undefined;
  /**
   * Per batch: the rows' claim ids until its reply comes (string batches only: a byte batch's
   * reply has the claim ids of its duplicates, decoded from its bytes), then its reply and the
   * claim ids of its duplicates only (a million claim ids are not held here until the end of the file).
   */
  private readonly batches: Array<{ ids: string[]; reply?: DedupeReply; hitIds?: string[] }> = [];
  private pending = 0;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  /** The worker's end, once it was told to stop (`close`). */
  private stopping: Promise<void> | undefined;
  /** The claims file's SHA-256 from the worker, once asked for (`fileSha256`) and back. */
  private fileDigest: string | undefined;
  /** The folder of the spilled checks (dedupe-spill.ts), made here and removed when they end; else undefined. */
  private spillDir: string | undefined;
  /** Drops the folder's removal at exit, once it is removed here. */
  private dropSpillCleanup: (() => void) | undefined;
  /** The spilled checks when they run on this thread. */
  private readonly spilled: SpilledClaimants | undefined;
  /** The worker's answer to `spillFinish`, once back. */
  private spillReply: SpillReply | undefined;

  // The batch being filled: the fast path's rows (ranges into their bytes), csv-parse's as strings.
  private ids: string[] = [];
  private readonly ranged = new RangedRows(MAX_IN_FLIGHT + 1);
  private strings: string[] = [];
  /** The buffers of file chunks the worker hashed (`hashFile`, moved), moved back. */
  private readonly freeFileBuffers: ArrayBuffer[] = [];

  private constructor(worker: Worker | undefined, failure: Error | undefined, spillDir: string | undefined) {
    this.worker = worker;
    this.failure = failure;
    if (spillDir !== undefined) {
      this.spillDir = spillDir;
      this.dropSpillCleanup = onUnfinishedRun(() => rmSync(spillDir, { recursive: true, force: true }));
    }
    this.spilled = !worker && spillDir !== undefined ? new SpilledClaimants(spillDir) : undefined;
    this.index = worker ? undefined : this.spilled ? new ClaimantIndex(this.spilled.emails, this.spilled.namesAddresses) : new ClaimantIndex();
    if (worker) {
      worker.on('message', (m: DedupeReply | { fileSha256: string } | SpillReply | { fileBytesBack: Uint8Array }) => {
        if ('fileBytesBack' in m) {
          // A chunk of the file, hashed: the reader may read into it again (`takeFileBuffer`).
          if (this.freeFileBuffers.length <= MAX_IN_FLIGHT) this.freeFileBuffers.push(m.fileBytesBack.buffer as ArrayBuffer);
        } else if ('fileSha256' in m) {
          this.fileDigest = m.fileSha256;
          this.pending--;
          this.waiting?.();
        } else if ('spilledHits' in m || 'spillError' in m) {
          this.spillReply = m;
          this.pending--;
          this.waiting?.();
        } else this.received(m);
      });
      const stopped = (err: Error): void => {
        this.failure ??= err;
        this.waiting?.();
      };
      worker.on('error', stopped);
      // A batch it cannot read, or a worker gone with batches unanswered: they never will be.
      worker.on('messageerror', stopped);
      worker.on('exit', () => {
        if (this.pending > 0) stopped(new Error('the worker stopped before every row was checked'));
      });
      // After the listeners (a 'message' listener refs the worker again): a run that fails
      // elsewhere does not wait for the worker; `until` refs it while its answers are awaited.
      worker.unref();
      if (spillDir !== undefined) worker.postMessage({ spill: spillDir } satisfies WorkerNote);
    }
  }

  /**
   * On a worker thread when the compiled worker is there and `PAYOUT_WORKERS` is not 0; else here.
   * `spill`: the checks go to partitions in a temporary folder rather than tables in memory
   * (dedupe-spill.ts; readClaims asks for it on very large files).
   */
  static async start(useWorker: boolean, spill = false): Promise<DuplicateChecks> {
    const spillDir = spill ? makeSpillDir() : undefined;
    if (useWorker && process.env.PAYOUT_WORKERS !== '0') {
      const booted = await (early ?? bootWorker());
      early = undefined;
      if (booted) return new DuplicateChecks(booted.worker, booted.failed(), spillDir);
    }
    return new DuplicateChecks(undefined, undefined, spillDir);
  }

  /** Whether the checks are spilled to a folder (dedupe-spill.ts). */
  get spills(): boolean {
    return this.spillDir !== undefined;
  }

  /** Whether the checks run on a worker thread (else on this one). */
  get onWorker(): boolean {
    return this.worker !== undefined;
  }

  /** Room for `rows` rows in the tables (a guess from the file's length). */
  reserve(rows: number, email: boolean, nameAddress: boolean): void {
    if (this.spills) return;
    if (this.worker) this.worker.postMessage({ reserve: Math.ceil(rows), email, nameAddress });
    else this.index?.reserve(rows, email, nameAddress);
  }

  /**
   * The claims file's bytes, in order, for its SHA-256 on the worker (only when `onWorker`): moved
   * there when `move` (the caller is done with them; a pooled buffer is copied instead), else copied.
   * Hashing on the reading thread cost it ~90 ms a million claims, as much as the copy it saves.
   */
  hashFile(bytes: Uint8Array, move: boolean): void {
    if (!this.worker) throw new Error('internal: the claims file is hashed on the worker only when there is one');
    if (bytes.byteLength === 0) return;
    const fileBytes = move ? movable(bytes) : bytes;
    this.worker.postMessage({ fileBytes } satisfies WorkerNote, move && fileBytes.buffer instanceof ArrayBuffer ? [fileBytes.buffer] : []);
  }

  /**
   * The buffer of a chunk moved to `hashFile` and hashed, moved back, at least `bytes` long: the
   * reader reads the next chunk into it (fresh memory for every chunk was ~10,000 page faults of a
   * 1M-claim allocate); undefined when none has come back yet.
   */
  takeFileBuffer(bytes: number): Buffer | undefined {
    const k = this.freeFileBuffers.findIndex((b) => b.byteLength >= bytes);
    return k < 0 ? undefined : Buffer.from(this.freeFileBuffers.splice(k, 1)[0] as ArrayBuffer);
  }

  /** The SHA-256 (hex) of every byte given to `hashFile`; asked for before `finish`, known after it. */
  requestFileSha256(): void {
    if (!this.worker) throw new Error('internal: no worker to hash the claims file');
    this.pending++;
    this.worker.postMessage({ fileDigest: true } satisfies WorkerNote);
  }

  /** After `finish`: the digest `requestFileSha256` asked for. */
  get fileSha256(): string {
    if (this.fileDigest === undefined) throw new Error('internal: the claims file digest was not asked for or did not come back');
    return this.fileDigest;
  }

  /** Batch buffers (bytes and ranges) made rather than taken back from the worker: for tests. */
  get buffersMade(): number {
    return this.ranged.buffersMade;
  }

  /** A row of the fast path by its cells' ranges: RangedRows.addRange. */
  addRange(line: number, cells: readonly number[]): void {
    this.ranged.addRange(line, cells);
  }

  /** A row of the fast path, its ranges copied from the tokenizer: RangedRows.addFastRow. */
  addFastRow(line: number, tokenizer: FieldRanges, fields: Int32Array): void {
    this.ranged.addFastRow(line, tokenizer, fields);
  }

  /** A row read by csv-parse: its cells as strings. */
  addStrings(line: number, claimId: string, email: string, name: string, address: string): void {
    this.strings.push(String(line), email, name, address, this.spillDir === undefined ? '' : claimId);
    if (this.spillDir === undefined) this.ids.push(claimId);
  }

  /**
   * Sends the ranged rows added since the last call, with the bytes they are in: `bytes` starts at
   * offset `base` of the buffer the ranges point into (it is copied). `stageBytes` then `sendStaged`.
   */
  sendBytes(bytes: Uint8Array, email: boolean, nameAddress: boolean, base = 0): void {
    this.stageBytes(bytes, base);
    this.sendStaged(email, nameAddress);
  }

  /** The bytes of the ranged rows added since the last call, into the batch being filled: RangedRows.stageBytes. */
  stageBytes(bytes: Uint8Array, base = 0): void {
    this.ranged.stageBytes(bytes, base);
  }

  /** Sends the ranged rows staged so far (`stageBytes`) as one batch. */
  sendStaged(email: boolean, nameAddress: boolean): void {
    const staged = this.ranged.take();
    if (staged === undefined) return;
    // Moved, views and all: the worker moves them back with its answer (`received`).
    this.send({ seq: this.batches.length, ...staged, email, nameAddress }, [staged.bytes.buffer as ArrayBuffer, staged.ranges.buffer as ArrayBuffer]);
  }

  /** Sends the string rows added since the last call (after any ranged rows staged: rows go in order). */
  sendStrings(email: boolean, nameAddress: boolean): void {
    if (this.strings.length === 0) return;
    this.sendStaged(email, nameAddress);
    const json = movable(Buffer.from(JSON.stringify(this.strings), 'utf8') as Uint8Array);
    this.strings = [];
    this.send({ seq: this.batches.length, json, email, nameAddress }, [json.buffer as ArrayBuffer]);
  }

  private send(batch: DedupeBatch, transfer: ArrayBuffer[]): void {
    if (!this.worker && !this.index) {
      // The worker was stopped (close): nothing checks these rows; `finish` reports the failure.
      this.failure ??= new Error('stopped before every row was checked');
      this.ids = [];
      return;
    }
    // A byte batch's claim ids come back with its duplicates; a string batch's are held meanwhile.
    this.batches.push({ ids: 'json' in batch ? this.ids : [] });
    if ('json' in batch) this.ids = [];
    this.pending++;
    if (this.worker) this.worker.postMessage(batch, transfer);
    else this.received(checkBatch(this.index as ClaimantIndex, batch, this.spilled));
  }

  private received(m: DedupeReply): void {
    // The batch's buffers, moved back: kept for the next batches.
    this.ranged.giveBack(m.bytes, m.ranges);
    const batch = this.batches[m.seq];
    if (batch === undefined) return;
    batch.reply = m;
    batch.hitIds = m.hitIds ?? m.hits.map(([row]) => batch.ids[row] ?? '');
    batch.ids = [];
    this.pending--;
    this.waiting?.();
  }

  /**
   * Waits while more than `inFlight` batches are unanswered. The worker runs at a lower priority
   * than the reader (thread-priority.ts) and can fall behind; each batch holds a chunk's bytes
   * (and the file's chunk to hash), so the reader waits here before reading on, which keeps the
   * memory held for the worker to a few MiB whatever the file's size. `whileWaiting`, when
   * given, is called while it would wait, until it returns false (no work left) or the worker has
   * caught up: the reader hashes tie-break keys there (TieKeyPrefixes.helpOnce).
   */
  async caughtUp(whileWaiting?: () => boolean): Promise<void> {
    // Other work first, a piece at a time between turns of the event loop (answers come in).
    if (whileWaiting) while (this.pending > MAX_IN_FLIGHT && this.failure === undefined && whileWaiting()) await nextTurn();
    await this.until(MAX_IN_FLIGHT);
  }

  private async until(inFlight: number): Promise<void> {
    if (this.pending <= inFlight || this.failure !== undefined) return;
    // The worker is unref'd (a run that fails elsewhere must not wait for it), so while its
    // answers are awaited it is ref'd: else, with nothing else pending, the process would end
    // before they came (test/io/worker-handles.test.ts).
    const worker = this.worker;
    worker?.ref();
    try {
      while (this.pending > inFlight && this.failure === undefined) {
        await new Promise<void>((resolve) => {
          this.waiting = resolve;
        });
        this.waiting = undefined;
      }
    } finally {
      worker?.unref();
    }
  }

  /** Every duplicate found, in row order (email before name and address within a row). */
  async finish(): Promise<DuplicateHit[]> {
    // The spilled checks' last pass is asked for now, not once the last batches are answered: the
    // worker takes it after them (it handles its messages in order) while this thread does other
    // work before it awaits the answer (the reader finds the look-alike ids meanwhile).
    const spillOnWorker = this.spillDir !== undefined && this.worker !== undefined && this.failure === undefined;
    if (spillOnWorker) {
      this.pending++;
      this.worker?.postMessage({ spillFinish: true } satisfies WorkerNote);
    }
    await this.until(0);
    let spilledHits: SpilledHit[] | undefined;
    if (this.spillDir !== undefined && this.failure === undefined) {
      try {
        if (spillOnWorker) {
          const reply = this.spillReply;
          if (reply !== undefined && 'spillError' in reply) this.failure ??= new Error(reply.spillError);
          else if (reply !== undefined) spilledHits = reply.spilledHits;
        } else if (this.spilled) spilledHits = this.spilled.finish();
      } catch (err) {
        this.failure ??= err as Error;
      }
    }
    // The worker's tables (~35 bytes a claim) are given back only once its thread has ended: the
    // table and the allocation that follow must not hold their memory on top of them. Ref'd while
    // it ends, as while its answers are awaited (`until`).
    this.worker?.ref();
    this.close();
    await this.stopping;
    if (this.failure !== undefined) throw new Error(`the duplicate-claimant checks failed: ${this.failure.message}`);
    const hits: DuplicateHit[] = [];
    if (spilledHits !== undefined) {
      for (const [line, kind, first, shown, claimId] of spilledHits) hits.push({ line, kind: kind === 0 ? 'email' : 'name', first, shown, claimId });
      return hits;
    }
    for (const b of this.batches) {
      (b.reply?.hits ?? []).forEach(([, kind, line, first, shown], k) => {
        hits.push({ line, kind: kind === 0 ? 'email' : 'name', first, shown, claimId: b.hitIds?.[k] ?? '' });
      });
    }
    return hits;
  }

  /** Stops the worker. Batches still unanswered then never are: `finish` fails rather than wait. */
  close(): void {
    if (this.worker && this.pending > 0) this.failure ??= new Error('stopped before every row was checked');
    if (this.worker) this.stopping = this.worker.terminate().then(() => undefined, () => undefined);
    this.worker = undefined;
    this.waiting?.();
    // The spill folder goes once nothing writes to it any more: after the worker's thread ended.
    const dir = this.spillDir;
    if (dir !== undefined) {
      this.spillDir = undefined;
      this.spilled?.close();
      const remove = (): void => {
        try {
          rmSync(dir, { recursive: true, force: true });
          this.dropSpillCleanup?.();
        } catch {
          // Left to the exit's cleanup (run-cleanup.ts), which tries again.
        }
      };
      this.stopping = (this.stopping ?? Promise.resolve()).then(remove, remove);
    }
  }
}
