/**
 * A class of 30 tried the way a teacher would try it, and reported the way a teacher would ask about it:
 * who won each round, and was that fair? 28 scripted students (real socket.io clients) with the habits a
 * real class has, two phones in Chromium, the teacher's dashboard and the projector, on the cat lesson
 * (6 seats, teams of 5) and the multi-head lesson (16 seats), two rounds each.
 *
 * The scripted students reason only from what their phone shows them (their query, the key cards they
 * were shown or given), never from the model's answer:
 *   - "dot product": the key whose card best matches their query gets 70 %, the rest shared evenly;
 *   - "softmax": softmax of query · key ÷ √d over the keys they know, the model's own rule by hand;
 *   - "guesser": random sliders; "self": most of it on their own word;
 *   - "idle": joins and never touches the phone; "leaver": closes the tab mid-round.
 * The two phones in the browser play it by hand: one presses on its first word, one on its last.
 *
 * Needs a production build (`npm run build`). Run: `npm run try:class` (screenshots in test-output/).
 */
import { mkdirSync } from 'node:fs';
import { dot, softmax } from '../lib/attention/reference';
import { seededRandom } from '../lib/game';
import type { LeaderboardEntry, StudentView } from '../lib/protocol';
import { settleAnimations } from '../tests/helpers/a11y';
import { launchBrowser, VIEWPORTS } from '../tests/helpers/browser';
import { joinAsStudent, newPerson, openSession, PROJECTOR, teacherDoes, type Person } from '../tests/helpers/classroom';
import { bootServer } from '../tests/helpers/server';
import { Client } from '../tests/helpers/sockets';

type Habit = 'dot product' | 'softmax' | 'guesser' | 'self' | 'idle' | 'leaver';

/** 28 scripted students: how many of each habit. */
const CLASS: readonly [Habit, number][] = [
  ['dot product', 8],
  ['softmax', 4],
  ['guesser', 7],
  ['self', 3],
  ['idle', 4],
  ['leaver', 2],
];
const LESSONS = ['the-cat-sat', 'multi-head'] as const;
const ROUNDS = 2;
const SHOTS = 'test-output/screenshots/class-try';

interface Scripted {
  name: string;
  habit: Habit;
  client: Client;
}

/** What a student can work out from their own phone: each known key's match with their query. */
function knownMatches(view: StudentView): { token: number; match: number }[] {
  const seat = view.seat;
  if (!seat) return [];
  return seat.allowedTokens
    .map((token) => ({ token, key: seat.keys[token] }))
    .filter((k): k is { token: number; key: number[] } => k.key !== null)
    .map(({ token, key }) => ({ token, match: dot(seat.cards.query, key) }));
}

function normalised(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** The sliders a scripted student settles on, from their habit and what their phone shows. */
function allocationFor(habit: Habit, view: StudentView, random: () => number): number[] | null {
  const seat = view.seat;
  if (!seat || habit === 'idle' || habit === 'leaver') return null;
  const n = view.lesson.tokens.length;
  const allowed = seat.allowedTokens;
  const weights = new Array<number>(n).fill(0);
  const spread = (share: number, except: number) => {
    const others = allowed.filter((t) => t !== except);
    for (const t of others) weights[t] += share / Math.max(1, others.length);
  };
  switch (habit) {
    case 'dot product': {
      const matches = knownMatches(view);
      const best = matches.reduce((a, b) => (b.match > a.match ? b : a), matches[0]);
      if (!best) return null;
      weights[best.token] = 0.7;
      spread(0.3, best.token);
      return normalised(weights);
    }
    case 'softmax': {
      const matches = knownMatches(view);
      if (matches.length === 0) return null;
      const probabilities = softmax(matches.map((m) => m.match / Math.sqrt(seat.cards.query.length)));
      matches.forEach((m, i) => (weights[m.token] = probabilities[i]));
      return normalised(weights);
    }
    case 'guesser':
      for (const t of allowed) weights[t] = random() ** 2;
      return normalised(weights);
    case 'self': {
      const own = allowed.includes(seat.token) ? seat.token : allowed[0];
      weights[own] = 0.8;
      spread(0.2, own);
      return normalised(weights);
    }
  }
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const booted = await bootServer({ backend: 'cpu', withNext: true });
  const browser = await launchBrowser();
  const random = seededRandom(2026);
  const people: Person[] = [];
  const report: string[] = [];
  try {
    for (const lessonId of LESSONS) {
      const teacher = await newPerson(browser, { width: 1280, height: 900 });
      const stage = await newPerson(browser, PROJECTOR);
      const phones = [await newPerson(browser, VIEWPORTS.phone), await newPerson(browser, VIEWPORTS.phone)];
      people.push(teacher, stage, ...phones);
      // tsx compiles with esbuild's keepNames, which wraps functions sent to page.evaluate in a __name()
      // the page does not have: give it one.
      await stage.context.addInitScript({ content: 'window.__name = (fn) => fn;' });
      const code = await openSession(teacher.page, booted.url, lessonId);
      await stage.page.goto(`${booted.url}/stage/${code}`);
      const scripted: Scripted[] = [];
      let n = 0;
      for (const [habit, count] of CLASS) {
        for (let i = 0; i < count; i++) {
          const client = await Client.connect(booted.url);
          const name = `${habit === 'dot product' ? 'Dot' : habit === 'softmax' ? 'Soft' : habit[0].toUpperCase() + habit.slice(1)} ${++n}`;
          await client.must('seat:join', { code, nickname: name });
          scripted.push({ name, habit, client });
        }
      }
      const phoneNames = ['Ada', 'Grace'];
      for (const [i, phone] of phones.entries()) await joinAsStudent(phone.page, booted.url, code, phoneNames[i]);
      const habits = new Map<string, string>([...scripted.map((s) => [s.name, s.habit] as const), [phoneNames[0], 'phone: first word'], [phoneNames[1], 'phone: last word']]);
      report.push(`\n## ${lessonId}: 30 students (${CLASS.map(([h, c]) => `${c} ${h}`).join(', ')}, 2 phones)`);

      for (let round = 1; round <= ROUNDS; round++) {
        await teacherDoes(teacher.page, round === 1 ? 'teacher:start-round' : 'teacher:next-round', 'cards');
        await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
        // A class asks for the keys it lacks; the teacher puts every key on the table after a while.
        await teacher.page.locator('[data-action="teacher:reveal-keys"]').click();
        for (const student of scripted) {
          // A student who left in an earlier round is gone; an AI classmate plays their seat.
          if (!student.client.socket.connected) continue;
          const view = await student.client
            .waitForView<StudentView>((v) => v.phase === 'negotiate' && v.round?.number === round && (v.seat === null || v.seat.keys.every((k, t) => k !== null || !v.seat!.allowedTokens.includes(t))), `${student.name}'s keys`)
            .catch((error: unknown) => {
              const v = student.client.latest as StudentView;
              throw new Error(`${String(error)}: round ${v.round?.number} (want ${round}) phase ${v.phase} updates ${student.client.updates.length} keysRevealed ${v.round?.keysRevealed}, me ${JSON.stringify(v.me)}, seat ${JSON.stringify(v.seat && { token: v.seat.token, keys: v.seat.keys.map((k) => k !== null), allowed: v.seat.allowedTokens })}`);
            });
          if (student.habit === 'leaver' && round === 1) {
            student.client.disconnect();
            continue;
          }
          const weights = allocationFor(student.habit, view, random);
          if (!weights || !student.client.socket.connected) continue;
          await student.client.must('attention:allocate', { round, weights });
          if (student.habit !== 'guesser' || random() < 0.5) await student.client.must('attention:lock', { round });
        }
        // The phones, by hand: the first presses on its first word, the second on its last.
        for (const [i, phone] of phones.entries()) {
          const query = phone.page.locator('.board__query');
          await query.waitFor();
          const more = phone.page.getByRole('button', { name: /^More attention to / });
          const count = await more.count();
          await more.nth(i === 0 ? 0 : count - 1).click();
          for (let press = 0; press < 5; press++) await more.nth(i === 0 ? 0 : count - 1).click();
        }
        if (round === 1) await teacher.page.screenshot({ path: `${SHOTS}/${lessonId}-dashboard-negotiate.png` });
        await teacherDoes(teacher.page, 'teacher:lock', 'locked');
        await teacherDoes(teacher.page, 'teacher:reveal', 'reveal');
        await stage.page.locator('.reveal-show[data-reveal-step="arcs"]').waitFor();
        for (const step of ['dot', 'rows', 'podium']) {
          await teacher.page.locator(step === 'rows' ? '[data-action="reveal-skip"]' : '[data-action="reveal-next"]').click();
          await stage.page.locator(`.reveal-show[data-reveal-step="${step}"]`).waitFor();
          if (step === 'podium') await stage.page.locator('.podium__step').first().waitFor();
          // The podium rises step by step: photograph it standing, not on its way up.
          await settleAnimations(stage.page);
          await stage.page.screenshot({ path: `${SHOTS}/${lessonId}-round${round}-stage-${step}.png` });
        }
        await phones[0].page.locator('.result [data-verdict]').waitFor();
        await phones[0].page.screenshot({ path: `${SHOTS}/${lessonId}-round${round}-phone.png`, fullPage: true });

        // Who scored what, from each student's own phone.
        const results: { name: string; habit: string; score: number; found: boolean; touched: boolean; even: boolean; verdict: string }[] = [];
        for (const student of scripted) {
          if (!student.client.socket.connected) continue;
          const view = await student.client.waitForView<StudentView>((v) => v.phase === 'reveal' && v.result?.round === round, `${student.name}'s result`);
          const r = view.result!;
          results.push({ name: student.name, habit: student.habit, score: r.score, found: r.foundTopKey, touched: r.touched, even: r.evenRow, verdict: r.verdict });
        }
        for (const [i, phone] of phones.entries()) {
          const text = await phone.page.locator('.result .score__number .sr-only').innerText();
          const verdict = await phone.page.locator('.result [data-verdict]').innerText();
          results.push({ name: phoneNames[i], habit: habits.get(phoneNames[i])!, score: Number(text), found: verdict.startsWith('You found'), touched: true, even: false, verdict });
        }
        results.sort((a, b) => b.score - a.score);
        const teacherView = (await teacher.page.evaluate(() => document.querySelector('.dash')?.getAttribute('data-version'))) ?? '';
        report.push(`\n### Round ${round} (dashboard version ${teacherView})`);
        report.push('rank | student | habit | score | top key | touched');
        results.forEach((r, i) => report.push(`${pad(i + 1, 4)} | ${pad(r.name, 15)} | ${pad(r.habit, 18)} | ${pad(r.score, 5)} | ${r.found ? 'yes' : 'no '} | ${r.touched ? 'yes' : 'NO'}`));
        const byHabit = new Map<string, number[]>();
        for (const r of results) byHabit.set(r.habit, [...(byHabit.get(r.habit) ?? []), r.score]);
        report.push(`mean by habit: ${[...byHabit].map(([h, s]) => `${h} ${Math.round(s.reduce((a, b) => a + b, 0) / s.length)}`).join(' · ')}`);
        const untouched = results.filter((r) => !r.touched);
        const finders = results.filter((r) => r.found);
        const bestUntouched = Math.max(...untouched.map((r) => r.score), -1);
        const worstFinder = Math.min(...finders.map((r) => r.score), Infinity);
        report.push(`fairness: best untouched ${bestUntouched < 0 ? '—' : bestUntouched}, worst top-key finder ${Number.isFinite(worstFinder) ? worstFinder : '—'}; untouched in the top 3: ${results.slice(0, 3).filter((r) => !r.touched).length}; students on even rows: ${results.filter((r) => r.even).length}`);
        report.push(`winner: ${results[0].name} (${results[0].habit}, ${results[0].score}): “${results[0].verdict}”`);
      }
      const board = await scripted.find((s) => s.client.socket.connected)!.client.waitForView<StudentView>((v) => v.phase === 'reveal');
      const standings: LeaderboardEntry[] = board.leaderboard ?? [];
      if (standings.length > 0) report.push(`\nstandings after ${ROUNDS} rounds: ${standings.slice(0, 5).map((e) => `${e.rank}. ${e.nickname} ${e.total}`).join(' · ')}`);
      for (const student of scripted) student.client.disconnect();
    }
    console.log(report.join('\n'));
  } finally {
    for (const person of people) await person.context.close().catch(() => {});
    await browser.close();
    await booted.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
