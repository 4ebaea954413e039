/** Every refusal of the reducer: the code it answers with, and the state left as it was. */
import { describe, expect, it } from 'vitest';
import type { GameEvent, GameState } from '../../../lib/game';
import { ErrorCode } from '../../../lib/protocol';
import {
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

const world = new World();
const lobby = joinAll(newSession(testLesson, world), 2, world);
const cards = run(lobby, { type: 'teacher:start-round', by: teacher }, world);
const negotiate = toNegotiation(lobby, world);
const locked = run(negotiate, { type: 'teacher:lock', by: teacher }, world);
const revealed = run(locked, { type: 'teacher:reveal', by: teacher }, world);
const podium = run(revealed, { type: 'teacher:podium', by: teacher }, world);
const ended = run(lobby, { type: 'teacher:end', by: teacher }, world);
const paused = run(negotiate, { type: 'teacher:pause', by: teacher }, world);

/** One head, four students: every seat held by a person, so key requests wait for an answer. */
const fullWorld = new World(5);
const full = toNegotiation(joinAll(newSession(oneHeadLesson, fullWorld), 4, fullWorld), fullWorld);
const holderOf = (state: GameState, token: number) => state.round?.seats.find((s) => s.token === token)?.members[0] ?? '';
const asker = holderOf(full, 0);
const owner = holderOf(full, 1);
const outsider = holderOf(full, 2);
const requested = run(full, { type: 'key:request', round: 1, token: 1, by: student(asker) }, fullWorld);
const requestId = requested.round?.keyRequests[0].id ?? '';

const allocate = (playerId: string, weights: number[], round = 1): GameEvent => ({
  type: 'attention:allocate',
  round,
  weights,
  by: student(playerId),
});

describe('refusals leave the state unchanged and name the reason', () => {
  it('session/ended: nothing happens after the end', () => {
    expectRefused(ended, { type: 'teacher:start-round', by: teacher }, world, ErrorCode.sessionEnded);
    expectRefused(ended, { type: 'seat:join', nickname: 'late', by: student('z') }, world, ErrorCode.sessionEnded);
    expectRefused(ended, { type: 'teacher:end', by: teacher }, world, ErrorCode.sessionEnded);
  });

  it('session/paused: students wait while the game is paused; no double pause', () => {
    expectRefused(paused, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.sessionPaused);
    expectRefused(paused, { type: 'attention:lock', round: 1, by: student('p1') }, world, ErrorCode.sessionPaused);
    expectRefused(paused, { type: 'key:request', round: 1, token: 3, by: student('p1') }, world, ErrorCode.sessionPaused);
    expectRefused(paused, { type: 'teacher:pause', by: teacher }, world, ErrorCode.sessionPaused);
  });

  it('session/not-paused: resume needs a pause', () => {
    expectRefused(negotiate, { type: 'teacher:resume', by: teacher }, world, ErrorCode.sessionNotPaused);
  });

  it('round/wrong-phase: each teacher move in the wrong phase', () => {
    const cases: [GameState, GameEvent][] = [
      [cards, { type: 'teacher:start-round', by: teacher }],
      [lobby, { type: 'teacher:open-negotiation', by: teacher }],
      [negotiate, { type: 'teacher:open-negotiation', by: teacher }],
      [cards, { type: 'teacher:lock', by: teacher }],
      [negotiate, { type: 'teacher:reveal', by: teacher }],
      [revealed, { type: 'teacher:reveal', by: teacher }],
      [locked, { type: 'teacher:next-round', by: teacher }],
      [podium, { type: 'teacher:next-round', by: teacher }],
      [negotiate, { type: 'teacher:podium', by: teacher }],
      [locked, { type: 'teacher:reveal-keys', by: teacher }],
      [lobby, { type: 'teacher:pause', by: teacher }],
      [locked, { type: 'teacher:pause', by: teacher }],
      [cards, { type: 'teacher:add-time', seconds: 30, by: teacher }],
      [lobby, { type: 'teacher:add-time', seconds: 30, by: teacher }],
    ];
    for (const [state, event] of cases) expectRefused(state, event, world, ErrorCode.roundWrongPhase);
  });

  it('round/wrong-phase: students move only during negotiation', () => {
    expectRefused(cards, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.roundWrongPhase);
    expectRefused(cards, { type: 'key:request', round: 1, token: 3, by: student('p1') }, world, ErrorCode.roundWrongPhase);
    expectRefused(lobby, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.roundWrongPhase);
  });

  it('round/locked: nothing moves after the lock', () => {
    expectRefused(locked, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.roundLocked);
    expectRefused(locked, { type: 'attention:lock', round: 1, by: student('p1') }, world, ErrorCode.roundLocked);
    expectRefused(revealed, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.roundLocked);
    expectRefused(locked, { type: 'key:request', round: 1, token: 3, by: student('p1') }, world, ErrorCode.roundLocked);
  });

  it('round/stale: a move for another round, an engine answer for an old or answered round', () => {
    const second = run(revealed, { type: 'teacher:next-round', by: teacher }, world);
    const secondNegotiation = run(run(second, truthEvent(second), world), { type: 'teacher:open-negotiation', by: teacher }, world);
    expectRefused(secondNegotiation, allocate('p1', [1, 0, 0, 0], 1), world, ErrorCode.roundStale);
    expectRefused(secondNegotiation, { type: 'key:share', round: 1, requestId: 'k1', by: student('p1') }, world, ErrorCode.roundStale);
    expectRefused(second, truthEvent(revealed), world, ErrorCode.roundStale);
    expectRefused(negotiate, truthEvent(negotiate), world, ErrorCode.roundStale);
    expectRefused(revealed, truthEvent(revealed), world, ErrorCode.roundStale);
    expectRefused(lobby, { ...truthEvent(cards) }, world, ErrorCode.roundStale);
  });

  it('round/no-timer: no time to add to a round without a timer', () => {
    const w = new World();
    const s = toNegotiation(joinAll(newSession(testLesson, w, { timerSeconds: null }), 1, w), w);
    expectRefused(s, { type: 'teacher:add-time', seconds: 30, by: teacher }, w, ErrorCode.roundNoTimer);
  });

  it('seat/not-yours: only the owner shares their key', () => {
    expectRefused(requested, { type: 'key:share', round: 1, requestId, by: student(outsider) }, fullWorld, ErrorCode.seatNotYours);
    expectRefused(requested, { type: 'key:share', round: 1, requestId, by: student(asker) }, fullWorld, ErrorCode.seatNotYours);
  });

  it('seat/not-seated: a late joiner waiting for the next round cannot play this one', () => {
    const waiting = run(full, { type: 'seat:join', nickname: 'late', by: student('late') }, fullWorld);
    expect(waiting.round?.seats.some((s) => s.members.includes('late'))).toBe(false);
    expectRefused(waiting, allocate('late', [1, 0, 0, 0]), fullWorld, ErrorCode.seatNotSeated);
    expectRefused(waiting, { type: 'key:request', round: 1, token: 0, by: student('late') }, fullWorld, ErrorCode.seatNotSeated);
  });

  it('player/not-found: unknown students and kick targets', () => {
    expectRefused(negotiate, { type: 'seat:rejoin', by: student('ghost') }, world, ErrorCode.playerNotFound);
    expectRefused(negotiate, allocate('ghost', [1, 0, 0, 0]), world, ErrorCode.playerNotFound);
    expectRefused(negotiate, { type: 'teacher:kick', playerId: 'ghost', by: teacher }, world, ErrorCode.playerNotFound);
    expectRefused(negotiate, { type: 'presence:disconnect', playerId: 'ghost', by: system }, world, ErrorCode.playerNotFound);
  });

  it('player/already-joined: one join per player id', () => {
    expectRefused(lobby, { type: 'seat:join', nickname: 'again', by: student('p1') }, world, ErrorCode.playerAlreadyJoined);
  });

  it('player/already-kicked and auth/kicked: a kicked student stays out', () => {
    const kicked = run(negotiate, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world);
    expectRefused(kicked, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world, ErrorCode.playerAlreadyKicked);
    expectRefused(kicked, { type: 'seat:rejoin', by: student('p1') }, world, ErrorCode.authKicked);
    expectRefused(kicked, { type: 'seat:join', nickname: 'p1-again', by: student('p1') }, world, ErrorCode.authKicked);
    expectRefused(kicked, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.authKicked);
    expectRefused(kicked, { type: 'presence:disconnect', playerId: 'p1', by: system }, world, ErrorCode.authKicked);
  });

  it('auth/not-host: teacher moves from anyone else', () => {
    for (const type of ['teacher:start-round', 'teacher:end', 'teacher:pause', 'teacher:reveal-keys'] as const) {
      expectRefused(lobby, { type, by: student('p1') }, world, ErrorCode.authNotHost);
      expectRefused(lobby, { type, by: system }, world, ErrorCode.authNotHost);
    }
    expectRefused(lobby, { type: 'teacher:kick', playerId: 'p2', by: student('p1') }, world, ErrorCode.authNotHost);
    expectRefused(lobby, { type: 'teacher:settings', settings: { botSkill: 1 }, by: student('p1') }, world, ErrorCode.authNotHost);
  });

  it('auth/forbidden: server events from people, student moves from the teacher', () => {
    expectRefused(negotiate, { type: 'timer:expired', round: 1, by: student('p1') }, world, ErrorCode.authForbidden);
    expectRefused(cards, { ...truthEvent(cards), by: teacher }, world, ErrorCode.authForbidden);
    expectRefused(negotiate, { type: 'presence:disconnect', playerId: 'p1', by: teacher }, world, ErrorCode.authForbidden);
    expectRefused(negotiate, { type: 'attention:allocate', round: 1, weights: [1, 0, 0, 0], by: teacher }, world, ErrorCode.authForbidden);
    expectRefused(lobby, { type: 'seat:join', nickname: 'x', by: system }, world, ErrorCode.authForbidden);
  });

  it('request/invalid: an allocation of the wrong length, a token that does not exist, odd seconds', () => {
    expectRefused(negotiate, allocate('p1', [0.5, 0.5]), world, ErrorCode.requestInvalid);
    expectRefused(negotiate, { type: 'key:request', round: 1, token: 9, by: student('p1') }, world, ErrorCode.requestInvalid);
    expectRefused(negotiate, { type: 'teacher:add-time', seconds: -5, by: teacher }, world, ErrorCode.requestInvalid);
  });

  it('request/unknown-event: a type the game does not have', () => {
    const bogus = { type: 'teacher:win', by: teacher } as unknown as GameEvent;
    expectRefused(lobby, bogus, world, ErrorCode.requestUnknownEvent);
  });

  it('attention/not-a-distribution: weights that do not add up to 1, or are negative', () => {
    expectRefused(negotiate, allocate('p1', [0.3, 0.3, 0.3, 0]), world, ErrorCode.attentionNotADistribution);
    expectRefused(negotiate, allocate('p1', [0.5, 0.5, 0.5, -0.5]), world, ErrorCode.attentionNotADistribution);
    expectRefused(negotiate, allocate('p1', [0.25, 0.25, 0.25, 0.25 + 2e-6]), world, ErrorCode.attentionNotADistribution);
    expectRefused(negotiate, allocate('p1', [Number.NaN, 1, 0, 0]), world, ErrorCode.attentionNotADistribution);
    run(negotiate, allocate('p1', [0.25, 0.25, 0.25, 0.25 + 5e-7]), world);
  });

  it('attention/not-a-distribution and wrong-shape: an engine answer that is not attention', () => {
    const good = truthEvent(cards);
    if (good.type !== 'attention:computed') throw new Error('unreachable');
    const heads = good.attention.heads;
    const skewed = heads.map((h, i) => (i === 0 ? { ...h, weights: h.weights.map((r) => r.map((w) => w * 1.1)) } : h));
    expectRefused(cards, { ...good, attention: { heads: skewed } }, world, ErrorCode.attentionNotADistribution);
    expectRefused(cards, { ...good, attention: { heads: heads.slice(0, 1) } }, world, ErrorCode.attentionWrongShape);
    const short = heads.map((h) => ({ ...h, weights: h.weights.slice(0, 3) }));
    expectRefused(cards, { ...good, attention: { heads: short } }, world, ErrorCode.attentionWrongShape);
    const narrow = heads.map((h) => ({ ...h, outputs: h.outputs.map((r) => r.slice(0, 1)) }));
    expectRefused(cards, { ...good, attention: { heads: narrow } }, world, ErrorCode.attentionWrongShape);
  });

  it('attention/causal-violation: weight on a later token in a causal round, its key, or an engine that looked ahead', () => {
    const w = new World(2);
    const causal = toNegotiation(joinAll(newSession(testLesson, w, { causal: true }), 8, w), w);
    // The first token of a causal round looks only at itself (nothing to find: an AI classmate plays it).
    const seat = causal.round?.seats.find((s) => s.token < 3 && s.members.length > 0);
    if (!seat) throw new Error('no student on a causal seat before the last token');
    const player = seat.members[0];
    const ahead = seat.token + 1;
    const lookingAheadWeights = [0, 0, 0, 0].map((_, j) => (j === ahead ? 1 : 0));
    expectRefused(causal, allocate(player, lookingAheadWeights), w, ErrorCode.attentionCausalViolation);
    expectRefused(causal, { type: 'key:request', round: 1, token: ahead, by: student(player) }, w, ErrorCode.attentionCausalViolation);
    run(causal, allocate(player, [0, 0, 0, 0].map((_, j) => (j === seat.token ? 1 : 0))), w);
    const causalCards = run(newSession(testLesson, w, { causal: true }), { type: 'teacher:start-round', by: teacher }, w);
    const lookingAhead = { ...truthEvent(cards), round: 1 };
    expectRefused(causalCards, lookingAhead, w, ErrorCode.attentionCausalViolation);
  });

  it('attention/already-locked: a locked-in student’s allocation is final', () => {
    const lockedIn = run(negotiate, { type: 'attention:lock', round: 1, by: student('p1') }, world);
    expectRefused(lockedIn, allocate('p1', [1, 0, 0, 0]), world, ErrorCode.attentionAlreadyLocked);
    expectRefused(lockedIn, { type: 'attention:lock', round: 1, by: student('p1') }, world, ErrorCode.attentionAlreadyLocked);
  });

  it('key/already-known: one’s own key, a shared one, or after the teacher showed them all', () => {
    const myToken = seatOfPlayer(full, asker).token;
    expectRefused(full, { type: 'key:request', round: 1, token: myToken, by: student(asker) }, fullWorld, ErrorCode.keyAlreadyKnown);
    const shared = run(requested, { type: 'key:share', round: 1, requestId, by: student(owner) }, fullWorld);
    expectRefused(shared, { type: 'key:request', round: 1, token: 1, by: student(asker) }, fullWorld, ErrorCode.keyAlreadyKnown);
    const open = run(full, { type: 'teacher:reveal-keys', by: teacher }, fullWorld);
    expectRefused(open, { type: 'key:request', round: 1, token: 3, by: student(asker) }, fullWorld, ErrorCode.keyAlreadyKnown);
  });

  it('key/already-requested: one pending request per seat and key', () => {
    expectRefused(requested, { type: 'key:request', round: 1, token: 1, by: student(asker) }, fullWorld, ErrorCode.keyAlreadyRequested);
  });

  it('key/request-not-found and key/already-shared', () => {
    expectRefused(requested, { type: 'key:share', round: 1, requestId: 'k999', by: student(owner) }, fullWorld, ErrorCode.keyRequestNotFound);
    const shared = run(requested, { type: 'key:share', round: 1, requestId, by: student(owner) }, fullWorld);
    expectRefused(shared, { type: 'key:share', round: 1, requestId, by: student(owner) }, fullWorld, ErrorCode.keyAlreadyShared);
  });

  it('key/already-revealed: the teacher reveals the keys once', () => {
    const open = run(negotiate, { type: 'teacher:reveal-keys', by: teacher }, world);
    expectRefused(open, { type: 'teacher:reveal-keys', by: teacher }, world, ErrorCode.keysAlreadyRevealed);
  });

  it('nickname/taken (whatever the case) and nickname/rejected', () => {
    expectRefused(lobby, { type: 'seat:join', nickname: 'P1', by: student('x') }, world, ErrorCode.nicknameTaken);
    expectRefused(lobby, { type: 'seat:join', nickname: '  p2 ', by: student('x') }, world, ErrorCode.nicknameTaken);
    expectRefused(lobby, { type: 'seat:join', nickname: '   ', by: student('x') }, world, ErrorCode.nicknameRejected);
    expectRefused(lobby, { type: 'seat:join', nickname: '<script>', by: student('x') }, world, ErrorCode.nicknameRejected);
    const kicked = run(lobby, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world);
    expectRefused(kicked, { type: 'seat:join', nickname: 'p1', by: student('x') }, world, ErrorCode.authKicked);
  });

  it('join/late-closed: late joining switched off, or the game is over', () => {
    const closed = run(negotiate, { type: 'teacher:settings', settings: { lateJoin: false }, by: teacher }, world);
    expectRefused(closed, { type: 'seat:join', nickname: 'late', by: student('late') }, world, ErrorCode.joinLateClosed);
    expectRefused(podium, { type: 'seat:join', nickname: 'late', by: student('late') }, world, ErrorCode.joinLateClosed);
    const lobbyClosed = run(lobby, { type: 'teacher:settings', settings: { lateJoin: false }, by: teacher }, world);
    run(lobbyClosed, { type: 'seat:join', nickname: 'early', by: student('early') }, world);
  });

  it('settings/not-adjustable: what the lesson fixes stays fixed', () => {
    expectRefused(lobby, { type: 'teacher:settings', settings: { temperature: 2 }, by: teacher }, world, ErrorCode.settingsNotAdjustable);
    run(lobby, { type: 'teacher:settings', settings: { temperature: 1, causal: true, scale: false }, by: teacher }, world);
  });

  it('timer/stale: early, paused, locked or another round’s timer', () => {
    expectRefused(negotiate, { type: 'timer:expired', round: 1, by: system }, world, ErrorCode.timerStale);
    const w = new World();
    const late = new World();
    late.now = w.now + 200_000;
    expectRefused(paused, { type: 'timer:expired', round: 1, by: system }, late, ErrorCode.timerStale);
    expectRefused(locked, { type: 'timer:expired', round: 1, by: system }, late, ErrorCode.timerStale);
    expectRefused(negotiate, { type: 'timer:expired', round: 2, by: system }, late, ErrorCode.timerStale);
    run(negotiate, { type: 'timer:expired', round: 1, by: system }, late);
  });

  it('presence/stale: a second disconnect, or a timeout after the student came back', () => {
    const away = run(negotiate, { type: 'presence:disconnect', playerId: 'p1', by: system }, world);
    const since = away.players[0].awaySince ?? 0;
    expectRefused(away, { type: 'presence:disconnect', playerId: 'p1', by: system }, world, ErrorCode.presenceStale);
    const back = run(away, { type: 'seat:rejoin', by: student('p1') }, world);
    expectRefused(back, { type: 'presence:timeout', playerId: 'p1', awaySince: since, by: system }, world, ErrorCode.presenceStale);
    expectRefused(away, { type: 'presence:timeout', playerId: 'p1', awaySince: since - 1, by: system }, world, ErrorCode.presenceStale);
    const replaced = run(away, { type: 'presence:timeout', playerId: 'p1', awaySince: since, by: system }, world);
    expectRefused(replaced, { type: 'presence:timeout', playerId: 'p1', awaySince: since, by: system }, world, ErrorCode.presenceStale);
  });
});
