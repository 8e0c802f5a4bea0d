/**
 * The docs show what payout prints and writes for the fixtures: these examples are run again here
 * and compared, so a figure that changes (a hash, an output line) makes the page fail rather than
 * go stale. A block's lines must appear in the output in order; `…` stands for lines left out.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const doc = (name: string): string => readFileSync(join(ROOT, 'docs', name), 'utf8');
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The lines of the fenced block in which `first` is a line, after that line. */
function blockAfter(text: string, first: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l === first);
  expect(at, `no line ${JSON.stringify(first)}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > at && l.startsWith('```'));
  return lines.slice(at + 1, end);
}

/** Every line of `shown` but `…` is a line of `output`, in order; a `…` may stand for any lines, and the lines between two `…` follow each other. */
function expectShown(shown: string[], output: string): void {
  // A block the docs lost (an empty or only-ellipsis example) would match any output.
  expect(shown.filter((l) => l.trim() !== '…' && l.trim() !== '').length, 'the docs show no line of this example').toBeGreaterThan(0);
  const got = output.split('\n');
  let at = 0;
  let loose = true;
  for (const line of shown) {
    if (line.trim() === '…') {
      loose = true;
      continue;
    }
    const found = loose ? got.indexOf(line, at) : got[at] === line ? at : -1;
    expect(found, `${JSON.stringify(line)} is not where the docs show it in:\n${output}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
    loose = false;
  }
}

describe('the examples of the docs, on the fixtures', () => {
  const cwd = tmp.path('clone');
  const run = (args: string[]) => runCli(args, { cwd });
  beforeAll(() => {
    mkdirSync(cwd);
    symlinkSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'));
  });

  it('outputs.md and verify.md: the ledger rows, byte counts and hashes of fixtures/tiktok', async () => {
    const r = await run(['allocate', '--plan', 'fixtures/tiktok/plan.json', 'fixtures/tiktok/claims.csv', '--out', 'run', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const [ledger, summary] = [join(cwd, 'run/ledger.csv'), join(cwd, 'run/summary.json')];
    const outputs = doc('outputs.md');
    expectShown(blockAfter(outputs, 'claim_id,class,units,points,status,outcome,share,amount'), readFileSync(ledger, 'utf8'));
    expect(outputs).toContain(`{ "file": "ledger.csv", "sha256": "${sha256(ledger).slice(0, 8)}…", "bytes": ${statSync(ledger).size}, "rows": 3000 }`);
    expect(outputs).toContain(`{ "file": "summary.json", "sha256": "${sha256(summary).slice(0, 8)}…", "bytes": ${statSync(summary).size} }`);
    const v = await run(['verify', '--plan', 'fixtures/tiktok/plan.json', 'fixtures/tiktok/claims.csv', 'run']);
    expect(v.code, v.stderr).toBe(0);
    expectShown(blockAfter(doc('verify.md'), '$ payout verify --plan fixtures/tiktok/plan.json fixtures/tiktok/claims.csv run').slice(0, -2), v.stdout);
  });

  it("validate.md: --json of a file with a warning, and --errors-out's lines", async () => {
    const text = doc('validate.md');
    const json = /```json\n(\{\n  "format": "payout-validate\/1"[\s\S]*?)```/.exec(text)?.[1] ?? '';
    const r = await run(['validate', '--plan', 'fixtures/errors/plan.json', 'fixtures/errors/duplicate-email.csv', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toStrictEqual(JSON.parse(json));
    const e = await run(['validate', '--plan', 'fixtures/errors/plan.json', 'fixtures/errors/many-problems.csv', '--errors-out', 'errors.csv']);
    expect(e.code).toBe(1);
    expectShown(blockAfter(text, 'line,claim_id,field,code,message'), readFileSync(join(cwd, 'errors.csv'), 'utf8'));
  });

  it('estimate.md: the press figures, with the note every estimate ends with', async () => {
    const text = doc('estimate.md');
    const plan = /```json\n(\{ "name": "TikTok press estimate"[\s\S]*?)```/.exec(text)?.[1] ?? '';
    tmp.write('clone/press.json', plan);
    const shown = blockAfter(text, '$ payout estimate --plan press.json --members nationwide=87600000 --members illinois=1400000 \\');
    const r = await run(['estimate', '--plan', 'press.json', '--members', 'nationwide=87600000', '--members', 'illinois=1400000', '--rate', '100%', '--rate', '1.5%', '--rate', '20%']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${shown.slice(1).join('\n')}\n`);
  });

  it("accounting.md: the Facebook fixture's two rounds, as the terminal shows them", async () => {
    const fb = 'fixtures/facebook-round2';
    expect((await run(['allocate', '--plan', `${fb}/plan.json`, `${fb}/claims.csv`, '--out', 'fb1', '--quiet'])).code).toBe(0);
    expect((await run(['redistribute', '--plan', `${fb}/plan.json`, '--from', 'fb1', '--uncashed', `${fb}/uncashed.csv`, '--costs', '12329.50', '--out', 'fb2', '--quiet'])).code).toBe(0);
    const r = await run(['accounting', 'fb1', 'fb2', '--out', 'accounting.csv', '--html', 'accounting.html']);
    expect(r.code, r.stderr).toBe(0);
    const first = 'Round 1 (fb1): $794,000.00 paid, residual $0.00';
    expectShown([first, ...blockAfter(doc('accounting.md'), first)], r.stdout);
  }, 60_000);
});
