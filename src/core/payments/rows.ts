/**
 * The rows of the payment files other than NACHA: PayPal Payouts (no header; recipient, amount,
 * currency, customer reference, note, wallet), the check register (columns from the plan's
 * template), payments.csv (one row per payment, destinations masked) and addresses.csv.
 */
import { csvField, textCell } from '../csv-cell.js';
import { formatMoney, type Cents } from '../money.js';
import type { MailingAddress } from './elections.js';
import type { CheckColumn } from './plan-section.js';

/** PayPal's web upload takes at most 5,000 rows per file. */
export const PAYPAL_ROWS_PER_FILE = 5000;

/**
 * One PayPal Payouts row (`amountText`: formatMoney(r.amount), when the caller has it already). The recipient, the claim id and the note go to PayPal as they are (a
 * `'` before a formula character would become part of the reference), quoted when needed;
 * recipients are validated emails, phone digits or handles, none of which can start a formula.
 */
export function paypalRow(r: { recipient: string; amount: Cents; currency: string; claimId: string; note: string; wallet: 'PAYPAL' | 'VENMO' }, amountText = formatMoney(r.amount)): string {
  // Built with join: one flat string per row, not a rope of its pieces (a million rows are held).
  return [csvField(r.recipient), amountText, r.currency, csvField(r.claimId), csvField(r.note), `${r.wallet}\n`].join(',');
}

export interface CheckRow extends MailingAddress {
  checkNumber: string;
  issueDate: string;
  amount: Cents;
  claimId: string;
  paymentId: string;
  account: string;
}

/** The register's header line (when the template has one). */
export const checkHeader = (columns: readonly CheckColumn[]): string => `${columns.join(',')}\n`;

/** One check register row; text cells are guarded against spreadsheet formulas (docs/spec.md §5). `amountText` as for paypalRow. */
export function checkRow(columns: readonly CheckColumn[], r: CheckRow, amountText?: string): string {
  const cell = (c: CheckColumn): string => {
    switch (c) {
      case 'check_number':
        return r.checkNumber;
      case 'issue_date':
        return r.issueDate;
      case 'amount':
        return amountText ?? formatMoney(r.amount);
      case 'payee':
        return textCell(r.name);
      case 'address':
        return textCell(r.address);
      case 'address2':
        return textCell(r.address2);
      case 'city':
        return textCell(r.city);
      case 'state':
        return textCell(r.state);
      case 'zip':
        return textCell(r.zip);
      case 'claim_id':
        return textCell(r.claimId);
      case 'payment_id':
        return r.paymentId;
      case 'account':
        return r.account;
    }
  };
  const cells = columns.map(cell);
  cells[cells.length - 1] += '\n';
  return cells.join(',');
}

export const PAYMENTS_COLUMNS = ['payment_id', 'claim_id', 'round', 'method', 'file', 'row', 'reference', 'amount', 'currency', 'destination'] as const;

export interface PaymentRecord {
  paymentId: string;
  claimId: string;
  round: number;
  method: 'paypal' | 'venmo' | 'ach' | 'check';
  file: string;
  /** 1-based row of the file's payments (the entry's sequence in a NACHA batch). */
  row: number;
  /** What the payment is known by at the bank or PayPal: trace number, check number, customer reference. */
  reference: string;
  amount: Cents;
  currency: string;
  /** Masked to the last 4 characters (account number, email, phone, handle); empty for a check. */
  destination: string;
}

/** One payments.csv row; `amountText` is formatMoney(p.amount), when the caller has it already. */
export function paymentsRow(p: PaymentRecord, amountText = formatMoney(p.amount)): string {
  return [p.paymentId, textCell(p.claimId), p.round, p.method, p.file, p.row, textCell(p.reference), amountText, p.currency, `${p.destination}\n`].join(',');
}

export const ADDRESSES_COLUMNS = ['claim_id', 'name', 'address', 'address2', 'city', 'state', 'zip'] as const;

/** addresses.csv: the mailing address of each paid claim that has one, for a check reissued later. */
export function addressRow(claimId: string, m: MailingAddress): string {
  return [textCell(claimId), textCell(m.name), textCell(m.address), textCell(m.address2), textCell(m.city), textCell(m.state), `${textCell(m.zip)}\n`].join(',');
}
