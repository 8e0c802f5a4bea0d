/**
 * End to end in a real browser: `writeReport` on a sample allocation folder, then report.html
 * opened in headless Chromium (the Debian package, driven by playwright-core; no browser is ever
 * downloaded). Reads the numbers back from the drawn page and checks them against summary.json.
 *
 * Built to hold on a busy machine: one browser for the whole file, every browser step with an
 * explicit bound (a step that hangs fails with its name instead of stalling the suite), pages
 * read as soon as their DOM is parsed (report.html is self-contained: nothing to wait for), no
 * wait on animations, fonts or network idleness, a fixed viewport, scale, locale and time zone.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoneyHuman, parseMoney } from '../../src/core/money.js';
import { writeReport } from '../../src/io/report-html.js';
import { tempDir } from '../helpers/tmp.js';
import { ARGS, CHROMIUM, CLOSE_MS, HAVE_CHROMIUM, LAUNCH_MS, MUST_RUN, noteMissingChromium, STEP_MS, TEST_MS, within } from '../helpers/chromium.js';
import { monthsSample, tiktokSample } from './sample-run.js';

noteMissingChromium('report.browser.test');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const cents = (text: string): bigint => parseMoney(text) as bigint;
const money = (text: string): string => formatMoneyHuman(cents(text));

interface Opened {
  page: Page;
  /** Every request the page made other than report.html itself. */
  requests: string[];
  dir: string;
  summary: Json;
}

describe.skipIf(!HAVE_CHROMIUM && !MUST_RUN)(`report.html in headless Chromium (${CHROMIUM})`, () => {
  const tmp = tempDir();
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing; CI must install it (.ci/run)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: LAUNCH_MS });
  }, LAUNCH_MS + 5_000);
  afterAll(async () => {
    if (browser === undefined) return;
    // A context left open by a failed test goes with the browser; closing is bounded too.
    await within('closing the browser', CLOSE_MS, browser.close()).catch((err: unknown) => console.warn(String(err)));
  }, CLOSE_MS + 5_000);

  /** Nothing overflows an A4 sheet on screen (794 CSS px) or in print (703 px inside 12 mm margins). */
  async function expectFitsA4(page: Page): Promise<void> {
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 1000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    // No dark backgrounds on paper.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  }

  let opened = 0;
  async function open(make: (dir: string) => unknown, viewport = { width: 1100, height: 900 }): Promise<Opened> {
    if (browser === undefined) throw new Error('no browser');
    const dir = tmp.path(`run-${++opened}`);
    make(dir);
    const path = await writeReport(dir);
    const url = pathToFileURL(path).href;
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: 1,
      offline: true,
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    // Anything other than the file itself is refused (and recorded above).
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    // The page is one self-contained file: once its DOM is parsed there is nothing left to load.
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Json;
    return { page, requests, dir, summary };
  }

  it('TikTok: waterfall, classes and histogram carry the numbers of summary.json', async () => {
    const { page, requests, dir, summary } = await open(tiktokSample);

    expect(await page.title()).toBe(`Distribution report: ${summary.case}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(summary.case);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
    await expect(page.locator('[data-plan-sha256]').textContent()).resolves.toBe(manifest.plan.sha256);

    // Waterfall: read back from the drawn SVG.
    const bars = await page.$$eval('svg.waterfall rect[data-kind]', (rects) =>
      rects.map((r) => ({
        kind: r.getAttribute('data-kind') ?? '',
        label: r.getAttribute('data-label') ?? '',
        cents: r.getAttribute('data-cents') ?? '',
        base: r.getAttribute('data-base-cents') ?? '',
        height: (r as SVGRectElement).getBBox().height,
        y: (r as SVGRectElement).getBBox().y,
      })),
    );
    const sum = (kind: string) => bars.filter((b) => b.kind === kind).reduce((s, b) => s + BigInt(b.cents), 0n);
    const fund = cents(summary.fund.fund);
    expect(sum('gross') + sum('interest')).toBe(fund);
    expect(sum('deduction') + sum('net')).toBe(fund);
    expect(sum('net')).toBe(cents(summary.net));
    expect(sum('paid')).toBe(cents(summary.totals.amount));
    expect(sum('paid') + sum('residual')).toBe(sum('net'));
    expect(bars.filter((b) => b.kind === 'deduction').map((b) => [b.label, b.cents])).toEqual(
      summary.deductions.map((d: Json) => [d.label, cents(d.amount).toString()]),
    );
    // Heights proportional to amounts (within a pixel of drawing precision).
    const plotH = Number(await page.getAttribute('svg.waterfall', 'data-plot-height'));
    for (const b of bars) {
      const expected = (Number(BigInt(b.cents) * 1_000_000n / fund) / 1_000_000) * plotH;
      expect(Math.abs(b.height - expected)).toBeLessThan(1);
    }
    // The value labels show money with thousands separators.
    const values = await page.$$eval('svg.waterfall text.value', (ts) => ts.map((t) => t.textContent));
    expect(values).toContain('$92,000,000.00');
    expect(values).toContain(`−${money(summary.deductions[0].amount)}`);
    expect(values).toContain('$57,090,833.33');

    // One row per class, matching summary.json.
    for (const c of summary.classes as Json[]) {
      const row = page.locator(`tr[data-class="${c.id}"]`);
      const cell = (field: string) => row.locator(`[data-field="${field}"]`).textContent();
      await expect(cell('claims')).resolves.toBe(c.claims.toLocaleString('en-US'));
      await expect(cell('eligible')).resolves.toBe(c.eligible.toLocaleString('en-US'));
      await expect(cell('paid')).resolves.toBe(c.paid.toLocaleString('en-US'));
      await expect(cell('points')).resolves.toBe(Number(c.points).toLocaleString('en-US'));
      await expect(cell('amount')).resolves.toBe(money(c.amount));
      await expect(cell('smallest')).resolves.toBe(money(c.smallest));
      await expect(cell('largest')).resolves.toBe(money(c.largest));
      await expect(row.locator('[data-field="amount"]').getAttribute('data-cents')).resolves.toBe(cents(c.amount).toString());
    }
    expect(await page.locator('tbody tr[data-class]').count()).toBe(summary.classes.length);

    // Claims not paid, by status, as summary.json counts them.
    const unpaid = await page.$$eval('#unpaid tr[data-unpaid="status"]', (rows) =>
      rows.map((r) => [r.getAttribute('data-status'), Number(r.getAttribute('data-count')), r.querySelector('td')?.textContent]),
    );
    expect(unpaid).toEqual(summary.unpaid.byStatus.map((s: Json) => [s.status, s.claims, s.claims.toLocaleString('en-US')]));
    await expect(page.locator('#unpaid tr[data-unpaid="total"] td.num').textContent()).resolves.toBe(summary.unpaid.claims.toLocaleString('en-US'));

    // Histogram: two payment levels (Nationwide and Illinois), counts summing to the paid claims.
    const buckets = await page.$$eval('svg.histogram rect[data-count]', (rects) =>
      rects.map((r) => ({ count: Number(r.getAttribute('data-count')), lo: r.getAttribute('data-lo-cents') ?? '' })),
    );
    expect(buckets).toHaveLength(2);
    expect(buckets.reduce((s, b) => s + b.count, 0)).toBe(summary.totals.paid);
    expect(await page.getAttribute('svg.histogram', 'data-kind')).toBe('levels');

    // Method in words, hashes of every file, all checks agree.
    const method = await page.locator('#method').textContent();
    expect(method).toContain('ties broken by SHA-256(seed:claim_id)');
    const hashes = await page.$$eval('#files tr[data-file]', (rows) =>
      rows.map((r) => [r.getAttribute('data-file'), r.querySelector('[data-sha256]')?.textContent]),
    );
    expect(hashes).toEqual([
      ['plan.json', manifest.plan.sha256],
      ['claims.csv', manifest.claims.sha256],
      ...manifest.outputs.map((o: Json) => [o.file, o.sha256]),
    ]);
    expect(await page.locator('tr[data-check="failed"]').count()).toBe(0);
    expect(await page.locator('.warning').count()).toBe(0);

    // Self-contained: no scripts, no network.
    expect(await page.locator('script').count()).toBe(0);
    expect(requests).toEqual([]);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true, animations: 'disabled', caret: 'hide' });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await expectFitsA4(page);
    await within('closing the page', CLOSE_MS, page.context().close());
  }, TEST_MS);

  it('a docket number never wraps mid-number: narrow screens, paper and the PDF', async () => {
    const name = 'In re Clearview AI, Inc. Consumer Privacy Litigation, Case No. 1:21-cv-00135-SJC (MDL No. 2967)';
    const { page, dir } = await open((d) => tiktokSample(d, name), { width: 320, height: 900 });
    await expect(page.locator('h1').textContent()).resolves.toBe(name);
    await expect(page.$$eval('h1 .docket', (els) => els.map((e) => e.textContent))).resolves.toEqual(['Case No. 1:21-cv-00135-SJC', 'MDL No. 2967']);
    // One line box per docket number while the title around it wraps over several lines.
    const lineBoxes = () => page.$$eval('h1 .docket', (els) => els.map((e) => e.getClientRects().length));
    const titleLines = () => page.$eval('h1', (h) => Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)));
    for (const width of [320, 380, 460, 703]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await lineBoxes(), `screen ${width}px`).toEqual([1, 1]);
    }
    expect(await titleLines()).toBeGreaterThan(2);
    await page.emulateMedia({ media: 'print' });
    for (const width of [340, 520, 703]) {
      await page.setViewportSize({ width, height: 1000 });
      expect(await lineBoxes(), `print ${width}px`).toEqual([1, 1]);
    }
    const pdf = join(dir, 'report.pdf');
    await within('printing the report to PDF', STEP_MS, page.pdf({ path: pdf, width: '90mm', height: '200mm', printBackground: true }));
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1 .docket') as Element).whiteSpace)).toBe('nowrap');
    await within('closing the page', CLOSE_MS, page.context().close());
  }, TEST_MS);

  it('equal-width histogram for spread-out amounts; fits an A4 page and prints', async () => {
    const { page, requests, dir, summary } = await open(monthsSample);
    const buckets = await page.$$eval('svg.histogram rect[data-count]', (rects) =>
      rects.map((r) => Number(r.getAttribute('data-count'))),
    );
    expect(await page.getAttribute('svg.histogram', 'data-kind')).toBe('equal-width');
    expect(buckets.length).toBeGreaterThan(12);
    expect(buckets.reduce((s, n) => s + n, 0)).toBe(summary.totals.paid);
    await expectFitsA4(page);
    const pdf = join(dir, 'report.pdf');
    // page.pdf takes no timeout of its own.
    await within('printing the report to PDF', STEP_MS, page.pdf({ path: pdf, format: 'A4', printBackground: true }));
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    await page.screenshot({ path: join(dir, 'report-a4.png'), fullPage: true, animations: 'disabled', caret: 'hide' });
    expect(requests).toEqual([]);
    await within('closing the page', CLOSE_MS, page.context().close());
  }, TEST_MS);
});
