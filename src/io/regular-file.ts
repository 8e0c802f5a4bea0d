/**
 * Input files that must be regular files. A ledger.csv or summary.json symlinked to /dev/zero
 * never ends, a FIFO may never be written: they are refused with a clear message before they are
 * opened. (The claims file may be a FIFO or stdin: its reader does not come here.)
 */
import { stat } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

/** What a non-regular file is, for the message. */
function kindOf(s: import('node:fs').Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws a UsageError unless `file` (after symbolic links) is a regular file. */
export async function regularFile(file: string, missing?: (file: string) => UsageError): Promise<void> {
  let s;
  try {
    s = await stat(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if ((e.code === 'ENOENT' || e.code === 'ENOTDIR') && missing) throw missing(file);
    if (e.code === 'ENOENT') throw new UsageError(`${file}: not found`);
    throw new UsageError(`${file}: cannot read (${e.code ?? e.message})`);
  }
  if (!s.isFile()) throw new UsageError(`${file}: ${kindOf(s)}, not a regular file; payout reads it only from a regular file`);
}
