/**
 * A file's rows written as UTF-8 bytes straight into blocks of up to 1 MiB, cell by cell: no
 * string per row, no join, no encoding of joined text (docs/payments.md, "Performance"). The
 * cells follow the rules of core/csv-cell.ts (csvField, textCell) byte for byte; ASCII is copied
 * by character code, anything else goes through TextEncoder.
 */

/** First and largest size of a block: a file's first blocks are small, later ones 1 MiB. */
export const FIRST_BLOCK = 64 << 10;
export const BLOCK = 1 << 20;

const encoder = new TextEncoder();

/**
 * Longer text goes to the encoder in one call: it reads the string whole, where a loop of
 * charCodeAt over a string made by concatenation (a NACHA record, a payment id) is slow. At 1M
 * claims, two alternating pairs of runs: 7.6–7.8 s of CPU with 16, 8.6–8.9 s with the loop for all,
 * 8.4–8.7 s with all sent whole.
 */
const SHORT = 16;

/**
 * A payment id as bytes made ahead (io/payments/payment-ids.ts): `head` and the 16 lowercase hex
 * digits of `bytes[at … at + 8]`; `at` below 0: the id is the text given with it.
 */
export interface IdBytes {
  head: string;
  bytes: Uint8Array;
  at: number;
}

const HEX = new TextEncoder().encode('0123456789abcdef');

export class ByteRows {
  private readonly chunks: Uint8Array[] = [];
  private block: Uint8Array;
  private used = 0;
  private size: number;

  /**
   * `sealed`: told of each block once it is complete (its bytes never change after), so that a
   * file can be hashed while it is made; the last block, at `parts`.
   */
  constructor(private readonly sealed?: (block: Uint8Array) => void) {
    this.block = new Uint8Array(FIRST_BLOCK);
    this.size = Math.min(BLOCK, FIRST_BLOCK * 2);
  }

  /** Room for `n` more bytes in the block: else the block so far is kept and a new one begun. */
  private room(n: number): void {
    if (this.used + n <= this.block.length) return;
    if (this.used > 0) this.seal(this.block.subarray(0, this.used));
    this.block = new Uint8Array(Math.max(this.size, n));
    this.size = Math.min(BLOCK, this.size * 2);
    this.used = 0;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    this.room(1);
    this.block[this.used++] = c;
  }

  /** Text as it is (its UTF-8 bytes). */
  text(s: string): void {
    const n = s.length;
    // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    this.room(n * 3);
    if (n > SHORT) {
      this.encode(s);
      return;
    }
    const b = this.block;
    let u = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.used = u;
        this.encode(i === 0 ? s : s.slice(i));
        return;
      }
      b[u++] = c;
    }
    this.used = u;
  }

  private encode(s: string): void {
    this.used += encoder.encodeInto(s, this.block.subarray(this.used)).written;
  }

  /** A CSV field, quoted only when it must be (csvField). */
  field(s: string): void {
    const n = s.length;
    this.room(n * 3);
    const b = this.block;
    const start = this.used;
    let u = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) {
        this.used = start;
        this.text(`"${s.replace(/"/g, '""')}"`);
        return;
      }
      if (c >= 0x80) {
        // The rest through the encoder, once it is known to need no quotes.
        if (needsQuotes(s, i)) {
          this.used = start;
          this.text(`"${s.replace(/"/g, '""')}"`);
          return;
        }
        this.used = u;
        this.encode(s.slice(i));
        return;
      }
      b[u++] = c;
    }
    this.used = u;
  }

  /** A text cell: guarded against formulas, then quoted if needed (textCell). */
  cell(s: string): void {
    if (s.length > 0) {
      const c = s.charCodeAt(0);
      if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x27) {
        this.field(`'${s}`);
        return;
      }
    }
    this.field(s);
  }

  /** A payment id: `id`, or its head and hex digits from `bytes` (IdBytes), with no string made. */
  id(id: string, from: IdBytes): void {
    if (from.at < 0) {
      this.text(id);
      return;
    }
    this.text(from.head);
    this.room(16);
    const b = this.block;
    const src = from.bytes;
    let u = this.used;
    for (let i = from.at; i < from.at + 8; i++) {
      const v = src[i]!;
      b[u++] = HEX[v >> 4]!;
      b[u++] = HEX[v & 15]!;
    }
    this.used = u;
  }

  /** A non-negative integer's digits. */
  int(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.text(String(n));
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.room(digits);
    const b = this.block;
    let x = n;
    for (let i = this.used + digits - 1; i >= this.used; i--) {
      b[i] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.used += digits;
  }

  /** The bytes in blocks, the last one copied to its length (its unused room is not kept). */
  parts(): Uint8Array[] {
    if (this.used > 0) this.seal(this.block.slice(0, this.used));
    this.block = new Uint8Array(0);
    this.used = 0;
    return this.chunks;
  }

  private seal(block: Uint8Array): void {
    this.chunks.push(block);
    this.sealed?.(block);
  }

  // Bytes made elsewhere (core/payments/claim-records.ts): `src[start … end]`, UTF-8.

  /** `src[start … end]` as they are. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.room(n);
    const b = this.block;
    if (n > SHORT) b.set(src.subarray(start, end), this.used);
    else for (let i = 0, u = this.used; i < n; i++) b[u + i] = src[start + i]!;
    this.used += n;
  }

  /** The bytes of a CSV field, quoted only when they must be (csvField). */
  fieldBytes(src: Uint8Array, start: number, end: number): void {
    if (quoteAt(src, start, end) < 0) this.bytes(src, start, end);
    else this.quoted(src, start, end, false);
  }

  /** The bytes of a text cell: guarded against formulas, then quoted if needed (textCell). */
  cellBytes(src: Uint8Array, start: number, end: number): void {
    if (end > start) {
      const c = src[start]!;
      if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x27) {
        if (quoteAt(src, start, end) >= 0) this.quoted(src, start, end, true);
        else {
          this.byte(0x27);
          this.bytes(src, start, end);
        }
        return;
      }
    }
    this.fieldBytes(src, start, end);
  }

  /** `"…"`, quotes doubled; `guard`: a `'` first, inside the quotes. */
  private quoted(src: Uint8Array, start: number, end: number, guard: boolean): void {
    this.room(2 * (end - start) + 3);
    const b = this.block;
    let u = this.used;
    b[u++] = 0x22;
    if (guard) b[u++] = 0x27;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      b[u++] = c;
      if (c === 0x22) b[u++] = 0x22;
    }
    b[u++] = 0x22;
    this.used = u;
  }

  /**
   * Cents as formatMoney writes them ("0.05", "1523.00"): digits straight from the number, which
   * must be a safe integer above 0 (the caller sends larger amounts as text).
   */
  cents(c: number): void {
    let whole = Math.floor(c / 100);
    const frac = c - whole * 100;
    let digits = 1;
    for (let x = whole; x >= 10; x = Math.floor(x / 10)) digits++;
    this.room(digits + 3);
    const b = this.block;
    const at = this.used;
    for (let i = at + digits - 1; i >= at; i--) {
      const q = Math.floor(whole / 10);
      b[i] = 0x30 + (whole - q * 10);
      whole = q;
    }
    b[at + digits] = 0x2e;
    const tens = Math.floor(frac / 10);
    b[at + digits + 1] = 0x30 + tens;
    b[at + digits + 2] = 0x30 + (frac - tens * 10);
    this.used = at + digits + 3;
  }

  /** A payment id: `head` (ASCII) and the 16 lowercase hex digits of `digests[at … at + 8]`. */
  hexId(head: Uint8Array, digests: Uint8Array, at: number): void {
    this.room(head.length + 16);
    const b = this.block;
    let u = this.used;
    for (let i = 0; i < head.length; i++) b[u++] = head[i]!;
    for (let i = at; i < at + 8; i++) {
      const v = digests[i]!;
      b[u++] = HEX[v >> 4]!;
      b[u++] = HEX[v & 15]!;
    }
    this.used = u;
  }
}

/** Where the first byte that makes a field quoted (`"`, `,`, CR, LF) is, or -1. */
function quoteAt(src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return i;
  }
  return -1;
}

function needsQuotes(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}
