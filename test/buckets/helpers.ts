import { createHash } from 'node:crypto';
import { allocateBuckets, type BucketAllocation } from '../../src/core/buckets/allocate.js';
import { bucketClaimFromRow, mapBucketColumns, type BucketClaim } from '../../src/core/buckets/claims.js';
import { parseBucketPlan, type BucketPlan } from '../../src/core/buckets/plan.js';
import type { Problem } from '../../src/core/problems.js';

export function plan(value: Record<string, unknown>): BucketPlan {
  const r = parseBucketPlan({ name: 't', gross: '1000.00', seed: 's', ...value }, 'plan.json');
  if ('problems' in r) throw new Error(r.problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
  return r.plan;
}

export function planProblems(value: Record<string, unknown>): Problem[] {
  const r = parseBucketPlan({ name: 't', gross: '1000.00', seed: 's', ...value }, 'plan.json');
  return 'problems' in r ? r.problems : [];
}

/** Rows as objects (header = keys of the first row). */
export function claims(p: BucketPlan, rows: Record<string, string>[]): { claims: BucketClaim[]; problems: Problem[] } {
  const header = Object.keys(rows[0] ?? { claim_id: '' });
  const mapped = mapBucketColumns(p, header, 'claims.csv', 'plan.json');
  if ('problems' in mapped) return { claims: [], problems: mapped.problems };
  const problems: Problem[] = [];
  const out = rows.map((r, i) => bucketClaimFromRow(p, mapped.columns, header.map((h) => r[h] ?? ''), i + 2, 'claims.csv', problems));
  return { claims: out, problems };
}

export const tieKey = (seed: string) => (bucketId: string, claimId: string): string => createHash('sha256').update(`${seed}:${bucketId}:${claimId}`).digest('hex');

export function run(p: BucketPlan, rows: Record<string, string>[]): { alloc: BucketAllocation; claims: BucketClaim[] } {
  const c = claims(p, rows);
  if (c.problems.length > 0) throw new Error(c.problems.map((x) => `${x.line}: ${x.field}: ${x.message}`).join('\n'));
  const alloc = allocateBuckets(p, c.claims, tieKey(p.seed));
  if ('refused' in alloc) throw new Error(alloc.refused.message);
  return { alloc, claims: c.claims };
}
