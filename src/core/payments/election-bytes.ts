/**
 * A claim's election read from its cells' bytes (UTF-8), for the common case only: an election that
 * readElection (elections.ts) reads without a fault. Then it gives what
 * readElection would (method, recipient or account or address, mailing address) as positions of
 * bytes, and the paid claim's record (claim-records.ts) is packed from them: no string and no
 * object per claim. Three faults, when one is the claim's only fault and it has a mailing address,
 * are read too (`fallback`): the claim is paid by check to that address, and `warning` makes
 * readElection's warning. Anything else (another fault, whose message names masked values; a cell
 * that needs more than trimming) is declined, and the caller reads that claim's cells as strings
 * with readElection, the authority. test/payments/election-bytes.test.ts compares both on
 * generated elections.
 */
import { isSpace as isUnicodeSpace } from './election-text.js';
import { HAS_MAILING, MAILING_IS_CHECK, M_CHECK, M_CHECKING, M_PAYPAL, M_SAVINGS, M_VENMO } from './claim-records.js';
import { VENMO_EMAIL, fallbackWarning, routingCheckDigit, unknownMethod } from './elections.js';
import type { Problem } from '../problems.js';

// Fields, in the order of ELECTION_COLUMNS (elections.ts).
const F_METHOD = 0;
const F_EMAIL = 1;
const F_PHONE = 2;
const F_HANDLE = 3;
const F_ROUTING = 4;
const F_ACCOUNT = 5;
const F_TYPE = 6;
const F_NAME = 7;
const F_ADDRESS = 8;
/** Fields of an election. */
export const ELECTION_FIELDS = 13;

/** ASCII whitespace: what `trim()` removes from ASCII text (`\s`). */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * The bytes of the whitespace character (`\s`, what `trim()` removes) that starts at `b[i]`, UTF-8
 * up to `e`; 0 when the character there is none. (No whitespace character is beyond U+FFFF.)
 */
function spaceAt(b: Uint8Array, i: number, e: number): number {
  const c = b[i]!;
  if (c < 0x80) return isSpace(c) ? 1 : 0;
  if (c === 0xc2) return i + 1 < e && b[i + 1] === 0xa0 ? 2 : 0;
  if (c >= 0xe1 && c <= 0xef && i + 2 < e) return isUnicodeSpace(((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f)) ? 3 : 0;
  return 0;
}

/** `b[s … e]` (UTF-8) without the whitespace `trim()` removes at its start: where it then starts. */
export function trimStartBytes(b: Uint8Array, s: number, e: number): number {
  for (;;) {
    if (s >= e) return e;
    const n = spaceAt(b, s, e);
    if (n === 0) return s;
    s += n;
  }
}

/** `b[s … e]` (UTF-8) without the whitespace `trim()` removes at its end: where it then ends. */
export function trimEndBytes(b: Uint8Array, s: number, e: number): number {
  while (e > s) {
    let j = e - 1;
    if (b[j]! < 0x80) {
      if (!isSpace(b[j]!)) return e;
      e = j;
      continue;
    }
    while (j > s && (b[j]! & 0xc0) === 0x80) j--; // back to the character's first byte
    if (spaceAt(b, j, e) !== e - j) return e;
    e = j;
  }
  return e;
}
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** isDigits (election-text.ts) on bytes. */
export function isDigitBytes(b: Uint8Array, s: number, e: number, min: number, max: number): boolean {
  const n = e - s;
  if (n < min || n > max) return false;
  for (let i = s; i < e; i++) if (!isDigit(b[i]!)) return false;
  return true;
}

/** isEmailAddress (election-text.ts) on ASCII bytes. */
export function isEmailBytes(b: Uint8Array, s: number, e: number): boolean {
  if (s >= e || !isAlnum(b[s]!)) return false;
  let i = s + 1;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c === 0x40) break;
    if (!isAlnum(c) && c !== 0x2e && c !== 0x5f && c !== 0x25 && c !== 0x2b && c !== 0x2d) return false;
  }
  if (i === e) return false;
  const domain = i + 1;
  let lastDot = -1;
  for (let j = domain; j < e; j++) {
    const c = b[j]!;
    if (c === 0x2e) lastDot = j;
    else if (!isAlnum(c) && c !== 0x2d) return false;
  }
  if (lastDot < domain + 1 || e - lastDot - 1 < 2) return false;
  for (let j = lastDot + 1; j < e; j++) if (!isLetter(b[j]!)) return false;
  return true;
}

/** isVenmoHandle (election-text.ts) on ASCII bytes. */
export function isVenmoHandleBytes(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n < 5 || n > 30 || !isAlnum(b[s]!)) return false;
  for (let i = s + 1; i < e; i++) {
    const c = b[i]!;
    if (!isAlnum(c) && c !== 0x5f && c !== 0x2d) return false;
  }
  return true;
}

/** isAbaRouting (aba.ts) on bytes. */
export function isAbaRoutingBytes(b: Uint8Array, s: number, e: number): boolean {
  if (!isDigitBytes(b, s, e, 9, 9)) return false;
  const d = (i: number): number => b[s + i]! - 48;
  const sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum !== 0 && sum % 10 === 0;
}

/**
 * normalisePhone (election-text.ts) on ASCII bytes: the 10 digits into `out` at `at` (true), or
 * false when it gives undefined.
 */
export function phoneDigitsInto(b: Uint8Array, s: number, e: number, out: Uint8Array, at: number): boolean {
  let digits = 0;
  let first = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (isDigit(c)) {
      if (++digits > 11) return false;
      if (digits === 1) first = c;
    } else if (c !== 0x28 && c !== 0x29 && c !== 0x2e && c !== 0x2b && c !== 0x2d && !isSpace(c)) return false;
  }
  if (digits !== 10 && !(digits === 11 && first === 0x31)) return false;
  let skip = digits - 10; // the country code 1 of 11 digits
  let u = at;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (!isDigit(c)) continue;
    if (skip > 0) skip--;
    else out[u++] = c;
  }
  return true;
}

/** Whether the ASCII bytes b[s, e) lower-cased are `word` (lower-case ASCII). */
function isWord(b: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (lower(b[s + i]!) !== word[i]) return false;
  return true;
}

const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const PAYPAL = bytesOf('paypal');
const VENMO = bytesOf('venmo');
const ACH = bytesOf('ach');
const CHECK = bytesOf('check');
const CHECKING = bytesOf('checking');
const SAVINGS = bytesOf('savings');

// The faults read from bytes (ElectionBytes.fallback), each readElection's only one for the claim,
// which is then paid by check to its mailing address with a warning: a payment method that is none
// of the four, a routing number whose check digit is wrong, an email for Venmo.
export const FALLBACK_METHOD = 1;
export const FALLBACK_ROUTING = 2;
export const FALLBACK_VENMO_EMAIL = 3;

/** Printable ASCII but `"` and backslash: text that JSON.stringify only puts quotes around. */
function isPlainText(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** ASCII bytes as text. */
function asciiText(b: Uint8Array, s: number, e: number): string {
  let text = '';
  for (let i = s; i < e; i++) text += String.fromCharCode(b[i]!);
  return text;
}

/**
 * Reads elections from bytes into reused fields: `tag` (claim-records.ts: method, HAS_MAILING,
 * MAILING_IS_CHECK) and the record's cells after the claim id, in its order (`count` of them,
 * cell k is `bytes(k)[start[k] … end[k]]`: the source's bytes, or the scratch bytes of a cell
 * that is not a slice of them: a phone number's digits, an account number without its spaces).
 */
export class ElectionBytes {
  tag = 0;
  count = 0;
  readonly start = new Int32Array(12);
  readonly end = new Int32Array(12);
  /** 1 when cell k is in `scratch`. */
  readonly inScratch = new Uint8Array(12);
  readonly scratch = new Uint8Array(64);
  /** The fields' trimmed positions: [2k] start, [2k + 1] end. */
  private readonly t = new Int32Array(2 * ELECTION_FIELDS);
  private src: Uint8Array = new Uint8Array(0);
  private at: Int32Array = new Int32Array(2 * ELECTION_FIELDS);
  /**
   * The one fault readElection would find, for which the claim is paid by check to its mailing
   * address (FALLBACK_…; 0: none): the cells are then the check's. `warning` gives its problem.
   */
  fallback = 0;
  /** The bytes the fallback's message names (the method's text, the routing number). */
  private fallbackStart = 0;
  private fallbackEnd = 0;

  /** The bytes of cell k: the source's or the scratch's. */
  bytes(k: number): Uint8Array {
    return this.inScratch[k] === 1 ? this.scratch : this.src;
  }

  /**
   * Reads the election of the fields `at` gives ([2k] start, [2k + 1] end in `src`, untrimmed;
   * start = end for an empty or absent cell), UTF-8. False when readElection would find a fault
   * in it other than a `fallback`'s (or its cells need more than this reads): nothing is then given.
   */
  read(src: Uint8Array, at: Int32Array): boolean {
    // Each field is trimmed when it is first needed (most elections need a few of the 13).
    this.src = src;
    this.at = at;
    this.count = 0;
    this.fallback = 0;
    const t = this.t;
    this.trim(F_METHOD);
    this.trim(F_NAME);
    this.trim(F_ADDRESS);
    const mailing = !this.empty(F_NAME) && !this.empty(F_ADDRESS);
    const ms = t[2 * F_METHOD]!;
    const me = t[2 * F_METHOD + 1]!;
    let tag: number;
    if (isWord(src, ms, me, PAYPAL)) {
      tag = M_PAYPAL;
      if (!this.trim(F_EMAIL)) {
        if (!isEmailBytes(src, t[2 * F_EMAIL]!, t[2 * F_EMAIL + 1]!)) return false;
        this.field(F_EMAIL);
      } else if (!this.trim(F_PHONE)) {
        if (!this.phone()) return false;
      } else return false;
    } else if (isWord(src, ms, me, VENMO)) {
      tag = M_VENMO;
      if (!this.trim(F_PHONE)) {
        if (!this.phone()) return false;
      } else {
        this.trim(F_HANDLE);
        let s = t[2 * F_HANDLE]!;
        const e = t[2 * F_HANDLE + 1]!;
        if (s < e && src[s] === 0x40) s++; // the handle without its @
        if (s === e && mailing && !this.trim(F_EMAIL)) {
          tag = this.fallBack(FALLBACK_VENMO_EMAIL, 0, 0);
        } else {
          if (!isVenmoHandleBytes(src, s, e)) return false;
          this.cell(s, e);
        }
      }
    } else if (isWord(src, ms, me, ACH)) {
      this.trim(F_TYPE);
      const ts = t[2 * F_TYPE]!;
      const te = t[2 * F_TYPE + 1]!;
      if (isWord(src, ts, te, CHECKING)) tag = M_CHECKING;
      else if (isWord(src, ts, te, SAVINGS)) tag = M_SAVINGS;
      else return false;
      this.trim(F_ROUTING);
      const rs = t[2 * F_ROUTING]!;
      const re = t[2 * F_ROUTING + 1]!;
      // 9 digits whose check digit is wrong: paid by check when nothing else is wrong (else declined).
      const aba = isAbaRoutingBytes(src, rs, re);
      const wrongDigit = !aba && mailing && isDigitBytes(src, rs, re, 9, 9);
      if ((!aba && !wrongDigit) || this.empty(F_NAME)) return false;
      this.field(F_ROUTING);
      this.trim(F_ACCOUNT);
      if (!this.account()) return false;
      this.field(F_NAME);
      if (wrongDigit) tag = this.fallBack(FALLBACK_ROUTING, rs, re);
    } else if (isWord(src, ms, me, CHECK)) {
      if (!mailing) return false;
      tag = M_CHECK | MAILING_IS_CHECK;
    } else if (mailing && ms < me && isPlainText(src, ms, me)) {
      tag = this.fallBack(FALLBACK_METHOD, ms, me);
    } else return false;
    if (mailing) {
      tag |= HAS_MAILING;
      for (let f = F_ADDRESS + 1; f < ELECTION_FIELDS; f++) this.trim(f);
      for (let f = F_NAME; f < ELECTION_FIELDS; f++) this.field(f);
    }
    this.tag = tag;
    return true;
  }

  /** Trims field `f` (its positions into `t`); true when nothing is left of it. */
  private trim(f: number): boolean {
    const at = this.at;
    const e = at[2 * f + 1]!;
    const s = trimStartBytes(this.src, at[2 * f]!, e);
    const end = trimEndBytes(this.src, s, e);
    this.t[2 * f] = s;
    this.t[2 * f + 1] = end;
    return s === end;
  }

  /** The claim paid by check to its mailing address for `fault` (FALLBACK_…): the check's tag; no cell of the election's kept. */
  private fallBack(fault: number, s: number, e: number): number {
    this.fallback = fault;
    this.fallbackStart = s;
    this.fallbackEnd = e;
    this.count = 0;
    return M_CHECK | MAILING_IS_CHECK;
  }

  /** The warning readElection gives for the fallback (`fallback` not 0) of the claim at `place`. */
  warning(place: { file: string; line: number; claimId: string }): Problem {
    const text = asciiText(this.src, this.fallbackStart, this.fallbackEnd);
    if (this.fallback === FALLBACK_METHOD) return fallbackWarning(place, 'method', unknownMethod(text));
    if (this.fallback === FALLBACK_ROUTING) return fallbackWarning(place, 'routing', routingCheckDigit(text));
    return fallbackWarning(place, 'phone', VENMO_EMAIL);
  }

  /** Whether trimmed field `f` is empty. */
  private empty(f: number): boolean {
    return this.t[2 * f] === this.t[2 * f + 1];
  }

  private cell(s: number, e: number, scratch = 0): void {
    const k = this.count++;
    this.start[k] = s;
    this.end[k] = e;
    this.inScratch[k] = scratch;
  }

  private field(f: number): void {
    this.cell(this.t[2 * f]!, this.t[2 * f + 1]!);
  }

  /** The phone number's 10 digits (in the scratch bytes from 0). */
  private phone(): boolean {
    const s = this.t[2 * F_PHONE]!;
    const e = this.t[2 * F_PHONE + 1]!;
    if (!phoneDigitsInto(this.src, s, e, this.scratch, 0)) return false;
    this.cell(0, 10, 1);
    return true;
  }

  /** The account number without spaces and hyphens: 4 to 17 digits (in the scratch bytes from 16). */
  private account(): boolean {
    const src = this.src;
    const s = this.t[2 * F_ACCOUNT]!;
    const e = this.t[2 * F_ACCOUNT + 1]!;
    let plain = true;
    for (let i = s; i < e; i++) {
      const c = src[i]!;
      if (c === 0x2d || isSpace(c)) {
        plain = false;
        break;
      }
    }
    if (plain) {
      if (!isDigitBytes(src, s, e, 4, 17)) return false;
      this.cell(s, e);
      return true;
    }
    let u = 16;
    for (let i = s; i < e; i++) {
      const c = src[i]!;
      if (c === 0x2d || isSpace(c)) continue;
      if (!isDigit(c) || u === 16 + 17) return false;
      this.scratch[u++] = c;
    }
    if (u - 16 < 4) return false;
    this.cell(16, u, 1);
    return true;
  }
}
