/**
 * Receipts of a bucket plan's first round (fixtures/equifax-buckets, docs/receipts.md): allocate
 * records the root in summary.json and manifest.json; `payout receipt` gives a claimant their row
 * (claim id, status, outcome, the amount from each bucket, the total) with its proof; the receipt
 * checks with `payout check-receipt` and with scripts/check-receipt.py, and fails with both when a
 * bucket amount, the total, a proof step or the root is changed; verify checks the root. A
 * property: on random bucket plans, every claim's receipt checks against the recorded root.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocateBucketsToFolder } from '../../src/app/allocate-buckets.js';
import { checkReceipt } from '../../src/app/check-receipt.js';
import { makeReceipt } from '../../src/app/receipt.js';
import { renderReceipt } from '../../src/cli/commands/receipt.js';
import { compareBytes, DIGEST_BYTES, leafHash, merkleRoot, toHex } from '../../src/core/merkle.js';
import { sha256Into } from '../../src/io/receipts-leaves.js';
import { ledgerLeaves, ledgerReceiptsRoot } from '../../src/io/receipts-root.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = join(ROOT, 'fixtures/equifax-buckets');
const PY = join(ROOT, 'scripts/check-receipt.py');
const EXPECTED_ROOT = '1e91a29681ef2df3524a1d52d23d204a275110204275b4ba858bf3d934ac1d69';

const py = (args: string[]): { code: number; out: string } => {
  const r = spawnSync('python3', [PY, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
};
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const otherHex = (h: string, at: number): string => h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);

interface Receipt {
  claimId: string;
  row: { column: string; cell: string }[];
  proof: { side: 'left' | 'right'; hash: string }[];
  root: string;
}

describe('receipts of a bucket plan (fixtures/equifax-buckets)', () => {
  const tmp = tempDir();
  const run = tmp.path('equifax');
  const receiptFile = tmp.path('EQ0011.json');

  beforeAll(async () => {
    const a = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', run, '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    const r = await runCli(['receipt', run, 'EQ0011', '--out', receiptFile]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('records the same root in summary.json and manifest.json; the Python script gets it from ledger.csv', () => {
    const receipts = { encoding: 'payout-merkle/1', root: EXPECTED_ROOT, leaves: 342 };
    expect(readJson(join(run, 'summary.json')).receipts).toEqual(receipts);
    expect(readJson(join(run, 'manifest.json')).receipts).toEqual(receipts);
    expect(py(['--ledger-root', join(run, 'ledger.csv')]).out.trim()).toBe(EXPECTED_ROOT);
    expect(py(['--ledger-root', join(FIX, 'expected/ledger.csv')]).out.trim()).toBe(EXPECTED_ROOT);
    // The ledger of the independent re-implementation gives the same root.
    const ref = spawnSync('python3', [join(ROOT, 'scripts/reference-allocate.py'), join(FIX, 'plan.json'), join(FIX, 'claims.csv')], { encoding: 'utf8' });
    expect(ref.status, ref.stderr).toBe(0);
    expect(py(['--ledger-root', tmp.write('reference-ledger.csv', ref.stdout)]).out.trim()).toBe(EXPECTED_ROOT);
  });

  it('the receipt holds the row: claim id, status, outcome, each bucket amount and the total', () => {
    const r = readJson(receiptFile);
    expect(r).toMatchObject({ format: 'payout-receipt/1', encoding: 'payout-merkle/1', command: 'allocate', claimId: 'EQ0011', root: EXPECTED_ROOT, leaves: 342 });
    expect(r.row).toEqual([
      { column: 'claim_id', cell: 'EQ0011' },
      { column: 'status', cell: 'approved' },
      { column: 'outcome', cell: 'paid' },
      { column: 'documented', cell: '1234.56' },
      { column: 'time', cell: '155.00' },
      { column: 'cash', cell: r.row[5].cell },
      { column: 'amount', cell: r.row[6].cell },
    ]);
    const line = readFileSync(join(run, 'ledger.csv'), 'utf8').split('\n').find((l) => l.startsWith('EQ0011,'));
    expect(r.row.map((c: { cell: string }) => c.cell).join(',')).toBe(line);
    expect(r.proof).toHaveLength(9); // ⌈log2 342⌉
  });

  it('payout receipt --help says it takes a bucket plan\'s folder', async () => {
    const r = await runCli(['receipt', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('the --out folder of payout allocate (a plan of classes or of buckets) or payout redistribute');
  });

  it('checks with payout check-receipt and with the Python script', async () => {
    const r = await runCli(['check-receipt', receiptFile, '--root', EXPECTED_ROOT]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("✓ leaf: the row's 7 cells give the receipt's leaf");
    expect(r.stdout).toContain('Receipt checked');
    expect(py([receiptFile, '--root', EXPECTED_ROOT]).code).toBe(0);
  });

  /** A changed copy of the receipt: both checkers must fail it with exit 1. */
  const bothFail = async (name: string, change: (r: Receipt) => void, published = EXPECTED_ROOT): Promise<string> => {
    const r = readJson(receiptFile) as Receipt;
    change(r);
    const file = tmp.write(`${name}.json`, JSON.stringify(r, null, 2));
    const ts = await runCli(['check-receipt', file, '--root', published]);
    expect(ts.code, `${name}: ${ts.stdout}${ts.stderr}`).toBe(1);
    expect(py([file, '--root', published]).code, name).toBe(1);
    return ts.stdout;
  };

  it('fails when a bucket amount, the total or the outcome is changed', async () => {
    for (const column of ['documented', 'time', 'cash', 'amount', 'outcome', 'status']) {
      const out = await bothFail(`tampered-${column}`, (r) => {
        const cell = r.row.find((c) => c.column === column)!;
        cell.cell = column === 'cash' ? (cell.cell === '103.33' ? '103.34' : '103.33') : `${cell.cell}0`;
      });
      expect(out).toMatch(/✗ leaf: the row's cells give the leaf [0-9a-f]{64}, not the receipt's/);
    }
  });

  it('fails when a proof step or the root is changed', async () => {
    const steps = (readJson(receiptFile) as Receipt).proof.length;
    for (let s = 0; s < steps; s++) await bothFail(`step-${s}`, (r) => (r.proof[s]!.hash = otherHex(r.proof[s]!.hash, s)));
    await bothFail('receipt-root', (r) => (r.root = otherHex(r.root, 7)));
    const out = await bothFail('published-root', () => undefined, otherHex(EXPECTED_ROOT, 63));
    expect(out).toMatch(/✗ root: the receipt's root [0-9a-f]{64} is not the published root/);
  });

  it('refuses a bucket ledger changed after the run (exit 1)', async () => {
    const edited = tmp.path('edited');
    await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', edited, '--quiet']);
    const ledger = join(edited, 'ledger.csv');
    const text = readFileSync(ledger, 'utf8');
    // One bucket amount and the total of another claim, by a cent each (its row still adds up).
    const changed = text.replace('\nEQ0012,approved,paid,1234.56,155.00,103.34,1492.90\n', '\nEQ0012,approved,paid,1234.56,155.00,103.35,1492.91\n');
    expect(changed).not.toBe(text);
    writeFileSync(ledger, changed);
    const r = await runCli(['receipt', edited, 'EQ0011']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ledger\.csv: its rows give the receipts root [0-9a-f]{64}, not the [0-9a-f]{64} of summary\.json/);
  });

  it('payout verify checks the bucket root: an edited manifest root, or summary root, fails (exit 1)', async () => {
    const args = (dir: string) => ['verify', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), dir];
    const dir = tmp.path('manifest-edited');
    await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', dir, '--quiet']);
    expect((await runCli(args(dir))).code).toBe(0);
    const file = join(dir, 'manifest.json');
    const m = readJson(file);
    m.receipts.root = otherHex(m.receipts.root, 0);
    writeFileSync(file, JSON.stringify(m, null, 2));
    const r = await runCli(args(dir));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ manifest: records receipts root ${otherHex(EXPECTED_ROOT, 0)}; the ledger's rows give ${EXPECTED_ROOT}`);

    const dir2 = tmp.path('summary-edited');
    await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', dir2, '--quiet']);
    const sfile = join(dir2, 'summary.json');
    writeFileSync(sfile, readFileSync(sfile, 'utf8').replace(EXPECTED_ROOT, otherHex(EXPECTED_ROOT, 1)));
    const s = await runCli(args(dir2));
    expect(s.code).toBe(1);
    expect(s.stdout).toContain('receipts.root');
  });

  it('with --keep: the kept column is in the leaf, the root differs, and verify recomputes it', async () => {
    const kept = tmp.path('kept');
    const a = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', kept, '--keep', 'documented_hours', '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    const root = readJson(join(kept, 'summary.json')).receipts.root;
    expect(root).not.toBe(EXPECTED_ROOT);
    expect(readJson(join(kept, 'manifest.json')).receipts.root).toBe(root);
    expect(py(['--ledger-root', join(kept, 'ledger.csv')]).out.trim()).toBe(root);
    const file = tmp.path('kept-EQ0001.json');
    expect((await runCli(['receipt', kept, 'EQ0001', '--out', file])).code).toBe(0);
    expect(readJson(file).row.at(-1)).toEqual({ column: 'documented_hours', cell: 'yes' });
    expect((await runCli(['check-receipt', file, '--root', root])).code).toBe(0);
    expect(py([file, '--root', root]).code).toBe(0);
    expect((await runCli(['verify', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), kept])).code).toBe(0);
  });
});

describe('a bucket receipt at a terminal', () => {
  it('shows the bucket amounts as they are, and masks only the --keep columns after amount', () => {
    const text = renderReceipt({
      format: 'payout-receipt/1',
      encoding: 'payout-merkle/1',
      case: 'Case',
      command: 'allocate',
      claimId: 'EQ0011',
      row: [
        { column: 'claim_id', cell: 'EQ0011' },
        { column: 'status', cell: 'approved' },
        { column: 'outcome', cell: 'paid' },
        { column: 'documented', cell: '1234.56' },
        { column: 'time', cell: '155.00' },
        { column: 'amount', cell: '1389.56' },
        { column: 'email', cell: 'jerry_mitchell@gmail.com' },
      ],
      leaf: '0'.repeat(64),
      proof: [],
      root: '1'.repeat(64),
      leaves: 1,
    });
    expect(text).toContain('  documented: 1234.56');
    expect(text).toContain('  time: 155.00');
    expect(text).toContain('  amount: 1389.56');
    expect(text).toContain('  email: ****.com');
    expect(text).not.toContain('jerry');
  });
});

// ---- Property: every claim's receipt checks against the root a random bucket run records.

const money = (max: number) => fc.integer({ min: 1, max }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);

const caseArb = fc
  .record({
    gross: money(40_000),
    cap: fc.option(money(3000), { nil: undefined }),
    flat: money(500),
    flatCap: money(3000),
    pointsCap: money(8000),
    rows: fc.array(fc.tuple(fc.nat(100), fc.integer({ min: 0, max: 6 }), fc.constantFrom('approved', 'approved', 'denied'), fc.constantFrom('', 'a', 'b')), {
      minLength: 1,
      maxLength: 14,
    }),
    ids: fc.constantFrom('R', 'r-', 'Zoë-', '=X'),
  })
  .map((s) => {
    const plan = {
      name: 'random receipts',
      gross: s.gross,
      choice: { column: 'choice', values: ['a', 'b'] },
      buckets: [
        { id: 'loss', label: 'Losses', kind: 'documented', amountColumn: 'loss', order: 1, ...(s.cap === undefined ? {} : { perClaimCap: s.cap }) },
        { id: 'flat', label: 'Flat', kind: 'flat', amount: s.flat, choice: 'a', totalCap: s.flatCap, order: 2 },
        { id: 'pts', label: 'Points', kind: 'points', unitsColumn: 'units', weight: '1', totalCap: s.pointsCap, order: 3 },
      ],
      seed: 'receipts-property',
    };
    // Ids out of code-point order (R10 < R2), with a non-ASCII one and formula-like ones (guarded in the ledger).
    const lines = s.rows.map(([x, u, status, choice], i) => [`${s.ids}${i}`, status, choice, x % 3 === 0 ? '' : `${x * 7}.${String(x % 100).padStart(2, '0')}`, u === 0 ? '' : String(u)].join(','));
    return { plan, claims: `claim_id,status,choice,loss,units\n${lines.join('\n')}\n` };
  });

describe('receipts of random bucket runs', () => {
  const tmp = tempDir();
  let n = 0;
  it('every claim has a receipt, and every receipt checks against the root summary.json and the manifest record', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ plan, claims }) => {
        const k = n++;
        const planFile = tmp.write(`plan-${k}.json`, JSON.stringify(plan));
        const claimsFile = tmp.write(`claims-${k}.csv`, claims);
        const dir = tmp.path(`run-${k}`);
        const result = await allocateBucketsToFolder({ planFile, claimsFile, outDir: dir });
        const root = result.summary.receipts!.root;
        expect(readJson(join(dir, 'summary.json')).receipts.root).toBe(root);
        expect(readJson(join(dir, 'manifest.json')).receipts).toEqual(result.summary.receipts);
        const ids = claims.trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
        expect(result.summary.receipts!.leaves).toBe(ids.length);
        for (const id of ids) {
          const receipt = await makeReceipt({ dir, claimId: id });
          expect(receipt.row.map((c) => c.column)).toEqual(['claim_id', 'status', 'outcome', 'loss', 'flat', 'pts', 'amount']);
          expect(receipt.row[0]!.cell).toBe(id);
          const file = tmp.write(`receipt-${k}.json`, JSON.stringify(receipt));
          const checked = await checkReceipt({ file, root });
          expect(checked.checks.filter((c) => !c.ok)).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('ledgerLeaves (the root of a ledger given cell by cell)', () => {
  it('hashes each row as the documented leaf message: non-ASCII names and cells, empty cells, any row order', () => {
    const cellArb = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('', 'Zoë', '€1,00', '😀', '"q"'));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(cellArb, cellArb), { minLength: 30, maxLength: 30 }),
        (ids, cells) => {
          const columns = ['claim_id', 'bücket €', 'amount'];
          const rows = ids.map((id, i) => [id, cells[i]![0], cells[i]![1]]);
          const ledger = { columns, idColumn: 'claim_id', amountColumn: 'amount', count: rows.length, id: (r: number) => rows[r]![0]!, cell: (r: number, c: number) => rows[r]![c]! };
          const { leaves, count, ids: sortedIds } = ledgerLeaves(ledger);
          // The reference: core/merkle.ts's leafMessage per row, rows sorted by their ids' UTF-8 bytes.
          const utf8 = new TextEncoder();
          const sorted = [...rows].sort((a, b) => compareBytes(utf8.encode(a[0]!), utf8.encode(b[0]!)));
          expect(sortedIds).toEqual(sorted.map((r) => r[0]));
          const expected = new Uint8Array(count * DIGEST_BYTES);
          sorted.forEach((r, i) => expected.set(leafHash(columns, r, sha256Into), i * DIGEST_BYTES));
          expect(toHex(leaves)).toBe(toHex(expected));
          expect(ledgerReceiptsRoot(ledger).root).toBe(toHex(merkleRoot(expected, count, sha256Into)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
