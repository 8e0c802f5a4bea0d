/**
 * The case facts an accounting needs that no payout file holds (docs/accounting.md): class size,
 * notices sent and returned, opt-outs, objections, how notice was given. They come from the
 * administrator's records in a small JSON file; a fact not given is shown as "not given", never
 * estimated. Unknown keys are refused: a misspelt "objection" must not silently read as absent.
 */
import { z } from 'zod';

const count = (what: string) =>
  z
    .number({ error: (iss) => (typeof iss.input === 'string' ? `${what} must be a JSON integer, not a string` : `expected ${what} as a JSON integer`) })
    .int('must be a whole number')
    .nonnegative('must not be negative');

export const factsSchema = z.strictObject({
  /** Free text naming where the facts come from (a declaration, a date). */
  source: z.string().min(1, 'must not be empty').optional(),
  /** Class members (the class size), as the notice plan counted them. */
  classMembers: count('the number of class members').optional(),
  /** Class members to whom notice was sent. */
  noticesSent: count('the number of notices sent').optional(),
  /** Notices returned as undeliverable. */
  noticesReturned: count('the number of notices returned').optional(),
  /** How notice was given, e.g. ["email", "postcard", "publication"]. */
  noticeMethods: z.array(z.string().min(1, 'must not be empty')).optional(),
  /** Valid requests for exclusion. */
  optOuts: count('the number of opt-outs').optional(),
  objections: count('the number of objections').optional(),
});

export type Facts = z.output<typeof factsSchema>;
