/**
 * Reconciliation (docs/payments.md): what came back from the bank and PayPal, matched to the
 * payments of a pay run. ACH returns (R-codes), PayPal unclaimed or returned items, check
 * statuses (cashed, void, stale). Each payment gets a state; a failed electronic payment is
 * reissued as a check when the claim has a mailing address; what stays unpaid (void and stale
 * checks, failed payments without an address) is the uncashed list of the second distribution.
 */
import { formatMoney, parseMoney } from '../money.js';
import type { Problem } from '../problems.js';
import type { MailingAddress } from './elections.js';
import type { PaymentRecord } from './rows.js';

export type ReturnKind = 'ach' | 'paypal' | 'check';

export const PAYPAL_STATUSES = ['unclaimed', 'returned'] as const;
export const CHECK_STATUSES = ['cashed', 'void', 'stale'] as const;

/** One row of a returns file, as read: the payment named by id or by its reference. */
export interface ReturnRow {
  kind: ReturnKind;
  file: string;
  line: number;
  /** payment_id when the file has the column and the cell is not empty. */
  paymentId?: string;
  /** trace number (ACH) or check number. */
  reference?: string;
  /** claim_id, or PayPal's customer reference (pay writes the claim id there). */
  claimId?: string;
  /** The R-code (ACH) or the status (PayPal, check), lower-cased except R-codes. */
  status: string;
  amountText: string;
}

export type PaymentState = 'issued' | 'cashed' | 'returned' | 'unclaimed' | 'void' | 'stale' | 'reissued';

export interface PaymentOutcome {
  payment: PaymentRecord;
  state: PaymentState;
  /** The R-code or status as reported, and where. */
  detail: string;
  source: string;
}

export interface Reconciliation {
  outcomes: PaymentOutcome[];
  /** Failed electronic payments with a mailing address: to be paid by check. */
  reissues: { payment: PaymentRecord; mailing: MailingAddress }[];
  /** Payments that stay unpaid: the second round's uncashed list. */
  uncashed: PaymentOutcome[];
  problems: Problem[];
}

const METHODS: Record<ReturnKind, readonly PaymentRecord['method'][]> = { ach: ['ach'], paypal: ['paypal', 'venmo'], check: ['check'] };

/**
 * Matches every return row to a payment. Unknown payments, a payment reported twice, an amount
 * other than the one issued, a status of the wrong kind: errors with the file and line, all of them.
 */
export function reconcile(payments: readonly PaymentRecord[], returns: readonly ReturnRow[], mailing: ReadonlyMap<string, MailingAddress>): Reconciliation {
  const problems: Problem[] = [];
  const err = (r: ReturnRow, field: string, message: string): void => void problems.push({ code: 'input', severity: 'error', file: r.file, line: r.line, field, message });
  const byId = new Map<string, number>();
  const byRef: Record<ReturnKind, Map<string, number>> = { ach: new Map(), paypal: new Map(), check: new Map() };
  const byClaim: Record<ReturnKind, Map<string, number>> = { ach: new Map(), paypal: new Map(), check: new Map() };
  payments.forEach((p, i) => {
    byId.set(p.paymentId, i);
    const kind: ReturnKind = p.method === 'ach' ? 'ach' : p.method === 'check' ? 'check' : 'paypal';
    byRef[kind].set(p.reference, i);
    byClaim[kind].set(p.claimId, i);
  });
  const reported = new Map<number, ReturnRow>();
  const state: (PaymentOutcome | undefined)[] = new Array(payments.length);

  for (const r of returns) {
    const refField = r.kind === 'ach' ? 'trace_number' : 'check_number';
    const claimField = r.kind === 'paypal' ? 'customer_reference' : 'claim_id';
    let i: number | undefined;
    let named = 'payment_id';
    if (r.paymentId !== undefined) {
      i = byId.get(r.paymentId);
      if (i === undefined) {
        err(r, 'payment_id', `unknown payment ${r.paymentId}: not in this run's payments.csv`);
        continue;
      }
    } else if (r.reference !== undefined && r.kind !== 'paypal') {
      named = refField;
      i = byRef[r.kind].get(r.reference);
      if (i === undefined) {
        err(r, refField, `unknown ${refField.replace('_', ' ')} ${r.reference}: no ${r.kind} payment of this run has it`);
        continue;
      }
    } else if (r.claimId !== undefined) {
      named = claimField;
      i = byClaim[r.kind].get(r.claimId);
      if (i === undefined) {
        err(r, claimField, `unknown ${claimField.replace('_', ' ')} ${r.claimId}: no ${r.kind} payment of this run is for that claim`);
        continue;
      }
    } else {
      err(r, r.kind === 'paypal' ? claimField : refField, 'the row names no payment (payment_id, ' + (r.kind === 'paypal' ? 'customer_reference' : `${refField} or claim_id`) + ')');
      continue;
    }
    const p = payments[i]!;
    if (!METHODS[r.kind].includes(p.method)) {
      err(r, named, `payment ${p.paymentId} was paid by ${p.method}, not in a ${r.kind} returns file`);
      continue;
    }
    const first = reported.get(i);
    if (first !== undefined) {
      err(r, named, `payment ${p.paymentId} (claim ${p.claimId}) is already reported at ${first.file}:${first.line}`);
      continue;
    }
    reported.set(i, r);
    const amount = parseMoney(r.amountText.trim());
    if (amount === undefined) err(r, 'amount', `${JSON.stringify(r.amountText)} is not an amount`);
    else if (amount !== p.amount) err(r, 'amount', `${formatMoney(amount)}, but payment ${p.paymentId} was issued for ${formatMoney(p.amount)}`);
    let s: PaymentState | undefined;
    if (r.kind === 'ach') {
      if (/^R\d{2}$/.test(r.status)) s = 'returned';
      else err(r, 'return_code', `${JSON.stringify(r.status)} is not a return code (R01, R02, …)`);
    } else if (r.kind === 'paypal') {
      if ((PAYPAL_STATUSES as readonly string[]).includes(r.status)) s = r.status as PaymentState;
      else err(r, 'status', `${JSON.stringify(r.status)}: a PayPal status must be one of ${PAYPAL_STATUSES.join(', ')}`);
    } else {
      if ((CHECK_STATUSES as readonly string[]).includes(r.status)) s = r.status as PaymentState;
      else err(r, 'status', `${JSON.stringify(r.status)}: a check status must be one of ${CHECK_STATUSES.join(', ')}`);
    }
    if (s !== undefined) state[i] = { payment: p, state: s, detail: r.status, source: `${r.file}:${r.line}` };
  }

  const outcomes: PaymentOutcome[] = [];
  const reissues: Reconciliation['reissues'] = [];
  const uncashed: PaymentOutcome[] = [];
  payments.forEach((p, i) => {
    let o = state[i] ?? { payment: p, state: 'issued' as PaymentState, detail: '', source: '' };
    const failed = o.state === 'returned' || o.state === 'unclaimed';
    if (failed) {
      const m = mailing.get(p.claimId);
      if (m !== undefined) {
        reissues.push({ payment: p, mailing: m });
        o = { ...o, state: 'reissued' };
      }
    }
    if ((failed && o.state !== 'reissued') || o.state === 'void' || o.state === 'stale') uncashed.push(o);
    outcomes.push(o);
  });
  return { outcomes, reissues, uncashed, problems };
}
