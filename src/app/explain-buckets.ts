/** `payout explain` with a bucket plan: allocates as `payout allocate` does (nothing written) and explains the claims named. */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { explainBucketClaim, type BucketClaimExplanation } from '../core/buckets/explain.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { UsageError } from '../core/errors.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { bucketTieKey } from './allocate-buckets.js';
import type { ClaimsSettings } from './validate.js';
import { givenByValue, readingOfRun, runInputWarnings, type ReadingGiven } from './recorded-reading.js';
import { bucketReadOptions } from './validate-buckets.js';

export interface ExplainBucketsOptions {
  planFile: string;
  claimsFile: string;
  ids: readonly string[];
  /** --delimiter and --map, as `allocate` took them. */
  claims?: ClaimsSettings;
  /** The run's output folder (--from): the claims are read as its manifest records. */
  fromDir?: string;
  /** Which reading options were given (with fromDir): one that differs from the record is a warning. */
  given?: ReadingGiven;
  onWarning?: (message: string) => void;
}

/** A claim id not in the file is a UsageError naming it (exit 2). */
export async function explainBucketClaims(o: ExplainBucketsOptions): Promise<{ plan: BucketPlan; reports: BucketClaimExplanation[] }> {
  const { plan, sha256: planSha256 } = await loadBucketPlan(o.planFile);
  const given = o.claims ?? { read: {}, maxErrors: 50 };
  const run = o.fromDir === undefined ? undefined : await readingOfRun({ fromDir: o.fromDir, claimsFile: o.claimsFile, claims: given, given: o.given ?? givenByValue(given) });
  for (const w of run?.warnings ?? []) o.onWarning?.(w);
  const { claims, sha256 } = await readBucketClaims(o.claimsFile, plan, o.planFile, bucketReadOptions(run?.claims ?? o.claims));

  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: o.planFile }]);
  const rowOf = new Map(claims.map((c, i) => [c.id, i]));
  const unknown = o.ids.filter((id) => !rowOf.has(id));
  if (unknown.length > 0) throw new UsageError(`${o.claimsFile}: no claim ${unknown.map((id) => `"${id}"`).join(', ')}`);
  if (run !== undefined && o.fromDir !== undefined) {
    const facts = [[o.planFile, run.manifest.plan.sha256, planSha256], [o.claimsFile, run.manifest.claims?.sha256, sha256]] as const;
    for (const w of runInputWarnings(o.fromDir, facts)) o.onWarning?.(w);
  }
  return { plan, reports: o.ids.map((id) => explainBucketClaim(plan, claims, alloc, rowOf.get(id)!)) };
}
