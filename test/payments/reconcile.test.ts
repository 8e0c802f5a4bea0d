import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MailingAddress } from '../../src/core/payments/elections.js';
import { reconcile, type ReturnRow } from '../../src/core/payments/reconcile.js';
import type { PaymentRecord } from '../../src/core/payments/rows.js';

const METHODS = ['paypal', 'venmo', 'ach', 'check'] as const;
const home: MailingAddress = { name: 'Ana', address: '1 Main St', address2: '', city: 'Chicago', state: 'IL', zip: '60601' };

function payment(i: number, method: PaymentRecord['method'], amount: bigint): PaymentRecord {
  const reference = method === 'ach' ? `02100002${String(i + 1).padStart(7, '0')}` : method === 'check' ? String(100001 + i) : `C${i}`;
  return { paymentId: `P1-${i}`, claimId: `C${i}`, round: 1, method, file: 'f', row: i + 1, reference, amount, currency: 'USD', destination: '' };
}

const money = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

describe('reconcile', () => {
  it('every payment gets one state; failed electronic payments are reissued with an address, else uncashed, as are void and stale checks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ method: fc.constantFrom(...METHODS), amount: fc.bigInt({ min: 1n, max: 10_000_00n }), report: fc.nat(4), address: fc.boolean() }), { maxLength: 40 }),
        (rows) => {
          const payments = rows.map((r, i) => payment(i, r.method, r.amount));
          const mailing = new Map(rows.flatMap((r, i) => (r.address ? [[`C${i}`, home] as const] : [])));
          const returns: ReturnRow[] = [];
          rows.forEach((r, i) => {
            const p = payments[i]!;
            const base = { file: 'r.csv', line: i + 2, amountText: money(r.amount) };
            if (r.report === 0) return;
            if (p.method === 'ach') returns.push({ ...base, kind: 'ach', reference: p.reference, status: `R0${r.report}` });
            else if (p.method === 'check') returns.push({ ...base, kind: 'check', reference: p.reference, status: ['cashed', 'void', 'stale', 'cashed'][r.report - 1]! });
            else returns.push({ ...base, kind: 'paypal', claimId: p.claimId, status: r.report % 2 ? 'unclaimed' : 'returned' });
          });
          const result = reconcile(payments, returns, mailing);
          expect(result.problems).toEqual([]);
          expect(result.outcomes.map((o) => o.payment.paymentId)).toEqual(payments.map((p) => p.paymentId));
          const sum = (xs: { payment: PaymentRecord }[]) => xs.reduce((s, x) => s + x.payment.amount, 0n);
          expect(sum(result.outcomes)).toBe(sum(payments.map((payment) => ({ payment }))));
          rows.forEach((r, i) => {
            const o = result.outcomes[i]!;
            const failed = r.report > 0 && r.method !== 'check';
            const voided = r.method === 'check' && (r.report === 2 || r.report === 3);
            expect(o.state === 'reissued').toBe(failed && r.address);
            expect(result.uncashed.some((u) => u.payment.paymentId === o.payment.paymentId)).toBe((failed && !r.address) || voided);
            if (r.report === 0) expect(o.state).toBe('issued');
          });
          expect(result.reissues.length).toBe(result.outcomes.filter((o) => o.state === 'reissued').length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('unknown, duplicate, wrong-amount and wrong-kind returns are errors at their lines', () => {
    const payments = [payment(0, 'ach', 1000n), payment(1, 'check', 2000n)];
    const r = reconcile(
      payments,
      [
        { kind: 'ach', file: 'a.csv', line: 2, paymentId: 'P1-9', status: 'R01', amountText: '10.00' },
        { kind: 'ach', file: 'a.csv', line: 3, paymentId: 'P1-0', status: 'R01', amountText: '10.00' },
        { kind: 'ach', file: 'a.csv', line: 4, paymentId: 'P1-0', status: 'R02', amountText: '10.00' },
        { kind: 'check', file: 'c.csv', line: 2, reference: '100002', status: 'void', amountText: '20.01' },
        { kind: 'check', file: 'c.csv', line: 3, paymentId: 'P1-0', status: 'void', amountText: '10.00' },
      ],
      new Map(),
    );
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.field}`)).toEqual(['a.csv:2: payment_id', 'a.csv:4: payment_id', 'c.csv:2: amount', 'c.csv:3: payment_id']);
    expect(r.problems[1]?.message).toContain('already reported at a.csv:3');
    expect(r.problems[3]?.message).toContain('was paid by ach, not in a check returns file');
  });
});
