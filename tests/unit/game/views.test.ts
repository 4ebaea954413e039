/**
 * Views leak nothing before the reveal: each view is serialised as it would go over the wire and
 * searched for the model's numbers; the structure is checked for scores and unshown keys.
 */
import { describe, expect, it } from 'vitest';
import { attendLayer } from '../../../lib/attention/reference';
import { viewFor, type GameState } from '../../../lib/game';
import {
  allViews,
  joinAll,
  newSession,
  run,
  student,
  system,
  teacher,
  telltaleNumbers,
  testLesson,
  truthEvent,
  World,
} from './fixtures';

/** A session taken through one round, the state kept at every step, with the bots at full skill. */
function statesOfARound(): { name: string; state: GameState }[] {
  const world = new World(12);
  const out: { name: string; state: GameState }[] = [];
  let s = newSession(testLesson, world, { botSkill: 1 });
  s = joinAll(s, 11, world);
  out.push({ name: 'lobby', state: s });
  s = run(s, { type: 'teacher:start-round', by: teacher }, world);
  out.push({ name: 'cards, engine pending', state: s });
  s = run(s, truthEvent(s), world);
  out.push({ name: 'cards, answer in', state: s });
  s = run(s, { type: 'teacher:open-negotiation', by: teacher }, world);
  const asker = s.round?.seats[0].members[0] ?? '';
  const target = (s.round?.seats[0].token ?? 0) === 0 ? 1 : 0;
  s = run(s, { type: 'key:request', round: 1, token: target, by: student(asker) }, world);
  s = run(s, { type: 'attention:allocate', round: 1, weights: [0.1, 0.2, 0.3, 0.4], by: student(asker) }, world);
  s = run(s, { type: 'presence:disconnect', playerId: 'p2', by: system }, world);
  world.tick(120_000);
  s = run(s, { type: 'presence:timeout', playerId: 'p2', awaySince: world.now - 120_000, by: system }, world);
  s = run(s, { type: 'teacher:kick', playerId: 'p3', by: teacher }, world);
  out.push({ name: 'negotiate', state: s });
  s = run(s, { type: 'teacher:pause', by: teacher }, world);
  out.push({ name: 'negotiate, paused', state: s });
  s = run(s, { type: 'teacher:lock', by: teacher }, world);
  out.push({ name: 'locked', state: s });
  return out;
}

const states = statesOfARound();
const locked = states[states.length - 1].state;
const truth = attendLayer(locked.cards, null, locked.round?.options);
const telltales = telltaleNumbers({ heads: truth.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) });

describe('views before the reveal', () => {
  it('cover a team, a bot-played seat and a student replaced by a bot', () => {
    const negotiate = states.find((x) => x.name === 'negotiate')?.state;
    const stage = negotiate ? viewFor(negotiate, { kind: 'stage' }) : null;
    expect(stage?.seats.some((seat) => seat.members.length > 1)).toBe(true);
    expect(stage?.seats.some((seat) => seat.playedByBot)).toBe(true);
    expect(negotiate?.round?.seats.some((seat) => seat.botAllocation !== null)).toBe(true);
    expect(negotiate?.players.some((p) => p.replacedByBot)).toBe(true);
  });

  it('the test can find the model’s numbers at all (there are telltales to find)', () => {
    expect(telltales.length).toBeGreaterThan(20);
    const revealed = run(locked, { type: 'teacher:reveal', by: teacher }, new World());
    const stage = JSON.stringify(viewFor(revealed, { kind: 'stage' }));
    expect(telltales.filter((t) => stage.includes(t)).length).toBe(telltales.length);
  });

  for (const { name, state } of states) {
    it(`${name}: no view holds a number of the model’s answer`, () => {
      for (const { who, json } of allViews(state)) {
        for (const t of telltales) expect(json.includes(t), `${who} view holds ${t}`).toBe(false);
      }
    });

    it(`${name}: no student or stage view holds a score, a result or a leaderboard`, () => {
      const stage = viewFor(state, { kind: 'stage' });
      expect(stage.reveal).toBeNull();
      expect(stage.leaderboard).toBeNull();
      for (const p of state.players) {
        const view = viewFor(state, { kind: 'student', playerId: p.id });
        expect(view.result).toBeNull();
        expect(view.classScore).toBeNull();
        expect(view.leaderboard).toBeNull();
      }
      expect(viewFor(state, { kind: 'teacher' }).reveal).toBeNull();
      expect(viewFor(state, { kind: 'teacher' }).results).toBeNull();
    });

    it(`${name}: a student sees their own cards and only the keys they were shown`, () => {
      const round = state.round;
      if (!round) return;
      for (const p of state.players) {
        const view = viewFor(state, { kind: 'student', playerId: p.id });
        if (!view.seat) continue;
        const { token, head } = view.seat;
        const cards = state.cards[head];
        expect(view.seat.cards).toEqual({ query: cards.q[token], key: cards.k[token], value: cards.v[token] });
        const shared = round.keyRequests.filter((r) => r.fromSeat === view.seat?.seat && r.status === 'shared').map((r) => r.toToken);
        view.seat.keys.forEach((key, j) => {
          if (j === token || shared.includes(j) || round.keysRevealed) expect(key).toEqual(cards.k[j]);
          else expect(key).toBeNull();
        });
        const json = JSON.stringify(view);
        for (const field of ['"wQ"', '"wK"', '"wV"', '"embeddings"', '"truth"', '"server"', '"botAllocation"']) {
          expect(json).not.toContain(field);
        }
      }
    });

    it(`${name}: the stage and the teacher show no AI classmate’s allocation, the stage no keys`, () => {
      const stage = viewFor(state, { kind: 'stage' });
      for (const seat of stage.seats) if (seat.playedByBot) expect(seat.allocation).toBeNull();
      for (const seat of viewFor(state, { kind: 'teacher' }).seats) if (seat.playedByBot) expect(seat.allocation).toBeNull();
      expect(stage.keys).toBeNull();
      expect(JSON.stringify(stage)).not.toContain('"query"');
    });
  }
});

describe('views after the reveal', () => {
  const world = new World();
  const revealed = run(locked, { type: 'teacher:reveal', by: teacher }, world);

  it('give each student their result, the class score and the leaderboard', () => {
    for (const p of revealed.players.filter((x) => !x.kicked)) {
      const view = viewFor(revealed, { kind: 'student', playerId: p.id });
      const mine = revealed.history[0].players.find((r) => r.playerId === p.id);
      expect(view.result?.score).toBe(mine?.score);
      expect(view.result?.values).toEqual(revealed.cards[view.result?.head ?? 0].v);
      expect(view.classScore).toBe(revealed.history[0].classScore);
      expect(view.leaderboard?.length).toBe(revealed.players.filter((x) => !x.kicked).length);
      expect(view.seat?.keys.every((k) => k !== null)).toBe(true);
    }
  });

  it('show the stage the model’s attention and every seat, bots included', () => {
    const stage = viewFor(revealed, { kind: 'stage' });
    expect(stage.reveal?.heads.map((h) => h.weights)).toEqual(truth.heads.map((h) => h.weights));
    expect(stage.seats.every((seat) => seat.allocation !== null)).toBe(true);
    expect(stage.keys).toEqual(revealed.cards.map((c) => c.k));
    expect(stage.leaderboard?.every((e) => e.playerId === undefined)).toBe(true);
  });

  it('hide names on the stage’s leaderboard when asked', () => {
    const hidden = run(revealed, { type: 'teacher:settings', settings: { hideNamesOnStage: true }, by: teacher }, world);
    const stage = viewFor(hidden, { kind: 'stage' });
    expect(stage.leaderboard?.every((e) => e.nickname === null)).toBe(true);
    expect(stage.seats.flatMap((s) => s.members).every((m) => m.nickname === null)).toBe(true);
    expect(viewFor(hidden, { kind: 'student', playerId: 'p1' }).leaderboard?.[0].nickname).not.toBeNull();
  });
});

describe('every view', () => {
  it('is plain JSON and carries the state’s version', () => {
    for (const { state } of states) {
      for (const recipient of [{ kind: 'teacher' as const }, { kind: 'stage' as const }, { kind: 'student' as const, playerId: 'p1' }]) {
        const view = viewFor(state, recipient);
        expect(JSON.parse(JSON.stringify(view))).toEqual(view);
        expect(view.version).toBe(state.version);
      }
    }
  });

  it('refuses to build a view for a student the session does not know', () => {
    expect(() => viewFor(locked, { kind: 'student', playerId: 'ghost' })).toThrow(/ghost/);
  });
});
