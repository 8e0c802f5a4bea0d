/**
 * The commit's order makes a commit cut short detectable (issue 18, finding 4): the earlier run's
 * manifest.json is moved aside before its other files, and the new manifest.json is placed after
 * the new ledger and summary. A kill between two renames thus leaves outputs without a manifest
 * (an "incomplete run"), never a manifest beside files it does not describe.
 */
import { readdirSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return { ...real, rename: vi.fn(real.rename), rm: vi.fn(real.rm) };
});

const { OutputSet } = await import('../../src/io/atomic-output.js');
const tmp = tempDir();
const NAMES = ['ledger.csv', 'summary.json', 'manifest.json'];

it('moves the old manifest aside first and places the new one last; the lock is gone after', async () => {
  const dir = tmp.path('run');
  const first = await OutputSet.open(dir, NAMES, false);
  for (const name of NAMES) await first.create(name).close();
  await first.commit();

  const rename = vi.mocked(fsp.rename);
  rename.mockClear();
  const second = await OutputSet.open(dir, NAMES, true);
  for (const name of NAMES) {
    const f = second.create(name);
    await f.write(`${name} of the second run\n`);
    await f.close();
  }
  await second.commit();
  const moves = rename.mock.calls.map(([from, to]) => `${basename(String(from)).replace(/\.payout-.*$/, '…')} -> ${basename(String(to)).replace(/\.payout-.*\.old$/, '….old')}`);
  expect(moves).toEqual([
    'manifest.json -> manifest.json….old',
    'ledger.csv -> ledger.csv….old',
    'summary.json -> summary.json….old',
    'ledger.csv… -> ledger.csv',
    'summary.json… -> summary.json',
    'manifest.json… -> manifest.json',
  ]);
  expect(readdirSync(dir).sort()).toEqual(['ledger.csv', 'manifest.json', 'summary.json']);
  expect(readdirSync(dir)).not.toContain('.payout.lock');
});

it('moves, places and removes the other files all at once, the new manifest only once they are placed', async () => {
  const dir = tmp.path('at-once');
  const names = ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'manifest.json'];
  const first = await OutputSet.open(dir, names, false);
  for (const name of names) await first.create(name).close();
  await first.commit();

  // Each rename and removal takes a while: how many are under way at once, and when the manifest's starts.
  const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
  let inFlight = 0;
  const most = { rename: 0, rm: 0 };
  const manifestPlacedWith: number[] = [];
  const slow = <A extends unknown[]>(kind: 'rename' | 'rm', op: (...a: A) => Promise<void>) => async (...a: A): Promise<void> => {
    if (kind === 'rename' && basename(String(a[1])) === 'manifest.json') manifestPlacedWith.push(inFlight);
    inFlight++;
    most[kind] = Math.max(most[kind], inFlight);
    await new Promise((r) => setTimeout(r, 5));
    try {
      await op(...a);
    } finally {
      inFlight--;
    }
  };
  vi.mocked(fsp.rename).mockImplementation(slow('rename', real.rename));
  vi.mocked(fsp.rm).mockImplementation(slow('rm', real.rm));
  try {
    const second = await OutputSet.open(dir, names, true);
    for (const name of names) await second.create(name).close();
    await second.commit();
  } finally {
    vi.mocked(fsp.rename).mockImplementation(real.rename);
    vi.mocked(fsp.rm).mockImplementation(real.rm);
  }
  expect(most).toEqual({ rename: 4, rm: 5 });
  expect(manifestPlacedWith).toEqual([0]);
  expect(readdirSync(dir).sort()).toEqual(names);
});
