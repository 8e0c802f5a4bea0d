/**
 * Output files that cannot be half-written (SPEC section 5). Every file of a run is written to a
 * temporary name in the output folder and hashed as it is written; only when all of them are
 * complete are they renamed into place. A run that fails (bad input, a write error, an exception)
 * removes its temporary files and leaves the folder as it was. An existing output is replaced only
 * with --force. Every file payout writes goes this way: an output folder (write-outputs.ts), the
 * report (report-html.ts) and validate's --errors-out (errors-csv.ts).
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, lstat, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
  ) {
    // Several large chunks in flight: the next chunk is made while the last one is written.
    this.stream = createWriteStream(tempPath, { flags: 'wx', highWaterMark: 1 << 22 });
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Queues text; flushes in large chunks (one syscall per ~1 MiB, not per row). */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  /** Writes bytes as they are, after any queued text (a large chunk: hashed, then one write). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(chunk);
    this.size += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
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
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
    return { name: this.name, sha256: this.hash.digest('hex'), bytes: this.size };
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** The set of files one run writes into DIR, committed together or not at all. */
export class OutputSet {
  private readonly files: OutputFile[] = [];
  private readonly tag = `.payout-${process.pid}-${Date.now().toString(36)}`;

  private constructor(
    readonly dir: string,
    /** Whether this run made DIR; a failed run then removes it again (if still empty). */
    private readonly madeDir: boolean,
  ) {}

  /**
   * Makes DIR if needed and refuses to go on when any of `names` is already there and `force` is
   * not set, before any work is done. `makeDir: false`: a DIR that is not there is an error
   * (ENOENT, for the caller to word).
   */
  static async open(dir: string, names: string[], force: boolean, opts: { makeDir?: boolean } = {}): Promise<OutputSet> {
    let madeDir = false;
    try {
      const s = await stat(dir);
      if (!s.isDirectory()) throw new UsageError(`${dir}: exists and is not a folder`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || opts.makeDir === false) throw err;
      await mkdir(dir, { recursive: true });
      madeDir = true;
    }
    if (!force) {
      const present: string[] = [];
      for (const n of names) {
        try {
          await access(join(dir, n));
          present.push(n);
        } catch {
          /* absent: good */
        }
      }
      if (present.length > 0) {
        throw new UsageError(`${dir} already holds ${present.join(', ')}: use --force to replace, or choose another --out folder`);
      }
    }
    return new OutputSet(dir, madeDir);
  }

  create(name: string): OutputFile {
    const f = new OutputFile(name, join(this.dir, `${name}${this.tag}.tmp`));
    this.files.push(f);
    return f;
  }

  /**
   * Renames every finished file into place, all or none: the files of an earlier run (--force) are
   * moved aside first and put back if a rename fails, so the folder never mixes two runs.
   */
  async commit(): Promise<void> {
    const moved: { target: string; aside: string }[] = [];
    const placed: string[] = [];
    try {
      for (const f of this.files) {
        const target = join(this.dir, f.name);
        const s = await lstat(target).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (s === undefined) continue;
        if (!s.isFile()) throw new UsageError(`${target}: exists and is not a file; nothing was written`);
        moved.push({ target, aside: `${target}${this.tag}.old` });
      }
      for (const m of moved) await rename(m.target, m.aside);
      for (const f of this.files) {
        await rename(f.tempPath, join(this.dir, f.name));
        placed.push(join(this.dir, f.name));
      }
    } catch (err) {
      for (const p of placed) await rm(p, { force: true });
      for (const m of moved) await rename(m.aside, m.target).catch(() => undefined);
      throw err;
    }
    for (const m of moved) await rm(m.aside, { force: true });
    this.files.length = 0;
  }

  /** Removes every temporary file; the folder keeps whatever it held before the run. */
  async abort(): Promise<void> {
    for (const f of this.files) {
      f.destroy();
      await rm(f.tempPath, { force: true });
    }
    this.files.length = 0;
    if (this.madeDir) await rmdir(this.dir).catch(() => undefined);
  }
}
