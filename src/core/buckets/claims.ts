/**
 * Claims of a bucket plan: one row per claim, a column per bucket input (named in the plan),
 * checked row by row with line numbers, turned into each claim's entitlement in every bucket.
 */
import { decToRational, parseDec, ratMul, type Rational } from '../decimal.js';
import { parseMoney } from '../money.js';
import type { Problem } from '../problems.js';
import type { Bucket, BucketPlan } from './plan.js';

/** One claim, ready for the allocation. */
export interface BucketClaim {
  id: string;
  line: number;
  status: string;
  eligible: boolean;
  /**
   * Per bucket (in the plan's funding order): the money claimed in cents, after the per-claim cap
   * and the hour limit (documented, hours, flat), or the points (points buckets). 0: nothing.
   */
  inputs: Rational[];
}

const ZERO: Rational = { n: 0n, d: 1n };
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** Where each column the plan names sits in the header; problems name the plan's key. */
export function mapBucketColumns(plan: BucketPlan, header: readonly string[], claimsFile: string, planFile: string): { columns: Map<string, number> } | { problems: Problem[] } {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!at.has(k)) at.set(k, i);
  });
  const problems: Problem[] = [];
  if (!at.has('claim_id')) problems.push({ code: 'missing_column', severity: 'error', file: claimsFile, line: 1, message: 'no claim_id column' });
  const need = (name: string, key: string): void => {
    if (!at.has(name.toLowerCase())) {
      problems.push({ code: 'plan_invalid', severity: 'error', file: planFile, field: key, message: `column "${name}" is not in ${claimsFile} (columns: ${header.join(', ')})` });
    }
  };
  if (plan.choice) need(plan.choice.column, 'choice.column');
  for (const b of plan.buckets) {
    const key = b.kind === 'documented' ? 'amountColumn' : b.kind === 'hours' ? 'hoursColumn' : 'unitsColumn';
    if (b.column !== null) need(b.column, `buckets[${b.index}].${key}`);
    if (b.documentedColumn !== null) need(b.documentedColumn, `buckets[${b.index}].documentedColumn`);
  }
  return problems.length > 0 ? { problems } : { columns: at };
}

const minRat = (a: Rational, capCents: bigint | null): Rational => (capCents !== null && a.n > capCents * a.d ? { n: capCents, d: 1n } : a);

/**
 * Reads one row into a claim. Problems (with the row's line and the column) are pushed onto
 * `problems`; the claim is returned all the same so that every row is checked in one run.
 */
export function bucketClaimFromRow(plan: BucketPlan, columns: Map<string, number>, fields: readonly string[], line: number, file: string, problems: Problem[]): BucketClaim {
  const cell = (name: string): string => {
    const i = columns.get(name.toLowerCase());
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'input', severity: 'error', file, line, field, message });
  };
  const id = cell('claim_id');
  if (id === '') problems.push({ code: 'empty_claim_id', severity: 'error', file, line, field: 'claim_id', message: 'empty claim_id' });
  const status = columns.has('status') ? cell('status').toLowerCase() || 'approved' : 'approved';
  let choice: string | null = null;
  if (plan.choice) {
    const c = cell(plan.choice.column);
    if (c !== '') {
      const match = plan.choice.values.find((v) => v.toLowerCase() === c.toLowerCase());
      if (match === undefined) bad(plan.choice.column, `unknown choice "${c}" (expected: ${plan.choice.values.join(', ')})`);
      else choice = match;
    }
  }
  const inputs = plan.buckets.map((b) => bucketInput(b, cell, bad, choice));
  return { id, line, status, eligible: plan.eligibleStatuses.includes(status), inputs };
}

function bucketInput(b: Bucket, cell: (name: string) => string, bad: (field: string, message: string) => void, choice: string | null): Rational {
  if (b.choice !== null && choice !== b.choice) return ZERO;
  switch (b.kind) {
    case 'flat':
      return minRat({ n: b.amount ?? 0n, d: 1n }, b.perClaimCap);
    case 'documented': {
      const col = b.column as string;
      const text = cell(col);
      if (text === '') return ZERO;
      if (text.startsWith('-')) {
        bad(col, `negative amount "${text}"`);
        return ZERO;
      }
      const cents = parseMoney(text);
      if (cents === undefined) {
        bad(col, `"${text}" is not an amount with at most 2 decimals, e.g. "1250.00"`);
        return ZERO;
      }
      return minRat({ n: cents, d: 1n }, b.perClaimCap);
    }
    case 'points': {
      const col = b.column as string;
      const text = cell(col);
      if (text === '') return ZERO;
      const d = parseDec(text);
      if (d === undefined || d.n < 0n || d.scale > 6) {
        bad(col, d !== undefined && d.n < 0n ? `negative units "${text}"` : `"${text}" is not a decimal with at most 6 decimals`);
        return ZERO;
      }
      return ratMul(b.weight as Rational, decToRational(d));
    }
    case 'hours': {
      const col = b.column as string;
      const text = cell(col);
      if (text === '') return ZERO;
      const d = parseDec(text);
      if (d === undefined || d.n < 0n) {
        bad(col, d !== undefined ? `negative hours "${text}"` : `"${text}" is not a number of hours`);
        return ZERO;
      }
      const h = decToRational(d);
      const step = b.step as Rational;
      // h / step must be whole: h.n·step.d divisible by h.d·step.n
      if ((h.n * step.d) % (h.d * step.n) !== 0n) {
        bad(col, `${text} hours are not a whole number of ${formatStep(step)}-hour steps`);
        return ZERO;
      }
      if (b.documentedAbove !== null && h.n * b.documentedAbove.d > b.documentedAbove.n * h.d) {
        const docCol = b.documentedColumn as string;
        const doc = cell(docCol).toLowerCase();
        if (!YES.has(doc) && !NO.has(doc)) bad(docCol, `"${cell(docCol)}" is not yes or no`);
        else if (!YES.has(doc)) bad(docCol, `${text} hours claimed, documentation missing above ${formatStep(b.documentedAbove)} hours`);
        if (!YES.has(doc)) return ZERO;
      }
      const hours = b.limit !== null && h.n * b.limit.d > b.limit.n * h.d ? b.limit : h;
      return minRat(ratMul({ n: b.amount ?? 0n, d: 1n }, hours), b.perClaimCap);
    }
  }
}

function formatStep(r: Rational): string {
  // steps and thresholds are plan decimals of at most 6 places
  const s = ((r.n * 1_000_000n) / r.d).toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`.replace(/0+$/, '').replace(/\.$/, '');
}
