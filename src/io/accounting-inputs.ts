/**
 * Reads the folders of a distribution for `payout accounting`: each folder's manifest.json, its
 * summary.json and ledger.csv checked against the manifest's SHA-256 (an accounting filed with a
 * court must not be made from edited files), the ledger tallied per class (core/accounting-tally),
 * and the tally checked against the summary. A later round must have been computed from the first
 * round's very ledger (its manifest names that ledger's hash). A bucket plan's first round
 * (`"mode": "buckets"`) is tallied as one class, BUCKET_ROUND_CLASS, and each bucket's column is
 * summed and checked against the summary's paid for that bucket.
 *
 * A folder or file that is missing or not payout's is a UsageError (exit 2); files that do not
 * match their manifest or each other are a DataError (exit 1).
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { bucketSummarySchema, receiptsSchema, redistributionSummarySchema, type BucketSummary, type RedistributionSummary } from '../core/accounting-input.js';
import { BUCKET_ROUND_CLASS } from '../core/first-round.js';
import { LedgerTallier, type ClassTally } from '../core/accounting-tally.js';
import { DataError, UsageError } from '../core/errors.js';
import { formatMoney, formatMoneyHuman, parseMoney, type Cents } from '../core/money.js';
import { schemaProblems, type Problem } from '../core/problems.js';
import { manifestSchema, summarySchema, type Manifest, type Summary } from '../core/report-input.js';
import { sha256Hex } from './hash.js';
import { readJsonFile } from './json-file.js';
import { assertFinishedRun } from './run-state.js';
import { readLedgerFields } from './ledger-reader.js';
import { claimCount, countOf, countText } from '../core/display-numbers.js';

interface FolderFacts {
  dir: string;
  manifest: Manifest;
  ledgerSha256: string;
  /** The Merkle root of the ledger's rows (docs/receipts.md), when the run recorded one. */
  receiptsRoot: string | null;
  classes: ClassTally[];
}

/** A bucket's column of the ledger, summed: claims paid from it and what it paid. */
export interface BucketColumn {
  id: string;
  payments: number;
  paid: Cents;
}

export type RoundFolder =
  | (FolderFacts & { kind: 'allocation'; summary: Summary })
  | (FolderFacts & { kind: 'buckets'; summary: BucketSummary; buckets: BucketColumn[] })
  | (FolderFacts & { kind: 'redistribution'; summary: RedistributionSummary });

const AMOUNT = /^\d+\.\d{2}$/;
const MAX_PROBLEMS = 20;

const HINT = 'payout accounting reads the folders that payout allocate and payout redistribute wrote';

async function readJson(path: string, kind: 'manifest' | 'summary'): Promise<{ value: unknown; bytes: Buffer }> {
  return readJsonFile(path, { kind, refused: `${path}: not valid JSON`, missing: () => new UsageError(`${path}: not found; ${HINT}`) });
}

function check<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(`${file}: not the format payout writes (docs/outputs.md, docs/redistribute.md)`, schemaProblems(r.error.issues, file));
}

/** The manifest's hash of one of its outputs; a manifest without it is not payout's. */
function outputHash(manifest: Manifest, name: string, manifestPath: string): string {
  const out = manifest.outputs.find((o) => o.file === name);
  if (out === undefined) throw new UsageError(`${manifestPath}: lists no ${name} among its outputs`);
  return out.sha256;
}

/** Reads one folder: manifest, summary (allocation or second round), ledger tallied per class. */
export async function readRoundFolder(dir: string): Promise<RoundFolder> {
  await assertFinishedRun(dir);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = check(manifestSchema, (await readJson(manifestPath, 'manifest')).value, manifestPath);
  await assertFinishedRun(dir, manifest.outputs.map((o) => o.file));
  const summaryPath = join(dir, 'summary.json');
  const { value: raw, bytes: summaryBytes } = await readJson(summaryPath, 'summary');
  const mismatched: string[] = [];
  if (sha256Hex(summaryBytes) !== outputHash(manifest, 'summary.json', manifestPath)) mismatched.push('summary.json');
  const format = typeof raw === 'object' && raw !== null ? (raw as { format?: unknown }).format : undefined;
  const second = format === 'payout-redistribution/1';
  const bucketSummary = format === 'payout-bucket-summary/1' ? check(bucketSummarySchema, raw, summaryPath) : undefined;
  const bucketColumns: BucketColumn[] = (bucketSummary?.buckets ?? []).map((b) => ({ id: b.id, payments: 0, paid: 0n }));
  const ledgerPath = join(dir, 'ledger.csv');
  const tallier = new LedgerTallier();
  const problems: Problem[] = [];
  let bad = 0;
  const money = (text: string, line: number, field: string): Cents => {
    if (AMOUNT.test(text)) return parseMoney(text) as Cents;
    if (bad++ < MAX_PROBLEMS) problems.push({ code: 'input', severity: 'error', file: ledgerPath, line, field, message: `not an amount with 2 decimals: "${text}"` });
    return 0n;
  };
  const required = second
    ? ['class', 'outcome', 'amount', 'first_amount']
    : bucketSummary !== undefined
      ? ['outcome', 'amount', ...bucketColumns.map((b) => b.id)]
      : ['class', 'outcome', 'amount'];
  let result;
  try {
    result = await readLedgerFields(ledgerPath, required, (columns) => {
      if (bucketSummary !== undefined) {
        // A bucket ledger: no class (one, BUCKET_ROUND_CLASS); a column per bucket, summed.
        const [o, a] = [columns.indexOf('outcome'), columns.indexOf('amount')];
        const k = bucketColumns.map((b) => columns.indexOf(b.id));
        return (fields, line) => {
          tallier.add(BUCKET_ROUND_CLASS, (fields[o] ?? '').trim(), money(fields[a] ?? '', line, 'amount'));
          bucketColumns.forEach((b, i) => {
            const cents = money(fields[k[i]!] ?? '', line, b.id);
            if (cents > 0n) b.payments++;
            b.paid += cents;
          });
        };
      }
      const [c, o, a, f] = required.map((name) => columns.indexOf(name)) as [number, number, number, number];
      return (fields, line) => {
        const first = second ? money(fields[f] ?? '', line, 'first_amount') : undefined;
        tallier.add(fields[c] ?? '', (fields[o] ?? '').trim(), money(fields[a] ?? '', line, 'amount'), first);
      };
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${ledgerPath}: not found; the accounting needs the ledger beside summary.json`);
    throw err;
  }
  if (problems.length > 0) throw new UsageError(`${ledgerPath}: ${countOf(bad, 'bad amount')}; not a ledger payout wrote`, problems);
  if (result.digest.sha256 !== outputHash(manifest, 'ledger.csv', manifestPath)) mismatched.push('ledger.csv');
  if (mismatched.length > 0) {
    throw new DataError(`${dir}: ${mismatched.join(' and ')} ${mismatched.length === 1 ? 'does' : 'do'} not match the SHA-256 in manifest.json; the accounting is made only from the files a run wrote`);
  }
  const classes = tallier.finish();
  const receipts = check(receiptsSchema, (raw as { receipts?: unknown }).receipts, `${summaryPath} receipts`);
  const base = { dir, manifest, ledgerSha256: result.digest.sha256, receiptsRoot: receipts?.root ?? null, classes };
  const folder: RoundFolder = second
    ? { ...base, kind: 'redistribution', summary: check(redistributionSummarySchema, raw, summaryPath) }
    : bucketSummary !== undefined
      ? { ...base, kind: 'buckets', summary: bucketSummary, buckets: bucketColumns }
      : { ...base, kind: 'allocation', summary: check(summarySchema, raw, summaryPath) };
  checkTally(folder);
  return folder;
}

/** The ledger must add up to its summary: claims, payments, amount, and (second round) uncashed. */
function checkTally(f: RoundFolder): void {
  const claims = f.classes.reduce((s, c) => s + c.claims, 0);
  const amount = f.classes.reduce((s, c) => s + c.total, 0n);
  const differences: string[] = [];
  const totals = f.kind === 'buckets' ? { claims: f.summary.claims.rows, amount: f.summary.totalPaid } : f.summary.totals;
  if (claims !== totals.claims) differences.push(`${countOf(claims, 'row')}, the summary ${claimCount(totals.claims)}`);
  if (amount !== totals.amount) differences.push(`amounts add up to ${formatMoneyHuman(amount)}, the summary says ${formatMoneyHuman(totals.amount)}`);
  if (f.kind === 'buckets') {
    f.buckets.forEach((b, i) => {
      const said = f.summary.buckets[i]!.paid;
      if (b.paid !== said) differences.push(`the ${b.id} column adds up to ${formatMoneyHuman(b.paid)}, the summary says ${formatMoneyHuman(said)}`);
    });
  }
  if (f.kind === 'redistribution') {
    const count = f.classes.reduce((s, c) => s + c.uncashed, 0);
    const value = f.classes.reduce((s, c) => s + c.uncashedAmount, 0n);
    const a = f.summary.available;
    if (count !== a.uncashedClaims || value !== a.uncashedAmount) {
      differences.push(`${countOf(count, 'uncashed row')} of ${formatMoney(value)}, the summary ${countText(a.uncashedClaims)} of ${formatMoney(a.uncashedAmount)}`);
    }
  }
  if (differences.length > 0) throw new DataError(`${join(f.dir, 'ledger.csv')} does not agree with summary.json: ${differences.join('; ')}`);
}
