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

/**
 * Blocks of BLOCK bytes that files written as they are made (ByteRows with a pool) take, hand
 * over as each is sealed, and get back once written: a run's files reuse a few blocks instead of
 * holding every byte they made, so the memory is faulted in once (docs/payments.md, "Performance").
 */
export class BlockPool {
  private readonly free: Uint8Array[] = [];

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(BLOCK);
  }

  /** A block taken from the pool, back (any view of it: a sealed block's first bytes). */
  give(block: Uint8Array): void {
    if (block.buffer.byteLength === BLOCK && block.byteOffset === 0) this.free.push(new Uint8Array(block.buffer, 0, BLOCK));
  }
}

export class ByteRows {
  private readonly chunks: Uint8Array[] = [];
  private block: Uint8Array;
  private used = 0;
  private size: number;
  private readonly pool: BlockPool | undefined;

  /**
   * `sealed`: told of each block once it is complete (its bytes never change after), so that a
   * file can be hashed while it is made; the last block, at `parts`. With a `pool`, the rows are
   * not kept: each sealed block is handed over to `sealed`, which gives it back to the pool once
   * it has done with it (hashed it, written it out), and the rows go on in a block from the pool;
   * `parts` gives no bytes and hands `sealed` the last block (`last`: true, even when it is
   * empty: the file is complete).
   */
  constructor(
    private readonly sealed?: (block: Uint8Array, last?: boolean) => void,
    pool?: BlockPool,
  ) {
    this.pool = pool;
    this.block = pool !== undefined ? pool.take() : new Uint8Array(FIRST_BLOCK);
    this.size = Math.min(BLOCK, FIRST_BLOCK * 2);
  }

  /** Room for `n` more bytes in the block: else the block so far is kept (or handed on, with a pool) and a new one begun. */
  private room(n: number): void {
    if (this.used + n <= this.block.length) return;
    if (this.pool !== undefined) {
      if (this.used > 0) this.seal(this.block.subarray(0, this.used)); // handed over: given back by `sealed`
      else this.pool.give(this.block);
      this.block = n <= BLOCK ? this.pool.take() : new Uint8Array(n);
      this.used = 0;
      return;
    }
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

  /** The bytes in blocks, the last one copied to its length (its unused room is not kept); none with a pool. */
  parts(): Uint8Array[] {
    if (this.pool !== undefined) {
      if (this.sealed !== undefined) this.sealed(this.block.subarray(0, this.used), true);
      else this.pool.give(this.block);
    } else if (this.used > 0) this.seal(this.block.slice(0, this.used));
    this.block = new Uint8Array(0);
    this.used = 0;
    return this.chunks;
  }

  private seal(block: Uint8Array): void {
    if (this.pool === undefined) this.chunks.push(block);
    this.sealed?.(block);
  }

  /**
   * The block to write a row of at most `n` bytes into, from `at` on: the caller writes it there
   * (core/payments/record-cells.ts) and says where it ended with `done`.
   */
  open(n: number): Uint8Array {
    this.room(n);
    return this.block;
  }

  /** Where the next byte goes in the block `open` gave. */
  get at(): number {
    return this.used;
  }

  done(u: number): void {
    this.used = u;
  }
}

function needsQuotes(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}
