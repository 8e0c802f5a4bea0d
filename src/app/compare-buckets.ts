/**
 * `payout compare` of two bucket plans (docs/compare.md, "Bucket plans"): the claims file is read
 * against each plan (each names its own columns; the rows must be the same claims) and allocated
 * under each exactly as `payout allocate` would, then compared claim by claim and bucket by bucket
 * (core/buckets/compare.ts). A bucket plan and a plan of classes: app/compare-mixed.ts.
 */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketsPaidFrom, compareBucketAllocations, type BucketSide } from '../core/buckets/compare.js';
import { bucketFields } from '../core/buckets/claims.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { refuseTwoCurrencies } from '../core/compare.js';
import { UsageError } from '../core/errors.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan, type LoadedBucketPlan } from '../io/bucket-plan-file.js';
import { BUCKET_DIFF_COLUMNS, writeCompareFiles } from '../io/compare-output.js';
import { bucketTieKey } from './allocate-buckets.js';
import { bucketReadOptions } from './validate-buckets.js';
import type { CompareOptions, CompareResult } from './compare-types.js';

/** One plan's side: the claims read against it (--map entries for its fields) and allocated. */
async function side(loaded: LoadedBucketPlan, claimsFile: string, settings: CompareOptions['claims'], other: BucketPlan): Promise<BucketSide & { sha256: string }> {
  const { plan, file: planFile, sha256 } = loaded;
  // --map names fields of either plan: each plan reads the entries it has a field for, and an entry
  // neither plan has is refused by the reader, naming the field.
  const options = bucketReadOptions(settings);
  if (options.map !== undefined) {
    const mine = bucketFields(plan);
    const theirs = bucketFields(other);
    options.map = Object.fromEntries(Object.entries(options.map).filter(([field]) => mine.includes(field.toLowerCase()) || !theirs.includes(field.toLowerCase())));
  }
  const { claims } = await readBucketClaims(claimsFile, plan, planFile, options);
  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: planFile }]);
  return { plan, claims, alloc, sha256 };
}

export async function compareBucketPlans(o: CompareOptions, renderPage: (r: CompareResult) => Promise<string>): Promise<CompareResult> {
  // The claims are read with --delimiter and --map as allocate reads them with a bucket plan.
  const [planA, planB] = [await loadBucketPlan(o.planA), await loadBucketPlan(o.planB)];
  refuseTwoCurrencies({ file: o.planA, currency: planA.plan.currency }, { file: o.planB, currency: planB.plan.currency });
  const a = await side(planA, o.claimsFile, o.claims, planB.plan);
  const b = await side(planB, o.claimsFile, o.claims, planA.plan);
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
