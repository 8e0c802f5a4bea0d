/**
 * `payout accounting`: the post-distribution accounting of a distribution (core/accounting.ts)
 * from its folders (the first round's, then any second round's), the case facts and, when given,
 * the pay folders' payment methods. Writes the CSV, and the HTML page when asked, all or none.
 * A bucket plan's first round adds its buckets' claimed, funded and paid figures.
 */
import { buildAccounting, type Accounting, type BucketFunding, type PaymentMethodLine, type RoundInput } from '../core/accounting.js';
import type { Facts } from '../core/accounting-facts.js';
import { accountingCsv, accountingLines, type AccountingLine } from '../core/accounting-lines.js';
import { DataError, UsageError } from '../core/errors.js';
import { readRoundFolder, type RoundFolder } from '../io/accounting-inputs.js';
import { loadFacts } from '../io/facts-file.js';
import { writeOutputFiles, type OutputTarget } from '../io/output-files.js';
import { readPaymentMethods, type PaymentMethodsReader } from './accounting-payments.js';

export interface AccountingOptions {
  /** The first round's folder (payout allocate --out), then later rounds' (payout redistribute --out). */
  dirs: string[];
  factsFile?: string;
  /** Pay folders (payout pay --out), one per round paid. */
  paymentsDirs?: string[];
  /** The payment methods' reader (the payments module's; the default refuses a pay folder). */
  paymentsReader?: PaymentMethodsReader;
  /** The CSV; the HTML page. */
  outFile: string;
  htmlFile?: string;
  force?: boolean;
}

export interface AccountingResult {
  accounting: Accounting;
  lines: AccountingLine[];
  written: string[];
}

/** The rounds in order: the first an allocation, every later one a second round computed from its ledger. */
function orderRounds(folders: RoundFolder[]): RoundFolder[] {
  const [first, ...later] = folders;
  if (first === undefined) throw new UsageError('name the folder of the distribution: payout accounting DIR [DIR2 …] --out FILE');
  if (first.kind === 'redistribution') {
    throw new UsageError(`${first.dir}: a second round's folder; name the first round's folder (payout allocate --out) first`);
  }
  const seen = new Set<number>([1]);
  for (const f of later) {
    if (f.kind !== 'redistribution') throw new UsageError(`${f.dir}: a first round's folder; only the first folder may be one`);
    if (seen.has(f.summary.round)) throw new UsageError(`${f.dir}: a second folder for round ${f.summary.round}`);
    seen.add(f.summary.round);
    const from = f.manifest.inputs?.firstLedger?.sha256;
    if (f.summary.firstRound.seed !== first.summary.seed || from !== first.ledgerSha256) {
      throw new DataError(`${f.dir} was not computed from ${first.dir}: its manifest names another first-round ledger`);
    }
  }
  return [first, ...later.sort((a, b) => (a.kind === 'redistribution' && b.kind === 'redistribution' ? a.summary.round - b.summary.round : 0))];
}

function roundInput(f: RoundFolder): RoundInput {
  if (f.kind === 'buckets') {
    // One class (BUCKET_ROUND_CLASS): a bucket plan has none; its buckets are reported apart.
    const s = f.summary;
    return { round: 1, dir: f.dir, receiptsRoot: f.receiptsRoot, available: s.net, costs: null, paid: s.totalPaid, residual: s.residual, residualRecipient: s.residualRecipient ?? null, classes: f.classes };
  }
  const order = f.summary.classes.map((c) => c.id);
  const classes = [...f.classes].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  if (f.kind === 'allocation') {
    const s = f.summary;
    return { round: 1, dir: f.dir, receiptsRoot: f.receiptsRoot, available: s.net, costs: null, paid: s.totals.amount, residual: s.totals.residual, residualRecipient: s.residualRecipient ?? null, classes };
  }
  const s = f.summary;
  return {
    round: s.round,
    dir: f.dir,
    receiptsRoot: f.receiptsRoot,
    available: s.available.available,
    costs: s.available.costs,
    paid: s.totals.amount,
    residual: s.totals.residual,
    residualRecipient: s.residualRecipient ?? null,
    classes,
  };
}

export async function accountFor(o: AccountingOptions): Promise<AccountingResult> {
  if (o.htmlFile !== undefined && o.htmlFile === o.outFile) throw new UsageError(`--out and --html name the same file ${o.outFile}`);
  const facts: Facts | null = o.factsFile === undefined ? null : await loadFacts(o.factsFile);
  const folders: RoundFolder[] = [];
  for (const dir of o.dirs) folders.push(await readRoundFolder(dir));
  const rounds = orderRounds(folders);
  let paymentMethods: PaymentMethodLine[] | null = null;
  if (o.paymentsDirs !== undefined && o.paymentsDirs.length > 0) {
    const read = o.paymentsReader ?? readPaymentMethods;
    paymentMethods = [];
    for (const dir of o.paymentsDirs) {
      const paid = await read(dir);
      // A pay folder counts only for the round whose very ledger it paid.
      if (!rounds.some((r) => r.ledgerSha256 === paid.ledgerSha256)) {
        throw new DataError(`${dir} paid a ledger that is not one of ${o.dirs.join(', ')} (its manifest names another ledger's SHA-256)`);
      }
      paymentMethods.push(...paid.lines);
    }
  }
  const first = rounds[0]!;
  if (first.kind === 'redistribution') throw new Error('unreachable: orderRounds puts the allocation first');
  const s = first.summary;
  const buckets: BucketFunding[] | undefined =
    first.kind === 'buckets'
      ? first.summary.buckets.map((b, i) => ({
          id: b.id,
          label: b.label,
          claims: b.claims,
          payments: first.buckets[i]!.payments,
          claimed: b.claimed,
          funded: b.funded,
          totalCap: b.totalCap,
          paid: first.buckets[i]!.paid,
          reductionPercent: b.reductionPercent,
        }))
      : undefined;
  const accounting = buildAccounting({
    caseName: s.case,
    currency: s.currency,
    gross: s.fund.gross,
    interest: s.fund.interest,
    fund: s.fund.fund,
    deductions: s.deductions.map((d) => ({ label: d.label, rule: d.rule, amount: d.amount })),
    net: s.net,
    rounds: rounds.map(roundInput),
    facts,
    factsFile: o.factsFile ?? null,
    paymentMethods,
    ...(buckets === undefined ? {} : { buckets }),
  });
  const lines = accountingLines(accounting);
  const targets: OutputTarget[] = [{ path: o.outFile, write: (f) => f.write(accountingCsv(lines)) }];
  if (o.htmlFile !== undefined) {
    targets.push({
      path: o.htmlFile,
      write: async (f) => {
        const { renderAccountingHtml } = await import('../io/accounting-html.js');
        await f.write(renderAccountingHtml(accounting));
      },
    });
  }
  const written = await writeOutputFiles(targets, Boolean(o.force));
  return { accounting, lines, written };
}
