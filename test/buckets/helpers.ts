import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocateBuckets, exactRun, type BucketAllocation } from '../../src/core/buckets/allocate.js';
import { ratAdd, ratCmp, ratFloor, type Rational } from '../../src/core/decimal.js';
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

/**
 * The minimum payment as the rule is written (the oracle for src/core/buckets/minimum.ts): the
 * allocation is redone after every removed group. Returns the claims still active.
 */
export function minimumByRerun(p: BucketPlan, cs: readonly BucketClaim[], start: readonly boolean[], minimum: bigint): boolean[] {
  const active = [...start];
  for (;;) {
    const r = exactRun(p, cs, active);
    if ('refused' in r) throw new Error(r.refused.message);
    let smallest: Rational | null = null;
    const low: number[] = [];
    r.shares.forEach((row, i) => {
      if (!active[i]) return;
      if (row.reduce((acc, s) => acc + ratFloor(s), 0n) >= minimum) return;
      const total = row.reduce(ratAdd, { n: 0n, d: 1n });
      low.push(i);
      if (smallest === null || ratCmp(total, smallest) < 0) smallest = total;
    });
    if (low.length === 0) return active;
    for (const i of low) if (ratCmp(r.shares[i]!.reduce(ratAdd, { n: 0n, d: 1n }), smallest!) === 0) active[i] = false;
  }
}

/**
 * $100.00 net. Bucket `c` (points, total cap $0.01) is funded first: three claims of 1 point share
 * one cent, so two of them get 0.00 by the remainder rule. Bucket `a` (documented) takes the other
 * $99.99, so bucket `b`, funded last, has nothing for Y. W claims nothing; R is rejected.
 */
export const UNPAID_PLAN = {
  name: 'Unpaid reasons',
  gross: '100.00',
  seed: 'unpaid',
  buckets: [
    { id: 'c', label: 'Points', kind: 'points', unitsColumn: 'units', totalCap: '0.01', order: 0 },
    { id: 'a', label: 'Losses', kind: 'documented', amountColumn: 'loss', order: 1 },
    { id: 'b', label: 'Other losses', kind: 'documented', amountColumn: 'other', order: 2 },
  ],
};
export const UNPAID_CLAIMS = [
  'claim_id,status,loss,other,units',
  'X,approved,100.00,,',
  'Y,approved,,5.00,',
  'Z1,approved,,,1',
  'Z2,approved,,,1',
  'Z3,approved,,,1',
  'W,approved,,,',
  'R,rejected,10.00,,',
  'Q,Rejected,10.00,,',
  'D,denied,10.00,,',
].join('\n');

/**
 * The Equifax fixture's claims with a class and units column too, and a plan of one class on the
 * same net fund (docs/compare.md): a bucket plan against a plan of classes. Written with `write`
 * (a test's tempDir().write).
 */
export function mixedInputs(root: string, write: (name: string, content: string) => string): { claims: string; classes: string } {
  const text = readFileSync(join(root, 'fixtures/equifax-buckets/claims.csv'), 'utf8').trimEnd().split('\n');
  const claims = write('mixed-claims.csv', `${[`${text[0]},class,units`, ...text.slice(1).map((l) => `${l},all,1`)].join('\n')}\n`);
  const classes = write(
    'one-class.json',
    JSON.stringify({
      name: 'Equifax as one class',
      gross: '380500.00',
      deductions: [
        { label: "Attorneys' fees", amount: '77500.00' },
        { label: 'Litigation expenses', amount: '3000.00' },
      ],
      classes: [{ id: 'all', weight: '1' }],
      maximumPayment: '20000.00',
      seed: 'one-class',
    }),
  );
  return { claims, classes };
}
