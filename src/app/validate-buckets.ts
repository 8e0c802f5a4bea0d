/** `payout validate` with a bucket plan: the claims read and checked as `allocate` reads them, and what each bucket is claimed. */
import type { BucketPlan } from '../core/buckets/plan.js';
import { formatRationalHalfEven, RAT_ZERO, ratAdd } from '../core/decimal.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';

export interface BucketValidation {
  plan: BucketPlan;
  claims: number;
  eligible: number;
  /** Per bucket in funding order: eligible claims with something in it, and what they claim (money, or points). */
  buckets: { id: string; claims: number; claimed: string; unit: 'money' | 'points' }[];
}

/** Bad rows are a DataError listing every problem with its line (exit 1); a refused plan a UsageError (exit 2). */
export async function validateBucketClaims(o: { planFile: string; claimsFile: string }): Promise<BucketValidation> {
  const { plan } = await loadBucketPlan(o.planFile);
  const { claims } = await readBucketClaims(o.claimsFile, plan, o.planFile);
  const eligible = claims.filter((c) => c.eligible);
  return {
    plan,
    claims: claims.length,
    eligible: eligible.length,
    buckets: plan.buckets.map((b, k) => {
      const inputs = eligible.map((c) => c.inputs[k]!).filter((x) => x.n > 0n);
      const sum = inputs.reduce(ratAdd, RAT_ZERO);
      return b.kind === 'points'
        ? { id: b.id, claims: inputs.length, claimed: formatRationalHalfEven(sum, 6), unit: 'points' }
        : { id: b.id, claims: inputs.length, claimed: formatRationalHalfEven({ n: sum.n, d: sum.d * 100n }, 2), unit: 'money' };
    }),
  };
}
