/**
 * Test helpers for the native payment rows (src/native/pay_rows.c, core/payments/record-batch-native.ts):
 * the addon's `payRows` as it is (whatever the load check says of it), the arguments of a direct
 * call made from paid claims, and the files RecordBatchBuilder makes from claims with a given run.
 */
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { ClaimRecordWriter } from '../../src/core/payments/claim-records.js';
import { RecordBatchBuilder, type RecordBatchOptions, type RecordIds } from '../../src/core/payments/record-batch.js';
import {
  B_CHECK_BASE,
  P_ACH_PER_FILE,
  P_CHECK_WIDTH,
  P_CONSTANTS,
  P_PAYPAL_PER_FILE,
  P_READY,
  PAY_BIGS,
  PAY_INTS,
  packPayConstants,
  payRowBound,
  type PayRowRun,
} from '../../src/core/payments/record-batch-native.js';
import { CHECK_COLUMNS, type CheckColumn } from '../../src/core/payments/check-columns.js';
import type { PaymentsConfig } from '../../src/core/payments/plan-section.js';
import { nativeAddonPath, requireAddon } from '../../src/io/sha256-batch.js';

/** The addon's payRows when dist/native/ holds an addon that has one, load check or not. */
export const addonPayRows: PayRowRun | undefined = (() => {
  const path = nativeAddonPath();
  if (path === undefined) return undefined;
  try {
    const f = requireAddon(path).payRows;
    return typeof f === 'function' ? (f as PayRowRun) : undefined;
  } catch {
    return undefined;
  }
})();

const enc = new TextEncoder();

/** Row r's 8 bytes of payment id: any fixed bytes. */
export const digestsOf = (rows: number): Uint8Array => new Uint8Array(rows * 8).map((_, i) => (i * 151 + 11) & 0xff);

/** The records of `claims` (rows 0 … n−1 unless given) in one block. */
export function recordsOf(claims: readonly PaidClaim[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const w = new ClaimRecordWriter((b) => void blocks.push(b.slice()), 1 << 20);
  for (const c of claims) w.add(c, c.row === undefined ? `X-${c.claimId}` : undefined);
  w.flush();
  return new Uint8Array(Buffer.concat(blocks)); // a Uint8Array: its slice() copies (a Buffer's is a view)
}

export interface DirectSettings {
  entriesPerFile?: number;
  checkWidth?: number;
  checkBase?: bigint;
  paypalPerFile?: number;
  columns?: readonly CheckColumn[];
  outSize?: number;
}

/** The ten arguments of a direct call on `records`, outputs of `outSize` bytes each (ints and big as a run begins). */
export function directArgs(records: Uint8Array, rows: number, s: DirectSettings = {}) {
  const ints = new Int32Array(PAY_INTS);
  const big = new BigInt64Array(PAY_BIGS);
  const middles = ['paypal', 'venmo', 'ach', 'ach', 'check'].map((m) => enc.encode(`1,${m},${m === 'check' ? 'checks-001.csv' : m === 'ach' ? 'ach-001.ach' : 'paypal-001.csv'},`));
  const { bytes, fixed } = packPayConstants(
    {
      note: enc.encode('"Note, ""1"""'),
      paypalCurrency: enc.encode('EUR'),
      currency: enc.encode('USD'),
      head: enc.encode('P1-'),
      odfi: enc.encode('02100002'),
      issueDate: enc.encode('2026-12-15'),
      account: enc.encode('FUND-1'),
      middles,
      wallets: [enc.encode('PAYPAL'), enc.encode('VENMO')],
      columns: s.columns ?? CHECK_COLUMNS,
    },
    ints,
  );
  ints[P_READY] = rows;
  ints[P_ACH_PER_FILE] = s.entriesPerFile ?? 100;
  ints[P_CHECK_WIDTH] = s.checkWidth ?? 6;
  ints[P_CONSTANTS] = payRowBound(0, fixed);
  ints[P_PAYPAL_PER_FILE] = s.paypalPerFile ?? 5000;
  big[B_CHECK_BASE] = s.checkBase ?? 100001n;
  const outs = Array.from({ length: 5 }, () => new Uint8Array(s.outSize ?? 1 << 16));
  return { records, digests: digestsOf(rows), consts: bytes, outs, ints, big };
}

export type DirectArgs = ReturnType<typeof directArgs>;

/** Calls `run` on the arguments; the error's class and message when it throws. */
export function callDirect(run: PayRowRun, a: DirectArgs): number | string {
  try {
    return run(a.records, a.digests, a.consts, a.outs[0]!, a.outs[1]!, a.outs[2]!, a.outs[3]!, a.outs[4]!, a.ints, a.big);
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

/** Options of a builder run besides the run itself. */
export interface BuildSettings {
  config: PaymentsConfig;
  currency?: string;
  /** Bytes of a block of records. */
  block?: number;
  paypalRowsPerFile?: number;
  /** readyRows' answer at its k-th call (k from 0) for n rows; all rows when absent. */
  ready?: (k: number, n: number) => number;
  rows?: RecordBatchOptions['rows'];
}

const latin1 = (chunks: readonly (string | Uint8Array)[]): string => chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8').toString('latin1') : Buffer.from(c).toString('latin1'))).join('');

/** The builder's files, payments.csv, addresses.csv and controls from `claims`, as text to compare (bytes as Latin-1). */
export function buildFiles(claims: readonly PaidClaim[], run: PayRowRun | undefined, s: BuildSettings): string[] {
  const digests = digestsOf(claims.length);
  let calls = 0;
  const ready = s.ready;
  const ids: RecordIds = {
    head: 'P1-',
    digests,
    ensure: () => undefined,
    ...(ready !== undefined ? { readyRows: () => ready(calls++, claims.length) } : { readyRows: () => claims.length }),
  };
  const b = new RecordBatchBuilder({
    config: s.config,
    currency: s.currency ?? 'USD',
    round: 1,
    ids,
    duplicates: false,
    ...(s.paypalRowsPerFile !== undefined ? { paypalRowsPerFile: s.paypalRowsPerFile } : {}),
    ...(run !== undefined ? { native: run } : {}),
    ...(s.rows !== undefined ? { rows: s.rows } : {}),
  });
  const w = new ClaimRecordWriter((block) => b.addBlock(block.slice()), s.block ?? 1 << 12);
  for (const c of claims) w.add(c);
  w.flush();
  const batch = b.finish();
  const controls = JSON.stringify(batch.controls, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return [...batch.files.map((f) => `${f.name}|${f.method}|${f.count}|${f.amount}\n${latin1(f.text)}`), `payments.csv\n${latin1(batch.payments)}`, `addresses.csv\n${latin1(batch.addresses)}`, controls];
}
