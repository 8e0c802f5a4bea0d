/**
 * The structural index of the fast CSV tokenizer (src/io/csv-scan.ts, src/native/csv_scan.c,
 * src/io/csv-fast-index.ts): the addon's scan against its JavaScript reference, its argument
 * checks, the loader's checks, and the tokenizer walking the index against the tokenizer searching
 * with indexOf, step by step: the same return value and hand-off at every `feed`, the same records
 * and lines, the same calls of a plan's `bytes` hook — at window edges above all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastCsv, MAX_FAST_RECORD, type ColumnPlan } from '../../src/io/csv-fast.js';
import { csvScan, loadNativeScan, scanJs, scansRight, type CsvScan } from '../../src/io/csv-scan.js';
import { nativeAddonPath } from '../../src/io/sha256-batch.js';
import { FeedWindows } from '../../src/io/csv-windows.js';
import { ADDON_SCAN, INDEX_SCAN, withNative } from '../helpers/csv-paths.js';
import { tempDir } from '../helpers/tmp.js';

const native: CsvScan | undefined = csvScan();

describe('the addon’s scan', () => {
  it('is built by npm run build where a C compiler is, and chosen unless PAYOUT_NATIVE=0', async () => {
    if (native === undefined) {
      if (process.env.CI) throw new Error('dist/native/payout_sha256.node has no working scan: npm run build did not build the addon');
      console.warn('csv-fast-index.test.ts: no native addon in dist/native/ (no C compiler?): the index is walked over the JavaScript scan only');
      return;
    }
    expect(new FastCsv(',', () => undefined, () => undefined).indexed).toBe(process.env.PAYOUT_NATIVE !== '0');
    await withNative('0', () => {
      expect(csvScan()).toBeUndefined();
      expect(new FastCsv(',', () => undefined, () => undefined).indexed).toBe(false);
    });
    await withNative('1', () => expect(new FastCsv(',', () => undefined, () => undefined).indexed).toBe(true));
  });

  it('finds the offsets scanJs finds, for any bytes, start, end, delimiter and array size (property)', () => {
    if (native === undefined) return;
    const byte = fc.oneof(fc.constantFrom(0x2c, 0x3b, 0x09, 0x22, 0x0d, 0x0a, 0x61), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).chain((b) => fc.tuple(fc.constant(b), fc.array(byte, { maxLength: 300 }))),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 320 }),
        ([noise, tokens], a, b, delimiter, cap) => {
          const bytes = Uint8Array.from([...tokens, ...noise].map((x, i) => (i % 3 === 0 ? (noise[i % (noise.length || 1)] ?? x) : x)));
          const from = a % (bytes.length + 1);
          const end = from + (b % (bytes.length - from + 1));
          const want = new Int32Array(cap).fill(-7);
          const got = new Int32Array(cap).fill(-7);
          expect(native(bytes, from, end, delimiter, got)).toBe(scanJs(bytes, from, end, delimiter, want));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds every offset of a large buffer, one array-full at a time', () => {
    if (native === undefined) return;
    const bytes = Buffer.from('id,"a ""b""",c\r\n'.repeat(5000) + 'tail,"x\ny"');
    const all = (scan: CsvScan): number[] => {
      const out = new Int32Array(1000);
      const found: number[] = [];
      for (let from = 0; ; ) {
        const n = scan(bytes, from, bytes.length, 0x2c, out);
        found.push(...out.subarray(0, n));
        if (n < out.length) return found;
        from = (out[n - 1] as number) + 1;
      }
    };
    const offsets = all(native);
    expect(offsets).toEqual(all(scanJs));
    expect(offsets.length).toBe(5000 * 10 + 4);
  });

  it('checks every argument, and writes nothing when one is wrong', () => {
    const bytes = Buffer.from('a,b\n');
    for (const scan of native === undefined ? [scanJs] : [native, scanJs]) {
      const out = new Int32Array(4).fill(-1);
      const bad: Array<[unknown[], ErrorConstructor]> = [
        [['a,b', 0, 3, 44, out], TypeError],
        [[bytes, -1, 3, 44, out], TypeError],
        [[bytes, 0.5, 3, 44, out], TypeError],
        [[bytes, 0, '3', 44, out], TypeError],
        [[bytes, 0, 3, undefined, out], TypeError],
        [[bytes, 0, 3, 44, new Uint32Array(4)], TypeError],
        [[bytes, 0, 3, 44, [0, 0]], TypeError],
        [[bytes, 0, 3, 256, out], RangeError],
        [[bytes, 3, 2, 44, out], RangeError],
        [[bytes, 0, 5, 44, out], RangeError],
        [[bytes, 0, 3, 44], TypeError],
      ];
      for (const [args, type] of bad) {
        expect(() => (scan as (...a: unknown[]) => number)(...args), JSON.stringify(args.slice(1, 4))).toThrow(type);
        expect([...out]).toEqual([-1, -1, -1, -1]);
      }
      expect(scan(bytes, 0, 4, 44, out)).toBe(2);
      expect(scan(bytes, 0, 4, 44, new Int32Array(0))).toBe(0);
      expect([...out.subarray(0, 2)]).toEqual([1, 3]);
    }
  });
});

describe('the loader', () => {
  const dir = tempDir();
  const right = `exports.scan = (b, from, end, d, out) => { let n = 0; for (let i = from; i < end; i++) { const c = b[i]; if (c === d || c === 34 || c === 13 || c === 10) { if (n === out.length) return n; out[n++] = i; } } return n; };`;

  it('uses a scan that indexes as scanJs does, and no other', () => {
    expect(scansRight(scanJs)).toBe(true);
    if (native !== undefined) expect(scansRight(native)).toBe(true);
    expect(loadNativeScan(dir.write('right.cjs', right))).toBeTypeOf('function');
    for (const [name, wrong] of [
      ['none.cjs', 'exports.many = () => undefined;'],
      ['no-cr.cjs', right.replace('c === 13 || ', '')],
      ['past-full.cjs', right.replace('if (n === out.length) return n; ', '')],
      ['from-zero.cjs', right.replace('let i = from', 'let i = 0')],
      ['count-off.cjs', right.replace('return n; };', 'return n + 1; };')],
      ['throws.cjs', 'exports.scan = () => { throw new Error("x"); };'],
    ]) {
      expect(loadNativeScan(dir.write(name!, wrong!)), name).toBeUndefined();
    }
    expect(loadNativeScan(dir.write('not-a-module.node', 'garbage'))).toBeUndefined();
  });

  it('finds the addon where the build puts it', () => {
    if (native !== undefined) expect(nativeAddonPath()).toMatch(/payout_sha256\.node$/);
  });
});

// ---------------------------------------------------------------------------------------------
// The index's walk against indexOf, step by step.

interface Trace {
  /** Per feed: from, the offset it returned, handOff, line after. */
  feeds: string[];
  records: string[];
  /** Per call of the `bytes` hook: count, then each field's start, end and doubled flag. */
  bytes: string[];
}

/**
 * Feeds `bytes` as the readers do (csv-windows.ts: pieces appended to a work buffer whose start
 * moves, a BOM skipped once), each piece ending at a cut, into a FastCsv with `scan` (null: indexOf).
 * `takeBytes`: which records (by count) the `bytes` hook takes (the others become strings).
 */
function trace(bytes: Buffer, cuts: number[], scan: CsvScan | null, indexSize: number | undefined, takeBytes: (n: number) => boolean, delimiter = ','): Trace {
  const t: Trace = { feeds: [], records: [], bytes: [] };
  let hooked = 0;
  const plan: ColumnPlan = {
    read: Uint8Array.of(1, 0, 1, 1, 0, 1),
    own: Uint8Array.of(1, 0, 0, 1, 0, 0),
    repeat: Uint8Array.of(0, 0, 1, 0, 0, 0),
    bytes: (record, count) => {
      const fields = Int32Array.from({ length: count }, (_, i) => i);
      const into = new Int32Array(3 * count);
      record.copyFields(fields, into, 0);
      const shift = (w as FeedWindows).buf === record.buffer ? 0 : -1;
      t.bytes.push(`${count}:${shift}:${[...into].join(',')}:${Buffer.from(record.buffer.subarray(into[0], into[1])).toString('latin1')}`);
      return takeBytes(hooked++);
    },
  };
  let planned = false;
  const fast = new FastCsv(delimiter, (fields, line) => void t.records.push(`${line}:${JSON.stringify(fields)}`), () => (planned ? plan : ((planned = true), undefined)), scan);
  if (indexSize !== undefined) fast.indexSize(indexSize);
  const w = new FeedWindows(64);
  const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b).filter((c) => c > 0 && c < bytes.length);
  bounds.push(bytes.length);
  let taken = 0;
  let bomChecked = false;
  for (const end of bounds) {
    const final = end === bytes.length;
    w.append(bytes, taken, end);
    taken = end;
    if (!bomChecked) {
      if (w.end < 3 && !final) continue;
      bomChecked = true;
      if (w.startsWithBom()) w.start = 3;
    }
    const from = w.start;
    w.start = fast.feed(w.buf, w.text(), from, w.end, final);
    t.feeds.push(`${from}->${w.start}${fast.handOff ? ' handOff' : ''} line ${fast.line}`);
    if (fast.handOff) break;
  }
  return t;
}

const token = fc.constantFrom('a', 'bc', 'Zoë', '€', ' ', ',', ',', ',', ';', '"', '"', '""', '\n', '\n', '\r\n', '\r', '\uFEFF', 'x'.repeat(70));
const content = fc.oneof(
  fc.array(token, { maxLength: 60 }).map((t) => t.join('')),
  // Rows of quoted and plain cells, as a writer makes them.
  fc
    .array(fc.array(fc.oneof(fc.constantFrom('A1', '', 'nationwide', 'é'), fc.array(token, { maxLength: 4 }).map((t) => `"${t.join('').replaceAll('"', '""')}"`)), { minLength: 1, maxLength: 6 }), { maxLength: 10 })
    .chain((rows) => fc.tuple(fc.constant(rows), fc.constantFrom('\n', '\r\n'), fc.boolean()))
    .map(([rows, eol, bom]) => (bom ? '\uFEFF' : '') + rows.map((r) => r.join(',')).join(eol)),
);

describe('FastCsv walking the index = FastCsv searching with indexOf', () => {
  it('returns the same at every feed, hands on the same records and lines, offers the same records to `bytes` (property)', () => {
    fc.assert(
      fc.property(content, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (text, cuts, size, seed) => {
        const bytes = Buffer.from(text, 'utf8');
        const take = (n: number) => ((seed >>> (n % 31)) & 1) === 1;
        const want = trace(bytes, cuts, null, undefined, take);
        expect(trace(bytes, cuts, INDEX_SCAN, undefined, take)).toEqual(want);
        expect(trace(bytes, cuts, INDEX_SCAN, size, take)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('also with a tab as the delimiter (property)', () => {
    fc.assert(
      fc.property(content, fc.array(fc.nat(), { maxLength: 5 }), (text, cuts) => {
        const bytes = Buffer.from(text.replaceAll(',', '\t'), 'utf8');
        expect(trace(bytes, cuts, INDEX_SCAN, 2, () => false, '\t')).toEqual(trace(bytes, cuts, null, undefined, () => false, '\t'));
      }),
      { numRuns: 500 },
    );
  });

  /** Both paths on `text` cut at `cuts`: the same trace, which is returned. */
  const both = (text: string | Buffer, cuts: number[]): Trace => {
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
    const want = trace(bytes, cuts, null, undefined, () => false);
    for (const size of [undefined, 1, 2, 5]) expect(trace(bytes, cuts, INDEX_SCAN, size, () => false), `index of ${size ?? 'default'}`).toEqual(want);
    return want;
  };

  it('at window edges: a record and a quoted field cut by the end of a window wait for the next', () => {
    expect(both('a,b\ncd,ef\n', [6]).feeds).toEqual(['0->4 line 2', '0->6 line 3']);
    expect(both('a,"b\nc",d\ne\n', [6]).feeds).toEqual(['0->0 line 1', '0->12 line 4']);
    // The closing quote last in the window: a doubled quote may follow.
    expect(both('a,"b"\n', [5]).feeds).toEqual(['0->0 line 1', '0->6 line 2']);
    expect(both('a,"b""c"\n', [5]).records).toEqual(['1:["a","b\\"c"]']);
  });

  it('at window edges: a CRLF split between two windows', () => {
    const t = both('a,b\r\nc,"d"\r\ne\r\n', [4, 11]);
    expect(t.feeds).toEqual(['0->0 line 1', '0->5 line 2', '0->10 line 4']);
    // After the header, the plan reads columns 0, 2, 3 and 5 only.
    expect(t.records).toEqual(['1:["a","b"]', '2:["c",""]', '3:["e"]']);
  });

  it('after a byte-order mark', () => {
    const t = both('\uFEFFid,"x"\n1,2', [2, 5]);
    expect(t.feeds).toEqual(['3->3 line 1', '0->10 line 3']);
    expect(t.records).toEqual(['1:["id","x"]', '2:["1",""]']);
  });

  it('leaves a quote left open at the end of the file to csv-parse, from its record', () => {
    expect(both('a,b\nc,"d\ne\n', [5]).feeds).toEqual(['0->4 line 2', '0->0 handOff line 2']);
    expect(both('a,b\nc,"d', []).feeds).toEqual(['0->4 handOff line 2']);
  });

  it('leaves a quote in a plain field or a lone CR to csv-parse, once a delimiter or line end shows it is not cut', () => {
    expect(both('a,b\nc"d', [6]).feeds).toEqual(['0->4 line 2', '0->0 handOff line 2']);
    expect(both('a,b\nc"d,e\n', [8]).feeds).toEqual(['0->4 handOff line 2']);
    expect(both('a,b\nc\rd', [6]).feeds).toEqual(['0->4 line 2', '0->0 handOff line 2']);
    expect(both('a,b\nc\r', []).feeds).toEqual(['0->4 handOff line 2']);
  });

  it('leaves a record longer than MAX_FAST_RECORD to csv-parse, a plain one or one long quoted field across windows', () => {
    const long = 'y'.repeat(MAX_FAST_RECORD + 5);
    expect(both(`a,b\n${long},c\nd\n`, [10, 30_000, 70_000]).feeds).toEqual(['0->4 line 2', '0->0 line 2', '0->0 line 2', '0->0 handOff line 2']);
    expect(both(`a,b\n"${long.replaceAll('yy', 'y\n')}"\nd\n`, [10, 50_000]).feeds).toEqual(['0->4 line 2', '0->0 line 2', '0->0 handOff line 2']);
    const fits = 'z'.repeat(MAX_FAST_RECORD - 10);
    const t = both(`a,b\n"${fits}",c\nd\n`, [9, 40_000]);
    expect(t.feeds).toEqual(['0->4 line 2', '0->0 line 2', `0->${fits.length + 7} line 4`]);
    expect(t.records.map((r) => r.length)).toEqual([11, fits.length + 9, 7]);
  });
});
