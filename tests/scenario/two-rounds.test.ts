/**
 * A whole two-round class, driven through the reducer as the server would drive it: a fake clock,
 * a seeded chance, timers that fire, and the reference attention as the engine.
 */
import { describe, expect, it } from 'vitest';
import { attendLayer } from '../../lib/attention/reference';
import { scoreAllocation, viewFor, type GameEvent, type GameState } from '../../lib/game';
import { getLesson } from '../../lib/lessons/curated';
import { telltaleNumbers } from '../unit/game/fixtures';
import { Room } from './harness';

const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

const teacher = { role: 'teacher' } as const;
const student = (playerId: string) => ({ role: 'student', playerId }) as const;

function holder(state: GameState, token: number): string | undefined {
  return state.round?.seats.find((s) => s.token === token)?.members[0];
}

function tokenOf(state: GameState, playerId: string): number {
  const seat = state.round?.seats.find((s) => s.members.includes(playerId));
  if (!seat) throw new Error(`${playerId} is not seated`);
  return seat.token;
}

function modelRows(state: GameState): number[][] {
  if (!state.round) throw new Error('no round');
  return attendLayer(state.cards, state.lesson.wO, state.round.options).heads[0].weights;
}

describe('a two-round class on “The cat sat on a mat”', () => {
  it('plays from the lobby to the end', () => {
    const room = new Room(lesson, 2024, { timerSeconds: 60 });
    let leakChecks = 0;
    room.onAccepted = (state) => {
      const problems = room.invariantViolations();
      if (problems.length > 0) throw new Error(`invariants broken: ${problems.join('; ')}`);
      if (!state.round || room.revealed()) return;
      const layer = attendLayer(state.cards, state.lesson.wO, state.round.options);
      // A student who works the row out by hand may post the model's numbers themselves: those are theirs.
      const posted = JSON.stringify(state.round.allocations);
      const telltales = telltaleNumbers({ heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) }).filter(
        (t) => !posted.includes(t),
      );
      const views = [viewFor(state, { kind: 'stage' }), ...state.players.map((p) => viewFor(state, { kind: 'student', playerId: p.id }))];
      for (const view of views) {
        const json = JSON.stringify(view);
        for (const t of telltales) if (json.includes(t)) throw new Error(`a ${view.kind} view leaks ${t} before the reveal`);
      }
      leakChecks++;
    };

    // ——— the lobby ———
    const names = ['ada', 'ben', 'cleo', 'dev'];
    for (const name of names) room.must({ type: 'seat:join', nickname: name, by: student(name) });
    expect(viewFor(room.state, { kind: 'stage' }).roster.map((r) => r.nickname)).toEqual(names);
    expect(room.state.code).toMatch(/^[ACEFHJKMNPRTWXY3479]{8}$/);

    // ——— round 1: cards ———
    room.must({ type: 'teacher:start-round', by: teacher });
    expect(room.state.phase).toBe('cards');
    // The engine answered through the queue. The, cat and a have all-zero queries (nothing to find):
    // AI classmates play them, and the four students share sat (the star), on and mat.
    expect(room.state.server.truth?.round).toBe(1);
    const stage1 = viewFor(room.state, { kind: 'stage' });
    expect(stage1.seats.filter((s) => s.playedByBot).map((s) => lesson.tokens[s.token])).toEqual(['The', 'cat', 'a']);
    expect(room.state.round?.seats[lesson.tokens.indexOf('sat')].members.length).toBeGreaterThan(0);
    expect(stage1.seats.filter((s) => s.playedByBot).every((s) => s.allocation === null)).toBe(true);

    // ——— round 1: negotiation ———
    room.advance(10_000);
    room.must({ type: 'teacher:open-negotiation', by: teacher });
    expect(room.timers.get('round')?.at).toBe(room.now + 60_000);

    // ada asks every other token for its key; people answer when told, bots at once.
    const ada = tokenOf(room.state, 'ada');
    for (let t = 0; t < lesson.tokens.length; t++) {
      if (t === ada) continue;
      room.must({ type: 'key:request', round: 1, token: t, by: student('ada') });
      const owner = holder(room.state, t);
      const request = room.state.round?.keyRequests.at(-1);
      if (owner && request?.status === 'pending') {
        // Every member of the owning team hears the request; one of them shares.
        const owners = room.state.round?.seats.find((s) => s.token === t)?.members ?? [];
        expect(room.notices.at(-1)).toMatchObject({ playerIds: owners, notice: { event: 'key:requested', data: { fromToken: ada } } });
        room.must({ type: 'key:share', round: 1, requestId: request.id, by: student(owner) });
      }
      // The whole asking team hears that the key arrived (ada's teammates hold the same seat).
      const askers = room.state.round?.seats.find((s) => s.token === ada)?.members ?? [];
      expect(askers).toContain('ada');
      expect(room.notices.at(-1)).toMatchObject({ playerIds: askers, notice: { event: 'key:shared', data: { token: t } } });
    }
    const adaView = room.studentView('ada');
    expect(adaView.seat?.keys).toEqual(room.state.cards[0].k);

    // With every key in hand ada can work out the model's row exactly (dot products, √d_k, softmax).
    const rows1 = modelRows(room.state);
    const query = room.state.cards[0].q[ada];
    const scores = room.state.cards[0].k.map((key) => key.reduce((sum, k, d) => sum + k * query[d], 0) / Math.sqrt(key.length));
    const exps = scores.map((x) => Math.exp(x - Math.max(...scores)));
    const byHand = exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
    byHand.forEach((w, j) => expect(w).toBeCloseTo(rows1[ada][j], 12));
    room.must({ type: 'attention:allocate', round: 1, weights: byHand, by: student('ada') });

    // ben keeps the uniform start; cleo looks only at herself; dev changes his mind, then locks in.
    const cleo = tokenOf(room.state, 'cleo');
    const selfOnly = lesson.tokens.map((_, j) => (j === cleo ? 1 : 0));
    room.must({ type: 'attention:allocate', round: 1, weights: selfOnly, by: student('cleo') });
    const half = lesson.tokens.map((_, j) => (j < 2 ? 0.5 : 0));
    room.must({ type: 'attention:allocate', round: 1, weights: selfOnly.map(() => 1 / 6), by: student('dev') });
    room.must({ type: 'attention:allocate', round: 1, weights: half, by: student('dev') });
    room.must({ type: 'attention:lock', round: 1, by: student('dev') });
    expect(room.dispatch({ type: 'attention:allocate', round: 1, weights: selfOnly, by: student('dev') })).toMatchObject({
      ok: false,
      error: { code: 'attention/already-locked' },
    });

    // eve arrives late and joins the smallest team on a row with something to find, not an AI classmate's empty row.
    room.must({ type: 'seat:join', nickname: 'eve', by: student('eve') });
    expect(room.studentView('eve').me.status).toBe('seated');
    expect(['sat', 'on', 'mat']).toContain(lesson.tokens[tokenOf(room.state, 'eve')]);
    expect(viewFor(room.state, { kind: 'stage' }).seats.filter((s) => s.playedByBot)).toHaveLength(3);

    // The clock runs out: the timer locks the round.
    room.advance(60_000);
    expect(room.state.phase).toBe('locked');

    // ——— round 1: the reveal ———
    room.must({ type: 'teacher:reveal', by: teacher });
    expect(room.state.phase).toBe('reveal');
    const results1 = room.state.history[0];
    const scoreOf = (id: string) => results1.players.find((r) => r.playerId === id)?.score;
    expect(scoreOf('ada')).toBe(1000);
    expect(scoreOf('ben')).toBe(scoreAllocation(lesson.tokens.map(() => 1 / 6), rows1[tokenOf(room.state, 'ben')]));
    expect(scoreOf('cleo')).toBe(scoreAllocation(selfOnly, rows1[cleo]));
    expect(scoreOf('dev')).toBe(scoreAllocation(half, rows1[tokenOf(room.state, 'dev')]));
    expect(scoreOf('eve')).toBeDefined();
    expect(results1.classScore).toBeCloseTo(results1.players.reduce((a, r) => a + r.score, 0) / 5, 12);
    expect(results1.players.every((r) => r.bonus === 0)).toBe(true);

    const adaResult = room.studentView('ada').result;
    expect(adaResult?.cosine).toBeCloseTo(1, 12);
    expect(adaResult?.trueRow).toEqual(rows1[ada]);
    const cleoResult = room.studentView('cleo').result;
    expect(cleoResult?.overWeighted?.token).toBe(rows1[cleo][cleo] < 1 ? cleo : undefined);
    const stageReveal = viewFor(room.state, { kind: 'stage' });
    expect(stageReveal.reveal?.heads[0].weights).toEqual(rows1);
    expect(stageReveal.seats.every((s) => s.allocation !== null)).toBe(true);
    expect(stageReveal.leaderboard?.[0]).toMatchObject({ rank: 1, nickname: 'ada', total: 1000 });

    // ——— round 2: causal, with a speed bonus ———
    room.must({ type: 'teacher:settings', settings: { causal: true, speedBonus: true }, by: teacher });
    room.must({ type: 'teacher:next-round', by: teacher });
    expect(room.state.round?.number).toBe(2);
    expect(room.state.round?.options.causal).toBe(true);
    expect(room.state.round?.seats.flatMap((s) => s.members).sort()).toEqual(['ada', 'ben', 'cleo', 'dev', 'eve']);
    room.must({ type: 'teacher:open-negotiation', by: teacher });
    const rows2 = modelRows(room.state);

    // ben's connection drops; after two minutes an AI classmate plays his seat.
    room.must({ type: 'presence:disconnect', playerId: 'ben', by: { role: 'system' } });
    expect(viewFor(room.state, { kind: 'teacher' }).players.find((p) => p.playerId === 'ben')).toMatchObject({ away: true });
    room.must({ type: 'teacher:pause', by: teacher });
    room.advance(120_000);
    expect(room.state.players.find((p) => p.id === 'ben')?.replacedByBot).toBe(true);
    expect(room.state.phase).toBe('negotiate');
    room.must({ type: 'teacher:resume', by: teacher });
    expect(room.state.round?.timer.deadline).toBe(room.now + 60_000);

    // A request to ben's seat is answered by the bot at once, if ben's token is within reach and he
    // played it alone (a teammate still playing answers for the team).
    const benToken = tokenOf(room.state, 'ben');
    const benAlone = room.state.round?.seats.find((s) => s.members.includes('ben'))?.members.length === 1;
    const later = ['ada', 'cleo', 'eve'].find((id) => tokenOf(room.state, id) > benToken);
    if (later) {
      room.must({ type: 'key:request', round: 2, token: benToken, by: student(later) });
      expect(room.state.round?.keyRequests.at(-1)).toMatchObject(benAlone ? { status: 'shared', sharedBy: 'bot' } : { status: 'pending' });
    }
    room.must({ type: 'seat:rejoin', by: student('ben') });
    expect(room.timers.has('presence:ben')).toBe(false);
    expect(viewFor(room.state, { kind: 'stage' }).seats[room.state.round?.seats.find((s) => s.members.includes('ben'))?.index ?? -1].playedByBot).toBe(false);

    // The teacher removes dev; he is told, and his secret cannot bring him back.
    room.must({ type: 'teacher:kick', playerId: 'dev', by: teacher });
    expect(room.notices.at(-1)).toMatchObject({ playerIds: ['dev'], notice: { event: 'player:kicked' } });
    expect(room.disconnected).toEqual(['dev']);
    expect(room.dispatch({ type: 'seat:rejoin', by: student('dev') })).toMatchObject({ ok: false, error: { code: 'auth/kicked' } });

    // Causal: weight on a later token is refused; the model's row is allowed.
    const cleo2 = tokenOf(room.state, 'cleo');
    if (cleo2 < lesson.tokens.length - 1) {
      const ahead = lesson.tokens.map((_, j) => (j === cleo2 + 1 ? 1 : 0));
      expect(room.dispatch({ type: 'attention:allocate', round: 2, weights: ahead, by: student('cleo') })).toMatchObject({
        ok: false,
        error: { code: 'attention/causal-violation' },
      });
    }
    room.advance(15_000);
    const present = ['ada', 'ben', 'cleo', 'eve'];
    for (const id of present) {
      room.must({ type: 'attention:allocate', round: 2, weights: rows2[tokenOf(room.state, id)], by: student(id) } as GameEvent);
      room.must({ type: 'attention:lock', round: 2, by: student(id) });
    }
    // Everyone present locked in: the round locked itself, and the timer was cancelled.
    expect(room.state.phase).toBe('locked');
    expect(room.timers.has('round')).toBe(false);

    room.must({ type: 'teacher:reveal', by: teacher });
    const results2 = room.state.history[1];
    expect(results2.players.map((r) => r.playerId).sort()).toEqual(present);
    for (const r of results2.players) {
      expect(r.score).toBe(1000);
      // Perfect, and committed 15 of 60 negotiation seconds in (the paused two minutes do not count).
      expect(r.bonus).toBe(75);
    }
    for (const p of room.state.players.filter((x) => !x.kicked)) {
      const earned = room.state.history.flatMap((h) => h.players).filter((r) => r.playerId === p.id);
      expect(p.total).toBe(earned.reduce((a, r) => a + r.score + r.bonus, 0));
    }

    // ——— the podium and the end ———
    room.must({ type: 'teacher:podium', by: teacher });
    const podium = viewFor(room.state, { kind: 'stage' });
    expect(podium.phase).toBe('podium');
    expect(podium.leaderboard?.map((e) => e.nickname)).not.toContain('dev');
    expect(podium.leaderboard?.[0].nickname).toBe('ada');
    room.must({ type: 'teacher:end', by: teacher });
    expect(room.dispatch({ type: 'teacher:next-round', by: teacher })).toMatchObject({ ok: false, error: { code: 'session/ended' } });
    expect(room.timers.size).toBe(0);
    expect(room.persists).toBeGreaterThan(10);
    expect(leakChecks).toBeGreaterThan(20);
  });
});
