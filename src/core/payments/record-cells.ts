/**
 * Cells of the payment files written from UTF-8 bytes (core/payments/record-batch.ts) straight
 * into a block: each `put…` writes at `u` in `b` and returns where it ended. The caller makes room
 * for the whole row first (ByteRows.open), so no cell checks for room, and a row is written with
 * its block and offset in local variables. The cells follow core/csv-cell.ts, core/mask.ts and
 * core/payments/nacha.ts byte for byte; the rare cell those rules must see as text (a NACHA name
 * that is not printable ASCII, a destination that is not plain ASCII) is decoded and made by them.
 */
import { maskLast4 } from '../mask.js';
import { nachaAlpha } from './nacha.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEX = encoder.encode('0123456789abcdef');

/** `src[s … e]` as they are. */
export function put(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) b[u++] = src[i]!;
  return u;
}

/** Text that may be more than ASCII, through the encoder (rare cells). */
export function putText(b: Uint8Array, u: number, text: string): number {
  return u + encoder.encodeInto(text, b.subarray(u)).written;
}

/** ASCII text (digits, NACHA's characters), by character code. */
export function putAscii(b: Uint8Array, u: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[u++] = text.charCodeAt(i);
  return u;
}

/** A CSV field, quoted only when it must be (csvField). */
export function putField(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number): number {
  const start = u;
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    // The four characters that need quotes are at most 0x2c: most bytes (letters, digits, '@', '.') are past it.
    if (c <= 0x2c && (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a)) return quoted(b, start, src, s, e, false);
    b[u++] = c;
  }
  return u;
}

/** A text cell: guarded against formulas, then quoted if needed (textCell). */
export function putCell(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number): number {
  if (e > s) {
    const c = src[s]!;
    if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x27) {
      for (let i = s; i < e; i++) {
        const q = src[i]!;
        if (q === 0x22 || q === 0x2c || q === 0x0d || q === 0x0a) return quoted(b, u, src, s, e, true);
      }
      b[u] = 0x27;
      return put(b, u + 1, src, s, e);
    }
  }
  return putField(b, u, src, s, e);
}

/**
 * Text cells `[at[k], at[k + 1])` of `src` for k = from, from + 2, … below `to`, each after a comma
 * (putCell's bytes). One loop for the common cell, no formula start and nothing to quote: its
 * bytes copied as they are checked; any other cell goes to putCell. An addresses.csv row's six
 * cells this way cost ~15% less than six calls of putCell (a micro-benchmark of the 1M run's rows).
 */
export function putCells(b: Uint8Array, u: number, src: Uint8Array, at: Int32Array, from: number, to: number): number {
  for (let k = from; k < to; k += 2) {
    b[u++] = 0x2c;
    const s = at[k]!;
    const e = at[k + 1]!;
    const start = u;
    let plain = true;
    if (e > s) {
      const c = src[s]!;
      // The formula starts are at most 0x40 (putCell): most first bytes (letters, digits) are past it but digits.
      if (c <= 0x40 && (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x27)) plain = false;
    }
    if (plain) {
      for (let i = s; i < e; i++) {
        const c = src[i]!;
        if (c <= 0x2c && (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a)) {
          plain = false;
          break;
        }
        b[u++] = c;
      }
    }
    if (!plain) u = putCell(b, start, src, s, e);
  }
  return u;
}

/** `"…"`, quotes doubled; `guard`: a `'` first, inside the quotes. At most 2·(e − s) + 3 bytes. */
function quoted(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number, guard: boolean): number {
  b[u++] = 0x22;
  if (guard) b[u++] = 0x27;
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    b[u++] = c;
    if (c === 0x22) b[u++] = 0x22;
  }
  b[u++] = 0x22;
  return u;
}

/** Digits of a safe integer ≥ 0. */
export function decimalDigits(n: number): number {
  let d = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
  return d;
}

/** The 4 ASCII digits of each number below 10,000 ("0000" … "9999"), 4 bytes each. */
const DIGITS4 = new Uint8Array(40_000);
for (let n = 0; n < 10_000; n++) {
  DIGITS4[4 * n] = 0x30 + Math.floor(n / 1000);
  DIGITS4[4 * n + 1] = 0x30 + (Math.floor(n / 100) % 10);
  DIGITS4[4 * n + 2] = 0x30 + (Math.floor(n / 10) % 10);
  DIGITS4[4 * n + 3] = 0x30 + (n % 10);
}

/** The digits of `n` (below 10,000) from DIGITS4, its last `digits` of the 4. */
function putDigits4(b: Uint8Array, u: number, n: number, digits: number): number {
  for (let i = 4 * n + 4 - digits; i < 4 * n + 4; i++) b[u++] = DIGITS4[i]!;
  return u;
}

/**
 * A safe integer ≥ 0's digits, zero-padded to `width` (none when it has as many or more). Below
 * 10^8 (row, trace and check numbers), 4 digits at a time from a table: one division where one
 * per digit, and one more to count them, cost ~40 ms of a 1M run's payments.csv rows alone.
 */
export function putInt(b: Uint8Array, u: number, n: number, width = 0): number {
  if (n < 100_000_000) {
    const hi = Math.floor(n / 10_000);
    const lo = n - hi * 10_000;
    const digits = hi === 0 ? (lo < 10 ? 1 : lo < 100 ? 2 : lo < 1000 ? 3 : 4) : hi < 10 ? 5 : hi < 100 ? 6 : hi < 1000 ? 7 : 8;
    for (let i = digits; i < width; i++) b[u++] = 0x30;
    if (hi === 0) return putDigits4(b, u, lo, digits);
    return putDigits4(b, putDigits4(b, u, hi, digits - 4), lo, 4);
  }
  const digits = decimalDigits(n);
  for (let i = digits; i < width; i++) b[u++] = 0x30;
  let x = n;
  for (let i = u + digits - 1; i >= u; i--) {
    const q = Math.floor(x / 10);
    b[i] = 0x30 + (x - q * 10);
    x = q;
  }
  return u + digits;
}

/**
 * Cents as formatMoney writes them ("0.05", "1523.00"), from their decimal digits (an amount
 * above 0, as `cents.toString()` gives them: made once per claim and used by every row).
 */
export function putCents(b: Uint8Array, u: number, digits: string): number {
  const n = digits.length;
  if (n <= 2) {
    b[u++] = 0x30;
    b[u++] = 0x2e;
    if (n === 1) b[u++] = 0x30;
    for (let i = 0; i < n; i++) b[u++] = digits.charCodeAt(i);
    return u;
  }
  for (let i = 0; i < n - 2; i++) b[u++] = digits.charCodeAt(i);
  b[u++] = 0x2e;
  b[u++] = digits.charCodeAt(n - 2);
  b[u++] = digits.charCodeAt(n - 1);
  return u;
}

/** The 2 lowercase hex digits of each byte value, 2 bytes each. */
const HEX2 = new Uint8Array(512);
for (let v = 0; v < 256; v++) {
  HEX2[2 * v] = HEX[v >> 4]!;
  HEX2[2 * v + 1] = HEX[v & 15]!;
}

/** A payment id: `head` (ASCII) and the 16 lowercase hex digits of `digests[at … at + 8]`. */
export function putHexId(b: Uint8Array, u: number, head: Uint8Array, digests: Uint8Array, at: number): number {
  for (let i = 0; i < head.length; i++) b[u++] = head[i]!;
  for (let i = at; i < at + 8; i++) {
    const v = 2 * digests[i]!;
    b[u++] = HEX2[v]!;
    b[u++] = HEX2[v + 1]!;
  }
  return u;
}

/**
 * nachaAlpha of each character from U+00A0 to U+00FF (Latin-1's letters: "é" → "E", "ß" → "SS",
 * "µ" → " "), by its UTF-8 bytes' second byte (0xc2 or 0xc3 first). nachaAlpha treats such a
 * character on its own (none combines with its neighbours under NFD), so a name of ASCII and
 * these characters is the concatenation of their texts.
 */
export const LATIN1: readonly string[] = Array.from({ length: 0x60 }, (_, k) => nachaAlpha(String.fromCharCode(0xa0 + k)));

/** NACHA's alphanumeric field (nachaAlpha, cut to `width`, padded with spaces): `width` bytes. */
export function putAlpha(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number, width: number): number {
  const end = u + width;
  for (let i = s; i < e && u < end; i++) {
    const c = src[i]!;
    if (c >= 0x20 && c <= 0x7e) b[u++] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
    else {
      const next = i + 1 < e ? src[i + 1]! : 0;
      const latin1 = (c === 0xc2 && next >= 0xa0 && next <= 0xbf) || (c === 0xc3 && next >= 0x80 && next <= 0xbf);
      if (!latin1) return putAscii(b, end - width, nachaAlpha(decoder.decode(src.subarray(s, e))).slice(0, width).padEnd(width, ' '));
      const t = LATIN1[(c === 0xc2 ? next : next + 0x40) - 0xa0]!;
      for (let k = 0; k < t.length && u < end; k++) b[u++] = t.charCodeAt(k);
      i++;
    }
  }
  while (u < end) b[u++] = 0x20;
  return u;
}

/**
 * maskLast4 of a destination: `****` and its last 4 characters. At most (e − s) + 4 bytes. Only
 * its ends are looked at: a first byte and last 4 bytes that are printable ASCII but a space
 * leave nothing to trim, and the last 4 bytes are then the last 4 characters, whatever is
 * between (a destination of more than 4 bytes then has more than 4 characters). Else it is
 * decoded and masked by maskLast4.
 */
export function putMasked(b: Uint8Array, u: number, src: Uint8Array, s: number, e: number): number {
  const from = e - s > 4 ? e - 4 : s;
  let plain = e === s || (src[s]! > 0x20 && src[s]! < 0x7f);
  for (let i = from; i < e && plain; i++) {
    const c = src[i]!;
    plain = c > 0x20 && c < 0x7f;
  }
  if (!plain) return putText(b, u, maskLast4(decoder.decode(src.subarray(s, e))));
  b[u] = b[u + 1] = b[u + 2] = b[u + 3] = 0x2a;
  return e - s <= 4 ? u + 4 : put(b, u + 4, src, e - 4, e);
}
