/**
 * The claims options every command that reads a claims file takes (--map, --delimiter,
 * --max-errors): how commander declares them and how they are checked. Kept apart from the
 * commands so that declaring the command line loads nothing else.
 */
import type { Command } from 'commander';
import { CLAIM_FIELDS, type ClaimField } from '../../core/claims.js';
import type { ReadClaimsOptions } from '../../io/claims-reader.js';
import { UsageError } from '../../core/errors.js';
import type { ClaimsSettings } from '../../app/validate.js';

export type { ClaimsSettings };

/** What commander hands over for the claims options. */
export interface ClaimsCliOptions {
  map?: string[];
  delimiter?: string;
  maxErrors: string;
}


/**
 * `--keep payment_method,email` → the column names, as written. `reserved`: the ledger's own
 * columns (a kept column named like one would give the ledger two "amount" columns); a bucket
 * plan's are checked once the plan is read (core/buckets/claims.ts).
 */
export function parseKeep(keep: string | undefined, reserved: readonly string[]): string[] {
  if (keep === undefined) return [];
  const cols = keep.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (cols.length === 0) throw new UsageError(`--keep "${keep}": name the columns to carry, e.g. --keep payment_method`);
  const seen = new Set<string>();
  for (const col of cols) {
    const key = col.toLowerCase();
    if (reserved.includes(key)) {
      throw new UsageError(`--keep ${col}: the ledger already has the column "${key}"; keep only other columns, e.g. --keep payment_method`);
    }
    if (seen.has(key)) throw new UsageError(`--keep ${keep}: "${col}" is named twice`);
    seen.add(key);
  }
  return cols;
}

/** Commander's reducer for a repeatable option. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** --map, --delimiter and --max-errors, for every command that reads a claims file. */
export function addClaimsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--map <field=header>',
      `read a field from a column with another name, e.g. --map claim_id=ClaimNumber (repeatable; fields: ${CLAIM_FIELDS.join(', ')})`,
      collect,
    )
    .option('--delimiter <char>', 'the field delimiter, one character ("tab" for a tab)', ',')
    .option('--max-errors <n>', 'show at most N errors and N warnings', '50');
}

/**
 * Checks the claims options; a bad one is a UsageError (exit 2). With a bucket plan (`form`
 * "buckets") a --map field is claim_id, status or a column the plan names: the reader checks it
 * against the plan (core/buckets/claims.ts, bucketReadingProblem).
 */
export function parseClaimsOptions(o: ClaimsCliOptions, form: 'classes' | 'buckets' = 'classes'): ClaimsSettings {
  const map: Partial<Record<ClaimField, string>> = {};
  const usedHeaders = new Map<string, ClaimField>();
  for (const entry of o.map ?? []) {
    const eq = entry.indexOf('=');
    const field = (eq < 0 ? entry : entry.slice(0, eq)).trim().toLowerCase() as ClaimField;
    const header = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (eq < 0 || header === '') throw new UsageError(`--map ${entry}: expected field=header, e.g. --map claim_id=ClaimNumber`);
    if (form === 'classes' && !(CLAIM_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map ${entry}: unknown field "${field}" (fields: ${CLAIM_FIELDS.join(', ')})`);
    }
    if (map[field] !== undefined) throw new UsageError(`--map ${entry}: ${field} is already mapped to "${map[field]}"`);
    const other = usedHeaders.get(header.toLowerCase());
    if (other !== undefined) throw new UsageError(`--map ${entry}: column "${header}" is already mapped to ${other}`);
    usedHeaders.set(header.toLowerCase(), field);
    map[field] = header;
  }

  let delimiter = o.delimiter ?? ',';
  if (delimiter === 'tab' || delimiter === '\\t') delimiter = '\t';
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new UsageError(`--delimiter ${JSON.stringify(delimiter)}: give one character other than a quote or a line break, e.g. --delimiter ";"`);
  }

  if (!/^\d+$/.test(o.maxErrors)) throw new UsageError(`--max-errors ${o.maxErrors}: give a whole number, e.g. --max-errors 100`);
  const maxErrors = Number(o.maxErrors);

  const read: ReadClaimsOptions = { delimiter };
  if (Object.keys(map).length > 0) read.map = map;
  return { read, maxErrors };
}

/**
 * Which reading options the command line gave, for a command that reads a run's claims file again
 * (verify, explain --from): a given one is used instead of the manifest's record. `delimiterGiven`:
 * commander says --delimiter was on the command line (even as ","); otherwise one other than ",".
 */
export function readingGiven(o: ClaimsCliOptions & { delimiterGiven?: boolean | undefined }): { delimiter: boolean; map: boolean } {
  return { delimiter: o.delimiterGiven ?? (o.delimiter !== undefined && o.delimiter !== ','), map: (o.map?.length ?? 0) > 0 };
}
