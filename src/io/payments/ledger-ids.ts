/**
 * The claim ids of a ledger's rows, in ledger order, held as a few long strings and where each id
 * starts in them: a million ids as a million strings cost the reading thread their allocation,
 * their copies by the garbage collector (they live for the whole run) and a copy of each to the
 * payment ids' worker; as one string they cost one decode and one copy. Each string holds the ids
 * of 2^20 rows (a string has at most 2^29 characters: tens of millions of ids would not fit in one).
 */
import type { SliceableBuffer } from '../sliceable-buffer.js';

/** Rows per string, as a power of 2. */
export const LEDGER_IDS_SHIFT = 20;

/** A ledger's claim ids by row, as the claims file's reader asks for them (LedgerIds, or ledger-thread.ts's rows as they are read). */
export interface LedgerIdsView {
  /** The rows (of a ledger still being read: once it is read). */
  readonly length: number;
  /** Row `row`'s id; undefined past the end. */
  at(row: number): string | undefined;
  /** Whether row `row`'s id is `id`. */
  is(row: number, id: string): boolean;
  /** Whether row `row`'s id is the ASCII bytes `src[s … e]` (an id that is not ASCII never is). */
  isBytes(row: number, src: Uint8Array, s: number, e: number): boolean;
}

export class LedgerIds implements LedgerIdsView {
  /**
   * `texts[k]`: the ids of rows k·2^shift to (k+1)·2^shift − 1 one after the other; `starts[r]`:
   * where row r's id starts in its string (UTF-16 units). A row's id ends where the next row's
   * starts, or at the end of its string.
   */
  constructor(
    readonly texts: readonly string[],
    readonly starts: Int32Array,
    readonly length: number,
    readonly shift: number = LEDGER_IDS_SHIFT,
  ) {}

  static from(ids: readonly string[], shift = LEDGER_IDS_SHIFT): LedgerIds {
    const b = new LedgerIdsBuilder(shift);
    for (const id of ids) b.addString(id);
    return b.finish();
  }

  /** Row `row`'s id; undefined past the end. */
  at(row: number): string | undefined {
    if (row < 0 || row >= this.length) return undefined;
    const text = this.texts[row >>> this.shift] as string;
    return text.substring(this.starts[row] as number, this.end(row, text));
  }

  /** Whether row `row`'s id is `id`. */
  is(row: number, id: string): boolean {
    if (row < 0 || row >= this.length) return false;
    const text = this.texts[row >>> this.shift] as string;
    const s = this.starts[row] as number;
    const e = this.end(row, text);
    // A substring compared is faster than `startsWith` at an offset (a micro-benchmark: 21 ms a million against 48).
    return e - s === id.length && text.substring(s, e) === id;
  }

  /** Whether row `row`'s id is the ASCII bytes `src[s … e]` (an id that is not ASCII never is). */
  isBytes(row: number, src: Uint8Array, s: number, e: number): boolean {
    if (row < 0 || row >= this.length) return false;
    const text = this.texts[row >>> this.shift] as string;
    const from = this.starts[row] as number;
    if (this.end(row, text) - from !== e - s) return false;
    for (let i = 0; i < e - s; i++) {
      const c = src[s + i]!;
      if (c >= 0x80 || text.charCodeAt(from + i) !== c) return false;
    }
    return true;
  }

  private end(row: number, text: string): number {
    const next = row + 1;
    return next === this.length || next >>> this.shift !== row >>> this.shift ? text.length : (this.starts[next] as number);
  }
}

/** Collects a ledger's ids, as UTF-8 bytes, into a LedgerIds. */
export class LedgerIdsBuilder {
  private bytes = Buffer.allocUnsafe(1 << 20) as SliceableBuffer;
  private used = 0;
  private starts = new Int32Array(1 << 16);
  private rows = 0;
  /** UTF-16 units so far in the current string (its length once decoded). */
  private units = 0;
  private ascii = true;
  private readonly texts: string[] = [];

  constructor(private readonly shift = LEDGER_IDS_SHIFT) {}

  get length(): number {
    return this.rows;
  }

  /** An id given by its bytes `src[s, e)`, all ASCII (one byte a UTF-16 unit). */
  addAscii(src: Uint8Array, s: number, e: number): void {
    this.begin();
    const n = e - s;
    this.room(n);
    const bytes = this.bytes;
    let at = this.used;
    for (let i = s; i < e; i++) bytes[at++] = src[i] as number;
    this.used = at;
    this.units += n;
  }

  addString(id: string): void {
    this.begin();
    this.room(id.length * 3);
    const written = this.bytes.write(id, this.used, 'utf8');
    if (written !== id.length) this.ascii = false;
    this.used += written;
    this.units += id.length;
  }

  finish(): LedgerIds {
    // The string of the last rows is still open (one, empty, when there are no rows).
    if (this.texts.length < (this.rows === 0 ? 1 : ((this.rows - 1) >>> this.shift) + 1)) this.close();
    return new LedgerIds(this.texts.slice(), this.starts.subarray(0, this.rows), this.rows, this.shift);
  }

  /** Starts a row: a new string every 2^shift rows. */
  private begin(): void {
    if (this.rows > 0 && this.rows >>> this.shift !== (this.rows - 1) >>> this.shift) this.close();
    if (this.rows + 1 > this.starts.length) {
      const bigger = new Int32Array(this.starts.length * 2);
      bigger.set(this.starts);
      this.starts = bigger;
    }
    this.starts[this.rows++] = this.units;
  }

  /** The current string, decoded. */
  private close(): void {
    const text = this.ascii ? this.bytes.latin1Slice(0, this.used) : this.bytes.utf8Slice(0, this.used);
    // Strings decoded from bytes (as every id is) come back from their UTF-8 unchanged.
    if (text.length !== this.units) throw new Error(`internal: the ledger's ids are of length ${text.length}, ${this.units} were added`);
    this.texts.push(text);
    this.used = 0;
    this.units = 0;
    this.ascii = true;
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + n)) as SliceableBuffer;
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}
