import { describe, expect, it } from 'vitest';
import { parseCosts } from '../../src/app/redistribute.js';
import { UsageError } from '../../src/core/errors.js';

describe('parseCosts (payout redistribute --costs)', () => {
  it('--costs: an amount (spaces around it allowed), default 0; anything else is a usage error naming the option', () => {
    expect(parseCosts(undefined)).toBe(0n);
    expect(parseCosts('12329.50')).toBe(1232950n);
    expect(parseCosts(' 5.5 ')).toBe(550n);
    for (const bad of ['-1', '1.234', '$5', '1,000', '']) {
      expect(() => parseCosts(bad)).toThrow(UsageError);
      expect(() => parseCosts(bad)).toThrow(`--costs ${JSON.stringify(bad)}: give an amount with at most 2 decimals`);
    }
  });
});

