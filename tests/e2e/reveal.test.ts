/**
 * The staged reveal in real browsers. Three phones and a projector play the python lesson: the star
 * token (python) is held by a student, the projector steps from the countdown to the podium, and each
 * phone's one-sentence verdict names its own token and that token's top key. Then every lesson's
 * reveal, step by step, at 1280×720, 1600×900 and 1920×1080: nothing overflows, nothing scrolls.
 * Needs a production build (`npm test` runs `next build` first).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { attendHead } from '../../lib/attention/reference';
import { readRow, revealStar } from '../../lib/game';
import { attentionOptionsFor, computeCards } from '../../lib/lessons/cards';
import { curatedLessons, getLesson } from '../../lib/lessons/curated/index';
import type { StudentView } from '../../lib/protocol';
import { settleAnimations } from '../helpers/a11y';
import { screenshot } from '../helpers/browser';
import { PROJECTOR, VIEWPORTS, joinAsStudent, openSession, teacherDoes, type Person } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';
import { Client } from '../helpers/sockets';

const STEPS = ['countdown', 'arcs', 'dot', 'scale', 'softmax', 'blend', 'rows', 'podium'] as const;
const PROJECTORS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 900 },
  { width: 1920, height: 1080 },
] as const;

const clients: Client[] = [];

const arena = setUpBrowserClass({ closeAfterPeople: () => clients.forEach((client) => client.disconnect()) });

async function connect(): Promise<Client> {
  const client = await Client.connect(arena.booted.url);
  clients.push(client);
  return client;
}

/** The model's top key for a row, by the reference: the word the verdict must name. */
function topKeyWord(lessonId: string, token: number, head = 0): string {
  const lesson = getLesson(lessonId)!;
  const row = attendHead(computeCards(lesson)[head], attentionOptionsFor(lesson)).weights[token];
  return lesson.tokens[readRow(row).topKeys[0]];
}

/** Nothing on the projector scrolls or spills: the page, the stage and the step's fitted box. */
async function fitsWithoutScrolling(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const stage = document.querySelector('.stage');
    const doc = document.documentElement;
    if (!stage || doc.scrollHeight > window.innerHeight + 1 || doc.scrollWidth > window.innerWidth + 1) return false;
    if (stage.scrollHeight > stage.clientHeight + 1 || stage.scrollWidth > stage.clientWidth + 1) return false;
    const box = document.querySelector('.fit-box');
    const content = document.querySelector('.fit-box__content');
    if (!box || !content) return true;
    const outer = box.getBoundingClientRect();
    const inner = content.getBoundingClientRect();
    return inner.bottom <= outer.bottom + 1 && inner.right <= outer.right + 1 && inner.left >= outer.left - 1;
  });
}

async function stepTo(stage: Page, step: (typeof STEPS)[number]): Promise<void> {
  await stage.locator(`.reveal-show[data-reveal-step="${step}"]`).waitFor();
}

describe('the staged reveal', () => {
  it('three phones and a projector: the star is a student’s, the reveal steps to the podium, each phone names its own top key', async () => {
    const lessonId = 'python-the-language';
    const lesson = getLesson(lessonId)!;
    const teacher = await connect();
    const created = await teacher.must('session:create', { lessonId, settings: {} });
    const stage = await arena.person(PROJECTOR);
    await stage.page.goto(`${arena.booted.url}/stage/${created.code}`);
    await stage.page.locator('.stage[data-phase="lobby"]').waitFor();

    const names = ['Ada', 'Grace', 'Alan'];
    const phones: Person[] = [];
    for (const nickname of names) {
      const phone = await arena.person(VIEWPORTS.phone);
      phones.push(phone);
      await joinAsStudent(phone.page, arena.booted.url, created.code, nickname);
    }
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});

    // Each phone shows its own query in the sticky top and speaks to its own token.
    const words: string[] = [];
    for (const phone of phones) {
      const strip = phone.page.locator('.board__query');
      await strip.waitFor();
      const word = (await strip.getAttribute('aria-label'))!.replace('Your query, ', '');
      words.push(word);
      await expect(phone.page.locator('.narration__line').innerText()).resolves.toContain(word);
    }
    // The star (python) is played by a student; the rows with nothing to find are not.
    expect(words).toContain('python');
    for (const word of words) expect(['python', 'script', 'wrote', 'ran', 'it']).toContain(word);
    await phones[0].page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phones[0].page, 'reveal-phone-negotiate');

    // Two phones go for their row's top key; the third for a key that is not it.
    const expectedTop = words.map((word) => topKeyWord(lessonId, lesson.tokens.indexOf(word)));
    for (const [i, phone] of phones.entries()) {
      const target = i < 2 ? expectedTop[i] : lesson.tokens.find((t) => t !== expectedTop[i] && t !== words[i])!;
      const more = phone.page.getByRole('button', { name: `More attention to ${target}`, exact: true });
      for (let press = 0; press < 6; press++) await more.click();
      await phone.page.locator('.board__save--saved').waitFor();
    }
    // The stage marks the seats nobody touched as such, and the rest by their students.
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});

    // Each phone: one sentence naming its own token and that token's top key.
    for (const [i, phone] of phones.entries()) {
      const verdict = phone.page.locator('.result [data-verdict]');
      await verdict.waitFor();
      const text = await verdict.innerText();
      expect(text).toContain(words[i]);
      expect(text).toContain(expectedTop[i]);
      if (i < 2) expect(text).toMatch(/^You found .*✓/);
      else expect(text).toMatch(/^The model’s top key for /);
      await phone.page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(phone.page, `reveal-phone-result-${i + 1}`);
    }
    const found = await Promise.all(phones.map((p) => p.page.locator('.result .score__number .sr-only').innerText().then(Number)));
    expect(Math.min(found[0], found[1])).toBeGreaterThan(500);
    expect(found[2]).toBeLessThanOrEqual(500);

    // The projector: the countdown runs by itself, then the teacher steps through to the podium.
    await stepTo(stage.page, 'arcs');
    await expect(stage.page.locator('.reveal-show__title').innerText()).resolves.toContain('python');
    for (const step of STEPS.slice(2)) {
      await stage.page.locator('[data-reveal-next]').click();
      await stepTo(stage.page, step);
      await fitsWithoutScrolling(stage.page);
      await screenshot(stage.page, `reveal-stage-python-${step}`);
    }
    // Three students, so all three stand on the podium; a tie shares a step ("=1"), so there may be fewer than three steps.
    const steps = await stage.page.locator('.podium__step').count();
    expect(steps).toBeGreaterThanOrEqual(1);
    expect(steps).toBeLessThanOrEqual(3);
    const podium = await stage.page.locator('.podium').innerText();
    for (const name of names) expect(podium).toContain(name);
    // Back, and skip straight to every row.
    await stage.page.keyboard.press('ArrowLeft');
    await stepTo(stage.page, 'rows');
    await stage.page.keyboard.press('ArrowLeft');
    await stage.page.keyboard.press('s');
    await stepTo(stage.page, 'rows');

    for (const person of [stage, ...phones]) expect(person.errors).toEqual([]);
  }, 240_000);

  it('the teacher steps the projector from the dashboard; a projector opened mid-reveal starts where the class is', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const stage = await arena.person(PROJECTOR);
    const code = await openSession(teacher.page, arena.booted.url, 'the-cat-sat');
    await stage.page.goto(`${arena.booted.url}/stage/${code}`);
    const student = await connect();
    await student.must('seat:join', { code, nickname: 'Ada' });
    await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
    await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
    await teacherDoes(teacher.page, 'teacher:lock', 'locked');
    await teacherDoes(teacher.page, 'teacher:reveal', 'reveal');
    await stepTo(stage.page, 'arcs');

    const shown = teacher.page.locator('[data-reveal-shown]');
    await expect(shown.innerText()).resolves.toContain('3, 2, 1');
    await teacher.page.locator('[data-action="reveal-next"]').click();
    await stepTo(stage.page, 'dot');
    await expect.poll(() => shown.getAttribute('data-reveal-shown')).toBe('dot');
    await teacher.page.locator('[data-action="reveal-next"]').click();
    await stepTo(stage.page, 'scale');
    await teacher.page.locator('[data-action="reveal-back"]').click();
    await stepTo(stage.page, 'dot');
    await teacher.page.locator('[data-action="reveal-skip"]').click();
    await stepTo(stage.page, 'rows');
    await screenshot(teacher.page, 'reveal-dashboard-stepper');
    // The dashboard's class-against-model grids show whole, score column included: none scrolls sideways.
    const cut = await teacher.page
      .locator('.reveal-panel .heatmap__scroll')
      .evaluateAll((boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth + 1).length);
    expect(cut, 'weight grids on the dashboard that scroll sideways at 1280 px').toBe(0);

    // A projector that joins late (or reloads) opens on the step the class is at, not the countdown.
    const late = await arena.person(PROJECTOR);
    await late.page.goto(`${arena.booted.url}/stage/${code}`);
    await stepTo(late.page, 'rows');
    await teacher.page.locator('[data-action="reveal-next"]').click();
    for (const projector of [stage, late]) await stepTo(projector.page, 'podium');
    for (const person of [teacher, stage, late]) expect(person.errors).toEqual([]);
  });

  it('every lesson’s reveal fits 1280×720, 1600×900 and 1920×1080 at every step', async () => {
    const stage = await arena.person(PROJECTORS[0]);
    for (const lesson of curatedLessons) {
      const teacher = await connect();
      const created = await teacher.must('session:create', { lessonId: lesson.id, settings: {} });
      const students: Client[] = [];
      for (const nickname of ['Ada', 'Grace', 'Alan']) {
        const student = await connect();
        await student.must('seat:join', { code: created.code, nickname });
        students.push(student);
      }
      await stage.page.goto(`${arena.booted.url}/stage/${created.code}`);
      await teacher.must('teacher:start-round', {});
      await teacher.must('teacher:open-negotiation', {});
      for (const student of students) {
        const view = await student.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null);
        const seat = view.seat!;
        const weights: number[] = lesson.tokens.map((_, j) => (seat.allowedTokens.includes(j) ? (j === seat.allowedTokens[0] ? 2 : 1) : 0));
        const total = weights.reduce((a, b) => a + b, 0);
        await student.must('attention:allocate', { round: 1, weights: weights.map((w) => w / total) });
      }
      // While the class negotiates, the words on the arcs stay readable from the back of the room at
      // the smallest projector, two heads side by side included.
      await stage.page.locator('.stage[data-phase="negotiate"] .arcs__chip-box').first().waitFor();
      await settleAnimations(stage.page);
      const chip = await stage.page.locator('.arcs__chip-box').evaluateAll((boxes) => Math.min(...boxes.map((b) => b.getBoundingClientRect().height)));
      expect(chip, `${lesson.id}: the word chips on the arcs at 1280×720, in px high`).toBeGreaterThanOrEqual(40);
      // …and everything in the round's body stays inside it: nothing drawn over the bar or the foot.
      const spill = await stage.page.evaluate(() => {
        const body = document.querySelector('.stage__body')?.getBoundingClientRect();
        const parts = [...document.querySelectorAll('.stage__body .arcs__svg, .stage__body .parallel, .stage__body .stage-round__legend')];
        return body ? parts.map((p) => p.getBoundingClientRect()).filter((r) => r.top < body.top - 1 || r.bottom > body.bottom + 1).length : -1;
      });
      expect(spill, `${lesson.id}: parts of the round spilling out of the body at 1280×720`).toBe(0);
      await teacher.must('teacher:lock', {});
      await teacher.must('teacher:reveal', {});
      await stepTo(stage.page, 'arcs');
      const star = revealStar(lesson);
      await expect(stage.page.locator('.reveal-show__title').innerText()).resolves.toContain(lesson.tokens[star.token]);
      for (const step of STEPS.slice(1)) {
        if (step !== 'arcs') {
          await stage.page.keyboard.press('ArrowRight');
          await stepTo(stage.page, step);
        }
        for (const size of PROJECTORS) {
          await stage.page.setViewportSize(size);
          await fitsWithoutScrolling(stage.page);
          if (step === 'dot' || step === 'rows') await screenshot(stage.page, `reveal-${lesson.id}-${step}-${size.width}x${size.height}`);
        }
        await stage.page.setViewportSize(PROJECTORS[0]);
      }
      for (const client of [teacher, ...students]) client.disconnect();
    }
    expect(stage.errors).toEqual([]);
  }, 600_000);
});
