/**
 * A bucket plan against a plan of classes on the same claims file (`payout compare`,
 * docs/compare.md, "A bucket plan against a plan of classes"): each plan's allocation, run once on
 * the file read against it, compared claim by claim on the claim's total amount. A class has no
 * bucket to match it, so the per-class and per-bucket figures are each plan's own, side by side,
 * and not compared.
 */
import type { Allocation } from './allocate.js';
import type { BucketAllocation } from './buckets/allocate.js';
import type { BucketClaim } from './buckets/claims.js';
import type { BucketPlan } from './buckets/plan.js';
import { amountOf } from './cell-cents.js';
import type { ClaimTable } from './claims.js';
import { compareAmounts, type Comparison, type GroupTotals, type PlanFigures } from './compare.js';
import type { Cents } from './money.js';

/** A plan of classes' side: the claims table read against it and its allocation. */
export interface ClassesSide {
  form: 'classes';
  table: ClaimTable;
  /** Class ids by the table's class index. */
  classIds: readonly string[];
  alloc: Allocation;
}

/** A bucket plan's side: the claims read against it and its allocation. */
export interface BucketsSide {
  form: 'buckets';
  plan: BucketPlan;
  claims: readonly BucketClaim[];
  alloc: BucketAllocation;
}

export type MixedSide = ClassesSide | BucketsSide;

/** What the comparison (and the diff CSV) needs of one side, whatever its form. */
export interface SideView {
  count: number;
  claimId(row: number): string;
  /** The claim's class, or the buckets it is paid from (`documented+time`; "" when none). */
  group(row: number): string;
  amount(row: number): Cents;
  groups: GroupTotals[];
  figures: PlanFigures;
}

export function sideView(side: MixedSide): SideView {
  if (side.form === 'classes') {
    const { table, classIds, alloc } = side;
    return {
      count: table.count,
      claimId: (row) => table.ids.get(row),
      group: (row) => classIds[table.classIndex[row] ?? 0] ?? '',
      amount: (row) => amountOf(alloc, row),
      groups: alloc.classes.map((c) => ({ id: c.id, claims: c.claims, paid: c.paid, amount: c.amountPaid })),
      figures: { net: alloc.fund.net, paid: alloc.totalPaid, residual: alloc.residual },
    };
  }
  const { plan, claims, alloc } = side;
  return {
    count: claims.length,
    claimId: (row) => claims[row]!.id,
    group: (row) => plan.buckets.filter((_, k) => alloc.cents[row]![k]! > 0n).map((b) => b.id).join('+'),
    amount: (row) => alloc.totals[row]!,
    groups: alloc.buckets.map((f, k) => ({ id: f.bucket.id, claims: f.claims, paid: claims.reduce((n, _, row) => n + (alloc.cents[row]![k]! > 0n ? 1 : 0), 0), amount: f.paid })),
    figures: { net: alloc.net, paid: alloc.paid, residual: alloc.residual },
  };
}

/**
 * The first row at which the two sides read other claims (their counts differ, or a row's claim id),
 * or null when they read the same claims in the same order.
 */
export function firstDifferentClaim(a: MixedSide, b: MixedSide): { row: number; a: string | undefined; b: string | undefined } | null {
  const [va, vb] = [sideView(a), sideView(b)];
  const n = Math.max(va.count, vb.count);
  for (let row = 0; row < n; row++) {
    const idA = row < va.count ? va.claimId(row) : undefined;
    const idB = row < vb.count ? vb.claimId(row) : undefined;
    if (idA !== idB) return { row, a: idA, b: idB };
  }
  return null;
}

/**
 * Compares a plan of classes and a bucket plan (either as A) on the same claims, row by row (a
 * RangeError when the rows are not the same claims: see firstDifferentClaim). `classes` is empty;
 * `groupsA` and `groupsB` hold each plan's own classes or buckets; a move's `classId` is the
 * claim's group under A and `groupB` under B.
 */
export function compareMixedAllocations(a: MixedSide, b: MixedSide, top = 10): Comparison {
  if (a.form === b.form) throw new RangeError('compareMixedAllocations: one plan of classes and one bucket plan');
  if (firstDifferentClaim(a, b) !== null) throw new RangeError('compareMixedAllocations: both allocations must be of the same claims, row by row');
  const [va, vb] = [sideView(a), sideView(b)];
  const comparison = compareAmounts(
    {
      count: va.count,
      claimId: va.claimId,
      groupId: va.group,
      groupIdB: vb.group,
      amountA: va.amount,
      amountB: vb.amount,
      groups: [],
      a: va.figures,
      b: vb.figures,
    },
    top,
  );
  const by = (s: MixedSide) => (s.form === 'classes' ? ('class' as const) : ('bucket' as const));
  return { ...comparison, groupedBy: 'mixed', groupsA: { by: by(a), rows: va.groups }, groupsB: { by: by(b), rows: vb.groups } };
}
