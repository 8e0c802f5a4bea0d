import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { readElections, type ClaimBytesSink } from '../../src/io/payments/elections-reader.js';
import { ClaimRecordWriter } from '../../src/core/payments/claim-records.js';
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

describe('readElections with the claims taken from bytes', () => {
  /** The records of the paid claims, and the problems: every claim as a PaidClaim, or most from bytes. */
  async function read(claimsFile: string, l: PaidLedger, fromBytes: boolean, electionsFile?: string): Promise<{ records: Uint8Array; problems: unknown[]; taken: number }> {
    const blocks: Uint8Array[] = [];
    const w = new ClaimRecordWriter((b) => void blocks.push(b.slice()), 1 << 16);
    let taken = 0;
    const r = await readElections({
      claimsFile,
      ledger: l,
      ...(electionsFile !== undefined ? { electionsFile } : {}),
      onPaid: (c) => w.add(c),
      onRestart: () => {
        w.reset();
        blocks.length = 0;
        taken = 0;
      },
      ...(fromBytes
        ? {
            records: {
              addBytes: (row, cents, src, s, e, election) => {
                // Declined as the files' worker declines an ACH amount over 10 digits.
                if ((election.tag & 7) === 2 && cents > 9_999_999_999n) return false;
                taken++;
                w.addBytes(row, cents, src, s, e, election);
                return true;
              },
            } satisfies ClaimBytesSink,
          }
        : {}),
    });
    w.flush();
    return { records: Buffer.concat(blocks), problems: r.problems, taken };
  }

  it('gives the records and problems of the claims read as strings (quoted cells, text that is not ASCII, elections file, faults, amounts of 0)', async () => {
    const header = 'claim_id,name,email,phone,venmo_handle,routing_number,account_number,account_type,address,city,state,zip,payment_method';
    const rows = [
      'C1,Ana Ruiz,ana@example.com,,,,,,,,,,paypal',
      'C2,"Smith, Jr.",,"(312) 555-0123",,,,,"1 Main St, Apt 2",Chicago,IL,60601,venmo',
      'C3,"Bo ""Bobby"" Lee",bo@example.com,,,,,,1 Elm St,,,,paypal',
      ' C4 ,José Núñez\u00a0,,,,021000021,1234 5678,Checking,Calle Ñandú 5,São Paulo,SP,01000,ach',
      'C5,Zoë 𝒜,,,,,,,2 Oak Rd,Springfield,IL,62701,check',
      'C6,Kim,,,,021000022,1234,savings,3 Pine Ave,Joliet,IL,60431,ach',
      'C7,Lee,,,,,,,,,,,prepaid_card',
      'C8,Max,max@example.com,,,,,,,,,,paypal',
      'C9,Ida,,,@ida_w,,,,,,,,Venmo',
      'C10,Ola,,,,021000021,123456789,checking,,,,,ach',
      'C11,Uma,uma@example.com,,,,,,,,,,paypal',
    ];
    const file = join(dir, 'bytes.csv');
    writeFileSync(file, `${header}\r\n${rows.join('\r\n')}\r\n`);
    const elections = join(dir, 'bytes-elections.csv');
    writeFileSync(elections, 'claim_id,payment_method,address\nC8,check,9 Elm St\n');
    const ids = rows.map((r) => r.split(',')[0]!.trim());
    const amounts = [100n, 200n, 300n, 400n, 500n, 600n, 700n, 800n, 0n, 10_000_000_000n, 900n];
    for (const withElections of [false, true]) {
      const l = ledger(ids, amounts);
      const e = withElections ? elections : undefined;
      const strings = await read(file, l, false, e);
      const bytes = await read(file, l, true, e);
      expect(bytes.records).toEqual(strings.records);
      expect(bytes.problems).toEqual(strings.problems);
      expect(strings.problems.length).toBeGreaterThan(0);
      // C1, C2, C4, C5 and C11 from bytes, and C8 too without the elections file; C3's name has a
      // doubled quote, C6/C7 have faults, C9 is not paid, C10's amount is declined by the sink.
      expect(bytes.taken).toBe(withElections ? 5 : 6);
    }
  });

  it('starts over at bytes that are not UTF-8, the records from bytes dropped with the others', async () => {
    const header = 'claim_id,name,email,payment_method,address,city,state,zip';
    const file = join(dir, 'bytes-latin1.csv');
    writeFileSync(file, Buffer.from(`${header}\nC1,Ana,ana@example.com,paypal,,,,\nC2,Jos\xe9,,check,1 Main St,Chicago,IL,60601\nC3,Bo,bo@example.com,paypal,,,,\n`, 'latin1'));
    const l = ledger(['C1', 'C2', 'C3'], [100n, 200n, 300n]);
    const strings = await read(file, l, false);
    const bytes = await read(file, l, true);
    expect(bytes.records).toEqual(strings.records);
    expect(bytes.problems).toEqual(strings.problems);
    expect(strings.problems.map((p) => (p as { code: string }).code)).toEqual(['invalid_utf8', 'invalid_utf8']);
  });

  it('gives the same records as strings on generated files', async () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'ana@example.com', '3125550123', '(312) 555-0123', '021000021', '1234-5678', 'checking', 'paypal', 'venmo', 'ach', 'check', 'ACH', 'Zoë', ' x ', '@ana_ruiz', 'IL'),
      fc.string({ maxLength: 6 }).filter((s) => !/[\r\n]/.test(s)),
    );
    const quote = (s: string): string => (/[",]/.test(s) || s.startsWith(' ') ? `"${s.replaceAll('"', '""')}"` : s);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.array(cell, { minLength: 12, maxLength: 12 }), fc.nat(3)), { minLength: 1, maxLength: 30 }), async (rows) => {
        const header = 'claim_id,name,email,phone,venmo_handle,routing_number,account_number,account_type,address,city,state,zip,payment_method';
        const file = join(dir, `gen-${n++}.csv`);
        const ids = rows.map((_, i) => `C${i}`);
        writeFileSync(file, `${header}\n${rows.map(([cells], i) => [ids[i], ...cells].map(quote).join(',')).join('\n')}\n`);
        const l = ledger(ids, rows.map(([, a]) => BigInt(a) * 100n));
        const strings = await read(file, l, false);
        const bytes = await read(file, l, true);
        expect(bytes.records).toEqual(strings.records);
        expect(bytes.problems).toEqual(strings.problems);
      }),
      { numRuns: 80 },
    );
  });
});
