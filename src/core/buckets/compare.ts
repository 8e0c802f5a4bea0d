/**
 * Two bucket plans on the same claims file (`payout compare`, docs/compare.md): each plan's
 * allocation (./allocate.ts, run once per plan on the file read against it) compared claim by
 * claim on the claim's total, and bucket by bucket on what each pays. A bucket of one plan that the
 * other lacks pays 0 under the other.
 */
import type { Cents } from '../money.js';
import { compareAmounts, type ClassComparison, type Comparison } from '../compare.js';
import type { BucketAllocation } from './allocate.js';
import type { BucketClaim } from './claims.js';
import type { BucketPlan } from './plan.js';

export interface BucketSide {
  plan: BucketPlan;
  claims: readonly BucketClaim[];
  alloc: BucketAllocation;
}

/** Bucket ids: plan A's in its funding order, then plan B's that A lacks, in B's order. */
export function comparedBucketIds(a: BucketPlan, b: BucketPlan): string[] {
  const ids = a.buckets.map((x) => x.id);
  for (const x of b.buckets) if (!ids.includes(x.id)) ids.push(x.id);
  return ids;
}

/** Where bucket `ids[g]` is in a side's plan (−1 when the plan lacks it). */
function indexIn(side: BucketSide, ids: readonly string[]): number[] {
  return ids.map((id) => side.plan.buckets.findIndex((x) => x.id === id));
}

/**
 * The buckets a claim is paid from under A or B, joined by "+" in comparedBucketIds order
 * (`documented+time`), "" when neither pays it: the diff CSV's `buckets` cell.
 */
export function bucketsPaidFrom(a: BucketSide, b: BucketSide): (row: number) => string {
  const ids = comparedBucketIds(a.plan, b.plan);
  const kA = indexIn(a, ids);
  const kB = indexIn(b, ids);
  return (row) => ids.filter((_, g) => (kA[g]! >= 0 && a.alloc.cents[row]![kA[g]!]! > 0n) || (kB[g]! >= 0 && b.alloc.cents[row]![kB[g]!]! > 0n)).join('+');
}

/**
 * The comparison of two bucket plans' allocations of one claims file (row i is the same claim on
 * both sides; a RangeError otherwise). Per bucket: the claims that claim in it (under A; under B
 * for a bucket only B has), the claims paid from it and what it pays under each plan.
 */
export function compareBucketAllocations(a: BucketSide, b: BucketSide, top = 10): Comparison {
  const count = a.claims.length;
  if (b.claims.length !== count || a.claims.some((c, i) => c.id !== b.claims[i]!.id)) {
    throw new RangeError('compareBucketAllocations: both allocations must be of the same claims, row by row');
  }
  const ids = comparedBucketIds(a.plan, b.plan);
  const kA = indexIn(a, ids);
  const kB = indexIn(b, ids);
  const cents = (side: BucketSide, k: number, row: number): Cents => (k < 0 ? 0n : side.alloc.cents[row]![k]!);
  const groups = ids.map((id, g): ClassComparison => {
    let paidA = 0;
    let paidB = 0;
    for (let row = 0; row < count; row++) {
      if (cents(a, kA[g]!, row) > 0n) paidA++;
      if (cents(b, kB[g]!, row) > 0n) paidB++;
    }
    const amountA = kA[g]! < 0 ? 0n : a.alloc.buckets[kA[g]!]!.paid;
    const amountB = kB[g]! < 0 ? 0n : b.alloc.buckets[kB[g]!]!.paid;
    const claims = kA[g]! >= 0 ? a.alloc.buckets[kA[g]!]!.claims : b.alloc.buckets[kB[g]!]!.claims;
    return { id, claims, paidA, paidB, amountA, amountB, change: amountB - amountA };
  });
  const comparison = compareAmounts(
    {
      count,
      claimId: (row) => a.claims[row]!.id,
      // The buckets a claim is paid from under either plan: what its move is made of.
      groupId: bucketsPaidFrom(a, b),
      amountA: (row) => a.alloc.totals[row]!,
      amountB: (row) => b.alloc.totals[row]!,
      groups,
      a: { net: a.alloc.net, paid: a.alloc.paid, residual: a.alloc.residual },
      b: { net: b.alloc.net, paid: b.alloc.paid, residual: b.alloc.residual },
    },
    top,
  );
  return { ...comparison, groupedBy: 'bucket' };
}
