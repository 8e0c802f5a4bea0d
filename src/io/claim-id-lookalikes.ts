/**
 * Claim ids that differ but look alike (issue 18): the same after Unicode normalization (NFC:
 * `café` written with é or with e + U+0301), without invisible characters (zero-width space and
 * the other default-ignorable code points) and ignoring case. docs/spec.md §2 keeps exact ids the
 * rule: such claims are different claims and both are paid. An administrator must see them, so
 * each look-alike is a warning naming both lines (code `lookalike_claim_id`).
 *
 * One pass over the table's ids after the reading, on their UTF-8 bytes: an ASCII id's key is its
 * bytes lowercased, hashed without making a string; only an id with other characters is
 * normalized as a string. 12 bytes a claim while it runs, less past 8M claims: see `findLookAlikeIds`.
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

/**
 * Rows one pass of `findLookAlikeIds` sorts at most (8 bytes each: the row and its key's hash):
 * 64 MiB. A larger table takes several passes, each over the rows of its share of the buckets;
 * each row's hash (4 bytes) is kept for all of them.
 */
export const LOOKALIKE_PASS_ROWS = 1 << 23;
/** Rows a bucket holds, about: its table (two words a slot, at most half full) stays in the CPU's cache. */
const BUCKET_ROWS = 1 << 11;

/** The passes and the working memory (bytes) of `findLookAlikeIds` over `rows` ids. */
export function lookAlikeWork(rows: number, passRows = LOOKALIKE_PASS_ROWS): { passes: number; bytes: number } {
  const passes = Math.max(1, Math.ceil(rows / passRows));
  return { passes, bytes: rows * 4 + Math.ceil(rows / passes) * 8 };
}

/**
 * Every later row whose id looks like an earlier row's (a different id: exact repeats are errors,
 * not in the table), in row order, each with the first row of its key.
 *
 * Ids with the same key have the same hash, so they fall in the same bucket (the hash's high
 * bits): the rows are sorted into buckets of ~2,000 (a counting sort, rows kept in order), and
 * each bucket is checked in a table small enough for the cache. One table over all the rows (16
 * bytes a claim and more, each look-up a cache miss) took ~0.2 s a million claims on the reading
 * thread while the other core was idle, and 512 MiB at 20 million.
 */
export function findLookAlikeIds(ids: ClaimIds, passRows = LOOKALIKE_PASS_ROWS): LookAlike[] {
  const n = ids.length;
  const found: LookAlike[] = [];
  if (n < 2) return found;
  const bytes = ids.bytes;
  /** Keys of the ids that are not plain ASCII, as UTF-8 bytes, and their hashes: few, kept by row. */
  const otherKeys = new Map<number, { key: Uint8Array; hash: number }>();
  /** The hash of a row whose id is not plain ASCII: that of its key's UTF-8 bytes. */
  const otherHash = (row: number): number => {
    let other = otherKeys.get(row);
    if (other === undefined) {
      const key = encoder.encode(lookAlikeKey(ids.get(row)));
      other = { key, hash: hashBytes(key, 0, key.length) };
      otherKeys.set(row, other);
    }
    return other.hash;
  };
  const keyBytes = (row: number): { b: Uint8Array; s: number; e: number } => {
    const other = otherKeys.get(row);
    return other !== undefined ? { b: other.key, s: 0, e: other.key.length } : { b: bytes, s: ids.start(row), e: ids.end(row) };
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

  let bucketBits = 0;
  while (bucketBits < 24 && n >> bucketBits > BUCKET_ROWS) bucketBits++;
  const buckets = 1 << bucketBits;
  const bucketOf = (h: number): number => (bucketBits === 0 ? 0 : h >>> (32 - bucketBits));
  const counts = new Uint32Array(buckets);
  const hashes = new Uint32Array(n);
  // hashBytes over each id, inlined, with the check for bytes past ASCII in the same loop (one
  // read of the bytes, not two; no call a row): 46 ms against 55 at 1M once compiled, 62-63 against 65-66 the first time.
  const ends = ids.view().ends;
  const shift = 32 - bucketBits;
  for (let row = 0, start = 0; row < n; row++) {
    const end = ends[row] as number;
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = start; i < end; i++) {
      let b = bytes[i] as number;
      high |= b;
      if (b >= 0x41 && b <= 0x5a) b |= 0x20;
      h = Math.imul(h ^ b, 0x01000193);
    }
    start = end;
    if (high >= 0x80) h = otherHash(row);
    else {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h >>>= 0;
    }
    hashes[row] = h;
    counts[bucketBits === 0 ? 0 : h >>> shift]!++;
  }
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, counts[b]!);
  let cap = 16;
  while (cap < largest * 2) cap *= 2;
  /** A bucket's table: [hash, row + 1] a slot, 0 = empty; cleared for each bucket. */
  const slots = new Int32Array(cap * 2);

  const { passes } = lookAlikeWork(n, passRows);
  /** Per bucket of the pass: where its next row goes in `sorted`. */
  const next = new Uint32Array(buckets);
  let sorted = new Int32Array(0);
  for (let pass = 0, from = 0; pass < passes; pass++) {
    // Buckets [from, to): about n / passes rows.
    const to = pass === passes - 1 ? buckets : Math.max(from, Math.round(((pass + 1) * buckets) / passes));
    let rows = 0;
    for (let b = from; b < to; b++) {
      next[b] = rows;
      rows += counts[b]!;
    }
    if (sorted.length < rows * 2) sorted = new Int32Array(rows * 2);
    for (let row = 0; row < n; row++) {
      const h = hashes[row]!;
      const b = bucketOf(h);
      if (b < from || b >= to) continue;
      const at = next[b]!++ * 2;
      sorted[at] = row;
      sorted[at + 1] = h;
    }
    for (let b = from, at = 0; b < to; b++) {
      const count = counts[b]!;
      let size = 16;
      while (size < count * 2) size *= 2;
      slots.fill(0, 0, size * 2);
      for (const end = at + count * 2; at < end; at += 2) {
        const row = sorted[at]!;
        const h = sorted[at + 1]!;
        let i = h & (size - 1);
        for (;;) {
          const r = slots[i * 2 + 1]!;
          if (r === 0) {
            slots[i * 2] = h;
            slots[i * 2 + 1] = row + 1;
            break;
          }
          if (slots[i * 2] === h && sameKey(r - 1, row)) {
            found.push({ firstRow: r - 1, row });
            break;
          }
          i = (i + 1) & (size - 1);
        }
      }
    }
    from = to;
  }
  return found.sort((a, b) => a.row - b.row);
}
