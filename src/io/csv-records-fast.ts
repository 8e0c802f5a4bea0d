/**
 * A CSV file read record by record with the claims reader's fast tokenizer (csv-fast.ts): the file
 * is read in chunks of bytes, fed in windows each read once as Latin-1 text (csv-windows.ts), and
 * only the cells of the columns asked for become strings. It takes what that tokenizer takes (plain and quoted fields, LF or
 * CRLF line ends); at the first record that is anything else it stops and says so (`undefined`),
 * and the caller reads the whole file again with readCsvFile (csv-records.ts), the authority on
 * everything else. Blank lines are skipped, as readCsvFile skips them, and a UTF-8 byte-order mark.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { CHUNK_BYTES } from './claims-tokenizers.js';
import { FastCsv, fastPathSupports, type ColumnPlan } from './csv-fast.js';
import { FEED_BYTES, FeedWindows } from './csv-windows.js';
import type { FileDigest } from './file-hash.js';
import { localHash, type HashThread } from './hash-thread.js';

/**
 * Reads `file` and hands each record to `onRecord` (the array is reused: keep none of it). Cells
 * of a column `read(header)` marks 0 are handed on as "" (every cell is read until it names the columns). Returns the file's digest, or
 * undefined when a record needs the general reader (nothing can be said about the records handed
 * on so far then: start over; with `options.utf8`, also at bytes that are not UTF-8). `own(header)` marks the columns whose cells may be kept after the
 * record (each then a string of its own; the others may be slices of a chunk's text, which must
 * not outlive the record); without it, every cell read is its own. A file-system error is thrown as it came; an error thrown by
 * `onRecord` passes through. `options.hashes`: where the file's bytes are hashed (on a worker
 * thread when the file is large, hash-thread.ts); by default on this thread. `options.bytes`: takes
 * each record after the header from its bytes first (ColumnPlan.bytes); the records it declines are
 * handed to `onRecord`.
 */
export async function readCsvFileFast(
  file: string,
  delimiter: string,
  onRecord: (fields: string[], line: number) => void,
  read: (header: string[]) => Uint8Array | undefined = () => undefined,
  own?: (header: string[]) => Uint8Array,
  options: { utf8?: boolean; hashes?: HashThread; bytes?: ColumnPlan['bytes'] } = {},
): Promise<FileDigest | undefined> {
  if (!fastPathSupports(delimiter)) return undefined;
  let finished = false;
  let bytes = 0;
  let hasCR = false;
  // Which columns are read: every one until `read` names them, asked after each record until it does
  // (after the header, or after a line before it such as a spreadsheet's `sep=X`).
  let plan: ColumnPlan | undefined;
  const fast: FastCsv = new FastCsv(
    delimiter,
    (fields, line) => {
      // An empty line is one empty field, not quoted (`""` is a record): readCsvFile skips it.
      if (fields.length === 1 && fast.fieldStart(0) === fast.fieldEnd(0) && w.buf[fast.fieldStart(0) - 1] !== 0x22) return;
      if (plan === undefined) {
        onRecord(fields, line);
        const columns = read(fields);
        // Cells kept past the record (in messages, say) must be strings of their own (`own`): others
        // may be slices of the chunk's text. Without `own`, every cell read is one.
        if (columns !== undefined) plan = { read: columns, own: own?.(fields) ?? columns, ...(options.bytes !== undefined ? { bytes: options.bytes } : {}) };
        return;
      }
      onRecord(fields, line);
    },
    () => plan,
  );
  // The file is read CHUNK_BYTES at a time into one buffer, and fed in windows of FEED_BYTES
  // (csv-windows.ts): each window's Latin-1 text is a young-generation string, not a ~900 KiB one
  // mapped fresh for every chunk.
  const w = new FeedWindows(FEED_BYTES * 2);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const handle = await open(file, 'r');
  let hash = localHash();
  try {
    if (options.hashes !== undefined) hash = options.hashes.hash((await handle.stat()).size);
    let first = true;
    reading: for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      const done = bytesRead === 0;
      if (!done) {
        const read = chunk.subarray(0, bytesRead);
        hash.update(read);
        bytes += bytesRead;
        if (!hasCR && read.includes(0x0d)) hasCR = true;
      }
      // The chunk in windows (at the end of the file, one pass with no new bytes).
      for (let taken = 0; done || taken < bytesRead; ) {
        if (!done) {
          const to = Math.min(bytesRead, taken + FEED_BYTES);
          w.append(chunk, taken, to);
          taken = to;
        }
        if (first) {
          if (w.end < 3 && !done) continue;
          first = false;
          if (w.startsWithBom()) w.start = 3;
        }
        const from = w.start;
        w.start = fast.feed(w.buf, w.text(), from, w.end, done);
        if (fast.handOff) return undefined;
        // Whole records (no character cut): bytes that are not UTF-8 among them end the fast path.
        if (options.utf8 === true && !isUtf8(w.buf.subarray(from, w.start))) return undefined;
        if (done) break reading;
      }
    }
    finished = true;
  } finally {
    if (!finished) hash.drop();
    await handle.close();
  }
  return { sha256: await hash.digest(), bytes, hasCR };
}
