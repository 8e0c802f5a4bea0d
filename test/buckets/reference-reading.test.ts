/**
 * scripts/reference-allocate.py reads a bucket plan's vendor export as payout does (--delimiter, a
 * `sep=` line, --map of the plan's fields, --keep), from the flags or from the run's manifest, and
 * gives payout's ledger byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/equifax-buckets/plan.json');
const EXPORT = tmp.path('export.csv');
const SEP_EXPORT = tmp.path('sep-export.csv');
const MAP = ['--map', 'claim_id=ClaimNumber', '--map', 'documented_loss=OOP Loss'];
const hasPython = spawnSync('python3', ['--version']).status === 0;
const reference = (...args: string[]) => spawnSync('python3', [join(ROOT, 'scripts/reference-allocate.py'), PLAN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

// CI installs python3 (.ci/run): there a missing one fails, as in test/buckets/reference.test.ts.
describe.skipIf(!hasPython && !process.env.CI)('reference-allocate.py on a bucket plan\'s vendor export', () => {
  const out = tmp.path('run');
  beforeAll(async () => {
    const text = readFileSync(join(ROOT, 'fixtures/equifax-buckets/claims.csv'), 'utf8').replace('claim_id,status,documented_loss', 'ClaimNumber,status,OOP Loss');
    expect(text).not.toContain('"');
    const exported = text.replaceAll(',', ';').replaceAll('\n', '\r\n');
    writeFileSync(EXPORT, exported);
    writeFileSync(SEP_EXPORT, `sep=;\r\n${exported}`);
    const a = await runCli(['allocate', '--plan', PLAN, EXPORT, '--out', out, '--quiet', '--delimiter', ';', ...MAP, '--keep', 'choice']);
    expect(a.code, a.stderr).toBe(0);
  });

  it('with the run\'s manifest, with the flags, and with a sep= line: payout\'s ledger', () => {
    const ledger = readFileSync(join(out, 'ledger.csv'), 'utf8');
    expect(ledger.split('\n')[0]).toBe('claim_id,status,outcome,documented,time,cash,amount,choice');
    for (const args of [[EXPORT, '--manifest', out], [EXPORT, '--delimiter', ';', ...MAP, '--keep', 'choice'], [SEP_EXPORT, ...MAP, '--keep', 'choice']]) {
      const r = reference(...args);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      expect(r.stdout, args.join(' ')).toBe(ledger);
    }
  });

  it('refuses what payout refuses, in payout\'s words', () => {
    const field = reference(EXPORT, '--manifest', out, '--map', 'units=Qty');
    expect(field.status).toBe(2);
    expect(field.stderr).toContain('reference-allocate.py: --map units=Qty: unknown field "units" (fields of this plan: claim_id, status, choice, documented_loss, hours, documented_hours)');
    const keep = reference(EXPORT, '--manifest', out, '--keep', 'amount');
    expect(keep.status).toBe(2);
    expect(keep.stderr).toContain('reference-allocate.py: --keep amount: the ledger already has the column "amount"; keep only other columns');
    expect(field.stderr + keep.stderr).not.toContain('Traceback');
  });
});
