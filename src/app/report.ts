/**
 * `payout report DIR`: DIR/report.html, the distribution report of an allocation, made from the
 * folder's summary, manifest and ledger. It replaces an earlier report.html (it is derived from
 * the other files). Returns the path written.
 */
import { writeReport as writeReportHtml } from '../io/report-html.js';

export async function writeReport(dir: string): Promise<string> {
  return writeReportHtml(dir);
}
