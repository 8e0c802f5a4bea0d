/** `payout validate` with a bucket plan: the claims read and checked as `allocate` reads them, and what each bucket is claimed. */
import type { BucketPlan } from '../core/buckets/plan.js';
import { formatRationalHalfEven, RAT_ZERO, ratAdd } from '../core/decimal.js';
import { DataError } from '../core/errors.js';
import type { Problem } from '../core/problems.js';
import { readBucketClaims, type ReadBucketClaimsOptions } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { openErrorsCsv } from '../io/errors-csv.js';
import { refuseInputAsErrorsOut, type ClaimsSettings } from './validate.js';

export interface BucketValidation {
  plan: BucketPlan;
  claims: number;
  eligible: number;
  /** Per bucket in funding order: eligible claims with something in it, and what they claim (money, or points). */
  buckets: { id: string; claims: number; claimed: string; unit: 'money' | 'points' }[];
  /** Rows read all the same, with a warning (a blank status read as approved). */
  warnings: Problem[];
}

/**
 * The claims options of a classes plan's commands (--delimiter, --map, --keep) as the bucket
 * reader takes them: one parser for both plan forms (cli/commands/claims-options.ts).
 */
export function bucketReadOptions(settings: ClaimsSettings | undefined, keep: readonly string[] = []): ReadBucketClaimsOptions {
  const read = settings?.read;
  return {
    ...(read?.delimiter !== undefined ? { delimiter: read.delimiter } : {}),
    ...(read?.map !== undefined ? { map: read.map } : {}),
    ...(keep.length > 0 ? { keep } : {}),
  };
}

export interface ValidateBucketsOptions {
  planFile: string;
  claimsFile: string;
  claims?: ClaimsSettings;
  /** Also write the rows with errors as CSV to this file (`line,claim_id,field,code,message`). */
  errorsOut?: string;
}

/**
 * Bad rows are a DataError listing every problem with its line (exit 1), once --errors-out is
 * written; a refused plan a UsageError (exit 2).
 */
export async function validateBucketClaims(o: ValidateBucketsOptions): Promise<BucketValidation> {
  if (o.errorsOut !== undefined) refuseInputAsErrorsOut(o.errorsOut, o.claimsFile, o.planFile);
  const { plan } = await loadBucketPlan(o.planFile);
  const errorsOut = o.errorsOut !== undefined ? await openErrorsCsv(o.errorsOut) : undefined;
  let read;
  try {
    read = await readBucketClaims(o.claimsFile, plan, o.planFile, {
      ...bucketReadOptions(o.claims),
      ...(errorsOut ? { onProblem: (p: Problem, id: string | undefined) => errorsOut.write(p, id) } : {}),
    });
  } catch (err) {
    // Bad rows: the errors file is complete (every row was read); anything else leaves none.
    if (err instanceof DataError && errorsOut) await errorsOut.commit();
    else await errorsOut?.abandon();
    throw err;
  }
  await errorsOut?.commit();
  const { claims, warnings } = read;
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
    warnings,
  };
}
