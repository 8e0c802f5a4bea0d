/**
 * Claimant receipts (docs/receipts.md): a Merkle tree over the rows of a ledger, so that one
 * published root lets each claimant check their own row with a short proof and nothing else.
 *
 * Encoding `payout-merkle/1`:
 * - leaf = SHA-256(0x00 ‖ netstring(column) ‖ netstring(cell) ‖ … for every ledger column in the
 *   ledger's order), where netstring(s) = the decimal byte length of s's UTF-8, `:`, the bytes, `,`;
 *   a cell is the text as read back from ledger.csv (formula guard removed, CSV quoting undone);
 * - leaves sorted by claim_id in code-point order (the order of their UTF-8 bytes);
 * - node = SHA-256(0x01 ‖ left ‖ right), pairing each level's nodes in order; the last node of a
 *   level with an odd count is promoted to the next level unchanged; the root is the last one left.
 * The 0x00 / 0x01 prefixes keep a leaf from ever being read as a node (and the other way round).
 *
 * Pure: SHA-256 is passed in (src/io/receipts-hash.ts gives node:crypto's), so this module has no I/O.
 */
import { countOf } from './display-numbers.js';


export const MERKLE_ENCODING = 'payout-merkle/1';

/**
 * SHA-256 of `bytes`, its 32 bytes written into `out` at `at` (no digest object per hash: a
 * million rows are two million hashes).
 */
export type Sha256 = (bytes: Uint8Array, out: Uint8Array, at: number) => void;

/** SHA-256 of `bytes` as a new array. */
export function digest(sha256: Sha256, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(DIGEST_BYTES);
  sha256(bytes, out, 0);
  return out;
}

export const DIGEST_BYTES = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

const utf8 = new TextEncoder();

/** The bytes a leaf hashes: 0x00, then netstring(column) ‖ netstring(cell) per column. */
export function leafMessage(columns: readonly string[], cells: readonly string[]): Uint8Array {
  if (columns.length !== cells.length) throw new RangeError(`internal: ${countOf(columns.length, 'column')}, ${countOf(cells.length, 'cell')}`);
  const parts: Uint8Array[] = [Uint8Array.of(LEAF_PREFIX)];
  for (let i = 0; i < columns.length; i++) {
    parts.push(netstring(utf8.encode(columns[i]!)), netstring(utf8.encode(cells[i]!)));
  }
  return concat(parts);
}

/** `len:bytes,` with len the decimal byte count. */
export function netstring(bytes: Uint8Array): Uint8Array {
  return concat([utf8.encode(`${bytes.length}:`), bytes, Uint8Array.of(0x2c)]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** The leaf hash of a row. */
export function leafHash(columns: readonly string[], cells: readonly string[], sha256: Sha256): Uint8Array {
  return digest(sha256, leafMessage(columns, cells));
}

/** The hash of an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array, sha256: Sha256): Uint8Array {
  const m = new Uint8Array(1 + 2 * DIGEST_BYTES);
  m[0] = NODE_PREFIX;
  m.set(left.subarray(0, DIGEST_BYTES), 1);
  m.set(right.subarray(0, DIGEST_BYTES), 1 + DIGEST_BYTES);
  return digest(sha256, m);
}

/**
 * The next level up from `count` digests packed in `level` (32 bytes each): pairs hashed in order,
 * an odd last digest promoted unchanged.
 */
export function nextLevel(level: Uint8Array, count: number, sha256: Sha256): Uint8Array {
  const up = Math.ceil(count / 2);
  const out = new Uint8Array(up * DIGEST_BYTES);
  const m = new Uint8Array(1 + 2 * DIGEST_BYTES);
  m[0] = NODE_PREFIX;
  for (let i = 0; i + 1 < count; i += 2) {
    // A loop, not `set(subarray)`: 64 bytes cost less to copy than a view costs to make.
    const from = i * DIGEST_BYTES;
    for (let k = 0; k < 2 * DIGEST_BYTES; k++) m[1 + k] = level[from + k]!;
    sha256(m, out, (i / 2) * DIGEST_BYTES);
  }
  if (count % 2 === 1) out.set(level.subarray((count - 1) * DIGEST_BYTES, count * DIGEST_BYTES), (up - 1) * DIGEST_BYTES);
  return out;
}

/**
 * The root over `count` leaf digests packed in sorted order. A ledger without rows has no leaf:
 * its root is SHA-256 of the empty string (documented; no proof can lead to it).
 */
export function merkleRoot(leaves: Uint8Array, count: number, sha256: Sha256): Uint8Array {
  if (count === 0) return digest(sha256, new Uint8Array(0));
  let level = leaves;
  let n = count;
  while (n > 1) {
    level = nextLevel(level, n, sha256);
    n = Math.ceil(n / 2);
  }
  return level.slice(0, DIGEST_BYTES);
}

/** One step of a proof: the sibling's hash and on which side of the running hash it goes. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

/** The root and the proof of leaf `index` (in sorted order) among `count` packed leaves. */
export function merkleProof(leaves: Uint8Array, count: number, index: number, sha256: Sha256): { root: Uint8Array; proof: ProofStep[] } {
  if (!(index >= 0 && index < count)) throw new RangeError(`internal: leaf ${index} of ${count}`);
  const proof: ProofStep[] = [];
  let level = leaves;
  let n = count;
  let i = index;
  while (n > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    // The last node of an odd level has no sibling: promoted, no step.
    if (sibling < n) {
      proof.push({ side: i % 2 === 0 ? 'right' : 'left', hash: toHex(level.subarray(sibling * DIGEST_BYTES, (sibling + 1) * DIGEST_BYTES)) });
    }
    level = nextLevel(level, n, sha256);
    n = Math.ceil(n / 2);
    i = Math.floor(i / 2);
  }
  return { root: level.slice(0, DIGEST_BYTES), proof };
}

/** The root a leaf and its proof lead to. */
export function rootFromProof(leaf: Uint8Array, proof: readonly ProofStep[], sha256: Sha256): Uint8Array {
  let h = leaf;
  for (const step of proof) {
    const sibling = fromHex(step.hash);
    h = step.side === 'left' ? nodeHash(sibling, h, sha256) : nodeHash(h, sibling, sha256);
  }
  return h;
}

/** Code-point order of two strings given as UTF-8 bytes (the same order: UTF-8 keeps it). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** Lowercase or uppercase hex of a SHA-256 (64 digits) → its bytes; undefined when it is not one. */
export function digestFromHex(hex: string): Uint8Array | undefined {
  return /^[0-9a-fA-F]{64}$/.test(hex) ? fromHex(hex) : undefined;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
