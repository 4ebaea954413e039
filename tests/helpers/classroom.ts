/**
 * Playing a class in real browsers: the teacher's pages (host, dashboard), the projector's stage and a
 * student's phone, driven the way people use them (labels, roles, buttons), waiting for what the
 * server sends, never for the clock.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VIEWPORTS, watchErrors } from './browser';

/** A page in its own browser context (its own localStorage: one person, one device). */
export interface Person {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and failed requests, for a final `expect(errors).toEqual([])`. */
  errors: string[];
}

/** A projector-sized screen for the stage. */
export const PROJECTOR = { width: 1600, height: 900 } as const;

export async function newPerson(browser: Browser, viewport: { width: number; height: number }): Promise<Person> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

/** The teacher opens a session of `lessonId` from /host and lands on the dashboard; returns the join code. */
export async function openSession(teacher: Page, baseUrl: string, lessonId: string): Promise<string> {
  await teacher.goto(`${baseUrl}/host`);
  await teacher.locator(`label[data-lesson="${lessonId}"]`).click();
  await teacher.getByRole('button', { name: 'Open session' }).click();
  await teacher.waitForURL(/\/host\/[A-Z0-9]{8}$/);
  const code = await teacher.locator('.dash [data-join-code]').getAttribute('data-join-code');
  if (!code) throw new Error('The dashboard shows no join code');
  return code;
}

/** The dashboard's phase, as the page says it (`data-phase`), once it equals `phase`. */
export async function waitForPhase(page: Page, root: '.dash' | '.stage', phase: string): Promise<void> {
  await page.locator(`${root}[data-phase="${phase}"]`).waitFor();
}

/** Presses the dashboard's control for a teacher event (`teacher:lock`) and waits for the phase that follows. */
export async function teacherDoes(teacher: Page, event: string, nextPhase: string): Promise<void> {
  await teacher.locator(`.dash button[data-action="${event}"]`).click();
  await waitForPhase(teacher, '.dash', nextPhase);
}

/** A student joins from the projector's link (`/join?code=`) with a nickname and reaches their phone screen. */
export async function joinAsStudent(student: Page, baseUrl: string, code: string, nickname: string): Promise<void> {
  await student.goto(`${baseUrl}/join?code=${code}`);
  await student.getByLabel('Nickname').fill(nickname);
  await student.getByRole('button', { name: 'Join the game' }).click();
  await student.waitForURL(new RegExp(`/play/${code}$`));
}

/**
 * The student moves attention with the "More attention to …" buttons: `presses` presses on the
 * `which`-th token they may attend to. The board sends the moves on its own.
 */
export async function allocate(student: Page, which: number, presses: number): Promise<void> {
  const more = student.getByRole('button', { name: /^More attention to / });
  await more.first().waitFor();
  const count = await more.count();
  const button = more.nth(which % count);
  for (let i = 0; i < presses; i++) {
    await button.click();
  }
}

/** The round score a student's phone shows after the reveal (the screen-reader text of the count-up). */
export async function studentScore(student: Page): Promise<number> {
  const text = await student.locator('.result .score__number .sr-only').innerText();
  return Number(text.trim());
}

/** The round score the dashboard's roster shows for a student (`data-player-score`), once it has one. */
export async function dashboardScore(teacher: Page, nickname: string): Promise<number> {
  const cell = teacher.locator(`.roster tr[data-player="${nickname}"] [data-player-score]:not([data-player-score=""])`);
  await cell.waitFor();
  return Number(await cell.getAttribute('data-player-score'));
}

/** Waits until the dashboard's roster shows every named student with this state badge. */
export async function waitForRosterBadge(teacher: Page, nicknames: readonly string[], badge: string): Promise<void> {
  for (const nickname of nicknames) {
    await teacher.locator(`.roster tr[data-player="${nickname}"] .badge--${badge}`).waitFor();
  }
}

/** Waits until every framer-motion animation inside `selector` has settled (opacity 1, no transform). */
export async function settled(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((sel) => {
    const nodes = [...document.querySelectorAll(sel)];
    return nodes.length > 0 && nodes.every((node) => getComputedStyle(node).opacity === '1' && ['none', 'matrix(1, 0, 0, 1, 0, 0)'].includes(getComputedStyle(node).transform));
  }, selector);
}

export { VIEWPORTS };
