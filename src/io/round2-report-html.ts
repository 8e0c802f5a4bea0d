/**
 * The report of a second distribution (DIR2/report.html, from `payout redistribute`'s folder):
 * where the money came from, who shared it and by which rule, who got nothing and why, what was
 * paid (the histogram), the minimum's effect, the residual, the files and their hashes, and the cross-checks. Same head,
 * style sheet, charts and checks as the first-round report (./report-html.ts); same inputs, same
 * bytes.
 */
import { join } from 'node:path';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { UsageError } from '../core/errors.js';
import { schemaProblems } from '../core/problems.js';
import { manifestSchema } from '../core/report-input.js';
import type { Check, Money } from '../core/report-model.js';
import { round2SummarySchema } from '../core/round2-report-input.js';
import { buildRound2ReportModel, type Round2ClassRow, type Round2ReportModel } from '../core/round2-report-model.js';
import { readJsonFile } from './json-file.js';
import { waterfallSvg } from './report-charts.js';
import { amountsSection, filesSection, methodSection, unpaidSection } from './report-sections.js';
import { checksBanner, checksSection, figure, pageHeader, REPORT_FILE, reportHead, writeReportFile } from './report-html.js';
import { tallyRound2Ledger } from './round2-ledger-tally.js';
import { assertFinishedRun } from './run-state.js';

const moneyCell = (m: Money | null, field: string): VNode =>
  m === null
    ? html`<td class="num" data-field=${field}>—</td>`
    : html`<td class="num" data-field=${field} data-cents=${m.cents.toString()}>${m.text}</td>`;

function sourcesTable(model: Round2ReportModel): VNode {
  const rows = model.sources.filter((s) => s.sign !== '=');
  const total = model.sources.find((s) => s.sign === '=');
  return html`<table class="sources">
    <thead><tr><th scope="col">Source</th><th scope="col">How</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>
      ${rows.map(
        (s) => html`<tr data-source=${s.field}><th scope="row">${s.label}</th><td class="rule">${s.how}</td>
          <td class="num" data-field="amount" data-cents=${s.amount.cents.toString()}>${s.sign === '' ? '' : `${s.sign} `}${s.amount.text}</td></tr>`,
      )}
    </tbody>
    ${total
      ? html`<tfoot><tr data-source=${total.field}><td>${total.label}</td><td class="rule">${total.how}</td>${moneyCell(total.amount, 'amount')}</tr></tfoot>`
      : null}
  </table>`;
}

function classTable(model: Round2ReportModel): VNode {
  const showBelow = model.totals.belowMinimum !== '0';
  const showCapped = model.totals.capped !== '0';
  const row = (c: Round2ClassRow, total: boolean): VNode => html`<tr data-class=${total ? '' : c.id}>
    ${total ? html`<td>${c.id}</td>` : html`<th scope="row" data-field="class">${c.id}</th>`}
    <td class="num" data-field="claims">${c.claims}</td>
    <td class="num" data-field="cashed">${c.cashed}</td>
    ${showBelow ? html`<td class="num" data-field="belowMinimum">${c.belowMinimum}</td>` : null}
    ${showCapped ? html`<td class="num" data-field="capped">${c.capped}</td>` : null}
    <td class="num" data-field="paid">${c.paid}</td>
    <td class="num" data-field="points">${c.points}</td>
    ${moneyCell(c.amount, 'amount')}
    ${total ? html`<td></td><td></td>` : html`${moneyCell(c.smallest, 'smallest')}${moneyCell(c.largest, 'largest')}`}
  </tr>`;
  return html`<table class="classes">
    <thead>
      <tr>
        <th scope="col">Class</th><th scope="col" class="num">Claims</th><th scope="col" class="num">Cashed</th>
        ${showBelow ? html`<th scope="col" class="num">Below min.</th>` : null}
        ${showCapped ? html`<th scope="col" class="num">Capped</th>` : null}
        <th scope="col" class="num">Paid</th>
        <th scope="col" class="num">Points<span class="share">${model.byAmount ? 'first amount' : 'first share'}</span></th>
        <th scope="col" class="num">Amount paid</th><th scope="col" class="num">Smallest</th><th scope="col" class="num">Largest</th>
      </tr>
    </thead>
    <tbody>${model.classes.map((c) => row(c, false))}</tbody>
    <tfoot>${row(model.totals, true)}</tfoot>
  </table>`;
}

/** The whole page for a view model, as an HTML document string. */
export function renderRound2ReportHtml(model: Round2ReportModel): string {
  const f = model.figures;
  const h = model.histogram;
  const page = html`<html lang="en">
    ${reportHead(model.caseName, model.tool)}
    <body>
      <main>
        ${pageHeader({
          kicker: 'Second distribution report',
          caseName: model.caseName,
          meta: html`
            <dt>Plan</dt><dd><span>${model.planFile}</span>, SHA-256 <span class="mono" data-plan-sha256>${model.planSha256}</span></dd>
            <dt>First round</dt><dd data-first-round>${model.firstRound.paid} of ${model.firstRound.claims} paid ${model.firstRound.amount.text}; residual ${model.firstRound.residual.text}; seed <span class="mono">${model.firstSeed}</span></dd>
            <dt>Method</dt><dd>pro rata to the ${model.points}; seed <span class="mono">${model.seed}</span>; ${model.currency}</dd>
            <dt>Tool</dt><dd>${model.tool.name} ${model.tool.version}</dd>`,
          figures: html`
            ${figure('fund', 'Returned', f.returned, `residual + ${model.uncashedClaims} uncashed`)}
            ${figure('deduct', 'Costs', f.costs, 'of the second distribution')}
            ${figure('net', 'Available', f.available, 'for those who cashed')}
            ${figure('paid', 'Paid', f.paid, `${model.paidClaims} of ${model.totalClaims}`)}
            ${figure('residual', 'Residual', f.residual, 'not paid to claimants')}`,
          banner: checksBanner(model.checks),
        })}

        <section id="waterfall">
          <h2>Where the money came from</h2>
          <figure>
            ${waterfallSvg(model.waterfall)}
            <figcaption>Bar heights are proportional to the amounts. The first round's residual and the uncashed payments, less the costs, are available; it is split into what is paid to claimants and the residual.</figcaption>
          </figure>
          ${sourcesTable(model)}
        </section>

        <section id="shares">
          <h2>Who shared it</h2>
          ${model.sharedBy === null
            ? html`<p data-rule>No claim cashed its first payment: the available amount is not paid to claimants; it is the residual.</p>`
            : html`<p data-rule>
            ${model.sharedBy.subject} the available amount, pro rata to ${model.sharedBy.their} ${model.points}.${model.perShare === null ? '' : html` The second round paid <strong data-per-share>${model.perShare}</strong> (summary.json's perFirstRoundShare, 6 decimals; each amount is then rounded to the cent as the method says).`}
          </p>`}
          ${classTable(model)}
          ${model.minimum === null ? null : html`<p class="note" data-minimum>${model.minimum}</p>`}
          <table class="outcomes">
            <thead><tr><th scope="col">Claims by outcome (ledger.csv)</th><th scope="col" class="num">Claims</th></tr></thead>
            <tbody>${model.outcomes.map((o) => html`<tr data-outcome=${o.outcome} data-count=${String(o.count)}><th scope="row">${o.label}</th><td class="num">${o.countText}</td></tr>`)}</tbody>
            <tfoot><tr><td>All claims of the first round</td><td class="num">${model.ledgerRows}</td></tr></tfoot>
          </table>
        </section>

        ${unpaidSection(model.unpaid)}

        ${amountsSection(h, 'Amounts paid', 'second-round amount')}

        ${methodSection(model.method)}

        ${filesSection(model.files, html`<p class="note">From manifest.json: the plan, the first round's files, the uncashed list and this round's outputs. To check one by hand: <span class="mono">sha256sum ledger.csv</span>; <span class="mono">payout verify</span> recomputes the round. This report is derived from these files and is not in the manifest.</p>`)}

        ${checksSection(model.checks)}

        <footer>
          Generated by ${model.tool.name} ${model.tool.version} from summary.json, manifest.json and ledger.csv. Derived: <span class="mono">payout report DIR</span> rewrites it from the same files, byte for byte.
        </footer>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(page)}\n`;
}

async function readChecked<T>(
  dir: string,
  name: string,
  parse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: Parameters<typeof schemaProblems>[0] } },
): Promise<T> {
  const file = join(dir, name);
  const kind = name === 'summary.json' ? 'summary' : 'manifest';
  const { value } = await readJsonFile(file, {
    kind,
    refused: `${file}: not valid JSON`,
    missing: () => new UsageError(`${dir} has no ${name}; payout report reads the folder that \`payout redistribute --out DIR2\` wrote`),
  });
  const r = parse(value);
  if (r.success) return r.data;
  throw new UsageError(`${file}: not the format payout redistribute writes (docs/redistribute.md)`, schemaProblems(r.error.issues, file));
}

/**
 * Reads DIR/summary.json, manifest.json and ledger.csv of a second round and writes
 * DIR/report.html atomically. Returns its path with the cross-checks that failed: a report of
 * files that disagree is still written (its banner says which check failed), as for a first round.
 */
export async function writeRound2Report(dir: string): Promise<{ path: string; failed: Check[] }> {
  await assertFinishedRun(dir);
  const summary = await readChecked(dir, 'summary.json', (v) => round2SummarySchema.safeParse(v));
  const manifest = await readChecked(dir, 'manifest.json', (v) => manifestSchema.safeParse(v));
  await assertFinishedRun(dir, manifest.outputs.map((o) => o.file));
  let ledger;
  try {
    ledger = await tallyRound2Ledger(join(dir, 'ledger.csv'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`${join(dir, 'ledger.csv')}: not found; the report needs the ledger that payout redistribute wrote beside summary.json`);
    }
    throw err;
  }
  const model = buildRound2ReportModel(summary, manifest, ledger);
  return { path: await writeReportFile(dir, renderRound2ReportHtml(model)), failed: model.checks.filter((c) => !c.ok) };
}
