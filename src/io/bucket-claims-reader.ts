/**
 * Reads the claims file of a bucket plan: the header mapped to the plan's input columns (a column
 * the plan names that is missing refuses the plan, naming its key), then every row checked, all
 * problems in one run with their lines: column count, empty or duplicate claim_id, blank status,
 * bad inputs.
 *
 * The claims options are read as for a classes plan, through the same code: the delimiter from
 * --delimiter or a first line `sep=X` and the one-column-header hint (claims-sniff.ts), --map
 * (a field is claim_id, status or a column the plan names), --keep, and --errors-out's writer
 * (`onProblem`).
 */
import {
  bucketClaimFromRow,
  bucketReadingProblem,
  mapBucketColumns,
  type BucketClaim,
  type BucketColumns,
  type BucketReading,
} from '../core/buckets/claims.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { DataError, UsageError } from '../core/errors.js';
import type { Problem } from '../core/problems.js';
import { readingDelimiter, sniffFirstLines, wrongDelimiter } from './claims-sniff.js';
import { CsvSyntaxError, readCsvFile } from './csv-records.js';
import { countOf, countText } from '../core/display-numbers.js';
import { InvalidUtf8Tally, invalidUtf8LineMessage, type InvalidUtf8 } from './csv-utf8.js';

/** Thrown at the first bytes of a UTF-16 file: nothing in it can be read as UTF-8 text. */
class Utf16File extends Error {}

export interface ReadBucketClaimsOptions extends BucketReading {
  /** --delimiter: one character; default `,` (a first line `sep=X` then names it). */
  delimiter?: string;
  /** Called for every problem as it is found, with the row's claim id if known (--errors-out). */
  onProblem?: (problem: Problem, claimId: string | undefined) => void;
}

export interface BucketClaimsRead {
  claims: BucketClaim[];
  sha256: string;
  /** The delimiter the file was read with (--delimiter, else a `sep=` line, else ','). */
  delimiter: string;
  /** Warnings about rows that were read all the same (a blank status read as approved), by line. */
  warnings: Problem[];
  /** Rows whose blank status was read as approved (summary.json counts them). */
  blankStatuses: number;
}

/** At most this many problems are listed; the count of the rest is said. */
const PROBLEM_LIMIT = 100;

/**
 * Reads and checks the claims. Bad rows are a DataError listing every error (exit 1); a plan the
 * header refuses, or a claims option this plan cannot take, a UsageError (exit 2).
 */
export async function readBucketClaims(
  file: string,
  plan: BucketPlan,
  planFile: string,
  options: ReadBucketClaimsOptions = {},
  claimsName = file,
): Promise<BucketClaimsRead> {
  const refused = bucketReadingProblem(plan, options);
  if (refused !== null) throw new UsageError(refused);
  /** A problem that ends the reading (no row can be read, or none was): the error to throw. */
  const fileError = (p: Problem): DataError => {
    options.onProblem?.(p, undefined);
    return new DataError('the claims file has errors', [p]);
  };
  const first = await sniffFirstLines(file);
  const delimiter = readingDelimiter(first, options.delimiter);
  const wrong = wrongDelimiter(first, delimiter);
  if (wrong !== undefined) throw fileError({ code: 'missing_column', severity: 'error', file: claimsName, line: wrong.line, message: wrong.message });
  const sepLine = first?.sep !== undefined;

  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  let errorCount = 0;
  const report = (p: Problem, claimId: string | undefined): void => {
    options.onProblem?.(p, claimId);
    if (p.severity === 'warning') warnings.push(p);
    else {
      errorCount++;
      if (errors.length < PROBLEM_LIMIT) errors.push(p);
    }
  };
  // Invalid UTF-8: the rule of a classes plan's reading (csv-utf8.ts), one file-level error with a
  // guess of the encoding, then the first few lines as examples.
  const utf8Tally = new InvalidUtf8Tally();
  const claims: BucketClaim[] = [];
  let header: string[] | null = null;
  let mapped: BucketColumns | null = null;
  const firstLine = new Map<string, number>();
  const onRecord = (fields: string[], line: number): void => {
    if (sepLine && line === 1) return; // `sep=X` names the delimiter; the header follows
    if (header === null) {
      header = fields;
      const m = mapBucketColumns(plan, fields, claimsName, planFile, options);
      if ('problems' in m) {
        if (m.problems.some((p) => p.code === 'plan_invalid')) throw new UsageError('the plan was refused', m.problems);
        for (const p of m.problems) options.onProblem?.(p, undefined);
        throw new DataError('the claims file has errors', m.problems);
      }
      mapped = m;
      return;
    }
    if (fields.length !== header.length) {
      report({ code: 'column_count', severity: 'error', file: claimsName, line, message: `${countOf(fields.length, 'field')}, the header has ${header.length}` }, undefined);
      return;
    }
    // A row with bytes that are not UTF-8 is left out, as for a classes plan: the file-level error
    // says how many (its bytes were checked before its text was decoded, so the tally knows).
    if (utf8Tally.lines > 0 && fields.some((f) => f.includes('\uFFFD'))) return;
    const found: Problem[] = [];
    const m = mapped as BucketColumns;
    const claim = bucketClaimFromRow(plan, m.columns, fields, line, claimsName, found);
    if (m.keep.length > 0) claim.kept = m.keep.map(([, i]) => fields[i] ?? '');
    if (claim.id !== '') {
      const seen = firstLine.get(claim.id);
      if (seen !== undefined) {
        found.push({ code: 'duplicate_claim_id', severity: 'error', file: claimsName, line, field: 'claim_id', message: `duplicate claim_id "${claim.id}" (first on line ${seen})` });
      } else firstLine.set(claim.id, line);
    }
    for (const p of found) report(p, claim.id === '' ? undefined : claim.id);
    claims.push(claim);
  };
  // readCsvFile checks the bytes of each chunk before its records are decoded (csv-utf8.ts).
  const onInvalidUtf8 = ({ line, byte, utf16 }: InvalidUtf8): void => {
    if (utf16) throw new Utf16File();
    if (utf8Tally.add(byte)) report({ code: 'invalid_utf8', severity: 'error', file: claimsName, line, message: invalidUtf8LineMessage(byte) }, undefined);
  };
  let sha256: string;
  try {
    ({ sha256 } = await readCsvFile(file, onRecord, { delimiter, onInvalidUtf8 }));
  } catch (err) {
    if (err instanceof Utf16File) throw fileError({ code: 'invalid_utf8', severity: 'error', file: claimsName, line: 1, message: 'the file is UTF-16, not UTF-8: re-export the file as CSV UTF-8' });
    if (err instanceof UsageError || err instanceof DataError) throw err;
    if (err instanceof CsvSyntaxError) throw fileError({ code: 'csv_syntax', severity: 'error', file: claimsName, line: err.line, message: err.message });
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${claimsName}: claims file not found` : `${claimsName}: cannot read the claims file (${e.code ?? e.message})`);
  }
  if (header === null) throw fileError({ code: 'empty_file', severity: 'error', file: claimsName, message: 'the file is empty' });
  if (claims.length === 0 && errorCount === 0) throw fileError({ code: 'header_only', severity: 'error', file: claimsName, message: 'a header and no claims' });
  const utf8Message = utf8Tally.message();
  if (utf8Message !== undefined) {
    const p: Problem = { code: 'invalid_utf8', severity: 'error', file: claimsName, message: utf8Message };
    options.onProblem?.(p, undefined);
    errorCount++;
    // The file-level line first, then the rows' problems in line order (the examples were found ahead of their rows).
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    errors.unshift(p);
  }
  if (errorCount > 0) {
    const more = errorCount - errors.length;
    throw new DataError(`the claims file has ${countOf(errorCount, 'error')}${more > 0 ? ` (the first ${countText(PROBLEM_LIMIT)} shown)` : ''}`, errors);
  }
  return { claims, sha256, delimiter, warnings, blankStatuses: warnings.filter((w) => w.code === 'blank_status').length };
}
