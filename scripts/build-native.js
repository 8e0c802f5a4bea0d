#!/usr/bin/env node
/**
 * Builds the optional native addon (src/native/: batched SHA-256, docs/performance.md "Batched
 * SHA-256", and the CSV tokenizer's structural index, "Round eight") into
 * dist/native/payout_sha256.node. Part of `npm run build` (so of `prepare`, which `npm ci` and
 * `npm install` run).
 *
 * Optional by design: without a C compiler, make, Python or the running Node.js's headers, payout
 * hashes with node:crypto instead and gives the same bytes. So any failure here prints one line and
 * exits 0; installing payout never fails because of it. Nothing is downloaded: node-gyp is npm's own,
 * and it is given the headers of the Node.js running this script (`--nodedir`), or none at all.
 * The build happens in a temporary folder (node-gyp's build/ never lands in the repository), and is
 * skipped when dist/native/ already holds the addon built from the same sources and it still loads
 * and hashes like node:crypto here (not one copied from another platform, nor a damaged one).
 *
 * Options: `--out DIR` (default dist/native). Environment: PAYOUT_NODE_GYP (node-gyp's bin script),
 * PAYOUT_NODEDIR (the folder holding include/node/node_api.h), PAYOUT_NATIVE_BUILD=0 (do not build).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src/native');
const SOURCES = ['binding.gyp', 'args.h', 'csv_cell.h', 'sha256_batch.c', 'csv_scan.c', 'ledger_rows.c', 'pay_rows.c'];
const ADDON = 'payout_sha256.node';

const outArg = process.argv.indexOf('--out');
const OUT = outArg >= 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(ROOT, 'dist/native');

/** Why there is no addon (caught below: one line, exit 0). */
class Without extends Error {}
function without(reason) {
  throw new Without(reason);
}

/** npm's node-gyp: the one named by PAYOUT_NODE_GYP (alone, when set), npm's setting, or the one next to this node. */
function nodeGyp() {
  if (process.env.PAYOUT_NODE_GYP) return existsSync(process.env.PAYOUT_NODE_GYP) ? process.env.PAYOUT_NODE_GYP : undefined;
  const candidates = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')];
  return candidates.find((c) => c && existsSync(c));
}

function nodeDir() {
  const candidates = [process.env.PAYOUT_NODEDIR, join(dirname(process.execPath), '..'), process.env.npm_config_nodedir];
  for (const c of candidates) {
    if (!c) continue;
    if (existsSync(join(c, 'include/node/node_api.h'))) return resolve(c);
    if (c === process.env.PAYOUT_NODEDIR) return undefined;
  }
  return undefined;
}

/**
 * Whether the addon at `path` loads in a fresh node and hashes like node:crypto (one message with a
 * head, a digest prefix and a start; an odd level; two receipts leaves), indexes a CSV as the
 * tokenizer expects (the offsets of delimiters, quotes, CR and LF, stopping when the array is full)
 * and writes ledger rows (a plain row, then a stop at an id that needs a guard; then, when tsc has
 * compiled it into dist/ (`npm run build` does so first), the load check payout itself makes,
 * dist/io/ledger-rows-native.js ledgerRowsRight, on its tables): what a build must pass before it
 * is kept, and what an addon already there must still pass (copied from another machine, or damaged).
 */
/** Why the addon at `path` must not be kept, or '' when it passes. */
function addonProblem(path) {
  const loadCheck = join(ROOT, 'dist/io/ledger-rows-native.js');
  const loadCheckUrl = existsSync(loadCheck) ? pathToFileURL(loadCheck).href : '';
  if (!loadCheckUrl && !noted) {
    noted = true;
    process.stdout.write('payout: dist/io/ledger-rows-native.js is not there (tsc has not run): the addon\'s ledger rows are checked only when payout loads it\n');
  }
  const check = spawnSync(
    process.execPath,
    [
      '-e',
      `const a = require(${JSON.stringify(path)}); const c = require('node:crypto');
       const h = (b) => c.createHash('sha256').update(b).digest();
       const o = new Uint8Array(7); a.many(Buffer.from('xabc'), Uint32Array.of(4), o, Buffer.from('seed:'), 7, 1);
       if (!Buffer.from(o).equals(h('seed:abc').subarray(0, 7))) process.exit(3);
       const d = new Uint8Array(96).map((_, i) => i); const l = new Uint8Array(64); a.level(d, 3, l);
       if (!Buffer.from(l).equals(Buffer.concat([h(Buffer.concat([Buffer.of(1), d.subarray(0, 64)])), d.subarray(64)]))) process.exit(3);
       const f = new Uint8Array(64); a.leaves(Buffer.from('H'), Buffer.from('abZoë'), Uint32Array.of(2, 6), Uint32Array.of(1, 0), Buffer.from('s;t'), Uint32Array.of(2, 3), Uint32Array.of(0, 1), f);
       if (!Buffer.from(f).equals(Buffer.concat([h('H4:Zoë,s;'), h('H2:ab,t')]))) process.exit(3);
       const t = Buffer.from('x'.repeat(70) + 'a;"b"\\r\\n;c\\n'); const s = new Int32Array(3);
       if (a.scan(t, 1, t.length, 59, s) !== 3 || s.join() !== '71,72,74' || a.scan(t, 75, t.length, 59, s) !== 3 || s.join() !== '75,76,77') process.exit(3);
       const r = new Uint8Array(16); const st = Uint32Array.of(0, 0);
       const why = a.ledgerRows(Buffer.from('ab=c'), Uint32Array.of(2, 4), Uint32Array.of(0, 0), Uint8Array.of(0, 0), Uint8Array.of(0, 1), 1, Buffer.from(',x\\n,y\\n'), Uint32Array.of(0, 3, 3, 3), r, st, 2);
       if (why !== 1 || st.join() !== '1,5' || Buffer.from(r.subarray(0, 5)).toString() !== 'ab,x\\n') process.exit(3);
       const check = ${JSON.stringify(loadCheckUrl)};
       if (check) import(check).then((m) => { if (typeof m.ledgerRowsRight !== 'function') process.exit(5); if (!m.ledgerRowsRight(a.ledgerRows)) process.exit(4); }, () => process.exit(5));`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (check.status === 0) return '';
  if (check.status === 4) return "its ledger rows were refused by payout's load check (dist/io/ledger-rows-native.js)";
  if (check.status === 5) return "payout's load check (dist/io/ledger-rows-native.js) could not be run: run tsc, then build again";
  return 'it did not load or hash correctly';
}
let noted = false;

/**
 * The payment files' rows (pay_rows.c) are checked apart, in a process of their own and more
 * thoroughly than payout checks them when it loads them (each block short of room in turn): refused,
 * or crashing the check (a wrong addon may write past a block), they are marked as refused beside
 * the addon (pay-rows.refused, also when they could not be checked: dist/io not there), payout does
 * not use them (pay makes its rows in JavaScript), and the rest of the addon is kept. Says so when
 * they are marked. The mark's name is REFUSED_MARK of dist/io/payments/pay-rows-native.js.
 */
function notePayRows(path, markDir = dirname(path)) {
  const mark = join(markDir, 'pay-rows.refused');
  const loadCheck = join(ROOT, 'dist/io/payments/pay-rows-native.js');
  let why = 'not checked by';
  if (existsSync(loadCheck)) {
    const check = spawnSync(
      process.execPath,
      ['-e', `const a = require(${JSON.stringify(path)}); import(${JSON.stringify(pathToFileURL(loadCheck).href)}).then((m) => { let ok = false; try { ok = typeof a.payRows === 'function' && m.payRowsRight(a.payRows, true); } catch { process.exit(5); } process.exit(ok ? 0 : 4); }, () => process.exit(5));`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (check.status === 0) {
      rmSync(mark, { force: true });
      return;
    }
    if (check.status === 4) why = 'refused by';
    else if (check.status !== 5) why = `crashed (${check.signal ?? `exit ${check.status}`}) in`;
  }
  // Not checked (tsc has not run: dist/io is not there), refused, or crashed: marked, so payout does
  // not load them; the next build checks them again.
  mkdirSync(markDir, { recursive: true });
  writeFileSync(mark, `payRows ${why} payout's load check (dist/io/payments/pay-rows-native.js)\n`);
  console.log(`payout: the addon's payment rows were ${why} payout's load check (dist/io/payments/pay-rows-native.js); pay makes them in JavaScript`);
}

try {
  if (process.env.PAYOUT_NATIVE_BUILD === '0') without('PAYOUT_NATIVE_BUILD=0');
  const stamp = createHash('sha256');
  for (const f of SOURCES) stamp.update(readFileSync(join(SRC, f)));
  const sources = stamp.digest('hex');
  if (existsSync(join(OUT, ADDON)) && existsSync(join(OUT, 'sources.sha256')) && readFileSync(join(OUT, 'sources.sha256'), 'utf8') === sources && addonProblem(join(OUT, ADDON)) === '') {
    notePayRows(join(OUT, ADDON));
    process.exit(0); // built from these sources already, and still hashes right
  }
  rmSync(join(OUT, ADDON), { force: true });
  rmSync(join(OUT, 'sources.sha256'), { force: true });
  const gyp = nodeGyp();
  if (gyp === undefined) without('node-gyp not found');
  const nodedir = nodeDir();
  if (nodedir === undefined) without('no Node.js headers next to this node');
  const work = mkdtempSync(join(tmpdir(), 'payout-native-'));
  try {
    for (const f of SOURCES) copyFileSync(join(SRC, f), join(work, f));
    const run = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=silent'], {
      cwd: work,
      encoding: 'utf8',
      timeout: 180_000,
      // npm's own settings would point node-gyp elsewhere (a download, another node's headers).
      // The addon is C: linked by the C compiler (gyp's Makefile links with $(CXX), g++ by
      // default, which a machine with a C compiler alone does not have), unless LINK says otherwise.
      env: { ...process.env, npm_config_nodedir: nodedir, npm_config_offline: 'true', LINK: process.env.LINK ?? process.env.CC ?? 'cc' },
    });
    const built = join(work, 'build/Release', ADDON);
    if (run.error || run.status !== 0 || !existsSync(built)) {
      const why = run.error ? run.error.message : (run.stderr || run.stdout || '').split('\n').find((l) => /error/i.test(l)) ?? `node-gyp exited with ${run.status}`;
      without(why.trim().slice(0, 160));
    }
    // The addon must load and hash like node:crypto before it is used.
    const problem = addonProblem(built);
    if (problem) without(`the built addon was not kept: ${problem}`);
    mkdirSync(OUT, { recursive: true });
    // Its payment rows checked before it is put in place: a payout starting meanwhile finds the mark as it should be.
    notePayRows(built, OUT);
    // Under a temporary name, then renamed: a payout starting meanwhile loads the old file or the
    // new one, never a half-copied one (and a file a running payout has loaded is not rewritten).
    const partial = join(OUT, `.${ADDON}.${process.pid}.tmp`);
    try {
      copyFileSync(built, partial);
      renameSync(partial, join(OUT, ADDON));
    } finally {
      rmSync(partial, { force: true });
    }
    writeFileSync(join(OUT, 'sources.sha256'), sources);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
} catch (err) {
  const reason = err instanceof Without ? err.message : err instanceof Error ? err.message.split('\n')[0] : String(err);
  try {
    rmSync(join(OUT, ADDON), { force: true });
    rmSync(join(OUT, 'sources.sha256'), { force: true });
  } catch {
    // nothing there to remove
  }
  console.log(`payout: native SHA-256 not built (${reason}); using node:crypto`);
  process.exitCode = 0;
}
