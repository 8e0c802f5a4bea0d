/**
 * The worker thread of pay-builder.ts: makes the payment files from the paid claims' records
 * (core/payments/record-batch.ts), block after block in ledger order, and hashes each file's
 * bytes as its blocks are sealed. Given the run's stage (a pay run), it writes each block to the
 * file's temporary name in the output folder as it is sealed, reusing a few blocks for all the
 * files, and at the end tells the main thread each file's size and SHA-256: the main thread checks
 * the control totals and only then renames them into place (or removes them). Without a stage
 * (tests), it moves the files' bytes to the main thread instead.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { BlockPool, ByteRows } from '../../core/payments/byte-rows.js';
import { RecordBatchBuilder, type RecordIds } from '../../core/payments/record-batch.js';
import type { PayRowRun } from '../../core/payments/record-batch-native.js';
import type { BuildDone, BuildNote, BuildStart } from './pay-builder.js';
import { lowerThreadPriority } from '../thread-priority.js';
import { writeError as wordedWriteError } from '../output-file.js';
import { digestInto, rowsDone } from './payment-ids.js';
import { payRowsNative } from './pay-rows-native.js';

// The reading thread, which the run waits for, keeps a core; this one is lighter (docs/performance.md, "Threads").
lowerThreadPriority(fs, os);

/**
 * The payment ids' bytes by ledger row: hashed here from the claim ids the records carry (pay's
 * runs on this worker start no payment-id worker), or read from a payment-id worker's shared
 * bytes as it makes them, and hashed here past one that failed or stalled.
 */
class SharedIds implements RecordIds {
  readonly head: string;
  readonly digests: Uint8Array;
  private readonly progress: Int32Array | undefined;
  private readonly prefix: string;
  private ready = 0;
  /** The block of records last read from, as a Buffer (to decode a claim id from). */
  private src: Uint8Array | undefined;
  private srcBuffer: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private alone: boolean;

  constructor(s: BuildStart['ids']) {
    this.head = s.head;
    this.digests = new Uint8Array(s.digests);
    this.progress = s.progress !== undefined ? new Int32Array(s.progress) : undefined;
    this.alone = this.progress === undefined;
    this.prefix = s.prefix;
  }

  readyRows(): number {
    if (!this.alone && this.progress !== undefined) this.ready = Math.max(this.ready, Atomics.load(this.progress, 0));
    return this.ready;
  }

  ensure(row: number, src: Uint8Array, start: number, end: number): void {
    if (row < this.ready) return;
    const progress = this.progress;
    if (!this.alone && progress !== undefined) {
      const done = rowsDone(progress, row);
      if (done > row) {
        this.ready = done;
        return;
      }
      this.alone = true;
    }
    // The claim id's text from its bytes (the same UTF-8 once hashed), hashed in one call: a
    // string in and the digest as a binary string out made no Buffer per claim.
    if (src !== this.src) {
      this.src = src;
      this.srcBuffer = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
    }
    digestInto(nodeCrypto, this.prefix, this.srcBuffer.toString('utf8', start, end), this.digests, row * 8);
  }
}

let start: BuildStart | undefined;
let ids: SharedIds | undefined;
let builder: RecordBatchBuilder | undefined;
let hashes = new Map<string, Hash>();
let failure: Error | undefined;
/** Blocks of records done (BuildStart.done), and the ring they are read from. */
let done: Int32Array | undefined;
let ring: SharedArrayBuffer | undefined;
/** The blocks the files' rows are made in, when they are written as they are made. */
const pool = new BlockPool();

/**
 * A file written at its staged name: its descriptor (-1 before it is opened and once closed), its
 * bytes so far, writes not done yet, and whether its last block was given (`ended`) or it was
 * dropped (`dropped`: a restart; removed already, closed once its writes are done).
 */
interface StagedFile {
  path: string;
  /** Its path once renamed into place, to name it by. */
  final: string;
  fd: number;
  bytes: number;
  pending: number;
  ended: boolean;
  dropped: boolean;
}
/** The files of the current pass by name (written as made: BuildStart.stage). */
let staged = new Map<string, StagedFile>();
/**
 * Blocks being written on libuv's threads: this thread goes on making rows meanwhile (a write
 * that blocks, on a busy disk, no longer holds up the rows; this thread runs at a lower
 * priority). Past WRITES_IN_FLIGHT, a block is written here and now, which bounds the blocks held.
 */
let inFlight = 0;
const WRITES_IN_FLIGHT = 16;
/** Blocks written in all, and of them those written here, synchronously (BuildDone.writes). */
const blockWrites = { all: 0, here: 0 };
/** The first write that failed (reported at `finish`). */
let writeFailed: Error | undefined;
/** Told when the last write in flight is done. */
let onIdle: (() => void) | undefined;

/** A write that failed, worded as atomic-output words it, naming the file by its own name (`final`). */
function writeFailure(f: StagedFile, err: NodeJS.ErrnoException): Error {
  return wordedWriteError(f.final, err);
}

/** Closes `f` once its last block is written (or it was dropped). */
function settle(f: StagedFile): void {
  if (f.pending > 0 || f.fd < 0 || !(f.ended || f.dropped)) return;
  const fd = f.fd;
  f.fd = -1;
  fs.close(fd, (err) => {
    if (err && !f.dropped) writeFailed ??= writeFailure(f, err);
  });
}

/**
 * A block of file `f`'s bytes, appended (the file made on its first); the block goes back to the
 * pool once written. `last`: the file is complete.
 */
function writeBlock(f: StagedFile, block: Uint8Array, last: boolean | undefined): void {
  const position = f.bytes;
  f.bytes += block.length;
  if (last === true) f.ended = true;
  if (f.fd < 0) open(f);
  try {
    if (block.length > 0) blockWrites.all++;
    if (inFlight >= WRITES_IN_FLIGHT || block.length === 0) {
      if (block.length > 0) blockWrites.here++;
      for (let at = 0; at < block.length; ) at += fs.writeSync(f.fd, block, at, block.length - at, position + at);
      pool.give(block);
      settle(f);
      return;
    }
  } catch (err) {
    throw writeFailure(f, err as NodeJS.ErrnoException);
  }
  inFlight++;
  f.pending++;
  const fd = f.fd;
  const rest = (at: number): void => {
    fs.write(fd, block, at, block.length - at, position + at, (err, n) => {
      if (err === null && at + n < block.length) return rest(at + n);
      if (err !== null && !f.dropped) writeFailed ??= writeFailure(f, err);
      pool.give(block);
      f.pending--;
      inFlight--;
      settle(f);
      if (inFlight === 0) onIdle?.();
    });
  };
  rest(0);
}

/**
 * Makes file `f`, unless the run is ending (BuildStart.done: `stop` set by the main thread, which
 * waits while `opening` is 1, then removes the run's files).
 */
function open(f: StagedFile): void {
  const d = done!;
  Atomics.store(d, 2, 1);
  try {
    if (Atomics.load(d, 1) !== 0) throw new Error(`${f.final}: not made, the run is ending`);
    f.fd = fs.openSync(f.path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    throw writeFailure(f, err as NodeJS.ErrnoException);
  } finally {
    Atomics.store(d, 2, 0);
    Atomics.notify(d, 2);
  }
}

/** Resolves once no write is in flight. */
function written(): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    onIdle = () => {
      onIdle = undefined;
      resolve();
    };
  });
}

/** Drops every file of the pass (the claims are read again): removed now, each closed once its writes are done. */
function dropStaged(): void {
  for (const f of staged.values()) {
    f.dropped = true;
    fs.rmSync(f.path, { force: true });
    settle(f);
  }
  staged = new Map();
}

/** The addon's rows (pay-rows-native.ts), loaded and checked once, or none. */
function native(): { native?: PayRowRun } {
  const run = payRowsNative();
  return run !== undefined ? { native: run } : {};
}

function begin(): void {
  const s = start!;
  dropStaged();
  hashes = new Map();
  failure = undefined;
  writeFailed = undefined;
  blockWrites.all = blockWrites.here = 0;
  const stage = s.stage;
  builder = new RecordBatchBuilder({
    config: s.config,
    currency: s.currency,
    round: s.round,
    ids: (ids ??= new SharedIds(s.ids)),
    // Payment ids made twice are found on the reading thread, while it waits for this one (pay-builder.ts).
    duplicates: false,
    ...native(),
    rows: (file) => {
      const h = createHash('sha256');
      hashes.set(file, h);
      if (stage === undefined) return new ByteRows((block) => h.update(block));
      const f: StagedFile = { path: join(stage.dir, `${file}${stage.suffix}`), final: join(stage.dir, file), fd: -1, bytes: 0, pending: 0, ended: false, dropped: false };
      staged.set(file, f);
      return new ByteRows((block, last) => {
        h.update(block);
        writeBlock(f, block, last);
      }, pool);
    },
  });
}

async function finish(): Promise<void> {
  try {
    if (failure !== undefined) throw failure;
    const batch = builder!.finish();
    const names = [...batch.files.map((f) => f.name), 'payments.csv', 'addresses.csv'];
    const sha256: Record<string, string> = {};
    for (const f of names) sha256[f] = hashes.get(f)!.digest('hex');
    let written_: Record<string, number> | undefined;
    if (start!.stage !== undefined) {
      await written();
      if (writeFailed !== undefined) throw writeFailed;
      written_ = {};
      for (const f of names) written_[f] = staged.get(f)!.bytes;
    }
    const moved = new Set<ArrayBuffer>();
    for (const chunks of [...batch.files.map((f) => f.text), batch.payments, batch.addresses]) {
      for (const c of chunks) if (typeof c !== 'string') moved.add(c.buffer as ArrayBuffer);
    }
    const done: BuildDone = { batch, sha256, writes: { ...blockWrites }, ...(written_ !== undefined ? { written: written_ } : {}) };
    parentPort!.postMessage(done, [...moved]);
  } catch (err) {
    // Writes still in flight are let finish (the main thread removes the files once this thread has stopped).
    await written();
    const e = err as Error;
    const done: BuildDone = { error: { name: e.name, message: e.message } };
    parentPort!.postMessage(done);
  }
}

/** One message from the reading thread, handled. */
function handle(m: BuildNote): void {
  if (m.type === 'start') {
    start = m;
    done = new Int32Array(m.done);
    ring = m.ring;
    begin();
  } else if (m.type === 'block') {
    try {
      if (failure === undefined) builder!.addBlock('block' in m ? m.block : new Uint8Array(ring!, m.at, m.length));
    } catch (err) {
      failure = err as Error;
    }
    Atomics.add(done!, 0, 1);
    Atomics.notify(done!, 0);
  } else if (m.type === 'restart') begin();
  else void finish();
}

/**
 * Messages waiting, handled one per turn of the event loop, in order: between two blocks of
 * records the loop hears of the writes done on libuv's threads (writeBlock's callbacks). Handled
 * as they came, a worker behind the reading thread took the ring's waiting blocks one after
 * another without a turn: no write's end was heard, 16 were soon "in flight", and the rest were
 * written here, synchronously (a 1M run: 208–303 of its ~300 writes on this thread, ~160 ms of
 * its time in a profile; docs/payments.md, "Performance").
 */
const notes: BuildNote[] = [];
let handling = false;

function handleNext(): void {
  const m = notes.shift();
  if (m !== undefined) handle(m);
  if (notes.length > 0) setImmediate(handleNext);
  else handling = false;
}

parentPort?.on('message', (m: BuildNote) => {
  notes.push(m);
  if (handling) return;
  handling = true;
  setImmediate(handleNext);
});
