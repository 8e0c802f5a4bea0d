/**
 * The claims as the core sees them: a compact, column-wise table built by the reader in
 * src/io/claims-reader.ts. A million claims must not cost a million objects, so every column is a
 * typed array or an index into a small table of distinct values; only the claim ids are kept as
 * strings (the ledger and the tie-break need them).
 */
import type { Dec } from './decimal.js';

/** The columns payout reads; everything else is carried (and copied to the ledger with --keep). */
export const CLAIM_FIELDS = ['claim_id', 'class', 'units', 'status', 'email', 'name', 'address'] as const;
export type ClaimField = (typeof CLAIM_FIELDS)[number];

/** One distinct units value as written in the claims file, normalised. */
export interface UnitsValue {
  /** Shortest decimal text, e.g. `"1"`, `"1.5"` (what the ledger prints). */
  text: string;
  /** Exact value, at most 6 decimal places (docs/spec.md §2). */
  value: Dec;
}

/**
 * A per-row index into a short list (classes, units values, statuses): one byte a row while the
 * list has at most 256 entries, as it nearly always does, two or four past that (5M claims: 25 MB
 * less than 2 + 4 + 2 bytes a row).
 */
export type RowIndexArray = Uint8Array | Uint16Array | Uint32Array;

export interface ClaimTable {
  /** Number of claim rows (the header and skipped blank rows not counted). */
  count: number;
  /** claim_id per row, in input order, trimmed. */
  ids: ClaimIds;
  /** Physical line on which each row's record starts (header = line 1). */
  lines: Uint32Array;
  /** Index into `plan.classes` per row. */
  classIndex: RowIndexArray;
  /** Index into `units` per row. */
  unitsIndex: RowIndexArray;
  /** Distinct units values. */
  units: UnitsValue[];
  /** Index into `statuses` per row. */
  statusIndex: RowIndexArray;
  /** Distinct statuses, trimmed and lower-cased (`approved`, `rejected`, …). */
  statuses: string[];
  /** Columns the user asked to carry into the ledger (`--keep`), by the name given, one string per row. */
  kept: Map<string, string[]>;
}

// ignoreBOM: a U+FEFF at the start of an id is part of it (the worker and the ledger keep it too).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * The claim ids of a table, in row order: their UTF-8 bytes one after another and where each ends.
 * A million ids as strings are a million heap objects (~40 bytes each, copied by every young-
 * generation collection while the file is read); here they are ~10 bytes each in two typed
 * arrays. `get` decodes one id when it is wanted (an explanation, a tie-break key at the cut-off,
 * a row compared by verify); the ledger copies the bytes (`bytes`, `start`, `end`).
 *
 * With `shared`, both arrays live in shared memory (SharedArrayBuffer) from the first id on, and
 * stay there as they grow: the ledger and receipts workers then read the very arrays the reader
 * filled (`view`), where a copy would cost ~14 bytes a claim more while the ledger is written.
 */
export class ClaimIds {
  #bytes: Uint8Array;
  /** ends[i]: the end of id i in `bytes` (its start is ends[i - 1], or 0). */
  #ends: Uint32Array;
  #count = 0;
  #length = 0;
  readonly #shared: boolean;
  /** Every id pushed so far is ASCII: its bytes are its UTF-16 code units. */
  #ascii = true;
  /** Set by `noteIncreasing` (see `inCodePointOrder`); the next push clears it. */
  #ordered = false;

  constructor(rows = 1024, bytesPerId = 12, options: { shared?: boolean } = {}) {
    this.#shared = options.shared === true;
    this.#ends = this.#u32(Math.max(16, rows));
    this.#bytes = this.#u8(Math.max(256, rows * bytesPerId));
  }

  /** Whether the ids are in shared memory (see the class). */
  get shared(): boolean {
    return this.#shared;
  }

  #u8 = (n: number): Uint8Array => (this.#shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
  #u32 = (n: number): Uint32Array => (this.#shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n));

  /** A table's ids from strings (tests, small tables). */
  static from(ids: Iterable<string>): ClaimIds {
    const out = new ClaimIds();
    for (const id of ids) out.push(id);
    return out;
  }

  /** The ids of a `slice` (posted from another thread), without copying them again. */
  static fromSlice(slice: { bytes: Uint8Array; ends: Uint32Array }): ClaimIds {
    const out = new ClaimIds(0, 0);
    out.#bytes = slice.bytes;
    out.#ends = slice.ends;
    out.#count = slice.ends.length;
    out.#length = slice.ends.length > 0 ? (slice.ends[slice.ends.length - 1] as number) : 0;
    out.#ascii = false; // not known
    return out;
  }

  get length(): number {
    return this.#count;
  }

  /** Room for `rows` ids in all, of about `bytesPerId` bytes (a guess: only saves copies). */
  reserve(rows: number, bytesPerId = 12): void {
    if (rows > this.#ends.length) this.#ends = grown(this.#ends, Math.ceil(rows), this.#count, this.#u32);
    const bytes = Math.ceil(rows * bytesPerId);
    if (bytes > this.#bytes.length) this.#bytes = grown(this.#bytes, bytes, this.#length, this.#u8);
  }

  push(id: string): void {
    const n = id.length;
    if (this.#count === this.#ends.length) this.#ends = grown(this.#ends, this.#ends.length * 2, this.#count, this.#u32);
    // ASCII is copied code by code; anything else is encoded (at most 3 bytes per UTF-16 unit).
    if (this.#length + n * 3 > this.#bytes.length) {
      this.#bytes = grown(this.#bytes, Math.max(this.#bytes.length * 2, this.#length + n * 3), this.#length, this.#u8);
    }
    const bytes = this.#bytes;
    let at = this.#length;
    let i = 0;
    for (; i < n; i++) {
      const c = id.charCodeAt(i);
      if (c >= 0x80) break;
      bytes[at + i] = c;
    }
    if (i < n) {
      at += utf8Encoder.encodeInto(id, bytes.subarray(at)).written;
      this.#ascii = false;
    } else at += n;
    this.#ordered = false;
    this.#length = at;
    this.#ends[this.#count++] = at;
  }

  /**
   * For the reader, once it has seen every id come after the one before as JavaScript strings
   * (UTF-16 code units): when every id is ASCII that is also the order of their bytes, so
   * `inCodePointOrder` is true until the next push.
   */
  noteIncreasing(): void {
    this.#ordered = this.#ascii;
  }

  /**
   * The ids are known to be in increasing code-point order (the order of their UTF-8 bytes, the
   * receipts tree's: receipts-root.ts `claimIdOrder` need not check it). False when not known.
   */
  get inCodePointOrder(): boolean {
    return this.#ordered;
  }

  start(row: number): number {
    return row === 0 ? 0 : (this.#ends[row - 1] as number);
  }

  end(row: number): number {
    return this.#ends[row] as number;
  }

  /** The bytes the ids are in (valid until the next push). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Id `row` as text. */
  get(row: number): string {
    if (row < 0 || row >= this.#count) throw new RangeError(`claim id ${row} of ${this.#count}`);
    const s = this.start(row);
    const e = this.#ends[row] as number;
    const bytes = this.#bytes;
    if (e - s <= 32) {
      // Short ASCII ids (nearly all): no decoder call.
      let text = '';
      for (let i = s; i < e; i++) {
        const c = bytes[i] as number;
        if (c >= 0x80) return utf8.decode(bytes.subarray(s, e));
        text += String.fromCharCode(c);
      }
      return text;
    }
    return utf8.decode(bytes.subarray(s, e));
  }

  /** Every id as text, in row order (small tables, tests). */
  toArray(): string[] {
    return Array.from({ length: this.#count }, (_, row) => this.get(row));
  }

  /** Every id, as `slice(0, length)` gives them but without a copy: views, valid until the next push. */
  view(): { bytes: Uint8Array; ends: Uint32Array } {
    return { bytes: this.#bytes.subarray(0, this.#length), ends: this.#ends.subarray(0, this.#count) };
  }

  /** Ids [from, to) as copies: their bytes and where each ends, counted from the first. */
  slice(from: number, to: number): { bytes: Uint8Array; ends: Uint32Array } {
    if (to <= from) return { bytes: new Uint8Array(0), ends: new Uint32Array(0) };
    const base = this.start(from);
    const ends = this.#ends.slice(from, to);
    for (let i = 0; i < ends.length; i++) ends[i] = (ends[i] as number) - base;
    return { bytes: this.#bytes.slice(base, this.end(to - 1)), ends };
  }
}

function grown<T extends Uint8Array | Uint32Array>(a: T, size: number, used: number, make: (n: number) => T): T {
  const b = make(size);
  b.set(a.subarray(0, used));
  return b;
}
