/**
 * The report's two charts as inline SVG, built with htm + preact (text and attributes are escaped
 * by the renderer, never by hand). Geometry comes from `displayRatio` on bigint cents: a bar's
 * height is a display coordinate, not money. Every bar carries its exact numbers as data-*
 * attributes (cents, counts), so a test or an auditor's script can read them from the page.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { countOf, countText, displayRatio } from '../core/display-numbers.js';
import type { HistogramView, Waterfall, WaterfallKind } from '../core/report-model.js';

/** One decimal place is plenty for screen and paper, and keeps the file small. */
const px = (n: number): number => Math.round(n * 10) / 10;

/** Greedy word wrap for SVG text, which does not wrap by itself. */
export function wrapWords(text: string, maxChars: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1] ?? ''}…`;
    return kept;
  }
  return lines;
}

const FILL: Record<WaterfallKind, string> = {
  gross: '#34568b',
  interest: '#4d8a5a',
  deduction: '#b5523b',
  net: '#2a6f97',
  paid: '#2a7f62',
  residual: '#c98a1b',
};

const W = 760;
/** Average advance of a digit or separator in the sans-serif faces used, in em (bold). */
const CHAR_EM = 0.6;

/** Gross fund through each deduction down to the net fund, then the net split into paid and residual. */
export function waterfallSvg(w: Waterfall): VNode {
  const H = 380;
  const m = { top: 28, right: 8, bottom: 62, left: 58 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const n = w.steps.length;
  const slot = plotW / Math.max(1, n);
  const barW = Math.min(72, slot * 0.66);
  const fontSize = Math.max(7, Math.min(10.5, slot / 8.5));
  const y = (c: bigint): number => m.top + plotH * (1 - displayRatio(c, w.top));
  const x = (i: number): number => m.left + slot * i + (slot - barW) / 2;
  // Exact amounts above the bars when they fit the slot at a readable size, else `$30.67M`
  // (the table under the chart has every amount to the cent).
  const longest = Math.max(...w.steps.map((s) => s.amount.text.length + (s.kind === 'deduction' ? 1 : 0)));
  const fitSize = (slot - 6) / (longest * CHAR_EM);
  const exact = fitSize >= 8.5;
  const valueSize = exact ? Math.min(11, fitSize) : Math.min(11, fontSize);

  const grid = w.ticks.map(
    (t) => html`<g class="tick">
      <line x1=${m.left} x2=${W - m.right} y1=${px(y(t.cents))} y2=${px(y(t.cents))} stroke="#dde3ea" stroke-width="1" />
      <text x=${m.left - 6} y=${px(y(t.cents)) + 3.5} text-anchor="end" font-size="10" fill="#5b6877">${t.short}</text>
    </g>`,
  );

  // Dashed connectors carry the running total from one bar to the next, up to the net fund;
  // then one from the top of "paid" to the foot of the residual.
  const connectors: VNode[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const s = w.steps[i];
    const next = w.steps[i + 1];
    if (!s || !next) continue;
    let level: bigint | undefined;
    if (s.connect !== undefined) level = s.connect;
    else if (s.kind === 'gross' || s.kind === 'interest') level = s.base + s.amount.cents;
    else if (s.kind === 'deduction') level = s.base;
    else if (s.kind === 'paid' && next.kind === 'residual') level = s.amount.cents;
    if (level === undefined) continue;
    connectors.push(
      html`<line x1=${px(x(i) + barW)} x2=${px(x(i + 1))} y1=${px(y(level))} y2=${px(y(level))} stroke="#7a8794" stroke-width="1" stroke-dasharray="3 2" />`,
    );
  }

  const bars = w.steps.map((s, i) => {
    const top = y(s.base + s.amount.cents);
    const height = Math.max(0, y(s.base) - top);
    const cx = px(x(i) + barW / 2);
    const label = wrapWords(s.label, Math.max(8, Math.floor(slot / (fontSize * 0.55))));
    return html`<g class="step" data-kind=${s.kind}>
      <rect
        x=${px(x(i))}
        y=${px(top)}
        width=${px(barW)}
        height=${px(Math.max(height, s.amount.cents > 0n ? 0.8 : 0))}
        fill=${FILL[s.kind]}
        data-kind=${s.kind}
        data-label=${s.label}
        data-cents=${s.amount.cents.toString()}
        data-base-cents=${s.base.toString()}
      ><title>${s.label}: ${s.amount.text}${s.note ? ` (${s.note})` : ''}</title></rect>
      <text class="value" x=${cx} y=${px(top - 6)} text-anchor="middle" font-size=${px(valueSize)} font-weight="600" fill="#1d2733" data-exact=${exact ? 'true' : 'false'}>${s.kind === 'deduction' ? '−' : ''}${exact ? s.amount.text : s.amount.short}</text>
      <text class="label" x=${cx} y=${H - m.bottom + 16} text-anchor="middle" font-size=${px(fontSize)} fill="#1d2733">
        ${label.map((l, j) => html`<tspan x=${cx} dy=${j === 0 ? 0 : px(fontSize * 1.2)}>${l}</tspan>`)}
      </text>
    </g>`;
  });

  return html`<svg class="chart waterfall" viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby="waterfall-title" data-top-cents=${w.top.toString()} data-plot-height=${plotH}>
    <title id="waterfall-title">Waterfall: the gross fund, each deduction, the net fund, what was paid and the residual</title>
    ${grid}
    <line x1=${m.left} x2=${W - m.right} y1=${m.top + plotH} y2=${m.top + plotH} stroke="#1d2733" stroke-width="1" />
    ${connectors}
    ${bars}
  </svg>`;
}

/** Nice count gridlines: 0 and multiples of a 1-2-5 step, about four of them. */
function countTicks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
  const stepInt = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += stepInt) ticks.push(t);
  return ticks;
}

const group = countText;

/** What a histogram's title and axes say; the report's defaults are payment amounts of paid claims. */
export interface HistogramWords {
  /** After the count: `Histogram of payment amounts, 2,987 paid claims`. */
  title: (total: number) => string;
  axis: string;
  claims: string;
}

const PAYMENT_WORDS: HistogramWords = {
  title: (total) => `Histogram of payment amounts, ${countOf(total, 'paid claim')}`,
  axis: 'Amount paid per claim',
  claims: 'Claims',
};

/** Payment amounts of the paid claims: one bar per payment level, or equal-width bars. */
export function histogramSvg(h: HistogramView, words: HistogramWords = PAYMENT_WORDS): VNode {
  const H = 300;
  const n = h.bars.length;
  const levels = h.kind === 'levels';
  const left = 64;
  const slot = (W - left - 8) / Math.max(1, n);
  // Level names under their bars: one row when they fit at a readable size, else two staggered rows.
  const levelLines = h.bars.map((b) => (b.lo.cents === b.hi.cents ? [b.lo.text] : [`${b.lo.text}–`, b.hi.text]));
  const linesPer = Math.max(1, ...levelLines.map((l) => l.length));
  const maxLen = Math.max(4, ...levelLines.flat().map((l) => l.length));
  const oneRow = (slot - 6) / (maxLen * 0.56);
  const rows = oneRow >= 9 ? 1 : 2;
  const levelSize = Math.max(7.5, Math.min(11, rows === 1 ? oneRow : (2 * slot - 8) / (maxLen * 0.56)));
  const lineH = levelSize * 1.2;
  const m = { top: 24, right: 8, bottom: levels ? Math.ceil(16 + rows * linesPer * lineH + 22) : 58, left };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const barW = levels ? Math.min(90, slot * 0.6) : slot - 2;
  const ticks = countTicks(h.maxCount);
  const yMax = Math.max(h.maxCount, ticks.at(-1) ?? 0, 1);
  const y = (count: number): number => m.top + plotH * (1 - count / yMax);
  const x = (i: number): number => m.left + slot * i + (slot - barW) / 2;
  const fontSize = levels ? 11 : Math.max(8, Math.min(10, slot / 4));

  const grid = ticks.map(
    (t) => html`<g class="tick">
      <line x1=${m.left} x2=${W - m.right} y1=${px(y(t))} y2=${px(y(t))} stroke="#dde3ea" stroke-width="1" />
      <text x=${m.left - 6} y=${px(y(t)) + 3.5} text-anchor="end" font-size="10" fill="#5b6877">${group(t)}</text>
    </g>`,
  );

  const bars = h.bars.map((b, i) => {
    const top = y(b.count);
    return html`<g class="bucket">
      <rect
        x=${px(x(i))}
        y=${px(top)}
        width=${px(barW)}
        height=${px(m.top + plotH - top)}
        fill="#2a7f62"
        data-lo-cents=${b.lo.cents.toString()}
        data-hi-cents=${b.hi.cents.toString()}
        data-count=${b.count}
      ><title>${b.label}: ${countOf(b.count, 'claim')}</title></rect>
      ${b.count > 0 && (levels || slot >= 22)
        ? html`<text class="count" x=${px(x(i) + barW / 2)} y=${px(top - 5)} text-anchor="middle" font-size=${px(fontSize)} fill="#1d2733">${b.countText}</text>`
        : null}
    </g>`;
  });

  // Levels: each bar named under it. Equal width: amounts at the bar edges, as many as fit.
  let axisLabels: VNode[];
  if (levels) {
    const base = m.top + plotH;
    axisLabels = h.bars.map((_b, i) => {
      const cx = px(x(i) + barW / 2);
      const lines = levelLines[i] ?? [];
      const lower = rows === 2 && i % 2 === 1;
      const y0 = base + 4 + levelSize + (lower ? linesPer * lineH : 0);
      // Keep the text inside the chart at its ends: anchor at the edge instead of the middle.
      const half = (Math.max(...lines.map((l) => l.length)) * 0.56 * levelSize) / 2;
      const [anchor, tx] = cx + half > W - 1 ? ['end', W - 1] : cx - half < 1 ? ['start', 1] : ['middle', cx];
      return html`<g>
        ${lower ? html`<line x1=${cx} x2=${cx} y1=${base} y2=${px(y0 - levelSize)} stroke="#b8c2cc" stroke-width="0.8" />` : null}
        <text class="label" x=${tx} y=${px(y0)} text-anchor=${anchor} font-size=${px(levelSize)} fill="#1d2733">
          ${lines.map((l, j) => html`<tspan x=${tx} dy=${j === 0 ? 0 : px(lineH)}>${l}</tspan>`)}
        </text>
      </g>`;
    });
  } else {
    const longest = Math.max(...h.edges.map((e) => e.text.length), 4);
    const every = Math.max(1, Math.ceil((longest * 5.6 + 8) / slot));
    axisLabels = [];
    h.edges.forEach((edge, i) => {
      if (i % every !== 0) return;
      const ex = px(m.left + slot * i);
      axisLabels.push(html`<g>
        <line x1=${ex} x2=${ex} y1=${m.top + plotH} y2=${m.top + plotH + 4} stroke="#1d2733" />
        <text x=${ex} y=${m.top + plotH + 16} text-anchor="middle" font-size="10" fill="#1d2733">${edge.text}</text>
      </g>`);
    });
  }

  return html`<svg class="chart histogram" viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby="histogram-title" data-kind=${h.kind} data-total=${h.total}>
    <title id="histogram-title">${words.title(h.total)}</title>
    ${grid}
    <line x1=${m.left} x2=${W - m.right} y1=${m.top + plotH} y2=${m.top + plotH} stroke="#1d2733" stroke-width="1" />
    ${bars}
    ${axisLabels}
    <text x=${px(m.left + plotW / 2)} y=${H - 6} text-anchor="middle" font-size="11" fill="#5b6877">${levels ? words.axis : `${words.axis} (bars of ${h.width?.text ?? ''})`}</text>
    <text x="14" y=${px(m.top + plotH / 2)} text-anchor="middle" font-size="11" fill="#5b6877" transform=${`rotate(-90 14 ${px(m.top + plotH / 2)})`}>${words.claims}</text>
  </svg>`;
}
