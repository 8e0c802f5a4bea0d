/**
 * Which form a plan file has (`classes` or `buckets`), whether an output folder was written from
 * a bucket plan, and loading a bucket plan. A file that is
 * unreadable or not JSON is left to loadPlan (plan-file.ts), which words those errors.
 */
import { readFile } from 'node:fs/promises';
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

async function readJson(file: string): Promise<{ bytes: Buffer; value: unknown } | null> {
  try {
    const bytes = await readFile(file);
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { bytes, value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

/** `buckets` when the plan file is a JSON object with a `buckets` key, else `classes`. */
export async function planForm(file: string): Promise<'classes' | 'buckets'> {
  const json = await readJson(file);
  return json !== null && isBucketPlan(json.value) ? 'buckets' : 'classes';
}

/** Loads and checks a bucket plan; a refused plan is a usage error (exit 2) listing every problem. */
export async function loadBucketPlan(file: string): Promise<LoadedBucketPlan> {
  const json = await readJson(file);
  if (json === null) throw new UsageError(`${file}: cannot read the plan as JSON`);
  const parsed = parseBucketPlan(json.value, file);
  if ('problems' in parsed) throw new UsageError('the plan was refused', parsed.problems);
  return { plan: parsed.plan, file, sha256: sha256Hex(json.bytes) };
}

/** True when DIR/summary.json is a bucket plan's summary (`"mode": "buckets"`). */
export async function isBucketFolder(dir: string): Promise<boolean> {
  const file = join(dir, 'summary.json');
  try {
    const { value } = await readJsonFile(file, { kind: 'summary', missing: () => new UsageError(`${file}: not found`) });
    return typeof value === 'object' && value !== null && (value as { mode?: unknown }).mode === 'buckets';
  } catch {
    return false; // the ordinary reader says what is wrong, in its own words
  }
}
