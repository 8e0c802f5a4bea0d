/**
 * Plans the tests of the claims reader share: the reader needs a parsed plan (its classes) but
 * none of its money.
 */
import { parsePlan, type Plan } from '../../src/core/plan.js';

/** A two-class plan, Nationwide 1 and Illinois 6 shares (the TikTok shape), $1,000, seed "s". */
export function twoClassPlan(): Plan {
  const parsed = parsePlan(
    { name: 't', gross: '1000.00', classes: [{ id: 'nationwide', weight: '1' }, { id: 'illinois', weight: '6' }], seed: 's' },
    'plan.json',
  );
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.plan;
}
