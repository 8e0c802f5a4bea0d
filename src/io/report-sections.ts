/**
 * The sections every report page (first round, bucket plan, second round) draws the same way:
 * the amounts paid as a histogram, the method in words, and the files with their hashes.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { FileRow, HistogramView } from '../core/report-model.js';
import { histogramSvg } from './report-charts.js';

/** The histogram of paid amounts; `byWhat` names the amount in the caption ("amount", "second-round amount"). */
export function amountsSection(h: HistogramView, title: string, byWhat: string): VNode {
  return html`<section id="histogram">
          <h2>${title}</h2>
          ${h.total === 0
            ? html`<p>No claim was paid.</p>`
            : html`<figure>
                ${histogramSvg(h)}
                <figcaption>${h.kind === 'levels'
                  ? `The ${h.totalText} paid claims by ${byWhat}, one bar per payment level.${h.bars.some((b) => b.lo.cents !== b.hi.cents) ? ' Amounts one cent apart share a bar: largest remainder pays claims of equal points x or x + 1 cent.' : ''}`
                  : `The ${h.totalText} paid claims by ${byWhat}, in ${h.bars.length} bars of ${h.width?.text ?? ''} each; a bar counts the amounts from its left edge up to, not including, its right edge.`}</figcaption>
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
