/**
 * A NACHA entry detail record from a claim's record of bytes (core/payments/record-batch.ts), as
 * NachaWriter.entry (nacha.ts) writes it, and its trace number.
 */
import { put, putAlpha, putAscii, putInt } from './record-cells.js';

const LF = 0x0a;

/** The trace number of entry `entry` of the run: the ODFI's 8 digits and 7 of sequence. */
export function putTrace(b: Uint8Array, u: number, odfi: Uint8Array, entry: number): number {
  return putInt(b, put(b, u, odfi, 0, odfi.length), entry, 7);
}

/** The 8-digit routing prefix (the entry hash's part) of the routing number at `src[s …]`. */
export function routingPrefix(src: Uint8Array, s: number): number {
  let prefix = 0;
  for (let i = s; i < s + 8; i++) prefix = prefix * 10 + (src[i]! - 0x30);
  return prefix;
}

/**
 * The record (95 bytes with its line break) at `u` in `b`; returns where it ends. `at`: the
 * record's cells (claim id, routing, account, name) as start and end pairs in `src`; `digits`: the
 * amount's cents. Throws a RangeError for an amount past 10 digits or a routing and account that
 * would not make 94 characters.
 */
export function putAchEntry(b: Uint8Array, u: number, src: Uint8Array, at: Int32Array, savings: boolean, digits: string, odfi: Uint8Array, entry: number): number {
  const rs = at[2]!;
  const re = at[3]!;
  const as = at[4]!;
  const ae = at[5]!;
  if (digits.length > 10) throw new RangeError(`${digits} does not fit a NACHA field of 10 digits`);
  const length = 3 + (re - rs) + Math.max(17, ae - as) + 10 + 15 + 22 + 3 + 15;
  if (length !== 94) throw new RangeError(`NACHA record of ${length} characters: 6`);
  b[u++] = 0x36;
  b[u++] = savings ? 0x33 : 0x32;
  b[u++] = 0x32;
  u = put(b, u, src, rs, re);
  u = put(b, u, src, as, ae);
  for (let i = ae - as; i < 17; i++) b[u++] = 0x20;
  for (let i = digits.length; i < 10; i++) b[u++] = 0x30;
  u = putAscii(b, u, digits);
  u = putAlpha(b, u, src, at[0]!, at[1]!, 15);
  u = putAlpha(b, u, src, at[6]!, at[7]!, 22);
  b[u++] = 0x20;
  b[u++] = 0x20;
  b[u++] = 0x30;
  u = putTrace(b, u, odfi, entry);
  b[u++] = LF;
  return u;
}
