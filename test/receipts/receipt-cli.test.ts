/**
 * `payout receipt` and `payout check-receipt` through the real binary, and scripts/check-receipt.py
 * (written from docs/receipts.md alone): a receipt checks with both; changing any cell of the
 * row, any proof step or the root makes both fail (exit 1); each bad input has its error and exit
 * code. The root allocate writes on two threads (≥ 4 blocks of leaves) is the one the Python
 * script computes from ledger.csv, and the one allocate computes on one thread.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const TIKTOK = join(ROOT, 'fixtures/tiktok');
const FB = join(ROOT, 'fixtures/facebook-round2');
const PY = join(ROOT, 'scripts/check-receipt.py');

const py = (args: string[]): { code: number; stdout: string } => {
  const r = spawnSync('python3', [PY, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout + r.stderr };
};
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

interface Receipt {
  claimId: string;
  row: { column: string; cell: string }[];
  proof: { side: 'left' | 'right'; hash: string }[];
  root: string;
  leaf: string;
}

describe('payout receipt / check-receipt', () => {
  const tmp = tempDir();
  const run = tmp.path('tiktok');
  const receiptFile = tmp.path('TT-0000002.json');
  let root = '';

  beforeAll(async () => {
    const a = await runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), join(TIKTOK, 'claims.csv'), '--out', run, '--keep', 'payment_method', '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    root = readJson(join(run, 'summary.json')).receipts.root;
    const r = await runCli(['receipt', run, 'TT-0000002', '--out', receiptFile]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes the row with its columns, the proof, the root, the encoding and the case', () => {
    const r = readJson(receiptFile);
    expect(r).toMatchObject({ format: 'payout-receipt/1', encoding: 'payout-merkle/1', command: 'allocate', claimId: 'TT-0000002', root, leaves: 3000 });
    expect(r.case).toContain('TikTok');
    expect(r.row.map((c: { column: string }) => c.column)).toEqual(['claim_id', 'class', 'units', 'points', 'status', 'outcome', 'share', 'amount', 'payment_method']);
    const line = readFileSync(join(run, 'ledger.csv'), 'utf8').split('\n').find((l) => l.startsWith('TT-0000002,'));
    expect(r.row.map((c: { cell: string }) => c.cell).join(',')).toBe(line);
    expect(r.proof).toHaveLength(12); // ⌈log2 3000⌉
    expect(readJson(join(run, 'manifest.json')).receipts.root).toBe(root);
  });

  it('prints the receipt without --out', async () => {
    const r = await runCli(['receipt', run, 'TT-0000002']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(receiptFile, 'utf8'));
  });

  it('checks with the binary and with the Python script', async () => {
    const r = await runCli(['check-receipt', receiptFile, '--root', root]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Receipt checked');
    expect(py([receiptFile, '--root', root]).code).toBe(0);
    expect((await runCli(['check-receipt', receiptFile, '--root', root.toUpperCase()])).code).toBe(0);
  });

  it('the Python script gives the root summary.json records, from ledger.csv', () => {
    expect(py(['--ledger-root', join(run, 'ledger.csv')]).stdout.trim()).toBe(root);
  });

  /** Writes a changed copy of the receipt and checks it with both; both must fail with exit 1. */
  const bothFail = async (name: string, change: (r: Receipt) => void, published = root): Promise<string> => {
    const r = readJson(receiptFile) as Receipt;
    change(r);
    const file = tmp.write(`${name}.json`, JSON.stringify(r, null, 2));
    const ts = await runCli(['check-receipt', file, '--root', published]);
    expect(ts.code, `${name}: ${ts.stdout}${ts.stderr}`).toBe(1);
    expect(py([file, '--root', published]).code, name).toBe(1);
    return ts.stdout;
  };
  const otherHex = (h: string, at: number): string => h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);

  it('fails when any cell of the row is changed', async () => {
    const cells = (readJson(receiptFile) as Receipt).row;
    for (let i = 0; i < cells.length; i++) {
      const out = await bothFail(`cell-${i}`, (r) => {
        r.row[i]!.cell = i === 0 ? r.row[i]!.cell : `${r.row[i]!.cell}0`;
        if (i === 0) {
          r.row[0]!.cell = 'TT-0000003';
          r.claimId = 'TT-0000003';
        }
      });
      expect(out).toMatch(/✗ leaf: /);
    }
    // the amount, by one cent
    const out = await bothFail('amount', (r) => (r.row.find((c) => c.column === 'amount')!.cell = '13420.52'));
    expect(out).toContain("not the receipt's");
  });

  it('fails when any proof step is changed (its hash or its side) or left out', async () => {
    const steps = (readJson(receiptFile) as Receipt).proof.length;
    for (let s = 0; s < steps; s++) {
      const out = await bothFail(`step-${s}`, (r) => (r.proof[s]!.hash = otherHex(r.proof[s]!.hash, s)));
      expect(out).toMatch(/✗ proof: the proof \(12 steps\) leads from the row to [0-9a-f]{64}, not to the receipt's root/);
      await bothFail(`side-${s}`, (r) => (r.proof[s]!.side = r.proof[s]!.side === 'left' ? 'right' : 'left'));
    }
    await bothFail('dropped', (r) => r.proof.pop());
  });

  it('fails when the root is changed: in the receipt, or the published one', async () => {
    await bothFail('receipt-root', (r) => (r.root = otherHex(r.root, 5)));
    const out = await bothFail('published-root', () => undefined, otherHex(root, 63));
    expect(out).toMatch(/✗ root: the receipt's root [0-9a-f]{64} is not the published root/);
  });

  it('bad inputs: an unknown claim, --out that exists, a file that is not a receipt, a --root that is not a SHA-256', async () => {
    const unknown = await runCli(['receipt', run, 'TT-9999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no claim "TT-9999999"');
    const exists = await runCli(['receipt', run, 'TT-0000002', '--out', receiptFile]);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toContain('use --force');
    expect((await runCli(['receipt', run, 'TT-0000002', '--out', receiptFile, '--force'])).code).toBe(0);
    const notReceipt = await runCli(['check-receipt', join(run, 'summary.json'), '--root', root]);
    expect(notReceipt.code).toBe(2);
    expect(notReceipt.stderr).toContain('not a payout receipt');
    const badRoot = await runCli(['check-receipt', receiptFile, '--root', 'abc']);
    expect(badRoot.code).toBe(2);
    expect(badRoot.stderr).toContain('--root abc: give the published root, 64 hex digits');
    expect(py([receiptFile, '--root', 'abc']).code).toBe(2);
    const missing = await runCli(['check-receipt', tmp.path('none.json'), '--root', root]);
    expect(missing.code).toBe(2);
  });

  it('refuses a ledger changed after the run (exit 1), and a folder without a root (exit 2)', async () => {
    const edited = tmp.path('edited');
    await runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), join(TIKTOK, 'claims.csv'), '--out', edited, '--quiet']);
    const ledger = join(edited, 'ledger.csv');
    const text = readFileSync(ledger, 'utf8');
    const changed = text.replace(/^(TT-0000001,.*,)(\d+)\.(\d\d)$/m, (_, head: string, units: string, c: string) => `${head}${Number(units) + 1}.${c}`);
    expect(changed).not.toBe(text);
    writeFileSync(ledger, changed);
    const r = await runCli(['receipt', edited, 'TT-0000002']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ledger\.csv: its rows give the receipts root [0-9a-f]{64}, not the [0-9a-f]{64} of summary\.json/);
    const summaryFile = join(edited, 'summary.json');
    const { receipts: _, ...without } = readJson(summaryFile);
    writeFileSync(summaryFile, JSON.stringify(without));
    const none = await runCli(['receipt', edited, 'TT-0000002']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no receipts root');
  });

  it('payout verify fails when the manifest\'s receipts root is edited', async () => {
    const dir = tmp.path('manifest-edited');
    await runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), join(TIKTOK, 'claims.csv'), '--out', dir, '--quiet']);
    const file = join(dir, 'manifest.json');
    const m = readJson(file);
    m.receipts.root = otherHex(m.receipts.root, 0);
    writeFileSync(file, JSON.stringify(m, null, 2));
    const r = await runCli(['verify', '--plan', join(TIKTOK, 'plan.json'), join(TIKTOK, 'claims.csv'), dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ manifest: records receipts root [0-9a-f]{64}; the ledger's rows give [0-9a-f]{64}/);
  });

  it('makes and checks a receipt of a second round', async () => {
    const r1 = tmp.path('fb1');
    const r2 = tmp.path('fb2');
    expect((await runCli(['allocate', '--plan', join(FB, 'plan.json'), join(FB, 'claims.csv'), '--out', r1, '--quiet'])).code).toBe(0);
    expect((await runCli(['redistribute', '--plan', join(FB, 'plan.json'), '--from', r1, '--uncashed', join(FB, 'uncashed.csv'), '--out', r2, '--quiet'])).code).toBe(0);
    const file = tmp.path('fb-receipt.json');
    const id = readFileSync(join(r2, 'ledger.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
    expect((await runCli(['receipt', r2, id, '--out', file])).code).toBe(0);
    const fbRoot = readJson(join(r2, 'summary.json')).receipts.root;
    expect(readJson(file).row.map((c: { column: string }) => c.column)).toEqual(['claim_id', 'class', 'first_amount', 'outcome', 'amount']);
    expect((await runCli(['check-receipt', file, '--root', fbRoot])).code).toBe(0);
    expect(py([file, '--root', fbRoot]).code).toBe(0);
    expect(py(['--ledger-root', join(r2, 'ledger.csv')]).stdout.trim()).toBe(fbRoot);
  });

  it('the root made on two threads (5 blocks of leaves) is the one made on one, and the Python script\'s', async () => {
    const claims = tmp.path('claims-80k.csv');
    execFileSync(process.execPath, [join(ROOT, 'scripts/generate-claims.js'), '--rows', '80000', '--seed', 'receipts-test', '--out', claims], { stdio: 'pipe' });
    const two = tmp.path('two');
    const one = tmp.path('one');
    expect((await runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), claims, '--out', two, '--quiet'])).code).toBe(0);
    expect((await runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), claims, '--out', one, '--quiet'], { env: { PAYOUT_WORKERS: '0' } })).code).toBe(0);
    const rootTwo = readJson(join(two, 'summary.json')).receipts.root;
    expect(readJson(join(one, 'summary.json')).receipts.root).toBe(rootTwo);
    expect(py(['--ledger-root', join(two, 'ledger.csv')]).stdout.trim()).toBe(rootTwo);
  });
});

describe('payout receipt at a terminal', () => {
  it('shows the row with --keep columns masked to their last 4', async () => {
    const { renderReceipt } = await import('../../src/cli/commands/receipt.js');
    const text = renderReceipt({
      format: 'payout-receipt/1',
      encoding: 'payout-merkle/1',
      case: 'Case',
      command: 'allocate',
      claimId: 'C-1',
      row: [
        { column: 'claim_id', cell: 'C-1' },
        { column: 'amount', cell: '27.84' },
        { column: 'email', cell: 'jerry_mitchell@gmail.com' },
      ],
      leaf: '0'.repeat(64),
      proof: [],
      root: '1'.repeat(64),
      leaves: 1,
    });
    expect(text).toContain('  amount: 27.84');
    expect(text).toContain('  email: ****.com');
    expect(text).not.toContain('jerry');
  });
});
