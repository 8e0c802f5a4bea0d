/**
 * `payout estimate` (docs/spec.md §7): the six figures published before the TikTok claims deadline,
 * to the cent, in-process and through the real binary; the rate and count options; the errors.
 */
import { describe, expect, it } from 'vitest';
import { netFundOf } from '../../src/core/allocate.js';
import {
  buildEstimateJson,
  claimantsAt,
  estimate,
  parseClassCounts,
  parseRate,
  scenariosFromRates,
  type ClaimRate,
} from '../../src/core/estimate.js';
import type { Problem } from '../../src/core/problems.js';
import { parseEstimateOptions } from '../../src/app/estimate.js';
import { UsageError } from '../../src/core/errors.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan } from '../helpers/make-table.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const PRESS_PLAN = {
  name: 'TikTok, as the press estimated it',
  gross: '92000000.00',
  classes: [
    { id: 'nationwide', weight: '1' },
    { id: 'illinois', weight: '6' },
  ],
  seed: 'tiktok-mdl-2948',
};
const MEMBERS = [87_600_000n, 1_400_000n];

const rate = (text: string): ClaimRate => {
  const r = parseRate(text);
  if ('code' in r) throw new Error(r.message);
  return r;
};

/** The figures published before the claims deadline (docs/spec.md §7, DOMAIN.md). */
const PUBLISHED: [rate: string, nationwide: string, illinois: string][] = [
  ['100%', '0.96', '5.75'],
  ['1.5%', '63.89', '383.33'],
  ['20%', '4.79', '28.75'],
];

describe('estimate: the published TikTok figures', () => {
  const plan = makePlan(PRESS_PLAN);
  const est = estimate(plan, netFundOf(plan), scenariosFromRates(MEMBERS, PUBLISHED.map(([r]) => rate(r))), tieKeyer(plan.seed));
  const json = buildEstimateJson(plan, est);

  it.each(PUBLISHED.map((p, i) => [...p, i] as const))('at %s: $%s nationwide, $%s Illinois', (_r, nationwide, illinois, i) => {
    const s = json.scenarios[i]!;
    expect(s.classes.map((c) => c.amount)).toEqual([nationwide, illinois]);
    expect(s.classes.map((c) => c.outcome)).toEqual(['paid', 'paid']);
    // no deductions, no cap, no minimum: the exact shares pay out the whole fund
    expect(s.paid).toBe('92000000.00');
    expect(s.residual).toBe('0.00');
  });

  it('counts claimants as members × rate, rounded half-up', () => {
    expect(json.scenarios.map((s) => s.classes.map((c) => c.claimants))).toEqual([
      [87_600_000, 1_400_000],
      [1_314_000, 21_000],
      [17_520_000, 280_000],
    ]);
    expect(claimantsAt(3n, rate('50%'))).toBe(2n); // 1.5 → 2
    expect(claimantsAt(5n, rate('10%'))).toBe(1n); // 0.5 → 1
    expect(claimantsAt(7n, rate('0.1'))).toBe(1n); // 0.7 → 1
    expect(claimantsAt(4n, rate('0.1'))).toBe(0n); // 0.4 → 0
  });

  it('writes the exact share beside the rounded figure', () => {
    // 1.5%: 9.2e9 cents / (1,314,000 + 6 × 21,000) points = 6388.8̅ cents
    expect(json.scenarios[1]!.classes[0]!.share).toBe('63.888889');
    expect(json.scenarios[1]!.classes[1]!.share).toBe('383.333333');
    expect(json.scenarios[1]!.rate).toBe('1.5%');
  });
});

describe('estimate with the real TikTok deductions and the $5.00 minimum', () => {
  const plan = makePlan({
    ...PRESS_PLAN,
    deductions: [
      { label: "Attorneys' fees", percent: '33.3333333333', of: 'gross' },
      { label: 'Litigation expenses', amount: '1200000.00' },
      { label: 'Notice and administration', amount: '3000000.00' },
      { label: 'Service awards', amount: '42500.00' },
    ],
    minimumPayment: '5.00',
  });
  const est = estimate(plan, netFundOf(plan), scenariosFromRates(MEMBERS, ['100%', '1.5%', '20%'].map(rate)), tieKeyer(plan.seed));
  const json = buildEstimateJson(plan, est);

  it('pays from the net fund, and drops a class below the minimum (docs/estimate.md)', () => {
    expect(json.net).toBe('57090833.33');
    expect(json.scenarios.map((s) => s.classes.map((c) => [c.outcome, c.amount]))).toEqual([
      [['below_minimum', '0.00'], ['paid', '40.78']],
      [['paid', '39.65'], ['paid', '237.88']],
      [['below_minimum', '0.00'], ['paid', '203.90']],
    ]);
    expect(json.scenarios.every((s) => s.paid === '57090833.33' && s.residual === '0.00')).toBe(true);
  });

  it('with the claim counts of the real distribution (--claimants)', () => {
    const scenarios = parseEstimateOptions(plan, { members: [], rate: [], claimants: ['nationwide=1260000', 'illinois=140000'] });
    const j = buildEstimateJson(plan, estimate(plan, netFundOf(plan), scenarios, tieKeyer(plan.seed)));
    expect(j.scenarios[0]!.rate).toBeNull();
    expect(j.scenarios[0]!.classes.map((c) => [c.members, c.claimants, c.amount])).toEqual([
      [null, 1_260_000, '27.19'],
      [null, 140_000, '163.12'],
    ]);
  });
});

describe('estimate: cap, pools and empty classes', () => {
  it('caps a class and gives the rest to the others (water-filling)', () => {
    const plan = makePlan({ ...PRESS_PLAN, maximumPayment: '100.00' });
    const est = estimate(plan, netFundOf(plan), scenariosFromRates(MEMBERS, [rate('1.5%')]), tieKeyer(plan.seed));
    const s = buildEstimateJson(plan, est).scenarios[0]!;
    expect(s.classes.map((c) => [c.outcome, c.amount])).toEqual([
      ['paid', '68.42'],
      ['capped', '100.00'],
    ]);
  });

  it('leaves the money of a class with 0 claimants as residual in pools mode', () => {
    const plan = makePlan({ gross: '1000.00', classes: [{ id: 'a', poolPercent: '40' }, { id: 'b', poolPercent: '60' }] });
    const est = estimate(plan, netFundOf(plan), [{ rate: null, members: null, claimants: [3n, 0n] }], tieKeyer(plan.seed));
    const s = buildEstimateJson(plan, est).scenarios[0]!;
    expect(s.classes.map((c) => [c.claimants, c.outcome, c.amount])).toEqual([
      [3, 'paid', '133.33'],
      [0, null, null],
    ]);
    expect([s.paid, s.residual]).toEqual(['400.00', '600.00']);
  });

  it('at a rate of 0%, everything is residual', () => {
    const plan = makePlan(PRESS_PLAN);
    const est = estimate(plan, netFundOf(plan), scenariosFromRates(MEMBERS, [rate('0%')]), tieKeyer(plan.seed));
    expect(buildEstimateJson(plan, est).scenarios[0]).toMatchObject({ paid: '0.00', residual: '92000000.00' });
  });
});

describe('parseRate', () => {
  it.each([
    ['100%', '100%', 1n, 1n],
    ['1.5%', '1.5%', 3n, 200n],
    ['0.2', '20%', 1n, 5n],
    ['1', '100%', 1n, 1n],
    ['0.015', '1.5%', 3n, 200n],
    ['0%', '0%', 0n, 1n],
    ['33.3333%', '33.3333%', 333333n, 1000000n],
  ])('%s is %s', (text, percent, n, d) => {
    const r = rate(text);
    expect(r.percent).toBe(percent);
    expect(r.value.n * d).toBe(n * r.value.d);
  });

  it.each([
    ['20', 'a bare number is a fraction of the members from 0 to 1; for a percent write "20%"'],
    ['150%', 'a claim rate cannot be above 100%'],
    ['1.5 %', 'expected a percent'],
    ['-1%', 'expected a percent'],
    ['1e-2', 'expected a percent'],
    ['', 'expected a percent'],
  ])('refuses %j', (text, message) => {
    const r = parseRate(text) as Problem;
    expect(r.code).toBe('input');
    expect(r.message).toContain(message);
  });
});

describe('parseClassCounts', () => {
  const plan = makePlan(PRESS_PLAN);
  const messages = (values: string[]): string[] => {
    const r = parseClassCounts(plan, '--members', values);
    return 'problems' in r ? r.problems.map((p) => p.message) : [];
  };

  it('matches classes case-insensitively and takes 0 for a class that has none', () => {
    expect(parseClassCounts(plan, '--members', ['Nationwide=5', 'illinois=0'])).toEqual({ counts: [5n, 0n], given: [true, true] });
  });

  it('reports every problem at once', () => {
    expect(messages(['nationwid=5', 'illinois=1.5', 'illinois', 'nationwide=-3'])).toEqual([
      '"nationwid=5": unknown class "nationwid" (expected: nationwide, illinois)',
      '"illinois=1.5": "1.5" is not a whole number of people (write 87600000, no separators)',
      '"illinois": expected CLASS=N, e.g. --members nationwide=87600000',
      '"nationwide=-3": "-3" is not a whole number of people (write 87600000, no separators)',
    ]);
    expect(messages(['illinois=1', 'Illinois=2', 'nationwide=1'])).toEqual(['"Illinois=2": class "illinois" is given twice']);
    expect(messages(['nationwide=87,600,000', 'illinois=1'])[0]).toContain('not a whole number');
    expect(messages(['nationwide=10000000000000000', 'illinois=1'])[0]).toContain('more than 1000000000000000 people');
  });

  it('refuses a class left out: a typo must not give a class no claimants', () => {
    expect(messages(['nationwide=87600000'])).toEqual([
      'no count for class illinois: give every class (nationwide, illinois); write illinois=0 for a class with none',
    ]);
  });
});

describe('parseEstimateOptions', () => {
  const plan = makePlan(PRESS_PLAN);
  const problems = (o: { members?: string[]; rate?: string[]; claimants?: string[] }): string[] => {
    try {
      parseEstimateOptions(plan, { members: o.members ?? [], rate: o.rate ?? [], claimants: o.claimants ?? [] });
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as UsageError).problems.map((p) => p.message);
    }
    return [];
  };

  it('needs members and rates, or claimants, not both', () => {
    expect(problems({})).toEqual([
      'give --members CLASS=N for every class (nationwide, illinois) and one or more --rate, or --claimants CLASS=N',
    ]);
    expect(problems({ members: ['nationwide=1', 'illinois=1'] })).toEqual(['give one or more --rate, e.g. --rate 100% --rate 1.5% --rate 20%']);
    expect(problems({ claimants: ['nationwide=1', 'illinois=1'], rate: ['1%'] })).toEqual([
      '--claimants gives the counts directly: use it without --members and --rate',
    ]);
  });
});

describe('payout estimate (the binary)', () => {
  const dir = tempDir();
  const planFile = dir.write('plan.json', JSON.stringify(PRESS_PLAN));
  const args = ['estimate', '--plan', planFile, '--members', 'nationwide=87600000', '--members', 'illinois=1400000'];

  it('prints the six published figures in a table', async () => {
    const r = await runCli([...args, '--rate', '100%', '--rate', '1.5%', '--rate', '0.2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s*\d+(\.\d+)?%/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['100%', '87,600,000', '$0.96', '1,400,000', '$5.75', '$92,000,000.00', '$0.00'],
      ['1.5%', '1,314,000', '$63.89', '21,000', '$383.33', '$92,000,000.00', '$0.00'],
      ['20%', '17,520,000', '$4.79', '280,000', '$28.75', '$92,000,000.00', '$0.00'],
    ]);
  });

  it('prints JSON with --json', async () => {
    const r = await runCli([...args, '--rate', '100%', '--rate', '1.5%', '--rate', '20%', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as ReturnType<typeof buildEstimateJson>;
    expect(json.format).toBe('payout-estimate/1');
    expect(json.scenarios.map((s) => [s.rate, ...s.classes.map((c) => c.amount)])).toEqual([
      ['100%', '0.96', '5.75'],
      ['1.5%', '63.89', '383.33'],
      ['20%', '4.79', '28.75'],
    ]);
  });

  it('exits 2 on bad options, naming each problem', async () => {
    const r = await runCli(['estimate', '--plan', planFile, '--members', 'nationwide=87600000', '--members', 'ilinois=14', '--rate', '20']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: --members: "ilinois=14": unknown class "ilinois" (expected: nationwide, illinois)');
    expect(r.stderr).toContain('error: --rate: "20": a bare number is a fraction of the members from 0 to 1; for a percent write "20%"');
  });

  it('exits 2 when a class is missing', async () => {
    const r = await runCli(['estimate', '--plan', planFile, '--members', 'nationwide=87600000', '--rate', '1%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no count for class illinois');
  });
});
