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
import { formatScaled, RAT_ZERO, ratFloor, type Rational } from './decimal.js';
import { pickSmallestKeys, REMAINDER_ALL, REMAINDER_TIE } from './cents.js';
import { roundingMethod } from './rounding/index.js';
import { restoreFormula } from './csv-cell.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan, Rounding } from './plan.js';
import type { Problem } from './problems.js';
import { fillWithRooms, type FillOutcome, type RoomGroup } from './redistribute-fill.js';

/** A claim's outcome in the second-round ledger (docs/spec.md §6). */
export type RedistributionOutcome = FillOutcome | 'uncashed' | 'ineligible';

/** The outcomes a first-round ledger may hold (docs/spec.md §5). */
export const FIRST_ROUND_OUTCOMES = ['paid', 'capped', 'below_minimum', 'ineligible'] as const;
export type FirstRoundOutcome = (typeof FIRST_ROUND_OUTCOMES)[number];

/** The suffix of the second round's seed: keys are SHA-256(seed + ":round-2" + ":" + claim_id). */
export const ROUND_2_SEED_SUFFIX = ':round-2';

export function roundTwoSeed(plan: Pick<Plan, 'seed'>): string {
  return plan.seed + ROUND_2_SEED_SUFFIX;
}

/** The points basis of the second round, in words (summary.json `points`). */
export const ROUND_2_POINTS = 'first-round exact share';

/** Points are the share column in millionths of the currency unit: 40.532500 → 40532500. */
export const SHARE_PLACES = 6;
const SHARE_TEXT = /^(\d+)(?:\.(\d{1,6}))?$/;

/** A first ledger's share cell (`"40.532500"`) in millionths of the currency unit, or undefined. */
export function parseShare(text: string): bigint | undefined {
  const m = SHARE_TEXT.exec(text);
  if (!m) return undefined;
  return BigInt((m[1] ?? '') + (m[2] ?? '').padEnd(SHARE_PLACES, '0'));
}

/** Millionths of the currency unit → the ledger's 6-decimal text. */
export function formatShare(micros: bigint): string {
  return formatScaled(micros, SHARE_PLACES);
}

/** λ (cents per point) as currency per 1.00 of first-round exact share: × 10^6 points / 100 cents. */
export function perShareUnit(level: Rational): Rational {
  return { n: level.n * 10_000n, d: level.d };
}

/**
 * The first round's ledger as the core sees it (built by src/io/first-round-reader.ts): column-wise,
 * ids as strings, everything else an index into a small table of distinct values.
 */
export interface FirstRoundTable {
  count: number;
  /** claim_id per row, in ledger order. */
  ids: string[];
  /** Physical line of each row in the first-round ledger. */
  lines: Uint32Array;
  /** Distinct class ids, and each row's index into them. */
  classes: string[];
  classIndex: Uint32Array;
  /**
   * Distinct (first-round amount, first-round share) pairs: amounts[v] in cents and shares[v] (the
   * ledger's share column in millionths of the currency unit), and each row's index v into them.
   */
  amounts: Cents[];
  shares: bigint[];
  valueIndex: Uint32Array;
  /** Each row's first-round outcome, an index into FIRST_ROUND_OUTCOMES. */
  outcomeIndex: Uint8Array;
}

/** One line of the uncashed list. */
export interface UncashedEntry {
  line: number;
  claimId: string;
}

/**
 * Matches the uncashed list against the first-round ledger. Every problem is returned, each with
 * its line: a claim id the ledger does not hold, a claim that was not paid or capped (its
 * first-round outcome and ledger line named), a claim listed twice (both lines named).
 */
export function matchUncashed(
  first: FirstRoundTable,
  entries: readonly UncashedEntry[],
  files: { uncashed: string; ledger: string },
): { uncashed: Uint8Array; count: number } | { problems: Problem[] } {
  const rowOf = new Map<string, number>();
  for (let row = 0; row < first.count; row++) rowOf.set(first.ids[row]!, row);
  const uncashed = new Uint8Array(first.count);
  const firstLine = new Map<number, number>();
  const problems: Problem[] = [];
  const at = (line: number, message: string): Problem => ({ code: 'input', severity: 'error', file: files.uncashed, line, field: 'claim_id', message });
  for (const e of entries) {
    // A list made from the ledger in a spreadsheet may keep payout's formula guard ('=…).
    const row = rowOf.get(e.claimId) ?? rowOf.get(restoreFormula(e.claimId));
    if (row === undefined) {
      problems.push(at(e.line, `${JSON.stringify(e.claimId)} is not in the first-round ledger ${files.ledger}`));
      continue;
    }
    const seen = firstLine.get(row);
    if (seen !== undefined) {
      problems.push(at(e.line, `${JSON.stringify(e.claimId)} is listed twice (first on line ${seen})`));
      continue;
    }
    firstLine.set(row, e.line);
    const outcome = FIRST_ROUND_OUTCOMES[first.outcomeIndex[row]!]!;
    if (outcome !== 'paid' && outcome !== 'capped') {
      problems.push(
        at(
          e.line,
          `${JSON.stringify(e.claimId)} was not paid in the first round (outcome ${outcome}, ${files.ledger}:${first.lines[row]!}): only a paid or capped claim has a payment to return`,
        ),
      );
      continue;
    }
    uncashed[row] = 1;
  }
  return problems.length > 0 ? { problems } : { uncashed, count: firstLine.size };
}

/** How the money of the second round is reached. */
export interface Available {
  firstRoundResidual: Cents;
  uncashedClaims: number;
  /** Σ first-round amounts of the uncashed claims. */
  uncashedAmount: Cents;
  costs: Cents;
  /** firstRoundResidual + uncashedAmount − costs. */
  available: Cents;
}

/** Status of a row for the second round. */
const INELIGIBLE = 0;
const ELIGIBLE = 1;
const UNCASHED = 2;

export interface RedistributionCell {
  classIndex: number;
  valueIndex: number;
  /** The first-round amount of every row of the cell, in cents (the room is the cap less this). */
  firstAmount: Cents;
  /** The first-round exact share of every row of the cell: its points, in millionths of a unit. */
  firstShare: bigint;
  status: 'eligible' | 'uncashed' | 'ineligible';
  count: number;
  outcome: RedistributionOutcome;
  /** Room under the cap (cap − first amount), or null without a cap. */
  room: Cents | null;
  /** Exact second-round share per claim in cents (0 when not paid). Not in lowest terms. */
  share: Rational;
  /** Cents every row gets before the remainder rule (per-point: the whole amount). */
  floor: Cents;
  /** share − floor under largest remainder (0 for capped and unpaid claims, and under per-point). */
  remainder: Rational;
  remainderCent: 'none' | 'all' | 'tie';
  /** Rows of the cell that received a remainder cent. */
  extraCount: number;
}

export interface RedistributionTie {
  remainder: Rational;
  size: number;
  cents: number;
  /** The largest key that received a cent. */
  cutoffKey: string;
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

export interface Redistribution {
  /** plan.seed + ":round-2". */
  seed: string;
  rounding: Rounding;
  available: Available;
  /** Row → index into `cells`. */
  cellOf: Uint32Array;
  /** Row → 1 when the row received a remainder cent. */
  extraCent: Uint8Array;
  cells: RedistributionCell[];
  /** λ: second-round cents per point (null when no uncapped claim was paid). */
  level: Rational | null;
  /** The pool of the water-fill: what explain shows. */
  fill: RedistributionFill;
  classes: RedistributionClass[];
  totalPaid: Cents;
  /** available − totalPaid. */
  residual: Cents;
  centsPlaced: bigint;
  tie: RedistributionTie | null;
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

/** A row's second-round amount in cents. */
export function secondAmountOf(r: Redistribution, row: number): Cents {
  const cell = r.cells[r.cellOf[row]!];
  if (cell === undefined) throw new RangeError(`row ${row} is not in the redistribution`);
  return cell.floor + (r.extraCent[row] === 1 ? 1n : 0n);
}

/**
 * What the second round can pay (docs/spec.md §6), or a message when the costs are more than there
 * is: costs above what the residual and the uncashed checks bring are refused.
 */
export function availableFor(
  first: FirstRoundTable,
  uncashed: Uint8Array,
  firstRoundResidual: Cents,
  costs: Cents,
): Available | { message: string } {
  let uncashedAmount = 0n;
  let uncashedClaims = 0;
  for (let row = 0; row < first.count; row++) {
    if (uncashed[row] !== 1) continue;
    uncashedAmount += first.amounts[first.valueIndex[row]!]!;
    uncashedClaims++;
  }
  const before = firstRoundResidual + uncashedAmount;
  if (costs > before) {
    return {
      message: `the costs ${formatMoney(costs)} are more than the second round has: first-round residual ${formatMoney(firstRoundResidual)} + uncashed ${formatMoney(uncashedAmount)} = ${formatMoney(before)}`,
    };
  }
  return { firstRoundResidual, uncashedClaims, uncashedAmount, costs, available: before - costs };
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
        count: 0,
        outcome: status === UNCASHED ? 'uncashed' : 'ineligible',
        room: cap === null ? null : cap > firstAmount ? cap - firstAmount : 0n,
        share: RAT_ZERO,
        floor: 0n,
        remainder: RAT_ZERO,
        remainderCent: 'none',
        extraCount: 0,
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
    cell.outcome = s.outcome;
    cell.share = s.share;
    cell.floor = ratFloor(s.share);
    cell.remainder = rounding.remainder(s.share, cell.floor, s.outcome === 'paid');
    floors += cell.floor * BigInt(cell.count);
  });
  const mode = new Uint8Array(cells.length);
  const { centsPlaced, tie: tieLevel } = rounding.placeCents(cells.map((_, c) => c), cells, solution.exactTotal, floors, mode);

  const extraCent = new Uint8Array(rows);
  let tie: RedistributionTie | null = null;
  if (mode.some((m) => m !== 0)) {
    const tieRows = new Uint32Array(tieLevel?.size ?? 0);
    let filled = 0;
    for (let row = 0; row < rows; row++) {
      const m = mode[cellOf[row]!]!;
      if (m === REMAINDER_ALL) extraCent[row] = 1;
      else if (m === REMAINDER_TIE) tieRows[filled++] = row;
    }
    if (tieLevel !== null) {
      if (filled !== tieLevel.size) throw new RangeError('internal: tie set size mismatch');
      // docs/spec.md §4a: among equal remainders, the smaller key SHA-256(seed:round-2:claim_id) first.
      const cutoffKey = pickSmallestKeys(
        tieRows,
        tieLevel.cents,
        (row) => tieKey(first.ids[row]!),
        (row) => {
          extraCent[row] = 1;
          cells[cellOf[row]!]!.extraCount++;
        },
      );
      tie = { ...tieLevel, cutoffKey };
    }
  }
  const totalPaid = floors + centsPlaced;
  return {
    seed: roundTwoSeed(plan),
    rounding: plan.rounding,
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
