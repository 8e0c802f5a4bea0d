/**
 * Compact "seen before on line N?" tables for the duplicate checks of a claims file.
 *
 * A JavaScript Map with a million string keys costs about a microsecond per insert and keeps a
 * string and a 30-byte entry per key. These tables are open-addressed typed arrays instead, one
 * array of adjacent words per table (a lookup is one cache miss), sized ahead from the file's
 * length when the reader can guess the row count (`reserve`):
 *
 * - `ExactLineIndex` (claim ids, errors): stores a reference to a string the caller keeps anyway
 *   and compares the strings on a hash hit, so it is exact.
 * - `HashedLineIndex` (emails, names and addresses, warnings): keeps only a 64-bit hash of the
 *   key and the line. Two different keys share a hash with a probability of about n²/2^65
 *   (3 in 100 million for a million claims); the cost of that would be one false "possible
 *   duplicate" warning, never a payout.
 */

const INITIAL_CAPACITY = 1 << 12;
/**
 * ExactLineIndex grows past this load. Linear probing walks ~50 slots to add a key at 0.9 (~5 on
 * average while a table fills up to it), but it walks the tag bytes (see tagOf), one cache line or
 * two; the entries (8 bytes a slot) are what cost memory, so tables are sized to the load, not to
 * a power of two.
 */
const MAX_LOAD = 0.9;

/**
 * The load a HashedLineIndex is sized for and grows past (the duplicate-claimant checks). The walk
 * over the tags, not the cache misses, was most of a key's cost: adding 2M keys to two tables of
 * a million took 160–231 ms at 0.9, 126 ms at 0.75, 116–133 ms at 0.6, and the tables of the
 * spilled checks (dedupe-spill.ts), which stay in cache, 98 ms at 0.9 against 43 ms at 0.5. In
 * memory (files under 256 MiB, ~2.2M claims at most) 0.75: 17.3 bytes a key, ~6 MB more than at
 * 0.9 for the two tables of 1M claims; the spilled checks' one table of a partition at a time
 * (`PARTITION_LOAD`, 0.5) holds ~1/64 of a kind's keys: 8 MB at 20M claims, not 4.5.
 */
export const HASHED_LOAD = 0.75;
export const PARTITION_LOAD = 0.5;

/** The capacity that holds `n` keys at `load`. */
function capacityFor(n: number, load = MAX_LOAD): number {
  return Math.max(INITIAL_CAPACITY, Math.ceil(n / load) + 1);
}

/** A slot for a 32-bit hash, spread over any capacity by its high bits (a multiply, not a mask). */
const slotOf = (h: number, capacity: number): number => Math.floor(((h >>> 0) / 4294967296) * capacity);

/**
 * One byte per slot, 1-255 (0 = empty), from low hash bits (slotOf uses the high ones). A lookup
 * reads the tags first: a table of a million keys has ~1.3 MiB of them, which stay in cache, while
 * its entries (8 or 12 bytes a slot) do not; an entry is read only when its tag matches (one probe
 * in 255 for a new key), and written when a key is added. A cache miss costs ~150 ns here, more
 * than hashing the key.
 */
const tagOf = (h: number): number => h & 0xff || 1;

/**
 * Maps a 64-bit hash to the first line it was seen on. `firstLine(hi, lo, line)` returns the
 * earlier line for that hash, or 0 after recording `line` as the first. An entry is three
 * adjacent words (hi, lo, line), behind a tag byte (see tagOf).
 */
export class HashedLineIndex {
  private tags = new Uint8Array(INITIAL_CAPACITY);
  private slots = new Uint32Array(INITIAL_CAPACITY * 3);
  private capacity = INITIAL_CAPACITY;
  private size = 0;
  private limit: number;

  /** `load`: the load it is sized for and grows past (HASHED_LOAD, or PARTITION_LOAD). */
  constructor(private readonly load = HASHED_LOAD) {
    this.limit = INITIAL_CAPACITY * load;
  }

  /** Makes room for `n` keys in all, so that reading a large file does not grow the table step by step. */
  reserve(n: number): void {
    const cap = capacityFor(n, this.load);
    if (cap > this.capacity) this.rehash(cap);
  }

  /** The bytes the table holds (tags and entries). */
  get bytes(): number {
    return this.tags.byteLength + this.slots.byteLength;
  }

  /**
   * Forgets every key but keeps the memory, with room for `n` keys: one table checks partition
   * after partition (dedupe-spill.ts), instead of a fresh one each, whose first touch of every page
   * is a page fault (~128 MB of them for the spilled checks of 5M claims).
   */
  reset(n: number): void {
    const cap = capacityFor(n, this.load);
    if (cap > this.capacity) {
      this.tags = new Uint8Array(cap);
      this.slots = new Uint32Array(cap * 3);
      this.capacity = cap;
      this.limit = cap * this.load;
    } else this.tags.fill(0);
    this.size = 0;
  }

  /** Forgets every key and gives the memory back (the reading is over). */
  clear(): void {
    this.tags = new Uint8Array(INITIAL_CAPACITY);
    this.slots = new Uint32Array(INITIAL_CAPACITY * 3);
    this.capacity = INITIAL_CAPACITY;
    this.size = 0;
    this.limit = INITIAL_CAPACITY * this.load;
  }

  firstLine(hi: number, lo: number, line: number): number {
    const tags = this.tags;
    const capacity = this.capacity;
    const tag = tagOf(lo);
    let i = slotOf(lo ^ Math.imul(hi, 0x9e3779b1), capacity);
    for (;;) {
      const t = tags[i] as number;
      if (t === 0) {
        tags[i] = tag;
        const at = i * 3;
        this.slots[at] = hi;
        this.slots[at + 1] = lo;
        this.slots[at + 2] = line;
        if (++this.size > this.limit) this.rehash(capacity * 2);
        return 0;
      }
      if (t === tag) {
        const at = i * 3;
        if (this.slots[at + 1] === lo && this.slots[at] === hi) return this.slots[at + 2] as number;
      }
      if (++i === capacity) i = 0;
    }
  }

  private rehash(cap: number): void {
    const old = this.slots;
    const oldTags = this.tags;
    const tags = new Uint8Array(cap);
    const slots = new Uint32Array(cap * 3);
    for (let j = 0; j < oldTags.length; j++) {
      if (oldTags[j] === 0) continue;
      const hi = old[j * 3] as number;
      const lo = old[j * 3 + 1] as number;
      let i = slotOf(lo ^ Math.imul(hi, 0x9e3779b1), cap);
      while (tags[i] !== 0) if (++i === cap) i = 0;
      tags[i] = oldTags[j] as number;
      slots[i * 3] = hi;
      slots[i * 3 + 1] = lo;
      slots[i * 3 + 2] = old[j * 3 + 2] as number;
    }
    this.tags = tags;
    this.slots = slots;
    this.capacity = cap;
    this.limit = cap * this.load;
  }
}

/**
 * Exact duplicate detection over strings the caller stores: each entry is a non-zero reference
 * that `keyOf(ref)` turns back into the key. `find(key, hash)` returns the reference of an equal
 * key or 0; `insert(hash, ref)` records a new one (after `find` returned 0). An entry is two
 * adjacent words (hash, ref), behind a tag byte (see tagOf).
 */
export class ExactLineIndex {
  private tags = new Uint8Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY * 2);
  private capacity = INITIAL_CAPACITY;
  private size = 0;
  private limit = INITIAL_CAPACITY * MAX_LOAD;

  constructor(private readonly keyOf: (ref: number) => string) {}

  /** Makes room for `n` keys in all. */
  reserve(n: number): void {
    const cap = capacityFor(n);
    if (cap > this.capacity) this.rehash(cap);
  }

  /** The bytes the table holds (tags and entries). */
  get bytes(): number {
    return this.tags.byteLength + this.slots.byteLength;
  }

  /** Forgets every key and gives the memory back (the reading is over). */
  clear(): void {
    this.tags = new Uint8Array(INITIAL_CAPACITY);
    this.slots = new Int32Array(INITIAL_CAPACITY * 2);
    this.capacity = INITIAL_CAPACITY;
    this.size = 0;
    this.limit = INITIAL_CAPACITY * MAX_LOAD;
  }

  find(key: string, hash: number): number {
    const tags = this.tags;
    const capacity = this.capacity;
    const tag = tagOf(hash);
    const h = hash | 0;
    let i = slotOf(hash, capacity);
    for (;;) {
      const t = tags[i] as number;
      if (t === 0) return 0;
      if (t === tag && this.slots[i * 2] === h) {
        const ref = this.slots[i * 2 + 1] as number;
        if (this.keyOf(ref) === key) return ref;
      }
      if (++i === capacity) i = 0;
    }
  }

  insert(hash: number, ref: number): void {
    const tags = this.tags;
    const capacity = this.capacity;
    let i = slotOf(hash, capacity);
    while (tags[i] !== 0) if (++i === capacity) i = 0;
    tags[i] = tagOf(hash);
    this.slots[i * 2] = hash;
    this.slots[i * 2 + 1] = ref;
    if (++this.size > this.limit) this.rehash(capacity * 2);
  }

  private rehash(cap: number): void {
    const old = this.slots;
    const oldTags = this.tags;
    const tags = new Uint8Array(cap);
    const slots = new Int32Array(cap * 2);
    for (let j = 0; j < oldTags.length; j++) {
      if (oldTags[j] === 0) continue;
      const h = old[j * 2] as number;
      let i = slotOf(h, cap);
      while (tags[i] !== 0) if (++i === cap) i = 0;
      tags[i] = oldTags[j] as number;
      slots[i * 2] = h;
      slots[i * 2 + 1] = old[j * 2 + 1] as number;
    }
    this.tags = tags;
    this.slots = slots;
    this.capacity = cap;
    this.limit = cap * MAX_LOAD;
  }
}
