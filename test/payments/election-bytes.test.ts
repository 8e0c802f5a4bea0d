import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { ClaimRecordWriter } from '../../src/core/payments/claim-records.js';
import {
  ElectionBytes,
  isAbaRoutingBytes,
  isDigitBytes,
  isEmailBytes,
  isVenmoHandleBytes,
  phoneDigitsInto,
  trimEndBytes,
  trimStartBytes,
} from '../../src/core/payments/election-bytes.js';
import { ELECTION_COLUMNS, readElection, type ElectionField, type ElectionInput } from '../../src/core/payments/elections.js';
import { isAbaRouting } from '../../src/core/payments/aba.js';
import { isDigits, isEmailAddress, isVenmoHandle, normalisePhone } from '../../src/core/payments/election-text.js';
import type { Problem } from '../../src/core/problems.js';
import { election } from './helpers.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);
const FIELDS = Object.keys(ELECTION_COLUMNS) as ElectionField[];

// Text with the whitespace trim() removes (ASCII and not), letters with accents, digits, punctuation.
const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const NOT_SPACES = ['\u0085', '\u200b', '\u180e', 'é', '𝒜', 'a', '-', '0'];
const piece = fc.constantFrom(...SPACES, ...NOT_SPACES);
const spaced = fc.array(piece, { maxLength: 6 }).map((a) => a.join(''));
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }), spaced);

/** Each field's bytes one after the other, and where each is: what the reader gives ElectionBytes. */
function bytesOf(input: ElectionInput): { src: Uint8Array; at: Int32Array } {
  const parts = FIELDS.map((f) => utf8(input[f]));
  const src = new Uint8Array(parts.reduce((n, p) => n + p.length, 3));
  const at = new Int32Array(2 * FIELDS.length);
  let u = 3; // not from 0: positions are offsets into the source
  parts.forEach((p, k) => {
    src.set(p, u);
    at[2 * k] = u;
    at[2 * k + 1] = u += p.length;
  });
  return { src, at };
}

/**
 * The records `add` and `addBytes` make of one claim; readElection's problems, and those made
 * from bytes (a fallback's warning).
 */
function records(
  claimId: string,
  input: ElectionInput,
): { strings?: Uint8Array; bytes?: Uint8Array; clean: boolean; problems: Problem[]; warnings?: Problem[] } {
  const place = { file: 'claims.csv', line: 2, claimId };
  const result = readElection(input, place);
  const { problems } = result;
  // Paid: no fault, or a check to the mailing address instead (warnings).
  const clean = result.election !== undefined;
  const write = (f: (w: ClaimRecordWriter) => void): Uint8Array => {
    const blocks: Uint8Array[] = [];
    const w = new ClaimRecordWriter((b) => void blocks.push(b.slice()), 1 << 12);
    f(w);
    w.flush();
    return blocks[0]!;
  };
  const strings = clean
    ? write((w) => w.add({ claimId, amount: 1234n, row: 7, election: result.election!, ...(result.mailing ? { mailing: result.mailing } : {}) } as PaidClaim))
    : undefined;
  const e = new ElectionBytes();
  const { src, at } = bytesOf(input);
  const id = utf8(claimId);
  if (!e.read(src, at)) return { ...(strings ? { strings } : {}), clean, problems };
  const warnings = e.fallback !== 0 ? [e.warning(place)] : [];
  return { ...(strings ? { strings } : {}), bytes: write((w) => w.addBytes(7, 1234n, id, 0, id.length, e)), clean, problems, warnings };
}

describe('elections read from bytes', () => {
  it('trim as trim() does, on UTF-8', () => {
    fc.assert(
      fc.property(text, (t) => {
        const b = utf8(t);
        const s = trimStartBytes(b, 0, b.length);
        const e = trimEndBytes(b, s, b.length);
        expect(decoder.decode(b.subarray(s, e))).toBe(t.trim());
        expect(decoder.decode(b.subarray(trimStartBytes(b, 0, b.length), b.length))).toBe(t.trimStart());
        expect(decoder.decode(b.subarray(0, trimEndBytes(b, 0, b.length)))).toBe(t.trimEnd());
      }),
      { numRuns: 2000 },
    );
  });

  it('check cells as the string checks do', () => {
    const ascii = fc.stringMatching(/^[ -~]{0,20}$/);
    const cell = fc.oneof(text, ascii, fc.stringMatching(/^[a-z0-9._%+-@]{1,12}\.[a-zA-Z]{1,3}$/), fc.stringMatching(/^@?[A-Za-z0-9_-]{3,32}$/), fc.stringMatching(/^[\d ().+-]{8,18}$/), fc.stringMatching(/^\d{9}$/));
    fc.assert(
      fc.property(cell, (t) => {
        const b = utf8(t);
        expect(isEmailBytes(b, 0, b.length)).toBe(isEmailAddress(t));
        expect(isVenmoHandleBytes(b, 0, b.length)).toBe(isVenmoHandle(t));
        expect(isDigitBytes(b, 0, b.length, 4, 17)).toBe(isDigits(t, 4, 17));
        expect(isAbaRoutingBytes(b, 0, b.length)).toBe(isAbaRouting(t));
        const out = new Uint8Array(10);
        const phone = normalisePhone(t);
        if (phoneDigitsInto(b, 0, b.length, out, 0)) expect(decoder.decode(out)).toBe(phone);
        else if (isAscii(t)) expect(phone).toBeUndefined(); // only whitespace that is not ASCII is left to the strings
      }),
      { numRuns: 3000 },
    );
    expect(isAbaRoutingBytes(utf8('000000000'), 0, 9)).toBe(false);
  });

  it('give the record readElection and add give, or decline: every election with a fault, none without one in ASCII', () => {
    const ws = fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000');
    const around = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(ws, a, ws).map(([x, y, z]) => x + y + z);
    const method = around(fc.constantFrom('paypal', 'PayPal', 'VENMO', 'venmo', 'ach', 'ACH', 'check', 'Check', 'checks', 'zelle', '', 'prepaid_card'));
    const email = around(fc.oneof(fc.constantFrom('', 'ana@example.com', 'a.b+c@mail.example.org', 'bad@', '@x.com', 'ana@example.c0m', 'josé@example.com'), text));
    const phone = around(fc.oneof(fc.constantFrom('', '3125550123', '(312) 555-0123', '+1 312.555.0123', '13125550123', '23125550123', '312555012', '312\u00a0555\u00a00123'), text));
    const handle = around(fc.oneof(fc.constantFrom('', '@ana-ruiz', 'ana_ruiz', '@', 'ab', '-ana', 'ana ruiz'), text));
    const routing = around(fc.constantFrom('', '021000021', '021000022', '000000000', '02100002', 'O21000021', '011000015'));
    const account = around(fc.oneof(fc.constantFrom('', '123456789', '1234-5678 90', '12 34', '123', '123456789012345678', '1234-5678-9012-3456-7', 'abc1234'), fc.stringMatching(/^[\d -]{0,20}$/)));
    const type = around(fc.constantFrom('', 'checking', 'Savings', 'SAVINGS', 'check', 'other'));
    const name = around(fc.oneof(fc.constantFrom('', 'Ana Ruiz', 'José Núñez', 'Zoë 𝒜', "O'Brien, Jr."), text));
    const address = around(fc.oneof(fc.constantFrom('', '1 Main St', 'Apt 2, 1 Main St', 'Calle Ñandú 5'), text));
    const small = around(fc.oneof(fc.constantFrom('', 'Chicago', 'IL', '60601', 'São Paulo'), text));
    const input = fc.record({ method, email, phone, venmoHandle: handle, routing, account, accountType: type, name, address, address2: small, city: small, state: small, zip: small });
    let taken = 0;
    fc.assert(
      fc.property(input, fc.constantFrom('C1', 'PX-0000001', 'Ωmega'), (i, id) => {
        const r = records(id, i);
        if (r.bytes !== undefined) {
          taken++;
          expect(r.clean).toBe(true);
          expect(r.bytes).toEqual(r.strings);
          expect(r.warnings).toEqual(r.problems);
        } else if (r.clean && r.problems.length === 0 && FIELDS.every((f) => isAscii(i[f]))) {
          throw new Error(`declined an election without a fault: ${JSON.stringify(i)}`);
        }
      }),
      { numRuns: 4000 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('take the common elections, each cell trimmed and the phone and account numbers normalised', () => {
    const cases: [Partial<ElectionInput>, string][] = [
      [{ method: 'PayPal ', email: ' ana@example.com' }, 'paypal'],
      [{ method: 'paypal', phone: '+1 (312) 555-0123' }, 'paypal'],
      [{ method: 'venmo', phone: '312.555.0123', name: 'José Núñez\u00a0', address: '1 Main St' }, 'venmo'],
      [{ method: 'venmo', venmoHandle: '@ana-ruiz' }, 'venmo'],
      [{ method: 'ach', routing: '021000021', account: '1234 5678-90', accountType: 'Checking', name: 'Ana Ruiz' }, 'ach'],
      [{ method: 'check', name: '\u3000Zoë 𝒜', address: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' }, 'check'],
    ];
    for (const [fields, method] of cases) {
      const r = records('C1', election(fields));
      expect([method, r.bytes !== undefined]).toEqual([method, true]);
      expect(r.bytes).toEqual(r.strings);
    }
    // Any other fault, or a claim with no mailing address to fall back on: left to readElection.
    for (const fields of [
      { method: 'prepaid_card' },
      { method: 'prepaid "card"', name: 'Ana', address: '1 Main St' },
      { method: 'cárd', name: 'Ana', address: '1 Main St' },
      { method: '', name: 'Ana', address: '1 Main St' },
      { method: 'ach', routing: '021000022', account: '1234', accountType: 'savings', name: 'A' },
      { method: 'ach', routing: '021000022', account: '12', accountType: 'savings', name: 'A', address: '1 Main St' },
      { method: 'ach', routing: '02100002', account: '1234', accountType: 'savings', name: 'A', address: '1 Main St' },
      { method: 'ach', routing: '021000022', account: '1234', accountType: 'other', name: 'A', address: '1 Main St' },
      { method: 'venmo', email: 'ana@example.com' },
      { method: 'venmo', name: 'Ana', address: '1 Main St' },
    ]) {
      expect(records('C1', election(fields)).bytes).toBeUndefined();
    }
  });

  it('take the three faults paid by check to the mailing address, with readElection\'s warning', () => {
    const mailing = { name: ' Ana Ruiz', address: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' };
    const cases: [Partial<ElectionInput>, string][] = [
      [{ method: ' Prepaid_Card ', ...mailing }, 'payment_method'],
      [{ method: 'ach', routing: '021000022', account: '1234 5678', accountType: 'savings', ...mailing }, 'routing_number'],
      [{ method: 'venmo', email: ' ana@example.com', venmoHandle: '@', ...mailing }, 'phone'],
    ];
    for (const [fields, field] of cases) {
      const r = records('PX-1', election(fields));
      expect(r.bytes).toBeDefined();
      expect(r.bytes).toEqual(r.strings);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings).toEqual(r.problems);
      expect(r.warnings![0]).toMatchObject({ severity: 'warning', field, line: 2, file: 'claims.csv' });
    }
    expect(records('PX-1', election(cases[1]![0])).warnings![0]!.message).toBe(
      'routing number ****0022 fails the ABA check digit (a mistyped digit?); claim PX-1 is paid by check to its mailing address',
    );
  });
});
