#!/usr/bin/env node
// Benchmark of payout on generated claims files, side by side with the same exact largest-remainder
// job in DuckDB and in polars when those can be imported (never dependencies of payout).
//
//   npm run bench                                  # 1,000,000 claims
//   node scripts/bench.js --sizes 1e6,5e6,1e7      # several sizes
//   node scripts/bench.js --rows 5000000 --runs 3  # 3 rounds of the jobs in turn, best of 3 per job
//   node scripts/bench.js --sizes 1e7 --engines duckdb   # polars needs ~9 GB at 10M
//   node scripts/bench.js --plan other/plan.json         # another plan (whole-number weights, no cap)
//   node scripts/bench.js --pay --no-engines             # also allocate and pay on a claims file with elections
//   npm install --no-save @duckdb/node-api nodejs-polars nodejs-polars-linux-x64-gnu   # the comparisons
//
// Files are generated deterministically (scripts/generate-claims.js, seed "bench") into
// bench-data/ (gitignored) and reused when present with the same rows and seed. Every job runs as
// a child process, timed whole (start-up included) with /usr/bin/time (wall, user+sys CPU, peak
// RSS), or, without it, by polling /proc/<pid>/status for VmHWM. Uses dist/ (npm run build).

import { spawn } from 'node:child_process';
import { createHash, hash as oneShotHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench-data');
const DEFAULT_PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const BIN = join(ROOT, 'bin/payout.js');
const SEED = 'bench';
const INSTALL = 'npm install --no-save @duckdb/node-api nodejs-polars nodejs-polars-linux-x64-gnu';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    rows: { type: 'string' },
    runs: { type: 'string', default: '1' },
    job: { type: 'string' }, // internal: run one comparison job in this process
    file: { type: 'string' },
    out: { type: 'string' },
    'no-engines': { type: 'boolean', default: false },
    engines: { type: 'string', default: 'duckdb,polars' },
    plan: { type: 'string' },
    pay: { type: 'boolean', default: false },
  },
});
const PLAN = resolve(args.plan ?? DEFAULT_PLAN);

// ---------------------------------------------------------------------------------------------
// The plan as the comparison jobs need it: net cents, class weights (integers here), the seed.

/** Net cents, weights and seed of the TikTok plan, computed by payout's own core (dist/). */
async function planFacts() {
  const { loadPlan } = await import(join(ROOT, 'dist/io/plan-file.js'));
  const { netFundOf } = await import(join(ROOT, 'dist/core/allocate.js'));
  const { plan } = await loadPlan(PLAN);
  const net = netFundOf(plan).net;
  const weights = plan.classes.map((c) => {
    if (!c.weight || c.weight.d !== 1n) throw new Error('bench: the comparison jobs take whole-number weights');
    return { id: c.id, weight: c.weight.n };
  });
  if (plan.maximumPayment !== null) throw new Error('bench: the comparison jobs take no cap');
  return { net, weights, seed: plan.seed, eligible: plan.eligibleStatuses, minimum: plan.minimumPayment };
}

// ---------------------------------------------------------------------------------------------
// The comparison jobs: read the CSV, points = weight × units (units in millionths), exact shares of
// net in integer cents, floors, the leftover cents to the largest remainders, ties to the smaller
// sha256(seed || ':' || claim_id); write claim_id,class,status,amount; the minimum rule (docs/spec.md §3) over
// the distinct points values. No validation beyond types, no duplicate checks, no cap.

async function runEngineJob(job, file, out) {
  const facts = await planFacts();
  if (job === 'duckdb') await duckdbJob(file, out, facts);
  else if (job === 'polars') await polarsJob(file, out, facts);
  else throw new Error(`unknown job ${job}`);
}

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * docs/spec.md §3's minimum rule over the distinct points values (ascending, with the Σ points of each):
 * while the smallest points would get a share below the minimum, drop that value. Returns the
 * smallest points value still paid (Infinity when none) and the Σ points of those paid.
 */
function minimumRule(net, minimum, levels) {
  let total = levels.reduce((a, l) => a + l.sum, 0n);
  let k = 0;
  if (minimum !== null) {
    while (k < levels.length && net * levels[k].pts < minimum * total) total -= levels[k++].sum;
  }
  return { threshold: k < levels.length ? levels[k].pts : null, total };
}

async function duckdbJob(file, out, { net, weights, seed, eligible, minimum }) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  const one = async (sql) => (await con.runAndReadAll(sql)).getRows()[0]?.[0];
  const weightCase = `CASE lower(trim(class)) ${weights.map((w) => `WHEN ${sqlString(w.id.toLowerCase())} THEN ${w.weight}`).join(' ')} END`;
  const eligibleList = eligible.map((s) => sqlString(s.toLowerCase())).join(', ');
  // Points in millionths, exact (HUGEINT), in file order.
  await con.run(`
    CREATE TEMP TABLE p AS
    SELECT claim_id, class, status,
      CASE WHEN coalesce(nullif(lower(trim(status)), ''), 'approved') IN (${eligibleList})
        THEN CAST(${weightCase} AS HUGEINT) * CAST(round(CAST(trim(units) AS DECIMAL(18, 6)) * 1000000) AS HUGEINT)
        ELSE CAST(0 AS HUGEINT) END AS pts
    FROM read_csv(${sqlString(file)}, header = true, all_varchar = true, quote = '"', escape = '"')`);
  const levels = (await con.runAndReadAll('SELECT pts, sum(pts) FROM p WHERE pts > 0 GROUP BY pts ORDER BY pts'))
    .getRows()
    .map(([pts, sum]) => ({ pts: BigInt(pts), sum: BigInt(sum) }));
  const { threshold, total } = minimumRule(BigInt(net), minimum === null ? null : BigInt(minimum), levels);
  const paidPts = threshold === null ? 'CAST(0 AS HUGEINT)' : `CASE WHEN pts >= ${threshold} THEN pts ELSE CAST(0 AS HUGEINT) END`;
  const divisor = total > 0n ? total : 1n;
  // Shares in exact integer cents: floors and remainders.
  await con.run(`
    CREATE TEMP TABLE s AS
    SELECT claim_id, class, status, pts, (CAST(${net} AS HUGEINT) * pts) // ${divisor} AS fl, (CAST(${net} AS HUGEINT) * pts) % ${divisor} AS rem
    FROM (SELECT claim_id, class, status, ${paidPts} AS pts FROM p)`);
  // K leftover cents; the K-th largest remainder R; the rows above R get a cent, and of the rows at
  // R the ones with the smallest sha256(seed:claim_id) get the rest.
  const k = total > 0n ? BigInt(await one(`SELECT CAST(${net} AS HUGEINT) - sum(fl) FROM s`)) : 0n;
  let winners = 'SELECT NULL AS claim_id WHERE false';
  let boundary = 'NULL';
  if (k > 0n) {
    boundary = String(await one(`SELECT rem FROM s WHERE pts > 0 ORDER BY rem DESC LIMIT 1 OFFSET ${k - 1n}`));
    const above = BigInt(await one(`SELECT count(*) FROM s WHERE pts > 0 AND rem > ${boundary}`));
    winners = `SELECT claim_id FROM s WHERE pts > 0 AND rem = ${boundary} ORDER BY sha256(${sqlString(seed)} || ':' || claim_id) LIMIT ${k - above}`;
  }
  await con.run(`
    COPY (
      WITH w AS (${winners}),
      a AS (SELECT claim_id, class, status, fl + CASE WHEN pts > 0 AND (rem > ${boundary} OR claim_id IN (SELECT claim_id FROM w)) THEN 1 ELSE 0 END AS cents FROM s)
      SELECT claim_id, class, status, printf('%d.%02d', CAST(cents // 100 AS BIGINT), CAST(cents % 100 AS BIGINT)) AS amount FROM a
    ) TO ${sqlString(out)} (HEADER, DELIMITER ',')`);
}

async function polarsJob(file, out, { net, weights, seed, eligible, minimum }) {
  const mod = await import('nodejs-polars');
  const pl = mod.default ?? mod;
  // Only the four columns the job reads, every one as text, with polars' multi-threaded reader
  // (the lazy scan pushes the projection into it: name, email and address are never materialised).
  const df = await pl.scanCSV(file, { inferSchemaLength: 0 }).select('claim_id', 'class', 'units', 'status').collect();
  const lowerClass = pl.col('class').str.strip().str.toLowerCase();
  let weight = pl.lit(0);
  for (const w of weights) weight = pl.when(lowerClass.eq(pl.lit(w.id.toLowerCase()))).then(pl.lit(Number(w.weight))).otherwise(weight);
  const status = pl.col('status').str.strip().str.toLowerCase();
  const ok = eligible.map((s) => status.eq(pl.lit(s.toLowerCase()))).reduce((a, b) => a.or(b));
  // Units as integers of 10^-scale, scale = the most decimals written (0 here): exact, and net × points
  // stays below 2^53, so the one division (of an exact multiple) is exact too. Without a decimal
  // point anywhere (scale 0) the text is cast as it is, with no list column per row.
  const units = pl.col('units').str.strip();
  const decimals = df.select(units.str.extract(String.raw`\.(\d*)$`, 1).str.lengths().alias('m')).getColumn('m');
  const scale = Number(decimals.max() ?? 0);
  let pts = units.cast(pl.Int64);
  if (decimals.nullCount() < decimals.len()) {
    const u = units.str.split('.');
    pts = u.lst.get(0).cast(pl.Int64).mul(10 ** scale).add(u.lst.get(1).fillNull(pl.lit('0')).str.padEnd(scale, '0').cast(pl.Int64));
  }
  const allPts = df.select('claim_id', 'class', 'status', pts.mul(pl.when(ok).then(weight).otherwise(pl.lit(0)).cast(pl.Int64)).alias('pts'));
  const grouped = allPts.filter(pl.col('pts').gt(0)).groupBy('pts').agg(pl.col('pts').sum().alias('sum')).sort('pts');
  const lv = grouped.getColumn('pts').toArray();
  const sums = grouped.getColumn('sum').toArray();
  const levels = lv.map((p, i) => ({ pts: BigInt(p), sum: BigInt(sums[i]) }));
  const rule = minimumRule(BigInt(net), minimum === null ? null : BigInt(minimum), levels);
  const withPts = allPts.withColumns(
    rule.threshold === null ? pl.lit(0).cast(pl.Int64).alias('pts') : pl.when(pl.col('pts').gtEq(Number(rule.threshold))).then(pl.col('pts')).otherwise(pl.lit(0)).cast(pl.Int64).alias('pts'),
  );
  const total = Math.max(1, Number(rule.total));
  const maxPts = Number(withPts.getColumn('pts').max());
  if (Number(net) * maxPts > Number.MAX_SAFE_INTEGER || total > Number.MAX_SAFE_INTEGER) throw new Error('bench: values too large for the exact polars job');
  const x = pl.lit(Number(net)).cast(pl.Int64).mul(pl.col('pts'));
  const s = withPts.withColumns(x.modulo(pl.lit(total)).alias('rem')).withColumns(
    x.sub(pl.col('rem')).div(pl.lit(total)).cast(pl.Int64).alias('fl'),
  );
  const k = rule.total > 0n ? Number(BigInt(net) - BigInt(s.getColumn('fl').sum())) : 0;
  // The K-th largest remainder R: rows above it get a cent; of the rows at R, those with the
  // smallest SHA-256 keys get the rest. polars has no sha256: the tied ids are hashed here, and
  // ranked as payout ranks them: by the digest's first 48 bits (a typed-array sort), full digests
  // only for the rows that share the cut-off's 48 bits. A cent column by row index, no id lookup.
  const win = new Uint8Array(s.height);
  let boundary = Number.POSITIVE_INFINITY;
  if (k > 0) {
    const rems = s.filter(pl.col('pts').gt(0)).getColumn('rem');
    boundary = Number(rems.sort(true).get(k - 1));
    const tiedMask = pl.col('pts').gt(0).and(pl.col('rem').eq(boundary));
    const above = s.filter(pl.col('pts').gt(0).and(pl.col('rem').gt(boundary))).height;
    const need = k - above;
    const tiedRows = s.select(tiedMask.alias('t')).getColumn('t').argTrue().toArray();
    // The tied ids come over as one string (NUL between ids), split here: ~850,000 strings fetched
    // one by one from polars cost more than hashing them.
    const joined = s.filter(tiedMask).select(pl.col('claim_id').str.concat('\0')).getColumn('claim_id').get(0) ?? '';
    const tiedIds = tiedRows.length > 0 ? joined.split('\0') : [];
    const hex = (id) => (typeof oneShotHash === 'function' ? oneShotHash('sha256', `${seed}:${id}`, 'hex') : createHash('sha256').update(`${seed}:${id}`).digest('hex'));
    const prefix = (id) => {
      const d = oneShotHash('sha256', `${seed}:${id}`, 'binary');
      return ((d.charCodeAt(0) * 256 + d.charCodeAt(1)) * 256 + d.charCodeAt(2)) * 16777216 + (d.charCodeAt(3) << 16 | d.charCodeAt(4) << 8 | d.charCodeAt(5));
    };
    const prefixes = new Float64Array(tiedIds.length);
    for (let i = 0; i < tiedIds.length; i++) prefixes[i] = prefix(tiedIds[i]);
    const cut = need > 0 ? prefixes.slice().sort()[need - 1] : -1;
    const atCut = [];
    let taken = 0;
    for (let i = 0; i < prefixes.length; i++) {
      if (prefixes[i] < cut) {
        win[tiedRows[i]] = 1;
        taken++;
      } else if (prefixes[i] === cut) atCut.push(i);
    }
    atCut.sort((a, b) => (hex(tiedIds[a]) < hex(tiedIds[b]) ? -1 : 1));
    for (const i of atCut.slice(0, need - taken)) win[tiedRows[i]] = 1;
  }
  const extra = pl.col('pts').gt(0).and(pl.col('rem').gt(boundary).or(pl.col('win').eq(1)));
  const cents = pl.col('fl').add(extra.cast(pl.Int64));
  const hundred = pl.lit(100).cast(pl.Int64);
  const rem = cents.modulo(hundred);
  const result = s.withColumn(pl.Series('win', win)).select(
    'claim_id', 'class', 'status',
    pl.concatString([cents.sub(rem).div(hundred).cast(pl.Int64).cast(pl.Utf8), rem.cast(pl.Utf8).str.padStart(2, '0')], '.').alias('amount'),
  );
  result.writeCSV(out);
}

// ---------------------------------------------------------------------------------------------
// The driver.

function parseSize(s) {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`bench: bad size ${s}`);
  return n;
}

async function ensureFile(rows) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `claims-${rows}.csv`);
  const meta = join(DATA, `claims-${rows}.json`);
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    if (m.rows === rows && m.seed === SEED && m.bytes === statSync(file).size) return file;
  }
  process.stderr.write(`bench: generating ${rows.toLocaleString('en-US')} claims into ${file}\n`);
  const { generateClaims } = await import(join(ROOT, 'scripts/generate-claims.js'));
  const { bytes } = await generateClaims({ rows, seed: SEED, out: file });
  writeFileSync(meta, `${JSON.stringify({ rows, seed: SEED, bytes })}\n`);
  return file;
}

/**
 * `--pay`: a claims file with payment elections (scripts/generate-payments-fixture.js, seed
 * "bench"), its corrections file, and the payments fixture's plan with the gross scaled so that
 * nearly every approved claim is paid above the $5 minimum ($92 per claim). allocate and pay run
 * on this same file: pay's time is set against allocate's on the file it pays from.
 */
async function ensurePayFiles(rows) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `payments-claims-${rows}.csv`);
  const elections = join(DATA, `payments-elections-${rows}.csv`);
  const plan = join(DATA, `payments-plan-${rows}.json`);
  const meta = join(DATA, `payments-claims-${rows}.json`);
  const fresh = existsSync(file) && existsSync(elections) && existsSync(plan) && existsSync(meta) && JSON.parse(readFileSync(meta, 'utf8')).bytes === statSync(file).size;
  if (!fresh) {
    process.stderr.write(`bench: generating ${rows.toLocaleString('en-US')} claims with payment elections into ${file}\n`);
    const { claimsText, electionsText } = await import(join(ROOT, 'scripts/generate-payments-fixture.js'));
    const text = claimsText(rows, SEED);
    writeFileSync(file, text);
    writeFileSync(elections, electionsText(text));
    const p = JSON.parse(readFileSync(join(ROOT, 'fixtures/payments/plan.json'), 'utf8'));
    p.gross = `${rows * 92}.00`;
    writeFileSync(plan, `${JSON.stringify(p, null, 2)}\n`);
    writeFileSync(meta, `${JSON.stringify({ rows, seed: SEED, bytes: statSync(file).size })}\n`);
  }
  return { file, elections, plan };
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Whether a run did its job: exit 0 (the generated claims have no errors, so validate exits 0 too). */
function succeeded(r) {
  return r.code === 0;
}

/** Runs a command; resolves to { wall, cpu, peakMiB, code } of the whole child process. */
function measure(cmd, argv, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const stats = join(DATA, `.time-${process.pid}.txt`);
    const full = TIME ? [TIME, ['-f', '%e %U %S %M', '-o', stats, cmd, ...argv]] : [cmd, argv];
    const child = spawn(full[0], full[1], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    let hwm = 0;
    const poll = TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* gone */
          }
        }, 5);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wallNs = Number(process.hrtime.bigint() - started);
      let wall = wallNs / 1e9;
      let cpu = NaN;
      let peakKiB = hwm;
      if (TIME && existsSync(stats)) {
        const [e, u, s, m] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        wall = e;
        cpu = u + s;
        peakKiB = m;
        rmSync(stats, { force: true });
      }
      resolvePromise({ wall, cpu, peakMiB: peakKiB / 1024, code, stderr });
    });
  });
}

async function canImport(name) {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('bench: dist/ is missing: run npm run build first');
  const sizes = (args.sizes ?? args.rows ?? '1e6').split(',').map(parseSize);
  const runs = Math.max(1, Number(args.runs) || 1);
  const hasVerify = existsSync(join(ROOT, 'dist/cli/commands/verify.js'));
  const engines = [];
  if (!args['no-engines']) {
    const wanted = new Set(args.engines.split(',').map((e) => e.trim()));
    for (const [name, mod] of [['duckdb', '@duckdb/node-api'], ['polars', 'nodejs-polars']]) {
      if (!wanted.has(name)) continue;
      if (await canImport(mod)) engines.push(name);
      else process.stderr.write(`bench: ${mod} cannot be imported: no ${name} comparison (to get one: ${INSTALL})\n`);
    }
  }
  if (!hasVerify) process.stderr.write('bench: dist/ has no verify command yet: verify skipped\n');

  const rowsOut = [];
  const ratios = [];
  const checks = [];
  for (const rows of sizes) {
    const file = await ensureFile(rows);
    const mb = statSync(file).size / 1e6;
    const outDir = join(DATA, `out-${rows}`);
    const jobs = [
      ['validate', () => measure(process.execPath, [BIN, 'validate', '--plan', PLAN, file])],
      ['allocate', () => measure(process.execPath, [BIN, 'allocate', '--plan', PLAN, file, '--out', outDir, '--force', '-q'])],
    ];
    if (hasVerify) jobs.push(['verify', () => measure(process.execPath, [BIN, 'verify', '--plan', PLAN, file, outDir])]);
    /** MB read per job: the pay jobs read the claims file with elections. */
    const mbOf = {};
    if (args.pay) {
      // allocate then pay on one claims file with elections, in turn in every round (pay reads
      // the folder the allocate of its round wrote).
      const p = await ensurePayFiles(rows);
      const from = join(DATA, `pay-from-${rows}`);
      mbOf['allocate*'] = mbOf.pay = statSync(p.file).size / 1e6;
      jobs.push(['allocate*', () => measure(process.execPath, [BIN, 'allocate', '--plan', p.plan, p.file, '--out', from, '--force', '-q'])]);
      jobs.push(['pay', () => measure(process.execPath, [BIN, 'pay', '--plan', p.plan, p.file, '--elections', p.elections, '--from', from, '--out', join(DATA, `pay-${rows}`), '--force', '-q'])]);
    }
    for (const e of engines) {
      jobs.push([e, () => measure(process.execPath, [fileURLToPath(import.meta.url), '--job', e, '--plan', PLAN, '--file', file, '--out', join(DATA, `${e}-${rows}.csv`)])]);
    }
    // Rounds of every job in turn, best wall time per job: this host's speed drifts by tens of
    // percent over a minute, and alternating keeps a slow spell from landing on one job's runs.
    // A run that failed is never the best one: it is reported, counted in the table, and a job's
    // figures come from its runs that did not fail.
    const results = {};
    const failed = {};
    /** Per round, each job's run (side by side: the ratios within a round share the host's state). */
    const rounds = [];
    for (let round = 0; round < runs; round++) {
      const inRound = {};
      rounds.push(inRound);
      for (const [name, run] of jobs) {
        const r = await run();
        inRound[name] = r;
        if (!succeeded(r)) {
          (failed[name] ??= []).push(r);
          process.stderr.write(`bench: ${name} exited ${r.code} (round ${round + 1}; left out)\n${r.stderr.slice(-1500)}\n`);
        } else if (results[name] === undefined || r.wall < results[name].wall) results[name] = r;
      }
    }
    for (const [name] of jobs) {
      const r = results[name] ?? failed[name][0];
      rowsOut.push({ job: name, rows, ...r, mb: mbOf[name] ?? mb, failedRuns: failed[name]?.length ?? 0, runs });
    }
    for (const e of engines) {
      for (const job of ['allocate', 'validate', 'verify']) {
        if (!results[job] || !results[e]) continue;
        // Each round's ratio too: the best runs of two jobs may come from different moments.
        const perRound = rounds.filter((r) => succeeded(r[job]) && succeeded(r[e])).map((r) => r[job].wall / r[e].wall);
        ratios.push({ rows, what: `payout ${job} / ${e}`, wall: results[job].wall / results[e].wall, cpu: results[job].cpu / results[e].cpu, perRound });
      }
    }
    if (results.pay && results['allocate*']) {
      const perRound = rounds.filter((r) => succeeded(r.pay) && succeeded(r['allocate*'])).map((r) => r.pay.cpu / r['allocate*'].cpu);
      ratios.push({ rows, what: 'payout pay / allocate*', wall: results.pay.wall / results['allocate*'].wall, cpu: results.pay.cpu / results['allocate*'].cpu, perRound, perRoundWhat: 'cpu' });
    }
    if (engines.includes('duckdb') && results.allocate?.code === 0) checks.push([join(outDir, 'ledger.csv'), join(DATA, `duckdb-${rows}.csv`)]);
  }

  const pad = (s, n) => String(s).padStart(n);
  console.log(`\n${'job'.padEnd(10)} ${pad('rows', 11)} ${pad('wall s', 7)} ${pad('cpu s', 7)} ${pad('rows/s', 11)} ${pad('MB/s', 7)} ${pad('peak MiB', 9)} ${pad('B/claim', 8)}`);
  for (const r of rowsOut) {
    console.log(
      `${r.job.padEnd(10)} ${pad(r.rows.toLocaleString('en-US'), 11)} ${pad(r.wall.toFixed(2), 7)} ${pad(Number.isNaN(r.cpu) ? '-' : r.cpu.toFixed(2), 7)} ` +
        `${pad(Math.round(r.rows / r.wall).toLocaleString('en-US'), 11)} ${pad((r.mb / r.wall).toFixed(1), 7)} ${pad(r.peakMiB.toFixed(0), 9)} ${pad(Math.round((r.peakMiB * 1048576) / r.rows), 8)}` +
        (succeeded(r) ? '' : `  (exit ${r.code})`) +
        (r.failedRuns > 0 ? `  (${r.failedRuns} of ${r.runs} runs failed)` : ''),
    );
  }
  if (args.pay) console.log('(allocate*: allocate on the claims file with payment elections that pay then pays from)');
  if (ratios.length > 0) {
    console.log('\nratios (below 1: the first job faster)');
    for (const q of ratios) {
      const byRound = q.perRound.length > 1 ? `  rounds (${q.perRoundWhat ?? 'wall'}): median ${median(q.perRound).toFixed(2)}, ${Math.min(...q.perRound).toFixed(2)}–${Math.max(...q.perRound).toFixed(2)}` : '';
      console.log(`${q.what.padEnd(28)} ${pad(q.rows.toLocaleString('en-US'), 11)}  wall ${q.wall.toFixed(2)}  cpu ${q.cpu.toFixed(2)}${byRound}`);
    }
    console.log('(wall and cpu: best run of each job; rounds: the ratio of the two jobs within each round)');
  } else if (!args['no-engines']) {
    console.log(`\nno DuckDB or polars to compare with: ${INSTALL}`);
  }
  for (const [ledger, duck] of checks) await checkSameAmounts(ledger, duck);
}

/**
 * The DuckDB job and payout must agree on every amount (same exact method). DuckDB may write the
 * rows in another order (it runs on two threads), so the pairs are compared as sorted lists.
 */
async function checkSameAmounts(ledger, duck) {
  const amounts = async (file) => {
    const pairs = [];
    let fromEnd = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (fromEnd === 0) {
        const header = line.split(',');
        fromEnd = header.length - header.indexOf('amount');
        continue;
      }
      if (line === '') continue;
      // The bench ids are plain (no quotes), and amount is the last column of both files.
      const cells = line.split(',');
      pairs.push(`${cells[0]}=${cells[cells.length - fromEnd]}`);
    }
    pairs.sort();
    const h = createHash('sha256');
    for (const p of pairs) h.update(`${p}\n`);
    return `${pairs.length}:${h.digest('hex')}`;
  };
  const a = await amounts(ledger);
  const b = await amounts(duck);
  console.log(a === b ? `bench: DuckDB and payout agree on every amount (${ledger})` : `bench: DuckDB and payout DIFFER (${a} vs ${b})`);
}

if (args.job) await runEngineJob(args.job, args.file, args.out);
else await main();
