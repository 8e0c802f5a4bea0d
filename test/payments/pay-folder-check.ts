/**
 * Reads a pay folder back, as a bank and PayPal would, and checks it against the ledger it was
 * paid from: every file's SHA-256 equals the manifest's, every NACHA file passes the independent
 * reader, PayPal files hold at most 5,000 rows, each paid claim is paid exactly once and for its
 * amount, nothing is paid to a claim with 0, and the manifest's controls equal the files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseNacha } from './nacha-parser.js';

const cents = (text: string): bigint => {
  expect(text).toMatch(/^\d+\.\d{2}$/);
  return BigInt(text.replace('.', ''));
};

/** Minimal RFC 4180 split of one line (the files checked here have no line breaks in cells). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cell), (cell = '');
    else cell += ch;
  }
  out.push(cell);
  return out;
}

export function ledgerAmounts(ledgerCsv: string): Map<string, bigint> {
  const [header, ...rows] = ledgerCsv.trimEnd().split('\n');
  const cols = splitCsvLine(header!);
  const m = new Map<string, bigint>();
  for (const row of rows) {
    const c = splitCsvLine(row);
    m.set(c[cols.indexOf('claim_id')]!, cents(c[cols.indexOf('amount')]!));
  }
  return m;
}

export interface PayFolderFacts {
  byMethod: Record<string, number>;
  files: string[];
  nachaEntries: number;
}

export function checkPayFolder(payDir: string, ledgerCsv: string): PayFolderFacts {
  const manifest = JSON.parse(readFileSync(join(payDir, 'manifest.json'), 'utf8')) as {
    outputs: { file: string; sha256: string; bytes: number }[];
    controls: { files: { file: string; count: number; amount: string }[]; total: { count: number; amount: string } };
  };
  const names = readdirSync(payDir).sort();
  expect(names).toEqual([...manifest.outputs.map((o) => o.file), 'manifest.json'].sort());
  for (const o of manifest.outputs) {
    const bytes = readFileSync(join(payDir, o.file));
    expect(createHash('sha256').update(bytes).digest('hex'), o.file).toBe(o.sha256);
    expect(bytes.length).toBe(o.bytes);
  }
  const ledger = ledgerAmounts(ledgerCsv);
  const paidInFiles = new Map<string, bigint>();
  const add = (claimId: string, amount: bigint): void => {
    expect(paidInFiles.has(claimId), `claim ${claimId} paid twice`).toBe(false);
    paidInFiles.set(claimId, amount);
  };
  let nachaEntries = 0;
  const perFile = new Map<string, { count: number; amount: bigint }>();
  const count = (file: string, amount: bigint): void => {
    const c = perFile.get(file) ?? { count: 0, amount: 0n };
    perFile.set(file, { count: c.count + 1, amount: c.amount + amount });
  };
  // Claim ids by the NACHA individual id (cut to 15) and trace, through payments.csv.
  const payments = readFileSync(join(payDir, 'payments.csv'), 'utf8').trimEnd().split('\n').slice(1).map(splitCsvLine);
  const byTrace = new Map(payments.filter((p) => p[3] === 'ach').map((p) => [p[6]!, p[1]!]));
  const byMethod: Record<string, number> = {};
  for (const p of payments) byMethod[p[3]!] = (byMethod[p[3]!] ?? 0) + 1;
  for (const name of names) {
    const text = readFileSync(join(payDir, name), 'utf8');
    if (name.endsWith('.ach')) {
      const nacha = parseNacha(text);
      for (const e of nacha.entries) {
        const claimId = byTrace.get(e.trace)!;
        expect(claimId.slice(0, 15)).toBe(e.individualId);
        add(claimId, e.amount);
        count(name, e.amount);
      }
      nachaEntries += nacha.entries.length;
    } else if (name.startsWith('paypal-')) {
      const rows = text.trimEnd().split('\n');
      expect(rows.length).toBeLessThanOrEqual(5000);
      for (const row of rows) {
        const [, amount, currency, claimId, , wallet] = splitCsvLine(row);
        expect(currency).toBe('USD');
        expect(['PAYPAL', 'VENMO']).toContain(wallet);
        add(claimId!, cents(amount!));
        count(name, cents(amount!));
      }
    } else if (name.startsWith('checks-')) {
      const [header, ...rows] = text.trimEnd().split('\n');
      const cols = splitCsvLine(header!);
      for (const row of rows) {
        const c = splitCsvLine(row);
        add(c[cols.indexOf('claim_id')]!, cents(c[cols.indexOf('amount')]!));
        count(name, cents(c[cols.indexOf('amount')]!));
      }
    }
  }
  for (const [claimId, amount] of ledger) expect(paidInFiles.get(claimId), claimId).toBe(amount > 0n ? amount : undefined);
  expect(paidInFiles.size).toBe([...ledger.values()].filter((a) => a > 0n).length);
  const total = [...paidInFiles.values()].reduce((s, a) => s + a, 0n);
  expect(cents(manifest.controls.total.amount)).toBe(total);
  expect(manifest.controls.total.count).toBe(paidInFiles.size);
  for (const f of manifest.controls.files) expect({ count: f.count, amount: cents(f.amount) }).toEqual(perFile.get(f.file));
  return { byMethod, files: names, nachaEntries };
}
