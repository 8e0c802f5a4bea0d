/**
 * `payout report DIR`: DIR/report.html, the distribution report of an allocation, made from the
 * folder's summary, manifest and ledger. It replaces an earlier report.html (it is derived from
 * the other files). A bucket plan's folder gets its own page (buckets in funding order). Returns
 * the path written.
 */
import { isBucketFolder } from '../io/bucket-plan-file.js';
import { writeBucketReport } from '../io/bucket-report-html.js';
import { writeReport as writeReportHtml } from '../io/report-html.js';

export async function writeReport(dir: string): Promise<string> {
  if (await isBucketFolder(dir)) return writeBucketReport(dir);
  return writeReportHtml(dir);
}
