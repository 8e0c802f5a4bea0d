/**
 * Largest remainder (SPEC 4a, the default): each claim gets the floor of its exact share in cents;
 * the leftover cents go one each to the largest remainders, ties by SHA-256(seed:claim_id).
 */
import { z } from 'zod';
import { placeRemainderCents } from '../cents.js';
import { RAT_ZERO } from '../decimal.js';
import type { RoundingMethod } from './method.js';

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
  summaryLine: (_r, f) => `largest remainder, ${f.centsPlaced} leftover cents placed, ties by SHA-256(seed:claim_id), seed "${f.seed}"`,
  roundTwoLine: (_r, f) => `largest remainder, ${f.centsPlaced} leftover cents placed, ties by SHA-256(seed:claim_id), seed "${f.seed}"`,
} satisfies RoundingMethod<LargestRemainderRounding>;
