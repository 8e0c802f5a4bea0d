/**
 * The hook for payment methods in the accounting (`payout accounting --payments PAYDIR`): the
 * payments, by method, of the pay folder `payout pay` writes for a round, read from its
 * payments.csv (checked against the folder's manifest, as `payout reconcile` reads it).
 */
import type { PaymentMethodLine } from '../core/accounting.js';
import { DataError, UsageError } from '../core/errors.js';
import { PAYMENT_METHODS } from '../core/payments/elections.js';
import { readPayFolder } from '../io/payments/pay-folder-reader.js';

/** Reads a pay folder's payments by method (one line per round and method). */
export type PaymentMethodsReader = (payDir: string) => Promise<PaymentMethodLine[]>;

export const readPaymentMethods: PaymentMethodsReader = async (payDir) => {
  let payments;
  try {
    ({ payments } = await readPayFolder(payDir));
  } catch (err) {
    if (err instanceof UsageError || err instanceof DataError) {
      const Wrapped = err instanceof UsageError ? UsageError : DataError;
      throw new Wrapped(`--payments ${payDir}: ${err.message}`, err.problems);
    }
    throw err;
  }
  const lines = new Map<string, PaymentMethodLine>();
  for (const p of payments) {
    const key = `${p.round}:${p.method}`;
    const line = lines.get(key) ?? { round: p.round, method: p.method, payments: 0, amount: 0n };
    line.payments++;
    line.amount += p.amount;
    lines.set(key, line);
  }
  const order = (m: string): number => PAYMENT_METHODS.indexOf(m as (typeof PAYMENT_METHODS)[number]);
  return [...lines.values()].sort((a, b) => a.round - b.round || order(a.method) - order(b.method));
};
