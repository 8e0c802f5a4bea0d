/**
 * Exact shares for claimant counts, without claim rows: what `payout estimate` (docs/spec.md §7)
 * needs before the claims deadline. Same pools, points, cap and minimum as the allocation
 * (docs/spec.md §3); no remainder rule: the estimate rounds each exact share half-up to the cent.
 */
import { divHalfUp, type Rational } from './decimal.js';
import type { Cents } from './money.js';
import type { Plan } from './plan.js';
import { splitPools } from './pools.js';
import { solvePool, type GroupOutcome } from './waterfill.js';

export interface ClaimantGroup {
  /** Index into `plan.classes`. */
  classIndex: number;
  /** Points per claimant (weights mode: weight × units; pools mode: units). */
  points: Rational;
  /** Number of claimants, e.g. 87,600,000. */
  count: bigint;
}

export interface ClaimantGroupShare {
  outcome: GroupOutcome;
  /** The exact share of one claimant (0 when below the minimum or when count is 0). */
  share: Rational;
  /** The share rounded half-up to the cent. */
  rounded: Cents;
}

export interface PoolShares {
  pools: {
    classIndex: number | null;
    net: Cents;
    level: Rational | null;
    /** Σ exact shares paid (an integer); net − paid is residual. */
    paid: Cents;
    residual: Cents;
  }[];
  /** One entry per input group, in input order. */
  groups: ClaimantGroupShare[];
}

/**
 * Exact share per group of claimants in the pools of `plan` holding `net` cents. In pools mode
 * the pools' cents are split as in the allocation, so `tieKey` (tieKeyer(plan.seed)) is needed for
 * the class ids. The minimum rule is applied to the exact shares, whatever the plan's rounding.
 */
export function poolShares(
  plan: Pick<Plan, 'mode' | 'classes' | 'maximumPayment' | 'minimumPayment'>,
  net: Cents,
  groups: readonly ClaimantGroup[],
  tieKey: (id: string) => string,
): PoolShares {
  for (const g of groups) {
    if (g.classIndex < 0 || g.classIndex >= plan.classes.length) throw new RangeError(`class index ${g.classIndex} is not a class of the plan`);
  }
  const splits = splitPools(plan, net, tieKey);
  const result: ClaimantGroupShare[] = groups.map(() => ({ outcome: 'paid', share: { n: 0n, d: 1n }, rounded: 0n }));
  const pools = splits.map((split, p) => {
    const members = groups.flatMap((g, i) => ((plan.mode === 'pools' ? g.classIndex : 0) === p ? [i] : []));
    const solution = solvePool(
      split.net,
      members.map((i) => groups[i]!),
      { cap: plan.maximumPayment, minimum: plan.minimumPayment, perPointDecimals: null },
    );
    members.forEach((i, k) => {
      const s = solution.shares[k]!;
      result[i] = { outcome: s.outcome, share: s.share, rounded: divHalfUp(s.share.n, s.share.d) };
    });
    return {
      classIndex: split.classIndex,
      net: split.net,
      level: solution.level,
      paid: solution.exactTotal,
      residual: split.net - solution.exactTotal,
    };
  });
  return { pools, groups: result };
}
