import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { readElections } from '../../src/io/payments/elections-reader.js';
import type { PaidLedger } from '../../src/io/payments/paid-ledger.js';
import { LedgerIds } from '../../src/io/payments/ledger-ids.js';

const dir = mkdtempSync(join(tmpdir(), 'elections-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ledger = (ids: string[], amounts: bigint[]): PaidLedger => ({
  dir,
  round: 1,
  manifest: {} as PaidLedger['manifest'],
  ledgerPath: join(dir, 'ledger.csv'),
  ids: LedgerIds.from(ids),
  amounts,
  paid: { count: amounts.filter((a) => a > 0n).length, amount: amounts.reduce((a, b) => a + b, 0n) },
  inputs: {},
});

describe('readElections', () => {
  const header = 'claim_id,class,name,email,payment_method,address,city,state,zip';
  const rows = ['C1,a,Ana Ruiz,ana@example.com,paypal,,,,', 'C2,a,"Smith, Jr.",,check,"1 Main St, Apt 2",Chicago,IL,60601', 'C3,a,Bo Lee,bo@example.com,paypal,,,,'];

  it('reads the claims file with the fast tokenizer: no start over', async () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    const paid: PaidClaim[] = [];
    let restarts = 0;
    const r = await readElections({ claimsFile: file, ledger: ledger(['C1', 'C2', 'C3'], [100n, 200n, 0n]), onPaid: (c) => paid.push(c), onRestart: () => restarts++ });
    expect(restarts).toBe(0);
    expect(r.problems).toEqual([]);
    expect(paid.map((c) => [c.claimId, c.election.method])).toEqual([['C1', 'paypal'], ['C2', 'check']]);
    expect(paid[1]?.mailing?.address).toBe('1 Main St, Apt 2');
  });

  it('starts over with the general reader at a record the fast one leaves (a CR inside a cell), with the same claims once each', async () => {
    const file = join(dir, 'cr.csv');
    // C3's name holds a bare CR: the fast tokenizer hands the file to readCsvFile, which keeps it.
    writeFileSync(file, `${header}\n${rows[0]}\n${rows[1]}\nC3,a,Bo\rLee,bo@example.com,paypal,,,,\n`);
    let paid: PaidClaim[] = [];
    let restarts = 0;
    const r = await readElections({
      claimsFile: file,
      ledger: ledger(['C1', 'C2', 'C3'], [100n, 200n, 300n]),
      onPaid: (c) => paid.push(c),
      onRestart: () => {
        restarts++;
        paid = [];
      },
    });
    expect(restarts).toBe(1);
    expect(r.problems).toEqual([]);
    expect(r.inputs.claims.rows).toBe(3);
    expect(paid.map((c) => c.claimId)).toEqual(['C1', 'C2', 'C3']);
  });

  it('leaves a claims file with bytes that are not UTF-8 to the general reader, which reports them', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.from(`${header}\n${rows[0]}\nC2,a,Jos\xe9,,check,"1 Main St, Apt 2",Chicago,IL,60601\n${rows[2]}\n`, 'latin1'));
    let restarts = 0;
    const r = await readElections({ claimsFile: file, ledger: ledger(['C1', 'C2', 'C3'], [100n, 200n, 300n]), onRestart: () => restarts++ });
    expect(restarts).toBe(1);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['invalid_utf8', undefined], ['invalid_utf8', 3]]);
    expect(r.claims.map((c) => c.claimId)).toEqual(['C1', 'C3']);
  });

  it('takes the election of every claim an elections file lists, and of no other (ids of any text)', async () => {
    let n = 0;
    const id = fc.oneof(fc.stringMatching(/^[A-Z]{0,3}-?[0-9]{1,8}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((s) => !/[",\r\n]/.test(s) && s.trim() === s && s !== ''));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(id, { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.array(id, { maxLength: 5 }), async (ids, listed, unknown) => {
        const claims = join(dir, `many-${n}.csv`);
        const elections = join(dir, `many-elections-${n++}.csv`);
        writeFileSync(claims, `claim_id,name,email,payment_method,address\n${ids.map((c, i) => `${c},Ana Ruiz,ana${i}@example.com,paypal,1 Main St`).join('\n')}\n`);
        const extra = unknown.filter((u) => !ids.includes(u));
        const elected = ids.filter((_, i) => listed[i]);
        writeFileSync(elections, `claim_id,payment_method\n${[...elected, ...new Set(extra)].map((c) => `${c},check`).join('\n')}\n`);
        const r = await readElections({ claimsFile: claims, electionsFile: elections, ledger: ledger(ids, ids.map(() => 100n)) });
        expect(r.claims.map((c) => [c.claimId, c.election.method])).toEqual(ids.map((c, i) => [c, listed[i] ? 'check' : 'paypal']));
        expect(r.problems.map((p) => p.message)).toEqual([...new Set(extra)].map((u) => `claim ${u} is not in the ledger; its election is not used`));
      }),
      { numRuns: 60 },
    );
  });
});
