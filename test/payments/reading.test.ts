/**
 * payout pay reads the claims file as allocate read it: --delimiter, a first line `sep=X` and
 * --map, from the ledger's manifest unless given (as payout verify does), with the same files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'fixtures/payments');
const PLAN = join(FIXTURE, 'plan.json');
const CLAIMS = join(FIXTURE, 'claims.csv');
const ELECTIONS = join(FIXTURE, 'elections.csv');

/** The claims file with `;` between cells (a cell holding `;` quoted) and claim_id renamed ClaimNumber. */
function semicolons(text: string): string {
  const out: string[] = [];
  for (const line of text.trimEnd().split('\n')) {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = !quoted;
      } else if (c === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    out.push(cells.map((s) => (/[;"\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)).join(';'));
  }
  out[0] = out[0]!.replace(/^claim_id;/, 'ClaimNumber;');
  return `${out.join('\n')}\n`;
}

describe('payout pay: how the claims file is read', () => {
  const dir = tempDir();
  const sameAs = dir.path('same-as');
  const files = (d: string) =>
    Object.fromEntries(readdirSync(d).filter((n) => n !== 'manifest.json').map((n) => [n, readFileSync(join(d, n), 'utf8')]));

  beforeAll(async () => {
    expect((await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', dir.path('round1'), '--quiet'])).code).toBe(0);
    expect((await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', dir.path('round1'), '--elections', ELECTIONS, '--out', sameAs, '--quiet'])).code).toBe(0);
  });

  it('--delimiter and --map given to allocate: pay reads with the manifest\'s record, the same payment files', async () => {
    const claims = dir.write('claims-semicolon.csv', semicolons(readFileSync(CLAIMS, 'utf8')));
    const from = dir.path('round1-semicolon');
    expect((await runCli(['allocate', '--plan', PLAN, claims, '--out', from, '--delimiter', ';', '--map', 'claim_id=ClaimNumber', '--quiet'])).code).toBe(0);
    const out = dir.path('pay-semicolon');
    const r = await runCli(['pay', '--plan', PLAN, claims, '--from', from, '--elections', ELECTIONS, '--out', out, '--quiet']);
    expect(r.stderr).not.toContain('differs from the manifest');
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(files(sameAs));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { reading?: unknown };
    expect(manifest.reading).toEqual({ delimiter: ';', map: { claim_id: 'ClaimNumber' } });

    // Given and the same as the record: no warning; given and different: a warning, and that reading.
    const again = await runCli(['pay', '--plan', PLAN, claims, '--from', from, '--elections', ELECTIONS, '--out', dir.path('pay-semicolon-2'), '--quiet', '--delimiter', ';', '--map', 'claim_id=ClaimNumber']);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('warning: --');
    const other = await runCli(['pay', '--plan', PLAN, claims, '--from', from, '--elections', ELECTIONS, '--out', dir.path('pay-semicolon-3'), '--quiet', '--delimiter', ',']);
    expect(other.stderr).toContain('payout pay: warning: --delimiter "," differs from the manifest\'s delimiter ";"');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('no column "ClaimNumber" (--map claim_id=ClaimNumber) in the header');
  });

  it('a first line sep=; : read with that delimiter, the line is no header', async () => {
    const claims = dir.write('claims-sep.csv', `sep=;\n${semicolons(readFileSync(CLAIMS, 'utf8')).replace(/^ClaimNumber;/, 'claim_id;')}`);
    const from = dir.path('round1-sep');
    expect((await runCli(['allocate', '--plan', PLAN, claims, '--out', from, '--quiet'])).code).toBe(0);
    const out = dir.path('pay-sep');
    const r = await runCli(['pay', '--plan', PLAN, claims, '--from', from, '--elections', ELECTIONS, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const a = files(out);
    const b = files(sameAs);
    // Warnings name lines one further down (the sep line); the files are the same.
    expect(a).toEqual(b);
  });
});
