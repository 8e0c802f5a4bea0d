/**
 * What `payout accounting` reads besides an allocation's summary (core/report-input.ts): a second
 * distribution's summary.json (docs/redistribute.md), checked with zod and normalised to bigint
 * cents. Keys the accounting does not use are ignored; another format version is refused.
 */
import { z } from 'zod';
import { parseMoney, type Cents } from './money.js';

const MONEY = 'an amount as a string with 2 decimals, e.g. "1200000.00"';
const money = z
  .string({ error: (iss) => (iss.input === undefined ? 'required' : `must be ${MONEY}`) })
  .regex(/^\d+\.\d{2}$/, `must be ${MONEY}`)
  .transform((s): Cents => parseMoney(s) as Cents);
const count = z.number().int('must be a whole number').nonnegative('must not be negative');

/** summary.json's `receipts` (docs/receipts.md), in both rounds' summaries; absent in older runs. */
export const receiptsSchema = z.object({ encoding: z.string(), root: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'), leaves: count }).optional();

export const redistributionSummarySchema = z.object({
  format: z.string().regex(/^payout-redistribution\/1$/, 'expected "payout-redistribution/1" (this payout reads format 1)'),
  case: z.string(),
  currency: z.string(),
  round: count,
  seed: z.string(),
  firstRound: z.object({ seed: z.string(), claims: count, paid: count, amount: money, residual: money }),
  available: z.object({
    firstRoundResidual: money,
    uncashedClaims: count,
    uncashedAmount: money,
    costs: money,
    available: money,
  }),
  classes: z.array(z.object({ id: z.string(), claims: count, paid: count, amount: money })),
  totals: z.object({ claims: count, paid: count, uncashed: count, amount: money, residual: money }),
  residualRecipient: z.string().nullable().optional(),
  receipts: receiptsSchema,
});

export type RedistributionSummary = z.output<typeof redistributionSummarySchema>;

/** Exact money with up to 6 decimals (a bucket's claimed and funded sums, allocation.md section 12). */
const exact = z.string().regex(/^\d+(\.\d{1,6})?$/, 'must be a decimal string such as "212345.600000"');

/** A bucket plan's summary.json (docs/allocation.md section 12, `"mode": "buckets"`): what the accounting reads of it. */
export const bucketSummarySchema = z.object({
  format: z.string().regex(/^payout-bucket-summary\/1$/, 'expected "payout-bucket-summary/1" (this payout reads format 1)'),
  case: z.string(),
  currency: z.string(),
  mode: z.literal('buckets'),
  seed: z.string(),
  fund: z.object({ gross: money, interest: money, fund: money }),
  deductions: z.array(z.object({ label: z.string(), rule: z.string(), amount: money })),
  net: money,
  buckets: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.string(),
      claims: count,
      claimed: exact.nullable(),
      totalCap: money.nullable(),
      funded: exact,
      paid: money,
      reductionPercent: z.string().regex(/^-?\d+(\.\d{1,6})?$/, 'must be a decimal string such as "38.000000"').nullable(),
    }),
  ),
  claims: z.object({ rows: count }),
  totalPaid: money,
  residual: money,
  residualRecipient: z.string().nullable().optional(),
  receipts: receiptsSchema,
});

export type BucketSummary = z.output<typeof bucketSummarySchema>;
