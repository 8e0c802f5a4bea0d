/**
 * The plan `payout pay` reads, of either form (classes or buckets, docs/allocation.md section 12):
 * only its currency, seed and `payments` section matter to the payment files.
 */
import type { Plan } from '../core/plan.js';
import { loadBucketPlan, planForm } from '../io/bucket-plan-file.js';
import { loadPlan } from '../io/plan-file.js';

export interface PayPlan {
  plan: Pick<Plan, 'currency' | 'seed' | 'payments'>;
  sha256: string;
}

/** Loads the plan by its form; a refused plan is a UsageError (exit 2) as for allocate. */
export async function loadPayPlan(file: string): Promise<PayPlan> {
  return (await planForm(file)) === 'buckets' ? loadBucketPlan(file) : loadPlan(file);
}
