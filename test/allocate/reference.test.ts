/**
 * payout against an independent re-implementation: scripts/reference-allocate.py (Python, standard
 * library, written from docs/spec.md alone) must produce every scenario's ledger.csv byte for byte, and
 * the same net, pools, residual and leftover cents as summary.json. It is the only check of the
 * golden files that does not run payout's own code: without python3 it skips with a warning on a
 * developer's machine, and fails in CI (`CI` set; .ci/run installs python3).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';
import { scenarios, type Scenario } from './scenario-files.js';

const SCRIPT = join(ROOT, 'scripts/reference-allocate.py');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = !python.error && python.status === 0;
const MUST_RUN = Boolean(process.env.CI);
if (!hasPython && !MUST_RUN) {
  console.warn('reference.test: skipped, python3 is missing (the independent check of the golden files; CI installs it)');
}

function reference(s: Scenario, extra: string[] = []): string {
  const args = [SCRIPT, s.plan, s.claims, ...(s.keep.length > 0 ? [`--keep=${s.keep.join(',')}`] : []), ...extra];
  const r = spawnSync('python3', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`reference-allocate.py failed on ${s.name}:\n${r.stderr}`);
  return r.stdout;
}

interface SummaryJson {
  deductions: { label: string; amount: string; remaining: string }[];
  net: string;
  pools: { id: string; net: string; paid: string; residual: string; centsPlaced: number }[];
  classes: {
    id: string;
    claims: number;
    eligible: number;
    paid: number;
    capped: number;
    belowMinimum: number;
    ineligible: number;
    amount: string;
    smallest: string | null;
    largest: string | null;
  }[];
  totals: { amount: string; residual: string; centsPlaced: number };
  unpaid?: { claims: number; byStatus: { status: string; claims: number }[]; belowMinimum: number; cappedToZero: number; roundedToZero: number };
}

const cents = (m: string): bigint => BigInt(m.replace('.', ''));
const money = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

describe.skipIf(!hasPython && !MUST_RUN)('scripts/reference-allocate.py agrees with payout', () => {
  beforeAll(() => {
    if (!hasPython) throw new Error(`python3 is missing (${python.error?.message ?? python.stderr}); CI must install it (.ci/run)`);
  });

  it.each(scenarios().map((s) => [s.name, s] as const))('%s', (_, s) => {
    const expectedLedger = readFileSync(s.expectedLedger, 'utf8');
    expect(reference(s)).toBe(expectedLedger);

    const summary = JSON.parse(readFileSync(s.expectedSummary, 'utf8')) as SummaryJson;
    const ref = JSON.parse(reference(s, ['--summary'])) as Pick<SummaryJson, 'deductions' | 'net' | 'pools' | 'totals' | 'unpaid'>;
    expect(ref.deductions).toEqual(summary.deductions.map(({ label, amount, remaining }) => ({ label, amount, remaining })));
    expect(ref.net).toBe(summary.net);
    expect(ref.pools).toEqual(summary.pools.map(({ id, net, paid, residual, centsPlaced }) => ({ id, net, paid, residual, centsPlaced })));
    const { amount, residual, centsPlaced } = summary.totals;
    expect(ref.totals).toEqual({ amount, residual, centsPlaced });
    // Why claims were paid nothing (bucket plans: test/buckets/reference.test.ts).
    if (summary.unpaid !== undefined) expect(ref.unpaid).toEqual(summary.unpaid);

    // The per-class figures of summary.json, recounted from the reference's ledger.
    const rows = parse(expectedLedger, { columns: true }) as Record<string, string>[];
    const classes = summary.classes.map((c) => {
      const mine = rows.filter((r) => r.class === c.id);
      const paid = mine.filter((r) => r.outcome === 'paid' || r.outcome === 'capped').map((r) => cents(r.amount!));
      const count = (o: string) => mine.filter((r) => r.outcome === o).length;
      return {
        id: c.id,
        claims: mine.length,
        eligible: mine.length - count('ineligible'),
        paid: paid.length,
        capped: count('capped'),
        belowMinimum: count('below_minimum'),
        ineligible: count('ineligible'),
        amount: money(paid.reduce((a, b) => a + b, 0n)),
        smallest: paid.length === 0 ? null : money(paid.reduce((a, b) => (b < a ? b : a))),
        largest: paid.length === 0 ? null : money(paid.reduce((a, b) => (b > a ? b : a))),
      };
    });
    expect(summary.classes.map(({ id, claims, eligible, paid, capped, belowMinimum, ineligible, amount, smallest, largest }) =>
      ({ id, claims, eligible, paid, capped, belowMinimum, ineligible, amount, smallest, largest }))).toEqual(classes);
  });
});
