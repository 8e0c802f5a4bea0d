/**
 * Duplicates among the rows of a claims file (docs/spec.md §2): a claim id seen before is an error
 * (both lines named); the same email, or the same name and address, is a warning (a possible
 * duplicate claim). The claimant checks are csv-dedupe.ts's ClaimantIndex, row by row here or
 * batched in dedupe-batch.ts; both report through the messages below.
 */
import type { ClaimIds } from '../core/claims.js';
import { maskLast4 } from '../core/mask.js';
import type { Problem } from '../core/problems.js';
import { ClaimantIndex, claimantShown, hash32 } from './csv-dedupe.js';
import { ExactLineIndex } from './line-index.js';
import type { DuplicateHit } from './dedupe-check.js';
import type { ClaimsProblems } from './claims-problems.js';

/** The email is masked to its last 4 characters: warnings reach terminals and logs (both lines name it in full). */
export const duplicateEmailMessage = (first: number, shown: string): string =>
  `same email as line ${first}: "${maskLast4(shown)}" (possible duplicate claim)`;
export const duplicateNameAddressMessage = (first: number): string => `same name and address as line ${first} (possible duplicate claim)`;

/** An id as a look-alike warning shows it: quoted, and with its code points when it is not plain ASCII. */
function shownId(id: string): string {
  const quoted = JSON.stringify(id);
  if (/^[\x20-\x7e]*$/.test(id)) return quoted;
  const points = [...id].map((ch) => (/^[\x21-\x7e]$/.test(ch) ? ch : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`));
  return `${quoted} (${points.join(' ')})`;
}

export const lookAlikeMessage = (id: string, firstId: string, firstLine: number): string =>
  `claim id ${shownId(id)} looks like ${shownId(firstId)} on line ${firstLine} (the same ignoring Unicode normalization, case and invisible characters): both are paid as different claims; check they are not one claimant`;

/** The warning of a duplicate found by the batched checks, as the row-by-row check words it. */
export function duplicateHitProblem(file: string, hit: DuplicateHit): Problem {
  return hit.kind === 'email'
    ? { code: 'duplicate_email', severity: 'warning', file, line: hit.line, message: duplicateEmailMessage(hit.first, hit.shown), field: 'email' }
    : { code: 'duplicate_name_address', severity: 'warning', file, line: hit.line, message: duplicateNameAddressMessage(hit.first), field: 'name' };
}

/** The pending id is recorded but not put in the index (see `increasing`). */
const IN_ORDER = -2;
/** No id pending. */
const NONE = -1;

/**
 * The claim ids seen so far, exact: those of the table's rows (by reference to the row, ref > 0)
 * and those of rows left out for an error (ref < 0). Check an id with `firstLine`, then record it
 * with `recordRow` or `recordLeftOut` when it was new.
 */
export class ClaimIdIndex {
  private readonly index = new ExactLineIndex((ref) => (ref > 0 ? this.ids.get(ref - 1) : (this.otherIds[-ref - 1] as string)));
  private readonly otherIds: string[] = [];
  private readonly otherLines: number[] = [];
  /**
   * While every claim id so far came after the one before (claims systems mostly export in id
   * order), a new id that comes after the last is unlike every earlier one: nothing is looked up
   * and the index stays empty. At the first id out of order the index is built from every id so
   * far (`indexIds`) and used from then on. Ids compare as JavaScript strings (any total order
   * will do). A million ids: ~0.25 s less on the reading thread, and ~11 bytes a claim less.
   */
  private increasing = true;
  private lastId: string | undefined;
  private expectedRows = 0;
  /** The hash of the id `firstLine` found new (IN_ORDER: not to go in the index), else NONE. */
  private pending = NONE;

  /** `ids`: the table's ids, appended to by the caller; `lineOfRow`: a table row's line. */
  constructor(
    private readonly ids: ClaimIds,
    private readonly lineOfRow: (row: number) => number,
  ) {}

  /** Room for about `rows` ids in all (a hint). */
  reserve(rows: number): void {
    this.expectedRows = rows;
    if (!this.increasing) this.index.reserve(rows);
  }

  /** A non-empty id: 0 when it is new (then record it), else the line it was first seen on. */
  firstLine(id: string): number {
    if (this.increasing && (this.lastId === undefined || id > this.lastId)) {
      this.lastId = id;
      this.pending = IN_ORDER;
      return 0;
    }
    if (this.increasing) this.indexIds();
    const h = hash32(id);
    const ref = this.index.find(id, h);
    if (ref !== 0) {
      this.pending = NONE;
      return ref > 0 ? this.lineOfRow(ref - 1) : (this.otherLines[-ref - 1] as number);
    }
    this.pending = h;
    return 0;
  }

  /** The new id is the table's row `row` (pushed to `ids` already). */
  recordRow(row: number): void {
    if (this.pending >= 0) this.index.insert(this.pending, row + 1);
    this.pending = NONE;
  }

  /** The new id is on a row left out of the table for an error. */
  recordLeftOut(id: string, line: number): void {
    this.otherIds.push(id);
    this.otherLines.push(line);
    if (this.pending >= 0) this.index.insert(this.pending, -this.otherIds.length);
    this.pending = NONE;
  }

  /** The reading is over: the memory goes back. */
  clear(): void {
    this.index.clear();
  }

  /** The first claim id out of order: every id recorded so far goes into the index, which is used from now on. */
  private indexIds(): void {
    this.increasing = false;
    const rows = this.ids.length;
    this.index.reserve(Math.max(this.expectedRows, rows + this.otherIds.length));
    for (let r = 0; r < rows; r++) this.index.insert(hash32(this.ids.get(r)), r + 1);
    for (let k = 0; k < this.otherIds.length; k++) this.index.insert(hash32(this.otherIds[k] as string), -(k + 1));
  }
}

/** The duplicate-claimant checks done row by row, on this thread. */
export class InlineClaimantChecks {
  private readonly claimants = new ClaimantIndex();

  constructor(
    private readonly email: number,
    private readonly name: number,
    private readonly address: number,
    private readonly problems: ClaimsProblems,
  ) {}

  get checksEmail(): boolean {
    return this.email >= 0;
  }

  get checksNameAddress(): boolean {
    return this.name >= 0 && this.address >= 0;
  }

  reserve(rows: number): void {
    this.claimants.reserve(rows, this.checksEmail, this.checksNameAddress);
  }

  /** Checks one row (`claimId`: undefined when empty), storing a warning for each duplicate. */
  check(fields: string[], line: number, claimId: string | undefined): void {
    if (this.email >= 0) {
      const email = fields[this.email] as string;
      const first = this.claimants.email(email, line);
      if (first !== 0) this.problems.warning('duplicate_email', line, 'email', duplicateEmailMessage(first, claimantShown(email)), claimId);
    }
    if (this.name >= 0 && this.address >= 0) {
      const first = this.claimants.nameAddress(fields[this.name] as string, fields[this.address] as string, line);
      if (first !== 0) this.problems.warning('duplicate_name_address', line, 'name', duplicateNameAddressMessage(first), claimId);
    }
  }

  clear(): void {
    this.claimants.clear();
  }
}
