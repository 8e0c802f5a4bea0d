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

describe('readElections with the claims taken from bytes', () => {
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
      // C1, C2, C4, C5, C11 and C6 (a check digit wrong: paid by check, its warning made from bytes)
      // from bytes, and C8 too without the elections file; C3's name has a doubled quote, C7 has
      // no address to fall back on, C9 is not paid, C10's amount is declined by the sink.
      expect(bytes.taken).toBe(withElections ? 6 : 7);
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

describe('readElections with the claims taken from bytes: ids, line ends and cells the fast path must not read otherwise', () => {
  // A claim id as the ledger has it, and as the claims file may spell it: padded with whitespace
  // trim() removes (ASCII or not), in another Unicode normalisation, another case, quoted.
  const base = fc.constantFrom('C1', 'c1', 'Café', 'Cafe\u0301', 'ID 7', 'A-9', 'Ωmega', 'x', '=1+1', '@x', "'C1");
  const pad = fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u200b'), weight: 1 });
  /** [the id as the claims file spells it, the ledger's id]: mostly the same id. */
  const ids = fc
    .tuple(base, pad, pad, fc.boolean(), fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: base, weight: 1 }))
    .map(([id, a, b, quoted, other]) => [quoted ? `"${a}${id}${b}"` : `${a}${id}${b}`, other ?? id] as const);
  // An election without a fault (name … payment_method), one of its cells sometimes replaced by one
  // the strings may read otherwise (whitespace that is not ASCII, a line break in quotes, a
  // letter that lower-cases to ASCII), sometimes cut short.
  const TEMPLATES = [
    ['Ana', 'ana@example.com', '', '', '', '', '', '', '', '', '', 'paypal'],
    ['Bo', '', '(312) 555-0123', '', '', '', '', '1 Main St', 'Chicago', 'IL', '60601', 'venmo'],
    ['Kim', '', '', '', '021000021', '1234 5678', 'checking', '', '', '', '', 'ACH'],
    ['Zoë', '', '', '', '', '', '', '2 Oak Rd', 'Springfield', 'IL', '62701', 'check'],
  ];
  const odd = fc.constantFrom('"1 Main St\nApt 2"', '"a\r\nb"', '" ana@example.com "', '\u00a0paypal', 'PAYPAL\u3000', 'CHEC\u212a', 'chec\u212aing', '"x"', '', 'Zoë');
  const cells = fc
    .tuple(fc.nat(TEMPLATES.length - 1), fc.option(fc.tuple(fc.nat(11), odd), { freq: 2 }), fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.nat(12), weight: 1 }))
    .map(([t, change, cut]) => {
      const c = [...TEMPLATES[t]!];
      if (change !== null) c[change[0]] = change[1];
      return cut === null ? c : c.slice(0, cut);
    });
  const row = fc.tuple(ids, cells, fc.nat(2));

  it('gives the same records and problems as strings (ids padded, normalised or mismatched, short rows, BOM, CRLF, line breaks in cells, elected claims)', async () => {
    let n = 0;
    let taken = 0;
    let faulted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean(), fc.boolean(), async (rows, bom, crlf, withElections) => {
        const header = 'claim_id,name,email,phone,venmo_handle,routing_number,account_number,account_type,address,city,state,zip,payment_method';
        const nl = crlf ? '\r\n' : '\n';
        const file = join(dir, `ids-${n}.csv`);
        writeFileSync(file, `${bom ? '\ufeff' : ''}${header}${nl}${rows.map(([[id], cells]) => [id, ...cells].join(',')).join(nl)}${nl}`);
        const elections = join(dir, `ids-${n++}-elections.csv`);
        writeFileSync(elections, `claim_id,payment_method,name,address\n${rows[0]![0][1]},check,Ana,1 Elm St\n`);
        const l = ledger(rows.map(([[, id]]) => id), rows.map(([, , a]) => BigInt(a) * 100n));
        const e = withElections ? elections : undefined;
        const strings = await read(file, l, false, e);
        const bytes = await read(file, l, true, e);
        expect(bytes.problems).toEqual(strings.problems);
        expect(Buffer.from(bytes.records).equals(Buffer.from(strings.records))).toBe(true);
        taken += bytes.taken;
        faulted += strings.problems.length > 0 ? 1 : 0;
      }),
      { numRuns: 150 },
    );
    // Both kinds of claim were there: some read from bytes, some files with problems.
    expect(taken).toBeGreaterThan(20);
    expect(faulted).toBeGreaterThan(20);
  });

  it('very long cells: the same records, from bytes up to the longest record the fast reader takes, as strings past it', async () => {
    const header = 'claim_id,name,address,payment_method';
    for (const [n, taken] of [
      [65_500, 2],
      [70_000, 0],
    ] as const) {
      const file = join(dir, `long-${n}.csv`);
      const long = 'A'.repeat(n);
      writeFileSync(file, `${header}\nC1,${long},1 Main St,check\nC2,Bo,"${long}",check\n`);
      const l = ledger(['C1', 'C2'], [100n, 200n]);
      const strings = await read(file, l, false);
      const bytes = await read(file, l, true);
      expect(bytes.problems).toEqual([]);
      expect(bytes.taken, `${n}`).toBe(taken);
      expect(Buffer.from(bytes.records).equals(Buffer.from(strings.records))).toBe(true);
    }
  });
});
