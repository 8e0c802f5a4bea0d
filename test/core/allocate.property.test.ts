/**
 * Properties of the allocation over random plans and claims (docs/spec.md §3 and §4), and a
 * cross-check against a reference written plainly per row: per-row rationals, the textbook
 * iterative water-fill, the literal while-loop of the minimum rule, a full sort for remainders.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, amountOf, type Allocation, type Outcome } from '../../src/core/allocate.js';
import {
  floorDiv,
  parseDec,
  pow10,
  rat,
  ratAdd,
  ratCmp,
  ratDiv,
  ratEq,
  ratFloor,
  ratMul,
  ratSub,
  type Rational,
} from '../../src/core/decimal.js';
import { computeNetFund, type NetFund } from '../../src/core/fund.js';
import type { Plan, PlanInput } from '../../src/core/plan.js';
import type { ClaimTable } from '../../src/core/claims.js';
import { formatMoney } from '../../src/core/money.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable, permuteTable, type SimpleRow } from '../helpers/make-table.js';

// ---------------------------------------------------------------- reference implementation

interface Ref {
  amount: bigint[];
  outcome: Outcome[];
  share: Rational[];
  residual: bigint;
}

function referenceAllocate(plan: Plan, rows: readonly SimpleRow[], key: (id: string) => string): Ref {
  const net = (computeNetFund(plan) as NetFund).net;
  const classOf = rows.map((r) => plan.classes.findIndex((c) => c.id === r.class));
  const unitsOf = rows.map((r) => {
    const d = parseDec(r.units ?? '1')!;
    return rat(d.n, pow10(d.scale));
  });
  const eligible = rows.map((r) => plan.eligibleStatuses.includes((r.status ?? 'approved').toLowerCase()));
  const points = rows.map((_, i) => (plan.mode === 'weights' ? ratMul(plan.classes[classOf[i]!]!.weight!, unitsOf[i]!) : unitsOf[i]!));

  // pools and their cents
  let poolNet: bigint[];
  if (plan.mode === 'weights') poolNet = [net];
  else {
    const exact = plan.classes.map((c) => ratMul(rat(net, 100n), c.poolPercent!));
    const floors = exact.map(ratFloor);
    let k = net - floors.reduce((a, b) => a + b, 0n);
    const order = plan.classes
      .map((_, i) => i)
      .sort((a, b) => {
        const ra = ratSub(exact[a]!, rat(floors[a]!));
        const rb = ratSub(exact[b]!, rat(floors[b]!));
        return ratCmp(rb, ra) || (key(plan.classes[a]!.id) < key(plan.classes[b]!.id) ? -1 : 1);
      });
    poolNet = [...floors];
    for (const i of order) if (k-- > 0n) poolNet[i]! += 1n;
  }

  const amount = rows.map(() => 0n);
  const outcome: Outcome[] = rows.map((_, i) => (eligible[i] ? 'below_minimum' : 'ineligible'));
  const share: Rational[] = rows.map(() => rat(0n));
  const cap = plan.maximumPayment;
  const min = plan.minimumPayment;
  const perPoint = plan.rounding.method === 'per-point' ? plan.rounding.decimals : null;
  let paidTotal = 0n;

  poolNet.forEach((N, pool) => {
    let active = rows.map((_, i) => i).filter((i) => eligible[i] && (plan.mode === 'weights' || classOf[i] === pool));

    // textbook water-fill: cap whoever is over, recompute, repeat
    const waterFill = (members: number[]): { level: Rational | null; shareOf: (i: number) => Rational } => {
      const capped = new Set<number>();
      for (;;) {
        const free = members.filter((i) => !capped.has(i));
        if (free.length === 0) return { level: null, shareOf: () => rat(cap!) };
        const P = free.reduce((acc, i) => ratAdd(acc, points[i]!), rat(0n));
        const level = ratDiv(rat(N - (cap ?? 0n) * BigInt(capped.size)), P);
        const over = cap === null ? [] : free.filter((i) => ratCmp(ratMul(level, points[i]!), rat(cap)) > 0);
        if (over.length === 0) return { level, shareOf: (i) => (capped.has(i) ? rat(cap!) : ratMul(level, points[i]!)) };
        over.forEach((i) => capped.add(i));
      }
    };
    const pointValue = (level: Rational | null): Rational | null =>
      level === null || perPoint === null ? null : rat(floorDiv(level.n * pow10(perPoint), level.d * 100n) * 100n, pow10(perPoint));
    const paidAmount = (i: number, s: Rational, v: Rational | null): bigint =>
      cap !== null && ratEq(s, rat(cap)) ? cap : v === null ? ratFloor(s) : ratFloor(ratMul(points[i]!, v));

    // the while-loop of section 3
    let wf = waterFill(active);
    while (active.length > 0 && min !== null) {
      const smallest = active.reduce((m, i) => (ratCmp(points[i]!, m) < 0 ? points[i]! : m), points[active[0]!]!);
      const probe = active.find((i) => ratEq(points[i]!, smallest))!;
      const s = wf.shareOf(probe);
      const below = perPoint === null ? ratCmp(s, rat(min)) < 0 : paidAmount(probe, s, pointValue(wf.level)) < min;
      if (!below) break;
      active = active.filter((i) => !ratEq(points[i]!, smallest));
      wf = waterFill(active);
    }
    const v = pointValue(wf.level);
    for (const i of active) {
      share[i] = wf.shareOf(i);
      outcome[i] = cap !== null && ratEq(share[i]!, rat(cap)) ? 'capped' : 'paid';
      amount[i] = perPoint === null ? ratFloor(share[i]!) : paidAmount(i, share[i]!, v);
    }
    if (perPoint === null) {
      const exactSum = active.reduce((acc, i) => ratAdd(acc, share[i]!), rat(0n));
      let k = exactSum.n / exactSum.d - active.reduce((acc, i) => acc + amount[i]!, 0n);
      const byRemainder = [...active].sort((a, b) => {
        const c = ratCmp(ratSub(share[b]!, rat(amount[b]!)), ratSub(share[a]!, rat(amount[a]!)));
        return c || (key(rows[a]!.id) < key(rows[b]!.id) ? -1 : 1);
      });
      for (const i of byRemainder) if (k-- > 0n) amount[i]! += 1n;
    }
    paidTotal += active.reduce((acc, i) => acc + amount[i]!, 0n);
  });
  return { amount, outcome, share, residual: net - paidTotal };
}

// ---------------------------------------------------------------- generators

const WEIGHTS = ['1', '2', '6', '0.5', '1.25', '3', '0.001'];
const UNITS = ['1', '1', '1', '1', '2', '0.5', '1.5', '3', '0.333333', '10', '188'];
const STATUSES = ['approved', 'approved', 'approved', 'rejected', 'cured'];

interface Scenario {
  plan: Plan;
  rows: SimpleRow[];
}

const hundredths = (v: number): string => `${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`;

function scenarioArb(maxRows: number, units: readonly string[] = UNITS, minRows = 0): fc.Arbitrary<Scenario> {
  return fc
    .record({
      pools: fc.boolean(),
      nClasses: fc.integer({ min: 1, max: 4 }),
      weights: fc.array(fc.constantFrom(...WEIGHTS), { minLength: 4, maxLength: 4 }),
      cuts: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 3, maxLength: 3 }),
      gross: fc.oneof(fc.bigInt({ min: 0n, max: 2_000n }), fc.bigInt({ min: 0n, max: 5_000_000n })),
      fee: fc.option(fc.constantFrom('33.3333333333', '25', '10.5'), { nil: undefined }),
      // cap and minimum as a percent of the average amount per claim, so that they bind sometimes
      cap: fc.option(fc.integer({ min: 30, max: 400 }), { nil: null, freq: 2 }),
      min: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null, freq: 2 }),
      rounding: fc.oneof(
        fc.constant({ method: 'largest-remainder' as const }),
        fc.record({ method: fc.constant('per-point' as const), decimals: fc.integer({ min: 0, max: 4 }) }),
      ),
      cured: fc.boolean(),
      seed: fc.string({ minLength: 1, maxLength: 6 }),
      rows: fc.array(
        fc.record({ c: fc.nat(3), units: fc.constantFrom(...units), status: fc.constantFrom(...STATUSES) }),
        { minLength: minRows, maxLength: maxRows },
      ),
    })
    .map((g): Scenario => {
      const ids = ['a', 'b', 'c', 'd'].slice(0, g.nClasses);
      const cuts = [0, ...g.cuts.slice(0, g.nClasses - 1).sort((x, y) => x - y), 10_000];
      const classes = ids.map((id, i) =>
        g.pools ? { id, poolPercent: hundredths(cuts[i + 1]! - cuts[i]!) } : { id, weight: g.weights[i]! },
      );
      const average = g.gross / BigInt(Math.max(1, g.rows.length));
      const cap = g.cap === null ? null : (average * BigInt(g.cap)) / 100n + (g.cap === 30 ? 0n : 1n);
      const wantMin = g.min === null ? null : (average * BigInt(g.min)) / 100n;
      const min = wantMin !== null && cap !== null && wantMin > cap ? cap : wantMin;
      const input: Partial<PlanInput> & Pick<PlanInput, 'classes'> = {
        gross: formatMoney(g.gross),
        classes,
        deductions: g.fee ? [{ label: 'fees', percent: g.fee, of: 'gross' }] : [],
        maximumPayment: cap === null ? null : formatMoney(cap),
        minimumPayment: min === null ? null : formatMoney(min),
        rounding: g.rounding,
        eligibleStatuses: g.cured ? ['approved', 'Cured'] : ['approved'],
        seed: g.seed,
      };
      const rows = g.rows.map((r, i): SimpleRow => ({ id: `claim-${i}`, class: ids[r.c % g.nClasses]!, units: r.units, status: r.status }));
      return { plan: makePlan(input), rows };
    });
}

function allocateScenario(s: Scenario, order?: readonly number[]): { table: ClaimTable; alloc: Allocation } {
  let table = makeTable(s.plan, s.rows);
  if (order) table = permuteTable(table, order);
  return { table, alloc: allocate(s.plan, table, tieKeyer(s.plan.seed)) };
}

const amountsById = (table: ClaimTable, alloc: Allocation): Map<string, bigint> =>
  new Map(table.ids.toArray().map((id, row) => [id, amountOf(alloc, row)]));

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------- properties

describe('allocation properties', () => {
  it('matches the per-row reference: amounts, outcomes, exact shares, residual', () => {
    fc.assert(
      fc.property(scenarioArb(30), (s) => {
        const { alloc } = allocateScenario(s);
        const ref = referenceAllocate(s.plan, s.rows, tieKeyer(s.plan.seed));
        s.rows.forEach((_, row) => {
          const cell = alloc.cells[alloc.cellOf[row]!]!;
          expect(amountOf(alloc, row)).toBe(ref.amount[row]);
          expect(cell.outcome).toBe(ref.outcome[row]);
          expect(ratEq(cell.share, ref.share[row]!)).toBe(true);
        });
        expect(alloc.residual).toBe(ref.residual);
      }),
      RUNS,
    );
  });

  it('matches the reference where ties are common (few distinct points, many equal remainders)', () => {
    fc.assert(
      fc.property(scenarioArb(40, ['1', '1', '1', '2', '3', '0.5'], 5), (s) => {
        const { alloc } = allocateScenario(s);
        const ref = referenceAllocate(s.plan, s.rows, tieKeyer(s.plan.seed));
        expect(s.rows.map((_, row) => amountOf(alloc, row))).toEqual(ref.amount);
        expect(alloc.residual).toBe(ref.residual);
      }),
      RUNS,
    );
  });

  it('Σ amounts + residual = net; no amount above the cap; paid amounts at least the minimum', () => {
    fc.assert(
      fc.property(scenarioArb(60), (s) => {
        const { alloc } = allocateScenario(s);
        let sum = 0n;
        s.rows.forEach((_, row) => {
          const a = amountOf(alloc, row);
          const cell = alloc.cells[alloc.cellOf[row]!]!;
          sum += a;
          expect(a).toBeGreaterThanOrEqual(0n);
          if (s.plan.maximumPayment !== null) expect(a).toBeLessThanOrEqual(s.plan.maximumPayment);
          if (cell.outcome === 'paid' || cell.outcome === 'capped') {
            if (s.plan.minimumPayment !== null) expect(a).toBeGreaterThanOrEqual(s.plan.minimumPayment);
          } else expect(a).toBe(0n);
        });
        expect(sum).toBe(alloc.totalPaid);
        expect(sum + alloc.residual).toBe(alloc.fund.net);
        expect(alloc.residual).toBeGreaterThanOrEqual(0n);
        if (s.plan.rounding.method === 'largest-remainder') {
          // the whole net is paid unless a pool has nobody to pay below its cap
          for (const p of alloc.pools) if (p.level !== null) expect(p.residual).toBe(0n);
        }
      }),
      RUNS,
    );
  });

  it('equal points in a pool: at most one cent apart (largest remainder), equal (per-point)', () => {
    fc.assert(
      fc.property(scenarioArb(60), (s) => {
        const { alloc } = allocateScenario(s);
        const range = new Map<string, [bigint, bigint]>();
        s.rows.forEach((_, row) => {
          const cell = alloc.cells[alloc.cellOf[row]!]!;
          if (!cell.eligible) return;
          const p = ratMul(cell.points, rat(1n));
          const k = `${cell.pool}:${p.n}/${p.d}`;
          const a = amountOf(alloc, row);
          const [lo, hi] = range.get(k) ?? [a, a];
          range.set(k, [a < lo ? a : lo, a > hi ? a : hi]);
        });
        const spread = s.plan.rounding.method === 'per-point' ? 0n : 1n;
        for (const [lo, hi] of range.values()) expect(hi - lo).toBeLessThanOrEqual(spread);
      }),
      RUNS,
    );
  });

  it('does not depend on row order, and gives identical results twice', () => {
    fc.assert(
      fc.property(
        scenarioArb(60).chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.rows.map((_, i) => i), { minLength: s.rows.length }))),
        ([s, order]) => {
          const a = allocateScenario(s);
          const b = allocateScenario(s, order);
          expect(amountsById(b.table, b.alloc)).toEqual(amountsById(a.table, a.alloc));
          expect(b.alloc.residual).toBe(a.alloc.residual);
          expect(b.alloc.classes).toEqual(a.alloc.classes);
          expect(b.alloc.pools).toEqual(a.alloc.pools);
          const again = allocateScenario(s);
          expect(again.alloc).toEqual(a.alloc);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('water-fill level: uncapped share = λ·p, capped share = cap ≤ λ·p', () => {
    fc.assert(
      fc.property(scenarioArb(60), (s) => {
        const { alloc } = allocateScenario(s);
        for (const cell of alloc.cells) {
          const level = alloc.pools[cell.pool]!.level;
          if (cell.outcome === 'paid') expect(ratEq(cell.share, ratMul(level!, cell.points))).toBe(true);
          if (cell.outcome === 'capped') {
            expect(ratEq(cell.share, rat(s.plan.maximumPayment!))).toBe(true);
            if (level !== null) expect(ratCmp(ratMul(level, cell.points), cell.share)).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('class summaries agree with the rows', () => {
    fc.assert(
      fc.property(scenarioArb(60), (s) => {
        const { alloc, table } = allocateScenario(s);
        s.plan.classes.forEach((_, c) => {
          const rows = s.rows.map((_, row) => row).filter((row) => table.classIndex[row] === c);
          const paidRows = rows.filter((row) => ['paid', 'capped'].includes(alloc.cells[alloc.cellOf[row]!]!.outcome));
          const amounts = paidRows.map((row) => amountOf(alloc, row));
          const summary = alloc.classes[c]!;
          expect(summary.claims).toBe(rows.length);
          expect(summary.paid).toBe(paidRows.length);
          expect(summary.amountPaid).toBe(amounts.reduce((a, b) => a + b, 0n));
          expect(summary.smallest).toBe(amounts.length ? amounts.reduce((a, b) => (b < a ? b : a)) : null);
          expect(summary.largest).toBe(amounts.length ? amounts.reduce((a, b) => (b > a ? b : a)) : null);
        });
        expect(alloc.classes.reduce((a, c) => a + c.amountPaid, 0n)).toBe(alloc.totalPaid);
      }),
      { numRuns: 150 },
    );
  });
});

describe('allocation properties at moderate size', () => {
  it('2,000–5,000 claims: reference amounts per claim and order independence', () => {
    fc.assert(
      fc.property(
        scenarioArb(0),
        fc.integer({ min: 2_000, max: 5_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (base, n, salt) => {
          const rows = Array.from({ length: n }, (_, i): SimpleRow => ({
            id: `m${salt}-${i}`,
            class: base.plan.classes[(i * 7 + salt) % base.plan.classes.length]!.id,
            units: UNITS[(i * 13 + salt) % UNITS.length]!,
            status: STATUSES[(i * 5 + salt) % STATUSES.length]!,
          }));
          const s = { plan: base.plan, rows };
          const { alloc, table } = allocateScenario(s);
          const reversed = allocateScenario(s, rows.map((_, i) => n - 1 - i));
          expect(amountsById(reversed.table, reversed.alloc)).toEqual(amountsById(table, alloc));
          const ref = referenceAllocate(s.plan, rows, tieKeyer(s.plan.seed));
          expect(rows.map((_, row) => amountOf(alloc, row))).toEqual(ref.amount);
          expect(alloc.residual).toBe(ref.residual);
        },
      ),
      { numRuns: 8 },
    );
  });
});
