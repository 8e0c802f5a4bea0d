/**
 * The HTML pages of `payout accounting` and `payout compare` in headless Chromium (the Debian
 * package, driven by playwright-core; nothing is downloaded), one browser for the file. The
 * figures are read back from the drawn page and checked against the ledgers, recomputed in
 * ./independent.ts; the pages fetch nothing, run no script and fit an A4 sheet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { ARGS, CHROMIUM, HAVE_CHROMIUM, MUST_RUN, noteMissingChromium } from '../helpers/chromium.js';
import { deductions, fromCents, ledger, pct, statsByClass, toCents } from './independent.js';

noteMissingChromium('pages.browser.test');

const FB = join(ROOT, 'fixtures/facebook-round2');
const TIKTOK = join(ROOT, 'fixtures/tiktok');
const tmp = tempDir();

describe.skipIf(!HAVE_CHROMIUM && !MUST_RUN)(`accounting and compare pages in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  const fb1 = tmp.path('fb1');
  const fb2 = tmp.path('fb2');

  beforeAll(async () => {
    const launching = chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
    const r1 = await runCli(['allocate', '--plan', join(FB, 'plan.json'), join(FB, 'claims.csv'), '--out', fb1, '--quiet']);
    expect(r1.code).toBe(0);
    const r2 = await runCli(['redistribute', '--plan', join(FB, 'plan.json'), '--from', fb1, '--uncashed', join(FB, 'uncashed.csv'), '--costs', '12329.50', '--out', fb2, '--quiet']);
    expect(r2.code).toBe(0);
    browser = await launching;
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a file offline; any other request is refused and recorded. */
  async function open(file: string): Promise<{ page: Page; requests: string[] }> {
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests };
  }

  async function expectFitsA4(page: Page): Promise<void> {
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 1000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
  }

  const cents = (page: Page, selector: string): Promise<string | null> => page.locator(selector).first().getAttribute('data-cents');

  it('accounting.html of the two Facebook rounds shows the recomputed figures', async () => {
    const html = tmp.path('accounting.html');
    const r = await runCli(['accounting', fb1, fb2, '--out', tmp.path('accounting.csv'), '--html', html]);
    expect(r.code).toBe(0);
    const { page, requests } = await open(html);

    const d = deductions(join(FB, 'plan.json'));
    await expect(cents(page, '#fund tr[data-item="fund"] [data-field="amount"]')).resolves.toBe(d.fund.toString());
    const shown = await page.$$eval('#fund tr[data-item="deduction"]', (rows) =>
      rows.map((row) => ({
        label: row.getAttribute('data-label'),
        cents: row.querySelector('[data-field="amount"]')?.getAttribute('data-cents'),
        percent: row.querySelector('[data-field="percent"]')?.textContent,
      })),
    );
    expect(shown).toEqual(d.lines.map((l) => ({ label: l.label, cents: toCents(l.amount).toString(), percent: `${l.percent}%` })));

    for (const [round, dir] of [[1, fb1], [2, fb2]] as const) {
      const want = statsByClass(ledger(dir));
      for (const [id, w] of want) {
        const row = page.locator(`#round-${round} table.payments tr[data-class="${id}"]`);
        const field = (f: string) => row.locator(`[data-field="${f}"]`).getAttribute(f === 'payments' || f === 'claims' ? 'data-count' : 'data-cents');
        await expect(field('claims')).resolves.toBe(String(w.claims));
        await expect(field('payments')).resolves.toBe(String(w.payments));
        await expect(field('total')).resolves.toBe(toCents(w.total).toString());
        for (const f of ['average', 'median', 'smallest', 'largest'] as const) {
          await expect(field(f)).resolves.toBe(toCents(w[f]!).toString());
        }
      }
    }
    // Uncashed of round 1, from round 2's ledger; round 2's are not known.
    const uncashed = ledger(fb2).filter((x) => x.outcome === 'uncashed');
    const value = uncashed.reduce((s, x) => s + toCents(x.first_amount!), 0n);
    const row = page.locator('#round-1 tr[data-item="uncashed"]');
    await expect(row.locator('[data-field="count"]').getAttribute('data-count')).resolves.toBe(String(uncashed.length));
    await expect(row.locator('[data-field="amount"]').getAttribute('data-cents')).resolves.toBe(value.toString());
    const paid1 = ledger(fb1).reduce((s, x) => s + toCents(x.amount!), 0n);
    await expect(row.locator('[data-field="percent"]').textContent()).resolves.toBe(`${pct(value, paid1)}% of the amount paid`);
    await expect(page.locator('#round-2 [data-item="uncashed"]').textContent()).resolves.toContain('not given');
    // Facts not given say so; the page balances.
    await expect(page.locator('#class tr[data-item="objections"] [data-field="count"]').textContent()).resolves.toBe('not given');
    await expect(page.locator('[data-balanced]').getAttribute('data-balanced')).resolves.toBe('true');
    const paid2 = ledger(fb2).reduce((s, x) => s + toCents(x.amount!), 0n);
    await expect(cents(page, '#totals tr[data-item="distributed"] [data-field="amount"]')).resolves.toBe((paid1 - value + paid2).toString());

    expect(await page.locator('script').count()).toBe(0);
    expect(requests).toEqual([]);
    await expectFitsA4(page);
    await page.context().close();
  });

  it('accounting.html with a pay folder lists the payments by method as payments.csv has them', async () => {
    const P = join(ROOT, 'fixtures/payments');
    const round1 = tmp.path('p1');
    const pay1 = tmp.path('pay1');
    expect((await runCli(['allocate', '--plan', join(P, 'plan.json'), join(P, 'claims.csv'), '--out', round1, '--quiet'])).code).toBe(0);
    expect((await runCli(['pay', '--plan', join(P, 'plan.json'), join(P, 'claims.csv'), '--from', round1, '--elections', join(P, 'elections.csv'), '--out', pay1])).code).toBe(0);
    const html = tmp.path('paid.html');
    expect((await runCli(['accounting', round1, '--payments', pay1, '--out', tmp.path('paid.csv'), '--html', html])).code).toBe(0);
    const want = new Map<string, { n: number; cents: bigint }>();
    for (const p of parse(readFileSync(join(pay1, 'payments.csv')), { columns: true }) as Record<string, string>[]) {
      const w = want.get(p.method!) ?? { n: 0, cents: 0n };
      want.set(p.method!, { n: w.n + 1, cents: w.cents + toCents(p.amount!) });
    }
    const { page, requests } = await open(html);
    const rows = await page.$$eval('#payment-methods tr[data-method]', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-method'), tr.querySelector('[data-count]')?.getAttribute('data-count'), tr.querySelector('[data-cents]')?.getAttribute('data-cents')]),
    );
    expect(rows).toEqual([...want].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, w]) => [m, String(w.n), w.cents.toString()]));
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it('compare.html of TikTok 6 vs 5: counts and histogram agree with the diff CSV', async () => {
    const plan = JSON.parse(readFileSync(join(TIKTOK, 'plan.json'), 'utf8')) as { classes: { id: string; weight: string }[] };
    const plan5 = tmp.write('plan5.json', JSON.stringify({ ...plan, classes: plan.classes.map((c) => (c.id === 'illinois' ? { ...c, weight: '5' } : c)) }));
    const html = tmp.path('compare.html');
    const diff = tmp.path('diff.csv');
    const r = await runCli(['compare', '--plan', join(TIKTOK, 'plan.json'), '--plan', plan5, join(TIKTOK, 'claims.csv'), '--out', diff, '--html', html]);
    expect(r.code).toBe(0);
    const changes = readFileSync(diff, 'utf8').trim().split('\n').slice(1).map((line) => {
      const change = line.split(',').at(-1)!;
      return change.startsWith('-') ? -toCents(change.slice(1)) : toCents(change);
    });
    const { page, requests } = await open(html);
    const count = (k: string) => page.locator(`[data-figure="${k}"]`).getAttribute('data-count');
    await expect(count('gain')).resolves.toBe(String(changes.filter((c) => c > 0n).length));
    await expect(count('lose')).resolves.toBe(String(changes.filter((c) => c < 0n).length));
    await expect(count('unchanged')).resolves.toBe(String(changes.filter((c) => c === 0n).length));
    const bars = await page.$$eval('svg.histogram rect[data-count]', (rects) => rects.map((x) => ({ lo: x.getAttribute('data-lo-cents')!, hi: x.getAttribute('data-hi-cents')!, n: Number(x.getAttribute('data-count')) })));
    expect(bars.reduce((s, b) => s + b.n, 0)).toBe(changes.length);
    for (const b of bars) expect(changes.filter((c) => c >= BigInt(b.lo) && c <= BigInt(b.hi)).length).toBe(b.n);
    expect(fromCents(BigInt(bars[0]!.lo))).toMatch(/^-/);
    expect(requests).toEqual([]);
    await expectFitsA4(page);
    await page.context().close();
  });
});
