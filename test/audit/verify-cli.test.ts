/**
 * `payout verify` end to end on the TikTok fixture, with the real binary: an untouched folder
 * passes (exit 0); each kind of tampering fails (exit 1) with a message that says exactly what
 * changed; a ledger re-saved with CRLF or re-sorted passes with a note (exit 0); a folder that
 * cannot be read is a usage error (exit 2).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { scenarioArgs, scenarios } from '../allocate/scenario-files.js';
import { formatMoneyHuman, parseMoney } from '../../src/core/money.js';

const tmp = tempDir();
const PLAN = tmp.path('plan.json');
const CLAIMS = tmp.path('claims.csv');
const BASE = tmp.path('base');

const read = (file: string): string => readFileSync(file, 'utf8');
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
let copies = 0;

/** A copy of the base run's folder, to tamper with. */
function copyRun(): string {
  const dir = tmp.path(`run-${++copies}`);
  cpSync(BASE, dir, { recursive: true });
  return dir;
}

function verify(dir: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['verify', '--plan', PLAN, CLAIMS, dir, ...extra]);
}

/** As verify, reading the ledger back row by row even when its bytes are the recomputed ones. */
function verifyRows(dir: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['verify', '--plan', PLAN, CLAIMS, dir, ...extra], { env: { PAYOUT_VERIFY: 'rows' } });
}

/** Rewrites the ledger's lines (header first, LF, final newline kept). */
function editLedger(dir: string, edit: (lines: string[]) => string[]): void {
  const file = join(dir, 'ledger.csv');
  const lines = read(file).split('\n');
  lines.pop(); // after the final newline
  writeFileSync(file, `${edit(lines).join('\n')}\n`);
}

/** "13420.51" + 1 cent → "13420.52". */
function plusCent(amount: string): string {
  const cents = BigInt(amount.replace('.', '')) + 1n;
  const s = cents.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

const checkLine = (r: CliResult, name: string): string | undefined => r.stdout.split('\n').find((l) => l.slice(2).startsWith(`${name}:`));

beforeAll(async () => {
  writeFileSync(PLAN, readFileSync(join(ROOT, 'fixtures/tiktok/plan.json')));
  writeFileSync(CLAIMS, readFileSync(join(ROOT, 'fixtures/tiktok/claims.csv')));
  const r = await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', BASE, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});

describe('payout verify: an untouched folder', () => {
  it('passes every check (exit 0)', async () => {
    const r = await verify(BASE);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['plan', 'claims', 'ledger.csv', 'ledger rows', 'totals', 'summary.json', 'summary.json fields']) {
      expect(checkLine(r, name), name).toMatch(/^✓ /);
    }
    expect(r.stdout).not.toMatch(/[✗!] /);
    expect(checkLine(r, 'ledger rows')).toBe('✓ ledger rows: all 3,000 rows of ledger.csv match the recomputed ledger, byte for byte');
    expect(checkLine(r, 'totals')).toBe('✓ totals: Σ ledger amounts $57,090,833.33 + residual $0.00 = $57,090,833.33 = net $57,090,833.33');
    expect(r.stdout).toMatch(/Verified: .* holds what these inputs give, to the cent\n$/);
  });

  it('gives the same verdict and totals when every row is read back (PAYOUT_VERIFY=rows)', async () => {
    const [bytes, rows] = await Promise.all([verify(BASE, '--json'), verifyRows(BASE, '--json')]);
    expect(rows.code, rows.stderr).toBe(0);
    const a = JSON.parse(bytes.stdout) as { checks: unknown[]; ledger: Record<string, unknown> };
    const b = JSON.parse(rows.stdout) as { checks: unknown[]; ledger: Record<string, unknown> };
    expect(a.ledger.comparedBy).toBe('bytes');
    expect(b.ledger.comparedBy).toBe('rows');
    expect({ ...b.ledger, comparedBy: 'bytes' }).toEqual(a.ledger);
    expect(JSON.stringify(b.checks)).toBe(JSON.stringify(a.checks).replace(', byte for byte', ''));
  });

  it('prints the report as JSON with --json', async () => {
    const r = await verify(BASE, '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { format: string; verified: boolean; checks: { status: string }[]; ledger: { foundRows: number; total: string } };
    expect(doc.format).toBe('payout-verify/1');
    expect(doc.verified).toBe(true);
    expect(doc.checks.every((c) => c.status === 'ok')).toBe(true);
    expect(doc.ledger).toMatchObject({ foundRows: 3000, total: '57090833.33' });
  });
});

describe('payout verify: tampering fails (exit 1) with a precise message', () => {
  it('one cent changed in the ledger', async () => {
    const dir = copyRun();
    let was = '';
    let now = '';
    editLedger(dir, (lines) => {
      const cells = lines[2]!.split(',');
      was = cells[7]!;
      now = plusCent(was);
      cells[7] = now;
      lines[2] = cells.join(',');
      return lines;
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'ledger.csv')).toBe("✗ ledger.csv: bytes differ from the manifest's hash");
    expect(checkLine(r, 'ledger rows')).toBe('✗ ledger rows: 1 cell differs in 1 row, 1 amount (3,000 rows found, 3,000 expected)');
    expect(r.stdout).toContain(`ledger.csv:3: claim "TT-0000002": amount: expected "${was}", found "${now}"`);
    expect(checkLine(r, 'totals')).toMatch(/^✗ totals: .*, but the net is \$57,090,833\.33: \$0\.01 over$/);
    expect(r.stdout).toContain('NOT VERIFIED: 3 of 7 checks failed');
    expect(r.stderr).toMatch(/payout: .*: 3 checks failed/);
  });

  it('a row deleted', async () => {
    const dir = copyRun();
    let amount = '';
    editLedger(dir, (lines) => {
      amount = lines[9]!.split(',')[7]!;
      return lines.filter((_, i) => i !== 9);
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'ledger rows')).toBe('✗ ledger rows: 1 row missing (2,999 rows found, 3,000 expected)');
    expect(r.stdout).toContain('missing from ledger.csv: "TT-0000009"');
    expect(checkLine(r, 'totals')).toContain(`but the net is $57,090,833.33: ${formatMoneyHuman(parseMoney(amount) as bigint)} short`);
  });

  it('a row added', async () => {
    const dir = copyRun();
    editLedger(dir, (lines) => [...lines, 'TT-9999999,nationwide,1,1,approved,paid,0.010000,0.01']);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'ledger rows')).toBe('✗ ledger rows: 1 row not in the inputs (3,001 rows found, 3,000 expected)');
    expect(r.stdout).toContain('ledger.csv:3002: claim "TT-9999999" is not in the claims file');
    expect(checkLine(r, 'totals')).toContain('0.01 over');
  });

  it('a row given twice', async () => {
    const dir = copyRun();
    editLedger(dir, (lines) => [...lines, lines[1]!]);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ledger.csv:3002: claim "TT-0000001" again (first on line 2)');
  });

  it('summary.json edited', async () => {
    const dir = copyRun();
    const file = join(dir, 'summary.json');
    writeFileSync(file, read(file).replace('"residual": "0.00",\n    "centsPlaced"', '"residual": "0.01",\n    "centsPlaced"'));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'summary.json')).toBe("✗ summary.json: bytes differ from the manifest's hash");
    expect(checkLine(r, 'summary.json fields')).toBe('✗ summary.json fields: 1 field of summary.json differs from the recomputed summary');
    expect(r.stdout).toContain('totals.residual: expected "0.00", found "0.01"');
    expect(checkLine(r, 'totals')).toContain('0.01 over');
    expect(checkLine(r, 'ledger rows')).toMatch(/^✓ /);
  });

  it('the plan edited after the run', async () => {
    const plan = tmp.path('plan-edited.json');
    const claims = CLAIMS;
    const out = tmp.path('plan-edited-run');
    writeFileSync(plan, read(PLAN));
    expect((await runCli(['allocate', '--plan', plan, claims, '--out', out, '--quiet'])).code).toBe(0);
    const before = sha256(plan);
    writeFileSync(plan, read(plan).replace('"42500.00"', '"42400.00"'));
    const r = await runCli(['verify', '--plan', plan, claims, out, '--max-diffs', '3']);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'plan')).toBe(`✗ plan: the plan was changed after the run: sha256 ${before} in the manifest, ${sha256(plan)} now (${plan})`);
    expect(checkLine(r, 'claims')).toMatch(/^✓ /);
    // $100 more for claimants: every paid claim's share and amount move
    expect(checkLine(r, 'ledger rows')).toMatch(/^✗ ledger rows: [\d,]+ cells differ in [\d,]+ rows, [\d,]+ amounts/);
    const details = r.stdout.split('\n').filter((l) => /^ {4}ledger\.csv:\d+: claim/.test(l));
    expect(details).toHaveLength(3);
    expect(r.stdout).toMatch(/… and [\d,]+ more cells \(--max-diffs 3\)/);
    expect(r.stdout).toContain('deductions[3].amount: expected "42400.00", found "42500.00"');
    expect(checkLine(r, 'summary.json fields')).toBe('✗ summary.json fields: 21 fields of summary.json differ from the recomputed summary');
  });

  it('the claims file edited after the run', async () => {
    const claims = tmp.path('claims-edited.csv');
    const out = tmp.path('claims-edited-run');
    writeFileSync(claims, read(CLAIMS));
    expect((await runCli(['allocate', '--plan', PLAN, claims, '--out', out, '--quiet'])).code).toBe(0);
    const before = sha256(claims);
    writeFileSync(claims, read(claims).replace('TT-0000001,nationwide,1,approved,', 'TT-0000001,nationwide,1,rejected,'));
    const r = await runCli(['verify', '--plan', PLAN, claims, out]);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'claims')).toBe(`✗ claims: the claims file was changed after the run: sha256 ${before} in the manifest, ${sha256(claims)} now (${claims})`);
    expect(r.stdout).toContain('ledger.csv:2: claim "TT-0000001": status: expected "rejected", found "approved"');
    expect(r.stdout).toContain('ledger.csv:2: claim "TT-0000001": outcome: expected "ineligible", found "paid"');
  });

  it('the seed edited in the manifest', async () => {
    const dir = copyRun();
    const file = join(dir, 'manifest.json');
    const m = JSON.parse(read(file)) as { seed: string };
    m.seed = 'other';
    writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'manifest')).toBe(`✗ manifest: records seed "other"; the plan's seed is "tiktok-mdl-2948"`);
  });

  it('a second amount column added, or a column without a name: not a ledger payout wrote (exit 2)', async () => {
    const twice = copyRun();
    editLedger(twice, (lines) => lines.map((l, i) => `${l},${i === 0 ? 'amount' : '0.00'}`));
    const r = await verify(twice);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(twice, 'ledger.csv')}:1: not a payout ledger: columns 8 and 9 are both named "amount"`);
    const unnamed = copyRun();
    editLedger(unnamed, (lines) => lines.map((l) => `${l},`));
    const u = await verify(unnamed);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain(`${join(unnamed, 'ledger.csv')}:1: not a payout ledger: column 9 of the header has no name`);
  });

  it('blank lines (or "") before the header are skipped, as everywhere in the ledger; a bad header is named by its line', async () => {
    const dir = copyRun();
    editLedger(dir, (lines) => ['', '""', ...lines]);
    const r = await verify(dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(checkLine(r, 'ledger rows')).toBe('✓ ledger rows: all 3,000 rows of ledger.csv match the recomputed ledger');
    const bad = copyRun();
    editLedger(bad, (lines) => ['', '', ...lines.map((l, i) => `${l},${i === 0 ? 'share' : '0'}`)]);
    const b = await verify(bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${join(bad, 'ledger.csv')}:3: not a payout ledger: columns 7 and 9 are both named "share"`);
  });

  it('the manifest edited to match nothing', async () => {
    const dir = copyRun();
    const file = join(dir, 'manifest.json');
    const m = JSON.parse(read(file)) as { outputs: { sha256: string }[] };
    m.outputs[0]!.sha256 = '0'.repeat(64);
    writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'ledger.csv')).toBe("✗ ledger.csv: the manifest's hash is not this file's, yet the file is exactly what the inputs give: was the manifest edited?");
  });
});

describe('payout verify: bytes differ, every amount matches (exit 0, with a note)', () => {
  it('rows sorted differently', async () => {
    const dir = copyRun();
    editLedger(dir, ([header, ...rows]) => [header!, ...rows.reverse()]);
    const r = await verify(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(checkLine(r, 'ledger.csv')).toBe("! ledger.csv: bytes differ from the manifest's hash, but every row matches: re-saved or re-sorted?");
    expect(r.stdout).toContain('    its rows are not in the order of the claims file');
    expect(checkLine(r, 'ledger rows')).toBe('✓ ledger rows: all 3,000 rows of ledger.csv match the recomputed ledger (in another order)');
    expect(r.stdout).toContain('(1 note: bytes differ, content matches)');
  });

  it('line ends changed to CRLF', async () => {
    const dir = copyRun();
    const file = join(dir, 'ledger.csv');
    writeFileSync(file, read(file).replace(/\n/g, '\r\n'));
    const r = await verify(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(checkLine(r, 'ledger.csv')).toMatch(/^! ledger\.csv: bytes differ from the manifest's hash, but every row matches/);
    expect(r.stdout).toContain('    its lines end in CRLF (payout writes LF)');
    expect(r.stdout).not.toContain('not in the order');
  });

  it('summary.json re-indented', async () => {
    const dir = copyRun();
    const file = join(dir, 'summary.json');
    writeFileSync(file, JSON.stringify(JSON.parse(read(file))));
    const r = await verify(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(checkLine(r, 'summary.json')).toBe("! summary.json: bytes differ from the manifest's hash, but every field matches: re-saved?");
  });
});

describe('payout verify: a summary.json without `unpaid`', () => {
  const dropUnpaid = (dir: string): void => {
    const file = join(dir, 'summary.json');
    const json = JSON.parse(read(file)) as Record<string, unknown>;
    delete json.unpaid;
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  };

  it('as an older payout wrote it (the manifest has its hash): passes, with a note (exit 0)', async () => {
    const dir = copyRun();
    dropUnpaid(dir);
    const manifestFile = join(dir, 'manifest.json');
    const manifest = JSON.parse(read(manifestFile)) as { outputs: { file: string; sha256: string; bytes: number }[] };
    const entry = manifest.outputs.find((o) => o.file === 'summary.json')!;
    entry.sha256 = sha256(join(dir, 'summary.json'));
    entry.bytes = readFileSync(join(dir, 'summary.json')).length;
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    const r = await verify(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(checkLine(r, 'summary.json')).toMatch(/^! summary.json: matches the manifest's hash, and every field matches, but these inputs give other bytes/);
    expect(checkLine(r, 'summary.json fields')).toMatch(/^✓ /);
  });

  it('removed after the run (the manifest does not have its hash): a difference (exit 1)', async () => {
    const dir = copyRun();
    dropUnpaid(dir);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(checkLine(r, 'summary.json fields')).toBe('✗ summary.json fields: 1 field of summary.json differs from the recomputed summary');
    expect(r.stdout).toMatch(/unpaid: expected \{.*\}, found \(absent\)/);
  });
});

describe('payout verify --json when nothing can be compared: the document says why, same exit code', () => {
  interface FailureDoc {
    format: string;
    dir: string;
    verified: boolean;
    checks: { name: string; status: string; message: string; details: string[] }[];
    warnings: string[];
    error: { exitCode: number; message: string; problems: { code: string; severity: string; file?: string; line?: number; field?: string; message: string }[] };
  }

  it('claims that cannot be read with the delimiter given (exit 1): the reading errors and the warning', async () => {
    const r = await verify(BASE, '--json', '--delimiter', ';');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as FailureDoc;
    expect(doc).toMatchObject({ format: 'payout-verify/1', dir: BASE, verified: false });
    expect(doc.warnings).toEqual(['--delimiter ";" differs from the manifest\'s delimiter ",": the claims are read with ";"']);
    expect(doc.error.exitCode).toBe(1);
    expect(doc.error.message).toBe(`${CLAIMS}: 3 errors in the claims (payout validate shows a full report)`);
    expect(doc.error.problems.map((p) => `${p.line}: ${p.field}: ${p.code}`)).toEqual(['1: claim_id: missing_column', '1: class: missing_column', `2: ${'claim_id,class,units,status,name,email,address,state,payment_method'}: csv_syntax`]);
    expect(doc.checks).toEqual([{ name: 'read', status: 'fail', message: doc.error.message, details: expect.any(Array) as unknown }]);
    expect(doc.checks[0]!.details[0]).toBe(`${CLAIMS}:1: claim_id: missing column "claim_id" (found: claim_id,class,units,status,name,email,address,state,payment_method); rename the column or add --map claim_id=<header>`);
    // stderr as without --json.
    expect(r.stderr).toContain(`payout: ${CLAIMS}: 3 errors in the claims`);
  });

  it('a claims file that is not there (exit 2)', async () => {
    const missing = tmp.path('no-such-claims.csv');
    const r = await runCli(['verify', '--plan', PLAN, missing, BASE, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as FailureDoc;
    expect(doc.verified).toBe(false);
    expect(doc.error).toEqual({ exitCode: 2, message: `${missing}: claims file not found`, problems: [] });
    expect(r.stderr).toContain(`${missing}: claims file not found`);
  });

  it('a folder that is not a run, and a plan that is refused (exit 2): the document all the same', async () => {
    const empty = tmp.path('not-a-run');
    cpSync(join(BASE, 'ledger.csv'), join(empty, 'ledger.csv'));
    const notRun = await runCli(['verify', '--plan', PLAN, CLAIMS, empty, '--json']);
    expect(notRun.code).toBe(2);
    const doc = JSON.parse(notRun.stdout) as FailureDoc;
    expect(doc).toMatchObject({ format: 'payout-verify/1', dir: empty, verified: false, error: { exitCode: 2 } });
    expect(doc.checks).toEqual([{ name: 'read', status: 'fail', message: doc.error.message, details: [] }]);
    expect(notRun.stderr).toContain(doc.error.message);
    const badPlan = tmp.write('refused-plan.json', '{ "name": "x" }');
    const refused = await runCli(['verify', '--plan', badPlan, CLAIMS, BASE, '--json']);
    expect(refused.code).toBe(2);
    const planDoc = JSON.parse(refused.stdout) as FailureDoc;
    expect(planDoc.error.exitCode).toBe(2);
    expect(planDoc.error.problems.length).toBeGreaterThan(0);
    expect(planDoc.checks[0]!.details).toEqual(planDoc.error.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`));
  });

  it('a bucket plan\'s claims with a bad row (exit 1): the row\'s problem', async () => {
    const plan = join(ROOT, 'fixtures/equifax-buckets/plan.json');
    const claims = join(ROOT, 'fixtures/equifax-buckets/claims.csv');
    const out = tmp.path('bucket-run');
    expect((await runCli(['allocate', '-q', '--plan', plan, claims, '--out', out])).code).toBe(0);
    const bad = tmp.write('bad-bucket-claims.csv', 'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,-5.00,,,\n');
    const r = await runCli(['verify', '--plan', plan, bad, out, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as FailureDoc;
    expect(doc.error.problems).toEqual([{ code: 'input', severity: 'error', file: bad, line: 2, field: 'documented_loss', message: 'negative amount "-5.00"' }]);
    expect(doc.checks[0]!.details).toEqual([`${bad}:2: documented_loss: negative amount "-5.00"`]);
  });
});

describe('payout verify: what cannot be checked (exit 2)', () => {
  it('a folder without a manifest', async () => {
    const r = await verify(tmp.path('nowhere'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no manifest.json: is it the --out folder of a payout run?');
  });

  it('a manifest of a command verify does not know', async () => {
    const dir = copyRun();
    const file = join(dir, 'manifest.json');
    writeFileSync(file, read(file).replace('"command": "allocate"', '"command": "divine"'));
    const r = await verify(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('made by "payout divine", which payout verify cannot recompute');
  });

  it('a missing ledger, a missing claims file, and no folder given', async () => {
    const dir = copyRun();
    writeFileSync(join(dir, 'ledger.csv'), '');
    expect((await verify(dir)).code).toBe(2);
    const r = await runCli(['verify', '--plan', PLAN, tmp.path('no-claims.csv'), BASE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-claims.csv: claims file not found');
    const u = await runCli(['verify', '--plan', PLAN, BASE]);
    expect(u.code).toBe(2);
    expect((await runCli(['verify', '--plan', PLAN, CLAIMS, BASE, '--max-diffs', 'many'])).code).toBe(2);
  });
});

describe('payout verify passes on every allocation scenario (pools, caps, minimum, per-point, --keep)', () => {
  it.each(scenarios().map((s) => [s.name, s] as const))('%s', async (name, s) => {
    const out = tmp.path(`scenario-${name}`);
    const a = await runCli(['allocate', '--plan', s.plan, s.claims, '--out', out, '--quiet', ...scenarioArgs(s)]);
    expect(a.code, a.stderr).toBe(0);
    const r = await runCli(['verify', '--plan', s.plan, s.claims, out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^[!✗] /m);
  });
});
