/**
 * The fast path reads each chunk of the file in windows of FEED_BYTES (claims-tokenizers.ts), so
 * that the Latin-1 text of a window stays below V8's large-object size, and the duplicate checks
 * stage the windows' bytes into one batch a chunk (dedupe-batch.ts `stageBytes`). A file of
 * several windows must read exactly as csv-parse reads it, and the batched checks find what the
 * row-by-row checks find, duplicates across windows included.
 */
import { describe, expect, it, vi } from 'vitest';
import { FastCsv, MAX_FAST_RECORD } from '../../src/io/csv-fast.js';
import { readClaims } from '../../src/io/claims-reader.js';
import { CHUNK_BYTES, FEED_BYTES } from '../../src/io/claims-tokenizers.js';
import { twoClassPlan } from '../helpers/plans.js';
import { tempDir } from '../helpers/tmp.js';
import { TOKENIZER_PATHS, withNative } from '../helpers/csv-paths.js';

const tmp = tempDir();

const PLAN = twoClassPlan();

/** ~`bytes` of claims whose emails and names repeat every 997 and 1,009 rows: duplicates across windows and chunks. */
function claims(bytes: number, row: (i: number) => string = () => ''): string {
  const lines = ['claim_id,class,email,name,address'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const special = row(i);
    const line = special !== '' ? special : `C${i},${i % 3 === 0 ? 'illinois' : 'nationwide'},p${i % 997}@x.org,"Name ${i % 1009}","${i % 1009} Main St, Town"`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

describe('the fast path in windows', () => {
  it('hands the tokenizer no more than a window and a record carried over at a time', async () => {
    const file = tmp.write('windows.csv', claims(CHUNK_BYTES + 3 * FEED_BYTES));
    const feed = vi.spyOn(FastCsv.prototype, 'feed');
    try {
      await readClaims(file, PLAN);
      expect(feed.mock.calls.length).toBeGreaterThan(CHUNK_BYTES / FEED_BYTES);
      for (const [, text, from] of feed.mock.calls) expect((text as string).length - (from as number)).toBeLessThanOrEqual(FEED_BYTES + MAX_FAST_RECORD);
      // Below V8's large-object size (128 KiB): the text is not mapped fresh for every window.
      expect(Math.max(...feed.mock.calls.map(([, text]) => (text as string).length))).toBeLessThan(128 << 10);
    } finally {
      feed.mockRestore();
    }
  });

  it.each(TOKENIZER_PATHS.filter((p) => p.indexSize === undefined))('reads a file of many windows as csv-parse does, quoted line breaks and doubled quotes included ($name)', async (path) => {
    const odd = (i: number): string => (i % 1500 === 7 ? `Q${i},nationwide,"q${i % 5}@x.org","A ""B""\nC","1 ""X"" Rd"` : '');
    const file = tmp.write('many.csv', claims(2 * CHUNK_BYTES + FEED_BYTES / 3, odd));
    const fast = await withNative(path.native, () => readClaims(file, PLAN, { csv: 'fast' }));
    const slow = await readClaims(file, PLAN, { csv: 'csv-parse' });
    expect(fast).toEqual(slow);
    expect(fast.problems.filter((p) => p.code === 'duplicate_email').length).toBeGreaterThan(1000);
  });

  it('finds the same duplicates batched, the windows of a chunk staged into one batch, as row by row', async () => {
    const file = tmp.write('batched.csv', claims(CHUNK_BYTES + 2 * FEED_BYTES + 12_345));
    const inline = await readClaims(file, PLAN, { duplicateChecks: 'inline' });
    const batched = await readClaims(file, PLAN, { duplicateChecks: 'batched' });
    expect(batched.problems).toEqual(inline.problems);
    expect(batched.problems.length).toBeGreaterThan(1000);
  });

  it('leaves the rest of a chunk to csv-parse from a record it hands over in a later window', async () => {
    const text = claims(CHUNK_BYTES + FEED_BYTES);
    const at = text.indexOf(',nationwide,', 2 * FEED_BYTES + 5_000) + 3;
    const file = tmp.write('hand-off.csv', text.slice(0, at) + '\r' + text.slice(at));
    const fast = await readClaims(file, PLAN, { csv: 'fast', duplicateChecks: 'batched' });
    const slow = await readClaims(file, PLAN, { csv: 'csv-parse' });
    expect(fast).toEqual(slow);
    // Every row but the one with the carriage return in its class (an unknown class: an error).
    expect(fast.table.count).toBe(text.split('\n').length - 3);
  });

  it('leaves the rest of a chunk to csv-parse at invalid UTF-8 past its first window', async () => {
    const text = claims(CHUNK_BYTES / 2);
    const at = text.indexOf('\n', 3 * FEED_BYTES) + 20;
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))]);
    const file = tmp.write('bad-utf8.csv', bytes);
    const fast = await readClaims(file, PLAN, { csv: 'fast' });
    const slow = await readClaims(file, PLAN, { csv: 'csv-parse' });
    expect(fast).toEqual(slow);
    expect(fast.problems.some((p) => p.code === 'invalid_utf8')).toBe(true);
  });
});
