import { describe, expect, it } from 'vitest';
import { isAbaRouting } from '../../src/core/payments/aba.js';
import { readElection, normalisePhone } from '../../src/core/payments/elections.js';
import { maskLast4 } from '../../src/core/mask.js';
import { election } from './helpers.js';

const place = { file: 'claims.csv', line: 7, claimId: 'C-7' };
const home = { name: 'Ana Díaz', address: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' };

describe('ABA routing check digit', () => {
  it('accepts real routing numbers and refuses a changed digit', () => {
    for (const r of ['021000021', '011000015', '091000019', '121000248', '026009593']) expect(isAbaRouting(r)).toBe(true);
    expect(isAbaRouting('021000022')).toBe(false);
    expect(isAbaRouting('000000000')).toBe(false);
    expect(isAbaRouting('02100002')).toBe(false);
    expect(isAbaRouting('02100002a')).toBe(false);
  });
});

describe('maskLast4', () => {
  it('keeps only the last 4 characters', () => {
    expect(maskLast4('000123456789')).toBe('****6789');
    expect(maskLast4('ana@example.com')).toBe('****.com');
    expect(maskLast4('1234')).toBe('****');
  });
});

describe('readElection', () => {
  it('reads each method with its fields', () => {
    expect(readElection(election({ method: 'PayPal', email: 'ana@example.com' }), place).election).toEqual({ method: 'paypal', recipient: 'ana@example.com', recipientKind: 'email' });
    expect(readElection(election({ method: 'venmo', phone: '(312) 555-0100' }), place).election).toEqual({ method: 'venmo', recipient: '3125550100', recipientKind: 'phone' });
    expect(readElection(election({ method: 'venmo', venmoHandle: '@ana-diaz' }), place).election).toEqual({ method: 'venmo', recipient: 'ana-diaz', recipientKind: 'handle' });
    expect(readElection(election({ method: 'ach', routing: '021000021', account: '000123456789', accountType: 'Savings', name: 'Ana Diaz' }), place).election).toEqual({
      method: 'ach',
      routing: '021000021',
      account: '000123456789',
      accountType: 'savings',
      name: 'Ana Diaz',
    });
    expect(readElection(election({ method: 'check', ...home }), place).election).toMatchObject({ method: 'check', name: 'Ana Díaz', zip: '60601' });
    expect(normalisePhone('+1 312 555 0100')).toBe('3125550100');
  });

  it('a bad routing check digit without an address is an error at its line and field, the number masked', () => {
    const r = readElection(election({ method: 'ach', routing: '021000022', account: '000123456789', accountType: 'checking', name: 'Ana' }), place);
    expect(r.election).toBeUndefined();
    expect(r.problems).toEqual([
      expect.objectContaining({ severity: 'error', file: 'claims.csv', line: 7, field: 'routing_number', message: expect.stringContaining('****0022 fails the ABA check digit') }),
    ]);
    expect(JSON.stringify(r.problems)).not.toContain('021000022');
  });

  it('a missing account number, an unknown method, an email for Venmo: errors naming the field', () => {
    const missing = readElection(election({ method: 'ach', routing: '021000021', accountType: 'checking', name: 'Ana' }), place);
    expect(missing.problems.map((p) => [p.severity, p.field])).toEqual([['error', 'account_number']]);
    const unknown = readElection(election({ method: 'zelle' }), place);
    expect(unknown.problems[0]).toMatchObject({ severity: 'error', field: 'payment_method', message: expect.stringContaining('accepted: paypal, venmo, ach, check') });
    const venmo = readElection(election({ method: 'venmo', email: 'ana@example.com' }), place);
    expect(venmo.problems[0]).toMatchObject({ severity: 'error', field: 'phone', message: expect.stringContaining('an email is not accepted for Venmo') });
    expect(JSON.stringify(venmo.problems)).not.toContain('ana@example.com');
  });

  it('falls back to a check with a warning when the row has a mailing address', () => {
    const r = readElection(election({ method: 'prepaid_card', ...home }), place);
    expect(r.election).toMatchObject({ method: 'check', name: 'Ana Díaz' });
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 7, field: 'payment_method', message: expect.stringContaining('paid by check') })]);
    const noMethod = readElection(election({ ...home }), place);
    expect(noMethod.election?.method).toBe('check');
    expect(noMethod.problems[0]?.severity).toBe('warning');
  });

  it('a check without an address is an error', () => {
    const r = readElection(election({ method: 'check', name: 'Ana' }), place);
    expect(r.election).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ severity: 'error', field: 'address' });
  });
});
