/**
 * The rounding methods a plan can name, by `rounding.method`. A new method is one module
 * implementing RoundingMethod (method.ts) and one entry here.
 */
import { z } from 'zod';
import { largestRemainder } from './largest-remainder.js';
import type { RoundingMethod, RoundingSpec } from './method.js';
import { perPoint } from './per-point.js';

export const ROUNDING_METHODS = [largestRemainder, perPoint] as const;

/** A plan's normalised `rounding`: one of the methods' settings. */
export type Rounding = ReturnType<(typeof ROUNDING_METHODS)[number]['fromPlan']>;

/** The methods' names, the default first. */
export const ROUNDING_METHOD_NAMES = ROUNDING_METHODS.map((m) => m.name) as [string, ...string[]];

export const DEFAULT_ROUNDING: Rounding = largestRemainder.fromPlan();

const BY_NAME = new Map<string, RoundingMethod<RoundingSpec>>(ROUNDING_METHODS.map((m) => [m.name, m as unknown as RoundingMethod<RoundingSpec>]));

/** The method of a normalised `rounding`. */
export function roundingMethod(r: RoundingSpec): RoundingMethod<RoundingSpec> {
  const m = BY_NAME.get(r.method);
  if (m === undefined) throw new RangeError(`unknown rounding method ${JSON.stringify(r.method)}`);
  return m;
}

/** plan.json's `rounding`: one of the methods' objects, told apart by `method`. */
export const roundingSchema = z.discriminatedUnion(
  'method',
  ROUNDING_METHODS.map((m) => m.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: `method must be ${ROUNDING_METHOD_NAMES.map((n) => JSON.stringify(n)).join(' or ')}` },
);

/** The parsed `rounding` object, normalised by its method. */
export function roundingFromPlan(parsed: { method: string } & Record<string, unknown>): Rounding {
  return roundingMethod(parsed).fromPlan(parsed) as Rounding;
}

export type { CentsPlacement, RoundingFacts, RoundingMethod, RoundingSpec } from './method.js';
