/**
 * Properties of the second distribution after a bucket plan (docs/spec.md §6a) over random first
 * rounds: points are the first-round amounts, one pool, no cap, the minimum on the second amount.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { availableFor, matchUncashed, type FirstRoundTable } from '../../src/core/first-round.js';
import type { Cents } from '../../src/core/money.js';
import { redistribute, roundTwoSeed, ROUND_2_POINTS_AMOUNT, type Redistribution } from '../../src/core/redistribute.js';
import { amountOf } from '../../src/core/cell-cents.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makeFirstRound, type FirstRow } from '../redistribute/first-round.js';
import { reference } from '../redistribute/reference.js';

const rowsArb = fc
  .array(
    fc.record({
      outcome: fc.constantFrom<FirstRow['outcome']>('paid', 'paid', 'paid', 'below_minimum', 'nothing_claimed', 'ineligible'),
      // Bucket totals: documented losses, hours × rate, reduced flat payments a cent apart.
      amount: fc.oneof(fc.constantFrom(10_333n, 10_334n, 41_333n, 2_031_000n, 15_500n, 149_289n), fc.bigInt({ min: 1n, max: 2_000_000n })),
      uncashed: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rs) => rs.map((r, i) => ({ row: { id: `EQ${i}`, class: 'all', outcome: r.outcome, amount: r.outcome === 'paid' ? r.amount : 0n } as FirstRow, uncashed: r.uncashed && r.outcome === 'paid' })));

const caseArb = fc.record({
  rows: rowsArb,
  residual: fc.bigInt({ min: 0n, max: 5_000_000n }),
  costs: fc.bigInt({ min: 0n, max: 100_000n }),
  minimum: fc.option(fc.constantFrom(500n, 1_000n, 2_500n), { nil: null }),
  seed: fc.constantFrom('equifax-1-1000', 's'),
});

function bucketTable(rows: readonly FirstRow[]): FirstRoundTable {
  return { ...makeFirstRound(rows), pointsBasis: 'amount' };
}

function run(rows: readonly FirstRow[], uncashedIds: string[], residual: Cents, costs: Cents, minimum: Cents | null, seed: string) {
  const plan = { maximumPayment: null, minimumPayment: minimum, rounding: { method: 'largest-remainder' as const }, seed };
  const first = bucketTable(rows);
  const matched = matchUncashed(first, uncashedIds.map((claimId, i) => ({ line: i + 2, claimId })), { uncashed: 'u.csv', ledger: 'l.csv' });
  if ('problems' in matched) throw new Error(matched.problems[0]!.message);
  const available = availableFor(first, matched.uncashed, residual, costs < residual ? costs : 0n);
  if ('message' in available) throw new Error(available.message);
  return { r: redistribute(plan, first, matched.uncashed, available, tieKeyer(roundTwoSeed(plan))), available, plan };
}

const amounts = (r: Redistribution, n: number): Cents[] => Array.from({ length: n }, (_, row) => amountOf(r, row));

describe('the second round after a bucket plan (docs/spec.md §6a)', () => {
  it('pays the whole of what is available but the minimum leaves: Σ amounts + residual = available; points named "first-round amount"', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, residual, costs, minimum, seed }) => {
        const { r, available } = run(rows.map((x) => x.row), rows.filter((x) => x.uncashed).map((x) => x.row.id), residual, costs, minimum, seed);
        const sum = amounts(r, rows.length).reduce((a, b) => a + b, 0n);
        expect(sum + r.residual).toBe(available.available);
        expect(r.residual >= 0n).toBe(true);
        expect(r.points).toBe(ROUND_2_POINTS_AMOUNT);
        // Without a minimum nothing is left over once a claim cashed.
        if (minimum === null && r.fill.eligibleClaims > 0) expect(r.residual).toBe(0n);
      }),
      { numRuns: 300 },
    );
  });

  it('pays every cashed claim its pro-rata part of its first amount, within a cent (no minimum)', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, residual, costs, seed }) => {
        const { r, available } = run(rows.map((x) => x.row), rows.filter((x) => x.uncashed).map((x) => x.row.id), residual, costs, null, seed);
        const got = amounts(r, rows.length);
        const cashed = rows.map((x, i) => ({ x, i })).filter(({ x }) => x.row.outcome === 'paid' && !x.uncashed && x.row.amount > 0n);
        const total = cashed.reduce((a, { x }) => a + x.row.amount, 0n);
        for (const { x, i } of rows.map((x, i) => ({ x, i }))) {
          if (!cashed.some((c) => c.i === i)) {
            expect(got[i]).toBe(0n);
            continue;
          }
          // |amount × Σa − available × a| < Σa: within one cent of the exact pro-rata part.
          const diff = got[i]! * total - available.available * x.row.amount;
          expect(diff < total && -diff < total).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives every claim the same amount and outcome whatever the order of the first ledger\'s rows', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 1_000_000 }), ({ rows, residual, costs, minimum, seed }, shuffleSeed) => {
        const uncashed = rows.filter((x) => x.uncashed).map((x) => x.row.id);
        const shuffled = [...rows];
        let s = shuffleSeed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = run(rows.map((x) => x.row), uncashed, residual, costs, minimum, seed).r;
        const b = run(shuffled.map((x) => x.row), [...uncashed].reverse(), residual, costs, minimum, seed).r;
        const byId = (r: Redistribution, rs: typeof rows): Map<string, string> =>
          new Map(rs.map((x, row) => [x.row.id, `${r.cells[r.cellOf[row]!]!.outcome},${amountOf(r, row)}`]));
        expect(byId(b, shuffled)).toEqual(byId(a, rows));
        expect(b.residual).toBe(a.residual);
      }),
      { numRuns: 200 },
    );
  });

  it('matches the per-row reference (points = the first amount): outcomes, amounts, residual', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, residual, costs, minimum, seed }) => {
        const firstRows = rows.map((x) => x.row);
        const uncashed = rows.filter((x) => x.uncashed).map((x) => x.row.id);
        const { r, available, plan } = run(firstRows, uncashed, residual, costs, minimum, seed);
        const ref = reference(plan, firstRows, new Set(uncashed), available.available);
        expect(rows.map((_, row) => r.cells[r.cellOf[row]!]!.outcome)).toEqual(ref.outcome);
        expect(amounts(r, rows.length)).toEqual(ref.amount);
        expect(r.residual).toBe(ref.residual);
      }),
      { numRuns: 300 },
    );
  });
});
