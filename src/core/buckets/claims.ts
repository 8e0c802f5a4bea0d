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
  /** The --keep cells, as written, in the order of the option (absent without --keep). */
  kept?: string[];
}

const ZERO: Rational = { n: 0n, d: 1n };
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** How the claims file's header is read beyond the plan (the claims options --map and --keep). */
export interface BucketReading {
  /** Field → header: `claim_id`, `status` or a column the plan names, read from a column with another name. */
  map?: Readonly<Record<string, string | undefined>>;
  /** Columns carried into the ledger after `amount`. */
  keep?: readonly string[];
}

/** The header mapped: the index of each field (lower-cased: claim_id, status, the plan's columns) and of each kept column. */
export interface BucketColumns {
  columns: Map<string, number>;
  keep: Array<[name: string, index: number]>;
}

/**
 * The fields a claims file of this plan has, lower-cased, as --map names them: claim_id, status,
 * then every column the plan names (choice.column, the buckets' input columns) in plan order.
 */
export function bucketFields(plan: BucketPlan): string[] {
  const out = ['claim_id', 'status'];
  const add = (name: string | null): void => {
    if (name !== null && !out.includes(name.toLowerCase())) out.push(name.toLowerCase());
  };
  if (plan.choice) add(plan.choice.column);
  for (const b of [...plan.buckets].sort((x, y) => x.index - y.index)) {
    add(b.column);
    add(b.documentedColumn);
  }
  return out;
}

/** The ledger's columns for this plan (the --keep columns come after them). */
export const bucketLedgerColumns = (plan: BucketPlan): string[] => ['claim_id', 'status', 'outcome', ...plan.buckets.map((b) => b.id), 'amount'];

/**
 * What is wrong with the reading options for this plan before any row is read (a usage error):
 * a --map field the plan does not read, a --keep column named like a ledger column. Null when none.
 */
export function bucketReadingProblem(plan: BucketPlan, reading: BucketReading): string | null {
  const fields = bucketFields(plan);
  for (const [field, header] of Object.entries(reading.map ?? {})) {
    if (header !== undefined && !fields.includes(field.toLowerCase())) {
      return `--map ${field}=${header}: unknown field "${field}" (fields of this plan: ${fields.join(', ')})`;
    }
  }
  const ledger = bucketLedgerColumns(plan);
  for (const name of reading.keep ?? []) {
    if (ledger.includes(name.trim().toLowerCase())) {
      return `--keep ${name}: the ledger already has the column "${name.trim().toLowerCase()}"; keep only other columns`;
    }
  }
  return null;
}

/**
 * Where each column the plan names sits in the header (a --map entry names another header for a
 * field); problems name the plan's key, or the option.
 */
export function mapBucketColumns(
  plan: BucketPlan,
  header: readonly string[],
  claimsFile: string,
  planFile: string,
  reading: BucketReading = {},
): BucketColumns | { problems: Problem[] } {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!at.has(k)) at.set(k, i);
  });
  const mapped = new Map<string, string>();
  for (const [field, h] of Object.entries(reading.map ?? {})) if (h !== undefined) mapped.set(field.toLowerCase(), h);
  const found = header.join(', ');
  const problems: Problem[] = [];
  const columns = new Map<string, number>();
  /** The column of a field: its --map header, else its own name. */
  const find = (field: string): number | undefined => at.get((mapped.get(field.toLowerCase()) ?? field).trim().toLowerCase());
  const missingMapped = (field: string): boolean => {
    const h = mapped.get(field.toLowerCase());
    if (h === undefined) return false;
    problems.push({ code: 'missing_column', severity: 'error', file: claimsFile, line: 1, field: field.toLowerCase(), message: `--map ${field.toLowerCase()}=${h}: no column "${h}" in the header (found: ${found})` });
    return true;
  };
  const place = (field: string, onMissing: () => void): void => {
    const i = find(field);
    if (i !== undefined) columns.set(field.toLowerCase(), i);
    else if (!missingMapped(field)) onMissing();
  };
  place('claim_id', () => problems.push({ code: 'missing_column', severity: 'error', file: claimsFile, line: 1, message: 'no claim_id column' }));
  place('status', () => undefined);
  const need = (name: string, key: string): void =>
    place(name, () => problems.push({ code: 'plan_invalid', severity: 'error', file: planFile, field: key, message: `column "${name}" is not in ${claimsFile} (columns: ${found})` }));
  if (plan.choice) need(plan.choice.column, 'choice.column');
  for (const b of plan.buckets) {
    const key = b.kind === 'documented' ? 'amountColumn' : b.kind === 'hours' ? 'hoursColumn' : 'unitsColumn';
    if (b.column !== null) need(b.column, `buckets[${b.index}].${key}`);
    if (b.documentedColumn !== null) need(b.documentedColumn, `buckets[${b.index}].documentedColumn`);
  }
  // A --map that points a field at another field's column would read one cell as two things.
  for (const [field, h] of mapped) {
    const i = columns.get(field);
    const other = [...columns].find(([f, j]) => j === i && f !== field);
    if (other !== undefined) {
      problems.push({ code: 'duplicate_column', severity: 'error', file: claimsFile, line: 1, field, message: `--map ${field}=${h}: column "${header[i!] ?? h}" is already used for ${other[0]}` });
    }
  }
  const keep: Array<[string, number]> = [];
  for (const name of reading.keep ?? []) {
    const i = at.get(name.trim().toLowerCase());
    if (i === undefined) problems.push({ code: 'missing_column', severity: 'error', file: claimsFile, line: 1, field: name, message: `--keep ${name}: no column "${name}" in the header (found: ${found})` });
    else keep.push([name, i]);
  }
  return problems.length > 0 ? { problems } : { columns, keep };
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
  let status = 'approved';
  if (columns.has('status')) {
    status = cell('status').toLowerCase();
    if (status === '') {
      // Status decides money (docs/spec.md §2): a blank one is said out loud, or refused, as the plan says.
      status = 'approved';
      if (plan.blankStatus === 'error') {
        problems.push({ code: 'blank_status', severity: 'error', file, line, field: 'status', message: 'status is empty (the plan\'s blankStatus is "error"): write the claim\'s status' });
      } else {
        problems.push({ code: 'blank_status', severity: 'warning', file, line, field: 'status', message: 'status is empty: paid as "approved" (the plan\'s blankStatus); write the status, or set "blankStatus": "error" to refuse such rows' });
      }
    }
  }
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
      // a sign is refused as on an amount, "-0" too: a minus in a claims cell is a mistake to show
      if (d === undefined || text.startsWith('-') || d.scale > 6) {
        bad(col, d !== undefined && text.startsWith('-') ? `negative units "${text}"` : `"${text}" is not a decimal with at most 6 decimals`);
        return ZERO;
      }
      return ratMul(b.weight as Rational, decToRational(d));
    }
    case 'hours': {
      const col = b.column as string;
      const text = cell(col);
      if (text === '') return ZERO;
      const d = parseDec(text);
      if (d === undefined || text.startsWith('-')) {
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
