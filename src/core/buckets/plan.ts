/**
 * The `buckets` form of the plan (issue 14): benefit buckets funded in order from the net fund,
 * each with its own per-claim cap, total cap and rule for a shortfall. A plan has `classes`
 * (src/core/plan.ts, unchanged) or `buckets`, never both; `isBucketPlan` tells them apart.
 */
import { z } from 'zod';
import { decToRational, parseDec, type Dec, type Rational } from '../decimal.js';
import { formatMoneyHuman, parseMoney, type Cents } from '../money.js';
import { computeNetFund, type Deduction } from '../fund.js';
import type { Problem } from '../problems.js';
import { blankStatusSchema, deductionSchema, digitLimitMessage, increasePercentText, LONE_SURROGATE, percentText, wellFormed, withinDigitLimits } from '../plan.js';
import { paymentsSchema, type PaymentsConfig } from '../payments/plan-section.js';

const money = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? 'must be a string: quote it, a JSON number can lose cents' : 'required: an amount such as "125.00"') })
  .refine((s) => parseMoney(s) !== undefined, 'must be an amount with at most 2 decimals and no sign or separators, e.g. "125.00"');
const decimal = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? 'must be a string: quote it' : 'required: a decimal such as "0.25"') })
  .regex(/^\d+(\.\d{1,6})?$/, 'must be a plain decimal with at most 6 decimals, such as "0.25"')
  .refine(withinDigitLimits, { error: (iss) => digitLimitMessage(String(iss.input)), abort: true });
const positive = decimal.refine((s) => /[1-9]/.test(s), 'must be greater than 0');
const column = z.string({ error: 'required: the claims column that holds this input' }).trim().min(1, 'must not be empty');

const common = {
  id: z.string({ error: 'required: the bucket id (also its ledger column)' }).regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _ (it names a ledger column)'),
  label: z.string({ error: 'required: a label for people' }).min(1),
  order: z.number().int('must be a whole number').optional(),
  perClaimCap: money.optional(),
  totalCap: money.optional(),
  protected: z.boolean().optional(),
  maxIncreasePercent: increasePercentText.optional(),
  maxReductionPercent: percentText.optional(),
  residual: z.boolean().optional(),
  /** Only claims whose choice column holds this value claim in the bucket. */
  choice: z.string().min(1).optional(),
};

const bucketSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...common, kind: z.literal('documented'), amountColumn: column }),
    z.strictObject({
      ...common,
      kind: z.literal('hours'),
      hoursColumn: column,
      rate: money,
      step: positive.default('1'),
      limit: positive.optional(),
      documentedAbove: decimal.optional(),
      documentedColumn: column.optional(),
    }),
    z.strictObject({ ...common, kind: z.literal('flat'), amount: money }),
    z.strictObject({ ...common, kind: z.literal('points'), weight: positive.default('1'), unitsColumn: column }),
  ],
  { error: 'kind must be "documented", "hours", "flat" or "points"' },
);

export const bucketPlanSchema = z.strictObject({
  name: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  gross: money,
  interest: money.default('0'),
  deductions: z.array(deductionSchema).default([]),
  choice: z.strictObject({ column, values: z.array(z.string().trim().min(1)).min(1) }).optional(),
  buckets: z.array(bucketSchema).min(1, 'needs at least one bucket'),
  eligibleStatuses: z.array(z.string().trim().min(1)).min(1).default(['approved']),
  blankStatus: blankStatusSchema,
  minimumPayment: money.nullable().default(null),
  residualRecipient: z.string().nullable().default(null),
  rounding: z.strictObject({ method: z.literal('largest-remainder', { error: 'bucket plans place cents by "largest-remainder"' }) }).optional(),
  seed: z.string({ error: 'required: a seed string that fixes the tie-break (docs/spec.md §4)' }).min(1).refine(wellFormed, LONE_SURROGATE),
  /** What `payout pay` needs (docs/payments.md), as in a plan of classes; the allocation does not read it. */
  payments: paymentsSchema.optional(),
});

export type BucketKind = 'documented' | 'hours' | 'flat' | 'points';

/** A checked bucket: money in cents, rates and weights exact. */
export interface Bucket {
  id: string;
  label: string;
  kind: BucketKind;
  /** Position in the plan (its JSON index), for messages. */
  index: number;
  order: number;
  perClaimCap: Cents | null;
  totalCap: Cents | null;
  protected: boolean;
  /** The bucket may pay a claim at most this much above its entitlement (residual buckets). */
  maxIncrease: Rational | null;
  /** The bucket is reduced at most this fraction of what is claimed in it. */
  maxReduction: Rational | null;
  residual: boolean;
  choice: string | null;
  /** documented: the amount column; hours: the hours column; points: the units column. */
  column: string | null;
  /** hours: rate per hour (cents); flat: the amount (cents). */
  amount: Cents | null;
  step: Rational | null;
  limit: Rational | null;
  documentedAbove: Rational | null;
  documentedColumn: string | null;
  /** points: points per unit. */
  weight: Rational | null;
}

export interface BucketPlan {
  form: 'buckets';
  name: string;
  currency: string;
  gross: Cents;
  interest: Cents;
  deductions: Deduction[];
  choice: { column: string; values: string[] } | null;
  /** In funding order: by `order`, then position in the plan; a residual bucket last. */
  buckets: Bucket[];
  eligibleStatuses: string[];
  /** A blank status cell: `approved` with a warning (the default), or an error (as in a classes plan). */
  blankStatus: 'approved' | 'error';
  minimumPayment: Cents | null;
  residualRecipient: string | null;
  seed: string;
  net: Cents;
  /** The optional `payments` section, for `payout pay` (docs/payments.md). */
  payments?: PaymentsConfig;
}

/** A plan.json value in the buckets form (it has a `buckets` key). */
export function isBucketPlan(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'buckets' in value;
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(plan)';
}

const dec = (s: string): Dec => parseDec(s) as Dec;
const ratOf = (s: string | undefined): Rational | null => (s === undefined ? null : decToRational(dec(s)));
const centsOf = (s: string | undefined | null): Cents | null => (s === undefined || s === null ? null : (parseMoney(s) as Cents));

/**
 * Checks a parsed plan.json value of the buckets form. Returns the plan, or every problem found,
 * each naming its key (`buckets[1].totalCap`).
 */
export function parseBucketPlan(value: unknown, file: string): { plan: BucketPlan } | { problems: Problem[] } {
  const problem = (field: string, message: string): Problem => ({ code: 'plan_invalid', severity: 'error', file, field, message });
  if (isBucketPlan(value) && 'classes' in (value as object)) {
    return { problems: [problem('classes', 'a plan has "classes" or "buckets", not both')] };
  }
  const result = bucketPlanSchema.safeParse(value);
  if (!result.success) {
    return {
      problems: result.error.issues.map((iss) =>
        problem(
          jsonPath(iss.path),
          iss.code === 'unrecognized_keys' ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} (a typo must not silently change a payout)` : iss.message,
        ),
      ),
    };
  }
  const p = result.data;
  const problems: Problem[] = [];
  const deductions = p.deductions.map((d): Deduction =>
    d.amount !== undefined
      ? { label: d.label, kind: 'amount', amount: parseMoney(d.amount) as Cents }
      : { label: d.label, kind: 'percent', percent: dec(d.percent ?? '0'), percentText: d.percent ?? '0', of: d.of ?? 'gross' },
  );
  const seen = new Map<string, number>();
  const buckets = p.buckets.map((b, i): Bucket => {
    const at = (k: string) => `buckets[${i}].${k}`;
    const first = seen.get(b.id);
    if (first !== undefined) problems.push(problem(at('id'), `"${b.id}" is already the id of buckets[${first}]`));
    else seen.set(b.id, i);
    if (['claim_id', 'status', 'outcome', 'amount'].includes(b.id)) problems.push(problem(at('id'), `"${b.id}" is a ledger column already; choose another id`));
    const perClaimCap = centsOf(b.perClaimCap);
    const totalCap = centsOf(b.totalCap);
    if (perClaimCap !== null && totalCap !== null && perClaimCap > totalCap) {
      problems.push(problem(at('perClaimCap'), `the per-claim cap ${b.perClaimCap} is above the bucket's totalCap ${b.totalCap}: the caps do not add up`));
    }
    if (b.protected && totalCap !== null) problems.push(problem(at('totalCap'), 'a protected bucket is never reduced, so it cannot have a totalCap'));
    if (b.protected && b.maxReductionPercent !== undefined) problems.push(problem(at('maxReductionPercent'), 'a protected bucket is never reduced; drop maxReductionPercent'));
    if (b.residual && (b.protected || b.maxReductionPercent !== undefined)) {
      problems.push(problem(at('residual'), 'a residual bucket takes what is left: it cannot be protected or have maxReductionPercent'));
    }
    if (!b.residual && b.maxIncreasePercent !== undefined) problems.push(problem(at('maxIncreasePercent'), 'only a residual bucket pays more than is claimed; add "residual": true or drop it'));
    if (b.kind === 'points' && !b.residual && totalCap === null) problems.push(problem(at('totalCap'), 'a points bucket shares a sum: give it a totalCap or make it residual'));
    if (b.kind === 'points' && b.protected) problems.push(problem(at('protected'), 'a points bucket has no claimed amount to protect; give it a totalCap instead'));
    if (b.choice !== undefined && (p.choice === undefined || !p.choice.values.includes(b.choice))) {
      problems.push(problem(at('choice'), `"${b.choice}" is not one of the plan's choice.values${p.choice ? ` (${p.choice.values.join(', ')})` : ' (the plan has no "choice")'}`));
    }
    const base = {
      id: b.id,
      label: b.label,
      kind: b.kind,
      index: i,
      order: b.order ?? i,
      perClaimCap,
      totalCap,
      protected: b.protected ?? false,
      maxIncrease: ratOf(b.maxIncreasePercent),
      maxReduction: ratOf(b.maxReductionPercent),
      residual: b.residual ?? false,
      choice: b.choice ?? null,
      column: null,
      amount: null,
      step: null,
      limit: null,
      documentedAbove: null,
      documentedColumn: null,
      weight: null,
    };
    if (base.maxIncrease) base.maxIncrease = { n: base.maxIncrease.n, d: base.maxIncrease.d * 100n };
    if (base.maxReduction) base.maxReduction = { n: base.maxReduction.n, d: base.maxReduction.d * 100n };
    switch (b.kind) {
      case 'documented':
        return { ...base, column: b.amountColumn };
      case 'flat': {
        const amount = parseMoney(b.amount) as Cents;
        if (perClaimCap !== null && amount > perClaimCap) problems.push(problem(at('amount'), `the flat amount ${b.amount} is above the perClaimCap ${b.perClaimCap}: the caps do not add up`));
        return { ...base, amount };
      }
      case 'points':
        return { ...base, column: b.unitsColumn, weight: ratOf(b.weight) };
      case 'hours': {
        const step = ratOf(b.step) as Rational;
        const limit = ratOf(b.limit);
        const documentedAbove = ratOf(b.documentedAbove);
        if (limit && (limit.n * step.d) % (step.n * limit.d) !== 0n) problems.push(problem(at('limit'), `the hour limit ${b.limit} is not a whole number of steps of ${b.step}`));
        if (documentedAbove && limit && documentedAbove.n * limit.d > limit.n * documentedAbove.d) {
          problems.push(problem(at('documentedAbove'), `the documented-hours threshold ${b.documentedAbove} is above the hour limit ${b.limit}`));
        }
        if (documentedAbove && b.documentedColumn === undefined) problems.push(problem(at('documentedColumn'), 'a documentedAbove threshold needs the column that says whether the hours are documented'));
        return { ...base, column: b.hoursColumn, amount: parseMoney(b.rate) as Cents, step, limit, documentedAbove, documentedColumn: b.documentedColumn ?? null };
      }
    }
  });
  const residuals = buckets.filter((b) => b.residual);
  if (residuals.length > 1) problems.push(problem(`buckets[${residuals[1]?.index}].residual`, 'only one bucket can take what is left'));
  const columns = new Map<string, string>();
  for (const b of buckets) {
    for (const [key, col] of [['amountColumn', b.kind === 'documented' ? b.column : null], ['unitsColumn', b.kind === 'points' ? b.column : null]] as const) {
      if (col === null) continue;
      const other = columns.get(col.toLowerCase());
      if (other !== undefined) problems.push(problem(`buckets[${b.index}].${key}`, `column "${col}" is already the input of ${other}`));
      else columns.set(col.toLowerCase(), `buckets[${b.index}]`);
    }
  }
  if (p.minimumPayment !== null) {
    const caps = buckets.map((b) => b.perClaimCap);
    const min = parseMoney(p.minimumPayment) as Cents;
    if (!buckets.some((b) => b.residual) && caps.every((c) => c !== null) && caps.reduce((a, c) => (a as bigint) + (c as bigint), 0n)! < min) {
      problems.push(problem('minimumPayment', `the minimum payment ${p.minimumPayment} is above the sum of the per-claim caps: no claim could be paid`));
    }
  }
  const fund = computeNetFund({ gross: parseMoney(p.gross) as Cents, interest: parseMoney(p.interest) as Cents, deductions });
  if ('problem' in fund) problems.push(problem(fund.problem.field, fund.problem.message));
  else {
    let protectedFlat = 0n;
    for (const b of buckets) if (b.protected && b.kind === 'flat' && b.amount !== null) protectedFlat += b.amount;
    if (protectedFlat > fund.net) {
      problems.push(problem('buckets', `one claim's protected flat amounts (${formatMoneyHuman(protectedFlat)}) exceed the net fund ${formatMoneyHuman(fund.net)}`));
    }
  }
  if (problems.length > 0 || 'problem' in fund) return { problems };
  const ordered = [...buckets].sort((a, b) => Number(a.residual) - Number(b.residual) || a.order - b.order || a.index - b.index);
  return {
    plan: {
      form: 'buckets',
      name: p.name,
      currency: p.currency,
      gross: parseMoney(p.gross) as Cents,
      interest: parseMoney(p.interest) as Cents,
      deductions,
      choice: p.choice ?? null,
      buckets: ordered,
      eligibleStatuses: p.eligibleStatuses.map((s) => s.trim().toLowerCase()),
      blankStatus: p.blankStatus,
      minimumPayment: centsOf(p.minimumPayment),
      residualRecipient: p.residualRecipient,
      seed: p.seed,
      net: fund.net,
      ...(p.payments !== undefined ? { payments: p.payments as PaymentsConfig } : {}),
    },
  };
}
