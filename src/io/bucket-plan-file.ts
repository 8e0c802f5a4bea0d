/**
 * Which form a plan file has (`classes` or `buckets`), whether an output folder was written from
 * a bucket plan, and loading a bucket plan. A file that is
 * unreadable or not JSON is left to loadPlan (plan-file.ts), which words those errors.
 */
import { join } from 'node:path';
import { isBucketPlan, parseBucketPlan, type BucketPlan } from '../core/buckets/plan.js';
import { UsageError } from '../core/errors.js';
import { sha256Hex } from './hash.js';
import { readJsonFile } from './json-file.js';

export interface LoadedBucketPlan {
  plan: BucketPlan;
  file: string;
  sha256: string;
}

/** The plan's bytes and JSON through the one JSON reader (json-file.ts), or null when it refuses them. */
async function readJson(file: string): Promise<{ bytes: Buffer; value: unknown } | null> {
  return readPlanJson(file).catch(() => null);
}

const readPlanJson = (file: string): Promise<{ bytes: Buffer; value: unknown }> =>
  readJsonFile(file, { kind: 'plan', code: 'plan_json', refused: 'the plan was refused', missing: (f) => new UsageError(`${f}: plan file not found`) });

/** `buckets` when the plan file is a JSON object with a `buckets` key, else `classes`. */
export async function planForm(file: string): Promise<'classes' | 'buckets'> {
  const json = await readJson(file);
  return json !== null && isBucketPlan(json.value) ? 'buckets' : 'classes';
}

/** Loads and checks a bucket plan; a refused plan is a usage error (exit 2) listing every problem. */
export async function loadBucketPlan(file: string): Promise<LoadedBucketPlan> {
  const json = await readPlanJson(file);
  const parsed = parseBucketPlan(json.value, file);
  if ('problems' in parsed) throw new UsageError('the plan was refused', parsed.problems);
  return { plan: parsed.plan, file, sha256: sha256Hex(json.bytes) };
}

/** True when DIR/summary.json is a bucket plan's summary (`"mode": "buckets"`). */
export async function isBucketFolder(dir: string): Promise<boolean> {
  return (await folderForm(dir)) === 'buckets';
}

/**
 * The plan form DIR/summary.json was written from: `buckets` when it says `"mode": "buckets"`,
 * `classes` for any other JSON object, undefined when there is none to read (the ordinary reader
 * then says what is wrong, in its own words).
 */
export async function folderForm(dir: string): Promise<'classes' | 'buckets' | undefined> {
  const file = join(dir, 'summary.json');
  try {
    const { value } = await readJsonFile(file, { kind: 'summary', missing: () => new UsageError(`${file}: not found`) });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return (value as { mode?: unknown }).mode === 'buckets' ? 'buckets' : 'classes';
  } catch {
    return undefined;
  }
}
