/**
 * What goes between the reader and the duplicate-check worker (dedupe-batch.ts, dedupe-worker.ts):
 * the batches of rows, the worker's other messages and its answers, and `checkBatch`, which checks
 * one batch the same way on the worker or on the reading thread.
 */
import { ClaimantIndex, claimantShown, NOT_ASCII } from './csv-dedupe.js';
import type { SpilledClaimants, SpilledHit } from './dedupe-spill.js';

/** One possible duplicate claimant: the row's line, the earlier line, what a duplicate email shows. */
export interface DuplicateHit {
  line: number;
  kind: 'email' | 'name';
  first: number;
  /** The email as compared (kind `email`), else "". */
  shown: string;
  /** The row's claim id ("" when empty). */
  claimId: string;
}

/**
 * Fields per row in a byte batch: line, then start, end and doubled-quotes flag of email, name,
 * address and claim id.
 */
export const RANGE_FIELDS = 13;

/** A batch as the worker gets it: byte ranges into `bytes`, or the strings themselves. */
export type DedupeBatch =
  | { seq: number; bytes: Uint8Array; ranges: Int32Array; rows: number; email: boolean; nameAddress: boolean }
  | { seq: number; json: Uint8Array; email: boolean; nameAddress: boolean };

/** Strings per row of a string batch: line, email, name, address, claim id (only when the checks are spilled, else ""). */
const STRING_FIELDS = 5;

/** The worker's other messages: table sizes, and the claims file's bytes to hash, then the digest wanted. */
export type WorkerNote =
  | { reserve: number; email: boolean; nameAddress: boolean }
  | { fileBytes: Uint8Array }
  | { fileDigest: true }
  /** Before any batch: the checks go to partitions in this folder (dedupe-spill.ts). */
  | { spill: string }
  /** After the last batch: the spilled checks' duplicates wanted. */
  | { spillFinish: true };

/** The worker's answer to `spillFinish`. */
export type SpillReply = { spilledHits: SpilledHit[] } | { spillError: string };

/** What comes back: per duplicate, the row's index in its batch, the kind (0 email, 1 name), the first line, the email shown. */
export interface DedupeReply {
  seq: number;
  hits: Array<[row: number, kind: number, line: number, first: number, shown: string]>;
  /** A byte batch's: the claim id of each duplicate (of `hits[k]`'s row), decoded from the bytes. */
  hitIds?: string[];
  /** A byte batch's buffers, moved back from the worker to be filled again. */
  bytes?: Uint8Array;
  ranges?: Int32Array;
}

/** Per row of a byte batch: its email's key (hi, lo), then its name and address's (ClaimantIndex.emailKey). */
const KEY_WORDS = 4;
/** Which keys a row has (`keyed`): an email, a name and address. */
const HAS_EMAIL = 1;
const HAS_NAME = 2;
/** The keys of the batch being checked, kept for the next (one batch at a time on a thread). */
let keys = new Uint32Array(0);
let keyed = new Uint8Array(0);
/** The batch's duplicates as `lookUpRows` finds them: row, kind (0 email, 1 name), first line. */
let found = new Int32Array(3 * 64);

/** A field of a byte batch as the fast tokenizer decodes it: UTF-8, doubled quotes undone. */
function field(buf: Buffer, start: number, end: number, doubled: number): string {
  const text = buf.toString('utf8', start, end);
  return doubled === 1 ? text.replaceAll('""', '"') : text;
}

/**
 * A byte batch's first step: every row's keys into `keys`, which it has into `keyed` (and with
 * `spilled`, each row's details). Its own function, as `lookUpRows`: compiled as one, the lookups
 * were optimised while the first loop ran, before they had ever run, and that code was entered
 * again at every batch and left at the first lookup (a deoptimisation per batch).
 */
function hashRows(index: ClaimantIndex, bytes: Uint8Array, buf: Buffer, r: Int32Array, rows: number, email: boolean, nameAddress: boolean, spilled: SpilledClaimants | undefined): void {
  for (let row = 0; row < rows; row++) {
    const at = row * RANGE_FIELDS;
    let has = 0;
    if (spilled !== undefined) {
      spilled.rowBytes(r[at] as number, bytes, r[at + 10] as number, r[at + 11] as number, r[at + 12] as number, email ? (r[at + 1] as number) : 0, email ? (r[at + 2] as number) : 0, email ? (r[at + 3] as number) : 0);
    }
    if (email) {
      const start = r[at + 1] as number;
      const end = r[at + 2] as number;
      const fed = r[at + 3] === 0 ? index.emailKeyBytes(bytes, start, end, keys, row * KEY_WORDS) : NOT_ASCII;
      if (fed > 0 || (fed === NOT_ASCII && index.emailKey(field(buf, start, end, r[at + 3] as number), keys, row * KEY_WORDS))) has = HAS_EMAIL;
    }
    if (nameAddress) {
      const fed = r[at + 6] === 0 && r[at + 9] === 0 ? index.nameAddressKeyBytes(bytes, r[at + 4] as number, r[at + 5] as number, r[at + 7] as number, r[at + 8] as number, keys, row * KEY_WORDS + 2) : NOT_ASCII;
      if (fed > 0) has |= HAS_NAME;
      else if (fed === NOT_ASCII) {
        const name = field(buf, r[at + 4] as number, r[at + 5] as number, r[at + 6] as number);
        const address = field(buf, r[at + 7] as number, r[at + 8] as number, r[at + 9] as number);
        if (index.nameAddressKey(name, address, keys, row * KEY_WORDS + 2)) has |= HAS_NAME;
      }
    }
    keyed[row] = has;
  }
}

/**
 * A byte batch's second step: the rows' keys looked up in row order. Each duplicate goes into
 * `found` as (row, kind, first line) and the count is returned: numbers only, so that this loop
 * meets no new kind of array or object (each cost V8 a deoptimisation and a new compilation).
 */
function lookUpRows(index: ClaimantIndex, r: Int32Array, rows: number): number {
  let n = 0;
  for (let row = 0; row < rows; row++) {
    const has = keyed[row] as number;
    if (has === 0) continue;
    const line = r[row * RANGE_FIELDS] as number;
    if ((has & HAS_EMAIL) !== 0) {
      const first = index.firstEmail(keys, row * KEY_WORDS, line);
      if (first !== 0) n = foundAt(n, row, 0, first);
    }
    if ((has & HAS_NAME) !== 0) {
      const first = index.firstNameAddress(keys, row * KEY_WORDS + 2, line);
      if (first !== 0) n = foundAt(n, row, 1, first);
    }
  }
  return n;
}

/** Records a duplicate at `n` in `found` (grown when full); returns the next place. */
function foundAt(n: number, row: number, kind: number, first: number): number {
  if (n + 3 > found.length) {
    const bigger = new Int32Array(found.length * 2);
    bigger.set(found);
    found = bigger;
  }
  found[n] = row;
  found[n + 1] = kind;
  found[n + 2] = first;
  return n + 3;
}

/**
 * Checks one batch against the index (which holds every earlier row); the worker and the fallback
 * both use it. With `spilled` (the index then appends to its partitions and finds nothing now),
 * each row's claim id and email go to its details as well.
 */
export function checkBatch(index: ClaimantIndex, batch: DedupeBatch, spilled?: SpilledClaimants): DedupeReply {
  const hits: DedupeReply['hits'] = [];
  const check = (row: number, line: number, email: string, name: string, address: string): void => {
    if (batch.email) {
      const first = index.email(email, line);
      if (first !== 0) hits.push([row, 0, line, first, claimantShown(email)]);
    }
    if (batch.nameAddress) {
      const first = index.nameAddress(name, address, line);
      if (first !== 0) hits.push([row, 1, line, first, '']);
    }
  };
  if ('bytes' in batch) {
    // Cells without doubled quotes are hashed straight from their bytes while they are ASCII
    // (nearly every cell); any other cell is decoded as the fast tokenizer would, and hashed as text.
    // Every row's keys first, then their lookups in row order (ClaimantIndex.emailKey).
    const bytes = batch.bytes;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const r = batch.ranges;
    const rows = batch.rows;
    if (keys.length < rows * KEY_WORDS) {
      keys = new Uint32Array(rows * KEY_WORDS * 2);
      keyed = new Uint8Array(rows * 2);
    }
    hashRows(index, bytes, buf, r, rows, batch.email, batch.nameAddress, spilled);
    const n = lookUpRows(index, r, rows);
    for (let k = 0; k < n; k += 3) {
      const row = found[k] as number;
      const at = row * RANGE_FIELDS;
      const kind = found[k + 1] as number;
      const shown = kind === 0 ? claimantShown(field(buf, r[at + 1] as number, r[at + 2] as number, r[at + 3] as number)) : '';
      hits.push([row, kind, r[at] as number, found[k + 2] as number, shown]);
    }
    // The duplicates' claim ids, as the reader has them (the cell as the fast tokenizer decodes it, trimmed).
    const hitIds = hits.map(([row]) => {
      const at = row * RANGE_FIELDS;
      return field(buf, r[at + 10] as number, r[at + 11] as number, r[at + 12] as number).trim();
    });
    return { seq: batch.seq, hits, hitIds };
  } else {
    const json = batch.json;
    const strings = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')) as string[];
    for (let k = 0, row = 0; k + STRING_FIELDS - 1 < strings.length; k += STRING_FIELDS, row++) {
      if (spilled !== undefined) spilled.rowText(Number(strings[k]), strings[k + 4] as string, strings[k + 1] as string);
      check(row, Number(strings[k]), strings[k + 1] as string, strings[k + 2] as string, strings[k + 3] as string);
    }
  }
  return { seq: batch.seq, hits };
}
