/**
 * `payout explain` for a bucket plan: one claim's way through every bucket, each step in figures an
 * auditor can redo with a calculator (docs/allocation.md, section 12).
 */
import { formatRationalHalfEven, ratDiv, ratFloor, type Rational } from '../decimal.js';
import { formatMoney } from '../money.js';
import type { BucketAllocation } from './allocate.js';
import type { BucketClaim } from './claims.js';
import type { BucketPlan } from './plan.js';

export const BUCKET_EXPLAIN_FORMAT = 'payout-bucket-explain/1';

export interface BucketStep {
  id: string;
  label: string;
  kind: string;
  /** What the claim is entitled to in the bucket (money, after its per-claim cap), or its points. */
  entitled: string;
  /** What all claims claim in the bucket, and what the bucket was funded with (exact, 6 decimals). */
  bucketClaimed: string | null;
  bucketFunded: string;
  /** funded / claimed in percent (6 decimals): the share of every entitlement the bucket pays. */
  paidPercent: string | null;
  /** The claim's exact share (6 decimals), its floor in cents, whether a leftover cent came to it. */
  share: string;
  floor: string;
  leftoverCent: boolean;
  amount: string;
}

export interface BucketClaimExplanation {
  claimId: string;
  line: number;
  status: string;
  outcome: string;
  buckets: BucketStep[];
  amount: string;
  net: string;
  residual: string;
}

const money6 = (r: Rational): string => formatRationalHalfEven({ n: r.n, d: r.d * 100n }, 6);

export function explainBucketClaim(plan: BucketPlan, claims: readonly BucketClaim[], alloc: BucketAllocation, row: number): BucketClaimExplanation {
  const claim = claims[row]!;
  return {
    claimId: claim.id,
    line: claim.line,
    status: claim.status,
    outcome: alloc.outcomes[row]!,
    buckets: plan.buckets.map((b, k): BucketStep => {
      const f = alloc.buckets[k]!;
      const share = alloc.shares[row]![k]!;
      const floor = ratFloor(share);
      const cents = alloc.cents[row]![k]!;
      return {
        id: b.id,
        label: b.label,
        kind: b.kind,
        entitled: b.kind === 'points' ? `${formatRationalHalfEven(claim.inputs[k]!, 6)} points` : money6(claim.inputs[k]!),
        bucketClaimed: f.claimed === null ? null : money6(f.claimed),
        bucketFunded: money6(f.funded),
        paidPercent: f.claimed === null || f.claimed.n === 0n ? null : formatRationalHalfEven(ratDiv({ n: f.funded.n * 100n, d: f.funded.d }, f.claimed), 6),
        share: money6(share),
        floor: formatMoney(floor),
        leftoverCent: cents > floor,
        amount: formatMoney(cents),
      };
    }),
    amount: formatMoney(alloc.totals[row]!),
    net: formatMoney(alloc.net),
    residual: formatMoney(alloc.residual),
  };
}
