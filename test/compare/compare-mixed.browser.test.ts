/**
 * The compare page (`payout compare --html`) of a bucket plan against a plan of classes, in
 * headless Chromium (the Debian package, driven by playwright-core; nothing is downloaded): the
 * page renders offline with no script, lists each plan's own groups (the buckets of one, the class
 * of the other) with the figures of `--json`, names both groups in the largest moves, and has no
 * horizontal overflow on a 360 px phone screen nor on an A4 sheet. The page of two plans of classes
 * (fixtures/tiktok, Illinois weight 6 against 5) too: its seven-column class table, multi-million
 * amounts, fits a phone as one card per class and keeps its columns on wider screens and paper.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { mixedInputs } from '../buckets/helpers.js';
import { ARGS, CHROMIUM, CLOSE_MS, HAVE_CHROMIUM, LAUNCH_MS, MUST_RUN, STEP_MS, TEST_MS, noteMissingChromium, within } from '../helpers/chromium.js';

noteMissingChromium('compare-mixed.browser.test');

const EQUIFAX = join(ROOT, 'fixtures/equifax-buckets');
const tmp = tempDir();

interface Groups {
  by: 'class' | 'bucket';
  rows: { id: string; claims: number; paid: number; amount: string }[];
}
interface CompareJson {
  claims: number;
  gain: number;
  lose: number;
  unchanged: number;
  groupsA: Groups;
  groupsB: Groups;
  largestMoves: { claimId: string; groupA: string; groupB: string; amountA: string; amountB: string; change: string }[];
}

/** "212345.60" → "21234560": the pages carry cents in data-cents. */
const cents = (amount: string): string => BigInt(amount.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1')).toString();

// One browser for the file's two groups of pages.
describe.skipIf(!HAVE_CHROMIUM && !MUST_RUN)(`compare pages in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await within('launching Chromium', LAUNCH_MS, chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: LAUNCH_MS }));
  }, LAUNCH_MS + 5_000);
  afterAll(async () => {
    await within('closing Chromium', CLOSE_MS, browser?.close() ?? Promise.resolve());
  }, CLOSE_MS + 5_000);

  describe('a bucket plan against a plan of classes', () => {
    /** Opens a file offline at `width` px; any other request is refused and recorded. */
    async function open(file: string, width: number): Promise<{ page: Page; requests: string[] }> {
      const url = pathToFileURL(file).href;
      const context = await browser.newContext({ viewport: { width, height: 800 }, offline: true });
      context.setDefaultTimeout(STEP_MS);
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await page.goto(url, { waitUntil: 'load' });
      return { page, requests };
    }

    /** How far the page, or any element on it (a table cut by a scrolling box too), reaches past the viewport's right edge. */
    const overflow = (page: Page): Promise<number> =>
      page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const right = Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right));
        return Math.max(document.documentElement.scrollWidth - width, right - width);
      });

    /** Each plan's groups as drawn: [id, claims, paid, cents], only rows the browser lays out. */
    const drawnGroups = (page: Page, side: 'a' | 'b') =>
      page.$$eval(`#classes table[data-plan="${side}"] tbody tr[data-group]`, (rows) =>
        rows
          .filter((r) => (r as HTMLElement).offsetHeight > 0)
          .map((r) => [
            r.getAttribute('data-group'),
            r.querySelector('[data-field="claims"]')?.textContent,
            r.querySelector('[data-field="paid"]')?.textContent,
            r.querySelector('[data-field="amount"]')?.getAttribute('data-cents'),
          ]),
      );

    for (const order of ['buckets-first', 'classes-first'] as const) {
      it(`${order === 'buckets-first' ? 'bucket plan as A' : 'plan of classes as A'}: renders, lists both plans' groups, no overflow at 360 px`, async () => {
        const { claims, classes } = mixedInputs(ROOT, tmp.write);
        const plans = order === 'buckets-first' ? [join(EQUIFAX, 'plan.json'), classes] : [classes, join(EQUIFAX, 'plan.json')];
        const html = tmp.path(`${order}.html`);
        const args = ['compare', '--plan', plans[0]!, '--plan', plans[1]!, claims];
        const r = await runCli([...args, '--html', html]);
        expect(r.code, r.stderr).toBe(0);
        const json = await runCli([...args, '--json']);
        expect(json.code, json.stderr).toBe(0);
        const want = JSON.parse(json.stdout) as CompareJson;
        const [bucketSide, classSide] = order === 'buckets-first' ? (['a', 'b'] as const) : (['b', 'a'] as const);
        expect([want.groupsA.by, want.groupsB.by]).toEqual(order === 'buckets-first' ? ['bucket', 'class'] : ['class', 'bucket']);

        const { page, requests } = await open(html, 360);
        // It renders: the title, the figures of --json, the sentence saying the groups are not comparable.
        await expect(page.title()).resolves.toBe(`Plan comparison: ${order === 'buckets-first' ? 'Equifax data breach settlement, at 1/1000 of the fund (benefit buckets)' : 'Equifax as one class'}`);
        for (const k of ['gain', 'lose', 'unchanged', 'claims'] as const) {
          await expect(page.locator(`[data-figure="${k}"]`).getAttribute('data-count')).resolves.toBe(String(want[k]));
        }
        await expect(page.locator('#classes h2').textContent()).resolves.toBe(
          order === 'buckets-first' ? 'By bucket under A, by class under B' : 'By class under A, by bucket under B',
        );
        expect(await page.locator('[data-not-comparable]').isVisible()).toBe(true);

        // Both plans' groups, each with its own figures, in the plan's order.
        for (const [side, groups] of [['a', want.groupsA], ['b', want.groupsB]] as const) {
          expect(await drawnGroups(page, side)).toEqual(groups.rows.map((g) => [g.id, g.claims.toLocaleString('en-US'), g.paid.toLocaleString('en-US'), cents(g.amount)]));
          await expect(page.locator(`#classes table[data-plan="${side}"] thead th`).first().textContent()).resolves.toBe(
            `${groups.by === 'class' ? 'Class' : 'Bucket'} (plan ${side.toUpperCase()})`,
          );
        }
        expect((await drawnGroups(page, bucketSide)).map((g) => g[0])).toEqual(['documented', 'time', 'cash']);
        expect((await drawnGroups(page, classSide)).map((g) => g[0])).toEqual(['all']);

        // The largest moves name the claim's group under each plan.
        const heads = await page.$$eval('#moves thead th', (ths) => ths.map((th) => th.textContent));
        expect(heads).toEqual(['Claim', order === 'buckets-first' ? 'Buckets under A' : 'Class under A', order === 'buckets-first' ? 'Class under B' : 'Buckets under B', 'Under A', 'Under B', 'Change']);
        const moves = await page.$$eval('#moves tbody tr[data-claim]', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
        expect(moves.map((m) => m.slice(0, 3))).toEqual(want.largestMoves.map((m) => [m.claimId, m.groupA, m.groupB]));

        // Offline, no script; nothing wider than a 360 px phone, nor than an A4 sheet on screen and in print.
        expect(await page.locator('script').count()).toBe(0);
        expect(requests).toEqual([]);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.setViewportSize({ width: 794, height: 1123 });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: 703, height: 1000 });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await within('closing the page', CLOSE_MS, page.context().close());
      }, TEST_MS);
    }
  });

  /** The Illinois weight 6 of fixtures/tiktok against 5: docs/compare.md's example of two plans of classes. */
  const TIKTOK = join(ROOT, 'fixtures/tiktok');
  function tiktokPlans(): [string, string] {
    const plan6 = JSON.parse(readFileSync(join(TIKTOK, 'plan.json'), 'utf8')) as { classes: { id: string; weight: string }[] };
    const plan5 = { ...plan6, classes: plan6.classes.map((c) => (c.id === 'illinois' ? { ...c, weight: '5' } : c)) };
    return [join(TIKTOK, 'plan.json'), tmp.write('tiktok-weight-5.json', JSON.stringify(plan5, null, 2))];
  }

  describe('two plans of classes', () => {

    /** Every element whose right edge passes the viewport's, with how far: none on a page that fits. */
    const pastRightEdge = (page: Page): Promise<string[]> =>
      page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const past = [...document.querySelectorAll('body *')]
          .map((e) => ({ e, right: e.getBoundingClientRect().right }))
          .filter(({ right }) => right > width + 0.5)
          .map(({ e, right }) => `${e.tagName.toLowerCase()}${e.getAttribute('data-field') === null ? '' : `[${e.getAttribute('data-field')}]`} +${Math.ceil(right - width)} px`);
        const scroll = document.documentElement.scrollWidth - width;
        return scroll > 0 ? [`the page scrolls ${scroll} px`, ...past] : past;
      });

    /** Each class as drawn: its id, then every figure's label (a column head or the card's) and text. */
    const drawnClasses = (page: Page) =>
      page.$$eval('#classes table.classes tbody tr[data-class]', (rows) =>
        rows.map((r) => {
          const heads = [...r.closest('table')!.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
          const cells = [...r.querySelectorAll('td')];
          const label = (td: Element, i: number) => {
            const shown = getComputedStyle(td, '::before').content;
            return shown !== 'none' && shown !== 'normal' ? JSON.parse(shown) as string : heads[i + 1];
          };
          return [r.getAttribute('data-class'), ...cells.map((td, i) => `${label(td, i)}: ${td.textContent?.trim()}`)];
        }),
      );

    it('TikTok, weight 6 against 5: the class table fits 360 px as cards with the figures of --json, keeps its columns at A4 and in print', async () => {
      const [planA, planB] = tiktokPlans();
      const claims = join(TIKTOK, 'claims.csv');
      const html = tmp.path('tiktok-compare.html');
      const args = ['compare', '--plan', planA, '--plan', planB, claims];
      const r = await runCli([...args, '--html', html]);
      expect(r.code, r.stderr).toBe(0);
      const json = await runCli([...args, '--json']);
      expect(json.code, json.stderr).toBe(0);
      const want = JSON.parse(json.stdout) as { classes: { id: string; claims: number; paidA: number; paidB: number; amountA: string; amountB: string; change: string }[] };
      const money = (s: string, signed = false): string => {
        const text = `$${BigInt(s.replace(/^-/, '').split('.')[0]!).toLocaleString('en-US')}.${s.split('.')[1]}`;
        return s.startsWith('-') ? `-${text}` : signed && s !== '0.00' ? `+${text}` : text;
      };
      const expected = (heads: string[]) =>
        want.classes.map((c) => [
          c.id,
          ...[c.claims.toLocaleString('en-US'), c.paidA.toLocaleString('en-US'), c.paidB.toLocaleString('en-US'), money(c.amountA), money(c.amountB), money(c.change, true)].map(
            (v, i) => `${heads[i]}: ${v}`,
          ),
        ]);

      const context = await browser.newContext({ viewport: { width: 360, height: 800 }, offline: true });
      context.setDefaultTimeout(STEP_MS);
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      // A phone: nothing past the right edge; a card per class, each figure named by its own label.
      expect(await pastRightEdge(page)).toEqual([]);
      expect(await page.locator('#classes table.classes thead').isVisible()).toBe(false);
      const cards = ['Claims', 'Paid under A', 'Paid under B', 'Amount under A', 'Amount under B', 'Change'];
      expect(await drawnClasses(page)).toEqual(expected(cards));
      expect(want.classes.map((c) => c.id)).toEqual(['nationwide', 'illinois']);
      // An A4 screen and paper: the table with its column heads, nothing past the edge.
      await page.setViewportSize({ width: 794, height: 1123 });
      expect(await pastRightEdge(page)).toEqual([]);
      expect(await page.locator('#classes table.classes thead').isVisible()).toBe(true);
      expect(await drawnClasses(page)).toEqual(expected(cards));
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 703, height: 1000 });
      expect(await pastRightEdge(page)).toEqual([]);
      expect(await page.locator('#classes table.classes thead').isVisible()).toBe(true);
      await within('closing the page', CLOSE_MS, context.close());
    }, TEST_MS);
  });
});
