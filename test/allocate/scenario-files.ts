/**
 * The allocation scenarios of fixtures/<case>/: plan.json, claims.csv, optional args.json
 * (`{"keep": ["payment_method"]}`) and the golden expected/ledger.csv and expected/summary.json.
 * Each case's README.md holds the hand check of its numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocate, type Allocation } from '../../src/core/allocate.js';
import type { ClaimTable } from '../../src/core/claims.js';
import { ledgerChunks, ledgerHeader } from '../../src/core/ledger.js';
import type { Plan } from '../../src/core/plan.js';
import { summaryText } from '../../src/core/summary.js';
import { allocationSummary } from '../../src/io/receipts-root.js';
import { readClaims } from '../../src/io/claims-reader.js';
import { tieKeyer } from '../../src/io/hash.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT } from '../helpers/run-cli.js';

export const FIXTURES = join(ROOT, 'fixtures');

/** The scenarios the allocation must always have (more may be added). */
export const REQUIRED_SCENARIOS = [
  'tiktok',
  'spec-4b-per-point',
  'spec-4b-largest-remainder',
  'pools',
  'cap-binds',
  'minimum-removes',
  'fractional-units',
  'ineligible-statuses',
  'empty-class',
] as const;

export interface Scenario {
  name: string;
  dir: string;
  plan: string;
  claims: string;
  /** `--keep` columns from args.json (default none). */
  keep: string[];
  expectedLedger: string;
  expectedSummary: string;
}

/** The header of an allocation ledger (docs/spec.md §5), without --keep columns. */
const LEDGER_HEADER = 'claim_id,class,units,points,status,outcome,share,amount';

interface ArgsJson {
  /** The command the scenario is for; absent means allocate. */
  command?: string;
  keep?: string[];
}

/**
 * Every fixtures/<case>/ that is an allocation scenario, by name: it has plan.json and claims.csv,
 * its args.json (if any) names no other command, and its expected/ledger.csv (if already there) is an
 * allocation ledger. Scenarios of other commands (e.g. redistribute's, with an uncashed.csv) share
 * fixtures/ and are left to their own tests.
 */
export function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const entry of readdirSync(FIXTURES, { withFileTypes: true })) {
    const name = entry.name;
    const dir = join(FIXTURES, name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'plan.json')) || !existsSync(join(dir, 'claims.csv'))) continue;
    const argsFile = join(dir, 'args.json');
    const args = existsSync(argsFile) ? (JSON.parse(readFileSync(argsFile, 'utf8')) as ArgsJson) : {};
    if (args.command !== undefined && args.command !== 'allocate') continue;
    const expectedLedger = join(dir, 'expected/ledger.csv');
    if (existsSync(expectedLedger) && !readFileSync(expectedLedger, 'utf8').startsWith(LEDGER_HEADER)) continue;
    out.push({
      name,
      dir,
      plan: join(dir, 'plan.json'),
      claims: join(dir, 'claims.csv'),
      keep: args.keep ?? [],
      expectedLedger,
      expectedSummary: join(dir, 'expected/summary.json'),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The command-line arguments a scenario's args.json stands for. */
export function scenarioArgs(s: Scenario): string[] {
  return s.keep.length > 0 ? ['--keep', s.keep.join(',')] : [];
}

export interface InProcessRun {
  plan: Plan;
  table: ClaimTable;
  alloc: Allocation;
  ledger: string;
  summary: string;
}

/** What `payout allocate` computes and writes, without the binary: loadPlan, readClaims, allocate, the two texts. */
export async function allocateScenario(s: Scenario): Promise<InProcessRun> {
  const { plan } = await loadPlan(s.plan);
  const { table, problems, stats } = await readClaims(s.claims, plan, { keep: s.keep });
  if (stats.errors > 0) throw new Error(`${s.name}: claims errors\n${problems.map((p) => p.message).join('\n')}`);
  const alloc = allocate(plan, table, tieKeyer(plan.seed));
  const ledger = ledgerHeader(s.keep) + [...ledgerChunks(plan, table, alloc, s.keep)].join('');
  const findings = { lookAlikeClaimIds: stats.warningsByCode.lookalike_claim_id ?? 0, blankStatuses: stats.warningsByCode.blank_status ?? 0 };
  const summary = summaryText(await allocationSummary(plan, table, alloc, s.keep, findings));
  return { plan, table, alloc, ledger, summary };
}
