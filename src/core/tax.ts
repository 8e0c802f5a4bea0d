/**
 * The 1099 list (docs/tax.md): each taxpayer's settlement payments in a calendar year, summed over
 * every round paid to them and over every claim that carries their TIN, flagged when at or above
 * the year's Form 1099-MISC threshold; among those, the claims whose TIN is missing or malformed,
 * for backup-withholding review (24%).
 *
 * Pure: the rounds' payments and the TINs come in as data (src/io/tax-inputs.ts reads them).
 */
import { csvField, textCell } from './csv-cell.js';
import { maskLast4 } from './mask.js';
import { formatMoney, type Cents } from './money.js';

export const TAX_FORMAT = 'payout-tax/1';

/**
 * Form 1099-MISC reporting threshold per payee and calendar year of payment, in cents. $600 for
 * payments made in 2025 and before; $2,000 for payments made in 2026 (P.L. 119-21 §70433, indexed
 * for inflation from 2027 on, so a later year is refused until its figure is added here, never guessed).
 */
export const THRESHOLDS: ReadonlyMap<number, Cents> = new Map([
  [2025, 60000n],
  [2026, 200000n],
]);

/** The backup-withholding rate applied to payees without a valid TIN (IRC §3406), in percent. */
export const BACKUP_WITHHOLDING_PERCENT = 24n;

export type TinStatus = 'ok' | 'missing' | 'malformed';

/**
 * A TIN as the claims file gives it → its 9 digits, or why it has none. Accepted forms: nine
 * digits, `123-45-6789` (SSN, ITIN) or `12-3456789` (EIN), spaces around allowed; all zeros is
 * malformed. The form is checked, not the number (no IRS TIN matching here).
 */
export function normaliseTin(text: string | undefined): { status: TinStatus; digits?: string } {
  const t = (text ?? '').trim();
  if (t === '') return { status: 'missing' };
  if (!/^(\d{9}|\d{3}-\d{2}-\d{4}|\d{2}-\d{7})$/.test(t)) return { status: 'malformed' };
  const digits = t.replace(/-/g, '');
  return digits === '000000000' ? { status: 'malformed' } : { status: 'ok', digits };
}

/** A TIN for people to read: only its last 4 (`***-**-6789`; a malformed one as maskLast4 shows any value). */
export function maskTin(text: string | undefined): string {
  const t = (text ?? '').trim();
  if (t === '') return '(none)';
  const n = normaliseTin(t);
  return n.status === 'ok' ? `***-**-${n.digits!.slice(-4)}` : maskLast4(t);
}

/** One round's payments: per claim, what it was paid (and, for a second round, what came back). */
export interface RoundPayments {
  /** The folder, for messages and the output's `rounds` column. */
  dir: string;
  command: string;
  /** claim_id → cents paid in this round. */
  paid: Map<string, Cents>;
  /** claim_id → cents of the first round that came back uncashed (a second round's `uncashed` rows). */
  returned: Map<string, Cents>;
}

export interface TaxClaim {
  claimId: string;
  /** The TIN cell as given (full: only the output file holds it). */
  tin: string;
  tinStatus: TinStatus;
  /** Net cents paid to this claim over the rounds given. */
  total: Cents;
}

export interface Taxpayer {
  /** `tin:<9 digits>`, or `claim:<claim_id>` for a claim without a valid TIN. */
  key: string;
  tin: string;
  tinStatus: TinStatus;
  claims: TaxClaim[];
  total: Cents;
  reportable: boolean;
}

export interface TaxList {
  format: string;
  year: number;
  threshold: Cents;
  /** Per round: the claims paid more than 0 and the sum paid. */
  rounds: { dir: string; command: string; claims: number; paid: Cents }[];
  /** Every taxpayer paid more than 0, by total descending, then key. */
  taxpayers: Taxpayer[];
  /** Claims paid but absent from the TINs file (grouped by claim id, like a missing TIN). */
  notInTinsFile: number;
}

/** The threshold of `year`; undefined when the table has no entry (refused, not guessed). */
export const thresholdOf = (year: number): Cents | undefined => THRESHOLDS.get(year);

/**
 * Sums each claim's payments over the rounds (a second round's `uncashed` rows take back the
 * first-round payment that came back), groups claims by valid TIN (a claim with a missing or
 * malformed TIN is its own taxpayer, by claim id) and flags the taxpayers at or above `threshold`.
 */
export function buildTaxList(year: number, threshold: Cents, rounds: readonly RoundPayments[], tins: ReadonlyMap<string, string>): TaxList {
  const totals = new Map<string, Cents>();
  for (const r of rounds) {
    for (const [id, c] of r.paid) totals.set(id, (totals.get(id) ?? 0n) + c);
    for (const [id, c] of r.returned) totals.set(id, (totals.get(id) ?? 0n) - c);
  }
  const byKey = new Map<string, Taxpayer>();
  let notInTinsFile = 0;
  for (const [claimId, total] of totals) {
    if (total <= 0n) continue;
    const tin = tins.get(claimId);
    if (tin === undefined) notInTinsFile++;
    const n = normaliseTin(tin);
    const key = n.status === 'ok' ? `tin:${n.digits!}` : `claim:${claimId}`;
    let t = byKey.get(key);
    if (t === undefined) {
      t = { key, tin: n.digits ?? (tin ?? '').trim(), tinStatus: n.status, claims: [], total: 0n, reportable: false };
      byKey.set(key, t);
    }
    t.claims.push({ claimId, tin: (tin ?? '').trim(), tinStatus: n.status, total });
    t.total += total;
  }
  const taxpayers = [...byKey.values()];
  for (const t of taxpayers) {
    t.reportable = t.total >= threshold;
    t.claims.sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0));
  }
  taxpayers.sort((a, b) => (a.total === b.total ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.total > b.total ? -1 : 1));
  return {
    format: TAX_FORMAT,
    year,
    threshold,
    rounds: rounds.map((r) => ({ dir: r.dir, command: r.command, claims: [...r.paid.values()].filter((c) => c > 0n).length, paid: [...r.paid.values()].reduce((a, c) => a + c, 0n) })),
    taxpayers,
    notInTinsFile,
  };
}

/** 24% of `total`, rounded half-up to the cent: what backup withholding would hold back (information). */
export const backupWithholding = (total: Cents): Cents => (total * BACKUP_WITHHOLDING_PERCENT * 2n + 100n) / 200n;

export const TAX_COLUMNS = ['tin', 'tin_status', 'claim_ids', 'total', 'threshold', 'backup_withholding_review', 'withholding_24_percent'] as const;

/**
 * The output file (sensitive: full TINs): one row per reportable taxpayer, in the list's order.
 * `backup_withholding_review` is `yes` for a taxpayer without a valid TIN.
 */
export function taxCsv(list: TaxList): string {
  const lines = [TAX_COLUMNS.map(csvField).join(',')];
  for (const t of list.taxpayers) {
    if (!t.reportable) continue;
    const review = t.tinStatus !== 'ok';
    lines.push(
      [
        textCell(t.tin),
        t.tinStatus,
        textCell(t.claims.map((c) => c.claimId).join(';')),
        formatMoney(t.total),
        formatMoney(list.threshold),
        review ? 'yes' : 'no',
        review ? formatMoney(backupWithholding(t.total)) : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
