/**
 * Writes a second distribution's files (SPEC section 6) all together or not at all, as
 * write-allocation.ts does for the first: ledger.csv streamed and hashed, summary.json, then
 * manifest.json with the hashes of the inputs and of both outputs; only then renamed into place.
 */
import { basename } from 'node:path';
import { formatMoney } from '../core/money.js';
import { manifestText, MANIFEST_FORMAT, type Manifest } from '../core/manifest.js';
import { redistributionLedgerChunks, redistributionLedgerHeader } from '../core/redistribute-output.js';
import { TOOL, VERSION } from '../core/version.js';
import type { OutputSet, WrittenFile } from './atomic-output.js';
import { redistributionInputs, type RedistributionRun } from './redistribution-run.js';

export const REDISTRIBUTION_FILES = ['ledger.csv', 'summary.json', 'manifest.json'] as const;

/** The manifest of a second round (`command: "redistribute"`). */
export function redistributionManifest(
  run: RedistributionRun,
  files: { planFile: string; uncashedFile: string },
  outputs: { ledger: WrittenFile; summary: WrittenFile },
): Manifest {
  return {
    format: MANIFEST_FORMAT,
    tool: { name: TOOL, version: VERSION },
    command: 'redistribute',
    plan: { file: basename(files.planFile), sha256: run.loaded.sha256 },
    inputs: redistributionInputs(run, files.uncashedFile),
    parameters: { costs: formatMoney(run.result.available.costs) },
    seed: run.result.seed,
    outputs: [
      { file: outputs.ledger.name, sha256: outputs.ledger.sha256, bytes: outputs.ledger.bytes, rows: run.first.table.count },
      { file: outputs.summary.name, sha256: outputs.summary.sha256, bytes: outputs.summary.bytes },
    ],
    ...(run.summary.receipts === undefined ? {} : { receipts: run.summary.receipts }),
  };
}

/** Writes into `out` (opened by the caller before any work, so --force is checked first). */
export async function writeRedistribution(
  out: OutputSet,
  run: RedistributionRun,
  files: { planFile: string; uncashedFile: string },
): Promise<{ files: WrittenFile[]; manifest: Manifest }> {
  try {
    const ledgerOut = out.create('ledger.csv');
    await ledgerOut.write(redistributionLedgerHeader());
    for (const chunk of redistributionLedgerChunks(run.first.table, run.result)) await ledgerOut.write(chunk);
    const ledger = await ledgerOut.close();

    const summaryOut = out.create('summary.json');
    await summaryOut.write(run.summaryText);
    const summary = await summaryOut.close();

    const manifest = redistributionManifest(run, files, { ledger, summary });
    const manifestOut = out.create('manifest.json');
    await manifestOut.write(manifestText(manifest));
    const manifestFile = await manifestOut.close();
    await out.commit();
    return { files: [ledger, summary, manifestFile], manifest };
  } catch (err) {
    await out.abort();
    throw err;
  }
}
