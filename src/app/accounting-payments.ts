/**
 * The hook for payment methods in the accounting (`payout accounting --payments PAYDIR`): the
 * payments, by method, of the pay folder `payout pay` writes for a round. Reading a pay folder
 * belongs to the payments module; until it provides this reader, a pay folder is refused (exit 2)
 * and the accounting shows the payment methods as "not given".
 */
import type { PaymentMethodLine } from '../core/accounting.js';
import { UsageError } from '../core/errors.js';

/** Reads a pay folder's payments by method (one line per round and method). */
export type PaymentMethodsReader = (payDir: string) => Promise<PaymentMethodLine[]>;

export const readPaymentMethods: PaymentMethodsReader = async (payDir) => {
  throw new UsageError(`--payments ${payDir}: this version of payout cannot read a pay folder's payment methods yet; leave out --payments (they are shown as "not given")`);
};
