/**
 * `payout check-receipt RECEIPT --root HEX`: checks a claimant's receipt (docs/receipts.md) with no
 * other file: the row's cells give the receipt's leaf hash, the proof leads from that leaf to the
 * receipt's root, and that root is the published one (`--root`, from the summary or the manifest
 * the court saw). Every check is made and reported, not only the first that fails.
 */
import { readJsonFile } from '../io/json-file.js';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { digest, digestFromHex, leafMessage, MERKLE_ENCODING, rootFromProof, toHex } from '../core/merkle.js';
import { sha256Into } from '../io/receipts-leaves.js';
import { RECEIPT_FORMAT } from './receipt.js';
import { countOf } from '../core/display-numbers.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a SHA-256)');

const receiptSchema = z.object({
  format: z.literal(RECEIPT_FORMAT, { error: `expected "${RECEIPT_FORMAT}"` }),
  encoding: z.literal(MERKLE_ENCODING, { error: `expected "${MERKLE_ENCODING}" (the encoding this payout checks)` }),
  case: z.string(),
  command: z.string(),
  claimId: z.string(),
  row: z.array(z.object({ column: z.string(), cell: z.string() })).min(1),
  leaf: hex64,
  proof: z.array(z.object({ side: z.enum(['left', 'right']), hash: hex64 })),
  root: hex64,
  leaves: z.number().int().positive(),
});

export interface CheckReceiptOptions {
  file: string;
  /** The published root, hex. */
  root: string;
}

export interface ReceiptCheck {
  name: 'leaf' | 'proof' | 'root';
  ok: boolean;
  message: string;
}

export interface ReceiptCheckResult {
  file: string;
  claimId: string;
  case: string;
  /** The row as the receipt gives it. */
  row: { column: string; cell: string }[];
  checks: ReceiptCheck[];
  ok: boolean;
}

/** Reads and checks a receipt. A file that is not a receipt, or a `root` that is not a SHA-256, is a UsageError. */
export async function checkReceipt(o: CheckReceiptOptions): Promise<ReceiptCheckResult> {
  const published = digestFromHex(o.root);
  if (published === undefined) throw new UsageError(`--root ${o.root}: give the published root, 64 hex digits (a SHA-256)`);
  const { value: json } = await readJsonFile(o.file, {
    kind: 'receipt',
    refused: `${o.file}: not valid JSON`,
    missing: (f) => new UsageError(`${f}: cannot read (no such file)`),
  });
  const parsed = receiptSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new UsageError(`${o.file}: not a payout receipt (docs/receipts.md): ${where}${issue.message}`);
  }
  const r = parsed.data;
  const leaf = digest(sha256Into, leafMessage(r.row.map((c) => c.column), r.row.map((c) => c.cell)));
  const reached = toHex(rootFromProof(leaf, r.proof, sha256Into));
  const steps = countOf(r.proof.length, 'step');
  const idCell = r.row.find((c) => c.column === 'claim_id')?.cell;
  const checks: ReceiptCheck[] = [
    idCell !== r.claimId
      ? { name: 'leaf', ok: false, message: `the receipt is for claim ${JSON.stringify(r.claimId)}, but its row's claim_id is ${JSON.stringify(idCell ?? null)}` }
      : toHex(leaf) === r.leaf
      ? { name: 'leaf', ok: true, message: `the row's ${countOf(r.row.length, 'cell')} give the receipt's leaf ${r.leaf}` }
      : { name: 'leaf', ok: false, message: `the row's cells give the leaf ${toHex(leaf)}, not the receipt's ${r.leaf}: a cell or a column name was changed` },
    reached === r.root
      ? { name: 'proof', ok: true, message: `the proof (${steps}) leads from the row to the receipt's root ${r.root}` }
      : { name: 'proof', ok: false, message: `the proof (${steps}) leads from the row to ${reached}, not to the receipt's root ${r.root}` },
    r.root === toHex(published)
      ? { name: 'root', ok: true, message: `the receipt's root is the published root` }
      : { name: 'root', ok: false, message: `the receipt's root ${r.root} is not the published root ${toHex(published)}` },
  ];
  return { file: o.file, claimId: r.claimId, case: r.case, row: r.row, checks, ok: checks.every((c) => c.ok) };
}
