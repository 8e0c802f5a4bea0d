/**
 * Compact "seen before on line N?" tables for the duplicate checks of a claims file.
 *
 * A JavaScript Map with a million string keys costs about a microsecond per insert and keeps a
 * string and a 30-byte entry per key. These tables are open-addressed typed arrays instead:
 *
 * - `ExactLineIndex` (claim ids, errors): stores a reference to a string the caller keeps anyway
 *   and compares the strings on a hash hit, so it is exact.
 * - `HashedLineIndex` (emails, names and addresses, warnings): keeps only a 64-bit hash of the
 *   key and the line. Two different keys share a hash with a probability of about n²/2^65
 *   (3 in 100 million for a million claims); the cost of that would be one false "possible
 *   duplicate" warning, never a payout.
 */

/** 32-bit FNV-1a over UTF-16 code units, with a final mix so that the low bits spread well. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 64-bit string hash in two 32-bit halves (the cyrb53 construction, both lanes kept).
 * Feed code units with `add`, read `hi`/`lo` after `finish`.
 */
export class Hash64 {
  private h1 = 0;
  private h2 = 0;
  hi = 0;
  lo = 0;

  start(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    return this;
  }

  add(code: number): void {
    this.h1 = Math.imul(this.h1 ^ code, 2654435761);
    this.h2 = Math.imul(this.h2 ^ code, 1597334677);
  }

  addString(s: string): void {
    for (let i = 0; i < s.length; i++) this.add(s.charCodeAt(i));
  }

  finish(): this {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h2 >>> 0;
    this.lo = h1 >>> 0;
    return this;
  }
}

const INITIAL_CAPACITY = 1 << 12;

/**
 * Maps a 64-bit hash to the first line it was seen on. `firstLine(hi, lo, line)` returns the
 * earlier line for that hash, or 0 after recording `line` as the first.
 */
export class HashedLineIndex {
  private hi = new Uint32Array(INITIAL_CAPACITY);
  private lo = new Uint32Array(INITIAL_CAPACITY);
  private lines = new Uint32Array(INITIAL_CAPACITY);
  private size = 0;

  firstLine(hi: number, lo: number, line: number): number {
    const mask = this.lines.length - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const at = this.lines[i] as number;
      if (at === 0) break;
      if (this.lo[i] === lo && this.hi[i] === hi) return at;
      i = (i + 1) & mask;
    }
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.lines[i] = line;
    if (++this.size * 2 > this.lines.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const cap = lines.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.lines = new Uint32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j] as number;
      if (line === 0) continue;
      const h = hi[j] as number;
      const l = lo[j] as number;
      let i = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.lines[i] = line;
    }
  }
}

/**
 * Exact duplicate detection over strings the caller stores: each entry is a non-zero reference
 * that `keyOf(ref)` turns back into the key. `find(key, hash)` returns the reference of an equal
 * key or 0; `insert(hash, ref)` records a new one (after `find` returned 0).
 */
export class ExactLineIndex {
  private hashes = new Uint32Array(INITIAL_CAPACITY);
  private refs = new Int32Array(INITIAL_CAPACITY);
  private size = 0;

  constructor(private readonly keyOf: (ref: number) => string) {}

  find(key: string, hash: number): number {
    const mask = this.refs.length - 1;
    let i = hash & mask;
    for (;;) {
      const ref = this.refs[i] as number;
      if (ref === 0) return 0;
      if (this.hashes[i] === hash && this.keyOf(ref) === key) return ref;
      i = (i + 1) & mask;
    }
  }

  insert(hash: number, ref: number): void {
    const mask = this.refs.length - 1;
    let i = hash & mask;
    while (this.refs[i] !== 0) i = (i + 1) & mask;
    this.hashes[i] = hash;
    this.refs[i] = ref;
    if (++this.size * 2 > this.refs.length) this.grow();
  }

  private grow(): void {
    const { hashes, refs } = this;
    const cap = refs.length * 2;
    this.hashes = new Uint32Array(cap);
    this.refs = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < refs.length; j++) {
      const ref = refs[j] as number;
      if (ref === 0) continue;
      const h = hashes[j] as number;
      let i = h & mask;
      while (this.refs[i] !== 0) i = (i + 1) & mask;
      this.hashes[i] = h;
      this.refs[i] = ref;
    }
  }
}
