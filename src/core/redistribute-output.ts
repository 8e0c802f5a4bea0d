/**
 * The files of a second distribution (docs/spec.md §6, docs/redistribute.md): ledger.csv with
 * `claim_id,class,first_amount,outcome,amount` in the first ledger's row order, and summary.json
 * with a fixed key order, so the same inputs give the same bytes on every run and machine.
 */
import { csvField, textCell } from './csv-cell.js';
import { formatRationalHalfEven } from './decimal.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan } from './plan.js';
import type { ReceiptsJson } from './summary.js';
import { formatShare, type FirstRoundTable } from './first-round.js';
import { perShareUnit, type Redistribution, type RedistributionClass, type RedistributionOutcome } from './redistribute.js';
import type { ExpectedLedger } from './ledger-compare.js';
import { placedCount } from './rounding/method.js';

export const REDISTRIBUTION_LEDGER_COLUMNS = ['claim_id', 'class', 'first_amount', 'outcome', 'amount'] as const;
export const REDISTRIBUTION_SUMMARY_FORMAT = 'payout-redistribution/1';

export function redistributionLedgerHeader(): string {
  return `${REDISTRIBUTION_LEDGER_COLUMNS.map(csvField).join(',')}\n`;
}

/** The ledger's rows as text chunks of about `rowsPerChunk` rows (header not included). */
export function* redistributionLedgerChunks(first: FirstRoundTable, r: Redistribution, rowsPerChunk = 16384): Generator<string> {
  // Per cell: ",class,first_amount,outcome," and the two possible amounts.
  const middle = r.cells.map((cell) => `,${textCell(first.classes[cell.classIndex] ?? '')},${formatMoney(cell.firstAmount)},${cell.outcome},`);
  const amount0 = r.cells.map((cell) => `${formatMoney(cell.floor)}\n`);
  const amount1 = r.cells.map((cell) => `${formatMoney(cell.floor + 1n)}\n`);
  const { cellOf, extraCent } = r;
  let out = '';
  let inChunk = 0;
  for (let row = 0; row < first.count; row++) {
    const c = cellOf[row]!;
    out += textCell(first.ids[row]!) + middle[c]! + (extraCent[row] === 1 ? amount1[c]! : amount0[c]!);
    if (++inChunk === rowsPerChunk) {
      yield out;
      out = '';
      inChunk = 0;
    }
  }
  if (out) yield out;
}

/** The ledger cell by cell, as read back (formula guards removed), for `payout verify`. */
export function redistributionLedger(first: FirstRoundTable, r: Redistribution): ExpectedLedger {
  const perCell = r.cells.map((cell) => [
    first.classes[cell.classIndex] ?? '',
    formatMoney(cell.firstAmount),
    cell.outcome,
    formatMoney(cell.floor),
    formatMoney(cell.floor + 1n),
  ]);
  return {
    columns: [...REDISTRIBUTION_LEDGER_COLUMNS],
    idColumn: 'claim_id',
    amountColumn: 'amount',
    count: first.count,
    id: (row) => first.ids[row]!,
    cell(row, col) {
      if (col === 0) return first.ids[row]!;
      const cells = perCell[r.cellOf[row]!]!;
      if (col === 4) return cells[r.extraCent[row] === 1 ? 4 : 3]!;
      return cells[col - 1]!;
    },
  };
}

/** What the first round's files say about it, for the summary. */
export interface FirstRoundFacts {
  seed: string;
  claims: number;
  /** Rows with outcome paid or capped. */
  paid: number;
  /** Σ first-round amounts (the ledger, equal to its summary's totals.amount). */
  amount: Cents;
  residual: Cents;
}

/**
 * The counts and sums summary.json gives per class and in total: RedistributionClass's, with money
 * (bigint cents, millionths) as strings.
 */
export type RedistributionCountsJson = {
  [K in Exclude<keyof RedistributionClass, 'id' | 'smallest' | 'largest'>]: RedistributionClass[K] extends bigint ? string : RedistributionClass[K];
};

export interface RedistributionSummaryJson {
  format: string;
  case: string;
  currency: string;
  round: number;
  rounding: Plan['rounding'];
  seed: string;
  firstRound: { seed: string; claims: number; paid: number; amount: string; residual: string };
  available: {
    rule: string;
    firstRoundResidual: string;
    uncashedClaims: number;
    uncashedAmount: string;
    costs: string;
    available: string;
  };
  /**
   * The points basis, in words: "first-round exact share" (the first ledger's share column), or
   * "first-round amount" after a bucket plan (docs/spec.md §6a).
   */
  points: string;
  minimumPayment: string | null;
  maximumPayment: string | null;
  /** λ: second-round amount per 1.00 of first-round exact share, 6 decimals, half-even. */
  perFirstRoundShare: string | null;
  classes: (RedistributionCountsJson & { id: string; smallest: string | null; largest: string | null })[];
  totals: RedistributionCountsJson & { residual: string; centsPlaced: number };
  residualRecipient: string | null;
  check: { paidPlusResidual: string; available: string; balanced: boolean };
  /** The Merkle root over the ledger's rows (docs/receipts.md): added once the ledger is made. */
  receipts?: ReceiptsJson;
}

export const AVAILABLE_RULE = 'first-round residual + first-round amounts of the uncashed claims − costs';

const moneyOrNull = (c: Cents | null): string | null => (c === null ? null : formatMoney(c));

export function buildRedistributionSummary(
  plan: Pick<Plan, 'name' | 'currency' | 'minimumPayment' | 'maximumPayment' | 'residualRecipient'>,
  firstRound: FirstRoundFacts,
  r: Redistribution,
): RedistributionSummaryJson {
  const a = r.available;
  const classes = r.classes.map((c) => ({
    id: c.id,
    claims: c.claims,
    eligible: c.eligible,
    uncashed: c.uncashed,
    ineligible: c.ineligible,
    paid: c.paid,
    capped: c.capped,
    belowMinimum: c.belowMinimum,
    eligibleFirstAmount: formatMoney(c.eligibleFirstAmount),
    eligibleFirstShare: formatShare(c.eligibleFirstShare),
    amount: formatMoney(c.amount),
    smallest: moneyOrNull(c.smallest),
    largest: moneyOrNull(c.largest),
  }));
  const sum = (k: 'claims' | 'eligible' | 'uncashed' | 'ineligible' | 'paid' | 'capped' | 'belowMinimum'): number =>
    r.classes.reduce((acc, c) => acc + c[k], 0);
  const paidPlusResidual = r.totalPaid + r.residual;
  return {
    format: REDISTRIBUTION_SUMMARY_FORMAT,
    case: plan.name,
    currency: plan.currency,
    round: 2,
    rounding: r.rounding,
    seed: r.seed,
    firstRound: {
      seed: firstRound.seed,
      claims: firstRound.claims,
      paid: firstRound.paid,
      amount: formatMoney(firstRound.amount),
      residual: formatMoney(firstRound.residual),
    },
    available: {
      rule: AVAILABLE_RULE,
      firstRoundResidual: formatMoney(a.firstRoundResidual),
      uncashedClaims: a.uncashedClaims,
      uncashedAmount: formatMoney(a.uncashedAmount),
      costs: formatMoney(a.costs),
      available: formatMoney(a.available),
    },
    points: r.points,
    minimumPayment: moneyOrNull(plan.minimumPayment),
    maximumPayment: moneyOrNull(plan.maximumPayment),
    // λ is cents per point (a millionth of a unit of first share): per 1.00 of share, × 10^4.
    perFirstRoundShare: r.level === null ? null : formatRationalHalfEven(perShareUnit(r.level), 6),
    classes,
    totals: {
      claims: sum('claims'),
      eligible: sum('eligible'),
      uncashed: sum('uncashed'),
      ineligible: sum('ineligible'),
      paid: sum('paid'),
      capped: sum('capped'),
      belowMinimum: sum('belowMinimum'),
      eligibleFirstAmount: formatMoney(r.classes.reduce((acc, c) => acc + c.eligibleFirstAmount, 0n)),
      eligibleFirstShare: formatShare(r.classes.reduce((acc, c) => acc + c.eligibleFirstShare, 0n)),
      amount: formatMoney(r.totalPaid),
      residual: formatMoney(r.residual),
      centsPlaced: placedCount(r.centsPlaced),
    },
    residualRecipient: plan.residualRecipient,
    check: { paidPlusResidual: formatMoney(paidPlusResidual), available: formatMoney(a.available), balanced: paidPlusResidual === a.available },
  };
}

/** The bytes of summary.json: two-space JSON, LF, a final newline. */
export function redistributionSummaryText(s: RedistributionSummaryJson): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** Outcomes in the order the ledger documentation lists them. */
export const REDISTRIBUTION_OUTCOMES: readonly RedistributionOutcome[] = ['paid', 'capped', 'below_minimum', 'uncashed', 'ineligible'];
