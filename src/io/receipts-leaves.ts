/**
 * The leaves of an allocation's receipts tree (core/merkle.ts, docs/receipts.md), a block at a
 * time, on the main thread or the receipts worker (receipts-root.ts, receipts-worker.ts).
 *
 * A million rows are two million SHA-256 calls of ~0.35 µs each, most of it the call into
 * OpenSSL, so nothing else per row may cost as much. A leaf's message is assembled in one buffer
 * from byte strings made once: per allocation cell the netstrings of class, units and points and
 * of outcome and share, per status its netstring, per cell and remainder cent the amount's; only
 * the claim id is copied per row, from the table's bytes. It is hashed through a view kept per
 * message length (crypto.hash takes a whole view), and the digest comes back as 'binary'
 * (Latin-1) text: no Buffer per hash. With the native SHA-256 addon (sha256-batch.ts) and no
 * `--keep` columns, the addon assembles and hashes a whole block's messages in one call (`leaves`):
 * the JavaScript per row only finds the index of its suffix (everything after the id's netstring,
 * made once per cell, status and cent); with `--keep` columns the messages are laid one after
 * another here and hashed 1,024 a call. Each level of a block's subtree is then one call: the same
 * digests either way. Everything here is plain data, so it can be posted.
 */
import * as nodeCrypto from 'node:crypto';
import { DIGEST_BYTES, type Sha256 } from '../core/merkle.js';
import type { RowIndexArray } from '../core/claims.js';
import { batchedLevelsRoot, sha256Batch, type Sha256Batch } from './sha256-batch.js';

const binaryDigest =
  typeof nodeCrypto.hash === 'function'
    ? (b: Uint8Array) => nodeCrypto.hash('sha256', b, 'binary')
    : (b: Uint8Array) => nodeCrypto.createHash('sha256').update(b).digest('binary');

/** node:crypto's SHA-256 in the form core/merkle.ts takes. */
export const sha256Into: Sha256 = (bytes, out, at) => {
  const d = binaryDigest(bytes);
  for (let k = 0; k < DIGEST_BYTES; k++) out[at + k] = d.charCodeAt(k);
};

/** Rows per block: a power of two, so that a block's leaves are a whole subtree (core/merkle.ts). */
export const RECEIPT_BLOCK_ROWS = 1 << 14;

/** Up to this many (cell, status, cent) keys, a leaf's suffix is found through a dense array (256 KiB), past it a Map. */
const DENSE_SUFFIX_KEYS = 1 << 16;

/** Leaves hashed per call of the batched SHA-256 with `--keep` columns (a few hundred KiB of messages). */
const BATCH_LEAVES = 1024;

/** The byte strings a leaf is made of (see the file comment). */
export interface AllocationLeafParts {
  /** 0x00 ‖ netstring("claim_id"). */
  head: Uint8Array;
  /** Per cell: netstrings of "class", its class, "units", its units, "points", its points, "status". */
  cellHead: Uint8Array[];
  /** Per status: its netstring. */
  statuses: Uint8Array[];
  /** Per cell: netstrings of "outcome", its outcome, "share", its share, "amount". */
  cellTail: Uint8Array[];
  /** Per cell × 2 + remainder cent: the amount's netstring. */
  amounts: Uint8Array[];
}

/** What a block of leaves is made from: the parts and, per row, its claim id, status, cell and cent. */
export interface LeafRows {
  parts: AllocationLeafParts;
  /** The claim ids' UTF-8 bytes one after another, and where each ends (ClaimIds.slice). */
  ids: { bytes: Uint8Array; ends: Uint32Array };
  statusIndex: RowIndexArray;
  cellOf: Uint32Array;
  extraCent: Uint8Array;
  /** Rows in claim_id order; absent when the rows are in that order already. */
  order?: Uint32Array | undefined;
  rows: number;
  /** `--keep` columns: each name's netstring and the cells (main thread only: not posted). */
  kept?: { name: Uint8Array; values: string[] }[];
}

/** What the receipts worker is posted (receipts-worker.ts). */
export interface ReceiptsJob {
  rows: LeafRows;
  /** Int32Array [the next block not yet taken] over a SharedArrayBuffer. */
  state: SharedArrayBuffer;
}

const utf8 = new TextEncoder();

/** netstring(s) = the decimal byte length of s's UTF-8, `:`, the bytes, `,` (core/merkle.ts). */
function netstringOf(text: string): Uint8Array {
  const bytes = utf8.encode(text);
  const head = utf8.encode(`${bytes.length}:`);
  const out = new Uint8Array(head.length + bytes.length + 1);
  out.set(head);
  out.set(bytes, head.length);
  out[out.length - 1] = 0x2c;
  return out;
}

/** Makes the subtree root of each block of leaves (leaf positions in claim_id order). */
export class LeafBlocks {
  private buf: Uint8Array = new Uint8Array(1024);
  private views: Uint8Array[] = [];
  /** Per cell, status, cent and id length: the leaf message with room for the id (see `leaf`). */
  private readonly messages = new Map<number, Uint8Array>();
  private readonly nStatuses: number;
  /** The length of the message `generalLeaf` assembled last. */
  private last = 0;
  /** The levels of a block's subtree, laid out as node messages (pairLevels), made once. */
  private levels: PairLevel[] | undefined;
  /** The batched SHA-256 addon (sha256-batch.ts), or undefined: one node:crypto call per hash. */
  private readonly batch: Sha256Batch | undefined;
  /** With the addon: a block's leaf messages one after another, where each ends, and their digests. */
  private messagesOut: Uint8Array = new Uint8Array(0);
  private readonly messageEnds = new Uint32Array(BATCH_LEAVES);
  /** Made when first needed: without the addon a block is hashed leaf by leaf and needs none. */
  private digests: Uint8Array | undefined;
  /**
   * With the addon and no `--keep` columns: the part of a leaf message after the claim id's
   * netstring (cellHead ‖ status ‖ cellTail ‖ amount), made once per cell, status and cent and laid
   * one after another, where each ends, and how many there are; the suffix of each key (cell,
   * status, cent), in a dense array (-1: not made yet) when there are few keys, else a Map.
   */
  private suffixBytes: Uint8Array = new Uint8Array(0);
  private suffixEnds: Uint32Array = new Uint32Array(16);
  private suffixCount = 0;
  private readonly suffixDense: Int32Array | undefined;
  private readonly suffixMap = new Map<number, number>();
  /** Per position of a block: the suffix of its leaf (made when first needed). */
  private blockKeys: Uint32Array | undefined;

  /** `batch: false` hashes message by message with node:crypto even when the addon is there (tests). */
  constructor(
    private readonly src: LeafRows,
    options: { batch?: boolean } = {},
  ) {
    this.nStatuses = Math.max(1, src.parts.statuses.length);
    const batch = options.batch === false ? undefined : sha256Batch();
    this.batch = batch?.native ? batch : undefined;
    const keys = src.parts.cellHead.length * this.nStatuses * 2;
    if (this.batch !== undefined && src.kept === undefined && keys <= DENSE_SUFFIX_KEYS) this.suffixDense = new Int32Array(keys).fill(-1);
  }

  get blocks(): number {
    return Math.ceil(this.src.rows / RECEIPT_BLOCK_ROWS);
  }

  /** The root of the subtree of block `b`'s leaves. */
  blockRoot(b: number): Uint8Array {
    const from = b * RECEIPT_BLOCK_ROWS;
    const to = Math.min(this.src.rows, from + RECEIPT_BLOCK_ROWS);
    if (this.batch !== undefined) return this.batchedBlockRoot(this.batch, from, to);
    const levels = (this.levels ??= pairLevels(RECEIPT_BLOCK_ROWS));
    // Each digest is written where its node's message needs it (see pairLevels): no copying.
    const first = levels[0]!.bytes;
    for (let i = from; i < to; i++) this.leaf(i, first, pairOffset(i - from));
    let n = to - from;
    let k = 0;
    while (n > 1) {
      const here = levels[k]!;
      const up = levels[k + 1]!.bytes;
      const pairs = n >> 1;
      for (let q = 0; q < pairs; q++) sha256Into(here.views[q]!, up, pairOffset(q));
      if (n % 2 === 1) {
        // The odd last node goes up unchanged.
        const at = pairOffset(n - 1);
        up.set(here.bytes.subarray(at, at + DIGEST_BYTES), pairOffset(pairs));
      }
      n = pairs + (n % 2);
      k++;
    }
    const at = pairOffset(0);
    return levels[k]!.bytes.slice(at, at + DIGEST_BYTES);
  }

  /**
   * With the addon: the block's leaf messages are assembled one after another into one buffer and
   * hashed in one call per BATCH_LEAVES leaves, then each level of the subtree in one call (the
   * digests packed, the level made in place).
   */
  private batchedBlockRoot(batch: Sha256Batch, from: number, to: number): Uint8Array {
    const ends = this.messageEnds;
    const d = (this.digests ??= new Uint8Array(RECEIPT_BLOCK_ROWS * DIGEST_BYTES));
    if (this.src.kept === undefined) {
      // The addon assembles the messages itself from the ids and the suffixes: here, per row, the
      // index of its suffix only.
      const { parts, ids, statusIndex, cellOf, extraCent, order } = this.src;
      const keys = (this.blockKeys ??= new Uint32Array(RECEIPT_BLOCK_ROWS));
      const dense = this.suffixDense;
      const nStatuses = this.nStatuses;
      for (let i = from; i < to; i++) {
        const row = order === undefined ? i : order[i]!;
        const key = (cellOf[row]! * nStatuses + statusIndex[row]!) * 2 + extraCent[row]!;
        const s = dense !== undefined ? dense[key]! : (this.suffixMap.get(key) ?? -1);
        keys[i - from] = s >= 0 ? s : this.addSuffix(key, row);
      }
      const rows = order === undefined ? from : order.subarray(from, to);
      batch.leaves(parts.head, ids.bytes, ids.ends, rows, this.suffixBytes, this.suffixEnds.subarray(0, this.suffixCount), keys.subarray(0, to - from), d);
      return batchedLevelsRoot(batch, d, to - from);
    }
    for (let s = from; s < to; s += BATCH_LEAVES) {
      const e = Math.min(to, s + BATCH_LEAVES);
      let p = 0;
      for (let i = s; i < e; i++) {
        const m = this.message(i);
        if (p + m.length > this.messagesOut.length) {
          const bigger = new Uint8Array(Math.max(2 * (p + m.length), 256 * BATCH_LEAVES));
          bigger.set(this.messagesOut.subarray(0, p));
          this.messagesOut = bigger;
        }
        this.messagesOut.set(m, p);
        p += m.length;
        ends[i - s] = p;
      }
      batch.many(this.messagesOut, ends.subarray(0, e - s), d.subarray((s - from) * DIGEST_BYTES, (e - from) * DIGEST_BYTES));
    }
    return batchedLevelsRoot(batch, d, to - from);
  }

  /** Makes the suffix of `key` (row `row`'s cell, status and cent: see suffixBytes); its index. */
  private addSuffix(key: number, row: number): number {
    const { parts, statusIndex, cellOf, extraCent } = this.src;
    const c = cellOf[row]!;
    const pieces = [parts.cellHead[c]!, parts.statuses[statusIndex[row]!]!, parts.cellTail[c]!, parts.amounts[c * 2 + extraCent[row]!]!];
    const at = this.suffixCount === 0 ? 0 : this.suffixEnds[this.suffixCount - 1]!;
    const need = at + pieces.reduce((n, b) => n + b.length, 0);
    if (need > this.suffixBytes.length) {
      const bigger = new Uint8Array(Math.max(need, 2 * this.suffixBytes.length, 4096));
      bigger.set(this.suffixBytes.subarray(0, at));
      this.suffixBytes = bigger;
    }
    if (this.suffixCount === this.suffixEnds.length) {
      const bigger = new Uint32Array(2 * this.suffixEnds.length);
      bigger.set(this.suffixEnds);
      this.suffixEnds = bigger;
    }
    let p = at;
    for (const b of pieces) p = copy(this.suffixBytes, p, b);
    const index = this.suffixCount++;
    this.suffixEnds[index] = p;
    if (this.suffixDense !== undefined) this.suffixDense[key] = index;
    else this.suffixMap.set(key, index);
    return index;
  }

  /** The leaf at position `i` of the claim_id order, into `out` at `at`. */
  leaf(i: number, out: Uint8Array, at: number): void {
    sha256Into(this.message(i), out, at);
  }

  /**
   * The message of the leaf at position `i` of the claim_id order: valid until the next call (a
   * message kept per cell, status, cent and id length with this id's bytes copied in, or a view
   * of the assembly buffer).
   */
  private message(i: number): Uint8Array {
    const { parts, ids, statusIndex, cellOf, extraCent, order, kept } = this.src;
    const row = order === undefined ? i : order[i]!;
    const c = cellOf[row]!;
    const start = row === 0 ? 0 : ids.ends[row - 1]!;
    const end = ids.ends[row]!;
    const len = end - start;
    if (kept === undefined && len < 256) {
      // The whole message but the id's bytes is the same for every row of this cell, status,
      // cent and id length: made once, and only the id is copied in.
      // × 256, not << 8: a shift would cut the key to 32 bits, and keys of 2^24 cells × statuses
      // and more would meet those of other cells (exact below 2^53).
      const key = ((c * this.nStatuses + statusIndex[row]!) * 2 + extraCent[row]!) * 256 + len;
      let m = this.messages.get(key);
      if (m === undefined) {
        this.generalLeaf(row, c, start, end);
        m = this.buf.slice(0, this.last);
        this.messages.set(key, m);
      }
      const idAt = parts.head.length + (len < 10 ? 1 : len < 100 ? 2 : 3) + 1;
      const idBytes = ids.bytes;
      for (let k = 0; k < len; k++) m[idAt + k] = idBytes[start + k]!;
      return m;
    }
    this.generalLeaf(row, c, start, end);
    let view = this.views[this.last];
    if (view === undefined) view = this.views[this.last] = this.buf.subarray(0, this.last);
    return view;
  }

  /** Assembles row `row`'s leaf message in `buf` (its length in `last`). */
  private generalLeaf(row: number, c: number, start: number, end: number): void {
    const { parts, ids, statusIndex, extraCent, kept } = this.src;
    const len = end - start;
    const head = parts.head;
    const cellHead = parts.cellHead[c]!;
    const status = parts.statuses[statusIndex[row]!]!;
    const tail = parts.cellTail[c]!;
    const amount = parts.amounts[c * 2 + extraCent[row]!]!;
    let need = head.length + 12 + len + cellHead.length + status.length + tail.length + amount.length;
    let keptCells: Uint8Array[] | undefined;
    if (kept !== undefined) {
      keptCells = kept.map((col) => netstringOf(col.values[row] ?? ''));
      for (let k = 0; k < kept.length; k++) need += kept[k]!.name.length + keptCells[k]!.length;
    }
    if (need > this.buf.length) {
      this.buf = new Uint8Array(need * 2);
      this.views = [];
    }
    const b = this.buf;
    let p = copy(b, 0, head);
    // netstring(id): its length in decimal digits, ':', the bytes, ','.
    if (len < 10) b[p++] = 0x30 + len;
    else if (len < 100) {
      b[p++] = 0x30 + ((len / 10) | 0);
      b[p++] = 0x30 + (len % 10);
    } else {
      const digits = String(len);
      for (let k = 0; k < digits.length; k++) b[p++] = digits.charCodeAt(k);
    }
    b[p++] = 0x3a; // :
    const idBytes = ids.bytes;
    for (let k = start; k < end; k++) b[p++] = idBytes[k]!;
    b[p++] = 0x2c; // ,
    p = copy(b, p, cellHead);
    p = copy(b, p, status);
    p = copy(b, p, tail);
    p = copy(b, p, amount);
    // (Loops, not closures: a variable a closure assigns lives on the heap, and `p` is hot.)
    if (kept !== undefined) for (let k = 0; k < kept.length; k++) p = copy(b, copy(b, p, kept[k]!.name), keptCells![k]!);
    this.last = p;
  }
}

/** One level of a subtree: its digests laid out in pairs as node messages, 0x01 ‖ left ‖ right. */
interface PairLevel {
  bytes: Uint8Array;
  /** Per pair, the view of its 65-byte message (made once: a view per hash would cost a sixth of it). */
  views: Uint8Array[];
}

const PAIR_BYTES = 1 + 2 * DIGEST_BYTES;

/** Where digest `j` of a level goes: in pair j >> 1, after the 0x01, left or right. */
const pairOffset = (j: number): number => (j >> 1) * PAIR_BYTES + 1 + (j & 1) * DIGEST_BYTES;

/**
 * The levels of a subtree of `leaves` leaves, each laid out so that a node's message (core/merkle.ts:
 * 0x01 ‖ left ‖ right) is already in place when its two children are written: the digests are
 * hashed where they are, not copied into a message first.
 */
function pairLevels(leaves: number): PairLevel[] {
  const levels: PairLevel[] = [];
  for (let n = leaves; ; n = Math.ceil(n / 2)) {
    const pairs = Math.ceil(n / 2);
    const bytes = new Uint8Array(pairs * PAIR_BYTES);
    const views: Uint8Array[] = [];
    for (let q = 0; q < pairs; q++) {
      bytes[q * PAIR_BYTES] = 0x01;
      views.push(bytes.subarray(q * PAIR_BYTES, (q + 1) * PAIR_BYTES));
    }
    levels.push({ bytes, views });
    if (n === 1) return levels;
  }
}

/** Copies short byte strings with a loop: cheaper than a native `set` call at these lengths. */
function copy(out: Uint8Array, p: number, bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) out[p++] = bytes[k]!;
  return p;
}
