/**
 * The first round as the second round sees it (docs/spec.md §6): the first ledger's rows, its
 * outcomes and exact shares, the uncashed list matched against it, and the money that comes back.
 * Built by src/io/first-round-reader.ts and src/io/uncashed-reader.ts; redistribute.ts divides it.
 */
import { formatScaled } from './decimal.js';
import { restoreFormula } from './csv-cell.js';
import { formatMoneyHuman, type Cents } from './money.js';
import type { Problem } from './problems.js';

/**
 * The outcomes a first-round ledger may hold (docs/spec.md §5); `nothing_claimed` only in a bucket
 * plan's ledger (docs/spec.md §6a), `capped` only in a classes plan's.
 */
export const FIRST_ROUND_OUTCOMES = ['paid', 'capped', 'below_minimum', 'ineligible', 'nothing_claimed'] as const;
export type FirstRoundOutcome = (typeof FIRST_ROUND_OUTCOMES)[number];

/** Points are the share column in millionths of the currency unit: 40.532500 → 40532500. */
export const SHARE_PLACES = 6;
const SHARE_TEXT = /^(\d+)(?:\.(\d{1,6}))?$/;

/** A first ledger's share cell (`"40.532500"`) in millionths of the currency unit, or undefined. */
export function parseShare(text: string): bigint | undefined {
  const m = SHARE_TEXT.exec(text);
  if (!m) return undefined;
  return BigInt((m[1] ?? '') + (m[2] ?? '').padEnd(SHARE_PLACES, '0'));
}

/** Millionths of the currency unit → the ledger's 6-decimal text. */
export function formatShare(micros: bigint): string {
  return formatScaled(micros, SHARE_PLACES);
}

/**
 * The first round's ledger as the core sees it (built by src/io/first-round-reader.ts): column-wise,
 * ids as strings, everything else an index into a small table of distinct values.
 */
export interface FirstRoundTable {
  count: number;
  /** claim_id per row, in ledger order. */
  ids: string[];
  /** Physical line of each row in the first-round ledger. */
  lines: Uint32Array;
  /** Distinct class ids, and each row's index into them. */
  classes: string[];
  classIndex: Uint32Array;
  /**
   * Distinct (first-round amount, first-round share) pairs: amounts[v] in cents and shares[v] (the
   * ledger's share column in millionths of the currency unit), and each row's index v into them.
   */
  amounts: Cents[];
  shares: bigint[];
  valueIndex: Uint32Array;
  /** Each row's first-round outcome, an index into FIRST_ROUND_OUTCOMES. */
  outcomeIndex: Uint8Array;
  /**
   * `amount` for a bucket plan's first round (docs/spec.md §6a): its ledger has no share column, and
   * the points are the amounts paid (shares[v] = amounts[v] × 10^4); absent, the share column's.
   */
  pointsBasis?: 'amount';
}

/**
 * The class of every row of a bucket plan's first round: a bucket plan has no classes, and the
 * second round is one pool (docs/spec.md §6a).
 */
export const BUCKET_ROUND_CLASS = 'all';

/** One line of the uncashed list. */
export interface UncashedEntry {
  line: number;
  claimId: string;
}

/**
 * Matches the uncashed list against the first-round ledger. Every problem is returned, each with
 * its line: a claim id the ledger does not hold, a claim that was not paid or capped (its
 * first-round outcome and ledger line named), a claim listed twice (both lines named).
 */
export function matchUncashed(
  first: FirstRoundTable,
  entries: readonly UncashedEntry[],
  files: { uncashed: string; ledger: string },
): { uncashed: Uint8Array; count: number } | { problems: Problem[] } {
  const rowOf = new Map<string, number>();
  for (let row = 0; row < first.count; row++) rowOf.set(first.ids[row]!, row);
  const uncashed = new Uint8Array(first.count);
  const firstLine = new Map<number, number>();
  const problems: Problem[] = [];
  const at = (line: number, message: string): Problem => ({ code: 'input', severity: 'error', file: files.uncashed, line, field: 'claim_id', message });
  for (const e of entries) {
    // A list made from the ledger in a spreadsheet may keep payout's formula guard ('=…).
    const row = rowOf.get(e.claimId) ?? rowOf.get(restoreFormula(e.claimId));
    if (row === undefined) {
      problems.push(at(e.line, `${JSON.stringify(e.claimId)} is not in the first-round ledger ${files.ledger}`));
      continue;
    }
    const seen = firstLine.get(row);
    if (seen !== undefined) {
      problems.push(at(e.line, `${JSON.stringify(e.claimId)} is listed twice (first on line ${seen})`));
      continue;
    }
    firstLine.set(row, e.line);
    const outcome = FIRST_ROUND_OUTCOMES[first.outcomeIndex[row]!]!;
    if (outcome !== 'paid' && outcome !== 'capped') {
      problems.push(
        at(
          e.line,
          `${JSON.stringify(e.claimId)} was not paid in the first round (outcome ${outcome}, ${files.ledger}:${first.lines[row]!}): only a paid or capped claim has a payment to return`,
        ),
      );
      continue;
    }
    uncashed[row] = 1;
  }
  return problems.length > 0 ? { problems } : { uncashed, count: firstLine.size };
}

/** How the money of the second round is reached. */
export interface Available {
  firstRoundResidual: Cents;
  uncashedClaims: number;
  /** Σ first-round amounts of the uncashed claims. */
  uncashedAmount: Cents;
  costs: Cents;
  /** firstRoundResidual + uncashedAmount − costs. */
  available: Cents;
}

/**
 * What the second round can pay (docs/spec.md §6), or a message when the costs are more than there
 * is: costs above what the residual and the uncashed checks bring are refused.
 */
export function availableFor(
  first: FirstRoundTable,
  uncashed: Uint8Array,
  firstRoundResidual: Cents,
  costs: Cents,
): Available | { message: string } {
  let uncashedAmount = 0n;
  let uncashedClaims = 0;
  for (let row = 0; row < first.count; row++) {
    if (uncashed[row] !== 1) continue;
    uncashedAmount += first.amounts[first.valueIndex[row]!]!;
    uncashedClaims++;
  }
  const before = firstRoundResidual + uncashedAmount;
  if (costs > before) {
    return {
      message: `the costs ${formatMoneyHuman(costs)} are more than the second round has: first-round residual ${formatMoneyHuman(firstRoundResidual)} + uncashed ${formatMoneyHuman(uncashedAmount)} = ${formatMoneyHuman(before)}`,
    };
  }
  return { firstRoundResidual, uncashedClaims, uncashedAmount, costs, available: before - costs };
}
