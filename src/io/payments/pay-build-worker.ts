/**
 * The worker thread of pay-builder.ts: makes the payment files from the paid claims' records
 * (core/payments/record-batch.ts), block after block in ledger order, and hashes each file's
 * bytes as its blocks are sealed. It writes nothing: at the end it moves the files' bytes and
 * their SHA-256 to the main thread, which checks the control totals and only then writes them.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { ByteRows } from '../../core/payments/byte-rows.js';
import { RecordBatchBuilder, type RecordIds } from '../../core/payments/record-batch.js';
import type { BuildDone, BuildNote, BuildStart } from './pay-builder.js';

/** No progress of the payment-id worker for this long: the ids left are hashed here (as payment-ids.ts does). */
const STALL_MS = 5000;

/** The payment ids from the payment-id worker's shared bytes; hashed here past a worker that failed or stalled. */
class SharedIds implements RecordIds {
  readonly head: string;
  readonly digests: Uint8Array;
  private readonly progress: Int32Array | undefined;
  private readonly prefix: Buffer;
  private ready = 0;
  private alone: boolean;

  constructor(s: BuildStart['ids']) {
    this.head = s.head;
    this.digests = new Uint8Array(s.digests);
    this.progress = s.progress !== undefined ? new Int32Array(s.progress) : undefined;
    this.alone = this.progress === undefined;
    this.prefix = Buffer.from(s.prefix, 'utf8');
  }

  ensure(row: number, src: Uint8Array, start: number, end: number): void {
    if (row < this.ready) return;
    const progress = this.progress;
    if (!this.alone && progress !== undefined) {
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
      if (done > row) {
        this.ready = done;
        return;
      }
      this.alone = true;
    }
    const d = createHash('sha256').update(this.prefix).update(src.subarray(start, end)).digest();
    this.digests.set(d.subarray(0, 8), row * 8);
  }
}

let start: BuildStart | undefined;
let ids: SharedIds | undefined;
let builder: RecordBatchBuilder | undefined;
let hashes = new Map<string, Hash>();
let failure: Error | undefined;

function begin(): void {
  const s = start!;
  hashes = new Map();
  failure = undefined;
  builder = new RecordBatchBuilder({
    config: s.config,
    currency: s.currency,
    round: s.round,
    ids: (ids ??= new SharedIds(s.ids)),
    rows: (file) => {
      const h = createHash('sha256');
      hashes.set(file, h);
      return new ByteRows((block) => h.update(block));
    },
  });
}

function finish(): void {
  try {
    if (failure !== undefined) throw failure;
    const batch = builder!.finish();
    const sha256: Record<string, string> = {};
    for (const f of [...batch.files.map((f) => f.name), 'payments.csv', 'addresses.csv']) sha256[f] = hashes.get(f)!.digest('hex');
    const moved = new Set<ArrayBuffer>();
    for (const chunks of [...batch.files.map((f) => f.text), batch.payments, batch.addresses]) {
      for (const c of chunks) if (typeof c !== 'string') moved.add(c.buffer as ArrayBuffer);
    }
    const done: BuildDone = { batch, sha256 };
    parentPort!.postMessage(done, [...moved]);
  } catch (err) {
    const e = err as Error;
    const done: BuildDone = { error: { name: e.name, message: e.message } };
    parentPort!.postMessage(done);
  }
}

parentPort?.on('message', (m: BuildNote) => {
  if (m.type === 'start') {
    start = m;
    begin();
  } else if (m.type === 'block') {
    if (failure !== undefined) return;
    try {
      builder!.addBlock(m.block);
    } catch (err) {
      failure = err as Error;
    }
  } else if (m.type === 'restart') begin();
  else finish();
});
