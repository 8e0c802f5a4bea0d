/**
 * The payment methods of the accounting (`payout accounting --payments PAYDIR`): the payments of
 * a pay folder (`payout pay --out`, read and checked against its manifest by the payments module's
 * reader) counted and summed per round and method. The accounting asks only this function, so
 * what a pay folder holds stays the payments module's business.
 */
import type { PaymentMethodLine } from '../core/accounting.js';
import { readPayFolder } from '../io/payments/pay-folder-reader.js';

/** A pay folder's payments by method, and the SHA-256 of the ledger it paid (from its manifest). */
export interface PaymentMethods {
  ledgerSha256: string | null;
  lines: PaymentMethodLine[];
}

/** Reads a pay folder's payments by method (one line per round and method). */
export type PaymentMethodsReader = (payDir: string) => Promise<PaymentMethods>;

export const readPaymentMethods: PaymentMethodsReader = async (payDir) => {
  const { payments, manifest } = await readPayFolder(payDir);
  const lines = new Map<string, PaymentMethodLine>();
  for (const p of payments) {
    const key = `${p.round}\u0000${p.method}`;
    const line = lines.get(key) ?? { round: p.round, method: p.method, payments: 0, amount: 0n };
    line.payments++;
    line.amount += p.amount;
    lines.set(key, line);
  }
  const sorted = [...lines.values()].sort((a, b) => a.round - b.round || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
  return { ledgerSha256: manifest.inputs?.ledger?.sha256 ?? null, lines: sorted };
};
