/**
 * `payout allocate --plan PLAN CLAIMS.csv --out DIR`: the net fund, the split, exact cents, the
 * files (src/app/allocate.ts).
 */
import { allocateToFolder } from '../../app/allocate.js';
import { summaryText } from '../../core/summary.js';
import { LEDGER_COLUMNS } from '../../core/ledger.js';
import { onTerminal } from '../claims-reading.js';
import { colorFor } from '../style.js';
import { renderSummary } from '../render-summary.js';
import { parseClaimsOptions, parseKeep, type ClaimsCliOptions } from './claims-options.js';
import { planForm } from '../../io/bucket-plan-file.js';
import { runAllocateBuckets } from './allocate-buckets.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';

export interface AllocateCliOptions extends ClaimsCliOptions {
  plan: string;
  out: string;
  force?: boolean;
  keep?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
}

export async function runAllocate(claimsFile: string, o: AllocateCliOptions): Promise<void> {
  if ((await planForm(o.plan)) === 'buckets') return runAllocateBuckets(claimsFile, o);
  const settings = onTerminal(parseClaimsOptions(o), { json: o.json, quiet: o.quiet });
  const keep = parseKeep(o.keep, LEDGER_COLUMNS);
  const { summary, rows, reportPath } = await allocateToFolder({
    claimsFile,
    planFile: o.plan,
    outDir: o.out,
    force: Boolean(o.force),
    keep,
    claims: settings,
    report: Boolean(o.report),
  });
  if (o.json) {
    process.stdout.write(summaryText(summary));
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderSummary(summary, c);
  lines.push(c.dim(wroteLine(`${o.out}/ledger.csv (${countOf(rows, 'row')}), summary.json, manifest.json`)));
  if (reportPath) lines.push(c.dim(wroteLine(reportPath)));
  process.stdout.write(`${lines.join('\n')}\n`);
}
