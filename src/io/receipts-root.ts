/**
 * The receipts root of a ledger (core/merkle.ts, docs/receipts.md) with node:crypto's SHA-256:
 * for an allocation straight from the claims table (what `allocate` writes and `verify`
 * recomputes), and for any ledger given cell by cell (a second round; a ledger read back by
 * `payout receipt`).
 *
 * An allocation's leaves are made in blocks of RECEIPT_BLOCK_ROWS leaves (in claim_id order), each
 * reduced to the root of its subtree, by the main thread and a worker (receipts-worker.ts) taking
 * the next block from a shared counter: the worker starts while the ledger is written
 * (`startAllocationReceipts`), the main thread joins it when the ledger is done (`finish`). The
 * root is then the tree over the blocks' roots, the same root (core/merkle.ts) whoever made which
 * block. Without the worker (small tables, `PAYOUT_WORKERS=0`, no compiled worker file, a worker
 * that fails) the main thread makes every block, the same ones.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Allocation } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { LEDGER_COLUMNS, shareText } from '../core/ledger.js';
import { formatMoney } from '../core/money.js';
import { compareBytes, concat, DIGEST_BYTES, merkleRoot, MERKLE_ENCODING, netstring, toHex } from '../core/merkle.js';
import type { Plan } from '../core/plan.js';
import { buildSummary, pointsText, type ClaimsFindings, type ReceiptsJson, type SummaryJson } from '../core/summary.js';
import type { ExpectedLedger } from '../core/ledger-compare.js';
import type { BucketAllocation } from '../core/buckets/allocate.js';
import type { BucketClaim } from '../core/buckets/claims.js';
import { bucketLedger, buildBucketSummary, type BucketClaimsFindings, type BucketSummaryJson } from '../core/buckets/output.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { LeafBlocks, RECEIPT_BLOCK_ROWS, sha256Into, type AllocationLeafParts, type LeafRows, type ReceiptsJob } from './receipts-leaves.js';
import { sharedRows } from './shared-rows.js';
import { batchedLevelsRoot, sha256Batch, type Sha256Batch } from './sha256-batch.js';

export { sha256Into } from './receipts-leaves.js';

const utf8 = new TextEncoder();
const ns = (text: string): Uint8Array => netstring(utf8.encode(text));

/** Below this many rows (4 blocks) the leaves are made on the main thread alone. */
export const RECEIPTS_WORKER_MIN_ROWS = 4 * RECEIPT_BLOCK_ROWS;

/** Rows in claim_id order (code points = UTF-8 bytes); undefined when they already are. */
export function claimIdOrder(count: number, bytes: Uint8Array, ends: Uint32Array): Uint32Array | undefined {
  const start = (row: number): number => (row === 0 ? 0 : ends[row - 1]!);
  let inOrder = true;
  for (let row = 1; row < count && inOrder; row++) {
    // Compare id row-1 with id row, byte by byte.
    const a0 = start(row - 1);
    const a1 = ends[row - 1]!;
    const b0 = a1;
    const b1 = ends[row]!;
    const n = Math.min(a1 - a0, b1 - b0);
    let d = 0;
    for (let k = 0; k < n && d === 0; k++) d = bytes[a0 + k]! - bytes[b0 + k]!;
    if (d === 0) d = a1 - a0 - (b1 - b0);
    if (d > 0) inOrder = false;
  }
  if (inOrder) return undefined;
  const ids = Array.from({ length: count }, (_, row) => bytes.subarray(start(row), ends[row]!));
  const order = Uint32Array.from({ length: count }, (_, row) => row);
  order.sort((a, b) => compareBytes(ids[a]!, ids[b]!));
  return order;
}

/**
 * The byte strings of an allocation's leaves (receipts-leaves.ts): the cells of allocationLedger
 * (what `verify` compares a ledger with), formatted as it formats them. A test holds the root made
 * from these to the root of `ledgerLeaves(allocationLedger(…))`, cell by cell.
 */
function allocationLeafParts(plan: Plan, claims: ClaimTable, alloc: Allocation): AllocationLeafParts {
  const [, classCol, unitsCol, pointsCol, statusCol, outcomeCol, shareCol, amountCol] = LEDGER_COLUMNS.map(ns);
  const cellHead: Uint8Array[] = [];
  const cellTail: Uint8Array[] = [];
  const amounts: Uint8Array[] = [];
  for (const cell of alloc.cells) {
    const cls = plan.classes[cell.classIndex]?.id ?? '';
    const units = claims.units[cell.unitsIndex]?.text ?? '';
    cellHead.push(concat([classCol!, ns(cls), unitsCol!, ns(units), pointsCol!, ns(pointsText(cell.points)), statusCol!]));
    cellTail.push(concat([outcomeCol!, ns(cell.outcome), shareCol!, ns(shareText(cell.share)), amountCol!]));
    amounts.push(ns(formatMoney(cell.floor)), ns(formatMoney(cell.floor + 1n)));
  }
  return {
    head: concat([Uint8Array.of(0x00), ns('claim_id')]),
    cellHead,
    statuses: claims.statuses.map(ns),
    cellTail,
    amounts,
  };
}

function bootWorker(): Worker | undefined {
  if (process.env.PAYOUT_WORKERS === '0') return undefined;
  const url = new URL('./receipts-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  try {
    const worker = new Worker(url);
    worker.on('error', () => {}); // seen by `finish`, which then makes the blocks itself
    return worker;
  } catch {
    return undefined;
  }
}

/** A worker booted ahead by `startReceiptsWorker` (and whether it has exited since), until `startAllocationReceipts` takes it. */
let early: { worker: Worker; exited: boolean } | undefined;

/** Whether the leaves of `rows` rows with these `--keep` columns are made on two threads. */
function onTwoThreads(rows: number, keep: readonly string[]): boolean {
  // Kept columns are strings per row: posting them would cost about what hashing them does.
  return rows >= RECEIPTS_WORKER_MIN_ROWS && keep.length === 0;
}

/**
 * Boots the worker now, for a receipts root to come: it loads its modules (~50 ms of CPU) while
 * the allocation is computed on this thread and the other core is idle, not later while the
 * ledger is made on both. Nothing when the leaves will be made on this thread alone.
 */
export function startReceiptsWorker(rows: number, keep: readonly string[]): void {
  if (early !== undefined || !onTwoThreads(rows, keep)) return;
  const worker = bootWorker();
  if (worker === undefined) return;
  worker.unref(); // nothing waits for it until `startAllocationReceipts` takes it
  const booted = { worker, exited: false };
  worker.once('exit', () => {
    booted.exited = true;
  });
  early = booted;
}

/** The worker booted ahead if it is still running, else a new one; undefined when there is none. */
function takeWorker(): Worker | undefined {
  const booted = early;
  early = undefined;
  if (booted === undefined) return bootWorker();
  if (booted.exited) return undefined; // it failed: this thread makes every block
  booted.worker.ref(); // its messages are awaited by `finish`
  return booted.worker;
}

/** An allocation's receipts root in the making: started by `startAllocationReceipts`, awaited with `finish`. */
export interface ReceiptsInMaking {
  /**
   * Makes one block of leaves on this thread, if one is left (true), for a thread that would
   * otherwise wait (the ledger's writer waiting for the disk or the ledger worker's next block).
   */
  helpOnce(): boolean;
  finish(): Promise<ReceiptsJson>;
  /** Stops the worker (when writing failed before `finish`). */
  abort(): void;
}

/**
 * Starts the receipts root of an allocation's ledger (the columns of docs/spec.md §5, then `keep`):
 * the worker begins at once on blocks of leaves; `finish` has this thread take the blocks left,
 * then builds the root. The cells are those of `allocationLedger` (what `verify` compares the
 * ledger with), so the root is that of ledger.csv read back.
 */
export function startAllocationReceipts(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): ReceiptsInMaking {
  const n = claims.count;
  // Every row's parts in shared memory, the copy the ledger's worker reads too (shared-rows.ts):
  // posted to the worker below, shared, not copied.
  const shared = sharedRows(claims, alloc);
  const rows: LeafRows = {
    parts: allocationLeafParts(plan, claims, alloc),
    ...shared,
    // Ids the reader saw in order need no check (a pass over every id's bytes, ~40 ms a million).
    order: claims.ids.inCodePointOrder ? undefined : claimIdOrder(n, shared.ids.bytes, shared.ids.ends),
    rows: n,
  };
  if (keep.length > 0) rows.kept = keep.map((k) => ({ name: ns(k), values: claims.kept.get(k) ?? [] }));
  const blocks = new LeafBlocks(rows);
  const count = blocks.blocks;
  const roots = new Uint8Array(count * DIGEST_BYTES);
  const arrived = new Set<number>();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = onTwoThreads(n, keep) ? takeWorker() : undefined;
  if (worker === undefined && early !== undefined) {
    void early.worker.terminate(); // booted ahead for leaves that did not need it
    early = undefined;
  }
  let stopped: Promise<void> = Promise.resolve();
  if (worker !== undefined) {
    stopped = new Promise<void>((resolve) => {
      worker.on('message', (m: { block?: number; root?: Uint8Array; done?: boolean }) => {
        if (m.block !== undefined && m.root !== undefined) {
          roots.set(m.root, m.block * DIGEST_BYTES);
          arrived.add(m.block);
        }
        if (m.done) resolve();
      });
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
      worker.on('messageerror', () => resolve());
    });
    const job: ReceiptsJob = { rows, state: state.buffer as SharedArrayBuffer };
    worker.postMessage(job);
  }
  const mine = new Set<number>();
  return {
    abort() {
      if (worker !== undefined) void worker.terminate();
    },
    helpOnce() {
      const b = Atomics.add(state, 0, 1);
      if (b >= count) return false;
      roots.set(blocks.blockRoot(b), b * DIGEST_BYTES);
      mine.add(b);
      return true;
    },
    async finish() {
      for (let b = Atomics.add(state, 0, 1); b < count; b = Atomics.add(state, 0, 1)) {
        roots.set(blocks.blockRoot(b), b * DIGEST_BYTES);
        mine.add(b);
      }
      await stopped;
      if (worker !== undefined) void worker.terminate();
      // Blocks the worker took but did not give back (it failed): made here.
      for (let b = 0; b < count; b++) if (!mine.has(b) && !arrived.has(b)) roots.set(blocks.blockRoot(b), b * DIGEST_BYTES);
      const root = n === 0 ? merkleRoot(roots, 0, sha256Into) : merkleRoot(roots, count, sha256Into);
      return { encoding: MERKLE_ENCODING, root: toHex(root), leaves: n };
    },
  };
}

/** The receipts root of an allocation's ledger, at once. */
export async function allocationReceiptsRoot(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): Promise<ReceiptsJson> {
  return startAllocationReceipts(plan, claims, alloc, keep).finish();
}

/** summary.json of an allocation as `allocate` writes it: buildSummary with the receipts root of its ledger. */
export async function allocationSummary(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  keep: readonly string[],
  findings?: ClaimsFindings,
): Promise<SummaryJson> {
  return { ...buildSummary(plan, alloc, claims, findings), receipts: await allocationReceiptsRoot(plan, claims, alloc, keep) };
}

/** A ledger's leaves in claim_id order, and the claim ids in that order. */
export interface SortedLeaves {
  leaves: Uint8Array;
  count: number;
  /** The claim id of each leaf, in leaf order. */
  ids: string[];
}

/** The UTF-8 byte length of `s` (its length when it is ASCII, the common case). */
function utf8Length(s: string): number {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) > 0x7f) return utf8.encode(s).length;
  return s.length;
}

/**
 * The leaves of any ledger given cell by cell (`idColumn` holds the claim ids). A row's leaf
 * message is built as one string (0x00, then `len:text,` per column name and cell, the length in
 * UTF-8 bytes) and encoded once into a reused buffer: a byte array per cell cost ten times the
 * hashing.
 */
export function ledgerLeaves(ledger: ExpectedLedger, batch: Sha256Batch = sha256Batch()): SortedLeaves {
  const n = ledger.count;
  const idCol = ledger.columns.indexOf(ledger.idColumn);
  // The claim ids' UTF-8 one after another (no array per id), for the code-point order.
  let idBytes = new Uint8Array(Math.max(1024, n * 12));
  const ends = new Uint32Array(n);
  let used = 0;
  for (let row = 0; row < n; row++) {
    const id = ledger.cell(row, idCol);
    if (used + id.length * 3 > idBytes.length) {
      const bigger = new Uint8Array(Math.max(idBytes.length * 2, used + id.length * 3));
      bigger.set(idBytes.subarray(0, used));
      idBytes = bigger;
    }
    used += utf8.encodeInto(id, idBytes.subarray(used)).written;
    ends[row] = used;
  }
  const order = claimIdOrder(n, idBytes.subarray(0, used), ends);
  const leaves = new Uint8Array(n * DIGEST_BYTES);
  const names = ledger.columns.map((c) => `${utf8Length(c)}:${c},`);
  let buf = new Uint8Array(1024);
  const ids: string[] = [];
  // With the batched SHA-256 addon, the messages of LEDGER_BATCH rows are encoded one after another and hashed in one call.
  const batched = batch.native;
  const msgEnds = new Uint32Array(batched ? LEDGER_BATCH : 0);
  let msgUsed = 0;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const row = order === undefined ? i : order[i]!;
    let text = '\u0000';
    for (let col = 0; col < names.length; col++) {
      const cell = ledger.cell(row, col);
      text += `${names[col]!}${utf8Length(cell)}:${cell},`;
    }
    // At most 3 bytes per UTF-16 unit.
    if (msgUsed + text.length * 3 > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, msgUsed + text.length * 6));
      bigger.set(buf.subarray(0, msgUsed));
      buf = bigger;
    }
    const { written } = utf8.encodeInto(text, msgUsed === 0 ? buf : buf.subarray(msgUsed));
    if (batched) {
      msgUsed += written;
      msgEnds[i - first] = msgUsed;
      if (i - first + 1 === LEDGER_BATCH || i + 1 === n) {
        batch.many(buf, msgEnds.subarray(0, i - first + 1), leaves.subarray(first * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
        first = i + 1;
        msgUsed = 0;
      }
    } else sha256Into(buf.subarray(0, written), leaves, i * DIGEST_BYTES);
    ids.push(ledger.cell(row, idCol));
  }
  return { leaves, count: n, ids };
}

/** Rows of a ledger given cell by cell whose leaves are hashed in one call of the batched SHA-256. */
const LEDGER_BATCH = 1024;

/** The receipts root of any ledger given cell by cell (`batch`: the batched SHA-256 to use, sha256-batch.ts). */
export function ledgerReceiptsRoot(ledger: ExpectedLedger, batch: Sha256Batch = sha256Batch()): ReceiptsJson {
  const { leaves, count } = ledgerLeaves(ledger, batch);
  return { encoding: MERKLE_ENCODING, root: toHex(batch.native ? batchedRoot(batch, leaves, count) : merkleRoot(leaves, count, sha256Into)), leaves: count };
}

/** core/merkle.ts `merkleRoot` with one call a level; `leaves` is overwritten. */
function batchedRoot(batch: Sha256Batch, leaves: Uint8Array, count: number): Uint8Array {
  if (count === 0) return merkleRoot(leaves, 0, sha256Into);
  return batchedLevelsRoot(batch, leaves, count);
}

/**
 * summary.json of a bucket plan's allocation as `allocate` writes it (and `verify` recomputes it):
 * buildBucketSummary with the receipts root of its ledger, cell by cell (bucketLedger: the bucket
 * columns and the total are leaf cells like any other, docs/receipts.md).
 */
export function bucketAllocationSummary(
  plan: BucketPlan,
  claims: readonly BucketClaim[],
  alloc: BucketAllocation,
  keep: readonly string[],
  findings?: BucketClaimsFindings,
): BucketSummaryJson {
  return { ...buildBucketSummary(plan, claims, alloc, findings), receipts: ledgerReceiptsRoot(bucketLedger(plan, claims, alloc, keep)) };
}
