/** `payout explain` with a bucket plan: allocates as `payout allocate` does (nothing written) and explains the claims named. */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { explainBucketClaim, type BucketClaimExplanation } from '../core/buckets/explain.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { UsageError } from '../core/errors.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { bucketTieKey } from './allocate-buckets.js';
import { notTheRunsInputs, runReading } from './explain.js';
import type { ReadingGiven } from './recorded-reading.js';
import type { ClaimsSettings } from './validate.js';
import { bucketReadOptions } from './validate-buckets.js';

export interface ExplainBucketsOptions {
  planFile: string;
  claimsFile: string;
  ids: readonly string[];
  /** --delimiter and --map, as `allocate` took them. */
  claims?: ClaimsSettings;
  /** The run's output folder (`--from DIR`): the claims are read with the options its manifest records. */
  fromDir?: string;
  /** Which reading options were given (with fromDir): one that differs from the record is a warning. */
  given?: ReadingGiven;
  /** Things to tell the user that do not stop the run. */
  onWarning?: (message: string) => void;
}

/** A claim id not in the file is a UsageError naming it (exit 2). */
export async function explainBucketClaims(o: ExplainBucketsOptions): Promise<{ plan: BucketPlan; reports: BucketClaimExplanation[] }> {
  const { plan, sha256: planSha256 } = await loadBucketPlan(o.planFile);
  // --from DIR: the reading options DIR's manifest records, as payout verify reads them (app/explain.ts, runReading).
  const settings = o.claims ?? { read: {}, maxErrors: 50 };
  const run = o.fromDir === undefined ? undefined : await runReading({ claimsFile: o.claimsFile, claims: settings, fromDir: o.fromDir, ...(o.given ? { given: o.given } : {}) });
  for (const w of run?.warnings ?? []) o.onWarning?.(w);
  const { claims, sha256 } = await readBucketClaims(o.claimsFile, plan, o.planFile, bucketReadOptions(run?.claims ?? settings));
  if (run !== undefined && o.fromDir !== undefined) {
    for (const w of notTheRunsInputs(o.fromDir, run.manifest, [[o.planFile, planSha256], [o.claimsFile, sha256]])) o.onWarning?.(w);
  }
  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: o.planFile }]);
  const rowOf = new Map(claims.map((c, i) => [c.id, i]));
  const unknown = o.ids.filter((id) => !rowOf.has(id));
  if (unknown.length > 0) throw new UsageError(`${o.claimsFile}: no claim ${unknown.map((id) => `"${id}"`).join(', ')}`);
  return { plan, reports: o.ids.map((id) => explainBucketClaim(plan, claims, alloc, rowOf.get(id)!)) };
}
