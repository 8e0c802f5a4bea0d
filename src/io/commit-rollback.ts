/**
 * How a commit (atomic-output.ts, OutputSet.commit) that fails or is interrupted is undone and
 * told: the rollback, the message naming the file, the warnings of a run committed all the same.
 */
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../core/errors.js';
import { MANIFEST_FILE } from '../core/manifest.js';
import { WRITE_ERRORS } from './output-file.js';


/** Waits for every one of `work` (already under way), then throws the first failure, if any: none is left running. */
export async function allOf<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

export interface CommitState {
  moved: { target: string; aside: string }[];
  placed: string[];
}

/** The manifest of an output folder (exactly that name: `tax --out x-manifest.json` is not one). */
export const isManifest = (path: string): boolean => basename(path) === MANIFEST_FILE;

/** A commit stopped by SIGINT/SIGTERM (onInterrupt). */
export const INTERRUPTED = new Error('interrupted');

/** A rename (or the look at a target) that failed during a commit: the output file it was for. */
export class RenameFailure extends Error {
  constructor(
    readonly target: string,
    readonly errno: NodeJS.ErrnoException,
  ) {
    super(errno.message);
  }
}

/** Why a rename failed, in words (the raw message names a temporary file). */
const RENAME_ERRORS: Record<string, string> = {
  ...WRITE_ERRORS,
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBUSY: 'the file is in use',
  ETXTBSY: 'the file is in use',
  EXDEV: 'not on the same file system',
  ENOENT: 'the file is gone',
  EISDIR: 'a folder is in the way',
  ENOTEMPTY: 'a folder is in the way',
};

function errnoWords(err: NodeJS.ErrnoException): string {
  const code = err.code ?? 'error';
  return `${code}: ${RENAME_ERRORS[code] ?? 'cannot rename'}`;
}

/**
 * Undoes a commit cut short, after every rename in flight has settled: the new files placed are
 * removed, the earlier run's files put back, its manifest.json last and only when every other file
 * is back (otherwise it stays aside, and the folder reads as an incomplete run, never as a complete
 * one). Returns what could not be undone, one phrase per file.
 */
export async function rollBack(state: CommitState): Promise<string[]> {
  const left: string[] = [];
  await allOf(
    state.placed.map((p) =>
      rm(p, { force: true }).catch((err: NodeJS.ErrnoException) => {
        left.push(`${p} of this run could not be removed (${errnoWords(err)})`);
      }),
    ),
  );
  const putBack = (m: { target: string; aside: string }): Promise<void> =>
    rename(m.aside, m.target).catch((err: NodeJS.ErrnoException) => {
      left.push(`${m.target} is at ${m.aside} (${errnoWords(err)})`);
    });
  await allOf(state.moved.filter((m) => !isManifest(m.target)).map(putBack));
  for (const m of state.moved.filter((m) => isManifest(m.target))) {
    if (left.length > 0) left.push(`${m.target} is at ${m.aside} (kept aside while the others are not back)`);
    else await putBack(m);
  }
  state.moved.length = 0;
  state.placed.length = 0;
  return left;
}

/** The error a failed commit ends with: one message naming the file, and what the folder holds now. */
export function commitError(err: unknown, left: string[]): unknown {
  const fix = left.length === 0 ? '' : `; the earlier run could not be put back in full: ${left.join('; ')}: rename these back by hand`;
  if (err instanceof RenameFailure) {
    const folder = left.length === 0 ? '; nothing was written and the folder is as it was' : '';
    return Object.assign(new UsageError(`${err.target}: cannot replace (${errnoWords(err.errno)})${folder}${fix}`), { code: err.errno.code });
  }
  if (left.length === 0) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new UsageError(`${why}${fix}`);
}
