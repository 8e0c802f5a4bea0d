/**
 * `payout explain --plan PLAN CLAIMS.csv CLAIM_ID…`: "why did this claimant get this amount". Runs
 * the allocation as allocate does (nothing is written) and shows, for each claim asked, every step
 * from the gross fund to its cents: deductions, pool, exact share, cap, minimum, floor, remainder and
 * the tie-break. A claim id that is not in the claims file is a usage error (exit 2): nothing about
 * the data failed, the question named something that is not there.
 */
import type { Command } from 'commander';
import { allocate, type Allocation } from '../../core/allocate.js';
import type { ClaimTable } from '../../core/claims.js';
import { explainClaim } from '../../core/explain-claim.js';
import { claimReport, EXPLAIN_FORMAT, type ClaimReport } from '../../core/explain-report.js';
import type { Plan } from '../../core/plan.js';
import { tieKeyer } from '../../io/hash.js';
import { loadPlan } from '../../io/plan-file.js';
import { UsageError } from '../errors.js';
import { renderClaimText } from '../render-explain.js';
import { colorFor } from '../style.js';
import { grouped } from '../table.js';
import { addClaimsOptions, parseClaimsOptions, readValidClaims, type ClaimsCliOptions } from './validate.js';

interface ExplainCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
}

/** The rows of `ids` in the table (first occurrence; ids are unique after validation), or the unknown ones. */
export function findClaimRows(table: ClaimTable, ids: readonly string[]): { rows: number[] } | { unknown: string[] } {
  const wanted = new Map<string, number>(ids.map((id) => [id, -1]));
  for (let row = 0; row < table.count; row++) {
    const id = table.ids[row]!;
    if (wanted.get(id) === -1) wanted.set(id, row);
  }
  const unknown = [...wanted].filter(([, row]) => row < 0).map(([id]) => id);
  return unknown.length > 0 ? { unknown } : { rows: [...wanted.values()] };
}

/** The reports of `rows`, in the order asked. */
export function explainRows(plan: Plan, table: ClaimTable, alloc: Allocation, rows: readonly number[], tieKey: (id: string) => string): ClaimReport[] {
  return rows.map((row) => claimReport(plan, alloc, explainClaim(plan, table, alloc, row, tieKey)));
}

export async function runExplain(args: string[], o: ExplainCliOptions): Promise<void> {
  const [claimsFile, ...rawIds] = args;
  const ids = [...new Set(rawIds.map((id) => id.trim()))];
  if (claimsFile === undefined || ids.length === 0) {
    throw new UsageError('name the claims file and at least one claim id: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…');
  }
  const settings = parseClaimsOptions(o);
  const { plan } = await loadPlan(o.plan);
  const { table } = await readValidClaims(claimsFile, plan, settings);
  const found = findClaimRows(table, ids);
  if ('unknown' in found) {
    const list = found.unknown.map((id) => JSON.stringify(id)).join(', ');
    throw new UsageError(`${claimsFile}: no claim with claim_id ${list} (${found.unknown.length === 1 ? 'it is' : 'they are'} not in the file's ${grouped(table.count)} valid rows)`);
  }
  const tieKey = tieKeyer(plan.seed);
  const alloc = allocate(plan, table, tieKey);
  const reports = explainRows(plan, table, alloc, found.rows, tieKey);
  if (o.json) {
    const doc = { format: EXPLAIN_FORMAT, plan: o.plan, claimsFile, case: plan.name, seed: plan.seed, claims: reports };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  const blocks = reports.map((r) => renderClaimText(r, claimsFile, c).join('\n'));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
}

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .summary('show, step by step, why a claim gets its amount')
    .description(
      'Allocates as payout allocate does (nothing is written) and explains each claim named: its points, the net fund and ' +
        'each deduction, its pool, the exact share as a fraction of cents, the cap and the minimum rule, the floor, the ' +
        'remainder and the tie-break key with its rank, and the amount.\n\n' +
        'A claim id that is not in the claims file is an error (exit 2). Put -- before ids that start with "-".',
    )
    .usage('--plan PLAN CLAIMS.csv CLAIM_ID… [options]')
    .argument('<claims_and_ids...>', 'the claims file, then one or more claim ids')
    .requiredOption('--plan <plan.json>', 'the plan of allocation')
    .option('--json', 'print the explanations as one JSON document');
  addClaimsOptions(cmd).action(async (args: string[], o: ExplainCliOptions) => runExplain(args, o));
}
