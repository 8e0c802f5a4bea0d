/**
 * The tie-break keys of docs/spec.md §4a, ahead of time and on the other core.
 *
 * Largest remainder settles a tie set by the key SHA-256(seed + ":" + claim_id); in TikTok-shaped
 * data the tie set is every nationwide claim, a million hashes (~0.5 µs each, most of it the call
 * into OpenSSL). Only the first 32 bits of each key are needed to rank them (core/cents.ts:
 * `pickSmallestKeys`), so a worker thread hashes the claim ids as the reader hands them over,
 * while the main thread goes on parsing; when the reading ends, the prefixes of every row are
 * (nearly) ready. The allocation checks the prefixes it relies on against full keys it computes
 * itself, so a wrong prefix is an error, never a different payout. With the native SHA-256 addon
 * (sha256-batch.ts) a batch of ids is one call (`batchKeyPrefixes`), on the worker and here.
 */
import { Worker } from 'node:worker_threads';
import * as nodeCrypto from 'node:crypto';
import { ClaimIds } from '../core/claims.js';
import { lowerThreadPriority } from './thread-priority.js';
import { countOf, countText } from '../core/display-numbers.js';
import { nativeAddonForWorkers, sha256Batch, type Sha256Batch } from './sha256-batch.js';
import { nextTurn } from './output-file.js';

/**
 * The key prefixes of a batch of claim ids (`bytes`, `ends` as ClaimIds.slice gives them) in one
 * call of the batched SHA-256 (sha256-batch.ts): `head` is `seed:` as UTF-8; each message's first
 * 4 bytes, big-endian, are its prefix. Rows flagged in `skip` get 0, as bytesKeyPrefixer leaves them.
 * Self-contained, so that the worker's source can embed it (`toString`).
 */
export function batchKeyPrefixes(batch: Pick<Sha256Batch, 'many'>, head: Uint8Array, bytes: Uint8Array, ends: Uint32Array, skip: Uint8Array | undefined): Uint32Array {
  const n = ends.length;
  const d = new Uint8Array(n * 4);
  batch.many(bytes, ends, d, head, 4);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (skip !== undefined && skip[i] !== 0) continue;
    out[i] = ((d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!) >>> 0;
  }
  return out;
}

/**
 * `(bytes, start, end) → the key's first 32 bits` for claim ids given as their UTF-8 bytes (how
 * ClaimIds keeps them). The message `seed:id` is assembled in one buffer and hashed as bytes, with
 * a view of it kept per message length (crypto.hash takes a whole view): no string per id, ~30%
 * less per key than hashing `prefix + bytes.utf8Slice(start, end)`, with the same bytes hashed.
 * The digest comes back as 'binary' (Latin-1) text, one character per byte (no Buffer to allocate,
 * ~7% less than decoding base64): its first four characters are the key's first 32 bits.
 * Self-contained, so that the worker's source can embed it (`toString`).
 */
export function bytesKeyPrefixer(seed: string, crypto: typeof import('node:crypto')): (bytes: Uint8Array, start: number, end: number) => number {
  const head = Buffer.from(`${seed}:`, 'utf8');
  const at = head.length;
  let scratch = Buffer.allocUnsafe(at + 256);
  head.copy(scratch);
  let views: Buffer[] = [];
  const digest =
    typeof crypto.hash === 'function'
      ? (b: Buffer) => crypto.hash('sha256', b, 'binary')
      : (b: Buffer) => crypto.createHash('sha256').update(b).digest('binary');
  return (bytes, start, end) => {
    const len = end - start;
    if (at + len > scratch.length) {
      scratch = Buffer.allocUnsafe((at + len) * 2);
      head.copy(scratch);
      views = [];
    }
    let view = views[len];
    if (view === undefined) view = views[len] = scratch.subarray(0, at + len);
    // A loop, not Buffer#copy: ids are short, and the native call costs more than the copy.
    for (let k = 0; k < len; k++) scratch[at + k] = bytes[start + k] as number;
    const d = digest(view);
    return ((d.charCodeAt(0) << 24) | (d.charCodeAt(1) << 16) | (d.charCodeAt(2) << 8) | d.charCodeAt(3)) >>> 0;
  };
}

/**
 * The worker: a batch of claim ids in, their key prefixes out (in the same order). A batch comes as
 * the ids' UTF-8 bytes one after another and where each ends (ClaimIds.slice), both moved, not
 * copied: nothing per id is built on the reading thread. `skip`, when sent, marks the rows whose
 * key is never read (a status the plan does not pay): their prefix is left 0, not hashed.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
(${lowerThreadPriority.toString()})(require('node:fs'), require('node:os'));
const bytesKeyPrefixer = ${bytesKeyPrefixer.toString()};
const batchKeyPrefixes = ${batchKeyPrefixes.toString()};
let prefixOf;
let batch;
let head;
parentPort.on('message', (m) => {
  if (m.seed !== undefined) {
    prefixOf = bytesKeyPrefixer(m.seed, crypto);
    head = Buffer.from(m.seed + ':', 'utf8');
    // The batched SHA-256 addon when the main thread uses it (sha256-batch.ts); else node:crypto.
    if (m.native !== undefined) {
      try {
        batch = require(m.native);
      } catch {
        batch = undefined;
      }
    }
    return;
  }
  const { seq, bytes, ends, skip, claim } = m;
  // The reading thread may have taken this batch while it waited for other work (helpOnce).
  if (claim !== undefined && Atomics.compareExchange(claim, 0, 0, 1) !== 0) {
    parentPort.postMessage({ seq, taken: true });
    return;
  }
  let out;
  if (batch !== undefined) out = batchKeyPrefixes(batch, head, bytes, ends, skip);
  else {
    out = new Uint32Array(ends.length);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i];
      if (skip === undefined || skip[i] === 0) out[i] = prefixOf(bytes, start, end);
      start = end;
    }
  }
  parentPort.postMessage({ seq, prefixes: out }, [out.buffer]);
});
`;

/**
 * The key's first 32 bits as a number (what `parseInt(key.slice(0, 8), 16)` gives), on this
 * thread, from the id as text: the plain version `bytesKeyPrefixer` is tested against.
 */
export function tieKeyPrefixer(seed: string): (claimId: string) => number {
  const prefix = `${seed}:`;
  const digest =
    typeof nodeCrypto.hash === 'function'
      ? (s: string) => nodeCrypto.hash('sha256', s, 'binary')
      : (s: string) => nodeCrypto.createHash('sha256').update(s).digest('binary');
  return (claimId) => {
    const d = digest(prefix + claimId);
    let v = 0;
    for (let j = 0; j < 4; j++) v = v * 256 + d.charCodeAt(j);
    return v;
  };
}

/** The worker started ahead by `startTieKeyWorker`, until a TieKeyPrefixes takes it (with any error it met). */
let early: { worker: Worker; failure: Error | undefined } | undefined;

/**
 * Starts the worker ahead of the reading (see early-workers.ts), without its seed (the plan is not
 * read yet): it boots on the other core meanwhile; TieKeyPrefixes sends the seed first.
 */
export function startTieKeyWorker(): void {
  if (early) return;
  try {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const started: { worker: Worker; failure: Error | undefined } = { worker, failure: undefined };
    worker.on('error', (err) => {
      started.failure ??= err;
    });
    early = started;
  } catch {
    // No thread now: TieKeyPrefixes tries again, or hashes on the reading thread.
  }
}

/**
 * Collects the key prefixes of claim ids handed over in table order (`add`), computed on a worker
 * thread; `result` gives one per row. Without worker threads it computes them when asked.
 */
export class TieKeyPrefixes {
  private worker: Worker | undefined;
  /** Each batch's rows, and which of them need no key (see `add`). */
  private readonly batches: Array<{ from: number; to: number; skip?: Uint8Array | undefined; done?: boolean; claim?: Int32Array }> = [];
  /** The prefixes back so far, by row (4 bytes each); grown by doubling, or sized once by `reserve`. */
  private prefixes = new Uint32Array(1024);
  private sent = 0;
  private pending = 0;
  private failure: Error | undefined;
  /** The prefix of one id on this thread (node:crypto), made when first needed. */
  private prefixer: ((bytes: Uint8Array, start: number, end: number) => number) | undefined;
  /** Called when the worker answers or stops (`result` waits for it). */
  private waiting: (() => void) | undefined;
  /** The table's ids (what the reader appends to). */
  private ids: ClaimIds = new ClaimIds(16);

  /** `worker: false` computes the prefixes on this thread when asked (small files: no thread to start). */
  constructor(
    private readonly seed: string,
    options: { worker?: boolean } = {},
  ) {
    if (options.worker === false) return;
    try {
      const started = early;
      early = undefined;
      const worker = started?.worker ?? new Worker(WORKER_SOURCE, { eval: true });
      this.failure = started?.failure;
      worker.on('message', (m: { seq: number; prefixes?: Uint32Array; taken?: boolean }) => {
        const batch = this.batches[m.seq];
        this.waiting?.();
        if (batch === undefined || m.taken) return; // taken: hashed here (`helpOnce`), done already
        if (batch.done) return; // computed here meanwhile (see `result`)
        if (m.prefixes) {
          if (batch.to > this.prefixes.length) this.grow(Math.max(batch.to, this.prefixes.length * 2));
          this.prefixes.set(m.prefixes, batch.from);
        }
        batch.done = true;
        batch.skip = undefined; // its memory back (a fallback after a failure hashes every row: the same prefixes where read)
        this.pending--;
      });
      const stopped = (err: Error): void => {
        this.failure ??= err;
        this.waiting?.();
      };
      worker.on('error', stopped);
      worker.on('messageerror', stopped);
      worker.on('exit', () => {
        if (this.pending > 0) stopped(new Error('the tie-key worker stopped'));
      });
      // After the listeners (a 'message' listener refs the worker again). Only `result` awaits
      // it (a batch it has started on), and refs it meanwhile.
      worker.unref();
      worker.postMessage({ seed, native: nativeAddonForWorkers() }); // before any batch: the worker hashes `${seed}:${id}`
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  /** Room for the prefixes of `rows` rows in all (a guess from the file's length: only saves copies). */
  reserve(rows: number): void {
    if (rows > this.prefixes.length) this.grow(Math.min(Math.ceil(rows), 1 << 28));
  }

  private grow(n: number): void {
    const bigger = new Uint32Array(n);
    bigger.set(this.prefixes);
    this.prefixes = bigger;
  }

  /**
   * Hands over the ids of table rows [from, to) (the rows after those handed over before).
   * `skip[i] = 1` marks row `from + i` as one whose key the allocation never reads (its status is
   * not one the plan pays, so it is in no tie set): its prefix is not computed and stays 0.
   */
  add(ids: ClaimIds, from: number, to: number, skip?: Uint8Array): void {
    if (from !== this.sent) throw new RangeError(`tie keys: rows ${from}-${to} after ${this.sent}`);
    if (skip !== undefined && skip.length !== to - from) throw new RangeError(`tie keys: ${skip.length} skip flags for rows ${from}-${to}`);
    this.ids = ids;
    if (to <= from) return;
    this.sent = to;
    const seq = this.batches.length;
    if (!this.worker) {
      this.batches.push({ from, to, skip });
      return;
    }
    // Who hashes the batch: 0 nobody yet, 1 the worker, 2 this thread (`take`); shared, so that
    // neither hashes a batch the other has.
    const claim = new Int32Array(new SharedArrayBuffer(4));
    this.batches.push({ from, to, skip, claim });
    this.pending++;
    const { bytes, ends } = ids.slice(from, to);
    const moved = [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer];
    // The flags are posted as a copy: `result` reads this batch's own if it hashes the batch here.
    this.worker.postMessage({ seq, bytes, ends, skip, claim }, moved);
  }

  /**
   * Hashes on this thread the newest batch the worker has not started on (true), if there is one
   * (false): for a reading thread that would otherwise wait (for the duplicate-check worker), so
   * that the other core has less to do. The worker takes the batches from the oldest on, so the
   * two rarely meet; a batch is hashed by one of them only (its shared `claim`).
   */
  helpOnce(): boolean {
    if (!this.worker || this.failure !== undefined) return false;
    for (let k = this.batches.length - 1; k >= 0; k--) {
      const batch = this.batches[k]!;
      if (batch.done) continue; // hashed here before, or answered
      if (batch.claim !== undefined && Atomics.compareExchange(batch.claim, 0, 0, 2) !== 0) return false; // the worker's, and so are the ones before it
      this.hashBatchHere(batch);
      return true;
    }
    return false;
  }

  /** Hashes `batch` here into the prefixes, and marks it done. */
  private hashBatchHere(batch: { from: number; to: number; skip?: Uint8Array | undefined; done?: boolean }): void {
    if (batch.to > this.prefixes.length) this.grow(Math.max(batch.to, this.prefixes.length * 2));
    this.prefixer ??= bytesKeyPrefixer(this.seed, nodeCrypto);
    this.hashHere(this.prefixes, batch, this.prefixer);
    batch.done = true;
    batch.skip = undefined;
    this.pending--;
  }

  /** Fills in the prefixes of `batch`'s rows on this thread (those not skipped). */
  private hashHere(out: Uint32Array, batch: { from: number; to: number; skip?: Uint8Array | undefined }, prefixOf: (bytes: Uint8Array, start: number, end: number) => number): void {
    const ids = this.ids;
    const skip = batch.skip;
    const sha = sha256Batch();
    if (sha.native) {
      const { bytes, ends } = ids.slice(batch.from, batch.to);
      out.set(batchKeyPrefixes(sha, Buffer.from(`${this.seed}:`, 'utf8'), bytes, ends, skip), batch.from);
      return;
    }
    for (let i = batch.from; i < batch.to; i++) {
      if (skip === undefined || skip[i - batch.from] === 0) out[i] = prefixOf(ids.bytes, ids.start(i), ids.end(i));
    }
  }

  /** The prefixes of rows [0, rows), once every batch is back; rows must be all that were added. */
  async result(rows: number): Promise<Uint32Array> {
    if (rows !== this.sent) throw new RangeError(`tie keys: ${countOf(this.sent, 'row')} handed over, ${countText(rows)} asked for`);
    if (this.worker) {
      // The reading is over and this thread is free: it hashes the batches still waiting, from the
      // last one back, while the worker goes on from the first (a batch at a time, letting the
      // worker's results in between); they meet in the middle. The same prefixes either way. A
      // batch the worker has started on is left to it: once none is left to take, this thread
      // waits for the worker's answers (a batch's time at most, a few ms).
      while (this.pending > 0 && this.failure === undefined) {
        if (this.helpOnce()) await nextTurn();
        else {
          // Ref'd while awaited: with nothing else pending the process would end before the answer.
          const worker = this.worker;
          worker?.ref();
          await new Promise<void>((resolve) => {
            this.waiting = resolve;
          });
          this.waiting = undefined;
          worker?.unref();
        }
      }
      this.close();
      if (this.failure === undefined) {
        const all = this.prefixes;
        this.prefixes = new Uint32Array(0);
        if (all.length < rows) throw new RangeError(`internal: tie keys for ${countText(all.length)} of ${countOf(rows, 'row')}`);
        // A view when the guess was about right, a copy when most of the room is unused.
        return all.length - rows <= all.length >> 3 ? all.subarray(0, rows) : all.slice(0, rows);
      }
      // The worker failed: compute them here instead.
    }
    const out = new Uint32Array(rows);
    const prefixOf = bytesKeyPrefixer(this.seed, nodeCrypto);
    for (const batch of this.batches) this.hashHere(out, batch, prefixOf);
    return out;
  }

  /** Stops the worker (also when the prefixes are not wanted after all). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
