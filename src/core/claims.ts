/**
 * The claims as the core sees them: a compact, column-wise table built by the reader in
 * src/io/claims-reader.ts. A million claims must not cost a million objects, so every column is a
 * typed array or an index into a small table of distinct values; only the claim ids are kept as
 * strings (the ledger and the tie-break need them).
 */
import type { Dec } from './decimal.js';

/** The columns payout reads; everything else is carried (and copied to the ledger with --keep). */
export const CLAIM_FIELDS = ['claim_id', 'class', 'units', 'status', 'email', 'name', 'address'] as const;
export type ClaimField = (typeof CLAIM_FIELDS)[number];

/** One distinct units value as written in the claims file, normalised. */
export interface UnitsValue {
  /** Shortest decimal text, e.g. `"1"`, `"1.5"` (what the ledger prints). */
  text: string;
  /** Exact value, at most 6 decimal places (SPEC section 2). */
  value: Dec;
}

export interface ClaimTable {
  /** Number of claim rows (the header and skipped blank rows not counted). */
  count: number;
  /** claim_id per row, in input order, trimmed. */
  ids: string[];
  /** Physical line on which each row's record starts (header = line 1). */
  lines: Uint32Array;
  /** Index into `plan.classes` per row. */
  classIndex: Uint16Array;
  /** Index into `units` per row. */
  unitsIndex: Uint32Array;
  /** Distinct units values. */
  units: UnitsValue[];
  /** Index into `statuses` per row. */
  statusIndex: Uint16Array;
  /** Distinct statuses, trimmed and lower-cased (`approved`, `rejected`, …). */
  statuses: string[];
  /** Columns the user asked to carry into the ledger (`--keep`), by the name given, one string per row. */
  kept: Map<string, string[]>;
}
