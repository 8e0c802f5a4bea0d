/**
 * `payout report DIR`: the HTML distribution report of an allocation, written beside its outputs
 * as DIR/report.html. Reads summary.json, manifest.json and ledger.csv; report.html is derived
 * from them, so it is replaced without --force.
 */
import type { Command } from 'commander';
import { writeReport } from '../../io/report-html.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write DIR/report.html, the distribution report of an allocation (charts, classes, method, hashes)')
    .argument('<dir>', 'the --out folder of `payout allocate` (summary.json, manifest.json, ledger.csv)')
    .addHelpText(
      'after',
      '\nReplaces an existing DIR/report.html (it is derived from the other files; no --force needed).\n' +
        'The file is self-contained: open it in a browser or print it.',
    )
    .action(async (dir: string) => {
      const path = await writeReport(dir);
      process.stdout.write(`wrote ${path}\n`);
    });
}
