/**
 * What the fast CSV tokenizer (csv-fast.ts) does with a record once its fields are found: the
 * fields' byte ranges (for a plan's `bytes` hook and `copyFields`), the cells the reader asked for
 * made into strings, the line count, and the hand-off bookkeeping. The finding is done by the
 * subclasses: csv-fast-index.ts (a structural index from the native addon) and csv-fast.ts
 * (`String#indexOf`), which find the same fields.
 */
import { AsciiRuns } from './csv-fast-ascii.js';
import type { SliceableBuffer } from './sliceable-buffer.js';

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
   * true when it has, and no cell is made; false, and the record is handed on as strings. (A
   * method, not a property: a hook may declare its record as the FastCsv it always is.)
   */
  bytes?(record: FastCsvRecords, count: number): boolean;
}

/** A record longer than this (characters = bytes here) is left to csv-parse and its size limit. */
export const MAX_FAST_RECORD = 1 << 16;

/**
 * V8 copies a substring shorter than this; a longer one is a slice that keeps its whole parent (a
 * 1 MiB chunk) alive, so a cell that is kept is then decoded from the bytes instead.
 */
const COPIED_SUBSTRING = 13;

/** A cell is blank when `trim()` leaves nothing; most cells start with a visible ASCII character. */
function isBlank(cell: string): boolean {
  if (cell.length === 0) return true;
  const c = cell.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return cell.trim() === '';
}

export abstract class FastCsvRecords {
  /** Physical line on which the next record starts (the first line is 1). */
  line = 1;
  /** Set when `feed` stopped at a record it leaves to csv-parse. */
  handOff = false;

  protected readonly delimiter: string;
  protected readonly delimiterCode: number;
  protected readonly ascii = new AsciiRuns();
  // The current record's fields: start, end (of the bytes between the quotes for a quoted field)
  // and whether a doubled quote is inside.
  protected starts = new Int32Array(64);
  protected ends = new Int32Array(64);
  protected doubled = new Uint8Array(64);
  protected buf: SliceableBuffer = Buffer.alloc(0) as unknown as SliceableBuffer;
  protected text = '';
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
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /**
   * Hands on every complete record in `buf[from, end)`, where `text` is `buf[0, end)` read as
   * Latin-1, and returns the offset where the first record not handed on starts: a record cut by
   * `end` (call again with more bytes after it), or, when `handOff` is then set, a record the fast
   * path leaves to csv-parse. `final`: no bytes follow `end`.
   */
  abstract feed(buf: Uint8Array, text: string, from: number, end: number, final: boolean): number;

  /** The bytes and text a `feed` reads. */
  protected begin(buf: Uint8Array, text: string, end: number): void {
    this.buf = buf as SliceableBuffer;
    this.text = text;
    this.ascii.reset(buf, end);
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
  protected more(recordStart: number, end: number, final: boolean): number {
    if (final || end - recordStart > MAX_FAST_RECORD) return this.leave(recordStart);
    return recordStart;
  }

  protected leave(recordStart: number): number {
    this.handOff = true;
    return recordStart;
  }

  protected growFields(): void {
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
  protected emit(count: number, lineBreaks: number, recordStart: number, recordEnd: number): void {
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
