import { describe, expect, it } from 'vitest';
import { attendLayer } from '../../../lib/attention/reference';
import {
  allocationOf,
  AWAY_GRACE_MS,
  blendValues,
  invariantViolations,
  scoreAllocation,
  standings,
  timerKeys,
  viewFor,
  type GameEvent,
  type GameState,
  REVEAL_STEP_NAMES,
} from '../../../lib/game';
import { ErrorCode } from '../../../lib/protocol';
import {
  accept,
  expectRefused,
  joinAll,
  newSession,
  oneHeadLesson,
  run,
  seatOfPlayer,
  student,
  system,
  teacher,
  testLesson,
  toNegotiation,
  truthEvent,
  World,
} from './fixtures';

const holderOf = (state: GameState, token: number, head = 0) =>
  state.round?.seats.find((s) => s.token === token && s.head === head)?.members[0] ?? '';

describe('key cards', () => {
  it('a request reaches the owner, the share reaches the asking seat', () => {
    const world = new World(5);
    const s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 4, world), world);
    const asker = holderOf(s, 2);
    const owner = holderOf(s, 0);
    const asked = accept(s, { type: 'key:request', round: 1, token: 0, by: student(asker) }, world);
    const request = asked.state.round?.keyRequests[0];
    expect(request).toMatchObject({ fromToken: 2, toToken: 0, status: 'pending', requestedBy: asker });
    expect(asked.effects).toContainEqual({
      type: 'notify',
      playerIds: [owner],
      notice: {
        event: 'key:requested',
        data: { requestId: request?.id, round: 1, head: 0, fromToken: 2, fromNicknames: [asker] },
      },
    });
    expect(viewFor(asked.state, { kind: 'student', playerId: asker }).seat?.keys[0]).toBeNull();
    expect(viewFor(asked.state, { kind: 'student', playerId: owner }).seat?.requestsIn).toEqual([
      { id: request?.id, fromToken: 2, fromNicknames: [asker], status: 'pending' },
    ]);

    const shared = accept(asked.state, { type: 'key:share', round: 1, requestId: request?.id ?? '', by: student(owner) }, world);
    expect(shared.state.round?.keyRequests[0]).toMatchObject({ status: 'shared', sharedBy: owner });
    expect(shared.effects).toContainEqual({
      type: 'notify',
      playerIds: [asker],
      notice: { event: 'key:shared', data: { requestId: request?.id, round: 1, head: 0, token: 0 } },
    });
    expect(viewFor(shared.state, { kind: 'student', playerId: asker }).seat?.keys[0]).toEqual(shared.state.cards[0].k[0]);
    // Only the seat that asked sees it.
    expect(viewFor(shared.state, { kind: 'student', playerId: holderOf(s, 3) }).seat?.keys[0]).toBeNull();
  });

  it('an AI classmate shares at once', () => {
    const world = new World(5);
    const s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 1, world), world);
    const asker = s.players[0].id;
    const mine = seatOfPlayer(s, asker).token;
    const other = (mine + 1) % 4;
    const asked = accept(s, { type: 'key:request', round: 1, token: other, by: student(asker) }, world);
    expect(asked.state.round?.keyRequests[0]).toMatchObject({ status: 'shared', sharedBy: 'bot' });
    expect(asked.effects.some((e) => e.type === 'notify' && e.notice.event === 'key:shared')).toBe(true);
    expect(viewFor(asked.state, { kind: 'student', playerId: asker }).seat?.keys[other]).toEqual(s.cards[0].k[other]);
  });

  it('the teacher revealing all keys answers pending requests and shows every key', () => {
    const world = new World(5);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 4, world), world);
    s = run(s, { type: 'key:request', round: 1, token: 1, by: student(holderOf(s, 0)) }, world);
    const { state, effects } = accept(s, { type: 'teacher:reveal-keys', by: teacher }, world);
    expect(state.round?.keyRequests[0]).toMatchObject({ status: 'shared', sharedBy: 'teacher' });
    expect(effects.some((e) => e.type === 'notify' && e.notice.event === 'key:shared')).toBe(true);
    for (const p of state.players) expect(viewFor(state, { kind: 'student', playerId: p.id }).seat?.keys).toEqual(state.cards[0].k);
    expect(viewFor(state, { kind: 'stage' }).keys).toEqual(state.cards.map((c) => c.k));
  });
});

describe('allocations and teams', () => {
  it('change until the lock, each team member keeps their own, the stage shows the mean', () => {
    const world = new World(8);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 8, world), world);
    const seat = s.round?.seats[0];
    expect(seat?.members).toHaveLength(2);
    const [a, b] = seat?.members ?? [];
    s = run(s, { type: 'attention:allocate', round: 1, weights: [1, 0, 0, 0], by: student(a) }, world);
    s = run(s, { type: 'attention:allocate', round: 1, weights: [0.5, 0.5, 0, 0], by: student(a) }, world);
    s = run(s, { type: 'attention:allocate', round: 1, weights: [0, 0.5, 0.5, 0], by: student(b) }, world);
    expect(allocationOf(s.round!, a)).toMatchObject({ weights: [0.5, 0.5, 0, 0], touched: true, updatedAt: world.now });
    expect(viewFor(s, { kind: 'stage' }).seats[0].allocation).toEqual([0.25, 0.5, 0.25, 0]);
    expect(viewFor(s, { kind: 'student', playerId: a }).seat?.teamAllocation).toEqual([0.25, 0.5, 0.25, 0]);
    expect(viewFor(s, { kind: 'student', playerId: a }).seat?.teammates.map((m) => m.playerId)).toEqual([b]);

    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    s = run(s, { type: 'teacher:reveal', by: teacher }, world);
    const results = s.history[0];
    const trueRow = attendLayer(s.cards, null, s.round?.options).heads[0].weights[seat?.token ?? 0];
    expect(results.players.find((r) => r.playerId === a)?.score).toBe(scoreAllocation([0.5, 0.5, 0, 0], trueRow));
    expect(results.players.find((r) => r.playerId === b)?.score).toBe(scoreAllocation([0, 0.5, 0.5, 0], trueRow));
    expect(results.seats[0]).toMatchObject({ allocation: [0.25, 0.5, 0.25, 0], score: scoreAllocation([0.25, 0.5, 0.25, 0], trueRow) });
  });
});

describe('the reveal', () => {
  function revealedRound(speedBonus: boolean) {
    const world = new World(3);
    let s = newSession(oneHeadLesson, world, { speedBonus, timerSeconds: 100 });
    s = toNegotiation(joinAll(s, 2, world), world);
    const truth = attendLayer(s.cards, null, s.round?.options).heads[0];
    const [p1, p2] = ['p1', 'p2'];
    const t1 = seatOfPlayer(s, p1).token;
    world.tick(25_000);
    s = run(s, { type: 'attention:allocate', round: 1, weights: truth.weights[t1], by: student(p1) }, world);
    s = run(s, { type: 'attention:lock', round: 1, by: student(p1) }, world);
    world.tick(25_000);
    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    s = run(s, { type: 'teacher:reveal', by: teacher }, world);
    return { s, truth, p1, p2, t1, t2: seatOfPlayer(s, p2).token };
  }

  it('the teacher steps the projector through it; the step starts over with the next round', () => {
    const { s } = revealedRound(false);
    const world = new World(3);
    expect(viewFor(s, { kind: 'stage' }).reveal?.step).toBe(0);
    const stepped = accept(s, { type: 'teacher:reveal-step', step: 3, by: teacher }, world);
    expect(viewFor(stepped.state, { kind: 'stage' }).reveal?.step).toBe(3);
    expect(viewFor(stepped.state, { kind: 'teacher' }).reveal?.step).toBe(3);
    // The phones do not follow the projector's steps: they are not disturbed.
    const phone = (state: GameState) => ({ ...viewFor(state, { kind: 'student', playerId: 'p1' }), version: 0 });
    expect(phone(stepped.state)).toEqual(phone(s));
    expectRefused(stepped.state, { type: 'teacher:reveal-step', step: REVEAL_STEP_NAMES.length, by: teacher }, world, ErrorCode.requestInvalid);
    expectRefused(stepped.state, { type: 'teacher:reveal-step', step: 1, by: student('p1') }, world, ErrorCode.authNotHost);
    const next = run(stepped.state, { type: 'teacher:next-round', by: teacher }, world);
    expectRefused(next, { type: 'teacher:reveal-step', step: 2, by: teacher }, world, ErrorCode.roundWrongPhase);
    const again = run(run(run(next, { type: 'teacher:open-negotiation', by: teacher }, world), { type: 'teacher:lock', by: teacher }, world), truthEvent(next), world);
    expect(viewFor(run(again, { type: 'teacher:reveal', by: teacher }, world), { kind: 'stage' }).reveal?.step).toBe(0);
  });

  it('scores each student, shows their output beside the model’s and the key they over-weighted', () => {
    const { s, truth, p1, p2, t2 } = revealedRound(false);
    const results = s.history[0];
    const r1 = results.players.find((r) => r.playerId === p1);
    const r2 = results.players.find((r) => r.playerId === p2);
    expect(r1).toMatchObject({ score: 1000, bonus: 0, overWeighted: null });
    expect(r1?.cosine).toBeCloseTo(1, 12);
    const uniform = [0.25, 0.25, 0.25, 0.25];
    expect(r2?.score).toBe(scoreAllocation(uniform, truth.weights[t2]));
    expect(r2?.output).toEqual(blendValues(uniform, s.cards[0].v));
    expect(r2?.trueOutput).toEqual(truth.outputs[t2]);
    const excess = uniform.map((w, j) => w - truth.weights[t2][j]);
    expect(r2?.overWeighted?.token).toBe(excess.indexOf(Math.max(...excess)));
    expect(results.classScore).toBe((1000 + (r2?.score ?? 0)) / 2);
    expect(results.seats.filter((seat) => seat.playedByBot)).toHaveLength(2);
    expect(s.players.find((p) => p.id === p1)?.total).toBe(1000);
    expect(invariantViolations(s)).toEqual([]);
  });

  it('adds a speed bonus only when the setting is on', () => {
    const { s, p1 } = revealedRound(true);
    // Locked in after 25 of 100 seconds with a perfect score: 75 points.
    expect(s.history[0].players.find((r) => r.playerId === p1)?.bonus).toBe(75);
    expect(s.players.find((p) => p.id === p1)?.total).toBe(1075);
  });

  it('keeps a cumulative leaderboard over rounds', () => {
    const world = new World(4);
    let s = joinAll(newSession(oneHeadLesson, world), 3, world);
    s = toNegotiation(s, world);
    s = run(run(s, { type: 'teacher:lock', by: teacher }, world), { type: 'teacher:reveal', by: teacher }, world);
    s = run(s, { type: 'teacher:next-round', by: teacher }, world);
    s = run(run(s, truthEvent(s), world), { type: 'teacher:open-negotiation', by: teacher }, world);
    s = run(run(s, { type: 'teacher:lock', by: teacher }, world), { type: 'teacher:reveal', by: teacher }, world);
    for (const p of s.players) {
      const earned = s.history.flatMap((h) => h.players).filter((r) => r.playerId === p.id);
      expect(earned).toHaveLength(2);
      expect(p.total).toBe(earned.reduce((a, r) => a + r.score, 0));
      expect(p.roundsPlayed).toBe(2);
    }
    const board = standings(s);
    for (let i = 1; i < board.length; i++) expect(board[i].total).toBeLessThanOrEqual(board[i - 1].total);
    expect(board[0].rank).toBe(1);
  });
});

describe('the timer', () => {
  it('add-time moves the deadline, or the frozen remainder while paused', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 1, world), world);
    const deadline = s.round?.timer.deadline ?? 0;
    const added = accept(s, { type: 'teacher:add-time', seconds: 30, by: teacher }, world);
    expect(added.state.round?.timer).toMatchObject({ deadline: deadline + 30_000, durationMs: 120_000 });
    expect(added.effects).toContainEqual(expect.objectContaining({ type: 'schedule-timer', key: 'round', at: deadline + 30_000 }));
    s = run(added.state, { type: 'teacher:pause', by: teacher }, world);
    s = run(s, { type: 'teacher:add-time', seconds: 15, by: teacher }, world);
    expect(s.round?.timer).toMatchObject({ deadline: null, pausedRemainingMs: 135_000, durationMs: 135_000 });
    expect(invariantViolations(s)).toEqual([]);
  });

  it('an old deadline no longer locks once time was added', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 1, world), world);
    s = run(s, { type: 'teacher:add-time', seconds: 30, by: teacher }, world);
    world.tick(90_000);
    expect(accept.bind(null, s, { type: 'timer:expired', round: 1, by: system }, world)).toThrow(/timer\/stale/);
    world.tick(30_000);
    expect(run(s, { type: 'timer:expired', round: 1, by: system }, world).phase).toBe('locked');
  });
});

describe('presence', () => {
  it('a disconnect holds the seat for two minutes, then a bot plays it until the student returns', () => {
    const world = new World(6);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    const seat = seatOfPlayer(s, 'p1');
    const gone = accept(s, { type: 'presence:disconnect', playerId: 'p1', by: system }, world);
    s = gone.state;
    expect(s.players[0]).toMatchObject({ away: true, awaySince: world.now, replacedByBot: false });
    expect(gone.effects).toContainEqual({
      type: 'schedule-timer',
      key: timerKeys.presence('p1'),
      at: world.now + AWAY_GRACE_MS,
      event: { type: 'presence:timeout', playerId: 'p1', awaySince: world.now, by: system },
    });
    expect(s.round?.seats[seat.index].botAllocation).toBeNull();
    expect(viewFor(s, { kind: 'stage' }).seats[seat.index].members[0].away).toBe(true);

    world.tick(AWAY_GRACE_MS);
    s = run(s, { type: 'presence:timeout', playerId: 'p1', awaySince: world.now - AWAY_GRACE_MS, by: system }, world);
    expect(s.players[0].replacedByBot).toBe(true);
    expect(s.round?.seats[seat.index].botAllocation).not.toBeNull();
    expect(viewFor(s, { kind: 'stage' }).seats[seat.index]).toMatchObject({ playedByBot: true, allocation: null });
    expect(invariantViolations(s)).toEqual([]);

    const back = accept(s, { type: 'seat:rejoin', by: student('p1') }, world);
    expect(back.state.players[0]).toMatchObject({ away: false, awaySince: null, replacedByBot: false });
    expect(back.state.round?.seats[seat.index].botAllocation).toBeNull();
    expect(back.effects).toContainEqual({ type: 'cancel-timer', key: timerKeys.presence('p1') });
    expect(seatOfPlayer(back.state, 'p1').index).toBe(seat.index);
  });

  it('a student back after the reveal takes the seat from the bot (found by the fuzz test)', () => {
    const world = new World(6);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    const seat = seatOfPlayer(s, 'p1');
    s = run(s, { type: 'presence:disconnect', playerId: 'p1', by: system }, world);
    world.tick(AWAY_GRACE_MS);
    s = run(s, { type: 'presence:timeout', playerId: 'p1', awaySince: world.now - AWAY_GRACE_MS, by: system }, world);
    s = run(run(s, { type: 'teacher:lock', by: teacher }, world), { type: 'teacher:reveal', by: teacher }, world);
    expect(s.history[0].seats[seat.index].playedByBot).toBe(true);
    s = run(s, { type: 'seat:rejoin', by: student('p1') }, world);
    expect(s.round?.seats[seat.index].botAllocation).toBeNull();
    expect(invariantViolations(s)).toEqual([]);
  });

  it('a bot that takes over answers the key requests waiting for the student', () => {
    const world = new World(6);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 4, world), world);
    const owner = holderOf(s, 1);
    s = run(s, { type: 'key:request', round: 1, token: 1, by: student(holderOf(s, 3)) }, world);
    s = run(s, { type: 'presence:disconnect', playerId: owner, by: system }, world);
    expect(s.round?.keyRequests[0].status).toBe('pending');
    world.tick(AWAY_GRACE_MS);
    s = run(s, { type: 'presence:timeout', playerId: owner, awaySince: world.now - AWAY_GRACE_MS, by: system }, world);
    expect(s.round?.keyRequests[0]).toMatchObject({ status: 'shared', sharedBy: 'bot' });
  });
});

describe('kick', () => {
  it('tells the student, closes their sockets, frees the seat for a bot', () => {
    const world = new World(6);
    const s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    const seat = seatOfPlayer(s, 'p1');
    const { state, effects } = accept(s, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world);
    expect(state.players[0].kicked).toBe(true);
    expect(state.round?.seats[seat.index].members).toEqual([]);
    expect(state.round?.seats[seat.index].botAllocation).not.toBeNull();
    expect(effects).toContainEqual({
      type: 'notify',
      playerIds: ['p1'],
      notice: { event: 'player:kicked', data: { message: expect.any(String) } },
    });
    expect(effects).toContainEqual({ type: 'disconnect-player', playerId: 'p1' });
    expect(effects).toContainEqual({ type: 'persist', reason: 'roster' });
    expect(viewFor(state, { kind: 'student', playerId: 'p1' })).toMatchObject({ me: { status: 'kicked' }, seat: null });
    expect(invariantViolations(state)).toEqual([]);
  });

  it('leaves the kicked student out of later rounds and the leaderboard', () => {
    const world = new World(6);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    s = run(s, { type: 'teacher:reveal', by: teacher }, world);
    s = run(s, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world);
    expect(standings(s).map((x) => x.playerId)).toEqual(['p2']);
    s = run(s, { type: 'teacher:next-round', by: teacher }, world);
    expect(s.round?.seats.flatMap((seat) => seat.members)).toEqual(['p2']);
  });
});

describe('late join', () => {
  it('takes a bot’s seat at once, starting from a uniform allocation', () => {
    const world = new World(7);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    const botSeat = s.round?.seats.find((seat) => seat.members.length === 0);
    expect(botSeat?.botAllocation).not.toBeNull();
    s = run(s, { type: 'seat:join', nickname: 'late', by: student('late') }, world);
    const seat = seatOfPlayer(s, 'late');
    expect(seat.index).toBe(botSeat?.index);
    expect(seat.botAllocation).toBeNull();
    expect(allocationOf(s.round!, 'late')?.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(viewFor(s, { kind: 'student', playerId: 'late' }).me.status).toBe('seated');
    expect(invariantViolations(s)).toEqual([]);
  });

  it('waits for the next round when every seat has a student, and is seated then', () => {
    const world = new World(7);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 4, world), world);
    s = run(s, { type: 'seat:join', nickname: 'late', by: student('late') }, world);
    expect(viewFor(s, { kind: 'student', playerId: 'late' }).me.status).toBe('waiting');
    s = run(run(s, { type: 'teacher:lock', by: teacher }, world), { type: 'teacher:reveal', by: teacher }, world);
    expect(s.history[0].players.some((r) => r.playerId === 'late')).toBe(false);
    s = run(s, { type: 'teacher:next-round', by: teacher }, world);
    expect(seatOfPlayer(s, 'late')).toBeDefined();
  });

  it('waits for the next round when joining after the lock', () => {
    const world = new World(7);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 1, world), world);
    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    s = run(s, { type: 'seat:join', nickname: 'late', by: student('late') }, world);
    expect(s.round?.seats.some((seat) => seat.members.includes('late'))).toBe(false);
  });
});

describe('settings', () => {
  it('attention settings apply from the next round; the round keeps what it started with', () => {
    const world = new World(2);
    let s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    s = run(s, { type: 'teacher:settings', settings: { causal: true, scale: false }, by: teacher }, world);
    expect(s.settings).toMatchObject({ causal: true, scale: false });
    expect(s.round?.options).toEqual({ scale: true, temperature: 1, causal: false });
    s = run(run(s, { type: 'teacher:lock', by: teacher }, world), { type: 'teacher:reveal', by: teacher }, world);
    const next = accept(s, { type: 'teacher:next-round', by: teacher }, world);
    expect(next.state.round?.options).toEqual({ scale: false, temperature: 1, causal: true });
    expect(next.effects).toContainEqual({ type: 'compute-attention', round: 2, options: { scale: false, temperature: 1, causal: true } });
    for (const id of ['p1', 'p2']) {
      const token = seatOfPlayer(next.state, id).token;
      expect(allocationOf(next.state.round!, id)?.weights.slice(token + 1).every((w) => w === 0)).toBe(true);
    }
  });

  it('a new bot skill makes the AI classmates choose again', () => {
    const world = new World(2);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 1, world), world);
    s = run(s, { type: 'teacher:settings', settings: { botSkill: 1 }, by: teacher }, world);
    const truth = attendLayer(s.cards, null, s.round?.options).heads[0].weights;
    for (const seat of s.round?.seats.filter((x) => x.members.length === 0) ?? []) {
      seat.botAllocation?.forEach((w, j) => expect(w).toBeCloseTo(truth[seat.token][j], 12));
    }
  });

  it('names hidden on the stage, shown to the teacher', () => {
    const world = new World(2);
    let s = joinAll(newSession(oneHeadLesson, world), 2, world);
    s = run(s, { type: 'teacher:settings', settings: { hideNamesOnStage: true }, by: teacher }, world);
    const stage = JSON.stringify(viewFor(s, { kind: 'stage' }));
    expect(stage).not.toContain('"p1"');
    expect(stage).not.toContain('"p2"');
    expect(viewFor(s, { kind: 'stage' }).roster).toHaveLength(2);
    expect(viewFor(s, { kind: 'teacher' }).players.map((p) => p.nickname)).toEqual(['p1', 'p2']);
  });
});

describe('what a student’s move asks the server to store', () => {
  it('a slider move may be gathered with others; a lock-in is stored at once; the last lock-in locks the round', () => {
    const world = new World(4);
    let s = toNegotiation(joinAll(newSession(oneHeadLesson, world), 2, world), world);
    const persistOf = (event: GameEvent) => {
      const { state, effects } = accept(s, event, world);
      s = state;
      return effects.filter((e) => e.type === 'persist');
    };
    const weights = (p: string) => {
      const row = new Array<number>(oneHeadLesson.tokens.length).fill(0);
      row[seatOfPlayer(s, p).token] = 1;
      return row;
    };
    expect(persistOf({ type: 'attention:allocate', round: 1, weights: weights('p1'), by: student('p1') })).toEqual([{ type: 'persist', reason: 'moves' }]);
    expect(persistOf({ type: 'attention:lock', round: 1, by: student('p1') })).toEqual([{ type: 'persist', reason: 'lock' }]);
    expect(persistOf({ type: 'attention:lock', round: 1, by: student('p2') })).toEqual([{ type: 'persist', reason: 'phase' }]);
    expect(s.phase).toBe('locked');
  });
});
