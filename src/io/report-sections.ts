/**
 * The sections every report page (first round, bucket plan, second round) draws the same way:
 * the amounts paid as a histogram, the claims not paid and why, the method in words, and the
 * files with their hashes.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { FileRow, HistogramView } from '../core/report-model.js';
import type { UnpaidView } from '../core/report-unpaid.js';
import { histogramSvg } from './report-charts.js';
import { countOf } from '../core/display-numbers.js';

/** The histogram of paid amounts; `byWhat` names the amount in the caption ("amount", "second-round amount"). */
export function amountsSection(h: HistogramView, title: string, byWhat: string): VNode {
  return html`<section id="histogram">
          <h2>${title}</h2>
          ${h.total === 0
            ? html`<p>No claim was paid.</p>`
            : html`<figure>
                ${histogramSvg(h)}
                <figcaption>${h.kind === 'levels'
                  ? `The ${countOf(h.total, 'paid claim')} by ${byWhat}, one bar per payment level.${h.bars.some((b) => b.lo.cents !== b.hi.cents) ? ' Amounts one cent apart share a bar: largest remainder pays claims of equal points x or x + 1 cent.' : ''}`
                  : `The ${countOf(h.total, 'paid claim')} by ${byWhat}, in ${countOf(h.bars.length, 'bar')} of ${h.width?.text ?? ''} each; a bar counts the amounts from its left edge up to, not including, its right edge.`}</figcaption>
              </figure>`}
        </section>`;
}

/** The method, one paragraph per step. */
export function methodSection(method: readonly string[]): VNode {
  return html`<section id="method">
          <h2>Method</h2>
          <ol class="method">${method.map((p) => html`<li>${p}</li>`)}</ol>
        </section>`;
}

/** The files of the folder with their SHA-256 from manifest.json; `note` says where they come from and how to check one. */
export function filesSection(files: readonly FileRow[], note: VNode): VNode {
  return html`<section id="files">
          <h2>Files and hashes</h2>
          <table class="files">
            <thead><tr><th scope="col">File</th><th scope="col">What</th><th scope="col">SHA-256</th></tr></thead>
            <tbody>
              ${files.map((r) => html`<tr data-file=${r.file} data-role=${r.role}><th scope="row">${r.file}</th><td>${r.detail}</td><td class="mono" data-sha256>${r.sha256}</td></tr>`)}
            </tbody>
          </table>
          ${note}
        </section>`;
}

/** Why claims went unpaid, by reason, and the notes on the claims as read (blank statuses, look-alike ids). */
export function unpaidSection(view: UnpaidView): VNode {
  return html`<section id="unpaid">
    <h2>Claims not paid</h2>
    ${view.rows === null
      ? null
      : view.rows.length === 0
        ? html`<p>Every claim was paid.</p>`
        : html`<table class="unpaid">
            <thead><tr><th scope="col">Why not paid</th><th scope="col" class="num">Claims</th></tr></thead>
            <tbody>
              ${view.rows.map(
                (r) => html`<tr data-unpaid=${r.reason} data-status=${r.status} data-count=${String(r.count)}>
                  <th scope="row">${r.label}</th><td class="num">${r.countText}</td>
                </tr>`,
              )}
            </tbody>
            ${view.total === null
              ? null
              : html`<tfoot><tr data-unpaid="total" data-count=${String(view.total.count)}><td>Not paid, of ${view.total.of}</td><td class="num">${view.total.text}</td></tr></tfoot>`}
          </table>`}
    ${view.notes.map((n) => html`<p class="note" data-claims-note=${n.kind} data-count=${String(n.count)}>${n.text}</p>`)}
  </section>`;
}
