/**
 * The one JSON reader (issue 18, findings 2 and 3): a key twice in one object is refused with
 * both lines; files that are not regular (/dev/zero, a FIFO) are refused before they are opened;
 * files above their size limit are refused; a syntax error's line is counted without splitting.
 * And every file verify, report and redistribute read is checked to be a regular file.
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateKey, lineAndColumn, readJsonFile } from '../../src/io/json-file.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFifo } from './child.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');

describe('duplicateKey', () => {
  it('finds a key twice in one object, with both lines, also when one is written with escapes', () => {
    expect(duplicateKey('{\n "net": "1",\n "net": "2"\n}')).toEqual({ key: 'net', firstLine: 2, line: 3 });
    expect(duplicateKey('{"a": {"x": 1,\n"\\u0078": 2}}')).toEqual({ key: 'x', firstLine: 1, line: 2 });
    expect(duplicateKey('[{"id": 1}, {"id": 2}]')).toBeUndefined(); // two objects, one key each
    expect(duplicateKey('{"a": ["a", "a"], "b": {"a": 1}}')).toBeUndefined(); // values and nested keys are not keys of the outer object
    expect(duplicateKey('{"a\\"b": 1, "a\\"b": 2}')).toEqual({ key: 'a"b', firstLine: 1, line: 1 });
  });

  it('lineAndColumn counts lines without splitting the text', () => {
    const text = `${'\n'.repeat(200_000)}  x`;
    expect(lineAndColumn(text, text.length - 1)).toEqual({ line: 200_001, column: 3 });
  });
});

describe('readJsonFile', () => {
  it('refuses a duplicate key, /dev/zero, a FIFO and a file above its limit, each with a message', async () => {
    const dup = tmp.write('dup.json', '{\n  "net": "99999999.99",\n  "net": "57090833.33"\n}\n');
    await expect(readJsonFile(dup, { kind: 'summary' })).rejects.toMatchObject({
      problems: [{ file: dup, line: 3, message: expect.stringContaining('the key "net" appears twice in one object (lines 2 and 3)') }],
    });
    await expect(readJsonFile('/dev/zero', { kind: 'plan' })).rejects.toThrow('/dev/zero: a character device, not a regular file');
    const fifo = makeFifo(tmp.path('plan.fifo'));
    await expect(readJsonFile(fifo, { kind: 'plan' })).rejects.toThrow(`${fifo}: a FIFO (named pipe), not a regular file`);
    const big = tmp.write('big.json', `{"name": "${'x'.repeat(1 << 20)}"}`);
    await expect(readJsonFile(big, { kind: 'plan' })).rejects.toThrow('larger than 1 MiB, the limit for a plan file');
  });
});

describe('with the binary', () => {
  const run = tmp.path('run');
  const made = runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', run, '--quiet']);

  it('verify refuses a summary.json with "net" twice, even with the manifest\'s hashes recomputed (it said Verified)', async () => {
    expect((await made).code).toBe(0);
    const dir = tmp.path('two-nets');
    cpSync(run, dir, { recursive: true });
    const summaryPath = join(dir, 'summary.json');
    const text = readFileSync(summaryPath, 'utf8');
    const lines = text.split('\n');
    const netLine = lines.findIndex((l) => l.startsWith('  "net": '));
    lines.splice(netLine, 0, '  "net": "99999999.99",');
    const forged = lines.join('\n');
    writeFileSync(summaryPath, forged);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const entry = manifest.outputs.find((o: { file: string }) => o.file === 'summary.json');
    entry.sha256 = createHash('sha256').update(forged).digest('hex');
    entry.bytes = Buffer.byteLength(forged);
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const r = await runCli(['verify', '--plan', PLAN, CLAIMS, dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${summaryPath}:${netLine + 2}: the key "net" appears twice in one object (lines ${netLine + 1} and ${netLine + 2})`);
    expect(r.stdout).not.toContain('Verified');
  });

  it('a plan with a key twice is refused (exit 2), naming both lines', async () => {
    const plan = readFileSync(PLAN, 'utf8').replace('"seed": "tiktok-mdl-2948"', '"seed": "tiktok-mdl-2948",\n  "seed": "another"');
    const file = tmp.write('dup-plan.json', plan);
    const r = await runCli(['validate', '--plan', file, CLAIMS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dup-plan\.json:\d+: the key "seed" appears twice in one object \(lines \d+ and \d+\)/);
  });

  it('--plan /dev/zero and a plan FIFO are refused at once (they were read without end), also by verify', async () => {
    for (const plan of ['/dev/zero', makeFifo(tmp.path('p.fifo'))]) {
      const r = await runCli(['validate', '--plan', plan, CLAIMS]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not a regular file');
    }
    expect((await made).code).toBe(0);
    const v = await runCli(['verify', '--plan', '/dev/zero', CLAIMS, run]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('/dev/zero: a character device, not a regular file');
  });

  for (const target of ['ledger.csv', 'summary.json']) {
    it(`${target} symlinked to /dev/zero: verify, report and redistribute stop with exit 2 (verify hung)`, async () => {
      expect((await made).code).toBe(0);
      const dir = tmp.path(`zero-${target}`);
      cpSync(run, dir, { recursive: true });
      rmSync(join(dir, target));
      symlinkSync('/dev/zero', join(dir, target));
      const uncashed = tmp.write(`u-${target}.csv`, 'claim_id\n');
      const runs = await Promise.all([
        runCli(['verify', '--plan', PLAN, CLAIMS, dir]),
        runCli(['report', dir]),
        runCli(['redistribute', '--plan', PLAN, '--from', dir, '--uncashed', uncashed, '--out', tmp.path(`r2-${target}`), '--quiet']),
      ]);
      for (const r of runs) {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${join(dir, target)}: a character device, not a regular file`);
        expect(r.stdout.length).toBeLessThan(10_000);
      }
    });
  }

  it('check-receipt refuses /dev/zero and a receipt with a key twice; pay refuses an incomplete --from folder', async () => {
    const zero = await runCli(['check-receipt', '/dev/zero', '--root', '0'.repeat(64)]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero: a character device, not a regular file');
    const dup = tmp.write('receipt.json', '{\n  "root": "a",\n  "root": "b"\n}\n');
    const twice = await runCli(['check-receipt', dup, '--root', '0'.repeat(64)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${dup}:3: the key "root" appears twice in one object (lines 2 and 3)`);

    const payPlan = join(ROOT, 'fixtures/payments/plan.json');
    const payClaims = join(ROOT, 'fixtures/payments/claims.csv');
    const dir = tmp.path('pay-from-incomplete');
    expect((await runCli(['allocate', '--plan', payPlan, payClaims, '--out', dir, '--quiet'])).code).toBe(0);
    rmSync(join(dir, 'manifest.json'));
    const pay = await runCli(['pay', '--plan', payPlan, payClaims, '--from', dir, '--out', tmp.path('paydir'), '--quiet']);
    expect(pay.code).toBe(2);
    expect(pay.stderr).toContain(`${dir}: incomplete run: `);
  });

  it('an uncashed list that is /dev/zero is refused', async () => {
    expect((await made).code).toBe(0);
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', run, '--uncashed', '/dev/zero', '--out', tmp.path('r2-u'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/zero: a character device, not a regular file');
  });
});
