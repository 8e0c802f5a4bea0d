/**
 * The distribution report of a bucket plan's folder (DIR/report.html): the fund to the net, the
 * net through the buckets in funding order to the residual, and a table per bucket of what was
 * claimed, its cap, its reduction and what it paid. Same page style as ./report-html.ts; same
 * inputs, same bytes.
 */
import { join } from 'node:path';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { UsageError } from '../core/errors.js';
import { schemaProblems } from '../core/problems.js';
import { countOf, countText } from '../core/display-numbers.js';
import { manifestSchema } from '../core/report-input.js';
import { fileRows, type Check, type FileRow, type Money } from '../core/report-model.js';
import { bucketSummarySchema, buildBucketReportModel, type BucketReportModel } from '../core/buckets/report.js';
import { readJsonFile } from './json-file.js';
import { waterfallSvg } from './report-charts.js';
import { filesSection, unpaidSection } from './report-sections.js';
import { tallyBucketLedger } from './bucket-ledger-tally.js';
import { checksBanner, checksSection, distributionFigures, pageHeader, REPORT_FILE, reportHead, writeReportFile } from './report-html.js';
import { assertFinishedRun } from './run-state.js';

const moneyCell = (m: Money, field: string): VNode => html`<td class="num" data-field=${field} data-cents=${m.cents.toString()}>${m.text}</td>`;

function bucketTable(model: BucketReportModel): VNode {
  return html`<table class="buckets">
    <thead>
      <tr>
        <th scope="col">Bucket, in funding order</th><th scope="col" class="num">Claims</th>
        <th scope="col" class="num">Entitlement claimed</th><th scope="col" class="num">Total cap</th>
        <th scope="col" class="num">Per-claim cap</th><th scope="col" class="num">Reduction</th><th scope="col" class="num">Paid</th>
      </tr>
    </thead>
    <tbody>
      ${model.buckets.map(
        (b) => html`<tr data-bucket=${b.id}>
          <th scope="row">${b.label}<span class="share">${b.id}, ${b.kind}${b.role ? `, ${b.role}` : ''}</span></th>
          <td class="num" data-field="claims">${countText(b.claims)}</td>
          <td class="num" data-field="claimed">${b.claimed}</td>
          <td class="num" data-field="cap">${b.cap}</td>
          <td class="num" data-field="perClaimCap">${b.perClaimCap}</td>
          <td class="num" data-field="reduction">${b.reduction}</td>
          ${moneyCell(b.paid, 'paid')}
        </tr>`,
      )}
    </tbody>
    <tfoot>
      <tr><td colspan="6">Paid to claimants</td>${moneyCell(model.figures.paid, 'paid')}</tr>
      <tr><td colspan="6">Residual${model.residualRecipient ? `, to ${model.residualRecipient}` : ''}</td>${moneyCell(model.figures.residual, 'residual')}</tr>
    </tfoot>
  </table>`;
}

/** The whole page, as an HTML document string. */
export function renderBucketReportHtml(model: BucketReportModel, files: FileRow[], tool: { name: string; version: string }): string {
  const f = model.figures;
  const paidClaims = model.outcomes[0]!.count;
  const allClaims = model.outcomes.at(-1)!.count;
  const page = html`<html lang="en">
    ${reportHead(model.caseName, tool)}
    <body>
      <main>
        ${pageHeader({
          kicker: 'Settlement distribution report',
          caseName: model.caseName,
          meta: html`
            <dt>Method</dt><dd>benefit buckets (${model.buckets.length}), funded in order; seed <span class="mono">${model.seed}</span>; ${model.currency}</dd>
            <dt>Tool</dt><dd>${tool.name} ${tool.version}</dd>`,
          figures: distributionFigures(f, model.deductions.length, `${countText(paidClaims)} of ${countOf(allClaims, 'claim')}`),
          banner: checksBanner(model.checks),
        })}

        <section id="waterfall">
          <h2>From the fund through the buckets</h2>
          <figure>
            ${waterfallSvg(model.waterfall)}
            <figcaption>Bar heights are proportional to the amounts. Deductions are taken in the order of the plan; the net fund then pays each bucket in funding order, and what the buckets leave is the residual.</figcaption>
          </figure>
        </section>

        <section id="buckets">
          <h2>By bucket</h2>
          ${bucketTable(model)}
          <p class="note">Entitlement claimed: what the claims in the bucket are owed under the plan, after per-claim caps (a points bucket: its points). Reduction: the part of it the bucket did not pay (negative when a residual bucket paid more).${model.minimumPayment ? ` Claims whose total would be below the ${model.minimumPayment.text} minimum are not counted.` : ''}</p>
        </section>

        <section id="deductions">
          <h2>Deductions</h2>
          <table class="deductions">
            <thead><tr><th scope="col">Step</th><th scope="col">How</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Left</th></tr></thead>
            <tbody>
              ${model.deductions.map(
                (d) => html`<tr data-deduction=${d.label}><th scope="row">${d.label}</th><td class="rule">${d.rule}</td>${moneyCell(d.amount, 'amount')}${moneyCell(d.remaining, 'left')}</tr>`,
              )}
            </tbody>
            <tfoot><tr><td colspan="2">Net settlement fund</td><td></td>${moneyCell(f.net, 'net')}</tr></tfoot>
          </table>
        </section>

        <section id="outcomes">
          <h2>Claims by outcome</h2>
          <table class="outcomes">
            <tbody>${model.outcomes.map((o) => html`<tr><th scope="row">${o.label}</th><td class="num">${countText(o.count)}</td></tr>`)}</tbody>
          </table>
          ${model.blankStatuses > 0
            ? html`<p class="note" data-warning="blank_status">${countOf(model.blankStatuses, 'claim')} had a blank status, read as approved (the plan's blankStatus); payout validate lists their lines.</p>`
            : null}
        </section>

        ${model.unpaid === null ? null : unpaidSection(model.unpaid)}

        ${filesSection(files, html`<p class="note">From manifest.json. To check one by hand: <span class="mono">sha256sum ledger.csv</span>. This report is derived from these files and is not in the manifest.</p>`)}

        ${checksSection(model.checks)}

        <footer>
          Generated by ${tool.name} ${tool.version} from summary.json, manifest.json and ledger.csv. Derived: <span class="mono">payout report DIR</span> rewrites it from the same files, byte for byte.
        </footer>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(page)}\n`;
}

async function readChecked<T>(dir: string, name: string, parse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: Parameters<typeof schemaProblems>[0] } }): Promise<T> {
  const file = join(dir, name);
  const kind = name === 'summary.json' ? 'summary' : 'manifest';
  const { value } = await readJsonFile(file, { kind, refused: `${file}: not valid JSON`, missing: () => new UsageError(`${dir} has no ${name}; payout report reads the folder that \`payout allocate --out DIR\` wrote`) });
  const r = parse(value);
  if (r.success) return r.data;
  throw new UsageError(`${file}: not the format payout allocate writes for a bucket plan (docs/outputs.md)`, schemaProblems(r.error.issues, file));
}

/**
 * Reads DIR/summary.json, manifest.json and ledger.csv of a bucket run and writes DIR/report.html
 * atomically. Returns its path with the cross-checks that failed: a report of files that disagree
 * is still written (its banner says which check failed), as for a classes plan (report-html.ts).
 */
export async function writeBucketReport(dir: string): Promise<{ path: string; failed: Check[] }> {
  await assertFinishedRun(dir);
  const summary = await readChecked(dir, 'summary.json', (v) => bucketSummarySchema.safeParse(v));
  const manifest = await readChecked(dir, 'manifest.json', (v) => manifestSchema.safeParse(v));
  await assertFinishedRun(dir, manifest.outputs.map((o) => o.file));
  let ledger;
  try {
    ledger = await tallyBucketLedger(join(dir, 'ledger.csv'), summary.buckets.map((b) => b.id));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`${join(dir, 'ledger.csv')}: not found; the report needs the ledger that payout allocate wrote beside summary.json`);
    }
    throw err;
  }
  const model = buildBucketReportModel(summary, { ledger, manifestRows: manifest.outputs.find((o) => o.file === 'ledger.csv')?.rows });
  const text = renderBucketReportHtml(model, fileRows(manifest), manifest.tool);
  return { path: await writeReportFile(dir, text), failed: model.checks.filter((c) => !c.ok) };
}
