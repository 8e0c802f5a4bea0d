/**
 * The page of `payout compare --html FILE`: two plans on the same claims, self-contained (inline
 * CSS and SVG, nothing fetched), built with htm + preact like the distribution report and sharing
 * its style sheet and histogram chart. Every number carries its exact cents as a data attribute.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { changeText, type Comparison } from '../core/compare.js';
import { formatMoneyHuman, grouped, type Cents } from '../core/money.js';
import { compactMoney, countOf, currencySymbol } from '../core/display-numbers.js';
import { histogramView, type Money } from '../core/report-model.js';
import { VERSION } from '../core/version.js';
import { histogramSvg } from './report-charts.js';
import { CSS, pageHead, pageHeader } from './report-html.js';

/** One plan as the page names it. */
export interface ComparedPlan {
  file: string;
  name: string;
  sha256: string;
  currency: string;
}

export interface ComparePage {
  planA: ComparedPlan;
  planB: ComparedPlan;
  claimsFile: string;
  comparison: Comparison;
}

const groupWord = (by: 'class' | 'bucket'): string => (by === 'class' ? 'Class' : 'Buckets');

const EXTRA_CSS = `
.gain { color: var(--ok); } .lose { color: var(--bad); }
.figures.four { grid-template-columns: repeat(4, 1fr); }
table.funds { margin-top: 16px; }
@media (max-width: 560px) {
  main { padding-left: 10px; padding-right: 10px; }
  .figures.four { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  table.moves { font-size: 10.5px; }
  table.moves th, table.moves td { padding-left: 3px; padding-right: 3px; }
  table.moves thead th { letter-spacing: 0; text-transform: none; }
  table.moves th[scope="row"], table.moves td:not(.num) { overflow-wrap: anywhere; }
  /* The seven columns of two plans' groups do not fit: each group a card, each figure a labelled line. */
  table.cards, table.cards tbody, table.cards tfoot, table.cards tr { display: block; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid var(--rule); border-radius: 4px; margin: 0 0 8px; padding: 2px 8px 4px; break-inside: avoid; }
  table.cards th[scope="row"], table.cards tfoot td:first-child { display: block; padding: 4px 0; border-bottom: 1px solid var(--rule); font-weight: 650; overflow-wrap: anywhere; }
  table.cards td[data-label] { display: flex; justify-content: space-between; gap: 8px; padding: 2px 0; border: none; }
  table.cards td[data-label]::before { content: attr(data-label); color: var(--muted); font-weight: 400; white-space: normal; text-align: left; }
  table.cards tfoot td { border-top: none; }
  table.cards td:empty { display: none; }
}
`;

export function renderCompareHtml(page: ComparePage): string {
  const symbol = currencySymbol(page.planA.currency);
  const amount = (c: Cents): Money => ({ cents: c, text: formatMoneyHuman(c, symbol), short: compactMoney(c, symbol) });
  const change = (c: Cents): Money => ({ cents: c, text: changeText(c, symbol), short: compactMoney(c, symbol) });
  const cmp = page.comparison;
  // Two bucket plans: a row per bucket, and a claim's buckets in the moves (docs/compare.md).
  const byBucket = cmp.groupedBy === 'bucket';
  const h = histogramView(cmp.histogram, change);
  /** An amount's cell; `label` names it on a narrow screen, where a table of cards has no column heads. */
  const cell = (c: Cents, field: string, signed = false, label?: string): VNode =>
    html`<td class=${`num${signed && c > 0n ? ' gain' : signed && c < 0n ? ' lose' : ''}`} data-field=${field} data-label=${label} data-cents=${c.toString()}>${signed ? changeText(c, symbol) : formatMoneyHuman(c, symbol)}</td>`;
  const pct = (n: number): string => (cmp.claims === 0 ? '—' : `${((100 * n) / cmp.claims).toFixed(1)}%`);
  const count = (key: string, label: string, n: number, sum: Cents | null): VNode => html`<div class="figure" data-figure=${key} data-count=${n}>
    <div class="k">${label}</div><div class="v">${grouped(n)}</div><div class="s">${pct(n)} of claims${sum === null ? '' : `, ${changeText(sum, symbol)} in all`}</div>
  </div>`;
  // A bucket plan against a plan of classes: each plan's own groups, not compared (docs/compare.md).
  const mixed = cmp.groupsA !== undefined && cmp.groupsB !== undefined ? { a: cmp.groupsA, b: cmp.groupsB } : null;
  const ownGroups = (g: NonNullable<Comparison['groupsA']>, side: 'a' | 'b'): VNode => html`<table class="classes" data-plan=${side}>
    <thead><tr>
      <th scope="col">${g.by === 'class' ? 'Class' : 'Bucket'} (plan ${side.toUpperCase()})</th><th scope="col" class="num">Claims</th>
      <th scope="col" class="num">Paid</th><th scope="col" class="num">Amount</th>
    </tr></thead>
    <tbody>
      ${g.rows.map((r) => html`<tr data-group=${r.id}><th scope="row">${r.id}</th><td class="num" data-field="claims">${grouped(r.claims)}</td><td class="num" data-field="paid">${grouped(r.paid)}</td>${cell(r.amount, 'amount')}</tr>`)}
    </tbody>
  </table>`;
  const totalA = cmp.classes.reduce((s, c) => s + c.amountA, 0n);
  const totalB = cmp.classes.reduce((s, c) => s + c.amountB, 0n);
  const doc = html`<html lang="en">
    ${pageHead(`Plan comparison: ${page.planA.name}`, `payout ${VERSION}`, CSS + EXTRA_CSS)}
    <body>
      <main>
        ${pageHeader({
          kicker: 'Plan comparison',
          caseName: page.planA.name,
          meta: html`
            <dt>Plan A</dt><dd><span data-plan="a">${page.planA.file}</span>, SHA-256 <span class="mono">${page.planA.sha256}</span></dd>
            <dt>Plan B</dt><dd><span data-plan="b">${page.planB.file}</span>, SHA-256 <span class="mono">${page.planB.sha256}</span></dd>
            <dt>Claims</dt><dd>${page.claimsFile}, ${countOf(cmp.claims, 'claim')}</dd>`,
          figuresClass: 'figures four',
          figures: html`
            ${count('gain', 'Gain under B', cmp.gain, cmp.gained)}
            ${count('lose', 'Lose under B', cmp.lose, cmp.lost)}
            ${count('unchanged', 'Unchanged', cmp.unchanged, null)}
            <div class="figure" data-figure="claims" data-count=${cmp.claims}><div class="k">Claims</div><div class="v">${grouped(cmp.claims)}</div><div class="s">in the claims file</div></div>`,
          banner: null,
        })}

        <section id="classes">
          ${mixed !== null
            ? html`<h2>By ${mixed.a.by} under A, by ${mixed.b.by} under B</h2>
                <p class="note" data-not-comparable>Plan A pays by ${mixed.a.by} and plan B by ${mixed.b.by}: the per-${mixed.a.by} and per-${mixed.b.by} figures are each plan's own and are not comparable; each claim is compared on its total amount.</p>
                ${ownGroups(mixed.a, 'a')}${ownGroups(mixed.b, 'b')}`
            : html`<h2>By ${byBucket ? 'bucket' : 'class'}</h2>
          <table class="classes cards">
            <thead><tr>
              <th scope="col">${byBucket ? 'Bucket' : 'Class'}</th><th scope="col" class="num">Claims</th>
              <th scope="col" class="num">Paid under A</th><th scope="col" class="num">Paid under B</th>
              <th scope="col" class="num">Amount under A</th><th scope="col" class="num">Amount under B</th><th scope="col" class="num">Change</th>
            </tr></thead>
            <tbody>
              ${cmp.classes.map(
                (c) => html`<tr data-class=${c.id}>
                  <th scope="row">${c.id}</th><td class="num" data-field="claims" data-label="Claims">${grouped(c.claims)}</td>
                  <td class="num" data-field="paidA" data-label="Paid under A">${grouped(c.paidA)}</td><td class="num" data-field="paidB" data-label="Paid under B">${grouped(c.paidB)}</td>
                  ${cell(c.amountA, 'amountA', false, 'Amount under A')}${cell(c.amountB, 'amountB', false, 'Amount under B')}${cell(c.change, 'change', true, 'Change')}
                </tr>`,
              )}
            </tbody>
            <tfoot><tr data-class="">
              <td>${byBucket ? 'All buckets' : 'All classes'}</td><td class="num" data-label="Claims">${grouped(cmp.claims)}</td><td></td><td></td>
              ${cell(totalA, 'amountA', false, 'Amount under A')}${cell(totalB, 'amountB', false, 'Amount under B')}${cell(totalB - totalA, 'change', true, 'Change')}
            </tr></tfoot>
          </table>`}
          <table class="funds">
            <thead><tr><th scope="col"></th><th scope="col" class="num">Plan A</th><th scope="col" class="num">Plan B</th><th scope="col" class="num">Change</th></tr></thead>
            <tbody>
              <tr data-row="net"><th scope="row">Net settlement fund</th>${cell(cmp.a.net, 'a')}${cell(cmp.b.net, 'b')}${cell(cmp.b.net - cmp.a.net, 'change', true)}</tr>
              <tr data-row="paid"><th scope="row">Paid to claimants</th>${cell(cmp.a.paid, 'a')}${cell(cmp.b.paid, 'b')}${cell(cmp.b.paid - cmp.a.paid, 'change', true)}</tr>
              <tr data-row="residual"><th scope="row">Residual</th>${cell(cmp.a.residual, 'a')}${cell(cmp.b.residual, 'b')}${cell(cmp.b.residual - cmp.a.residual, 'change', true)}</tr>
            </tbody>
          </table>
        </section>

        <section id="histogram">
          <h2>Changes per claim</h2>
          ${h.total === 0
            ? html`<p>No claims.</p>`
            : html`<figure>
                ${histogramSvg(h, { title: (t) => `Histogram of the change per claim from plan A to plan B, ${countOf(t, 'claim')}`, axis: 'Change per claim (B − A)', claims: 'Claims' })}
                <figcaption>${h.kind === 'levels'
                  ? `The ${countOf(h.total, 'claim')} by ${h.total === 1 ? 'its' : 'their'} change, one bar per amount (changes one cent apart share a bar: the remainder cent).`
                  : `The ${countOf(h.total, 'claim')} by ${h.total === 1 ? 'its' : 'their'} change, in ${countOf(h.bars.length, 'bar')} of ${h.width?.text ?? ''} each; a bar counts the changes from its left edge up to, not including, its right edge.`}</figcaption>
              </figure>`}
        </section>

        <section id="moves">
          <h2>Largest moves</h2>
          ${cmp.largestMoves.length === 0
            ? html`<p>No claim's amount changes.</p>`
            : html`<table class="moves">
                <thead><tr><th scope="col">Claim</th>${mixed !== null
                  ? html`<th scope="col">${groupWord(mixed.a.by)} under A</th><th scope="col">${groupWord(mixed.b.by)} under B</th>`
                  : html`<th scope="col">${byBucket ? 'Buckets' : 'Class'}</th>`}<th scope="col" class="num">Under A</th><th scope="col" class="num">Under B</th><th scope="col" class="num">Change</th></tr></thead>
                <tbody>
                  ${cmp.largestMoves.map(
                    (m) => html`<tr data-claim=${m.claimId}><th scope="row">${m.claimId}</th><td>${m.classId}</td>${m.groupB === undefined ? null : html`<td>${m.groupB}</td>`}${cell(m.amountA, 'amountA')}${cell(m.amountB, 'amountB')}${cell(m.change, 'change', true)}</tr>`,
                  )}
                </tbody>
              </table>`}
        </section>

        <footer>
          Generated by payout ${VERSION}: <span class="mono">payout compare --plan A --plan B CLAIMS.csv --html FILE</span> writes it again from the same files, byte for byte.
        </footer>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${render(doc)}\n`;
}
