import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPaymentBatch, checkControls, type PaidClaim } from '../../src/core/payments/batch.js';
import type { Election } from '../../src/core/payments/elections.js';
import { writeNacha } from '../../src/core/payments/nacha.js';
import { PAYPAL_ROWS_PER_FILE } from '../../src/core/payments/rows.js';
import { parseNacha } from './nacha-parser.js';
import { paymentsConfig } from './helpers.js';

const ROUTINGS = ['021000021', '011000015', '091000019', '121000248', '026009593'];
const home = { name: 'Ana Díaz', address: '1 Main St', address2: '', city: 'Chicago', state: 'IL', zip: '60601' };

function electionFor(kind: number, i: number): Election {
  switch (kind % 4) {
    case 0:
      return { method: 'paypal', recipient: `c${i}@example.com`, recipientKind: 'email' };
    case 1:
      return { method: 'venmo', recipient: `312555${String(i % 10000).padStart(4, '0')}`, recipientKind: 'phone' };
    case 2:
      return { method: 'ach', routing: ROUTINGS[i % ROUTINGS.length]!, account: String(10000 + i), accountType: i % 3 ? 'checking' : 'savings', name: `Payee ${i}` };
    default:
      return { method: 'check', ...home };
  }
}

const id = (claimId: string): string => `P1-${claimId}`;

/** Every amount in the files, read back from their text (NACHA through the independent reader). */
function amountsInFiles(batch: ReturnType<typeof buildPaymentBatch>): Map<string, bigint> {
  const seen = new Map<string, bigint>();
  const add = (claimId: string, cents: bigint): void => {
    if (seen.has(claimId)) throw new Error(`claim ${claimId} paid twice`);
    seen.set(claimId, cents);
  };
  const cents = (text: string): bigint => BigInt(text.replace('.', ''));
  for (const file of batch.files) {
    const f = { ...file, text: file.text.join('') };
    if (f.method === 'ach') {
      for (const e of parseNacha(f.text).entries) add(e.individualId, e.amount);
    } else if (f.method === 'paypal') {
      for (const line of f.text.trimEnd().split('\n')) {
        const [, amount, , claimId] = line.split(',');
        add(claimId!, cents(amount!));
      }
    } else {
      const [header, ...rows] = f.text.trimEnd().split('\n');
      const cols = header!.split(',');
      for (const row of rows) {
        const cells = row.split(',');
        add(cells[cols.indexOf('claim_id')]!, cents(cells[cols.indexOf('amount')]!));
      }
    }
  }
  return seen;
}

describe('buildPaymentBatch', () => {
  it('Σ over all payment files = Σ paid; each paid claim in exactly one file once; zero amounts get nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.nat(3), amount: fc.bigInt({ min: 0n, max: 99_999_999_99n }) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, perFile) => {
          const ledger = rows.map((r, i) => ({ claimId: `C${i}`, amount: r.amount, kind: r.kind }));
          const paid: PaidClaim[] = ledger.filter((r) => r.amount > 0n).map((r, i) => ({ claimId: r.claimId, amount: r.amount, election: electionFor(r.kind, i) }));
          const config = paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile: perFile } });
          const batch = buildPaymentBatch({ claims: paid, config, currency: 'USD', round: 1, paymentId: id });
          const inFiles = amountsInFiles(batch);
          const sumPaid = paid.reduce((s, c) => s + c.amount, 0n);
          expect([...inFiles.values()].reduce((s, a) => s + a, 0n)).toBe(sumPaid);
          expect(batch.controls.total).toEqual({ count: paid.length, amount: sumPaid });
          for (const r of ledger) expect(inFiles.get(r.claimId)).toBe(r.amount > 0n ? r.amount : undefined);
          expect(checkControls(batch, { count: paid.length, amount: sumPaid }, 'ledger.csv')).toEqual([]);
          expect(batch.payments.join('').trimEnd().split('\n')).toHaveLength(paid.length + 1);
          for (const f of batch.files) if (f.method === 'ach') expect(f.count).toBeLessThanOrEqual(perFile);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('PayPal files hold at most 5,000 rows', () => {
    const paid: PaidClaim[] = Array.from({ length: PAYPAL_ROWS_PER_FILE * 2 + 1 }, (_, i) => ({ claimId: `C${i}`, amount: 2784n, election: electionFor(i % 2, i) }));
    const batch = buildPaymentBatch({ claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: id });
    expect(batch.files.map((f) => [f.name, f.count])).toEqual([
      ['paypal-001.csv', 5000],
      ['paypal-002.csv', 5000],
      ['paypal-003.csv', 1],
    ]);
    expect(batch.payments.join('').split('\n')[5001]).toMatch(/^P1-C5000,C5000,1,paypal,paypal-002\.csv,1,/);
  });

  it('control totals that differ from the ledger are refused', () => {
    const paid: PaidClaim[] = [{ claimId: 'A', amount: 100n, election: electionFor(0, 0) }];
    const batch = buildPaymentBatch({ claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: id });
    expect(checkControls(batch, { count: 1, amount: 101n }, 'ledger.csv')[0]?.message).toContain('nothing was written');
    const twice = buildPaymentBatch({ claims: [...paid, { ...paid[0]!, claimId: 'B' }], config: paymentsConfig(), currency: 'USD', round: 1, paymentId: () => 'same' });
    expect(checkControls(twice, { count: 2, amount: 200n }, 'ledger.csv')[0]?.message).toContain('two claims have the same payment id');
  });

  it('payments.csv masks every destination to its last 4 characters', () => {
    const paid: PaidClaim[] = [0, 1, 2, 3].map((k) => ({ claimId: `C${k}`, amount: 2784n, election: electionFor(k, 7) }));
    const batch = buildPaymentBatch({ claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: id });
    expect(batch.payments.join('')).toBe(
      [
        'payment_id,claim_id,round,method,file,row,reference,amount,currency,destination',
        'P1-C0,C0,1,paypal,paypal-001.csv,1,C0,27.84,USD,****.com',
        'P1-C1,C1,1,venmo,paypal-001.csv,2,C1,27.84,USD,****0007',
        'P1-C2,C2,1,ach,ach-001.ach,1,021000020000001,27.84,USD,****0007',
        'P1-C3,C3,1,check,checks-001.csv,1,100001,27.84,USD,',
        '',
      ].join('\n'),
    );
    expect(batch.payments.join('')).not.toContain('example.com');
    expect(batch.payments.join('')).not.toContain('10007');
  });

  it('ACH and checks need their part of the plan', () => {
    const ach: PaidClaim[] = [{ claimId: 'A', amount: 100n, election: electionFor(2, 0) }];
    const { ach: _a, ...noAch } = paymentsConfig();
    expect(() => buildPaymentBatch({ claims: ach, config: noAch, currency: 'USD', round: 1, paymentId: id })).toThrow(/payments.ach section/);
  });
});

describe('writeNacha', () => {
  it('writes 94-character records in blocks of 10, with the controls an independent reader checks', () => {
    const config = paymentsConfig().ach!;
    const entries = [
      { routing: '021000021', account: '12345678', accountType: 'checking' as const, amount: 2784n, individualId: 'TT-0000001-LONG-ID', name: 'José Núñez-Ávila de la Cruz' },
      { routing: '091000019', account: '987654321', accountType: 'savings' as const, amount: 16704n, individualId: 'TT-2', name: 'Kim Lee' },
    ];
    const nacha = writeNacha(config, '2026-12-15', 'A', 1, entries);
    const parsed = parseNacha(nacha.text);
    expect(nacha.text.split('\n')).toHaveLength(11); // 10 records and the final line break
    expect(parsed.header).toMatchObject({ destination: ' 091000019', origin: '1123456789', date: '261215', time: '0000', modifier: 'A' });
    expect(parsed.batches[0]).toMatchObject({ serviceClass: '220', sec: 'PPD', effectiveDate: '261215', odfi: '02100002' });
    expect(parsed.entries.map((e) => [e.transactionCode, e.amount, e.individualId, e.name])).toEqual([
      ['22', 2784n, 'TT-0000001-LONG', 'JOSE NUNEZ-AVILA DE LA'],
      ['32', 16704n, 'TT-2', 'KIM LEE'],
    ]);
    expect(nacha.entryHash).toBe(2100002n + 9100001n);
    expect(parsed.total).toBe(19488n);
  });

  it('the entry hash keeps the last 10 digits of the sum', () => {
    const config = paymentsConfig().ach!;
    const entries = Array.from({ length: 1200 }, (_, i) => ({ routing: '121000248', account: String(1000 + i), accountType: 'checking' as const, amount: 1n, individualId: `C${i}`, name: 'X' }));
    const nacha = writeNacha(config, '2026-12-15', 'B', 1, entries);
    expect(nacha.entryHash).toBe((12100024n * 1200n) % 10n ** 10n);
    expect(parseNacha(nacha.text).entries).toHaveLength(1200);
  });
});
