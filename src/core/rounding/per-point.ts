/**
 * Per point (docs/spec.md §4b): in each pool the value of one point is floored to `decimals` places of the
 * currency unit and each claim gets its points times that value, floored to the cent; claims with
 * equal points get exactly the same amount, and what this leaves is residual. No tie-break.
 */
import { z } from 'zod';
import { RAT_ZERO } from '../decimal.js';
import type { RoundingMethod } from './method.js';
import { cents } from './words.js';
import { countOf, groupDecimal } from '../display-numbers.js';

export interface PerPointRounding {
  readonly method: 'per-point';
  readonly decimals: number;
}

export const perPoint = {
  name: 'per-point',
  schema: z.strictObject({
    method: z.literal('per-point'),
    decimals: z.number({ error: 'must be a whole number of decimals from 0 to 6' }).int().min(0).max(6).default(2),
  }),
  fromPlan: (parsed): PerPointRounding => ({ method: 'per-point', decimals: parsed.decimals as number }),
  needsTieKeys: false,
  pointValueDecimals: (r) => r.decimals,
  remainder: () => RAT_ZERO,
  placeCents: () => ({ centsPlaced: 0n, tie: null }),
  summaryLine: (r) => `per-point value floored to ${r.decimals} decimals; the rest is residual`,
  roundTwoLine: () => 'each share floored to the cent; the rest is residual',
  explainCents(s) {
    let line: string;
    if (s.round === 2) line = `  the exact share floored to the cent: ${cents(s.floorCents)} (what is left is residual)`;
    else if (s.outcome === 'capped') line = `  capped: paid the cap, ${cents(s.floorCents)}`;
    else line = `  one point is paid ${groupDecimal(s.pointValueCents ?? '?')} cents (λ floored); ${groupDecimal(s.points ?? '?')} × that, floored: ${cents(s.floorCents)}`;
    return { title: 'Cents (per-point)', lines: [line] };
  },
  reportParagraph(r, f) {
    const places = r.decimals ?? 2;
    return (
      `Cents per point: in each pool the value of one point is floored to ${countOf(places, 'decimal place')} ` +
      `(${f.pointValues}); each claim gets its points times that value, floored to the cent, so claims with equal ` +
      `points get exactly the same amount. What this leaves unpaid is residual.`
    );
  },
} satisfies RoundingMethod<PerPointRounding>;
