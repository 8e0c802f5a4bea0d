/**
 * What reading a claims file takes and gives (claims-reader.ts's `readClaims`, and the
 * ClaimsCollector any tokenizer feeds).
 */
import type { ClaimField, ClaimTable } from '../core/claims.js';
import type { Cells } from '../core/points.js';
import type { Problem, ProblemCode } from '../core/problems.js';
import type { ClassSummary, StatusSummary } from './claims-stats.js';

export interface ReadClaimsOptions {
  /** Field → header, from `--map claim_id=ClaimNumber`; matched case-insensitively after trimming. */
  map?: Partial<Record<ClaimField, string>>;
  /** One character; default `,`. */
  delimiter?: string;
  /** Columns to carry into the ledger (`--keep`); each must be in the header. */
  keep?: string[];
  /** Cap on stored problem objects per severity (default 10,000); counting never stops. */
  maxStoredProblems?: number;
  /** Called for every problem as it is found (also beyond the cap), with the row's claim id if known. */
  onProblem?: (problem: Problem, claimId: string | undefined) => void;
  /** Also compute the SHA-256 of the file's bytes (for a manifest) in the same pass. */
  sha256?: boolean;
  /**
   * Called before each chunk of the file is parsed; a returned promise pauses the reading until
   * it settles. Lets an `onProblem` writer apply backpressure (a million bad rows must not pile
   * up in its buffer).
   */
  throttle?: () => Promise<unknown> | undefined;
  /** Called as each chunk is read: bytes read so far and rows handled so far (for a progress bar). */
  onProgress?: (bytes: number, rows: number) => void;
  /**
   * Which tokenizer reads the file: `fast` (the default: csv-fast.ts, with csv-parse taking over at
   * the first record that is not plain) or `csv-parse` for all of it. The environment variable
   * `PAYOUT_CSV=csv-parse` changes the default; both give the same records, lines and problems.
   */
  csv?: CsvTokenizer;
  /**
   * The plan's seed, when the claims will be allocated by largest remainder: the tie-break key
   * prefixes of the table's rows (docs/spec.md §4a) are then computed on a worker thread while the file is
   * read, and returned as `tieKeyPrefixes` (see tie-keys.ts).
   */
  tieKeySeed?: string;
  /**
   * Where the duplicate-claimant checks (email; name and address) are done: `inline`, row by row,
   * or `batched` (dedupe-batch.ts: on a worker thread when there is one, else on this thread).
   * Default: batched on a worker thread for files of 8 MiB and more, else inline. Both give the
   * same problems and stats; with `batched`, `onProblem` sees those warnings at the end.
   */
  duplicateChecks?: 'inline' | 'batched';
  /**
   * Batched duplicate-claimant checks of a file of this many bytes or more keep their keys in
   * partitions in a temporary folder, not in tables in memory (dedupe-spill.ts): the same
   * warnings. Default: SPILL_MIN_BYTES, or the environment variable `PAYOUT_CLAIMANT_SPILL_BYTES`
   * (meant for tests, which lower it to run both ways on small files).
   */
  duplicateSpillBytes?: number;
  /** Also return the rows' cells the statistics were counted by (`cells`), for the allocation. */
  cells?: boolean;
}

export type CsvTokenizer = 'fast' | 'csv-parse';

export interface ClaimsStats {
  /** The file as the user named it. */
  file: string;
  bytes: number;
  /** Lowercase hex SHA-256 of the bytes, when asked for. */
  sha256?: string;
  /** The header as written (trimmed), or empty when there is none. */
  headers: string[];
  /** Physical line of the header. */
  headerLine: number;
  /** The header used for each field, or null when the column is absent. */
  columns: Record<ClaimField, string | null>;
  /** Claim rows read (blank rows and the header not counted), with or without errors. */
  rows: number;
  /** Rows left out of the table because of an error. */
  invalidRows: number;
  blankRows: number;
  errors: number;
  warnings: number;
  /** Errors and warnings counted per code (all of them, not only the stored ones). */
  errorsByCode: Partial<Record<ProblemCode, number>>;
  warningsByCode: Partial<Record<ProblemCode, number>>;
  /** Set when a syntax error stopped the reading: the line of the record where it stopped. */
  stoppedAtLine?: number;
  classes: ClassSummary[];
  statuses: StatusSummary[];
}

export interface ReadClaimsResult {
  table: ClaimTable;
  /** The stored problems (see maxStoredProblems), ordered by line. */
  problems: Problem[];
  stats: ClaimsStats;
  /**
   * With `tieKeySeed` and no errors: per table row, the first 32 bits of its tie-break key
   * SHA-256(seed + ":" + claim_id), for `allocate`'s `tieKeyPrefixes`; 0 for rows whose status
   * the plan does not pay (in no tie set: not hashed).
   */
  tieKeyPrefixes?: Uint32Array;
  /**
   * With ReadClaimsOptions.cells: the table's cells for the plan it was read with (core/points.ts
   * `buildCells`), made for `stats`; allocate takes them (AllocateOptions.cells) rather than make them again.
   */
  cells?: Cells;
}

