/**
 * Reads the folder of a first round (`payout allocate … --out DIR`) for a second distribution:
 * DIR/manifest.json, then DIR/ledger.csv and DIR/summary.json checked against the manifest's
 * hashes (a ledger edited after the run must not be paid from), then the ledger's rows into a
 * FirstRoundTable and the summary's residual. The second round is pro rata to the first-round
 * exact share, so the ledger's `share` column is read too (docs/spec.md §5 and §6). A bucket plan's
 * ledger has no share column and no class: its points are the amounts paid, every row of the class
 * BUCKET_ROUND_CLASS (docs/spec.md §6a).
 */
import { join } from 'node:path';
import { parseMoney, formatMoneyHuman, type Cents } from '../core/money.js';
import type { Manifest } from '../core/manifest.js';
import type { Plan } from '../core/plan.js';
import type { Problem } from '../core/problems.js';
import { BUCKET_ROUND_CLASS, FIRST_ROUND_OUTCOMES, parseShare, type FirstRoundOutcome, type FirstRoundTable } from '../core/first-round.js';
import type { FirstRoundFacts } from '../core/redistribute-output.js';
import { DataError, UsageError } from '../core/errors.js';
import { assertFinishedRun } from './run-state.js';
import { readJsonFile } from './json-file.js';
import { hashFile } from './file-hash.js';
import { readLedgerFields, type LedgerRowHandler } from './ledger-reader.js';
import { sha256Hex } from './hash.js';
import { countOf } from '../core/display-numbers.js';

export interface FirstRoundFile {
  /** Path as given (DIR joined with the name). */
  path: string;
  sha256: string;
  rows?: number;
}

export interface FirstRound {
  dir: string;
  manifest: Manifest;
  table: FirstRoundTable;
  facts: FirstRoundFacts;
  files: { ledger: FirstRoundFile; summary: FirstRoundFile; manifest: FirstRoundFile };
}

const FIRST_LEDGER_COLUMNS = ['claim_id', 'class', 'outcome', 'share', 'amount'] as const;
/** What a bucket plan's ledger gives the second round (docs/spec.md §6a); its bucket columns are not read. */
const BUCKET_LEDGER_COLUMNS = ['claim_id', 'outcome', 'amount'] as const;

/** The plan form a first round was written from: `buckets` when its summary says `"mode": "buckets"`. */
export type FirstRoundForm = 'classes' | 'buckets';

const OUTCOMES_OF: Record<FirstRoundForm, readonly FirstRoundOutcome[]> = {
  classes: ['paid', 'capped', 'below_minimum', 'ineligible'],
  buckets: ['paid', 'below_minimum', 'nothing_claimed', 'ineligible'],
};

async function readJson(path: string, what: string, kind: 'manifest' | 'summary'): Promise<{ value: unknown; sha256: string }> {
  const { value, bytes } = await readJsonFile(path, { kind, refused: `${path}: not valid JSON`, missing: (f) => new UsageError(`${f}: not found (${what})`) });
  return { value, sha256: sha256Hex(bytes) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks DIR. A missing or unreadable file, or a folder that is not a first round, is a
 * UsageError (exit 2); files that do not match the manifest, or a ledger that does not add up to
 * its summary, are a DataError (exit 1).
 */
export async function readFirstRound(dir: string, plan: Pick<Plan, 'classes'>, form: FirstRoundForm = 'classes'): Promise<FirstRound> {
  const manifestPath = join(dir, 'manifest.json');
  await assertFinishedRun(dir);
  const { value: manifestValue, sha256: manifestSha } = await readJson(manifestPath, 'is it the --out folder of payout allocate?', 'manifest');
  if (!isObject(manifestValue) || !Array.isArray(manifestValue.outputs)) throw new UsageError(`${manifestPath}: not a payout manifest`);
  const manifest = manifestValue as unknown as Manifest;
  await assertFinishedRun(dir, (manifestValue.outputs as unknown[]).map((o) => String(isObject(o) ? o.file : '')));
  if (manifest.command === 'redistribute') {
    throw new UsageError(
      `${dir} is a second round's folder (payout redistribute): a second-round folder cannot be the --from of another round yet (a third round's cap and points would need both earlier rounds); give the first round's folder, the --out of payout allocate`,
    );
  }
  if (manifest.command !== 'allocate') {
    throw new UsageError(
      `${dir} holds the output of payout ${String(manifest.command)}, not of payout allocate: a second distribution starts from the first round's folder`,
    );
  }

  // The files must be the ones the manifest hashed: a ledger changed after the run is not paid from.
  const problems: Problem[] = [];
  const checked: Record<'ledger.csv' | 'summary.json', FirstRoundFile> = {} as Record<'ledger.csv' | 'summary.json', FirstRoundFile>;
  for (const name of ['ledger.csv', 'summary.json'] as const) {
    const path = join(dir, name);
    const recorded = manifest.outputs.find((o) => o.file === name);
    const actual = await hashFile(path);
    if (recorded === undefined) {
      problems.push({ code: 'input', severity: 'error', file: manifestPath, message: `the manifest does not list ${name}` });
    } else if (recorded.sha256 !== actual.sha256) {
      problems.push({
        code: 'input',
        severity: 'error',
        message: `${path} does not match its manifest: sha256 ${actual.sha256} now, ${recorded.sha256} in ${manifestPath} (was it edited or re-saved after the run? payout verify shows what changed)`,
      });
    }
    checked[name] = { path, sha256: actual.sha256, ...(recorded?.rows !== undefined ? { rows: recorded.rows } : {}) };
  }
  if (problems.length > 0) throw new DataError(`${dir}: the first round's files are not the ones its manifest records`, problems);

  const summaryPath = checked['summary.json'].path;
  const { value: summary } = await readJson(summaryPath, 'the first round summary', 'summary');
  // A bucket plan's summary has its totals at the top (totalPaid, residual), a classes plan's under totals.
  const totals = !isObject(summary)
    ? undefined
    : form === 'buckets'
      ? { residual: summary.residual, amount: summary.totalPaid }
      : isObject(summary.totals)
        ? summary.totals
        : undefined;
  const residual = typeof totals?.residual === 'string' ? parseMoney(totals.residual) : undefined;
  const summaryAmount = typeof totals?.amount === 'string' ? parseMoney(totals.amount) : undefined;
  const seed = isObject(summary) && typeof summary.seed === 'string' ? summary.seed : undefined;
  const amountKey = form === 'buckets' ? 'totalPaid' : 'totals.amount';
  if (residual === undefined || summaryAmount === undefined || seed === undefined) {
    throw new UsageError(`${summaryPath}: not a payout summary (${form === 'buckets' ? 'residual, totalPaid' : 'totals.residual, totals.amount'} and seed are needed)`);
  }

  const ledgerPath = checked['ledger.csv'].path;
  const table = await readFirstLedger(ledgerPath, plan, form);
  if (table.problems.length > 0) {
    throw new DataError(`${ledgerPath}: ${countOf(table.problems.length, 'row')} cannot be read`, table.problems.slice(0, 50));
  }
  if (table.total !== summaryAmount) {
    throw new DataError(
      `${ledgerPath}: the amounts add up to ${formatMoneyHuman(table.total)}, but ${summaryPath} says ${amountKey} is ${formatMoneyHuman(summaryAmount)}`,
    );
  }
  return {
    dir,
    manifest,
    table: table.table,
    facts: { seed, claims: table.table.count, paid: table.paid, amount: table.total, residual },
    files: {
      ledger: { ...checked['ledger.csv'], rows: table.table.count },
      summary: checked['summary.json'],
      manifest: { path: manifestPath, sha256: manifestSha },
    },
  };
}

/**
 * The ledger's rows, interned: classes (the plan's, in its order, then any other in code-unit
 * order), (amount, share) pairs and outcomes. A bucket ledger: one class, BUCKET_ROUND_CLASS, and
 * the share of a row is its amount (× 10^4, in millionths).
 */
async function readFirstLedger(
  file: string,
  plan: Pick<Plan, 'classes'>,
  form: FirstRoundForm,
): Promise<{ table: FirstRoundTable; total: Cents; paid: number; problems: Problem[] }> {
  let cap = 1 << 16;
  let lines = new Uint32Array(cap);
  let classIndex = new Uint32Array(cap);
  let valueIndex = new Uint32Array(cap);
  let outcomeIndex = new Uint8Array(cap);
  const ids: string[] = [];
  // Every class of the plan, in its order, also one without rows (as allocate's summary lists them).
  const buckets = form === 'buckets';
  const classes: string[] = buckets ? [BUCKET_ROUND_CLASS] : plan.classes.map((c) => c.id);
  const classOf = new Map<string, number>(classes.map((id, i) => [id, i]));
  // Distinct (amount, share) pairs, by their text and by their value.
  const valueOfText = new Map<string, number>();
  const valueOf = new Map<string, number>();
  const amounts: Cents[] = [];
  const shares: bigint[] = [];
  const allowed = OUTCOMES_OF[form];
  const outcomeOf = new Map<string, number>(allowed.map((o) => [o, FIRST_ROUND_OUTCOMES.indexOf(o)]));
  const problems: Problem[] = [];
  let total = 0n;
  let paid = 0;
  let n = 0;
  const grow = <T extends Uint32Array | Uint8Array>(a: T, make: (k: number) => T): T => {
    const b = make(cap);
    b.set(a);
    return b;
  };
  let col: Record<(typeof FIRST_LEDGER_COLUMNS)[number], number> | undefined;
  const start = (names: string[]): LedgerRowHandler => {
    const missing = (buckets ? BUCKET_LEDGER_COLUMNS : FIRST_LEDGER_COLUMNS).filter((c) => !names.includes(c));
    if (!buckets && missing.length === 1 && missing[0] === 'share') {
      throw new UsageError(
        `${file}:1: no share column (found: ${names.join(', ')}): the second round is pro rata to the first-round exact share (docs/spec.md §6), the share column payout allocate writes in its ledger`,
      );
    }
    if (missing.length > 0) {
      throw new UsageError(`${file}:1: not a payout ledger: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${names.join(', ')})`);
    }
    col = {
      claim_id: names.indexOf('claim_id'),
      class: names.indexOf('class'),
      outcome: names.indexOf('outcome'),
      share: names.indexOf('share'),
      amount: names.indexOf('amount'),
    };
    return onRow;
  };
  const onRow = (fields: string[], line: number): void => {
    if (col === undefined) return;
    // docs/spec.md §5: text cells carry a formula guard; readLedgerFields has removed it.
    const id = fields[col.claim_id] ?? '';
    const cls = buckets ? BUCKET_ROUND_CLASS : (fields[col.class] ?? '');
    const amountText = fields[col.amount] ?? '';
    const shareText = buckets ? '' : (fields[col.share] ?? '');
    const outcomeText = fields[col.outcome] ?? '';
    const outcome = outcomeOf.get(outcomeText);
    const pairText = `${amountText},${shareText}`;
    let ai = valueOfText.get(pairText);
    if (ai === undefined) {
      const cents = parseMoney(amountText);
      if (cents === undefined) {
        problems.push({ code: 'input', severity: 'error', file, line, field: 'amount', message: `${JSON.stringify(amountText)} is not an amount` });
        return;
      }
      // docs/spec.md §6a: a bucket ledger's points are its amounts, in millionths of the unit.
      const share = buckets ? cents * 10_000n : parseShare(shareText);
      if (share === undefined) {
        problems.push({
          code: 'input',
          severity: 'error',
          file,
          line,
          field: 'share',
          message: `${JSON.stringify(shareText)} is not a share (a number with at most 6 decimals, as payout allocate writes it)`,
        });
        return;
      }
      const key = `${cents},${share}`;
      ai = valueOf.get(key);
      if (ai === undefined) {
        ai = amounts.length;
        amounts.push(cents);
        shares.push(share);
        valueOf.set(key, ai);
      }
      valueOfText.set(pairText, ai);
    }
    if (outcome === undefined) {
      problems.push({
        code: 'input',
        severity: 'error',
        file,
        line,
        field: 'outcome',
        message: `${JSON.stringify(outcomeText)} is not a first-round outcome (${allowed.join(', ')})`,
      });
      return;
    }
    let ci = classOf.get(cls);
    if (ci === undefined) {
      ci = classes.length;
      classes.push(cls);
      classOf.set(cls, ci);
    }
    if (n === cap) {
      cap *= 2;
      lines = grow(lines, (k) => new Uint32Array(k));
      classIndex = grow(classIndex, (k) => new Uint32Array(k));
      valueIndex = grow(valueIndex, (k) => new Uint32Array(k));
      outcomeIndex = grow(outcomeIndex, (k) => new Uint8Array(k));
    }
    ids.push(id);
    lines[n] = line;
    classIndex[n] = ci;
    valueIndex[n] = ai;
    outcomeIndex[n] = outcome;
    total += amounts[ai]!;
    if (outcome === 0 || outcome === 1) paid++;
    n++;
  };
  await readLedgerFields(file, [], start);

  // Classes not in the plan (a ledger made with another plan) after the plan's, in code-unit order,
  // so that the order of the rows does not change the summary.
  const known = plan.classes.length;
  const order = classes.map((_, i) => i);
  const extra = order.slice(known).sort((a, b) => (classes[a]! < classes[b]! ? -1 : classes[a]! > classes[b]! ? 1 : 0));
  order.splice(known, extra.length, ...extra);
  const newIndex = new Uint32Array(classes.length);
  order.forEach((old, k) => (newIndex[old] = k));
  const ci = classIndex.subarray(0, n);
  for (let row = 0; row < n; row++) ci[row] = newIndex[ci[row]!]!;

  return {
    table: {
      count: n,
      ids,
      lines: lines.slice(0, n),
      classes: order.map((i) => classes[i]!),
      classIndex: ci.slice(),
      amounts,
      shares,
      valueIndex: valueIndex.slice(0, n),
      outcomeIndex: outcomeIndex.slice(0, n),
      ...(buckets ? { pointsBasis: 'amount' as const } : {}),
    },
    total,
    paid,
    problems,
  };
}
