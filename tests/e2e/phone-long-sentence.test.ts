/**
 * The longest sentence a lesson may have (16 words) on the smallest phone we design for (360×740):
 * the sliders fit in about two screens and the student's own query stays in sight while they scroll
 * to the last one. The lesson is a teacher's own, saved through the authoring API. Needs a production
 * build (`npm test` runs `next build` first).
 */
import { describe, expect, it } from 'vitest';
import type { AuthoredDraftInput } from '../../lib/authoring/lesson';
import { MAX_TOKENS } from '../../lib/authoring/sentence';
import { screenshot, VIEWPORTS } from '../helpers/browser';
import { joinAsStudent } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';
import { Client } from '../helpers/sockets';

const SIXTEEN_WORDS: AuthoredDraftInput = {
  sentence: 'The old fisherman said that the small boat near the river bank was slowly sinking today',
  arcs: [{ query: 11, key: 10 }],
  seed: 4,
};

/** "About two screens": the sliders may take up to two phone heights. */
const MAX_SCREENS = 2;

const clients: Client[] = [];

const arena = setUpBrowserClass({ closeAfterPeople: () => clients.forEach((client) => client.disconnect()) });

describe('a 16-word lesson on a 360×740 phone', () => {
  it('fits its sliders in about two screens and keeps the query in sight', async () => {
    const response = await fetch(`${arena.booted.url}/api/authored-lessons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ draft: SIXTEEN_WORDS }),
    });
    const saved = (await response.json()) as { id?: string; summary?: { tokens: string[] }; error?: { message: string } };
    if (!saved.id) throw new Error(`the lesson was not saved: ${saved.error?.message ?? response.status}`);
    expect(saved.summary?.tokens).toHaveLength(MAX_TOKENS);

    const teacher = await Client.connect(arena.booted.url);
    clients.push(teacher);
    const { code } = await teacher.must('session:create', { lessonId: saved.id, settings: {} });
    const phone = await arena.person(VIEWPORTS.phone);
    expect(VIEWPORTS.phone).toEqual({ width: 360, height: 740 });
    await joinAsStudent(phone.page, arena.booted.url, code, 'Robin');
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const sliders = phone.page.locator('input[type="range"]');
    await sliders.first().waitFor();
    expect(await sliders.count()).toBe(MAX_TOKENS);

    // From the first slider's card to the last one's: what the student scrolls through to allocate
    // (the lock-in bar sticks to the bottom of the screen, so it is not part of the run).
    const span = await phone.page.evaluate(() => document.querySelector('.board__rows')?.getBoundingClientRect().height ?? null);
    if (span === null) throw new Error('no sliders or no lock-in on the phone');
    expect(span / VIEWPORTS.phone.height, `the sliders run ${Math.round(span)} px`).toBeLessThanOrEqual(MAX_SCREENS);
    await phone.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phone.page, 'phone-16-words-top');

    // Scrolled to the last slider, the student's own query is still on screen.
    await sliders.last().scrollIntoViewIfNeeded();
    const query = await phone.page.locator('.board__query').boundingBox();
    expect(query, 'the query strip').not.toBeNull();
    expect(query!.y).toBeGreaterThanOrEqual(0);
    expect(query!.y + query!.height).toBeLessThanOrEqual(VIEWPORTS.phone.height);
    await phone.page.screenshot({ path: 'test-output/screenshots/phone-16-words-last-slider.png' });
    expect(phone.errors).toEqual([]);
  });
});
