/**
 * A Buffer with Node's one-call decoders of a byte range (`latin1Slice`, `utf8Slice`: not in
 * @types/node): a cell's text without a `subarray` and a `toString` per cell. The readers of
 * claims and ledgers call them on every field.
 */
export interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
