/**
 * `payout compare`: two plans of allocation on one claims file, per claim and per class. The
 * claims are read once (checked against plan A) and allocated twice in process, each plan with its
 * own seed, exactly as two `payout allocate` runs would; then compared (core/compare.ts). Writes
 * the per-claim diff CSV and the HTML page only when asked, all or nothing. Two bucket plans are
 * compared by app/compare-buckets.ts, a bucket plan and a plan of classes by app/compare-mixed.ts.
 */
import { allocate } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { compareAllocations, refuseTwoCurrencies, type Comparison } from '../core/compare.js';
import { UsageError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { tieKeyer } from '../io/hash.js';
import { loadPlan } from '../io/plan-file.js';
import { planForm } from '../io/bucket-plan-file.js';
import { writeCompareFiles } from '../io/compare-output.js';
import { readValidClaims } from './validate.js';
import type { CompareOptions, CompareResult } from './compare-types.js';

export type { CompareOptions, CompareResult } from './compare-types.js';

/**
 * Plan B's class index for each of plan A's: the claims were read against A, so B must name the
 * same classes (in any order). Different classes cannot be compared claim by claim.
 */
function classMap(a: Plan, b: Plan, fileA: string, fileB: string): Uint16Array | null {
  const idsA = a.classes.map((c) => c.id);
  const idsB = b.classes.map((c) => c.id);
  const missing = idsA.filter((id) => !idsB.includes(id));
  const extra = idsB.filter((id) => !idsA.includes(id));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `${fileB} lacks ${missing.map((s) => `"${s}"`).join(', ')}` : '',
      extra.length > 0 ? `${fileB} adds ${extra.map((s) => `"${s}"`).join(', ')}` : '',
    ].filter(Boolean);
    throw new UsageError(`${fileA} and ${fileB} must name the same classes to be compared claim by claim: ${parts.join('; ')}`);
  }
  if (idsA.every((id, i) => idsB[i] === id)) return null;
  return Uint16Array.from(idsA, (id) => idsB.indexOf(id));
}

/** The table with class indexes of plan B (a copy of that one column; everything else shared). */
function forPlanB(table: ClaimTable, map: Uint16Array | null): ClaimTable {
  if (map === null) return table;
  const classIndex = new Uint16Array(table.count);
  for (let row = 0; row < table.count; row++) classIndex[row] = map[table.classIndex[row] ?? 0] ?? 0;
  return { ...table, classIndex };
}

export async function comparePlans(o: CompareOptions): Promise<CompareResult> {
  if (o.outFile !== undefined && o.outFile === o.htmlFile) throw new UsageError(`--out and --html name the same file ${o.outFile}`);
  const formA = await planForm(o.planA);
  const formB = await planForm(o.planB);
  if (formA !== formB) return (await import('./compare-mixed.js')).compareMixedPlans(o, { a: formA, b: formB }, renderComparePage);
  if (formA === 'buckets') return (await import('./compare-buckets.js')).compareBucketPlans(o, renderComparePage);
  const a = await loadPlan(o.planA);
  const b = await loadPlan(o.planB);
  refuseTwoCurrencies({ file: o.planA, currency: a.plan.currency }, { file: o.planB, currency: b.plan.currency });
  const map = classMap(a.plan, b.plan, o.planA, o.planB);
  const { table } = await readValidClaims(o.claimsFile, a.plan, o.claims);
  const allocA = allocate(a.plan, table, tieKeyer(a.plan.seed));
  const allocB = allocate(b.plan, forPlanB(table, map), tieKeyer(b.plan.seed));
  const comparison = compareAllocations(table, a.plan.classes.map((c) => c.id), allocA, allocB, o.top ?? 10);
  const result: CompareResult = {
    planA: { file: o.planA, name: a.plan.name, sha256: a.sha256, currency: a.plan.currency },
    planB: { file: o.planB, name: b.plan.name, sha256: b.sha256, currency: b.plan.currency },
    claimsFile: o.claimsFile,
    comparison,
    written: [],
  };
  result.written = await writeCompareFiles(
    { outFile: o.outFile, htmlFile: o.htmlFile, force: Boolean(o.force) },
    { table, classIds: a.plan.classes.map((c) => c.id), allocA, allocB },
    () => renderComparePage(result),
  );
  return result;
}

/** The HTML page (preact is loaded only when a page is asked for). */
async function renderComparePage(result: CompareResult): Promise<string> {
  const { renderCompareHtml } = await import('../io/compare-html.js');
  return renderCompareHtml(result);
}
