/** A small two-head lesson and helpers for driving the reducer in tests. */
import { expect } from 'vitest';
import { attendLayer } from '../../../lib/attention/reference';
import { createSession, reduce, seededRandom, viewFor } from '../../../lib/game';
import type { Actor, Effect, GameContext, GameEvent, GameEventBody, GameState } from '../../../lib/game';
import { parseLesson } from '../../../lib/lessons/parse';
import type { Lesson } from '../../../lib/lessons/schema';
import type { ErrorCode, SettingsPatch } from '../../../lib/protocol';

const raw = {
  id: 'ada-wrote-the-code',
  title: 'Who wrote it? (test lesson)',
  order: 1,
  summary: 'A four-token sentence with two heads, for tests.',
  sentence: 'Ada wrote the code',
  tokens: ['Ada', 'wrote', 'the', 'code'],
  features: ['person', 'action', 'thing', 'small word'],
  embeddings: [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 0, 1],
    [0, 0, 1, 0],
  ],
  heads: [
    {
      name: 'who-acts',
      looksFor: 'A verb looks for the person doing it.',
      keyFeatures: ['is a person', 'is an action'],
      valueFeatures: ['agent', 'event'],
      wQ: [[0, 1], [2, 0], [1, 1], [0, 1]],
      wK: [[1, 0], [0, 1], [0.5, 1], [0, 0.5]],
      wV: [[2, 0], [0, 2], [1, 1], [0, 0]],
    },
    {
      name: 'what-thing',
      looksFor: 'Words look for the thing being talked about.',
      keyFeatures: ['is a thing', 'is small'],
      valueFeatures: ['object', 'detail'],
      wQ: [[1, 0], [0, 1], [1, 0], [1, 1]],
      wK: [[0, 0.5], [0, 0], [1, 1], [0.5, 0]],
      wV: [[1, 0], [0, 0], [0, 2], [0.5, 0.5]],
    },
  ],
  wO: null,
  outputFeatures: null,
  flags: {
    causal: false,
    causalAdjustable: true,
    scale: true,
    scaleAdjustable: true,
    temperature: 1,
    temperatureAdjustable: false,
  },
  goals: [
    {
      text: 'wrote looks at Ada the most.',
      claim: { kind: 'largest-weight', head: 'who-acts', query: 1, key: 0 },
    },
  ],
  steps: {
    intro: 'Each of you is a word.',
    cards: 'Look at your cards.',
    negotiate: 'Ask for keys and split your attention.',
    lock: 'Locked.',
    reveal: 'Here is the model.',
    wrapUp: 'Attention matches queries with keys.',
  },
};

/** Four tokens (Ada wrote the code), two heads: eight seats. */
export const testLesson: Lesson = parseLesson(raw, 'fixtures.ts');

/** The same sentence with one head: four seats. */
export const oneHeadLesson: Lesson = parseLesson({ ...raw, id: 'ada-one-head', heads: [raw.heads[0]] }, 'fixtures.ts');

export const teacher: Actor = { role: 'teacher' };
export const system: Actor = { role: 'system' };
export const student = (playerId: string): Actor => ({ role: 'student', playerId });

/** A fake clock and a seeded chance; `tick` moves time on. */
export class World {
  now = 1_000_000;
  readonly random: () => number;
  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }
  get ctx(): GameContext {
    return { now: this.now, random: this.random };
  }
  tick(ms: number): void {
    this.now += ms;
  }
}

export function newSession(lesson: Lesson = testLesson, world = new World(), settings: SettingsPatch = {}): GameState {
  const created = createSession({ sessionId: 's1', lesson, code: 'ACEFHJ', settings }, world.ctx);
  if (!created.ok) throw new Error(created.error.message);
  return created.state;
}

/** Applies an event that must be accepted; returns the new state and its effects. */
export function accept(state: GameState, event: GameEvent, world: World): { state: GameState; effects: Effect[] } {
  const result = reduce(state, event, world.ctx);
  if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code} ${result.error.message}`);
  return { state: result.state, effects: result.effects };
}

/** Applies an event, keeping only the state. */
export function run(state: GameState, event: GameEvent, world: World): GameState {
  return accept(state, event, world).state;
}

/** Asserts an event is refused with `code` and leaves the state as it was. */
export function expectRefused(state: GameState, event: GameEvent, world: World, code: ErrorCode): void {
  const before = JSON.stringify(state);
  const result = reduce(state, event, world.ctx);
  expect(result.ok, `${event.type} should be refused with ${code}`).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
  expect(JSON.stringify(state)).toBe(before);
}

export function by(actor: Actor, body: GameEventBody): GameEvent {
  return { ...body, by: actor } as GameEvent;
}

/** The engine's answer for the current round, computed by the float64 reference. */
export function truthEvent(state: GameState): GameEvent {
  if (!state.round) throw new Error('no round');
  const layer = attendLayer(state.cards, state.lesson.wO, state.round.options);
  return {
    type: 'attention:computed',
    round: state.round.number,
    attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) },
    by: system,
  };
}

/** Joins students named p1…pn (ids and nicknames alike). */
export function joinAll(state: GameState, count: number, world: World, prefix = 'p'): GameState {
  let s = state;
  for (let i = 1; i <= count; i++) s = run(s, { type: 'seat:join', nickname: `${prefix}${i}`, by: student(`${prefix}${i}`) }, world);
  return s;
}

/** From the lobby to negotiation with the model's answer in. */
export function toNegotiation(state: GameState, world: World): GameState {
  let s = run(state, { type: 'teacher:start-round', by: teacher }, world);
  s = run(s, truthEvent(s), world);
  return run(s, { type: 'teacher:open-negotiation', by: teacher }, world);
}

/** The seat a player holds this round. */
export function seatOfPlayer(state: GameState, playerId: string) {
  const seat = state.round?.seats.find((s) => s.members.includes(playerId));
  if (!seat) throw new Error(`${playerId} is not seated`);
  return seat;
}

/** Every view of a state, serialised, for leak checks. */
export function allViews(state: GameState): { who: string; json: string }[] {
  const out = [
    { who: 'teacher', json: JSON.stringify(viewFor(state, { kind: 'teacher' })) },
    { who: 'stage', json: JSON.stringify(viewFor(state, { kind: 'stage' })) },
  ];
  for (const p of state.players) out.push({ who: p.id, json: JSON.stringify(viewFor(state, { kind: 'student', playerId: p.id })) });
  return out;
}

/**
 * The numbers of the model's answer that would betray it if they showed up in a view: everything but
 * values a view may hold for other reasons (0, 1, halves of cards, uniform shares j/n).
 */
export function telltaleNumbers(truth: { heads: { weights: number[][]; outputs: number[][] }[] }): string[] {
  const innocent = (x: number) => {
    if (Number.isInteger(x * 2)) return true;
    for (let n = 1; n <= 16; n++) if (Math.abs(x * n - Math.round(x * n)) < 1e-12) return true;
    return false;
  };
  const numbers = truth.heads.flatMap((h) => [...h.weights.flat(), ...h.outputs.flat()]);
  return [...new Set(numbers.filter((x) => !innocent(x)).map((x) => JSON.stringify(x)))];
}
