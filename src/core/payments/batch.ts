/**
 * From the paid claims of a ledger and their elections to the payment files (docs/payments.md):
 * PayPal/Venmo rows in files of at most 5,000, NACHA files of ACH credits, one check register,
 * payments.csv with one row per payment, and the control totals (count and sum per file, per
 * method and overall) that must equal the ledger before anything is written.
 */
import { UsageError } from '../errors.js';
import { formatMoney, type Cents } from '../money.js';
import type { Problem } from '../problems.js';
import type { Election, MailingAddress } from './elections.js';
import { maskLast4 } from './mask.js';
import { writeNacha, type AchEntry } from './nacha.js';
import type { PaymentsConfig } from './plan-section.js';
import { DEFAULT_CHECK_COLUMNS } from './plan-section.js';
import {
  addressRow,
  ADDRESSES_COLUMNS,
  checkHeader,
  checkRow,
  PAYMENTS_COLUMNS,
  paymentsRow,
  paypalRow,
  PAYPAL_ROWS_PER_FILE,
  type PaymentRecord,
} from './rows.js';

export interface PaidClaim {
  claimId: string;
  amount: Cents;
  election: Election;
  mailing?: MailingAddress;
}

export type FileMethod = 'paypal' | 'ach' | 'check';

export interface PaymentFile {
  name: string;
  method: FileMethod;
  text: string;
  count: number;
  amount: Cents;
}

export interface ControlLine {
  count: number;
  amount: Cents;
}

export interface Controls {
  files: ({ file: string; method: FileMethod } & ControlLine)[];
  methods: Record<Election['method'], ControlLine>;
  total: ControlLine;
}

export interface PaymentBatch {
  files: PaymentFile[];
  /** payments.csv, whole. */
  payments: string;
  /** addresses.csv, whole. */
  addresses: string;
  controls: Controls;
  records: PaymentRecord[];
}

const ACH_FILE_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const seq = (n: number): string => String(n).padStart(3, '0');

/** Check numbers from the plan's start, keeping its width ("000101" → "000102"). */
export function checkNumber(start: string, index: number): string {
  return (BigInt(start) + BigInt(index)).toString().padStart(start.length, '0');
}

/**
 * Builds every file. Claims come in ledger order, each with an amount above 0. `paymentId` makes
 * the stable id of a claim's payment (seed, claim id and round; docs/payments.md). Throws a
 * UsageError when an election needs a part of the plan's `payments` section that is not there.
 */
export function buildPaymentBatch(input: {
  claims: readonly PaidClaim[];
  config: PaymentsConfig;
  currency: string;
  round: number;
  paymentId: (claimId: string) => string;
}): PaymentBatch {
  const { claims, config, round } = input;
  const currency = config.paypal.currency ?? input.currency;
  const zero = (): ControlLine => ({ count: 0, amount: 0n });
  const methods: Controls['methods'] = { paypal: zero(), venmo: zero(), ach: zero(), check: zero() };
  for (const c of claims) {
    if (c.amount <= 0n) throw new RangeError(`claim ${c.claimId}: a payment of ${formatMoney(c.amount)} (only amounts above 0 are paid)`);
    const m = methods[c.election.method];
    m.count++;
    m.amount += c.amount;
  }
  if (methods.ach.count > 0 && config.ach === undefined) {
    throw new UsageError(`${methods.ach.count} claims elected ACH: the plan's payments.ach section (origin, company, ODFI) is needed to write the NACHA file`);
  }
  if (methods.check.count > 0 && config.check === undefined) {
    throw new UsageError(`${methods.check.count} claims are paid by check: the plan's payments.check section (startNumber) is needed to number the checks`);
  }

  const records: PaymentRecord[] = new Array(claims.length);
  const files: PaymentFile[] = [];
  const ids = claims.map((c) => input.paymentId(c.claimId));

  // PayPal and Venmo: one Payouts batch format, the wallet per row; files of at most 5,000 rows.
  {
    let rows: string[] = [];
    let amount = 0n;
    let fileNo = 1;
    let file = `paypal-${seq(fileNo)}.csv`;
    const flush = (): void => {
      if (rows.length === 0) return;
      files.push({ name: file, method: 'paypal', text: rows.join(''), count: rows.length, amount });
      rows = [];
      amount = 0n;
      file = `paypal-${seq(++fileNo)}.csv`;
    };
    claims.forEach((c, i) => {
      const e = c.election;
      if (e.method !== 'paypal' && e.method !== 'venmo') return;
      if (rows.length === PAYPAL_ROWS_PER_FILE) flush();
      rows.push(paypalRow({ recipient: e.recipient, amount: c.amount, currency, claimId: c.claimId, note: config.paypal.note, wallet: e.method === 'paypal' ? 'PAYPAL' : 'VENMO' }));
      amount += c.amount;
      records[i] = { paymentId: ids[i]!, claimId: c.claimId, round, method: e.method, file, row: rows.length, reference: c.claimId, amount: c.amount, currency, destination: maskLast4(e.recipient) };
    });
    flush();
  }

  // ACH: one batch per NACHA file, files of at most entriesPerFile entries.
  if (config.ach !== undefined) {
    const ach = config.ach;
    const per = ach.entriesPerFile;
    const index: number[] = [];
    claims.forEach((c, i) => c.election.method === 'ach' && index.push(i));
    const nFiles = Math.ceil(index.length / per);
    if (index.length > 9_999_999) throw new UsageError(`${index.length} ACH payments: more than the 9,999,999 trace numbers of one ODFI`);
    if (nFiles > ACH_FILE_IDS.length) {
      throw new UsageError(`${index.length} ACH payments make ${nFiles} NACHA files of ${per}, more than the ${ACH_FILE_IDS.length} file id modifiers of one day: raise payments.ach.entriesPerFile`);
    }
    for (let f = 0; f < nFiles; f++) {
      const part = index.slice(f * per, (f + 1) * per);
      const name = `ach-${seq(f + 1)}.ach`;
      const entries: AchEntry[] = part.map((i) => {
        const c = claims[i]!;
        const e = c.election as Extract<Election, { method: 'ach' }>;
        return { routing: e.routing, account: e.account, accountType: e.accountType, amount: c.amount, individualId: c.claimId, name: e.name };
      });
      const nacha = writeNacha(ach, config.issueDate, ACH_FILE_IDS[f]!, 1, entries, f * per + 1);
      part.forEach((i, k) => {
        const c = claims[i]!;
        const e = c.election as Extract<Election, { method: 'ach' }>;
        records[i] = { paymentId: ids[i]!, claimId: c.claimId, round, method: 'ach', file: name, row: k + 1, reference: nacha.traces[k]!, amount: c.amount, currency: input.currency, destination: maskLast4(e.account) };
      });
      files.push({ name, method: 'ach', text: nacha.text, count: entries.length, amount: nacha.total });
    }
  }

  // Checks: one register, numbered from the plan's start in ledger order.
  if (config.check !== undefined && methods.check.count > 0) {
    const chk = config.check;
    const columns = chk.columns ?? DEFAULT_CHECK_COLUMNS;
    const out: string[] = chk.header ? [checkHeader(columns)] : [];
    let n = 0;
    let amount = 0n;
    claims.forEach((c, i) => {
      const e = c.election;
      if (e.method !== 'check') return;
      const number = checkNumber(chk.startNumber, n++);
      out.push(checkRow(columns, { ...e, checkNumber: number, issueDate: config.issueDate, amount: c.amount, claimId: c.claimId, paymentId: ids[i]!, account: chk.account ?? '' }));
      amount += c.amount;
      records[i] = { paymentId: ids[i]!, claimId: c.claimId, round, method: 'check', file: 'checks-001.csv', row: n, reference: number, amount: c.amount, currency: input.currency, destination: '' };
    });
    files.push({ name: 'checks-001.csv', method: 'check', text: out.join(''), count: n, amount });
  }

  const payments = [`${PAYMENTS_COLUMNS.join(',')}\n`];
  const addresses = [`${ADDRESSES_COLUMNS.join(',')}\n`];
  claims.forEach((c, i) => {
    payments.push(paymentsRow(records[i]!));
    if (c.mailing !== undefined) addresses.push(addressRow(c.claimId, c.mailing));
  });
  const total = files.reduce((t, f) => ({ count: t.count + f.count, amount: t.amount + f.amount }), zero());
  return {
    files,
    payments: payments.join(''),
    addresses: addresses.join(''),
    controls: { files: files.map((f) => ({ file: f.name, method: f.method, count: f.count, amount: f.amount })), methods, total },
    records,
  };
}

/**
 * The control totals against the ledger: the files' count and sum must equal the ledger's paid
 * claims and their amounts to the cent, and every payment id must be unique. Any problem means
 * nothing is written.
 */
export function checkControls(batch: PaymentBatch, ledger: ControlLine, ledgerFile: string): Problem[] {
  const problems: Problem[] = [];
  const { total } = batch.controls;
  if (total.count !== ledger.count || total.amount !== ledger.amount) {
    problems.push({
      code: 'input',
      severity: 'error',
      file: ledgerFile,
      message: `the payment files hold ${total.count} payments of ${formatMoney(total.amount)}, the ledger ${ledger.count} paid claims of ${formatMoney(ledger.amount)}: nothing was written`,
    });
  }
  const seen = new Set<string>();
  for (const r of batch.records) {
    if (seen.has(r.paymentId)) {
      problems.push({ code: 'input', severity: 'error', file: ledgerFile, message: `payment id ${r.paymentId} is made twice (claim ${r.claimId}): nothing was written` });
    }
    seen.add(r.paymentId);
  }
  return problems;
}

/** Controls as JSON: money as strings. */
export function controlsJson(c: Controls): unknown {
  const line = (l: ControlLine) => ({ count: l.count, amount: formatMoney(l.amount) });
  return {
    files: c.files.map((f) => ({ file: f.file, method: f.method, ...line(f) })),
    methods: Object.fromEntries(Object.entries(c.methods).map(([k, v]) => [k, line(v)])),
    total: line(c.total),
  };
}
