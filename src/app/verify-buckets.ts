/**
 * `payout verify` of a folder that `payout allocate` wrote from a bucket plan: the same path as the
 * command (loadBucketPlan, readBucketClaims, allocateBuckets, the bucket ledger and summary),
 * recomputed in memory for app/verify.ts to compare.
 */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketLedgerColumns } from '../core/buckets/claims.js';
import { bucketLedger, bucketLedgerHeader, bucketLedgerRows, bucketSummaryText } from '../core/buckets/output.js';
import { DataError, UsageError } from '../core/errors.js';
import { checkInput, type InputFact } from '../core/verify.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { sha256Hex } from '../io/hash.js';
import { bucketAllocationSummary } from '../io/receipts-root.js';
import { bucketTieKey } from './allocate-buckets.js';
import { manifestKeepCheck, manifestSeedCheck, type Recompute } from './recompute.js';
import { bucketReadOptions } from './validate-buckets.js';

export const recomputeBucketAllocate: Recompute = async (ctx) => {
  if (ctx.inputs.length !== 1) {
    throw new UsageError(`${ctx.dir} was made by payout allocate: give the plan and its claims file, payout verify --plan PLAN CLAIMS.csv DIR`);
  }
  const claimsFile = ctx.inputs[0]!;
  const { plan, sha256: planSha256 } = await loadBucketPlan(ctx.planFile);
  const planFact: InputFact = { name: 'plan', label: 'the plan', file: ctx.planFile, recorded: ctx.manifest.plan, actual: { sha256: planSha256 } };
  // The ledger's columns after `amount` were carried from the claims file with --keep; the
  // delimiter and --map are the manifest's record unless given (app/verify.ts, recordedReading).
  const standard = bucketLedgerColumns(plan);
  const keep = ctx.ledgerColumns.filter((c) => !standard.includes(c));
  let read;
  try {
    read = await readBucketClaims(claimsFile, plan, ctx.planFile, bucketReadOptions(ctx.claims, keep));
  } catch (err) {
    // Claims that no longer pass against this plan: say first if the plan was changed.
    const changed = checkInput(planFact);
    if (err instanceof DataError && changed.status === 'fail') throw new DataError(`${err.message}; ${changed.message}`, err.problems);
    throw err;
  }
  const { claims, sha256, blankStatuses } = read;
  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: ctx.planFile }]);
  const expected = bucketLedger(plan, claims, alloc, keep);
  // summary.json as allocate writes it, with the receipts root of the ledger (docs/receipts.md).
  const text = bucketSummaryText(bucketAllocationSummary(plan, claims, alloc, keep, { blankStatuses }));
  const ledgerText = bucketLedgerHeader(plan, keep) + [...bucketLedgerRows(claims, alloc)].join('');
  return {
    inputs: [planFact, { name: 'claims', label: 'the claims file', file: claimsFile, recorded: ctx.manifest.claims, actual: { sha256, rows: claims.length } }],
    ledger: { expected, sha256: sha256Hex(ledgerText), required: standard },
    summary: { json: JSON.parse(text) as unknown, sha256: sha256Hex(text) },
    totals: { residual: ['residual'], net: ['net'] },
    manifestChecks: [...manifestSeedCheck(ctx.manifest, plan.seed, "the plan's seed"), ...manifestKeepCheck(ctx.manifest, keep)],
  };
};
