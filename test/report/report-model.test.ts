import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyHuman } from '../../src/core/money.js';
import { manifestSchema, summarySchema, type Summary } from '../../src/core/report-input.js';
import {
  axisTicks,
  buildReportModel,
  buildWaterfall,
  type LedgerTally,
} from '../../src/core/report-model.js';
import { compactMoney, displayRatio, groupDecimal, humanizeAmounts } from '../../src/core/display-numbers.js';
import { tallyLedger } from '../../src/io/ledger-histogram.js';
import { monthsSample, tiktokSample } from './sample-run.js';

const money = (c: bigint) => ({ cents: c, text: formatMoneyHuman(c), short: compactMoney(c) });

async function sample(make: (dir: string) => unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'payout-report-model-'));
  make(dir);
  const summary = summarySchema.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const tally = await tallyLedger(join(dir, 'ledger.csv'));
  return { dir, summary, manifest, tally };
}

/** A summary with the given fund and deductions; the rest consistent and minimal. */
function summaryWith(gross: bigint, interest: bigint, amounts: bigint[], paid: bigint): Summary {
  const fund = gross + interest;
  let left = fund;
  const deductions = amounts.map((a, i) => {
    left -= a;
    return { label: `Deduction ${i + 1}`, rule: 'fixed', amount: formatMoney(a), remaining: formatMoney(left) };
  });
  const net = left;
  const paidCents = paid > net ? net : paid;
  return summarySchema.parse({
    format: 'payout-summary/1',
    case: 'A v. B',
    currency: 'USD',
    mode: 'weights',
    rounding: { method: 'largest-remainder' },
    seed: 's',
    fund: { gross: formatMoney(gross), interest: formatMoney(interest), fund: formatMoney(fund) },
    deductions,
    totalDeductions: formatMoney(fund - net),
    net: formatMoney(net),
    minimumPayment: null,
    maximumPayment: null,
    pools: [],
    classes: [],
    totals: { claims: 0, eligible: 0, paid: 0, amount: formatMoney(paidCents), residual: formatMoney(net - paidCents), centsPlaced: 0 },
    check: { paidPlusResidual: formatMoney(net), net: formatMoney(net), balanced: true },
  });
}

describe('displayRatio: chart geometry from cents without float money', () => {
  it('is exact enough and bounded', () => {
    expect(displayRatio(0n, 100n)).toBe(0);
    expect(displayRatio(50n, 100n)).toBe(0.5);
    expect(displayRatio(100n, 100n)).toBe(1);
    expect(displayRatio(200n, 100n)).toBe(1);
    expect(displayRatio(5n, 0n)).toBe(0);
    // Far beyond 2^53 cents: still the right ratio.
    const huge = 2n ** 80n;
    expect(displayRatio(huge / 3n, huge)).toBeCloseTo(1 / 3, 6);
  });
});

describe('waterfall', () => {
  it('property: deductions plus net make the fund; each deduction hangs from what was left before it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        (gross, interest, weights, paid) => {
          // Deductions as parts of the fund, so they never exceed it.
          const fund = gross + interest;
          const total = weights.reduce((s, w) => s + w, 0n) + 1n;
          const amounts = weights.map((w) => (fund * w) / total / 2n);
          const s = summaryWith(gross, interest, amounts, paid);
          const w = buildWaterfall(s, money);
          const sum = (kind: string) => w.steps.filter((x) => x.kind === kind).reduce((a, x) => a + x.amount.cents, 0n);
          expect(sum('gross') + sum('interest')).toBe(fund);
          expect(sum('deduction') + sum('net')).toBe(fund);
          expect(sum('paid') + sum('residual')).toBe(sum('net'));
          let level = fund;
          for (const step of w.steps.filter((x) => x.kind === 'deduction')) {
            expect(step.base + step.amount.cents).toBe(level);
            level = step.base;
          }
          expect(level).toBe(sum('net'));
          expect(w.top).toBe(fund);
          expect(w.steps.some((x) => x.kind === 'interest')).toBe(interest > 0n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gridlines are round amounts up to the top', () => {
    expect(axisTicks(920000000000n / 100n)).toEqual([0n, 2000000000n, 4000000000n, 6000000000n, 8000000000n]);
    expect(axisTicks(0n)).toEqual([0n]);
    expect(axisTicks(150n)).toEqual([0n, 100n]);
  });
});

describe('the view model of a TikTok-style run', () => {
  it('money as $ with separators, the waterfall of the plan, one row per class', async () => {
    const { summary, manifest, tally } = await sample(tiktokSample);
    const m = buildReportModel(summary, manifest, tally);
    expect(m.figures.fund.text).toBe('$92,000,000.00');
    expect(m.figures.net.text).toBe('$57,090,833.33');
    expect(m.deductions[0]).toMatchObject({ label: "Attorneys' fees", amount: { text: '$30,666,666.67' } });
    expect(m.waterfall.steps.map((s) => s.kind)).toEqual(['gross', 'deduction', 'deduction', 'deduction', 'deduction', 'net', 'paid', 'residual']);
    expect(m.classes.map((c) => c.id)).toEqual(['nationwide', 'illinois']);
    expect(m.classes[1]?.share).toBe('weight 6');
    expect(m.histogram.kind).toBe('levels');
    expect(m.histogram.bars).toHaveLength(2);
    expect(m.histogram.total).toBe(summary.totals.paid);
    expect(m.checks.every((c) => c.ok)).toBe(true);
    expect(m.planSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.files.map((f) => f.file)).toEqual(['plan.json', 'claims.csv', 'ledger.csv', 'summary.json']);
  });

  it('states the rounding method and tie-break in words, with the numbers of the run', async () => {
    const { summary, manifest, tally } = await sample(tiktokSample);
    const words = buildReportModel(summary, manifest, tally).method.join('\n');
    expect(words).toContain('each claim gets the floor of its exact share in cents');
    expect(words).toContain(`the ${groupDecimal(String(summary.totals.centsPlaced))} leftover cents go one each to the claims with the largest remainders`);
    expect(words).toContain('ties broken by SHA-256(seed:claim_id)');
    expect(words).toContain('seed "tiktok-mdl-2948"');
    expect(words).toContain('nationwide 1, illinois 6');
    expect(words).toContain('Minimum payment $5.00');
    expect(words).toContain('goes to the cy pres recipient named in the settlement');
  });

  it('per-point rounding is described with the floored point value', async () => {
    const { summary, manifest, tally } = await sample((d) => monthsSample(d, 'per-point'));
    const m = buildReportModel(summary, manifest, tally);
    const words = m.method.join('\n');
    expect(words).toContain('the value of one point is floored to 2 decimal places');
    expect(words).toContain(`all: $${summary.pools[0]?.pointValue}`);
    expect(m.figures.residual.cents > 0n).toBe(true);
    expect(m.checks.every((c) => c.ok)).toBe(true);
  });

  it('pools mode says how the pools were split', async () => {
    const { summary, manifest, tally } = await sample(tiktokSample);
    const pools: Summary = {
      ...summary,
      mode: 'pools',
      classes: summary.classes.map((c, i) => ({ ...c, weight: null, poolPercent: i === 0 ? '70' : '30' })),
    };
    const m = buildReportModel(pools, manifest, tally);
    expect(m.method[0]).toContain('nationwide 70%, illinois 30%');
    expect(m.method[0]).toContain('SHA-256(seed:class_id)');
    expect(m.classes[0]?.share).toBe('70% of net');
  });

  it('a ledger that disagrees with the summary fails its checks', async () => {
    const { summary, manifest, tally } = await sample(tiktokSample);
    const edited: LedgerTally = { ...tally, paidCents: tally.paidCents + 1n };
    const checks = buildReportModel(summary, manifest, edited).checks;
    expect(checks.filter((c) => !c.ok).map((c) => c.label)).toEqual(['ledger.csv amounts add up to the amount paid']);
  });

  it("claims not paid: ledger.csv's rows paid 0.00 by outcome and status are summary.json's `unpaid`", async () => {
    const { summary, manifest, tally } = await sample(monthsSample);
    const label = "ledger.csv's claims not paid are the summary's";
    const check = (s: Summary, t: LedgerTally) => buildReportModel(s, manifest, t).checks.find((c) => c.label === label);
    const u = summary.unpaid!;
    const rejected = u.byStatus[0]!.claims;
    expect(u.byStatus).toEqual([{ status: 'rejected', claims: rejected }]);
    expect(check(summary, tally)).toEqual({
      label,
      failure: "ledger.csv's claims not paid are not the summary's",
      ok: true,
      detail: `${groupDecimal(String(u.claims))} rows paid $0.00 (ineligible ${groupDecimal(String(rejected))}, below_minimum ${groupDecimal(String(u.belowMinimum))}); unpaid ${groupDecimal(String(u.claims))} (reasons ${groupDecimal(String(u.claims))})`,
    });
    const withUnpaid = (x: Partial<LedgerTally['unpaid']>): LedgerTally => ({ ...tally, unpaid: { ...tally.unpaid, ...x } });
    // The ledger: one rejected claim written as another status, as below the minimum, as capped, paid or another outcome.
    const moved = { byStatus: new Map([['rejected', rejected - 1]]) };
    for (const edit of [
      { byStatus: new Map([['rejected', rejected - 1], ['denied', 1]]) },
      { ...moved, belowMinimum: u.belowMinimum + 1 },
      { ...moved, rows: tally.unpaid.rows, capped: 1 },
      { ...moved, paid: 1 },
      { ...moved, other: 1 },
      { rows: tally.unpaid.rows + 1, paid: 1 },
    ]) {
      expect(check(summary, withUnpaid(edit))?.ok, JSON.stringify([...Object.entries(edit)])).toBe(false);
    }
    expect(check(summary, withUnpaid({ rows: tally.unpaid.rows + 1, paid: 1 }))?.detail).toContain(', paid 1);');
    // A status renamed in the ledger: the counts add up, the detail names the statuses that differ.
    const renamed = check(summary, withUnpaid({ byStatus: new Map([['rejected', rejected - 1], ['"denied"', 1]]) }));
    expect(renamed?.ok).toBe(false);
    expect(renamed?.detail).toMatch(/; status "rejected": ledger\.csv [\d,]+, summary [\d,]+; status "\\"denied\\"": ledger\.csv 1, summary 0$/);
    const many = new Map([['rejected', rejected - 5], ...['a', 'b', 'c', 'd', 'e'].map((k) => [k, 1] as [string, number])]);
    expect(check(summary, withUnpaid({ byStatus: many }))?.detail).toMatch(/; status "b": ledger\.csv 1, summary 0; 3 more statuses differ$/);
    // The summary: its reasons no longer adding up, or no longer the classes' counts.
    expect(check({ ...summary, unpaid: { ...u, claims: u.claims + 1 } }, tally)?.ok).toBe(false);
    const oneMoreBelow = withUnpaid({ rows: tally.unpaid.rows + 1, belowMinimum: u.belowMinimum + 1 });
    expect(check({ ...summary, unpaid: { ...u, belowMinimum: u.belowMinimum + 1, claims: u.claims + 1 } }, oneMoreBelow)?.ok).toBe(false);
    // A share under one cent in both files: they agree.
    expect(check({ ...summary, unpaid: { ...u, roundedToZero: 1, claims: u.claims + 1 } }, withUnpaid({ rows: tally.unpaid.rows + 1, paid: 1 }))?.ok).toBe(true);
    // No `unpaid` (an older payout): no such check.
    const { unpaid: _, ...older } = summary;
    expect(check(older, withUnpaid({ other: 5 }))).toBeUndefined();
  });

  it('the checks count one row, one claim and one status in the singular', async () => {
    const { summary, manifest, tally } = await sample(monthsSample);
    const one: LedgerTally = { ...tally, rows: 1, unpaid: { ...tally.unpaid, rows: 1, byStatus: new Map([['rejected', 1]]) } };
    const checks = buildReportModel({ ...summary, totals: { ...summary.totals, claims: 1 } }, manifest, one).checks;
    const detail = (label: string) => checks.find((c) => c.label === label)?.detail;
    expect(detail("ledger.csv's claims not paid are the summary's")).toMatch(/^1 row paid \$0\.00 \(/);
    expect(detail('ledger.csv has one row per claim')).toMatch(/^1 row; summary 1 claim; manifest [\d,]+ rows$/);
    expect(detail('ledger.csv has the paid claims of the summary')).toMatch(/ paid or capped of 1 row$/);
    const four = new Map([['rejected', 1], ...['a', 'b', 'c'].map((k) => [k, 1] as [string, number])]);
    const renamed = buildReportModel(summary, manifest, { ...tally, unpaid: { ...tally.unpaid, byStatus: four } }).checks;
    expect(renamed.find((c) => c.label === "ledger.csv's claims not paid are the summary's")?.detail).toMatch(/; 1 more status differs$/);
  });

  it('claims not paid, by reason: each ineligible status, the minimum; blank statuses and look-alike ids as notes', async () => {
    const { summary, manifest, tally } = await sample(monthsSample);
    const withFindings: Summary = { ...summary, warnings: { blankStatuses: 1234, lookAlikeClaimIds: 1 } };
    const u = buildReportModel(withFindings, manifest, tally).unpaid;
    const rejected = summary.classes[0]!.ineligible;
    const below = summary.classes[0]!.belowMinimum;
    expect(below).toBeGreaterThan(0);
    expect(u?.rows?.map((r) => [r.reason, r.status, r.count, r.label])).toEqual([
      ['status', 'rejected', rejected, 'Status “rejected”: not an eligible status'],
      ['belowMinimum', undefined, below, 'Below the minimum payment of $5.00: removed by the minimum rule'],
    ]);
    expect(u?.total).toEqual({ count: rejected + below, text: groupDecimal(String(rejected + below)), of: '4,000 claims' });
    expect(u?.notes.map((n) => n.text)).toEqual([
      "1,234 claims had a blank status and were read as approved (the plan's blankStatus); payout validate lists them with their lines.",
      '1 claim has a claim id that differs from another only in letter case, accents or invisible characters; payout validate lists them.',
    ]);
  });

  it('a summary without `unpaid` (an older payout) and without warnings: no such section; warnings alone: notes only', async () => {
    const { summary, manifest, tally } = await sample(tiktokSample);
    const { unpaid: _, ...older } = summary;
    expect(buildReportModel(older, manifest, tally).unpaid).toBeNull();
    const notes = buildReportModel({ ...older, warnings: { blankStatuses: 2 } }, manifest, tally).unpaid;
    expect(notes).toMatchObject({ rows: null, total: null, notes: [{ kind: 'blankStatuses', count: 2 }] });
    // Every claim paid: the section says so.
    const none = buildReportModel({ ...summary, unpaid: { claims: 0, byStatus: [], belowMinimum: 0, cappedToZero: 0, roundedToZero: 0 } }, manifest, tally).unpaid;
    expect(none).toMatchObject({ rows: [], total: { count: 0 } });
  });

  it('many distinct amounts: equal-width bars with edges; the minimum drops short memberships', async () => {
    const { summary, manifest, tally } = await sample(monthsSample);
    const m = buildReportModel(summary, manifest, tally);
    expect(m.histogram.kind).toBe('equal-width');
    expect(m.histogram.bars.length).toBeGreaterThan(12);
    expect(m.histogram.bars.length).toBeLessThanOrEqual(21);
    expect(m.histogram.edges).toHaveLength(m.histogram.bars.length + 1);
    expect(m.histogram.bars.reduce((s, b) => s + b.count, 0)).toBe(summary.totals.paid);
    expect(m.waterfall.steps[1]).toMatchObject({ kind: 'interest', label: 'Interest' });
    expect(m.classes[0]?.belowMinimum).not.toBe('0');
  });
});

describe('groupDecimal', () => {
  it('groups the whole part only', () => {
    expect(groupDecimal('1234567')).toBe('1,234,567');
    expect(groupDecimal('13380.5')).toBe('13,380.5');
    expect(groupDecimal('16383.453712')).toBe('16,383.453712');
    expect(groupDecimal('0')).toBe('0');
  });
});

describe('amounts in words and on charts', () => {
  it('compactMoney: M, K or exact, rounded half-up in bigint', () => {
    expect(compactMoney(9200000000n)).toBe('$92M');
    expect(compactMoney(3066666667n)).toBe('$30.67M');
    expect(compactMoney(5709083333n)).toBe('$57.09M');
    expect(compactMoney(120000000n)).toBe('$1.2M');
    expect(compactMoney(4250000n)).toBe('$42.5K');
    expect(compactMoney(51234n)).toBe('$512.34');
    expect(compactMoney(65000000000000n)).toBe('$650B');
    expect(compactMoney(99999999n)).toBe('$1,000K');
    expect(compactMoney(0n)).toBe('$0');
  });

  it('humanizeAmounts formats plain amounts in a rule but not percents', () => {
    expect(humanizeAmounts('33.3333333333% of the fund 92000000.00, rounded half-up')).toBe(
      '33.3333333333% of the fund $92,000,000.00, rounded half-up',
    );
    expect(humanizeAmounts('25.00% of the remainder 1200.50')).toBe('25.00% of the remainder $1,200.50');
  });
});
