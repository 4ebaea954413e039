/**
 * A teacher brings their own sentence, in Chromium: writes it in the editor, draws an arc, saves, hosts
 * it from the editor's link, and a phone plays it to the reveal. Needs a production build.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser';
import { VIEWPORTS, allocate, dashboardScore, joinAsStudent, studentScore, teacherDoes, waitForPhase } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';

const arena = setUpBrowserClass();

describe('the lesson editor', () => {
  it('a teacher writes a sentence, draws an arc, saves, hosts it, and a phone plays it to the reveal', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const page = teacher.page;

    // From the landing page to the editor.
    await page.goto(arena.booted.url);
    await page.getByRole('link', { name: 'Bring your own sentence' }).click();
    await page.waitForURL(/\/lessons\/new$/);

    // Bad input first: an emoji is refused, naming it.
    const sentence = page.getByLabel(/Up to 16 words/);
    await sentence.fill('The fox 🦊 ran');
    await page.getByRole('alert').filter({ hasText: '"🦊" is an emoji' }).waitFor();

    await sentence.fill('The fisherman rowed his boat to the bank of the river');
    await page.locator('.editor__token', { hasText: 'fisherman' }).waitFor();
    await page.getByRole('status').filter({ hasText: /Built: 11 words/ }).waitFor();

    // The arc: bank (word 8) should look at river (word 11).
    await page.getByLabel('Arc from').selectOption('7');
    await page.getByLabel('Arc to').selectOption('10');
    await page.getByRole('button', { name: 'Draw arc' }).click();
    const arc = page.locator('.editor__arcs li[data-arc="7>10"]');
    await arc.filter({ hasText: 'reached:' }).waitFor();
    expect(await arc.getAttribute('class')).toBe('is-reached');
    // The suggested goal, checked by the claims checker (its text is an editable field; the evidence is not).
    await page.locator('.editor__goals li.holds .editor__evidence', { hasText: /"bank"'s row the largest weight is .* on "river"/ }).waitFor();
    expect(await page.getByLabel('Goal 1').inputValue()).toBe('In the meaning head, bank gives its largest weight to river.');
    await page.locator('.editor__token[data-token="7"]').click();
    await screenshot(page, 'authoring-editor');

    // Save: an edit link, and a link that hosts it.
    await page.getByRole('button', { name: 'Save lesson' }).click();
    const link = await page.getByLabel('Edit link').inputValue();
    expect(link).toMatch(/\/lessons\/authored-[0-9a-f]{16}\/edit#secret=/);
    const lessonId = /authored-[0-9a-f]{16}/.exec(link)![0];
    await page.locator('a[data-host-link]').click();
    await page.waitForURL(new RegExp(`/host\\?lesson=${lessonId}$`));
    await page.locator(`label[data-lesson="${lessonId}"].is-checked`).waitFor();
    await screenshot(page, 'authoring-host');
    await page.getByRole('button', { name: 'Open session' }).click();
    await page.waitForURL(/\/host\/[A-Z0-9]{8}$/);
    const code = await page.locator('.dash [data-join-code]').getAttribute('data-join-code');
    if (!code) throw new Error('no join code');

    // A phone joins and plays the round to the reveal.
    const phone = await arena.person(VIEWPORTS.phone);
    await joinAsStudent(phone.page, arena.booted.url, code, 'Robin');
    await teacherDoes(page, 'teacher:start-round', 'cards');
    await teacherDoes(page, 'teacher:open-negotiation', 'negotiate');
    await allocate(phone.page, 1, 3);
    await screenshot(phone.page, 'authoring-phone-negotiate');
    await teacherDoes(page, 'teacher:lock', 'locked');
    await teacherDoes(page, 'teacher:reveal', 'reveal');
    await phone.page.locator('.result .score__number').waitFor();
    expect(await studentScore(phone.page)).toBe(await dashboardScore(page, 'Robin'));
    await waitForPhase(page, '.dash', 'reveal');
    await screenshot(phone.page, 'authoring-phone-reveal');

    // The editor lists it on this browser.
    await page.goto(`${arena.booted.url}/lessons/new`);
    await page.locator('.editor__yours li', { hasText: 'fisherman' }).waitFor();

    for (const person of arena.people) expect(person.errors).toEqual([]);
  }, 240_000);
});
