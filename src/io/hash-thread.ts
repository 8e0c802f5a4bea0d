/**
 * SHA-256 of files as they are read, on a worker thread: the reading thread copies each chunk it
 * has read and moves the copy there (a copy costs ~0.1 ms a MiB, hashing it ~2 ms), and gets the
 * digest back at the end. `payout pay` hashes the ledger and the claims file (160 MB at a million
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

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  let h = hashes.get(m.id);
  if (h === undefined) hashes.set(m.id, (h = createHash('sha256')));
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

  constructor(private readonly options: { worker?: boolean } = {}) {}

  /** A hash for a file of `size` bytes (undefined: not known; hashed here). */
  hash(size: number | undefined): ChunkHash {
    const worker = size !== undefined && size >= HASH_THREAD_MIN_BYTES ? this.start() : undefined;
    if (worker === undefined) return new LocalHash();
    const id = this.next++;
    let done = false;
    return {
      update: (bytes) => {
        if (done || bytes.byteLength === 0 || this.failure !== undefined) return;
        const copy = new Uint8Array(bytes); // moved to the worker: the caller reuses its buffer
        worker.postMessage({ id, bytes: copy }, [copy.buffer]);
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
      worker.on('exit', () => {
        if (this.waiting.size > 0) failed(new Error('it ended before every digest was given'));
      });
      worker.unref(); // a run that fails elsewhere does not wait for it; `digest` refs it
      this.worker = worker;
      return worker;
    } catch {
      return undefined;
    }
  }
}
