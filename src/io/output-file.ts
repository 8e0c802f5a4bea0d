/**
 * One output file of a run (atomic-output.ts, OutputSet.create): written to its temporary name,
 * buffered and hashed on the way out; and how a failed write is worded.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';

export interface WrittenFile {
  name: string;
  sha256: string;
  bytes: number;
}

/** One output file being written: buffered writes, hashed on the way out. */
export class OutputFile {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  private size = 0;
  private failure: Error | undefined;

  constructor(
    readonly name: string,
    readonly tempPath: string,
    /** The SHA-256 of the bytes to be written, when they were hashed as they were made: not hashed again. */
    private readonly sha256?: string,
  ) {
    // Several large chunks in flight: the next chunk is made while the last one is written.
    this.stream = createWriteStream(tempPath, { flags: 'wx', highWaterMark: 1 << 22 });
    this.stream.on('error', (err) => {
      this.failure ??= writeError(join(dirname(tempPath), name), err);
    });
  }

  /** Queues text; flushes in large chunks (one syscall per ~1 MiB, not per row). */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  /**
   * Writes bytes as they are, after any queued text (a large chunk: hashed, then one write).
   * `whileWaiting`, when given, is called while the disk catches up, between turns of the event
   * loop, until it returns false (no work left) or the write has drained.
   */
  async writeBytes(bytes: Uint8Array, whileWaiting?: () => boolean): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    if (this.sha256 === undefined) this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) {
      let drained = false;
      const drain = once(this.stream, 'drain').then(
        () => {
          drained = true;
        },
        () => {
          drained = true; // an error: this.failure
        },
      );
      if (whileWaiting) while (!drained && this.failure === undefined && whileWaiting()) await nextTurn();
      await drain;
    }
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    if (this.sha256 !== undefined) throw new Error(`${this.name}: text written to a file whose bytes were hashed ahead`);
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(chunk);
    this.size += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain').catch(() => undefined); // an error: this.failure
    if (this.failure) throw this.failure;
  }

  /** Resolves once the temporary file is open; rejects with the error of opening it (EACCES…). */
  async opened(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.pending) await once(this.stream, 'open');
  }

  async close(): Promise<WrittenFile> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'close').catch(() => undefined);
    if (this.failure) throw this.failure;
    return { name: this.name, sha256: this.sha256 ?? this.hash.digest('hex'), bytes: this.size };
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** Resolves after the event loop has had a turn (I/O callbacks and messages run first). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Why a write failed, in words, for the errors a disk gives. */
export const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'larger than the file size limit',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
};

/**
 * A failed write, naming the output file (a bare "ENOSPC: no space left on device, write" did
 * not say which file, nor that nothing was written). Exit 2, as for a file that cannot be read.
 */
export function writeError(path: string, err: NodeJS.ErrnoException): UsageError & { code: string } {
  const code = err.code ?? 'error';
  const why = WRITE_ERRORS[code] ?? err.message;
  // The code stays on the error: a writer that words its own message (--errors-out) reads it.
  return Object.assign(new UsageError(`${path}: cannot write (${code}: ${why}); nothing was written and the folder is as it was`), { code });
}
