/** The options and result of `payout compare` (app/compare.ts, app/compare-buckets.ts). */
import type { Comparison } from '../core/compare.js';
import type { ComparePage } from '../io/compare-html.js';
import type { ClaimsSettings } from './validate.js';

export interface CompareOptions {
  planA: string;
  planB: string;
  claimsFile: string;
  claims: ClaimsSettings;
  /** Write the per-claim diff CSV here (claim_id,class,amount_a,amount_b,change). */
  outFile?: string;
  /** Write the HTML page here. */
  htmlFile?: string;
  /** Replace an existing outFile or htmlFile. */
  force?: boolean;
  /** How many of the largest moves to keep (default 10). */
  top?: number;
}

export interface CompareResult extends ComparePage {
  comparison: Comparison;
  /** The files written, as given. */
  written: string[];
}
