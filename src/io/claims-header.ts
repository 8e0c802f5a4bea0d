/**
 * The header row of a claims file (docs/spec.md §2): which column holds each field payout reads
 * (names matched case-insensitively after trimming, or named by `--map`), which columns `--keep`
 * carries, and which cells a tokenizer must hand on as text.
 */
import { CLAIM_FIELDS, type ClaimField } from '../core/claims.js';
import type { ProblemCode } from '../core/problems.js';
import type { ColumnPlan } from './csv-fast.js';

const REQUIRED: ReadonlySet<ClaimField> = new Set(['claim_id', 'class']);

/** A header cell as payout compares it. */
const headerKey = (h: string): string => h.trim().toLowerCase();

function quoteList(items: readonly string[], max = 12): string {
  const shown = items.slice(0, max).map((h) => (h === '' ? '(empty)' : h));
  return shown.join(', ') + (items.length > max ? `, … (${items.length - max} more)` : '');
}

export interface ClaimColumns {
  /** The index of each field's column, -1 when absent. */
  col: Record<ClaimField, number>;
  /** The `--keep` columns found, by the name given, with their index. */
  keep: Array<[name: string, index: number]>;
  /** False when a required column is missing or two fields share a column: no row can be read. */
  usable: boolean;
}

/** A header problem: always an error on the header's line. */
export type HeaderError = (code: ProblemCode, field: string, message: string) => void;

/**
 * Finds the columns of the fields and of `--keep` in a header (cells trimmed). Every problem goes
 * to `error`; the mapping is returned even when unusable.
 */
export function mapColumns(
  headers: readonly string[],
  options: { map?: Partial<Record<ClaimField, string>>; keep?: string[] },
  error: HeaderError,
): ClaimColumns {
  const col: Record<ClaimField, number> = { claim_id: -1, class: -1, units: -1, status: -1, email: -1, name: -1, address: -1 };
  const keep: Array<[string, number]> = [];
  const keys = headers.map(headerKey);
  const found = quoteList(headers);
  const map = options.map ?? {};
  const usedBy = new Map<number, ClaimField>();
  const columnsNamed = (name: string): number[] => {
    const at: number[] = [];
    keys.forEach((k, i) => {
      if (k === name) at.push(i);
    });
    return at;
  };
  let usable = true;
  for (const field of CLAIM_FIELDS) {
    const mapped = map[field];
    const at = columnsNamed(headerKey(mapped ?? field));
    if (at.length === 0) {
      if (mapped !== undefined) {
        error('missing_column', field, `--map ${field}=${mapped}: no column "${mapped}" in the header (found: ${found})`);
        if (REQUIRED.has(field)) usable = false;
      } else if (REQUIRED.has(field)) {
        error('missing_column', field, `missing column "${field}" (found: ${found}); rename the column or add --map ${field}=<header>`);
        usable = false;
      }
      continue;
    }
    if (at.length > 1) {
      const which = at.map((i) => `${i + 1} ("${headers[i] ?? ''}")`).join(' and ');
      error('duplicate_column', field, `columns ${which} both name ${field}: rename or remove one`);
      usable = false;
      continue;
    }
    const index = at[0] as number;
    const other = usedBy.get(index);
    if (other !== undefined) {
      error('duplicate_column', field, `column "${headers[index] ?? ''}" is already used for ${other}`);
      usable = false;
      continue;
    }
    usedBy.set(index, field);
    col[field] = index;
  }
  for (const name of options.keep ?? []) {
    const at = columnsNamed(headerKey(name));
    if (at.length === 0) {
      error('missing_column', name, `--keep ${name}: no column "${name}" in the header (found: ${found})`);
    } else if (at.length > 1) {
      error('duplicate_column', name, `--keep ${name}: columns ${at.map((i) => i + 1).join(' and ')} have this name`);
    } else {
      keep.push([name, at[0] as number]);
    }
  }
  return { col, keep, usable };
}

/**
 * The columns whose cells a row check reads, and of those the ones whose text is kept (ids,
 * --keep, interned classes, units and statuses). A tokenizer may hand on "" for the other cells
 * (csv-fast.ts does), as long as it gives the whole record when every cell read is blank.
 * `claimantCellsRead`: false when the email, name and address cells are checked elsewhere from
 * the file's bytes (dedupe-batch.ts), so they need not be text here.
 */
export function columnPlan(width: number, columns: ClaimColumns, claimantCellsRead: boolean): ColumnPlan {
  const read = new Uint8Array(width);
  const own = new Uint8Array(width);
  const repeat = new Uint8Array(width);
  const mark = (i: number, kept: boolean, repeats = false): void => {
    if (i < 0 || i >= width) return;
    read[i] = 1;
    if (kept) own[i] = 1;
    if (repeats) repeat[i] = 1;
  };
  const c = columns.col;
  // Interned through caches keyed by the cell: one string per distinct value is best.
  mark(c.class, true, true);
  mark(c.units, true, true);
  mark(c.status, true, true);
  // Only hashed (a duplicate warning copies what it shows).
  if (claimantCellsRead) {
    mark(c.email, false);
    mark(c.name, false);
    mark(c.address, false);
  }
  for (const [, i] of columns.keep) mark(i, true);
  mark(c.claim_id, true, false);
  if (c.claim_id >= 0 && c.claim_id < width) repeat[c.claim_id] = 0;
  return { read, own, repeat };
}
