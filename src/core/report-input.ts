/**
 * What `payout report` reads from an allocation's output folder: summary.json and manifest.json
 * (docs/outputs.md), checked with zod and normalised to bigint cents. Keys the report does not use
 * are ignored, so a newer summary with more fields still reports; a different format version is
 * refused, since its meaning may have changed.
 */
import { z } from 'zod';
import { parseMoney, type Cents } from './money.js';
import { ROUNDING_METHOD_NAMES } from './rounding/index.js';

/** `required` for a missing key, else what was expected (shared by the summaries' schemas). */
export const expected = (what: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'required' : `must be ${what}`);

const MONEY = 'an amount as a string with 2 decimals, e.g. "1200000.00"';
export const money = z
  .string({ error: expected(MONEY) })
  .regex(/^\d+\.\d{2}$/, `must be ${MONEY}`)
  .transform((s): Cents => parseMoney(s) as Cents);
const DECIMAL = 'a plain decimal as a string, e.g. "6" or "1.5"';
const decimalText = z.string({ error: expected(DECIMAL) }).regex(/^\d+(\.\d+)?$/, `must be ${DECIMAL}`);
export const count = z.number({ error: expected('a count (a JSON integer)') }).int('must be a whole number').nonnegative('must not be negative');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

const deductionSchema = z.object({
  label: z.string(),
  rule: z.string(),
  amount: money,
  remaining: money,
});

const poolSchema = z.object({
  id: z.string(),
  net: money,
  /** null when the pool paid no one. */
  pointValue: decimalText.nullable(),
  paid: money,
  residual: money,
  centsPlaced: count,
});

const classSchema = z.object({
  id: z.string(),
  weight: decimalText.nullable().optional(),
  poolPercent: decimalText.nullable().optional(),
  claims: count,
  eligible: count,
  paid: count,
  capped: count,
  belowMinimum: count,
  ineligible: count,
  points: decimalText,
  amount: money,
  smallest: money.nullable(),
  largest: money.nullable(),
  pointValue: decimalText.nullable(),
});

export const summarySchema = z.object({
  format: z.string().regex(/^payout-summary\/1$/, 'expected "payout-summary/1" (this payout reads format 1)'),
  case: z.string(),
  currency: z.string(),
  mode: z.enum(['weights', 'pools']),
  rounding: z.object({
    method: z.enum(ROUNDING_METHOD_NAMES),
    decimals: z.number().int().nonnegative().optional(),
  }),
  seed: z.string(),
  fund: z.object({ gross: money, interest: money, fund: money }),
  deductions: z.array(deductionSchema),
  totalDeductions: money,
  net: money,
  minimumPayment: money.nullable(),
  maximumPayment: money.nullable(),
  pools: z.array(poolSchema),
  classes: z.array(classSchema),
  totals: z.object({
    claims: count,
    eligible: count,
    paid: count,
    amount: money,
    residual: money,
    centsPlaced: count,
  }),
  residualRecipient: z.string().nullable().optional(),
  check: z.object({ paidPlusResidual: money, net: money, balanced: z.boolean() }),
  /** Why claims went unpaid; absent from a summary written by an older payout. */
  unpaid: z
    .object({
      claims: count,
      byStatus: z.array(z.object({ status: z.string(), claims: count })),
      belowMinimum: count,
      cappedToZero: count,
      roundedToZero: count,
    })
    .optional(),
  warnings: z.object({ lookAlikeClaimIds: count.optional(), blankStatuses: count.optional() }).optional(),
});

const fileRef = z.object({ file: z.string(), sha256 });

export const manifestSchema = z.object({
  format: z.string().regex(/^payout-manifest\/1$/, 'expected "payout-manifest/1" (this payout reads format 1)'),
  tool: z.object({ name: z.string(), version: z.string() }),
  command: z.string(),
  plan: fileRef,
  /** allocate's claims file; a second distribution lists its inputs under `inputs` instead. */
  claims: fileRef.extend({ rows: count.optional() }).optional(),
  inputs: z.record(z.string(), fileRef.extend({ rows: count.optional() })).optional(),
  seed: z.string(),
  outputs: z.array(fileRef.extend({ bytes: count, rows: count.optional() })),
});

/** summary.json as the report uses it: money in bigint cents. */
export type Summary = z.output<typeof summarySchema>;
/** manifest.json as the report uses it. */
export type Manifest = z.output<typeof manifestSchema>;
export type SummaryClass = Summary['classes'][number];
