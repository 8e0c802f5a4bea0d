/**
 * SHA-256 of many messages in one call (docs/performance.md, "Batched SHA-256").
 *
 * A million claims are ~3 million SHA-256 calls in `allocate` (tie-break keys, receipts leaves and
 * inner nodes) and ~1 million in `pay` (payment ids). Through node:crypto each costs ~0.33 µs, almost
 * all of it the call into OpenSSL; the hashing itself is ~0.06 µs per 64-byte block. The optional
 * native addon (src/native/sha256_batch.c, built by scripts/build-native.js into
 * dist/native/payout_sha256.node) hashes a whole batch in one call. Without it (no C compiler when
 * payout was installed, or `PAYOUT_NATIVE=0`), the same functions loop over node:crypto: the same
 * bytes out either way, which the tests check message by message.
 */
import * as nodeCrypto from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { DIGEST_BYTES } from '../core/merkle.js';

/** The addon's functions (see src/native/sha256_batch.c for the exact contract and its checks). */
export interface Sha256Batch {
  /** Whether these are the native addon's (false: the node:crypto loop). */
  readonly native: boolean;
  /**
   * Message i is `head ‖ bytes[ends[i-1], ends[i])` (ends[-1] = `first`, default 0); the first
   * `take` bytes (1..32, default 32) of its SHA-256 go to `out` at i·take.
   */
  many(bytes: Uint8Array, ends: Uint32Array, out: Uint8Array, head?: Uint8Array, take?: number, first?: number): void;
  /**
   * The next level of a payout-merkle/1 tree (core/merkle.ts) over `count` digests packed 32 bytes
   * each: SHA-256(0x01 ‖ left ‖ right) per pair, an odd last digest promoted; `out` may be `digests`.
   */
  level(digests: Uint8Array, count: number, out: Uint8Array): void;
  /**
   * The receipts tree's leaves (io/receipts-leaves.ts), one per entry of `keys`: at position i, row
   * r = rows[i] (or `rows` + i when `rows` is a number) and k = keys[i]; with id r =
   * idBytes[idEnds[r-1], idEnds[r]) and suffix k = suffixBytes[suffixEnds[k-1], suffixEnds[k])
   * (entry -1 ending at 0), the SHA-256 of `head ‖ decimal(id's byte length) ‖ ':' ‖ id ‖ ',' ‖
   * suffix` goes to `out` at 32·i.
   */
  leaves(
    head: Uint8Array,
    idBytes: Uint8Array,
    idEnds: Uint32Array,
    rows: Uint32Array | number,
    suffixBytes: Uint8Array,
    suffixEnds: Uint32Array,
    keys: Uint32Array,
    out: Uint8Array,
  ): void;
}

/**
 * Where the build put the addon: dist/native/, next to dist/io/ and dist/bundle/ (the second
 * place is the same folder seen from src/io/, where the tests run this module).
 */
export function nativeAddonPath(): string | undefined {
  for (const relative of ['../native/payout_sha256.node', '../../dist/native/payout_sha256.node']) {
    const url = new URL(relative, import.meta.url);
    if (url.protocol !== 'file:') return undefined;
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Whether the environment allows the addon (`PAYOUT_NATIVE=0` forbids it). */
export function nativeAllowed(): boolean {
  return process.env.PAYOUT_NATIVE !== '0';
}

const binaryDigest =
  typeof nodeCrypto.hash === 'function'
    ? (b: Uint8Array) => nodeCrypto.hash('sha256', b, 'binary')
    : (b: Uint8Array) => nodeCrypto.createHash('sha256').update(b).digest('binary');

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** Where entry `k` of an ends array starts and ends (entry -1 ends at 0); undefined when out of bounds. */
function span(ends: Uint32Array, nbytes: number, k: number): [number, number] | undefined {
  if (k >= ends.length) return undefined;
  const from = k === 0 ? 0 : ends[k - 1]!;
  const to = ends[k]!;
  return from <= to && to <= nbytes ? [from, to] : undefined;
}

/** The node:crypto loop: the addon's contract, its checks and its bytes. */
export const fallbackSha256Batch: Sha256Batch = {
  native: false,
  many(bytes, ends, out, head, take = DIGEST_BYTES, first = 0) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('many: bytes must be a Uint8Array');
    if (!(ends instanceof Uint32Array)) throw new TypeError('many: ends must be a Uint32Array');
    if (!(out instanceof Uint8Array)) throw new TypeError('many: out must be a Uint8Array');
    if (head !== undefined && !(head instanceof Uint8Array)) throw new TypeError('many: head must be a Uint8Array');
    if (!isInteger(take)) throw new TypeError('many: take must be an integer');
    if (!isInteger(first)) throw new TypeError('many: first must be an integer');
    if (take < 1 || take > DIGEST_BYTES) throw new RangeError('many: take must be 1 to 32');
    const n = ends.length;
    if (n > Math.floor(out.length / take)) throw new RangeError('many: out is too short for the digests');
    if (first > bytes.length) throw new RangeError('many: first is past the end of bytes');
    let from = first;
    for (let i = 0; i < n; i++) {
      const to = ends[i]!;
      if (to < from || to > bytes.length) throw new RangeError('many: ends must not decrease nor pass the end of bytes');
      from = to;
    }
    const h = head ?? new Uint8Array(0);
    let scratch = new Uint8Array(h.length + 64);
    scratch.set(h);
    from = first;
    for (let i = 0; i < n; i++) {
      const to = ends[i]!;
      let message: Uint8Array;
      if (h.length === 0) message = bytes.subarray(from, to);
      else {
        if (h.length + to - from > scratch.length) {
          scratch = new Uint8Array((h.length + to - from) * 2);
          scratch.set(h);
        }
        scratch.set(bytes.subarray(from, to), h.length);
        message = scratch.subarray(0, h.length + to - from);
      }
      const d = binaryDigest(message);
      for (let k = 0; k < take; k++) out[i * take + k] = d.charCodeAt(k);
      from = to;
    }
  },
  level(digests, count, out) {
    if (!(digests instanceof Uint8Array)) throw new TypeError('level: digests must be a Uint8Array');
    if (!isInteger(count)) throw new TypeError('level: count must be an integer');
    if (!(out instanceof Uint8Array)) throw new TypeError('level: out must be a Uint8Array');
    if (count > Math.floor(digests.length / DIGEST_BYTES)) throw new RangeError('level: digests holds fewer than count digests');
    if (Math.ceil(count / 2) > Math.floor(out.length / DIGEST_BYTES)) throw new RangeError('level: out is too short for the next level');
    const m = new Uint8Array(1 + 2 * DIGEST_BYTES);
    m[0] = 0x01;
    for (let i = 0; i + 1 < count; i += 2) {
      for (let k = 0; k < 2 * DIGEST_BYTES; k++) m[1 + k] = digests[i * DIGEST_BYTES + k]!;
      const d = binaryDigest(m);
      for (let k = 0; k < DIGEST_BYTES; k++) out[(i / 2) * DIGEST_BYTES + k] = d.charCodeAt(k);
    }
    if (count % 2 === 1) {
      const last = digests.slice((count - 1) * DIGEST_BYTES, count * DIGEST_BYTES);
      out.set(last, ((count - 1) / 2) * DIGEST_BYTES);
    }
  },
  leaves(head, idBytes, idEnds, rows, suffixBytes, suffixEnds, keys, out) {
    if (!(head instanceof Uint8Array)) throw new TypeError('leaves: head must be a Uint8Array');
    if (!(idBytes instanceof Uint8Array)) throw new TypeError('leaves: idBytes must be a Uint8Array');
    if (!(idEnds instanceof Uint32Array)) throw new TypeError('leaves: idEnds must be a Uint32Array');
    if (!(rows instanceof Uint32Array) && !isInteger(rows)) throw new TypeError('leaves: rows must be a Uint32Array or an integer');
    if (!(suffixBytes instanceof Uint8Array)) throw new TypeError('leaves: suffixBytes must be a Uint8Array');
    if (!(suffixEnds instanceof Uint32Array)) throw new TypeError('leaves: suffixEnds must be a Uint32Array');
    if (!(keys instanceof Uint32Array)) throw new TypeError('leaves: keys must be a Uint32Array');
    if (!(out instanceof Uint8Array)) throw new TypeError('leaves: out must be a Uint8Array');
    const n = keys.length;
    if (typeof rows !== 'number' && rows.length !== n) throw new RangeError('leaves: rows and keys must be as long');
    if (typeof rows === 'number' && rows + n > idEnds.length) throw new RangeError('leaves: rows run past the end of idEnds');
    if (n > Math.floor(out.length / DIGEST_BYTES)) throw new RangeError('leaves: out is too short for the digests');
    const rowAt = (i: number): number => (typeof rows === 'number' ? rows + i : rows[i]!);
    for (let i = 0; i < n; i++) {
      if (span(idEnds, idBytes.length, rowAt(i)) === undefined) {
        throw new RangeError("leaves: a row is past the end of idEnds, or its id's ends decrease or pass the end of idBytes");
      }
      if (span(suffixEnds, suffixBytes.length, keys[i]!) === undefined) {
        throw new RangeError("leaves: a key is past the end of suffixEnds, or its suffix's ends decrease or pass the end of suffixBytes");
      }
    }
    const messages: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const [from, to] = span(idEnds, idBytes.length, rowAt(i))!;
      const [sFrom, sTo] = span(suffixEnds, suffixBytes.length, keys[i]!)!;
      const length = new TextEncoder().encode(`${to - from}:`);
      const m = new Uint8Array(head.length + length.length + (to - from) + 1 + (sTo - sFrom));
      let p = 0;
      for (const part of [head, length, idBytes.subarray(from, to), Uint8Array.of(0x2c), suffixBytes.subarray(sFrom, sTo)]) {
        m.set(part, p);
        p += part.length;
      }
      messages.push(m);
    }
    messages.forEach((m, i) => {
      const d = binaryDigest(m);
      for (let k = 0; k < DIGEST_BYTES; k++) out[i * DIGEST_BYTES + k] = d.charCodeAt(k);
    });
  },
};

/**
 * Whether `batch` hashes as the node:crypto loop does on a few known messages (every argument of
 * `many` used, an odd `level`, `leaves` with rows given and from a start): an addon left from older
 * sources (without `leaves`, say), or one that hashes wrong, is not used. Costs ~0.2–0.4 ms, once per thread.
 */
export function hashesRight(batch: Pick<Sha256Batch, 'many' | 'level' | 'leaves'>): boolean {
  try {
    const bytes = Uint8Array.from({ length: 150 }, (_, i) => (i * 37 + 11) & 0xff);
    const ends = Uint32Array.of(3, 3, 70, 149);
    const head = Uint8Array.of(0x70, 0x3a, 0xc3, 0xab);
    const want = new Uint8Array(ends.length * 7);
    const got = new Uint8Array(ends.length * 7);
    fallbackSha256Batch.many(bytes, ends, want, head, 7, 1);
    batch.many(bytes, ends, got, head, 7, 1);
    const whole = new Uint8Array(64);
    const wholeWant = new Uint8Array(64);
    fallbackSha256Batch.many(bytes, Uint32Array.of(0, 150), wholeWant);
    batch.many(bytes, Uint32Array.of(0, 150), whole);
    const digests = bytes.slice(0, 96);
    const levelWant = new Uint8Array(64);
    fallbackSha256Batch.level(digests, 3, levelWant);
    batch.level(digests, 3, digests);
    // Ids of 0, 7, 12 and 120 bytes (one, two and three length digits), suffixes of 0, 5 and 400
    // bytes (past the addon's stack buffer), rows permuted and rows from a start.
    const idEnds = Uint32Array.of(0, 7, 19, 139);
    const suffixEnds = Uint32Array.of(0, 5, 405);
    const leafHead = Uint8Array.of(0x00, 0x32, 0x3a, 0x69, 0x64, 0x2c);
    const suffixes = Uint8Array.from({ length: 405 }, (_, i) => (i * 91 + 3) & 0xff);
    const keys = Uint32Array.of(2, 0, 1, 1);
    const leavesWant = new Uint8Array(8 * DIGEST_BYTES);
    const leavesGot = new Uint8Array(8 * DIGEST_BYTES);
    for (const [rows, at] of [[Uint32Array.of(3, 0, 2, 1), 0], [0, 4]] as const) {
      const from = at * DIGEST_BYTES;
      fallbackSha256Batch.leaves(leafHead, bytes, idEnds, rows, suffixes, suffixEnds, keys, leavesWant.subarray(from));
      batch.leaves(leafHead, bytes, idEnds, rows, suffixes, suffixEnds, keys, leavesGot.subarray(from));
    }
    const same = (a: Uint8Array, b: Uint8Array): boolean => a.length <= b.length && a.every((x, i) => x === b[i]);
    return same(want, got) && same(wholeWant, whole) && same(levelWant, digests) && same(leavesWant, leavesGot);
  } catch {
    return false;
  }
}

/** The addon's exports at `path` (Node keeps one copy per process: sha256Batch and csv-scan.ts share it); throws when it cannot load. */
export function requireAddon(path: string): Record<string, unknown> {
  return createRequire(import.meta.url)(path) as Record<string, unknown>;
}

/**
 * The addon's function `name` at `path` when it loads and `right` holds for it (it gives what its
 * JavaScript reference gives); else undefined: an addon from other sources, or a damaged one, is
 * not used for that function.
 */
export function loadCheckedFunction<F>(path: string, name: string, right: (f: F) => boolean): F | undefined {
  try {
    const fn = requireAddon(path)[name];
    if (typeof fn !== 'function') return undefined;
    return right(fn as F) ? (fn as F) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A function of the addon as `load` gives it from the addon's path, loaded once per thread, or
 * undefined when the addon is not built or `PAYOUT_NATIVE=0` (the environment is read at each call).
 */
export function nativeFunction<F>(load: (path: string) => F | undefined): () => F | undefined {
  let loaded: F | null | undefined;
  return () => {
    if (!nativeAllowed()) return undefined;
    if (loaded === undefined) {
      const path = nativeAddonPath();
      loaded = (path !== undefined ? load(path) : undefined) ?? null;
    }
    return loaded ?? undefined;
  };
}

/**
 * Loads the addon from `path`; undefined when it cannot be loaded (a build for another platform, a
 * damaged file) or does not hash as node:crypto does (`hashesRight`).
 */
export function loadNativeSha256(path: string): Sha256Batch | undefined {
  try {
    const addon = requireAddon(path) as Partial<Sha256Batch>;
    if (typeof addon.many !== 'function' || typeof addon.level !== 'function' || typeof addon.leaves !== 'function') return undefined;
    const batch: Sha256Batch = { native: true, many: addon.many, level: addon.level, leaves: addon.leaves };
    return hashesRight(batch) ? batch : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The root of a payout-merkle/1 tree over `count` ≥ 1 digests packed 32 bytes each in `digests`
 * (overwritten): `level` until one digest is left, one call a level.
 */
export function batchedLevelsRoot(batch: Pick<Sha256Batch, 'level'>, digests: Uint8Array, count: number): Uint8Array {
  for (let n = count; n > 1; n = Math.ceil(n / 2)) batch.level(digests, n, digests);
  return digests.slice(0, DIGEST_BYTES);
}

let loaded: Sha256Batch | undefined;

/** The addon when it is built and allowed, else the node:crypto loop (decided once per thread). */
export function sha256Batch(): Sha256Batch {
  if (loaded !== undefined) return loaded;
  const path = nativeAllowed() ? nativeAddonPath() : undefined;
  loaded = (path !== undefined ? loadNativeSha256(path) : undefined) ?? fallbackSha256Batch;
  return loaded;
}

/** The addon's path when `sha256Batch()` uses it: what a worker started from source text loads (`require`). */
export function nativeAddonForWorkers(): string | undefined {
  return sha256Batch().native ? nativeAddonPath() : undefined;
}
