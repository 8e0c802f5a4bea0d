/** `payout explain --plan BUCKET_PLAN CLAIMS.csv CLAIM_ID…`: each bucket's step for the claims named. */
import type { ChalkInstance } from 'chalk';
import { explainBucketClaims } from '../../app/explain-buckets.js';
import { BUCKET_EXPLAIN_FORMAT, type BucketClaimExplanation } from '../../core/buckets/explain.js';
import { colorFor } from '../style.js';
import { visibleText } from '../../core/visible-text.js';
import { parseClaimsOptions, readingGiven, type ClaimsCliOptions } from './claims-options.js';

const trim = (s: string): string => s.replace(/(\.\d\d\d*?)0+$/, '$1');

function render(r: BucketClaimExplanation, claimsFile: string, c: ChalkInstance): string[] {
  const out = [c.bold(`claim ${r.claimId}`) + c.dim(` (${claimsFile}:${r.line}, status ${r.status}): ${r.outcome}, ${r.amount}`)];
  for (const b of r.buckets) {
    out.push(`  ${c.bold(b.id)} (${b.label}, ${b.kind})`);
    out.push(`    entitled ${trim(b.entitled)}; the bucket: claimed ${b.bucketClaimed === null ? '-' : trim(b.bucketClaimed)}, funded ${trim(b.bucketFunded)}${b.paidPercent === null ? '' : ` (${trim(b.paidPercent)}% of what is claimed)`}`);
    out.push(`    exact share ${trim(b.share)} → floor ${b.floor}${b.leftoverCent ? ' + 1 leftover cent (largest remainder)' : ''} = ${c.bold(b.amount)}`);
  }
  out.push(`  total ${c.bold(r.amount)} (net fund ${r.net}, residual ${r.residual})`);
  return out;
}

export async function runExplainBuckets(
  claimsFile: string,
  ids: string[],
  o: ClaimsCliOptions & { plan: string; json?: boolean; from?: string; delimiterGiven?: boolean },
): Promise<void> {
  const { plan, reports } = await explainBucketClaims({
    planFile: o.plan,
    claimsFile,
    ids,
    claims: parseClaimsOptions(o, 'buckets'),
    ...(o.from !== undefined ? { fromDir: o.from, given: readingGiven(o) } : {}),
    onWarning: (w) => process.stderr.write(`payout explain: warning: ${visibleText(w)}\n`),
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ format: BUCKET_EXPLAIN_FORMAT, plan: o.plan, claimsFile, case: plan.name, seed: plan.seed, claims: reports }, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  process.stdout.write(`${reports.map((r) => render(r, claimsFile, c).join('\n')).join('\n\n')}\n`);
}
