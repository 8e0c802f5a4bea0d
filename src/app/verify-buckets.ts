/**
 * `payout verify` of a folder that `payout allocate` wrote from a bucket plan: the same path as the
 * command (loadBucketPlan, readBucketClaims, allocateBuckets, the bucket ledger and summary),
 * recomputed in memory for app/verify.ts to compare.
 */
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketLedgerColumns } from '../core/buckets/claims.js';
import { bucketLedgerHeader, bucketLedgerRows, bucketSummaryText, buildBucketSummary } from '../core/buckets/output.js';
import { DataError, UsageError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import type { ExpectedLedger } from '../core/ledger-compare.js';
import { checkInput, type InputFact } from '../core/verify.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { sha256Hex } from '../io/hash.js';
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
  const text = bucketSummaryText(buildBucketSummary(plan, claims, alloc, { blankStatuses }));
  const ledgerText = bucketLedgerHeader(plan, keep) + [...bucketLedgerRows(claims, alloc)].join('');
  const columns = [...standard, ...keep];
  const amountColumn = standard.length - 1;
  const expected: ExpectedLedger = {
    columns,
    idColumn: 'claim_id',
    amountColumn: 'amount',
    count: claims.length,
    id: (row) => claims[row]!.id,
    cell(row, col) {
      const c = claims[row]!;
      if (col === 0) return c.id;
      if (col === 1) return c.status;
      if (col === 2) return alloc.outcomes[row]!;
      if (col === amountColumn) return formatMoney(alloc.totals[row]!);
      if (col > amountColumn) return c.kept?.[col - amountColumn - 1] ?? '';
      return formatMoney(alloc.cents[row]![col - 3]!);
    },
  };
  return {
    inputs: [planFact, { name: 'claims', label: 'the claims file', file: claimsFile, recorded: ctx.manifest.claims, actual: { sha256, rows: claims.length } }],
    ledger: { expected, sha256: sha256Hex(ledgerText), required: standard },
    summary: { json: JSON.parse(text) as unknown, sha256: sha256Hex(text) },
    totals: { residual: ['residual'], net: ['net'] },
    manifestChecks: [...manifestSeedCheck(ctx.manifest, plan.seed, "the plan's seed"), ...manifestKeepCheck(ctx.manifest, keep)],
  };
};
