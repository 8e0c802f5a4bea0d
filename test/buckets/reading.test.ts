/**
 * A bucket plan's claims read as a classes plan's are, end to end with the real binary: a
 * `;`-separated export with vendor column names (--delimiter, --map, a `sep=` line), --keep,
 * validate --errors-out, and the plan's blankStatus; the manifest records the reading and verify
 * uses it with no reading flags.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const PLAN = join(FIX, 'plan.json');
const EXPORT = tmp.path('export.csv');
const SEP_EXPORT = tmp.path('sep-export.csv');
const read = (f: string): string => readFileSync(f, 'utf8');
const manifestOf = (dir: string): { reading?: unknown } => JSON.parse(read(join(dir, 'manifest.json'))) as { reading?: unknown };
const MAP = ['--map', 'claim_id=ClaimNumber', '--map', 'documented_loss=OOP Loss'];

/** The fixture's claims as a vendor writes them: renamed columns, `;` between fields, CRLF line ends. */
function vendorExport(): string {
  const text = read(join(FIX, 'claims.csv')).replace('claim_id,status,documented_loss', 'ClaimNumber,status,OOP Loss');
  expect(text).not.toContain('"'); // so a plain replace of the delimiter is exact
  return text.replaceAll(',', ';').replaceAll('\n', '\r\n');
}

beforeAll(() => {
  writeFileSync(EXPORT, vendorExport());
  writeFileSync(SEP_EXPORT, `sep=;\r\n${vendorExport()}`);
});

describe('a bucket plan reads a vendor export as a classes plan does', () => {
  it('--delimiter and --map give the fixture\'s ledger and summary byte for byte, the manifest records them, verify needs no flags', async () => {
    const out = tmp.path('mapped');
    const a = await runCli(['allocate', '--plan', PLAN, EXPORT, '--out', out, '--quiet', '--delimiter', ';', ...MAP]);
    expect(a.code, a.stderr).toBe(0);
    expect(read(join(out, 'ledger.csv'))).toBe(read(join(FIX, 'expected/ledger.csv')));
    expect(read(join(out, 'summary.json'))).toBe(read(join(FIX, 'expected/summary.json')));
    expect(manifestOf(out).reading).toEqual({ delimiter: ';', map: { claim_id: 'ClaimNumber', documented_loss: 'OOP Loss' } });

    const v = await runCli(['verify', '--plan', PLAN, EXPORT, out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stderr).not.toContain('warning');

    const w = await runCli(['verify', '--plan', PLAN, EXPORT, out, '--map', 'claim_id=status']);
    expect(w.stderr).toContain("--map claim_id=status differs from the manifest's map claim_id=ClaimNumber,documented_loss=OOP Loss");
    expect(w.code).not.toBe(0);

    const amount = read(join(FIX, 'expected/ledger.csv')).split('\n')[1]!.split(',').at(-1);
    const e = await runCli(['explain', '--plan', PLAN, EXPORT, 'EQ0001', '--delimiter', ';', ...MAP, '--json']);
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { claims: { amount: string }[] }).claims[0]!.amount).toBe(amount);

    // explain --from DIR: the run's recorded reading, no flags; a differing flag or input is a warning.
    const f = await runCli(['explain', '--plan', PLAN, EXPORT, 'EQ0001', '--from', out, '--json']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toBe('');
    expect((JSON.parse(f.stdout) as { claims: { amount: string }[] }).claims[0]!.amount).toBe(amount);
    const g = await runCli(['explain', '--plan', PLAN, SEP_EXPORT, 'EQ0001', '--from', out, '--delimiter', '|']);
    expect(g.stderr).toContain(`payout explain: warning: --delimiter "|" differs from the manifest's delimiter ";"`);
    const h = await runCli(['explain', '--plan', PLAN, SEP_EXPORT, 'EQ0001', '--from', out]);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stderr).toContain(`payout explain: warning: ${SEP_EXPORT} is not the file ${out} was made from`);
  });

  it('a first line sep=; names the delimiter, and is recorded', async () => {
    const out = tmp.path('sep');
    const a = await runCli(['allocate', '--plan', PLAN, SEP_EXPORT, '--out', out, '--quiet', ...MAP]);
    expect(a.code, a.stderr).toBe(0);
    expect(read(join(out, 'ledger.csv'))).toBe(read(join(FIX, 'expected/ledger.csv')));
    expect(manifestOf(out).reading).toEqual({ delimiter: ';', map: { claim_id: 'ClaimNumber', documented_loss: 'OOP Loss' } });
    const v = await runCli(['verify', '--plan', PLAN, SEP_EXPORT, out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it('a ;-separated file without --delimiter: the header hint, not advice to edit the data (exit 1)', async () => {
    const r = await runCli(['validate', '--plan', PLAN, EXPORT]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`export.csv:1: the header has one column and looks ";"-separated: add --delimiter ';' (or a first line sep=;)`);
  });

  it('a mapped column that is not there, or that another field reads, names the option (exit 1)', async () => {
    const r = await runCli(['validate', '--plan', PLAN, EXPORT, '--delimiter', ';', '--map', 'claim_id=Claim No', '--map', 'documented_loss=OOP Loss']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('export.csv:1: claim_id: --map claim_id=Claim No: no column "Claim No" in the header');
    const twice = await runCli(['validate', '--plan', PLAN, EXPORT, '--delimiter', ';', '--map', 'claim_id=hours', '--map', 'documented_loss=OOP Loss']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('export.csv:1: claim_id: --map claim_id=hours: column "hours" is already used for hours');
  });

  it('--keep carries columns after amount; verify takes them from the ledger', async () => {
    const out = tmp.path('keep');
    const a = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out, '--quiet', '--keep', 'choice,hours']);
    expect(a.code, a.stderr).toBe(0);
    const lines = read(join(out, 'ledger.csv')).split('\n');
    const expected = read(join(FIX, 'expected/ledger.csv')).split('\n');
    expect(lines[0]).toBe(`${expected[0]},choice,hours`);
    expect(lines[1]).toBe(`${expected[1]},monitoring,20`);
    expect(manifestOf(out).reading).toEqual({ keep: ['choice', 'hours'] });
    const v = await runCli(['verify', '--plan', PLAN, join(FIX, 'claims.csv'), out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);

    // A kept column taken out of the ledger: the manifest's record of --keep no longer holds.
    const dropped = tmp.path('keep-dropped');
    expect((await runCli(['allocate', '--plan', PLAN, join(FIX, 'claims.csv'), '--out', dropped, '--quiet', '--keep', 'choice,hours'])).code).toBe(0);
    writeFileSync(join(dropped, 'ledger.csv'), read(join(dropped, 'ledger.csv')).replace(/,[^,\n]*\n/g, '\n'));
    const d = await runCli(['verify', '--plan', PLAN, join(FIX, 'claims.csv'), dropped]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('records the kept columns choice, hours (--keep); ledger.csv carries the kept column choice');

    // An edited kept cell is a ledger difference, as any other.
    writeFileSync(join(out, 'ledger.csv'), read(join(out, 'ledger.csv')).replace(',monitoring,20\n', ',cash,20\n'));
    const t = await runCli(['verify', '--plan', PLAN, join(FIX, 'claims.csv'), out]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('choice');
  });

  it('validate --errors-out writes the rows with errors (exit 1)', async () => {
    const claims = tmp.write('bad.csv', 'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,-3.00,,,\nB,approved,,1.1,,cheque\nC,approved,10.00,,,\n');
    const errors = tmp.path('errors.csv');
    const r = await runCli(['validate', '--plan', PLAN, claims, '--errors-out', errors]);
    expect(r.code).toBe(1);
    expect(read(errors)).toBe(
      'line,claim_id,field,code,message\n' +
        '2,A,documented_loss,input,"negative amount ""-3.00"""\n' +
        '3,B,choice,input,"unknown choice ""cheque"" (expected: cash, monitoring)"\n' +
        '3,B,hours,input,1.1 hours are not a whole number of 0.25-hour steps\n',
    );
    const same = await runCli(['validate', '--plan', PLAN, claims, '--errors-out', claims]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('that is an input file');
  });
});

describe('a bucket plan: a file that is not UTF-8, the rule of a classes plan', () => {
  it('Windows-1252: one file-level error with the guess, then at most 3 example lines (exit 1)', async () => {
    const head = Buffer.from('claim_id,status,documented_loss,hours,documented_hours,choice\n');
    const rows = Array.from({ length: 6 }, (_, i) => Buffer.concat([Buffer.from(`R${i},approved,10.00,,,`), Buffer.from([0x63, 0x61, 0x73, 0x68, 0xe9]) /* "cashé" */, Buffer.from('\n')]));
    const file = tmp.write('cp1252.csv', Buffer.concat([head, ...rows]));
    const r = await runCli(['validate', '--plan', PLAN, file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(lines[0]).toBe(`error: ${file}: the file is not UTF-8: 6 lines hold bytes that are not UTF-8 (the first 3 are listed; their rows are left out); it looks like Windows-1252 (Excel's "CSV" on Windows): re-export it as "CSV UTF-8"`);
    expect(lines.filter((l) => l.includes('invalid UTF-8 (byte 0xE9)'))).toHaveLength(3);
    expect(lines[1]).toBe(`error: ${file}:2: invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8`);
    // The rows are left out, not checked as text with replacement characters in it.
    expect(lines).toHaveLength(4);
  });

  it('UTF-16: one error saying so (exit 1)', async () => {
    const text = 'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,10.00,,,\n';
    const file = tmp.write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = await runCli(['validate', '--plan', PLAN, file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:1: the file is UTF-16, not UTF-8: re-export the file as CSV UTF-8`);
    // one error, not one per line of bytes that are not UTF-8 as well
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
  });
});

describe("a bucket plan's blankStatus", () => {
  const claims = (): string => tmp.write('blank.csv', 'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,10.00,,,\nB,,20.00,,,\nC, ,,,,cash\n');

  it('approved (the default): paid, a warning per row, counted in summary.json; verify agrees', async () => {
    const file = claims();
    const out = tmp.path('blank');
    const r = await runCli(['allocate', '--plan', PLAN, file, '--out', out, '--report']);
    expect(r.code, r.stderr).toBe(0);
    expect(read(join(out, 'report.html'))).toContain('2 claims had a blank status, read as approved (the plan\'s blankStatus)');
    expect(r.stderr).toContain('warning: ');
    expect(r.stderr).toContain('blank.csv:3: status: status is empty: paid as "approved" (the plan\'s blankStatus)');
    expect(r.stderr).toContain('blank.csv:4: status: status is empty');
    const summary = JSON.parse(read(join(out, 'summary.json'))) as { warnings?: unknown; claims: { paid: number } };
    expect(summary.warnings).toEqual({ blankStatuses: 2 });
    expect(summary.claims.paid).toBe(3);
    expect(read(join(out, 'ledger.csv'))).toContain('\nB,approved,paid,20.00,');
    const v = await runCli(['verify', '--plan', PLAN, file, out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const q = await runCli(['allocate', '--plan', PLAN, file, '--out', tmp.path('blank-quiet'), '--quiet']);
    expect(q.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('"error": each blank status refused with its line (exit 1), nothing written', async () => {
    const plan = tmp.write('plan-error.json', JSON.stringify({ ...(JSON.parse(read(PLAN)) as object), blankStatus: 'error' }));
    const r = await runCli(['allocate', '--plan', plan, claims(), '--out', tmp.path('blank-error')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('blank.csv:3: status: status is empty (the plan\'s blankStatus is "error")');
    expect(r.stderr).toContain('blank.csv:4: status: status is empty');
  });
});
