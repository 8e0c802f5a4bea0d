import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INVALID_UTF8_EXAMPLES, InvalidUtf8Tally, Utf8LineChecker, countLineFeeds, guessEncoding, hasUtf16Bom, type InvalidUtf8 } from '../../src/io/csv-utf8.js';

function check(chunks: Uint8Array[]): InvalidUtf8[] {
  const found: InvalidUtf8[] = [];
  const checker = new Utf8LineChecker((bad) => found.push(bad));
  for (const c of chunks) checker.push(c);
  checker.end();
  return found;
}

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('Utf8LineChecker', () => {
  it('accepts valid UTF-8 of every length', () => {
    expect(check([bytes('a,é,€,𝄞\r\nZoë\n')])).toEqual([]);
  });

  it('reports each line holding invalid bytes once, with its first bad byte', () => {
    const data = bytes('ok\nRen', [0xe9], 'e ', [0xe9], '\nfine\n', [0xc0, 0xaf], '\n', [0xed, 0xa0, 0x80], '\n', [0xf4, 0x90, 0x80, 0x80], '\n');
    expect(check([data])).toEqual([
      { line: 2, byte: 0xe9 },
      { line: 4, byte: 0xc0 }, // overlong "/"
      { line: 5, byte: 0xed }, // a UTF-16 surrogate
      { line: 6, byte: 0xf4 }, // above U+10FFFF
    ]);
  });

  it('says when line 1 begins with a UTF-16 byte-order mark, however the chunks cut it', () => {
    const utf16 = Buffer.from('\uFEFFclaim_id\n', 'utf16le');
    const first = { line: 1, byte: 0xff, utf16: true };
    expect(check([utf16])[0]).toEqual(first);
    expect(check([utf16.subarray(0, 1), utf16.subarray(1)])[0]).toEqual(first);
    expect(check([new Uint8Array(0), utf16.subarray(0, 1), new Uint8Array(0), utf16.subarray(1)])[0]).toEqual(first);
    expect(check([Buffer.from([0xfe, 0xff, 0, 0x61])])).toEqual([{ line: 1, byte: 0xfe, utf16: true }]);
    // not at the start of the file, or only one of its bytes: invalid UTF-8 like any other
    expect(check([bytes('a', [0xff, 0xfe])])).toEqual([{ line: 1, byte: 0xff }]);
    expect(check([bytes([0xff], 'a')])).toEqual([{ line: 1, byte: 0xff }]);
  });

  it('reports a character cut short by the end of the file', () => {
    expect(check([bytes('a\nb', [0xe2, 0x82])])).toEqual([{ line: 2, byte: 0xe2 }]);
  });

  it('gives the same answer however the bytes are split into chunks (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', '\n', '\r\n', 'é', '€', '𝄞', ',').map((s) => [...Buffer.from(s)]),
      fc.constantFrom([0xe9], [0xff], [0xfe], [0xff, 0xfe], [0xc3], [0xe2, 0x82], [0xf0, 0x9d, 0x84]),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (pieces, cuts) => {
        const data = Buffer.from(pieces.flat());
        const whole = check([data]);
        const points = [...new Set(cuts.map((c) => (data.length === 0 ? 0 : c % data.length)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const p of points) {
          chunks.push(data.subarray(from, p));
          from = p;
        }
        chunks.push(data.subarray(from));
        expect(check(chunks)).toEqual(whole);
        // …and agrees with the platform's own decoder on whether the bytes are UTF-8 at all.
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(data);
        } catch {
          valid = false;
        }
        expect(whole.length === 0).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });
});

describe('helpers', () => {
  it('counts line feeds', () => {
    expect(countLineFeeds(Buffer.from('a\r\nb\nc'))).toBe(2);
    expect(countLineFeeds(new Uint8Array([10, 10, 65]))).toBe(2);
  });

  it('recognises a UTF-16 byte-order mark', () => {
    expect(hasUtf16Bom(Buffer.from([0xff, 0xfe, 0x61, 0]))).toBe(true);
    expect(hasUtf16Bom(Buffer.from([0xfe, 0xff, 0, 0x61]))).toBe(true);
    expect(hasUtf16Bom(Buffer.from('\uFEFFa'))).toBe(false);
  });
});

describe('the invalid-UTF-8 rule', () => {
  it('guesses Windows-1252 only when every bad byte is a Windows-1252 character', () => {
    expect(guessEncoding(new Set([0xe9, 0x92]))).toMatch(/^Windows-1252/);
    expect(guessEncoding(new Set([0xe9, 0x81]))).toBeUndefined();
    expect(guessEncoding(new Set())).toBeUndefined();
  });

  it('keeps the first 3 lines as examples and counts them all', () => {
    const tally = new InvalidUtf8Tally();
    const examples = Array.from({ length: 8048 }, () => tally.add(0xe9)).filter(Boolean).length;
    expect(examples).toBe(INVALID_UTF8_EXAMPLES);
    expect(tally.message()).toBe(
      `the file is not UTF-8: 8,048 lines hold bytes that are not UTF-8 (the first 3 are listed; their rows are left out); it looks like Windows-1252 (Excel's "CSV" on Windows): re-export it as "CSV UTF-8"`,
    );
    expect(new InvalidUtf8Tally().message()).toBeUndefined();
  });
});
