/**
 * What a run must undo if it ends before it finished: temporary files, folders it made, the lock
 * on its output folder. Each piece registers a synchronous cleanup here and drops it once it has
 * cleaned up (or committed) by itself. The cleanups left run when the process exits, and the
 * command line runs them on SIGINT/SIGTERM before it exits (cli/main.ts), so an interrupted run
 * leaves the folder as it was before the run.
 */
const cleanups = new Set<() => void>();
const settlers = new Set<() => Promise<string | undefined>>();
let hooked = false;

/** Registers `cleanup` (synchronous: it may run in an exit handler); returns the function that drops it. */
export function onUnfinishedRun(cleanup: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', runCleanups);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Runs every cleanup still registered, the latest first; one that fails does not stop the others. */
export function runCleanups(): void {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const cleanup of pending) {
    try {
      cleanup();
    } catch {
      /* best effort: the process is ending */
    }
  }
}

/**
 * Registers work to finish before the cleanups run on SIGINT/SIGTERM: a commit under way (its
 * renames run on other threads and cannot be called back) stops at its next step, waits for the
 * renames in flight and rolls back. `settle` resolves with what the line printed on the signal
 * should say instead of "nothing was written; earlier outputs are as they were", when that is not
 * true. Returns the function that drops it.
 */
export function onInterrupt(settle: () => Promise<string | undefined>): () => void {
  settlers.add(settle);
  return () => {
    settlers.delete(settle);
  };
}

/** Lets every registered settle finish (SIGINT/SIGTERM, before runCleanups); returns what they say. */
export async function settleForInterrupt(): Promise<string[]> {
  const notes = await Promise.all([...settlers].map((settle) => settle().catch((err: unknown) => String(err))));
  settlers.clear();
  return notes.filter((n): n is string => n !== undefined);
}

let warn: (message: string) => void = (message) => process.emitWarning(message);

/** Where a committed run's warnings go (an earlier run's file that could not be removed): the command line prints them. */
export function setCommitWarnings(to: (message: string) => void): void {
  warn = to;
}

/** A warning of a run that is committed all the same. */
export function commitWarning(message: string): void {
  warn(message);
}
