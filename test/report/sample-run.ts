/**
 * Writes a realistic `payout allocate --out DIR` folder (summary.json, manifest.json, ledger.csv in
 * the format of docs/outputs.md and src/core/summary.ts) for the report's tests, without depending on the allocate command.
 * A small independent implementation of docs/spec.md §1, §3 and §4 for weights mode without a cap:
 * enough for consistent numbers (Σ amounts + residual = net, the ledger matches the summary).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { divHalfUp, formatRationalHalfEven, pow10 } from '../../src/core/decimal.js';
import { formatMoney, type Cents } from '../../src/core/money.js';
import { sha256Hex } from '../../src/io/hash.js';

export interface SampleClaim {
  id: string;
  cls: string;
  /** Whole units (months, devices). */
  units: number;
  status: string;
}

export interface SampleDeduction {
  label: string;
  /** A fixed amount in cents, or a percent of the fund such as "33.3333333333". */
  amount?: Cents;
  percent?: string;
}

export interface SampleOptions {
  caseName: string;
  seed: string;
  gross: Cents;
  interest?: Cents;
  deductions: SampleDeduction[];
  classes: { id: string; weight: number }[];
  claims: SampleClaim[];
  minimum: Cents | null;
  rounding: 'largest-remainder' | 'per-point';
  residualRecipient?: string;
}

const money = (c: Cents | null): string | null => (c === null ? null : formatMoney(c));

/** Deterministic pseudo-random numbers (mulberry32), so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Allocates and writes DIR; returns the summary object as written. */
export function writeSampleRun(dir: string, o: SampleOptions): Record<string, unknown> {
  mkdirSync(dir, { recursive: true });
  const interest = o.interest ?? 0n;
  const fund = o.gross + interest;
  let left = fund;
  const deductions = o.deductions.map((d) => {
    let amount: Cents;
    let rule: string;
    if (d.percent !== undefined) {
      const [w = '0', f = ''] = d.percent.split('.');
      amount = divHalfUp(fund * BigInt(w + f), 100n * pow10(f.length));
      rule = `${d.percent}% of the fund ${formatMoney(fund)}, rounded half-up`;
    } else {
      amount = d.amount ?? 0n;
      rule = 'fixed';
    }
    left -= amount;
    return { label: d.label, rule, amount: formatMoney(amount), remaining: formatMoney(left) };
  });
  const net = left;
  const weight = new Map(o.classes.map((c) => [c.id, BigInt(c.weight)]));
  const points = (c: SampleClaim): bigint => (weight.get(c.cls) ?? 0n) * BigInt(c.units);

  // docs/spec.md §3: drop the smallest-points claims while their share is below the minimum.
  const eligible = o.claims.filter((c) => c.status === 'approved');
  let paid = eligible;
  const below = new Set<string>();
  for (;;) {
    if (paid.length === 0) break;
    const P = paid.reduce((s, c) => s + points(c), 0n);
    const pMin = paid.reduce((m, c) => (points(c) < m ? points(c) : m), points(paid[0] as SampleClaim));
    const tooSmall =
      o.minimum !== null &&
      (o.rounding === 'per-point' ? pMin * (net / P) < o.minimum : net * pMin < o.minimum * P);
    if (!tooSmall) break;
    for (const c of paid) if (points(c) === pMin) below.add(c.id);
    paid = paid.filter((c) => points(c) !== pMin);
  }
  const P = paid.reduce((s, c) => s + points(c), 0n);
  const amount = new Map<string, Cents>();
  let centsPlaced = 0;
  let pointValue = '0';
  if (P > 0n) {
    if (o.rounding === 'largest-remainder') {
      for (const c of paid) amount.set(c.id, (net * points(c)) / P);
      const floors = [...amount.values()].reduce((s, a) => s + a, 0n);
      const k = Number(net - floors);
      const key = (c: SampleClaim): string => sha256Hex(`${o.seed}:${c.id}`);
      const ranked = [...paid].sort((a, b) => {
        const ra = (net * points(a)) % P;
        const rb = (net * points(b)) % P;
        if (ra !== rb) return ra > rb ? -1 : 1;
        return key(a) < key(b) ? -1 : 1;
      });
      for (const c of ranked.slice(0, k)) amount.set(c.id, (amount.get(c.id) ?? 0n) + 1n);
      centsPlaced = k;
      pointValue = formatRationalHalfEven({ n: net, d: P * 100n }, 6);
    } else {
      const v = net / P; // decimals = 2: whole cents per point, floored
      for (const c of paid) amount.set(c.id, points(c) * v);
      pointValue = formatRationalHalfEven({ n: v, d: 100n }, 6);
    }
  }
  const paidTotal = [...amount.values()].reduce((s, a) => s + a, 0n);
  const residual = net - paidTotal;

  const ledgerLines = ['claim_id,class,units,points,status,outcome,share,amount'];
  for (const c of o.claims) {
    const a = amount.get(c.id);
    const outcome = a !== undefined ? 'paid' : below.has(c.id) ? 'below_minimum' : 'ineligible';
    const share = a !== undefined ? formatRationalHalfEven({ n: net * points(c), d: P * 100n }, 6) : '0';
    ledgerLines.push(
      [c.id, c.cls, String(c.units), points(c).toString(), c.status, outcome, share, formatMoney(a ?? 0n)].join(','),
    );
  }
  const ledger = `${ledgerLines.join('\n')}\n`;

  const classes = o.classes.map((k) => {
    const all = o.claims.filter((c) => c.cls === k.id);
    const el = all.filter((c) => c.status === 'approved');
    const pd = el.filter((c) => amount.has(c.id));
    const amounts = pd.map((c) => amount.get(c.id) ?? 0n);
    const min = amounts.reduce<Cents | null>((m, a) => (m === null || a < m ? a : m), null);
    const max = amounts.reduce<Cents | null>((m, a) => (m === null || a > m ? a : m), null);
    return {
      id: k.id,
      weight: String(k.weight),
      poolPercent: null,
      claims: all.length,
      eligible: el.length,
      paid: pd.length,
      capped: 0,
      belowMinimum: el.filter((c) => below.has(c.id)).length,
      ineligible: all.length - el.length,
      eligiblePoints: el.reduce((s, c) => s + points(c), 0n).toString(),
      points: pd.reduce((s, c) => s + points(c), 0n).toString(),
      amount: formatMoney(amounts.reduce((s, a) => s + a, 0n)),
      smallest: money(min),
      largest: money(max),
      pointValue: P > 0n ? pointValue : null,
    };
  });

  const summary = {
    format: 'payout-summary/1',
    case: o.caseName,
    currency: 'USD',
    mode: 'weights',
    rounding: o.rounding === 'per-point' ? { method: 'per-point', decimals: 2 } : { method: 'largest-remainder' },
    seed: o.seed,
    fund: { gross: formatMoney(o.gross), interest: formatMoney(interest), fund: formatMoney(fund) },
    deductions,
    totalDeductions: formatMoney(fund - net),
    net: formatMoney(net),
    minimumPayment: money(o.minimum),
    maximumPayment: null,
    pools: [
      {
        id: 'all',
        net: formatMoney(net),
        eligiblePoints: eligible.reduce((s, c) => s + points(c), 0n).toString(),
        paidPoints: P.toString(),
        pointValue: P > 0n ? pointValue : null,
        paid: formatMoney(paidTotal),
        residual: formatMoney(residual),
        centsPlaced,
      },
    ],
    classes,
    totals: {
      claims: o.claims.length,
      eligible: eligible.length,
      paid: paid.length,
      amount: formatMoney(paidTotal),
      residual: formatMoney(residual),
      centsPlaced,
    },
    unpaid: (() => {
      const byStatus = new Map<string, number>();
      for (const c of o.claims) if (c.status !== 'approved') byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
      const rows = [...byStatus].map(([status, claims]) => ({ status, claims })).sort((a, b) => b.claims - a.claims || (a.status < b.status ? -1 : 1));
      const zero = o.claims.filter((c) => amount.get(c.id) === 0n).length;
      return { claims: o.claims.length - eligible.length + below.size + zero, byStatus: rows, belowMinimum: below.size, cappedToZero: 0, roundedToZero: zero };
    })(),
    residualRecipient: o.residualRecipient ?? 'cy pres recipient named in the settlement',
    check: { paidPlusResidual: formatMoney(paidTotal + residual), net: formatMoney(net), balanced: true },
  };
  const summaryText = `${JSON.stringify(summary, null, 2)}\n`;
  const claimsText = ['claim_id,class,units,status', ...o.claims.map((c) => `${c.id},${c.cls},${c.units},${c.status}`)].join('\n');
  const planText = JSON.stringify({ name: o.caseName, seed: o.seed });
  const manifest = {
    format: 'payout-manifest/1',
    tool: { name: 'payout', version: '0.1.0' },
    command: 'allocate',
    plan: { file: 'plan.json', sha256: sha256Hex(planText) },
    claims: { file: 'claims.csv', sha256: sha256Hex(claimsText), rows: o.claims.length },
    seed: o.seed,
    outputs: [
      { file: 'ledger.csv', sha256: sha256Hex(ledger), bytes: Buffer.byteLength(ledger), rows: o.claims.length },
      { file: 'summary.json', sha256: sha256Hex(summaryText), bytes: Buffer.byteLength(summaryText) },
    ],
  };
  writeFileSync(join(dir, 'ledger.csv'), ledger);
  writeFileSync(join(dir, 'summary.json'), summaryText);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return summary;
}

const TIKTOK_DEDUCTIONS: SampleDeduction[] = [
  { label: "Attorneys' fees", percent: '33.3333333333' },
  { label: 'Litigation expenses', amount: 120000000n },
  { label: 'Notice and administration', amount: 300000000n },
  { label: 'Service awards', amount: 4250000n },
];

/** The TikTok plan over 3,000 claims (10% Illinois, some rejected or deficient): two payment levels. */
export function tiktokSample(dir: string, caseName = 'In re TikTok, Inc., Consumer Privacy Litigation (MDL 2948)'): Record<string, unknown> {
  const r = rng(2948);
  const claims: SampleClaim[] = [];
  for (let i = 1; i <= 3000; i++) {
    const x = r();
    claims.push({
      id: `TT-${String(i).padStart(7, '0')}`,
      cls: r() < 0.1 ? 'illinois' : 'nationwide',
      units: 1,
      status: x < 0.05 ? 'rejected' : x < 0.06 ? 'deficient' : 'approved',
    });
  }
  return writeSampleRun(dir, {
    caseName,
    seed: 'tiktok-mdl-2948',
    gross: 9200000000n,
    deductions: TIKTOK_DEDUCTIONS,
    classes: [
      { id: 'nationwide', weight: 1 },
      { id: 'illinois', weight: 6 },
    ],
    claims,
    minimum: 500n,
    rounding: 'largest-remainder',
  });
}

/**
 * A Facebook-style plan: one point per month active (1 to 188), a $5 minimum that drops the
 * shortest memberships, interest in escrow: many distinct amounts, so equal-width bars.
 */
export function monthsSample(dir: string, rounding: SampleOptions['rounding'] = 'largest-remainder'): Record<string, unknown> {
  const r = rng(725);
  const claims: SampleClaim[] = [];
  for (let i = 1; i <= 4000; i++) {
    const x = r();
    claims.push({
      id: `FB-${String(i).padStart(6, '0')}`,
      cls: 'users',
      units: 1 + Math.floor(r() ** 0.7 * 188) % 188,
      status: x < 0.08 ? 'rejected' : 'approved',
    });
  }
  return writeSampleRun(dir, {
    caseName: 'In re Facebook, Inc. Consumer Privacy User Profile Litigation (sample)',
    seed: 'fb-profile-sample',
    gross: 12500000n,
    interest: 1834517n,
    deductions: [
      { label: "Attorneys' fees", percent: '25' },
      { label: 'Costs and expenses', amount: 415000n },
      { label: 'Service awards', amount: 300000n },
    ],
    classes: [{ id: 'users', weight: 1 }],
    claims,
    minimum: 500n,
    rounding,
    residualRecipient: 'Electronic Frontier Foundation (cy pres)',
  });
}
