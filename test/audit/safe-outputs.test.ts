/**
 * Outputs that cannot be misread (docs/spec.md §5), with the real binary:
 * - formula injection: text cells a spreadsheet would run (`=`, `+`, `-`, `@`, tab, CR) and cells
 *   that start with `'` are written with one leading `'`; payout reads them back unchanged, so
 *   verify and explain still work on them;
 * - a failing run (bad claims, a write error, a folder it may not write in) leaves the folder as it
 *   was: no ledger, no temp file;
 * - an existing output is replaced only with --force;
 * - the ledger carries no name, email or address unless --keep asks.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../src/io/ledger-reader.js';
import { ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const TIKTOK = join(ROOT, 'fixtures/tiktok/claims.csv');
const OUTPUTS = ['ledger.csv', 'manifest.json', 'summary.json'];

const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
const snapshot = (dir: string): Record<string, string> => Object.fromEntries(filesIn(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const allocate = (claims: string, out: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['allocate', '--plan', PLAN, claims, '--out', out, '--quiet', ...extra]);

/** Names that a spreadsheet would run, or that start with a quote: [claim_id, name, how the ledger writes the name]. */
const HOSTILE: [string, string, string][] = [
  ['INJ-01', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ['INJ-02', '+1', "'+1"],
  ['INJ-03', '-2', "'-2"],
  ['INJ-04', '@SUM(A1)', "'@SUM(A1)"],
  ['INJ-05', '\tTabbed', "'\tTabbed"],
  ['INJ-06', "'apostrophe", "''apostrophe"],
  ['INJ-07', '"quoted" first', '"""quoted"" first"'],
  ['INJ-08', '\rcarriage return', `"'\rcarriage return"`],
  ['-CLAIM-9', 'Plain Name', 'Plain Name'],
];

function hostileClaims(): string {
  const rows = [
    ['claim_id', 'class', 'units', 'status', 'name', 'email', 'address'],
    ...HOSTILE.map(([id, name], i) => [id, i % 2 ? 'illinois' : 'nationwide', '1', 'approved', name, `p${i}@example.com`, `${i} Main St`]),
    ['INJ-10', 'nationwide', '2', '@evil', 'Status Formula', 'q@example.com', '1 Elm St'],
  ];
  return tmp.write('hostile.csv', stringify(rows, { record_delimiter: '\n' }));
}

describe('formula injection', () => {
  const claims = hostileClaims();
  const out = tmp.path('hostile-out');
  // One allocation for every case below, so that any of them can run alone (vitest -t) and check
  // the same ledger.
  let run: CliResult;
  let lines: string[] = [];
  beforeAll(async () => {
    run = await allocate(claims, out, '--keep', 'name');
    lines = existsSync(join(out, 'ledger.csv')) ? readFileSync(join(out, 'ledger.csv'), 'utf8').split('\n') : [];
  });

  it('writes every hostile text cell with a leading quote (--keep name)', () => {
    expect(run.code, run.stderr).toBe(0);
    const text = lines.join('\n');
    expect(lines[0]).toBe('claim_id,class,units,points,status,outcome,share,amount,name');
    for (const [id, , written] of HOSTILE) {
      // a claim id is a text cell too: `-CLAIM-9` is written `'-CLAIM-9`
      const line = lines.find((l) => l.startsWith(`${id.startsWith('-') ? "'" : ''}${id},`));
      expect(line, id).toBeDefined();
      expect(line!.endsWith(`,${written}`), `${id}: ${JSON.stringify(line)}`).toBe(true);
    }
    expect(text).toContain("INJ-10,nationwide,2,2,'@evil,ineligible,0.000000,0.00,Status Formula\n");
  });

  it('leaves no cell that a spreadsheet would run', () => {
    const rows = parse(lines.join('\n'), { relax_column_count: true }) as string[][];
    // the header and one row per claim: an empty or missing ledger must not pass
    expect(rows).toHaveLength(HOSTILE.length + 2);
    for (const row of rows) for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('reads the cells back as they were in the claims file', async () => {
    const names = new Map<string, string>();
    await readLedger(join(out, 'ledger.csv'), ['claim_id', 'name'], (row) => names.set(row.cells.claim_id!, row.cells.name!));
    expect(names.size).toBe(HOSTILE.length + 1);
    for (const [id, name] of HOSTILE) expect(names.get(id)).toBe(name);
  });

  it('verifies (exit 0): the guards are read back, the --keep column is checked too', async () => {
    const r = await runCli(['verify', '--plan', PLAN, claims, out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`✓ ledger rows: all ${HOSTILE.length + 1} rows of ledger.csv match the recomputed ledger`);
  });

  it('explains a claim whose id starts with "-" (after --)', async () => {
    const r = await runCli(['explain', '--plan', PLAN, claims, '--', '-CLAIM-9']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Claim -CLAIM-9 \(/);
  });
});

describe('personal data stays out of the ledger unless asked for', () => {
  it('writes no name, email or address without --keep', async () => {
    const out = tmp.path('no-keep');
    expect((await allocate(TIKTOK, out)).code).toBe(0);
    const text = readFileSync(join(out, 'ledger.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('claim_id,class,units,points,status,outcome,share,amount');
    const claims = parse(readFileSync(TIKTOK, 'utf8'), { columns: true }) as Record<string, string>[];
    for (const c of claims.slice(0, 200)) {
      expect(text).not.toContain(c.email!);
      expect(text).not.toContain(c.address!);
      expect(text).not.toContain(c.name!);
    }
  });
});

/**
 * The real binary, optionally behind a command that changes how it runs (`sh -c 'ulimit …'`,
 * `setpriv --reuid …`), NO_COLOR=1.
 */
function spawnPayout(prefix: string[], args: string[]): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    const [command, ...rest] = [...prefix, process.execPath, join(ROOT, 'bin/payout.js'), ...args] as [string, ...string[]];
    const child = spawn(command, rest, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (s: Buffer) => (stdout += s.toString()));
    child.stderr.on('data', (s: Buffer) => (stderr += s.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** uid and gid of `nobody`, for running the binary without root's right to write anywhere. */
function nobody(): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

describe('a failing run leaves the folder as it was', () => {
  const bad = tmp.write('bad-claims.csv', 'claim_id,class,units\nA-1,nationwide,1\nA-2,ilinois,1\n');
  // Each case checks its own folder: every file in it is named, so no temporary file (*.payout-*.tmp) is left.

  it('invalid claims: exit 1, no ledger, no temporary file', async () => {
    const out = tmp.path('bad-new');
    const r = await allocate(bad, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown class "ilinois"');
    expect(filesIn(out)).toEqual([]);
  });

  it('invalid claims with --force over an earlier run: the earlier files stay, byte for byte', async () => {
    const out = tmp.path('bad-over');
    expect((await allocate(TIKTOK, out)).code).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before)).toEqual(OUTPUTS);
    expect((await allocate(bad, out, '--force')).code).toBe(1);
    expect(snapshot(out)).toEqual(before);
  });

  it('--out naming a file: exit 2, the file untouched', async () => {
    const file = tmp.write('not-a-folder', 'keep me\n');
    const r = await allocate(TIKTOK, file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exists and is not a folder');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it('a rename that would fail (summary.json is a folder): exit 2, nothing placed, no temporary file', async () => {
    const out = tmp.path('blocked');
    mkdirSync(join(out, 'summary.json', 'inside'), { recursive: true });
    const r = await allocate(TIKTOK, out, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('summary.json: exists and is not a file; nothing was written');
    expect(filesIn(out)).toEqual(['summary.json']);
  });

  it('a write error half way through the ledger (file size limit): exit 2, no ledger, no temporary file', async () => {
    const out = tmp.path('efbig');
    // `ulimit -f 64`: at most 32 KiB per file; the TikTok ledger is 180 KiB. Node ignores SIGXFSZ,
    // so the write fails with EFBIG as on a full disk.
    const args = ['allocate', '--plan', PLAN, TIKTOK, '--out', out, '--quiet'];
    const r = await spawnPayout(['sh', '-c', 'ulimit -f 64 && exec "$0" "$@"'], args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('EFBIG');
    expect(r.stderr).not.toContain('internal error');
    expect(filesIn(out)).toEqual([]);
  });

  it('a read-only folder: exit 2 (EACCES), nothing written', async () => {
    // Root may write anywhere, and CI runs as root: there the binary runs as `nobody` (setpriv),
    // in a folder that nobody owns with mode 0555, so the write is refused as it would be for
    // any user. The test's own temporary folder is 0700, out of nobody's reach: this one is not.
    const asRoot = process.getuid?.() === 0;
    const base = mkdtempSync(join(tmpdir(), 'payout-read-only-'));
    const out = join(base, 'read-only');
    try {
      chmodSync(base, 0o755);
      mkdirSync(out);
      const prefix: string[] = [];
      if (asRoot) {
        const { uid, gid } = nobody();
        chownSync(out, uid, gid);
        prefix.push('setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--');
      }
      chmodSync(out, 0o555);
      const r = await spawnPayout(prefix, ['allocate', '--plan', PLAN, TIKTOK, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/EACCES: permission denied/);
      expect(r.stderr).not.toContain('internal error');
      expect(filesIn(out)).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('--force', () => {
  it('is needed to replace an earlier run (exit 2 names the files), and replaces all three with it', async () => {
    const out = tmp.path('force');
    expect((await allocate(TIKTOK, out)).code).toBe(0);
    writeFileSync(join(out, 'ledger.csv'), 'edited\n');
    const before = snapshot(out);
    const r = await allocate(TIKTOK, out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds ledger.csv, summary.json, manifest.json: use --force to replace');
    expect(snapshot(out)).toEqual(before);
    expect((await allocate(TIKTOK, out, '--force')).code).toBe(0);
    expect(filesIn(out)).toEqual(OUTPUTS);
    expect((await runCli(['verify', '--plan', PLAN, TIKTOK, out])).code).toBe(0);
  });
});
