/**
 * A rounding method: how exact shares (fractions of a cent) become whole cents (docs/spec.md §4).
 * Each method is one module implementing this interface, listed once in index.ts; the engines
 * (allocate.ts, redistribute.ts), the plan's schema, the readers and the summaries ask the method,
 * never its name.
 */
import type { z } from 'zod';
import type { RemainderCell } from '../cents.js';
import type { Rational } from '../decimal.js';
import type { RemainderPlace } from './words.js';

/** The normalised `rounding` of a plan: its method's name and that method's settings. */
export interface RoundingSpec {
  readonly method: string;
}

/** The leftover cents one pool places, and the tie set where they ran out (null: none). */
export interface CentsPlacement {
  centsPlaced: bigint;
  tie: { remainder: Rational; size: number; cents: number } | null;
}

/** What a method's one-line description for people may use. */
export interface RoundingFacts {
  /** Leftover cents placed. */
  centsPlaced: number;
  seed: string;
}

/** A claim's cents step as `payout explain` shows it (either round). */
export interface CentsStep {
  round: 1 | 2;
  outcome: string;
  /** The claim's points (first round), else null. */
  points: string | null;
  floorCents: string;
  /** The value of one point paid, in cents, when the method has one. */
  pointValueCents: string | null;
  remainderCents: { fraction: string; decimal: string } | null;
  /** The pool's (or round's) leftover cents. */
  leftoverCents: string;
  place: RemainderPlace;
}

/** What the report's paragraph on the method may use. */
export interface RoundingReportFacts {
  /** Leftover cents placed over all pools. */
  centsPlaced: number;
  /** `seed "…"`. */
  seed: string;
  /** Each pool's point value as people read it, `nationwide: $27.84, …` (methods with a point value). */
  pointValues: string;
}

export interface RoundingMethod<R extends RoundingSpec> {
  /** plan.json's `rounding.method`. */
  readonly name: R['method'];
  /** plan.json's `rounding` object for this method (zod; `method` is a literal of `name`). */
  readonly schema: z.ZodType;
  /** The parsed `rounding` object, normalised. */
  fromPlan(parsed: { method: string } & Record<string, unknown>): R;
  /**
   * True when claims are ranked by their tie-break key SHA-256(seed:claim_id) (docs/spec.md §4a): the
   * reader then hashes the ids while it reads, and explain shows a claim's rank.
   */
  readonly needsTieKeys: boolean;
  /** The water-fill's per-point step: decimals to floor the value of one point to, or null. */
  pointValueDecimals(r: R): number | null;
  /** What is left of a claim's exact share once `floor` cents are paid, for placing leftover cents. */
  remainder(share: Rational, floor: bigint, paid: boolean): Rational;
  /**
   * Places a pool's leftover cents (`exactTotal − floors`) among its `members` cells: marks `mode`
   * and the cells (cents.ts's REMAINDER_ALL / REMAINDER_TIE) and says where the tie set is.
   */
  placeCents(members: readonly number[], cells: RemainderCell[], exactTotal: bigint, floors: bigint, mode: Uint8Array): CentsPlacement;
  /** The method in one line of `payout allocate`'s summary. */
  summaryLine(r: R, facts: RoundingFacts): string;
  /** The method in one line of `payout redistribute`'s summary (shares of the second round). */
  roundTwoLine(r: R, facts: RoundingFacts): string;
  /** `payout explain`'s cents step of one claim: a title and its lines (the command styles the title). */
  explainCents(step: CentsStep): { title: string; lines: string[] };
  /** The paragraph on the cents in report.html's method section. */
  reportParagraph(r: R, facts: RoundingReportFacts): string;
}

/**
 * How many leftover cents a method placed, as summary.json shows it: a JSON number. It is a count,
 * not an amount (at most one cent per claim, far inside 2^53), so it may leave bigint here.
 */
export function placedCount(placed: bigint): number {
  return Number(placed);
}
