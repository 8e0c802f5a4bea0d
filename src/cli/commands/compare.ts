/**
 * `payout compare --plan A.json --plan B.json CLAIMS.csv`: who gains and who loses between two
 * plans (src/app/compare.ts), rendered for the terminal or as JSON.
 */
import type { ChalkInstance } from 'chalk';
import { comparePlans, type CompareResult } from '../../app/compare.js';
import { changeText, comparisonJson, type Comparison } from '../../core/compare.js';
import { UsageError } from '../../core/errors.js';
import { formatMoneyHuman, type Cents } from '../../core/money.js';
import { onTerminal } from '../claims-reading.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { wroteLine } from '../wrote.js';
import { planForm } from '../../io/bucket-plan-file.js';
import { countOf } from '../../core/display-numbers.js';

export interface CompareCliOptions extends ClaimsCliOptions {
  plan: string[];
  out?: string;
  html?: string;
  force?: boolean;
  top: string;
  json?: boolean;
}

/** Width of the longest histogram bar, in characters. */
const BAR = 40;
/** The most largest moves shown. */
const MAX_TOP = 1000;

export async function runCompare(claimsFile: string, o: CompareCliOptions): Promise<void> {
  if (o.plan.length !== 2) {
    throw new UsageError(`give exactly two plans, --plan A.json --plan B.json (got ${o.plan.length})`);
  }
  // The largest moves are kept in a sorted list: a few hundred, not a ledger (--out writes every claim).
  if (!/^\d+$/.test(o.top) || Number(o.top) > MAX_TOP) throw new UsageError(`--top ${o.top}: give a whole number up to ${MAX_TOP}, e.g. --top 20 (--out lists every claim)`);
  const [planA, planB] = o.plan as [string, string];
  // With a bucket plan among them, --map names its columns too: the readers check the fields.
  const forms = [await planForm(planA), await planForm(planB)];
  const settings = onTerminal(parseClaimsOptions(o, forms.includes('buckets') ? 'buckets' : 'classes'));
  const result = await comparePlans({
    planA,
    planB,
    claimsFile,
    claims: { ...settings, quiet: Boolean(o.json) },
    ...(o.out === undefined ? {} : { outFile: o.out }),
    ...(o.html === undefined ? {} : { htmlFile: o.html }),
    force: Boolean(o.force),
    top: Number(o.top),
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ planA: result.planA.file, planB: result.planB.file, ...(comparisonJson(result.comparison) as object) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${renderComparison(result, colorFor(process.stdout)).join('\n')}\n`);
}

export function renderComparison(r: CompareResult, c: ChalkInstance): string[] {
  const cmp = r.comparison;
  const money = (x: Cents): string => formatMoneyHuman(x);
  const signed = (x: Cents): string => (x > 0n ? c.green(changeText(x)) : x < 0n ? c.red(changeText(x)) : changeText(x));
  const pct = (n: number): string => (cmp.claims === 0 ? '' : ` (${((100 * n) / cmp.claims).toFixed(1)}%)`);
  const lines: string[] = [];
  lines.push(c.bold(`Plan A ${r.planA.file} → plan B ${r.planB.file}`), `${countOf(cmp.claims, 'claim')} in ${r.claimsFile}`, '');
  lines.push(
    `  gain under B  ${grouped(cmp.gain)}${pct(cmp.gain)}, ${signed(cmp.gained)} in all`,
    `  lose under B  ${grouped(cmp.lose)}${pct(cmp.lose)}, ${signed(cmp.lost)} in all`,
    `  unchanged     ${grouped(cmp.unchanged)}${pct(cmp.unchanged)}`,
    '',
  );
  // Two bucket plans: one row per bucket; a claim may be paid from several (docs/compare.md).
  const group = cmp.groupedBy === 'bucket' ? 'bucket' : 'class';
  if (cmp.groupsA !== undefined && cmp.groupsB !== undefined) lines.push(...renderOwnGroups(cmp.groupsA, cmp.groupsB, money));
  else {
    const totalA = cmp.classes.reduce((s, k) => s + k.amountA, 0n);
    const totalB = cmp.classes.reduce((s, k) => s + k.amountB, 0n);
    lines.push(
      ...renderTable(
        [group, 'claims', 'paid A', 'paid B', 'amount A', 'amount B', 'change'],
        [
          ...cmp.classes.map((k) => [k.id, grouped(k.claims), grouped(k.paidA), grouped(k.paidB), money(k.amountA), money(k.amountB), signed(k.change)]),
          ['all', grouped(cmp.claims), '', '', money(totalA), money(totalB), signed(totalB - totalA)],
        ],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
        '  ',
      ),
      '',
    );
  }
  lines.push(
    ...renderTable(
      ['', 'plan A', 'plan B', 'change'],
      [
        ['net fund', money(cmp.a.net), money(cmp.b.net), signed(cmp.b.net - cmp.a.net)],
        ['paid', money(cmp.a.paid), money(cmp.b.paid), signed(cmp.b.paid - cmp.a.paid)],
        ['residual', money(cmp.a.residual), money(cmp.b.residual), signed(cmp.b.residual - cmp.a.residual)],
      ],
      ['left', 'right', 'right', 'right'],
      '  ',
    ),
    '',
  );
  const h = cmp.histogram;
  if (h.total > 0) {
    lines.push(c.bold(`Change per claim (B − A)${h.kind === 'equal-width' && h.width !== undefined ? `, bars of ${money(h.width)}` : ''}`));
    const max = Math.max(1, ...h.buckets.map((b) => b.count));
    const labels = h.buckets.map((b) => (b.lo === b.hi ? changeText(b.lo) : `${changeText(b.lo)} to ${changeText(b.hi)}`));
    const wide = Math.max(...labels.map((l) => l.length));
    h.buckets.forEach((b, i) => {
      const len = b.count === 0 ? 0 : Math.max(1, Math.round((b.count / max) * BAR));
      lines.push(`  ${(labels[i] ?? '').padStart(wide)}  ${'█'.repeat(len)} ${grouped(b.count)}`);
    });
    lines.push('');
  }
  if (cmp.largestMoves.length > 0) {
    lines.push(c.bold(`Largest moves (top ${cmp.largestMoves.length})`));
    lines.push(
      ...renderTable(
        cmp.groupsA !== undefined && cmp.groupsB !== undefined
          ? ['claim_id', `${groupWord(cmp.groupsA.by)} A`, `${groupWord(cmp.groupsB.by)} B`, 'under A', 'under B', 'change']
          : ['claim_id', group === 'bucket' ? 'buckets' : 'class', 'under A', 'under B', 'change'],
        cmp.largestMoves.map((m) => [m.claimId, m.classId, ...(m.groupB === undefined ? [] : [m.groupB]), money(m.amountA), money(m.amountB), signed(m.change)]),
        [...(cmp.groupsA !== undefined ? ['left' as const] : []), 'left', 'left', 'right', 'right', 'right'],
        '  ',
      ),
    );
  }
  for (const f of r.written) lines.push(c.dim(wroteLine(f)));
  return lines;
}

const groupWord = (by: 'class' | 'bucket'): string => (by === 'class' ? 'class' : 'buckets');

/**
 * A bucket plan against a plan of classes: each plan's classes or buckets on their own, and a line
 * that says they are not compared (a class has no bucket to match it; docs/compare.md).
 */
function renderOwnGroups(a: NonNullable<Comparison['groupsA']>, b: NonNullable<Comparison['groupsA']>, money: (c: Cents) => string): string[] {
  const table = (g: typeof a, side: 'A' | 'B'): string[] =>
    renderTable(
      [`${g.by} (plan ${side})`, 'claims', 'paid', 'amount'],
      g.rows.map((r) => [r.id, grouped(r.claims), grouped(r.paid), money(r.amount)]),
      ['left', 'right', 'right', 'right'],
      '  ',
    );
  return [
    `  Plan A pays by ${a.by}, plan B by ${b.by}: the per-${a.by} and per-${b.by} figures are not comparable;`,
    '  each claim is compared on its total amount.',
    '',
    ...table(a, 'A'),
    '',
    ...table(b, 'B'),
    '',
  ];
}
