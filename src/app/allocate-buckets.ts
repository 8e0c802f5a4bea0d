/**
 * `payout allocate` with a bucket plan (issue 14): the claims read and checked, the buckets
 * funded in order, and the folder written all or nothing (ledger.csv with a column per bucket,
 * summary.json with per-bucket figures, manifest.json; both with the receipts root of the ledger).
 */
import { basename } from 'node:path';
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketLedgerHeader, bucketLedgerRows, bucketSummaryText, type BucketSummaryJson } from '../core/buckets/output.js';
import type { BucketClaim } from '../core/buckets/claims.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { UsageError } from '../core/errors.js';
import { claimsReading, LEDGER_FILE, SUMMARY_FILE } from '../core/manifest.js';
import type { Problem } from '../core/problems.js';
import { OutputSet } from '../io/atomic-output.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { sha256Hex } from '../io/hash.js';
import { bucketAllocationSummary } from '../io/receipts-root.js';
import { outputNames, writeOutputs } from '../io/write-outputs.js';
import type { ClaimsSettings } from './validate.js';
import { bucketReadOptions } from './validate-buckets.js';

export interface AllocateBucketsOptions {
  claimsFile: string;
  planFile: string;
  outDir: string;
  /** Replace the files of an earlier run in outDir. */
  force?: boolean;
  /** Also write outDir/report.html. */
  report?: boolean;
  /** --delimiter and --map, parsed as for a classes plan (the map's fields: claim_id, status, the plan's columns). */
  claims?: ClaimsSettings;
  /** Claims columns carried into the ledger after `amount`. */
  keep?: readonly string[];
}

export interface AllocateBucketsResult {
  plan: BucketPlan;
  summary: BucketSummaryJson;
  rows: number;
  /** Rows read all the same, with a warning (a blank status read as approved). */
  warnings: Problem[];
  /** outDir/report.html, when asked for. */
  reportPath?: string;
}

/** Tie-break key of a claim in a bucket: SHA-256(seed:bucket_id:claim_id), lowercase hex. */
export const bucketTieKey =
  (seed: string) =>
  (bucketId: string, claimId: string): string =>
    sha256Hex(`${seed}:${bucketId}:${claimId}`);

/**
 * Reads and allocates; bad claims are a DataError (exit 1), a refused plan (also one the claims
 * show to need more than the fund for its protected buckets) a UsageError (exit 2). Nothing is
 * written unless everything succeeds; an outDir with an earlier run's files is refused unless `force`.
 */
export async function allocateBucketsToFolder(o: AllocateBucketsOptions): Promise<AllocateBucketsResult> {
  const { plan, sha256: planSha256 } = await loadBucketPlan(o.planFile);
  const out = await OutputSet.open(o.outDir, outputNames([LEDGER_FILE, SUMMARY_FILE]), Boolean(o.force));
  const keep = o.keep ?? [];
  let claims: BucketClaim[];
  let summary: BucketSummaryJson;
  let warnings: Problem[];
  try {
    const read = await readBucketClaims(o.claimsFile, plan, o.planFile, bucketReadOptions(o.claims, keep));
    ({ claims, warnings } = read);
    const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
    if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: o.planFile }]);
    // With the receipts root of the ledger (docs/receipts.md), in summary.json and the manifest.
    summary = bucketAllocationSummary(plan, claims, alloc, keep, { blankStatuses: read.blankStatuses });
    // How the claims were read, as for a classes plan: verify reads them the same way by default.
    const reading = claimsReading(read.delimiter, o.claims?.read.map, keep);
    await writeOutputs(
      out,
      [
        { name: LEDGER_FILE, chunks: [bucketLedgerHeader(plan, keep), ...bucketLedgerRows(claims, alloc)], rows: claims.length },
        { name: SUMMARY_FILE, chunks: [bucketSummaryText(summary)] },
      ],
      {
        command: 'allocate',
        plan: { file: basename(o.planFile), sha256: planSha256 },
        claims: { file: basename(o.claimsFile), sha256: read.sha256, rows: claims.length },
        ...(reading !== undefined ? { reading } : {}),
        seed: plan.seed,
        ...(summary.receipts === undefined ? {} : { receipts: summary.receipts }),
      },
    );
  } catch (err) {
    await out.abort();
    throw err;
  }
  if (!o.report) return { plan, summary, rows: claims.length, warnings };
  const { writeReport } = await import('./report.js');
  return { plan, summary, rows: claims.length, warnings, reportPath: await writeReport(o.outDir) };
}
