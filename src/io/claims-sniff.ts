/**
 * The first line of a claims file, looked at before it is read: a spreadsheet's `sep=X` line
 * (Excel writes it to name the delimiter), and a header that holds no delimiter at all but a `;`,
 * tab or `|` between its names (a file exported with another delimiter than the one asked for).
 */
import { open } from 'node:fs/promises';

const PEEK_BYTES = 64 * 1024;
/** The delimiters a one-column header is checked for, in this order. */
const LIKELY_DELIMITERS = [';', '\t', '|'] as const;

export interface FirstLines {
  /** The delimiter a first line `sep=X` names (line 1 is then not the header). */
  sep?: string;
  /** The header's line number and text (the first line that is not empty, after any sep line). */
  header?: { line: number; text: string };
}

/** Reads the first 64 KiB of `file`; undefined when it cannot be read (the reading reports that). */
export async function sniffFirstLines(file: string): Promise<FirstLines | undefined> {
  let bytes: Buffer;
  try {
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
