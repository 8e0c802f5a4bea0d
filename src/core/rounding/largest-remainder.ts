/**
 * Largest remainder (docs/spec.md §4a, the default): each claim gets the floor of its exact share in cents;
 * the leftover cents go one each to the largest remainders, ties by SHA-256(seed:claim_id).
 */
import { z } from 'zod';
import { placeRemainderCents } from '../cents.js';
import { RAT_ZERO } from '../decimal.js';
import type { RoundingMethod } from './method.js';
import { cents, remainderPlaceLines } from './words.js';
import { countOf, groupDecimal } from '../display-numbers.js';

export interface LargestRemainderRounding {
  readonly method: 'largest-remainder';
}

export const largestRemainder = {
  name: 'largest-remainder',
  schema: z.strictObject({ method: z.literal('largest-remainder') }),
  fromPlan: (): LargestRemainderRounding => ({ method: 'largest-remainder' }),
  needsTieKeys: true,
  pointValueDecimals: () => null,
  remainder: (share, floor, paid) => (paid ? { n: share.n - floor * share.d, d: share.d } : RAT_ZERO),
  placeCents(members, cells, exactTotal, floors, mode) {
    const centsPlaced = exactTotal - floors;
    return { centsPlaced, tie: placeRemainderCents(members, cells, centsPlaced, mode) };
  },
  summaryLine: (_r, f) => `largest remainder, ${countOf(f.centsPlaced, 'leftover cent')} placed, ties by SHA-256(seed:claim_id), seed "${f.seed}"`,
  roundTwoLine: (_r, f) => `largest remainder, ${countOf(f.centsPlaced, 'leftover cent')} placed, ties by SHA-256(seed:claim_id), seed "${f.seed}"`,
  explainCents(s) {
    const lines = [`  floor: ${cents(s.floorCents)}`];
    if (s.outcome === 'capped') lines.push('  capped: no remainder, so no leftover cent');
    else {
      if (s.remainderCents !== null) lines.push(`  remainder: ${groupDecimal(s.remainderCents.fraction)} cent (${s.remainderCents.decimal})`);
      const whose = s.round === 1 ? "pool's" : "round's";
      const left = s.leftoverCents;
      lines.push(left === '0' ? `  the ${whose} floors leave no cent over` : `  the ${whose} ${cents(left)} left after the floors ${left === '1' ? 'goes' : 'go'} one each to the largest remainders`);
      if (s.round === 2) lines.push(...remainderPlaceLines(s.place));
    }
    if (s.round === 1 && s.outcome === 'paid') lines.push(...remainderPlaceLines(s.place));
    return { title: 'Cents (largest remainder)', lines };
  },
  reportParagraph(_r, f) {
    const k = f.centsPlaced;
    const leftover = k === 0 ? 'no cent was left over here; any leftover cents would go' : `the ${countOf(k, 'leftover cent')} ${k === 1 ? 'goes' : 'go'}`;
    return (
      `Cents by largest remainder: each claim gets the floor of its exact share in cents; ${leftover} ` +
      `one each to the claims with the largest remainders, ` +
      `ties broken by SHA-256(seed:claim_id), the smaller hex key first, ${f.seed}. So what is paid plus the ` +
      `residual equals the net fund to the cent, claims with equal points differ by at most one cent, and no ` +
      `amount depends on the order of the claims file.`
    );
  },
} satisfies RoundingMethod<LargestRemainderRounding>;
