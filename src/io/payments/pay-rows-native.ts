/**
 * The payment files' rows written by the native addon (src/native/pay_rows.c; docs/payments.md,
 * "Performance"): the files' worker hands RecordBatchBuilder the addon's `payRows`, which writes the
 * rows of runs of plain records and leaves the others to the builder. It is used only after this
 * load check: a sample of records that takes every path (each method, quoted and guarded cells,
 * Latin-1 and other names, masked destinations, a check template of every column, PayPal and NACHA
 * files filled and begun again) built with and without it must give the same files, byte for byte,
 * and the same control totals. Without it (no C compiler when payout was installed, an addon built
 * from older sources, one refused here, or `PAYOUT_NATIVE=0`), the builder makes every row itself.
 */
import type { PaidClaim } from '../../core/payments/batch.js';
import { CHECK_COLUMNS } from '../../core/payments/check-columns.js';
import { ClaimRecordWriter } from '../../core/payments/claim-records.js';
import { RecordBatchBuilder, type RecordIds } from '../../core/payments/record-batch.js';
import type { PayRowRun } from '../../core/payments/record-batch-native.js';
import type { PaymentsConfig } from '../../core/payments/plan-section.js';
import { loadCheckedFunction, nativeFunction } from '../sha256-batch.js';

/** The plan section the sample is built for: 4 NACHA entries a file, a check template of every column in another order. */
const SAMPLE_CONFIG: PaymentsConfig = {
  issueDate: '2026-12-15',
  ach: {
    immediateDestination: '091000019',
    immediateDestinationName: 'FEDERAL RESERVE BANK',
    immediateOrigin: '1123456789',
    immediateOriginName: 'SETTLEMENT ADMIN LLC',
    companyName: 'SETTLEMENT',
    companyId: '1123456789',
    odfi: '02100002',
    entryDescription: 'SETTLEMENT',
    discretionaryData: '',
    referenceCode: '',
    entriesPerFile: 4,
  },
  paypal: { note: 'Payment, "round" 1', currency: 'EUR' },
  check: { startNumber: '000099998', columns: [...CHECK_COLUMNS].reverse(), header: true, account: '12-3456' },
};

/** Rows per PayPal file in the sample (RecordBatchOptions.paypalRowsPerFile). */
const SAMPLE_PAYPAL_ROWS = 25;

// Cells that start with each character that makes a guard (= + - @ tab CR '), and ones with a CR, LF, comma or quote inside.
const NAMES = ['Ana Lee', 'José Müller', 'Straße Öl ß', '李小龍', '"Quoted", Name', '=SUM(A1)', 'x'.repeat(30), '', '\tTab', "'Quote", '\rCR', 'C\rR'];
const ADDRESSES = ['1 Main St', '2 "B" Ave, Apt 3', '+44 Road', '', 'Ünter den Linden 5\nBerlin'];

/** The sample's claims: every method, with and without a mailing address, cells of every kind; PayPal past a file. */
export function sampleClaims(): PaidClaim[] {
  const claims: PaidClaim[] = [];
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
  const mailing = (i: number) => ({ name: pick(NAMES, i + 1), address: pick(ADDRESSES, i), address2: i % 3 === 0 ? 'Unit 9' : '', city: pick(['Chicago', 'Zürich', '-City'], i), state: 'IL', zip: pick(['60601', '0123', ''], i) });
  const amounts = [1n, 5n, 99n, 100n, 2783n, 16704n, 9_999_999_999n, 10_000_000_000n, 123_456_789_012n];
  // NACHA's amount field holds 10 digits.
  const ACH_AMOUNTS = amounts.filter((a) => a < 10_000_000_000n);
  const ids = ['C1', '+1-555-0100', 'id,comma', 'Zoë', '"q"', '@home', '', 'x'.repeat(40), '\tT', "'x", '\rr', 'c\rr'];
  let row = 0;
  const add = (election: PaidClaim['election'], i: number, withMailing: boolean, from = amounts): void => {
    const m = withMailing ? mailing(i) : undefined;
    claims.push({ claimId: `${pick(ids, i)}${row}`, amount: pick(from, i), row: row++, election, ...(m !== undefined ? { mailing: m } : {}) });
  };
  for (let i = 0; i < 40; i++) {
    const routing = pick(['011000015', '021000021', '091000019'], i);
    const account = pick(['12345678901234567', '0001', 'ABC-123', '9'], i);
    add({ method: 'ach', routing, account, accountType: i % 2 === 0 ? 'checking' : 'savings', name: pick(NAMES, i) }, i, i % 4 === 0, ACH_AMOUNTS);
    const check = mailing(i + 2);
    add({ method: 'check', ...check }, i, false);
    if (i % 2 === 0) {
      claims.push({ claimId: `chk${row}`, amount: pick(amounts, i + 1), row: row++, election: { method: 'check', ...check }, mailing: check });
    }
    add({ method: 'venmo', recipient: pick(['+15550100', '@handle', ' spaced ', 'ü@x', ' 0100'], i), recipientKind: 'handle' }, i, i % 5 === 0);
  }
  // PayPal over three files (of SAMPLE_PAYPAL_ROWS rows here), with the other methods between.
  for (let i = 0; i < 2 * SAMPLE_PAYPAL_ROWS + 3; i++) {
    add({ method: 'paypal', recipient: i % 11 === 0 ? `a,b${i}@x.com` : `user${i}@example.com`, recipientKind: 'email' }, i, i % 7 === 0);
    if (i % 9 === 0) add({ method: 'ach', routing: '011000015', account: '42', accountType: 'checking', name: 'Ann' }, i, false, ACH_AMOUNTS);
  }
  return claims;
}

/** The sample's files and controls, as text to compare. */
function build(claims: readonly PaidClaim[], run: PayRowRun | undefined): string {
  const digests = new Uint8Array(claims.length * 8).map((_, i) => (i * 131 + 7) & 0xff);
  const ids: RecordIds = { head: 'P1-', digests, ensure: () => undefined, readyRows: () => claims.length };
  const b = new RecordBatchBuilder({ config: SAMPLE_CONFIG, currency: 'USD', round: 1, ids, duplicates: false, paypalRowsPerFile: SAMPLE_PAYPAL_ROWS, ...(run !== undefined ? { native: run } : {}) });
  // Small blocks of records: runs stop at their ends too.
  const w = new ClaimRecordWriter((block) => b.addBlock(block.slice()), 1 << 12);
  for (const c of claims) w.add(c);
  w.flush();
  const batch = b.finish();
  const text = (chunks: readonly (string | Uint8Array)[]): string => chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))).join('');
  const files = batch.files.map((f) => `${f.name}|${f.count}|${f.amount}\n${text(f.text)}`);
  const controls = JSON.stringify(batch.controls, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return [...files, text(batch.payments), text(batch.addresses), controls].join('\u0000');
}

/** Whether `run` makes the sample's files as the builder does (the load check). */
export function payRowsRight(run: PayRowRun): boolean {
  try {
    const claims = sampleClaims();
    return build(claims, run) === build(claims, undefined);
  } catch {
    return false;
  }
}

/** The addon's `payRows`, once it has passed the load check; undefined without it (see above). */
export const payRowsNative: () => PayRowRun | undefined = nativeFunction((path) => loadCheckedFunction<PayRowRun>(path, 'payRows', payRowsRight));
