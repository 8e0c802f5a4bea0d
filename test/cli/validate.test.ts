/**
 * `payout validate` end to end: the real binary, its exit codes (docs/spec.md §8), stdout and stderr.
 */
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const ERR = 'fixtures/errors';
const PLAN = `${ERR}/plan.json`;
const tmp = tempDir();

const fixtures = readdirSync(join(ROOT, ERR)).sort();
const claimsFixtures = fixtures.filter((f) => f.endsWith('.csv'));
const planFixtures = fixtures.filter((f) => f.startsWith('plan-') && f.endsWith('.json'));

/** The catalogue's expected lines (`<severity> <code> <file>:…`) as the CLI prints them. */
function expectedOutput(fixture: string): { errors: string[]; warnings: string[] } {
  const lines = readFileSync(join(ROOT, ERR, fixture.replace(/\.(csv|json)$/, '.expected.txt')), 'utf8').split('\n').filter(Boolean);
  const render = (l: string) => {
    const [severity = '', , ...rest] = l.split(' ');
    return `${severity}: ${ERR}/${rest.join(' ')}`;
  };
  return {
    errors: lines.filter((l) => l.startsWith('error ')).map(render),
    warnings: lines.filter((l) => l.startsWith('warning ')).map(render),
  };
}

describe('payout validate: the error catalogue', () => {
  it.each(claimsFixtures)('%s', async (fixture) => {
    const { errors, warnings } = expectedOutput(fixture);
    const r = await runCli(['validate', '--plan', PLAN, `${ERR}/${fixture}`]);
    expect(r.code, r.stderr).toBe(errors.length > 0 ? 1 : 0);
    const printed = r.stdout.split('\n').filter((l) => l.startsWith('error: ') || l.startsWith('warning: '));
    expect(printed).toEqual([...errors, ...warnings]);
    const n = errors.length;
    expect(r.stderr).toBe(n > 0 ? `payout: ${ERR}/${fixture} failed validation: ${n} error${n === 1 ? '' : 's'}\n` : '');
  });

  it.each(planFixtures)('%s: the plan is refused, exit 2', async (fixture) => {
    const { errors } = expectedOutput(fixture);
    const r = await runCli(['validate', '--plan', `${ERR}/${fixture}`, `${ERR}/many-problems.csv`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${[...errors, 'payout: the plan was refused'].join('\n')}\n`);
  });
});

describe('payout validate: the report', () => {
  it('prints the whole report for a file with many problems', async () => {
    const r = await runCli(['validate', '--plan', PLAN, `${ERR}/many-problems.csv`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe(
      [
        'fixtures/errors/many-problems.csv: 11 rows, 1 blank row skipped',
        'plan: fixtures/errors/plan.json (weights mode)',
        '7 rows with errors are not counted below',
        'reading stopped at line 15: the rows after it were not checked',
        '',
        'class       weight  claims  eligible  units  points',
        'nationwide       1       3         2    3.5     3.5',
        'illinois         6       1         1      2      12',
        'total                    4         3           15.5',
        '',
        'status    claims',
        'approved       3  eligible',
        'pending        1  not eligible',
        '',
        'error: fixtures/errors/many-problems.csv: the file is not UTF-8: 1 line holds bytes that are not UTF-8 (it is listed; its row is left out); it looks like Windows-1252 (Excel\'s "CSV" on Windows): re-export it as "CSV UTF-8"',
        'error: fixtures/errors/many-problems.csv:3: class: unknown class "ilinois" (expected: nationwide, illinois)',
        'error: fixtures/errors/many-problems.csv:4: units: units must be greater than 0, found "0"',
        'error: fixtures/errors/many-problems.csv:5: claim_id: claim_id "TT-1" already on line 2',
        'error: fixtures/errors/many-problems.csv:6: claim_id: claim_id is empty',
        'error: fixtures/errors/many-problems.csv:7: expected 7 fields, found 5',
        'error: fixtures/errors/many-problems.csv:12: class: unknown class "midwest" (expected: nationwide, illinois)',
        'error: fixtures/errors/many-problems.csv:12: units: units "1.0000001" has more than 6 decimal places',
        'error: fixtures/errors/many-problems.csv:14: invalid UTF-8 (byte 0xE4): re-export the file as CSV UTF-8',
        'error: fixtures/errors/many-problems.csv:15: address: unclosed quote: a quoted field that starts in this record is never closed before the end of the file; reading stopped here',
        'warning: fixtures/errors/many-problems.csv:8: email: same email as line 2: "****.com" (possible duplicate claim)',
        'warning: fixtures/errors/many-problems.csv:9: name: same name and address as line 2 (possible duplicate claim)',
        'warning: fixtures/errors/many-problems.csv:10: status: status is empty: paid as "approved" (the plan\'s blankStatus); write the status, or set "blankStatus": "error" to refuse such rows',
        'warning: fixtures/errors/many-problems.csv:11: blank row (skipped)',
        '',
        '10 errors, 4 warnings',
        '',
      ].join('\n'),
    );
  });

  it('shows the first --max-errors of each kind and says how many more there are', async () => {
    const r = await runCli(['validate', '--plan', PLAN, '--max-errors', '2', `${ERR}/many-problems.csv`]);
    const tail = r.stdout.split('\n').slice(-9);
    expect(tail).toEqual([
      'error: fixtures/errors/many-problems.csv: the file is not UTF-8: 1 line holds bytes that are not UTF-8 (it is listed; its row is left out); it looks like Windows-1252 (Excel\'s "CSV" on Windows): re-export it as "CSV UTF-8"',
      'error: fixtures/errors/many-problems.csv:3: class: unknown class "ilinois" (expected: nationwide, illinois)',
      '… and 8 more errors not shown',
      'warning: fixtures/errors/many-problems.csv:8: email: same email as line 2: "****.com" (possible duplicate claim)',
      'warning: fixtures/errors/many-problems.csv:9: name: same name and address as line 2 (possible duplicate claim)',
      '… and 2 more warnings not shown',
      '',
      '10 errors, 4 warnings',
      '',
    ]);
  });

  it('exits 0 with warnings only, and counts eligible points on the TikTok fixture', async () => {
    const r = await runCli(['validate', '--plan', 'fixtures/tiktok/plan.json', 'fixtures/tiktok/claims.csv']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fixtures\/tiktok\/claims\.csv: [\d,]+ rows\n/);
    expect(r.stdout).toMatch(/\n0 errors, [\d,]+ warnings?\n$/);
  });

  it('prints one JSON document with --json, keys in a stable order', async () => {
    const r = await runCli(['validate', '--plan', PLAN, '--json', `${ERR}/duplicate-email.csv`]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'format', 'file', 'plan', 'ok', 'rows', 'invalidRows', 'blankRows', 'stoppedAtLine', 'columns', 'classes', 'statuses',
      'eligible', 'errors', 'warnings',
    ]);
    expect(report).toMatchObject({
      format: 'payout-validate/1',
      ok: true,
      rows: 5,
      classes: [
        { id: 'nationwide', weight: '1', poolPercent: null, claims: 5, eligible: 5, units: '5', points: '5' },
        { id: 'illinois', weight: '6', poolPercent: null, claims: 0, eligible: 0, units: '0', points: '0' },
      ],
      statuses: [{ status: 'approved', claims: 5, eligible: true }],
      errors: { count: 0, shown: 0, byCode: {}, list: [] },
      warnings: {
        count: 1,
        shown: 1,
        byCode: { duplicate_email: 1 },
        list: [{ line: 4, field: 'email', code: 'duplicate_email', message: 'same email as line 2: "****.com" (possible duplicate claim)' }],
      },
    });
  });

  it('fails with --json too, the JSON on stdout and one line on stderr', async () => {
    const r = await runCli(['validate', '--plan', PLAN, '--json', `${ERR}/unknown-class.csv`]);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, errors: { count: 2 } });
    expect(r.stderr).toBe('payout: fixtures/errors/unknown-class.csv failed validation: 2 errors\n');
  });

  it('writes the rows with errors to --errors-out as CSV', async () => {
    const out = tmp.path('errors.csv');
    const r = await runCli(['validate', '--plan', PLAN, '--errors-out', out, `${ERR}/many-problems.csv`]);
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(
      [
        'line,claim_id,field,code,message',
        '3,TT-2,class,unknown_class,"unknown class ""ilinois"" (expected: nationwide, illinois)"',
        '4,TT-3,units,bad_units,"units must be greater than 0, found ""0"""',
        '5,TT-1,claim_id,duplicate_claim_id,"claim_id ""TT-1"" already on line 2"',
        '6,,claim_id,empty_claim_id,claim_id is empty',
        '7,,,column_count,"expected 7 fields, found 5"',
        '12,TT-10,class,unknown_class,"unknown class ""midwest"" (expected: nationwide, illinois)"',
        '12,TT-10,units,bad_units,"units ""1.0000001"" has more than 6 decimal places"',
        '14,,,invalid_utf8,invalid UTF-8 (byte 0xE4): re-export the file as CSV UTF-8',
        '15,,address,unclosed_quote,unclosed quote: a quoted field that starts in this record is never closed before the end of the file; reading stopped here',
        ',,,invalid_utf8,"the file is not UTF-8: 1 line holds bytes that are not UTF-8 (it is listed; its row is left out); it looks like Windows-1252 (Excel\'s ""CSV"" on Windows): re-export it as ""CSV UTF-8"""',
        '',
      ].join('\n'),
    );
    expect(readdirSync(tmp.path('')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--errors-out into a folder that is not there: exit 2 at once, one clear line', async () => {
    const out = tmp.path('no-such-folder/errors.csv');
    const r = await runCli(['validate', '--plan', PLAN, '--errors-out', out, `${ERR}/many-problems.csv`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`payout: --errors-out ${out}: cannot write the file (the folder ${tmp.path('no-such-folder')} does not exist)\n`);
  });

  it('--errors-out that fails midway (a file size limit): the report, then exit 2, and no file left', () => {
    const claims = tmp.write('many-errors.csv', ['claim_id,class', ...Array.from({ length: 20_000 }, (_, i) => `ID${i},midwest`)].join('\n'));
    const out = tmp.path('limited/errors.csv');
    mkdirSync(tmp.path('limited'));
    ensureBuilt();
    // bash's ulimit -f counts 1,024-byte blocks: 100 KB, where the errors need ~2 MB.
    const r = spawnSync('bash', ['-c', `ulimit -f 100; exec "$0" "$@"`, process.execPath, join(ROOT, 'bin/payout.js'), 'validate', '--plan', PLAN, '--errors-out', out, claims], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('20,000 rows');
    expect(r.stderr).toMatch(new RegExp(`payout: --errors-out ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the file \\(EFBIG\\)\\n$`));
    expect(readdirSync(tmp.path('limited'))).toEqual([]);
  });

  it('writes a header-only --errors-out when there are no errors', async () => {
    const out = tmp.path('none.csv');
    const r = await runCli(['validate', '--plan', PLAN, '--errors-out', out, `${ERR}/duplicate-email.csv`]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('line,claim_id,field,code,message\n');
  });

  it('guards --errors-out cells against spreadsheet formulas', async () => {
    const claims = tmp.write('formula.csv', 'claim_id,class\n"=HYPERLINK(""x"")",midwest\n');
    const out = tmp.path('formula-errors.csv');
    await runCli(['validate', '--plan', PLAN, '--errors-out', out, claims]);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe(`2,"'=HYPERLINK(""x"")",class,unknown_class,"unknown class ""midwest"" (expected: nationwide, illinois)"`);
  });

  it('reads columns under other names with --map and another --delimiter', async () => {
    const claims = tmp.write('mapped.csv', 'ClaimNumber;Subclass;Months\nA-1;illinois;3\nA-2;nationwide;12\n');
    const r = await runCli(['validate', '--plan', PLAN, '--map', 'claim_id=ClaimNumber', '--map', 'class=subclass', '--map', 'units=Months', '--delimiter', ';', claims]);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('illinois         6       1         1      3      18');
  });

  it('suggests --map when a required column is missing', async () => {
    const r = await runCli(['validate', '--plan', PLAN, `${ERR}/missing-column.csv`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(
      'error: fixtures/errors/missing-column.csv:1: claim_id: missing column "claim_id" (found: ClaimNumber, Group, units); rename the column or add --map claim_id=<header>',
    );
  });
});

describe('payout validate: usage errors exit 2', () => {
  it.each([
    [['validate', '--plan', PLAN, 'fixtures/errors/nope.csv'], 'payout: fixtures/errors/nope.csv: claims file not found\n'],
    [['validate', '--plan', 'nope.json', `${ERR}/unknown-class.csv`], 'payout: nope.json: plan file not found\n'],
    [['validate', '--plan', PLAN, '--map', 'claimid=X', `${ERR}/unknown-class.csv`], 'payout: --map claimid=X: unknown field "claimid" (fields: claim_id, class, units, status, email, name, address)\n'],
    [['validate', '--plan', PLAN, '--map', 'claim_id', `${ERR}/unknown-class.csv`], 'payout: --map claim_id: expected field=header, e.g. --map claim_id=ClaimNumber\n'],
    [['validate', '--plan', PLAN, '--delimiter', ';;', `${ERR}/unknown-class.csv`], 'payout: --delimiter ";;": give one character other than a quote or a line break, e.g. --delimiter ";"\n'],
    [['validate', '--plan', PLAN, '--max-errors', 'lots', `${ERR}/unknown-class.csv`], 'payout: --max-errors lots: give a whole number, e.g. --max-errors 100\n'],
    [['validate', '--plan', PLAN, '--errors-out', `${ERR}/unknown-class.csv`, `${ERR}/unknown-class.csv`], `payout: --errors-out ${ERR}/unknown-class.csv: that is an input file; name a new file\n`],
  ])('%j', async (args, stderr) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
  });

  it('a bad flag or a missing --plan', async () => {
    const bad = await runCli(['validate', '--plan', PLAN, '--frobnicate', `${ERR}/unknown-class.csv`]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain("unknown option '--frobnicate'");
    const missing = await runCli(['validate', `${ERR}/unknown-class.csv`]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain("required option '--plan <plan.json>' not specified");
  });

  it('leaves no --errors-out file behind when the claims file is missing', async () => {
    const out = tmp.path('never.csv');
    const r = await runCli(['validate', '--plan', PLAN, '--errors-out', out, 'fixtures/errors/nope.csv']);
    expect(r.code, r.stderr).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.path('')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
