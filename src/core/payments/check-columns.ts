/**
 * The check register's columns (the plan's `payments.check.columns`, plan-section.ts), in a module
 * of their own: the payment files' worker (io/payments/pay-build-worker.ts) needs them, and
 * importing the plan's schema would load zod on that thread too (~20–30 ms of CPU as it starts).
 */

/** Columns a check register may hold, in any order (`payments.check.columns`). */
export const CHECK_COLUMNS = [
  'check_number',
  'issue_date',
  'amount',
  'payee',
  'address',
  'address2',
  'city',
  'state',
  'zip',
  'claim_id',
  'payment_id',
  'account',
] as const;
export type CheckColumn = (typeof CHECK_COLUMNS)[number];

/** The documented default layout: every column but the account (what most positive-pay issue files ask for, and the mailing address). */
export const DEFAULT_CHECK_COLUMNS: readonly CheckColumn[] = CHECK_COLUMNS.filter((c) => c !== 'account');
