/**
 * `payout validate --plan PLAN CLAIMS.csv`: reads the claims as `allocate` would and reports what
 * it found (rows, classes, statuses, eligible points) and every problem, without allocating. The
 * reading is src/app/validate.ts.
 */
import { validateClaims } from '../../app/validate.js';
import { DataError } from '../../core/errors.js';
import { onTerminal } from '../claims-reading.js';
import { colorFor } from '../style.js';
import { buildValidateReport, renderValidateText } from '../render-validate.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { planForm } from '../../io/bucket-plan-file.js';
import { runValidateBuckets } from './validate-buckets.js';
import { countOf } from '../../core/display-numbers.js';

export interface ValidateCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
  errorsOut?: string;
}

export async function runValidate(claimsFile: string, o: ValidateCliOptions): Promise<void> {
  if ((await planForm(o.plan)) === 'buckets') return runValidateBuckets(claimsFile, o);
  const settings = onTerminal(parseClaimsOptions(o), { json: o.json });
  const { loaded, result, writeFailure } = await validateClaims({
    claimsFile,
    planFile: o.plan,
    claims: settings,
    ...(o.errorsOut !== undefined ? { errorsOut: o.errorsOut } : {}),
  });
  const report = buildValidateReport(result, loaded.plan, loaded.file, settings.maxErrors);
  if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(renderValidateText(report, result.problems, settings.maxErrors, colorFor(process.stdout)));

  if (writeFailure !== undefined) throw writeFailure;
  const errors = result.stats.errors;
  if (errors > 0) throw new DataError(`${claimsFile} failed validation: ${countOf(errors, 'error')}`);
}
