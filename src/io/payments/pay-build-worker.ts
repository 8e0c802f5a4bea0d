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
import type { BuildDone, BuildNote, BuildStart } from './pay-builder.js';
import { lowerThreadPriority } from '../thread-priority.js';
import { digestInto, rowsDone } from './payment-ids.js';

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

/** A file written at its staged name: its descriptor while open (-1 before and after), and its bytes so far. */
interface StagedFile {
  path: string;
  fd: number;
  bytes: number;
}
/** The files of the current pass by name (written as made: BuildStart.stage). */
let staged = new Map<string, StagedFile>();

/** A write that failed, as write-outputs words it: the file, why, and that nothing was written. */
function writeFailure(path: string, err: NodeJS.ErrnoException): Error {
  const e = new Error(`${path}: cannot write (${err.code ?? 'error'}: ${err.message}); nothing was written and the folder is as it was`);
  e.name = 'UsageError';
  return e;
}

/** A block of file `f`'s bytes, appended (the file made on its first). `last`: the file is complete. */
function writeBlock(f: StagedFile, block: Uint8Array, last: boolean | undefined): void {
  try {
    if (f.fd < 0 && f.bytes === 0) f.fd = fs.openSync(f.path, 'wx');
    for (let at = 0; at < block.length; ) at += fs.writeSync(f.fd, block, at, block.length - at);
    f.bytes += block.length;
    if (last === true) {
      fs.closeSync(f.fd);
      f.fd = -1;
    }
  } catch (err) {
    throw writeFailure(f.path, err as NodeJS.ErrnoException);
  }
}

/** Closes the files still open; `remove`: and removes every file of the pass (the claims are read again). */
function closeStaged(remove: boolean): void {
  for (const f of staged.values()) {
    if (f.fd >= 0) fs.closeSync(f.fd);
    f.fd = -1;
    if (remove) fs.rmSync(f.path, { force: true });
  }
  if (remove) staged = new Map();
}

function begin(): void {
  const s = start!;
  closeStaged(true);
  hashes = new Map();
  failure = undefined;
  const stage = s.stage;
  builder = new RecordBatchBuilder({
    config: s.config,
    currency: s.currency,
    round: s.round,
    ids: (ids ??= new SharedIds(s.ids)),
    rows: (file) => {
      const h = createHash('sha256');
      hashes.set(file, h);
      if (stage === undefined) return new ByteRows((block) => h.update(block));
      const f: StagedFile = { path: join(stage.dir, `${file}${stage.suffix}`), fd: -1, bytes: 0 };
      staged.set(file, f);
      return new ByteRows((block, last) => {
        h.update(block);
        writeBlock(f, block, last);
      }, pool);
    },
  });
}

function finish(): void {
  try {
    if (failure !== undefined) throw failure;
    const batch = builder!.finish();
    const names = [...batch.files.map((f) => f.name), 'payments.csv', 'addresses.csv'];
    const sha256: Record<string, string> = {};
    for (const f of names) sha256[f] = hashes.get(f)!.digest('hex');
    let written: Record<string, number> | undefined;
    if (start!.stage !== undefined) {
      written = {};
      for (const f of names) written[f] = staged.get(f)!.bytes;
    }
    closeStaged(false);
    const moved = new Set<ArrayBuffer>();
    for (const chunks of [...batch.files.map((f) => f.text), batch.payments, batch.addresses]) {
      for (const c of chunks) if (typeof c !== 'string') moved.add(c.buffer as ArrayBuffer);
    }
    const done: BuildDone = { batch, sha256, ...(written !== undefined ? { written } : {}) };
    parentPort!.postMessage(done, [...moved]);
  } catch (err) {
    try {
      closeStaged(false); // the main thread removes the files
    } catch {
      /* the error below says what went wrong first */
    }
    const e = err as Error;
    const done: BuildDone = { error: { name: e.name, message: e.message } };
    parentPort!.postMessage(done);
  }
}

parentPort?.on('message', (m: BuildNote) => {
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
  else finish();
});
