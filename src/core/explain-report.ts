/**
 * `payout explain`: one claim's path through docs/spec.md §1, §3 and §4 as plain data (strings, not
 * bigints), from an explanation by explainClaim. The readable text and `--json` are both made from
 * this, so they cannot tell different stories.
 *
 * Cents are the unit of the exact arithmetic (docs/spec.md §3 works "in cents"); money for people is
 * also given in currency units with 2 decimals, and the share with the ledger's 6 decimals.
 */
import type { Allocation, PoolSummary, RemainderCent } from './allocate.js';
import { formatRationalHalfEven, RationalSum, reduce, type Rational } from './decimal.js';
import type { ClaimExplanation } from './explain-claim.js';
import { shareText } from './ledger.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan } from './plan.js';
import { pointsText } from './summary.js';
import { roundingMethod } from './rounding/index.js';

export const EXPLAIN_FORMAT = 'payout-explain/1';

/** `5709083333/4254`, or `42` when whole. */
export function fractionText(r: Rational): string {
  const x = reduce(r);
  return x.d === 1n ? x.n.toString() : `${x.n}/${x.d}`;
}

/** A rational number of cents: the reduced fraction and a decimal to 6 places (half-even). */
const centsOf = (r: Rational) => ({ fraction: fractionText(r), decimal: formatRationalHalfEven(r, 6) });

export interface ClaimReport {
  claimId: string;
  line: number;
  class: { id: string; weight: string | null; poolPercent: string | null };
  units: string;
  /** weight × units (weights mode) or units (pools mode), exact. */
  points: string;
  pointsRule: string;
  status: string;
  eligible: boolean;
  eligibleStatuses: string[];
  fund: {
    gross: string;
    interest: string;
    fund: string;
    deductions: { label: string; rule: string; amount: string; remaining: string }[];
    net: string;
    netCents: string;
  };
  /** The pool the claim is paid from; null for an ineligible claim. */
  pool: {
    id: string;
    /** Pools mode: net × poolPercent / 100 in cents, exactly, and whether the pool got a split cent. */
    exactNetCents: string | null;
    splitCent: boolean;
    netCents: string;
    net: string;
    eligibleClaims: number;
    eligiblePoints: string;
    paidClaims: number;
    /** Σ points of the claims still paid after the minimum rule (the divisor of the shares). */
    paidPoints: string;
    cappedClaims: number;
    belowMinimumClaims: number;
    /** λ: cents per point (null when every claim is capped or none is paid). */
    centsPerPoint: { fraction: string; decimal: string } | null;
  } | null;
  outcome: string;
  /** The exact share of docs/spec.md §3 (null when not paid). */
  share: {
    /** How it is computed, in cents: `5709083333 × 1 / 4254`. */
    formula: string;
    cents: { fraction: string; decimal: string };
    /** In currency units, 6 decimals, as in the ledger's share column. */
    ledger: string;
  } | null;
  cap: { maximum: string | null; applied: boolean };
  minimum: {
    minimum: string | null;
    /** For below_minimum: the round of the rule that removed the claim. */
    removed: {
      step: number;
      steps: number;
      removedWithIt: number;
      shareAtStepCents: { fraction: string; decimal: string };
      amountAtStep: string | null;
    } | null;
  };
  cents: {
    method: Plan['rounding']['method'];
    /** The cents every claim of the same points is paid before the remainder rule (per-point: the whole amount). */
    floor: string;
    floorCents: string;
    /** largest-remainder: share − floor, a fraction of a cent. */
    remainderCents: { fraction: string; decimal: string } | null;
    /** Per-point: v, the value of one point paid (cents per point). */
    pointValueCents: string | null;
    /** The pool's leftover cents (K of docs/spec.md §4a), placed one each to the largest remainders. */
    leftoverCents: string;
    /** Paid claims of the pool whose remainder is larger than this claim's (each got a cent before it). */
    largerRemainders: number;
    /** Claims of the pool with exactly this claim's remainder (this one included). */
    equalRemainders: number;
    /** all: every claim with this remainder got a cent; none: the cents ran out before it; tie: decided by key. */
    level: RemainderCent;
    remainderCent: boolean;
    tie: {
      key: string;
      keyInput: string;
      rank: number;
      size: number;
      cents: number;
      cutoffKey: string;
    } | null;
  };
  amount: string;
  amountCents: string;
}

const money = (c: Cents): string => formatMoney(c);

function poolId(plan: Plan, pool: PoolSummary): string {
  return pool.classIndex === null ? 'all' : (plan.classes[pool.classIndex]?.id ?? String(pool.classIndex));
}

/** `5709083333 × 1 / 4254` (no cap binds) or `(N − cap × capped) × p / P` (with capped claims). */
function shareFormula(alloc: Allocation, e: ClaimExplanation, poolIndex: number, cap: Cents | null): string {
  const pool = e.pool;
  const p = pointsText(e.points);
  if (pool.cappedClaims === 0) return `${pool.net} × ${p} / ${pointsText(pool.paidPoints)}`;
  // Water-filling: what the capped claims take comes off the pool; the rest goes pro rata.
  const uncapped = new RationalSum();
  for (const c of alloc.cells) if (c.pool === poolIndex && c.outcome === 'paid') uncapped.add(c.points, BigInt(c.count));
  return `(${pool.net} − ${cap ?? 0n} × ${pool.cappedClaims}) × ${p} / ${pointsText(uncapped.value())}`;
}

/** Water-filling: `min(cap, λ × p)`, the cap when λ × p reaches it (exactly, or above). */
function cappedFormula(e: ClaimExplanation, cap: Cents | null): string {
  const level = e.pool.level;
  if (level === null) return `${cap ?? 0n} (the cap: every claim of the pool is capped)`;
  const lp = reduce({ n: level.n * e.points.n, d: level.d * e.points.d });
  return `min(${cap ?? 0n}, ${fractionText(level)} × ${pointsText(e.points)} = ${fractionText(lp)}) = ${cap ?? 0n} (the cap)`;
}

/** The report of one claim, from its explanation. `keyInput` is `seed:claim_id`, hashed for the tie-break. */
export function claimReport(plan: Plan, alloc: Allocation, e: ClaimExplanation): ClaimReport {
  const cls = plan.classes.find((c) => c.id === e.classId);
  const f = alloc.fund;
  const pool = e.pool;
  const poolIndex = alloc.pools.indexOf(pool);
  const cell = alloc.cells[alloc.cellOf[e.row]!]!;
  const paid = e.outcome === 'paid' || e.outcome === 'capped';
  const lr = roundingMethod(plan.rounding).needsTieKeys;

  // Where the claim's remainder stands among the pool's paid claims (docs/spec.md §4a).
  let larger = 0;
  let equal = 0;
  if (lr && e.outcome === 'paid') {
    for (const c of alloc.cells) {
      if (c.pool !== poolIndex || c.outcome !== 'paid') continue;
      const x = c.remainder.n * e.remainder.d;
      const y = e.remainder.n * c.remainder.d;
      if (x > y) larger += c.count;
      else if (x === y) equal += c.count;
    }
  }
  const weights = plan.mode === 'weights';
  return {
    claimId: e.claimId,
    line: e.line,
    class: { id: e.classId, weight: cls?.weightText ?? null, poolPercent: cls?.poolPercentText ?? null },
    units: e.unitsText,
    points: pointsText(e.points),
    pointsRule: weights ? `weight ${cls?.weightText ?? '?'} × units ${e.unitsText}` : `units ${e.unitsText} (pools mode: the pool carries the class's percent)`,
    status: e.status,
    eligible: e.eligible,
    eligibleStatuses: plan.eligibleStatuses,
    fund: {
      gross: money(f.gross),
      interest: money(f.interest),
      fund: money(f.fund),
      deductions: f.deductions.map((d) => ({ label: d.label, rule: d.rule, amount: money(d.amount), remaining: money(d.remaining) })),
      net: money(f.net),
      netCents: f.net.toString(),
    },
    pool: e.eligible
      ? {
          id: poolId(plan, pool),
          exactNetCents: pool.classIndex === null ? null : fractionText(pool.exactNet),
          splitCent: pool.splitCent,
          netCents: pool.net.toString(),
          net: money(pool.net),
          eligibleClaims: pool.eligibleClaims,
          eligiblePoints: pointsText(pool.eligiblePoints),
          paidClaims: pool.paidClaims,
          paidPoints: pointsText(pool.paidPoints),
          cappedClaims: pool.cappedClaims,
          belowMinimumClaims: pool.belowMinimumClaims,
          centsPerPoint: pool.level === null ? null : centsOf(pool.level),
        }
      : null,
    outcome: e.outcome,
    share: paid
      ? {
          formula: e.outcome === 'capped' ? cappedFormula(e, plan.maximumPayment) : shareFormula(alloc, e, poolIndex, plan.maximumPayment),
          cents: centsOf(e.share),
          ledger: shareText(e.share),
        }
      : null,
    cap: { maximum: plan.maximumPayment === null ? null : money(plan.maximumPayment), applied: e.outcome === 'capped' },
    minimum: {
      minimum: plan.minimumPayment === null ? null : money(plan.minimumPayment),
      removed:
        e.minimumStep === null
          ? null
          : {
              step: e.minimumStep.step,
              steps: e.minimumStep.steps,
              removedWithIt: e.minimumStep.removedWithIt,
              shareAtStepCents: centsOf(e.minimumStep.shareAtStep),
              amountAtStep: e.minimumStep.amountAtStep === null ? null : money(e.minimumStep.amountAtStep),
            },
    },
    cents: {
      method: plan.rounding.method,
      floor: money(e.floor),
      floorCents: e.floor.toString(),
      remainderCents: lr && paid ? centsOf(e.remainder) : null,
      pointValueCents: pool.pointValue === null || !paid ? null : fractionText(pool.pointValue),
      leftoverCents: pool.centsPlaced.toString(),
      largerRemainders: larger,
      equalRemainders: equal,
      level: cell.remainderCent,
      remainderCent: e.remainderCent,
      tie: e.tie === null ? null : { ...e.tie, keyInput: `${plan.seed}:${e.claimId}` },
    },
    amount: money(e.amount),
    amountCents: e.amount.toString(),
  };
}
