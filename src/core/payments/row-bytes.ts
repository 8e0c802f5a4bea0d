/**
 * The rows of core/payments/rows.ts written as bytes into a ByteRows (core/payments/byte-rows.ts):
 * the same bytes as the text those functions return, without a string per row.
 */
import type { ByteRows, IdBytes } from './byte-rows.js';
import type { MailingAddress } from './elections.js';
import type { CheckColumn } from './plan-section.js';
import type { CheckRow, PaymentRecord } from './rows.js';

const COMMA = 0x2c;
const LF = 0x0a;

/** paypalRow; `noteField` is csvField(note), `tail` the currency's and wallet's end of the row. */
export function paypalRowBytes(w: ByteRows, recipient: string, amountText: string, currency: string, claimId: string, noteField: string, wallet: 'PAYPAL' | 'VENMO'): void {
  w.field(recipient);
  w.byte(COMMA);
  w.text(amountText);
  w.byte(COMMA);
  w.text(currency);
  w.byte(COMMA);
  w.field(claimId);
  w.byte(COMMA);
  w.text(noteField);
  w.byte(COMMA);
  w.text(wallet);
  w.byte(LF);
}

/** checkRow; the payment id from `id` when it has it (ByteRows.id). */
export function checkRowBytes(w: ByteRows, columns: readonly CheckColumn[], r: CheckRow, amountText: string, id: IdBytes): void {
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) w.byte(COMMA);
    switch (columns[i]) {
      case 'check_number':
        w.text(r.checkNumber);
        break;
      case 'issue_date':
        w.text(r.issueDate);
        break;
      case 'amount':
        w.text(amountText);
        break;
      case 'payee':
        w.cell(r.name);
        break;
      case 'address':
        w.cell(r.address);
        break;
      case 'address2':
        w.cell(r.address2);
        break;
      case 'city':
        w.cell(r.city);
        break;
      case 'state':
        w.cell(r.state);
        break;
      case 'zip':
        w.cell(r.zip);
        break;
      case 'claim_id':
        w.cell(r.claimId);
        break;
      case 'payment_id':
        w.id(r.paymentId, id);
        break;
      case 'account':
        w.text(r.account);
        break;
    }
  }
  w.byte(LF);
}

/** paymentsRow; the payment id as for checkRowBytes. */
export function paymentsRowBytes(w: ByteRows, p: PaymentRecord, amountText: string, id: IdBytes): void {
  w.id(p.paymentId, id);
  w.byte(COMMA);
  w.cell(p.claimId);
  w.byte(COMMA);
  w.int(p.round);
  w.byte(COMMA);
  w.text(p.method);
  w.byte(COMMA);
  w.text(p.file);
  w.byte(COMMA);
  w.int(p.row);
  w.byte(COMMA);
  w.cell(p.reference);
  w.byte(COMMA);
  w.text(amountText);
  w.byte(COMMA);
  w.text(p.currency);
  w.byte(COMMA);
  w.text(p.destination);
  w.byte(LF);
}

/** addressRow. */
export function addressRowBytes(w: ByteRows, claimId: string, m: MailingAddress): void {
  w.cell(claimId);
  w.byte(COMMA);
  w.cell(m.name);
  w.byte(COMMA);
  w.cell(m.address);
  w.byte(COMMA);
  w.cell(m.address2);
  w.byte(COMMA);
  w.cell(m.city);
  w.byte(COMMA);
  w.cell(m.state);
  w.byte(COMMA);
  w.cell(m.zip);
  w.byte(LF);
}
