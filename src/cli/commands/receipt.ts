/**
 * `payout receipt DIR CLAIM_ID [--out FILE]` and `payout check-receipt RECEIPT --root HEX`
 * (docs/receipts.md): a claimant's receipt, and its check with no other file. The use cases are
 * src/app/receipt.ts and src/app/check-receipt.ts.
 */
import { checkReceipt, type ReceiptCheckResult } from '../../app/check-receipt.js';
import { makeReceipt, receiptText, type Receipt } from '../../app/receipt.js';
import { DataError } from '../../core/errors.js';
import { maskLast4 } from '../../core/mask.js';
import { colorFor } from '../style.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';
import { grouped } from '../../core/money.js';

export interface ReceiptCliOptions {
  out?: string;
  force?: boolean;
}

export interface CheckReceiptCliOptions {
  root: string;
  json?: boolean;
}

/**
 * The receipt for a person at a terminal: kept columns (possibly personal data) masked to their
 * last 4. Every ledger payout writes ends its own columns with `amount` (a class plan's, a bucket
 * plan's with a column per bucket before it, a second round's); the columns after it are --keep's.
 */
export function renderReceipt(r: Receipt, c = colorFor(process.stdout)): string {
  const lines = [c.bold(`Receipt of claim ${JSON.stringify(r.claimId)} (${r.case}, payout ${r.command})`)];
  const amountAt = r.row.findIndex((x) => x.column === 'amount');
  // No `amount` column (not a ledger payout wrote): every cell but the claim id masked.
  const own = (i: number): boolean => (amountAt < 0 ? r.row[i]!.column === 'claim_id' : i <= amountAt);
  r.row.forEach(({ column, cell }, i) => lines.push(`  ${column}: ${own(i) ? cell : maskLast4(cell)}`));
  lines.push(`  proof: ${countOf(r.proof.length, 'step')} to root ${r.root} (${r.encoding}, ${countOf(r.leaves, 'leaf', 'leaves')})`);
  lines.push(c.dim('The receipt itself (JSON, with every cell) goes to --out FILE or to a pipe.'));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the receipt to --out and says so; without --out, prints it: as JSON into a pipe or a
 * file, as a summary (kept columns masked) on a terminal.
 */
export async function runReceipt(dir: string, claimId: string, o: ReceiptCliOptions): Promise<void> {
  const receipt = await makeReceipt({ dir, claimId, ...(o.out === undefined ? {} : { out: o.out, force: Boolean(o.force) }) });
  if (o.out === undefined) {
    process.stdout.write(process.stdout.isTTY ? renderReceipt(receipt) : receiptText(receipt));
    return;
  }
  const steps = receipt.proof.length;
  process.stdout.write(`${wroteLine(`${o.out}: the receipt of claim ${JSON.stringify(claimId)}, ${countOf(steps, 'proof step')} to root ${receipt.root}`)}\n`);
}

export function renderReceiptCheck(r: ReceiptCheckResult, c = colorFor(process.stdout)): string {
  const lines = [`payout check-receipt ${r.file} (claim ${JSON.stringify(r.claimId)}${r.case ? `, ${r.case}` : ''})`];
  for (const check of r.checks) lines.push(`${check.ok ? c.green('✓') : c.red('✗')} ${check.name}: ${check.message}`);
  lines.push('');
  const failed = r.checks.filter((x) => !x.ok).length;
  lines.push(r.ok ? c.bold('Receipt checked: this row is in the ledger with the published root') : c.red(c.bold(`NOT CHECKED: ${grouped(failed)} of ${countOf(r.checks.length, 'check')} failed`)));
  return `${lines.join('\n')}\n`;
}

export async function runCheckReceipt(file: string, o: CheckReceiptCliOptions): Promise<void> {
  const result = await checkReceipt({ file, root: o.root });
  if (o.json) process.stdout.write(`${JSON.stringify({ format: 'payout-check-receipt/1', ...result }, null, 2)}\n`);
  else process.stdout.write(renderReceiptCheck(result));
  const failed = result.checks.filter((x) => !x.ok).length;
  if (!result.ok) throw new DataError(`${file}: ${countOf(failed, 'check')} failed`);
}
