/**
 * What `payout verify` needs from each command that writes an output folder: a {@link Recompute}
 * that gives, from the inputs alone, what the folder must hold. The commands' recompute functions
 * (app/verify.ts for allocate, app/redistribute.ts for redistribute) import this module; the
 * comparison in app/verify.ts loads them by `manifest.command`.
 */
import { LEDGER_FILE, type Manifest } from '../core/manifest.js';
import type { ExpectedLedger } from '../core/ledger-compare.js';
import type { InputFact, VerifyCheck } from '../core/verify.js';
import type { ClaimsSettings } from './validate.js';

/** What a recompute function is handed. */
export interface RecomputeContext {
  /** The output folder being verified. */
  dir: string;
  manifest: Manifest;
  /** --plan, as given. */
  planFile: string;
  /**
   * The paths given before DIR, in order: for `allocate`, the claims file. A second round names
   * its own inputs here (e.g. the first round's folder and the uncashed list).
   */
  inputs: string[];
  /** --map, --delimiter, --max-errors, parsed (for a command that reads a claims file). */
  claims: ClaimsSettings;
  /** The header of DIR/ledger.csv, trimmed (allocate: the columns after the standard ones are --keep). */
  ledgerColumns: string[];
}

/** What the inputs give, recomputed in memory (nothing is written). */
export interface Recomputed {
  /** Each input file with the hash the manifest recorded for it and its hash now. */
  inputs: InputFact[];
  ledger: {
    expected: ExpectedLedger;
    /** SHA-256 and length of the ledger bytes the inputs give. */
    sha256: string;
    /** Columns DIR/ledger.csv must have. */
    required: readonly string[];
  };
  summary: {
    /** summary.json as the inputs give it, as plain JSON data. */
    json: unknown;
    sha256: string;
  };
  /** Where residual and net are in a summary.json of this command, for Σ amounts + residual = net. */
  totals: { residual: string[]; net: string[] };
  /** Failed checks of the manifest's own facts against the inputs (e.g. its seed), if any. */
  manifestChecks?: VerifyCheck[];
}

export type Recompute = (ctx: RecomputeContext) => Promise<Recomputed>;

/** The ledger and summary an output folder must hold, by name. */
export { LEDGER_FILE, SUMMARY_FILE } from '../core/manifest.js';

/**
 * The seed a manifest records must be the one the run used (`expected`): it is in summary.json
 * too (checked field by field), but the manifest's copy is what a reader of the folder sees
 * first (payout report shows it). A failed check when it is not, else none.
 */
export function manifestSeedCheck(manifest: Manifest, expected: string, what: string): VerifyCheck[] {
  if (manifest.seed === expected) return [];
  return [{ name: 'manifest', status: 'fail', message: `records seed ${JSON.stringify(manifest.seed)}; ${what} is ${JSON.stringify(expected)}`, details: [] }];
}

export const keepText = (keep: readonly string[] | undefined): string =>
  keep === undefined || keep.length === 0 ? 'no kept column' : `the kept column${keep.length === 1 ? '' : 's'} ${keep.join(', ')}`;

/**
 * The --keep columns the manifest records (`reading.keep`) must be the ledger's columns after the
 * standard ones: a failed check when they are not (a column removed from or added to ledger.csv,
 * or the manifest edited). A manifest without a `reading` record (made before payout recorded
 * one) is not checked: the ledger's header is all there is.
 */
export function manifestKeepCheck(manifest: Manifest, ledgerKeep: readonly string[]): VerifyCheck[] {
  if (manifest.reading === undefined) return [];
  const recorded = manifest.reading.keep ?? [];
  if (recorded.length === ledgerKeep.length && recorded.every((c, i) => c === ledgerKeep[i])) return [];
  return [
    {
      name: 'manifest',
      status: 'fail',
      message: `records ${keepText(recorded)} (--keep); ${LEDGER_FILE} carries ${keepText(ledgerKeep)} (was a column added to or removed from ${LEDGER_FILE}, or the manifest edited?)`,
      details: [],
    },
  ];
}
