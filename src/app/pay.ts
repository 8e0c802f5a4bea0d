/**
 * `payout pay`: from a verified ledger and the claimants' elections to the files the bank and
 * PayPal take (docs/payments.md). Nothing is written unless every paid claim has a payment, the
 * files' control totals equal the ledger's paid count and total to the cent, and every payment id
 * is unique.
 */
import { basename } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { claimsReading, type Manifest } from '../core/manifest.js';
import type { Cents } from '../core/money.js';
import { PaymentBatchBuilder, checkControls, checkNumber, controlsJson, zero, type Controls, type PaymentBatch } from '../core/payments/batch.js';
import { DEFAULT_CHECK_COLUMNS, type PaymentsConfig } from '../core/payments/plan-section.js';
import type { Problem } from '../core/problems.js';
import { sha256Hex } from '../io/hash.js';
import { readElections } from '../io/payments/elections-reader.js';
import { HashThread } from '../io/hash-thread.js';
import { openPaidLedger, readOpenedLedger, type OpenedLedger, type PaidLedger } from '../io/payments/paid-ledger.js';
import { LedgerThread } from '../io/payments/ledger-thread.js';
import { dropEarlyBuildWorker } from '../io/payments/ledger-early.js';
import { PaymentIds, paymentIdPrefix } from '../io/payments/payment-ids.js';
import { openPayFolder, writePayFolder, type PayFolder } from '../io/payments/pay-output.js';
import { buildsOnWorker, PayBuilderThread, type BuiltPayments } from '../io/payments/pay-builder.js';
import type { ReadClaimsOptions } from '../io/claims-types.js';
import { recordedReading, sepLineOf, type ReadingGiven } from './recorded-reading.js';
import { loadPayPlan, type PayPlan } from './pay-plan.js';
import { countOf, countText } from '../core/display-numbers.js';

export interface PayOptions {
  planFile: string;
  claimsFile: string;
  /** The folder of payout allocate (round 1) or payout redistribute (round 2). */
  fromDir: string;
  outDir: string;
  electionsFile?: string;
  force?: boolean;
  /** Overrides the plan's payments.issueDate (a second round is paid on another day). */
  issueDate?: string;
  /** Overrides the plan's payments.check.startNumber (a second round's checks follow the first's). */
  checkStart?: string;
  /** Problems shown at most (the count of all is in the message). */
  maxErrors?: number;
  /** Told of each warning (a claim paid by check instead of its election), before the run ends. */
  onWarning?: (p: Problem) => void;
  /**
   * How the claims file is read: --delimiter and --map. Left out (or not `given`), the reading the
   * ledger's manifest records is used (as payout verify does); one given that differs from the
   * record is used, and `onReadingWarning` is told.
   */
  read?: Pick<ReadClaimsOptions, 'delimiter' | 'map'>;
  given?: ReadingGiven;
  onReadingWarning?: (warning: string) => void;
}

export interface PayResult {
  round: 1 | 2;
  controls: Controls;
  ledger: { count: number; amount: Cents };
  files: string[];
  warnings: number;
  /** Claims paid by check because their election was missing or invalid. */
  fallbacks: number;
  manifest: Manifest;
}

/** The stable payment id: round and the first 16 hex digits of SHA-256(seed:payment:round:claim_id). */
export function paymentIdMaker(seed: string, round: number): (claimId: string) => string {
  const prefix = paymentIdPrefix(seed, round);
  return (claimId) => `P${round}-${sha256Hex(prefix + claimId).slice(0, 16)}`;
}

/** No files: a run with errors in its elections writes nothing. */
const emptyBatch = (): PaymentBatch => ({
  files: [],
  payments: [],
  addresses: [],
  controls: { files: [], methods: { paypal: zero(), venmo: zero(), ach: zero(), check: zero() }, total: zero() },
  duplicateIds: [],
});

export async function pay(o: PayOptions): Promise<PayResult> {
  const loaded = await loadPayPlan(o.planFile);
  const { plan } = loaded;
  if (plan.payments === undefined) {
    throw new UsageError(`${o.planFile}: no "payments" section: payout pay needs at least its issueDate, and the ach and check parts for those methods (docs/payments.md)`);
  }
  const folder = await openPayFolder(o.outDir, Boolean(o.force));
  try {
    return await payInto(o, loaded, folder);
  } catch (err) {
    await folder.out.abort(); // a folder this run made is removed again; an earlier run's files stay
    throw err;
  }
}

async function payInto(o: PayOptions, loaded: PayPlan, folder: PayFolder): Promise<PayResult> {
  const { plan } = loaded;
  if (plan.payments === undefined) throw new Error('unreachable: checked by pay()');
  const config = { ...plan.payments };
  if (o.issueDate !== undefined) {
    const d = new Date(`${o.issueDate}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.issueDate) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== o.issueDate) {
      throw new UsageError(`--issue-date ${o.issueDate}: give a calendar date as YYYY-MM-DD`);
    }
    config.issueDate = o.issueDate;
  }
  if (o.checkStart !== undefined) {
    if (!/^\d{1,12}$/.test(o.checkStart)) throw new UsageError(`--check-start ${o.checkStart}: give the first check number, digits only`);
    if (config.check === undefined) throw new UsageError(`--check-start: the plan has no payments.check section to number`);
    config.check = { ...config.check, startNumber: o.checkStart };
  }
  // The ledger's folder: its manifest (the claims file's reading is recorded there) and summary.
  const opened = await openPaidLedger(o.fromDir);
  // Its ledger.csv on a worker thread while this one reads the claims file (large ledgers): each
  // claim waits for its ledger row only when it is ahead of the rows read (io/payments/ledger-thread.ts).
  const ledgerThread = await LedgerThread.start(opened, paymentIdPrefix(plan.seed, opened.round));
  // The ledger's and the claims file's SHA-256 on another thread while this one reads them.
  const hashes = new HashThread();
  try {
    return await payFrom(o, loaded, folder, config, hashes, opened, ledgerThread);
  } catch (err) {
    // A ledger that cannot be paid from is the error, as when it was read before the claims file.
    if (ledgerThread !== undefined) await ledgerThread.finish();
    throw err;
  } finally {
    hashes.close();
    ledgerThread?.close();
  }
}

async function payFrom(
  o: PayOptions,
  loaded: PayPlan,
  folder: PayFolder,
  config: PaymentsConfig,
  hashes: HashThread,
  opened: OpenedLedger,
  ledgerThread: LedgerThread | undefined,
): Promise<PayResult> {
  const { plan } = loaded;
  const read: PaidLedger | undefined = ledgerThread === undefined ? await readOpenedLedger(opened, { hashes }) : undefined;
  // The rows as the claims' reader asks for them (of the ledger read, or being read).
  const rows = read ?? { dir: opened.dir, manifest: opened.manifest, ledgerPath: opened.ledgerPath, ids: ledgerThread!, amounts: ledgerThread!.amounts };
  const round = opened.round;
  const givenRead = o.read ?? {};
  const given = o.given ?? { delimiter: (givenRead.delimiter ?? ',') !== ',', map: givenRead.map !== undefined };
  const reading = recordedReading(opened.manifest, { read: { ...givenRead }, maxErrors: o.maxErrors ?? 50 }, given, await sepLineOf(o.claimsFile, given));
  // Told once the ledger is known to be good: a ledger that cannot be paid from is then the only
  // thing the run says, as when it was read before the claims file.
  let told = false;
  const tellReading = (): void => {
    if (told) return;
    told = true;
    for (const w of reading.warnings) o.onReadingWarning?.(w);
  };
  if (read !== undefined) tellReading();
  const { delimiter, map } = reading.claims.read;
  // The files are made as the elections are read: claim by claim, never a million claims at once.
  // The payment ids are hashed from the ledger's ids on another thread while the claims are read.
  // Large runs: the files' rows are made (and hashed) on a worker thread from compact records of
  // the claims (io/payments/pay-builder.ts), while this thread reads; else here, claim by claim.
  // The payment ids stay on a thread of their own: hashed on the files' worker instead (from the
  // claim ids it is sent), they cost it more CPU than the payment-id worker spends (1M claims,
  // two alternating pairs of runs: 7.3 and 7.9 s of CPU in all against 6.9 and 7.2 s).
  // Read on the ledger's thread, the ids are hashed there as its rows are read.
  const paymentIdOfRow = read !== undefined ? new PaymentIds(plan.seed, round, read.ids) : new PaymentIds(plan.seed, round, ledgerThread!, { shared: ledgerThread!.shared() });
  const paymentId = paymentIdMaker(plan.seed, round);
  // The paid count before the ledger is read: the summary's (the amounts are checked against it), else its rows.
  const paidCount = read?.paid.count ?? opened.summaryPaid ?? opened.recorded.rows ?? ledgerThread!.capacity;
  const thread = buildsOnWorker(paidCount)
    ? PayBuilderThread.start({ config, currency: plan.currency, round, ids: paymentIdOfRow, paymentId, stage: folder.out.stage() })
    : undefined;
  if (thread === undefined) dropEarlyBuildWorker(); // one started first thing, not needed
  const newBuilder = (): PaymentBatchBuilder | PayBuilderThread =>
    thread ?? new PaymentBatchBuilder({ config, currency: plan.currency, round, paymentId, paymentIdOfRow, bytes: true });
  let builder = newBuilder();
  let built: BuiltPayments;
  let ledger: PaidLedger;
  let elections: Awaited<ReturnType<typeof readElections>>;
  try {
    elections = await readElections({
      claimsFile: o.claimsFile,
      ledger: rows,
      ...(o.electionsFile !== undefined ? { electionsFile: o.electionsFile } : {}),
      hashes,
      onPaid: (c) => builder.add(c),
      // Most claims go to the files' worker straight from the claims file's bytes.
      ...(thread !== undefined ? { records: thread } : {}),
      onRestart: () => {
        if (thread !== undefined) thread.restart();
        else builder = newBuilder();
      },
      ...(delimiter !== undefined ? { delimiter } : {}),
      ...(map !== undefined ? { map } : {}),
    });
    // The ledger's errors come first (its hash, its rows, its total), as when it was read first.
    ledger = read ?? (await ledgerThread!.finish());
    tellReading();
    const failed = elections.problems.some((p) => p.severity === 'error');
    // With errors nothing is written: the files are not finished (the worker is stopped below).
    built = failed ? { batch: emptyBatch() } : builder instanceof PaymentBatchBuilder ? { batch: builder.finish() } : await builder.finish();
  } catch (err) {
    // The claims' reading failed: the ledger's error instead, if it has one; else the reading's warnings, then this.
    if (ledgerThread !== undefined) {
      await ledgerThread.finish();
      tellReading();
    }
    throw err;
  } finally {
    paymentIdOfRow.close();
    // Stopped before anything is removed: a worker still writing its staged files writes no more.
    await thread?.close();
  }
  const errors = elections.problems.filter((p) => p.severity === 'error');
  for (const p of elections.problems) if (p.severity === 'warning') o.onWarning?.(p);
  const max = o.maxErrors ?? 50;
  const refuse = (what: string, where: string, problems: Problem[]): never => {
    const shown = problems.slice(0, max);
    const more = problems.length > shown.length ? ` (the first ${countText(shown.length)} shown; --max-errors to see more)` : '';
    throw new DataError(`${countOf(problems.length, what)}${where}${more}; nothing was written`, shown);
  };
  if (errors.length > 0) refuse('error', ' in the payment elections', errors);

  const { batch } = built;
  const control = checkControls(batch, ledger.paid, ledger.ledgerPath);
  if (control.length > 0) refuse('control total problem', '', control);

  const check = config.check;
  const parameters: Record<string, string> = { round: String(ledger.round), issueDate: config.issueDate };
  if (check !== undefined) {
    parameters.checkColumns = (check.columns ?? DEFAULT_CHECK_COLUMNS).join(',');
    parameters.checkHeader = String(check.header);
    // Where a reissue (payout reconcile) goes on numbering, so no check number is used twice.
    parameters.checkNext = checkNumber(check.startNumber, batch.controls.methods.check.count);
    if (check.account !== undefined) parameters.checkAccount = check.account;
  }
  // Files the worker wrote as it made them (at their staged names): their sizes, to be renamed into place.
  const hashed = (name: string): { sha256?: string; written?: number } => ({
    ...(built.sha256?.[name] !== undefined ? { sha256: built.sha256[name] } : {}),
    ...(built.written?.[name] !== undefined ? { written: built.written[name] } : {}),
  });
  const files = [
    ...batch.files.map((f) => ({ name: f.name, text: f.text, rows: f.count, ...hashed(f.name) })),
    { name: 'payments.csv', text: batch.payments, rows: batch.controls.total.count, ...hashed('payments.csv') },
    { name: 'addresses.csv', text: batch.addresses, ...hashed('addresses.csv') },
  ];
  // How the claims file was read, when not the default (as allocate's manifest records it).
  const readingRecord = claimsReading(delimiter ?? ',', map, []);
  const manifest = await writePayFolder(folder, files, {
    command: 'pay',
    plan: { file: basename(o.planFile), sha256: loaded.sha256 },
    ...(elections.inputs.claims !== undefined ? { claims: elections.inputs.claims } : {}),
    ...(readingRecord !== undefined ? { reading: readingRecord } : {}),
    inputs: { ...ledger.inputs, ...(elections.inputs.elections ? { elections: elections.inputs.elections } : {}) },
    parameters,
    seed: plan.seed,
    controls: controlsJson(batch.controls),
  });
  return {
    round: ledger.round,
    controls: batch.controls,
    ledger: ledger.paid,
    files: [...files.map((f) => f.name), 'manifest.json'],
    warnings: elections.problems.length - errors.length,
    fallbacks: elections.fallbacks,
    manifest,
  };
}
