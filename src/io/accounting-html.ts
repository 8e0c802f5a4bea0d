/**
 * The page of `payout accounting --html FILE`: the post-distribution accounting as tables for the
 * court, self-contained (inline CSS, nothing fetched, no script), in the distribution report's
 * style. Every figure carries its exact value as a data attribute (data-cents, data-count) so a
 * test or an auditor's script can read it back; a figure not given says so.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { Accounting, AccountingRound, PaymentStats } from '../core/accounting.js';
import { formatMoneyHuman, grouped, type Cents } from '../core/money.js';
import { currencySymbol, humanizeAmounts } from '../core/display-numbers.js';
import { VERSION } from '../core/version.js';
import { CSS, pageHead, pageHeader } from './report-html.js';

const EXTRA_CSS = `
.not-given { color: var(--muted); font-style: italic; }
table + table, table + p { margin-top: 14px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
`;

const NOT_GIVEN = html`<span class="not-given">not given</span>`;

export function renderAccountingHtml(a: Accounting): string {
  const symbol = currencySymbol(a.currency);
  const money = (c: Cents): string => formatMoneyHuman(c, symbol);
  const amountCell = (c: Cents | null, field = 'amount'): VNode =>
    c === null ? html`<td class="num" data-field=${field}>${NOT_GIVEN}</td>` : html`<td class="num" data-field=${field} data-cents=${c.toString()}>${money(c)}</td>`;
  const countCell = (n: number | null, field = 'count'): VNode =>
    n === null ? html`<td class="num" data-field=${field}>${NOT_GIVEN}</td>` : html`<td class="num" data-field=${field} data-count=${n}>${grouped(n)}</td>`;
  const pctCell = (p: string | null): VNode => html`<td class="num" data-field="percent">${p === null ? '—' : `${p}%`}</td>`;
  const figure = (key: string, label: string, value: Cents, sub: string): VNode => html`<div class="figure" data-figure=${key} data-cents=${value.toString()}>
    <div class="k">${label}</div><div class="v">${money(value)}</div><div class="s">${sub}</div>
  </div>`;

  const statsRow = (s: PaymentStats): VNode => html`<tr data-class=${s.id ?? ''}>
    ${s.id === null ? html`<td>All classes</td>` : html`<th scope="row">${s.id}</th>`}
    ${countCell(s.claims, 'claims')}${countCell(s.payments, 'payments')}${amountCell(s.total, 'total')}
    ${amountCell(s.average, 'average')}${amountCell(s.median, 'median')}${amountCell(s.smallest, 'smallest')}${amountCell(s.largest, 'largest')}
  </tr>`;

  const roundSection = (r: AccountingRound): VNode => html`<section id=${`round-${r.round}`} data-round=${r.round}>
    <h2>${r.round === 1 ? 'Round 1: the distribution' : `Round ${r.round}: redistribution of uncashed payments`}</h2>
    <table class="round-figures">
      <tbody>
        <tr data-item="available"><th scope="row">${r.round === 1 ? 'Net settlement fund' : 'Available (first-round residual and uncashed payments, less costs)'}</th>${amountCell(r.available)}</tr>
        ${r.costs === null ? null : html`<tr data-item="costs"><th scope="row">Costs of the round</th>${amountCell(r.costs)}</tr>`}
        <tr data-item="paid"><th scope="row">Paid</th>${amountCell(r.paid)}</tr>
        <tr data-item="residual"><th scope="row">Residual</th>${amountCell(r.residual)}</tr>
        <tr data-item="receipts-root"><th scope="row">Receipts root (SHA-256 Merkle root of the ledger; payout check-receipt)</th>${r.receiptsRoot === null ? html`<td class="num">${NOT_GIVEN}</td>` : html`<td class="mono num" data-root=${r.receiptsRoot}>${r.receiptsRoot}</td>`}</tr>
      </tbody>
    </table>
    <h3>Claims by outcome</h3>
    <table class="outcomes">
      <thead><tr><th scope="col">Outcome</th><th scope="col" class="num">Claims</th><th scope="col" class="num">% of claims</th></tr></thead>
      <tbody>${r.outcomes.map((o) => html`<tr data-outcome=${o.outcome}><th scope="row">${o.outcome}</th>${countCell(o.count)}${pctCell(o.percent)}</tr>`)}</tbody>
      <tfoot><tr><td>All claims</td>${countCell(r.claims)}<td class="num">100.00%</td></tr></tfoot>
    </table>
    <h3>Payments by class</h3>
    <table class="payments">
      <thead><tr>
        <th scope="col">Class</th><th scope="col" class="num">Claims</th><th scope="col" class="num">Payments</th><th scope="col" class="num">Total</th>
        <th scope="col" class="num">Average</th><th scope="col" class="num">Median</th><th scope="col" class="num">Smallest</th><th scope="col" class="num">Largest</th>
      </tr></thead>
      <tbody>${r.classes.filter((s) => s.id !== null).map(statsRow)}</tbody>
      <tfoot>${r.classes.filter((s) => s.id === null).map(statsRow)}</tfoot>
    </table>
    <h3>Uncashed payments</h3>
    ${r.uncashed === null
      ? html`<p data-item="uncashed">Uncashed payments of this round: ${NOT_GIVEN} (known once a later round is run from them).</p>`
      : html`<table class="uncashed"><tbody>
          <tr data-item="uncashed">
            <th scope="row">Uncashed or failed payments, returned to the next round</th>${countCell(r.uncashed.count)}${amountCell(r.uncashed.amount)}
            <td class="num" data-field="percent">${r.uncashed.percentOfAmount === null ? '—' : `${r.uncashed.percentOfAmount}% of the amount paid`}</td>
          </tr>
        </tbody></table>`}
  </section>`;

  const doc = html`<html lang="en">
    ${pageHead(`Post-distribution accounting: ${a.caseName}`, `payout ${VERSION}`, CSS + EXTRA_CSS)}
    <body>
      <main>
        ${pageHeader({
          kicker: 'Post-distribution accounting',
          caseName: a.caseName,
          meta: html`
            <dt>Rounds</dt><dd>${a.rounds.map((r) => `${r.round}: ${r.dir}`).join('; ')}</dd>
            <dt>Case facts</dt><dd>${a.factsFile === null ? NOT_GIVEN : `${a.factsFile}${a.factsSource === null ? '' : ` (${a.factsSource})`}`}</dd>
            <dt>Tool</dt><dd>payout ${VERSION}</dd>`,
          figures: html`
            ${figure('fund', 'Settlement fund', a.fund, 'gross plus interest')}
            ${figure('deductions', 'Deductions', a.totalDeductions, `${a.totalDeductionsPercent ?? '—'}% of the fund`)}
            ${figure('net', 'Net fund', a.net, 'for claimants')}
            ${figure('distributed', 'Distributed', a.distributed, 'all rounds, less uncashed')}
            ${figure('residual', 'Residual', a.residual.amount, a.residual.recipient ?? 'recipient not named')}`,
          banner: a.balanced ? null : (html`<div class="warning" role="alert">The figures do not balance: fund ≠ deductions + costs + distributed + residual.</div>` as VNode),
        })}

        <section id="fund">
          <h2>Settlement fund and deductions</h2>
          <table class="fund">
            <thead><tr><th scope="col">Item</th><th scope="col">How</th><th scope="col" class="num">Amount</th><th scope="col" class="num">% of fund</th></tr></thead>
            <tbody>
              <tr data-item="gross"><th scope="row">Gross settlement fund</th><td class="rule"></td>${amountCell(a.gross)}<td></td></tr>
              <tr data-item="interest"><th scope="row">Interest</th><td class="rule"></td>${amountCell(a.interest)}<td></td></tr>
              <tr data-item="fund"><th scope="row">Settlement fund</th><td class="rule">gross plus interest</td>${amountCell(a.fund)}<td class="num">100.00%</td></tr>
              ${a.deductions.map((d) => html`<tr data-item="deduction" data-label=${d.label}><th scope="row">${d.label}</th><td class="rule">${humanizeAmounts(d.rule, symbol)}</td>${amountCell(d.amount)}${pctCell(d.percentOfFund)}</tr>`)}
              <tr data-item="total-deductions"><th scope="row">Total deductions</th><td></td>${amountCell(a.totalDeductions)}${pctCell(a.totalDeductionsPercent)}</tr>
            </tbody>
            <tfoot><tr data-item="net"><td colspan="2">Net settlement fund</td>${amountCell(a.net)}<td></td></tr></tfoot>
          </table>
        </section>

        <section id="class">
          <h2>Class, notice and claims</h2>
          <table class="notice">
            <thead><tr><th scope="col">Item</th><th scope="col" class="num">Number</th><th scope="col" class="num">% of class members</th></tr></thead>
            <tbody>
              ${a.notice.map((f) => html`<tr data-item=${f.key}><th scope="row">${f.label}</th>${countCell(f.count)}${pctCell(f.percent)}</tr>`)}
              <tr data-item="claimsFiled"><th scope="row">Claims filed</th>${countCell(a.claimsFiled)}${pctCell(a.claimsFiledPercent)}</tr>
              <tr data-item="noticeMethods"><th scope="row">Notice methods</th><td class="num" colspan="2">${a.noticeMethods === null ? NOT_GIVEN : a.noticeMethods.join(', ')}</td></tr>
            </tbody>
          </table>
        </section>

        ${a.buckets === undefined
          ? null
          : html`<section id="buckets">
              <h2>Benefit buckets (round 1)</h2>
              <table class="buckets">
                <thead><tr><th scope="col">Bucket</th><th scope="col" class="num">Claims</th><th scope="col" class="num">Claimed</th><th scope="col" class="num">Total cap</th><th scope="col" class="num">Funded</th><th scope="col" class="num">Paid</th><th scope="col" class="num">Payments</th><th scope="col" class="num">Reduction</th></tr></thead>
                <tbody>
                  ${a.buckets.map(
                    (b) => html`<tr data-bucket=${b.id}>
                      <th scope="row">${b.label}</th>${countCell(b.claims, 'claims')}
                      <td class="num" data-field="claimed">${b.claimed ?? '—'}</td>${amountCell(b.totalCap, 'totalCap')}
                      <td class="num" data-field="funded">${b.funded}</td>${amountCell(b.paid, 'paid')}${countCell(b.payments, 'payments')}
                      <td class="num" data-field="reduction">${b.reductionPercent === null ? '—' : `${b.reductionPercent}%`}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </section>`}

        ${a.rounds.map(roundSection)}

        <section id="payment-methods">
          <h2>Payment methods</h2>
          ${a.paymentMethods === null
            ? html`<p data-item="paymentMethods">${NOT_GIVEN}</p>`
            : html`<table class="methods">
                <thead><tr><th scope="col">Round</th><th scope="col">Method</th><th scope="col" class="num">Payments</th><th scope="col" class="num">Amount</th></tr></thead>
                <tbody>${a.paymentMethods.map((m) => html`<tr data-round=${m.round} data-method=${m.method}><td>${m.round}</td><th scope="row">${m.method}</th>${countCell(m.payments)}${amountCell(m.amount)}</tr>`)}</tbody>
              </table>`}
        </section>

        <section id="totals">
          <h2>Where the fund went</h2>
          <table class="totals">
            <tbody>
              <tr data-item="total-deductions"><th scope="row">Deductions</th>${amountCell(a.totalDeductions)}</tr>
              <tr data-item="redistribution-costs"><th scope="row">Costs of later rounds</th>${amountCell(a.redistributionCosts)}</tr>
              <tr data-item="distributed"><th scope="row">Distributed to claimants, all rounds (each round's payments less its uncashed ones)</th>${amountCell(a.distributed)}</tr>
              <tr data-item="residual"><th scope="row">Residual of round ${a.residual.round}${a.residual.recipient === null ? '' : `, to ${a.residual.recipient}`}</th>${amountCell(a.residual.amount)}</tr>
            </tbody>
            <tfoot><tr data-item="fund"><td>Settlement fund</td>${amountCell(a.fund)}</tr></tfoot>
          </table>
          <p class="note" data-balanced=${String(a.balanced)}>${a.balanced ? 'The four lines add up to the settlement fund.' : 'The four lines do not add up to the settlement fund.'}
            ${a.rounds.at(-1)?.uncashed === null ? ` Payments of round ${a.residual.round} that are not cashed are not known to payout: not given.` : ''}</p>
        </section>

        <footer>
          Generated by payout ${VERSION} from each round's summary.json and ledger.csv (checked against manifest.json)${a.factsFile === null ? '' : ' and the case facts file'}. Figures marked “not given” are not in these files.
        </footer>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(doc)}\n`;
}
