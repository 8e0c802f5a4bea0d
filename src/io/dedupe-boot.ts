/**
 * The duplicate-check worker's thread (dedupe-worker.ts), booted: ahead of the reading when a
 * command starts it early (early-workers.ts), else when DuplicateChecks.start asks for it.
 */
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface BootedWorker {
  worker: Worker;
  /** An error the worker met before a DuplicateChecks took it over. */
  failed: () => Error | undefined;
}

/** The worker started ahead by `startDuplicateCheckWorker`, until `DuplicateChecks.start` takes it. */
let early: Promise<BootedWorker | undefined> | undefined;

/** A worker thread that is online, or undefined (no compiled worker: the TypeScript sources; or it could not start). */
async function bootWorker(): Promise<BootedWorker | undefined> {
  const url = new URL('./dedupe-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  try {
    const worker = new Worker(url);
    let failure: Error | undefined;
    worker.on('error', (err) => {
      failure ??= err;
    });
    try {
      // Ref'd until online: a boot awaited with nothing else pending must not end the process
      // (\`validate\` on 1M claims exited 2, "stopped before it finished", about 1 run in 20).
      await Promise.race([once(worker, 'online'), once(worker, 'error').then(([err]) => Promise.reject(err as Error))]);
    } finally {
      worker.unref();
    }
    return { worker, failed: () => failure };
  } catch {
    return undefined; // no thread: the checks run on the reading thread
  }
}

/**
 * Starts the worker ahead of the reading (see early-workers.ts): it boots on the other core while
 * the command loads and reads the plan, instead of keeping the reader waiting ~40 ms.
 */
export function startDuplicateCheckWorker(): void {
  early ??= bootWorker();
}

/**
 * The worker started ahead, or one booted now; undefined when there is no thread (the checks run
 * on the reading thread). The early one is handed out once.
 */
export function takeDuplicateCheckWorker(): Promise<BootedWorker | undefined> {
  const booted = early ?? bootWorker();
  early = undefined;
  return booted;
}
