/**
 * Reads the payment elections of a ledger's paid claims: from the claims file's columns
 * (payment_method, email, phone, routing_number, …; docs/payments.md), or from an elections file
 * joined on claim_id, whose columns take precedence for the claims it lists. The claims file must
 * be the one the ledger was made from: row by row the same claim ids (and, for a first round, the
 * SHA-256 its manifest records). Every problem is collected with its file, line and field.
 */
import { basename } from 'node:path';
import { DataError, UsageError } from '../../core/errors.js';
import type { ManifestInput } from '../../core/manifest.js';
import type { Problem } from '../../core/problems.js';
import type { PaidClaim } from '../../core/payments/batch.js';
import { ELECTION_COLUMNS, readElection, type ElectionField, type ElectionInput } from '../../core/payments/elections.js';
import { csvReadError, readCsvFile } from '../csv-records.js';
import type { PaidLedger } from './paid-ledger.js';
import { claimCount, countOf } from '../../core/display-numbers.js';

const FIELDS = Object.keys(ELECTION_COLUMNS) as ElectionField[];
// The reader below builds each claim's ElectionInput field by field in this order.
const ORDER: readonly ElectionField[] = ['method', 'email', 'phone', 'venmoHandle', 'routing', 'account', 'accountType', 'name', 'address', 'address2', 'city', 'state', 'zip'];
if (FIELDS.join() !== ORDER.join()) throw new Error(`elections-reader: ELECTION_COLUMNS is ${FIELDS.join()}, the reader expects ${ORDER.join()}`);

export interface ElectionsRead {
  /** The paid claims with their elections, in ledger order (empty when `onPaid` takes them). */
  claims: PaidClaim[];
  /** Errors and warnings, sorted by file and line. */
  problems: Problem[];
  /** Claims paid by check because their election was missing or invalid. */
  fallbacks: number;
  inputs: { claims: ManifestInput; elections?: ManifestInput };
}

/** Column index of each election field in a header (-1 when absent), and of claim_id. */
function columnsOf(header: string[]): { id: number; fields: Record<ElectionField, number> } {
  const names = header.map((h) => h.trim().toLowerCase());
  const fields = {} as Record<ElectionField, number>;
  for (const f of FIELDS) fields[f] = names.indexOf(ELECTION_COLUMNS[f]);
  return { id: names.indexOf('claim_id'), fields };
}

async function read(file: string, what: string, onRecord: (fields: string[], line: number) => void): Promise<{ sha256: string }> {
  try {
    return await readCsvFile(file, onRecord);
  } catch (err) {
    throw csvReadError(file, `the ${what}`, err);
  }
}

/**
 * Reads the elections of the ledger's paid claims. `onPaid`, when given, takes each paid claim as
 * it is read (so a million are never held at once); otherwise they are returned.
 */
export async function readElections(o: { claimsFile: string; electionsFile?: string; ledger: PaidLedger; onPaid?: (c: PaidClaim) => void }): Promise<ElectionsRead> {
  const problems: Problem[] = [];
  const err = (file: string, line: number, message: string, field?: string): void =>
    void problems.push({ code: 'input', severity: 'error', file, line, ...(field !== undefined ? { field } : {}), message });

  // The elections file, by claim id.
  const elected = new Map<string, { line: number; cells: string[]; used: boolean }>();
  let eCols: ReturnType<typeof columnsOf> | undefined;
  let electionsInput: ManifestInput | undefined;
  if (o.electionsFile !== undefined) {
    const file = o.electionsFile;
    let rows = 0;
    const digest = await read(file, 'elections file', (cells, line) => {
      if (eCols === undefined) {
        eCols = columnsOf(cells);
        if (eCols.id === -1) throw new DataError(`${file}: no claim_id column`, [{ code: 'missing_column', severity: 'error', file, line, field: 'claim_id', message: `no claim_id column (found: ${cells.join(', ')})` }]);
        return;
      }
      rows++;
      const id = (cells[eCols.id] ?? '').trim();
      if (id === '') return err(file, line, 'empty claim_id', 'claim_id');
      if (cells.some((c) => c.includes('\uFFFD'))) err(file, line, 'invalid UTF-8: re-export the file as CSV UTF-8');
      const first = elected.get(id);
      if (first !== undefined) return err(file, line, `claim ${id} is already elected on line ${first.line}`, 'claim_id');
      elected.set(id, { line, cells, used: false });
    });
    if (eCols === undefined) throw new UsageError(`${file}: empty, expected a header with a claim_id column`);
    electionsInput = { file: basename(file), sha256: digest.sha256, rows };
  }

  const { ledger } = o;
  const claims: PaidClaim[] = [];
  let cCols: ReturnType<typeof columnsOf> | undefined;
  let r = 0;
  const file = o.claimsFile;
  let mismatch = 0;
  // Per field: its column in the claims file and in the elections file (-1: absent).
  const fromElections = FIELDS.map((f) => (eCols !== undefined ? eCols.fields[f] : -1));
  let fromClaims: number[] = [];
  let fallbacks = 0;
  const digest = await read(file, 'claims file', (cells, line) => {
    if (cCols === undefined) {
      cCols = columnsOf(cells);
      if (cCols.id === -1) throw new UsageError(`${file}:1: no claim_id column: is it the claims file?`);
      fromClaims = FIELDS.map((f) => cCols!.fields[f]);
      return;
    }
    const row = r++;
    const id = (cells[cCols.id] ?? '').trim();
    if (row >= ledger.ids.length || ledger.ids[row] !== id) {
      if (mismatch++ < 10) {
        err(file, line, `claim ${id} where the ledger's row ${row + 1} is ${ledger.ids[row] ?? '(past its end)'}: the claims file is not the one ${ledger.ledgerPath} was made from`, 'claim_id');
      }
      return;
    }
    const e = elected.size > 0 ? elected.get(id) : undefined;
    if (e !== undefined) e.used = true;
    const amount = ledger.amounts[row]!;
    if (amount <= 0n) return; // zero amounts get no payment, and need no election
    // Field k's cell: from the elections file when it lists the claim and has the column, else
    // from the claims file. One object literal per claim (keyed stores into {} were a hot spot).
    const ec = e?.cells;
    const v = (k: number): string => {
      const ei = ec !== undefined ? fromElections[k]! : -1;
      if (ei !== -1) return ec![ei] ?? '';
      const ci = fromClaims[k]!;
      return ci !== -1 ? (cells[ci] ?? '') : '';
    };
    const input: ElectionInput = {
      method: v(0), email: v(1), phone: v(2), venmoHandle: v(3), routing: v(4), account: v(5), accountType: v(6),
      name: v(7), address: v(8), address2: v(9), city: v(10), state: v(11), zip: v(12),
    };
    const place = e !== undefined && o.electionsFile !== undefined ? { file: o.electionsFile, line: e.line, claimId: id } : { file, line, claimId: id };
    const result = readElection(input, place);
    problems.push(...result.problems);
    if (result.election !== undefined && result.problems.length > 0) fallbacks++;
    if (result.election !== undefined) {
      const paid: PaidClaim = result.mailing ? { claimId: id, amount, election: result.election, mailing: result.mailing } : { claimId: id, amount, election: result.election };
      if (o.onPaid) o.onPaid(paid);
      else claims.push(paid);
    }
  });
  if (cCols === undefined) throw new UsageError(`${file}: empty, not a claims file`);
  if (r !== ledger.ids.length) {
    problems.push({ code: 'input', severity: 'error', file, message: `${claimCount(r)}, the ledger ${countOf(ledger.ids.length, 'row')}: the claims file is not the one ${ledger.ledgerPath} was made from` });
  }
  const recorded = ledger.manifest.claims?.sha256;
  if (recorded !== undefined && recorded !== digest.sha256) {
    throw new UsageError(`${file}: sha256 ${digest.sha256}, but ${ledger.dir}/manifest.json records ${recorded}: not the claims file the ledger was made from`);
  }
  if (o.electionsFile !== undefined) {
    for (const [id, { line, used }] of elected) {
      if (!used) problems.push({ code: 'input', severity: 'warning', file: o.electionsFile, line, field: 'claim_id', message: `claim ${id} is not in the ledger; its election is not used` });
    }
  }
  problems.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : (a.file ?? '') < (b.file ?? '') ? -1 : 1));
  return {
    claims,
    problems,
    fallbacks,
    inputs: { claims: { file: basename(file), sha256: digest.sha256, rows: r }, ...(electionsInput ? { elections: electionsInput } : {}) },
  };
}
