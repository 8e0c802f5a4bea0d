import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBucketReportModel, bucketSummarySchema } from '../../src/core/buckets/report.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const read = (f: string): string => readFileSync(f, 'utf8');
/** The visible text of a page, tags and styles dropped, spaces collapsed. */
const text = (page: string): string =>
  page
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('the distribution report of a bucket folder', () => {
  it('the waterfall goes from the net through each bucket, in funding order, to the residual', () => {
    const summary = bucketSummarySchema.parse(JSON.parse(read(join(FIX, 'expected/summary.json'))));
    const m = buildBucketReportModel(summary);
    const after = m.waterfall.steps.slice(m.waterfall.steps.findIndex((s) => s.kind === 'net'));
    expect(after.map((s) => `${s.label} ${s.amount.text} from ${s.base}`)).toEqual([
      'Net settlement fund $300,000.00 from 0',
      'Documented out-of-pocket losses $212,345.60 from 8765440',
      'Lost time at $25 an hour $31,000.00 from 5665440',
      'Alternative cash payment $31,000.00 from 2565440',
      'Residual $25,654.40 from 0',
    ]);
    expect(m.buckets.map((b) => `${b.id} ${b.claimed} ${b.cap} ${b.reduction} ${b.paid.text}`)).toEqual([
      'documented $212,345.60 — 0% $212,345.60',
      'time $50,000.00 $31,000.00 38% $31,000.00',
      'cash $37,500.00 $31,000.00 17.33% $31,000.00',
    ]);
  });

  it('allocate --report writes it, payout report DIR rewrites it byte for byte (exit 0)', async () => {
    const out = tmp.path('with-report');
    const r = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out, '--report']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${join(out, 'report.html')}`);
    const first = read(join(out, 'report.html'));
    const page = text(first);
    expect(page).toContain('Lost time at $25 an hour time, hours 120 $50,000.00 $31,000.00 — 38% $31,000.00');
    expect(page).toContain('Alternative cash payment cash, flat 300 $37,500.00 $31,000.00 — 17.33% $31,000.00');
    expect(page).toContain('Residual, to extended credit monitoring for the class $25,654.40');
    expect(page).toContain('Paid $274,345.60 340 of 342 claims');
    // The ordinary files are those of the run without --report.
    expect(read(join(out, 'ledger.csv'))).toBe(read(join(FIX, 'expected/ledger.csv')));
    const again = await runCli(['report', out]);
    expect(again.code).toBe(0);
    expect(read(join(out, 'report.html'))).toBe(first);
  });

  it('refuses an edited summary.json naming the file and the field (exit 2), and writes no report', async () => {
    const out = tmp.path('edited');
    expect((await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out])).code).toBe(0);
    const file = join(out, 'summary.json');
    writeFileSync(file, read(file).replace('"totalPaid": "274345.60"', '"totalPaid": "lots"'));
    const r = await runCli(['report', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: totalPaid: "lots": not an amount`);
    expect(() => read(join(out, 'report.html'))).toThrow();
  });

  it('cross-checks ledger.csv against summary.json: every check agrees on the folder allocate wrote', async () => {
    const out = tmp.path('checked');
    expect((await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out, '--report'])).code).toBe(0);
    const page = read(join(out, 'report.html'));
    expect(page.match(/data-check="ok"/g)).toHaveLength(8);
    expect(page).not.toContain('data-check="failed"');
    expect(text(page)).toContain("✓ agrees ledger.csv's claims not paid are the summary's 2 rows paid $0.00; unpaid 2 (reasons 2)");
    expect(text(page)).toContain('Claims not paid Why not paid Claims Status “denied”: not an eligible status 2 Not paid, of 342 claims 2');
    expect(page).not.toContain('role="alert"');
    expect(text(page)).toContain("✓ agrees ledger.csv bucket columns add up to each bucket's paid Σ documented = $212,345.60; Σ time = $31,000.00; Σ cash = $31,000.00");
  });

  it('a tampered ledger: the report is still written, marked, and payout report exits 1', async () => {
    const out = tmp.path('tampered');
    expect((await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out])).code).toBe(0);
    const ledger = join(out, 'ledger.csv');
    // A cent moved from the cash column to the time column: the total, and so Σ amount, unchanged.
    writeFileSync(ledger, read(ledger).replace('\nEQ0025,approved,paid,0.00,310.00,103.33,413.33\n', '\nEQ0025,approved,paid,0.00,310.01,103.32,413.33\n'));
    const r = await runCli(['report', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the files do not agree: ledger.csv bucket columns do not add up to each bucket's paid (Σ time = $31,000.01, paid $31,000.00; Σ cash = $30,999.99, paid $31,000.00)");
    const page = read(join(out, 'report.html'));
    expect(page).toContain('role="alert"');
    expect(page.match(/data-check="failed"/g)).toHaveLength(1);

    // A row's amount raised: Σ amount no longer the amount paid.
    writeFileSync(ledger, read(ledger).replace('\nEQ0200,approved,paid,0.00,0.00,103.33,103.33\n', '\nEQ0200,approved,paid,0.00,0.00,103.33,203.33\n'));
    const again = await runCli(['report', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ledger.csv amounts do not add up to the amount paid (Σ amount = $274,445.60)');
  });
});
