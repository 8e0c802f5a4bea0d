/**
 * readCsvFileFast (the records reader of `payout pay`) feeds each chunk of the file to the
 * tokenizer in windows of FEED_BYTES (csv-windows.ts), so that a window's Latin-1 text stays below
 * V8's large-object size. A record cut by a window's edge is carried into the next window: a
 * quoted cell, a multi-byte character or a CRLF across the edge must read exactly as readCsvFile
 * (csv-parse) reads them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHUNK_BYTES } from '../../src/io/claims-tokenizers.js';
import { FastCsv, MAX_FAST_RECORD } from '../../src/io/csv-fast.js';
import { readCsvFile } from '../../src/io/csv-records.js';
import { readCsvFileFast } from '../../src/io/csv-records-fast.js';
import { FEED_BYTES } from '../../src/io/csv-windows.js';
import { TOKENIZER_PATHS, withNative } from '../helpers/csv-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-records-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileOf = (bytes: Buffer): string => {
  const f = join(dir, `f${n++}.csv`);
  writeFileSync(f, bytes);
  return f;
};

/** Records that straddle a window's edge, and the byte of each that is the first past the edge. */
const ACROSS: { record: string; past: (bytes: Buffer) => number }[] = [
  // A quoted cell with a CRLF and a doubled quote inside: the edge inside the quotes, after the CR.
  { record: 'Q,"say ""hi""\r\nthere, you",z\r\n', past: (b) => b.indexOf('\r\nthere') + 1 },
  // A four-byte character cut after its second byte.
  { record: 'M,Zoë €😀 ok,z\r\n', past: (b) => b.indexOf(Buffer.from('😀')) + 2 },
  // A CRLF line end cut between its CR and its LF.
  { record: 'L,plain,z\r\n', past: (b) => b.indexOf('\r\n') + 1 },
];

/** A CRLF file of ~`windows` windows with one record of ACROSS across every window's edge. */
function fileAcrossEdges(windows: number): Buffer {
  const parts: Buffer[] = [Buffer.from('id,name,note\r\n')];
  let size = parts[0]!.length;
  let i = 0;
  for (let k = 1; k <= windows; k++) {
    const edge = k * FEED_BYTES;
    const across = ACROSS[k % ACROSS.length]!;
    const record = Buffer.from(`${k}${across.record}`);
    const before = across.past(record);
    for (;;) {
      const row = Buffer.from(`R${i},name ${i} é,note ${i % 7}\r\n`);
      if (size + row.length + 40 > edge - before) break;
      parts.push(row);
      size += row.length;
      i++;
    }
    // A filler row of the length that puts `before` bytes of the record before the edge.
    const fill = edge - before - size;
    parts.push(Buffer.from(`F,${'x'.repeat(fill - 5)},\r\n`));
    size += fill;
    parts.push(record);
    size += record.length;
  }
  parts.push(Buffer.from('last,row,end\r\n'));
  return Buffer.concat(parts);
}

describe('readCsvFileFast in windows', () => {
  it('hands the tokenizer no more than a window and a record carried over at a time', async () => {
    const file = fileOf(fileAcrossEdges(CHUNK_BYTES / FEED_BYTES + 3));
    const feed = vi.spyOn(FastCsv.prototype, 'feed');
    try {
      expect(await readCsvFileFast(file, ',', () => undefined)).toBeDefined();
      expect(feed.mock.calls.length).toBeGreaterThan(CHUNK_BYTES / FEED_BYTES);
      for (const [, text, from] of feed.mock.calls) expect((text as string).length - (from as number)).toBeLessThanOrEqual(FEED_BYTES + MAX_FAST_RECORD);
      // Below V8's large-object size (128 KiB): the text is not mapped fresh for every chunk.
      expect(Math.max(...feed.mock.calls.map(([, text]) => (text as string).length))).toBeLessThan(128 << 10);
    } finally {
      feed.mockRestore();
    }
  });

  it.each(TOKENIZER_PATHS.filter((p) => p.indexSize === undefined))('reads a quoted cell, a multi-byte character and a CRLF across window and chunk edges as readCsvFile does ($name)', async (path) => {
    const bytes = fileAcrossEdges(2 * (CHUNK_BYTES / FEED_BYTES) + 2);
    // Each kind of record is across an edge, and so is a chunk's edge (a window's edge too).
    for (let k = 1; k <= 2 * (CHUNK_BYTES / FEED_BYTES) + 2; k++) {
      const edge = k * FEED_BYTES;
      const record = Buffer.from(`${k}${ACROSS[k % ACROSS.length]!.record}`);
      const at = bytes.indexOf(record);
      expect(at).toBeGreaterThan(0);
      expect(at < edge && edge < at + record.length).toBe(true);
    }
    const file = fileOf(bytes);
    for (const utf8 of [false, true]) {
      const slow: [string[], number][] = [];
      const fast: [string[], number][] = [];
      const slowDigest = await readCsvFile(file, (f, l) => void slow.push([[...f], l]));
      const fastDigest = await withNative(path.native, () => readCsvFileFast(file, ',', (f, l) => void fast.push([[...f], l]), () => undefined, undefined, { utf8 }));
      expect(fastDigest).toEqual(slowDigest);
      expect(fast).toEqual(slow);
      expect(fast.filter(([f]) => f[0]!.endsWith('Q')).map(([f]) => f[1])).toContain('say "hi"\r\nthere, you');
      expect(fast.filter(([f]) => f[0]!.endsWith('M')).map(([f]) => f[1])).toContain('Zoë €😀 ok');
    }
  });
});
