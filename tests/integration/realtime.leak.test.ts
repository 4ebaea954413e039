/**
 * The wall that matters most: before the reveal, no frame a student's phone or the projector
 * receives holds the model's attention (weights or outputs, at full precision or rounded), an AI
 * classmate's allocation (derived from it), a score, or a key card that recipient was not shown.
 * Checked on the raw engine.io frames, not on parsed views, so nothing can hide in a field the views
 * do not declare.
 */
import { expect, it } from 'vitest';
import type { AttentionEngine } from '../../lib/attention/engine';
import { computeCards } from '../../lib/lessons/cards';
import { getLesson } from '../../lib/lessons/curated/index';
import type { AnyView, StageView, StudentView, TeacherView } from '../../lib/protocol';
import { setUpArenas } from '../helpers/arenas';
import { openClassroom, type Client } from '../helpers/sockets';

const arenas = setUpArenas();

const NUMBER = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;

/** A number as it could travel: in full, or rounded to 2–6 decimals. */
function spellings(x: number): string[] {
  const out = new Set([JSON.stringify(x)]);
  for (let d = 2; d <= 6; d++) out.add(String(Number(x.toFixed(d))));
  return [...out];
}

function numbersIn(frames: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const frame of frames) for (const match of frame.match(NUMBER) ?? []) found.add(match);
  return found;
}

/** The views inside `state:update` frames and inside answers (socket.io `2[...]` events, `3n[...]` acks). */
function viewsIn(frames: readonly string[]): AnyView[] {
  const views: AnyView[] = [];
  for (const frame of frames) {
    const match = /^([23])\d*(\[.*)$/s.exec(frame);
    if (!match) continue;
    const args = JSON.parse(match[2]) as unknown[];
    const candidates = match[1] === '2' ? (args[0] === 'state:update' ? [args[1]] : []) : [(args[0] as { data?: { view?: unknown } }).data?.view];
    for (const c of candidates) if (c && typeof c === 'object' && 'kind' in c) views.push(c as AnyView);
  }
  return views;
}

it('no student or stage frame before the reveal holds the true attention, a bot allocation, a score or an unshown key', async () => {
  // The engine's answer arrives early (bots need it to play): the test knows when.
  let answered = 0;
  const { engine } = arenas;
  const spied: AttentionEngine = {
    backend: engine.backend,
    numTensors: () => engine.numTensors(),
    dispose: () => {},
    async attendLayer(...args) {
      const layer = await engine.attendLayer(...args);
      answered++;
      return layer;
    },
  };
  const arena = await arenas.boot({ engine: spied, seed: 17 });
  const lesson = getLesson('the-cat-sat')!;
  const cards = computeCards(lesson)[0];
  const room = await openClassroom(arena, lesson.id, 4, { timerSeconds: 60 });
  const { teacher, students } = room;
  const stage = await arena.connect();
  await stage.must('stage:watch', { code: room.code });

  await teacher.must('teacher:start-round', {});
  await teacher.must('teacher:open-negotiation', {});
  await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)));
  expect(answered).toBe(1);
  await teacher.barrier();
  expect(arena.server.realtime.registry.get(room.sessionId)?.state.server.truth?.round).toBe(1);

  const tokenOf = (s: Client) => s.student.seat!.token;
  const t = teacher.teacher as TeacherView;
  const botTokens = t.seats.filter((s) => s.playedByBot).map((s) => s.token);
  // Four students on sat, on and mat (the rows with something to find): s2 and s3 share a seat.
  const s3 = students.find((s, i) => students.slice(0, i).some((o) => tokenOf(o) === tokenOf(s)))!;
  const s2 = students.find((s) => s !== s3 && tokenOf(s) === tokenOf(s3))!;
  const [s0, s1] = students.filter((s) => s !== s2 && s !== s3);
  // s0 asks s1, who shares; s2 asks an AI classmate (shared at once, with s2's whole team); s3 asks s0, who never answers.
  const { requestId } = await s0.must('key:request', { round: 1, token: tokenOf(s1) });
  await s1.must('key:share', { round: 1, requestId });
  await s2.must('key:request', { round: 1, token: botTokens[0] });
  await s3.must('key:request', { round: 1, token: tokenOf(s0) });
  const shown = new Map<Client, Set<number>>([
    [s0, new Set([tokenOf(s0), tokenOf(s1)])],
    [s1, new Set([tokenOf(s1)])],
    [s2, new Set([tokenOf(s2), botTokens[0]])],
    [s3, new Set([tokenOf(s3), botTokens[0]])],
  ]);

  // Allocations made of tenths, so none can be mistaken for a rounded model weight.
  const mine = [
    [0.1, 0.5, 0.1, 0.1, 0.1, 0.1],
    [0.2, 0.2, 0.2, 0.2, 0.1, 0.1],
    [0, 0.7, 0.1, 0, 0, 0.2],
    [0.3, 0.3, 0, 0, 0, 0.4],
  ];
  await Promise.all(students.map((s, i) => s.must('attention:allocate', { round: 1, weights: mine[i] })));
  await s0.must('attention:lock', { round: 1 });
  arena.clock.advance(1000);
  await teacher.must('teacher:lock', {});
  // Everything sent before the reveal has arrived once each socket's own answer has.
  await Promise.all([...students, stage].map((c) => c.barrier()));
  const before = new Map([...students, stage].map((c) => [c, [...c.frames]] as const));

  await teacher.must('teacher:reveal', {});
  const revealed = await teacher.waitForView<TeacherView>((v) => v.reveal !== null);
  await stage.waitForView<StageView>((v) => v.reveal !== null);
  const truth = revealed.reveal!.heads[0];
  const botAllocations = revealed.reveal!.seats.filter((s) => s.playedByBot).map((s) => s.allocation);
  expect(botAllocations).toHaveLength(3);

  // What a recipient legitimately holds: the allocations above, cards, uniform starts, whole numbers.
  const legitimate = new Set<string>();
  const allow = (x: number) => spellings(x).forEach((s) => legitimate.add(s));
  mine.flat().forEach(allow);
  // s2 and s3 share a seat: each sees the team's average of their two allocations.
  const team = [students.indexOf(s2), students.indexOf(s3)];
  mine[team[0]].forEach((x, j) => allow((x + mine[team[1]][j]) / 2));
  [cards.q, cards.k, cards.v].flat(2).forEach(allow);
  for (let n = 1; n <= lesson.tokens.length; n++) allow(1 / n);
  const secretNumbers = [...truth.weights.flat(), ...truth.outputs.flat(), ...botAllocations.flat()];
  const forbidden = new Set(
    secretNumbers.flatMap(spellings).filter((s) => !legitimate.has(s) && !Number.isInteger(Number(s))),
  );
  // The sentence's attention is not uniform everywhere, so there is something to leak.
  expect(forbidden.size).toBeGreaterThan(20);

  for (const [client, frames] of before) {
    const who = client === stage ? 'stage' : `student ${students.indexOf(client) + 1}`;
    expect(frames.length, who).toBeGreaterThan(3);
    const text = frames.join('\n');
    const leaked = [...numbersIn(frames)].filter((n) => forbidden.has(n));
    expect(leaked, `${who} received model numbers`).toEqual([]);
    for (const field of ['"score"', '"bonus"', '"trueRow"', '"trueOutput"', '"cosine"', '"weights"', '"outputs"', '"botAllocation"', '"server"', '"truth"']) {
      expect(text.includes(field), `${who} received ${field}`).toBe(false);
    }
    expect(/"classScore":[^n]/.test(text), `${who} received a class score`).toBe(false);

    const views = viewsIn(frames);
    expect(views.length, who).toBeGreaterThan(0);
    for (const view of views) {
      if (view.kind === 'stage') {
        expect(view.reveal).toBeNull();
        expect(view.keys).toBeNull();
        expect(view.seats.filter((s) => s.playedByBot).every((s) => s.allocation === null)).toBe(true);
      } else if (view.kind === 'student') {
        expect(view.result).toBeNull();
        const allowedKeys = shown.get(client)!;
        view.seat?.keys.forEach((key, j) => {
          if (!allowedKeys.has(j)) expect(key, `${who} holds the key of token ${j}`).toBeNull();
        });
      } else {
        throw new Error(`${who} received a teacher view`);
      }
    }
    // No unshown key card travels in any other field either (unless it equals a card this recipient holds).
    const held =
      client === stage
        ? new Set<string>()
        : new Set(
            [cards.q[tokenOf(client)], cards.k[tokenOf(client)], cards.v[tokenOf(client)], ...[...shown.get(client)!].map((j) => cards.k[j])].map((r) =>
              JSON.stringify(r),
            ),
          );
    cards.k.forEach((key, j) => {
      if (client !== stage && shown.get(client)!.has(j)) return;
      const spelled = JSON.stringify(key);
      if (!held.has(spelled)) expect(text.includes(spelled), `${who} received key card ${j} ${spelled}`).toBe(false);
    });
  }

  // The detector works: after the reveal the same numbers do arrive.
  await s1.waitForView<StudentView>((v) => v.result !== null);
  const afterNumbers = numbersIn(s1.frames.slice(before.get(s1)!.length));
  expect([...afterNumbers].some((n) => forbidden.has(n))).toBe(true);
});
