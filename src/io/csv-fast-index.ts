/**
 * The fast CSV tokenizer's fields found from a structural index (docs/performance.md, "Round
 * eight: a structural index for the tokenizer"): the native addon lists the offsets of every
 * delimiter, quote, CR and LF of the window (csv-scan.ts, src/native/csv_scan.c), up to
 * {@link INDEX_OFFSETS} at a time, and `feedIndexed` walks that list — one array read per field —
 * where `feedSearch` (csv-fast.ts) calls `String#indexOf` for each of those characters in turn.
 *
 * It finds the very same records: the same fields, the same line counts, the same records left to
 * csv-parse and the same records cut by the window's end (waiting for more bytes), decided at the
 * same call. The differential tests (test/io/csv-fast*.test.ts) run every case on both.
 */
import { FastCsvRecords, MAX_FAST_RECORD } from './csv-fast-records.js';
import type { CsvScan } from './csv-scan.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** "Not found": past any offset, and a small integer (as csv-fast.ts's NONE). */
const NONE = 0x3fffffff;

/** Offsets the index holds at once (64 KiB): a window of 112 KiB takes one or two scans. */
export const INDEX_OFFSETS = 1 << 14;

export abstract class IndexedFastCsv extends FastCsvRecords {
  /** The addon's scan; undefined: `feed` searches with indexOf instead. */
  protected abstract readonly scan: CsvScan | undefined;
  private index = new Int32Array(INDEX_OFFSETS);
  /** Where the next scan starts: the index holds every offset in [the feed's `from`, scanned). */
  private scanned = 0;

  /** Sets the index's size (tests: a small one, so that the scans end inside records). */
  indexSize(offsets: number): void {
    if (!Number.isInteger(offsets) || offsets < 1) throw new RangeError(`index size ${offsets}`);
    this.index = new Int32Array(offsets);
  }

  /**
   * Scans on from `scanned` (the index is used up): the number of offsets found, now in
   * index[0, n). The scan stops when the index is full; the next one starts after its last offset.
   */
  private refill(end: number): number {
    const index = this.index;
    const found = (this.scan as CsvScan)(this.buf, this.scanned, end, this.delimiterCode, index);
    this.scanned = found === index.length ? (index[found - 1] as number) + 1 : end;
    return found;
  }

  /** `feed` (csv-fast.ts) with the fields found from the index. */
  protected feedIndexed(buf: Uint8Array, text: string, from: number, end: number, final: boolean): number {
    if (end >= NONE) throw new RangeError(`fast CSV: ${end} bytes at once`);
    this.begin(buf, text, end);
    this.scanned = from;
    const delimiterCode = this.delimiterCode;
    // index[k, n): the offsets of the last scan not passed yet. Below, "the next offset at or after
    // x" is the loop: skip offsets before x; at the end of the index, scan on (refill), unless the
    // scans have reached `end` (then NONE).
    const index = this.index;
    let k = 0;
    let n = 0;
    let s = NONE;
    let p = from;
    // A record cut by `end` (see `more`): one exit for every place that finds it.
    let cut = -1;
    records: while (p < end) {
      const recordStart = p;
      let lineBreaks = 0;
      let count = 0;
      for (;;) {
        if (count === this.starts.length) this.growFields();
        if (p < end && buf[p] === QUOTE) {
          // A quoted field: up to the quote that is not doubled, counting the LFs inside.
          let after = p + 1;
          let doubled = 0;
          for (;;) {
            for (;;) {
              if (k < n) {
                s = index[k] as number;
                if (s >= after) break;
                k++;
              } else if (this.scanned < end) {
                n = this.refill(end);
                k = 0;
              } else {
                s = NONE;
                break;
              }
            }
            if (s === NONE) {
              cut = recordStart;
              break records;
            }
            const c = buf[s];
            if (c === QUOTE) {
              if (s + 1 < end) {
                if (buf[s + 1] !== QUOTE) break;
                doubled = 1;
                after = s + 2;
                continue;
              }
              if (!final) {
                cut = recordStart;
                break records;
              }
              break;
            }
            if (c === LF) lineBreaks++;
            after = s + 1;
          }
          this.starts[count] = p + 1;
          this.ends[count] = s;
          this.doubled[count] = doubled;
          count++;
          p = s + 1;
          if (p === end) break; // the end of the file (final)
          const c = buf[p];
          if (c === delimiterCode) {
            p++;
            continue;
          }
          if (c === LF) {
            p++;
            break;
          }
          if (c === CR) {
            if (p + 1 === end && !final) {
              cut = recordStart;
              break records;
            }
            if (p + 1 < end && buf[p + 1] === LF) {
              p += 2;
              break;
            }
          }
          return this.leave(recordStart);
        }
        // A plain field: up to the first delimiter, quote, CR or LF.
        for (;;) {
          if (k < n) {
            s = index[k] as number;
            if (s >= p) break;
            k++;
          } else if (this.scanned < end) {
            n = this.refill(end);
            k = 0;
          } else {
            s = NONE;
            break;
          }
        }
        if (s === NONE) {
          if (!final) {
            cut = recordStart;
            break records;
          }
          // The last field of the file.
          this.starts[count] = p;
          this.ends[count] = end;
          this.doubled[count] = 0;
          count++;
          p = end;
          break;
        }
        const c = buf[s];
        this.starts[count] = p;
        this.ends[count] = s;
        this.doubled[count] = 0;
        if (c === delimiterCode) {
          count++;
          p = s + 1;
          k++;
          continue;
        }
        if (c === LF) {
          count++;
          p = s + 1;
          k++;
          break;
        }
        if (c === CR && s + 1 < end && buf[s + 1] === LF) {
          count++;
          p = s + 2;
          break;
        }
        // A quote inside a plain field, or a CR that does not end a line: csv-parse's, unless no
        // delimiter nor LF follows before `end` and more bytes may come (the record is cut first).
        if (!final && text.indexOf(this.delimiter, s) < 0 && text.indexOf('\n', s) < 0) {
          cut = recordStart;
          break records;
        }
        return this.leave(recordStart);
      }
      if (p - recordStart > MAX_FAST_RECORD) return this.leave(recordStart);
      this.emit(count, lineBreaks, recordStart, p);
    }
    return cut >= 0 ? this.more(cut, end, final) : p;
  }
}
