/** `payout allocate` with a bucket plan: flags checked, src/app/allocate-buckets.ts called, the waterfall shown. */
import { allocateBucketsToFolder } from '../../app/allocate-buckets.js';
import { bucketSummaryText } from '../../core/buckets/output.js';
import { renderBucketSummary, writeBucketWarnings } from '../render-buckets.js';
import { colorFor } from '../style.js';
import { parseClaimsOptions, parseKeep, type ClaimsCliOptions } from './claims-options.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';

/** The flags of `payout allocate` that a bucket plan reads (commands/allocate.ts parses them all). */
export interface AllocateBucketsCliOptions extends ClaimsCliOptions {
  plan: string;
  out: string;
  force?: boolean;
  keep?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
}

export async function runAllocateBuckets(claimsFile: string, o: AllocateBucketsCliOptions): Promise<void> {
  // The claims options as for a classes plan; the kept columns are checked against this plan's ledger when it is read.
  const claims = parseClaimsOptions(o, 'buckets');
  const keep = parseKeep(o.keep, []);
  const { summary, rows, reportPath, warnings } = await allocateBucketsToFolder({
    claimsFile,
    planFile: o.plan,
    outDir: o.out,
    force: Boolean(o.force),
    report: Boolean(o.report),
    claims,
    keep,
  });
  writeBucketWarnings(warnings, claims.maxErrors, Boolean(o.quiet));
  if (o.json) {
    process.stdout.write(bucketSummaryText(summary));
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderBucketSummary(summary, c);
  lines.push(c.dim(wroteLine(`${o.out}/ledger.csv (${countOf(rows, 'row')}), summary.json, manifest.json`)));
  if (reportPath) lines.push(c.dim(wroteLine(reportPath)));
  process.stdout.write(`${lines.join('\n')}\n`);
}
