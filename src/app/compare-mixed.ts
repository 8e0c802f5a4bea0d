/**
 * `payout compare` of a bucket plan and a plan of classes, either as A (docs/compare.md, "A
 * bucket plan against a plan of classes"): the claims file is read against each plan (a class and
 * units for one, an input per bucket for the other: a file with both sets of columns), allocated
 * under each exactly as `payout allocate` would, and compared claim by claim on the claim's total
 * amount (core/compare-mixed.ts). The per-class and per-bucket figures are each plan's own.
 */
import { allocate } from '../core/allocate.js';
import { CLAIM_FIELDS } from '../core/claims.js';
import { refuseTwoCurrencies } from '../core/compare.js';
import { compareMixedAllocations, firstDifferentClaim, sideView, type BucketsSide, type ClassesSide, type MixedSide } from '../core/compare-mixed.js';
import { allocateBuckets } from '../core/buckets/allocate.js';
import { bucketFields } from '../core/buckets/claims.js';
import { UsageError } from '../core/errors.js';
import { readBucketClaims } from '../io/bucket-claims-reader.js';
import { loadBucketPlan } from '../io/bucket-plan-file.js';
import { tieKeyer } from '../io/hash.js';
import { loadPlan } from '../io/plan-file.js';
import { writeCompareFiles, type DiffRows } from '../io/compare-output.js';
import { bucketTieKey } from './allocate-buckets.js';
import { readValidClaims, type ClaimsSettings } from './validate.js';
import { bucketReadOptions } from './validate-buckets.js';
import type { CompareOptions, CompareResult } from './compare-types.js';

type Loaded = { form: 'classes'; file: string; load: Awaited<ReturnType<typeof loadPlan>> } | { form: 'buckets'; file: string; load: Awaited<ReturnType<typeof loadBucketPlan>> };

/** --map entries split between the plans: each takes its own fields; one neither has goes to the bucket plan's reader, which refuses it naming the field. */
function splitMap(settings: ClaimsSettings, bucketPlanFields: readonly string[]): { classes: ClaimsSettings; buckets: ClaimsSettings } {
  const map = settings.read.map;
  if (map === undefined) return { classes: settings, buckets: settings };
  const isClassField = (f: string): boolean => (CLAIM_FIELDS as readonly string[]).includes(f.toLowerCase());
  const part = (keep: (field: string) => boolean): ClaimsSettings => {
    const entries = Object.entries(map).filter(([field]) => keep(field));
    const read = { ...settings.read };
    if (entries.length > 0) read.map = Object.fromEntries(entries);
    else delete read.map;
    return { ...settings, read };
  };
  return {
    classes: part((f) => isClassField(f)),
    buckets: part((f) => bucketPlanFields.includes(f.toLowerCase()) || !isClassField(f)),
  };
}

async function side(loaded: Loaded, claimsFile: string, settings: { classes: ClaimsSettings; buckets: ClaimsSettings }): Promise<MixedSide & { sha256: string; name: string; currency: string }> {
  if (loaded.form === 'classes') {
    const { plan, sha256 } = loaded.load;
    const { table } = await readValidClaims(claimsFile, plan, settings.classes);
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    const s: ClassesSide = { form: 'classes', table, classIds: plan.classes.map((c) => c.id), alloc };
    return { ...s, sha256, name: plan.name, currency: plan.currency };
  }
  const { plan, sha256 } = loaded.load;
  const { claims } = await readBucketClaims(claimsFile, plan, loaded.file, bucketReadOptions(settings.buckets));
  const alloc = allocateBuckets(plan, claims, bucketTieKey(plan.seed));
  if ('refused' in alloc) throw new UsageError('the plan was refused', [{ ...alloc.refused, file: loaded.file }]);
  const s: BucketsSide = { form: 'buckets', plan, claims, alloc };
  return { ...s, sha256, name: plan.name, currency: plan.currency };
}

/** The diff CSV's columns: each plan's group under its own name (`class_a`, `buckets_b`). */
const groupColumn = (form: 'classes' | 'buckets', ab: 'a' | 'b'): string => `${form === 'classes' ? 'class' : 'buckets'}_${ab}`;

export async function compareMixedPlans(
  o: CompareOptions,
  forms: { a: 'classes' | 'buckets'; b: 'classes' | 'buckets' },
  renderPage: (r: CompareResult) => Promise<string>,
): Promise<CompareResult> {
  const load = async (file: string, form: 'classes' | 'buckets'): Promise<Loaded> =>
    form === 'classes' ? { form, file, load: await loadPlan(file) } : { form, file, load: await loadBucketPlan(file) };
  const [la, lb] = [await load(o.planA, forms.a), await load(o.planB, forms.b)];
  refuseTwoCurrencies({ file: o.planA, currency: la.load.plan.currency }, { file: o.planB, currency: lb.load.plan.currency });
  const bucketPlan = la.form === 'buckets' ? la.load.plan : lb.form === 'buckets' ? lb.load.plan : undefined;
  const settings = splitMap(o.claims, bucketPlan === undefined ? [] : bucketFields(bucketPlan));
  const a = await side(la, o.claimsFile, settings);
  const b = await side(lb, o.claimsFile, settings);
  const differ = firstDifferentClaim(a, b);
  if (differ !== null) {
    const said = (id: string | undefined, plan: string) => (id === undefined ? `no claim against ${plan}` : `claim "${id}" against ${plan}`);
    throw new UsageError(
      `${o.claimsFile} does not read as the same claims against both plans: claim ${differ.row + 1} is ${said(differ.a, o.planA)} and ${said(differ.b, o.planB)}; ` +
        `run payout validate with each plan to see how it reads the file, and give one file both read alike`,
    );
  }
  const comparison = compareMixedAllocations(a, b, o.top ?? 10);
  const result: CompareResult = {
    planA: { file: o.planA, name: a.name, sha256: a.sha256, currency: a.currency },
    planB: { file: o.planB, name: b.name, sha256: b.sha256, currency: b.currency },
    claimsFile: o.claimsFile,
    comparison,
    written: [],
  };
  const [va, vb] = [sideView(a), sideView(b)];
  const rows: DiffRows = {
    columns: ['claim_id', groupColumn(a.form, 'a'), groupColumn(b.form, 'b'), 'amount_a', 'amount_b', 'change'],
    count: comparison.claims,
    claimId: va.claimId,
    group: va.group,
    group2: vb.group,
    amountA: va.amount,
    amountB: vb.amount,
  };
  result.written = await writeCompareFiles({ outFile: o.outFile, htmlFile: o.htmlFile, force: Boolean(o.force) }, rows, () => renderPage(result));
  return result;
}
