#!/usr/bin/env node
// `npm start`: the TikTok distribution (MDL 2948) at its real size, as a first run.
//
//   node scripts/start.js [--scale S] [--out DIR] [--recipe FILE]
//
// 1. Makes the claims file of the published shape (fixtures/tiktok-full/claims.json: about
//    1.26 million Nationwide and 140,000 Illinois claims, with rejected, deficient and duplicate
//    claims and the four payment choices) into DIR/claims.csv with scripts/generate-claims.js,
//    once: a later run reuses the file when its size and SHA-256 are those recorded.
// 2. Runs `payout allocate` on it with the published plan (fixtures/tiktok-full/plan.json:
//    per-point rounding, as the administrator paid "$27.84 per share") into DIR/allocation/,
//    with report.html.
// 3. Prints the net fund, the amount per Nationwide and per Illinois claim, the residual, the
//    time taken and where the files are; exits 1 if the amounts are not the published ones.
//
// --scale S (e.g. 0.01) makes every count S times as large and the plan's money too (the plan is
// then written to DIR/plan.json): the same per-claim amounts on a small file, for tests.
// --recipe FILE reads the counts, seed, size and SHA-256 from FILE instead of the fixture's.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Decimal from 'decimal.js';
import { generateClaims } from './generate-claims.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(ROOT, 'fixtures/tiktok-full');
/** The amounts paid per claim in October 2022, as published (README, "Quick start"). */
const PUBLISHED = { nationwide: '27.84', illinois: '167.04' };
const USAGE = 'usage: node scripts/start.js [--scale S] [--out DIR] [--recipe FILE]';

// ---------------------------------------------------------------------------------------------
// Small helpers: money stays a decimal string (never a JS number).

/** "57090833.33" -> "$57,090,833.33" */
function dollars(amount) {
  const [whole, cents = '00'] = amount.split('.');
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** 1400000 -> "1,400,000" */
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Where a file is, as the user would type it from the current folder. */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// The claims file, made once.

/** The recipe of fixtures/tiktok-full/claims.json with every count S times as large (rounded). */
function scaledRecipe(recipe, scale) {
  const counts = {};
  for (const [cls, byStatus] of Object.entries(recipe.counts)) {
    counts[cls] = {};
    for (const [status, n] of Object.entries(byStatus)) counts[cls][status] = Math.round(n * scale);
  }
  return { seed: recipe.seed, counts };
}

/**
 * DIR/claims.csv, generated unless the file there is the one the recipe gives (its size and
 * SHA-256 recorded in DIR/claims.json when it was made; at full size, also those of the fixture).
 */
async function claimsFile(dir, recipe, expected) {
  const file = join(dir, 'claims.csv');
  const stampFile = join(dir, 'claims.json');
  const wanted = JSON.stringify({ seed: recipe.seed, counts: recipe.counts });
  if (existsSync(file) && existsSync(stampFile)) {
    let stamp;
    try {
      stamp = readJson(stampFile);
    } catch {
      stamp = undefined;
    }
    const same =
      stamp !== undefined &&
      JSON.stringify({ seed: stamp.seed, counts: stamp.counts }) === wanted &&
      (expected === undefined || (stamp.bytes === expected.bytes && stamp.sha256 === expected.sha256)) &&
      statSync(file).size === stamp.bytes;
    if (same) {
      const started = performance.now();
      if ((await sha256File(file)) === stamp.sha256) {
        return { file, rows: stamp.rows, reused: true, ms: performance.now() - started };
      }
    }
  }

  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const partial = `${file}.partial`;
  rmSync(stampFile, { force: true });
  const made = await generateClaims({ seed: recipe.seed, counts: recipe.counts, out: partial });
  const sha256 = await sha256File(partial);
  if (expected !== undefined && (made.bytes !== expected.bytes || sha256 !== expected.sha256)) {
    rmSync(partial, { force: true });
    throw new Error(
      `the generated claims file is not the recorded one (${made.bytes} bytes, SHA-256 ${sha256}; ` +
        `the recipe says ${expected.bytes} bytes, ${expected.sha256}): ` +
        'scripts/generate-claims.js has changed its output',
    );
  }
  renameSync(partial, file);
  writeFileSync(stampFile, JSON.stringify({ ...recipe, rows: made.rows, bytes: made.bytes, sha256 }, null, 2) + '\n');
  return { file, rows: made.rows, reused: false, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// The plan.

/** The plan with its fund and fixed deductions S times as large; the minimum stays per claim. */
function scaledPlan(plan, scale) {
  const times = (amount, field) => {
    const v = new Decimal(amount).times(new Decimal(String(scale)));
    if (v.decimalPlaces() > 2) throw new Error(`--scale ${scale}: the plan's ${field} ${amount} would not be whole cents`);
    return v.toFixed(2);
  };
  return {
    ...plan,
    name: `${plan.name}, at ${scale} of its size`,
    gross: times(plan.gross, 'gross'),
    ...(plan.interest === undefined ? {} : { interest: times(plan.interest, 'interest') }),
    deductions: plan.deductions.map((d) => (d.amount === undefined ? d : { ...d, amount: times(d.amount, `"${d.label}"`) })),
  };
}

// ---------------------------------------------------------------------------------------------
// The run.

function runPayout(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/payout.js'), ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scale: { type: 'string', default: '1' },
        out: { type: 'string', default: 'out/tiktok-full' },
        recipe: { type: 'string', default: join(FIXTURE, 'claims.json') },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`start: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const scale = Number(values.scale);
  if (!/^(0|[1-9]\d*)?(\.\d+)?$/.test(values.scale) || !(scale > 0 && scale <= 1)) {
    process.stderr.write(`start: --scale must be a number above 0 and at most 1, got "${values.scale}"\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const dir = resolve(values.out);
  let fixture;
  try {
    fixture = readJson(resolve(values.recipe));
  } catch (err) {
    process.stderr.write(`start: ${values.recipe}: cannot read the recipe (${err.message})\n`);
    return 2;
  }
  const recipe = scaledRecipe(fixture, scale);
  const expected = scale === 1 ? { bytes: fixture.bytes, sha256: fixture.sha256 } : undefined;

  let planFile = join(FIXTURE, 'plan.json');
  if (scale !== 1) {
    mkdirSync(dir, { recursive: true });
    const plan = scaledPlan(readJson(planFile), scale);
    planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan, null, 2) + '\n');
  }

  const total = Object.values(recipe.counts).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  process.stdout.write(`The TikTok settlement (MDL 2948) at ${scale === 1 ? 'its real size' : `${scale} of its size`}: ${grouped(total)} claims\n`);
  let claims;
  try {
    claims = await claimsFile(dir, recipe, expected);
  } catch (err) {
    process.stderr.write(`start: ${err.message}\n`);
    return 1;
  }
  process.stdout.write(
    claims.reused
      ? `Claims file ${shown(claims.file)} is already there (size and SHA-256 checked in ${seconds(claims.ms)})\n\n`
      : `Generated ${shown(claims.file)} in ${seconds(claims.ms)}\n\n`,
  );

  const outDir = join(dir, 'allocation');
  const allocateStarted = performance.now();
  const code = await runPayout([
    'allocate', '--plan', shown(planFile), shown(claims.file), '--out', shown(outDir),
    '--force', '--keep', 'payment_method', '--report', '--max-errors', '3',
  ]);
  const allocateMs = performance.now() - allocateStarted;
  if (code !== 0) {
    process.stderr.write(`start: payout allocate exited with ${code}\n`);
    return code;
  }

  const summary = readJson(join(outDir, 'summary.json'));
  const byId = new Map(summary.classes.map((k) => [k.id, k]));
  const lines = [];
  const mismatches = [];
  for (const [id, published] of Object.entries(PUBLISHED)) {
    const k = byId.get(id);
    const paid = k === undefined ? '-' : k.smallest === k.largest ? dollars(k.smallest) : `${dollars(k.smallest)}–${dollars(k.largest)}`;
    const ok = k !== undefined && k.smallest === published && k.largest === published;
    if (!ok) mismatches.push(id);
    const label = id === 'nationwide' ? 'Each Nationwide claim' : 'Each Illinois claim (6 shares)';
    lines.push([label, paid, ok ? `published: ${dollars(published)} ✓` : `published: ${dollars(published)}, NOT the same`]);
  }
  const rows = [
    ['Net settlement fund', dollars(summary.net), ''],
    ...lines,
    [`Residual (to the ${summary.residualRecipient ?? 'residual recipient'})`, dollars(summary.totals.residual), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const amountWidth = Math.max(...rows.map((r) => r[1].length));
  const totalMs = performance.now() - started;
  process.stdout.write(
    [
      '',
      ...rows.map(([a, b, c]) => `${a.padEnd(width)}  ${b.padStart(amountWidth)}${c === '' ? '' : `  ${c}`}`.trimEnd()),
      '',
      `Time: ${seconds(totalMs)} (claims file ${claims.reused ? 'reused' : 'generated'} in ${seconds(claims.ms)}, payout allocate with the report ${seconds(allocateMs)})`,
      `Files: ${shown(claims.file)} (the claims), ${shown(outDir)}/ledger.csv, summary.json, manifest.json, report.html`,
      '',
    ].join('\n'),
  );
  if (mismatches.length > 0) {
    process.stderr.write(`start: the amounts per claim differ from the published ones (${mismatches.join(', ')})\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
