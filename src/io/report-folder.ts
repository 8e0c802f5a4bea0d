/**
 * Which report a folder gets, from its summary.json's `format` (and a bucket plan's `mode`):
 * `payout allocate`'s (a plan of classes, or a bucket plan) or `payout redistribute`'s. A summary
 * of a format payout does not write is refused in one line naming what it is and what payout
 * reads, rather than as a list of fields missing from the first format tried.
 */
import { join } from 'node:path';
import { BUCKET_SUMMARY_FORMAT } from '../core/buckets/output.js';
import { UsageError } from '../core/errors.js';
import { ROUND2_FORMAT } from '../core/round2-report-input.js';
import { SUMMARY_FORMAT } from '../core/summary.js';
import { readJsonFile } from './json-file.js';

export type ReportFolderKind = 'classes' | 'buckets' | 'round2';

/**
 * The kind of DIR's run, or undefined when DIR/summary.json cannot be read as JSON (the classes
 * reader then says what is wrong, in its own words). Throws a UsageError (exit 2) for a summary
 * of a format payout does not write.
 */
export async function reportFolderKind(dir: string): Promise<ReportFolderKind | undefined> {
  const file = join(dir, 'summary.json');
  let value: unknown;
  try {
    ({ value } = await readJsonFile(file, { kind: 'summary', missing: () => new UsageError(`${file}: not found`) }));
  } catch {
    return undefined;
  }
  const known = `payout report reads the summary.json of ${SUMMARY_FORMAT} or ${BUCKET_SUMMARY_FORMAT} (payout allocate) or ${ROUND2_FORMAT} (payout redistribute)`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${file}: not a summary payout writes (not a JSON object); ${known}`);
  }
  const { format, mode } = value as { format?: unknown; mode?: unknown };
  if (format === ROUND2_FORMAT) return 'round2';
  if (format === BUCKET_SUMMARY_FORMAT || mode === 'buckets') return 'buckets';
  if (format === SUMMARY_FORMAT) return 'classes';
  const what = format === undefined ? 'no "format" field' : `format ${JSON.stringify(format).slice(0, 80)}`;
  throw new UsageError(`${file}: ${what}: not a folder payout report knows; ${known}`);
}
