import { describe, expect, it } from 'vitest';
import { allocationOf, AWAY_GRACE_MS, createSession, invariantViolations, reduce, timerKeys, type GameState } from '../../../lib/game';
import { accept, joinAll, newSession, run, student, system, teacher, testLesson, toNegotiation, truthEvent, World } from './fixtures';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function lockedRound(world: World, players = 2): GameState {
  let s = toNegotiation(joinAll(newSession(testLesson, world), players, world), world);
  s = run(s, { type: 'teacher:lock', by: teacher }, world);
  return s;
}

describe('a new session', () => {
  it('waits in the lobby with the lesson, a join code and the lesson’s settings', () => {
    const world = new World();
    const created = createSession({ sessionId: 's1', lesson: testLesson }, world.ctx);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const { state, effects } = created;
    expect(state.phase).toBe('lobby');
    expect(state.paused).toBe(false);
    expect(state.round).toBeNull();
    expect(state.version).toBe(1);
    expect(state.code).toMatch(/^[ACEFHJKMNPRTWXY3479]{8}$/);
    expect(state.lesson).toEqual(testLesson);
    expect(state.lesson).not.toBe(testLesson);
    expect(state.settings).toEqual({
      timerSeconds: 90,
      scale: true,
      temperature: 1,
      causal: false,
      hideNamesOnStage: false,
      lateJoin: true,
      speedBonus: false,
      botSkill: 0.6,
    });
    expect(effects).toEqual([{ type: 'persist', reason: 'created' }, { type: 'broadcast', changes: { teacher: true, stage: true, everyone: true, students: [] } }]);
  });

  it('takes the teacher’s settings, within what the lesson allows', () => {
    const world = new World();
    const created = createSession({ sessionId: 's1', lesson: testLesson, settings: { causal: true, timerSeconds: null } }, world.ctx);
    expect(created.ok && created.state.settings.causal && created.state.settings.timerSeconds === null).toBe(true);
    const refused = createSession({ sessionId: 's1', lesson: testLesson, settings: { temperature: 2 } }, world.ctx);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('settings/not-adjustable');
  });
});

describe('every accepted event', () => {
  it('bumps the version by one, ends its effects with a broadcast and leaves its input untouched', () => {
    const world = new World();
    const start = deepFreeze(joinAll(newSession(testLesson, world), 2, world));
    const result = reduce(start, { type: 'teacher:start-round', by: teacher }, world.ctx);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state.version).toBe(start.version + 1);
    expect(result.effects.at(-1)).toEqual({ type: 'broadcast', changes: { teacher: true, stage: true, everyone: true, students: [] } });
    expect(start.phase).toBe('lobby');
  });
});

describe('phase changes', () => {
  it('lobby → cards: seats the class and asks the engine for the round’s attention', () => {
    const world = new World();
    const lobby = joinAll(newSession(testLesson, world), 3, world);
    const { state, effects } = accept(lobby, { type: 'teacher:start-round', by: teacher }, world);
    expect(state.phase).toBe('cards');
    expect(state.round?.number).toBe(1);
    expect(state.round?.seats).toHaveLength(8);
    expect(state.round?.seats.flatMap((s) => s.members).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(state.round?.options).toEqual({ scale: true, temperature: 1, causal: false });
    for (const id of ['p1', 'p2', 'p3']) expect(allocationOf(state.round!, id)?.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(effects).toContainEqual({ type: 'compute-attention', round: 1, options: { scale: true, temperature: 1, causal: false } });
    expect(effects).toContainEqual({ type: 'persist', reason: 'phase' });
    expect(invariantViolations(state)).toEqual([]);
  });

  it('the model’s answer arriving lets the bots play the empty seats', () => {
    const world = new World();
    let s = run(joinAll(newSession(testLesson, world), 3, world), { type: 'teacher:start-round', by: teacher }, world);
    expect(s.round?.seats.every((seat) => seat.botAllocation === null)).toBe(true);
    s = run(s, truthEvent(s), world);
    expect(s.server.truth?.round).toBe(1);
    const empty = s.round?.seats.filter((seat) => seat.members.length === 0) ?? [];
    expect(empty).toHaveLength(5);
    for (const seat of empty) expect(seat.botAllocation).not.toBeNull();
    expect(invariantViolations(s)).toEqual([]);
  });

  it('cards → negotiate: starts the timer', () => {
    const world = new World();
    let s = run(joinAll(newSession(testLesson, world), 2, world), { type: 'teacher:start-round', by: teacher }, world);
    world.tick(5_000);
    const { state, effects } = accept(s, { type: 'teacher:open-negotiation', by: teacher }, world);
    s = state;
    expect(s.phase).toBe('negotiate');
    expect(s.round?.negotiationOpenedAt).toBe(world.now);
    expect(s.round?.timer).toEqual({ durationMs: 90_000, deadline: world.now + 90_000, pausedRemainingMs: null });
    expect(effects).toContainEqual({
      type: 'schedule-timer',
      key: 'round',
      at: world.now + 90_000,
      event: { type: 'timer:expired', round: 1, by: system },
    });
  });

  it('cards → negotiate without a timer schedules nothing', () => {
    const world = new World();
    const s = run(newSession(testLesson, world, { timerSeconds: null }), { type: 'teacher:start-round', by: teacher }, world);
    const { state, effects } = accept(s, { type: 'teacher:open-negotiation', by: teacher }, world);
    expect(state.round?.timer).toEqual({ durationMs: null, deadline: null, pausedRemainingMs: null });
    expect(effects.some((e) => e.type === 'schedule-timer')).toBe(false);
  });

  it('negotiate → locked by the teacher', () => {
    const world = new World();
    const s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    const { state, effects } = accept(s, { type: 'teacher:lock', by: teacher }, world);
    expect(state.phase).toBe('locked');
    expect(state.round?.lockedAt).toBe(world.now);
    expect(state.round?.timer.deadline).toBeNull();
    expect(effects).toContainEqual({ type: 'cancel-timer', key: 'round' });
  });

  it('negotiate → locked when the timer runs out', () => {
    const world = new World();
    const s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    world.tick(90_000);
    const locked = run(s, { type: 'timer:expired', round: 1, by: system }, world);
    expect(locked.phase).toBe('locked');
  });

  it('negotiate → locked when every student present has locked in', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    s = run(s, { type: 'attention:lock', round: 1, by: student('p1') }, world);
    expect(s.phase).toBe('negotiate');
    s = run(s, { type: 'attention:lock', round: 1, by: student('p2') }, world);
    expect(s.phase).toBe('locked');
  });

  it('an away student does not hold the lock up', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    s = run(s, { type: 'attention:lock', round: 1, by: student('p1') }, world);
    s = run(s, { type: 'presence:disconnect', playerId: 'p2', by: system }, world);
    expect(s.phase).toBe('locked');
  });

  it('locked → reveal when the model’s answer is in', () => {
    const world = new World();
    const { state, effects } = accept(lockedRound(world), { type: 'teacher:reveal', by: teacher }, world);
    expect(state.phase).toBe('reveal');
    expect(state.history).toHaveLength(1);
    expect(effects).toContainEqual({ type: 'persist', reason: 'phase' });
    expect(invariantViolations(state)).toEqual([]);
  });

  it('locked → reveal waits for a late answer, asks again, and reveals when it comes', () => {
    const world = new World();
    let s = joinAll(newSession(testLesson, world), 2, world);
    s = run(s, { type: 'teacher:start-round', by: teacher }, world);
    s = run(s, { type: 'teacher:open-negotiation', by: teacher }, world);
    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    const asked = accept(s, { type: 'teacher:reveal', by: teacher }, world);
    expect(asked.state.phase).toBe('locked');
    expect(asked.state.round?.revealPending).toBe(true);
    expect(asked.effects).toContainEqual({ type: 'compute-attention', round: 1, options: { scale: true, temperature: 1, causal: false } });
    const revealed = run(asked.state, truthEvent(asked.state), world);
    expect(revealed.phase).toBe('reveal');
    expect(revealed.round?.revealPending).toBe(false);
    expect(revealed.round?.seats.filter((seat) => seat.members.length === 0).every((seat) => seat.botAllocation)).toBe(true);
    expect(invariantViolations(revealed)).toEqual([]);
  });

  it('reveal → cards: the next round reseats and asks the engine again', () => {
    const world = new World();
    const revealed = run(lockedRound(world), { type: 'teacher:reveal', by: teacher }, world);
    const { state, effects } = accept(revealed, { type: 'teacher:next-round', by: teacher }, world);
    expect(state.phase).toBe('cards');
    expect(state.round?.number).toBe(2);
    expect(state.server.truth).toBeNull();
    expect(state.history).toHaveLength(1);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'compute-attention', round: 2 }));
    expect(invariantViolations(state)).toEqual([]);
  });

  it('reveal → podium → ended', () => {
    const world = new World();
    const revealed = run(lockedRound(world), { type: 'teacher:reveal', by: teacher }, world);
    const podium = run(revealed, { type: 'teacher:podium', by: teacher }, world);
    expect(podium.phase).toBe('podium');
    const ended = accept(podium, { type: 'teacher:end', by: teacher }, world);
    expect(ended.state.phase).toBe('ended');
    expect(ended.effects).toContainEqual({ type: 'persist', reason: 'phase' });
  });

  it('any phase → ended, cancelling the round timer and the away students’ timers', () => {
    const world = new World();
    expect(run(newSession(testLesson, world), { type: 'teacher:end', by: teacher }, world).phase).toBe('ended');
    let s = toNegotiation(joinAll(newSession(testLesson, world), 2, world), world);
    s = run(s, { type: 'presence:disconnect', playerId: 'p1', by: system }, world);
    const { state, effects } = accept(s, { type: 'teacher:end', by: teacher }, world);
    expect(state.phase).toBe('ended');
    expect(state.round?.timer.deadline).toBeNull();
    expect(effects).toContainEqual({ type: 'cancel-timer', key: 'round' });
    expect(effects).toContainEqual({ type: 'cancel-timer', key: timerKeys.presence('p1') });
    expect(invariantViolations(state)).toEqual([]);
  });

  it('ending a paused round leaves no pause behind', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 1, world), world);
    s = run(s, { type: 'teacher:pause', by: teacher }, world);
    world.tick(10_000);
    s = run(s, { type: 'teacher:end', by: teacher }, world);
    expect(s).toMatchObject({ phase: 'ended', paused: false });
    expect(s.round).toMatchObject({ pausedAt: null, pausedMs: 10_000 });
    expect(invariantViolations(s)).toEqual([]);
  });

  it('pause and resume keep the phase but freeze the clock', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 1, world), world);
    world.tick(30_000);
    const paused = accept(s, { type: 'teacher:pause', by: teacher }, world);
    s = paused.state;
    expect(s.paused).toBe(true);
    expect(s.phase).toBe('negotiate');
    expect(s.round?.timer).toMatchObject({ deadline: null, pausedRemainingMs: 60_000 });
    expect(paused.effects).toContainEqual({ type: 'cancel-timer', key: 'round' });
    world.tick(500_000);
    const resumed = accept(s, { type: 'teacher:resume', by: teacher }, world);
    expect(resumed.state.paused).toBe(false);
    expect(resumed.state.round?.timer).toMatchObject({ deadline: world.now + 60_000, pausedRemainingMs: null });
    expect(resumed.effects).toContainEqual(expect.objectContaining({ type: 'schedule-timer', key: 'round', at: world.now + 60_000 }));
  });

  it('a phase change ends a pause', () => {
    const world = new World();
    let s = toNegotiation(joinAll(newSession(testLesson, world), 1, world), world);
    s = run(s, { type: 'teacher:pause', by: teacher }, world);
    s = run(s, { type: 'teacher:lock', by: teacher }, world);
    expect(s.paused).toBe(false);
    expect(s.round?.timer.pausedRemainingMs).toBeNull();
    expect(invariantViolations(s)).toEqual([]);
  });

  it('the grace period is two minutes', () => {
    expect(AWAY_GRACE_MS).toBe(120_000);
  });
});
