/**
 * The bytes a fast CSV tokenizer (csv-fast.ts) is fed: a file's chunks are appended to one work
 * buffer in windows of {@link FEED_BYTES}, after the start of a record the last window cut (moved
 * to the buffer's start), and each window is read as Latin-1 text of its own. Used by the claims
 * reader (claims-tokenizers.ts) and by the records reader of `payout pay` (csv-records-fast.ts).
 */
import type { SliceableBuffer } from './sliceable-buffer.js';

/**
 * Bytes of a chunk handed to the fast tokenizer at a time. Its Latin-1 text (a string of the
 * window and the start of a record carried over) then stays below V8's large-object size (128
 * KiB), so it is allocated in the young generation, whose pages are used again and again, rather
 * than mapped fresh for every chunk (a 1M-claim allocate: ~25,000 fewer page faults).
 */
export const FEED_BYTES = 112 << 10;

/** Bytes not yet handed on: `buf[start, end)`, the start of a record cut by the last window. */
export class FeedWindows {
  buf: SliceableBuffer;
  start = 0;
  end = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size) as SliceableBuffer;
  }

  /** Appends `chunk[from, to)` to the bytes not yet handed on (moved to the buffer's start). */
  append(chunk: Buffer, from: number, to: number): void {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end + to - from > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + to - from)) as SliceableBuffer;
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.end, from, to);
    this.end += to - from;
  }

  /** `buf[0, end)` as Latin-1 (one character a byte): the text a tokenizer's `feed` takes. */
  text(): string {
    return this.buf.latin1Slice(0, this.end);
  }

  /** Whether `buf` starts with a UTF-8 byte-order mark. */
  startsWithBom(): boolean {
    return this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf;
  }
}
