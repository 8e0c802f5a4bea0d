/**
 * A byte batch of the duplicate checks (dedupe-check.ts `checkBatch`) answers with the claim id of
 * each duplicate, decoded from the batch's bytes as the fast tokenizer decodes a cell (UTF-8,
 * doubled quotes undone) and trimmed as the reader trims it: the reader does not hold every row's
 * claim id until the answer comes.
 */
import { describe, expect, it } from 'vitest';
import { ClaimantIndex } from '../../src/io/csv-dedupe.js';
import { checkBatch, RANGE_FIELDS } from '../../src/io/dedupe-check.js';

describe('checkBatch on a byte batch', () => {
  it("gives each duplicate's claim id from the bytes", () => {
    // Cells: claim id, email (the second and third rows repeat the first's email).
    const rows: Array<[id: string, doubled: number, email: string]> = [
      ['A-1', 0, 'ann@x.org'],
      [' Zoë-2 ', 0, 'ANN@x.org'],
      ['B ""3""', 1, 'ann@x.org '],
      ['C-4', 0, 'bob@x.org'],
    ];
    let text = '';
    const ranges = new Int32Array(rows.length * RANGE_FIELDS);
    rows.forEach(([id, doubled, email], k) => {
      const at = k * RANGE_FIELDS;
      ranges[at] = k + 2;
      const idStart = Buffer.byteLength(text);
      text += id + ',';
      const emailStart = Buffer.byteLength(text);
      text += email + '\n';
      ranges.set([emailStart, emailStart + Buffer.byteLength(email), 0], at + 1);
      ranges.set([idStart, idStart + Buffer.byteLength(id), doubled], at + 10);
    });
    const bytes = new Uint8Array(Buffer.from(text));
    const reply = checkBatch(new ClaimantIndex(), { seq: 0, bytes, ranges, rows: rows.length, email: true, nameAddress: false });
    expect(reply.hits.map(([row, kind, line, first]) => [row, kind, line, first])).toEqual([
      [1, 0, 3, 2],
      [2, 0, 4, 2],
    ]);
    expect(reply.hitIds).toEqual(['Zoë-2', 'B "3"']);
  });
});
