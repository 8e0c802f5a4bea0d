/**
 * The plan file (docs/spec.md §1): the zod schema that checks it, and the normalised `Plan` the
 * rest of the core works with (money as bigint cents, weights and percents as exact decimals).
 */
import { z } from 'zod';
import { decToRational, digitLimitProblem, parseDec, type Dec, type Rational } from './decimal.js';
import { parseMoney, type Cents } from './money.js';
import { computeNetFund, type Deduction } from './fund.js';
import type { Problem } from './problems.js';
import { DEFAULT_ROUNDING, roundingFromPlan, roundingSchema, type Rounding } from './rounding/index.js';
import { paymentsSchema, type PaymentsConfig } from './payments/plan-section.js';

/** A JSON number where a decimal string belongs is refused: 0.1 + 0.2 is how cents go missing. */
function quoted(what: string, example: string) {
  return z.string({
    error: (iss) =>
      iss.input === undefined
        ? `required (${what}, e.g. "${example}")`
        : typeof iss.input === 'number'
          ? `${what} must be a string: quote it ("${String(iss.input)}"), a JSON number can lose cents`
          : `expected ${what} as a string, e.g. "${example}"`,
  });
}

/**
 * A string that is valid Unicode: no lone surrogate (`"\ud800"` in JSON). Such a seed or class id
 * has no UTF-8 bytes, so SHA-256(seed + ":" + id) of docs/spec.md §4 cannot be computed by an
 * auditor's script (the reference script crashed on it), and Node would hash U+FFFD instead.
 */
export const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
export const LONE_SURROGATE = 'holds a lone surrogate (an escape such as "\\ud800" without its pair): it is not text and has no UTF-8 bytes to hash';

// Accepted exactly when parseMoney reads it, so every amount of a valid plan has its cents.
const moneyText = quoted('an amount', '1200000.00').refine(
  (s) => parseMoney(s) !== undefined,
  'must be an amount with at most 2 decimals and no sign or separators, e.g. "1200000.00"',
);
export const withinDigitLimits = (s: string): boolean => digitLimitProblem(s) === undefined;
export const digitLimitMessage = (s: string): string => `"${s.length > 24 ? `${s.slice(0, 24)}…` : s}" ${digitLimitProblem(s) ?? ''}`;
const positiveDecimal = quoted('a decimal', '6')
  .regex(/^\d+(\.\d+)?$/, 'must be a plain decimal such as "6" or "1.5"')
  .refine(withinDigitLimits, { error: (iss) => digitLimitMessage(String(iss.input)) })
  .refine((s) => /[1-9]/.test(s), 'must be greater than 0');
/**
 * A percent in a plan of either form: a decimal string, never a JSON number, read exactly
 * (core/decimal.ts) and never through a float. `percentText` is at most 100 (compared as an exact
 * decimal: "100.000001" is over); `increasePercentText` (a bucket's maxIncreasePercent) has no bound.
 */
export const increasePercentText = quoted('a percent', '33.3333333333')
  .regex(/^\d+(\.\d+)?$/, 'must be a plain decimal percent such as "33.3333333333"')
  .refine(withinDigitLimits, { error: (iss) => digitLimitMessage(String(iss.input)), abort: true });
export const percentText = increasePercentText.refine((s) => {
  const d = parseDec(s);
  // Text that is not a plain decimal is refused above, once: "1e2" is not said to be over 100.
  return d === undefined || !/^\d+(\.\d+)?$/.test(s) || d.n <= 100n * 10n ** BigInt(d.scale);
}, 'must be between 0 and 100');

/** A deduction from the gross fund, in a plan of either form (docs/spec.md §1). */
export const deductionSchema = z
  .strictObject({
    label: z.string({ error: 'required: a label naming the deduction' }).min(1, 'must not be empty'),
    amount: moneyText.optional(),
    percent: percentText.optional(),
    of: z.enum(['gross', 'remaining'], { error: 'must be "gross" or "remaining"' }).optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.amount === undefined) === (d.percent === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "amount" or "percent"' });
    }
    if (d.percent !== undefined && d.of === undefined) {
      ctx.addIssue({ code: 'custom', path: ['of'], message: 'a percent needs "of": "gross" or "remaining"' });
    }
    if (d.amount !== undefined && d.of !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['of'], message: '"of" goes with "percent", not with "amount"' });
    }
  });

const classSchema = z.strictObject({
  id: z.string({ error: 'required: the class id used in the claims file' }).trim().min(1, 'must not be empty').refine(wellFormed, LONE_SURROGATE),
  weight: positiveDecimal.optional(),
  poolPercent: percentText.optional(),
});

/**
 * A blank status cell (docs/spec.md §2), in a plan of either form: read as `approved` with a
 * `blank_status` warning (the default), or refused as an error.
 */
export const blankStatusSchema = z
  .enum(['approved', 'error'], { error: 'must be "approved" (a blank status is approved, with a warning) or "error" (a blank status is refused)' })
  .default('approved');

export const planSchema = z
  .strictObject({
    name: z.string({ error: 'required: the case name' }).min(1),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code such as "USD"').default('USD'),
    gross: moneyText,
    interest: moneyText.default('0'),
    deductions: z.array(deductionSchema).default([]),
    classes: z.array(classSchema).min(1, 'needs at least one class'),
    eligibleStatuses: z.array(z.string().trim().min(1)).min(1, 'needs at least one status').default(['approved']),
    blankStatus: blankStatusSchema,
    minimumPayment: moneyText.nullable().default(null),
    maximumPayment: moneyText.nullable().default(null),
    residualRecipient: z.string().nullable().default(null),
    rounding: roundingSchema.default({ ...DEFAULT_ROUNDING }),
    seed: z
      .string({ error: 'required: a seed string that fixes the tie-break (docs/spec.md §4)' })
      .min(1, 'must not be empty')
      .refine(wellFormed, LONE_SURROGATE),
    /** What `payout pay` needs (docs/payments.md); the allocation does not read it. */
    payments: paymentsSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.classes.forEach((c, i) => {
      const key = c.id.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `"${c.id}" is already the id of classes[${first}]` });
      } else seen.set(key, i);
    });
    const withWeight = p.classes.filter((c) => c.weight !== undefined).length;
    const withPool = p.classes.filter((c) => c.poolPercent !== undefined).length;
    p.classes.forEach((c, i) => {
      if (c.weight !== undefined && c.poolPercent !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['classes', i], message: 'give "weight" or "poolPercent", not both' });
      } else if (c.weight === undefined && c.poolPercent === undefined) {
        ctx.addIssue({ code: 'custom', path: ['classes', i], message: 'needs a "weight" (weights mode) or a "poolPercent" (pools mode)' });
      }
    });
    if (withWeight > 0 && withPool > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['classes'],
        message: 'either every class has a "weight" or every class has a "poolPercent", not a mix',
      });
    } else if (withPool === p.classes.length) {
      // Exactly, at the largest scale written (at most DECIMAL_LIMITS.decimalPlaces, checked above).
      const percents = p.classes.map((c) => parseDec(c.poolPercent ?? '0') ?? { n: 0n, scale: 0 });
      const scale = Math.max(0, ...percents.map((d) => d.scale));
      const sum = percents.reduce((acc, d) => acc + d.n * 10n ** BigInt(scale - d.scale), 0n);
      if (sum !== 100n * 10n ** BigInt(scale)) {
        ctx.addIssue({ code: 'custom', path: ['classes'], message: 'the poolPercent values must sum to exactly 100' });
      }
    }
    if (p.minimumPayment !== null && p.maximumPayment !== null) {
      const min = parseMoney(p.minimumPayment);
      const max = parseMoney(p.maximumPayment);
      if (min !== undefined && max !== undefined && min > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['minimumPayment'],
          message: `minimumPayment ${p.minimumPayment} is above maximumPayment ${p.maximumPayment}`,
        });
      }
    }
  });

export type PlanInput = z.input<typeof planSchema>;

export type { Deduction };

export interface PlanClass {
  id: string;
  /** Weights mode: points per unit. */
  weight?: Rational;
  weightText?: string;
  /** Pools mode: share of the net fund, in percent. */
  poolPercent?: Rational;
  poolPercentText?: string;
}

export type { Rounding };

/** A checked plan, ready for the core. */
export interface Plan {
  name: string;
  currency: string;
  gross: Cents;
  interest: Cents;
  deductions: Deduction[];
  classes: PlanClass[];
  mode: 'weights' | 'pools';
  /** Lower-cased; a claim's status is compared lower-cased and trimmed. */
  eligibleStatuses: string[];
  /**
   * A blank status cell (docs/spec.md §2): read as `approved` with a `blank_status` warning, or
   * refused as an error. Status decides money as units do, so a blank one is never silent.
   */
  blankStatus: 'approved' | 'error';
  minimumPayment: Cents | null;
  maximumPayment: Cents | null;
  residualRecipient: string | null;
  rounding: Rounding;
  seed: string;
  /** The optional `payments` section, for `payout pay` (docs/payments.md). */
  payments?: PaymentsConfig;
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out || '(plan)';
}

/**
 * Checks a parsed plan.json value. Returns the plan, or every problem found (each with its JSON
 * path), never just the first.
 */
export function parsePlan(value: unknown, file: string): { plan: Plan } | { problems: Problem[] } {
  const result = planSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((iss): Problem => {
      let message = iss.message;
      if (iss.code === 'unrecognized_keys') {
        message = `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} (a typo must not silently change a payout)`;
      }
      return { code: 'plan_invalid', severity: 'error', file, field: jsonPath(iss.path), message };
    });
    return { problems };
  }
  const p = result.data;
  const money = (s: string): Cents => parseMoney(s) as Cents;
  const plan: Plan = {
    name: p.name,
    currency: p.currency,
    gross: money(p.gross),
    interest: money(p.interest),
    deductions: p.deductions.map((d): Deduction =>
      d.amount !== undefined
        ? { label: d.label, kind: 'amount', amount: money(d.amount) }
        : {
            label: d.label,
            kind: 'percent',
            percent: parseDec(d.percent as string) as Dec,
            percentText: d.percent as string,
            of: d.of as 'gross' | 'remaining',
          },
    ),
    classes: p.classes.map((c): PlanClass => {
      const out: PlanClass = { id: c.id };
      if (c.weight !== undefined) {
        out.weight = decToRational(parseDec(c.weight) as Dec);
        out.weightText = c.weight;
      }
      if (c.poolPercent !== undefined) {
        out.poolPercent = decToRational(parseDec(c.poolPercent) as Dec);
        out.poolPercentText = c.poolPercent;
      }
      return out;
    }),
    mode: p.classes.every((c) => c.poolPercent !== undefined) ? 'pools' : 'weights',
    eligibleStatuses: p.eligibleStatuses.map((s) => s.trim().toLowerCase()),
    blankStatus: p.blankStatus,
    minimumPayment: p.minimumPayment === null ? null : money(p.minimumPayment),
    maximumPayment: p.maximumPayment === null ? null : money(p.maximumPayment),
    residualRecipient: p.residualRecipient,
    rounding: roundingFromPlan(p.rounding as { method: string } & Record<string, unknown>),
    seed: p.seed,
    ...(p.payments !== undefined ? { payments: p.payments as PaymentsConfig } : {}),
  };
  const fund = computeNetFund(plan);
  if ('problem' in fund) {
    return { problems: [{ code: 'plan_invalid', severity: 'error', file, field: fund.problem.field, message: fund.problem.message }] };
  }
  return { plan };
}
