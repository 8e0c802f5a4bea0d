/**
 * `payout explain` on a second round (docs/spec.md §6): one claim's path from the first-round ledger
 * to its second-round amount, as plain data (strings, not bigints). The readable text and `--json`
 * are both made from this report, so they cannot tell different stories.
 *
 * Units: money in cents (exact fractions of cents where a share is not whole); points are the
 * first-round exact share, the first ledger's `share` column, written with its 6 decimals.
 */
import { formatRationalHalfEven, RAT_ZERO, reduce, type Rational } from './decimal.js';
import { roundingMethod } from './rounding/index.js';
import { compareKeys } from './cents.js';
import { fractionText } from './explain-report.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan } from './plan.js';
import { fillWithRooms, type RoomGroup } from './redistribute-fill.js';
import { AVAILABLE_RULE } from './redistribute-output.js';
import { FIRST_ROUND_OUTCOMES, formatShare, type FirstRoundTable } from './first-round.js';
import {
  perShareUnit,
  type Redistribution,
  type RedistributionCell,
} from './redistribute.js';
import { amountOf } from './cell-cents.js';

export const EXPLAIN_ROUND_2_FORMAT = 'payout-explain-round2/1';

type Fraction = { fraction: string; decimal: string };
const fractionOf = (r: Rational): Fraction => ({ fraction: fractionText(r), decimal: formatRationalHalfEven(r, 6) });

/** The way from the first round to the available amount: the same for every claim. */
export interface RoundTwoAvailableReport {
  rule: string;
  firstRoundResidual: string;
  uncashedClaims: number;
  uncashedAmount: string;
  costs: string;
  available: string;
  availableCents: string;
}

export interface RoundTwoClaimReport {
  claimId: string;
  /** Line of the claim in the first-round ledger. */
  firstLedgerLine: number;
  class: string;
  first: {
    outcome: string;
    amount: string;
    /** The ledger's share column: this claim's points in the second round. */
    share: string;
  };
  /** eligible (cashed), uncashed (listed in the uncashed list) or ineligible. */
  status: 'eligible' | 'uncashed' | 'ineligible';
  statusReason: string;
  /** Line of the claim in the uncashed list, when listed. */
  uncashedLine: number | null;
  /** The one pool of the second round; null for a claim that takes no part (uncashed, ineligible). */
  pool: {
    points: string;
    eligibleClaims: number;
    eligiblePoints: string;
    noRoomClaims: number;
    belowMinimumClaims: number;
    /** Distinct points values the minimum rule removed (its rounds). */
    removedValues: number;
    cappedClaims: number;
    cappedTotal: string;
    paidClaims: number;
    /** Σ points of the claims paid pro rata: the divisor of their shares. */
    paidPoints: string;
    /** λ: cents per 1.00 of first-round share (null when no claim is paid pro rata). */
    centsPerShareUnit: Fraction | null;
    /** λ as summary.json's perFirstRoundShare: currency per 1.00 of first-round share, 6 decimals. */
    perFirstRoundShare: string | null;
  } | null;
  outcome: string;
  /** The exact second-round share in cents; null when nothing is paid (or 0 by no room). */
  share: { formula: string; cents: Fraction } | null;
  cap: {
    maximum: string | null;
    /** maximumPayment − first-round amount (the money received), or null without a cap. */
    room: string | null;
    /** The room is 0 or below the minimum: capped at 0 before the split. */
    noRoom: boolean;
    applied: boolean;
  };
  minimum: {
    minimum: string | null;
    removed: { step: number; steps: number; removedWithIt: number; shareAtStepCents: Fraction } | null;
  };
  cents: {
    method: Plan['rounding']['method'];
    floor: string;
    floorCents: string;
    remainderCents: Fraction | null;
    /** The round's leftover cents placed one each to the largest remainders (largest remainder only). */
    leftoverCents: string;
    largerRemainders: number;
    equalRemainders: number;
    level: RedistributionCell['remainderCent'];
    remainderCent: boolean;
    tie: { key: string; keyInput: string; rank: number; size: number; cents: number; cutoffKey: string } | null;
  };
  amount: string;
  amountCents: string;
}

export function availableReport(r: Redistribution): RoundTwoAvailableReport {
  const a = r.available;
  return {
    rule: AVAILABLE_RULE,
    firstRoundResidual: formatMoney(a.firstRoundResidual),
    uncashedClaims: a.uncashedClaims,
    uncashedAmount: formatMoney(a.uncashedAmount),
    costs: formatMoney(a.costs),
    available: formatMoney(a.available),
    availableCents: a.available.toString(),
  };
}

/** The claims that take part in the water-fill: cashed, with room ≥ the minimum (or any room). */
function inFill(plan: Pick<Plan, 'minimumPayment'>, cell: RedistributionCell): boolean {
  const min = plan.minimumPayment !== null && plan.minimumPayment > 0n ? plan.minimumPayment : 1n;
  return cell.status === 'eligible' && !(cell.room !== null && cell.room < min);
}

/**
 * The round of the minimum rule that removed a claim of `cell`: the claims with smaller points
 * removed before it, its share in that round (with those gone, no minimum yet), and how many
 * claims with its points went with it.
 */
function minimumStep(plan: Pick<Plan, 'minimumPayment'>, r: Redistribution, cell: RedistributionCell) {
  const members = r.cells.filter((c) => inFill(plan, c) && c.count > 0);
  const smaller = new Set(members.filter((c) => c.firstShare < cell.firstShare).map((c) => c.firstShare));
  const same = members.filter((c) => c.firstShare === cell.firstShare).reduce((a, c) => a + c.count, 0);
  let shareAtStep: Rational = RAT_ZERO;
  if (cell.firstShare > 0n) {
    const left = members.filter((c) => c.firstShare >= cell.firstShare && c.firstShare > 0n);
    const groups: RoomGroup[] = left.map((c) => ({ points: c.firstShare, count: BigInt(c.count), room: c.room }));
    const solution = fillWithRooms(r.available.available, groups, null);
    const mine = left.findIndex((c) => c === cell);
    shareAtStep = reduce(solution.shares[mine]!.share);
  }
  return { step: smaller.size + 1, steps: r.fill.removedValues, removedWithIt: same, shareAtStepCents: fractionOf(shareAtStep) };
}

function statusOf(first: FirstRoundTable, row: number, cell: RedistributionCell, uncashedFile: string, uncashedLine: number | null): string {
  const outcome = FIRST_ROUND_OUTCOMES[first.outcomeIndex[row]!]!;
  if (cell.status === 'uncashed') {
    return `uncashed: listed in ${uncashedFile}${uncashedLine === null ? '' : ` line ${uncashedLine}`}; its first payment comes back to the fund and it takes no part`;
  }
  if (cell.status === 'eligible') return `cashed: ${outcome} in the first round with an amount above 0, not in ${uncashedFile}`;
  if (outcome === 'paid' || outcome === 'capped') return `ineligible: ${outcome} in the first round but paid 0.00`;
  return `ineligible: ${outcome} in the first round (only a paid or capped claim takes part)`;
}

/**
 * The 1-based rank of each row's key among the tie set (1 = smallest key), for the rows asked that
 * are in the tie set: one pass over the tie set, each key hashed once however many rows are asked.
 */
export function tieRanks(first: FirstRoundTable, r: Redistribution, rows: readonly number[], tieKey: (id: string) => string): Map<number, number> {
  const asked = [...new Set(rows)].filter((row) => r.cells[r.cellOf[row]!]!.remainderCent === 'tie');
  const ranks = new Map<number, number>();
  if (asked.length === 0 || r.tie === null) return ranks;
  const keys = asked.map((row) => tieKey(first.ids[row]!));
  const smaller = new Array<number>(asked.length).fill(0);
  for (let other = 0; other < first.count; other++) {
    if (r.cells[r.cellOf[other]!]!.remainderCent !== 'tie') continue;
    const k = tieKey(first.ids[other]!);
    for (let i = 0; i < asked.length; i++) {
      const order = compareKeys(k, keys[i]!);
      if (order < 0 || (order === 0 && other < asked[i]!)) smaller[i]!++;
    }
  }
  asked.forEach((row, i) => ranks.set(row, smaller[i]! + 1));
  return ranks;
}

/**
 * The report of one row of the first-round table in the second round `r`. `tieKey` is
 * tieKeyer(r.seed); `uncashedLine` the claim's line in the uncashed list (or null); `ranks` the
 * tie ranks of tieRanks (computed here for this row when not given).
 */
export function explainRoundTwoClaim(
  plan: Pick<Plan, 'maximumPayment' | 'minimumPayment' | 'rounding'>,
  first: FirstRoundTable,
  r: Redistribution,
  row: number,
  tieKey: (id: string) => string,
  files: { uncashed: string; uncashedLine: number | null },
  ranks?: ReadonlyMap<number, number>,
): RoundTwoClaimReport {
  if (!(row >= 0 && row < first.count)) throw new RangeError(`row ${row} is not a first-round row`);
  const c = r.cellOf[row]!;
  const cell = r.cells[c]!;
  const lr = roundingMethod(r.rounding).needsTieKeys;
  const paid = cell.outcome === 'paid' || cell.outcome === 'capped';
  const noRoom = cell.status === 'eligible' && !inFill(plan, cell);
  const participates = cell.status === 'eligible';
  const f = r.fill;
  const points = formatShare(cell.firstShare);

  // Where the remainder stands among the paid claims (docs/spec.md §4a).
  let larger = 0;
  let equal = 0;
  if (lr && cell.outcome === 'paid') {
    for (const o of r.cells) {
      if (o.outcome !== 'paid') continue;
      const x = o.remainder.n * cell.remainder.d;
      const y = cell.remainder.n * o.remainder.d;
      if (x > y) larger += o.count;
      else if (x === y) equal += o.count;
    }
  }

  let tie: RoundTwoClaimReport['cents']['tie'] = null;
  if (cell.remainderCent === 'tie' && r.tie !== null) {
    const id = first.ids[row]!;
    const rank = ranks?.get(row) ?? tieRanks(first, r, [row], tieKey).get(row)!;
    tie = { key: tieKey(id), keyInput: `${r.seed}:${id}`, rank, size: r.tie.size, cents: r.tie.cents, cutoffKey: r.tie.cutoffKey };
  }

  let share: RoundTwoClaimReport['share'] = null;
  if (paid && !noRoom) {
    let formula: string;
    if (cell.outcome === 'capped') {
      const room = cell.room ?? 0n;
      if (r.level === null) formula = `${room} (its room: every claim paid is capped)`;
      else {
        const lp = reduce({ n: r.level.n * cell.firstShare, d: r.level.d });
        formula = `min(${room}, ${fractionText({ n: r.level.n * 1_000_000n, d: r.level.d })} × ${points} = ${fractionText(lp)}) = ${room} (its room)`;
      }
    } else {
      const net = f.cappedClaims > 0 ? `(${r.available.available} − ${f.cappedTotal})` : `${r.available.available}`;
      formula = `${net} × ${points} / ${formatShare(f.paidPoints)}`;
    }
    share = { formula, cents: fractionOf(cell.share) };
  }

  const amount: Cents = amountOf(r, row);
  return {
    claimId: first.ids[row]!,
    firstLedgerLine: first.lines[row]!,
    class: first.classes[cell.classIndex] ?? '',
    first: { outcome: FIRST_ROUND_OUTCOMES[first.outcomeIndex[row]!]!, amount: formatMoney(cell.firstAmount), share: points },
    status: cell.status,
    statusReason: statusOf(first, row, cell, files.uncashed, files.uncashedLine),
    uncashedLine: files.uncashedLine,
    pool: participates
      ? {
          points: r.points,
          eligibleClaims: f.eligibleClaims,
          eligiblePoints: formatShare(f.eligiblePoints),
          noRoomClaims: f.noRoomClaims,
          belowMinimumClaims: f.belowMinimumClaims,
          removedValues: f.removedValues,
          cappedClaims: f.cappedClaims,
          cappedTotal: formatMoney(f.cappedTotal),
          paidClaims: f.paidClaims,
          paidPoints: formatShare(f.paidPoints),
          centsPerShareUnit: r.level === null ? null : fractionOf({ n: r.level.n * 1_000_000n, d: r.level.d }),
          perFirstRoundShare: r.level === null ? null : formatRationalHalfEven(perShareUnit(r.level), 6),
        }
      : null,
    outcome: cell.outcome,
    share,
    cap: {
      maximum: plan.maximumPayment === null ? null : formatMoney(plan.maximumPayment),
      room: cell.room === null ? null : formatMoney(cell.room),
      noRoom,
      applied: cell.outcome === 'capped',
    },
    minimum: {
      minimum: plan.minimumPayment === null ? null : formatMoney(plan.minimumPayment),
      removed: cell.outcome === 'below_minimum' ? minimumStep(plan, r, cell) : null,
    },
    cents: {
      method: r.rounding.method,
      floor: formatMoney(cell.floor),
      floorCents: cell.floor.toString(),
      remainderCents: lr && cell.outcome === 'paid' ? fractionOf(cell.remainder) : null,
      leftoverCents: r.centsPlaced.toString(),
      largerRemainders: larger,
      equalRemainders: equal,
      level: cell.remainderCent,
      remainderCent: r.extraCent[row] === 1,
      tie,
    },
    amount: formatMoney(amount),
    amountCents: amount.toString(),
  };
}
