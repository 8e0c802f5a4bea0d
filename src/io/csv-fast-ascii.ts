/**
 * Which byte ranges of a buffer are plain ASCII, for the fast CSV path (csv-fast.ts).
 *
 * The fast path reads a chunk as Latin-1 text, where one character is one byte: a field's
 * substring is then its exact text when the field's bytes are ASCII, and has to be decoded as UTF-8
 * from the bytes otherwise. Asking `isAscii` (native, vectorised) per field would cost a call per
 * field; instead the buffer is checked ahead in blocks, and only a block that holds a non-ASCII
 * byte is searched byte by byte. Queries must move forward through the buffer (each `from` at or
 * after the previous one), which is how a tokenizer reads.
 */
import { isAscii } from 'node:buffer';

/** Bytes checked per `isAscii` call: small enough that an accented name costs little rescanning. */
const BLOCK = 1024;
/** Past any offset (FastCsv.feed's texts are far shorter), and a small integer, as csv-fast.ts's NONE. */
const NONE = 0x3fffffff;

export class AsciiRuns {
  private buf: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** Every byte in [from, checked) is ASCII, except possibly at `bad` (the first non-ASCII one found). */
  private from = 0;
  private checked = 0;
  private bad = NONE;

  /** Starts over on `buf[0, end)`. */
  reset(buf: Uint8Array, end: number): void {
    this.buf = buf;
    this.end = end;
    this.from = 0;
    this.checked = 0;
    this.bad = NONE;
  }

  /** Whether `buf[from, to)` is all ASCII. */
  isAscii(from: number, to: number): boolean {
    if (to <= this.checked && from >= this.from && this.bad >= to) return true;
    if (this.bad < from || from < this.from) {
      // The non-ASCII byte found before is behind us: check again from here.
      this.from = from;
      this.checked = from;
      this.bad = NONE;
    }
    while (this.checked < to && this.bad === NONE) {
      const start = this.checked;
      const stop = Math.min(this.end, start + BLOCK);
      if (stop <= start) break;
      if (isAscii(this.buf.subarray(start, stop))) {
        this.checked = stop;
        continue;
      }
      const buf = this.buf;
      let i = start;
      while ((buf[i] as number) < 0x80) i++;
      this.bad = i;
      this.checked = stop;
    }
    return this.bad >= to;
  }
}
