/**
 * Two plans on the same claims (`payout compare`): per claim, the amount under plan A, under plan
 * B and the change B − A; who gains, who loses, who is unchanged; each class's totals under both;
 * the largest moves and a histogram of the changes. Amounts come from two allocations of one
 * claims table (allocate.ts, run once per plan); nothing here re-derives an amount.
 */
import type { Allocation } from './allocate.js';
import { amountOf } from './cell-cents.js';
import type { ClaimTable } from './claims.js';
import {
  AmountTally,
  EqualWidthCounter,
  MAX_LEVEL_BARS,
  paymentLevels,
  roundWidth,
  TARGET_BARS,
  type AmountHistogram,
  type EqualWidthLayout,
} from './amount-histogram.js';
import { UsageError } from './errors.js';
import { formatMoney, formatMoneyHuman, type Cents } from './money.js';

/** One class under both plans. */
export interface ClassComparison {
  id: string;
  claims: number;
  /** Claims paid (outcome `paid` or `capped`) under A and under B. */
  paidA: number;
  paidB: number;
  amountA: Cents;
  amountB: Cents;
  /** amountB − amountA. */
  change: Cents;
}

/** One claim's move. */
export interface ClaimMove {
  /** Row in the claims file (0-based, header not counted). */
  row: number;
  claimId: string;
  classId: string;
  /** A bucket plan against a plan of classes: the claim's group under B (`classId` is A's). */
  groupB?: string;
  amountA: Cents;
  amountB: Cents;
  change: Cents;
}

/** One plan's own class or bucket, when the other plan groups claims another way (not compared). */
export interface GroupTotals {
  id: string;
  /** Claims in the class (a bucket: claims that claim in it). */
  claims: number;
  /** Claims paid (from the bucket). */
  paid: number;
  amount: Cents;
}

/** The two sides' fund figures, for context beside the per-claim changes. */
export interface PlanFigures {
  net: Cents;
  paid: Cents;
  residual: Cents;
}

export interface Comparison {
  claims: number;
  /** Claims whose amount under B is above, below, equal to their amount under A. */
  gain: number;
  lose: number;
  unchanged: number;
  /** Σ of the positive changes, and of the negative ones (≤ 0). */
  gained: Cents;
  lost: Cents;
  a: PlanFigures;
  b: PlanFigures;
  classes: ClassComparison[];
  /** The `top` largest |change|, largest first; equal moves in file order. Unchanged claims never. */
  largestMoves: ClaimMove[];
  /** Changes of every claim (unchanged ones in the bar at 0). */
  histogram: AmountHistogram;
  /**
   * `bucket` when two bucket plans are compared: `classes` then holds one row per bucket (a claim
   * may be paid from several, so the rows' claims do not add up to all claims), and a claim's
   * `classId` names the buckets it is paid from under A or B. Absent for plans of classes.
   * `mixed` when a bucket plan is compared with a plan of classes: `classes` is empty (a class has
   * no bucket to match it) and each plan's own groups are in `groupsA` and `groupsB`.
   */
  groupedBy?: 'bucket' | 'mixed';
  groupsA?: { by: 'class' | 'bucket'; rows: GroupTotals[] };
  groupsB?: { by: 'class' | 'bucket'; rows: GroupTotals[] };
}

/**
 * Two plans' amounts for the same claims, row by row, whatever their form: what
 * {@link compareAmounts} needs. `groups` are the per-class (or per-bucket) totals under both.
 */
export interface AmountPair {
  count: number;
  claimId(row: number): string;
  groupId(row: number): string;
  /** The claim's group under B, when the plans group claims differently. */
  groupIdB?(row: number): string;
  amountA(row: number): Cents;
  amountB(row: number): Cents;
  groups: ClassComparison[];
  a: PlanFigures;
  b: PlanFigures;
}

/** Floor division for bigint (the built-in `/` truncates toward zero, wrong for negative changes). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/**
 * Equal-width bars over `min`..`max` cents (either may be negative), about `target` of them, edges
 * on multiples of a round width so they read as −$10.00, −$5.00, $0.00, $5.00.
 */
export function changeLayout(min: Cents, max: Cents, target = TARGET_BARS): EqualWidthLayout {
  const span = max - min + 1n;
  const t = BigInt(Math.max(1, target));
  const width = roundWidth((span + t - 1n) / t);
  const start = floorDiv(min, width) * width;
  return { start, width, bars: Number(floorDiv(max - start, width)) + 1 };
}

/**
 * Compares the allocations of plans A and B of the same claims table (row i is the same claim in
 * both). `classIds` are plan A's class ids by A's class index; B's class totals are matched by id.
 */
export function compareAllocations(
  table: ClaimTable,
  classIds: readonly string[],
  allocA: Allocation,
  allocB: Allocation,
  top = 10,
): Comparison {
  if (allocA.cellOf.length !== table.count || allocB.cellOf.length !== table.count) {
    throw new RangeError('compareAllocations: both allocations must be of the same claims table');
  }
  const classes = allocA.classes.map((ca): ClassComparison => {
    const cb = allocB.classes.find((c) => c.id === ca.id);
    if (cb === undefined) throw new RangeError(`compareAllocations: class "${ca.id}" is not in plan B`);
    return {
      id: ca.id,
      claims: ca.claims,
      paidA: ca.paid,
      paidB: cb.paid,
      amountA: ca.amountPaid,
      amountB: cb.amountPaid,
      change: cb.amountPaid - ca.amountPaid,
    };
  });
  const figures = (a: Allocation): PlanFigures => ({ net: a.fund.net, paid: a.totalPaid, residual: a.residual });
  return compareAmounts(
    {
      count: table.count,
      claimId: (row) => table.ids.get(row),
      groupId: (row) => classIds[table.classIndex[row] ?? 0] ?? '',
      amountA: (row) => amountOf(allocA, row),
      amountB: (row) => amountOf(allocB, row),
      groups: classes,
      a: figures(allocA),
      b: figures(allocB),
    },
    top,
  );
}

/** Who gains, who loses, the largest moves and the histogram of the changes of two plans' amounts. */
export function compareAmounts(pair: AmountPair, top = 10): Comparison {
  const count = pair.count;
  let gain = 0;
  let lose = 0;
  let gained = 0n;
  let lost = 0n;
  const tally = new AmountTally();
  // Largest |change| first, kept sorted; a row enters only when it beats the smallest kept.
  const kept: { row: number; abs: Cents }[] = [];
  for (let row = 0; row < count; row++) {
    const change = pair.amountB(row) - pair.amountA(row);
    tally.add(change);
    if (change === 0n) continue;
    if (change > 0n) {
      gain++;
      gained += change;
    } else {
      lose++;
      lost += change;
    }
    if (top <= 0) continue;
    const abs = change < 0n ? -change : change;
    const last = kept.at(-1);
    if (kept.length === top && last !== undefined && abs <= last.abs) continue;
    let at = kept.length;
    while (at > 0 && (kept[at - 1]?.abs ?? 0n) < abs) at--;
    kept.splice(at, 0, { row, abs });
    if (kept.length > top) kept.pop();
  }

  let histogram: AmountHistogram;
  const levels = tally.distinct === undefined ? undefined : paymentLevels(tally.distinct);
  if (tally.count === 0 || tally.min === undefined || tally.max === undefined) {
    histogram = { kind: 'levels', buckets: [], total: 0 };
  } else if (levels !== undefined && levels.length <= MAX_LEVEL_BARS) {
    histogram = { kind: 'levels', buckets: levels, total: tally.count };
  } else {
    const counter = new EqualWidthCounter(changeLayout(tally.min, tally.max));
    if (tally.distinct !== undefined) for (const [c, n] of tally.distinct) counter.add(c, n);
    else for (let row = 0; row < count; row++) counter.add(pair.amountB(row) - pair.amountA(row));
    histogram = counter.histogram();
  }

  const largestMoves = kept.map(({ row }): ClaimMove => {
    const amountA = pair.amountA(row);
    const amountB = pair.amountB(row);
    const groupB = pair.groupIdB?.(row);
    return { row, claimId: pair.claimId(row), classId: pair.groupId(row), ...(groupB === undefined ? {} : { groupB }), amountA, amountB, change: amountB - amountA };
  });

  return {
    claims: count,
    gain,
    lose,
    unchanged: count - gain - lose,
    gained,
    lost,
    a: pair.a,
    b: pair.b,
    classes: pair.groups,
    largestMoves,
    histogram,
  };
}

/** The comparison as JSON: money as decimal strings (never a JSON number), counts as numbers. */
export function comparisonJson(c: Comparison): unknown {
  const m = formatMoney;
  const figures = (f: PlanFigures) => ({ net: m(f.net), paid: m(f.paid), residual: m(f.residual) });
  return {
    claims: c.claims,
    gain: c.gain,
    lose: c.lose,
    unchanged: c.unchanged,
    gained: m(c.gained),
    lost: m(c.lost),
    a: figures(c.a),
    b: figures(c.b),
    classes: c.classes.map((k) => ({
      id: k.id,
      claims: k.claims,
      paidA: k.paidA,
      paidB: k.paidB,
      amountA: m(k.amountA),
      amountB: m(k.amountB),
      change: m(k.change),
    })),
    ...(c.groupedBy === undefined ? {} : { groupedBy: c.groupedBy }),
    ...(c.groupsA === undefined ? {} : { groupsA: groupsJson(c.groupsA) }),
    ...(c.groupsB === undefined ? {} : { groupsB: groupsJson(c.groupsB) }),
    largestMoves: c.largestMoves.map((k) => ({
      claimId: k.claimId,
      ...(k.groupB === undefined ? { class: k.classId } : { groupA: k.classId, groupB: k.groupB }),
      amountA: m(k.amountA),
      amountB: m(k.amountB),
      change: m(k.change),
    })),
    histogram: {
      kind: c.histogram.kind,
      ...(c.histogram.width === undefined ? {} : { width: m(c.histogram.width) }),
      buckets: c.histogram.buckets.map((b) => ({ lo: m(b.lo), hi: m(b.hi), count: b.count })),
    },
  };
}

function groupsJson(g: NonNullable<Comparison['groupsA']>): unknown {
  return { by: g.by, rows: g.rows.map((r) => ({ id: r.id, claims: r.claims, paid: r.paid, amount: formatMoney(r.amount) })) };
}

/** A change for people, with its sign: `+$1.25`, `-$3.40`, `$0.00`. */
export function changeText(c: Cents, symbol = '$'): string {
  return c > 0n ? `+${formatMoneyHuman(c, symbol)}` : formatMoneyHuman(c, symbol);
}

/**
 * Two plans must pay in one currency to be compared: a claim's change under B would otherwise
 * subtract one currency from another, and every total would add them. Refused (exit 2) naming
 * both plans, their currencies and what to do; any form of plan (classes or buckets).
 */
export function refuseTwoCurrencies(a: { file: string; currency: string }, b: { file: string; currency: string }): void {
  if (a.currency === b.currency) return;
  throw new UsageError(
    `${a.file} pays in ${a.currency} and ${b.file} in ${b.currency}: amounts in two currencies cannot be compared claim by claim; ` +
      `give two plans of one currency (the same "currency" in both, with the amounts of both in it)`,
  );
}
