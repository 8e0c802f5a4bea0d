/** Reads plan.json (io/json-file.ts: bounded, no duplicate keys, a syntax error's line and column), hashes its bytes for the manifest, then the zod check. */
import { parsePlan, type Plan } from '../core/plan.js';
import { UsageError } from '../core/errors.js';
import { sha256Hex } from './hash.js';
import { readJsonFile } from './json-file.js';

export interface LoadedPlan {
  plan: Plan;
  file: string;
  sha256: string;
}

/** Loads and checks a plan; a plan that is refused is a usage error (exit 2) listing every problem. */
export async function loadPlan(file: string): Promise<LoadedPlan> {
  const { value, bytes } = await readJsonFile(file, {
    kind: 'plan',
    code: 'plan_json',
    refused: 'the plan was refused',
    missing: (f) => new UsageError(`${f}: plan file not found`),
  });
  const parsed = parsePlan(value, file);
  if ('problems' in parsed) throw new UsageError('the plan was refused', parsed.problems);
  return { plan: parsed.plan, file, sha256: sha256Hex(bytes) };
}
