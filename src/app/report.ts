/**
 * `payout report DIR`: DIR/report.html, the distribution report of an allocation, made from the
 * folder's summary, manifest and ledger. It replaces an earlier report.html (it is derived from
 * the other files). When the folder's files disagree the report is still written, its banner
 * naming the failed checks, and a DataError (exit 1) says so after. A bucket plan's folder gets
 * its own page (buckets in funding order), and so does a second round's (`payout redistribute`:
 * where the money came from and who shared it); a summary.json of any other format is refused in
 * one line.
 */
import { DataError } from '../core/errors.js';
import { writeBucketReport } from '../io/bucket-report-html.js';
import { reportFolderKind } from '../io/report-folder.js';
import { writeCheckedReport } from '../io/report-html.js';
import { writeRound2Report } from '../io/round2-report-html.js';

/** Writes the report; returns its path, or throws a DataError once it is written when the files disagree. */
export async function writeReport(dir: string): Promise<string> {
  const kind = await reportFolderKind(dir);
  const write = kind === 'buckets' ? writeBucketReport : kind === 'round2' ? writeRound2Report : writeCheckedReport;
  const { path, failed } = await write(dir);
  if (failed.length > 0) {
    const what = failed.map((c) => `${c.failure} (${c.detail})`).join('; ');
    throw new DataError(`${dir}: the files do not agree: ${what}. ${path} is written and its banner says the check failed`);
  }
  return path;
}
