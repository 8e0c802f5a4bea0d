/**
 * Whole cents from exact shares (docs/spec.md §4a): floors, then the leftover cents one each to the
 * largest fractional remainders, ties to the smallest key. Two forms: a plain one for a few items
 * (splitting the net fund into pools), and the selection of the K smallest keys in a large tie set.
 */
import { ratCmp, ratFloor, ratSub, reduce, type Rational } from './decimal.js';
import { countOf } from './display-numbers.js';

export interface RemainderItem {
  /** The exact amount in cents (non-negative). */
  readonly exact: Rational;
  /** Tie-break key: among equal remainders, the smaller key gets the cent first. */
  readonly key: string;
}

/**
 * Largest remainder over a short list: floor each amount, then give the `total − Σ floor` leftover
 * cents one each to the largest remainders (equal remainders: smaller key first). Returns the cents
 * per item and whether each item received a leftover cent.
 */
export function largestRemainder(items: readonly RemainderItem[], total: bigint): { cents: bigint[]; extra: boolean[] } {
  const floors = items.map((it) => ratFloor(it.exact));
  const rems = items.map((it, i) => ratSub(it.exact, { n: floors[i]!, d: 1n }));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  if (left < 0n || left > BigInt(items.length)) throw new RangeError(`cannot place ${countOf(left, 'leftover cent')} over ${countOf(items.length, 'item')}`);
  const order = items
    .map((_, i) => i)
    .sort((a, b) => ratCmp(rems[b]!, rems[a]!) || compareKeys(items[a]!.key, items[b]!.key));
  const extra = items.map(() => false);
  for (const i of order) {
    if (left === 0n) break;
    extra[i] = true;
    left -= 1n;
  }
  return { cents: floors.map((f, i) => f + (extra[i] ? 1n : 0n)), extra };
}

/** Plain code-unit order, the order of lowercase hex strings. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Hex digits of a key's prefix: 8 hex digits = 32 bits, 4 bytes a row (a Uint32Array). The
 * selection is exact whatever the width: rows whose prefix equals the cut-off's are settled by
 * their full keys (each other row shares the cut-off's 32 bits with a chance of 1 in 2^32).
 */
const PREFIX_HEX = 8;

/** The first PREFIX_HEX lowercase hex digits of `key` as a number, or -1 when they are not that. */
function hexPrefix(key: string): number {
  if (key.length < PREFIX_HEX) return -1;
  let v = 0;
  for (let j = 0; j < PREFIX_HEX; j++) {
    const c = key.charCodeAt(j);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    v = v * 16 + digit;
  }
  return v;
}

/**
 * The k-th smallest value (0-based) of `a`, which is reordered. Hoare's selection with a
 * median-of-three pivot: linear on average, and SHA-256 prefixes are as random as inputs get.
 */
export function selectKth(a: Uint32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** How many rows, spread over the tie set, have their given prefix checked against the full key. */
const PREFIX_SPOT_CHECKS = 32;

/**
 * Picks, among `rows`, the `take` rows whose keys sort first (0 < take < rows.length), calls
 * `award` for each and returns the largest key picked (every row with a key ≤ it got a cent).
 *
 * Keys are lowercase hex of one length (SHA-256). Rather than sorting a million 64-character
 * strings, each key's first 32 bits are read into a Uint32Array; selecting in that finds the
 * cut-off prefix, rows below it are picked outright, and only rows whose prefix equals the cut-off
 * (almost always one) are compared by full key. Keys of another shape fall back to a plain full
 * sort. `prefixOf(row)`, when given, is that 32-bit prefix computed ahead (tie-keys.ts hashes the
 * ids on another thread while the file is read): then full keys are computed only for the rows at
 * the cut-off and a few spread over the set, and a prefix that disagrees with its key throws.
 */
export function pickSmallestKeys(
  rows: Uint32Array,
  take: number,
  keyOf: (row: number) => string,
  award: (row: number) => void,
  prefixOf?: (row: number) => number,
): string {
  const m = rows.length;
  if (!(take > 0 && take < m)) throw new RangeError(`pickSmallestKeys: take ${take} of ${m}`);
  const prefixes = new Uint32Array(m);
  const checkPrefix = (row: number, key: string, given: number): void => {
    if (hexPrefix(key) !== given) throw new RangeError(`internal: the tie-key prefix given for row ${row} is not its key's`);
  };
  if (prefixOf !== undefined) {
    for (let i = 0; i < m; i++) prefixes[i] = prefixOf(rows[i]!);
    const step = Math.max(1, Math.floor(m / PREFIX_SPOT_CHECKS));
    for (let i = 0; i < m; i += step) {
      const key = keyOf(rows[i]!);
      if (key.length !== 64 || hexPrefix(key) < 0) return pickByFullSort(rows, take, keyOf, award);
      checkPrefix(rows[i]!, key, prefixes[i]!);
    }
  } else {
    let keyLength = -1;
    for (let i = 0; i < m; i++) {
      const key = keyOf(rows[i]!);
      if (keyLength < 0) keyLength = key.length;
      const p = hexPrefix(key);
      if (p < 0 || key.length !== keyLength) return pickByFullSort(rows, take, keyOf, award);
      prefixes[i] = p;
    }
  }
  // With the prefixes given ahead, `prefixes` is only the selection's scratch and the given ones
  // are read again below: one array of m rows, not two (68 MB less at 20M claims).
  const cut = selectKth(prefixOf !== undefined ? prefixes : prefixes.slice(), take - 1);
  const prefixAt = prefixOf !== undefined ? (i: number): number => prefixOf(rows[i]!) : (i: number): number => prefixes[i]!;
  // Rows with a prefix below the cut get a cent outright; the rest of the `take` (≥ 1, since
  // the take-th smallest prefix is the cut) come from the rows whose prefix equals it, by full key.
  let below = 0;
  const atCut: { row: number; key: string }[] = [];
  for (let i = 0; i < m; i++) {
    const p = prefixAt(i);
    if (p < cut) {
      award(rows[i]!);
      below++;
    } else if (p === cut) {
      const key = keyOf(rows[i]!);
      if (prefixOf !== undefined) checkPrefix(rows[i]!, key, p);
      atCut.push({ row: rows[i]!, key });
    }
  }
  atCut.sort((a, b) => compareKeys(a.key, b.key) || a.row - b.row);
  const need = take - below;
  if (need < 1 || need > atCut.length) throw new RangeError('internal: key selection went wrong');
  for (let j = 0; j < need; j++) award(atCut[j]!.row);
  return atCut[need - 1]!.key;
}

function pickByFullSort(rows: Uint32Array, take: number, keyOf: (row: number) => string, award: (row: number) => void): string {
  const keyed = Array.from(rows, (row) => ({ row, key: keyOf(row) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || a.row - b.row);
  for (let j = 0; j < take; j++) award(keyed[j]!.row);
  return keyed[take - 1]!.key;
}

/** A cell's mode after placeRemainderCents: every row gets a cent, or the rows are in the tie set. */
export const REMAINDER_ALL = 1;
export const REMAINDER_TIE = 2;

/** What placeRemainderCents needs of a cell (first-round and second-round cells both have it). */
export interface RemainderCell {
  outcome: string;
  count: number;
  /** share − floor; uncapped paid shares of a pool share one denominator, so numerators compare. */
  remainder: Rational;
  remainderCent: 'none' | 'all' | 'tie';
  extraCount: number;
}

/**
 * docs/spec.md §4a within one pool: the K leftover cents go to the largest remainders. Levels of equal
 * remainder (possibly several cells, even of different points) are taken whole while the cents
 * last; the level where they run out is the tie set, settled per row by key. Marks `mode` per cell
 * (REMAINDER_ALL or REMAINDER_TIE). Shared by the first and the second round.
 */
export function placeRemainderCents(
  members: readonly number[],
  cells: RemainderCell[],
  cents: bigint,
  mode: Uint8Array,
): { remainder: Rational; size: number; cents: number } | null {
  // Uncapped paid shares of a pool share one denominator, so remainders compare by numerator.
  const ranked = members
    .filter((c) => cells[c]!.outcome === 'paid' && cells[c]!.remainder.n > 0n)
    .sort((a, b) => {
      const x = cells[a]!.remainder.n;
      const y = cells[b]!.remainder.n;
      return x > y ? -1 : x < y ? 1 : a - b;
    });
  let left = cents;
  let i = 0;
  while (left > 0n && i < ranked.length) {
    const rem = cells[ranked[i]!]!.remainder;
    let j = i;
    let size = 0n;
    while (j < ranked.length && cells[ranked[j]!]!.remainder.n === rem.n) size += BigInt(cells[ranked[j++]!]!.count);
    const level = ranked.slice(i, j);
    if (size <= left) {
      for (const c of level) {
        mode[c] = REMAINDER_ALL;
        cells[c]!.remainderCent = 'all';
        cells[c]!.extraCount = cells[c]!.count;
      }
      left -= size;
    } else {
      for (const c of level) {
        mode[c] = REMAINDER_TIE;
        cells[c]!.remainderCent = 'tie';
      }
      return { remainder: reduce(rem), size: Number(size), cents: Number(left) };
    }
    i = j;
  }
  if (left !== 0n) throw new RangeError(`internal: ${countOf(left, 'leftover cent')} found no remainder`);
  return null;
}

