/**
 * The fixture shaped like the Facebook BIPA second round (fixtures/facebook-round2/): 2,000 claims
 * paid $397.00 each by `payout allocate` from the committed plan and claims, 172 (8.6%) uncashed,
 * a holdback for the second mailing's costs. The real binary makes both rounds; ledger.csv and
 * summary.json must equal the committed expected files byte for byte. Then the errors, each with
 * its exit code, and `payout verify` on the second round's folder.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'fixtures/facebook-round2');
const PLAN = join(FIXTURE, 'plan.json');
const UNCASHED = join(FIXTURE, 'uncashed.csv');
const COSTS = '12329.50';

describe('fixtures/facebook-round2', () => {
  const dir = tempDir();
  const round1 = dir.path('round1');
  const round2 = dir.path('round2');
  const redistribute = (extra: string[], out = round2, from = round1) =>
    runCli(['redistribute', '--plan', PLAN, '--from', from, '--uncashed', UNCASHED, '--out', out, ...extra]);

  beforeAll(async () => {
    const r1 = await runCli(['allocate', '--plan', PLAN, join(FIXTURE, 'claims.csv'), '--out', round1, '--quiet']);
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    const r2 = await redistribute(['--costs', COSTS, '--quiet']);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
  });

  it('pays $397.00 to each of the 2,000 approved claims in the first round', () => {
    const summary = JSON.parse(readFileSync(join(round1, 'summary.json'), 'utf8')) as { net: string; classes: { paid: number; smallest: string; largest: string }[] };
    expect(summary.net).toBe('794000.00');
    expect(summary.classes[0]).toMatchObject({ paid: 2000, smallest: '397.00', largest: '397.00' });
  });

  it.each(['ledger.csv', 'summary.json'])('writes %s byte for byte as expected', (file) => {
    expect(readFileSync(join(round2, file), 'utf8')).toBe(readFileSync(join(FIXTURE, 'expected', file), 'utf8'));
  });

  it('pays $30.60 or $30.61 to each of the 1,828 who cashed, as in the real second round', () => {
    const counts = new Map<string, number>();
    for (const line of readFileSync(join(round2, 'ledger.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [, , first, outcome, amount] = line.split(',');
      const k = `${first} ${outcome} ${amount}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({
      '397.00 paid 30.61': 1770,
      '397.00 paid 30.60': 58,
      '397.00 uncashed 0.00': 172,
      '0.00 ineligible 0.00': 40,
    });
  });

  it('records the inputs, the costs and the outputs in the manifest', () => {
    const m = JSON.parse(readFileSync(join(round2, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({
      command: 'redistribute',
      plan: { file: 'plan.json' },
      inputs: {
        firstLedger: { file: 'round1/ledger.csv', rows: 2040 },
        firstSummary: { file: 'round1/summary.json' },
        firstManifest: { file: 'round1/manifest.json' },
        uncashed: { file: 'uncashed.csv', rows: 172 },
      },
      parameters: { costs: '12329.50' },
      seed: 'facebook-bipa-fixture:round-2',
      outputs: [{ file: 'ledger.csv', rows: 2040 }, { file: 'summary.json' }],
    });
  });

  it('prints the readable summary and the JSON one', async () => {
    const human = await redistribute(['--costs', COSTS], dir.path('human'));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('+ 172 uncashed payments  $68,284.00');
    expect(human.stdout).toContain('\nNot paid: 212 claims (uncashed 172; not paid in the first round 40)\n');
    expect(human.stdout).toContain('Check: paid $55,954.50 + residual $0.00 = available $55,954.50 ✓');
    const json = await redistribute(['--costs', COSTS, '--json'], dir.path('json'));
    expect(json.stdout).toBe(readFileSync(join(FIXTURE, 'expected', 'summary.json'), 'utf8'));
  });

  it('is verified by payout verify --plan PLAN DIR UNCASHED.csv DIR2', async () => {
    const ok = await runCli(['verify', '--plan', PLAN, round1, UNCASHED, round2]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const tampered = dir.path('tampered');
    cpSync(round2, tampered, { recursive: true });
    const ledger = join(tampered, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('FB-00001,illinois,397.00,paid,30.61', 'FB-00001,illinois,397.00,paid,31.61'));
    const bad = await runCli(['verify', '--plan', PLAN, round1, UNCASHED, tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('claim "FB-00001": amount: expected "30.61", found "31.61"');
  });

  describe('errors', () => {
    it('refuses a first round whose ledger does not match its manifest (exit 1)', async () => {
      const edited = dir.path('edited-round1');
      cpSync(round1, edited, { recursive: true });
      const ledger = join(edited, 'ledger.csv');
      writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('FB-00001,illinois,1,1,approved,paid,397.000000,397.00', 'FB-00001,illinois,1,1,approved,paid,397.000000,497.00'));
      const r = await redistribute([], dir.path('never'), edited);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: ${ledger} does not match its manifest: sha256 `);
      expect(existsSync(join(dir.path('never'), 'ledger.csv'))).toBe(false);
    });

    it('refuses a first-round ledger without the share column, the points of the second round (exit 2)', async () => {
      // A ledger without share, with a manifest that records it (as an older or foreign tool might write).
      const noShare = dir.path('no-share-round1');
      cpSync(round1, noShare, { recursive: true });
      const ledger = join(noShare, 'ledger.csv');
      const text = readFileSync(ledger, 'utf8')
        .split('\n')
        .map((line) => line.split(',').filter((_, i) => i !== 6).join(','))
        .join('\n');
      writeFileSync(ledger, text);
      const manifestFile = join(noShare, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { outputs: { file: string; sha256: string }[] };
      manifest.outputs.find((o) => o.file === 'ledger.csv')!.sha256 = createHash('sha256').update(text).digest('hex');
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const r = await redistribute([], dir.path('never'), noShare);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${ledger}:1: no share column (found: claim_id, class, units, points, status, outcome, amount): the second round is pro rata to the first-round exact share`);
    });

    it('reports every problem of the uncashed list with its line, in one run (exit 1)', async () => {
      const list = dir.write('bad-uncashed.csv', 'Check_No,CLAIM_ID\r\n1,FB-00003\r\n2,FB-99999\r\n3,FB-00051\r\n\r\n4,FB-00003\r\n5,""\r\n');
      const r = await runCli(['redistribute', '--plan', PLAN, '--from', round1, '--uncashed', list, '--out', dir.path('never')]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `error: ${list}:3: claim_id: "FB-99999" is not in the first-round ledger ${join(round1, 'ledger.csv')}`,
        `error: ${list}:4: claim_id: "FB-00051" was not paid in the first round (outcome ineligible, ${join(round1, 'ledger.csv')}:52): only a paid or capped claim has a payment to return`,
        `error: ${list}:6: claim_id: "FB-00003" is listed twice (first on line 2)`,
        `error: ${list}:7: claim_id: empty claim_id`,
        `payout: ${list}: 4 errors`,
      ]);
    });

    it('refuses a list without a claim_id column (exit 1)', async () => {
      const list = dir.write('no-id.csv', 'id,amount\nFB-00003,397.00\n');
      const r = await runCli(['redistribute', '--plan', PLAN, '--from', round1, '--uncashed', list, '--out', dir.path('never')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${list}:1: no claim_id column (found: id, amount)`);
    });

    it('refuses costs above what is available, and costs that are not an amount (exit 2)', async () => {
      const above = await redistribute(['--costs', '68284.01'], dir.path('never'));
      expect(above.code).toBe(2);
      expect(above.stderr).toContain('--costs 68284.01 refused: the costs $68,284.01 are more than the second round has: first-round residual $0.00 + uncashed $68,284.00 = $68,284.00');
      const bad = await redistribute(['--costs', '1,000'], dir.path('never'));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--costs "1,000": give an amount with at most 2 decimals');
    });

    it('refuses to start from a second round, or to write into the first round (exit 2)', async () => {
      const fromSecond = await redistribute([], dir.path('never'), round2);
      expect(fromSecond.code).toBe(2);
      expect(fromSecond.stderr).toContain("is a second round's folder (payout redistribute): a second-round folder cannot be the --from of another round yet");
      const intoFirst = await redistribute([], round1);
      expect(intoFirst.code).toBe(2);
      expect(intoFirst.stderr).toContain("is the first round's folder");
    });

    it('does not overwrite a second round without --force (exit 2)', async () => {
      const r = await redistribute(['--costs', COSTS]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('already holds ledger.csv, summary.json, manifest.json: use --force');
    });

    it('warns when the plan is not the first round\'s', async () => {
      const other = dir.write('plan.json', readFileSync(PLAN, 'utf8').replace('"seed": "facebook-bipa-fixture"', '"seed": "other-seed"'));
      const r = await runCli(['redistribute', '--plan', other, '--from', round1, '--uncashed', UNCASHED, '--out', dir.path('other-plan')]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`warning: ${other} is not the plan the first round was made with`);
      expect(r.stderr).toContain('warning: the first round\'s seed is "facebook-bipa-fixture", the plan\'s "other-seed": the second round\'s tie-break uses "other-seed:round-2"');
    });
  });
});
