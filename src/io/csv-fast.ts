/**
 * The fast path of the claims reader: a tokenizer for the common shape of a CSV file, with
 * csv-parse (claims-reader.ts) as the authority on everything else.
 *
 * It takes plain fields and quoted fields (doubled quotes and line breaks inside the quotes
 * included), records ended by LF or CRLF, and nothing else. At the first record that is anything
 * else — a quote inside an unquoted field, text after a closing quote, a carriage return that does
 * not end a line, a quote left open at the end of the file, a record longer than
 * {@link MAX_FAST_RECORD} characters — it stops *before* that record and the reader hands the
 * rest of the bytes, from the record's first byte, to csv-parse, which then reports the error or
 * reads the oddity exactly as if it had read the whole file. So every error message comes from one
 * place, and the records handed on are the ones csv-parse would give: the differential property
 * tests (test/io/csv-fast*.test.ts) compare both paths on generated nasty files.
 *
 * Per record the work is small: a chunk is read once as Latin-1 text (one character per byte, a
 * native copy), the record's fields are found from the structural index of the window that the
 * native addon makes (csv-fast-index.ts), or without it with `String#indexOf`, and only the cells
 * the reader asked for become strings — a substring when the bytes are ASCII, a UTF-8 decode of
 * the bytes when they are not (csv-parse decodes each field's bytes as UTF-8 too). Cells of other
 * columns are handed on as "" (the reader only counts them), unless every cell it reads is blank,
 * when the whole record is decoded, so the blank-row check sees what csv-parse would give
 * (csv-fast-records.ts).
 */
import { IndexedFastCsv } from './csv-fast-index.js';
import { MAX_FAST_RECORD, type ColumnPlan } from './csv-fast-records.js';
import { csvScan, type CsvScan } from './csv-scan.js';

export { MAX_FAST_RECORD, type ColumnPlan } from './csv-fast-records.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/**
 * "Not found" for the searches below: past any offset `feed` sees (its text is a chunk and a cut
 * record, a few MiB). The largest small integer V8 keeps unboxed (2^30 − 1): a larger one, as
 * Number.MAX_SAFE_INTEGER was, made the positions doubles and the optimised `feed` bail out
 * ("not a Smi") and be compiled again.
 */
const NONE = 0x3fffffff;

/** Whether the fast path can read files with this delimiter (one ASCII character, not a quote or line break). */
export function fastPathSupports(delimiter: string): boolean {
  if (delimiter.length !== 1) return false;
  const c = delimiter.charCodeAt(0);
  return c < 0x80 && c !== QUOTE && c !== LF && c !== CR;
}

/** Index of `ch` in `text` from `from`, or NONE. */
function next(text: string, ch: string, from: number): number {
  const i = text.indexOf(ch, from);
  return i < 0 ? NONE : i;
}

export class FastCsv extends IndexedFastCsv {
  protected readonly scan: CsvScan | undefined;

  constructor(
    delimiter: string,
    /** Takes each record; the array is reused for the next one, so it must not be kept. */
    onRecord: (fields: string[], line: number) => void,
    columns: () => ColumnPlan | undefined,
    /**
     * Finds the window's delimiters, quotes and line breaks (csv-scan.ts): by default the native
     * addon's when it is built and allowed; null, or no addon: `String#indexOf`.
     */
    scan: CsvScan | null = csvScan() ?? null,
  ) {
    if (!fastPathSupports(delimiter)) throw new RangeError(`the fast CSV path cannot read delimiter ${JSON.stringify(delimiter)}`);
    super(delimiter, onRecord, columns);
    this.scan = scan ?? undefined;
  }

  /** Whether the fields are found from the addon's index (false: with indexOf). */
  get indexed(): boolean {
    return this.scan !== undefined;
  }

  /**
   * Hands on every complete record in `buf[from, end)`, where `text` is `buf[0, end)` read as
   * Latin-1, and returns the offset where the first record not handed on starts: a record cut by
   * `end` (call again with more bytes after it), or, when `handOff` is then set, a record the fast
   * path leaves to csv-parse. `final`: no bytes follow `end`.
   */
  feed(buf: Uint8Array, text: string, from: number, end: number, final: boolean): number {
    return this.scan !== undefined ? this.feedIndexed(buf, text, from, end, final) : this.feedSearch(buf, text, from, end, final);
  }

  /** `feed` with the fields found by `String#indexOf` (no addon, or `PAYOUT_NATIVE=0`). */
  private feedSearch(buf: Uint8Array, text: string, from: number, end: number, final: boolean): number {
    if (end >= NONE) throw new RangeError(`fast CSV: ${end} bytes at once`);
    this.begin(buf, text, end);
    const delimiter = this.delimiter;
    const delimiterCode = this.delimiterCode;
    // Next LF, quote and CR at or after the current position (recomputed when passed).
    let nl = -1;
    let qt = -1;
    let cr = -1;
    let p = from;
    // A record cut by `end` (see `more`): one exit for every place that finds it, so that the
    // optimised `feed` meets one call it has not run yet, not four (each such call recompiles it).
    let cut = -1;
    records: while (p < end) {
      const recordStart = p;
      let lineBreaks = 0;
      let count = 0;
      for (;;) {
        if (count === this.starts.length) this.growFields();
        if (p < end && text.charCodeAt(p) === QUOTE) {
          // A quoted field: up to the quote that is not doubled.
          let q = text.indexOf('"', p + 1);
          let doubled = 0;
          for (;;) {
            if (q < 0) {
              cut = recordStart;
              break records;
            }
            if (q + 1 < end) {
              if (text.charCodeAt(q + 1) !== QUOTE) break;
              doubled = 1;
              q = text.indexOf('"', q + 2);
              continue;
            }
            if (!final) {
            cut = recordStart;
            break records;
          }
            break;
          }
          if (nl <= p) nl = next(text, '\n', p + 1);
          while (nl < q) {
            lineBreaks++;
            nl = next(text, '\n', nl + 1);
          }
          this.starts[count] = p + 1;
          this.ends[count] = q;
          this.doubled[count] = doubled;
          count++;
          p = q + 1;
          if (p === end) break; // the end of the file (final)
          const c = text.charCodeAt(p);
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
            if (p + 1 < end && text.charCodeAt(p + 1) === LF) {
              p += 2;
              break;
            }
          }
          return this.leave(recordStart);
        }
        // A plain field: up to the next delimiter or the end of the line.
        if (nl < p) nl = next(text, '\n', p);
        let e = text.indexOf(delimiter, p);
        if (e < 0) e = NONE;
        let last = false;
        let atEnd = false;
        if (e > nl) {
          e = nl;
          last = true;
        }
        if (e === NONE) {
          if (!final) {
            cut = recordStart;
            break records;
          }
          e = end;
          last = true;
          atEnd = true;
        }
        if (qt < p) qt = next(text, '"', p);
        if (qt < e) return this.leave(recordStart);
        if (cr < p) cr = next(text, '\r', p);
        let fieldEnd = e;
        if (cr < e) {
          // Only the CR of a CRLF line end; a CR anywhere else is left to csv-parse.
          if (!last || atEnd || cr !== e - 1) return this.leave(recordStart);
          fieldEnd = cr;
        }
        this.starts[count] = p;
        this.ends[count] = fieldEnd;
        this.doubled[count] = 0;
        count++;
        if (!last) {
          p = e + 1;
          continue;
        }
        p = atEnd ? end : e + 1;
        break;
      }
      if (p - recordStart > MAX_FAST_RECORD) return this.leave(recordStart);
      this.emit(count, lineBreaks, recordStart, p);
    }
    return cut >= 0 ? this.more(cut, end, final) : p;
  }

}
