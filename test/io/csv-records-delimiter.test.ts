/** CsvRecords with another delimiter than a comma (a bucket plan's claims file read with --delimiter or sep=). */
import { describe, expect, it } from 'vitest';
import { CsvRecords, CsvSyntaxError } from '../../src/io/csv-records.js';

function records(text: string, delimiter?: string): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  const r = new CsvRecords((fields, line) => out.push([line, fields]), delimiter);
  r.push(text);
  r.end();
  return out;
}

describe('CsvRecords with a delimiter', () => {
  it('splits on ; and keeps commas, quoted ; and line breaks inside fields', () => {
    expect(records('a;b;c\r\n1,5;"x;y";"two\nlines"\r\n', ';')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1,5', 'x;y', 'two\nlines']],
    ]);
    expect(records('a\tb\n"1\t2"\t3\n', '\t')).toEqual([
      [1, ['a', 'b']],
      [2, ['1\t2', '3']],
    ]);
  });

  it('a comma by default, as before', () => {
    expect(records('a;b,c\n')).toEqual([[1, ['a;b', 'c']]]);
  });

  it('names the delimiter when a closing quote is followed by something else', () => {
    expect(() => records('a;b\n"x",y\n', ';')).toThrow(new CsvSyntaxError('a closing quote must be followed by ";" or the end of the line', 2));
    expect(() => records('a,b\n"x";y\n')).toThrow('a closing quote must be followed by a comma or the end of the line');
  });
});
