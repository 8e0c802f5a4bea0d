/**
 * `payout estimate` (docs/spec.md §7): the per-claimant amounts a notice or the press can quote
 * before the claims deadline, for assumed claim rates (members × rate), or for claimant counts
 * given directly.
 */
import {
  estimate,
  parseClassCounts,
  parseRate,
  scenariosFromRates,
  type ClaimRate,
  type Estimate,
  type EstimateScenario,
} from '../core/estimate.js';
import { netFundOf } from '../core/allocate.js';
import type { Plan } from '../core/plan.js';
import type { Problem } from '../core/problems.js';
import { UsageError } from '../core/errors.js';
import { tieKeyer } from '../io/hash.js';
import { loadPlan } from '../io/plan-file.js';

/** The scenarios as given: `CLASS=N` and rate texts, as on the command line. */
export interface EstimateRequest {
  members: readonly string[];
  rate: readonly string[];
  claimants: readonly string[];
}

export interface EstimateOptions extends EstimateRequest {
  planFile: string;
}

const usage = (message: string): Problem => ({ code: 'input', severity: 'error', message });

/** The options as scenarios, or a UsageError (exit 2) listing every problem found. */
export function parseEstimateOptions(plan: Plan, o: EstimateRequest): EstimateScenario[] {
  const problems: Problem[] = [];
  const direct = o.claimants.length > 0;
  if (direct && (o.members.length > 0 || o.rate.length > 0)) {
    problems.push(usage('--claimants gives the counts directly: use it without --members and --rate'));
  } else if (!direct && o.members.length === 0) {
    problems.push(usage(`give --members CLASS=N for every class (${plan.classes.map((c) => c.id).join(', ')}) and one or more --rate, or --claimants CLASS=N`));
  } else if (!direct && o.rate.length === 0) {
    problems.push(usage('give one or more --rate, e.g. --rate 100% --rate 1.5% --rate 20%'));
  }
  const rates: ClaimRate[] = [];
  for (const r of o.rate) {
    const parsed = parseRate(r);
    if ('code' in parsed) problems.push(parsed);
    else rates.push(parsed);
  }
  const counts = parseClassCounts(plan, direct ? '--claimants' : '--members', direct ? o.claimants : o.members);
  if ('problems' in counts) problems.push(...(o.members.length > 0 || direct ? counts.problems : []));
  if (problems.length > 0 || 'problems' in counts) throw new UsageError('the estimate options were refused', problems);
  if (direct) return [{ rate: null, members: null, claimants: counts.counts }];
  return scenariosFromRates(counts.counts, rates);
}

/** The plan's estimate for the scenarios asked; bad options are one UsageError listing them all. */
export async function estimateAmounts(o: EstimateOptions): Promise<{ plan: Plan; estimate: Estimate }> {
  const { plan } = await loadPlan(o.planFile);
  const scenarios = parseEstimateOptions(plan, o);
  return { plan, estimate: estimate(plan, netFundOf(plan), scenarios, tieKeyer(plan.seed)) };
}
