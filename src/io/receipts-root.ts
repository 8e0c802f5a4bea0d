/**
 * The Merkle root of a ledger (core/merkle.ts, docs/receipts.md) with node:crypto's SHA-256: for
 * an allocation straight from the claims table (what `allocate` writes and `verify` recomputes),
 * for any ledger given cell by cell (a second round, a ledger read back by `payout receipt`).
 *
 * A million rows are two million hashes; each costs ~0.4 µs, most of it the call into OpenSSL, so
 * nothing else per row may cost as much: a leaf's message is assembled in one buffer (the claim
 * id's bytes copied from the table, the rest of the row — the same for every row of an allocation
 * cell with the same status and remainder cent — encoded once and copied), hashed through a view
 * kept per message length, and the digest comes back as 'binary' (Latin-1) text (no Buffer per hash).
 */
import * as nodeCrypto from 'node:crypto';
import type { Allocation } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { allocationLedger } from '../core/expected-ledger.js';
import { LEDGER_COLUMNS } from '../core/ledger.js';
import { compareBytes, concat, DIGEST_BYTES, merkleRoot, MERKLE_ENCODING, netstring, toHex, type Sha256 } from '../core/merkle.js';
import type { Plan } from '../core/plan.js';
import { buildSummary, type ReceiptsJson, type SummaryJson } from '../core/summary.js';
import type { ExpectedLedger } from '../core/verify.js';

/** What summary.json and manifest.json record (docs/receipts.md). */
export type ReceiptsRoot = ReceiptsJson;

const latin1Digest =
  typeof nodeCrypto.hash === 'function'
    ? (b: Uint8Array) => nodeCrypto.hash('sha256', b, 'binary')
    : (b: Uint8Array) => nodeCrypto.createHash('sha256').update(b).digest('binary');

/** node:crypto's SHA-256 in the form core/merkle.ts takes. */
export const sha256Into: Sha256 = (bytes, out, at) => {
  const d = latin1Digest(bytes);
  for (let k = 0; k < DIGEST_BYTES; k++) out[at + k] = d.charCodeAt(k);
};

const utf8 = new TextEncoder();
const LEAF_HEAD = concat([Uint8Array.of(0x00), netstring(utf8.encode('claim_id'))]);

/**
 * Leaf messages assembled in one growing buffer, hashed through a view per message length
 * (crypto.hash takes a whole view; a `subarray` per row would cost a sixth of the hash).
 */
class LeafHasher {
  private buf = new Uint8Array(1024);
  private views: Uint8Array[] = [];
  pos = 0;

  reset(): void {
    this.pos = 0;
  }

  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.views = [];
  }

  put(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A netstring of `bytes[start, end)`, copied byte by byte (ids are short; a native copy costs more). */
  putNetstring(bytes: Uint8Array, start: number, end: number): void {
    const len = end - start;
    const head = `${len}:`;
    this.room(head.length + len + 1);
    const b = this.buf;
    let p = this.pos;
    for (let k = 0; k < head.length; k++) b[p++] = head.charCodeAt(k);
    for (let k = start; k < end; k++) b[p++] = bytes[k]!;
    b[p++] = 0x2c;
    this.pos = p;
  }

  hashInto(out: Uint8Array, at: number): void {
    const len = this.pos;
    let view = this.views[len];
    if (view === undefined) view = this.views[len] = this.buf.subarray(0, len);
    sha256Into(view, out, at);
  }
}

/** The netstrings of columns [from, columns.length) with their cells, as one byte string. */
function cellsBytes(columns: readonly string[], cells: (col: number) => string, from: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let col = from; col < columns.length; col++) parts.push(netstring(utf8.encode(columns[col]!)), netstring(utf8.encode(cells(col))));
  return concat(parts);
}

/** Rows in claim_id order (code points = UTF-8 bytes); none sorted when they already are. */
function sortedRows(count: number, idBytes: (row: number) => Uint8Array): Uint32Array | undefined {
  let inOrder = true;
  let prev = count > 0 ? idBytes(0) : undefined;
  for (let row = 1; row < count && inOrder; row++) {
    const id = idBytes(row);
    if (compareBytes(prev!, id) > 0) inOrder = false;
    prev = id;
  }
  if (inOrder) return undefined;
  const ids = Array.from({ length: count }, (_, row) => idBytes(row));
  const order = Uint32Array.from({ length: count }, (_, row) => row);
  order.sort((a, b) => compareBytes(ids[a]!, ids[b]!));
  return order;
}

/**
 * The receipts root of an allocation's ledger (the columns of SPEC section 5, then `keep`), from
 * the claims table: the cells are those of `allocationLedger` (what `verify` compares the ledger
 * with), so the root is that of ledger.csv read back.
 */
export function allocationReceiptsRoot(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): ReceiptsRoot {
  const expected = allocationLedger(plan, claims, alloc, keep);
  const columns = expected.columns;
  const n = claims.count;
  const { ids, statusIndex, statuses } = claims;
  const { cellOf, extraCent } = alloc;
  const nStatuses = Math.max(1, statuses.length);
  const kept = keep.map((k) => claims.kept.get(k) ?? []);
  const keptNames = keep.map((k) => netstring(utf8.encode(k)));
  // Per (allocation cell, status, remainder cent): the netstrings of class … amount.
  const middles = new Map<number, Uint8Array>();
  const idBytes = ids.bytes;

  const order = sortedRows(n, (row) => idBytes.subarray(ids.start(row), ids.end(row)));
  const leaves = new Uint8Array(n * DIGEST_BYTES);
  const h = new LeafHasher();
  for (let i = 0; i < n; i++) {
    const row = order === undefined ? i : order[i]!;
    const key = (cellOf[row]! * nStatuses + statusIndex[row]!) * 2 + extraCent[row]!;
    let middle = middles.get(key);
    if (middle === undefined) {
      middle = cellsBytes(columns.slice(0, LEDGER_COLUMNS.length), (col) => expected.cell(row, col), 1);
      middles.set(key, middle);
    }
    h.reset();
    h.put(LEAF_HEAD);
    h.putNetstring(idBytes, ids.start(row), ids.end(row));
    h.put(middle);
    for (let k = 0; k < kept.length; k++) {
      h.put(keptNames[k]!);
      h.put(netstring(utf8.encode(kept[k]![row] ?? '')));
    }
    h.hashInto(leaves, i * DIGEST_BYTES);
  }
  return { encoding: MERKLE_ENCODING, root: toHex(merkleRoot(leaves, n, sha256Into)), leaves: n };
}

/** A ledger's leaves in claim_id order, and the claim ids in that order. */
export interface SortedLeaves {
  leaves: Uint8Array;
  count: number;
  /** The claim id of each leaf, in leaf order. */
  ids: string[];
}

/** The leaves of any ledger given cell by cell (`idColumn` holds the claim ids). */
export function ledgerLeaves(ledger: ExpectedLedger): SortedLeaves {
  const n = ledger.count;
  const idCol = ledger.columns.indexOf(ledger.idColumn);
  const idBytes = Array.from({ length: n }, (_, row) => utf8.encode(ledger.cell(row, idCol)));
  const order = sortedRows(n, (row) => idBytes[row]!);
  const leaves = new Uint8Array(n * DIGEST_BYTES);
  const names = ledger.columns.map((c) => netstring(utf8.encode(c)));
  const h = new LeafHasher();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = order === undefined ? i : order[i]!;
    h.reset();
    h.put(Uint8Array.of(0x00));
    for (let col = 0; col < names.length; col++) {
      h.put(names[col]!);
      h.put(netstring(utf8.encode(ledger.cell(row, col))));
    }
    h.hashInto(leaves, i * DIGEST_BYTES);
    ids.push(ledger.cell(row, idCol));
  }
  return { leaves, count: n, ids };
}

/** The receipts root of any ledger given cell by cell. */
export function ledgerReceiptsRoot(ledger: ExpectedLedger): ReceiptsRoot {
  const { leaves, count } = ledgerLeaves(ledger);
  return { encoding: MERKLE_ENCODING, root: toHex(merkleRoot(leaves, count, sha256Into)), leaves: count };
}

/** summary.json of an allocation as `allocate` writes it: buildSummary with the receipts root of its ledger. */
export function allocationSummary(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): SummaryJson {
  return { ...buildSummary(plan, alloc), receipts: allocationReceiptsRoot(plan, claims, alloc, keep) };
}
