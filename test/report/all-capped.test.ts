/**
 * A class whose every paid claim was capped is not shown a value per point (the pool's value paid
 * none of its claims): the report says the class was capped, the terminal summary says every paid
 * claim was capped, and explain says a capped claim does not get its points at that value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
// 1,000.00 over 5 claims of weight 1 and 2 of weight 10, at most 200.00 a claim: the heavy class is
// capped (uncapped it would get 400.00 each), the light one is paid 120.00 each (one point: 120.00).
const plan = tmp.write(
  'plan.json',
  JSON.stringify({
    name: 'Cap on one class',
    currency: 'USD',
    gross: '1000.00',
    classes: [
      { id: 'light', weight: '1' },
      { id: 'heavy', weight: '10' },
    ],
    maximumPayment: '200.00',
    seed: 'cap-one-class',
  }),
);
const claims = tmp.write('claims.csv', 'claim_id,class\nL-1,light\nL-2,light\nL-3,light\nL-4,light\nL-5,light\nH-1,heavy\nH-2,heavy\n');

describe('a class whose every claim was capped', () => {
  it('terminal summary and report.html say the class was capped instead of a value per point', async () => {
    const out = tmp.path('run');
    const r = await runCli(['allocate', '--plan', plan, claims, '--out', out, '--report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('heavy: every paid claim capped at $200.00 (2 claims)');
    expect(r.stdout).not.toContain('light: ');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { classes: { id: string; pointValue: string | null }[] };
    // summary.json keeps the pool's value per point on every class, as it always has.
    expect(summary.classes.map((c) => c.pointValue)).toEqual(['120.000000', '120.000000']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const cell = (cls: string): string => {
      const row = new RegExp(`<tr data-class="${cls}">[\\s\\S]*?<td class="num" data-field="pointValue"([^>]*)>([^<]*)</td>`).exec(html);
      return `${row?.[1] ?? '?'}|${row?.[2] ?? '?'}`;
    };
    expect(cell('heavy')).toBe(' data-all-capped|all capped at $200.00');
    expect(cell('light')).toBe('|$120.000000');
  });

  it('explain: a capped claim is not paid its points at the value of one point', async () => {
    const r = await runCli(['explain', '--plan', plan, claims, 'H-1', 'L-1']);
    expect(r.code, r.stderr).toBe(0);
    const [heavy = '', light = ''] = r.stdout.split(/\n(?=Claim )/);
    expect(heavy).toMatch(/one point is worth 12,?000 cents \(12,?000\.000000\) to the claims below the cap; this claim is capped, so not its points × that/);
    expect(light).toMatch(/one point is worth 12,?000 cents \(12,?000\.000000\)\n/);
  });
});
