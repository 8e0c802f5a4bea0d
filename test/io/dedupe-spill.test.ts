import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { readClaims, SPILL_MIN_BYTES } from '../../src/io/claims-reader.js';
import { EMAIL_SHOWN, PartitionedKeys, SpilledClaimants, type SpilledHit } from '../../src/io/dedupe-spill.js';
import { claimantShown } from '../../src/io/csv-dedupe.js';
import { maskLast4 } from '../../src/core/mask.js';
import { HashedLineIndex } from '../../src/io/line-index.js';
import { twoClassPlan } from '../helpers/plans.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
let fileNo = 0;

const PLAN = twoClassPlan();

/** A folder of its own for the spill folders of one test (TMPDIR), so that what is left in it can be checked. */
function spillRoot(): string {
  const dir = tmp.path(`spill-root-${++fileNo}`);
  mkdirSync(dir);
  return dir;
}

async function withTmpdir<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

describe('PartitionedKeys: the keys checked partition by partition', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'payout-test-partitions-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds the same duplicates with the same first lines as one table in memory, past many buffer flushes', () => {
    // 400,000 keys over 64 partitions: ~6,000 a partition, more than one buffer (4,096) each.
    // Few distinct keys in the low words and repeated high words, so that partitions, tags and
    // slots are shared in every way; lines increase as the reader's do.
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const keys: Array<[number, number]> = [];
    for (let i = 0; i < 400_000; i++) {
      const r = next();
      if (i > 0 && r % 7 === 0) keys.push(keys[next() % keys.length] as [number, number]);
      else keys.push([next(), r % 3 === 0 ? next() & 0xff : next()]);
    }
    const dir = mkdtempSync(join(scratch, 'k-'));
    const spilled = new PartitionedKeys(dir, 'email');
    const table = new HashedLineIndex();
    const expected: number[] = [];
    let answered = 0;
    keys.forEach(([hi, lo], i) => {
      const line = i * 2 + 2;
      const first = table.firstLine(hi, lo, line);
      if (first !== 0) expected.push(line, 0, first);
      if (spilled.firstLine(hi, lo, line) !== 0) answered++;
    });
    expect(answered, 'nothing is found while the keys come').toBe(0);
    const found: number[] = [];
    spilled.duplicates(0, found);
    const triples = (a: number[]) => Array.from({ length: a.length / 3 }, (_, k) => a.slice(k * 3, k * 3 + 3)).sort((x, y) => (x[0] as number) - (y[0] as number));
    expect(expected.length).toBeGreaterThan(100_000);
    expect(triples(found)).toEqual(triples(expected));
    expect(readdirSync(dir).length).toBe(64);
  });

  it('gives the duplicates in row order, email before name within a row, with the claim id and the email masked', () => {
    const dir = mkdtempSync(join(scratch, 'c-'));
    const s = new SpilledClaimants(dir);
    const bytes = Buffer.from('ID-1|Ann@X.com|ID-2|a""b@Y.org', 'latin1');
    // Rows on lines 2, 3, 5: the third repeats the first's email key and the second's name key.
    s.rowBytes(2, bytes, 0, 4, 0, 5, 14, 0);
    s.emails.firstLine(7, 1, 2);
    s.namesAddresses.firstLine(9, 9, 2);
    s.rowText(3, ' Zoë ', 'z@z');
    s.namesAddresses.firstLine(0xffffffff, 5, 3);
    s.rowBytes(5, bytes, 15, 19, 0, 20, 30, 1);
    s.namesAddresses.firstLine(0xffffffff, 5, 5);
    s.emails.firstLine(7, 1, 5);
    expect(s.finish()).toEqual([
      [5, 0, 2, '****.org', 'ID-2'],
      [5, 1, 3, '', 'ID-2'],
    ]);
  });

  it("finds the duplicates' claim ids past millions of bytes of other rows' details (read in blocks)", () => {
    const dir = mkdtempSync(join(scratch, 'd-'));
    const s = new SpilledClaimants(dir);
    const want: SpilledHit[] = [];
    for (let line = 2; line < 300_000; line += line % 7 === 0 ? 2 : 1) {
      // Ids of 5 to 40 bytes, so that rows straddle the reading's block boundaries anywhere.
      const id = `ID-${line}-${'x'.repeat(line % 36)}`;
      const bytes = Buffer.from(`${id}|someone${line}@example.org`, 'latin1');
      s.rowBytes(line, bytes, 0, id.length, 0, id.length + 1, bytes.length, 0);
      const dup = line % 9973 === 0 || line === 299_999;
      s.emails.firstLine(dup || line === 2 ? 1 : line, 1, line);
      if (dup) want.push([line, 0, 2, '****.org', id]);
    }
    expect(want.length).toBeGreaterThan(20);
    expect(s.finish()).toEqual(want);
  });
});

describe('SpilledClaimants: no whole email on disk', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'payout-test-details-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes no email to the spill folder, only its last 4 characters when it has more, shown as in memory (property)', () => {
    const local = fc.stringMatching(/^[a-zA-Z0-9 .é€😀"\t]{0,40}$/);
    const email = fc.tuple(local, fc.constantFrom('@example.com', '@exämple.org', '@x.io😀', '@X.İO', '', 'ab'), fc.constantFrom('', ' ', '  \t'), fc.constantFrom('', ' '));
    fc.assert(
      fc.property(email, fc.boolean(), ([name, domain, pad, lead], bytesPath) => {
        const value = `${name}${domain}`;
        fc.pre(value.trim() !== '');
        const dir = mkdtempSync(join(scratch, 'd-'));
        const s = new SpilledClaimants(dir);
        // As the CSV holds it (a quote doubled) for the byte path; as csv-parse gives it (undone) for the text path.
        const cellText = lead + (bytesPath ? value.replaceAll('"', '""') : value) + pad;
        const bytes = Buffer.from(`ID-1|${cellText}`, 'utf8');
        for (const line of [2, 3]) {
          if (bytesPath) s.rowBytes(line, bytes, 0, 4, 0, 5, bytes.length, cellText.includes('""') ? 1 : 0);
          else s.rowText(line, 'ID-1', cellText);
          s.emails.firstLine(7, 1, line);
        }
        const hits = s.finish();
        expect(hits.map((h) => h[0])).toEqual([3]);
        const shown = (hits[0] as SpilledHit)[3];
        // Cells are read from UTF-8 (a lone surrogate the generator makes is U+FFFD there), as for the tables in memory.
        const read = Buffer.from(value, 'utf8').toString('utf8');
        expect(maskLast4(shown)).toBe(maskLast4(claimantShown(read)));
        const onDisk = readFileSync(join(dir, 'rows.bin'));
        // Two rows: a head, the claim id and at most 4 characters (a doubled quote 2 bytes, another at most 4).
        expect(onDisk.length).toBeLessThanOrEqual(2 * (16 + 4 + 4 * EMAIL_SHOWN));
        if (domain.startsWith('@')) expect(onDisk.includes('@'), 'no address on disk').toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readClaims: duplicate-claimant checks spilled to partitions against the tables in memory', () => {
  it('gives the same problems, claim ids and table spilled as in memory and as row by row, fast path and csv-parse (property)', async () => {
    const dupCell = fc.constantFrom('Ann@X.com', 'ann@x.com ', 'b@y.org', '', 'Zoë Núñez', 'zoe nunez', '1 Main St.', '1 main st', '"a ""q"" b"', '"x\ny"');
    const idCell = fc.constantFrom('A1', ' A2 ', '"B,3"', '"C""4"', 'Ω5', '');
    const row = fc.tuple(idCell, fc.constantFrom('nationwide', 'illinois', 'x'), dupCell, dupCell, dupCell);
    const file = fc
      .record({ rows: fc.array(fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: fc.constant(null) }), { maxLength: 40 }), csvParse: fc.boolean() })
      .map(({ rows, csvParse }) => ({
        csvParse,
        text:
          'claim_id,class,email,name,address\n' +
          rows.map((r, i) => (r === null ? ' , , , , \n' : `${r[0]}${r[0].startsWith('"') ? '' : i},${r[1]},${r[2]},${r[3]},${r[4]}\n`)).join(''),
      }));
    const root = spillRoot();
    const finish = vi.spyOn(SpilledClaimants.prototype, 'finish');
    try {
      await withTmpdir(root, () =>
        fc.assert(
          fc.asyncProperty(file, fc.integer({ min: 1, max: 6 }), async ({ text, csvParse }, cap) => {
            const path = tmp.write(`dup-${++fileNo}.csv`, text);
            const seen = { inline: [] as string[], batched: [] as string[], spilled: [] as string[] };
            const read = (mode: 'inline' | 'batched' | 'spilled') =>
              readClaims(path, PLAN, {
                duplicateChecks: mode === 'inline' ? 'inline' : 'batched',
                duplicateSpillBytes: mode === 'spilled' ? 0 : Infinity,
                maxStoredProblems: cap,
                csv: csvParse ? 'csv-parse' : 'fast',
                onProblem: (p, id) => seen[mode].push(`${p.line}:${p.code}:${p.message}:${id ?? ''}`),
              });
            const inline = await read('inline');
            const batched = await read('batched');
            const spilled = await read('spilled');
            expect(spilled.problems).toEqual(inline.problems);
            expect(spilled.stats).toEqual(inline.stats);
            expect(spilled.table).toEqual(inline.table);
            // The same warnings reach onProblem in the same order as from the tables in memory, with the same claim ids.
            expect(seen.spilled).toEqual(seen.batched);
            expect([...seen.spilled].sort()).toEqual([...seen.inline].sort());
          }),
          { numRuns: 200 },
        ),
      );
      expect(finish).toHaveBeenCalled();
      expect(readdirSync(root), 'every spill folder removed').toEqual([]);
    } finally {
      finish.mockRestore();
    }
  });

  it('spills from the size PAYOUT_CLAIMANT_SPILL_BYTES names (for tests), else from 256 MiB', async () => {
    expect(SPILL_MIN_BYTES).toBe(256 << 20);
    const path = tmp.write(`env-${++fileNo}.csv`, 'claim_id,class,email\nA,nationwide,a@x\nB,nationwide,A@x\n');
    const root = spillRoot();
    const finish = vi.spyOn(SpilledClaimants.prototype, 'finish');
    const before = process.env.PAYOUT_CLAIMANT_SPILL_BYTES;
    try {
      await withTmpdir(root, async () => {
        const inMemory = await readClaims(path, PLAN, { duplicateChecks: 'batched' });
        expect(finish).not.toHaveBeenCalled();
        process.env.PAYOUT_CLAIMANT_SPILL_BYTES = '50';
        const spilled = await readClaims(path, PLAN, { duplicateChecks: 'batched' });
        expect(finish).toHaveBeenCalledTimes(1);
        expect(spilled).toEqual(inMemory);
        expect(spilled.problems.map((p) => [p.line, p.code])).toEqual([[3, 'duplicate_email']]);
        process.env.PAYOUT_CLAIMANT_SPILL_BYTES = '1000';
        await readClaims(path, PLAN, { duplicateChecks: 'batched' });
        expect(finish).toHaveBeenCalledTimes(1);
      });
      expect(readdirSync(root)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.PAYOUT_CLAIMANT_SPILL_BYTES;
      else process.env.PAYOUT_CLAIMANT_SPILL_BYTES = before;
      finish.mockRestore();
    }
  });

  it('keeps the tables in memory when no spill folder can be made (TMPDIR missing): the same warnings', async () => {
    const path = tmp.write(`no-tmp-${++fileNo}.csv`, 'claim_id,class,email\nA,nationwide,a@x\nB,nationwide,A@x\n');
    const finish = vi.spyOn(SpilledClaimants.prototype, 'finish');
    try {
      const inMemory = await readClaims(path, PLAN, { duplicateChecks: 'batched' });
      const fallback = await withTmpdir(tmp.path('no-such-folder'), () => readClaims(path, PLAN, { duplicateChecks: 'batched', duplicateSpillBytes: 0 }));
      expect(finish).not.toHaveBeenCalled();
      expect(fallback).toEqual(inMemory);
      expect(fallback.problems.map((p) => [p.line, p.code])).toEqual([[3, 'duplicate_email']]);
    } finally {
      finish.mockRestore();
    }
  });

  it('removes the spill folder when the checks fail, and says so', async () => {
    const path = tmp.write(`fail-${++fileNo}.csv`, 'claim_id,class,email\nA,nationwide,a@x\nB,nationwide,A@x\n');
    const root = spillRoot();
    const finish = vi.spyOn(SpilledClaimants.prototype, 'finish').mockImplementation(() => {
      throw new Error('ENOSPC: no space left on device, write');
    });
    try {
      await withTmpdir(root, async () => {
        await expect(readClaims(path, PLAN, { duplicateChecks: 'batched', duplicateSpillBytes: 0 })).rejects.toThrow(
          'the duplicate-claimant checks failed: ENOSPC: no space left on device, write',
        );
      });
      expect(readdirSync(root)).toEqual([]);
    } finally {
      finish.mockRestore();
    }
  });
});
