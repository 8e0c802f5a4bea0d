/**
 * The hashes behind the duplicate checks of a claims file, and the duplicate-claimant check
 * itself (docs/spec.md §2): the same email, or the same name and address, normalised.
 * `hash32` and `Hash64` key the tables of line-index.ts; the byte functions hash a cell straight
 * from the file's bytes without building its string.
 */
import { HashedLineIndex } from './line-index.js';

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
 * Feed code units with `add`, read `hi`/`lo` after `finish`. The lanes `h1`/`h2` are public so a
 * hot loop can keep them in local variables and store them back (see claims-reader.ts).
 */
export class Hash64 {
  h1 = 0;
  h2 = 0;
  hi = 0;
  lo = 0;

  start(): this {
    this.h1 = HASH64_SEED_1;
    this.h2 = HASH64_SEED_2;
    return this;
  }

  add(code: number): void {
    this.h1 = Math.imul(this.h1 ^ code, HASH64_MUL_1);
    this.h2 = Math.imul(this.h2 ^ code, HASH64_MUL_2);
  }

  addString(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, HASH64_MUL_1);
      h2 = Math.imul(h2 ^ c, HASH64_MUL_2);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  finish(): this {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507 | 0);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909 | 0);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507 | 0);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909 | 0);
    this.hi = h2 >>> 0;
    this.lo = h1 >>> 0;
    return this;
  }
}

// Written as int32 values (`| 0`: the same bits, so the same hashes): 2654435761 and 0xdeadbeef
// are above 2^31, doubles that every Math.imul of the hot loops converted again (~40% of the
// time hashing an email from its bytes).
const HASH64_SEED_1 = 0xdeadbeef | 0;
const HASH64_SEED_2 = 0x41c6ce57;
const HASH64_MUL_1 = 2654435761 | 0;
const HASH64_MUL_2 = 1597334677;

// ---------------------------------------------------------------------------------------------
// Possible duplicate claimants (docs/spec.md §2): the same email, or the same name and address.

/** Lower case, punctuation and symbols stripped, whitespace collapsed: "Smith,  Jr." and "smith jr" match. */
export function normaliseForMatch(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * How the ASCII fast path of `hashNormalised` treats each ASCII code: DROP for punctuation and
 * symbols (\p{P}, \p{S}), SPACE for whitespace (\s), else the code to feed (A-Z lower-cased).
 */
const DROP = -1;
const SPACE = -2;
/** A byte ≥ 0x80 (in the byte tables below): not ASCII, the text is hashed as text. */
const NON_ASCII = -3;
const NORMALISED_ASCII = Int16Array.from({ length: 0x100 }, (_, c) => {
  if (c >= 0x80) return NON_ASCII;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return SPACE;
  if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)) return DROP;
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
});

/**
 * The same for the characters U+0080 to U+00FF (index: the code minus 0x80), which UTF-8 writes
 * as two bytes, 0xC2 or 0xC3 then a continuation byte: accented Latin letters (é, ñ, ü: ~4% of the
 * names of the bench files), NBSP, ¿ and ©. Taken from `normaliseForMatch` itself: the character
 * lower-cased, then DROP when it is punctuation or a symbol, SPACE when it is white space, else
 * its code; NON_ASCII (the text is hashed as text) should one lower-case to more than one.
 */
const NORMALISED_LATIN1 = Int16Array.from({ length: 0x80 }, (_, k) => {
  const lower = String.fromCharCode(0x80 + k).toLowerCase();
  if (lower.length !== 1) return NON_ASCII;
  if (/[\p{P}\p{S}]/u.test(lower)) return DROP;
  if (/\s/.test(lower)) return SPACE;
  return lower.charCodeAt(0);
});

/** Per byte: the ASCII code lower-cased (A-Z), or NON_ASCII for a byte ≥ 0x80. */
const LOWER_ASCII = Int16Array.from({ length: 0x100 }, (_, c) => (c >= 0x80 ? NON_ASCII : c >= 0x41 && c <= 0x5a ? c + 0x20 : c));

/** Room for the ASCII text hashed through the byte functions below (longer text is hashed as text). */
const scratch = Buffer.allocUnsafe(1 << 12);
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** `s` written into `scratch` as bytes when it is ASCII and fits, else -1. */
function asciiBytes(s: string): number {
  return s.length <= scratch.length && ASCII_ONLY.test(s) ? scratch.write(s, 0, 'latin1') : -1;
}

/**
 * Feeds `normaliseForMatch(s)` into the hash; returns how many code units it fed, so an empty
 * value can be told apart. ASCII text (nearly every name and address) goes through
 * `hashNormalisedBytes` without building the normalised string; other text through the regular
 * expressions.
 */
export function hashNormalised(h: Hash64, s: string): number {
  const n = asciiBytes(s);
  if (n >= 0) return hashNormalisedBytes(h, scratch, 0, n);
  const slow = normaliseForMatch(s);
  h.addString(slow);
  return slow.length;
}

/** Feeds `s.trim().toLowerCase()` into the hash; returns how many code units it fed. */
export function hashLowerTrimmed(h: Hash64, s: string): number {
  const n = asciiBytes(s);
  if (n >= 0) return hashLowerTrimmedBytes(h, scratch, 0, n);
  const lower = s.trim().toLowerCase();
  h.addString(lower);
  return lower.length;
}

/** Not ASCII: the caller hashes the decoded text instead (what the byte functions below return then). */
export const NOT_ASCII = -1;

/**
 * `hashNormalised` over the UTF-8 bytes [start, end) of a cell with no doubled quotes, without
 * decoding them: ASCII bytes are the text's code units, and a character from U+0080 to U+00FF
 * (two bytes) is decoded on the way (NORMALISED_LATIN1). Returns NOT_ASCII (and leaves the hash
 * as it was) at any other byte ≥ 0x80, so the caller decodes and hashes the text. The hash lanes
 * live in local variables in the loop: this runs over every name and address of the file.
 */
export function hashNormalisedBytes(h: Hash64, bytes: Uint8Array, start: number, end: number): number {
  let h1 = h.h1;
  let h2 = h.h2;
  let fed = 0;
  let space = false;
  for (let i = start; i < end; i++) {
    // One table read a byte (a byte ≥ 0x80 included): most bytes are letters and digits to feed.
    let t = NORMALISED_ASCII[bytes[i] as number] as number;
    if (t === NON_ASCII) {
      // 0xC2 or 0xC3 and a continuation byte: U+0080 to U+00FF; anything else is hashed as text.
      const lead = bytes[i] as number;
      const next = i + 1 < end ? (bytes[i + 1] as number) : 0;
      if ((lead & 0xfe) !== 0xc2 || (next & 0xc0) !== 0x80) return NOT_ASCII;
      t = NORMALISED_LATIN1[((lead & 1) << 6) | (next & 0x3f)] as number;
      if (t === NON_ASCII) return NOT_ASCII;
      i++;
    }
    if (t >= 0) {
      if (space) {
        if (fed > 0) {
          h1 = Math.imul(h1 ^ 0x20, HASH64_MUL_1);
          h2 = Math.imul(h2 ^ 0x20, HASH64_MUL_2);
          fed++;
        }
        space = false;
      }
      h1 = Math.imul(h1 ^ t, HASH64_MUL_1);
      h2 = Math.imul(h2 ^ t, HASH64_MUL_2);
      fed++;
    } else if (t === SPACE) space = true;
  }
  h.h1 = h1;
  h.h2 = h2;
  return fed;
}

/** ASCII whitespace as String#trim sees it: tab, LF, VT, FF, CR, space. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** `hashLowerTrimmed` over the UTF-8 bytes [start, end) of a cell with no doubled quotes; NOT_ASCII as above. */
export function hashLowerTrimmedBytes(h: Hash64, bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isSpace(bytes[start] as number)) start++;
  while (end > start && isSpace(bytes[end - 1] as number)) end--;
  let h1 = h.h1;
  let h2 = h.h2;
  for (let i = start; i < end; i++) {
    const c = LOWER_ASCII[bytes[i] as number] as number;
    if (c === NON_ASCII) return NOT_ASCII;
    h1 = Math.imul(h1 ^ c, HASH64_MUL_1);
    h2 = Math.imul(h2 ^ c, HASH64_MUL_2);
  }
  h.h1 = h1;
  h.h2 = h2;
  return end - start;
}

/** What a duplicate email warning shows: the email as compared (a copy, never a slice of the file's text). */
export function claimantShown(email: string): string {
  return JSON.parse(JSON.stringify(email.trim().toLowerCase())) as string;
}

/** Where ClaimantIndex puts a key: `firstLine` as HashedLineIndex's (the earlier line, or 0 after recording this one). */
export interface LineTable {
  firstLine(hi: number, lo: number, line: number): number;
  reserve(n: number): void;
  clear(): void;
}

/**
 * The two duplicate-claimant checks of a claims file: the same email (trimmed, lower-cased), or the
 * same name and address (normalised, see normaliseForMatch). Each returns the first line the value
 * was seen on, or 0 after recording this line. Keys are 64-bit hashes (HashedLineIndex): a false
 * match is a one-in-10^8 extra warning at a million claims, never a payout.
 */
export class ClaimantIndex {
  private readonly hash = new Hash64();
  /** One key, for the one-row checks below (each is its two-step form: the key, then its look-up). */
  private readonly key = new Uint32Array(2);

  /**
   * The two tables the keys go to: in memory (HashedLineIndex), or appended to the partitions of
   * dedupe-spill.ts, which answer 0 now and find the duplicates at the end.
   */
  constructor(
    private readonly emails: LineTable = new HashedLineIndex(),
    private readonly namesAddresses: LineTable = new HashedLineIndex(),
  ) {}

  reserve(rows: number, email: boolean, nameAddress: boolean): void {
    if (email) this.emails.reserve(rows);
    if (nameAddress) this.namesAddresses.reserve(rows);
  }

  clear(): void {
    this.emails.clear();
    this.namesAddresses.clear();
  }

  /** An empty email is no email: 0. */
  email(email: string, line: number): number {
    return this.emailKey(email, this.key, 0) ? this.firstEmail(this.key, 0, line) : 0;
  }

  /** Checked only when both normalise to something. */
  nameAddress(name: string, address: string, line: number): number {
    return this.nameAddressKey(name, address, this.key, 0) ? this.firstNameAddress(this.key, 0, line) : 0;
  }

  /**
   * `email` of the cell at bytes [start, end) (UTF-8, no doubled quotes), hashed from the bytes
   * when they are ASCII; else NOT_ASCII, and nothing is recorded: the caller decodes the cell
   * and calls `email`.
   */
  emailBytes(bytes: Uint8Array, start: number, end: number, line: number): number {
    const fed = this.emailKeyBytes(bytes, start, end, this.key, 0);
    return fed <= 0 ? fed : this.firstEmail(this.key, 0, line);
  }

  /** `nameAddress` of two cells given as byte ranges, as `emailBytes` (NOT_ASCII: call `nameAddress`). */
  nameAddressBytes(bytes: Uint8Array, nameStart: number, nameEnd: number, addressStart: number, addressEnd: number, line: number): number {
    const fed = this.nameAddressKeyBytes(bytes, nameStart, nameEnd, addressStart, addressEnd, this.key, 0);
    return fed <= 0 ? fed : this.firstNameAddress(this.key, 0, line);
  }

  // The same checks in two steps, for a batch of rows (dedupe-check.ts): every row's keys hashed
  // first (`...Key`: the 64-bit hash into keys[at] and keys[at + 1], nothing looked up), then
  // looked up in row order (`first...`). A table's lookups are cache misses; with no hashing
  // between them the processor has several of them under way at once.

  /** `email`'s key into `keys` at `at`; false when the email is empty (no key). */
  emailKey(email: string, keys: Uint32Array, at: number): boolean {
    const h = this.hash.start();
    if (hashLowerTrimmed(h, email) === 0) return false;
    return this.store(keys, at);
  }

  /** `emailBytes`'s key into `keys` at `at`: the bytes fed (0: empty, no key), or NOT_ASCII (none written: call `emailKey`). */
  emailKeyBytes(bytes: Uint8Array, start: number, end: number, keys: Uint32Array, at: number): number {
    const h = this.hash.start();
    const fed = hashLowerTrimmedBytes(h, bytes, start, end);
    if (fed > 0) this.store(keys, at);
    return fed;
  }

  /** `nameAddress`'s key into `keys` at `at`; false when either normalises to nothing (no key). */
  nameAddressKey(name: string, address: string, keys: Uint32Array, at: number): boolean {
    const h = this.hash.start();
    if (hashNormalised(h, name) === 0) return false;
    h.add(0x0a);
    if (hashNormalised(h, address) === 0) return false;
    return this.store(keys, at);
  }

  /** `nameAddressBytes`'s key into `keys` at `at`, as `emailKeyBytes` (NOT_ASCII: call `nameAddressKey`). */
  nameAddressKeyBytes(bytes: Uint8Array, nameStart: number, nameEnd: number, addressStart: number, addressEnd: number, keys: Uint32Array, at: number): number {
    const h = this.hash.start();
    const name = hashNormalisedBytes(h, bytes, nameStart, nameEnd);
    if (name <= 0) return name;
    h.add(0x0a);
    const address = hashNormalisedBytes(h, bytes, addressStart, addressEnd);
    if (address > 0) this.store(keys, at);
    return address;
  }

  /** The first line of the email key at keys[at], or 0 after recording `line` (as `email`). */
  firstEmail(keys: Uint32Array, at: number, line: number): number {
    return this.emails.firstLine(keys[at] as number, keys[at + 1] as number, line);
  }

  /** The first line of the name-and-address key at keys[at], or 0 after recording `line` (as `nameAddress`). */
  firstNameAddress(keys: Uint32Array, at: number, line: number): number {
    return this.namesAddresses.firstLine(keys[at] as number, keys[at + 1] as number, line);
  }

  private store(keys: Uint32Array, at: number): true {
    const h = this.hash.finish();
    keys[at] = h.hi;
    keys[at + 1] = h.lo;
    return true;
  }
}
