/** `payout explain --plan BUCKET_PLAN CLAIMS.csv CLAIM_ID…`: each bucket's step for the claims named. */
import type { ChalkInstance } from 'chalk';
import { explainBucketClaims } from '../../app/explain-buckets.js';
import { BUCKET_EXPLAIN_FORMAT, type BucketClaimExplanation } from '../../core/buckets/explain.js';
import { colorFor } from '../style.js';
import { visibleText } from '../../core/visible-text.js';
import { parseClaimsOptions, readingGiven, type ClaimsCliOptions } from './claims-options.js';
import { groupDecimal, moneyText } from '../../core/display-numbers.js';

const trim = (s: string): string => s.replace(/(\.\d\d\d*?)0+$/, '$1');
/** An amount of the explanation (2 to 6 decimals) as people read it: `$212,345.60`, `$310.123456`; points stay points. */
const amount = (s: string): string => {
  const points = / points$/.exec(s);
  if (points !== null) return `${groupDecimal(trim(s.slice(0, points.index)))} points`;
  return `$${groupDecimal(trim(s))}`;
};

function render(r: BucketClaimExplanation, claimsFile: string, c: ChalkInstance): string[] {
  const out = [c.bold(`claim ${r.claimId}`) + c.dim(` (${claimsFile}:${r.line}, status ${r.status}): ${r.outcome}, ${moneyText(r.amount)}`)];
  for (const b of r.buckets) {
    out.push(`  ${c.bold(b.id)} (${b.label}, ${b.kind})`);
    out.push(`    entitled ${amount(b.entitled)}; the bucket: claimed ${b.bucketClaimed === null ? '-' : amount(b.bucketClaimed)}, funded ${amount(b.bucketFunded)}${b.paidPercent === null ? '' : ` (${trim(b.paidPercent)}% of what is claimed)`}`);
    out.push(`    exact share ${amount(b.share)} → floor ${moneyText(b.floor)}${b.leftoverCent ? ' + 1 leftover cent (largest remainder)' : ''} = ${c.bold(moneyText(b.amount))}`);
  }
  out.push(`  total ${c.bold(moneyText(r.amount))} (net fund ${moneyText(r.net)}, residual ${moneyText(r.residual)})`);
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
