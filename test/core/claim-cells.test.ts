import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classKey, normaliseStatus, parseUnitsCell, unknownClassMessage, UNITS_MAX_DECIMALS } from '../../src/core/claim-cells.js';

describe('parseUnitsCell (docs/spec.md §2)', () => {
  it('gives the value in shortest form', () => {
    expect(parseUnitsCell('2.50')).toEqual({ n: 25n, scale: 1 });
    expect(parseUnitsCell('1')).toEqual({ n: 1n, scale: 0 });
    expect(parseUnitsCell('0.000001')).toEqual({ n: 1n, scale: 6 });
    // Trailing zeros do not count as places.
    expect(parseUnitsCell('1.5000000000')).toEqual({ n: 15n, scale: 1 });
  });

  it('says what is wrong with a cell that is no positive decimal of at most 6 places', () => {
    expect(parseUnitsCell('')).toBe('units is empty (write 1 for one unit, or leave out the units column to give every claim 1)');
    expect(parseUnitsCell('2,5')).toBe('units "2,5" uses a comma: write the decimal point as "." (e.g. 2.5)');
    expect(parseUnitsCell('two')).toBe('units "two" is not a positive decimal such as 1 or 2.5');
    expect(parseUnitsCell('1e3')).toBe('units "1e3" is not a positive decimal such as 1 or 2.5');
    expect(parseUnitsCell('0')).toBe('units must be greater than 0, found "0"');
    expect(parseUnitsCell('-1')).toBe('units must be greater than 0, found "-1"');
    expect(parseUnitsCell('0.0000001')).toBe(`units "0.0000001" has more than ${UNITS_MAX_DECIMALS} decimal places`);
  });

  it('accepts every positive integer count of millionths, and gives it back exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (micro) => {
        const text = `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
        const d = parseUnitsCell(text);
        if (typeof d === 'string') return false;
        return d.n * 10n ** BigInt(6 - d.scale) === micro && (d.scale === 0 || d.n % 10n !== 0n);
      }),
    );
  });
});

describe('status and class cells', () => {
  it('trims and lower-cases a status; empty means approved', () => {
    expect(normaliseStatus('  Approved ')).toBe('approved');
    expect(normaliseStatus('REJECTED')).toBe('rejected');
    expect(normaliseStatus('   ')).toBe('approved');
    expect(normaliseStatus('')).toBe('approved');
  });

  it('compares class ids trimmed and lower-cased, and names the expected ones when a cell names none', () => {
    expect(classKey(' Illinois ')).toBe('illinois');
    expect(unknownClassMessage(' ilinois ', 'nationwide, illinois')).toBe('unknown class "ilinois" (expected: nationwide, illinois)');
    expect(unknownClassMessage('  ', 'nationwide, illinois')).toBe('class is empty (expected: nationwide, illinois)');
  });
});
