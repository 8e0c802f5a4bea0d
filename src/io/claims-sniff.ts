/**
 * The first line of a claims file, looked at before it is read: a spreadsheet's `sep=X` line
 * (Excel writes it to name the delimiter), and a header that holds no delimiter at all but a `;`,
 * tab or `|` between its names (a file exported with another delimiter than the one asked for).
 */
import { open, stat } from 'node:fs/promises';

const PEEK_BYTES = 64 * 1024;
/** The delimiters a one-column header is checked for, in this order. */
const LIKELY_DELIMITERS = [';', '\t', '|'] as const;

export interface FirstLines {
  /** The delimiter a first line `sep=X` names (line 1 is then not the header). */
  sep?: string;
  /** The header's line number and text (the first line that is not empty, after any sep line). */
  header?: { line: number; text: string };
}

/**
 * Reads the first 64 KiB of `file`; undefined when it cannot be read (the reading reports that) or
 * is not a regular file: a pipe or FIFO can be read only once, and what a look took would be lost
 * to the reading (a `sep=` line there is then read as the header).
 */
export async function sniffFirstLines(file: string): Promise<FirstLines | undefined> {
  let bytes: Buffer;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(PEEK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  let text = bytes.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split('\n');
  // The last piece may be cut off by the 64 KiB: only whole lines are looked at.
  if (bytes.length === PEEK_BYTES) lines.pop();
  const out: FirstLines = {};
  let i = 0;
  const sep = /^sep=(.)\r?$/i.exec(lines[0] ?? '');
  if (sep !== null) {
    out.sep = sep[1] as string;
    i = 1;
  }
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    out.header = { line: i + 1, text: line };
    break;
  }
  return out;
}

/**
 * The delimiter a header read with `delimiter` seems to use instead: when the header holds no
 * `delimiter` at all (one column) but a `;`, tab or `|`. Undefined when it looks right.
 */
export function likelyDelimiter(header: string, delimiter: string): string | undefined {
  if (header.includes(delimiter)) return undefined;
  return LIKELY_DELIMITERS.find((d) => d !== delimiter && header.includes(d));
}

/** How a delimiter is written on the command line. */
export function delimiterFlag(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}

/**
 * The delimiter a claims file is read with (every plan form): `--delimiter` when it names another
 * than the default ',', else the one a first line `sep=X` names, else ','.
 */
export function readingDelimiter(first: FirstLines | undefined, given: string | undefined): string {
  const delimiter = given ?? ',';
  return first?.sep !== undefined && delimiter === ',' ? first.sep : delimiter;
}

/**
 * A header with one column and a `;` (tab, `|`) between its names cannot be read with `delimiter`:
 * the line and the message that says which --delimiter to add, once; undefined when it looks right.
 */
export function wrongDelimiter(first: FirstLines | undefined, delimiter: string): { line: number; message: string } | undefined {
  if (first?.header === undefined) return undefined;
  const found = likelyDelimiter(first.header.text, delimiter);
  if (found === undefined) return undefined;
  const shown = found === '\t' ? 'tab' : found;
  return {
    line: first.header.line,
    message: `the header has one column and looks ${shown === 'tab' ? 'tab' : `"${shown}"`}-separated: add --delimiter ${delimiterFlag(found)} (or a first line sep=${shown === 'tab' ? '<tab>' : shown})`,
  };
}
