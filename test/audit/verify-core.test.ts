/**
 * The pure comparison of `payout verify` (src/core/verify.ts): rows matched by claim id in any
 * order, every kind of difference counted and the first N kept, JSON compared path by path, and
 * the wording of each finding.
 */
import { describe, expect, it } from 'vitest';
import {
  checkInput,
  checkLedgerRows,
  checkOutputBytes,
  checkTotals,
  compareJson,
} from '../../src/core/verify.js';
import { LedgerComparer, type ExpectedLedger } from '../../src/core/ledger-compare.js';

const COLUMNS = ['claim_id', 'class', 'amount'] as const;
type Row = [string, string, string];

function expected(rows: Row[]): ExpectedLedger {
  return {
    columns: COLUMNS,
    idColumn: 'claim_id',
    amountColumn: 'amount',
    count: rows.length,
    id: (row) => rows[row]![0],
    cell: (row, col) => rows[row]![col]!,
  };
}

function compare(exp: Row[], found: Row[], maxDiffs = 20) {
  const c = new LedgerComparer(expected(exp), maxDiffs);
  found.forEach((r, i) => c.add(i + 2, r));
  return c.finish();
}

const base: Row[] = [
  ['a', 'k', '1.00'],
  ['b', 'k', '2.00'],
  ['c', 'j', '3.50'],
];

describe('LedgerComparer', () => {
  it('matches a ledger in input order', () => {
    const r = compare(base, base);
    expect(r).toMatchObject({ rowsMatch: true, inOrder: true, foundRows: 3, differenceCount: 0, foundTotal: 650n });
  });

  it('matches a re-sorted ledger by claim id and says it is out of order', () => {
    const r = compare(base, [base[2]!, base[0]!, base[1]!]);
    expect(r).toMatchObject({ rowsMatch: true, inOrder: false, foundTotal: 650n });
  });

  it('keeps order when a row is deleted, and names the missing claim', () => {
    const r = compare(base, [base[0]!, base[2]!]);
    expect(r).toMatchObject({ rowsMatch: false, inOrder: true, missing: { count: 1, claimIds: ['b'] } });
  });

  it('reports a changed cent with claim id, line, field, expected and found', () => {
    const r = compare(base, [base[0]!, ['b', 'k', '2.01'], base[2]!]);
    expect(r.differences).toEqual([{ claimId: 'b', line: 3, field: 'amount', expected: '2.00', found: '2.01' }]);
    expect(r).toMatchObject({ differenceCount: 1, rowsDiffering: 1, amountsDiffering: 1, rowsMatch: false, foundTotal: 651n });
  });

  it('reports rows not in the inputs and rows given twice', () => {
    const r = compare(base, [...base, ['zz', 'k', '9.00'], base[1]!]);
    expect(r.extra).toEqual({ count: 1, rows: [{ claimId: 'zz', line: 5 }] });
    expect(r.duplicates).toEqual({ count: 1, rows: [{ claimId: 'b', line: 6, firstLine: 3 }] });
    expect(r.rowsMatch).toBe(false);
  });

  it('counts every difference but keeps only the first N', () => {
    const many: Row[] = Array.from({ length: 50 }, (_, i) => [`id${i}`, 'k', '1.00']);
    const r = compare(many, many.map(([id]) => [id, 'x', '1.01'] as Row), 7);
    expect(r.differenceCount).toBe(100);
    expect(r.rowsDiffering).toBe(50);
    expect(r.amountsDiffering).toBe(50);
    expect(r.differences).toHaveLength(7);
    const check = checkLedgerRows('ledger.csv', r, 7);
    expect(check.status).toBe('fail');
    expect(check.message).toBe('100 cells differ in 50 rows, 50 amounts (50 rows found, 50 expected)');
    expect(check.details.at(-1)).toBe('… and 93 more cells (--max-diffs 7)');
  });

  it('counts an amount that is not money and leaves it out of the total', () => {
    const r = compare(base, [base[0]!, ['b', 'k', '=2'], base[2]!]);
    expect(r).toMatchObject({ badAmounts: 1, foundTotal: 450n, rowsMatch: false });
  });

  it('finds cells by the file\'s header when its columns come in another order', () => {
    const c = new LedgerComparer(expected(base), 20);
    c.columns(['amount', 'claim_id', 'class']);
    for (const [i, [id, cls, amount]] of base.entries()) c.add(i + 2, [i === 1 ? '2.02' : amount, id, cls]);
    const r = c.finish();
    expect(r.differences).toEqual([{ claimId: 'b', line: 3, field: 'amount', expected: '2.00', found: '2.02' }]);
    expect(r.foundTotal).toBe(652n);
  });

  it('reports a column the file lacks as a difference in every row', () => {
    const c = new LedgerComparer(expected(base), 20);
    c.columns(['claim_id', 'amount']);
    for (const [i, [id, , amount]] of base.entries()) c.add(i + 2, [id, amount]);
    expect(c.finish()).toMatchObject({ differenceCount: 3, amountsDiffering: 0, rowsMatch: false });
  });

  it('gives a file identical to the recomputed ledger the same result as reading it back', () => {
    const byRows = compare(base, base);
    const byBytes = LedgerComparer.identical(expected(base));
    expect(byBytes).toEqual({ ...byRows, comparedBy: 'bytes' });
    expect(checkLedgerRows('ledger.csv', byBytes, 20).message).toBe('all 3 rows of ledger.csv match the recomputed ledger, byte for byte');
  });

  it('says one row as one', () => {
    const one = LedgerComparer.identical(expected(base.slice(0, 1)));
    expect(checkLedgerRows('ledger.csv', one, 20).message).toBe('the 1 row of ledger.csv matches the recomputed ledger, byte for byte');
  });
});

describe('compareJson', () => {
  it('names each differing path, with absent sides', () => {
    const exp = { net: '1.00', classes: [{ id: 'a', amount: '1.00' }], check: { balanced: true } };
    const found = { net: '1.01', classes: [{ id: 'a', amount: '1.00' }, { id: 'b' }], check: {}, extra: 1 };
    expect(compareJson(exp, found)).toEqual([
      { path: 'net', expected: '1.00', found: '1.01' },
      { path: 'classes[1]', found: { id: 'b' } },
      { path: 'check.balanced', expected: true },
      { path: 'extra', found: 1 },
    ]);
    expect(compareJson(exp, structuredClone(exp))).toEqual([]);
    expect(compareJson({ a: null }, { a: 0 })).toEqual([{ path: 'a', expected: null, found: 0 }]);
  });
});

describe('findings', () => {
  const sha = (c: string) => c.repeat(64);

  it('says the plan was changed after the run, with both hashes', () => {
    const c = checkInput({ name: 'plan', label: 'the plan', file: 'plan.json', recorded: { sha256: sha('a') }, actual: { sha256: sha('b') } });
    expect(c).toMatchObject({ status: 'fail', message: `the plan was changed after the run: sha256 ${sha('a')} in the manifest, ${sha('b')} now (plan.json)` });
  });

  it('passes a ledger whose bytes differ when every row matches, as a note that says why', () => {
    const fact = { file: 'ledger.csv', recorded: { sha256: sha('a'), bytes: 10 }, actual: { sha256: sha('b'), bytes: 12, hasCR: true }, expectedSha256: sha('a') };
    const note = checkOutputBytes(fact, true, { unit: 'row', inOrder: false });
    expect(note.status).toBe('note');
    expect(note.message).toBe("bytes differ from the manifest's hash, but every row matches: re-saved or re-sorted?");
    expect(note.details.slice(0, 2)).toEqual(['its lines end in CRLF (payout writes LF)', 'its rows are not in the order of the claims file']);
    expect(checkOutputBytes(fact, false, { unit: 'row', inOrder: true }).status).toBe('fail');
    expect(checkOutputBytes({ ...fact, actual: { sha256: sha('a'), bytes: 10, hasCR: false } }, true, { unit: 'row', inOrder: true }).status).toBe('ok');
    expect(checkOutputBytes({ ...fact, recorded: undefined }, true, { unit: 'row', inOrder: true }).message).toBe('the manifest does not list ledger.csv');
  });

  it('checks Σ amounts + residual = net, and says by how much it is off', () => {
    const src = (text: unknown) => ({ text, source: 'summary.json' });
    expect(checkTotals(9_999n, 0, src('0.01'), src('100.00')).status).toBe('ok');
    const off = checkTotals(10_000n, 0, src('0.01'), src('100.00'));
    expect(off.status).toBe('fail');
    expect(off.message).toBe('Σ ledger amounts $100.00 + residual $0.01 = $100.01, but the net is $100.00: $0.01 over');
    expect(checkTotals(1n, 0, src(undefined), src('1.00')).message).toMatch(/cannot total/);
    expect(checkTotals(9_999n, 1, src('0.01'), src('100.00')).message).toContain('(1 amount that is not money left out)');
    expect(checkTotals(9_999n, 2, src('0.01'), src('100.00')).message).toContain('(2 amounts that are not money left out)');
  });
});
