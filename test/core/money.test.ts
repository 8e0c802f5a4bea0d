import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { parseMoney } from '../../src/core/money.js';
import { parsePlan } from '../../src/core/plan.js';
import { schemaProblems } from '../../src/core/problems.js';

const PLAN = { name: 't', seed: 's', classes: [{ id: 'a', weight: '1' }] };
/** Strings near an amount: digits, points, signs, separators, spaces. */
const amountish = fc.string({ unit: fc.constantFrom('0', '1', '7', '9', '.', '.', ',', '-', '+', '$', ' ', 'e'), maxLength: 9 });

describe('money text: one reading (parseMoney) everywhere', () => {
  it('reads amounts with at most 2 decimals into cents', () => {
    expect(parseMoney('1200000.00')).toBe(120000000n);
    expect(parseMoney('5.5')).toBe(550n);
    expect(parseMoney('7')).toBe(700n);
    for (const bad of ['', '1.234', '-1', '+1', '$1', '1,000.00', '1e3', '.5', '5.', ' 5']) expect(parseMoney(bad)).toBeUndefined();
  });

  it('a plan amount is accepted exactly when parseMoney reads it (property)', () => {
    fc.assert(
      fc.property(amountish, (text) => {
        const r = parsePlan({ ...PLAN, gross: text }, 'plan.json');
        const refused = 'problems' in r && r.problems.some((p) => p.field === 'gross');
        expect(refused).toBe(parseMoney(text) === undefined);
        if (!('problems' in r)) expect(r.plan.gross).toBe(parseMoney(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('schemaProblems', () => {
  it('gives one input error per issue, at the dotted path of the key', () => {
    const schema = z.object({ net: z.string(), pools: z.array(z.object({ amount: z.string() })) });
    const r = schema.safeParse({ net: 5, pools: [{ amount: 'x' }, { amount: 1 }] });
    expect(r.success).toBe(false);
    if (r.success) return;
    const problems = schemaProblems(r.error.issues, 'out/summary.json');
    expect(problems.map((p) => [p.code, p.severity, p.file, p.field])).toEqual([
      ['input', 'error', 'out/summary.json', 'net'],
      ['input', 'error', 'out/summary.json', 'pools.1.amount'],
    ]);
    expect(schemaProblems([{ path: [], message: 'expected an object' }], 'm.json')).toEqual([
      { code: 'input', severity: 'error', file: 'm.json', message: 'expected an object' },
    ]);
  });
});
