/**
 * The reducer says whose views an event changed, and the server sends only those: a view it leaves
 * out is a phone that never hears of the change. Over seeded random sessions, every view is rebuilt
 * before and after each accepted event and compared (the version left out) with what the reducer said.
 * Nobody may be missed; the moves a class makes many times a second (allocate, lock, key requests and
 * shares) must name exactly the students whose view changed; the rarer events may say "everyone".
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, viewFor, type Effect, type GameEvent, type GameState, type ViewChanges } from '../../lib/game';
import { oneHeadLesson, testLesson } from '../unit/game/fixtures';
import { Room } from '../scenario/harness';
import { nextStep, randomSettings } from './sessions';

const EXACT_EVENTS: readonly string[] = ['attention:allocate', 'attention:lock', 'key:request', 'key:share'];

/** Every recipient's view of a state, serialised with the version left out. */
function allViews(state: GameState): Map<string, string> {
  const views = new Map<string, string>();
  const text = (view: object) => JSON.stringify({ ...view, version: 0 });
  views.set('teacher', text(viewFor(state, { kind: 'teacher' })));
  views.set('stage', text(viewFor(state, { kind: 'stage' })));
  for (const player of state.players) views.set(`student:${player.id}`, text(viewFor(state, { kind: 'student', playerId: player.id })));
  return views;
}

/** Where two serialised views first differ, field by field (and entry by entry in a list), for the failure message. */
function firstDifference(before: string, after: string): string {
  const was = JSON.parse(before) as Record<string, unknown>;
  const now = JSON.parse(after) as Record<string, unknown>;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const field = Object.keys(now).find((k) => !same(was[k], now[k]));
  if (field === undefined) return 'no field differs';
  const x = was[field];
  const y = now[field];
  if (Array.isArray(x) && Array.isArray(y)) {
    const i = y.findIndex((entry, j) => !same(entry, x[j]));
    return `${field}[${i}]: ${JSON.stringify(x[i])} → ${JSON.stringify(y[i])}`;
  }
  return `${field}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`;
}

function changesOf(effects: readonly Effect[]): ViewChanges {
  const broadcast = effects.find((e): e is Extract<Effect, { type: 'broadcast' }> => e.type === 'broadcast');
  if (!broadcast) throw new Error('an accepted event without a broadcast');
  return broadcast.changes;
}

interface Tally {
  events: number;
  /** Recipients named whose view did not change, per event type. */
  overReported: Map<string, number>;
  /** Events that named students one by one. */
  targeted: number;
}

function play(seed: number, steps: number, tally: Tally): void {
  const rng = seededRandom(seed * 104_729 + 3);
  const lesson = seed % 3 === 0 ? oneHeadLesson : testLesson;
  const { temperature: _fixedByLesson, ...initial } = randomSettings(rng);
  const room = new Room(lesson, seed, initial);
  room.autoEngine = seed % 4 !== 1;
  const joined = { count: 0 };
  let step = 0;
  room.onAccepted = (after: GameState, event: GameEvent, before: GameState, effects: readonly Effect[]) => {
    const changes = changesOf(effects);
    const was = allViews(before);
    const now = allViews(after);
    const named = new Set<string>();
    if (changes.teacher || changes.everyone) named.add('teacher');
    if (changes.stage || changes.everyone) named.add('stage');
    const students = changes.everyone ? after.players.map((p) => p.id) : changes.students;
    for (const id of students) named.add(`student:${id}`);
    tally.events++;
    if (!changes.everyone) tally.targeted++;
    for (const [recipient, view] of now) {
      const changed = was.get(recipient) !== view;
      if (changed && !named.has(recipient)) {
        const difference = firstDifference(was.get(recipient) ?? '{}', view);
        throw new Error(`seed ${seed}, step ${step} (${event.type}): ${recipient}'s view changed but the reducer did not say so (${difference})`);
      }
      if (!changed && named.has(recipient)) {
        if (EXACT_EVENTS.includes(event.type) && recipient.startsWith('student:')) {
          throw new Error(`seed ${seed}, step ${step} (${event.type}): ${recipient} was named but their view did not change`);
        }
        tally.overReported.set(event.type, (tally.overReported.get(event.type) ?? 0) + 1);
      }
    }
  };
  for (step = 0; step < steps; step++) {
    const next = nextStep(rng, room, joined);
    if (typeof next === 'function') next();
    else room.dispatch(next);
  }
}

describe('whose views an event changes', () => {
  it('names every changed view, and exactly the changed students for in-round moves, over 40 seeded sessions', () => {
    const tally: Tally = { events: 0, overReported: new Map(), targeted: 0 };
    for (let seed = 1; seed <= 40; seed++) play(seed, 250, tally);
    // The sessions did something, and most events did not have to tell everyone.
    expect(tally.events).toBeGreaterThan(3_000);
    expect(tally.targeted / tally.events).toBeGreaterThan(0.5);
    console.log(`view changes: ${tally.events} accepted events, ${tally.targeted} targeted; named without a change: ${JSON.stringify(Object.fromEntries(tally.overReported))}`);
  });
});
