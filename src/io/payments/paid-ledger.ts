/**
 * The ledger a payment run pays from: the folder of `payout allocate` (round 1) or of `payout
 * redistribute` (round 2). Its ledger.csv and summary.json must be the files its manifest hashed
 * (a ledger edited after the run is not paid from, as for redistribute), and the ledger's amounts
 * must add up to the summary's totals.amount (a bucket plan's summary: its totalPaid; the ledger's
 * amount column is then each claim's total over the buckets). Only claim_id, outcome and amount
 * are read (ledger-rows.ts): on this thread (`readPaidLedger`), or on a worker thread while the
 * claims file is read (ledger-thread.ts): the folder is opened (`openPaidLedger`) and checked
 * once the rows are read (`finishPaidLedger`) the same way both times.
 */
import { basename, join } from 'node:path';
import { DataError, UsageError } from '../../core/errors.js';
import type { Manifest, ManifestInput } from '../../core/manifest.js';
import { formatMoneyHuman, parseMoney, type Cents } from '../../core/money.js';
import type { Problem } from '../../core/problems.js';
import { hashFile } from '../file-hash.js';
import { HashThread } from '../hash-thread.js';
import { LedgerIdsBuilder, type LedgerIdsView } from './ledger-ids.js';
import { readLedgerRows, type LedgerRead } from './ledger-rows.js';
import { sha256Hex } from '../hash.js';
import { readJsonFile } from '../json-file.js';
import { assertFinishedRun } from '../run-state.js';
import { countOf } from '../../core/display-numbers.js';

export { readLedgerFast } from './ledger-rows.js';

export interface PaidLedger {
  dir: string;
  round: 1 | 2;
  manifest: Manifest;
  ledgerPath: string;
  /** Every ledger row's claim id, in order (the claims file's order). */
  ids: LedgerIdsView;
  /** Every row's amount in cents. */
  amounts: Cents[];
  paid: { count: number; amount: Cents };
  /** The manifest's record of the three files read, for the pay manifest. */
  inputs: Record<string, ManifestInput>;
}

/** A ledger's folder whose manifest and summary are read and checked; its ledger.csv not yet read. */
export interface OpenedLedger {
  dir: string;
  round: 1 | 2;
  manifest: Manifest;
  manifestPath: string;
  manifestSha: string;
  summaryPath: string;
  summarySha: string;
  summaryAmount: Cents;
  amountKey: string;
  ledgerPath: string;
  /** The rows and bytes of ledger.csv as its manifest records them (when it does). */
  recorded: { rows?: number; bytes?: number };
  /** The summary's count of paid claims (when it has one). */
  summaryPaid?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Through the one JSON reader (io/json-file.ts): bounded, regular files only, no key twice. */
async function readJson(path: string, what: string, kind: 'manifest' | 'summary'): Promise<{ value: unknown; sha256: string }> {
  const { value, bytes } = await readJsonFile(path, { kind, refused: `${path}: not valid JSON`, missing: (f) => new UsageError(`${f}: not found (${what})`) });
  return { value, sha256: sha256Hex(bytes) };
}

/** Whether `sha256` is the digest `manifest` records for `name`: a problem when not. */
function hashProblem(o: { dir: string; manifest: Manifest; manifestPath: string }, name: string, sha256: string): Problem | undefined {
  const recorded = o.manifest.outputs.find((f) => f.file === name);
  if (recorded === undefined) return { code: 'input', severity: 'error', file: o.manifestPath, message: `the manifest does not list ${name}` };
  if (recorded.sha256 === sha256) return undefined;
  return {
    code: 'input',
    severity: 'error',
    message: `${join(o.dir, name)} does not match its manifest: sha256 ${sha256} now, ${recorded.sha256} in ${o.manifestPath} (was it edited after the run? payout verify shows what changed)`,
  };
}

const refused = (dir: string, problems: Problem[]): DataError => new DataError(`${dir}: the ledger's files are not the ones its manifest records; nothing is paid from them`, problems);

/** Reads and checks DIR's manifest and summary; a folder that cannot be read is a UsageError, a summary that does not match its manifest a DataError. */
export async function openPaidLedger(dir: string): Promise<OpenedLedger> {
  const manifestPath = join(dir, 'manifest.json');
  await assertFinishedRun(dir);
  const { value, sha256: manifestSha } = await readJson(manifestPath, 'is it the --out folder of payout allocate or redistribute?', 'manifest');
  if (!isObject(value) || !Array.isArray(value.outputs)) throw new UsageError(`${manifestPath}: not a payout manifest`);
  const manifest = value as unknown as Manifest;
  await assertFinishedRun(dir, (value.outputs as unknown[]).map((o) => String(isObject(o) ? o.file : '')));
  const round = manifest.command === 'allocate' ? 1 : manifest.command === 'redistribute' ? 2 : undefined;
  if (round === undefined) {
    throw new UsageError(`${dir} holds the output of payout ${String(manifest.command)}: pay from the folder of payout allocate or payout redistribute`);
  }
  const summarySha = (await hashFile(join(dir, 'summary.json'))).sha256;
  const problem = hashProblem({ dir, manifest, manifestPath }, 'summary.json', summarySha);
  if (problem !== undefined) throw refused(dir, [problem]);

  const summaryPath = join(dir, 'summary.json');
  const { value: summary } = await readJson(summaryPath, 'the summary', 'summary');
  // A bucket plan's summary (`"mode": "buckets"`) has the total paid at the top, as totalPaid.
  const buckets = isObject(summary) && summary.mode === 'buckets';
  const amountKey = buckets ? 'totalPaid' : 'totals.amount';
  const totals = buckets ? { amount: (summary as Record<string, unknown>).totalPaid } : isObject(summary) && isObject(summary.totals) ? summary.totals : undefined;
  const summaryAmount = typeof totals?.amount === 'string' ? parseMoney(totals.amount) : undefined;
  if (summaryAmount === undefined) throw new UsageError(`${summaryPath}: not a payout summary (${amountKey} is needed)`);
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
  const ledgerOutput = manifest.outputs.find((o) => isObject(o) && o.file === 'ledger.csv') as Record<string, unknown> | undefined;
  const summaryPaid = isObject(summary) && isObject(summary.totals) ? count(summary.totals.paid) : undefined;
  const recordedRows = count(ledgerOutput?.rows);
  const recordedBytes = count(ledgerOutput?.bytes);
  return {
    dir,
    round,
    manifest,
    manifestPath,
    manifestSha,
    summaryPath,
    summarySha,
    summaryAmount,
    amountKey,
    ledgerPath: join(dir, 'ledger.csv'),
    recorded: { ...(recordedRows !== undefined ? { rows: recordedRows } : {}), ...(recordedBytes !== undefined ? { bytes: recordedBytes } : {}) },
    ...(summaryPaid !== undefined ? { summaryPaid } : {}),
  };
}

/**
 * The ledger, once its rows are read: their SHA-256 must be the manifest's, every row readable,
 * and the amounts must add up to the summary's (DataErrors, in that order).
 */
export function finishPaidLedger(o: OpenedLedger, read: LedgerRead, ids: LedgerIdsView, amounts: Cents[]): PaidLedger {
  const problem = hashProblem(o, 'ledger.csv', read.sha256);
  if (problem !== undefined) throw refused(o.dir, [problem]);
  if (read.badCount > 0) throw new DataError(`${o.ledgerPath}: ${countOf(read.badCount, 'row')} cannot be read`, read.bad.slice(0, 50));
  let paidCount = 0;
  let paidAmount = 0n;
  for (const { cents: c, rows } of read.totals) {
    if (c > 0n) {
      paidCount += rows;
      paidAmount += c * BigInt(rows);
    }
  }
  if (paidAmount !== o.summaryAmount) {
    throw new DataError(`${o.ledgerPath}: the amounts add up to ${formatMoneyHuman(paidAmount)}, but ${o.summaryPath} says ${o.amountKey} is ${formatMoneyHuman(o.summaryAmount)}`);
  }
  const folder = basename(o.dir.replace(/[\\/]+$/, '')) || '.';
  return {
    dir: o.dir,
    round: o.round,
    manifest: o.manifest,
    ledgerPath: o.ledgerPath,
    ids,
    amounts,
    paid: { count: paidCount, amount: paidAmount },
    inputs: {
      ledger: { file: `${folder}/ledger.csv`, sha256: read.sha256, rows: read.rows },
      summary: { file: `${folder}/summary.json`, sha256: o.summarySha },
      manifest: { file: `${folder}/manifest.json`, sha256: o.manifestSha },
    },
  };
}

/** Reads and checks DIR on this thread; a folder that cannot be read is a UsageError, files that do not match their manifest a DataError. */
export async function readPaidLedger(dir: string, options: { hashes?: HashThread } = {}): Promise<PaidLedger> {
  return readOpenedLedger(await openPaidLedger(dir), options);
}

/** Reads an opened ledger's rows on this thread, and checks them. */
export async function readOpenedLedger(o: OpenedLedger, options: { hashes?: HashThread } = {}): Promise<PaidLedger> {
  let ids = new LedgerIdsBuilder();
  const table: Cents[] = [];
  const amounts: Cents[] = [];
  const read = await readLedgerRows(o.ledgerPath, options.hashes ?? new HashThread({ worker: false }), {
    distinct: (c) => void table.push(c),
    amount: (k) => void amounts.push(table[k]!),
    addAscii: (src, s, e) => ids.addAscii(src, s, e),
    addString: (id) => ids.addString(id),
    restart: () => {
      ids = new LedgerIdsBuilder();
      amounts.length = 0;
    },
  });
  return finishPaidLedger(o, read, ids.finish(), amounts);
}
