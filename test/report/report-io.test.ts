import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { registerReport } from '../../src/cli/commands/index.js';
import { DISTINCT_LIMIT } from '../../src/core/amount-histogram.js';
import { tallyLedger } from '../../src/io/ledger-histogram.js';
import { formatMoney, formatMoneyHuman, parseMoney } from '../../src/core/money.js';
import { renderReportHtml, writeReport } from '../../src/io/report-html.js';
import { buildReportModel } from '../../src/core/report-model.js';
import { manifestSchema, summarySchema } from '../../src/core/report-input.js';
import { monthsSample, tiktokSample } from './sample-run.js';
import { ensureBuilt } from '../helpers/run-cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'payout-report-io-'));
const HEADER = 'claim_id,class,units,points,status,outcome,share,amount';

function ledger(rows: string[], opts: { bom?: boolean; crlf?: boolean } = {}): string {
  const dir = tmp();
  const eol = opts.crlf ? '\r\n' : '\n';
  const path = join(dir, 'ledger.csv');
  writeFileSync(path, `${opts.bom ? '\uFEFF' : ''}${[HEADER, ...rows].join(eol)}${eol}`);
  return path;
}

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('tallyLedger', () => {
  it('counts paid and capped claims only, sums every amount, reads a BOM and CRLF', async () => {
    const t = await tallyLedger(
      ledger(
        [
          'A,x,1,1,approved,paid,27.845,27.85',
          'B,x,1,1,approved,paid,27.845,27.84',
          'C,y,1,6,approved,capped,167.07,167.07',
          'D,x,1,1,approved,below_minimum,0,0.00',
          '"=E",x,1,1,rejected,ineligible,0,0.00',
        ],
        { bom: true, crlf: true },
      ),
    );
    expect(t.rows).toBe(5);
    expect(t.paidClaims).toBe(3);
    expect(t.paidCents).toBe(2785n + 2784n + 16707n);
    expect(t.histogram).toEqual({
      kind: 'levels',
      buckets: [
        { lo: 2784n, hi: 2785n, count: 2 },
        { lo: 16707n, hi: 16707n, count: 1 },
      ],
      total: 3,
    });
  });

  it('counts the rows paid 0.00 by outcome, the ineligible ones by status (formula guard removed)', async () => {
    const t = await tallyLedger(
      ledger([
        'A,x,1,1,approved,paid,27.845,27.85',
        'B,x,1,1,rejected,ineligible,0,0.00',
        'C,x,1,1,rejected,ineligible,0,0.00',
        "D,x,1,1,'=cmd,ineligible,0,0.00",
        'E,x,1,1,approved,below_minimum,0,0.00',
        'F,x,1,1,approved,paid,0.004,0.00',
        'G,x,1,1,approved,capped,0,0.00',
        'H,x,1,1,approved,refunded,0,0.00',
      ]),
    );
    expect(t.unpaid).toEqual({ rows: 7, byStatus: new Map([['rejected', 2], ['=cmd', 1]]), belowMinimum: 1, capped: 1, paid: 1, other: 1 });
  });

  it('more distinct amounts than it keeps: a second pass, same counts', async () => {
    // 10.00, 10.03, 10.06, …: more distinct amounts than the tally keeps.
    const rows = Array.from({ length: DISTINCT_LIMIT + 5 }, (_, i) => `C${i},x,1,1,approved,paid,0,${formatMoney(1000n + 3n * BigInt(i))}`);
    const t = await tallyLedger(ledger(rows));
    const h = t.histogram;
    expect(h.kind).toBe('equal-width');
    expect(h.total).toBe(DISTINCT_LIMIT + 5);
    expect(h.buckets.reduce((s, b) => s + b.count, 0)).toBe(DISTINCT_LIMIT + 5);
    expect(h.width).toBe(2000n);
    expect(h.buckets[0]).toMatchObject({ lo: 0n, hi: 1999n, count: 334 }); // 10.00 … 19.99
    expect(t.paidCents).toBe(rows.reduce((s, _r, i) => s + 1000n + 3n * BigInt(i), 0n));
  });

  it('a bad amount is an error with its line', async () => {
    const path = ledger(['A,x,1,1,approved,paid,1,1.00', 'B,x,1,1,approved,paid,1,1.5', 'C,x,1,1,approved,paid,1,$3.00']);
    const err = await usageError(tallyLedger(path));
    expect(err.problems.map((p) => [p.file, p.line, p.field, p.message])).toEqual([
      [path, 3, 'amount', '"1.5" is not an amount with 2 decimals'],
      [path, 4, 'amount', '"$3.00" is not an amount with 2 decimals'],
    ]);
  });

  it('a file without the amount column is not a ledger', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'ledger.csv'), 'claim_id,class\nA,x\n');
    const err = await usageError(tallyLedger(join(dir, 'ledger.csv')));
    expect(err.message).toBe(`${join(dir, 'ledger.csv')}: not a payout ledger`);
    expect(err.problems[0]?.message).toContain('no outcome or amount column');
  });

  it('a row with the wrong number of columns is a CSV error, not skipped', async () => {
    const err = await usageError(tallyLedger(ledger(['A,x,1,1,approved,paid,1,1.00', 'B,x,1'])));
    expect(err.problems[0]?.code).toBe('csv_syntax');
    expect(err.problems[0]?.line).toBe(3);
  });

  it('reads quoted cells with commas, quotes and line breaks (--keep columns); a line is where a record starts', async () => {
    const dir = tmp();
    const path = join(dir, 'ledger.csv');
    writeFileSync(
      path,
      `${HEADER},address\n` +
        'A,x,1,1,approved,paid,1,1.00,"1 Main St,\nApt 2, ""Rear"""\n' +
        "'-B,x,1,1,approved,paid,1,2.00,\"3 Elm St, Chicago\"\n" +
        'C,x,1,1,approved,paid,1,2.5,"4 Oak St,\nSpringfield"\n',
    );
    const err = await usageError(tallyLedger(path));
    expect(err.problems.map((p) => [p.line, p.field])).toEqual([[5, 'amount']]);
    writeFileSync(path, readFileSync(path, 'utf8').replace(',2.5,', ',2.50,'));
    const t = await tallyLedger(path);
    expect([t.rows, t.paidClaims, t.paidCents]).toEqual([3, 3, 550n]);
  });

  it('an unclosed quote is a CSV error with its line', async () => {
    const err = await usageError(tallyLedger(ledger(['A,x,1,1,approved,paid,1,1.00', 'B,x,1,1,approved,paid,1,"1.00'])));
    expect(err.problems.map((p) => [p.code, p.line])).toEqual([['csv_syntax', 3]]);
  });
});

describe('writeReport and `payout report DIR`', () => {
  it('writes DIR/report.html, the same bytes every run, replacing the old one, no temp file left', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const path = await writeReport(dir);
    expect(path).toBe(join(dir, 'report.html'));
    const first = readFileSync(path, 'utf8');
    writeFileSync(path, 'stale');
    await writeReport(dir);
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['ledger.csv', 'manifest.json', 'report.html', 'summary.json']);
    expect(first.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
  });

  it('self-contained: no script, no external reference of any kind', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const text = readFileSync(await writeReport(dir), 'utf8');
    expect(text).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:|src=|href=/i);
    expect(text).toContain('@media print');
  });

  it('the docket number in the title is one span that does not wrap (screen and print)', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const text = readFileSync(await writeReport(dir), 'utf8');
    expect(text).toContain('<h1>In re TikTok, Inc., Consumer Privacy Litigation (<span class="docket">MDL 2948</span>)</h1>');
    expect(text).toMatch(/\.docket \{ white-space: nowrap; \}/);
  });

  it('says why claims went unpaid, by status; shows the blank statuses of summary.json; nothing of it for an older summary', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const file = join(dir, 'summary.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { unpaid: { byStatus: { status: string; claims: number }[] } };
    const text = readFileSync(await writeReport(dir), 'utf8');
    expect(text).toContain('<h2>Claims not paid</h2>');
    for (const s of json.unpaid.byStatus) expect(text).toContain(`data-unpaid="status" data-status="${s.status}" data-count="${s.claims}"`);
    expect(text).not.toContain('data-claims-note');
    writeFileSync(file, JSON.stringify({ ...json, warnings: { blankStatuses: 2746 } }));
    const blank = readFileSync(await writeReport(dir), 'utf8');
    expect(blank).toContain('<p class="note" data-claims-note="blankStatuses" data-count="2746">2,746 claims had a blank status and were read as approved');
    const { unpaid: _, ...older } = json;
    writeFileSync(file, JSON.stringify(older));
    expect(readFileSync(await writeReport(dir), 'utf8')).not.toContain('id="unpaid"');
  });

  it('escapes text from the inputs', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const summary = summarySchema.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const tally = await tallyLedger(join(dir, 'ledger.csv'));
    const evil = '<script>alert(1)</script> & "Co"';
    const text = renderReportHtml(
      buildReportModel(
        { ...summary, case: evil, deductions: summary.deductions.map((d) => ({ ...d, label: `${d.label}"><img src=x>` })) },
        manifest,
        tally,
      ),
    );
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<img');
    expect(text).toContain('&lt;script>alert(1)&lt;/script> &amp; &quot;Co&quot;');
  });

  it('files that disagree: the report is still written, with a warning at the top', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const summary = summarySchema.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const tally = await tallyLedger(join(dir, 'ledger.csv'));
    const ok = renderReportHtml(buildReportModel(summary, manifest, tally));
    expect(ok).not.toContain('class="warning"');
    const bad = renderReportHtml(buildReportModel(summary, manifest, { ...tally, rows: tally.rows - 1 }));
    expect(bad).toContain('class="warning"');
    expect(bad).toContain('Check failed: the files do not agree. ledger.csv does not have one row per claim (');
    expect(bad).not.toContain('The files do not agree: ledger.csv has one row per claim');
  });

  it('a folder without summary.json: exit 2 with a clear message', async () => {
    const dir = tmp();
    const err = await usageError(writeReport(dir));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(`${dir} has no summary.json; payout report reads the folder that \`payout allocate --out DIR\` wrote`);
    const missing = await usageError(writeReport(join(dir, 'nope')));
    expect(missing.message).toBe(`${join(dir, 'nope')}: no such folder`);
  });

  it('a summary of another format is refused with the field named', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    s.format = 'payout-summary/2';
    s.net = 57090833.33;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    const err = await usageError(writeReport(dir));
    const file = join(dir, 'summary.json');
    expect(err.problems.map((p) => [p.file, p.field, p.message])).toEqual([
      [file, 'format', 'expected "payout-summary/1" (this payout reads format 1)'],
      [file, 'net', 'must be an amount as a string with 2 decimals, e.g. "1200000.00"'],
    ]);
  });

  it('a missing ledger.csv is named', async () => {
    const dir = tmp();
    tiktokSample(dir);
    rmSync(join(dir, 'ledger.csv'));
    const err = await usageError(writeReport(dir));
    expect(err.message).toContain('ledger.csv: not found');
  });

  it('the command prints the path of the report', async () => {
    const dir = tmp();
    tiktokSample(dir);
    const program = new Command('payout').exitOverride();
    registerReport(program);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'payout', 'report', dir]);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).toBe(`Wrote ${join(dir, 'report.html')}\n`);
  });
});

describe('the real binary (after npm run build)', () => {
  const payout = (...args: string[]) => {
    ensureBuilt();
    return spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/payout.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  };

  it('payout report DIR: exit 0, the path on stdout', () => {
    const dir = tmp();
    tiktokSample(dir);
    const r = payout('report', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Wrote ${join(dir, 'report.html')}\n`);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  it('payout report on a folder whose files disagree: exit 1, the report still written, its banner saying the check failed', () => {
    const dir = tmp();
    tiktokSample(dir);
    const lines = readFileSync(join(dir, 'ledger.csv'), 'utf8').split('\n');
    const cells = lines[1]!.split(',');
    cells[cells.length - 1] = '999999.00';
    lines[1] = cells.join(',');
    writeFileSync(join(dir, 'ledger.csv'), lines.join('\n'));
    const r = payout('report', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`payout: ${dir}: the files do not agree: ledger.csv amounts do not add up to the amount paid (Σ amount = `);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Check failed: the files do not agree. ledger.csv amounts do not add up to the amount paid');
  });

  it("a ledger whose claims not paid are not summary.json's `unpaid`: exit 1, the banner names the check; no `unpaid` (an older payout): no such check", () => {
    const dir = tmp();
    monthsSample(dir);
    const ok = payout('report', dir);
    expect(ok.status, ok.stderr).toBe(0);
    const agrees = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(agrees).toMatch(/<tr data-check="ok"><td class="verdict ok">✓ agrees<\/td><th scope="row">ledger.csv's claims not paid are the summary's<\/th><td class="num">[\d,]+ rows paid \$0\.00 \(ineligible [\d,]+, below_minimum [\d,]+\); unpaid [\d,]+ \(reasons [\d,]+\)<\/td>/);
    // One rejected claim made "below the minimum" in the ledger: every amount, row and paid count still agrees.
    const path = join(dir, 'ledger.csv');
    const original = readFileSync(path, 'utf8');
    const edited = original.replace(/,rejected,ineligible,([\d.]+),0\.00\n/, ',approved,below_minimum,$1,0.00\n');
    expect(edited).not.toBe(original);
    writeFileSync(path, edited);
    const r = payout('report', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`payout: ${dir}: the files do not agree: ledger.csv's claims not paid are not the summary's (`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain("Check failed: the files do not agree. ledger.csv's claims not paid are not the summary's (");
    // The same ledger beside a summary without `unpaid`: nothing to check it against.
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    delete summary.unpaid;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
    const older = payout('report', dir);
    expect(older.status, older.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toContain('claims not paid are');
  });

  it('payout report on a folder without summary.json: exit 2, one clear line', () => {
    const dir = tmp();
    const r = payout('report', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`payout: ${dir} has no summary.json; payout report reads the folder that \`payout allocate --out DIR\` wrote\n`);
  });

  it('reports on what the real `payout allocate` wrote (TikTok fixture)', () => {
    const dir = join(tmp(), 'out');
    const root = join(import.meta.dirname, '../..');
    const a = payout('allocate', '--plan', join(root, 'fixtures/tiktok/plan.json'), join(root, 'fixtures/tiktok/claims.csv'), '--out', dir);
    expect(a.status, a.stderr).toBe(0);
    const r = payout('report', dir);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(html).toContain(formatMoneyHuman(parseMoney(summary.net) ?? 0n));
    expect(html).not.toContain('data-check="failed"');
  });
});
