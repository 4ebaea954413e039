/**
 * One student, two tabs (a phone and a laptop, or a reopened tab): whichever tab moves a slider, both
 * show the same sliders afterwards. Needs a production build (`npm test` runs `next build` first).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser';
import { allocate, joinAsStudent, openSession, teacherDoes } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';

const arena = setUpBrowserClass();

/** Every slider's spoken value, in order: what the student reads off the screen. */
function sliders(page: Page): Promise<string[]> {
  return page.locator('input[type="range"]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('aria-valuetext') ?? ''));
}

/** Waits until both tabs show the same sliders and they are not the untouched default; returns them. */
async function agree(a: Page, b: Page, unlike: readonly string[]): Promise<string[]> {
  await expect.poll(async () => {
    const [left, right] = await Promise.all([sliders(a), sliders(b)]);
    return JSON.stringify(left) === JSON.stringify(right) && JSON.stringify(left) !== JSON.stringify(unlike) ? 'same' : `${left.join(' ')} | ${right.join(' ')}`;
  }, { timeout: 60_000 }).toBe('same');
  return sliders(a);
}

describe('two tabs of one student', () => {
  it('follow each other, whichever tab moved last', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const student = await arena.person(VIEWPORTS.phone);
    const code = await openSession(teacher.page, arena.booted.url, 'the-cat-sat');
    const tabA = student.page;
    await joinAsStudent(tabA, arena.booted.url, code, 'Ada');
    // The second tab shares the first one's storage, so it opens as the same student.
    const tabB = await student.context.newPage();
    await tabB.goto(`${arena.booted.url}/play/${code}`);
    await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
    await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
    for (const tab of [tabA, tabB]) await tab.locator('input[type="range"]').first().waitFor();
    const untouched = await sliders(tabA);

    await allocate(tabA, 0, 3);
    const afterA = await agree(tabA, tabB, untouched);

    await allocate(tabB, 1, 4);
    const afterB = await agree(tabA, tabB, afterA);
    expect(afterB).not.toEqual(afterA);

    // And back again: the first tab's own earlier moves do not pin it to what it last sent.
    await allocate(tabA, 2, 2);
    expect(await agree(tabA, tabB, afterB)).not.toEqual(afterB);
  });
});
