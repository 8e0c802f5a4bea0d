/** `payout allocate` with a bucket plan: flags checked, src/app/allocate-buckets.ts called, the waterfall shown. */
import { allocateBucketsToFolder } from '../../app/allocate-buckets.js';
import { bucketSummaryText } from '../../core/buckets/output.js';
import { UsageError } from '../../core/errors.js';
import { renderBucketSummary } from '../render-buckets.js';
import { colorFor } from '../style.js';
import { grouped } from '../table.js';
import { wroteLine } from '../wrote.js';

/** The flags of `payout allocate` that a bucket plan reads (commands/allocate.ts parses them all). */
export interface AllocateBucketsCliOptions {
  plan: string;
  out: string;
  force?: boolean;
  keep?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  map?: string[];
  delimiter?: string;
}

export async function runAllocateBuckets(claimsFile: string, o: AllocateBucketsCliOptions): Promise<void> {
  if (o.keep !== undefined) throw new UsageError(`--keep ${o.keep}: not available with a bucket plan yet; the ledger has claim_id, status, outcome, a column per bucket and amount`);
  // A bucket plan names its own columns; a comma-separated file is read.
  if (o.map !== undefined && o.map.length > 0) throw new UsageError('--map: not available with a bucket plan; the plan names the claims columns it reads');
  if (o.delimiter !== undefined && o.delimiter !== ',') throw new UsageError(`--delimiter ${o.delimiter}: a bucket plan's claims file is read comma-separated`);
  const { summary, rows, reportPath } = await allocateBucketsToFolder({ claimsFile, planFile: o.plan, outDir: o.out, force: Boolean(o.force), report: Boolean(o.report) });
  if (o.json) {
    process.stdout.write(bucketSummaryText(summary));
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderBucketSummary(summary, c);
  lines.push(c.dim(wroteLine(`${o.out}/ledger.csv (${grouped(rows)} rows), summary.json, manifest.json`)));
  if (reportPath) lines.push(c.dim(wroteLine(reportPath)));
  process.stdout.write(`${lines.join('\n')}\n`);
}
