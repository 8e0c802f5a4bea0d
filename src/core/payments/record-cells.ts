/**
 * Cells of the payment files written from UTF-8 bytes (core/payments/record-batch.ts): NACHA's
 * alphanumeric fields, masked destinations, zero-padded digits, and sums of cents.
 */
import { maskLast4 } from '../mask.js';
import { formatMoney, type Cents } from '../money.js';
import type { CheckColumn } from './plan-section.js';
import type { ByteRows } from './byte-rows.js';
import { nachaAlpha } from './nacha.js';

const decoder = new TextDecoder();
const COMMA = 0x2c;
const LF = 0x0a;

/** A sum of cents kept in a number while it is exact, in a bigint past that. */
export class Sum {
  private big = 0n;
  private small = 0;
  add(c: number): void {
    if (this.small + c > Number.MAX_SAFE_INTEGER) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.small += c;
  }
  addBig(c: bigint): void {
    this.big += c;
  }
  get value(): Cents {
    return this.big + BigInt(this.small);
  }
}

/** NACHA's alphanumeric field (nachaAlpha, cut to `width`, padded with spaces). */
export function nachaField(w: ByteRows, src: Uint8Array, start: number, end: number, width: number): void {
  let printable = true;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c < 0x20 || c > 0x7e) {
      printable = false;
      break;
    }
  }
  if (!printable) {
    w.text(nachaAlpha(decoder.decode(src.subarray(start, end))).slice(0, width).padEnd(width, ' '));
    return;
  }
  const to = Math.min(end, start + width);
  for (let i = start; i < to; i++) {
    const c = src[i]!;
    w.byte(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
  }
  for (let i = to - start; i < width; i++) w.byte(0x20);
}

/** maskLast4 of a destination: `****` and its last 4 characters. */
export function maskedBytes(w: ByteRows, src: Uint8Array, start: number, end: number): void {
  let plain = end - start > 8;
  for (let i = start; plain && i < end; i++) {
    const c = src[i]!;
    if (c <= 0x20 || c >= 0x7f) plain = false; // a space to trim, or more than ASCII: as maskLast4 does it
  }
  if (!plain) {
    w.text(maskLast4(decoder.decode(src.subarray(start, end))));
    return;
  }
  for (let i = 0; i < 4; i++) w.byte(0x2a);
  w.bytes(src, end - 4, end);
}

/** Digits of a safe integer ≥ 0. */
export function decimalDigits(n: number): number {
  let d = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
  return d;
}

/** `n`'s digits, zero-padded to `width` (n has at most `width` digits). */
export function zeroPadded(w: ByteRows, n: number, width: number): void {
  const digits = decimalDigits(n);
  for (let i = digits; i < width; i++) w.byte(0x30);
  w.int(n);
}

/** An amount's text (formatMoney): from the cents, or from `big` past 2^53 cents. */
export function amountBytes(w: ByteRows, cents: number, big: bigint | undefined): void {
  if (big === undefined) w.cents(cents);
  else w.text(formatMoney(big));
}

/** What every check row of a run has: the issue date, the fund's account, the payment ids' head and bytes. */
export interface CheckConstants {
issueDate: Uint8Array;
account: Uint8Array;
head: Uint8Array;
digests: Uint8Array;
}

/**
 * checkRow's columns from a record's cells (`at`: start and end of the claim id, then of the name,
 * address, address2, city, state and zip); the payment id from `digests` at `idAt`, else `textId`.
 */
export function checkRowFrom(
w: ByteRows,
columns: readonly CheckColumn[],
src: Uint8Array,
at: Int32Array,
number: string,
cents: number,
big: bigint | undefined,
k: CheckConstants,
idAt: number,
textId: string | undefined,
): void {
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) w.byte(COMMA);
    switch (columns[i]) {
      case 'check_number':
        w.text(number);
        break;
      case 'issue_date':
        w.bytes(k.issueDate, 0, k.issueDate.length);
        break;
      case 'amount':
        amountBytes(w, cents, big);
        break;
      case 'payee':
        w.cellBytes(src, at[2]!, at[3]!);
        break;
      case 'address':
        w.cellBytes(src, at[4]!, at[5]!);
        break;
      case 'address2':
        w.cellBytes(src, at[6]!, at[7]!);
        break;
      case 'city':
        w.cellBytes(src, at[8]!, at[9]!);
        break;
      case 'state':
        w.cellBytes(src, at[10]!, at[11]!);
        break;
      case 'zip':
        w.cellBytes(src, at[12]!, at[13]!);
        break;
      case 'claim_id':
        w.cellBytes(src, at[0]!, at[1]!);
        break;
      case 'payment_id':
        if (textId === undefined) w.hexId(k.head, k.digests, idAt);
        else w.text(textId);
        break;
      case 'account':
        w.bytes(k.account, 0, k.account.length);
        break;
    }
  }
  w.byte(LF);
}
