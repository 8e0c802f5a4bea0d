/**
 * What `payout report` reads from a second round's folder (`payout redistribute --out DIR2`):
 * summary.json of format payout-redistribution/1 (docs/redistribute.md), checked with zod and
 * normalised to bigint cents. Keys the report does not use are ignored; another format version is
 * refused, since its meaning may have changed. The manifest is the one allocate writes
 * (report-input.ts).
 */
import { z } from 'zod';
import { ROUNDING_METHOD_NAMES } from './rounding/index.js';
import { count, expected, money } from './report-input.js';

/** The format of a second round's summary.json. */
export const ROUND2_FORMAT = 'payout-redistribution/1';

const DECIMAL = 'a plain decimal as a string, e.g. "397.000000"';
const decimalText = z.string({ error: expected(DECIMAL) }).regex(/^\d+(\.\d+)?$/, `must be ${DECIMAL}`);

const counts = {
  claims: count,
  eligible: count,
  uncashed: count,
  ineligible: count,
  paid: count,
  capped: count,
  belowMinimum: count,
  eligibleFirstAmount: money,
  eligibleFirstShare: decimalText,
  amount: money,
};

const classSchema = z.object({ id: z.string(), ...counts, smallest: money.nullable(), largest: money.nullable() });

export const round2SummarySchema = z.object({
  format: z.string().regex(/^payout-redistribution\/1$/, `expected "${ROUND2_FORMAT}" (this payout reads format 1)`),
  case: z.string(),
  currency: z.string(),
  round: z.literal(2, 'must be 2'),
  rounding: z.object({ method: z.enum(ROUNDING_METHOD_NAMES) }),
  seed: z.string(),
  firstRound: z.object({ seed: z.string(), claims: count, paid: count, amount: money, residual: money }),
  available: z.object({
    rule: z.string(),
    firstRoundResidual: money,
    uncashedClaims: count,
    uncashedAmount: money,
    costs: money,
    available: money,
  }),
  /** `first-round exact share` after a plan of classes, `first-round amount` after a bucket plan. */
  points: z.string(),
  minimumPayment: money.nullable(),
  maximumPayment: money.nullable(),
  perFirstRoundShare: decimalText.nullable(),
  classes: z.array(classSchema),
  totals: z.object({ ...counts, residual: money, centsPlaced: count }),
  residualRecipient: z.string().nullable().optional(),
  check: z.object({ paidPlusResidual: money, available: money, balanced: z.boolean() }),
});

/** A second round's summary.json as the report uses it: money in bigint cents. */
export type Round2Summary = z.output<typeof round2SummarySchema>;
export type Round2Class = Round2Summary['classes'][number];
