/**
 * The whole path in a real browser: landing page → lesson page → the page asks the server's engine
 * for attention → heatmap. Needs a production build (`npm test` runs `next build` first).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshot, VIEWPORTS, watchErrors } from '../helpers/browser';
import { setUpBrowserClass } from '../helpers/browser-class';

const CAT = '/lessons/the-cat-sat';
const HEATMAP = '.heatmap[data-head="who-did-it"]';

// wasm is what `npm start` uses by default: the browser test goes through the same backend.
const arena = setUpBrowserClass({ server: { backend: 'wasm' } });

/** The percentages printed in one query row of the heatmap, as numbers (`<1%` reads as 0.5). */
async function rowPercentages(page: Page, query: number): Promise<number[]> {
  const texts = await page.locator(`${HEATMAP} td[data-query="${query}"]`).allInnerTexts();
  return texts.map((text) => {
    const match = /(\d+)%/.exec(text);
    if (!match) return 0;
    return text.includes('<') ? Number(match[1]) / 2 : Number(match[1]);
  });
}

async function rowText(page: Page, query: number): Promise<string> {
  return (await page.locator(`${HEATMAP} td[data-query="${query}"]`).allInnerTexts()).join('|');
}

/** Waits until every dealt card has finished turning over, so screenshots show the settled page. */
async function cardsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('.qkv-card')];
    return cards.length > 0 && cards.every((card) => getComputedStyle(card).opacity === '1' && getComputedStyle(card).transform === 'none');
  });
}

async function newPage(viewport: { width: number; height: number }, extra: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await arena.browser.newContext({ viewport, ...extra });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

describe('lesson page, desktop', () => {
  it('goes from the lesson list to the cat lesson, shows the model’s attention and reacts to the knobs', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.desktop);
    try {
      await page.goto(`${arena.booted.url}/`);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/Be the token/);
      for (const name of ['Host a class', 'Join with a code', 'Play solo']) {
        expect(await page.getByRole('link', { name: new RegExp(name) }).count(), name).toBe(1);
      }
      const lessonLinks = page.locator('.lesson-list a.lesson-card');
      expect(await lessonLinks.count()).toBeGreaterThanOrEqual(1);
      await screenshot(page, 'landing-desktop');

      await page.locator(`a[href="${CAT}"]`).click();
      await page.waitForURL(`**${CAT}`);
      const satToCat = page.locator(`${HEATMAP} td[data-query="2"][data-key="1"]`);
      await satToCat.waitFor();
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/sat/i);

      // The heatmap is a real table with a caption and headers.
      const table = page.locator(`${HEATMAP} table`);
      expect(await table.locator('caption').textContent()).toMatch(/Where each token looks/);
      expect(await table.locator('thead th[scope="col"]').allInnerTexts()).toEqual(['The', 'cat', 'sat', 'on', 'a', 'mat']);
      expect(await table.locator('tbody th[scope="row"]').allInnerTexts()).toEqual(['The', 'cat', 'sat', 'on', 'a', 'mat']);

      const scaled = await rowPercentages(page, 2);
      expect(scaled).toHaveLength(6);
      expect(scaled[1], `sat's row: ${scaled.join(', ')}`).toBe(Math.max(...scaled));
      expect(scaled.filter((p) => p === scaled[1])).toHaveLength(1);
      expect(await satToCat.getAttribute('class')).toContain('is-peak');
      await expect(page.getByRole('status').innerText()).resolves.toMatch(/Computed by the server’s (wasm|cpu) engine/);

      // Q/K/V cards, labelled with the head's features.
      const satCards = page.getByRole('group', { name: 'Cards of sat' });
      await expect(satCards.getByRole('article').count()).resolves.toBe(3);
      await expect(satCards.getByRole('article', { name: 'Query card of sat' }).innerText()).resolves.toMatch(/can act\s*2/);

      await cardsSettled(page);
      await screenshot(page, 'lesson-desktop');

      // Scaling off: the same scores are no longer divided by √2, so softmax sharpens.
      const before = await rowText(page, 2);
      const scaleSwitch = page.getByRole('switch', { name: /Scale by/ });
      expect(await scaleSwitch.getAttribute('aria-checked')).toBe('true');
      await scaleSwitch.click();
      expect(await scaleSwitch.getAttribute('aria-checked')).toBe('false');
      await page.waitForFunction(
        ([selector, old]) => [...document.querySelectorAll(selector)].map((td) => (td as HTMLElement).innerText).join('|') !== old,
        [`${HEATMAP} td[data-query="2"]`, before] as const,
      );
      const unscaled = await rowPercentages(page, 2);
      expect(unscaled).not.toEqual(scaled);
      expect(unscaled[1]).toBeGreaterThan(scaled[1]);
      await expect(page.getByRole('status').innerText()).resolves.toMatch(/scaling off/);

      // The causal mask, from the keyboard: `The` may then look only at itself.
      const causal = page.getByRole('switch', { name: /Causal mask/ });
      await causal.focus();
      await page.keyboard.press('Space');
      await page.locator(`${HEATMAP} td.is-masked[data-query="0"][data-key="1"]`).waitFor();
      expect(await page.locator(`${HEATMAP} td[data-query="0"][data-key="0"]`).innerText()).toBe('100%');

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('a sentence with the same word twice', () => {
  it('labels every row and column of every head so the two "the"s differ', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.desktop);
    try {
      await page.goto(`${arena.booted.url}/lessons/multi-head`);
      await page.locator('.heatmap td[data-query="1"][data-key="0"]').first().waitFor();
      const heatmaps = page.locator('.heatmap');
      expect(await heatmaps.count()).toBeGreaterThanOrEqual(2);
      for (let h = 0; h < (await heatmaps.count()); h++) {
        const columns = await heatmaps.nth(h).locator('thead th').allInnerTexts();
        const rows = await heatmaps.nth(h).locator('tbody th').allInnerTexts();
        const squash = (labels: string[]) => labels.map((label) => label.replace(/\s+/g, ''));
        expect(new Set(squash(columns)).size, `columns of head ${h}: ${columns.join(', ')}`).toBe(columns.length);
        expect(new Set(squash(rows)).size, `rows of head ${h}: ${rows.join(', ')}`).toBe(rows.length);
        expect(squash(columns)).toContain('the2');
        expect(squash(columns)).toContain('the5');
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('on a 360px phone', () => {
  it('fits the screen without sideways scrolling and keeps the heatmap readable', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.phone, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(`${arena.booted.url}/`);
      await page.locator('.lesson-list').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      await screenshot(page, 'landing-phone');

      await page.goto(`${arena.booted.url}${CAT}`);
      await page.locator(`${HEATMAP} td[data-query="2"][data-key="1"]`).waitFor();
      await cardsSettled(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      // Each heatmap cell is at least a comfortable tap/read size.
      const box = await page.locator(`${HEATMAP} td[data-query="2"][data-key="1"]`).boundingBox();
      expect(box?.width ?? 0).toBeGreaterThanOrEqual(36);
      await screenshot(page, 'lesson-phone');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('with reduced motion', () => {
  it('shows the cards without the flip', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.desktop, { reducedMotion: 'reduce' });
    try {
      await page.goto(`${arena.booted.url}${CAT}`);
      await page.locator('.qkv-card').first().waitFor();
      await cardsSettled(page);
      // framer-motion skips transforms under reduced motion; opacity fades only.
      const rotations = await page.locator('.qkv-card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).style.transform));
      expect(rotations.every((t) => t === '' || t === 'none')).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
