/** core/rounding: the registry of rounding methods, and what each method tells the engines. */
import { describe, expect, it } from 'vitest';
import { REMAINDER_ALL, REMAINDER_TIE, type RemainderCell } from '../../src/core/cents.js';
import { parsePlan } from '../../src/core/plan.js';
import { DEFAULT_ROUNDING, ROUNDING_METHOD_NAMES, ROUNDING_METHODS, roundingFromPlan, roundingMethod } from '../../src/core/rounding/index.js';

const plan = (rounding?: unknown) => ({
  name: 'x',
  gross: '100.00',
  classes: [{ id: 'a', weight: '1' }],
  seed: 's',
  ...(rounding === undefined ? {} : { rounding }),
});

const cell = (remainderN: bigint, count: number): RemainderCell =>
  ({ outcome: 'paid', remainder: { n: remainderN, d: 3n }, count, remainderCent: 'none', extraCount: 0 }) as RemainderCell;

describe('the registry', () => {
  it('lists each method once by name, largest remainder first and the default', () => {
    expect(ROUNDING_METHOD_NAMES).toEqual(['largest-remainder', 'per-point']);
    expect(new Set(ROUNDING_METHODS.map((m) => m.name)).size).toBe(ROUNDING_METHODS.length);
    expect(DEFAULT_ROUNDING).toEqual({ method: 'largest-remainder' });
    for (const name of ROUNDING_METHOD_NAMES) expect(roundingMethod({ method: name }).name).toBe(name);
    expect(() => roundingMethod({ method: 'banker' })).toThrow('unknown rounding method "banker"');
  });

  it('gives a plan its method and settings, the default when none is named', () => {
    const get = (r?: unknown) => {
      const p = parsePlan(plan(r), 'plan.json');
      if (!('plan' in p)) throw new Error(JSON.stringify(p.problems));
      return p.plan.rounding;
    };
    expect(get()).toEqual({ method: 'largest-remainder' });
    expect(get({ method: 'per-point' })).toEqual({ method: 'per-point', decimals: 2 });
    expect(get({ method: 'per-point', decimals: 4 })).toEqual({ method: 'per-point', decimals: 4 });
    expect(roundingFromPlan({ method: 'per-point', decimals: 0 })).toEqual({ method: 'per-point', decimals: 0 });
  });

  it('refuses a method it does not know, naming the ones it does, and a setting of another method', () => {
    const problems = (r: unknown) => {
      const p = parsePlan(plan(r), 'plan.json');
      return 'problems' in p ? p.problems.map((x) => x.message).join('; ') : '';
    };
    expect(problems({ method: 'banker' })).toContain('method must be "largest-remainder" or "per-point"');
    expect(problems({ method: 'largest-remainder', decimals: 2 })).not.toBe('');
    expect(problems({ method: 'per-point', decimals: 7 })).toContain('must be a whole number of decimals from 0 to 6');
  });
});

describe('the methods', () => {
  it('largest remainder: ranks by tie key, keeps remainders and places the leftover cents', () => {
    const m = roundingMethod({ method: 'largest-remainder' });
    expect(m.needsTieKeys).toBe(true);
    expect(m.pointValueDecimals({ method: 'largest-remainder' })).toBeNull();
    expect(m.remainder({ n: 7n, d: 3n }, 2n, true)).toEqual({ n: 1n, d: 3n });
    expect(m.remainder({ n: 7n, d: 3n }, 2n, false).n).toBe(0n);
    const cells = [cell(2n, 1), cell(1n, 3)];
    const mode = new Uint8Array(2);
    const placed = m.placeCents([0, 1], cells, 10n, 8n, mode);
    expect(placed.centsPlaced).toBe(2n);
    expect([...mode]).toEqual([REMAINDER_ALL, REMAINDER_TIE]);
    expect(placed.tie).toMatchObject({ size: 3, cents: 1 });
  });

  it('per point: no tie keys, a point value step, no leftover cents placed', () => {
    const r = { method: 'per-point', decimals: 3 };
    const m = roundingMethod(r);
    expect(m.needsTieKeys).toBe(false);
    expect(m.pointValueDecimals(r)).toBe(3);
    expect(m.remainder({ n: 7n, d: 3n }, 2n, true).n).toBe(0n);
    const mode = new Uint8Array(2);
    expect(m.placeCents([0, 1], [cell(2n, 1), cell(1n, 3)], 10n, 8n, mode)).toEqual({ centsPlaced: 0n, tie: null });
    expect([...mode]).toEqual([0, 0]);
    expect(m.summaryLine(r, { centsPlaced: 0, seed: 's' })).toBe('per-point value floored to 3 decimals; the rest is residual');
  });

  const place = { largerRemainders: 286, equalRemainders: 1, level: 'all', tie: null };
  const step = { outcome: 'paid', points: '1', floorCents: '1342050', pointValueCents: '1342050', remainderCents: { fraction: '2633/4254', decimal: '0.618947' }, leftoverCents: '1775', place };

  it("words each method's cents step for explain, in either round", () => {
    const lr = roundingMethod({ method: 'largest-remainder' });
    expect(lr.explainCents({ round: 1, ...step })).toEqual({
      title: 'Cents (largest remainder)',
      lines: [
        '  floor: 1,342,050 cents',
        '  remainder: 2,633/4,254 cent (0.618947)',
        "  the pool's 1,775 cents left after the floors go one each to the largest remainders",
        '  286 claims have a larger remainder',
        '  the one claim with this remainder gets a cent',
      ],
    });
    expect(lr.explainCents({ round: 2, ...step, outcome: 'capped' }).lines).toEqual(['  floor: 1,342,050 cents', '  capped: no remainder, so no leftover cent']);
    // One leftover cent goes; none is said as none.
    expect(lr.explainCents({ round: 1, ...step, leftoverCents: '1' }).lines[2]).toBe("  the pool's 1 cent left after the floors goes one each to the largest remainders");
    expect(lr.explainCents({ round: 2, ...step, leftoverCents: '0' }).lines[2]).toBe("  the round's floors leave no cent over");
    const pp = roundingMethod({ method: 'per-point', decimals: 2 });
    expect(pp.explainCents({ round: 1, ...step, points: '6', pointValueCents: '2784', floorCents: '16704' })).toEqual({
      title: 'Cents (per-point)',
      lines: ['  one point is paid 2,784 cents (λ floored); 6 × that, floored: 16,704 cents'],
    });
    expect(pp.explainCents({ round: 2, ...step, floorCents: '3735' }).lines).toEqual(['  the exact share floored to the cent: 3,735 cents (what is left is residual)']);
  });

  it("words each method's paragraph of the report", () => {
    const facts = { centsPlaced: 1, seed: 'seed "s"', pointValues: 'a: $27.84' };
    expect(roundingMethod({ method: 'largest-remainder' }).reportParagraph({ method: 'largest-remainder' }, facts)).toContain('the 1 leftover cent goes one each');
    expect(roundingMethod({ method: 'largest-remainder' }).reportParagraph({ method: 'largest-remainder' }, { ...facts, centsPlaced: 0 })).toContain('no cent was left over here');
    const r = { method: 'per-point', decimals: 1 };
    expect(roundingMethod(r).reportParagraph(r, facts)).toMatch(/^Cents per point: in each pool the value of one point is floored to 1 decimal place \(a: \$27\.84\);/);
  });
});

