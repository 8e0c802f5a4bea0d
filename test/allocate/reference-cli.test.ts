/** scripts/reference-allocate.py as a command: a usage line for --help, one-line errors instead of tracebacks. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const script = join(ROOT, 'scripts/reference-allocate.py');
const plan = join(ROOT, 'fixtures/errors/plan.json');
mkdirSync('/tmp/payout-tests', { recursive: true });
const tmp = mkdtempSync('/tmp/payout-tests/reference-cli-');
const run = (...args: string[]) => spawnSync('python3', [script, ...args], { encoding: 'utf8', cwd: tmp });
const file = (name: string, text: string): string => {
  writeFileSync(join(tmp, name), text);
  return name;
};

describe.runIf(hasPython)('reference-allocate.py', () => {
  it('--help: the usage line first, exit 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'usage: python3 scripts/reference-allocate.py PLAN.json CLAIMS.csv [--keep col,...] [--map field=header]... [--delimiter C] [--manifest DIR/manifest.json] [--explain] [--summary] > ledger.csv',
    );
    expect(r.stderr).toBe('');
  });

  it.each([
    ['no arguments', [], 2, 'reference-allocate.py: give the plan and the claims file'],
    ['a missing file', [plan, 'nope.csv'], 2, 'reference-allocate.py: nope.csv: not found'],
    ['a missing column', [plan, file('no-class.csv', 'claim_id,units\nA,1\n')], 1, 'reference-allocate.py: no-class.csv:1: missing column "class" (found: claim_id, units)'],
    ['an unknown class', [plan, file('bad-class.csv', 'claim_id,class\nA,midwest\n')], 1, 'reference-allocate.py: bad-class.csv:2: class: unknown class "midwest" (expected: nationwide, illinois)'],
    ['a plan that is not JSON', [file('plan.json', '{"a":'), 'x.csv'], 2, 'reference-allocate.py: the plan is not valid JSON'],
    ['an unknown option', [plan, 'x.csv', '--mapp', 'a=b'], 2, 'reference-allocate.py: unknown option --mapp (see --help)'],
    ['an option with no value', [plan, 'x.csv', '--delimiter'], 2, 'reference-allocate.py: --delimiter needs a value'],
    ['a --map with no header', [plan, 'x.csv', '--map', 'claim_id'], 2, 'reference-allocate.py: --map claim_id: expected field=header'],
    ['a --map of an unknown field', [plan, 'x.csv', '--map', 'id=Claim'], 2, 'reference-allocate.py: --map id=Claim: unknown field "id" (fields: claim_id, class, units, status, email, name, address)'],
    ['a --delimiter of two characters', [plan, 'x.csv', '--delimiter', ';;'], 2, 'reference-allocate.py: --delimiter ";;": give one character'],
    ['a mapped column that is not there', [plan, file('semi.csv', 'Id;class\nA;illinois\n'), '--delimiter', ';', '--map', 'claim_id=ClaimNumber'], 1, 'reference-allocate.py: semi.csv:1: --map claim_id=ClaimNumber: no column "ClaimNumber" in the header (found: id, class)'],
    ['a kept column that is not there', [plan, file('ok.csv', 'claim_id,class\nA,illinois\n'), '--keep', 'state'], 1, 'reference-allocate.py: ok.csv:1: --keep state: no column "state" in the header'],
    ['a manifest that is not there', [plan, 'ok.csv', '--manifest', 'nope/manifest.json'], 2, 'reference-allocate.py: nope/manifest.json: not found'],
    ['a manifest whose reading is not an object', [plan, 'ok.csv', '--manifest', file('m.json', '{"reading": 3}')], 2, 'reference-allocate.py: m.json: not a manifest of payout'],
    ['a manifest whose map is not an object', [plan, 'ok.csv', '--manifest', file('m2.json', '{"reading": {"map": ["claim_id"]}}')], 2, 'reference-allocate.py: m2.json: not a manifest of payout'],
    ['a folder for the claims file', [plan, '.'], 2, 'reference-allocate.py: .: cannot read it'],
    ['a --map field a bucket plan does not read', [join(ROOT, 'fixtures/equifax-buckets/plan.json'), 'ok.csv', '--map', 'class=Tier'], 2, 'reference-allocate.py: --map class=Tier: unknown field "class" (fields of this plan: claim_id, status, choice, documented_loss, hours, documented_hours)'],
    ['a column a bucket plan names that is not there', [join(ROOT, 'fixtures/equifax-buckets/plan.json'), file('b.csv', 'claim_id,status\nA,approved\n')], 1, 'reference-allocate.py: b.csv:1: missing column "choice" (found: claim_id, status)'],
  ])('%s: one line on stderr, no traceback', (_, args, code, first) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(code);
    expect(r.stderr.startsWith(first)).toBe(true);
    expect(r.stderr).not.toContain('Traceback');
    expect(r.stdout).toBe('');
  });
});
