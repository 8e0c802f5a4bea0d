/**
 * The claim of one run on its output folder: DIR/.payout.lock, created exclusively (O_EXCL) with
 * the process id inside, removed when the run ends. A second run into the same folder finds it
 * and stops before any work (exit 2), so two runs never write, or replace, each other's files. A
 * lock whose process is gone (a run killed with SIGKILL, a machine that went down) is stale: it is
 * replaced, and the run goes on.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { onUnfinishedRun } from './run-cleanup.js';

export const LOCK_FILE = '.payout.lock';

/** Whether process `pid` is running on this machine (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a lock file holds, or undefined when it holds none (being written, or not payout's). */
async function lockPid(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const m = /^(\d{1,10})\n?$/.exec(text.slice(0, 64));
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** The live process that holds the lock at `path`, or undefined (no lock, or a stale one). */
export async function lockHolder(path: string): Promise<number | undefined> {
  const pid = await lockPid(path);
  return pid !== undefined && alive(pid) ? pid : undefined;
}

export class OutputLock {
  private dropCleanup: () => void = () => undefined;

  private constructor(readonly path: string) {
    this.dropCleanup = onUnfinishedRun(() => this.releaseSync());
  }

  /** Claims DIR for this process, or throws a UsageError naming the run that holds it. */
  static async acquire(dir: string): Promise<OutputLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o644);
        try {
          await handle.writeFile(`${process.pid}\n`);
        } finally {
          await handle.close();
        }
        return new OutputLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = await lockPid(path);
      if (pid === undefined || alive(pid)) {
        const who = pid === undefined ? '' : ` (process ${pid})`;
        throw new UsageError(
          `${dir} is in use by another payout run${who}: wait for it to end, or choose another --out folder` +
            ` (if no payout run is going on, remove ${path})`,
        );
      }
      // Stale: its process is gone. Remove it and try once more (another run may win the race).
      await unlink(path).catch(() => undefined);
    }
    throw new UsageError(`${dir} is in use by another payout run: wait for it to end, or choose another --out folder`);
  }

  /** Removes the lock if it is still this process's. */
  releaseSync(): void {
    this.dropCleanup();
    try {
      if (readFileSync(this.path, 'utf8') === `${process.pid}\n`) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  async release(): Promise<void> {
    this.releaseSync();
  }
}
