/**
 * The post-distribution accounting (docs/accounting.md), after the Northern District of
 * California's procedural guidance for class action settlements: the fund, each deduction and its
 * percent of the fund, class size, notice, claims by outcome, opt-outs and objections with their
 * percents, payments per class (count, total, average, median, smallest, largest) round by round,
 * uncashed payments, and the residual. Built from the summaries and ledgers payout wrote (tallied
 * by src/io) and the case facts no payout file holds. A fact that was not given stays null:
 * rendered "not given", never estimated.
 */
import type { Facts } from './accounting-facts.js';
import type { ClassTally } from './accounting-tally.js';
import { formatScaled } from './decimal.js';
import type { Cents } from './money.js';

/** One payment method's payments in a round, from a pay folder (`--payments`). */
export interface PaymentMethodLine {
  round: number;
  method: string;
  payments: number;
  amount: Cents;
}

export interface RoundInput {
  round: number;
  /** The folder, as given. */
  dir: string;
  /** Round 1: the net settlement fund; later rounds: the amount available to them. */
  available: Cents;
  /** Later rounds: costs held back from them (null in round 1). */
  costs: Cents | null;
  /** The summary's amount paid and residual. */
  paid: Cents;
  residual: Cents;
  residualRecipient: string | null;
  /** The Merkle root over the round's ledger rows (docs/receipts.md), when recorded: published so claimants can check their receipts. */
  receiptsRoot: string | null;
  /** The ledger, tallied per class (classes in the summary's order). */
  classes: ClassTally[];
}

/**
 * One bucket of a bucket plan's first round (docs/allocation.md section 12): what was claimed in
 * it, its total cap, what it was funded with and what it paid (the ledger's column, checked against
 * the summary), and the reduction.
 */
export interface BucketFunding {
  id: string;
  label: string;
  /** Claims that claim in the bucket. */
  claims: number;
  /** Claims paid from it (the ledger's column above 0). */
  payments: number;
  /** Exact sums, 6 decimals, as summary.json writes them; claimed is null for a points bucket. */
  claimed: string | null;
  funded: string;
  totalCap: Cents | null;
  paid: Cents;
  /** Percent of what is claimed that is not paid, 6 decimals; null for a points bucket. */
  reductionPercent: string | null;
}

export interface AccountingInput {
  caseName: string;
  currency: string;
  gross: Cents;
  interest: Cents;
  fund: Cents;
  deductions: { label: string; rule: string; amount: Cents }[];
  net: Cents;
  rounds: RoundInput[];
  facts: Facts | null;
  factsFile: string | null;
  /** From --payments; null when no pay folder was given. */
  paymentMethods: PaymentMethodLine[] | null;
  /** A bucket plan's first round: its buckets in funding order. */
  buckets?: BucketFunding[];
}

/** Payments of one class (or of all classes: id null) in one round. */
export interface PaymentStats {
  id: string | null;
  claims: number;
  payments: number;
  total: Cents;
  /** total / payments, rounded half-up to the cent; null without payments. */
  average: Cents | null;
  /** The middle payment; with an even count, the mean of the two middle ones rounded half-up. */
  median: Cents | null;
  smallest: Cents | null;
  largest: Cents | null;
}

export interface OutcomeCount {
  outcome: string;
  count: number;
  /** Of the round's claims, 2 decimals. */
  percent: string | null;
}

export interface AccountingRound {
  round: number;
  dir: string;
  receiptsRoot: string | null;
  available: Cents;
  costs: Cents | null;
  claims: number;
  outcomes: OutcomeCount[];
  /** One per class, then all classes (id null). */
  classes: PaymentStats[];
  paid: Cents;
  residual: Cents;
  /** This round's payments that were not cashed: known from the next round's inputs, else null. */
  uncashed: { count: number; amount: Cents; percentOfPayments: string | null; percentOfAmount: string | null } | null;
}

export interface FactLine {
  key: keyof Facts;
  label: string;
  count: number | null;
  /** Of the class members, when both are given. */
  percent: string | null;
}

export interface Accounting {
  caseName: string;
  currency: string;
  gross: Cents;
  interest: Cents;
  fund: Cents;
  deductions: { label: string; rule: string; amount: Cents; percentOfFund: string | null }[];
  totalDeductions: Cents;
  totalDeductionsPercent: string | null;
  net: Cents;
  factsFile: string | null;
  factsSource: string | null;
  notice: FactLine[];
  noticeMethods: string[] | null;
  /** Claims filed: rows of the first round's ledger; percent of the class members when given. */
  claimsFiled: number;
  claimsFiledPercent: string | null;
  rounds: AccountingRound[];
  paymentMethods: PaymentMethodLine[] | null;
  /** A bucket plan's buckets in funding order (absent for a plan of classes). */
  buckets?: BucketFunding[];
  /** Later rounds' costs, summed. */
  redistributionCosts: Cents;
  /** Payments cashed or not known to be uncashed, over all rounds (each round's paid less its uncashed). */
  distributed: Cents;
  residual: { amount: Cents; recipient: string | null; round: number };
  /** fund = deductions + later rounds' costs + distributed + residual, checked. */
  balanced: boolean;
}

/** part / whole as a percent with 2 decimals, rounded half-up; null when whole is 0. */
export function percentText(part: bigint | number, whole: bigint | number): string | null {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return null;
  return formatScaled((p * 20000n + w) / (2n * w), 2);
}

/** a / b rounded half-up (a, b ≥ 0, b > 0). */
const divHalfUp = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

/** Payment figures of sorted payments. */
export function paymentStats(id: string | null, claims: number, payments: BigInt64Array, total: Cents): PaymentStats {
  const n = payments.length;
  if (n === 0) return { id, claims, payments: 0, total, average: null, median: null, smallest: null, largest: null };
  const mid = n >> 1;
  const median = n % 2 === 1 ? payments[mid]! : divHalfUp(payments[mid - 1]! + payments[mid]!, 2n);
  return { id, claims, payments: n, total, average: divHalfUp(total, BigInt(n)), median, smallest: payments[0]!, largest: payments[n - 1]! };
}

/** All classes' payments, merged in order (each class's are sorted). */
function mergeSorted(parts: BigInt64Array[]): BigInt64Array {
  const all = new BigInt64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all.sort();
}

const FACT_LABELS: [keyof Facts, string][] = [
  ['classMembers', 'Class members'],
  ['noticesSent', 'Notices sent'],
  ['noticesReturned', 'Notices returned undeliverable'],
  ['optOuts', 'Opt-outs (requests for exclusion)'],
  ['objections', 'Objections'],
];

function round(input: RoundInput, next: RoundInput | undefined): AccountingRound {
  const claims = input.classes.reduce((s, c) => s + c.claims, 0);
  const outcomes = new Map<string, number>();
  for (const c of input.classes) for (const [o, n] of c.outcomes) outcomes.set(o, (outcomes.get(o) ?? 0) + n);
  const classes = input.classes.map((c) => paymentStats(c.id, c.claims, c.payments, c.total));
  const total = input.classes.reduce((s, c) => s + c.total, 0n);
  classes.push(paymentStats(null, claims, mergeSorted(input.classes.map((c) => c.payments)), total));
  const all = classes.at(-1)!;
  let uncashed: AccountingRound['uncashed'] = null;
  if (next !== undefined) {
    const count = next.classes.reduce((s, c) => s + c.uncashed, 0);
    const amount = next.classes.reduce((s, c) => s + c.uncashedAmount, 0n);
    uncashed = { count, amount, percentOfPayments: percentText(count, all.payments), percentOfAmount: percentText(amount, all.total) };
  }
  return {
    round: input.round,
    dir: input.dir,
    receiptsRoot: input.receiptsRoot,
    available: input.available,
    costs: input.costs,
    claims,
    outcomes: [...outcomes].map(([outcome, count]) => ({ outcome, count, percent: percentText(count, claims) })),
    classes,
    paid: input.paid,
    residual: input.residual,
    uncashed,
  };
}

export function buildAccounting(input: AccountingInput): Accounting {
  const facts = input.facts ?? {};
  const members = facts.classMembers;
  const totalDeductions = input.deductions.reduce((s, d) => s + d.amount, 0n);
  const rounds = input.rounds.map((r, i) => round(r, input.rounds[i + 1]));
  const last = input.rounds.at(-1);
  if (last === undefined) throw new RangeError('buildAccounting: no round');
  const claimsFiled = rounds[0]?.claims ?? 0;
  const redistributionCosts = input.rounds.reduce((s, r) => s + (r.costs ?? 0n), 0n);
  const distributed = rounds.reduce((s, r) => s + r.paid - (r.uncashed?.amount ?? 0n), 0n);
  return {
    caseName: input.caseName,
    currency: input.currency,
    gross: input.gross,
    interest: input.interest,
    fund: input.fund,
    deductions: input.deductions.map((d) => ({ ...d, percentOfFund: percentText(d.amount, input.fund) })),
    totalDeductions,
    totalDeductionsPercent: percentText(totalDeductions, input.fund),
    net: input.net,
    factsFile: input.factsFile,
    factsSource: facts.source ?? null,
    notice: FACT_LABELS.map(([key, label]) => {
      const count = (facts[key] as number | undefined) ?? null;
      return { key, label, count, percent: key === 'classMembers' || count === null || members === undefined ? null : percentText(count, members) };
    }),
    noticeMethods: facts.noticeMethods ?? null,
    claimsFiled,
    claimsFiledPercent: members === undefined ? null : percentText(claimsFiled, members),
    rounds,
    paymentMethods: input.paymentMethods,
    ...(input.buckets === undefined ? {} : { buckets: input.buckets }),
    redistributionCosts,
    distributed,
    residual: { amount: last.residual, recipient: last.residualRecipient, round: last.round },
    balanced: input.fund === totalDeductions + redistributionCosts + distributed + last.residual,
  };
}
