/**
 * The election checks by character code (src/core/payments/election-text.ts) against the regular
 * expressions they replace: the same verdict, and the same text made, on generated and edge inputs
 * (unicode, spaces of every kind, + signs, dots, @).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAbaRouting } from '../../src/core/payments/aba.js';
import { isDigits, isEmailAddress, isSpace, isVenmoHandle, normalisePhone, withoutSpacesAndHyphens } from '../../src/core/payments/election-text.js';

// The regular expressions the checks replace, as they were written.
const EMAIL = /^[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9_-]{4,29}$/;
function phoneByRegex(text: string): string | undefined {
  const digits = text.replace(/[\s().+-]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return undefined;
}
function abaByRegex(text: string): boolean {
  if (!/^\d{9}$/.test(text) || text === '000000000') return false;
  const d = (i: number): number => text.charCodeAt(i) - 48;
  return (3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8))) % 10 === 0;
}

/** Every space JavaScript's \s knows, near misses (U+0085, U+180E, U+200B), and look-alikes of the ASCII signs. */
const ODD = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b', '\uff0b', '\uff0e', '\u2212', '\uff20', '\u0660', '\uff11', 'é', 'ß', '😀'];
const ASCII_SIGNS = ['@', '.', '+', '-', '_', '%', '(', ')', '#', '/', ',', '"', "'"];
const piece = fc.oneof(
  fc.constantFrom(...ODD, ...ASCII_SIGNS),
  fc.stringMatching(/^[0-9]{1,4}$/),
  fc.stringMatching(/^[A-Za-z]{1,4}$/),
  fc.string({ maxLength: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 2 }),
);
/** Text of pieces: mostly close to the valid shapes, with odd characters anywhere. */
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
const emailish = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._%+-]{0,6}$/), fc.constantFrom('@', '@@', ''), fc.stringMatching(/^[A-Za-z0-9.-]{0,6}$/), fc.constantFrom('.', '', '..'), fc.stringMatching(/^[A-Za-z]{0,4}$/), text)
  .map(([a, at, d, dot, tld, odd]) => [a + at + d + dot + tld, odd + a + at + d + dot + tld, a + at + d + dot + tld + odd, a + odd + at + d + dot + tld]);
const phoneish = fc
  .tuple(fc.constantFrom('', '+1 ', '1', '+', '(', '1-'), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom(') ', '.', '-', ' ', '\u00a0', '\u3000', '', 'x'), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom('-', '.', ' ', '', '\t'), fc.stringMatching(/^[0-9]{0,5}$/))
  .map((p) => p.join(''));
const handleish = fc.stringMatching(/^[A-Za-z0-9_-]{0,32}$/);
const digitsish = fc.oneof(fc.stringMatching(/^[0-9]{0,19}$/), text, fc.stringMatching(/^[0-9 -]{0,19}$/));

describe('election checks by character code', () => {
  it('know the spaces \\s knows, and no other character', () => {
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(`U+${c.toString(16)}`);
    expect(differ).toEqual([]);
  });

  it('take the email addresses the regular expression takes', () => {
    for (const t of ['ana@example.com', 'a@b.co', 'a@b.c', 'a@.co', '@b.co', '.a@b.co', 'a@b..co', 'a@b.co.', 'a@b-c.d-e.fg', 'a+b%c_d.e-f@x.yz', 'a@@b.co', 'a@b@c.co', 'ä@b.co', 'a@b.cö', 'a@b.c1', ' a@b.co', 'a@b.co ', 'a@b.co\n', 'A@B.CO', 'a@bc', 'a@-.co']) {
      expect(isEmailAddress(t), t).toBe(EMAIL.test(t));
    }
    fc.assert(fc.property(emailish, (ts) => ts.every((t) => isEmailAddress(t) === EMAIL.test(t))), { numRuns: 2000 });
    fc.assert(fc.property(text, (t) => isEmailAddress(t) === EMAIL.test(t)), { numRuns: 1000 });
  });

  it('take the Venmo handles the regular expression takes', () => {
    for (const t of ['ana-d', 'ana-', '_anad', 'a'.repeat(30), 'a'.repeat(31), 'ana.diaz', 'ana diaz', 'anadïaz', 'Ana_Diaz-5']) expect(isVenmoHandle(t), t).toBe(HANDLE.test(t));
    fc.assert(fc.property(fc.oneof(handleish, text), (t) => isVenmoHandle(t) === HANDLE.test(t)), { numRuns: 2000 });
  });

  it('make the phone number the regular expressions made, or refuse it as they did', () => {
    for (const t of ['(312) 555-0100', '+1 312 555 0100', '13125550100', '23125550100', '312.555.0100', '312\u00a0555\u00a00100', '312\u200b5550100', '３125550100', '0000000000', '10000000000', '1000000000', '', '+', '312-555-010x', '0123456789', '1 (012) 345-6789', '999999999999']) {
      expect(normalisePhone(t), t).toBe(phoneByRegex(t));
    }
    fc.assert(fc.property(fc.oneof(phoneish, text), (t) => normalisePhone(t) === phoneByRegex(t)), { numRuns: 3000 });
  });

  it('read digits, routing numbers and account numbers as the regular expressions did', () => {
    fc.assert(
      fc.property(digitsish, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 18 }), (t, min, extra) => {
        const max = min + extra;
        expect(isDigits(t, min, max)).toBe(new RegExp(`^\\d{${min},${max}}$`).test(t));
        expect(isAbaRouting(t)).toBe(abaByRegex(t));
        expect(withoutSpacesAndHyphens(t)).toBe(t.replace(/[\s-]/g, ''));
      }),
      { numRuns: 3000 },
    );
    for (const t of ['021000021', '021000022', '000000000', '٠٢١٠٠٠٠٢١', '02100002１']) expect(isAbaRouting(t), t).toBe(abaByRegex(t));
    for (const t of ['1234 5678', '1234-5678', '1234\u00a05678', '1234\u20125678', '\u3000']) expect(withoutSpacesAndHyphens(t)).toBe(t.replace(/[\s-]/g, ''));
  });
});
