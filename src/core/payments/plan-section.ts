/**
 * The plan's optional `payments` section (docs/payments.md): what `payout pay` needs beyond the
 * ledger. The NACHA file's origin and company data, the PayPal note and currency, the check
 * register's layout and first check number, and the issue date every file carries (a date from
 * the plan, not the clock, so the same inputs give the same files).
 */
import { z } from 'zod';
import { isAbaRouting } from './aba.js';

// The check register's columns live apart (check-columns.ts): the payment files' worker needs them without zod.
import { CHECK_COLUMNS } from './check-columns.js';
export { CHECK_COLUMNS, DEFAULT_CHECK_COLUMNS, type CheckColumn } from './check-columns.js';

/** NACHA fields are upper-case ASCII; a character outside it would shift every column after it. */
const nachaText = (max: number) =>
  z
    .string({ error: `required: text of at most ${max} characters` })
    .max(max, `at most ${max} characters (a NACHA field)`)
    .regex(/^[ -~]*$/, 'printable ASCII only (a NACHA field)');

const isoDate = z
  .string({ error: 'required: the issue date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

const achSchema = z.strictObject({
  immediateDestination: z
    .string({ error: 'required: the receiving point\'s 9-digit routing number' })
    .refine(isAbaRouting, 'must be a 9-digit ABA routing number with a valid check digit'),
  immediateDestinationName: nachaText(23),
  immediateOrigin: z.string({ error: 'required: 10 characters, usually "1" + the EIN' }).regex(/^[0-9 ]\d{9}$/, 'must be 10 digits, or a space and 9 digits'),
  immediateOriginName: nachaText(23),
  companyName: nachaText(16).min(1, 'must not be empty'),
  companyId: z.string({ error: 'required: the 10-character company identification' }).regex(/^[0-9A-Za-z ]{10}$/, 'must be exactly 10 letters or digits'),
  odfi: z.string({ error: 'required: the first 8 digits of the originating bank\'s routing number' }).regex(/^\d{8}$/, 'must be 8 digits'),
  entryDescription: nachaText(10).default('SETTLEMENT'),
  discretionaryData: nachaText(20).default(''),
  referenceCode: nachaText(8).default(''),
  /** Entries per file (one batch each): banks cap file sizes. */
  entriesPerFile: z.number().int().min(1).max(999_999).default(100_000),
});

const paypalSchema = z.strictObject({
  note: z.string().max(4000, 'at most 4,000 characters').default(''),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code such as "USD"').optional(),
});

const checkSchema = z.strictObject({
  startNumber: z.string({ error: 'required: the first check number, as a string of digits' }).regex(/^\d{1,12}$/, 'must be digits, e.g. "100001"'),
  columns: z.array(z.enum(CHECK_COLUMNS, { error: `must be one of ${CHECK_COLUMNS.join(', ')}` })).min(1).optional(),
  header: z.boolean().default(true),
  /** The fund's disbursement account, for the `account` column of a positive-pay file (not a claimant's). */
  account: z.string().regex(/^[0-9A-Za-z-]{1,17}$/, 'letters, digits or hyphens, at most 17').optional(),
});

export const paymentsSchema = z.strictObject({
  issueDate: isoDate,
  ach: achSchema.optional(),
  paypal: paypalSchema.default({ note: '' }),
  check: checkSchema.optional(),
});

export type PaymentsConfig = z.output<typeof paymentsSchema>;
export type AchConfig = z.output<typeof achSchema>;
export type CheckConfig = z.output<typeof checkSchema>;
