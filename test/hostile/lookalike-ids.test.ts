/**
 * Look-alike claim ids (issue 18, finding 6): ids equal after NFC, case-folding and the removal of
 * invisible (default-ignorable) code points were paid twice without a word. The exact-id rule is
 * unchanged (both are claims, both paid); validate and allocate warn with both lines, and
 * summary.json counts them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaimIds } from '../../src/core/claims.js';
import { findLookAlikeIds, lookAlikeKey } from '../../src/io/claim-id-lookalikes.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');

describe('findLookAlikeIds', () => {
  it('pairs NFC/NFD, case and zero-width variants with the first of them; nothing else', () => {
    const ids = ['café', 'A-1', 'cafe\u0301', 'a-1', 'B\u200b-2', 'B-2', 'B-3', '\u212a9', 'k9', 'CAFÉ'];
    const pairs = findLookAlikeIds(ClaimIds.from(ids)).map((p) => [ids[p.firstRow], ids[p.row]]);
    expect(pairs).toEqual([
      ['café', 'cafe\u0301'],
      ['A-1', 'a-1'],
      ['B\u200b-2', 'B-2'],
      ['\u212a9', 'k9'], // KELVIN SIGN lower-cases to k
      ['café', 'CAFÉ'],
    ]);
    expect(lookAlikeKey('Stra\u00dfe')).toBe(lookAlikeKey('STRASSE')); // full case folding: ß = ss
  });

  it('finds no look-alikes among 20,000 distinct plain ids (hash collisions are checked, not trusted)', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `TT-${i.toString(36)}`);
    expect(findLookAlikeIds(ClaimIds.from(ids))).toEqual([]);
  });
});

it('allocate warns with both lines, pays both claims, and counts them in summary.json; verify agrees', async () => {
  const base = readFileSync(CLAIMS, 'utf8').trimEnd().split('\n');
  // Row 2 (TT-0000001) again in lower case, and once with a zero-width space: different ids.
  const [header, first] = [base[0] as string, base[1] as string];
  const rest = first.slice(first.indexOf(','));
  const claims = tmp.write('claims.csv', `${[header, ...base.slice(1), `tt-0000001${rest}`, `TT-\u200b0000001${rest}`].join('\n')}\n`);
  const out = tmp.path('out');
  const r = await runCli(['allocate', '--plan', PLAN, claims, '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`claims.csv:3005: claim_id: claim id "tt-0000001" looks like "TT-0000001" on line 2`);
  expect(r.stderr).toContain(`claims.csv:3006: claim_id: claim id "TT-​0000001" (T T - U+200B 0 0 0 0 0 0 1) looks like "TT-0000001" on line 2`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  expect(summary.warnings).toEqual({ lookAlikeClaimIds: 2 });
  expect(summary.totals.claims).toBe(3002); // both paid as claims: the exact-id rule is unchanged
  const v = await runCli(['verify', '--plan', PLAN, claims, out]);
  expect(v.code).toBe(0);

  const plain = await runCli(['validate', '--plan', PLAN, claims, '--json']);
  expect(JSON.parse(plain.stdout).warnings.count).toBeGreaterThanOrEqual(2);
});
