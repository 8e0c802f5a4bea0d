/**
 * One bad election per message of docs/errors.md ("payout pay: elections"): the field it names,
 * the message, an error without a mailing address and a warning (paid by check) with one.
 */
import { describe, expect, it } from 'vitest';
import { readElection } from '../../src/core/payments/elections.js';
import type { ElectionInput } from '../../src/core/payments/elections.js';
import { election } from './helpers.js';

const place = { file: 'claims.csv', line: 9, claimId: 'C-9' };
const home = { name: 'Ana Díaz', address: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' };
const ach = { method: 'ach', routing: '021000021', account: '000123456789', accountType: 'checking', name: 'Ana Diaz' };

const CASES: [string, Partial<ElectionInput>, string, string][] = [
  ['no method', { method: '' }, 'payment_method', 'no payment method (accepted: paypal, venmo, ach, check)'],
  ['unknown method', { method: 'zelle' }, 'payment_method', 'unknown payment method "zelle" (accepted: paypal, venmo, ach, check)'],
  ['PayPal, a bad email', { method: 'paypal', email: 'ana@example' }, 'email', 'PayPal needs a valid email address (****mple is not one)'],
  ['PayPal, a bad phone', { method: 'paypal', phone: '555-0100' }, 'phone', 'PayPal needs a 10-digit US phone number (****0100 is not one)'],
  ['PayPal, neither', { method: 'paypal' }, 'email', 'PayPal needs an email or a phone number'],
  ['Venmo, a bad phone', { method: 'venmo', phone: '12' }, 'phone', 'Venmo needs a 10-digit US phone number (**** is not one)'],
  ['Venmo, a bad handle', { method: 'venmo', venmoHandle: 'a b' }, 'venmo_handle', 'not a Venmo handle (****): 5 to 30 letters, digits, - or _'],
  ['Venmo, an email only', { method: 'venmo', email: 'ana@example.com' }, 'phone', 'Venmo needs a phone number or a venmo_handle; an email is not accepted for Venmo'],
  ['Venmo, nothing', { method: 'venmo' }, 'phone', 'Venmo needs a phone number or a venmo_handle'],
  ['ACH, no routing', { ...ach, routing: '' }, 'routing_number', 'ACH needs a routing number'],
  ['ACH, 8 digits', { ...ach, routing: '02100002' }, 'routing_number', 'a routing number has 9 digits (****0002 does not)'],
  ['ACH, check digit', { ...ach, routing: '021000022' }, 'routing_number', 'routing number ****0022 fails the ABA check digit (a mistyped digit?)'],
  ['ACH, no account', { ...ach, account: '' }, 'account_number', 'ACH needs an account number'],
  ['ACH, a bad account', { ...ach, account: '12a4567' }, 'account_number', 'an account number has 4 to 17 digits (****4567 does not)'],
  ['ACH, no type', { ...ach, accountType: '' }, 'account_type', 'ACH needs an account_type: checking or savings'],
  ['ACH, a bad type', { ...ach, accountType: 'money market' }, 'account_type', 'account_type must be checking or savings, not "money market"'],
  ['ACH, no name', { ...ach, name: '' }, 'name', "ACH needs the account holder's name"],
];

describe('election errors', () => {
  it.each(CASES)('%s: an error without an address, a warning (paid by check) with one', (_what, fields, field, message) => {
    const alone = readElection(election(fields), place);
    expect(alone.election).toBeUndefined();
    expect(alone.problems).toEqual([
      { code: 'input', severity: 'error', file: 'claims.csv', line: 9, field, message: `${message}; claim C-9 has no mailing address to fall back on` },
    ]);
    if (field === 'name') return; // the name is part of the mailing address
    const housed = readElection(election({ ...home, ...fields }), place);
    expect(housed.election).toMatchObject({ method: 'check', address: '1 Main St' });
    expect(housed.problems).toEqual([
      { code: 'input', severity: 'warning', file: 'claims.csv', line: 9, field, message: `${message}; claim C-9 is paid by check to its mailing address` },
    ]);
  });

  it('a check without a name or an address: an error naming the one missing', () => {
    expect(readElection(election({ method: 'check', name: 'Ana' }), place).problems.map((p) => [p.field, p.message])).toEqual([
      ['address', 'a check needs a name and a mailing address; claim C-9 has no mailing address to fall back on'],
    ]);
    expect(readElection(election({ method: 'check', address: '1 Main St' }), place).problems.map((p) => p.field)).toEqual(['name']);
  });
});
