import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../../src/io/csv-records.js';
import { readCsvFileFast } from '../../src/io/csv-records-fast.js';
import { HASH_THREAD_MIN_BYTES, HashThread } from '../../src/io/hash-thread.js';
import { TOKENIZER_PATHS, withNative } from '../helpers/csv-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-records-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileOf = (text: string | Buffer): string => {
  const f = join(dir, `f${n++}.csv`);
  writeFileSync(f, text);
  return f;
};

async function both(file: string, read?: (header: string[]) => Uint8Array | undefined) {
  const slow: [string[], number][] = [];
  const fast: [string[], number][] = [];
  const slowDigest = await readCsvFile(file, (f, l) => void slow.push([[...f], l]));
  const fastDigest = await readCsvFileFast(file, ',', (f, l) => void fast.push([[...f], l]), read);
  return { slow, fast, slowDigest, fastDigest };
}

describe('readCsvFileFast', () => {
  it('gives readCsvFile’s records, lines and digest: quotes, line breaks in quotes, CRLF, a BOM, blank lines, UTF-8', async () => {
    const text = '\uFEFFclaim_id,name,address\r\nC1,"Smith, Jr.","1 Main St\r\nApt 2"\r\n\r\nC2,Zoë,"say ""hi"""\nC3,,\n\nC4,x,y';
    const { slow, fast, slowDigest, fastDigest } = await both(fileOf(text));
    expect(fast).toEqual(slow);
    expect(fastDigest).toEqual(slowDigest);
    expect(fast.map(([, l]) => l)).toEqual([1, 2, 5, 6, 8]);
  });

  it('hands on "" for the columns not asked for, every cell of the header', async () => {
    const { fast } = await both(fileOf('a,b,c\n1,2,3\n4,"5,5",6\n'), () => Uint8Array.of(1, 0, 1));
    expect(fast).toEqual([[['a', 'b', 'c'], 1], [['1', '', '3'], 2], [['4', '', '6'], 3]]);
  });

  it('says so (undefined) at a record only the general reader takes: a CR inside a cell', async () => {
    expect(await readCsvFileFast(fileOf('a,b\n1,x\ry\n'), ',', () => undefined)).toBeUndefined();
    expect(await readCsvFileFast(fileOf('a,b\n1,x y\n'), ',', () => undefined)).toBeDefined();
  });

  it.each(TOKENIZER_PATHS.filter((p) => p.indexSize === undefined))('agrees with readCsvFile on generated files whenever it reads them ($name)', async (path) => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9 é.]{0,6}$/),
      fc.stringMatching(/^[a-z, "\n]{0,6}$/).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((c) => c.join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), async (rows, eol) => {
        const { slow, fast, slowDigest, fastDigest } = await withNative(path.native, () => both(fileOf(rows.join(eol))));
        if (fastDigest === undefined) return;
        expect(fast).toEqual(slow);
        expect(fastDigest).toEqual(slowDigest);
      }),
      { numRuns: 150 },
    );
  });
});

describe('readCsvFileFast with its hash on a worker thread', () => {
  it('gives the digest readCsvFile gives, for a file of many chunks', async () => {
    const rows = ['claim_id,name,email'];
    for (let i = 0; rows.length * 40 < HASH_THREAD_MIN_BYTES + (2 << 20); i++) rows.push(`C${i},Zoë ${i % 97},z${i}@example.com`);
    const file = fileOf(`${rows.join('\n')}\n`);
    const slow = await readCsvFile(file, () => undefined);
    const hashes = new HashThread();
    try {
      let records = 0;
      const fast = await readCsvFileFast(file, ',', () => void records++, undefined, undefined, { hashes });
      expect(fast).toEqual(slow);
      expect(records).toBe(rows.length);
    } finally {
      hashes.close();
    }
  });
});

describe('readCsvFile with a delimiter', () => {
  it('splits on it, quotes and all, as the fast reader does', async () => {
    const file = fileOf('a;b;c\n1;"x;y";3\n"q""r";;\n');
    const slow: string[][] = [];
    await readCsvFile(file, (f) => void slow.push([...f]), { delimiter: ';' });
    expect(slow).toEqual([['a', 'b', 'c'], ['1', 'x;y', '3'], ['q"r', '', '']]);
    const fast: string[][] = [];
    await readCsvFileFast(file, ';', (f) => void fast.push([...f]));
    expect(fast).toEqual(slow);
  });
});

describe('readCsvFileFast with records taken from their bytes', () => {
  it('offers every record after the header to `bytes` first; the ones it declines come as strings, on their lines', async () => {
    const text = 'claim_id,name\nC1,"Ana\nRuiz"\n\nC2,Bo\nC3,"a ""b"""\r\nC4,Zoë\n';
    const offered: string[] = [];
    const strings: [string[], number][] = [];
    const digest = await readCsvFileFast(
      fileOf(text),
      ',',
      (f, l) => void strings.push([[...f], l]),
      (header) => Uint8Array.from(header, () => 1),
      undefined,
      {
        bytes: (record, count) => {
          const cells = Array.from({ length: count }, (_, f) => Buffer.from(record.buffer.subarray(record.fieldStart(f), record.fieldEnd(f))).toString());
          offered.push(cells.join('|'));
          return cells[0] === 'C1' || cells[0] === 'C4'; // taken: no strings made for them
        },
      },
    );
    expect(digest).toBeDefined();
    expect(offered).toEqual(['C1|Ana\nRuiz', '', 'C2|Bo', 'C3|a ""b""', 'C4|Zoë']);
    // The header, then the declined records: the blank line (skipped, as readCsvFile does), C2 and C3 on lines 5 and 6.
    expect(strings).toEqual([
      [['claim_id', 'name'], 1],
      [['C2', 'Bo'], 5],
      [['C3', 'a "b"'], 6],
    ]);
  });
});
