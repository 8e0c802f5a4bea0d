/**
 * The accounting's figures recomputed for the tests without payout's code: the plan's deductions
 * from plan.json, and every count, total, average, median, smallest and largest payment straight
 * from the ledger CSVs (csv-parse), in bigint cents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

type Row = Record<string, string>;

export const toCents = (s: string): bigint => {
  const [w = '0', f = ''] = s.split('.');
  return BigInt(w) * 100n + BigInt(f.padEnd(2, '0').slice(0, 2));
};
export const fromCents = (c: bigint): string => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${((c < 0n ? -c : c) % 100n).toString().padStart(2, '0')}`;
/** a/b as a percent with 2 decimals, half-up. */
export const pct = (a: bigint, b: bigint): string => {
  const hundredths = (a * 10000n * 2n + b) / (2n * b);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};

export const ledger = (dir: string): Row[] => parse(readFileSync(join(dir, 'ledger.csv')), { columns: true }) as Row[];

export interface Stats {
  payments: number;
  total: string;
  average: string | null;
  median: string | null;
  smallest: string | null;
  largest: string | null;
}

export function stats(amounts: bigint[]): Stats {
  const a = amounts.filter((x) => x > 0n).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const n = BigInt(a.length);
  const total = a.reduce((s, x) => s + x, 0n);
  if (a.length === 0) return { payments: 0, total: '0.00', average: null, median: null, smallest: null, largest: null };
  const half = (x: bigint, d: bigint): bigint => (2n * x + d) / (2n * d);
  const m = a.length % 2 === 1 ? a[(a.length - 1) / 2]! : half(a[a.length / 2 - 1]! + a[a.length / 2]!, 2n);
  return { payments: a.length, total: fromCents(total), average: fromCents(half(total, n)), median: fromCents(m), smallest: fromCents(a[0]!), largest: fromCents(a.at(-1)!) };
}

/** Per class (in ledger order of first appearance) and for all classes (key ""). */
export function statsByClass(rows: Row[]): Map<string, Stats & { claims: number }> {
  const by = new Map<string, bigint[]>();
  const claims = new Map<string, number>();
  for (const r of rows) {
    const c = r.class!;
    by.set(c, [...(by.get(c) ?? []), toCents(r.amount!)]);
    claims.set(c, (claims.get(c) ?? 0) + 1);
  }
  const out = new Map<string, Stats & { claims: number }>();
  for (const [c, a] of by) out.set(c, { ...stats(a), claims: claims.get(c)! });
  out.set('', { ...stats(rows.map((r) => toCents(r.amount!))), claims: rows.length });
  return out;
}

export function outcomes(rows: Row[]): Record<string, { count: number; percent: string }> {
  const n = new Map<string, number>();
  for (const r of rows) n.set(r.outcome!, (n.get(r.outcome!) ?? 0) + 1);
  return Object.fromEntries([...n].map(([o, c]) => [o, { count: c, percent: pct(BigInt(c), BigInt(rows.length)) }]));
}

/** The plan's fund and deductions, from plan.json by docs/spec.md §1 (percent of gross or of what remains, half-up). */
export function deductions(planFile: string): { fund: bigint; lines: { label: string; amount: string; percent: string }[]; net: bigint } {
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {
    gross: string;
    interest?: string;
    deductions: { label: string; amount?: string; percent?: string; of?: string }[];
  };
  const fund = toCents(plan.gross) + toCents(plan.interest ?? '0');
  let left = fund;
  const lines = plan.deductions.map((d) => {
    let amount: bigint;
    if (d.amount !== undefined) amount = toCents(d.amount);
    else {
      const [w = '0', f = ''] = d.percent!.split('.');
      const scale = 10n ** BigInt(f.length);
      const p = BigInt(w + f); // percent × scale
      const base = d.of === 'remaining' ? left : fund;
      amount = (base * p * 2n + 100n * scale) / (2n * 100n * scale);
    }
    left -= amount;
    return { label: d.label, amount: fromCents(amount), percent: pct(amount, fund) };
  });
  return { fund, lines, net: left };
}
