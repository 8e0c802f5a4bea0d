/**
 * `payout tax --year YEAR DIR [DIR2 …] --tins FILE --out FILE` (docs/tax.md): the 1099 list. The
 * use case is src/app/tax.ts; here the flags are read and the list shown, TINs masked to their
 * last 4 (only the --out file holds them in full).
 */
import { taxList } from '../../app/tax.js';
import { UsageError } from '../../core/errors.js';
import { formatMoney, formatMoneyHuman, grouped } from '../../core/money.js';
import { backupWithholding, maskTin, type TaxList, type Taxpayer } from '../../core/tax.js';
import { colorFor } from '../style.js';
import { claimCount, countOf } from '../../core/display-numbers.js';
import { wroteLine } from '../wrote.js';

export interface TaxCliOptions {
  year: string;
  tins: string;
  out: string;
  force?: boolean;
  json?: boolean;
  maxShown: string;
}

const who = (t: Taxpayer): string =>
  t.tinStatus === 'ok' ? `TIN ${maskTin(t.tin)}` : `claim ${JSON.stringify(t.claims[0]?.claimId ?? '')}, TIN ${t.tinStatus === 'missing' ? 'missing' : `malformed (${maskTin(t.tin)})`}`;

export function renderTax(list: TaxList, out: string, notes: readonly string[], max: number, c = colorFor(process.stdout)): string {
  const money = (x: bigint) => formatMoneyHuman(x);
  const reportable = list.taxpayers.filter((t) => t.reportable);
  const review = reportable.filter((t) => t.tinStatus !== 'ok');
  const total = reportable.reduce((a, t) => a + t.total, 0n);
  const lines = [c.bold(`payout tax ${list.year}: Form 1099-MISC threshold ${money(list.threshold)} per taxpayer`)];
  for (const r of list.rounds) lines.push(`  ${r.dir} (${r.command}): ${countOf(r.claims, 'claim')}, ${money(r.paid)} paid`);
  lines.push(`Taxpayers paid: ${grouped(list.taxpayers.length)}; at or above ${money(list.threshold)}: ${grouped(reportable.length)}, ${money(total)} in total`);
  for (const t of reportable.slice(0, max)) {
    lines.push(`  ${who(t)}: ${money(t.total)} (${claimCount(t.claims.length)})`);
  }
  if (reportable.length > max) lines.push(`  … and ${grouped(reportable.length - max)} more (--max-shown)`);
  if (review.length > 0) {
    lines.push(c.yellow(`Backup-withholding review (24%): ${grouped(review.length)} of them without a valid TIN`));
    for (const t of review.slice(0, max)) lines.push(`  ${who(t)}: ${money(t.total)}, 24% = ${money(backupWithholding(t.total))}`);
    if (review.length > max) lines.push(`  … and ${grouped(review.length - max)} more (--max-shown)`);
  }
  if (list.notInTinsFile > 0) lines.push(c.yellow(`${countOf(list.notInTinsFile, 'paid claim')} ${list.notInTinsFile === 1 ? 'is' : 'are'} not in the TINs file: counted as claims without a TIN`));
  for (const n of notes) lines.push(c.yellow(`note: ${n}`));
  lines.push(c.dim(wroteLine(`${out} (${countOf(reportable.length, 'taxpayer')}). It holds full TINs: keep it as you keep the payment files.`)));
  return `${lines.join('\n')}\n`;
}

/** The list as JSON, TINs masked. */
export function taxJson(list: TaxList, notes: readonly string[]): unknown {
  return {
    format: list.format,
    year: list.year,
    threshold: formatMoney(list.threshold),
    rounds: list.rounds.map((r) => ({ ...r, paid: formatMoney(r.paid) })),
    taxpayers: list.taxpayers.length,
    reportable: list.taxpayers
      .filter((t) => t.reportable)
      .map((t) => ({
        tin: t.tinStatus === 'missing' ? null : maskTin(t.tin),
        tinStatus: t.tinStatus,
        claims: t.claims.map((x) => x.claimId),
        total: formatMoney(t.total),
        backupWithholdingReview: t.tinStatus !== 'ok',
      })),
    notInTinsFile: list.notInTinsFile,
    notes,
  };
}

export async function runTax(dirs: string[], o: TaxCliOptions): Promise<void> {
  if (!/^\d{4}$/.test(o.year)) throw new UsageError(`--year ${o.year}: give the calendar year of the payments, e.g. --year 2026`);
  if (!/^\d+$/.test(o.maxShown)) throw new UsageError(`--max-shown ${o.maxShown}: give a whole number`);
  const { list, notes } = await taxList({ year: Number(o.year), dirs, tinsFile: o.tins, out: o.out, force: Boolean(o.force) });
  if (o.json) process.stdout.write(`${JSON.stringify(taxJson(list, notes), null, 2)}\n`);
  else process.stdout.write(renderTax(list, o.out, notes, Number(o.maxShown)));
}
