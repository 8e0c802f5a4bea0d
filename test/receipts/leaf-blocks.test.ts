/**
 * LeafBlocks (io/receipts-leaves.ts): a block's subtree root made with the native addon (its
 * `leaves` assembling the messages from the ids and the suffixes made per cell, status and cent)
 * is the one made message by message with node:crypto (`batch: false`), on random tables: ids of 0
 * to 300 bytes, ASCII or not, rows in claim_id order or through an `order`, blocks whole and
 * partial, few (cell, status, cent) keys (a dense array) or many (a Map), and `--keep` columns.
 * Without the addon both sides are node:crypto and the test says so.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeafBlocks, RECEIPT_BLOCK_ROWS, type LeafRows } from '../../src/io/receipts-leaves.js';
import { sha256Batch } from '../../src/io/sha256-batch.js';

const utf8 = new TextEncoder();
const ns = (s: string): Uint8Array => utf8.encode(`${utf8.encode(s).length}:${s},`);

/** A table of `rows` rows over `cells` cells and `statuses` statuses, from `seed`. */
function table(rows: number, cells: number, statuses: number, seed: number, ordered: boolean, keep: boolean): LeafRows {
  let x = seed | 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const chars = ['C', '7', 'ë', '✓', '😀', '-'];
  const ids: Uint8Array[] = [];
  for (let r = 0; r < rows; r++) {
    const pick = next() % 16;
    const n = pick === 0 ? 0 : pick === 1 ? 256 + (next() % 45) : pick === 2 ? 99 + (next() % 3) : next() % 24;
    let text = '';
    for (let length = 0; length < n; ) {
      const ch = chars[next() % (pick < 8 ? 2 : chars.length)]!;
      text += ch;
      length += utf8.encode(ch).length;
    }
    ids.push(utf8.encode(text));
  }
  const bytes = new Uint8Array(ids.reduce((n, b) => n + b.length, 0));
  const ends = new Uint32Array(rows);
  let at = 0;
  ids.forEach((b, r) => {
    bytes.set(b, at);
    ends[r] = at += b.length;
  });
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cellParts = (tag: string) => Array.from({ length: cells }, (_, c) => ns(`${tag}-${c}-${'ü'.repeat(c % 5)}`));
  return {
    parts: {
      head: Uint8Array.of(0x00, ...ns('claim_id')),
      cellHead: cellParts('head'),
      statuses: Array.from({ length: statuses }, (_, s) => ns(`status-${s}`)),
      cellTail: cellParts('tail'),
      amounts: Array.from({ length: cells * 2 }, (_, k) => ns(`${k >> 1}.${k & 1 ? '01' : '00'}`)),
    },
    ids: { bytes, ends },
    statusIndex: Uint8Array.from({ length: rows }, () => next() % statuses),
    cellOf: Uint32Array.from({ length: rows }, () => next() % cells),
    extraCent: Uint8Array.from({ length: rows }, () => next() & 1),
    order: ordered ? undefined : order,
    rows,
    kept: keep ? [{ name: ns('payment_method'), values: Array.from({ length: rows }, (_, r) => (r % 3 ? 'paypal' : 'Zoë, "venmo" ✓')) }] : undefined,
  };
}

function roots(blocks: LeafBlocks): string[] {
  return Array.from({ length: blocks.blocks }, (_, b) => Buffer.from(blocks.blockRoot(b)).toString('hex'));
}

describe('LeafBlocks with the addon', () => {
  if (!sha256Batch().native) console.warn('leaf-blocks.test.ts: no native addon (or PAYOUT_NATIVE=0): both sides are node:crypto');

  it('gives the block roots of node:crypto message by message, on random tables', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.oneof(
            { arbitrary: fc.integer({ min: 1, max: 400 }), weight: 6 },
            { arbitrary: fc.constantFrom(RECEIPT_BLOCK_ROWS, RECEIPT_BLOCK_ROWS + 1), weight: 1 },
          ),
          cells: fc.integer({ min: 1, max: 40 }),
          statuses: fc.integer({ min: 1, max: 4 }),
          seed: fc.integer(),
          ordered: fc.boolean(),
          keep: fc.boolean(),
        }),
        ({ rows, cells, statuses, seed, ordered, keep }) => {
          const t = table(rows, cells, statuses, seed, ordered, keep);
          expect(roots(new LeafBlocks(t))).toEqual(roots(new LeafBlocks(t, { batch: false })));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('with more (cell, status, cent) keys than the dense array holds: the suffixes through a Map', () => {
    // 40,000 cells × 1 status × 2 cents = 80,000 keys > 65,536.
    const t = table(3000, 40_000, 1, 7, false, false);
    expect(roots(new LeafBlocks(t))).toEqual(roots(new LeafBlocks(t, { batch: false })));
  });

  it('two blocks from one LeafBlocks, taken in any order, share the suffixes made for the first', () => {
    const t = table(2 * RECEIPT_BLOCK_ROWS + 5, 6, 3, 11, false, false);
    const blocks = new LeafBlocks(t);
    const backwards = [2, 1, 0].map((b) => Buffer.from(blocks.blockRoot(b)).toString('hex')).reverse();
    expect(backwards).toEqual(roots(new LeafBlocks(t, { batch: false })));
  });
});

describe('the message cache of the node:crypto path', () => {
  it('keeps cells 2^23 apart apart (a key past 32 bits once met the key of another cell)', () => {
    const cells = (1 << 23) + 1;
    const far = 1 << 23; // its key (far × 1 + 0) × 2 + 0 = 2^24, × 256 = 2^32: cut to 32 bits, cell 0's key
    const cellHead = new Array<Uint8Array>(cells);
    const cellTail = new Array<Uint8Array>(cells);
    const amounts = new Array<Uint8Array>(2 * cells);
    for (const c of [0, far]) {
      cellHead[c] = ns(`head-${c}`);
      cellTail[c] = ns(`tail-${c}`);
      amounts[2 * c] = ns(`${c}.00`);
      amounts[2 * c + 1] = ns(`${c}.01`);
    }
    const t: LeafRows = {
      parts: { head: Uint8Array.of(0, ...ns('claim_id')), cellHead, statuses: [ns('ok')], cellTail, amounts },
      ids: { bytes: utf8.encode('A1B2'), ends: Uint32Array.of(2, 4) },
      statusIndex: Uint8Array.of(0, 0),
      cellOf: Uint32Array.of(0, far),
      extraCent: Uint8Array.of(0, 0),
      rows: 2,
    };
    const leaf = (id: string, c: number): Buffer =>
      createHash('sha256').update(Buffer.concat([t.parts.head, ns(id), cellHead[c]!, ns('ok'), cellTail[c]!, amounts[2 * c]!])).digest();
    const root = createHash('sha256').update(Buffer.concat([Buffer.of(1), leaf('A1', 0), leaf('B2', far)])).digest('hex');
    expect(Buffer.from(new LeafBlocks(t, { batch: false }).blockRoot(0)).toString('hex')).toBe(root);
    expect(Buffer.from(new LeafBlocks(t).blockRoot(0)).toString('hex')).toBe(root);
  });
});
