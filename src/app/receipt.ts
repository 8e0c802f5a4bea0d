/**
 * `payout receipt DIR CLAIM_ID`: a claimant's receipt (docs/receipts.md): the claim's row of
 * DIR/ledger.csv with its column names, the proof that the row is a leaf of the tree whose root
 * summary.json and manifest.json record, the root, the encoding and the case. With the published
 * root, `payout check-receipt` (or scripts/check-receipt.py) checks it with no other file.
 *
 * The ledger is read back and every leaf hashed again, and the root they give must be the one the
 * folder records: a receipt is never made from a ledger that was changed after the run.
 */
import { basename, dirname, join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { digest, leafMessage, merkleProof, MERKLE_ENCODING, toHex, type ProofStep } from '../core/merkle.js';
import { OutputSet } from '../io/atomic-output.js';
import { readLedgerLeaves } from '../io/ledger-leaves.js';
import { readManifest, readOutputJson } from '../io/output-dir.js';
import { sha256Into } from '../io/receipts-leaves.js';

export const RECEIPT_FORMAT = 'payout-receipt/1';

/** A receipt as written (JSON, fixed key order). */
export interface Receipt {
  format: string;
  /** The tree's encoding (docs/receipts.md). */
  encoding: string;
  /** The plan's name (the case), from summary.json. */
  case: string;
  /** What made the folder: allocate, or redistribute for a second round. */
  command: string;
  claimId: string;
  /** The claim's row: each ledger column in order with its cell as read back. */
  row: { column: string; cell: string }[];
  /** The row's leaf hash. */
  leaf: string;
  /** From the leaf up: each sibling's hash and the side it goes on. */
  proof: ProofStep[];
  root: string;
  /** Rows in the ledger (leaves of the tree). */
  leaves: number;
}

export interface ReceiptOptions {
  dir: string;
  claimId: string;
  /** Also write the receipt to this file (refused if it exists, unless `force`). */
  out?: string;
  force?: boolean;
}

export const receiptText = (r: Receipt): string => `${JSON.stringify(r, null, 2)}\n`;

/** The receipts root a folder records in summary.json; the manifest must record the same. */
async function recordedRoot(dir: string): Promise<{ root: string; encoding: string; case: string; command: string }> {
  const manifest = await readManifest(dir);
  const summary = (await readOutputJson(dir, 'summary.json')) as { case?: unknown; receipts?: { encoding?: unknown; root?: unknown } };
  const r = summary.receipts;
  if (typeof r?.root !== 'string' || typeof r.encoding !== 'string') {
    throw new UsageError(`${join(dir, 'summary.json')}: no receipts root (made by a payout without receipts?): run payout ${manifest.command} again`);
  }
  if (r.encoding !== MERKLE_ENCODING) throw new UsageError(`${join(dir, 'summary.json')}: receipts encoding "${r.encoding}": this payout makes receipts of ${MERKLE_ENCODING}`);
  if (manifest.receipts?.root !== r.root) {
    throw new DataError(`${dir}: the receipts root of summary.json (${r.root}) is not the manifest's (${manifest.receipts?.root ?? 'none'}): payout verify tells what changed`);
  }
  return { root: r.root, encoding: r.encoding, case: typeof summary.case === 'string' ? summary.case : '', command: manifest.command };
}

/** Makes the receipt of `claimId` (and writes it to `out` when given). */
export async function makeReceipt(o: ReceiptOptions): Promise<Receipt> {
  const recorded = await recordedRoot(o.dir);
  const ledgerFile = join(o.dir, 'ledger.csv');
  const read = await readLedgerLeaves(ledgerFile, o.claimId);
  if (read.found === undefined) throw new UsageError(`${ledgerFile}: no claim "${o.claimId}"`);
  const { root, proof } = merkleProof(read.leaves, read.count, read.found.index, sha256Into);
  if (toHex(root) !== recorded.root) {
    throw new DataError(
      `${ledgerFile}: its rows give the receipts root ${toHex(root)}, not the ${recorded.root} of summary.json: the ledger was changed after the run (payout verify tells what)`,
    );
  }
  const receipt: Receipt = {
    format: RECEIPT_FORMAT,
    encoding: recorded.encoding,
    case: recorded.case,
    command: recorded.command,
    claimId: o.claimId,
    row: read.columns.map((column, i) => ({ column, cell: read.found!.cells[i]! })),
    leaf: toHex(digest(sha256Into, leafMessage(read.columns, read.found.cells))),
    proof,
    root: recorded.root,
    leaves: read.count,
  };
  if (o.out !== undefined) await writeReceipt(o.out, receipt, Boolean(o.force));
  return receipt;
}

/** Writes the receipt to a temporary name and renames it into place (an existing file only with `force`). */
async function writeReceipt(file: string, receipt: Receipt, force: boolean): Promise<void> {
  // A single file, not an output folder: not claimed with a lock.
  const out = await OutputSet.open(dirname(file), [basename(file)], force, { lock: false });
  try {
    const f = out.create(basename(file));
    await f.write(receiptText(receipt));
    await f.close();
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}
