/** `payout allocate --plan PLAN CLAIMS.csv --out DIR`: the net fund, the split, exact cents, the files. */
import { allocate } from '../../core/allocate.js';
import { buildSummary, summaryText } from '../../core/summary.js';
import { LEDGER_COLUMNS } from '../../core/ledger.js';
import { loadPlan } from '../../io/plan-file.js';
import { tieKeyer } from '../../io/hash.js';
import { OutputSet } from '../../io/atomic-output.js';
import { ALLOCATION_FILES, writeAllocation } from '../../io/write-allocation.js';
import { startLedgerWorker } from '../../io/ledger-bytes.js';
import { UsageError } from '../../core/errors.js';
import { colorFor } from '../style.js';
import { renderSummary } from '../render-summary.js';
import { grouped } from '../table.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { readValidClaims } from './validate.js';

export interface AllocateCliOptions extends ClaimsCliOptions {
  plan: string;
  out: string;
  force?: boolean;
  keep?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
}

/** `--keep payment_method,email` → the column names, as written. */
function parseKeep(keep: string | undefined): string[] {
  if (keep === undefined) return [];
  const cols = keep.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (cols.length === 0) throw new UsageError(`--keep "${keep}": name the columns to carry, e.g. --keep payment_method`);
  const seen = new Set<string>();
  for (const col of cols) {
    const key = col.toLowerCase();
    // A kept column named like a ledger column would give the ledger two "amount" columns.
    if ((LEDGER_COLUMNS as readonly string[]).includes(key)) {
      throw new UsageError(`--keep ${col}: the ledger already has the column "${key}"; keep only other columns, e.g. --keep payment_method`);
    }
    if (seen.has(key)) throw new UsageError(`--keep ${keep}: "${col}" is named twice`);
    seen.add(key);
  }
  return cols;
}

export async function runAllocate(claimsFile: string, o: AllocateCliOptions): Promise<void> {
  const settings = parseClaimsOptions(o);
  const keep = parseKeep(o.keep);
  const { plan, sha256: planSha256 } = await loadPlan(o.plan);
  // Refuse to overwrite before any work, not after a long run.
  const out = await OutputSet.open(o.out, [...ALLOCATION_FILES], Boolean(o.force));
  let table, stats, alloc, summary;
  try {
    // Largest remainder: the tie-break keys are hashed on a worker thread while the file is read.
    const tieKeySeed = plan.rounding.method === 'largest-remainder' ? { tieKeySeed: plan.seed } : {};
    let tieKeyPrefixes;
    ({ table, stats, tieKeyPrefixes } = await readValidClaims(claimsFile, plan, {
      ...settings,
      quiet: Boolean(o.quiet || o.json),
      read: { ...settings.read, keep, sha256: true, ...tieKeySeed },
    }));
    startLedgerWorker(table.count, keep); // boots while the allocation is computed
    alloc = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes });
    summary = buildSummary(plan, alloc);
  } catch (err) {
    await out.abort(); // nothing written; a folder this run made is removed again
    throw err;
  }
  ({ summary } = await writeAllocation(out, plan, table, alloc, summary, keep, {
    planFile: o.plan,
    planSha256,
    claimsFile,
    claimsSha256: stats.sha256 ?? '',
  }));
  // The report's renderer (preact) is loaded only when a report is asked for.
  const reportPath = o.report ? await (await import('../../io/report-html.js')).writeReport(o.out) : undefined;
  if (o.json) {
    process.stdout.write(summaryText(summary));
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderSummary(summary, c);
  lines.push(c.dim(`Wrote ${o.out}/ledger.csv (${grouped(table.count)} rows), summary.json, manifest.json`));
  if (reportPath) lines.push(c.dim(`Wrote ${reportPath}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

