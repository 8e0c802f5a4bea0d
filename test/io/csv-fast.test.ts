import { readFileSync } from 'node:fs';
/**
 * The fast CSV path against csv-parse, the authority (src/io/csv-fast.ts): on generated nasty
 * files — quotes, doubled quotes, delimiters and line breaks inside quotes, CR/LF/CRLF, a BOM,
 * blank lines, multi-byte characters, ragged rows, unclosed quotes — the records the fast path
 * hands on before it stops, followed by what csv-parse reads from the byte where it stopped, must
 * be exactly what csv-parse reads from the whole file: the same fields, the same start lines, the
 * same error. Then the same through readClaims: the records the collector receives, its table,
 * problems and stats, with the fast path and with PAYOUT_CSV=csv-parse.
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { FastCsv, MAX_FAST_RECORD, fastPathSupports } from '../../src/io/csv-fast.js';
import { ClaimsCollector, MAX_RECORD_CHARS, readClaims, type ReadClaimsOptions } from '../../src/io/claims-reader.js';
import { twoClassPlan } from '../helpers/plans.js';
import { tempDir } from '../helpers/tmp.js';
import { TOKENIZER_PATHS, withNative, type TokenizerPath } from '../helpers/csv-paths.js';

const tmp = tempDir();

interface Read {
  records: Array<{ fields: string[]; line: number }>;
  /** csv-parse's error code, if it stopped at one. */
  error?: string;
}

const csvParseOptions = (bom: boolean, delimiter: string) => ({
  bom,
  delimiter,
  relax_column_count: true,
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n'],
  max_record_size: MAX_RECORD_CHARS,
});

const lineBreaks = (fields: string[]) => fields.reduce((n, f) => n + (f.split('\n').length - 1), 0);

/** csv-parse over `bytes`, lines counted as the reader counts them, from `firstLine`. */
function csvParse(bytes: Buffer, firstLine: number, bom: boolean, delimiter: string): Read {
  const out: Read = { records: [] };
  let line = firstLine;
  try {
    parse(bytes, {
      ...csvParseOptions(bom, delimiter),
      on_record: (fields: string[]) => {
        out.records.push({ fields: [...fields], line });
        line += 1 + lineBreaks(fields);
        return fields;
      },
    });
  } catch (err) {
    out.error = (err as { code?: string }).code ?? String(err);
  }
  return out;
}

/**
 * The reader's loop in miniature: the fast path over `bytes` cut at `cuts`, decoding every field,
 * then csv-parse from the byte where it stopped (if it stopped).
 */
function fastThenCsvParse(bytes: Buffer, cuts: number[], delimiter: string, path: TokenizerPath): Read & { handedOffAt?: number } {
  const out: Read & { handedOffAt?: number } = { records: [] };
  const fast = new FastCsv(delimiter, (fields, line) => out.records.push({ fields: [...fields], line }), () => undefined, path.scan);
  if (path.indexSize !== undefined) fast.indexSize(path.indexSize);
  const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b).filter((c) => c > 0 && c < bytes.length);
  bounds.push(bytes.length);
  let start = 0;
  let bomSkipped = false;
  let bomChecked = false;
  for (const end of bounds) {
    const final = end === bytes.length;
    if (!bomChecked) {
      if (end < 3 && !final) continue;
      bomChecked = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        start = 3;
        bomSkipped = true;
      }
    }
    start = fast.feed(bytes, bytes.toString('latin1', 0, end), start, end, final);
    if (fast.handOff) {
      const atStart = fast.line === 1;
      const from = atStart && bomSkipped ? 0 : start;
      out.handedOffAt = from;
      const rest = csvParse(bytes.subarray(from), fast.line, atStart, delimiter);
      out.records.push(...rest.records);
      if (rest.error !== undefined) out.error = rest.error;
      return out;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators of nasty CSV text.

const text = fc.constantFrom('a', 'B', 'z9', ' ', '  ', '\t', 'é', '€', '𝄞', 'Zoë', 'x@y.com', 'X@Y.COM', '2.5', '1', 'nationwide', 'illinois', '=1+2', '-', '.');
const special = fc.constantFrom(',', ';', '"', '""', '\n', '\r\n', '\r', '\uFEFF', '\u00A0');

/** A cell as a CSV writer would put it: plain, or quoted with its quotes doubled. */
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.array(text, { maxLength: 3 }).map((t) => t.join('').replace(/[",\r\n]/g, '')) },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(text, special), { maxLength: 5 }).map((t) => `"${t.join('').replaceAll('"', '""')}"`),
  },
  // Broken on purpose: a quote inside a plain cell, text after a closing quote, an unclosed quote.
  { weight: 1, arbitrary: fc.constantFrom('a"b', '"a"b', '"open', '""x', ' "a"', '"a" ', '"a"\r', 'a\rb') },
);
const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r\n', '\r');

/** Rows of cells joined by commas (ragged on purpose), with line ends, blank lines and maybe a BOM. */
const csvFile = fc
  .record({
    bom: fc.boolean(),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
    ends: fc.array(lineEnd, { minLength: 8, maxLength: 8 }),
    blank: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    lastEnd: fc.boolean(),
  })
  .map(({ bom, rows, ends, blank, lastEnd }) => {
    let s = bom ? '\uFEFF' : '';
    rows.forEach((r, i) => {
      s += r.join(',');
      if (i < rows.length - 1 || lastEnd) s += ends[i] as string;
      if (blank[i] && i < rows.length - 1) s += ends[(i + 1) % 8] as string;
    });
    return s;
  });

/** Raw soup: any sequence of the tokens, for the shapes a writer would never produce. */
const soup = fc.array(fc.oneof(text, special), { maxLength: 40 }).map((t) => t.join(''));

const anyCsv = fc.oneof({ weight: 3, arbitrary: csvFile }, { weight: 1, arbitrary: soup });

describe.each(TOKENIZER_PATHS)('FastCsv ($name) then csv-parse = csv-parse (differential)', (path) => {
  it('gives the same records, start lines and error on generated files, however the bytes are cut (property)', () => {
    fc.assert(
      fc.property(anyCsv, fc.array(fc.nat(), { maxLength: 5 }), (content, cuts) => {
        const bytes = Buffer.from(content, 'utf8');
        const expected = csvParse(bytes, 1, true, ',');
        const got = fastThenCsvParse(bytes, cuts, ',', path);
        expect({ records: got.records, error: got.error }).toEqual({ records: expected.records, error: expected.error });
      }),
      { numRuns: 3000 },
    );
  });

  it('also with a semicolon or a tab as the delimiter (property)', () => {
    fc.assert(
      fc.property(anyCsv, fc.constantFrom(';', '\t'), fc.array(fc.nat(), { maxLength: 3 }), (content, delimiter, cuts) => {
        const bytes = Buffer.from(content.replaceAll(',', delimiter), 'utf8');
        const expected = csvParse(bytes, 1, true, delimiter);
        const got = fastThenCsvParse(bytes, cuts, delimiter, path);
        expect({ records: got.records, error: got.error }).toEqual({ records: expected.records, error: expected.error });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps plain files, quoted line breaks and doubled quotes on the fast path', () => {
    const bytes = Buffer.from('\uFEFFclaim_id,name\r\n1,"Smith, Jr."\r\n2,"a\r\nb"\n3,"Robert ""Bobby"" Smith"\n\n4,Zoë\n5,', 'utf8');
    const got = fastThenCsvParse(bytes, [7, 20, 33], ',', path);
    expect(got.handedOffAt).toBeUndefined();
    expect(got.records).toEqual(csvParse(bytes, 1, true, ',').records);
    expect(got.records.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 7, 8]);
  });

  it('leaves a quote in a plain field to csv-parse, from the first byte of its record', () => {
    const bytes = Buffer.from('a,b\nc,d"e\nf,g\n');
    const got = fastThenCsvParse(bytes, [], ',', path);
    expect(got.handedOffAt).toBe(4);
    expect(got.error).toBe('INVALID_OPENING_QUOTE');
    expect(got.records).toEqual([{ fields: ['a', 'b'], line: 1 }]);
  });

  it('leaves a record longer than MAX_FAST_RECORD to csv-parse', () => {
    const long = 'x'.repeat(MAX_FAST_RECORD + 10);
    const bytes = Buffer.from(`a,b\n${long},c\nd,e\n`);
    const got = fastThenCsvParse(bytes, [100, 40_000], ',', path);
    expect(got.handedOffAt).toBe(4);
    expect(got.records).toEqual(csvParse(bytes, 1, true, ',').records);
  });

  it('reads only one-character ASCII delimiters other than quotes and line breaks', () => {
    expect([',', ';', '\t', '|'].every(fastPathSupports)).toBe(true);
    expect(['"', '\n', '\r', '§', ',,'].some(fastPathSupports)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Through readClaims: what the collector receives, and what it makes of it.

const PLAN = twoClassPlan();
let fileNo = 0;

/** readClaims with one tokenizer, and the records its collector received (cells it reads only). */
async function readWith(file: string, csv: 'fast' | 'csv-parse', options: ReadClaimsOptions = {}) {
  const received: Array<{ fields: string[]; line: number }> = [];
  const original = ClaimsCollector.prototype.record;
  ClaimsCollector.prototype.record = function (this: ClaimsCollector, fields: string[], line: number) {
    received.push({ fields: [...fields], line });
    return original.call(this, fields, line);
  };
  try {
    const result = await readClaims(file, PLAN, { ...options, csv });
    return { ...result, received };
  } finally {
    ClaimsCollector.prototype.record = original;
  }
}

/** The cells the reader reads: every column of a header naming only claim fields, nothing beyond its width. */
const readCells = (records: Array<{ fields: string[]; line: number }>, width: number) =>
  records.map((r) => ({ line: r.line, count: r.fields.length, fields: r.fields.slice(0, width) }));

const claimCell = fc.oneof(
  fc.constantFrom('A1', 'A2', 'A1 ', ' b7', '', 'nationwide', 'Illinois', ' NATIONWIDE', 'ilinois', '1', '2.5', '0', '1,5', 'x', 'approved', 'Rejected', 'Ann@X.com', 'ann@x.com', 'Zoë Núñez', 'zoe nunez', '1 Main St.', '1 main st', '𝄞'),
  cell,
);
const claimsFile = fc
  .record({
    bom: fc.boolean(),
    rows: fc.array(fc.array(claimCell, { minLength: 6, maxLength: 8 }), { maxLength: 12 }),
    ends: fc.array(lineEnd, { minLength: 12, maxLength: 12 }),
  })
  .map(({ bom, rows, ends }) => {
    let s = `${bom ? '\uFEFF' : ''}claim_id,class,units,status,email,name,address\n`;
    rows.forEach((r, i) => {
      s += `${r.join(',')}${ends[i] as string}`;
    });
    return s;
  });

describe('readClaims: the fast path and csv-parse give the same (differential)', () => {
  it.each(TOKENIZER_PATHS.filter((p) => p.indexSize === undefined))('hands the collector the same records and lines, and ends with the same table, problems and stats ($name, property)', async (path) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: claimsFile }, { weight: 1, arbitrary: anyCsv }), async (content) => {
        const file = tmp.write(`diff-${++fileNo}.csv`, content);
        const fast = await withNative(path.native, () => readWith(file, 'fast', { sha256: true }));
        const slow = await readWith(file, 'csv-parse', { sha256: true });
        const width = slow.stats.headers.length || 64;
        expect(readCells(fast.received, width)).toEqual(readCells(slow.received, width));
        expect(fast.table).toEqual(slow.table);
        expect(fast.problems).toEqual(slow.problems);
        expect(fast.stats).toEqual(slow.stats);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same with the duplicate checks batched (dedupe-batch.ts) as row by row, also past the stored-problem cap (property)', async () => {
    const dupCell = fc.constantFrom('Ann@X.com', 'ann@x.com ', 'b@y.org', '', 'Zoë Núñez', 'zoe nunez', '1 Main St.', '1 main st', '"a ""q"" b"', '"x\ny"');
    const row = fc.tuple(fc.constantFrom('A1', 'A2', 'B3', ''), fc.constantFrom('nationwide', 'illinois', 'x'), dupCell, dupCell, dupCell);
    const file = fc
      .record({ rows: fc.array(fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: fc.constant(null) }), { maxLength: 40 }), csvParse: fc.boolean() })
      .map(({ rows, csvParse }) => ({
        csvParse,
        text:
          'claim_id,class,email,name,address\n' +
          rows.map((r, i) => (r === null ? ' , , , , \n' : `${r[0]}${i},${r[1]},${r[2]},${r[3]},${r[4]}\n`)).join(''),
      }));
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 6 }), async ({ text, csvParse }, cap) => {
        const path = tmp.write(`dup-${++fileNo}.csv`, text);
        const seen = { inline: [] as string[], batched: [] as string[] };
        const read = (mode: 'inline' | 'batched') =>
          readClaims(path, PLAN, {
            duplicateChecks: mode,
            maxStoredProblems: cap,
            csv: csvParse ? 'csv-parse' : 'fast',
            onProblem: (p, id) => seen[mode].push(`${p.line}:${p.code}:${p.message}:${id ?? ''}`),
          });
        const inline = await read('inline');
        const batched = await read('batched');
        expect(batched.problems).toEqual(inline.problems);
        expect(batched.stats).toEqual(inline.stats);
        expect(batched.table).toEqual(inline.table);
        // Every problem reaches onProblem, with its claim id; only the moment of the duplicate warnings differs.
        expect([...seen.batched].sort()).toEqual([...seen.inline].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('reads with csv-parse alone when PAYOUT_CSV=csv-parse (or csv: "csv-parse"), with the fast path otherwise', async () => {
    const file = tmp.write(`env-${++fileNo}.csv`, 'claim_id,class\nA,nationwide\n');
    const feed = vi.spyOn(FastCsv.prototype, 'feed');
    try {
      process.env.PAYOUT_CSV = 'csv-parse';
      const slow = await readClaims(file, PLAN);
      expect(feed).not.toHaveBeenCalled();
      delete process.env.PAYOUT_CSV;
      const fast = await readClaims(file, PLAN);
      expect(feed).toHaveBeenCalled();
      expect(fast).toEqual(slow);
    } finally {
      delete process.env.PAYOUT_CSV;
      feed.mockRestore();
    }
  });

  it.each(TOKENIZER_PATHS.filter((p) => p.indexSize === undefined))('gives the same on every fixture claims file ($name)', async (path) => {
    const { readdirSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { loadPlan } = await import('../../src/io/plan-file.js');
    const { ROOT } = await import('../helpers/run-cli.js');
    const files: Array<{ claims: string; plan: string }> = [];
    for (const dir of readdirSync(join(ROOT, 'fixtures'))) {
      const base = join(ROOT, 'fixtures', dir);
      // A bucket plan's claims go through their own reader (test/buckets), not readClaims.
      if (existsSync(join(base, 'claims.csv')) && existsSync(join(base, 'plan.json')) && !isBucketPlan(join(base, 'plan.json'))) files.push({ claims: join(base, 'claims.csv'), plan: join(base, 'plan.json') });
      if (dir === 'errors') {
        for (const f of readdirSync(base)) if (f.endsWith('.csv')) files.push({ claims: join(base, f), plan: join(base, 'plan.json') });
      }
    }
    expect(files.length).toBeGreaterThan(10);
    for (const { claims, plan: planFile } of files) {
      const { plan: p } = await loadPlan(planFile);
      const fast = await withNative(path.native, () => readClaims(claims, p, { csv: 'fast', sha256: true }));
      const slow = await readClaims(claims, p, { csv: 'csv-parse', sha256: true });
      expect(fast, claims).toEqual(slow);
    }
  });
});

/** A plan of the buckets form (docs/allocation.md), read by src/io/bucket-claims-reader.ts. */
function isBucketPlan(planFile: string): boolean {
  return 'buckets' in (JSON.parse(readFileSync(planFile, 'utf8')) as object);
}
