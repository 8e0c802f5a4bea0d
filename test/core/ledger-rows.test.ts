/**
 * LedgerRows (core/ledger.ts), the byte writer `allocate` and `verify` run on every row: byte for
 * byte ledgerChunks as UTF-8, for any range of rows, on random tables: ids that need quotes or a
 * formula guard, several bytes a character, long ids; several cells (classes, units), statuses and
 * remainder cents; with and without kept columns; suffixes found in the array or in the Map.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { LedgerRows, ledgerChunks, ledgerRowsSource } from '../../src/core/ledger.js';
import type { Plan } from '../../src/core/plan.js';
import { tieKeyer } from '../../src/io/hash.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { makeTable } from '../helpers/make-table.js';
import { ROOT } from '../helpers/run-cli.js';
import { rowsInRanges } from '../helpers/ledger-ranges.js';

let plan: Plan;
beforeAll(async () => {
  ({ plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json')));
});

const piece = fc.constantFrom('A', 'z', '7', '-', '=', '+', '@', "'", '\t', '\r', '\n', ',', '"', ' ', 'é', '€', '𝄞', 'TT-', '0000123');
const idText = fc.oneof(
  { weight: 5, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.array(piece, { minLength: 30, maxLength: 60 }).map((p) => p.join('')) },
);
const row = fc.record({
  klass: fc.constantFrom('nationwide', 'illinois'),
  units: fc.constantFrom('1', '2', '0.5', '3.25'),
  status: fc.constantFrom('approved', 'rejected', 'deficient', 'Approved '),
});

describe('LedgerRows.rows', () => {
  it('gives ledgerChunks as UTF-8, any range at a time, with and without kept columns, array or Map (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(idText, { minLength: 1, maxLength: 60 }),
        fc.array(row, { minLength: 60, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (ids, rows, cuts, withKept, sparse) => {
          const table = makeTable(
            plan,
            ids.map((id, i) => ({ id, class: rows[i]!.klass, units: rows[i]!.units, status: rows[i]!.status })),
          );
          const keep = withKept ? ['note'] : [];
          if (withKept) table.kept.set('note', ids.map((id, i) => (i % 2 === 0 ? id : `n${i}`)));
          const alloc = allocate(plan, table, tieKeyer(plan.seed));
          const rowsOf = new LedgerRows(ledgerRowsSource(plan, table, alloc, keep), { denseKeys: sparse ? 0 : undefined });
          const parts = rowsInRanges(rowsOf, table.count, cuts);
          parts.push(rowsOf.rows(table.count, table.count));
          const text = [...ledgerChunks(plan, table, alloc, keep)].join('');
          expect(Buffer.concat(parts).toString('utf8')).toBe(text);
          expect(Buffer.concat(parts).equals(Buffer.from(text, 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grows its buffer when rows are longer than the ones before (a guess from earlier blocks)', () => {
    const ids = [...Array.from({ length: 50 }, (_, i) => `a${i}`), ...Array.from({ length: 50 }, (_, i) => `${'é'.repeat(200)}${i}`)];
    const table = makeTable(plan, ids.map((id) => ({ id, class: 'nationwide' })));
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    const rowsOf = new LedgerRows(ledgerRowsSource(plan, table, alloc, []));
    const bytes = Buffer.concat([rowsOf.rows(0, 50), rowsOf.rows(50, 100)]);
    expect(bytes.toString('utf8')).toBe([...ledgerChunks(plan, table, alloc, [])].join(''));
  });
});
