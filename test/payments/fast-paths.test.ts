import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPaymentBatch, checkNumber, type PaidClaim } from '../../src/core/payments/batch.js';
import { nachaAlpha } from '../../src/core/payments/nacha.js';
import { csvField, defuseFormula } from '../../src/core/csv-cell.js';
import { isAbaRouting } from '../../src/core/payments/aba.js';
import { paymentsConfig } from './helpers.js';

// The short cuts taken per payment give what the general form gives.
describe('payment fast paths', () => {
  it('numbers checks as BigInt arithmetic does, keeping the width', () => {
    expect(checkNumber('000101', 1)).toBe('000102');
    expect(checkNumber('999999999999999', 1)).toBe('1000000000000000');
    expect(checkNumber('1234567890123456789', 2)).toBe('1234567890123456791');
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,18}$/), fc.nat(10_000_000), (start, index) => {
        expect(checkNumber(start, index)).toBe((BigInt(start) + BigInt(index)).toString().padStart(start.length, '0'));
      }),
    );
  });
  it('quotes and defuses cells as the regex and the set of formula characters do', () => {
    const quoted = (t: string): string => (/[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
    const defused = (t: string): string => (t.length > 0 && new Set(['=', '+', '-', '@', '\t', '\r', "'"]).has(t[0]!) ? `'${t}` : t);
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[=+\-@\t\r'",\na-z ]{0,6}$/));
    fc.assert(
      fc.property(text, (t) => {
        expect(csvField(t)).toBe(quoted(t));
        expect(defuseFormula(t)).toBe(defused(t));
      }),
    );
  });
  it('checks ABA digits as the array of digits does', () => {
    const slow = (t: string): boolean => {
      if (!/^\d{9}$/.test(t) || t === '000000000') return false;
      const d = Array.from(t, Number);
      return (3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!)) % 10 === 0;
    };
    expect(isAbaRouting('021000021')).toBe(true);
    expect(isAbaRouting('021000022')).toBe(false);
    fc.assert(fc.property(fc.oneof(fc.stringMatching(/^\d{9}$/), fc.string()), (t) => {
      expect(isAbaRouting(t)).toBe(slow(t));
    }));
  });
  it('makes NACHA text as normalising, dropping accents and upper-casing does', () => {
    const slow = (t: string): string => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^ -~]/g, ' ');
    expect(nachaAlpha('Ana Díaz')).toBe('ANA DIAZ');
    expect(nachaAlpha('o\'brien-smith')).toBe("O'BRIEN-SMITH");
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (t) => {
      expect(nachaAlpha(t)).toBe(slow(t));
    }));
    fc.assert(fc.property(fc.string(), (t) => {
      expect(nachaAlpha(t)).toBe(slow(t));
    }));
  });
  it('holds the same text as bytes when asked to', () => {
    const paid: PaidClaim[] = [
      { claimId: 'C1', amount: 1523n, election: { method: 'paypal', recipient: 'ana@example.com', recipientKind: 'email' } },
      { claimId: 'C2', amount: 99n, election: { method: 'ach', routing: '021000021', account: '123456789', accountType: 'checking', name: 'José Ruiz' } },
      { claimId: 'C3', amount: 700n, election: { method: 'check', name: 'Zoë Brandt', address: '1 Main St', address2: '', city: 'Chicago', state: 'IL', zip: '60601' }, mailing: { name: 'Zoë Brandt', address: '1 Main St', address2: '', city: 'Chicago', state: 'IL', zip: '60601' } },
    ];
    const o = { claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: (c: string) => `P1-${c}` };
    const text = buildPaymentBatch(o);
    const bytes = buildPaymentBatch({ ...o, bytes: true });
    const decode = (chunks: (string | Uint8Array)[]): string => chunks.map((c) => (typeof c === 'string' ? c : new TextDecoder().decode(c))).join('');
    expect(bytes.files.map((f) => [f.name, decode(f.text)])).toEqual(text.files.map((f) => [f.name, decode(f.text)]));
    expect(bytes.files.every((f) => f.text.every((c) => c instanceof Uint8Array))).toBe(true);
    expect(decode(bytes.payments)).toBe(decode(text.payments));
    expect(decode(bytes.addresses)).toBe(decode(text.addresses));
    expect(decode(bytes.addresses)).toContain('Zoë Brandt');
  });
  it('holds the same bytes across blocks: 20,000 claims, multi-byte names, in blocks of up to 1 MiB', () => {
    const paid: PaidClaim[] = Array.from({ length: 20_000 }, (_, i) => {
      const name = `${'Zoë 𝒜'.repeat(1 + (i % 5))} ${i}`;
      const mailing = { name, address: `${i} Main St`, address2: '', city: 'Chicago', state: 'IL', zip: '60601' };
      return i % 3 === 0
        ? { claimId: `C${i}`, amount: 1000n + BigInt(i), election: { method: 'check' as const, ...mailing }, mailing }
        : { claimId: `C${i}`, amount: 1000n + BigInt(i), election: { method: 'paypal' as const, recipient: `p${i}@example.com`, recipientKind: 'email' as const }, mailing };
    });
    const o = { claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: (c: string) => `P1-${c}` };
    const text = buildPaymentBatch(o);
    const bytes = buildPaymentBatch({ ...o, bytes: true });
    const utf8 = (chunks: (string | Uint8Array)[]): Buffer => Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
    expect(bytes.addresses.length).toBeGreaterThan(2);
    expect(utf8(bytes.addresses).equals(utf8(text.addresses))).toBe(true);
    expect(utf8(bytes.payments).equals(utf8(text.payments))).toBe(true);
    for (const [i, f] of bytes.files.entries()) expect(utf8(f.text).equals(utf8(text.files[i]!.text))).toBe(true);
  });
});
