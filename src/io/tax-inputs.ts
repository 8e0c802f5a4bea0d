/**
 * What `payout tax` reads (docs/tax.md): the ledgers of the rounds (each checked against its
 * folder's manifest, so a ledger changed after the run is not summed) and the TINs file, a CSV
 * with `claim_id` and `tin` columns (headers matched case-insensitively; other columns ignored, so
 * the claims file itself will do). TINs are never put in a message: only the file and line.
 */
import { join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { parseMoney, type Cents } from '../core/money.js';
import type { RoundPayments } from '../core/tax.js';
import { csvReadError, readCsvFile } from './csv-records.js';
import { readLedgerFields } from './ledger-reader.js';
import { readManifest } from './output-dir.js';
import { claimCount, countOf } from '../core/display-numbers.js';

export interface RoundRead extends RoundPayments {
  /** SHA-256 of the folder's ledger.csv (as its manifest records it and as read). */
  ledgerSha256: string;
  /** A second round: the SHA-256 of its first round's ledger (manifest inputs.firstLedger). */
  firstLedgerSha256?: string;
}

const COLUMNS: Record<string, readonly string[]> = {
  allocate: ['claim_id', 'amount'],
  redistribute: ['claim_id', 'first_amount', 'outcome', 'amount'],
};

/** One round's payments from DIR (the --out folder of allocate or redistribute). */
export async function readRound(dir: string): Promise<RoundRead> {
  const manifest = await readManifest(dir);
  const required = COLUMNS[manifest.command];
  if (required === undefined) throw new UsageError(`${join(dir, 'manifest.json')}: made by payout ${manifest.command}; payout tax reads the folders of allocate and redistribute`);
  const file = join(dir, 'ledger.csv');
  const paid = new Map<string, Cents>();
  const returned = new Map<string, Cents>();
  const bad: string[] = [];
  const money = (text: string | undefined, line: number, column: string): Cents => {
    const c = text === undefined ? undefined : parseMoney(text);
    if (c === undefined) {
      bad.push(`${file}:${line}: ${column}: not an amount: ${JSON.stringify(text ?? '')}`);
      return 0n;
    }
    return c;
  };
  const { digest } = await readLedgerFields(file, required, (columns) => {
    const [id, amount, first, outcome] = ['claim_id', 'amount', 'first_amount', 'outcome'].map((c) => columns.indexOf(c));
    return (fields, line) => {
      const claimId = fields[id!] ?? '';
      if (paid.has(claimId)) {
        bad.push(`${file}:${line}: claim_id: "${claimId}" is on two rows`);
        return;
      }
      const c = money(fields[amount!], line, 'amount');
      paid.set(claimId, c);
      if (manifest.command === 'redistribute' && fields[outcome!] === 'uncashed') returned.set(claimId, money(fields[first!], line, 'first_amount'));
    };
  });
  if (bad.length > 0) throw new DataError(`${file}: ${countOf(bad.length, 'bad row')}: ${bad.slice(0, 5).join('; ')}`);
  const recorded = manifest.outputs.find((o) => o.file === 'ledger.csv')?.sha256;
  if (recorded !== digest.sha256) {
    throw new DataError(`${file}: not the ledger the run wrote (sha256 ${digest.sha256}, the manifest records ${recorded ?? 'none'}): payout verify tells what changed`);
  }
  const round: RoundRead = { dir, command: manifest.command, paid, returned, ledgerSha256: digest.sha256 };
  const first = manifest.inputs?.firstLedger?.sha256;
  if (first !== undefined) round.firstLedgerSha256 = first;
  return round;
}

/**
 * The TINs file: claim_id → the TIN cell as written (trimmed). A claim id given twice with two
 * different TINs is a DataError naming both lines; the same TIN twice is fine.
 */
export async function readTins(file: string): Promise<Map<string, string>> {
  const tins = new Map<string, { tin: string; line: number }>();
  const problems: string[] = [];
  let idCol = -1;
  let tinCol = -1;
  let header = false;
  const onRecord = (fields: string[], line: number): void => {
    if (fields.length === 1 && fields[0] === '') return;
    if (!header) {
      header = true;
      const names = fields.map((f) => f.replace(/^\uFEFF/, '').trim().toLowerCase());
      idCol = names.indexOf('claim_id');
      tinCol = names.indexOf('tin');
      const missing = [idCol < 0 ? 'claim_id' : '', tinCol < 0 ? 'tin' : ''].filter((m) => m !== '');
      if (missing.length > 0) throw new UsageError(`${file}:${line}: no ${missing.join(' or ')} column (found: ${names.join(', ')}): --tins takes a CSV with claim_id and tin columns`);
      return;
    }
    const id = (fields[idCol] ?? '').trim();
    const tin = (fields[tinCol] ?? '').trim();
    const seen = tins.get(id);
    if (seen === undefined) tins.set(id, { tin, line });
    else if (seen.tin !== tin) problems.push(`${file}:${line}: claim_id "${id}" has another tin than on line ${seen.line}`);
  };
  try {
    await readCsvFile(file, onRecord);
  } catch (err) {
    throw csvReadError(file, 'the TINs file', err);
  }
  if (!header) throw new UsageError(`${file}: empty: --tins takes a CSV with claim_id and tin columns`);
  if (problems.length > 0) throw new DataError(`${file}: ${claimCount(problems.length)} with two TINs: ${problems.slice(0, 5).join('; ')}`);
  return new Map([...tins].map(([id, v]) => [id, v.tin]));
}
