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
  return { ...real, rename: vi.fn(real.rename) };
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
