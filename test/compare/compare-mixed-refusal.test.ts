/**
 * app/compare-mixed.ts refuses a claims file that reads as other claims against a bucket plan and
 * against a plan of classes (exit 2, nothing written), naming the file, the first claim that
 * differs under each plan and what to do. The two readers agree on every file payout has met (they
 * skip and refuse the same rows), so this test makes the bucket reader drop the first claim.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { comparePlans } from '../../src/app/compare.js';
import { UsageError } from '../../src/core/errors.js';
import { mixedInputs } from '../buckets/helpers.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

vi.mock('../../src/io/bucket-claims-reader.js', async (original) => {
  const real = await original<typeof import('../../src/io/bucket-claims-reader.js')>();
  return {
    ...real,
    readBucketClaims: async (...args: Parameters<typeof real.readBucketClaims>) => {
      const read = await real.readBucketClaims(...args);
      return { ...read, claims: read.claims.slice(1) };
    },
  };
});

const tmp = tempDir();

describe('payout compare of a bucket plan and a plan of classes on claims that read otherwise', () => {
  it('is refused (exit 2) naming the file, both plans, the claim and what to do; nothing is written', async () => {
    const { claims, classes } = mixedInputs(ROOT, tmp.write);
    const buckets = join(ROOT, 'fixtures/equifax-buckets/plan.json');
    const [out, page] = [tmp.path('diff.csv'), tmp.path('compare.html')];
    const run = comparePlans({ planA: classes, planB: buckets, claimsFile: claims, claims: { read: {}, maxErrors: 50, quiet: true }, outFile: out, htmlFile: page });
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe(
      `${claims} does not read as the same claims against both plans: claim 1 is claim "EQ0001" against ${classes} and claim "EQ0002" against ${buckets}; ` +
        'run payout validate with each plan to see how it reads the file, and give one file both read alike',
    );
    expect([existsSync(out), existsSync(page)]).toEqual([false, false]);
  });
});
