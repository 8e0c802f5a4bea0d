/**
 * SHA-256 of files as they are read, on a worker thread: the reading thread copies each chunk it
 * has read into a slot of shared memory the worker hashes it from (a copy costs ~0.05 ms a MiB,
 * hashing it ~0.75 ms), and gets the digest back at the end. A fresh copy would cost more than
 * the hash: new memory is faulted in page by page. `payout pay` hashes the ledger and the claims file (160 MB at a million
 * claims) this way. Files below {@link HASH_THREAD_MIN_BYTES}, `PAYOUT_WORKERS=0`, or a worker that
 * cannot start: hashed on the reading thread, with the same digest.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Files from this size on are hashed on the worker (its start-up costs ~40 ms, on its own thread). */
export const HASH_THREAD_MIN_BYTES = 8 << 20;

/** One file's SHA-256, given its bytes in order. */
export interface ChunkHash {
  /** The next bytes of the file; they may be overwritten once this returns (they are copied). */
  update(bytes: Uint8Array): void;
  /** The hex digest of every byte given. */
  digest(): Promise<string>;
  /** Nothing more is given and no digest is wanted (the file is read another way). */
  drop(): void;
}

/** Slots of shared memory the chunks are copied into, and the size of each. */
const SLOTS = 8;
const SLOT_BYTES = 1 << 20;

// A chunk comes in a slot (`slot`, `length`; the slot is marked free once hashed) or, when every
// slot was taken, as bytes of its own (`bytes`).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
let ring;
let free;
parentPort.on('message', (m) => {
  if (m.ring !== undefined) {
    ring = new Uint8Array(m.ring);
    free = new Int32Array(m.free);
    return;
  }
  let h = hashes.get(m.id);
  if (h === undefined) hashes.set(m.id, (h = createHash('sha256')));
  if (m.slot !== undefined) {
    h.update(ring.subarray(m.slot * ${SLOT_BYTES}, m.slot * ${SLOT_BYTES} + m.length));
    Atomics.store(free, m.slot, 1);
  }
  if (m.bytes !== undefined) h.update(m.bytes);
  if (m.end === 'digest') parentPort.postMessage({ id: m.id, sha256: h.digest('hex') });
  if (m.end !== undefined) hashes.delete(m.id);
});
`;

type Reply = { id: number; sha256: string };

class LocalHash implements ChunkHash {
  private readonly hash = createHash('sha256');
  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }
  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }
  drop(): void {}
}

/** A hash on this thread. */
export function localHash(): ChunkHash {
  return new LocalHash();
}

/** The hashes of one run; the worker starts with the first large file and ends with `close`. */
export class HashThread {
  private worker: Worker | undefined;
  private started = false;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (sha256: string) => void; reject: (err: Error) => void }>();
  private failure: Error | undefined;
  private ring: Uint8Array | undefined;
  /** Per slot: 1 when free (the worker has hashed what was in it), 0 while it holds a chunk. */
  private free: Int32Array | undefined;
  /** The slot tried next (the slots are taken in turn, as the worker frees them in turn). */
  private nextSlot = 0;

  constructor(private readonly options: { worker?: boolean } = {}) {}

  /** A hash for a file of `size` bytes (undefined: not known; hashed here). */
  hash(size: number | undefined): ChunkHash {
    const worker = size !== undefined && size >= HASH_THREAD_MIN_BYTES ? this.start() : undefined;
    if (worker === undefined) return new LocalHash();
    const id = this.next++;
    let done = false;
    return {
      update: (bytes) => {
        if (done || this.failure !== undefined) return;
        // Copied, as the caller reuses its buffer: into the next slot when the worker has freed it.
        for (let at = 0; at < bytes.byteLength; at += SLOT_BYTES) {
          const part = bytes.subarray(at, Math.min(at + SLOT_BYTES, bytes.byteLength));
          const slot = this.nextSlot;
          if (this.ring !== undefined && this.free !== undefined && Atomics.load(this.free, slot) === 1) {
            this.ring.set(part, slot * SLOT_BYTES);
            Atomics.store(this.free, slot, 0);
            this.nextSlot = (slot + 1) % SLOTS;
            worker.postMessage({ id, slot, length: part.byteLength });
          } else {
            const copy = new Uint8Array(part);
            worker.postMessage({ id, bytes: copy }, [copy.buffer]);
          }
        }
      },
      digest: () => {
        if (done) throw new Error('internal: a file hash asked for twice');
        done = true;
        if (this.failure !== undefined) return Promise.reject(this.failure);
        return new Promise<string>((resolve, reject) => {
          this.waiting.set(id, { resolve, reject });
          worker.ref(); // an answer is awaited: the process waits for it
          worker.postMessage({ id, end: 'digest' });
        });
      },
      drop: () => {
        if (done) return;
        done = true;
        worker.postMessage({ id, end: 'drop' });
      },
    };
  }

  /** Stops the worker (a digest not yet back is not waited for). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) void worker.terminate();
  }

  /** Stops the worker as if it had died (tests: every digest fails rather than waits). */
  crash(): void {
    void this.worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.started) return this.worker;
    this.started = true;
    if (this.options.worker === false || process.env.PAYOUT_WORKERS === '0') return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: Reply) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (this.waiting.size === 0) worker.unref();
        w?.resolve(m.sha256);
      });
      const failed = (err: Error): void => {
        this.failure ??= new Error(`the thread hashing the input files stopped: ${err.message}`);
        for (const w of this.waiting.values()) w.reject(this.failure);
        this.waiting.clear();
      };
      worker.on('error', failed);
      worker.on('messageerror', failed);
      // Ended other than by `close`: every digest of the run fails, also those not asked for yet
      // (asked for later, each would wait for an answer that never comes).
      worker.on('exit', () => {
        if (this.waiting.size > 0 || this.worker === worker) failed(new Error('it ended before every digest was given'));
      });
      worker.unref(); // a run that fails elsewhere does not wait for it; `digest` refs it
      const ring = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
      const free = new SharedArrayBuffer(SLOTS * 4);
      this.ring = new Uint8Array(ring);
      this.free = new Int32Array(free).fill(1);
      worker.postMessage({ ring, free });
      this.worker = worker;
      return worker;
    } catch {
      return undefined;
    }
  }
}
