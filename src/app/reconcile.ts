/**
 * `payout reconcile`: what came back from the bank and PayPal, matched to a pay run's payments
 * (docs/payments.md). Writes the state of every payment, a reissue batch (failed ACH and PayPal
 * payments become checks where the claim has a mailing address) and uncashed.csv, which
 * `payout redistribute --uncashed` takes. Any return that names an unknown payment, a payment
 * twice or another amount than the one issued stops the run: nothing is written.
 */
import { basename } from 'node:path';
import { textCell } from '../core/csv-cell.js';
import { DataError, UsageError } from '../core/errors.js';
import type { ManifestInput } from '../core/manifest.js';
import { formatMoney, type Cents } from '../core/money.js';
import { checkNumber } from '../core/payments/batch.js';
import { CHECK_COLUMNS, DEFAULT_CHECK_COLUMNS, type CheckColumn } from '../core/payments/plan-section.js';
import { reconcile as match, type PaymentState, type ReturnRow } from '../core/payments/reconcile.js';
import { checkHeader, checkRow, PAYMENTS_COLUMNS, paymentsRow, type PaymentRecord } from '../core/payments/rows.js';
import type { Problem } from '../core/problems.js';
import { OutputSet } from '../io/atomic-output.js';
import { writeOutputs } from '../io/write-outputs.js';
import { sha256Hex } from '../io/hash.js';
import { readPayFolder } from '../io/payments/pay-folder-reader.js';
import { readReturns } from '../io/payments/returns-reader.js';
import { countOf, countText } from '../core/display-numbers.js';

export const RECONCILE_FILES = ['state.csv', 'uncashed.csv', 'reissue-checks.csv', 'reissue-payments.csv', 'summary.json', 'manifest.json'] as const;
const STATES: PaymentState[] = ['issued', 'cashed', 'returned', 'unclaimed', 'void', 'stale', 'reissued'];

export interface ReconcileOptions {
  payDir: string;
  returnsFiles: string[];
  outDir: string;
  /** The reissued checks' issue date (YYYY-MM-DD); needed when there are reissues. */
  issueDate?: string;
  /** The first reissued check's number; default: the next after the pay run's checks. */
  checkStart?: string;
  force?: boolean;
  maxErrors?: number;
}

type Line = { count: number; amount: Cents };

export interface ReconcileResult {
  states: Record<PaymentState, Line>;
  reissued: Line;
  uncashed: Line;
  payments: Line;
  files: string[];
}

const line = (l: Line) => ({ count: l.count, amount: formatMoney(l.amount) });

export async function reconcile(o: ReconcileOptions): Promise<ReconcileResult> {
  if (o.issueDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.issueDate)) throw new UsageError(`--issue-date ${o.issueDate}: give a date as YYYY-MM-DD`);
  if (o.checkStart !== undefined && !/^\d{1,12}$/.test(o.checkStart)) throw new UsageError(`--check-start ${o.checkStart}: give the first check number, digits only`);
  if (o.returnsFiles.length === 0) throw new UsageError('--returns: give at least one returns file');
  const out = await OutputSet.open(o.outDir, [...RECONCILE_FILES], Boolean(o.force));
  try {
    return await reconcileInto(o, out);
  } catch (err) {
    await out.abort();
    throw err;
  }
}

async function reconcileInto(o: ReconcileOptions, out: OutputSet): Promise<ReconcileResult> {
  const pay = await readPayFolder(o.payDir);
  const returns: ReturnRow[] = [];
  const inputs: Record<string, ManifestInput> = { ...pay.inputs };
  for (const [k, file] of o.returnsFiles.entries()) {
    const r = await readReturns(file);
    for (const row of r.rows) returns.push(row);
    inputs[`returns${k + 1}`] = r.input;
  }
  const result = match(pay.payments, returns, pay.mailing);
  if (result.problems.length > 0) {
    const max = o.maxErrors ?? 50;
    const problems: Problem[] = result.problems.slice(0, max);
    const more = result.problems.length > problems.length ? ` (the first ${countText(problems.length)} shown; --max-errors to see more)` : '';
    throw new DataError(`${countOf(result.problems.length, 'error')} in the returns${more}; nothing was written`, problems);
  }

  const params = pay.manifest.parameters ?? {};
  const round = params.round ?? '1';
  const columns = (params.checkColumns?.split(',') ?? [...DEFAULT_CHECK_COLUMNS]) as CheckColumn[];
  if (!columns.every((c) => (CHECK_COLUMNS as readonly string[]).includes(c))) throw new UsageError(`${o.payDir}/manifest.json: parameters.checkColumns holds an unknown column`);
  const reissueRows: string[] = params.checkHeader === 'false' ? [] : [checkHeader(columns)];
  const reissuePayments: string[] = [`${PAYMENTS_COLUMNS.join(',')}\n`];
  const reissueId = new Map<string, string>();
  let checkNext = o.checkStart ?? params.checkNext;
  if (result.reissues.length > 0) {
    if (o.issueDate === undefined) throw new UsageError(`${countOf(result.reissues.length, 'failed payment')} ${result.reissues.length === 1 ? 'is' : 'are'} reissued as checks: give their --issue-date`);
    const start = o.checkStart ?? params.checkNext;
    if (start === undefined) throw new UsageError(`${countOf(result.reissues.length, 'failed payment')} ${result.reissues.length === 1 ? 'is' : 'are'} reissued as checks: give the first check number, --check-start`);
    const prefix = `${pay.manifest.seed}:reissue:${round}:`;
    result.reissues.forEach(({ payment: p, mailing }, k) => {
      const id = `R${round}-${sha256Hex(prefix + p.claimId).slice(0, 16)}`;
      const number = checkNumber(start, k);
      reissueId.set(p.paymentId, id);
      reissueRows.push(checkRow(columns, { ...mailing, checkNumber: number, issueDate: o.issueDate!, amount: p.amount, claimId: p.claimId, paymentId: id, account: params.checkAccount ?? '' }));
      const record: PaymentRecord = { ...p, paymentId: id, method: 'check', file: 'reissue-checks.csv', row: k + 1, reference: number, destination: '' };
      reissuePayments.push(paymentsRow(record));
    });
    checkNext = checkNumber(start, result.reissues.length);
  }

  const states = Object.fromEntries(STATES.map((s) => [s, { count: 0, amount: 0n }])) as Record<PaymentState, Line>;
  const stateRows = ['payment_id,claim_id,method,amount,state,detail,source,reissue_payment_id\n'];
  for (const x of result.outcomes) {
    const p = x.payment;
    states[x.state].count++;
    states[x.state].amount += p.amount;
    const source = x.source === '' ? '' : `${basename(x.source.slice(0, x.source.lastIndexOf(':')))}${x.source.slice(x.source.lastIndexOf(':'))}`;
    stateRows.push(`${p.paymentId},${textCell(p.claimId)},${p.method},${formatMoney(p.amount)},${x.state},${textCell(x.detail)},${textCell(source)},${reissueId.get(p.paymentId) ?? ''}\n`);
  }
  const uncashedRows = ['claim_id,payment_id,method,amount,state\n'];
  const uncashed: Line = { count: 0, amount: 0n };
  for (const x of result.uncashed) {
    uncashed.count++;
    uncashed.amount += x.payment.amount;
    uncashedRows.push(`${textCell(x.payment.claimId)},${x.payment.paymentId},${x.payment.method},${formatMoney(x.payment.amount)},${x.state}\n`);
  }
  const reissued = states.reissued;
  const payments = { count: pay.payments.length, amount: pay.payments.reduce((s, p) => s + p.amount, 0n) };
  const summary = {
    format: 'payout-reconcile/1',
    round: Number(round),
    payments: line(payments),
    states: Object.fromEntries(STATES.map((s) => [s, line(states[s])])),
    reissued: line(reissued),
    uncashed: line(uncashed),
  };
  const texts: [string, string, number?][] = [
    ['state.csv', stateRows.join(''), result.outcomes.length],
    ['uncashed.csv', uncashedRows.join(''), uncashed.count],
    ['reissue-checks.csv', reissueRows.join(''), result.reissues.length],
    ['reissue-payments.csv', reissuePayments.join(''), result.reissues.length],
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
  ];
  await writeOutputs(
    out,
    texts.map(([name, text, rows]) => ({ name, chunks: [text], ...(rows !== undefined ? { rows } : {}) })),
    {
      command: 'reconcile',
      plan: pay.manifest.plan,
      inputs,
      // checkNext: where the next run's checks (a second round's pay --check-start) go on numbering.
      parameters: { round, ...(o.issueDate !== undefined ? { issueDate: o.issueDate } : {}), ...(checkNext !== undefined ? { checkNext } : {}) },
      seed: pay.manifest.seed,
    },
  );
  return { states, reissued, uncashed, payments, files: [...texts.map((t) => t[0]), 'manifest.json'] };
}
