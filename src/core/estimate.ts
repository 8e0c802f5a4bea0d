/**
 * `payout estimate` (docs/spec.md §7): what each claimant would get before the claims deadline,
 * for assumed claim rates. For each rate, claimants per class = members × rate rounded half-up;
 * each claims 1 unit; the per-claimant amount is the exact share of docs/spec.md §3 (weights or pools,
 * cap, minimum) rounded half-up to the cent, after the plan's deductions. No remainder rule: a
 * notice prints one figure per class, not a ledger.
 *
 * Pure: option texts in, problems or numbers out. Counts are bigints all the way through, so
 * 87,600,000 claimants cost as much as one (pool-shares.ts works per group, never per claimant).
 */
import { divHalfUp, exactDecimal, formatRationalHalfEven, ratMul, type Rational } from './decimal.js';
import type { NetFund } from './fund.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan } from './plan.js';
import { claimPoints } from './points.js';
import { poolShares } from './pool-shares.js';
import type { Problem } from './problems.js';
import { netFundJson, pointsText } from './summary.js';
import type { GroupOutcome } from './waterfill.js';

export const ESTIMATE_FORMAT = 'payout-estimate/1';

/** Largest count accepted for a class: far above any class, and exact as a JSON number. */
export const MAX_COUNT = 10n ** 15n;

/** An assumed claim rate: the fraction of the members who will file a valid claim. */
export interface ClaimRate {
  /** As written on the command line (`1.5%`, `0.2`). */
  text: string;
  /** The rate as a percent, shortest form, with `%` (`1.5%`, `20%`): how tables and JSON show it. */
  percent: string;
  /** The fraction, 0 ≤ value ≤ 1, exact. */
  value: Rational;
}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;
const FRACTION = /^\d+(?:\.\d+)?$/;

function problem(field: string, message: string): Problem {
  return { code: 'input', severity: 'error', field, message };
}

/**
 * Reads a claim rate exactly (never through a float): `1.5%` is a percent; a bare number is a
 * fraction from 0 to 1 (`0.2` = 20%, `1` = 100%). A bare number above 1 is refused rather than
 * guessed at: `20` would be 2000%, and the user almost surely meant `20%`.
 */
export function parseRate(text: string): ClaimRate | Problem {
  const t = text.trim();
  const pct = PERCENT.exec(t);
  let value: Rational;
  if (pct) {
    const [whole = '0', frac = ''] = (pct[1] as string).split('.');
    value = { n: BigInt(whole + frac), d: 100n * 10n ** BigInt(frac.length) };
  } else if (FRACTION.test(t)) {
    const [whole = '0', frac = ''] = t.split('.');
    value = { n: BigInt(whole + frac), d: 10n ** BigInt(frac.length) };
    if (value.n > value.d) {
      return problem('--rate', `"${text}": a bare number is a fraction of the members from 0 to 1; for a percent write "${t}%"`);
    }
  } else {
    return problem('--rate', `"${text}": expected a percent such as "1.5%" or a fraction such as "0.015"`);
  }
  if (value.n > value.d) return problem('--rate', `"${text}": a claim rate cannot be above 100%`);
  const percent = `${exactDecimal(ratMul(value, { n: 100n, d: 1n })) ?? t}%`;
  return { text, percent, value };
}

/** One `CLASS=N` option, checked against the plan's classes (matched case-insensitively, as in the claims file). */
export interface ClassCount {
  classIndex: number;
  count: bigint;
}

/**
 * Reads `--members` or `--claimants` values (`illinois=1400000`, each naming one class). Every
 * problem is returned, not just the first. A class the options do not name is an error: a class
 * left out by a typo would silently get no claimants and pull every other class's figure up. A
 * class that really has none is written `CLASS=0`.
 */
export function parseClassCounts(
  plan: Pick<Plan, 'classes'>,
  flag: string,
  values: readonly string[],
): { counts: bigint[]; given: boolean[] } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const ids = plan.classes.map((c) => c.id);
  const valid = ids.join(', ');
  const byId = new Map(ids.map((id, i) => [id.trim().toLowerCase(), i]));
  const counts = ids.map(() => 0n);
  const given = ids.map(() => false);
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) {
      problems.push(problem(flag, `"${v}": expected CLASS=N, e.g. ${flag} ${ids[0] ?? 'nationwide'}=87600000`));
      continue;
    }
    const id = v.slice(0, eq).trim();
    const nText = v.slice(eq + 1).trim();
    const ci = byId.get(id.toLowerCase());
    let ok = true;
    if (ci === undefined) {
      problems.push(problem(flag, `"${v}": unknown class "${id}" (expected: ${valid})`));
      ok = false;
    } else if (given[ci]) {
      problems.push(problem(flag, `"${v}": class "${ids[ci]}" is given twice`));
      ok = false;
    }
    if (!/^\d+$/.test(nText)) {
      problems.push(problem(flag, `"${v}": "${nText}" is not a whole number of people (write 87600000, no separators)`));
      ok = false;
    } else if (BigInt(nText) > MAX_COUNT) {
      problems.push(problem(flag, `"${v}": ${nText} is more than ${MAX_COUNT} people`));
      ok = false;
    }
    if (ok && ci !== undefined) {
      counts[ci] = BigInt(nText);
      given[ci] = true;
    }
  }
  // A missing class is only worth reporting once the named ones are right.
  if (problems.length === 0) {
    const missing = ids.filter((_, i) => !given[i]);
    if (missing.length > 0) {
      problems.push(
        problem(
          flag,
          `no count for class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')}: give every class (${valid}); write ${missing[0]}=0 for a class with none`,
        ),
      );
    }
  }
  return problems.length > 0 ? { problems } : { counts, given };
}

/** One estimate: claimants per class, from members × a rate or given directly. */
export interface EstimateScenario {
  /** null when the counts were given with --claimants. */
  rate: ClaimRate | null;
  /** Members per class (null with --claimants). */
  members: bigint[] | null;
  claimants: bigint[];
}

/** members × rate, rounded half-up to whole people (docs/spec.md §7). */
export function claimantsAt(members: bigint, rate: ClaimRate): bigint {
  return divHalfUp(members * rate.value.n, rate.value.d);
}

export function scenariosFromRates(members: readonly bigint[], rates: readonly ClaimRate[]): EstimateScenario[] {
  return rates.map((rate) => ({ rate, members: [...members], claimants: members.map((m) => claimantsAt(m, rate)) }));
}

export interface EstimateClass {
  classIndex: number;
  id: string;
  members: bigint | null;
  claimants: bigint;
  /** Points of one claimant (1 unit). */
  points: Rational;
  /** null when the class has no claimants. */
  outcome: GroupOutcome | null;
  /** The exact share of one claimant, in cents (0 below the minimum). */
  share: Rational;
  /** The share rounded half-up to the cent: the notice's figure. null when no claimants. */
  amount: Cents | null;
}

export interface EstimateRow {
  rate: ClaimRate | null;
  classes: EstimateClass[];
  /** Σ of the exact shares: what the allocation would pay out (an integer number of cents). */
  paid: Cents;
  /** net − paid: empty pools, money above the caps, all claimants below the minimum. */
  residual: Cents;
}

export interface Estimate {
  fund: NetFund;
  rows: EstimateRow[];
}

/**
 * The estimate of each scenario. `fund` is the plan's net fund (netFundOf(plan)); `tieKey` is
 * tieKeyer(plan.seed), used in pools mode to split the net fund's cents among the pools exactly as
 * the allocation does.
 */
export function estimate(
  plan: Pick<Plan, 'mode' | 'classes' | 'maximumPayment' | 'minimumPayment'>,
  fund: NetFund,
  scenarios: readonly EstimateScenario[],
  tieKey: (id: string) => string,
): Estimate {
  const unit = { n: 1n, scale: 0 };
  const points = plan.classes.map((_, i) => claimPoints(plan, i, unit));
  const rows = scenarios.map((sc): EstimateRow => {
    const result = poolShares(
      plan,
      fund.net,
      plan.classes.map((_, i) => ({ classIndex: i, points: points[i]!, count: sc.claimants[i] ?? 0n })),
      tieKey,
    );
    const paid = result.pools.reduce((a, p) => a + p.paid, 0n);
    return {
      rate: sc.rate,
      classes: plan.classes.map((c, i): EstimateClass => {
        const g = result.groups[i]!;
        const claimants = sc.claimants[i] ?? 0n;
        return {
          classIndex: i,
          id: c.id,
          members: sc.members?.[i] ?? null,
          claimants,
          points: points[i]!,
          outcome: claimants === 0n ? null : g.outcome,
          share: g.share,
          amount: claimants === 0n ? null : g.rounded,
        };
      }),
      paid,
      residual: fund.net - paid,
    };
  });
  return { fund, rows };
}

export interface EstimateJson {
  format: string;
  case: string;
  currency: string;
  mode: Plan['mode'];
  fund: { gross: string; interest: string; fund: string };
  deductions: { label: string; rule: string; amount: string; remaining: string }[];
  totalDeductions: string;
  net: string;
  minimumPayment: string | null;
  maximumPayment: string | null;
  method: string;
  scenarios: {
    rate: string | null;
    classes: {
      id: string;
      members: number | null;
      claimants: number;
      points: string;
      outcome: GroupOutcome | null;
      share: string | null;
      amount: string | null;
    }[];
    paid: string;
    residual: string;
  }[];
}

export const ESTIMATE_METHOD =
  'each claimant claims 1 unit; the exact share of docs/spec.md §3 (cap and minimum applied) rounded half-up to the cent; no remainder rule';

/** The estimate as JSON data with a fixed key order. Counts are ≤ 10^15, exact as JSON numbers. */
export function buildEstimateJson(plan: Pick<Plan, 'name' | 'currency' | 'mode' | 'minimumPayment' | 'maximumPayment'>, est: Estimate): EstimateJson {
  const f = est.fund;
  const m = (c: Cents | null): string | null => (c === null ? null : formatMoney(c));
  return {
    format: ESTIMATE_FORMAT,
    case: plan.name,
    currency: plan.currency,
    mode: plan.mode,
    ...netFundJson(f),
    minimumPayment: m(plan.minimumPayment),
    maximumPayment: m(plan.maximumPayment),
    method: ESTIMATE_METHOD,
    scenarios: est.rows.map((r) => ({
      rate: r.rate?.percent ?? null,
      classes: r.classes.map((c) => ({
        id: c.id,
        members: c.members === null ? null : Number(c.members),
        claimants: Number(c.claimants),
        points: pointsText(c.points),
        outcome: c.outcome,
        // cents → currency units, 6 decimals half-even, as the ledger's share column
        share: c.amount === null ? null : formatRationalHalfEven({ n: c.share.n, d: c.share.d * 100n }, 6),
        amount: m(c.amount),
      })),
      paid: formatMoney(r.paid),
      residual: formatMoney(r.residual),
    })),
  };
}
