/**
 * Invalid UTF-8 in a claims file, found by byte and reported by physical line.
 *
 * csv-parse decodes fields with `Buffer#toString`, which silently turns a bad byte into U+FFFD: a
 * Latin-1 "é" from an old export would become "�" in a name and nobody would know. So the bytes
 * are checked before the parser sees them: `isUtf8` (native, fast) on each chunk, and only when a
 * chunk fails, a byte-by-byte scan that finds the lines. A multi-byte character cut by a chunk
 * boundary is carried over to the next chunk, so the check does not depend on chunk sizes.
 */
import { isUtf8 } from 'node:buffer';
import { countOf } from '../core/display-numbers.js';
import type { Problem } from '../core/problems.js';

const LF = 0x0a;

/**
 * One line holding invalid UTF-8: the physical line (1-based) and the first bad byte on it;
 * `utf16` when that byte begins a UTF-16 byte-order mark at the very start of the file (line 1:
 * nothing in the file can be read as UTF-8 text, and a reader may stop there).
 */
export interface InvalidUtf8 {
  line: number;
  byte: number;
  utf16?: true;
}

/**
 * Where a trailing multi-byte sequence that the chunk cuts short begins (its bytes may be
 * completed by the next chunk), or `buf.length` when the chunk ends on a character boundary.
 */
function incompleteTailStart(buf: Uint8Array): number {
  const len = buf.length;
  for (let k = 1; k <= 3 && k <= len; k++) {
    const b = buf[len - k] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? len - k : len;
  }
  return len;
}

/**
 * Length of the valid UTF-8 sequence starting at `i` (1 to 4), or 0 when the bytes there are not
 * valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid, as in the
 * Unicode standard, table 3-7).
 */
function sequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => {
    if (i + j >= end) return false;
    const b = buf[i + j] as number;
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Feeds on the file's chunks in order; calls `onInvalid` once per physical line that holds
 * invalid UTF-8 (lines count LF, so CRLF files count the same), in line order.
 */
export class Utf8LineChecker {
  /** Line breaks (LF) seen before the current chunk. */
  private newlines = 0;
  /** Bytes of a character cut by the previous chunk's end. */
  private carry: Uint8Array = new Uint8Array(0);
  private lastReportedLine = 0;
  /** No byte of the file has been looked at yet (a UTF-16 byte-order mark would be there). */
  private atStart = true;

  constructor(private readonly onInvalid: (bad: InvalidUtf8) => void) {}

  push(chunk: Uint8Array): void {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTailStart(buf);
    // The first two bytes, however the chunks cut them (0xFF and 0xFE are carried, never cut).
    if (this.atStart && (buf.length >= 2 || cut > 0)) {
      this.atStart = false;
      if (hasUtf16Bom(buf)) {
        this.lastReportedLine = 1;
        this.onInvalid({ line: 1, byte: buf[0] as number, utf16: true });
      }
    }
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    if (isUtf8(body)) this.newlines += countLineFeeds(body);
    else this.scan(body);
    this.carry = cut === buf.length ? new Uint8Array(0) : Uint8Array.from(buf.subarray(cut));
  }

  /** Call once after the last chunk: a character cut short by the end of the file is invalid. */
  end(): void {
    if (this.carry.length > 0) this.scan(this.carry);
    this.carry = new Uint8Array(0);
  }

  /** The slow path, only for chunks that fail `isUtf8`. */
  private scan(buf: Uint8Array): void {
    const end = buf.length;
    let i = 0;
    while (i < end) {
      const b = buf[i] as number;
      if (b === LF) {
        this.newlines++;
        i++;
        continue;
      }
      const n = sequenceLength(buf, i, end);
      if (n > 0) {
        i += n;
        continue;
      }
      const line = this.newlines + 1;
      if (line !== this.lastReportedLine) {
        this.lastReportedLine = line;
        this.onInvalid({ line, byte: b });
      }
      i++;
    }
  }
}

export function countLineFeeds(buf: Uint8Array): number {
  let n = 0;
  let i = -1;
  // Buffer#indexOf is native; a plain loop over a Uint8Array is several times slower.
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  while ((i = b.indexOf(LF, i + 1)) !== -1) n++;
  return n;
}

/** A UTF-16 byte-order mark at the start of the file: Excel's "Unicode Text" export, not CSV UTF-8. */
export function hasUtf16Bom(buf: Uint8Array): boolean {
  return buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
}

/**
 * The one rule for reporting invalid UTF-8 in a claims file: a file-level problem (how many lines,
 * and a guess of the encoding), then the first `INVALID_UTF8_EXAMPLES` lines as examples; the
 * other lines are counted, not listed (a Windows-1252 export has a bad byte on most lines).
 */
export const INVALID_UTF8_EXAMPLES = 3;

/** The message for one example line. */
export function invalidUtf8LineMessage(byte: number): string {
  return `invalid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}): re-export the file as CSV UTF-8`;
}

/** The five bytes that Windows-1252 leaves undefined. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * A guess of the file's encoding from the first bad byte of each bad line: when every one of them
 * is a character in Windows-1252 (0x80–0x9F: € and curly quotes; 0xA0–0xFF: Latin-1 letters such
 * as é), the file is most likely Excel's "CSV" export on Windows; otherwise no guess.
 */
export function guessEncoding(badBytes: ReadonlySet<number>): string | undefined {
  if (badBytes.size === 0) return undefined;
  for (const b of badBytes) if (b < 0x80 || CP1252_UNDEFINED.has(b)) return undefined;
  return `Windows-1252 (Excel's "CSV" on Windows)`;
}

/** Counts the lines holding invalid UTF-8 and words the file-level problem. */
export class InvalidUtf8Tally {
  /** Lines holding invalid UTF-8. */
  lines = 0;
  private readonly bytes = new Set<number>();

  /** Counts one bad line; true when it is one of the first few, to be reported as an example. */
  add(byte: number): boolean {
    this.lines++;
    this.bytes.add(byte);
    return this.lines <= INVALID_UTF8_EXAMPLES;
  }

  /** The file-level message, or undefined when every line is UTF-8. */
  message(): string | undefined {
    if (this.lines === 0) return undefined;
    const n = this.lines;
    const count = `${countOf(n, 'line')} hold${n === 1 ? 's' : ''} bytes that are not UTF-8`;
    const shown = n > INVALID_UTF8_EXAMPLES ? `the first ${INVALID_UTF8_EXAMPLES} are listed` : n === 1 ? 'it is listed' : 'they are listed';
    const guess = guessEncoding(this.bytes);
    const advice = guess !== undefined
      ? `it looks like ${guess}: re-export it as "CSV UTF-8"`
      : 're-export it as "CSV UTF-8"';
    return `the file is not UTF-8: ${count} (${shown}; ${n === 1 ? 'its row is' : 'their rows are'} left out); ${advice}`;
  }
}

/**
 * The same rule for the other CSV files payout reads from a user (the uncashed list, an elections
 * file): hand `add` to a Utf8LineChecker over the file's bytes; a record on a line it reported is
 * left out (`holds`), and `problems()` gives the file-level error (no line, so it sorts first)
 * and the first few lines as examples, instead of one error per line.
 */
export class InvalidUtf8Report {
  private readonly tally = new InvalidUtf8Tally();
  private readonly bad = new Set<number>();
  private readonly examples: Problem[] = [];

  constructor(private readonly file: string) {}

  readonly add = ({ line, byte }: InvalidUtf8): void => {
    this.bad.add(line);
    if (this.tally.add(byte)) this.examples.push({ code: 'invalid_utf8', severity: 'error', file: this.file, line, message: invalidUtf8LineMessage(byte) });
  };

  /** True when one of the physical lines `from` to `to` of a record holds invalid UTF-8. */
  holds(from: number, to = from): boolean {
    if (this.bad.size === 0) return false;
    for (let line = from; line <= to; line++) if (this.bad.has(line)) return true;
    return false;
  }

  /** The file-level error, then the example lines; none when the file is UTF-8. */
  problems(): Problem[] {
    const message = this.tally.message();
    return message === undefined ? [] : [{ code: 'invalid_utf8', severity: 'error', file: this.file, message }, ...this.examples];
  }
}
