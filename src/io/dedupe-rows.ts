/**
 * The fast path's rows for the duplicate checks (dedupe-batch.ts), a batch at a time: each row's
 * line and the ranges of its cells (RANGE_FIELDS numbers a row), and the bytes the ranges point
 * into, copied window by window as the reader hands its chunk on (`stageBytes`), so that a chunk
 * read in several windows is still one batch. The buffers of the batches the worker answered are
 * moved back and filled again (`giveBack`): fresh ones for every batch (~1.4 MiB) were ~30,000
 * page faults of a 1M-claim allocate.
 */
import { RANGE_FIELDS } from './dedupe-check.js';

/** The least a batch's byte buffer holds: a chunk of the file (CHUNK_BYTES, 896 KiB) and a record carried over (≤ 64 KiB). */
const BATCH_BYTES = (896 + 64) << 10;

/** Where the tokenizer has a record's fields (FastCsv.copyFields). */
export interface FieldRanges {
  copyFields(fields: Int32Array, into: Int32Array, at: number): void;
}

/** A batch ready to go: its bytes and ranges (views of buffers of their own, to be moved) and its rows. */
export interface StagedRows {
  bytes: Uint8Array;
  ranges: Int32Array;
  rows: number;
}

export class RangedRows {
  private ranges: Int32Array = new Int32Array(RANGE_FIELDS * 4096);
  private rows = 0;
  /** The bytes of the rows staged so far, their length, and how many rows point into them. */
  private staged: Uint8Array | undefined;
  private stagedBytes = 0;
  private stagedRows = 0;
  private readonly freeBytes: ArrayBuffer[] = [];
  private readonly freeRanges: ArrayBuffer[] = [];
  /** Buffers (bytes and ranges) made rather than given back: for tests. */
  buffersMade = 0;

  /** `keep`: buffers of each kind kept for filling again (as many as batches can be in flight). */
  constructor(private readonly keep: number) {}

  /**
   * A row: where its cells are in the bytes (see `stageBytes`): start, end and doubled-quotes
   * flag of email, name, address and the claim id. The claim id is not held here: the checks
   * decode it from the bytes for the duplicates they find (`DedupeReply.hitIds`).
   */
  addRange(line: number, cells: readonly number[]): void {
    this.roomForRow();
    const at = this.rows * RANGE_FIELDS;
    this.ranges[at] = line;
    for (let k = 0; k < RANGE_FIELDS - 1; k++) this.ranges[at + 1 + k] = cells[k] as number;
    this.rows++;
  }

  /**
   * A row, as `addRange`, its cells' ranges copied straight from the tokenizer (one call, not one
   * per number): `fields` are the columns of email, name, address and claim id (-1: not wanted).
   */
  addFastRow(line: number, tokenizer: FieldRanges, fields: Int32Array): void {
    this.roomForRow();
    const at = this.rows * RANGE_FIELDS;
    this.ranges[at] = line;
    tokenizer.copyFields(fields, this.ranges, at + 1);
    this.rows++;
  }

  private roomForRow(): void {
    if ((this.rows + 1) * RANGE_FIELDS > this.ranges.length) {
      const bigger = new Int32Array(this.ranges.length * 2);
      bigger.set(this.ranges);
      this.ranges = bigger;
    }
  }

  /**
   * Copies the bytes the rows added since the last call are in into the batch being filled
   * (`bytes` starts at offset `base` of the buffer the ranges point into), and moves their ranges
   * to match.
   */
  stageBytes(bytes: Uint8Array, base = 0): void {
    if (this.rows === this.stagedRows) return;
    const need = this.stagedBytes + bytes.byteLength;
    let staged = this.staged;
    if (staged === undefined || staged.byteLength < need) {
      const bigger = this.takeBytes(need);
      if (staged !== undefined && this.stagedBytes > 0) bigger.set(staged.subarray(0, this.stagedBytes));
      staged = this.staged = bigger;
    }
    staged.set(bytes, this.stagedBytes);
    const shift = this.stagedBytes - base;
    if (shift !== 0) {
      const r = this.ranges;
      for (let at = this.stagedRows * RANGE_FIELDS; at < this.rows * RANGE_FIELDS; at += RANGE_FIELDS) {
        for (let k = 1; k < RANGE_FIELDS; k += 3) {
          r[at + k] = (r[at + k] as number) + shift;
          r[at + k + 1] = (r[at + k + 1] as number) + shift;
        }
      }
    }
    this.stagedBytes = need;
    this.stagedRows = this.rows;
  }

  /** The rows staged so far as a batch (undefined when none), and a new batch begun. */
  take(): StagedRows | undefined {
    if (this.stagedRows === 0) return undefined;
    if (this.stagedRows !== this.rows) throw new Error('internal: ranged rows without their bytes');
    const staged = this.staged as Uint8Array;
    const batch = { bytes: staged.subarray(0, this.stagedBytes), ranges: this.ranges.subarray(0, this.rows * RANGE_FIELDS), rows: this.rows };
    const length = this.ranges.length;
    this.rows = this.stagedRows = this.stagedBytes = 0;
    this.staged = undefined;
    this.ranges = this.takeRanges(length);
    return batch;
  }

  /** A batch's buffers, moved back once it was checked: filled again (up to `keep` of each kind). */
  giveBack(bytes: Uint8Array | undefined, ranges: Int32Array | undefined): void {
    if (bytes !== undefined && this.freeBytes.length < this.keep) this.freeBytes.push(bytes.buffer as ArrayBuffer);
    if (ranges !== undefined && this.freeRanges.length < this.keep) this.freeRanges.push(ranges.buffer as ArrayBuffer);
  }

  /** A buffer for a batch's bytes, at least `n` long: one given back, else a new one. */
  private takeBytes(n: number): Uint8Array {
    for (let k = this.freeBytes.length - 1; k >= 0; k--) {
      const b = this.freeBytes[k] as ArrayBuffer;
      if (b.byteLength >= n) {
        this.freeBytes.splice(k, 1);
        return new Uint8Array(b);
      }
    }
    this.buffersMade++;
    // Room for a chunk and a record carried over, so that the next batches fit in it too.
    return new Uint8Array(Math.max(n, BATCH_BYTES));
  }

  /** Ranges for `length` fields: given back, else new. */
  private takeRanges(length: number): Int32Array {
    const k = this.freeRanges.findIndex((b) => b.byteLength >= length * 4);
    if (k >= 0) return new Int32Array(this.freeRanges.splice(k, 1)[0] as ArrayBuffer);
    this.buffersMade++;
    return new Int32Array(length);
  }
}
