/**
 * The structural index of a CSV window (docs/performance.md, "Round eight: a structural index for
 * the tokenizer"): the offsets of every delimiter, quote, CR and LF in bytes [from, end), which the
 * fast tokenizer (csv-fast.ts) walks instead of searching its text for each of those characters.
 *
 * The optional native addon (src/native/csv_scan.c, in the same dist/native/payout_sha256.node as
 * the batched SHA-256) finds them 64 bytes at a time. Without it (no C compiler when payout was
 * installed, an addon built from older sources, or `PAYOUT_NATIVE=0`), the tokenizer searches its
 * text with `String#indexOf` as before: the same records either way, which the differential tests
 * check on both paths.
 */
import { isInteger, loadCheckedFunction, nativeFunction } from './sha256-batch.js';

/**
 * Writes the offsets of the bytes of `bytes[from, end)` that are `delimiter` (a byte value), a
 * quote, CR or LF to `out` from index 0, in order, until `out` is full; returns how many it wrote
 * (when that is `out.length`, scan again from the last offset + 1).
 */
export type CsvScan = (bytes: Uint8Array, from: number, end: number, delimiter: number, out: Int32Array) => number;

/** The contract in plain JavaScript, with the addon's checks: the reference the addon is checked against. */
export const scanJs: CsvScan = (bytes, from, end, delimiter, out) => {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('scan: bytes must be a Uint8Array');
  for (const [name, v] of [['from', from], ['end', end], ['delimiter', delimiter]] as const) {
    if (!isInteger(v)) throw new TypeError(`scan: ${name} must be an integer`);
  }
  if (!(out instanceof Int32Array)) throw new TypeError('scan: out must be an Int32Array');
  if (delimiter > 0xff) throw new RangeError('scan: delimiter must be a byte (0 to 255)');
  if (from > end || end > bytes.length) throw new RangeError('scan: from and end must be in order and within bytes');
  if (end > 0x7fffffff) throw new RangeError('scan: end must be below 2^31');
  let n = 0;
  for (let i = from; i < end; i++) {
    const c = bytes[i] as number;
    if (c === delimiter || c === 0x22 || c === 0x0d || c === 0x0a) {
      if (n === out.length) return n;
      out[n++] = i;
    }
  }
  return n;
};

/**
 * Whether `scan` indexes as `scanJs` does on a few known windows (every offset of a block of 64
 * bytes and of the tail after it, a start and an end inside them, an array that fills up): an addon
 * that lacks the function or indexes wrong is not used. Costs well under a millisecond, once per thread.
 */
export function scansRight(scan: CsvScan): boolean {
  try {
    const text = 'id,name\r\n1,"a ""b"", c"\n' + 'x;y\t'.repeat(40) + '\r"\n,é\u0000,';
    const bytes = Buffer.from(text, 'utf8');
    for (const [from, end, cap, delimiter] of [
      [0, bytes.length, 400, 0x2c],
      [1, bytes.length - 1, 400, 0x3b],
      [3, bytes.length, 5, 0x2c],
      [2, bytes.length, 400, 0x09],
      [0, 70, 64, 0x2c],
    ] as const) {
      const want = new Int32Array(cap);
      const got = new Int32Array(cap);
      const n = scanJs(bytes, from, end, delimiter, want);
      if (scan(bytes, from, end, delimiter, got) !== n || !got.every((v, i) => v === want[i])) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The addon's `scan` at `path`, when it loads and `scansRight`. */
export function loadNativeScan(path: string): CsvScan | undefined {
  return loadCheckedFunction<CsvScan>(path, 'scan', scansRight);
}

/**
 * The addon's `scan` when it is built, indexes right, and `PAYOUT_NATIVE=0` is not set; else
 * undefined (the tokenizer searches with indexOf). The addon is loaded once per thread; the
 * environment is read at each call (once per tokenizer).
 */
export const csvScan: () => CsvScan | undefined = nativeFunction(loadNativeScan);
