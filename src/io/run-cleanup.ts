/**
 * What a run must undo if it ends before it finished: temporary files, folders it made, the lock
 * on its output folder. Each piece registers a synchronous cleanup here and drops it once it has
 * cleaned up (or committed) by itself. The cleanups left run when the process exits, and the
 * command line runs them on SIGINT/SIGTERM before it exits (cli/main.ts), so an interrupted run
 * leaves the folder as it was before the run.
 */
const cleanups = new Set<() => void>();
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
