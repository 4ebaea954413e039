/**
 * Solo play in Chromium, as a new learner: landing page → the path → level 1 played to the end (two key
 * words, a dot product of help, the reveal, the finish with a nickname) → level 2 open on the path.
 * Then the same level on a 360px phone, a reload in the middle of a round, and the keyboard.
 * Needs a production build (`npm test` runs `next build` first).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshot, VIEWPORTS, watchErrors } from '../helpers/browser';
import { setUpBrowserClass } from '../helpers/browser-class';

const arena = setUpBrowserClass();

async function newPage(viewport: { width: number; height: number }, extra: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await arena.browser.newContext({ viewport, ...extra });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

/** Waits until the dealt cards have finished turning over, so screenshots show the settled page. */
async function cardsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('.qkv-card')];
    return cards.length > 0 && cards.every((card) => getComputedStyle(card).opacity === '1' && getComputedStyle(card).transform === 'none');
  });
}

/** The slider of one word in the allocation board. */
const slider = (page: Page, token: number) => page.locator(`.solo-row[data-token="${token}"] input[type="range"]`);

async function noSidewaysScroll(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe('solo, desktop', () => {
  it('plays level 1 to the end and opens level 2', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.desktop);
    try {
      await page.goto(`${arena.booted.url}/`);
      await page.getByRole('link', { name: /Play solo/ }).click();
      await page.waitForURL('**/solo');
      await page.locator('.solo-level').first().waitFor();
      expect(await page.locator('.solo-level').count()).toBe(8);
      expect(await page.locator('.solo-level[data-lesson="recurrent-bottleneck"]').getAttribute('data-state')).toBe('current');
      expect(await page.locator('.solo-level[data-lesson="the-cat-sat"]').getAttribute('data-state')).toBe('locked');
      expect(await page.locator('.solo-level[data-lesson="the-cat-sat"] a', { hasText: 'Play' }).count()).toBe(0);
      await screenshot(page, 'solo-path-desktop');

      await page.getByRole('link', { name: 'Start with level 1 →' }).click();
      await page.waitForURL('**/solo/recurrent-bottleneck');
      await page.getByRole('heading', { name: 'Before attention: pass the note' }).waitFor();
      // Lisbon all but vanishes from the carried note.
      await expect(page.locator('.solo-note__bars li.is-fact', { hasText: 'Lisbon' }).innerText()).resolves.toMatch(/Lisbon\s*<0\.1%/);
      // The star word is chosen already.
      expect(await page.locator('.solo-pick.is-checked').innerText()).toMatch(/Portuguese/);
      await screenshot(page, 'solo-intro-desktop');

      await page.getByRole('button', { name: 'Play “Portuguese”' }).click();
      await page.getByRole('heading', { name: /You are Portuguese/ }).waitFor();
      await cardsSettled(page);
      // The heading takes the focus, so a keyboard or screen-reader user starts reading there.
      expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/You are Portuguese/);
      // Every key is on the table; help is priced before it is taken.
      expect(await page.locator('.solo-row .solo-key').count()).toBe(14);
      const askLisbon = page.locator('.solo-row[data-token="4"] .solo-chip-button');
      await expect(askLisbon.getAttribute('aria-label')).resolves.toBe('Work out my query times the key of Lisbon, costs 10 points');
      await askLisbon.click();
      await expect(page.locator('.solo-row[data-token="4"] .solo-dot__total').innerText()).resolves.toBe('6');
      await expect(page.locator('.solo-help').innerText()).resolves.toMatch(/so far 10 points/);

      // From the keyboard: the slider moves by 1% per arrow press.
      await slider(page, 4).focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('.solo-row[data-token="4"] .solo-row__percent').innerText()).resolves.toBe('8%');
      await slider(page, 4).fill('60');
      await expect(page.locator('.solo-row[data-token="4"] .solo-row__percent').innerText()).resolves.toBe('60%');
      const total = (await page.locator('.solo-row__percent').allInnerTexts()).reduce((sum, text) => sum + Number.parseInt(text, 10), 0);
      expect(total).toBe(100);
      await screenshot(page, 'solo-play-desktop');

      await page.getByRole('button', { name: 'Lock in and reveal' }).click();
      await page.getByRole('heading', { name: /points for “Portuguese”/ }).waitFor();
      const first = Number(await page.locator('.solo-score__points').innerText());
      expect(first).toBeGreaterThan(700);
      await expect(page.locator('.solo-score__detail').innerText()).resolves.toMatch(/− help 10 =/);
      await expect(page.locator('.solo-sentences').innerText()).resolves.toMatch(/to “Lisbon”, more than to any other word/);
      expect(await page.locator('.solo-compare__row').count()).toBe(14);
      await expect(page.locator('.solo-cosine').innerText()).resolves.toMatch(/Cosine \d/);
      await expect(page.locator('.solo-finish-box').innerText()).resolves.toMatch(/Play “he” to finish/);
      await screenshot(page, 'solo-reveal-desktop');

      // The next star word is suggested.
      expect(await page.locator('.solo-pick.is-checked').innerText()).toMatch(/he/);
      await page.getByRole('button', { name: 'Play “he”' }).click();
      await page.getByRole('heading', { name: /You are he/ }).waitFor();
      await slider(page, 0).fill('30');
      await page.getByRole('button', { name: 'Lock in and reveal' }).click();
      await page.getByRole('heading', { name: /points for “he”/ }).waitFor();

      await page.getByLabel(/Name on the leaderboard/).fill('E2E Owl');
      await page.getByRole('button', { name: 'Finish level' }).click();
      await page.getByRole('heading', { name: /\d+ points/ }).waitFor();
      await expect(page.locator('.solo-finish__hero').innerText()).resolves.toMatch(/Level 1 complete/i);
      const stars = await page.locator('.solo-finish__hero .solo-stars').getAttribute('aria-label');
      expect(stars).toMatch(/^[1-3] of 3 stars$/);
      await page.locator('.solo-ranking').getByText('E2E Owl').waitFor();
      expect(await page.locator('.heatmap[data-head="reach-back"] td[data-query="13"]').count()).toBe(14);
      const next = page.getByRole('link', { name: /Next level: Who sat\?/ });
      await next.waitFor();
      await screenshot(page, 'solo-finish-desktop');

      await page.goto(`${arena.booted.url}/solo`);
      await page.locator('.solo-level').first().waitFor();
      expect(await page.locator('.solo-level[data-lesson="recurrent-bottleneck"]').getAttribute('data-state')).toBe('done');
      expect(await page.locator('.solo-level[data-lesson="the-cat-sat"]').getAttribute('data-state')).toBe('current');
      await expect(page.locator('.solo-nickname input').inputValue()).resolves.toBe('E2E Owl');
      await screenshot(page, 'solo-path-after-desktop');

      // Level 2 starts: the next level really is open.
      await page.locator('.solo-level[data-lesson="the-cat-sat"]').getByRole('link', { name: /Play/ }).click();
      await page.getByRole('button', { name: 'Play “sat”' }).click();
      await page.getByRole('heading', { name: /You are sat/ }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('solo on a 360px phone', () => {
  it('fits the screen, survives a reload mid-round and plays by keyboard', async () => {
    const { context, page, errors } = await newPage(VIEWPORTS.phone, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(`${arena.booted.url}/solo`);
      await page.locator('.solo-level').first().waitFor();
      await noSidewaysScroll(page, VIEWPORTS.phone.width);
      await screenshot(page, 'solo-path-phone');

      await page.goto(`${arena.booted.url}/solo/recurrent-bottleneck`);
      await page.getByRole('button', { name: 'Play “Portuguese”' }).waitFor();
      await noSidewaysScroll(page, VIEWPORTS.phone.width);
      await screenshot(page, 'solo-intro-phone');

      // Choose the whole-sentence mode with the keyboard, then start.
      await page.getByLabel(/The whole sentence/).focus();
      await page.keyboard.press('Space');
      const start = page.getByRole('button', { name: 'Start with the first row' });
      await start.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /You are Tomás/ }).waitFor();
      await cardsSettled(page);
      const saved = page.waitForResponse((response) => response.url().endsWith('/allocate') && response.ok());
      await slider(page, 0).fill('40');
      await saved;
      await noSidewaysScroll(page, VIEWPORTS.phone.width);
      await screenshot(page, 'solo-play-phone');

      // A reload brings the same round back (the move was saved).
      await page.reload();
      await page.getByRole('heading', { name: /You are Tomás/ }).waitFor();
      await expect(page.locator('.solo-row[data-token="0"] .solo-row__percent').innerText()).resolves.toBe('40%');

      await page.getByRole('button', { name: 'Lock in and reveal' }).click();
      await page.getByRole('heading', { name: /points for “Tomás”/ }).waitFor();
      await noSidewaysScroll(page, VIEWPORTS.phone.width);
      await screenshot(page, 'solo-reveal-phone');
      await page.getByRole('button', { name: /Next row: “grew” \(2 of 14\)/ }).click();
      await page.getByRole('heading', { name: /You are grew/ }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
