/**
 * `payout report DIR2` on a second round's folder (`payout redistribute`), after a plan of
 * classes (fixtures/facebook-round2) and after a bucket plan (fixtures/equifax-buckets): exit 0
 * and the key figures in report.html; files that disagree give exit 1 with the report written and
 * its banner; a summary.json of a format payout does not know is one line (exit 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { round2SummarySchema } from '../../src/core/round2-report-input.js';
import { round2Method, round2Waterfall } from '../../src/core/round2-report-model.js';
import { formatMoneyHuman, type Cents } from '../../src/core/money.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FB = join(ROOT, 'fixtures/facebook-round2');
const EQ = join(ROOT, 'fixtures/equifax-buckets');
const read = (f: string): string => readFileSync(f, 'utf8');
/** The visible text of a page, tags and styles dropped, spaces collapsed. */
const text = (page: string): string =>
  page
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
/** The histogram's bars as `lo-hi:count`. */
const bars = (page: string): string[] =>
  [...page.matchAll(/data-lo-cents="(\d+)" data-hi-cents="(\d+)" data-count="(\d+)"/g)].map((m) => `${m[1]}-${m[2]}:${m[3]}`);

/** The "Claims not paid" rows of a page as `reason count label`. */
const unpaidRows = (page: string): string[] =>
  [...page.matchAll(/<tr data-unpaid="(\w+)" data-count="(\d+)">\s*<th scope="row">([^<]*)</g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);

/** A first round and its second round, made with the real binary; returns the second round's folder. */
async function facebookRound2(name: string, report = false): Promise<{ dir: string; stdout: string }> {
  const round1 = tmp.path(`${name}-round1`);
  const a = await runCli(['allocate', '--plan', join(FB, 'plan.json'), join(FB, 'claims.csv'), '--out', round1]);
  expect(a.code, a.stderr).toBe(0);
  const dir = tmp.path(`${name}-round2`);
  const args = ['redistribute', '--plan', join(FB, 'plan.json'), '--from', round1, '--uncashed', join(FB, 'uncashed.csv'), '--costs', '12329.50', '--out', dir];
  const r = await runCli(report ? [...args, '--report'] : args);
  expect(r.code, r.stderr).toBe(0);
  return { dir, stdout: r.stdout };
}

async function equifaxRound2(name: string): Promise<string> {
  const round1 = tmp.path(`${name}-round1`);
  const a = await runCli(['allocate', '--plan', join(EQ, 'plan.json'), join(EQ, 'claims.csv'), '--out', round1]);
  expect(a.code, a.stderr).toBe(0);
  // One claim of each group uncashed, as test/buckets/redistribute.test.ts does.
  const list = tmp.write(`${name}-uncashed.csv`, 'claim_id\nEQ0001\nEQ0011\nEQ0021\nEQ0091\nEQ0121\n');
  const dir = tmp.path(`${name}-round2`);
  const r = await runCli(['redistribute', '--plan', join(EQ, 'plan.json'), '--from', round1, '--uncashed', list, '--costs', '500.00', '--out', dir]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('payout report on a second round after a plan of classes (fixtures/facebook-round2)', () => {
  let fb: { dir: string; stdout: string };
  beforeAll(async () => {
    fb = await facebookRound2('fb', true);
  }, 60_000);

  it('redistribute --report writes report.html with where the money came from, the rule and the per-share figure', () => {
    expect(fb.stdout).toContain(`Wrote ${join(fb.dir, 'report.html')}`);
    const page = read(join(fb.dir, 'report.html'));
    const t = text(page);
    expect(t).toContain('Second distribution report');
    // The title line of every report: numbers in the case name are kept whole (nowrap spans).
    expect(page).toContain('<h1>In re Facebook Biometric Information Privacy Litigation (fixture, <span class="docket">1/800</span> scale)</h1>');
    expect(t).toContain('Where the money came from');
    expect(page).toMatch(/data-source="firstRoundResidual"[^]*?data-cents="0">\$0\.00/);
    expect(page).toMatch(/data-source="uncashedAmount"[^]*?data-cents="6828400">\+ \$68,284\.00/);
    expect(page).toMatch(/data-source="costs"[^]*?data-cents="1232950">− \$12,329\.50/);
    expect(page).toMatch(/data-source="available"[^]*?data-cents="5595450">\$55,954\.50/);
    expect(t).toContain('The 1,828 claims that cashed their first payment share the available amount, pro rata to their first-round exact share.');
    expect(t).toContain('$0.077102 per $1.00 of first-round share');
    expect(t).toContain('No claim was removed by the minimum payment of $5.00.');
    expect(page).toMatch(/data-figure="paid" data-cents="5595450"/);
    expect(page).toMatch(/data-figure="residual" data-cents="0"/);
    // 1,770 claims at $30.61 and 58 at $30.60 share one bar: one payment level, every paid claim.
    expect(bars(page)).toEqual(['3060-3061:1828']);
    // The waterfall: residual, uncashed, costs, available, paid, residual.
    expect([...page.matchAll(/<rect[^>]*data-kind="(\w+)"[^>]*data-cents="(\d+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'gross 0',
      'interest 6828400',
      'deduction 1232950',
      'net 5595450',
      'paid 5595450',
      'residual 0',
    ]);
    // Every check agrees; the manifest's files and hashes are listed.
    expect(page).not.toContain('data-check="failed"');
    expect((page.match(/data-check="ok"/g) ?? []).length).toBe(8);
    const manifest = JSON.parse(read(join(fb.dir, 'manifest.json'))) as { outputs: { file: string; sha256: string }[]; inputs: Record<string, { sha256: string }> };
    for (const o of manifest.outputs) expect(page).toContain(o.sha256);
    for (const i of Object.values(manifest.inputs)) expect(page).toContain(i.sha256);
  });

  it('claims by outcome come from ledger.csv and add up to its rows', () => {
    const page = read(join(fb.dir, 'report.html'));
    expect([...page.matchAll(/data-outcome="(\w+)" data-count="(\d+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['paid 1828', 'uncashed 172', 'ineligible 40']);
  });

  it('claims not paid: who got nothing in this round and why, from ledger.csv, checked against summary.json', () => {
    const page = read(join(fb.dir, 'report.html'));
    expect(unpaidRows(page)).toEqual([
      'uncashed 172 Did not cash the first payment (in the uncashed list): its amount came back for the others',
      'notPaidFirstRound 40 Not paid in the first round: only claims paid then share the second',
    ]);
    expect(page).toContain('<tr data-unpaid="total" data-count="212"><td>Not paid, of 2,040 claims</td>');
    expect(text(page)).toContain("✓ agrees ledger.csv's claims not paid are the summary's 212 rows paid $0.00; summary 2,040 claims, 1,828 paid above 0");
  });

  it('costs that leave under the minimum for everyone: every cashed claim removed, all residual (exit 0)', async () => {
    const round1 = tmp.path('fb-min-round1');
    expect((await runCli(['allocate', '--plan', join(FB, 'plan.json'), join(FB, 'claims.csv'), '--out', round1])).code).toBe(0);
    const dir = tmp.path('fb-min-round2');
    // $68,284.00 − $59,284.00 = $9,000.00 over 1,828 claims: $4.92 each, under the $5.00 minimum.
    const args = ['redistribute', '--plan', join(FB, 'plan.json'), '--from', round1, '--uncashed', join(FB, 'uncashed.csv'), '--costs', '59284.00', '--out', dir, '--report'];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const page = read(join(dir, 'report.html'));
    const t = text(page);
    expect(t).toContain('1,828 claims whose second amount would have been below the minimum payment of $5.00 were removed');
    expect(t).toContain('No claim was paid.');
    expect(page).toMatch(/data-figure="residual" data-cents="900000"/);
    expect(page).toContain('data-outcome="below_minimum" data-count="1828"');
    expect(unpaidRows(page)).toContain('belowMinimum 1828 Below the minimum payment of $5.00: removed by the minimum rule');
    expect(page).toContain('<tr data-unpaid="total" data-count="2040">');
    expect(page).not.toContain('data-per-share');
    expect(page).not.toContain('data-check="failed"');
  });

  it('payout report DIR2 rewrites it byte for byte (exit 0)', async () => {
    const before = read(join(fb.dir, 'report.html'));
    const r = await runCli(['report', fb.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Wrote ${join(fb.dir, 'report.html')}\n`);
    expect(read(join(fb.dir, 'report.html'))).toBe(before);
  });

  it('an edited ledger amount: exit 1, the report written with its banner naming the check', async () => {
    const { dir } = await facebookRound2('fb-tampered');
    const ledger = join(dir, 'ledger.csv');
    writeFileSync(ledger, read(ledger).replace('FB-00001,illinois,397.00,paid,30.61', 'FB-00001,illinois,397.00,paid,31.61'));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the files do not agree: ledger.csv amounts do not add up to the amount paid (Σ amount = $55,955.50)');
    expect(r.stderr).toContain('report.html is written and its banner says the check failed');
    const page = read(join(dir, 'report.html'));
    expect(page).toContain('role="alert"');
    expect(text(page)).toContain('Check failed: the files do not agree. ledger.csv amounts do not add up to the amount paid');
    expect((page.match(/data-check="failed"/g) ?? []).length).toBe(1);
  });

  it("an uncashed claim turned ineligible in the ledger: exit 1, the uncashed check fails", async () => {
    const { dir } = await facebookRound2('fb-outcome');
    const ledger = join(dir, 'ledger.csv');
    const row = read(ledger).split('\n').find((l) => l.includes(',uncashed,')) as string;
    writeFileSync(ledger, read(ledger).replace(row, row.replace(',uncashed,', ',ineligible,')));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ledger.csv's uncashed claims are not the summary's (171 uncashed, Σ first_amount = $67,887.00)");
  });

  it('an edited summary.json of the second round that lost a field is refused naming it (exit 2)', async () => {
    const { dir } = await facebookRound2('fb-field');
    const s = JSON.parse(read(join(dir, 'summary.json'))) as Record<string, unknown>;
    delete s.available;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'summary.json')}: not the format payout redistribute writes (docs/redistribute.md)`);
    expect(r.stderr).toContain('available');
  });

  it('a summary.json of a format payout does not write is one line (exit 2), not a list of fields', async () => {
    const { dir } = await facebookRound2('fb-unknown');
    const s = JSON.parse(read(join(dir, 'summary.json'))) as Record<string, unknown>;
    s.format = 'payout-redistribution/7';
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `payout: ${join(dir, 'summary.json')}: format "payout-redistribution/7": not a folder payout report knows; payout report reads the summary.json of payout-summary/1 or payout-bucket-summary/1 (payout allocate) or payout-redistribution/1 (payout redistribute)`,
    ]);
    delete s.format;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    const none = await runCli(['report', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('summary.json: no "format" field: not a folder payout report knows');
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('payout report on a second round: claims not paid for want of room or of a cent', () => {
  // $300.00 to weights 10, 1, 1, 1, 1 with a $100.00 maximum: A capped at $100.00, B–E $50.00 each,
  // F rejected. E does not cash; $50.00 − $49.98 of costs leaves $0.02 for B, C and D (A has no
  // room left): two get a cent, one a share under a cent.
  const plan = { name: 'Room and cents', gross: '300.00', classes: [{ id: 'all', weight: '1' }], maximumPayment: '100.00', seed: 'room' };
  const claims = 'claim_id,class,units,status\nA,all,10,approved\nB,all,1,approved\nC,all,1,approved\nD,all,1,approved\nE,all,1,approved\nF,all,1,rejected\n';

  async function round2(name: string): Promise<string> {
    const planFile = tmp.write(`${name}-plan.json`, JSON.stringify(plan));
    const claimsFile = tmp.write(`${name}-claims.csv`, claims);
    const round1 = tmp.path(`${name}-round1`);
    expect((await runCli(['allocate', '-q', '--plan', planFile, claimsFile, '--out', round1])).code).toBe(0);
    const dir = tmp.path(`${name}-round2`);
    const r = await runCli(['redistribute', '-q', '--plan', planFile, '--from', round1, '--uncashed', tmp.write(`${name}-uncashed.csv`, 'claim_id\nE\n'), '--costs', '49.98', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    return dir;
  }

  it('every reason of a second round, each counted once (exit 0)', async () => {
    const dir = await round2('room');
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const page = read(join(dir, 'report.html'));
    expect(unpaidRows(page)).toEqual([
      'uncashed 1 Did not cash the first payment (in the uncashed list): its amount came back for the others',
      'notPaidFirstRound 1 Not paid in the first round: only claims paid then share the second',
      'cappedToZero 1 No room under the maximum payment of $100.00 over both rounds',
      'roundedToZero 1 A share under one cent, left at $0.00 by the remainder rule',
    ]);
    expect(page).toContain('<tr data-unpaid="total" data-count="4"><td>Not paid, of 6 claims</td>');
    expect(page).not.toContain('data-check="failed"');
  });

  it('a row paid 0.00 of an outcome a second round does not write: the check fails (exit 1)', async () => {
    const dir = await round2('room-edited');
    const ledger = join(dir, 'ledger.csv');
    writeFileSync(ledger, read(ledger).replace('\nF,all,0.00,ineligible,0.00\n', '\nF,all,0.00,rejected,0.00\n'));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ledger.csv's claims not paid are not the summary's (4 rows paid $0.00 (1 of an unknown outcome); summary 6 claims, 2 paid above 0)");
    // The table shows only the reasons it knows.
    expect(read(join(dir, 'report.html'))).toContain('<tr data-unpaid="total" data-count="3">');
  });
});

describe('payout report on a second round after a bucket plan (fixtures/equifax-buckets)', () => {
  it('exit 0; the first-round residual, the uncashed payments, the costs, pro rata to the first-round amount', async () => {
    const dir = await equifaxRound2('eq');
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const page = read(join(dir, 'report.html'));
    const t = text(page);
    expect(page).toMatch(/data-source="firstRoundResidual"[^]*?data-cents="2565440">\$25,654\.40/);
    expect(page).toMatch(/data-source="uncashedAmount"[^]*?data-cents="2247455">\+ \$22,474\.55/);
    expect(page).toMatch(/data-source="available"[^]*?data-cents="4762895">\$47,628\.95/);
    expect(t).toContain('The 335 claims that cashed their first payment share the available amount, pro rata to their first-round amount.');
    expect(t).toContain('$0.189101 per $1.00 paid in the first round');
    expect(t).toContain('extended credit monitoring for the class');
    // Five groups of first amounts: five levels (a cent apart where the remainder fell), 335 paid claims.
    const b = bars(page);
    expect(b).toHaveLength(5);
    expect(b.reduce((s, x) => s + Number(x.split(':')[1]), 0)).toBe(335);
    expect(page).not.toContain('data-check="failed"');
  });
});

describe('the second round\'s waterfall (model)', () => {
  it('residual + uncashed − costs stands as the available amount, split into paid and residual', () => {
    const summary = round2SummarySchema.parse(JSON.parse(read(join(FB, 'expected/summary.json'))));
    const money = (cents: Cents) => ({ cents, text: formatMoneyHuman(cents), short: '' });
    const w = round2Waterfall(summary, money);
    expect(w.steps.map((s) => `${s.kind} ${s.amount.cents} from ${s.base}`)).toEqual([
      'gross 0 from 0',
      'interest 6828400 from 0',
      'deduction 1232950 from 5595450',
      'net 5595450 from 0',
      'paid 5595450 from 0',
      'residual 0 from 5595450',
    ]);
    expect(w.top).toBe(6828400n);
    // No costs: no costs bar.
    const free = round2Waterfall({ ...summary, available: { ...summary.available, costs: 0n } }, money);
    expect(free.steps.map((s) => s.kind)).toEqual(['gross', 'interest', 'net', 'paid', 'residual']);
  });

  it('the method names the cap over both rounds and per-point cents when the round has them', () => {
    const summary = round2SummarySchema.parse(JSON.parse(read(join(FB, 'expected/summary.json'))));
    const money = (cents: Cents) => ({ cents, text: formatMoneyHuman(cents), short: '' });
    const lr = round2Method(summary, money);
    expect(lr[0]).toBe('Available = first-round residual $0.00 + uncashed payments $68,284.00 (the first-round amounts of 172 claims) − costs $12,329.50 = $55,954.50.');
    expect(lr.join('\n')).toContain('the 1,770 leftover cents go one each');
    expect(lr.join('\n')).not.toContain('Maximum payment');
    const pp = round2Method({ ...summary, rounding: { method: 'per-point' }, maximumPayment: 42000n }, money);
    expect(pp.join('\n')).toContain("Maximum payment $420.00 over both rounds: a claim's room is the maximum less its first-round amount");
    expect(pp.join('\n')).toContain('Cents per point: every exact share is floored to the cent');
    expect(pp.at(-1)).toBe('The residual of $0.00 goes to the cy pres recipients named by the court.');
  });
});

describe('payout report on a second round in which one claim cashed, or none, or none was uncashed', () => {
  // Two claims of the Facebook plan, both paid in the first round; the uncashed list names A2, both, or none.
  const rounds = async (name: string, uncashed: string[]): Promise<{ page: string; method: string[] }> => {
    const claims = tmp.write(`${name}-claims.csv`, 'claim_id,class,status,payment_method\nA1,illinois,approved,check\nA2,illinois,approved,check\n');
    const round1 = tmp.path(`${name}-round1`);
    expect((await runCli(['allocate', '--plan', join(FB, 'plan.json'), claims, '--out', round1, '--quiet'])).code).toBe(0);
    const list = tmp.write(`${name}-uncashed.csv`, ['claim_id', ...uncashed, ''].join('\n'));
    const dir = tmp.path(`${name}-round2`);
    const r = await runCli(['redistribute', '--plan', join(FB, 'plan.json'), '--from', round1, '--uncashed', list, '--costs', '0', '--out', dir, '--report', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const summary = round2SummarySchema.parse(JSON.parse(read(join(dir, 'summary.json'))));
    const money = (cents: Cents) => ({ cents, text: formatMoneyHuman(cents), short: '' });
    return { page: text(read(join(dir, 'report.html'))), method: round2Method(summary, money) };
  };

  it('one claim cashed: it shares the available amount, one uncashed amount came back', async () => {
    const { page, method } = await rounds('one', ['A2']);
    expect(page).toContain('The 1 claim that cashed its first payment shares the available amount, pro rata to its first-round exact share.');
    expect(page).toContain('the first-round amount of the 1 claim in the uncashed list');
    expect(method[0]).toContain('(the first-round amount of 1 claim)');
    expect(page).not.toMatch(/\b1 claim that cashed their|amounts of the 1 claim/);
  }, 60_000);

  it('no claim cashed: the page says so and the amount is the residual', async () => {
    const { page } = await rounds('none', ['A1', 'A2']);
    expect(page).toContain('No claim cashed its first payment: the available amount is not paid to claimants; it is the residual.');
    expect(page).not.toContain('0 claims that cashed');
  }, 60_000);

  it('no claim uncashed: no "the no claims", no "0 leftover cents go"', async () => {
    const { page, method } = await rounds('all-cashed', []);
    expect(page).toContain('none: the uncashed list names no claim');
    expect(method[0]).toContain('(no claim in the uncashed list)');
    expect(method.join('\n')).toContain('no cent was left over here; any leftover cents would go one each');
    expect(page).not.toMatch(/the no claims|of no claims|the 0 leftover cents go/);
  }, 60_000);
});
