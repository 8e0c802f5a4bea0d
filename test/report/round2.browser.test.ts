/**
 * A second round's report.html in a real browser: fixtures/facebook-round2 and
 * fixtures/equifax-buckets taken through `payout allocate` and `payout redistribute --report` with
 * the real binary, then the page opened in headless Chromium (Debian's package, driven by
 * playwright-core) and its numbers read back from the drawn page against summary.json.
 *
 * The same discipline as report.browser.test.ts: one browser for the file, every browser step
 * bounded, the page read once its DOM is parsed, no wait on animations or network idleness, a
 * fixed viewport, scale, locale and time zone.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoneyHuman, parseMoney } from '../../src/core/money.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { ARGS, CHROMIUM, CLOSE_MS, HAVE_CHROMIUM, LAUNCH_MS, MUST_RUN, noteMissingChromium, STEP_MS, TEST_MS, within } from '../helpers/chromium.js';

noteMissingChromium('round2.browser.test');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const cents = (text: string): bigint => parseMoney(text) as bigint;
const money = (text: string): string => formatMoneyHuman(cents(text));

const FB = join(ROOT, 'fixtures/facebook-round2');
const EQ = join(ROOT, 'fixtures/equifax-buckets');

describe.skipIf(!HAVE_CHROMIUM && !MUST_RUN)(`a second round's report.html in headless Chromium (${CHROMIUM})`, () => {
  const tmp = tempDir();
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing; CI must install it (.ci/run)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: LAUNCH_MS });
  }, LAUNCH_MS + 5_000);
  afterAll(async () => {
    if (browser === undefined) return;
    await within('closing the browser', CLOSE_MS, browser.close()).catch((err: unknown) => console.warn(String(err)));
  }, CLOSE_MS + 5_000);

  /** Both rounds with the real binary, the second with --report; returns DIR2. */
  async function round2(name: string, fixture: string, uncashed: string, costs: string): Promise<string> {
    const round1 = tmp.path(`${name}-round1`);
    const a = await runCli(['allocate', '--plan', join(fixture, 'plan.json'), join(fixture, 'claims.csv'), '--out', round1]);
    expect(a.code, a.stderr).toBe(0);
    const dir = tmp.path(`${name}-round2`);
    const r = await runCli(['redistribute', '--plan', join(fixture, 'plan.json'), '--from', round1, '--uncashed', uncashed, '--costs', costs, '--out', dir, '--report']);
    expect(r.code, r.stderr).toBe(0);
    return dir;
  }

  async function open(dir: string): Promise<{ page: Page; requests: string[]; summary: Json; manifest: Json }> {
    if (browser === undefined) throw new Error('no browser');
    const url = pathToFileURL(join(dir, 'report.html')).href;
    const context = await browser.newContext({
      viewport: { width: 1100, height: 900 },
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
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Json;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
    return { page, requests, summary, manifest };
  }

  /** The drawn page agrees with summary.json: waterfall, sources, figures, histogram, claims not paid, files, checks. */
  async function expectAgrees(page: Page, summary: Json, manifest: Json): Promise<void> {
    await expect(page.locator('h1').textContent()).resolves.toBe(summary.case);
    const bars = await page.$$eval('svg.waterfall rect[data-kind]', (rects) =>
      rects.map((r) => ({ kind: r.getAttribute('data-kind') ?? '', cents: r.getAttribute('data-cents') ?? '', height: (r as SVGRectElement).getBBox().height })),
    );
    const sum = (kind: string) => bars.filter((b) => b.kind === kind).reduce((s, b) => s + BigInt(b.cents), 0n);
    const a = summary.available;
    expect(sum('gross')).toBe(cents(a.firstRoundResidual));
    expect(sum('interest')).toBe(cents(a.uncashedAmount));
    expect(sum('deduction')).toBe(cents(a.costs));
    expect(sum('gross') + sum('interest') - sum('deduction')).toBe(sum('net'));
    expect(sum('net')).toBe(cents(a.available));
    expect(sum('paid') + sum('residual')).toBe(sum('net'));
    const top = BigInt((await page.getAttribute('svg.waterfall', 'data-top-cents')) ?? '0');
    expect(top).toBe(cents(a.firstRoundResidual) + cents(a.uncashedAmount));
    const plotH = Number(await page.getAttribute('svg.waterfall', 'data-plot-height'));
    for (const b of bars) {
      // A bar's height is proportional to its amount, within drawing precision (a bar above 0 is at least 0.8 px).
      const expected = (Number((BigInt(b.cents) * 1_000_000n) / top) / 1_000_000) * plotH;
      expect(Math.abs(b.height - expected)).toBeLessThan(1);
    }
    await expect(page.locator('tr[data-source="available"] [data-field="amount"]').textContent()).resolves.toBe(money(a.available));
    await expect(page.locator('[data-figure="paid"] .v').textContent()).resolves.toBe(money(summary.totals.amount));
    await expect(page.locator('[data-figure="residual"] .v').textContent()).resolves.toBe(money(summary.totals.residual));
    for (const c of summary.classes as Json[]) {
      const row = page.locator(`tbody tr[data-class="${c.id}"]`);
      await expect(row.locator('[data-field="cashed"]').textContent()).resolves.toBe(c.eligible.toLocaleString('en-US'));
      await expect(row.locator('[data-field="amount"]').textContent()).resolves.toBe(money(c.amount));
    }
    const counts = await page.$$eval('svg.histogram rect[data-count]', (rects) => rects.map((r) => Number(r.getAttribute('data-count'))));
    expect(counts.reduce((s, n) => s + n, 0)).toBe(summary.totals.paid);
    const hashes = await page.$$eval('#files tr[data-file]', (rows) => rows.map((r) => [r.getAttribute('data-file'), r.querySelector('[data-sha256]')?.textContent]));
    expect(hashes).toEqual([
      ['plan.json', manifest.plan.sha256],
      ...Object.values(manifest.inputs as Record<string, Json>).map((i) => [i.file, i.sha256]),
      ...manifest.outputs.map((o: Json) => [o.file, o.sha256]),
    ]);
    expect(await page.locator('tr[data-check="failed"]').count()).toBe(0);
    // Claims not paid: the rows add up to the claims less those paid above 0; uncashed as in the summary.
    const unpaid = await page.$$eval('#unpaid tbody tr[data-unpaid]', (rows) => rows.map((r) => [r.getAttribute('data-unpaid'), Number(r.getAttribute('data-count'))] as const));
    expect(unpaid.reduce((s, [, n]) => s + n, 0)).toBe(summary.totals.claims - summary.totals.paid);
    expect(unpaid.find(([reason]) => reason === 'uncashed')?.[1]).toBe(summary.totals.uncashed);
    await expect(page.locator('#unpaid tr[data-unpaid="total"] td.num').textContent()).resolves.toBe((summary.totals.claims - summary.totals.paid).toLocaleString('en-US'));
    expect(await page.locator('tr[data-check="ok"]').count()).toBe(8);
    expect(await page.locator('.warning').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
  }

  it('Facebook BIPA second round: the numbers of summary.json, drawn; fits A4 and prints', async () => {
    const dir = await round2('fb', FB, join(FB, 'uncashed.csv'), '12329.50');
    const { page, requests, summary, manifest } = await open(dir);
    await expectAgrees(page, summary, manifest);
    await expect(page.locator('[data-per-share]').textContent()).resolves.toBe('$0.077102 per $1.00 of first-round share');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 1000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    const pdf = join(dir, 'report.pdf');
    await within('printing the report to PDF', STEP_MS, page.pdf({ path: pdf, format: 'A4', printBackground: true }));
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    await within('closing the page', CLOSE_MS, page.context().close());
  }, TEST_MS);

  it('Equifax second round after a bucket plan: pro rata to the first-round amount', async () => {
    const list = tmp.write('eq-uncashed.csv', 'claim_id\nEQ0001\nEQ0011\nEQ0021\nEQ0091\nEQ0121\n');
    const dir = await round2('eq', EQ, list, '500.00');
    const { page, requests, summary, manifest } = await open(dir);
    await expectAgrees(page, summary, manifest);
    await expect(page.locator('[data-per-share]').textContent()).resolves.toBe('$0.189101 per $1.00 paid in the first round');
    expect(requests).toEqual([]);
    await within('closing the page', CLOSE_MS, page.context().close());
  }, TEST_MS);
});
