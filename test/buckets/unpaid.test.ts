/**
 * A bucket plan's summary.json `unpaid` (docs/outputs.md): every claim paid 0.00 and why, with the
 * reasons of a bucket plan; the terminal's "Not paid" line; the report's "Claims not paid" table
 * and its cross-check against ledger.csv; an older summary without `unpaid`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateBucketsToFolder } from '../../src/app/allocate-buckets.js';
import { writeBucketReport } from '../../src/io/bucket-report-html.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { UNPAID_CLAIMS, UNPAID_PLAN } from './helpers.js';

const tmp = tempDir();
const read = (f: string): string => readFileSync(f, 'utf8');

function files(name: string, plan: object = UNPAID_PLAN): { planFile: string; claimsFile: string } {
  return { planFile: tmp.write(`${name}-plan.json`, JSON.stringify(plan)), claimsFile: tmp.write(`${name}-claims.csv`, `${UNPAID_CLAIMS}\n`) };
}

const zeroRows = (ledger: string): number => ledger.trim().split('\n').slice(1).filter((l) => l.endsWith(',0.00')).length;

describe('summary.json `unpaid` of a bucket plan', () => {
  it('counts each claim paid 0.00 once, by reason: status, nothing claimed, no money left, under a cent', async () => {
    const outDir = tmp.path('reasons');
    const { summary } = await allocateBucketsToFolder({ ...files('reasons'), outDir });
    expect(summary.unpaid).toEqual({
      claims: 7,
      byStatus: [
        { status: 'rejected', claims: 2 },
        { status: 'denied', claims: 1 },
      ],
      belowMinimum: 0,
      noEntitlement: 1,
      unfunded: 1,
      roundedToZero: 2,
    });
    // Every row of the ledger paid 0.00, and the summary's outcome counts split by reason.
    expect(zeroRows(read(join(outDir, 'ledger.csv')))).toBe(7);
    expect(summary.claims).toMatchObject({ ineligible: 3, belowMinimum: 0, nothingClaimed: 4 });
    // In the file, right after the counts by outcome.
    const keys = Object.keys(JSON.parse(read(join(outDir, 'summary.json'))) as object);
    expect(keys.indexOf('unpaid')).toBe(keys.indexOf('claims') + 1);
  });

  it('counts the claims the minimum payment removed', async () => {
    const outDir = tmp.path('minimum');
    const { summary } = await allocateBucketsToFolder({ ...files('minimum', { ...UNPAID_PLAN, minimumPayment: '1.00' }), outDir });
    // Z1–Z3 and Y would get less than $1.00: removed; X gets the whole $100.00.
    expect(summary.unpaid).toEqual({ claims: 8, byStatus: [{ status: 'rejected', claims: 2 }, { status: 'denied', claims: 1 }], belowMinimum: 4, noEntitlement: 1, unfunded: 0, roundedToZero: 0 });
    expect(zeroRows(read(join(outDir, 'ledger.csv')))).toBe(8);
  });

  it('payout allocate says it in one line', async () => {
    const { planFile, claimsFile } = files('cli');
    const r = await runCli(['allocate', '--plan', planFile, claimsFile, '--out', tmp.path('cli-out')], { env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Not paid: 7 claims (status rejected 2, denied 1; nothing claimed 1; nothing left in their buckets 1; a share under one cent 2)\n');
  });
});

describe('the report of a bucket folder: claims not paid', () => {
  it('a table of the reasons, checked against ledger.csv; an edited count fails the check', async () => {
    const outDir = tmp.path('report');
    await allocateBucketsToFolder({ ...files('report'), outDir });
    const { path, failed } = await writeBucketReport(outDir);
    expect(failed).toEqual([]);
    const page = read(path);
    const rows = [...page.matchAll(/<tr data-unpaid="(\w+)"(?: data-status="(\w+)")? data-count="(\d+)">\s*<th scope="row">([^<]*)</g)].map((m) => [m[1], m[2] ?? '', Number(m[3]), m[4]]);
    expect(rows).toEqual([
      ['status', 'rejected', 2, 'Status “rejected”: not an eligible status'],
      ['status', 'denied', 1, 'Status “denied”: not an eligible status'],
      ['noEntitlement', '', 1, 'Eligible, but nothing claimed in any bucket'],
      ['unfunded', '', 1, 'Claimed only in buckets that had nothing for them (the buckets funded before them left no money, or a cap of $0.00)'],
      ['roundedToZero', '', 2, 'A share under one cent, left at $0.00 by the remainder rule'],
    ]);
    expect(page).toContain('<tr data-unpaid="total" data-count="7"><td>Not paid, of 9 claims</td>');
    expect(page).toContain("ledger.csv's claims not paid are the summary's");

    const file = join(outDir, 'summary.json');
    const json = JSON.parse(read(file)) as { unpaid: { claims: number; unfunded: number } };
    json.unpaid.unfunded = 0;
    json.unpaid.claims = 6;
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    const edited = await writeBucketReport(outDir);
    expect(edited.failed.map((c) => c.label)).toEqual(["ledger.csv's claims not paid are the summary's"]);
    expect(edited.failed[0]!.detail).toBe('7 rows paid $0.00; unpaid 6 (reasons 6)');
  });

  it('a summary of an older payout, without `unpaid`: no such table, no such check', async () => {
    const outDir = tmp.path('older');
    await allocateBucketsToFolder({ ...files('older'), outDir });
    const file = join(outDir, 'summary.json');
    const { unpaid: _, ...older } = JSON.parse(read(file)) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify(older, null, 2)}\n`);
    const { path, failed } = await writeBucketReport(outDir);
    expect(failed).toEqual([]);
    const page = read(path);
    expect(page).not.toContain('id="unpaid"');
    expect(page).not.toContain('claims not paid are');
  });
});
