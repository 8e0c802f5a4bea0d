/**
 * The distribution report: one self-contained HTML file (inline CSS and SVG; no scripts, fonts or
 * anything fetched), for screens and for paper. Built with htm + preact and rendered to a string,
 * so every piece of text from the inputs (a case name, a deduction label, a class id) is escaped by
 * the renderer. The same inputs give the same bytes: no clock, no paths.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { UsageError } from '../core/errors.js';
import { buildReportModel, type Check, type ClassRow, type Money, type ReportModel } from '../core/report-model.js';
import { caseNameParts, countOf } from '../core/display-numbers.js';
import { tallyLedger } from './ledger-histogram.js';
import { readAllocation } from './report-inputs.js';
import { OutputSet } from './atomic-output.js';
import { waterfallSvg } from './report-charts.js';
import { amountsSection, filesSection, methodSection, unpaidSection } from './report-sections.js';

/** The report's file name inside the allocation's folder. */
export const REPORT_FILE = 'report.html';

/** The <head> of a page of payout: its title, the tool that wrote it, the style sheet (CSS, and the page's own rules after it). */
export function pageHead(title: string, generator: string, css = CSS): VNode {
  return html`<head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="generator" content=${generator} />
      <title>${title}</title>
      <style dangerouslySetInnerHTML=${{ __html: css }}></style>
    </head>` as VNode;
}

/** The <head> of a distribution report (classes or buckets, either round). */
export const reportHead = (caseName: string, tool: { name: string; version: string }): VNode => pageHead(`Distribution report: ${caseName}`, `${tool.name} ${tool.version}`);

/**
 * The top of every page of payout (the reports, compare, accounting): what kind of page, the
 * case, the files and settings it is made from (`<dt>`/`<dd>` pairs), the key figures, and a
 * banner when the page's checks do not agree.
 */
export function pageHeader(p: { kicker: string; caseName: string; meta: VNode | VNode[]; figures: VNode | VNode[]; figuresClass?: string; banner: VNode | null }): VNode {
  return html`<header>
          <p class="kicker">${p.kicker}</p>
          ${caseTitle(p.caseName)}
          <dl class="meta">${p.meta}</dl>
          <div class=${p.figuresClass ?? 'figures'}>${p.figures}</div>
          ${p.banner}
        </header>` as VNode;
}

/** The key figures of a first round's report (a plan of classes or of buckets): the fund, the deductions, the net fund, what was paid, the residual. */
export function distributionFigures(f: { fund: Money; deductions: Money; net: Money; paid: Money; residual: Money }, deductions: number, paid: string): VNode {
  return html`
            ${figure('fund', 'Fund', f.fund, 'gross plus interest')}
            ${figure('deduct', 'Deductions', f.deductions, countOf(deductions, 'item'))}
            ${figure('net', 'Net fund', f.net, 'for claimants')}
            ${figure('paid', 'Paid', f.paid, paid)}
            ${figure('residual', 'Residual', f.residual, 'not paid to claimants')}` as VNode;
}

/** A key figure of a report's header: an amount, its label and a line under it; the exact cents in data-cents. */
export function figure(cls: string, key: string, value: Money, sub: string): VNode {
  return html`<div class=${`figure ${cls}`} data-figure=${cls} data-cents=${value.cents.toString()}>
    <div class="k">${key}</div><div class="v">${value.text}</div><div class="s">${sub}</div>
  </div>` as VNode;
}

/**
 * A page's title line: the case name, each docket number in it (`MDL 2948`, `No. 1:20-cv-04699`)
 * in a span that never wraps, on screen or on paper.
 */
export function caseTitle(name: string): VNode {
  return html`<h1>${caseNameParts(name).map((p) => (p.docket ? html`<span class="docket">${p.text}</span>` : p.text))}</h1>` as VNode;
}

export const CSS = `
:root { --ink: #1d2733; --muted: #5b6877; --rule: #d5dbe3; --accent: #34568b; --ok: #1f6f50; --bad: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 28px 40px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600; color: var(--accent); margin: 0 0 4px; }
h1 { font-size: 24px; line-height: 1.25; margin: 0 0 8px; }
.docket { white-space: nowrap; }
h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); break-after: avoid; }
p { margin: 0 0 8px; }
.meta { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 12.5px; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; color: var(--ink); }
.mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 18px 0 0; }
.figure { border: 1px solid var(--rule); border-top: 3px solid var(--accent); border-radius: 4px; padding: 8px 10px; }
.figure.deduct { border-top-color: #b5523b; } .figure.paid { border-top-color: #2a7f62; } .figure.residual { border-top-color: #c98a1b; }
.figure .k { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.figure .v { font-size: 16.5px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.figure .s { font-size: 11.5px; color: var(--muted); }
section { margin-top: 26px; }
figure { margin: 0 0 10px; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
table { width: 100%; border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 7px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 1.5px solid var(--ink); }
.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: 650; border-top: 1.5px solid var(--ink); border-bottom: none; }
td.rule { color: var(--muted); font-size: 12px; }
th .share { display: block; font-weight: 400; font-size: 11px; color: var(--muted); }
td.verdict { white-space: nowrap; }
.ok { color: var(--ok); font-weight: 650; }
.bad { color: var(--bad); font-weight: 650; }
.warning { border: 1.5px solid var(--bad); border-radius: 4px; padding: 8px 12px; margin-top: 14px; color: var(--bad); }
ol.method { padding-left: 20px; margin: 0; }
ol.method li { margin-bottom: 6px; }
p.note { margin-top: 6px; font-size: 12px; color: var(--muted); }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 11.5px; color: var(--muted); }
thead th.num { white-space: normal; }
@media (max-width: 860px) {
  main { padding: 20px 14px 32px; }
  table { font-size: 11.5px; }
  th, td { padding: 4px 4px; }
  .figures { gap: 6px; }
  .figure { padding: 6px 8px; }
  .figure .v { font-size: 14px; }
}
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .figures { gap: 6px; }
  .figure { padding: 5px 7px; }
  .figure .v { font-size: 10.5pt; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 5px; }
  section, figure, tr, .figures { break-inside: avoid; }
}
`;

const moneyCell = (m: Money | null, field: string): VNode =>
  m === null
    ? html`<td class="num" data-field=${field}>—</td>`
    : html`<td class="num" data-field=${field} data-cents=${m.cents.toString()}>${m.text}</td>`;

function classTable(model: ReportModel): VNode {
  const showBelow = model.classes.some((c) => c.belowMinimum !== '0');
  const showCapped = model.classes.some((c) => c.capped !== '0');
  const row = (c: ClassRow): VNode => html`<tr data-class=${c.id}>
    <th scope="row" data-field="class">${c.id}<span class="share" data-field="share">${c.share}</span></th>
    <td class="num" data-field="claims">${c.claims}</td>
    <td class="num" data-field="eligible">${c.eligible}</td>
    ${showBelow ? html`<td class="num" data-field="belowMinimum">${c.belowMinimum}</td>` : null}
    <td class="num" data-field="paid">${c.paid}</td>
    ${showCapped ? html`<td class="num" data-field="capped">${c.capped}</td>` : null}
    <td class="num" data-field="points">${c.points}</td>
    ${moneyCell(c.amount, 'amount')}
    ${moneyCell(c.smallest, 'smallest')}
    ${moneyCell(c.largest, 'largest')}
    <td class="num" data-field="pointValue" data-all-capped=${c.allCapped ? '' : undefined}>${c.pointValue}</td>
  </tr>`;
  return html`<table class="classes">
    <thead>
      <tr>
        <th scope="col">Class</th><th scope="col" class="num">Claims</th>
        <th scope="col" class="num">Eligible</th>
        ${showBelow ? html`<th scope="col" class="num">Below min.</th>` : null}
        <th scope="col" class="num">Paid</th>
        ${showCapped ? html`<th scope="col" class="num">Capped</th>` : null}
        <th scope="col" class="num">Points</th><th scope="col" class="num">Amount paid</th>
        <th scope="col" class="num">Smallest</th><th scope="col" class="num">Largest</th>
        <th scope="col" class="num">Per point</th>
      </tr>
    </thead>
    <tbody>${model.classes.map(row)}</tbody>
    <tfoot>
      <tr data-class="">
        <td>All classes</td>
        <td class="num" data-field="claims">${model.totals.claims}</td>
        <td class="num" data-field="eligible">${model.totals.eligible}</td>
        ${showBelow ? html`<td></td>` : null}
        <td class="num" data-field="paid">${model.totals.paid}</td>
        ${showCapped ? html`<td></td>` : null}
        <td></td>
        ${moneyCell(model.totals.amount, 'amount')}
        <td></td><td></td><td></td>
      </tr>
    </tfoot>
  </table>`;
}

function deductionTable(model: ReportModel): VNode {
  return html`<table class="deductions">
    <thead><tr><th scope="col">Step</th><th scope="col">How</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Left</th></tr></thead>
    <tbody>
      <tr><th scope="row">Fund</th><td class="rule">gross plus interest</td>${moneyCell(model.figures.fund, 'amount')}${moneyCell(model.figures.fund, 'left')}</tr>
      ${model.deductions.map(
        (d) => html`<tr data-deduction=${d.label}>
          <th scope="row">${d.label}</th><td class="rule">${d.rule}</td>${moneyCell(d.amount, 'amount')}${moneyCell(d.remaining, 'left')}
        </tr>`,
      )}
    </tbody>
    <tfoot><tr><td colspan="2">Net settlement fund</td><td></td>${moneyCell(model.figures.net, 'net')}</tr></tfoot>
  </table>`;
}

/** The banner of a report whose files disagree, naming each failed check; null when they agree. */
export function checksBanner(checks: readonly Check[]): VNode | null {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return null;
  return html`<div class="warning" role="alert">
                Check failed: the files do not agree. ${failed.map((c) => `${c.failure} (${c.detail})`).join('; ')}. See “Checks” below; the ledger or summary may have been edited.
              </div>`;
}

/** The "Checks" section: each cross-check between the folder's files, agreeing or not. */
export function checksSection(checks: readonly Check[]): VNode {
  return html`<section id="checks">
          <h2>Checks</h2>
          <table class="checks">
            <tbody>
              ${checks.map(
                (c) => html`<tr data-check=${c.ok ? 'ok' : 'failed'}>
                  <td class=${`verdict ${c.ok ? 'ok' : 'bad'}`}>${c.ok ? '✓ agrees' : '✗ differs'}</td><th scope="row">${c.label}</th><td class="num">${c.detail}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </section>`;
}

/** Writes report.html into `dir` through one temporary file renamed into place (never a partial page); its path. */
export async function writeReportFile(dir: string, text: string): Promise<string> {
  const out = await OutputSet.open(dir, [REPORT_FILE], true);
  try {
    const file = out.create(REPORT_FILE);
    await file.write(text);
    await file.close();
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
  return join(dir, REPORT_FILE);
}

/** The whole page for a view model, as an HTML document string. */
export function renderReportHtml(model: ReportModel): string {
  const f = model.figures;
  const h = model.histogram;
  const page = html`<html lang="en">
    ${reportHead(model.caseName, model.tool)}
    <body>
      <main>
        ${pageHeader({
          kicker: 'Settlement distribution report',
          caseName: model.caseName,
          meta: html`
            <dt>Plan</dt><dd><span>${model.planFile}</span>, SHA-256 <span class="mono" data-plan-sha256>${model.planSha256}</span></dd>
            <dt>Method</dt><dd>${model.mode === 'weights' ? 'weights (one pool)' : 'pools (one per class)'}; seed <span class="mono">${model.seed}</span>; ${model.currency}</dd>
            <dt>Tool</dt><dd>${model.tool.name} ${model.tool.version}</dd>`,
          figures: distributionFigures(f, model.deductions.length, `${model.paidClaims} of ${model.totalClaims}`),
          banner: checksBanner(model.checks),
        })}

        <section id="waterfall">
          <h2>From the fund to the claimants</h2>
          <figure>
            ${waterfallSvg(model.waterfall)}
            <figcaption>Bar heights are proportional to the amounts. Deductions are taken in the order of the plan; the net fund is split into what is paid to claimants and the residual.</figcaption>
          </figure>
          ${deductionTable(model)}
        </section>

        <section id="classes">
          <h2>By class</h2>
          ${classTable(model)}
        </section>

        ${model.unpaid === null ? null : unpaidSection(model.unpaid)}

        ${amountsSection(h, 'Payment amounts', 'amount')}

        ${methodSection(model.method)}

        ${filesSection(model.files, html`<p class="note">From manifest.json. To check one by hand: <span class="mono">sha256sum ledger.csv</span>. This report is derived from these files and is not in the manifest.</p>`)}

        ${checksSection(model.checks)}

        <footer>
          Generated by ${model.tool.name} ${model.tool.version} from summary.json, manifest.json and ledger.csv. Derived: <span class="mono">payout report DIR</span> rewrites it from the same files, byte for byte.
        </footer>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(page)}\n`;
}

/**
 * Reads DIR/summary.json, DIR/manifest.json and DIR/ledger.csv and writes DIR/report.html
 * (through a temporary file and a rename, atomic-output.ts, so a reader never sees half a report). Replaces an
 * existing report.html: it is derived from the other files. Returns the report's path.
 */
export async function writeReport(dir: string): Promise<string> {
  return (await writeCheckedReport(dir)).path;
}

/**
 * Writes DIR/report.html and returns its path with the cross-checks that failed: a report of files
 * that disagree is still written (its banner says which check failed), and the caller decides
 * what that means for the exit code.
 */
export async function writeCheckedReport(dir: string): Promise<{ path: string; failed: Check[] }> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`${dir}: not a folder`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${dir}: no such folder`);
    throw err;
  }
  const { summary, manifest } = await readAllocation(dir);
  let tally;
  try {
    tally = await tallyLedger(join(dir, 'ledger.csv'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`${join(dir, 'ledger.csv')}: not found; the report needs the ledger that payout allocate wrote beside summary.json`);
    }
    throw err;
  }
  const model = buildReportModel(summary, manifest, tally);
  const text = renderReportHtml(model);
  return { path: await writeReportFile(dir, text), failed: model.checks.filter((c) => !c.ok) };
}
