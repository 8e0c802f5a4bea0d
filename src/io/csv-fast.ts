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
 * native copy), the record's fields are found with `String#indexOf` (native), and only the cells
 * the reader asked for become strings — a substring when the bytes are ASCII, a UTF-8 decode of
 * the bytes when they are not (csv-parse decodes each field's bytes as UTF-8 too). Cells of other
 * columns are handed on as "" (the reader only counts them), unless every cell it reads is blank,
 * when the whole record is decoded, so the blank-row check sees what csv-parse would give.
 */
import { AsciiRuns } from './csv-fast-ascii.js';

/** Which cells of a claim row the reader needs as text (see ClaimsCollector.columnPlan). */
export interface ColumnPlan {
  /** 1 for a column whose cells are read; the cells of other columns are handed on as "". */
  read: Uint8Array;
  /**
   * 1 for a column whose cells are kept (claim ids, --keep, interned values): handed on as strings
   * of their own. Other cells may be slices of the chunk's text, which must not outlive the row.
   */
  own: Uint8Array;
  /**
   * 1 for a column whose cells mostly repeat the row before (class, units, status): a cell equal
   * to the previous one is handed on as the very same string, so the reader's lookup by it finds
   * its hash already computed and nothing new is allocated.
   */
  repeat?: Uint8Array;
  /**
   * Takes a record from its bytes first (`record.buffer`, `fieldStart`, `fieldEnd`; `count` fields):
   * true when it has, and no cell is made; false, and the record is handed on as strings.
   */
  bytes?: (record: FastCsv, count: number) => boolean;
}

/** A record longer than this (characters = bytes here) is left to csv-parse and its size limit. */
export const MAX_FAST_RECORD = 1 << 16;

/**
 * V8 copies a substring shorter than this; a longer one is a slice that keeps its whole parent (a
 * 1 MiB chunk) alive, so a cell that is kept is then decoded from the bytes instead.
 */
const COPIED_SUBSTRING = 13;

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

interface SliceableBuffer extends Uint8Array {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

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

/** A cell is blank when `trim()` leaves nothing; most cells start with a visible ASCII character. */
function isBlank(cell: string): boolean {
  if (cell.length === 0) return true;
  const c = cell.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return cell.trim() === '';
}

export class FastCsv {
  /** Physical line on which the next record starts (the first line is 1). */
  line = 1;
  /** Set when `feed` stopped at a record it leaves to csv-parse. */
  handOff = false;

  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly ascii = new AsciiRuns();
  // The current record's fields: start, end (of the bytes between the quotes for a quoted field)
  // and whether a doubled quote is inside.
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private doubled = new Uint8Array(64);
  private buf: SliceableBuffer = Buffer.alloc(0) as unknown as SliceableBuffer;
  private text = '';
  private plan: ColumnPlan | undefined;
  private readonly fields: string[] = [];
  /** The last cell handed on per repeating column. */
  private readonly previous: string[] = [];
  /** Whether the current record's bytes are all ASCII (then every field is). */
  private recordAscii = false;

  constructor(
    delimiter: string,
    /** Takes each record; the array is reused for the next one, so it must not be kept. */
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly columns: () => ColumnPlan | undefined,
  ) {
    if (!fastPathSupports(delimiter)) throw new RangeError(`the fast CSV path cannot read delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /**
   * Hands on every complete record in `buf[from, end)`, where `text` is `buf[0, end)` read as
   * Latin-1, and returns the offset where the first record not handed on starts: a record cut by
   * `end` (call again with more bytes after it), or, when `handOff` is then set, a record the fast
   * path leaves to csv-parse. `final`: no bytes follow `end`.
   */
  feed(buf: Uint8Array, text: string, from: number, end: number, final: boolean): number {
    if (end >= NONE) throw new RangeError(`fast CSV: ${end} bytes at once`);
    this.buf = buf as SliceableBuffer;
    this.text = text;
    this.ascii.reset(buf, end);
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

  /**
   * While `onRecord` runs: where field `f` of the record is in the bytes given to `feed` — its first
   * byte, the byte after it (inside the quotes for a quoted field) — and 1 when a doubled quote is
   * inside (the text is then the bytes decoded as UTF-8 with `""` made `"`).
   */
  fieldStart(f: number): number {
    return this.starts[f] as number;
  }

  fieldEnd(f: number): number {
    return this.ends[f] as number;
  }

  fieldDoubled(f: number): number {
    return this.doubled[f] as number;
  }

  /**
   * While `onRecord` runs: start, end and doubled-quotes flag of each field of `fields` (a field
   * index, or -1 for three zeros), written to `into` from `at` on (three numbers a field), as
   * `fieldStart`, `fieldEnd` and `fieldDoubled` give them, without a call per number.
   */
  copyFields(fields: Int32Array, into: Int32Array, at: number): void {
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k] as number;
      const o = at + 3 * k;
      if (f < 0) {
        into[o] = 0;
        into[o + 1] = 0;
        into[o + 2] = 0;
      } else {
        into[o] = this.starts[f] as number;
        into[o + 1] = this.ends[f] as number;
        into[o + 2] = this.doubled[f] as number;
      }
    }
  }

  /** While `onRecord` or a plan's `bytes` runs: the bytes its fields' positions are in. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** A record cut by the end of the bytes: wait for more, or at the end of the file leave it to csv-parse. */
  private more(recordStart: number, end: number, final: boolean): number {
    if (final || end - recordStart > MAX_FAST_RECORD) return this.leave(recordStart);
    return recordStart;
  }

  private leave(recordStart: number): number {
    this.handOff = true;
    return recordStart;
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts, new Int32Array(n));
    this.ends = grow(this.ends, new Int32Array(n));
    this.doubled = grow(this.doubled, new Uint8Array(n));
  }

  /** Hands on the record of `count` fields in bytes [recordStart, recordEnd). */
  private emit(count: number, lineBreaks: number, recordStart: number, recordEnd: number): void {
    const plan = (this.plan ??= this.columns());
    if (plan?.bytes !== undefined && plan.bytes(this, count)) {
      this.line += 1 + lineBreaks;
      return;
    }
    // Asked only of records made into strings (AsciiRuns takes queries that move forward).
    this.recordAscii = this.ascii.isAscii(recordStart, recordEnd);
    // One array for every record: the reader reads it during the call and keeps none of it.
    const fields = this.fields;
    // Overwritten in place: records mostly have the same count, and setting the length costs a call.
    if (fields.length > count) fields.length = count;
    if (plan === undefined) {
      for (let f = 0; f < count; f++) fields[f] = this.cell(f, true);
    } else {
      const { read, own, repeat } = plan;
      const previous = this.previous;
      let blank = true;
      for (let f = 0; f < count; f++) {
        if (f < read.length && read[f] === 1) {
          let cell: string;
          if (repeat !== undefined && repeat[f] === 1) {
            const last = previous[f];
            const s = this.starts[f] as number;
            if (last !== undefined && this.doubled[f] === 0 && (this.ends[f] as number) - s === last.length && this.recordAscii && this.text.startsWith(last, s)) {
              cell = last;
            } else {
              cell = this.cell(f, true);
              previous[f] = cell;
            }
          } else cell = this.cell(f, own[f] === 1);
          fields[f] = cell;
          if (blank && !isBlank(cell)) blank = false;
        } else fields[f] = '';
      }
      // Every cell the reader reads is blank: it checks the whole row, so decode the whole row.
      if (blank) for (let f = 0; f < count; f++) fields[f] = this.cell(f, true);
    }
    const line = this.line;
    this.line = line + 1 + lineBreaks;
    this.onRecord(fields, line);
  }

  /** Field `f` of the current record as text; `own`: never a slice of the chunk's text. */
  private cell(f: number, own: boolean): string {
    const s = this.starts[f] as number;
    const e = this.ends[f] as number;
    let cell: string;
    if (this.recordAscii || this.ascii.isAscii(s, e)) {
      cell = own && e - s >= COPIED_SUBSTRING ? this.buf.latin1Slice(s, e) : this.text.substring(s, e);
    } else {
      cell = this.buf.utf8Slice(s, e);
    }
    return this.doubled[f] === 1 ? cell.replaceAll('""', '"') : cell;
  }
}
