/**
 * Output files that cannot be half-written (docs/spec.md §5). Every file of a run is written to a
 * temporary name in the output folder and hashed as it is written; only when all of them are
 * complete are they renamed into place. A run that fails (bad input, a write error, an exception)
 * removes its temporary files and leaves the folder as it was. An existing output is replaced only
 * with --force. Every file payout writes goes this way: an output folder (write-outputs.ts), the
 * report (report-html.ts) and validate's --errors-out (errors-csv.ts). One file's writing is in
 * output-file.ts; how a commit that fails or is interrupted is undone, in commit-rollback.ts.
 */
import { lstatSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { access, lstat, mkdir, readlink, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { allOf, type CommitState, commitError, INTERRUPTED, isManifest, RenameFailure, rollBack } from './commit-rollback.js';
import { OutputFile, type WrittenFile } from './output-file.js';
import { OutputLock, removeAsideOfDeadRuns } from './output-lock.js';
import { commitWarning, onInterrupt, onUnfinishedRun } from './run-cleanup.js';
import { runTag } from './run-tag.js';

export { setCommitWarnings } from './run-cleanup.js';
export { nextTurn, OutputFile, writeError, type WrittenFile } from './output-file.js';

/** A file of the set waiting to be renamed into place: written here (OutputFile) or elsewhere (OutputSet.adopt). */
interface StagedFile {
  readonly name: string;
  readonly tempPath: string;
  destroy(): void;
}

/**
 * Where another thread writes a run's files as it makes them (OutputSet.stage): the file NAME at
 * `join(dir, NAME + suffix)`, a temporary name of this run.
 */
export interface Stage {
  dir: string;
  suffix: string;
}

/** The set of files one run writes into DIR, committed together or not at all. */
export class OutputSet {
  private readonly files: StagedFile[] = [];
  /** Files of an earlier run that this run replaces without writing them again (`retire`). */
  private readonly retired: string[] = [];
  private readonly tag = runTag();
  /** Whether stage() was called: files may be under this run's temporary names that the set did not create. */
  private staged = false;
  /** During a commit: the earlier run's files moved aside, and the new files already placed. */
  private committing: CommitState | undefined;
  private readonly dropCleanup: () => void;

  private constructor(
    readonly dir: string,
    /** The folders this run made (DIR and any missing parents, deepest first): a failed run removes them again. */
    private readonly madeDirs: string[],
    private readonly lock: OutputLock | undefined,
    private readonly force: boolean,
  ) {
    // SIGINT, SIGTERM or an exit before the end: the folder is left as it was before the run.
    this.dropCleanup = onUnfinishedRun(() => this.abortSync());
  }

  /**
   * Makes DIR if needed, claims it for this run (DIR/.payout.lock: a second run into DIR stops
   * here) and refuses to go on when any of `names` is already there and `force` is not set,
   * before any work is done. `makeDir: false`: a DIR that is not there is an error (ENOENT, for
   * the caller to word). `lock: false`: a single file into a folder that is not an output folder
   * (validate's --errors-out), which is not claimed.
   */
  static async open(dir: string, names: string[], force: boolean, opts: { makeDir?: boolean; lock?: boolean } = {}): Promise<OutputSet> {
    if (opts.makeDir === false) {
      const s = await stat(dir);
      if (!s.isDirectory()) throw new UsageError(`${dir}: exists and is not a folder`);
    }
    const madeDirs = opts.makeDir === false ? [] : await makeOutputDir(dir);
    const dropDirs = onUnfinishedRun(() => removeDirsSync(madeDirs)); // until the set takes them over
    let lock: OutputLock | undefined;
    try {
      if (opts.lock !== false) lock = await OutputLock.acquire(dir);
    } catch (err) {
      removeDirsSync(madeDirs);
      throw err;
    } finally {
      dropDirs();
    }
    const set = new OutputSet(dir, madeDirs, lock, force);
    if (!force) {
      try {
        await set.refuseExisting(names);
      } catch (err) {
        await set.abort();
        throw err;
      }
    }
    return set;
  }

  /** Throws when any of `names` is in DIR (an output of an earlier run, kept without --force). */
  private async refuseExisting(names: string[]): Promise<void> {
    // All looked at at once (a pay run names ~117 files); absent is good.
    const here = await Promise.all(names.map((n) => access(join(this.dir, n)).then(() => true, () => false)));
    const present = names.filter((_, i) => here[i]);
    if (present.length > 0) {
      throw new UsageError(`${this.dir} already holds ${present.join(', ')}: use --force to replace, or choose another --out folder`);
    }
  }

  /** A file to write; `sha256`: its bytes' hash, known ahead (OutputFile). */
  create(name: string, sha256?: string): OutputFile {
    const f = new OutputFile(name, join(this.dir, `${name}${this.tag}.tmp`), sha256);
    this.files.push(f);
    return f;
  }

  /**
   * Where files of this run may be written by another thread as they are made (pay's files'
   * worker): under this run's temporary names, which the set removes (every file under them,
   * adopted or not) when the run fails or ends, and renames only once adopted and committed.
   */
  stage(): Stage {
    this.staged = true;
    return { dir: this.dir, suffix: `${this.tag}.tmp` };
  }

  /**
   * A file written complete at its staged name (stage()) by another thread, to be committed with
   * the others: its SHA-256 as that thread hashed it, and its size, checked against the file.
   */
  adopt(name: string, sha256: string, bytes: number): WrittenFile {
    const tempPath = join(this.dir, `${name}${this.tag}.tmp`);
    const size = lstatSync(tempPath, { throwIfNoEntry: false })?.size;
    if (size !== bytes) throw new Error(`${name}: ${size === undefined ? 'not written' : `${size} bytes written`} where ${bytes} were made`);
    this.files.push({ name, tempPath, destroy: () => undefined });
    return { name, sha256, bytes };
  }

  /** Removes every file under this run's temporary names (written by another thread and not adopted, or left by a failure). */
  private sweepSync(): void {
    if (!this.staged) return;
    const suffix = `${this.tag}.tmp`;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) if (n.endsWith(suffix)) rmSync(join(this.dir, n), { force: true });
  }

  /**
   * Names files in DIR of an earlier run that this run replaces without writing them again (a
   * payment run with fewer files than the one before): the commit moves them aside with the files
   * it replaces, before the new manifest.json is placed, and removes them with those once it is
   * (or puts them back when the commit fails). Removed after the commit instead, a run stopped in
   * between would leave a folder mixing two runs under the new manifest. Names not there at the
   * commit are skipped.
   */
  retire(names: readonly string[]): void {
    for (const name of names) {
      // Names of files in DIR, never a path out of it; and not the manifest (placed or kept by the commit itself).
      if (name === '' || name === '.' || name === '..' || basename(name) !== name || name.includes('\\') || isManifest(name)) {
        throw new RangeError(`retire: ${JSON.stringify(name)} is not the name of an earlier run's file in the folder`);
      }
      if (!this.retired.includes(name)) this.retired.push(name);
    }
  }

  /**
   * Renames every finished file into place, all or none: the files of an earlier run (--force) are
   * moved aside first (manifest.json first of all) and put back if a rename fails, so the folder
   * never mixes two runs. The new manifest.json is placed last, once every other file is: a
   * commit cut short by a kill that no handler sees (SIGKILL, a power cut) leaves outputs without
   * a manifest.json, which verify, report and redistribute call an incomplete run. Between those
   * two, the files are looked at, moved aside, placed and the earlier run's removed all at once
   * (the thread pool takes a few at a time): one after another, a pay run's 117 files took
   * 468 round trips to the pool, and removing the 215 MB of an earlier run's files ~150 ms when
   * the disk had them already (docs/payments.md, "Performance").
   *
   * A rename that fails: every rename in flight is awaited, the new files removed and the earlier
   * ones put back (manifest.json last, and only when all the others are back), and one UsageError
   * (exit 2) names the file and says whether the folder is as it was or which files are left at
   * their `….old` names. SIGINT/SIGTERM during the commit: the commit stops at its next step, waits
   * for the renames in flight and rolls back the same way before the process ends (onInterrupt).
   * Once the new manifest.json is placed the run is committed: an earlier run's file that cannot
   * be removed then is a warning (setCommitWarnings), not a failure.
   */
  async commit(): Promise<void> {
    // A retired name this run writes after all is replaced, as any other file it writes.
    const retired = this.retired.filter((name) => !this.files.some((f) => f.name === name));
    if (!this.force) await this.refuseExisting([...this.files.map((f) => f.name), ...retired]);
    const state: CommitState = { moved: [], placed: [] };
    const hasManifest = this.files.some((f) => isManifest(f.name));
    this.committing = state;
    let stop = false;
    let interruptNote: string | undefined;
    let settled!: () => void;
    const commitSettled = new Promise<void>((r) => (settled = r));
    const dropInterrupt = onInterrupt(async () => {
      stop = true;
      await commitSettled;
      return interruptNote;
    });
    const stopHere = (): void => {
      if (stop) throw INTERRUPTED;
    };
    let manifestPlaced = false;
    try {
      try {
        const targets = [...this.files.map((f) => f.name), ...retired].map((name) => join(this.dir, name));
        const found = await allOf(
          targets.map((target) =>
            lstat(target).catch((err: NodeJS.ErrnoException) => {
              if (err.code === 'ENOENT') return undefined;
              throw new RenameFailure(target, err);
            }),
          ),
        );
        const aside: { target: string; aside: string }[] = [];
        for (const manifest of [true, false]) {
          for (const [i, target] of targets.entries()) {
            const s = found[i];
            if (s === undefined || isManifest(target) !== manifest) continue;
            if (!s.isFile()) {
              const what = i < this.files.length ? 'exists and is not a file' : "has the name of an earlier run's file this run removes, and is not a file";
              throw new UsageError(`${target}: ${what}; nothing was written`);
            }
            aside.push({ target, aside: `${target}${this.tag}.old` });
          }
        }
        const moveAside = async (m: { target: string; aside: string }): Promise<void> => {
          await rename(m.target, m.aside).catch((err: NodeJS.ErrnoException) => {
            throw new RenameFailure(m.target, err);
          });
          state.moved.push(m);
        };
        stopHere();
        for (const m of aside.filter((a) => isManifest(a.target))) await moveAside(m);
        stopHere();
        await allOf(aside.filter((a) => !isManifest(a.target)).map(moveAside));
        stopHere();
        const place = async (f: StagedFile): Promise<void> => {
          const target = join(this.dir, f.name);
          await rename(f.tempPath, target).catch((err: NodeJS.ErrnoException) => {
            throw new RenameFailure(target, err);
          });
          state.placed.push(target);
        };
        await allOf(this.files.filter((f) => !isManifest(f.name)).map(place));
        stopHere();
        for (const f of this.files.filter((f) => isManifest(f.name))) await place(f);
        manifestPlaced = true;
      } catch (err) {
        this.committing = undefined;
        const left = await rollBack(state);
        if (err === INTERRUPTED) {
          if (left.length > 0) interruptNote = `nothing was written, but the earlier run could not be put back in full: ${left.join('; ')}`;
          settled();
          // The process ends by the signal once the rollback is told (cli/main.ts): nothing after this runs.
          await new Promise<never>(() => undefined);
        }
        throw commitError(err, left);
      }
      this.committing = undefined;
      const notRemoved: string[] = [];
      await allOf(
        state.moved.map((m) =>
          rm(m.aside, { force: true }).catch((err: NodeJS.ErrnoException) => {
            notRemoved.push(`${m.aside} (${err.code ?? err.message})`);
          }),
        ),
      );
      if (notRemoved.length > 0) {
        commitWarning(
          `${this.dir}: the new outputs are in place, but the earlier run's ${notRemoved.length === 1 ? 'file' : 'files'} ${notRemoved.join(', ')} could not be removed: remove ${notRemoved.length === 1 ? 'it' : 'them'} by hand`,
        );
      }
      this.files.length = 0;
      try {
        this.sweepSync();
      } catch {
        /* a temporary file left: the next run into the folder removes it */
      }
      // A run killed outright during an earlier commit left its files moved aside: this run placed a
      // manifest.json, the folder holds a complete run, they are not needed. (A file of its own, such
      // as report.html, says nothing of the folder: they may be the only copy of an earlier run.)
      if (hasManifest) await removeAsideOfDeadRuns(this.dir);
      this.finish();
    } finally {
      if (stop && manifestPlaced) interruptNote = `the run had finished: its outputs are in place in ${this.dir}`;
      dropInterrupt();
      settled();
    }
  }

  /** Removes every temporary file; the folder keeps whatever it held before the run. */
  async abort(): Promise<void> {
    this.abortSync();
  }

  /**
   * The abort, synchronously (it also runs from an exit handler): temporary files removed, a
   * commit under way rolled back (manifest.json last, and only when every other file is back),
   * the folders this run made removed if empty.
   */
  private abortSync(): void {
    const commit = this.committing;
    this.committing = undefined;
    if (commit !== undefined) {
      let failed = false;
      for (const p of commit.placed) {
        try {
          rmSync(p, { force: true });
        } catch {
          failed = true;
        }
      }
      const manifests = commit.moved.filter((m) => isManifest(m.target));
      for (const m of [...commit.moved.filter((m) => !isManifest(m.target)), ...manifests]) {
        if (failed && isManifest(m.target)) break; // kept aside: the folder reads as an incomplete run
        try {
          renameSync(m.aside, m.target);
        } catch {
          failed = true;
        }
      }
    }
    for (const f of this.files) {
      f.destroy();
      rmSync(f.tempPath, { force: true });
    }
    this.files.length = 0;
    this.sweepSync();
    this.finish();
    removeDirsSync(this.madeDirs);
  }

  private finish(): void {
    this.dropCleanup();
    this.lock?.releaseSync();
  }
}

/**
 * Makes DIR (and missing parents); returns the folders made, deepest first. A dangling symbolic
 * link or a file in the way is said plainly, not as a raw ENOENT or EEXIST.
 */
async function makeOutputDir(dir: string): Promise<string[]> {
  const s = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'ENOTDIR') throw new UsageError(`${dir}: a part of this path is a file, not a folder`);
    throw err;
  });
  if (s !== undefined) {
    if (!s.isDirectory()) throw new UsageError(`${dir}: exists and is not a folder`);
    return [];
  }
  const link = await lstat(dir).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const target = await readlink(dir).catch(() => '?');
    throw new UsageError(`${dir}: a symbolic link to ${target}, which does not exist: make that folder, or choose another --out folder`);
  }
  let first: string | undefined;
  try {
    first = await mkdir(dir, { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${dir}: cannot make the folder (${e.code ?? e.message})`);
  }
  if (first === undefined) return [];
  const made: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    made.push(d);
    if (d === resolve(first) || dirname(d) === d) break;
  }
  return made;
}

/** Removes the given folders, deepest first, each only if empty. */
function removeDirsSync(dirs: readonly string[]): void {
  for (const d of dirs) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (or gone): the folders above it are not empty either
    }
  }
}
