/**
 * The command line: every command with its arguments and options, in the order `payout --help`
 * lists them. A command's code is loaded only when that command runs (its action imports it), so
 * `payout --help` or `payout validate` do not load the HTML report's renderer, the verifier or the
 * second round. Commands that read a large claims file start the reader's worker threads first
 * (io/early-workers.ts), so they boot while the command's modules load.
 */
import type { Command } from 'commander';
import { startReaderWorkers } from '../../io/early-workers.js';
import { startLedgerWorkerEarly } from '../../io/payments/ledger-early.js';
import { addClaimsOptions, collect } from './claims-options.js';
import type { ValidateCliOptions } from './validate.js';
import type { AllocateCliOptions } from './allocate.js';
import type { VerifyCliOptions } from './verify.js';
import type { ExplainCliOptions } from './explain.js';
import type { EstimateCliOptions } from './estimate.js';
import type { RedistributeCliOptions } from './redistribute.js';
import type { CheckReceiptCliOptions, ReceiptCliOptions } from './receipt.js';
import type { TaxCliOptions } from './tax.js';
import type { CompareCliOptions } from './compare.js';
import type { AccountingCliOptions } from './accounting.js';
import type { PayCliOptions } from './pay.js';
import type { ReconcileCliOptions } from './reconcile.js';
import { wroteLine } from '../wrote.js';

export function registerCommands(program: Command): void {
  registerValidate(program);
  registerAllocate(program);
  registerVerify(program);
  registerExplain(program);
  registerReport(program);
  registerEstimate(program);
  registerRedistribute(program);
  registerReceipt(program);
  registerCheckReceipt(program);
  registerTax(program);
  registerCompare(program);
  registerAccounting(program);
  registerPay(program);
  registerReconcile(program);
}

export function registerValidate(program: Command): void {
  const cmd = program
    .command('validate')
    .summary('check a claims file against the plan and report every problem, without allocating')
    .description(
      [
        'Reads the claims as allocate would and checks every row: columns, claim ids,',
        'classes, units, UTF-8 and CSV syntax. Every problem is reported with its line,',
        'all in one run. Prints rows, claims and eligible points per class, claims per',
        'status, then the errors and warnings.',
        'Exit 0: no errors (warnings allowed); 1: errors in the claims;',
        '2: a bad option, a missing file or a refused plan.',
      ].join('\n'),
    )
    .usage('--plan PLAN CLAIMS.csv [options]')
    .argument('<claims.csv>', 'the claims file (CSV, UTF-8)')
    .requiredOption('--plan <plan.json>', 'the plan file');
  addClaimsOptions(cmd)
    .option('--json', 'print the report as one JSON document')
    .option('--errors-out <file>', 'also write the rows with errors as CSV: line,claim_id,field,code,message')
    .action(async (claims: string, opts: ValidateCliOptions) => {
      startReaderWorkers(claims, false);
      const { runValidate } = await import('./validate.js');
      await runValidate(claims, opts);
    });
}


export function registerAllocate(program: Command): void {
  const cmd = program
    .command('allocate')
    .summary('compute every claimant\'s payment and write the ledger, summary and manifest')
    .description(
      'Computes the net fund from the plan\'s deductions, splits it pro rata (weights or pools, units, cap, minimum),\n' +
        'turns shares into exact cents (docs/spec.md §4) and writes DIR/ledger.csv, summary.json and manifest.json.\n' +
        'Invalid claims are reported as validate does, and nothing is written (exit 1).',
    )
    .usage('--plan PLAN CLAIMS.csv --out DIR [options]')
    .argument('<claims.csv>', 'the claims file')
    .requiredOption('--plan <plan.json>', 'the plan of allocation')
    .requiredOption('--out <dir>', 'the folder to write the ledger, summary and manifest into')
    .option('--force', 'replace the files of an earlier run in DIR')
    .option('--keep <columns>', 'carry these claims columns into the ledger, comma-separated (e.g. payment_method)')
    .option('--json', 'print summary.json instead of the readable summary')
    .option('--report', 'also write DIR/report.html (as payout report DIR does)')
    .option('-q, --quiet', 'print errors only (warnings counted in one line)');
  addClaimsOptions(cmd).action(async (claimsFile: string, o: AllocateCliOptions) => {
    startReaderWorkers(claimsFile, true);
    const { runAllocate } = await import('./allocate.js');
    await runAllocate(claimsFile, o);
  });
}

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .summary('recompute an output folder from its inputs and check every hash, row and total')
    .description(
      'Recomputes the ledger and summary from the plan and the claims, as allocate does, without writing anything, ' +
        'and checks DIR against them: the inputs against the manifest\'s hashes, every ledger row by claim_id, ' +
        'Σ amounts + residual = net, and summary.json field by field.\n\n' +
        'Exit 0: everything holds (a ledger whose bytes differ but whose every row matches, e.g. re-saved with CRLF or re-sorted, is a note). ' +
        'Exit 1: something differs. Exit 2: DIR or an input cannot be read.',
    )
    .usage('--plan PLAN CLAIMS.csv DIR [options]')
    .argument('<paths...>', 'the claims file, then DIR: the --out folder of payout allocate')
    .requiredOption('--plan <plan.json>', 'the plan of allocation')
    .option('--max-diffs <n>', 'show at most N differing cells, missing and extra rows, and summary fields', '20')
    .option('--json', 'print the report as one JSON document');
  addClaimsOptions(cmd).action(async (paths: string[], o: VerifyCliOptions) => {
    if (paths.length === 2) startReaderWorkers(paths[0] as string, true); // claims.csv DIR
    const { runVerify } = await import('./verify.js');
    await runVerify(paths, { ...o, delimiterGiven: cmd.getOptionValueSource('delimiter') !== 'default' });
  });
}

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .summary('show, step by step, why a claim gets its amount')
    .description(
      'Allocates as payout allocate does (nothing is written) and explains each claim named: its points, the net fund and ' +
        'each deduction, its pool, the exact share as a fraction of cents, the cap and the minimum rule, the floor, the ' +
        'remainder and the tie-break key with its rank, and the amount.\n\n' +
        'A second round (payout redistribute): give the inputs payout verify takes, the first round\'s folder, the ' +
        'uncashed list and the second round\'s folder, then the claim ids: payout explain --plan PLAN DIR UNCASHED.csv DIR2 ' +
        'CLAIM_ID…. It shows the first-round amount and share (the points), the available amount, the share, the cap ' +
        'over both rounds, the minimum, the cents and the tie-break key SHA-256(seed:round-2:claim_id), and checks the ' +
        'claim\'s row of DIR2/ledger.csv (a difference is exit 1).\n\n' +
        'A claim id that is not in the claims file (or the first-round ledger) is an error (exit 2). Put -- before ids ' +
        'that start with "-".',
    )
    .usage('--plan PLAN CLAIMS.csv CLAIM_ID… [--from DIR] [options]\n       payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID… [options]')
    .argument('<inputs_and_ids...>', 'the claims file, then one or more claim ids; or DIR UNCASHED.csv DIR2, then the claim ids')
    .requiredOption('--plan <plan.json>', 'the plan of allocation')
    .option('--from <dir>', 'the output folder of the run that read CLAIMS.csv: read it with the --delimiter and --map its manifest records')
    .option('--warnings', 'list every warning of the claims file (otherwise counted in one line)')
    .option('--json', 'print the explanations as one JSON document');
  addClaimsOptions(cmd).action(async (args: string[], o: ExplainCliOptions) => {
    const { runExplain } = await import('./explain.js');
    await runExplain(args, { ...o, delimiterGiven: cmd.getOptionValueSource('delimiter') !== 'default' });
  });
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write DIR/report.html, the distribution report of an allocation or a second distribution (charts, classes, method, hashes)')
    .argument('<dir>', 'the --out folder of `payout allocate` or `payout redistribute` (summary.json, manifest.json, ledger.csv)')
    .addHelpText(
      'after',
      '\nReplaces an existing DIR/report.html (it is derived from the other files; no --force needed).\n' +
        'The file is self-contained: open it in a browser or print it.',
    )
    .action(async (dir: string) => {
      const { writeReport } = await import('../../app/report.js');
      const path = await writeReport(dir);
      process.stdout.write(`${wroteLine(path)}\n`);
    });
}

export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .summary('estimate the per-claimant amounts before the claims deadline, for assumed claim rates')
    .description(
      'For each --rate, claimants per class = members × rate rounded half-up, each claiming 1 unit; prints the\n' +
        'exact share of each (after the plan\'s deductions, cap and minimum) rounded half-up to the cent (docs/spec.md §7).',
    )
    .usage('--plan PLAN (--members CLASS=N … --rate RATE … | --claimants CLASS=N …) [options]')
    .requiredOption('--plan <plan.json>', 'the plan of allocation')
    .option('--members <class=N>', 'class members, for every class (repeatable; write CLASS=0 for a class with none)', collect, [])
    .option('--rate <rate>', 'an assumed claim rate: a percent such as 1.5% or a fraction such as 0.015 (repeatable)', collect, [])
    .option('--claimants <class=N>', 'claimants per class, directly, for every class (repeatable; instead of --members and --rate)', collect, [])
    .option('--json', 'print the estimate as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  payout estimate --plan plan.json --members nationwide=87600000 --members illinois=1400000 \\\n' +
        '    --rate 100% --rate 1.5% --rate 20%',
    )
    .action(async (o: EstimateCliOptions) => {
      const { runEstimate } = await import('./estimate.js');
      await runEstimate(o);
    });
}

export function registerRedistribute(program: Command): void {
  program
    .command('redistribute')
    .summary('a second distribution: the uncashed payments, less costs, to those who cashed')
    .description(
      'Reads the first round (DIR/ledger.csv, summary.json, checked against DIR/manifest.json) and the list of ' +
        'uncashed claims; available = first-round residual + uncashed amounts − costs, divided pro rata to the ' +
        'first-round exact shares (the ledger\'s share column) among the claims that cashed (cap over both rounds ' +
        'on the amounts paid, minimum on the second amount, claims of equal share kept or removed together), ' +
        'cents by the plan\'s rounding with seed "<seed>:round-2" (docs/spec.md §6). After a bucket plan, pro rata ' +
        'to the first-round amounts, one pool, the minimum on the second amount (docs/spec.md §6a). Writes ' +
        'DIR2/ledger.csv, summary.json and manifest.json.',
    )
    .usage('--plan PLAN --from DIR --uncashed UNCASHED.csv --out DIR2 [options]')
    .requiredOption('--plan <plan.json>', 'the plan of allocation (the first round\'s)')
    .requiredOption('--from <dir>', 'the first round\'s folder (the --out of payout allocate)')
    .requiredOption('--uncashed <file.csv>', 'the uncashed checks and failed payments: a CSV with a claim_id column')
    .option('--costs <amount>', 'costs of the second distribution held back from it, e.g. 12329.50 (default 0)')
    .requiredOption('--out <dir2>', 'the folder to write the second round\'s ledger, summary and manifest into')
    .option('--force', 'replace the files of an earlier run in DIR2')
    .option('--json', 'print summary.json instead of the readable summary')
    .option('--report', 'also write DIR2/report.html (as payout report DIR2 does)')
    .option('-q, --quiet', 'print errors only (warnings counted in one line)')
    .option('--max-errors <n>', 'show at most N problems of the uncashed list', '50')
    .action(async (o: RedistributeCliOptions) => {
      const { runRedistribute } = await import('./redistribute.js');
      await runRedistribute(o);
    });
}

export function registerReceipt(program: Command): void {
  program
    .command('receipt')
    .summary('write a claimant\'s receipt: the claim\'s ledger row, its Merkle proof and the root')
    .description(
      'Reads DIR/ledger.csv back, hashes every row as a leaf of the receipts tree (docs/receipts.md) and checks that ' +
        'the root they give is the one summary.json and manifest.json record; then writes the receipt of CLAIM_ID: its row ' +
        'with the column names, the proof (each sibling hash and its side), the root, the encoding and the case. ' +
        'With the published root, payout check-receipt (or scripts/check-receipt.py) checks it with no other file.\n\n' +
        'Exit 1: the ledger does not give the recorded root (changed after the run). Exit 2: no such claim, DIR cannot be read, ' +
        'or --out exists (use --force). Put -- before a claim id that starts with "-".',
    )
    .argument('<dir>', 'the --out folder of payout allocate (a plan of classes or of buckets) or payout redistribute')
    .argument('<claim_id>', 'the claim whose receipt to write')
    .option('--out <file>', 'write the receipt to this file (JSON) instead of printing it')
    .option('--force', 'replace --out if it exists')
    .action(async (dir: string, claimId: string, o: ReceiptCliOptions) => {
      const { runReceipt } = await import('./receipt.js');
      await runReceipt(dir, claimId, o);
    });
}

export function registerCheckReceipt(program: Command): void {
  program
    .command('check-receipt')
    .summary('check a claimant\'s receipt against the published root, with no other file')
    .description(
      'Hashes the receipt\'s row as a leaf (docs/receipts.md), follows the proof to a root and compares it with the ' +
        'receipt\'s root and with --root, the root published with the accounting (summary.json or manifest.json, ' +
        'receipts.root).\n\nExit 0: the row is in the ledger with that root. Exit 1: a check failed (a cell, a proof ' +
        'step or the root is not what it was). Exit 2: the file is not a receipt, or --root is not a SHA-256.',
    )
    .usage('--root HEX RECEIPT [options]')
    .argument('<receipt>', 'the receipt file (JSON, from payout receipt)')
    .requiredOption('--root <hex>', 'the published receipts root (64 hex digits)')
    .option('--json', 'print the checks as one JSON document')
    .action(async (file: string, o: CheckReceiptCliOptions) => {
      const { runCheckReceipt } = await import('./receipt.js');
      await runCheckReceipt(file, o);
    });
}

export function registerTax(program: Command): void {
  program
    .command('tax')
    .summary('the 1099 list: each taxpayer\'s payments in a year, summed over rounds and claims, against the threshold')
    .description(
      'Sums the payments of the rounds given (the --out folders of allocate and redistribute paid in --year; each ledger ' +
        'checked against its manifest; a second round\'s uncashed rows take back their first-round payment) per taxpayer: ' +
        'claims with the same TIN (from --tins, a CSV with claim_id and tin columns, e.g. the claims file) are one ' +
        'taxpayer; a claim without a valid TIN is its own. Taxpayers at or above the year\'s Form 1099-MISC threshold ' +
        '(2025: $600, 2026: $2,000; another year is refused) are written to --out, with those without a valid TIN ' +
        'flagged for backup-withholding review (24%).\n\nThe --out file holds full TINs: it is as sensitive as a payment ' +
        'file. Everything printed masks TINs to their last 4.\n\nExit 1: a ledger does not match its manifest, or the ' +
        'TINs file gives a claim two TINs. Exit 2: a bad flag or year, a missing file, --out exists (use --force).',
    )
    .usage('DIR [DIR2 …] --year YEAR --tins TINS.csv --out FILE.csv [options]')
    .argument('<dirs...>', 'the folders of the rounds paid in the year (allocate, redistribute)')
    .requiredOption('--year <year>', 'the calendar year the payments were made in (2025, 2026)')
    .requiredOption('--tins <file.csv>', 'a CSV with claim_id and tin columns (the claims file will do)')
    .requiredOption('--out <file.csv>', 'the 1099 list to write (sensitive: full TINs)')
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print the list as JSON (TINs masked)')
    .option('--max-shown <n>', 'show at most N taxpayers in each list on the terminal', '20')
    .action(async (dirs: string[], o: TaxCliOptions) => {
      const { runTax } = await import('./tax.js');
      await runTax(dirs, o);
    });
}

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .summary('per-claim differences between two plans on the same claims: who gains, who loses')
    .description(
      'Reads the claims once and allocates them under each plan, as two runs of payout allocate would (nothing of ' +
        'the allocation is written). Prints how many claims gain, lose or are unchanged under plan B, the totals by ' +
        'class under each plan, a histogram of the changes and the largest moves. Both plans must name the same classes. ' +
        'Two bucket plans are compared bucket by bucket; a bucket plan and a plan of classes on each claim\'s total (the ' +
        'claims file then needs the columns of both; the per-class and per-bucket totals are listed, not compared).\n\n' +
        'Exit 0: compared; 1: errors in the claims; 2: a bad option, a missing file or a refused plan.',
    )
    .usage('--plan A.json --plan B.json CLAIMS.csv [options]')
    .argument('<claims.csv>', 'the claims file')
    .requiredOption('--plan <plan.json>', 'plan A, then plan B (give --plan twice)', collect, [])
    .option('--out <file.csv>', 'write the per-claim diff: claim_id,class,amount_a,amount_b,change')
    .option('--html <file.html>', 'write the comparison as a self-contained HTML page')
    .option('--force', 'replace an existing --out or --html file')
    .option('--top <n>', 'show the N largest moves', '10')
    .option('--json', 'print the comparison as one JSON document');
  addClaimsOptions(cmd).action(async (claimsFile: string, o: CompareCliOptions) => {
    startReaderWorkers(claimsFile, false);
    const { runCompare } = await import('./compare.js');
    await runCompare(claimsFile, o);
  });
}

export function registerAccounting(program: Command): void {
  program
    .command('accounting')
    .summary('the post-distribution accounting for the court: fund, deductions, claims, payments, uncashed, residual')
    .description(
      'Reads the first round\'s folder (payout allocate --out) and any second round\'s (payout redistribute --out), ' +
        'each checked against its manifest, and writes the post-distribution accounting as CSV (and HTML): the fund and ' +
        'each deduction with its percent of the fund; class size, notices, opt-outs and objections (from --facts, else ' +
        '"not given"); claims by outcome; average, median, smallest and largest payment per class and round; uncashed ' +
        'payments; the residual.\n\n' +
        'Exit 0: written; 1: the files do not match their manifests or each other; 2: a bad option or an unreadable input.',
    )
    .usage('DIR [DIR2 …] --out FILE [options]')
    .argument('<dirs...>', 'the first round\'s folder, then any later round\'s')
    .requiredOption('--out <file.csv>', 'write the accounting as CSV: round,section,item,class,count,amount,percent,percent_of,source')
    .option('--facts <facts.json>', 'case facts no payout file holds: classMembers, noticesSent, noticesReturned, noticeMethods, optOuts, objections, source')
    .option('--payments <paydir>', 'a pay folder (payout pay --out) of one of the rounds, for its payments by method (repeatable)', collect)
    .option('--html <file.html>', 'also write the accounting as a self-contained HTML page')
    .option('--force', 'replace an existing --out or --html file')
    .option('--json', 'print the accounting as one JSON document')
    .action(async (dirs: string[], o: AccountingCliOptions) => {
      const { runAccounting } = await import('./accounting.js');
      await runAccounting(dirs, o);
    });
}

export function registerPay(program: Command): void {
  const cmd = program
    .command('pay')
    .summary('write the payment files of a ledger: PayPal/Venmo, NACHA (ACH), check register, payments.csv')
    .description(
      'Reads the ledger of DIR (payout allocate, or payout redistribute for a second round), checked against its ' +
        'manifest, and each paid claim\'s payment election (the claims file\'s columns, or --elections joined on ' +
        'claim_id): paypal, venmo, ach or check. A claim whose election is missing or invalid is paid by check when it ' +
        'has a mailing address (a warning), and is an error otherwise. Writes paypal-NNN.csv (PayPal Payouts, at most ' +
        '5,000 rows each), ach-NNN.ach (NACHA PPD credits), checks-001.csv, payments.csv, addresses.csv and ' +
        'manifest.json with the control totals, only when they equal the ledger\'s paid count and total (docs/payments.md).\n' +
        'Exit 0: written (warnings allowed); 1: errors in the elections or the ledger; 2: a bad option, a missing file or a plan without a payments section.',
    )
    .usage('--plan PLAN --from DIR --out PAYDIR CLAIMS.csv [options]')
    .argument('<claims.csv>', 'the claims file the ledger was made from')
    .requiredOption('--plan <plan.json>', 'the plan, with its payments section')
    .requiredOption('--from <dir>', 'the folder of payout allocate or payout redistribute')
    .requiredOption('--out <paydir>', 'the folder to write the payment files into')
    .option('--elections <file.csv>', 'payment elections joined on claim_id (its columns take precedence over the claims file\'s)')
    .option('--issue-date <date>', 'the payments\' issue date, YYYY-MM-DD, instead of the plan\'s payments.issueDate (a second round)')
    .option('--check-start <number>', 'the first check number, instead of the plan\'s payments.check.startNumber (a second round)')
    .option('--force', 'replace the files of an earlier payment run in PAYDIR')
    .option('--json', 'print the control totals as JSON')
    .option('-q, --quiet', 'print errors only (warnings counted in one line)');
  // --map, --delimiter (default: the reading the ledger's manifest records) and --max-errors.
  addClaimsOptions(cmd).action(async (claimsFile: string, o: PayCliOptions) => {
    startLedgerWorkerEarly(o.from);
    const { runPay } = await import('./pay.js');
    await runPay(claimsFile, { ...o, delimiterGiven: cmd.getOptionValueSource('delimiter') !== 'default' });
  });
}

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .summary('match ACH returns, PayPal unclaimed items and check statuses to a payment run')
    .description(
      'Reads PAYDIR (the --out of payout pay, checked against its manifest) and each returns file: ACH returns ' +
        '(return_code), PayPal unclaimed or returned items (status, customer_reference) and check statuses ' +
        '(check_number, status: cashed, void, stale), each with the amount. Writes DIR/state.csv (every payment\'s ' +
        'state), reissue-checks.csv (failed ACH and PayPal payments as checks, where the claim has a mailing address), ' +
        'reissue-payments.csv, uncashed.csv (for payout redistribute --uncashed), summary.json and manifest.json ' +
        '(docs/payments.md).\nExit 0: written; 1: a return names an unknown payment, one already reported, or another ' +
        'amount; 2: a bad option or an unreadable file.',
    )
    .usage('--pay PAYDIR --returns FILE… --out DIR [options]')
    .requiredOption('--pay <paydir>', 'the folder of payout pay')
    .requiredOption('--returns <file...>', 'returns files: ACH returns, PayPal items, check statuses (CSV)')
    .requiredOption('--out <dir>', 'the folder to write the reconciliation into')
    .option('--issue-date <date>', 'the reissued checks\' issue date, YYYY-MM-DD (needed when there are reissues)')
    .option('--check-start <number>', 'the first reissued check\'s number (default: the next after the pay run\'s checks)')
    .option('--force', 'replace the files of an earlier reconciliation in DIR')
    .option('--json', 'print the states as JSON')
    .option('-q, --quiet', 'print errors only (warnings counted in one line)')
    .option('--max-errors <n>', 'show at most N problems', '50')
    .action(async (o: ReconcileCliOptions) => {
      const { runReconcile } = await import('./reconcile.js');
      await runReconcile(o);
    });
}
