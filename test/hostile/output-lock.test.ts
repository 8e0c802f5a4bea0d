/**
 * One run per output folder (issue 18, finding 1), and a folder that does not hold one finished
 * run is said to be an incomplete run (finding 4), with the real binary.
 * The first run reads its claims from a FIFO: it holds its folder until the test writes them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { entries, exists, makeFifo, startCli, waitFor } from './child.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');
const allocateArgs = (claims: string, out: string, ...extra: string[]): string[] => ['allocate', '--plan', PLAN, claims, '--out', out, '--quiet', ...extra];

describe('the output folder is claimed by one run', () => {
  it('a second run into the folder of a running one stops with exit 2, also with --force, and the first one finishes', async () => {
    const out = tmp.path('shared');
    const first = startCli(allocateArgs(makeFifo(tmp.path('first.fifo')), out));
    expect(await waitFor(() => exists(join(out, '.payout.lock')), first)).toBe(true);
    expect(readFileSync(join(out, '.payout.lock'), 'utf8')).toBe(`${first.child.pid}\n`);

    for (const extra of [[], ['--force']]) {
      const second = await runCli(allocateArgs(CLAIMS, out, ...extra));
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`${out} is in use by another payout run (process ${first.child.pid})`);
    }
    expect(entries(out)).toEqual(['.payout.lock']); // the second run wrote nothing

    await writeFile(tmp.path('first.fifo'), readFileSync(CLAIMS));
    const done = await first.ended;
    expect(done.code).toBe(0);
    expect(entries(out)).toEqual(['ledger.csv', 'manifest.json', 'summary.json']); // lock removed
  });

  it('a lock left by a process that is gone is stale: the run replaces it and goes on', async () => {
    const out = tmp.path('stale');
    mkdirSync(out);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(out, '.payout.lock'), `${gone}\n`);
    const r = await runCli(allocateArgs(CLAIMS, out));
    expect(r.code).toBe(0);
    expect(entries(out)).toEqual(['ledger.csv', 'manifest.json', 'summary.json']);
  });

  it("a run that replaces a stale lock removes that dead run's temporary files, and only those", async () => {
    const out = tmp.path('stale-debris');
    mkdirSync(out);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const other = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(out, '.payout.lock'), `${gone}\n`);
    // What a pay run killed with SIGKILL leaves: its payment files under temporary names.
    for (const name of [`payments.csv.payout-${gone}-mx9jo064.tmp`, `paypal-001.csv.payout-${gone}-mx9jo064.tmp`, `.payout.lock.${gone}.tmp`]) {
      writeFileSync(join(out, name), 'partial');
    }
    const kept = [`notes.payout-${other}-ab12.tmp`, `mine.payout-${gone}-x.tmp.txt`];
    for (const name of kept) writeFileSync(join(out, name), 'kept');
    const r = await runCli(allocateArgs(CLAIMS, out, '--force'));
    expect(r.code).toBe(0);
    expect(entries(out)).toEqual([...kept, 'ledger.csv', 'manifest.json', 'summary.json'].sort());
  });

  it("once a run's manifest is placed, files that dead runs moved aside are removed; a live process's are kept", async () => {
    const out = tmp.path('aside-debris');
    expect((await runCli(allocateArgs(CLAIMS, out))).code).toBe(0);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    // What a pay run killed with SIGKILL during its commit leaves: the earlier run's files moved aside (account numbers in full).
    const dead = [`ach-001.ach.payout-${gone}-mx9jo064.old`, `manifest.json.payout-${gone}-mx9jo064.old`];
    const live = [`ledger.csv.payout-${process.pid}-ab12.old`, `notes.payout-${gone}-x.old.txt`];
    for (const name of [...dead, ...live]) writeFileSync(join(out, name), 'aside');
    const r = await runCli(allocateArgs(CLAIMS, out, '--force'));
    expect(r.code).toBe(0);
    expect(entries(out)).toEqual([...live, 'ledger.csv', 'manifest.json', 'summary.json'].sort());
  });

  it('a refused run (outputs already there, no --force) leaves no lock and no folder it made', async () => {
    const out = tmp.path('twice');
    expect((await runCli(allocateArgs(CLAIMS, out))).code).toBe(0);
    const again = await runCli(allocateArgs(CLAIMS, out));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('use --force');
    expect(entries(out)).toEqual(['ledger.csv', 'manifest.json', 'summary.json']);
  });

  it('--out naming a symbolic link to nothing gets a clear message, not a raw ENOENT', async () => {
    const link = tmp.path('dangling');
    spawnSync('ln', ['-s', tmp.path('nowhere/at/all'), link]);
    const r = await runCli(allocateArgs(CLAIMS, link));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${link}: a symbolic link to ${tmp.path('nowhere/at/all')}, which does not exist`);
    expect(exists(tmp.path('nowhere'))).toBe(false);
  });
});

describe('an incomplete run is said to be one (exit 2), never verified nor read as tampered with', () => {
  const done = tmp.path('done');
  const made = (async () => {
    expect((await runCli(allocateArgs(CLAIMS, done))).code).toBe(0);
  })();
  /** A copy of the finished run, changed by `damage`, as a commit stopped by SIGKILL leaves it. */
  async function damaged(name: string, damage: (dir: string) => void): Promise<string> {
    await made;
    const dir = tmp.path(name);
    cpSync(done, dir, { recursive: true });
    damage(dir);
    return dir;
  }
  const cases: [string, (dir: string) => void, string][] = [
    ['no-manifest', (d) => rmSync(join(d, 'manifest.json')), 'holds ledger.csv, summary.json but no manifest.json'],
    [
      'only-debris',
      (d) => {
        for (const f of ['ledger.csv', 'summary.json', 'manifest.json']) rmSync(join(d, f));
        writeFileSync(join(d, 'ledger.csv.payout-4242-mabc12.old'), 'claim_id\n');
      },
      'holds ledger.csv.payout-4242-mabc12.old but no manifest.json',
    ],
    ['no-ledger', (d) => rmSync(join(d, 'ledger.csv')), 'ledger.csv: not found, though manifest.json lists it'],
    ['live-lock', (d) => writeFileSync(join(d, '.payout.lock'), `${process.pid}\n`), `a payout run (process ${process.pid}) is still writing`],
  ];
  for (const [name, damage, message] of cases) {
    it(`${name}: verify, report and redistribute say "incomplete run"`, async () => {
      const dir = await damaged(name, damage);
      const uncashed = tmp.write(`${name}-uncashed.csv`, 'claim_id\n');
      const runs = await Promise.all([
        runCli(['verify', '--plan', PLAN, CLAIMS, dir]),
        runCli(['report', dir]),
        runCli(['redistribute', '--plan', PLAN, '--from', dir, '--uncashed', uncashed, '--out', tmp.path(`${name}-round2`), '--quiet']),
      ]);
      for (const r of runs) {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${dir}: incomplete run: `);
        expect(r.stderr).toContain(message);
      }
      expect(exists(tmp.path(`${name}-round2`))).toBe(false);
    });
  }
});
