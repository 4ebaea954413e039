/**
 * After class in a real browser: a class plays two rounds over real sockets and the teacher ends the
 * session; then the teacher's browser (holding the host secret the way lib/client keeps it) opens its
 * history and the review, downloads the CSV, hides the leaderboard, and a student's phone opens their
 * own report. Needs a production build (`npm test` runs `next build` first).
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROTOCOL_VERSION, type StudentView } from '../../lib/protocol';
import { screenshot, VIEWPORTS, watchErrors } from '../helpers/browser';
import { settled } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';
import { allocation, Client } from '../helpers/sockets';
import { readCsvFile } from '../unit/review/rfc4180';

const NICKNAMES = ['Zoë', '漢字', 'Ada'] as const;

const clients: Client[] = [];

interface Played {
  code: string;
  sessionId: string;
  hostSecret: string;
  players: { playerId: string; playerSecret: string; nickname: string }[];
}

let played: Played;

/** Two rounds of the cat lesson with three students, then the end of the session. */
async function playSession(url: string): Promise<Played> {
  const connect = async () => {
    const client = await Client.connect(url, { auth: { protocolVersion: PROTOCOL_VERSION } });
    clients.push(client);
    return client;
  };
  const teacher = await connect();
  const created = await teacher.must('session:create', { lessonId: 'the-cat-sat', settings: {} });
  const students: Client[] = [];
  const players: Played['players'] = [];
  for (const nickname of NICKNAMES) {
    const student = await connect();
    const joined = await student.must('seat:join', { code: created.code, nickname });
    students.push(student);
    players.push({ playerId: joined.playerId, playerSecret: joined.playerSecret, nickname });
  }
  const all = [0, 1, 2, 3, 4, 5];
  for (const round of [1, 2]) {
    await teacher.must(round === 1 ? 'teacher:start-round' : 'teacher:next-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.round?.number === round && v.seat !== null)));
    await Promise.all(
      students.map((s, i) => s.must('attention:allocate', { round, weights: allocation(6, [1, 0, 2][i] + round, [0.7, 0.45, 0.6][i], all) })),
    );
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.result?.round === round, 'a result')));
  }
  await teacher.must('teacher:end', {});
  await teacher.waitForView((v) => v.phase === 'ended', 'the end');
  return { code: created.code, sessionId: created.sessionId, hostSecret: created.hostSecret, players };
}

const arena = setUpBrowserClass({ closeBeforePeople: () => clients.forEach((client) => client.disconnect()) });

// After setUpBrowserClass's own beforeAll, so the server is up: the class plays before any test looks.
beforeAll(async () => {
  played = await playSession(arena.booted.url);
});

/** A full-page screenshot from the top, so the sticky site header sits where it belongs. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** A browser context whose localStorage holds `entries` before any page script runs. */
async function personWith(
  entries: Record<string, unknown>,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await arena.browser.newContext({ viewport: VIEWPORTS.desktop, ...options });
  await context.addInitScript((items: Record<string, string>) => {
    for (const [key, value] of Object.entries(items)) if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value);
  }, Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, JSON.stringify(value)])));
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

/** The teacher's browser, as lib/client leaves it after opening the session. */
function teacherStorage(): Record<string, unknown> {
  return { [`arena:host:${played.code}`]: { sessionId: played.sessionId, hostSecret: played.hostSecret } };
}

function studentStorage(i: number): Record<string, unknown> {
  return { [`arena:player:${played.code}`]: played.players[i] };
}

describe('the teacher after class', () => {
  it('finds the session in the history, opens its review, replays a reveal and downloads the CSV', async () => {
    const { context, page, errors } = await personWith(teacherStorage());
    try {
      // History: the session this browser ran, with its summary.
      await page.goto(`${arena.booted.url}/history`);
      const item = page.locator(`.review-history__item[data-session="${played.sessionId}"]`);
      await item.locator('.review-history__facts').waitFor();
      await expect(item.innerText()).resolves.toMatch(/3\s+students/);
      await expect(item.innerText()).resolves.toMatch(played.code);
      await shoot(page, 'review-history');
      expect(await page.evaluate(() => window.localStorage.getItem('arena:history'))).toContain(played.sessionId);

      await item.getByRole('link').click();
      await page.waitForURL(`**/review/${played.sessionId}`);
      await page.locator('[data-review="teacher"]').waitFor();
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/sat/i);

      // The podium: three steps, risen, the first one the leaderboard's first.
      const steps = page.locator('.review-podium__step');
      expect(await steps.count()).toBe(3);
      await settled(page, '.review-podium__step');
      const first = await page.locator('.review-podium__step--1 .review-podium__name').innerText();
      expect(NICKNAMES as readonly string[]).toContain(first);
      expect(await page.locator('.review-leaders li').first().innerText()).toContain(first);

      // Round 2 is shown first; round 1 is a click away. Both heatmaps have a cell per (query, key), percentages printed.
      const classMap = page.locator('.review-heatmap[data-kind="class"]');
      const modelMap = page.locator('.review-heatmap[data-kind="model"]');
      expect(await classMap.locator('td[data-query][data-key]').count()).toBe(36);
      expect(await modelMap.locator('td[data-query][data-key]').count()).toBe(36);
      const modelRow = await modelMap.locator('td[data-query="2"]').allInnerTexts();
      expect(modelRow.every((text) => /%/.test(text))).toBe(true);
      // Three student rows, three rows of AI classmates, marked.
      expect(await classMap.locator('tr.is-empty').count()).toBe(3);
      expect(await classMap.locator('.review-heatmap__note--bot').count()).toBe(3);
      expect(await page.locator('.review-misconceptions tbody tr').count()).toBe(3);

      // The replay turns the class's bars into the model's, and does it again on request.
      const replay = page.locator('.review-replay');
      await replay.scrollIntoViewIfNeeded();
      await page.locator('.review-replay[data-stage="model"]').waitFor();
      await replay.getByRole('button', { name: /Replay the reveal/ }).click();
      expect(await replay.getAttribute('data-stage')).toBe('class');
      await page.locator('.review-replay[data-stage="model"]').waitFor();

      await page.getByRole('button', { name: 'Round 1', exact: true }).click();
      await page.locator('.review-round[data-round="1"]').waitFor();
      expect(await page.getByRole('button', { name: 'Round 1', exact: true }).getAttribute('aria-pressed')).toBe('true');

      // A student's row opens to their allocation against the model's.
      const row = page.locator(`.review-students tr[data-player="${NICKNAMES[1]}"]`);
      expect(await page.locator('.review-students tbody tr[data-player]').count()).toBe(3);
      await row.getByRole('button').click();
      expect(await row.getByRole('button').getAttribute('aria-expanded')).toBe('true');
      expect(await page.locator('.review-students__details:not([hidden]) .review-pairs').count()).toBe(2);

      await page.locator('.review-replay[data-stage="model"]').waitFor();
      await shoot(page, 'review-teacher-desktop');

      // The CSV: a real download, read back strictly.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download CSV/ }).click()]);
      expect(download.suggestedFilename()).toBe(`attention-arena-${played.code}-the-cat-sat.csv`);
      const file = await download.path();
      const { header, rows } = readCsvFile(new Uint8Array(await readFile(file)));
      expect(header.slice(0, 4)).toEqual(['session code', 'lesson', 'round', 'player']);
      expect(rows).toHaveLength(3 * 2);
      expect(new Set(rows.map((r) => r.player))).toEqual(new Set(NICKNAMES));
      expect(rows.map((r) => r.round)).toEqual(['1', '1', '1', '2', '2', '2']);
      const shownScore = await row.locator('td[data-round="1"]').getAttribute('data-score');
      expect(rows.find((r) => r.round === '1' && r.player === NICKNAMES[1])?.score).toBe(shownScore);

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone without sideways scrolling', async () => {
    const { context, page, errors } = await personWith(teacherStorage(), { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(`${arena.booted.url}/review/${played.sessionId}`);
      await page.locator('[data-review="teacher"]').waitFor();
      await settled(page, '.review-podium__step');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      await shoot(page, 'review-teacher-phone');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('a student after class', () => {
  it('sees their own report; the leaderboard only while the teacher shows it', async () => {
    const teacher = await personWith(teacherStorage());
    const student = await personWith(studentStorage(0), { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      // The student opens the review by join code (that is how their browser files their secret).
      await student.page.goto(`${arena.booted.url}/review/${played.code}`);
      await student.page.locator('[data-review="student"]').waitFor();
      await expect(student.page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain(NICKNAMES[0]);
      expect(await student.page.locator('.review-my-round').count()).toBe(2);
      expect(await student.page.locator('.review-leaders li.is-me').innerText()).toContain(NICKNAMES[0]);
      // Nothing of the teacher's: no class heatmaps, no other students' reports, no CSV.
      expect(await student.page.locator('.review-heatmap, .review-students, [data-action="download-csv"]').count()).toBe(0);
      await settled(student.page, '.review-podium__step');
      expect(await student.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      await shoot(student.page, 'review-student-phone');

      // The teacher hides the leaderboard.
      await teacher.page.goto(`${arena.booted.url}/review/${played.sessionId}`);
      const toggle = teacher.page.getByRole('switch', { name: /Hide the leaderboard/ });
      expect(await toggle.getAttribute('aria-checked')).toBe('false');
      await toggle.click();
      await teacher.page.locator('[data-action="hide-leaderboard"][aria-checked="true"]').waitFor();

      await student.page.reload();
      await student.page.locator('[data-review="student"]').waitFor();
      await expect(student.page.locator('.review-note').innerText()).resolves.toMatch(/chose not to show the leaderboard/);
      expect(await student.page.locator('.review-podium, .review-leaders').count()).toBe(0);
      await shoot(student.page, 'review-student-hidden-phone');

      // A reload of the teacher's page still says hidden: the choice is stored on the server.
      await teacher.page.reload();
      await teacher.page.locator('[data-action="hide-leaderboard"][aria-checked="true"]').waitFor();
      await teacher.page.getByRole('switch', { name: /Hide the leaderboard/ }).click();
      await teacher.page.locator('[data-action="hide-leaderboard"][aria-checked="false"]').waitFor();

      expect(teacher.errors).toEqual([]);
      expect(student.errors).toEqual([]);
    } finally {
      await teacher.context.close();
      await student.context.close();
    }
  });

  it('a browser without the secret is told where the review opens', async () => {
    const { context, page, errors } = await personWith({});
    try {
      await page.goto(`${arena.booted.url}/review/${played.sessionId}`);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/no key to this review/);
      await shoot(page, 'review-no-secret');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('with reduced motion', () => {
  it('shows the podium and the model’s bars without movement', async () => {
    const { context, page, errors } = await personWith(teacherStorage(), { reducedMotion: 'reduce' });
    try {
      await page.goto(`${arena.booted.url}/review/${played.sessionId}`);
      await page.locator('[data-review="teacher"]').waitFor();
      await settled(page, '.review-podium__step');
      const transforms = await page.locator('.review-podium__step').evaluateAll((steps) => steps.map((s) => (s as HTMLElement).style.transform));
      expect(transforms.every((t) => t === '' || t === 'none')).toBe(true);
      await page.locator('.review-replay').scrollIntoViewIfNeeded();
      await page.locator('.review-replay[data-stage="model"]').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
