/**
 * Properties of the second distribution (docs/spec.md §6) over random first rounds, and a
 * cross-check against a reference written plainly per row: per-row rationals, points = the
 * first-round exact share (the ledger's share column), the textbook iterative water-fill with each
 * claim's own room (cap − first AMOUNT), the literal while-loop of the minimum rule, a full sort
 * for the remainder cents.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cents } from '../../src/core/money.js';
import { availableFor, matchUncashed, type Available } from '../../src/core/first-round.js';
import {
  redistribute,
  roundTwoSeed,
  type Redistribution,
} from '../../src/core/redistribute.js';
import { amountOf } from '../../src/core/cell-cents.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makeFirstRound, shareOf, type FirstRow } from './first-round.js';
import { reference, type RoundPlan } from './reference.js';


// ---------------------------------------------------------------- generators

const centsArb = fc.oneof(
  fc.constantFrom(0n, 100n, 500n, 39_700n, 39_701n, 16_704n, 2_784n),
  fc.bigInt({ min: 1n, max: 60_000n }),
);

/** Exact first-round shares in millionths of a unit: TikTok-like entitlements, and any. */
const entitlementArb = fc.oneof(
  fc.constantFrom(40_532_500n, 243_195_000n, 397_000_000n, 1_000_000n, 5_004_999n, 5_000n),
  fc.bigInt({ min: 1n, max: 600_000_000n }),
);

/** A first-round (amount, share) as a largest-remainder first round pays it. */
const valueArb = fc.oneof(
  // from the entitlement: the amount is its floor, or the floor and the remainder cent, so claims
  // of equal share are paid amounts a cent apart
  fc.record({ share: entitlementArb, up: fc.boolean() }).map(({ share, up }) => ({
    share,
    amount: share / 10_000n + (up && share % 10_000n !== 0n ? 1n : 0n),
  })),
  // whole-cent shares (the Facebook shape)
  centsArb.map((amount) => ({ amount, share: amount * 10_000n })),
  // a share that rounds to 0.000000 with a cent won by the remainder rule
  fc.constant({ amount: 1n, share: 0n }),
);

const rowsArb = fc
  .array(
    fc.record({
      class: fc.constantFrom('a', 'b', 'c'),
      outcome: fc.constantFrom<FirstRow['outcome']>('paid', 'paid', 'paid', 'capped', 'below_minimum', 'ineligible'),
      value: valueArb,
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rs) =>
    rs.map((r, i): FirstRow => {
      const paid = r.outcome === 'paid' || r.outcome === 'capped';
      return { id: `C${i}`, class: r.class, outcome: r.outcome, amount: paid ? r.value.amount : 0n, share: paid ? r.value.share : 0n };
    }),
  );

const planArb = fc
  .record({
    cap: fc.option(fc.bigInt({ min: 1n, max: 80_000n }), { nil: null }),
    min: fc.option(fc.constantFrom(1n, 100n, 500n, 1_000n), { nil: null }),
    perPoint: fc.boolean(),
    seed: fc.string({ minLength: 1, maxLength: 8 }),
  })
  .map(
    ({ cap, min, perPoint, seed }): RoundPlan => ({
      maximumPayment: cap,
      minimumPayment: min !== null && cap !== null && min > cap ? cap : min,
      rounding: perPoint ? { method: 'per-point', decimals: 2 } : { method: 'largest-remainder' },
      seed,
    }),
  );

const caseArb = rowsArb.chain((rows) => {
  const paidIds = rows.filter((r) => r.outcome === 'paid' || r.outcome === 'capped').map((r) => r.id);
  return fc.record({
    rows: fc.constant(rows),
    uncashed: fc.subarray(paidIds),
    residual: fc.bigInt({ min: 0n, max: 200_000n }),
    costShare: fc.integer({ min: 0, max: 100 }),
    plan: planArb,
    order: fc.array(fc.nat(), { minLength: rows.length, maxLength: rows.length }),
  });
});

function run(plan: RoundPlan, rows: readonly FirstRow[], uncashed: readonly string[], residual: Cents, costShare: number) {
  const first = makeFirstRound(rows);
  const matched = matchUncashed(
    first,
    uncashed.map((claimId, i) => ({ line: i + 2, claimId })),
    { uncashed: 'uncashed.csv', ledger: 'ledger.csv' },
  );
  if ('problems' in matched) throw new Error(matched.problems.map((p) => p.message).join('\n'));
  const before = availableFor(first, matched.uncashed, residual, 0n) as Available;
  const costs = (before.available * BigInt(costShare)) / 100n;
  const available = availableFor(first, matched.uncashed, residual, costs) as Available;
  const r = redistribute(plan, first, matched.uncashed, available, tieKeyer(roundTwoSeed(plan)));
  return { first, r, available };
}

const amounts = (r: Redistribution, count: number): Cents[] => Array.from({ length: count }, (_, row) => amountOf(r, row));

// ---------------------------------------------------------------- properties

describe('redistribute: properties over random first rounds', () => {
  it('Σ second-round amounts + residual = available, exactly', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r, available } = run(plan, rows, uncashed, residual, costShare);
        const paid = amounts(r, rows.length).reduce((a, b) => a + b, 0n);
        expect(paid).toBe(r.totalPaid);
        expect(paid + r.residual).toBe(available.available);
        expect(r.residual >= 0n).toBe(true);
        if (plan.rounding.method === 'largest-remainder' && plan.maximumPayment === null && r.level !== null) {
          expect(r.residual).toBe(0n); // with someone to pay and no cap, largest remainder pays it all
        }
      }),
      { numRuns: 300 },
    );
  });

  it('no claim goes above the cap over both rounds; a paid claim meets the minimum', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r } = run(plan, rows, uncashed, residual, costShare);
        amounts(r, rows.length).forEach((second, row) => {
          if (second === 0n) return;
          if (plan.maximumPayment !== null) expect(rows[row]!.amount + second <= plan.maximumPayment).toBe(true);
          if (plan.minimumPayment !== null) expect(second >= plan.minimumPayment).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('uncashed and ineligible claims get 0, with their outcome', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r } = run(plan, rows, uncashed, residual, costShare);
        const out = new Set(uncashed);
        amounts(r, rows.length).forEach((second, row) => {
          const x = rows[row]!;
          const outcome = r.cells[r.cellOf[row]!]!.outcome;
          if (out.has(x.id)) {
            expect([outcome, second]).toEqual(['uncashed', 0n]);
          } else if (!(x.outcome === 'paid' || x.outcome === 'capped') || x.amount === 0n) {
            expect([outcome, second]).toEqual(['ineligible', 0n]);
          } else if (outcome === 'below_minimum') {
            expect(second).toBe(0n);
          }
        });
        expect(r.available.uncashedAmount).toBe(rows.filter((x) => out.has(x.id)).reduce((a, x) => a + x.amount, 0n));
      }),
      { numRuns: 300 },
    );
  });

  it('shuffled ledger rows and uncashed rows give the same amounts', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan, order }) => {
        const base = run(plan, rows, uncashed, residual, costShare);
        const byId = new Map(amounts(base.r, rows.length).map((a, row) => [rows[row]!.id, a]));
        const perm = rows.map((_, i) => i).sort((a, b) => order[a]! - order[b]! || b - a);
        const shuffled = perm.map((i) => rows[i]!);
        const shuffledUncashed = [...uncashed].reverse();
        const again = run(plan, shuffled, shuffledUncashed, residual, costShare);
        amounts(again.r, shuffled.length).forEach((a, row) => expect(a).toBe(byId.get(shuffled[row]!.id)));
        expect(again.r.residual).toBe(base.r.residual);
        expect(again.r.centsPlaced).toBe(base.r.centsPlaced);
      }),
      { numRuns: 200 },
    );
  });

  it('equal first-round shares get second amounts at most one cent apart, whatever their first amounts', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r } = run(plan, rows, uncashed, residual, costShare);
        const seen = new Map<bigint, Cents[]>();
        amounts(r, rows.length).forEach((a, row) => {
          if (r.cells[r.cellOf[row]!]!.outcome !== 'paid') return;
          const list = seen.get(shareOf(rows[row]!)) ?? [];
          list.push(a);
          seen.set(shareOf(rows[row]!), list);
        });
        for (const list of seen.values()) {
          const spread = list.reduce((m, a) => (a > m ? a : m), 0n) - list.reduce((m, a) => (a < m ? a : m), list[0]!);
          expect(spread <= (plan.rounding.method === 'per-point' ? 0n : 1n)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the minimum rule keeps or removes claims of equal first-round share together', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r } = run(plan, rows, uncashed, residual, costShare);
        // Among the cashed claims of one share (those with room: `capped` at 0 is about the cap),
        // either all are below_minimum or none is.
        const outcomes = new Map<bigint, Set<boolean>>();
        rows.forEach((x, row) => {
          const cell = r.cells[r.cellOf[row]!]!;
          if (cell.status !== 'eligible' || (cell.outcome === 'capped' && cell.floor === 0n)) return;
          const set = outcomes.get(shareOf(x)) ?? new Set<boolean>();
          set.add(cell.outcome === 'below_minimum');
          outcomes.set(shareOf(x), set);
        });
        for (const set of outcomes.values()) expect(set.size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('matches the per-row reference: outcomes, amounts, residual', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, uncashed, residual, costShare, plan }) => {
        const { r, available } = run(plan, rows, uncashed, residual, costShare);
        const ref = reference(plan, rows, new Set(uncashed), available.available);
        expect(rows.map((_, row) => r.cells[r.cellOf[row]!]!.outcome)).toEqual(ref.outcome);
        expect(amounts(r, rows.length)).toEqual(ref.amount);
        expect(r.residual).toBe(ref.residual);
      }),
      { numRuns: 500 },
    );
  });
});
