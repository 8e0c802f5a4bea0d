/**
 * Writes an allocation's files (SPEC section 5) all together or not at all: ledger.csv is streamed
 * in blocks of rows (ledgerBlocks: made on this thread and a worker) and hashed on the way out,
 * then summary.json, then manifest.json with the hashes, and only then are the three renamed into
 * place.
 */
import { basename } from 'node:path';
import type { ClaimTable } from '../core/claims.js';
import type { Allocation } from '../core/allocate.js';
import type { Plan } from '../core/plan.js';
import { ledgerHeader } from '../core/ledger.js';
import { ledgerBlocks } from './ledger-bytes.js';
import { manifestText, MANIFEST_FORMAT, type Manifest } from '../core/manifest.js';
import { summaryText, type SummaryJson } from '../core/summary.js';
import { OutputSet, type WrittenFile } from './atomic-output.js';
import { TOOL, VERSION } from '../core/version.js';
import { startAllocationReceipts } from './receipts-root.js';

export const ALLOCATION_FILES = ['ledger.csv', 'summary.json', 'manifest.json'] as const;

export interface AllocationInputs {
  planFile: string;
  planSha256: string;
  claimsFile: string;
  claimsSha256: string;
}

export interface WrittenAllocation {
  files: WrittenFile[];
  manifest: Manifest;
  /** summary.json as written: the summary given, with the receipts root of the ledger. */
  summary: SummaryJson;
}

/** Writes into `out` (opened by the caller before any work, so --force is checked first). */
export async function writeAllocation(
  out: OutputSet,
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  summary: SummaryJson,
  keep: readonly string[],
  inputs: AllocationInputs,
): Promise<WrittenAllocation> {
  // The receipts root's leaves are hashed on a worker while the ledger is written.
  const receiptsRoot = startAllocationReceipts(plan, claims, alloc, keep);
  try {
    const ledger = out.create('ledger.csv');
    await ledger.write(ledgerHeader(keep));
    for await (const chunk of ledgerBlocks(plan, claims, alloc, keep)) await ledger.writeBytes(chunk);
    const ledgerFile = await ledger.close();

    const receipts = await receiptsRoot.finish();
    const written: SummaryJson = { ...summary, receipts };
    const summaryOut = out.create('summary.json');
    await summaryOut.write(summaryText(written));
    const summaryFile = await summaryOut.close();

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      tool: { name: TOOL, version: VERSION },
      command: 'allocate',
      plan: { file: basename(inputs.planFile), sha256: inputs.planSha256 },
      claims: { file: basename(inputs.claimsFile), sha256: inputs.claimsSha256, rows: claims.count },
      seed: plan.seed,
      outputs: [
        { file: ledgerFile.name, sha256: ledgerFile.sha256, bytes: ledgerFile.bytes, rows: claims.count },
        { file: summaryFile.name, sha256: summaryFile.sha256, bytes: summaryFile.bytes },
      ],
      receipts,
    };
    const manifestOut = out.create('manifest.json');
    await manifestOut.write(manifestText(manifest));
    const manifestFile = await manifestOut.close();
    await out.commit();
    return { files: [ledgerFile, summaryFile, manifestFile], manifest, summary: written };
  } catch (err) {
    receiptsRoot.abort();
    await out.abort();
    throw err;
  }
}
