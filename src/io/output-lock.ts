/**
 * The claim of one run on its output folder: DIR/.payout.lock, created exclusively (O_EXCL) with
 * the process id inside, removed when the run ends. A second run into the same folder finds it
 * and stops before any work (exit 2), so two runs never write, or replace, each other's files. A
 * lock whose process is gone (a run killed with SIGKILL, a machine that went down) is stale: it is
 * replaced, the dead run's temporary files are removed (`NAME.payout-PID-TIME.tmp` of that PID:
 * pay makes its payment files under such names as it reads, so a killed pay run leaves many), and
 * the run goes on. Files moved aside (`….old`) are left then: they may be an earlier run's outputs
 * that the folder needs back; once a run has placed its own manifest.json they are not needed, and
 * those of dead processes are removed (removeAsideOfDeadRuns; pay's hold full account numbers).
 */
import { readFileSync, rmSync, unlinkSync } from 'node:fs';
import { link, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { onUnfinishedRun } from './run-cleanup.js';
import { leftBehind } from './run-tag.js';

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

/**
 * Removes the temporary files a run of process `pid` left in DIR (that run is gone: its lock was
 * stale and this process now holds the folder). Only files named by payout's temporary pattern
 * with that pid; what cannot be removed is left.
 */
async function removeTemporariesOf(dir: string, pid: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const left = leftBehind(name);
    const own = left !== undefined && left.kind === 'tmp' && left.pid === String(pid);
    if (own || name === `${LOCK_FILE}.${pid}.tmp`) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Removes the files that runs of processes now gone moved aside in DIR (`NAME.payout-PID-TIME.old`:
 * a run killed outright during its commit). Called once a run has placed its own manifest.json,
 * when DIR holds a complete run and they are not needed. A live process's are left (another
 * process holds no lock here, but a file may be its own, e.g. a single file such as tax's).
 */
export async function removeAsideOfDeadRuns(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const left = leftBehind(name);
    if (left === undefined || left.kind !== 'old' || left.pid.length > 10) continue;
    const pid = Number(left.pid);
    if (pid === process.pid || alive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

export class OutputLock {
  private constructor(
    readonly path: string,
    private readonly releaseNow: () => void,
  ) {}

  /**
   * Claims DIR for this process, or throws a UsageError naming the run that holds it. The lock is
   * written under a name of its own, then linked to .payout.lock (link fails if that exists): the
   * lock is never seen empty, and a signal at any point finds a cleanup that knows what to remove.
   */
  static async acquire(dir: string): Promise<OutputLock> {
    const path = join(dir, LOCK_FILE);
    const mine = `${process.pid}\n`;
    const temp = `${path}.${process.pid}.tmp`;
    const release = (): void => {
      rmSync(temp, { force: true });
      try {
        if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
      } catch {
        /* already gone */
      }
    };
    const dropCleanup = onUnfinishedRun(release);
    let dead: number | undefined;
    try {
      await writeFile(temp, mine, { flag: 'w', mode: 0o644 });
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await link(temp, path);
          if (dead !== undefined) await removeTemporariesOf(dir, dead);
          return new OutputLock(path, () => {
            dropCleanup();
            release();
          });
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
        dead = pid;
        await unlink(path).catch(() => undefined);
      }
      throw new UsageError(`${dir} is in use by another payout run: wait for it to end, or choose another --out folder`);
    } catch (err) {
      dropCleanup();
      throw err;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Removes the lock if it is still this process's. */
  releaseSync(): void {
    this.releaseNow();
  }
}
