/**
 * Writes a second distribution's files (SPEC section 6) all together or not at all, as
 * write-allocation.ts does for the first: ledger.csv streamed and hashed, summary.json, then
 * manifest.json with the hashes of the inputs and of both outputs; only then renamed into place.
 */
import { manifestText, type Manifest } from '../core/manifest.js';
import type { FirstRoundTable, Redistribution } from '../core/redistribute.js';
import { redistributionLedgerChunks, redistributionLedgerHeader } from '../core/redistribute-output.js';
import type { OutputSet, WrittenFile } from './atomic-output.js';

export const REDISTRIBUTION_FILES = ['ledger.csv', 'summary.json', 'manifest.json'] as const;

/** Writes into `out` (opened by the caller before any work, so --force is checked first). */
export async function writeRedistribution(
  out: OutputSet,
  run: { first: { table: FirstRoundTable }; result: Redistribution; summaryText: string },
  manifestFor: (outputs: { ledger: WrittenFile; summary: WrittenFile }) => Manifest,
): Promise<{ files: WrittenFile[]; manifest: Manifest }> {
  try {
    const ledgerOut = out.create('ledger.csv');
    await ledgerOut.write(redistributionLedgerHeader());
    for (const chunk of redistributionLedgerChunks(run.first.table, run.result)) await ledgerOut.write(chunk);
    const ledger = await ledgerOut.close();

    const summaryOut = out.create('summary.json');
    await summaryOut.write(run.summaryText);
    const summary = await summaryOut.close();

    const manifest = manifestFor({ ledger, summary });
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
