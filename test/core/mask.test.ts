import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskLast4 } from '../../src/core/mask.js';

describe('maskLast4', () => {
  it('keeps the last 4 characters only', () => {
    expect(maskLast4('ann@example.com')).toBe('****.com');
    expect(maskLast4('000123456789')).toBe('****6789');
    expect(maskLast4('  5551234567 ')).toBe('****4567');
  });
  it('masks short values whole', () => {
    expect(maskLast4('1234')).toBe('****');
    expect(maskLast4('')).toBe('****');
  });
  it('never shows more than the last 4 characters, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 9, unit: 'grapheme-ascii' }).filter((s) => s.trim().length > 8), (s) => {
        const masked = maskLast4(s);
        expect(masked.startsWith('****')).toBe(true);
        expect(masked.length).toBe(8);
        expect(s.trim().endsWith(masked.slice(4))).toBe(true);
        expect(masked.includes(s.trim().slice(0, 5))).toBe(false);
      }),
    );
  });
  it('gives the last 4 characters, not UTF-16 units, when astral characters are at the end', () => {
    expect(maskLast4('abcdefgh😀x')).toBe('****gh😀x');
    expect(maskLast4('😀😀😀😀😀')).toBe('****😀😀😀😀');
    expect(maskLast4('😀😀😀😀')).toBe('****');
  });
  it('is the last 4 code points of the trimmed value, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const chars = Array.from(s.trim());
        expect(maskLast4(s)).toBe(chars.length <= 4 ? '****' : `****${chars.slice(-4).join('')}`);
      }),
    );
  });
});
