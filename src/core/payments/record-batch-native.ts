/**
 * The contract between the records' batch builder (record-batch.ts) and the native addon's
 * `payRows` (src/native/pay_rows.c, loaded by io/payments/pay-rows-native.ts): the addon writes the
 * rows of a run of plain records into the five files' current blocks and stops at the first record
 * the builder must make itself; the builder makes that one and calls it again. Here: the layout of
 * the numbers and constant bytes handed over, and packing them. The builder's own rows are the
 * reference; the addon is used only once it has written the same bytes on a sample
 * (io/payments/pay-rows-native.ts payRowsRight).
 */
import { CHECK_COLUMNS, type CheckColumn } from './check-columns.js';
import { LATIN1 } from './record-cells.js';

/**
 * payRows(records, digests, consts, paypal, ach, checks, payments, addresses, ints, big): the rows
 * of the records of `records` from ints[P_POS] on, written into the five blocks from their ends in
 * ints; returns why it stopped (PAY_…), with `ints` and `big` moved on past the records written.
 */
export type PayRowRun = (
  records: Uint8Array,
  digests: Uint8Array,
  consts: Uint8Array,
  paypal: Uint8Array,
  ach: Uint8Array,
  checks: Uint8Array,
  payments: Uint8Array,
  addresses: Uint8Array,
  ints: Int32Array,
  big: BigInt64Array,
) => number;

/** Why a run stopped: the block's end, a record the builder makes, no room in a block. */
export const PAY_DONE = 0;
export const PAY_RECORD = 1;
export const PAY_ROOM = 2;

/** The five blocks, in the order payRows takes them. */
export const O_PAYPAL = 0;
export const O_ACH = 1;
export const O_CHECKS = 2;
export const O_PAYMENTS = 3;
export const O_ADDRESSES = 4;

// ints: where the next record begins; rows whose payment id is made (row < ready); each block's
// end (5); claims paid by PayPal, Venmo, ACH, check (4); rows of the current PayPal file, entries of
// the current NACHA file and of the run; then, read only: the plan's NACHA entries per file (0: no
// ach section), the check start's digits (-1: no check section, or a start past 15 digits), the
// bytes a row may hold beyond its record's, the rows per PayPal file, and the segments of `consts` (start, length each).
export const P_POS = 0;
export const P_READY = 1;
export const P_USED = 2;
export const P_COUNTS = 7;
export const P_PAYPAL_ROWS = 11;
export const P_ACH_IN_FILE = 12;
export const P_ACH_COUNT = 13;
export const P_ACH_PER_FILE = 14;
export const P_CHECK_WIDTH = 15;
export const P_CONSTANTS = 16;
export const P_PAYPAL_PER_FILE = 17;
export const P_SEGMENTS = 18;

// Segments of `consts`.
const K_NOTE = 0;
const K_PP_CURRENCY = 1;
const K_CURRENCY = 2;
const K_HEAD = 3;
const K_ODFI = 4;
const K_ISSUE = 5;
const K_ACCOUNT = 6;
const K_MIDDLE = 7; // 5, by method
const K_WALLET = 12; // 2
const K_COLUMNS = 14;
const K_LATIN1 = 15;
const SEGMENTS = 16;
export const PAY_INTS = P_SEGMENTS + 2 * SEGMENTS;

// big: the cents summed per sum of record-batch.ts (S_PAYPAL … S_CHECK, 5), the NACHA entries'
// routing prefixes summed, and (read only) the check start number's value.
export const B_ROUTING = 5;
export const B_CHECK_BASE = 6;
export const PAY_BIGS = 7;

/** The bytes every row of a run may take from outside its record. */
export interface PayRowConstants {
  /** The PayPal note as a CSV field. */
  note: Uint8Array;
  paypalCurrency: Uint8Array;
  currency: Uint8Array;
  /** The payment ids' head, P<round>-. */
  head: Uint8Array;
  odfi: Uint8Array;
  issueDate: Uint8Array;
  /** The fund's account, on check rows. */
  account: Uint8Array;
  /** payments.csv's `round,method,file,`, by method (M_PAYPAL … M_CHECK). */
  middles: readonly Uint8Array[];
  /** PAYPAL, VENMO. */
  wallets: readonly Uint8Array[];
  columns: readonly CheckColumn[];
}

/**
 * nachaAlpha of U+00A0 … U+00FF (record-cells.ts LATIN1) as the addon reads it: per character its
 * length and up to 3 ASCII bytes; 255 for one it must leave to the builder (none today).
 */
const LATIN1_TABLE = ((): Uint8Array => {
  const t = new Uint8Array(96 * 4);
  LATIN1.forEach((s, k) => {
    const ascii = [...s].every((c) => c.charCodeAt(0) < 0x80);
    t[4 * k] = s.length <= 3 && ascii ? s.length : 255;
    if (t[4 * k] !== 255) for (let j = 0; j < s.length; j++) t[4 * k + 1 + j] = s.charCodeAt(j);
  });
  return t;
})();

/**
 * The constant bytes in one array, with their segments written into `ints`; returns the bytes and
 * how many they are in all (which the rows' bound must cover).
 */
export function packPayConstants(c: PayRowConstants, ints: Int32Array): { bytes: Uint8Array; fixed: number } {
  const parts: Uint8Array[] = [];
  parts[K_NOTE] = c.note;
  parts[K_PP_CURRENCY] = c.paypalCurrency;
  parts[K_CURRENCY] = c.currency;
  parts[K_HEAD] = c.head;
  parts[K_ODFI] = c.odfi;
  parts[K_ISSUE] = c.issueDate;
  parts[K_ACCOUNT] = c.account;
  for (let m = 0; m < 5; m++) parts[K_MIDDLE + m] = c.middles[m]!;
  parts[K_WALLET] = c.wallets[0]!;
  parts[K_WALLET + 1] = c.wallets[1]!;
  parts[K_COLUMNS] = Uint8Array.from(c.columns, (col) => CHECK_COLUMNS.indexOf(col));
  parts[K_LATIN1] = LATIN1_TABLE;
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  let fixed = 0;
  for (let k = 0; k < SEGMENTS; k++) {
    const p = parts[k]!;
    bytes.set(p, at);
    ints[P_SEGMENTS + 2 * k] = at;
    ints[P_SEGMENTS + 2 * k + 1] = p.length;
    at += p.length;
    if (k < K_COLUMNS) fixed += p.length;
  }
  return { bytes, fixed };
}

/** The bound on a row's bytes beyond its record's that the addon takes (it refuses less than the constants and 64). */
export function payRowBound(builderBound: number, fixed: number): number {
  return Math.max(builderBound, fixed + 64);
}
