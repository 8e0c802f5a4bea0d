/**
 * The claim ids of a ledger's rows, in ledger order, held as one string and where each id starts in
 * it: a million ids as a million strings cost the reading thread their allocation, their copies by
 * the garbage collector (they live for the whole run) and a copy of each to the payment ids'
 * worker; as one string they cost one decode and one copy.
 */

interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export class LedgerIds {
  /**
   * `text`: the ids one after the other; `starts`: where row r's id starts in it (UTF-16 units),
   * and at `starts[length]` where the last one ends.
   */
  constructor(
    readonly text: string,
    readonly starts: Int32Array,
    readonly length: number,
  ) {}

  static from(ids: readonly string[]): LedgerIds {
    const b = new LedgerIdsBuilder();
    for (const id of ids) b.addString(id);
    return b.finish();
  }

  /** Row `row`'s id; undefined past the end. */
  at(row: number): string | undefined {
    if (row < 0 || row >= this.length) return undefined;
    return this.text.substring(this.starts[row] as number, this.starts[row + 1] as number);
  }

  /** Whether row `row`'s id is `id` (without making the row's id a string). */
  is(row: number, id: string): boolean {
    if (row < 0 || row >= this.length) return false;
    const s = this.starts[row] as number;
    return (this.starts[row + 1] as number) - s === id.length && this.text.startsWith(id, s);
  }
}

/** Collects a ledger's ids, as UTF-8 bytes, into a LedgerIds. */
export class LedgerIdsBuilder {
  private bytes = Buffer.allocUnsafe(1 << 20) as SliceableBuffer;
  private used = 0;
  private starts = new Int32Array(1 << 16);
  private rows = 0;
  /** UTF-16 units so far (the text's length once decoded). */
  private units = 0;
  private ascii = true;

  get length(): number {
    return this.rows;
  }

  /** An id given by its bytes `src[s, e)`, all ASCII (one byte a UTF-16 unit). */
  addAscii(src: Uint8Array, s: number, e: number): void {
    const n = e - s;
    this.room(n);
    const bytes = this.bytes;
    let at = this.used;
    for (let i = s; i < e; i++) bytes[at++] = src[i] as number;
    this.used = at;
    this.begin(n);
  }

  addString(id: string): void {
    this.room(id.length * 3);
    const written = this.bytes.write(id, this.used, 'utf8');
    if (written !== id.length) this.ascii = false;
    this.used += written;
    this.begin(id.length);
  }

  finish(): LedgerIds {
    this.starts[this.rows] = this.units;
    const text = this.ascii ? this.bytes.latin1Slice(0, this.used) : this.bytes.utf8Slice(0, this.used);
    // Strings decoded from bytes (as every id is) come back from their UTF-8 unchanged.
    if (text.length !== this.units) throw new Error(`internal: the ledger's ids are ${text.length} characters, ${this.units} were added`);
    return new LedgerIds(text, this.starts.subarray(0, this.rows + 1), this.rows);
  }

  private begin(units: number): void {
    if (this.rows + 2 > this.starts.length) {
      const bigger = new Int32Array(this.starts.length * 2);
      bigger.set(this.starts);
      this.starts = bigger;
    }
    this.starts[this.rows++] = this.units;
    this.units += units;
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + n)) as SliceableBuffer;
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}
