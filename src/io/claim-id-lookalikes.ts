/**
 * Claim ids that differ but look alike (issue 18): the same after Unicode normalization (NFC:
 * `café` written with é or with e + U+0301), without invisible characters (zero-width space and
 * the other default-ignorable code points) and ignoring case. docs/spec.md §2 keeps exact ids the
 * rule: such claims are different claims and both are paid. An administrator must see them, so
 * each look-alike is a warning naming both lines (code `lookalike_claim_id`).
 *
 * One pass over the table's ids after the reading, on their UTF-8 bytes: an ASCII id's key is its
 * bytes lowercased, hashed without making a string; only an id with other characters is
 * normalized as a string. ~20 bytes a claim while it runs.
 */
import type { ClaimIds } from '../core/claims.js';

/** The key two look-alike ids share. */
export function lookAlikeKey(id: string): string {
  return id
    .normalize('NFC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFC');
}

export interface LookAlike {
  /** Table rows: the first id with this key, and a later one. */
  firstRow: number;
  row: number;
}

const encoder = new TextEncoder();

/** FNV-1a over bytes, ASCII letters lowercased. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    let b = bytes[i] as number;
    if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    h = Math.imul(h ^ b, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Every later row whose id looks like an earlier row's (a different id: exact repeats are errors, not in the table). */
export function findLookAlikeIds(ids: ClaimIds): LookAlike[] {
  const n = ids.length;
  const found: LookAlike[] = [];
  if (n < 2) return found;
  const bytes = ids.bytes;
  /** Keys of the ids that are not plain ASCII, as UTF-8 bytes: few, kept by row. */
  const otherKeys = new Map<number, Uint8Array>();
  const keyBytes = (row: number): { b: Uint8Array; s: number; e: number } => {
    const other = otherKeys.get(row);
    return other !== undefined ? { b: other, s: 0, e: other.length } : { b: bytes, s: ids.start(row), e: ids.end(row) };
  };
  const sameKey = (a: number, b: number): boolean => {
    const x = keyBytes(a);
    const y = keyBytes(b);
    if (x.e - x.s !== y.e - y.s) return false;
    for (let i = 0; i < x.e - x.s; i++) {
      let p = x.b[x.s + i] as number;
      let q = y.b[y.s + i] as number;
      if (p >= 0x41 && p <= 0x5a) p |= 0x20;
      if (q >= 0x41 && q <= 0x5a) q |= 0x20;
      if (p !== q) return false;
    }
    return true;
  };
  let capacity = 16;
  while (capacity < n * 2) capacity *= 2;
  const rows = new Int32Array(capacity); // row + 1, 0 = empty
  const hashes = new Uint32Array(capacity);
  for (let row = 0; row < n; row++) {
    const start = ids.start(row);
    const end = ids.end(row);
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    let h: number;
    if (ascii) h = hashBytes(bytes, start, end);
    else {
      const key = encoder.encode(lookAlikeKey(ids.get(row)));
      otherKeys.set(row, key);
      h = hashBytes(key, 0, key.length);
    }
    let i = h & (capacity - 1);
    for (;;) {
      const r = rows[i] as number;
      if (r === 0) {
        rows[i] = row + 1;
        hashes[i] = h;
        break;
      }
      if (hashes[i] === h && sameKey(r - 1, row)) {
        found.push({ firstRow: r - 1, row });
        break;
      }
      i = (i + 1) & (capacity - 1);
    }
  }
  return found;
}
