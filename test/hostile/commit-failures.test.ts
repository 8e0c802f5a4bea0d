/**
 * A commit that fails or is interrupted half-way (issue 18, findings of the second read): a rename
 * or removal made to fail, or slowed, through node:fs/promises (mocked here: the functions the
 * commit and its rollback call), and SIGINT stood in for by what cli/main.ts's handler runs
 * (settleForInterrupt, then runCleanups). The folder never claims a complete run it does not hold,
 * the earlier run is put back with its manifest last, and every failure names its file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return { ...real, rename: vi.fn(real.rename), rm: vi.fn(real.rm) };
});

const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
const { OutputSet, setCommitWarnings } = await import('../../src/io/atomic-output.js');
const { UsageError } = await import('../../src/core/errors.js');
const { runCleanups, settleForInterrupt } = await import('../../src/io/run-cleanup.js');
const tmp = tempDir();

afterEach(() => {
  vi.mocked(fsp.rename).mockImplementation(real.rename);
  vi.mocked(fsp.rm).mockImplementation(real.rm);
});

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw message, rename 'x.payout-1-a.tmp'`), { code });
const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

/** A folder holding a complete earlier run of `names`, each file saying so. */
async function earlierRun(dir: string, names: string[]): Promise<Record<string, string>> {
  const first = await OutputSet.open(dir, names, false);
  for (const name of names) {
    const f = first.create(name);
    await f.write(`${name} of the earlier run\n`);
    await f.close();
  }
  await first.commit();
  return contents(dir);
}

/** A second run of `names` into DIR (--force), written and ready to commit. */
async function secondRun(dir: string, names: string[]): Promise<InstanceType<typeof OutputSet>> {
  const second = await OutputSet.open(dir, names, true);
  for (const name of names) {
    const f = second.create(name);
    await f.write(`${name} of the second run\n`);
    await f.close();
  }
  return second;
}

/** The error `set`'s commit fails with (undefined if it succeeds), the set aborted after it, as every writer does. */
async function failedCommit(set: InstanceType<typeof OutputSet>): Promise<unknown> {
  return set.commit().then(
    () => undefined,
    async (e: unknown) => {
      await set.abort();
      return e;
    },
  );
}

async function until(seen: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !seen(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(seen()).toBe(true);
}

const NAMES = ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv', 'manifest.json'];

it('SIGINT while the earlier files are moved aside: every rename in flight is awaited and undone, and the line is true', async () => {
  const dir = tmp.path('int-aside');
  const before = await earlierRun(dir, NAMES);
  // Each move aside completes, then the thread is slow to say so (as the thread pool is under load).
  vi.mocked(fsp.rename).mockImplementation(async (from, to) => {
    await real.rename(from, to);
    if (String(to).endsWith('.old')) await new Promise((r) => setTimeout(r, 40));
  });
  const second = await secondRun(dir, NAMES);
  const committing = second.commit();
  committing.catch(() => undefined);
  await until(() => readdirSync(dir).some((f) => f.endsWith('.old') && !f.startsWith('manifest')));
  const notes = await settleForInterrupt();
  runCleanups();
  expect(notes).toEqual([]); // the line says "nothing was written; earlier outputs are as they were"
  expect(contents(dir)).toEqual(before);
});

it('SIGINT while the new files are placed: a new file with no earlier version is removed too', async () => {
  const dir = tmp.path('int-place');
  const before = await earlierRun(dir, ['a.csv', 'manifest.json']);
  vi.mocked(fsp.rename).mockImplementation(async (from, to) => {
    await real.rename(from, to);
    if (String(from).endsWith('.tmp')) await new Promise((r) => setTimeout(r, 40));
  });
  const second = await secondRun(dir, ['a.csv', 'new.csv', 'manifest.json']);
  const committing = second.commit();
  committing.catch(() => undefined);
  await until(() => existsSync(join(dir, 'new.csv')));
  expect(await settleForInterrupt()).toEqual([]);
  runCleanups();
  expect(contents(dir)).toEqual(before);
});

it('a rename that fails (EBUSY) is one message naming the file, exit 2, and the folder is as it was', async () => {
  const dir = tmp.path('ebusy');
  const before = await earlierRun(dir, NAMES);
  vi.mocked(fsp.rename).mockImplementation(async (from, to) => {
    if (basename(String(from)) === 'c.csv') throw errno('EBUSY');
    await real.rename(from, to);
  });
  const second = await secondRun(dir, NAMES);
  const err = await failedCommit(second);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as InstanceType<typeof UsageError>).exitCode).toBe(2);
  expect((err as Error).message).toBe(`${join(dir, 'c.csv')}: cannot replace (EBUSY: the file is in use); nothing was written and the folder is as it was`);
  expect(contents(dir)).toEqual(before);
});

it('a restore that fails is said, file by file, and the earlier manifest stays aside: the folder never claims a complete run', async () => {
  const dir = tmp.path('restore');
  await earlierRun(dir, NAMES);
  vi.mocked(fsp.rename).mockImplementation(async (from, to) => {
    if (basename(String(to)) === 'b.csv' && String(from).endsWith('.tmp')) throw errno('EIO'); // placing b.csv
    if (basename(String(to)) === 'd.csv' && String(from).endsWith('.old')) throw errno('EIO'); // putting d.csv back
    await real.rename(from, to);
  });
  const second = await secondRun(dir, NAMES);
  const err = await failedCommit(second);
  expect(err).toBeInstanceOf(UsageError);
  const message = (err as Error).message;
  expect(message).toMatch(new RegExp(`^${join(dir, 'b.csv')}: cannot replace \\(EIO: input/output error\\); the earlier run could not be put back in full: `));
  expect(message).toContain(`${join(dir, 'd.csv')} is at ${join(dir, 'd.csv')}.payout-`);
  expect(message).toContain(`${join(dir, 'manifest.json')} is at ${join(dir, 'manifest.json')}.payout-`);
  expect(message).not.toContain('nothing was written');
  const left = readdirSync(dir).sort();
  expect(left).not.toContain('manifest.json'); // an incomplete run, not a complete one missing d.csv
  expect(left.filter((f) => f.endsWith('.old')).map((f) => f.replace(/\.payout-.*$/, ''))).toEqual(['d.csv', 'manifest.json']);
  for (const f of ['a.csv', 'b.csv', 'c.csv', 'e.csv']) expect(readFileSync(join(dir, f), 'utf8')).toBe(`${f} of the earlier run\n`);
});

it("an earlier run's file that cannot be removed once the new run is in place is a warning, not a failure", async () => {
  const dir = tmp.path('unlink');
  await earlierRun(dir, NAMES);
  vi.mocked(fsp.rm).mockImplementation(async (path, opts) => {
    if (/c\.csv\.payout-.*\.old$/.test(String(path))) throw errno('EBUSY');
    await real.rm(path, opts);
  });
  const warnings: string[] = [];
  setCommitWarnings((m) => warnings.push(m));
  const second = await secondRun(dir, NAMES);
  await second.commit();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(new RegExp(`^${dir}: the new outputs are in place, but the earlier run's file ${join(dir, 'c.csv')}\\.payout-\\S+\\.old \\(EBUSY\\) could not be removed: remove it by hand$`));
  for (const f of NAMES) expect(readFileSync(join(dir, f), 'utf8')).toBe(`${f} of the second run\n`);
  expect(readdirSync(dir)).not.toContain('.payout.lock');
});

it('only a file named exactly manifest.json is a manifest (x-manifest.json is moved with the others)', async () => {
  const dir = tmp.path('lookalike');
  const names = ['b.csv', 'x-manifest.json'];
  await earlierRun(dir, names);
  vi.mocked(fsp.rename).mockClear();
  const second = await secondRun(dir, names);
  await second.commit();
  const moves = vi.mocked(fsp.rename).mock.calls.map(([from]) => basename(String(from)).replace(/\.payout-.*$/, '…'));
  expect(moves).toEqual(['b.csv', 'x-manifest.json', 'b.csv…', 'x-manifest.json…']);
});

it("a file of its own (no manifest.json) leaves dead runs' files moved aside: they may be the only copy of an earlier run", async () => {
  const dir = tmp.path('own-file');
  await earlierRun(dir, ['report.html']);
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  const aside = `ledger.csv.payout-${gone}-mx9jo064.old`;
  writeFileSync(join(dir, aside), 'the earlier ledger');
  const second = await secondRun(dir, ['report.html']);
  await second.commit();
  expect(readdirSync(dir).sort()).toEqual([aside, 'report.html']);
});

it("an earlier run's file this run does not write again (retire) is moved aside before the new manifest is placed, and removed with the others", async () => {
  const dir = tmp.path('retire');
  await earlierRun(dir, ['a.csv', 'extra.csv', 'manifest.json']);
  vi.mocked(fsp.rename).mockClear();
  const second = await secondRun(dir, ['a.csv', 'manifest.json']);
  second.retire(['extra.csv', 'never-there.csv']);
  await second.commit();
  const moves = vi.mocked(fsp.rename).mock.calls.map(([from, to]) => `${basename(String(from)).replace(/\.payout-.*$/, '…')}→${basename(String(to)).replace(/\.payout-.*$/, '…')}`);
  // The earlier manifest first, then the earlier files (the retired one with them), the new manifest last.
  expect(moves[0]).toBe('manifest.json→manifest.json…');
  expect(moves.slice(1, 3).sort()).toEqual(['a.csv→a.csv…', 'extra.csv→extra.csv…']);
  expect(moves.at(-1)).toBe('manifest.json…→manifest.json');
  expect(contents(dir)).toEqual({ 'a.csv': 'a.csv of the second run\n', 'manifest.json': 'manifest.json of the second run\n' });
});

it('a commit that fails puts a retired file back with the rest: the folder is as it was', async () => {
  const dir = tmp.path('retire-fails');
  const before = await earlierRun(dir, ['a.csv', 'extra.csv', 'manifest.json']);
  vi.mocked(fsp.rename).mockImplementation(async (from, to) => {
    if (basename(String(to)) === 'a.csv' && String(from).endsWith('.tmp')) throw errno('EBUSY'); // placing a.csv
    await real.rename(from, to);
  });
  const second = await secondRun(dir, ['a.csv', 'manifest.json']);
  second.retire(['extra.csv']);
  const err = await failedCommit(second);
  expect((err as Error).message).toBe(`${join(dir, 'a.csv')}: cannot replace (EBUSY: the file is in use); nothing was written and the folder is as it was`);
  expect(contents(dir)).toEqual(before);
});

it('without --force, a retired file of an earlier run is refused like a replaced one', async () => {
  const dir = tmp.path('retire-refused');
  const before = await earlierRun(dir, ['extra.csv']);
  const second = await OutputSet.open(dir, [], false);
  const f = second.create('a.csv');
  await f.write('new\n');
  await f.close();
  second.retire(['extra.csv']);
  await expect(second.commit()).rejects.toThrow(/extra\.csv/);
  await second.abort();
  expect(contents(dir)).toEqual(before);
});

it('retire takes names of files in the folder only, never a path out of it nor the manifest; a retired name also written is replaced', async () => {
  const dir = tmp.path('retire-names');
  await earlierRun(dir, ['a.csv', 'manifest.json']);
  const second = await secondRun(dir, ['a.csv', 'manifest.json']);
  for (const bad of ['../outside.txt', 'sub/x.csv', '..', '', 'manifest.json', 'a\\b.csv']) {
    expect(() => second.retire([bad]), bad).toThrow(RangeError);
  }
  second.retire(['a.csv']); // written too: replaced, not moved aside twice
  await second.commit();
  expect(contents(dir)).toEqual({ 'a.csv': 'a.csv of the second run\n', 'manifest.json': 'manifest.json of the second run\n' });
});

it('a folder at a retired name stops the commit before anything moves, and says why', async () => {
  const dir = tmp.path('retire-folder');
  const before = await earlierRun(dir, ['a.csv', 'manifest.json']);
  mkdirSync(join(dir, 'paypal-002.csv'));
  const second = await secondRun(dir, ['a.csv', 'manifest.json']);
  second.retire(['paypal-002.csv']);
  await expect(second.commit()).rejects.toThrow(`${join(dir, 'paypal-002.csv')}: has the name of an earlier run's file this run removes, and is not a file; nothing was written`);
  await second.abort();
  const files = readdirSync(dir).filter((f) => f !== 'paypal-002.csv').sort();
  expect(Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(before);
  expect(readdirSync(join(dir, 'paypal-002.csv'))).toEqual([]); // the folder, untouched
});
