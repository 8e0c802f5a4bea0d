/**
 * `payout allocate`: the net fund, the split, exact cents, and the output folder (ledger.csv,
 * summary.json, manifest.json; report.html when asked).
 */
import { basename } from 'node:path';
import { allocate } from '../core/allocate.js';
import { roundingMethod } from '../core/rounding/index.js';
import { ledgerHeader } from '../core/ledger.js';
import { claimsReading, LEDGER_FILE, SUMMARY_FILE, type ManifestRun } from '../core/manifest.js';
import { buildSummary, summaryText, type SummaryJson } from '../core/summary.js';
import type { Plan } from '../core/plan.js';
import { loadPlan } from '../io/plan-file.js';
import { readingDelimiter, sniffFirstLines } from '../io/claims-sniff.js';
import { tieKeyer } from '../io/hash.js';
import { OutputSet } from '../io/atomic-output.js';
import { ledgerBlocks, startLedgerWorker } from '../io/ledger-bytes.js';
import { startAllocationReceipts, startReceiptsWorker } from '../io/receipts-root.js';
import { outputNames, writeOutputs } from '../io/write-outputs.js';
import { readValidClaims, type ClaimsSettings } from './validate.js';

export interface AllocateOptions {
  claimsFile: string;
  planFile: string;
  outDir: string;
  /** Replace the files of an earlier run in outDir. */
  force?: boolean;
  /** Claims columns carried into the ledger after the standard ones. */
  keep?: readonly string[];
  claims: ClaimsSettings;
  /** Also write outDir/report.html. */
  report?: boolean;
}

export interface AllocateResult {
  plan: Plan;
  summary: SummaryJson;
  /** Rows of the ledger written. */
  rows: number;
  /** outDir/report.html, when asked for. */
  reportPath?: string;
}

/**
 * Reads the claims (every problem reported through the claims hooks; an error is a DataError and
 * nothing is written), allocates and writes the folder, all or nothing. An outDir with files of an
 * earlier run is refused (UsageError) before any work unless `force`.
 */
export async function allocateToFolder(o: AllocateOptions): Promise<AllocateResult> {
  const keep = o.keep ?? [];
  const { plan, sha256: planSha256 } = await loadPlan(o.planFile);
  // Refuse to overwrite before any work, not after a long run.
  const out = await OutputSet.open(o.outDir, outputNames([LEDGER_FILE, SUMMARY_FILE]), Boolean(o.force));
  let table, stats, alloc, summary;
  try {
    // Largest remainder: the tie-break keys are hashed on a worker thread while the file is read.
    const tieKeySeed = roundingMethod(plan.rounding).needsTieKeys ? { tieKeySeed: plan.seed } : {};
    let tieKeyPrefixes, cells;
    ({ table, stats, tieKeyPrefixes, cells } = await readValidClaims(o.claimsFile, plan, {
      ...o.claims,
      read: { ...o.claims.read, keep: [...keep], sha256: true, cells: true, ...tieKeySeed },
    }));
    startLedgerWorker(table.count, keep); // boots while the allocation is computed
    startReceiptsWorker(table.count, keep); // so does this one
    // The rows' cells as the reader grouped them for its statistics.
    alloc = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes, cells });
    summary = buildSummary(plan, alloc, table, { lookAlikeClaimIds: stats.warningsByCode.lookalike_claim_id ?? 0, blankStatuses: stats.warningsByCode.blank_status ?? 0 });
  } catch (err) {
    await out.abort(); // nothing written; a folder this run made is removed again
    throw err;
  }
  // The receipts root's leaves are hashed on a worker while the ledger is written; summary.json
  // (written after the ledger) and the manifest carry the root (docs/receipts.md).
  const receiptsRoot = startAllocationReceipts(plan, table, alloc, keep);
  // While the ledger's writing waits (for the disk, or for a block the ledger worker is making),
  // this thread makes blocks of the receipts root's leaves instead of idling.
  const whileWaiting = (): boolean => receiptsRoot.helpOnce();
  // The delimiter as the reader chose it: --delimiter, else a first line `sep=X`, else ','.
  const delimiter = readingDelimiter(await sniffFirstLines(o.claimsFile), o.claims.read.delimiter);
  const reading = claimsReading(delimiter, o.claims.read.map, keep);
  const run: ManifestRun = {
    command: 'allocate',
    plan: { file: basename(o.planFile), sha256: planSha256 },
    claims: { file: basename(o.claimsFile), sha256: stats.sha256 ?? '', rows: table.count },
    ...(reading !== undefined ? { reading } : {}),
    seed: plan.seed,
  };
  const counted = summary;
  let written: SummaryJson = counted;
  try {
    await writeOutputs(
      out,
      [
        {
          name: LEDGER_FILE,
          chunks: (async function* () {
            yield ledgerHeader(keep);
            yield* ledgerBlocks(plan, table, alloc, keep, undefined, whileWaiting);
          })(),
          rows: table.count,
          whileWaiting,
        },
        {
          name: SUMMARY_FILE,
          chunks: (async function* () {
            const receipts = await receiptsRoot.finish();
            written = { ...counted, receipts };
            run.receipts = receipts;
            yield summaryText(written);
          })(),
        },
      ],
      run,
    );
  } catch (err) {
    receiptsRoot.abort();
    throw err;
  }
  summary = written;
  // The report's renderer (preact) is loaded only when a report is asked for.
  if (!o.report) return { plan, summary, rows: table.count };
  const { writeReport } = await import('./report.js');
  return { plan, summary, rows: table.count, reportPath: await writeReport(o.outDir) };
}
