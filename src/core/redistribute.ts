/**
 * The second distribution (docs/spec.md §6): uncashed checks come back, and the money goes to the
 * claimants who cashed theirs, pro rata to their first-round exact share.
 *
 * - available = first-round residual + Σ first-round amounts of the uncashed claims − costs;
 * - eligible: paid or capped in the first round with an amount above 0, and not uncashed;
 * - points: the first-round exact share, the first ledger's `share` column (6 decimals), so claims
 *   of equal entitlement, paid amounts a cent apart by the first round's remainder rule, have equal
 *   points and the minimum rule keeps or removes them together (docs/redistribute.md);
 * - cap: maximumPayment − first-round AMOUNT, the money received (a claim with no room, or room
 *   below minimumPayment, is `capped` and gets 0); the minimum applies to the second-round amount;
 * - cents: the plan's method, with seed `plan.seed + ":round-2"`: largest remainder with the
 *   tie-break key SHA-256(seed + ":round-2" + ":" + claim_id), or, under per-point rounding, every
 *   exact share floored to the cent (equal first shares and rooms, equal second amounts; the rest
 *   residual).
 *
 * As in allocate.ts, rows are grouped into cells (class, first amount and share, status) and
 * everything is computed per cell; a row is touched to find its cell and, in the one tie set, to
 * hash its id.
 */
import { ratFloor, type Rational } from './decimal.js';
import { awardRemainderCents, settleCell, unpaidCents, type CellCents, type CentCell, type TieSet } from './cell-cents.js';
import { roundingMethod } from './rounding/index.js';
import type { Cents } from './money.js';
import { FIRST_ROUND_OUTCOMES, type Available, type FirstRoundTable } from './first-round.js';
import type { Plan, Rounding } from './plan.js';
import { fillWithRooms, type FillOutcome, type RoomGroup } from './redistribute-fill.js';

/** A claim's outcome in the second-round ledger (docs/spec.md §6). */
export type RedistributionOutcome = FillOutcome | 'uncashed' | 'ineligible';

/** The suffix of the second round's seed: keys are SHA-256(seed + ":round-2" + ":" + claim_id). */
export const ROUND_2_SEED_SUFFIX = ':round-2';

export function roundTwoSeed(plan: Pick<Plan, 'seed'>): string {
  return plan.seed + ROUND_2_SEED_SUFFIX;
}

/** The points basis of the second round, in words (summary.json `points`). */
export const ROUND_2_POINTS = 'first-round exact share';

/** The points basis after a bucket plan's first round (docs/spec.md §6a): the amount paid. */
export const ROUND_2_POINTS_AMOUNT = 'first-round amount';

/** The points basis of a first round's second round, in words. */
export function pointsBasisOf(first: Pick<FirstRoundTable, 'pointsBasis'>): string {
  return first.pointsBasis === 'amount' ? ROUND_2_POINTS_AMOUNT : ROUND_2_POINTS;
}

/** λ (cents per point) as currency per 1.00 of first-round exact share: × 10^6 points / 100 cents. */
export function perShareUnit(level: Rational): Rational {
  return { n: level.n * 10_000n, d: level.d };
}

/** Status of a row for the second round. */
const INELIGIBLE = 0;
const ELIGIBLE = 1;
const UNCASHED = 2;

export interface RedistributionCell extends CentCell<RedistributionOutcome> {
  classIndex: number;
  valueIndex: number;
  /** The first-round amount of every row of the cell, in cents (the room is the cap less this). */
  firstAmount: Cents;
  /** The first-round exact share of every row of the cell: its points, in millionths of a unit. */
  firstShare: bigint;
  status: 'eligible' | 'uncashed' | 'ineligible';
  /** Room under the cap (cap − first amount), or null without a cap. */
  room: Cents | null;
}

export interface RedistributionClass {
  id: string;
  claims: number;
  /** Cashed, paid or capped in the first round with an amount above 0. */
  eligible: number;
  uncashed: number;
  ineligible: number;
  /** Claims paid an amount above 0 in the second round (outcome paid or capped). */
  paid: number;
  /** Outcome capped: at their room, or with no room left (0). */
  capped: number;
  belowMinimum: number;
  /** Σ first-round amounts of the eligible claims, in cents. */
  eligibleFirstAmount: Cents;
  /** Σ first-round exact shares of the eligible claims (their points), in millionths of a unit. */
  eligibleFirstShare: bigint;
  amount: Cents;
  smallest: Cents | null;
  largest: Cents | null;
}

export interface Redistribution extends CellCents<RedistributionCell> {
  /** plan.seed + ":round-2". */
  seed: string;
  rounding: Rounding;
  /** The points basis in words: ROUND_2_POINTS, or ROUND_2_POINTS_AMOUNT after a bucket plan. */
  points: string;
  available: Available;
  /** λ: second-round cents per point (null when no uncapped claim was paid). */
  level: Rational | null;
  /** The pool of the water-fill: what explain shows. */
  fill: RedistributionFill;
  classes: RedistributionClass[];
  totalPaid: Cents;
  /** available − totalPaid. */
  residual: Cents;
  centsPlaced: bigint;
  tie: TieSet | null;
}

/** The one pool of the second round, after the cap and the minimum rule. */
export interface RedistributionFill {
  /** Eligible claims (cashed) and Σ of their points. */
  eligibleClaims: number;
  eligiblePoints: bigint;
  /** Eligible claims with no room, or room below the minimum: capped at 0 before the fill. */
  noRoomClaims: number;
  /** Claims removed by the minimum rule, and the distinct points values removed (its rounds). */
  belowMinimumClaims: number;
  removedValues: number;
  /** Claims capped at their room by the water-fill, and Σ of those rooms. */
  cappedClaims: number;
  cappedTotal: Cents;
  /** Claims paid pro rata (λ × points) and Σ of their points: the divisor of their shares. */
  paidClaims: number;
  paidPoints: bigint;
}

/**
 * The second distribution of `available` over the first round's claims. `uncashed` flags rows
 * (matchUncashed); `tieKey` is tieKeyer(roundTwoSeed(plan)).
 */
export function redistribute(
  plan: Pick<Plan, 'maximumPayment' | 'minimumPayment' | 'rounding' | 'seed'>,
  first: FirstRoundTable,
  uncashed: Uint8Array,
  available: Available,
  tieKey: (id: string) => string,
): Redistribution {
  const rows = first.count;
  const cap = plan.maximumPayment;
  const minimum = plan.minimumPayment !== null && plan.minimumPayment > 0n ? plan.minimumPayment : null;
  const rounding = roundingMethod(plan.rounding);

  // Cells: (class, first amount and share, status). Keys are numbers below 3 · classes · values.
  const nClasses = first.classes.length;
  const cellOf = new Uint32Array(rows);
  const cells: RedistributionCell[] = [];
  const cellByKey = new Map<number, number>();
  const statusOf = first.amounts.map((a) => a > 0n);
  for (let row = 0; row < rows; row++) {
    const ai = first.valueIndex[row]!;
    const ci = first.classIndex[row]!;
    const o = first.outcomeIndex[row]!;
    const status = uncashed[row] === 1 ? UNCASHED : (o === 0 || o === 1) && statusOf[ai] ? ELIGIBLE : INELIGIBLE;
    const key = (ai * nClasses + ci) * 3 + status;
    let cell = cellByKey.get(key);
    if (cell === undefined) {
      cell = cells.length;
      cellByKey.set(key, cell);
      const firstAmount = first.amounts[ai]!;
      cells.push({
        classIndex: ci,
        valueIndex: ai,
        firstAmount,
        firstShare: first.shares[ai]!,
        status: status === ELIGIBLE ? 'eligible' : status === UNCASHED ? 'uncashed' : 'ineligible',
        ...unpaidCents<RedistributionOutcome>(0, status === UNCASHED ? 'uncashed' : 'ineligible'),
        room: cap === null ? null : cap > firstAmount ? cap - firstAmount : 0n,
      });
    }
    cellOf[row] = cell;
    cells[cell]!.count++;
  }

  // One group per (first amount, first share) among the eligible cells with room: equal points,
  // equal room. Groups of equal share and amounts a cent apart have equal points; the fill's
  // minimum rule keeps or removes them together. A claim whose room is 0 or below the minimum is
  // capped at what it has: it gets 0.
  const noRoomBelow = minimum ?? 1n;
  const groupOfValue = new Map<number, number>();
  const groups: { points: bigint; count: bigint; room: Cents | null }[] = [];
  const cellGroup = new Int32Array(cells.length).fill(-1);
  let eligibleClaims = 0;
  let eligiblePoints = 0n;
  let noRoomClaims = 0;
  let zeroPointsClaims = 0;
  cells.forEach((cell, c) => {
    if (cell.status !== 'eligible') return;
    eligibleClaims += cell.count;
    eligiblePoints += cell.firstShare * BigInt(cell.count);
    if (cell.room !== null && cell.room < noRoomBelow) {
      cell.outcome = 'capped';
      noRoomClaims += cell.count;
      return;
    }
    if (cell.firstShare === 0n) {
      // A share that rounds to 0.000000 (a cent won by the remainder rule): λ × 0 is 0, and the
      // minimum rule removes the smallest points value, 0, first.
      cell.outcome = minimum === null ? 'paid' : 'below_minimum';
      zeroPointsClaims += cell.count;
      return;
    }
    let g = groupOfValue.get(cell.valueIndex);
    if (g === undefined) {
      g = groups.length;
      groupOfValue.set(cell.valueIndex, g);
      groups.push({ points: cell.firstShare, count: 0n, room: cell.room });
    }
    groups[g]!.count += BigInt(cell.count);
    cellGroup[c] = g;
  });
  const solution = fillWithRooms(available.available, groups as RoomGroup[], minimum);
  const zeroRemoved = minimum !== null && zeroPointsClaims > 0;
  const fill: RedistributionFill = {
    eligibleClaims,
    eligiblePoints,
    noRoomClaims,
    belowMinimumClaims: Number(solution.belowMinimumClaims) + (zeroRemoved ? zeroPointsClaims : 0),
    removedValues: solution.removedValues + (zeroRemoved ? 1 : 0),
    cappedClaims: Number(solution.cappedClaims),
    cappedTotal: solution.cappedTotal,
    paidClaims: eligibleClaims - noRoomClaims - Number(solution.belowMinimumClaims) - Number(solution.cappedClaims) - (zeroRemoved ? zeroPointsClaims : 0),
    paidPoints: solution.uncappedPoints,
  };

  let floors = 0n;
  cells.forEach((cell, c) => {
    const g = cellGroup[c]!;
    if (g < 0) return;
    const s = solution.shares[g]!;
    floors += settleCell(cell, s, ratFloor(s.share), rounding);
  });
  const mode = new Uint8Array(cells.length);
  const { centsPlaced, tie: tieLevel } = rounding.placeCents(cells.map((_, c) => c), cells, solution.exactTotal, floors, mode);

  // docs/spec.md §4a: among equal remainders, the smaller key SHA-256(seed:round-2:claim_id) first.
  const { extraCent, cutoffKeys } = awardRemainderCents(rows, cellOf, cells, mode, new Uint32Array(cells.length), [tieLevel], (row) => tieKey(first.ids[row]!));
  const tie: TieSet | null = tieLevel && { ...tieLevel, cutoffKey: cutoffKeys[0]! };
  const totalPaid = floors + centsPlaced;
  return {
    seed: roundTwoSeed(plan),
    rounding: plan.rounding,
    points: pointsBasisOf(first),
    available,
    cellOf,
    extraCent,
    cells,
    level: solution.level,
    fill,
    classes: summariseClasses(first, cells),
    totalPaid,
    residual: available.available - totalPaid,
    centsPlaced,
    tie,
  };
}

function summariseClasses(first: FirstRoundTable, cells: readonly RedistributionCell[]): RedistributionClass[] {
  const out = first.classes.map(
    (id): RedistributionClass => ({
      id,
      claims: 0,
      eligible: 0,
      uncashed: 0,
      ineligible: 0,
      paid: 0,
      capped: 0,
      belowMinimum: 0,
      eligibleFirstAmount: 0n,
      eligibleFirstShare: 0n,
      amount: 0n,
      smallest: null,
      largest: null,
    }),
  );
  const consider = (s: RedistributionClass, amount: Cents): void => {
    if (amount <= 0n) return;
    if (s.smallest === null || amount < s.smallest) s.smallest = amount;
    if (s.largest === null || amount > s.largest) s.largest = amount;
  };
  for (const cell of cells) {
    const s = out[cell.classIndex]!;
    s.claims += cell.count;
    if (cell.status === 'uncashed') s.uncashed += cell.count;
    else if (cell.status === 'ineligible') s.ineligible += cell.count;
    else {
      s.eligible += cell.count;
      s.eligibleFirstAmount += cell.firstAmount * BigInt(cell.count);
      s.eligibleFirstShare += cell.firstShare * BigInt(cell.count);
    }
    if (cell.outcome === 'below_minimum') s.belowMinimum += cell.count;
    if (cell.outcome === 'capped') s.capped += cell.count;
    if (cell.outcome === 'paid' || cell.outcome === 'capped') {
      s.amount += cell.floor * BigInt(cell.count) + BigInt(cell.extraCount);
      const none = cell.count - cell.extraCount;
      if (none > 0) consider(s, cell.floor);
      if (cell.extraCount > 0) consider(s, cell.floor + 1n);
      if (none > 0 && cell.floor > 0n) s.paid += none;
      if (cell.extraCount > 0) s.paid += cell.extraCount;
    }
  }
  return out;
}
