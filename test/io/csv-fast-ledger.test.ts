/**
 * Same inputs, same bytes, whichever way the claims were read and the ledger written:
 * - the fast CSV path and csv-parse (PAYOUT_CSV=csv-parse) give byte-identical ledgers and
 *   summaries on every fixture and on generated files (plain, and Excel-like with a BOM and CRLF);
 * - the ledger written as bytes (ledgerByteChunks, what allocate writes) is the text of
 *   ledgerChunks (what verify hashes), byte for byte;
 * - tie-break key prefixes hashed ahead on a worker thread change no amount.
 * A large generated file is compared every run; PAYOUT_BENCH_FILES=1 adds the bench files in
 * bench-data/ (slow: csv-parse reads them; the case fails if there are none).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClaimIds } from '../../src/core/claims.js';
import { allocate } from '../../src/core/allocate.js';
import { ledgerByteChunks, ledgerChunks, ledgerHeader } from '../../src/core/ledger.js';
import { buildSummary, summaryText } from '../../src/core/summary.js';
import type { Plan } from '../../src/core/plan.js';
import { readClaims, type CsvTokenizer } from '../../src/io/claims-reader.js';
import { tieKeyer, sha256Hex } from '../../src/io/hash.js';
import { TieKeyPrefixes, bytesKeyPrefixer, tieKeyPrefixer } from '../../src/io/tie-keys.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeTable } from '../helpers/make-table.js';

const tmp = tempDir();

const concat = (chunks: Iterable<Uint8Array>): Buffer => Buffer.concat([...chunks].map((c) => Buffer.from(c)));

/** What allocate writes for these inputs, read with one tokenizer: ledger bytes and summary text. */
async function outputs(claimsFile: string, plan: Plan, csv: CsvTokenizer, keep: string[] = []) {
  const seed = plan.rounding.method === 'largest-remainder' ? { tieKeySeed: plan.seed } : {};
  const { table, stats, tieKeyPrefixes } = await readClaims(claimsFile, plan, { csv, keep, sha256: true, ...seed });
  // A fixture of another command may hold errors on purpose: not an allocation then.
  if (stats.errors > 0) return undefined;
  const alloc = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes });
  // Hashed chunk by chunk: the ledger of a bench file (~900 MB at 10M claims) is never one string.
  const bytes = createHash('sha256').update(ledgerHeader(keep));
  for (const chunk of ledgerByteChunks(plan, table, alloc, keep, 4096)) bytes.update(chunk);
  const text = createHash('sha256').update(ledgerHeader(keep));
  for (const chunk of ledgerChunks(plan, table, alloc, keep)) text.update(chunk, 'utf8');
  const ledger = bytes.digest('hex');
  expect(ledger, `${claimsFile}: ledger bytes = ledger text`).toBe(text.digest('hex'));
  return { ledger, summary: summaryText(buildSummary(plan, alloc, table)), sha256: stats.sha256 };
}

function fixtureCases(): Array<{ name: string; claims: string; plan: string }> {
  const dir = join(ROOT, 'fixtures');
  return readdirSync(dir)
    // A bucket plan's claims go through their own reader (test/buckets), not readClaims.
    .filter((d) => existsSync(join(dir, d, 'claims.csv')) && existsSync(join(dir, d, 'plan.json')))
    .filter((d) => !('buckets' in (JSON.parse(readFileSync(join(dir, d, 'plan.json'), 'utf8')) as object)))
    .map((d) => ({ name: d, claims: join(dir, d, 'claims.csv'), plan: join(dir, d, 'plan.json') }));
}

describe('fast path and csv-parse: byte-identical outputs', () => {
  it.each(fixtureCases())('fixtures/$name', async ({ claims, plan: planFile }) => {
    const { plan } = await loadPlan(planFile);
    const fast = await outputs(claims, plan, 'fast');
    const slow = await outputs(claims, plan, 'csv-parse');
    if (fast === undefined || slow === undefined) {
      expect(fast).toEqual(slow);
      return;
    }
    expect(fast.ledger).toBe(slow.ledger);
    expect(fast.summary).toBe(slow.summary);
    expect(fast.sha256).toBe(slow.sha256);
  });

  it.each([
    { name: 'plain', messy: false },
    { name: 'Excel-like (BOM, CRLF, CRLF in quotes)', messy: true },
  ])('generated claims, $name', async ({ messy }) => {
    const { generateClaims } = (await import(join(ROOT, 'scripts/generate-claims.js'))) as {
      generateClaims: (o: { rows: number; seed: string; out: string; messy: boolean }) => Promise<unknown>;
    };
    const file = tmp.path(`gen-${messy ? 'messy' : 'plain'}.csv`);
    await generateClaims({ rows: 30_000, seed: 'csv-fast-ledger', out: file, messy });
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    const fast = await outputs(file, plan, 'fast', ['payment_method', 'state']);
    const slow = await outputs(file, plan, 'csv-parse', ['payment_method', 'state']);
    if (fast === undefined || slow === undefined) throw new Error('the generated claims have errors');
    expect(fast.ledger).toBe(slow.ledger);
    expect(fast.summary).toBe(slow.summary);
  });

  it('the built binary, worker threads on and off, fast path and csv-parse: same report and same files', { timeout: 300_000 }, async () => {
    const { generateClaims } = (await import(join(ROOT, 'scripts/generate-claims.js'))) as {
      generateClaims: (o: { rows: number; seed: string; out: string; messy: boolean }) => Promise<unknown>;
    };
    // Large enough (≥ 8 MiB) for the tie-key and duplicate-check workers; the worker also hashes
    // the claims file then (moved chunks on the fast path, copies after csv-parse took over).
    const file = tmp.path('workers.csv');
    await generateClaims({ rows: 90_000, seed: 'workers', out: file, messy: true });
    // The same claims with a carriage return inside a cell halfway: the fast path hands the rest
    // of the file to csv-parse there, which reads it as data.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(file);
    const cut = bytes.indexOf(',check', bytes.length >> 1) + 3;
    const handOff = tmp.path('hand-off.csv');
    writeFileSync(handOff, Buffer.concat([bytes.subarray(0, cut), Buffer.from('\r'), bytes.subarray(cut)]));
    const plan = join(ROOT, 'fixtures/tiktok/plan.json');
    // The spilled duplicate checks (dedupe-spill.ts) make their folder in TMPDIR: it must be gone after each run.
    const spillRoot = tmp.path('spill-root');
    mkdirSync(spillRoot);
    const run = async (claims: string, env: Record<string, string>, out: string) => {
      // Every warning listed, so that the spilled checks are compared warning by warning.
      const validate = await runCli(['validate', '--plan', plan, '--json', '--max-errors', '100000', claims], { env: { ...env, TMPDIR: spillRoot } });
      const allocate = await runCli(['allocate', '--plan', plan, claims, '--out', tmp.path(out), '--json'], { env: { ...env, TMPDIR: spillRoot } });
      expect(readdirSync(spillRoot), `${out}: spill folders left`).toEqual([]);
      expect(validate.code, validate.stderr).toBe(0);
      expect(allocate.code, allocate.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(tmp.path(`${out}/manifest.json`), 'utf8')) as { claims: { sha256: string } };
      expect(manifest.claims.sha256, `${out}: the claims file's SHA-256`).toBe(createHash('sha256').update(readFileSync(claims)).digest('hex'));
      return { validate: validate.stdout, summary: allocate.stdout, ledger: readFileSync(tmp.path(`${out}/ledger.csv`)) };
    };
    for (const [claims, name] of [
      [file, 'plain'],
      [handOff, 'hand-off'],
    ] as const) {
      const workers = await run(claims, {}, `${name}-with-workers`);
      const none = await run(claims, { PAYOUT_WORKERS: '0' }, `${name}-without-workers`);
      const slowWorkers = await run(claims, { PAYOUT_CSV: 'csv-parse' }, `${name}-csv-parse-with-workers`);
      const slow = await run(claims, { PAYOUT_CSV: 'csv-parse', PAYOUT_WORKERS: '0' }, `${name}-csv-parse`);
      // The duplicate-claimant checks spilled to partitions (from 0 bytes: PAYOUT_CLAIMANT_SPILL_BYTES is for tests).
      const spilled = await run(claims, { PAYOUT_CLAIMANT_SPILL_BYTES: '0' }, `${name}-spilled`);
      const spilledSlow = await run(claims, { PAYOUT_CLAIMANT_SPILL_BYTES: '0', PAYOUT_CSV: 'csv-parse' }, `${name}-spilled-csv-parse`);
      expect((JSON.parse(workers.validate) as { warnings: { count: number } }).warnings.count).toBeGreaterThan(0);
      for (const other of [none, slowWorkers, slow, spilled, spilledSlow]) {
        expect(workers.validate).toBe(other.validate);
        expect(workers.summary).toBe(other.summary);
        expect(workers.ledger.equals(other.ledger)).toBe(true);
      }
    }
  });

  it('the built binary, a syntax error late in a large file: exit 1 and the same report with workers as without', { timeout: 300_000 }, async () => {
    const { generateClaims } = (await import(join(ROOT, 'scripts/generate-claims.js'))) as {
      generateClaims: (o: { rows: number; seed: string; out: string; messy: boolean }) => Promise<unknown>;
    };
    const { existsSync: exists, readFileSync, writeFileSync } = await import('node:fs');
    const file = tmp.path('late-error-source.csv');
    await generateClaims({ rows: 90_000, seed: 'late-error', out: file, messy: false });
    const lines = readFileSync(file, 'latin1').split('\n');
    // Text after a closing quote three quarters in; in the second file also a carriage return
    // inside a cell halfway, so csv-parse has taken over when it meets the error. The workers
    // then still had batches unanswered: the run exited 0 with nothing printed, or crashed.
    const late = [...lines];
    late[67_500] += ',"x"y';
    const both = [...late];
    both[45_000] = (both[45_000] as string).replace(',approved,', ',appr\roved,');
    const plan = join(ROOT, 'fixtures/tiktok/plan.json');
    for (const [name, text] of [
      ['late-error', late],
      ['hand-off-then-error', both],
    ] as const) {
      const claims = tmp.path(`${name}.csv`);
      writeFileSync(claims, text.join('\n'), 'latin1');
      const run = async (env: Record<string, string>, out: string) => {
        const validate = await runCli(['validate', '--plan', plan, '--json', claims], { env });
        const allocate = await runCli(['allocate', '--plan', plan, claims, '--out', tmp.path(out)], { env });
        expect(validate.code, validate.stderr).toBe(1);
        expect(allocate.code, allocate.stderr).toBe(1);
        expect(exists(tmp.path(out)), 'no output folder').toBe(false);
        return { validate: validate.stdout, allocate: allocate.stderr };
      };
      const none = await run({ PAYOUT_WORKERS: '0' }, `${name}-without-workers`);
      const report = JSON.parse(none.validate) as { stoppedAtLine: number; errors: { list: Array<{ line: number; code: string }> } };
      expect(report.stoppedAtLine).toBe(67_501);
      expect(report.errors.list.map((p) => [p.line, p.code])).toContainEqual([67_501, 'csv_syntax']);
      // The failure came and went with timing: several runs.
      for (let i = 0; i < 3; i++) {
        const workers = await run({}, `${name}-with-workers-${i}`);
        expect(workers.validate).toBe(none.validate);
        expect(workers.allocate).toBe(none.allocate);
      }
      // The duplicate-claimant checks spilled (dedupe-spill.ts): the rows before the error are checked the same.
      const spilled = await run({ PAYOUT_CLAIMANT_SPILL_BYTES: '0' }, `${name}-spilled`);
      expect(spilled.validate).toBe(none.validate);
      expect(spilled.allocate).toBe(none.allocate);
    }
  });

  it('a large generated file (100,000 claims, the statuses and duplicates of the full TikTok case; PAYOUT_BENCH_FILES=1 adds bench-data/)', { timeout: 300_000 }, async () => {
    const { generateClaims } = (await import(join(ROOT, 'scripts/generate-claims.js'))) as {
      generateClaims: (o: { seed: string; out: string; messy: boolean; counts: Record<string, Record<string, number>> }) => Promise<unknown>;
    };
    // Large enough for many read chunks and the worker threads; Excel-like (BOM, CRLF in quotes).
    const file = tmp.path('large.csv');
    await generateClaims({
      seed: 'csv-fast-ledger-large',
      out: file,
      messy: true,
      counts: {
        nationwide: { approved: 87_850, rejected: 1_000, deficient: 650, duplicate: 500 },
        illinois: { approved: 9_765, rejected: 108, deficient: 77, duplicate: 50 },
      },
    });
    const files = [file];
    if (process.env.PAYOUT_BENCH_FILES === '1') {
      // Slow: csv-parse reads each of them. Asked for, they must be there.
      const dir = join(ROOT, 'bench-data');
      const bench = existsSync(dir) ? readdirSync(dir).filter((f) => /^claims-\d+\.csv$/.test(f)) : [];
      expect(bench, `PAYOUT_BENCH_FILES=1 but no claims-N.csv in ${dir} (npm run bench makes them)`).not.toEqual([]);
      files.push(...bench.map((f) => join(dir, f)));
    }
    // Largest remainder: the tie-break keys are hashed while reading too.
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    for (const f of files) {
      const fast = await outputs(f, plan, 'fast', ['payment_method']);
      const slow = await outputs(f, plan, 'csv-parse', ['payment_method']);
      if (fast === undefined || slow === undefined) throw new Error(`${f} has errors`);
      expect(fast.ledger, f).toBe(slow.ledger);
      expect(fast.summary, f).toBe(slow.summary);
      expect(fast.sha256, f).toBe(slow.sha256);
      if (f === file) {
        // what was compared is the whole file: every claim, every status
        const summary = JSON.parse(fast.summary) as { totals: { claims: number; eligible: number } };
        expect(summary.totals).toMatchObject({ claims: 100_000, eligible: 97_615 });
      }
    }
  });
});

describe('ledgerByteChunks = ledgerChunks as UTF-8', () => {
  it('for ids and kept cells that need quoting, defusing or several bytes a character (property)', async () => {
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    const text = fc.array(fc.constantFrom('A', 'z', '7', '-', '=', '+', '@', "'", '\t', '\r', '\n', ',', '"', ' ', 'é', '€', '𝄞', 'TT-'), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.uniqueArray(text.map((t) => t.join('')), { minLength: 1, maxLength: 40 }), fc.array(text.map((t) => t.join('')), { minLength: 40, maxLength: 40 }), fc.integer({ min: 1, max: 300 }), (ids, notes, chunk) => {
        const table = makeTable(
          plan,
          ids.map((id, i) => ({ id, class: i % 3 === 0 ? 'illinois' : 'nationwide', status: i % 5 === 0 ? 'rejected' : 'approved' })),
        );
        table.kept.set('note', ids.map((_, i) => notes[i] as string));
        const alloc = allocate(plan, table, tieKeyer(plan.seed));
        const bytes = concat(ledgerByteChunks(plan, table, alloc, ['note'], chunk));
        const text = Buffer.from([...ledgerChunks(plan, table, alloc, ['note'])].join(''), 'utf8');
        expect(bytes.equals(text)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('tie-break key prefixes hashed ahead', () => {
  it('are the first 32 bits of SHA-256(seed:id), from the worker and on this thread, 4 bytes a row', async () => {
    const ids = ['TT-0000001', 'a\u0000b', 'Zoë', '𝄞', 'x'.repeat(200), `${'é'.repeat(40)}-1`, ''];
    const keys = new TieKeyPrefixes('tiktok-mdl-2948');
    const table = ClaimIds.from(ids);
    keys.add(table, 0, 2);
    keys.add(table, 2, ids.length);
    // Let the worker answer both batches before result(), which would otherwise hash them here.
    const pending = (): number => (keys as unknown as { pending: number }).pending;
    for (let waited = 0; pending() > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(pending(), 'the worker answered').toBe(0);
    const got = await keys.result(ids.length);
    const want = ids.map((id) => parseInt(sha256Hex(`tiktok-mdl-2948:${id}`).slice(0, 8), 16));
    expect(got).toBeInstanceOf(Uint32Array);
    expect([...got]).toEqual(want);
    expect(ids.map(tieKeyPrefixer('tiktok-mdl-2948'))).toEqual(want);
  });

  it('from UTF-8 bytes (bytesKeyPrefixer) are those of the text, for any seed and id (property)', async () => {
    const nodeCrypto = await import('node:crypto');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 60, maxLength: 300 })), { maxLength: 20 }), (seed, ids) => {
        const table = ClaimIds.from(ids);
        const ofBytes = bytesKeyPrefixer(seed, nodeCrypto);
        const ofText = tieKeyPrefixer(seed);
        for (let i = 0; i < ids.length; i++) {
          expect(ofBytes(table.bytes, table.start(i), table.end(i))).toBe(ofText(table.get(i)));
          expect(ofText(table.get(i))).toBe(parseInt(sha256Hex(`${seed}:${table.get(i)}`).slice(0, 8), 16));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('are not hashed for rows marked as skipped (left 0), on the worker, on this thread, and when the reading thread catches up', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `TT-${String(i).padStart(7, '0')}${i % 7 === 0 ? 'é' : ''}`);
    const table = ClaimIds.from(ids);
    const skip = Uint8Array.from(ids, (_, i) => (i % 3 === 1 ? 1 : 0));
    // Row 15 goes in a batch of its own without flags: hashed whatever its flag says.
    const want = ids.map((id, i) => (skip[i] === 1 && i !== 15 ? 0 : tieKeyPrefixer('s')(id)));
    const pending = (k: TieKeyPrefixes): number => (k as unknown as { pending: number }).pending;
    for (const mode of ['worker', 'here', 'caught up'] as const) {
      const keys = new TieKeyPrefixes('s', { worker: mode !== 'here' });
      keys.add(table, 0, 15, skip.slice(0, 15));
      keys.add(table, 15, 16); // no flags: every row hashed
      keys.add(table, 16, ids.length, skip.slice(16));
      if (mode === 'worker') for (let waited = 0; pending(keys) > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      expect([...(await keys.result(ids.length))], mode).toEqual(want);
    }
  });

  it('are hashed on the reading thread while it would wait (helpOnce), newest batch first, each batch once, the same prefixes', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `TT-${String(i).padStart(7, '0')}`);
    const table = ClaimIds.from(ids);
    const want = ids.map(tieKeyPrefixer('s'));
    const pending = (k: TieKeyPrefixes): number => (k as unknown as { pending: number }).pending;
    const keys = new TieKeyPrefixes('s');
    for (let from = 0; from < ids.length; from += 500) keys.add(table, from, from + 500);
    expect(pending(keys)).toBe(6);
    // The newest batch cannot be the worker's yet (it takes them from the oldest on): taken here, at once.
    expect(keys.helpOnce()).toBe(true);
    expect(pending(keys)).toBe(5);
    let here = 1;
    while (keys.helpOnce()) here++;
    expect(here).toBeLessThanOrEqual(6);
    // Nothing left that the worker has not started on; what it has started on, it answers.
    expect([...(await keys.result(ids.length))]).toEqual(want);
    // Without a worker there is nothing to take off another core.
    const alone = new TieKeyPrefixes('s', { worker: false });
    alone.add(table, 0, ids.length);
    expect(alone.helpOnce()).toBe(false);
    expect([...(await alone.result(ids.length))]).toEqual(want);
  });

  it('are left 0 for claims of a status the plan does not pay, and the amounts are the same', async () => {
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    const claims = join(ROOT, 'fixtures/tiktok/claims.csv');
    const { table, tieKeyPrefixes } = await readClaims(claims, plan, { tieKeySeed: plan.seed });
    const prefixOf = tieKeyPrefixer(plan.seed);
    let unpaid = 0;
    for (let row = 0; row < table.count; row++) {
      const paid = plan.eligibleStatuses.includes(table.statuses[table.statusIndex[row]!]!);
      if (!paid) unpaid++;
      expect(tieKeyPrefixes?.[row], `row ${row}`).toBe(paid ? prefixOf(table.ids.get(row)) : 0);
    }
    expect(unpaid, 'the fixture has claims that are not paid').toBeGreaterThan(50);
    const ahead = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes });
    const here = allocate(plan, table, tieKeyer(plan.seed));
    expect([...ahead.extraCent]).toEqual([...here.extraCent]);
    expect(ahead.pools).toEqual(here.pools);
  });

  it('change no amount, and a wrong prefix is an error, not a different payout', async () => {
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    const claims = join(ROOT, 'fixtures/tiktok/claims.csv');
    const { table, tieKeyPrefixes } = await readClaims(claims, plan, { tieKeySeed: plan.seed });
    expect(tieKeyPrefixes?.length).toBe(table.count);
    const ahead = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes });
    const here = allocate(plan, table, tieKeyer(plan.seed));
    expect([...ahead.extraCent]).toEqual([...here.extraCent]);
    expect(ahead.pools).toEqual(here.pools);
    const wrong = Uint32Array.from(tieKeyPrefixes ?? [], (p, i) => (i % 2 === 0 ? p : 2 ** 32 - 1 - p));
    expect(() => allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes: wrong })).toThrow(/tie-key prefix/);
  });
});
