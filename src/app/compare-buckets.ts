/**
 * `payout compare` of two bucket plans (docs/compare.md, "Bucket plans"): the claims file is read
 * against each plan (each names its own columns; the rows must be the same claims) and allocated
 * under each exactly as `payout allocate` would, then compared claim by claim and bucket by bucket
 * (core/buckets/compare.ts). A bucket plan and a plan of classes are not compared: refused by
 * app/compare.ts.
 */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketsPaidFrom, compareBucketAllocations, type BucketSide } from '../core/buckets/compare.js';
import { UsageError } from '../core/errors.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { BUCKET_DIFF_COLUMNS, writeCompareFiles } from '../io/compare-output.js';
import { bucketTieKey } from './allocate-buckets.js';
import type { CompareOptions, CompareResult } from './compare-types.js';

async function side(planFile: string, claimsFile: string): Promise<BucketSide & { sha256: string }> {
  const { plan, sha256 } = await loadBucketPlan(planFile);
  const { claims } = await readBucketClaims(claimsFile, plan, planFile);
  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: planFile }]);
  return { plan, claims, alloc, sha256 };
}

export async function compareBucketPlans(o: CompareOptions, renderPage: (r: CompareResult) => Promise<string>): Promise<CompareResult> {
  // As allocate with a bucket plan: the plan names the columns it reads, in a comma-separated file.
  const { map, delimiter } = o.claims.read;
  if (map !== undefined && Object.keys(map).length > 0) throw new UsageError('--map: not available with bucket plans; each plan names the claims columns it reads');
  if (delimiter !== undefined && delimiter !== ',') throw new UsageError(`--delimiter ${delimiter}: a bucket plan's claims file is read comma-separated`);
  const a = await side(o.planA, o.claimsFile);
  const b = await side(o.planB, o.claimsFile);
  const comparison = compareBucketAllocations(a, b, o.top ?? 10);
  const result: CompareResult = {
    planA: { file: o.planA, name: a.plan.name, sha256: a.sha256, currency: a.plan.currency },
    planB: { file: o.planB, name: b.plan.name, sha256: b.sha256, currency: b.plan.currency },
    claimsFile: o.claimsFile,
    comparison,
    written: [],
  };
  result.written = await writeCompareFiles(
    { outFile: o.outFile, htmlFile: o.htmlFile, force: Boolean(o.force) },
    {
      columns: BUCKET_DIFF_COLUMNS,
      count: a.claims.length,
      claimId: (row) => a.claims[row]!.id,
      group: bucketsPaidFrom(a, b),
      amountA: (row) => a.alloc.totals[row]!,
      amountB: (row) => b.alloc.totals[row]!,
    },
    () => renderPage(result),
  );
  return result;
}
