/**
 * A whole class in real browsers: the teacher opens a session, the stage goes on the projector, three
 * phones join with the code, each student allocates, the teacher locks and reveals, and every screen
 * shows the same result. Needs a production build (`npm test` runs `next build` first).
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser';
import {
  PROJECTOR,
  VIEWPORTS,
  allocate,
  dashboardScore,
  joinAsStudent,
  openSession,
  settled,
  studentScore,
  teacherDoes,
  waitForPhase,
  waitForRosterBadge,
  type Person,
} from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';

const LESSON = 'the-cat-sat';
const STUDENTS = ['Ada', 'Grace', 'Alan'] as const;

const arena = setUpBrowserClass();

describe('a class plays a round', () => {
  it('teacher, stage and three phones agree from the join code to the reveal', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const stage = await arena.person(PROJECTOR);

    // The teacher opens a session; the dashboard shows the code and a link to the stage.
    await teacher.page.goto(`${arena.booted.url}/host`);
    await teacher.page.getByRole('radio', { name: /Who sat\?/ }).check();
    await screenshot(teacher.page, 'classroom-host');
    const code = await openSession(teacher.page, arena.booted.url, LESSON);
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await waitForPhase(teacher.page, '.dash', 'lobby');
    expect(await teacher.page.locator('a[data-action="open-stage"]').getAttribute('href')).toBe(`/stage/${code}`);

    // The projector: the code, large, and a QR code that carries the join link.
    await stage.page.goto(`${arena.booted.url}/stage/${code}`);
    await waitForPhase(stage.page, '.stage', 'lobby');
    await expect(stage.page.locator('.join-panel__code').getAttribute('data-join-code')).resolves.toBe(code);
    const qr = stage.page.getByRole('img', { name: /QR code to join/ });
    // The stage was opened at 127.0.0.1, which no phone can reach: it shows this machine's LAN
    // address instead, or, on a machine without one, keeps 127.0.0.1 and says so.
    const { lanUrls } = (await (await fetch(`${arena.booted.url}/api/join-address`)).json()) as { lanUrls: string[] };
    const shownOrigin = lanUrls[0] ?? arena.booted.url;
    await stage.page.waitForFunction(
      (expected) => document.querySelector('[data-qr-text]')?.getAttribute('data-qr-text') === expected,
      `${shownOrigin}/join?code=${code}`,
    );
    await expect(qr.getAttribute('data-qr-text')).resolves.toBe(`${shownOrigin}/join?code=${code}`);
    await expect(stage.page.locator('[data-join-warning]').count()).resolves.toBe(lanUrls.length === 0 ? 1 : 0);

    // Three phones join through the projector's link.
    const phones: Person[] = [];
    for (const nickname of STUDENTS) {
      const phone = await arena.person(VIEWPORTS.phone);
      phones.push(phone);
      await joinAsStudent(phone.page, arena.booted.url, code, nickname);
    }
    await waitForRosterBadge(teacher.page, STUDENTS, 'ready');
    await stage.page.locator('.stage-lobby__count strong', { hasText: String(STUDENTS.length) }).waitFor();
    await stage.page.locator('.stage-lobby .stage-roster__name', { hasText: 'Grace' }).waitFor();
    await screenshot(stage.page, 'classroom-stage-lobby');

    // A reload keeps the teacher in charge: the dashboard resumes with the host secret this browser kept.
    await teacher.page.reload();
    await waitForPhase(teacher.page, '.dash', 'lobby');
    await waitForRosterBadge(teacher.page, STUDENTS, 'ready');

    // Names can come off the projector, and back.
    const hideNames = teacher.page.getByRole('switch', { name: 'Hide names on the stage' });
    await hideNames.click();
    await expect.poll(() => hideNames.getAttribute('aria-checked')).toBe('true');
    await stage.page.locator('.stage-lobby .stage-roster').waitFor({ state: 'detached' });
    expect(await stage.page.locator('.stage').innerText()).not.toContain('Grace');
    await hideNames.click();
    await stage.page.locator('.stage-lobby .stage-roster__name', { hasText: 'Grace' }).waitFor();

    // Round 1: cards, then the negotiation.
    await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
    await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
    await waitForPhase(stage.page, '.stage', 'negotiate');

    // Each student moves their attention; the dashboard sees every one of them at it.
    await Promise.all(phones.map((phone, i) => allocate(phone.page, i + 1, 3 + i)));
    await waitForRosterBadge(teacher.page, STUDENTS, 'touched');
    // The stage draws the class's arcs, strongest labelled.
    await stage.page.locator('.arcs__label').first().waitFor();
    await settled(stage.page, '.arcs__label');
    await screenshot(stage.page, 'classroom-stage-negotiate');
    await screenshot(teacher.page, 'classroom-dashboard-negotiate');
    await phones[0].page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phones[0].page, 'classroom-phone-negotiate');

    // The teacher locks and reveals.
    await teacherDoes(teacher.page, 'teacher:lock', 'locked');
    await teacherDoes(teacher.page, 'teacher:reveal', 'reveal');

    // Every phone shows its own score, the same the teacher sees for that student.
    for (const [i, nickname] of STUDENTS.entries()) {
      const phone = phones[i].page;
      await phone.locator('.result .score__number').waitFor();
      const onPhone = await studentScore(phone);
      const onDashboard = await dashboardScore(teacher.page, nickname);
      expect(onPhone, `${nickname}'s score`).toBe(onDashboard);
      expect(onPhone).toBeGreaterThanOrEqual(0);
      expect(onPhone).toBeLessThanOrEqual(1000);
    }

    // The stage shows the reveal, step by step from a countdown; skipped to every row: the class
    // against the model, and the class score the teacher sees.
    await waitForPhase(stage.page, '.stage', 'reveal');
    await stage.page.locator('.reveal-show[data-reveal-step="countdown"]').waitFor();
    await stage.page.locator('[data-reveal-skip]').click();
    await stage.page.locator('.reveal-show[data-reveal-step="rows"]').waitFor();
    const teacherClassScore = await teacher.page.locator('.reveal-panel [data-class-score]').getAttribute('data-class-score');
    expect(teacherClassScore).not.toBe('');
    await expect(stage.page.locator('.stage-score [data-class-score]').getAttribute('data-class-score')).resolves.toBe(teacherClassScore);
    expect(await stage.page.locator('[data-grid="model-0"] td[data-query="2"]').count()).toBe(6);
    expect(await stage.page.locator('[data-grid="class-0"] .weight-grid__score').count()).toBe(6);
    await settled(stage.page, '.stage-score');
    await screenshot(stage.page, 'classroom-stage-reveal');
    await screenshot(teacher.page, 'classroom-dashboard-reveal');
    await phones[0].page.waitForFunction(() => {
      const shown = document.querySelector('.result .score__number [aria-hidden="true"]')?.textContent;
      const real = document.querySelector('.result .score__number .sr-only')?.textContent;
      return shown !== undefined && shown === real;
    });
    await phones[0].page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phones[0].page, 'classroom-phone-reveal');

    // The podium rises on the stage.
    await teacher.page.locator('.dash button[data-action="teacher:podium"]').click();
    await waitForPhase(stage.page, '.stage', 'podium');
    await settled(stage.page, '.podium__step');
    expect(await stage.page.locator('.podium__step').count()).toBe(3);
    await screenshot(stage.page, 'classroom-stage-podium');

    for (const person of [teacher, stage, ...phones]) expect(person.errors).toEqual([]);
  }, 300_000);
});
