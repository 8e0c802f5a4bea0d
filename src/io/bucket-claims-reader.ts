/**
 * Reads the claims file of a bucket plan: the header mapped to the plan's input columns (a column
 * the plan names that is missing refuses the plan, naming its key), then every row checked, all
 * problems in one run with their lines: column count, empty or duplicate claim_id, bad inputs.
 */
import { bucketClaimFromRow, mapBucketColumns, type BucketClaim } from '../core/buckets/claims.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { DataError, UsageError } from '../core/errors.js';
import type { Problem } from '../core/problems.js';
import { CsvSyntaxError, readCsvFile } from './csv-records.js';
import { countOf, countText } from '../core/display-numbers.js';

export interface BucketClaimsRead {
  claims: BucketClaim[];
  sha256: string;
}

/** At most this many problems are listed; the count of the rest is said. */
const PROBLEM_LIMIT = 100;

export async function readBucketClaims(file: string, plan: BucketPlan, planFile: string, claimsName = file): Promise<BucketClaimsRead> {
  const problems: Problem[] = [];
  const claims: BucketClaim[] = [];
  let header: string[] | null = null;
  let columns: Map<string, number> | null = null;
  const firstLine = new Map<string, number>();
  const onRecord = (fields: string[], line: number): void => {
    if (header === null) {
      header = fields;
      const mapped = mapBucketColumns(plan, fields, claimsName, planFile);
      if ('problems' in mapped) {
        const planProblems = mapped.problems.filter((p) => p.code === 'plan_invalid');
        if (planProblems.length > 0) throw new UsageError('the plan was refused', mapped.problems);
        throw new DataError('the claims file has errors', mapped.problems);
      }
      columns = mapped.columns;
      return;
    }
    if (fields.length !== header.length) {
      problems.push({ code: 'column_count', severity: 'error', file: claimsName, line, message: `${fields.length} fields, the header has ${header.length}` });
      return;
    }
    if (fields.some((f) => f.includes('\uFFFD'))) {
      problems.push({ code: 'invalid_utf8', severity: 'error', file: claimsName, line, message: 'not valid UTF-8' });
    }
    const claim = bucketClaimFromRow(plan, columns as Map<string, number>, fields, line, claimsName, problems);
    if (claim.id !== '') {
      const first = firstLine.get(claim.id);
      if (first !== undefined) {
        problems.push({ code: 'duplicate_claim_id', severity: 'error', file: claimsName, line, field: 'claim_id', message: `duplicate claim_id "${claim.id}" (first on line ${first})` });
      } else firstLine.set(claim.id, line);
    }
    claims.push(claim);
  };
  let sha256: string;
  try {
    ({ sha256 } = await readCsvFile(file, onRecord));
  } catch (err) {
    if (err instanceof UsageError || err instanceof DataError) throw err;
    if (err instanceof CsvSyntaxError) throw new DataError('the claims file has errors', [{ code: 'csv_syntax', severity: 'error', file: claimsName, line: err.line, message: err.message }]);
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${claimsName}: claims file not found` : `${claimsName}: cannot read the claims file (${e.code ?? e.message})`);
  }
  if (header === null) throw new DataError('the claims file has errors', [{ code: 'empty_file', severity: 'error', file: claimsName, message: 'the file is empty' }]);
  if (claims.length === 0 && problems.length === 0) {
    throw new DataError('the claims file has errors', [{ code: 'header_only', severity: 'error', file: claimsName, message: 'a header and no claims' }]);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, PROBLEM_LIMIT);
    const more = problems.length - shown.length;
    throw new DataError(`the claims file has ${countOf(problems.length, 'error')}${more > 0 ? ` (the first ${countText(PROBLEM_LIMIT)} shown)` : ''}`, shown);
  }
  return { claims, sha256 };
}
