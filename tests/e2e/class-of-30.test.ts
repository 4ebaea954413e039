/**
 * A class of 30 as a teacher meets it: 30 scripted students (real socket.io clients) in one session,
 * the teacher's dashboard in Chromium at 1280×900 and 1920×1080, the projector at 1280×720, 1600×900
 * and 1920×1080. The dashboard must show where the class is (locked in, working, not started, away,
 * with names) on its first screen, and the projector must fit every size without cutting anything off.
 * Needs a production build (`npx next build`).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { placeLabel, podiumPlaces } from '../../lib/game/podium';
import type { StudentView } from '../../lib/protocol';
import { screenshot, VIEWPORTS } from '../helpers/browser';
import { joinAsStudent, openSession, settled, teacherDoes, waitForPhase } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';
import { allocation, Client } from '../helpers/sockets';
import { readCsvFile } from '../unit/review/rfc4180';

const LESSON = 'the-cat-sat';

/** Thirty names of the lengths a real class has, a few long enough to be cut. */
const NAMES = [
  'Isabella Rodriguez', 'Liam', 'Noah', 'Olivia', 'Emma', 'Ava', 'Sophia', 'Mia', 'Charlotte', 'Amelia',
  'Harper', 'Evelyn', 'Abigail', 'Emily', 'Elizabeth', 'Mila', 'Ella', 'Avery', 'Sofia', 'Camila',
  'Aria', 'Scarlett', 'Victoria', 'Madison', 'Luna', 'Grace', 'Chloe', 'Penelope', 'Layla', 'Riley',
] as const;

/** Who does what once the negotiation opens, by position in NAMES. */
const LOCKED = NAMES.slice(0, 10);
const WORKING = NAMES.slice(10, 22);
const IDLE = NAMES.slice(22, 28);
const AWAY = NAMES.slice(28, 30);

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1600, height: 900 },
  { width: 1920, height: 1080 },
] as const;

const clients: Client[] = [];

const arena = setUpBrowserClass({ closeBeforePeople: () => clients.forEach((client) => client.disconnect()) });

/**
 * What the projector cuts off, in words: the page scrolling, text running out of the screen, or text
 * clipped by a box that hides its overflow. Empty when everything fits.
 */
async function clippedOnStage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const stage = document.querySelector<HTMLElement>('.stage');
    if (!stage) return ['no .stage'];
    if (stage.scrollHeight > stage.clientHeight + 1) problems.push(`the stage scrolls: ${stage.scrollHeight} > ${stage.clientHeight} px`);
    if (stage.scrollWidth > stage.clientWidth + 1) problems.push(`the stage scrolls sideways: ${stage.scrollWidth} > ${stage.clientWidth} px`);
    const viewport = { width: window.innerWidth, height: window.innerHeight };
    for (const element of stage.querySelectorAll<HTMLElement>('p, h1, h2, h3, li, span, strong')) {
      if (element.closest('.sr-only, svg')) continue;
      const text = element.textContent?.trim() ?? '';
      if (!text || element.children.length > 0) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.bottom > viewport.height + 1 || box.right > viewport.width + 1) problems.push(`“${text.slice(0, 40)}” runs off the screen`);
      const style = getComputedStyle(element);
      const clips = style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
      if (clips && (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)) {
        problems.push(`“${text.slice(0, 40)}” is cut (${element.className})`);
      }
    }
    // Nothing drawn over the foot (the step text, the names): the body ends above it.
    const foot = stage.querySelector<HTMLElement>('.stage__foot');
    const body = stage.querySelector<HTMLElement>('.stage__body');
    if (foot && body) {
      const top = foot.getBoundingClientRect().top + 1;
      for (const part of body.querySelectorAll<HTMLElement>('figure, .stage-round__legend, .stage-lobby__class, .join-panel')) {
        if (part.getBoundingClientRect().bottom > top) problems.push(`${part.className} overlaps the foot`);
      }
    }
    // Chips in a box that hides overflow must all be inside it; the rest are counted in "+N more".
    for (const list of stage.querySelectorAll<HTMLElement>('[data-total]')) {
      const bottom = list.getBoundingClientRect().bottom + 1;
      for (const chip of list.children) {
        if (chip.getBoundingClientRect().bottom > bottom) problems.push(`a name chip is hidden below its box: “${chip.textContent}”`);
      }
      const shown = Number(list.dataset.shown);
      const more = Number(list.querySelector<HTMLElement>('[data-more]')?.dataset.more ?? 0);
      if (shown + more !== Number(list.dataset.total)) problems.push(`chips: ${shown} shown + ${more} more ≠ ${list.dataset.total}`);
    }
    return problems;
  });
}

/** What the projector cut off, by phase and size; asserted empty at the end so one run shows every case. */
const stageProblems: string[] = [];

/** The stage at each projector size: what was cut goes to `stageProblems`; returns what each size showed. */
async function checkStageAtEverySize(stage: Page, phase: string): Promise<string[]> {
  const seen: string[] = [];
  for (const size of SIZES) {
    await stage.setViewportSize(size);
    await stage.waitForFunction(() => {
      const list = document.querySelector<HTMLElement>('.stage [data-total]');
      return !list || list.dataset.shown !== undefined;
    });
    // FitChips measures after layout: wait until its count is stable for this size.
    await stage.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(stage, `class30-stage-${phase}-${size.width}x${size.height}`);
    for (const problem of await clippedOnStage(stage)) stageProblems.push(`${phase} at ${size.width}×${size.height}: ${problem}`);
    const chips = await stage.evaluate(() => {
      const list = document.querySelector<HTMLElement>('.stage [data-total]');
      return list ? `${list.dataset.shown} of ${list.dataset.total} names` : 'no names';
    });
    seen.push(`${size.width}×${size.height}: ${chips}`);
  }
  return seen;
}

describe('a class of 30', () => {
  it('the dashboard shows who is stuck on its first screen; the projector fits at every size', async () => {
    const teacher = await arena.person({ width: 1280, height: 900 });
    const stage = await arena.person({ width: 1600, height: 900 });
    const code = await openSession(teacher.page, arena.booted.url, LESSON);
    await stage.page.goto(`${arena.booted.url}/stage/${code}`);
    await waitForPhase(stage.page, '.stage', 'lobby');

    for (const nickname of NAMES) {
      const client = await Client.connect(arena.booted.url);
      clients.push(client);
      await client.must('seat:join', { code, nickname });
    }
    await stage.page.locator('.stage-lobby__count strong', { hasText: '30' }).waitFor();
    const lobbySizes = await checkStageAtEverySize(stage.page, 'lobby');

    await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
    await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
    const byName = new Map(NAMES.map((name, i) => [name as string, clients[i]]));
    const views = new Map<string, StudentView>();
    for (const [name, client] of byName) {
      views.set(name, await client.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, `${name} seated`));
    }
    const tokenCount = views.get(NAMES[0])?.lesson.tokens.length ?? 0;
    const everyToken = Array.from({ length: tokenCount }, (_, t) => t);
    for (const name of [...LOCKED, ...WORKING]) {
      const seat = views.get(name)?.seat;
      if (!seat) throw new Error(`${name} has no seat`);
      await byName.get(name)?.must('attention:allocate', { round: 1, weights: allocation(tokenCount, (seat.token + 1) % tokenCount, 0.6, everyToken) });
    }
    for (const name of LOCKED) await byName.get(name)?.must('attention:lock', { round: 1 });
    // Three key requests from working students to seats played by people: who asked whom, which key, since when.
    const askers = WORKING.slice(0, 3);
    // Seats played by people: an AI classmate's key would be shared at once, leaving nothing pending.
    const peoplesTokens = new Set([...views.values()].map((v) => v.seat?.token));
    for (const name of askers) {
      const seat = views.get(name)?.seat;
      if (!seat) throw new Error(`${name} has no seat`);
      const target = seat.keys.findIndex((key, t) => key === null && t !== seat.token && peoplesTokens.has(t));
      // A teammate may have asked already: the seat asks once.
      const answer = target >= 0 ? await byName.get(name)?.request('key:request', { round: 1, token: target }) : undefined;
      if (answer && !answer.ok) expect(['key/already-requested', 'key/already-known']).toContain(answer.error.code);
    }
    for (const name of AWAY) byName.get(name)?.disconnect();

    // The first screen, no scrolling: the four counts with the names behind them.
    const page = teacher.page;
    const count = (state: string) => page.locator(`[data-progress="${state}"] [data-count]`);
    await page.locator(`[data-progress="locked"] [data-count="${LOCKED.length}"]`).waitFor();
    await page.locator(`[data-progress="working"] [data-count="${WORKING.length}"]`).waitFor();
    await page.locator(`[data-progress="idle"] [data-count="${IDLE.length}"]`).waitFor();
    await page.locator(`[data-progress="away"] [data-count="${AWAY.length}"]`).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const state of ['locked', 'working', 'idle', 'away']) {
      const box = await count(state).boundingBox();
      expect(box, `${state} count is drawn`).not.toBeNull();
      expect((box?.y ?? 1e9) + (box?.height ?? 0), `${state} count is on the first screen at 1280×900`).toBeLessThanOrEqual(900);
    }
    const idleNames = await page.locator('[data-progress="idle"] [data-progress-name]').allInnerTexts();
    expect(idleNames.sort()).toEqual([...IDLE].sort());
    const awayNames = await page.locator('[data-progress="away"] [data-progress-name]').allInnerTexts();
    expect(awayNames.sort()).toEqual([...AWAY].sort());
    const firstIdle = await page.locator('[data-progress="idle"] [data-progress-name]').first().boundingBox();
    expect((firstIdle?.y ?? 1e9) + (firstIdle?.height ?? 0), 'a stuck student’s name is on the first screen').toBeLessThanOrEqual(900);

    // The roster puts the stuck first and marks who never moved.
    const firstRows = await page
      .locator('.roster tbody tr[data-player]')
      .evaluateAll((rows, n) => rows.slice(0, n).map((r) => r.getAttribute('data-player')), IDLE.length);
    expect(firstRows.sort()).toEqual([...IDLE].sort());
    for (const name of IDLE) await page.locator(`.roster tr[data-player="${name}"] .badge--untouched`).waitFor();
    // Key requests name who asked whom for which key.
    await page.locator('[data-key-request="pending"]').first().waitFor();
    const requests = await page.locator('[data-key-request]').allInnerTexts();
    expect(requests.length).toBeGreaterThanOrEqual(1);
    for (const line of requests) expect(line).toMatch(/, playing “.+”, asked .+ for the key of “.+” · (waiting|shared)/);
    const everyone = await page.locator('[data-key-request]').evaluateAll((items) => items.map((item) => item.getAttribute('title') ?? ''));
    expect(everyone.some((line) => askers.some((name) => line.includes(name))), 'the tooltip names every asker').toBe(true);
    await screenshot(page, 'class30-dashboard-1280x900');
    await page.screenshot({ path: 'test-output/screenshots/class30-dashboard-1280x900-first-screen.png' });

    // Grouped by seat, every seat is a heading with its students under it.
    await page.locator('[data-roster-group]').check();
    // One group per seat students hold (the seats with nothing to find are AI classmates', with no students).
    expect(await page.locator('.roster__group').count()).toBe(peoplesTokens.size);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-roster-group]').uncheck();
    const rosterWidth = await page.locator('.roster').evaluate((el) => el.getBoundingClientRect().width);
    expect(rosterWidth, 'the roster uses a large screen’s width').toBeGreaterThan(1600);
    const rowHeights = await page.locator('.roster tbody tr[data-player]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(Math.max(...rowHeights), 'one line per student').toBeLessThan(48);
    await screenshot(page, 'class30-dashboard-1920x1080');

    const liveSizes = await checkStageAtEverySize(stage.page, 'negotiate');
    console.info(`projector, lobby: ${lobbySizes.join('; ')}\nprojector, negotiation: ${liveSizes.join('; ')}`);
    expect(stageProblems).toEqual([]);

    for (const person of arena.people) expect(person.errors).toEqual([]);
  }, 300_000);

  it('ties share a podium step on the stage and the phone; after class the phone opens its report and the dashboard the CSV', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const stage = await arena.person({ width: 1600, height: 900 });
    const phone = await arena.person(VIEWPORTS.phone);
    const code = await openSession(teacher.page, arena.booted.url, LESSON);
    await stage.page.goto(`${arena.booted.url}/stage/${code}`);
    // Twelve students on six words: two to a seat. Nobody moves, so seat-mates keep the same even split
    // and the same score: every place on the podium is a tie.
    const scripted: Client[] = [];
    for (const nickname of NAMES.slice(0, 11)) {
      const client = await Client.connect(arena.booted.url);
      clients.push(client);
      scripted.push(client);
      await client.must('seat:join', { code, nickname });
    }
    await joinAsStudent(phone.page, arena.booted.url, code, 'Zoe');
    await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
    await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
    await teacherDoes(teacher.page, 'teacher:lock', 'locked');
    await teacherDoes(teacher.page, 'teacher:reveal', 'reveal');
    await teacher.page.locator('.dash button[data-action="teacher:podium"]').click();
    await waitForPhase(stage.page, '.stage', 'podium');
    const board = (await scripted[0].waitForView<StudentView>((v) => v.phase === 'podium' && v.leaderboard !== null, 'the podium')).leaderboard ?? [];
    const expected = podiumPlaces(board).map((place) => ({ place: placeLabel(place.rank, place.tied), names: place.entries.map((e) => e.nickname).sort() }));
    expect(expected.some((p) => p.place.startsWith('=')), 'the class has a tie on the podium').toBe(true);

    await settled(stage.page, '.podium__step');
    const onStage = await stage.page.locator('.podium__step').evaluateAll((steps) =>
      steps.map((step) => ({
        place: step.getAttribute('data-place') ?? '',
        names: [...step.querySelectorAll('.podium__name')].map((n) => n.textContent ?? '').sort(),
      })),
    );
    expect(onStage.sort((a, b) => a.place.replace('=', '').localeCompare(b.place.replace('=', '')))).toEqual(expected);
    await screenshot(stage.page, 'class30-stage-podium-ties');

    // The phone says its place as the podium does, joint where shared.
    const mine = board.find((e) => e.nickname === 'Zoe');
    if (!mine) throw new Error('Zoe is not on the leaderboard');
    const shared = board.filter((e) => e.rank === mine.rank).length > 1;
    const line = phone.page.locator('.standings__me');
    await line.waitFor();
    expect(await line.getAttribute('data-my-place')).toBe(placeLabel(mine.rank, shared));
    if (shared) expect(await line.innerText()).toMatch(/joint \d+(st|nd|rd|th) with /);
    await screenshot(phone.page, 'class30-phone-podium-ties');

    // The end: the phone offers the student's own report, and it opens on this phone.
    await teacher.page.locator('.dash button[data-action="end"]').click();
    await teacher.page.locator('dialog[data-confirm="end"] button[data-confirm-action="end"]').click();
    await waitForPhase(teacher.page, '.dash', 'ended');
    const report = phone.page.locator('a[data-action="my-report"]');
    await report.waitFor();
    await screenshot(phone.page, 'class30-phone-ended');
    await report.click();
    await phone.page.waitForURL(/\/review\/s_/);
    await phone.page.getByRole('heading', { name: /Zoe, here is how you did/ }).waitFor();
    await screenshot(phone.page, 'class30-phone-report');
    // The phone's history lists the game it played, and opens the same report.
    await phone.page.goto(`${arena.booted.url}/history`);
    const played = phone.page.locator('[data-history="played"] a.review-history__link');
    await played.waitFor();
    await played.click();
    await phone.page.getByRole('heading', { name: /Zoe, here is how you did/ }).waitFor();

    // The teacher's ended dashboard opens the review and downloads the CSV, with the new columns.
    const sessionId = await teacher.page.evaluate(() => document.querySelector('a[data-action="open-review"]')?.getAttribute('href'));
    expect(sessionId).toMatch(/^\/review\/s_/);
    const [download] = await Promise.all([teacher.page.waitForEvent('download'), teacher.page.locator('button[data-action="download-csv"]').click()]);
    const { header, rows } = readCsvFile(new Uint8Array(await readFile(await download.path())));
    expect(header).toEqual(expect.arrayContaining(['token #', 'moved at all', 'locked in', 'locked in at (UTC)', 'seconds to lock in', 'allocation % (0 The)']));
    expect(rows).toHaveLength(12);
    for (const row of rows) expect([row['moved at all'], row['locked in'], row['locked in at (UTC)']]).toEqual(['no', 'no', '']);
    await screenshot(teacher.page, 'class30-dashboard-ended');

    for (const person of [teacher, stage, phone]) expect(person.errors).toEqual([]);
  }, 300_000);
});
