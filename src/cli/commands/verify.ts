/**
 * `payout verify --plan PLAN CLAIMS.csv DIR`: recomputes an output folder from its inputs and
 * checks it (src/app/verify.ts). Exit 0 when everything holds (notes allowed), 1 on any mismatch,
 * 2 when it cannot be checked.
 */
import { verifyDir } from '../../app/verify.js';
import { verified } from '../../core/verify.js';
import { DataError, UsageError } from '../../core/errors.js';
import { onTerminal } from '../claims-reading.js';
import { renderVerifyText, verifyFailureJson, verifyJson } from '../render-verify.js';
import type { Problem } from '../../core/problems.js';
import { colorFor } from '../style.js';
import { parseClaimsOptions, readingGiven, type ClaimsCliOptions } from './claims-options.js';
import { planForm } from '../../io/bucket-plan-file.js';
import { countOf } from '../../core/display-numbers.js';

export interface VerifyCliOptions extends ClaimsCliOptions {
  plan: string;
  maxDiffs: string;
  json?: boolean;
  /** --delimiter was given (not commander's default). */
  delimiterGiven?: boolean;
}

export async function runVerify(paths: string[], o: VerifyCliOptions): Promise<void> {
  if (paths.length < 2) throw new UsageError('give the inputs and the folder to check: payout verify --plan PLAN CLAIMS.csv DIR');
  const inputs = paths.slice(0, -1);
  const dir = paths[paths.length - 1]!;
  const terminal = onTerminal(parseClaimsOptions(o, await planForm(o.plan)), { json: o.json });
  if (!/^\d+$/.test(o.maxDiffs)) throw new UsageError(`--max-diffs ${o.maxDiffs}: give a whole number, e.g. --max-diffs 100`);
  // What the reading of the claims found, for --json's document when it cannot go on (listed on stderr too).
  let readingErrors: Problem[] = [];
  const claims: typeof terminal = {
    ...terminal,
    hooks: {
      ...terminal.hooks,
      problems: (result, maxErrors, quietWarnings) => {
        readingErrors = result.problems.filter((p) => p.severity === 'error').slice(0, maxErrors);
        terminal.hooks?.problems?.(result, maxErrors, quietWarnings);
      },
    },
  };
  const warnings: string[] = [];
  let result;
  try {
    result = await verifyDir(dir, o.plan, inputs, claims, Number(o.maxDiffs), {
      given: readingGiven(o),
      onWarning: (w) => {
        warnings.push(w);
        process.stderr.write(`payout verify: warning: ${w}\n`);
      },
    });
  } catch (err) {
    // Nothing could be compared (the claims cannot be read, the folder is not a run): --json still
    // prints its document, with the failure; the error goes on to stderr and the exit code as ever.
    if (o.json && (err instanceof UsageError || err instanceof DataError)) {
      const problems = err.problems.length > 0 ? err.problems : readingErrors;
      process.stdout.write(`${JSON.stringify(verifyFailureJson(dir, warnings, err, problems), null, 2)}\n`);
    }
    throw err;
  }
  if (o.json) process.stdout.write(`${JSON.stringify(verifyJson(result), null, 2)}\n`);
  else process.stdout.write(renderVerifyText(result, colorFor(process.stdout)));
  const failed = result.checks.filter((c) => c.status === 'fail').length;
  if (!verified(result.checks)) throw new DataError(`${dir}: ${countOf(failed, 'check')} failed`);
}

