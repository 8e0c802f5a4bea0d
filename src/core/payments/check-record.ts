/**
 * A check register row from a claim's record of bytes (core/payments/record-batch.ts), in the
 * columns of the plan's template, as checkRow (core/payments/rows.ts) writes it.
 */
import type { CheckColumn } from './plan-section.js';
import { put, putCell, putCells, putHexId, putText } from './record-cells.js';

const COMMA = 0x2c;
const LF = 0x0a;

/** What every check row of a run has: the issue date, the fund's account, the payment ids' head and bytes. */
export interface CheckConstants {
  issueDate: Uint8Array;
  account: Uint8Array;
  head: Uint8Array;
  digests: Uint8Array;
}

/**
 * Writes the row at `u` in `b` and returns where it ends. `at`: start and end of the record's
 * cells (the claim id, then name, address, address2, city, state and zip); the check number's
 * ASCII digits in `number[0 … numberLength]`; the payment id from
 * `k.digests` at `idAt`, else `textId`; the amount as formatMoney writes it, in ASCII bytes (`amount`).
 */
export function putCheckRow(
  b: Uint8Array,
  u: number,
  columns: readonly CheckColumn[],
  src: Uint8Array,
  at: Int32Array,
  number: Uint8Array,
  numberLength: number,
  amount: Uint8Array,
  k: CheckConstants,
  idAt: number,
  textId: string | undefined,
): number {
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) b[u++] = COMMA;
    switch (columns[i]) {
      case 'check_number':
        u = put(b, u, number, 0, numberLength);
        break;
      case 'issue_date':
        u = put(b, u, k.issueDate, 0, k.issueDate.length);
        break;
      case 'amount':
        u = put(b, u, amount, 0, amount.length);
        break;
      case 'payee':
        u = putCell(b, u, src, at[2]!, at[3]!);
        // The default template's payee, address, address2, city, state and zip: the five after the payee in one loop.
        if (columns[i + 1] === 'address' && columns[i + 2] === 'address2' && columns[i + 3] === 'city' && columns[i + 4] === 'state' && columns[i + 5] === 'zip') {
          u = putCells(b, u, src, at, 4, 14);
          i += 5;
        }
        break;
      case 'address':
        u = putCell(b, u, src, at[4]!, at[5]!);
        break;
      case 'address2':
        u = putCell(b, u, src, at[6]!, at[7]!);
        break;
      case 'city':
        u = putCell(b, u, src, at[8]!, at[9]!);
        break;
      case 'state':
        u = putCell(b, u, src, at[10]!, at[11]!);
        break;
      case 'zip':
        u = putCell(b, u, src, at[12]!, at[13]!);
        break;
      case 'claim_id':
        u = putCell(b, u, src, at[0]!, at[1]!);
        break;
      case 'payment_id':
        u = textId === undefined ? putHexId(b, u, k.head, k.digests, idAt) : putText(b, u, textId);
        break;
      case 'account':
        u = put(b, u, k.account, 0, k.account.length);
        break;
    }
  }
  b[u++] = LF;
  return u;
}
