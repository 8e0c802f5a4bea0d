/**
 * SHA-256 of what is on disk and of what would be written, for `payout verify`: a file is hashed
 * as a stream (a ledger of a million rows is never held whole), and expected text is hashed chunk
 * by chunk as the ledger writer would write it, without touching the disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UsageError } from '../core/errors.js';

export interface FileDigest {
  sha256: string;
  bytes: number;
  /** Whether the file holds a carriage return (payout writes LF only: CRLF means it was re-saved). */
  hasCR: boolean;
}

/** Hashes a file; a missing or unreadable file is a UsageError naming it (exit 2). */
export async function hashFile(file: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  let hasCR = false;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!hasCR && chunk.includes(0x0d)) hasCR = true;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: not found` : `${file}: cannot read (${e.code ?? e.message})`);
  }
  return { sha256: hash.digest('hex'), bytes, hasCR };
}

/** SHA-256 and byte length of text given in chunks, encoded as UTF-8, as the output writer would. */
export function hashChunks(chunks: Iterable<string>): { sha256: string; bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const chunk of chunks) {
    const buf = Buffer.from(chunk, 'utf8');
    hash.update(buf);
    bytes += buf.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** SHA-256 and byte length of bytes given in chunks (the ledger as ledgerBlocks makes it). */
export async function hashByteStream(chunks: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
