/**
 * The game's rules as one pure function: `(state, event, ctx) → { state, effects } | { error }`.
 *
 * A refused event leaves the state exactly as it was and says why with a namespaced code; an accepted
 * one returns a new state whose `version` is one higher, the effects the server must run, and whose
 * views it changed. The input state is never modified: an event works on a copy (see `draftOf`); the
 * frequent in-round moves copy only what they change and share the rest (see `shallowDraftOf`).
 */
import { DEFAULT_ROOM_SIZE, ErrorCode, type ErrorCode as Code, type Phase, type ServerNotice } from '../protocol';
import { botAllocation } from './bots';
import { checkNickname, nicknameSkeleton, sameNickname } from './nickname';
import {
  DISTRIBUTION_TOLERANCE,
  allocationProblem,
  findPlayer,
  isPlayedByBot,
  keyShownToSeat,
  playingMembers,
  seatOf,
  seatsChanged,
} from './rules';
import { REVEAL_STEP_NAMES } from './reveal-steps';
import { scoreRound } from './scoring';
import { allowedTokens, seatForLateJoiner, seatingPlan, seatPlayers, uniformAllocation } from './seating';
import { allocationOf, allocationShard, emptyAllocations, withAllocation } from './allocations';
import { applySettingsPatch } from './session';
import {
  AWAY_GRACE_MS,
  timerKeys,
  type Actor,
  type Effect,
  type GameContext,
  type GameEvent,
  type GameEventBody,
  type GameState,
  type PersistReason,
  type Player,
  type PlayerAllocation,
  type PlayerId,
  type ReduceResult,
  type Round,
  type Seat,
  type ViewChanges,
} from './types';

/** Thrown inside the reducer only, and turned into a `{ ok: false, error }` answer at its edge. */
class Refusal extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

function refuse(code: Code, message: string): never {
  throw new Refusal(code, message);
}

/** Whose views the event changed so far; seats stand for all their members (as the state ends up). */
interface ChangeMarks {
  teacher: boolean;
  stage: boolean;
  everyone: boolean;
  students: Set<PlayerId>;
  seats: Set<number>;
}

/** One event being applied: the working copy, the clock and chance, and the effects gathered so far. */
interface Step {
  state: GameState;
  ctx: GameContext;
  effects: Effect[];
  persist: PersistReason | null;
  changes: ChangeMarks;
  /** On a shallow draft: only the round's own fields and what the handler copied may change. */
  shallow: boolean;
}

type Handler<T extends GameEventBody['type']> = (step: Step, event: Extract<GameEvent, { type: T }>) => void;
type Handlers = { [T in GameEventBody['type']]: Handler<T> };

/**
 * The working copy an event may change. The lesson, its cards and revealed results never change
 * once made, so they are shared; everything else is copied (a slider moves many times a second).
 */
function draftOf(state: GameState): GameState {
  return {
    ...state,
    settings: { ...state.settings },
    players: state.players.map((p) => ({ ...p })),
    round: state.round ? roundDraftOf(state.round) : null,
    history: [...state.history],
    server: { ...state.server },
  };
}

/**
 * A deep copy of the round but for its allocations, which are shared: every change to one goes
 * through `ownAllocation` or `withAllocation`, which copy only the shard they touch.
 */
function roundDraftOf(round: Round): Round {
  const { allocations, ...rest } = round;
  return { ...structuredClone(rest), allocations };
}

/**
 * The draft of the moves a class makes many times a second: the state and the round copied one level
 * deep, everything else shared with the state before. Their handlers copy what they change
 * (an allocation, the key requests, the timer), so a move costs no copy of the players or seats.
 */
function shallowDraftOf(state: GameState): GameState {
  return { ...state, round: state.round ? { ...state.round } : null };
}

/** Events handled on a shallow draft: they never change who plays a seat, so AI classmates stay as they are. */
const SHALLOW_EVENTS: ReadonlySet<GameEventBody['type']> = new Set(['attention:allocate', 'attention:lock', 'key:request', 'key:share']);

/** Applies one event. */
export function reduce(state: GameState, event: GameEvent, ctx: GameContext): ReduceResult {
  const shallow = SHALLOW_EVENTS.has(event.type);
  const step: Step = {
    state: shallow ? shallowDraftOf(state) : draftOf(state),
    ctx,
    effects: [],
    persist: null,
    changes: { teacher: false, stage: false, everyone: false, students: new Set(), seats: new Set() },
    shallow,
  };
  try {
    if (state.phase === 'ended') refuse(ErrorCode.sessionEnded, 'This session has ended.');
    const handler = handlers[event.type] as Handler<typeof event.type> | undefined;
    if (!handler) refuse(ErrorCode.requestUnknownEvent, `"${String(event.type)}" is not a game event.`);
    handler(step, event);
    settle(step, event.type);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  step.state.version = state.version + 1;
  // Idle expiry ends sessions nobody runs any more; the server's own timers are not somebody.
  if (event.by.role !== 'system') step.state.lastActivityAt = ctx.now;
  const effects = step.persist ? [{ type: 'persist', reason: step.persist } as const, ...step.effects] : step.effects;
  return { ok: true, state: step.state, effects: [...effects, { type: 'broadcast', changes: viewChanges(step) }] };
}

function viewChanges(step: Step): ViewChanges {
  const { changes } = step;
  if (changes.everyone) return { teacher: true, stage: true, everyone: true, students: [] };
  const round = step.state.round;
  // A move on a team's seat changes the whole team: its members list itself is named (shared with
  // the state, never changed in place), so a team of hundreds costs no copy per move.
  if (round && changes.seats.size === 1) {
    const [index] = changes.seats;
    const members = round.seats[index]?.members ?? [];
    if ([...changes.students].every((id) => seatOf(round, id)?.index === index)) {
      return { teacher: changes.teacher, stage: changes.stage, everyone: false, students: members };
    }
  }
  const students = new Set(changes.students);
  const seats = round?.seats;
  if (seats) for (const index of changes.seats) for (const member of seats[index]?.members ?? []) students.add(member);
  return { teacher: changes.teacher, stage: changes.stage, everyone: false, students: [...students] };
}

// ——— whose views change ———

/** Something every view shows changed: the phase, the pause, the round's clock or settings, the standings. */
function touchEveryone(step: Step): void {
  step.changes.everyone = true;
}

/** The teacher's and the projector's views (the roster, a seat's allocation, presence). */
function touchRoomViews(step: Step): void {
  step.changes.teacher = true;
  step.changes.stage = true;
}

/** Every member of a seat: their shared fragment (teammates, team allocation, keys, requests) changed. */
function touchSeat(step: Step, seatIndex: number): void {
  step.changes.seats.add(seatIndex);
}

// ——— copies on a shallow draft ———

/**
 * The student's allocation, copied into the draft before a change (with the one shard that holds it:
 * the other shards stay shared with the state before, so a move costs the same in any class size).
 */
function ownAllocation(round: Round, playerId: PlayerId): PlayerAllocation {
  const copy = { ...requireAllocation(round, playerId) };
  round.allocations = withAllocation(round.allocations, playerId, copy);
  return copy;
}

/** A seated student's allocation (every seated student has one). */
function requireAllocation(round: Round, playerId: PlayerId): PlayerAllocation {
  const allocation = allocationOf(round, playerId);
  if (!allocation) throw new Error(`no allocation for seated player ${playerId}`);
  return allocation;
}

// ——— who may send what ———

function requireTeacher(by: Actor): void {
  if (by.role !== 'teacher') refuse(ErrorCode.authNotHost, 'Only the teacher can do that.');
}

function requireSystem(by: Actor): void {
  if (by.role !== 'system') refuse(ErrorCode.authForbidden, 'Only the server can send that.');
}

function requireStudentId(by: Actor): PlayerId {
  if (by.role !== 'student') refuse(ErrorCode.authForbidden, 'Only a student can do that.');
  return by.playerId;
}

/** A student who joined and was not kicked. */
function requirePlayer(state: GameState, playerId: PlayerId): Player {
  const player = findPlayer(state, playerId);
  if (!player) refuse(ErrorCode.playerNotFound, 'There is no such player in this session.');
  if (player.kicked) refuse(ErrorCode.authKicked, 'The teacher removed you from this session.');
  return player;
}

function requireRound(state: GameState): Round {
  if (!state.round) refuse(ErrorCode.roundWrongPhase, 'No round has started yet.');
  return state.round;
}

function requirePhase(state: GameState, phases: readonly Phase[], doing: string): void {
  if (!phases.includes(state.phase)) refuse(ErrorCode.roundWrongPhase, `Cannot ${doing} during the ${state.phase} phase.`);
}

/**
 * The checks every in-round student move shares: the move names the current round, negotiation is on,
 * the game is not paused, the student holds a seat.
 */
function requireNegotiating(state: GameState, playerId: PlayerId, roundNumber: number): { round: Round; seat: Seat; player: Player } {
  const player = requirePlayer(state, playerId);
  const round = requireRound(state);
  if (roundNumber !== round.number) refuse(ErrorCode.roundStale, `That was for round ${roundNumber}; this is round ${round.number}.`);
  if (state.phase === 'locked' || state.phase === 'reveal' || state.phase === 'podium') {
    refuse(ErrorCode.roundLocked, 'The round is locked.');
  }
  requirePhase(state, ['negotiate'], 'do that');
  if (state.paused) refuse(ErrorCode.sessionPaused, 'The teacher paused the game.');
  const seat = seatOf(round, playerId);
  if (!seat) refuse(ErrorCode.seatNotSeated, 'You are not seated this round; you play from the next one.');
  return { round, seat, player };
}

// ——— shared moves ———

function setPhase(step: Step, phase: Phase): void {
  touchEveryone(step);
  step.state.phase = phase;
  // A pause belongs to the phase it was called in; moving on means the teacher is running again.
  step.state.paused = false;
  step.persist = 'phase';
}

function notify(step: Step, playerIds: PlayerId[], notice: ServerNotice): void {
  if (playerIds.length > 0) step.effects.push({ type: 'notify', playerIds, notice });
}

function nextId(state: GameState, prefix: string): string {
  return `${prefix}${state.nextId++}`;
}

function startRound(step: Step, number: number): void {
  const { state, ctx } = step;
  const tokenCount = state.lesson.tokens.length;
  const options = { scale: state.settings.scale, temperature: state.settings.temperature, causal: state.settings.causal };
  const students = state.players.filter((p) => !p.kicked).map((p) => p.id);
  const plan = seatingPlan(state.lesson, state.cards, options);
  const seats = seatPlayers(students, tokenCount, state.lesson.heads.length, ctx.random, plan);
  const allocations = emptyAllocations();
  for (const seat of seats) {
    for (const id of seat.members) allocations[allocationShard(id)][id] = freshAllocation(seat.token, tokenCount, options.causal);
  }
  seatsChanged(seats);
  state.round = {
    number,
    options,
    startedAt: ctx.now,
    negotiationOpenedAt: null,
    pausedMs: 0,
    pausedAt: null,
    lockedAt: null,
    seats,
    allocations,
    keyRequests: [],
    keysRevealed: false,
    revealPending: false,
    timer: { durationMs: null, deadline: null, pausedRemainingMs: null },
  };
  state.server.truth = null;
  setPhase(step, 'cards');
  // Asked now, not at the reveal: the AI classmates need the answer to play during negotiation.
  step.effects.push({ type: 'compute-attention', round: number, options: { ...options } });
}

function freshAllocation(token: number, tokenCount: number, causal: boolean): PlayerAllocation {
  return { weights: uniformAllocation(token, tokenCount, causal), touched: false, updatedAt: null, lockedIn: false, lockedInAt: null, committedAfterMs: null };
}

/** How long negotiation has run, pauses left out. */
function negotiationElapsed(round: Round, now: number): number {
  const openedAt = round.negotiationOpenedAt ?? now;
  const pausedNow = round.pausedAt !== null ? now - round.pausedAt : 0;
  return Math.max(0, now - openedAt - round.pausedMs - pausedNow);
}

function lockRound(step: Step, round: Round): void {
  if (round.pausedAt !== null) round.pausedMs += step.ctx.now - round.pausedAt;
  round.pausedAt = null;
  round.lockedAt = step.ctx.now;
  round.timer = { ...round.timer, deadline: null, pausedRemainingMs: null };
  step.effects.push({ type: 'cancel-timer', key: timerKeys.round });
  setPhase(step, 'locked');
}

/** Locks the round once every student present and seated has locked in. */
function lockIfAllLockedIn(step: Step): void {
  const { state } = step;
  const round = state.round;
  if (!round || state.phase !== 'negotiate') return;
  // Stops at the first student present who has not locked in: a class locking in one by one does
  // not walk the whole class on every lock-in.
  let present = 0;
  for (const seat of round.seats) {
    for (const id of seat.members) {
      const player = findPlayer(state, id);
      if (!player || player.kicked || player.away) continue;
      if (!allocationOf(round, id)?.lockedIn) return;
      present++;
    }
  }
  if (present > 0) lockRound(step, round);
}

function reveal(step: Step, round: Round): void {
  const { state, ctx } = step;
  const truth = state.server.truth;
  if (!truth || truth.round !== round.number) refuse(ErrorCode.roundWrongPhase, 'The model has not answered yet.');
  playBots(step);
  const results = scoreRound(state, round, truth, ctx.now);
  state.history.push(results);
  for (const result of results.players) {
    const player = findPlayer(state, result.playerId);
    if (!player) continue;
    player.total += result.score + result.bonus;
    player.roundsPlayed += 1;
  }
  round.revealPending = false;
  setPhase(step, 'reveal');
}

/**
 * Every seat nobody plays gets the AI classmate's allocation, once the model's answer is known and
 * until the reveal; a seat a student takes back drops it, in any phase.
 */
function playBots(step: Step): void {
  const { state, ctx } = step;
  const round = state.round;
  const truth = state.server.truth;
  if (!round) return;
  const playing = state.phase === 'cards' || state.phase === 'negotiate' || state.phase === 'locked';
  for (const seat of round.seats) {
    if (!isPlayedByBot(state, seat)) {
      if (seat.botAllocation !== null) seat.botAllocation = null;
    } else if (playing && !seat.botAllocation && truth && truth.round === round.number) {
      const row = truth.heads[seat.head].weights[seat.token];
      seat.botAllocation = botAllocation(row, seat.token, round.options.causal, state.settings.botSkill, ctx.random);
    }
  }
}

/** AI classmates answer key requests at once. */
function botsShareKeys(step: Step): void {
  const { state } = step;
  const round = state.round;
  if (!round || state.phase !== 'negotiate') return;
  for (const request of round.keyRequests) {
    if (request.status !== 'pending' || !isPlayedByBot(state, round.seats[request.toSeat])) continue;
    markShared(step, round, request.id, 'bot');
  }
}

function markShared(step: Step, round: Round, requestId: string, by: PlayerId | 'bot' | 'teacher'): void {
  const found = round.keyRequests.find((r) => r.id === requestId);
  if (!found) return;
  // A new request object in a new list: the requests may be shared with the state before.
  const request = { ...found, status: 'shared' as const, sharedBy: by, sharedAt: step.ctx.now };
  round.keyRequests = round.keyRequests.map((r) => (r.id === requestId ? request : r));
  step.changes.teacher = true;
  touchSeat(step, request.fromSeat);
  touchSeat(step, request.toSeat);
  notify(step, round.seats[request.fromSeat].members, {
    event: 'key:shared',
    data: { requestId: request.id, round: round.number, head: request.head, token: request.toToken },
  });
}

/**
 * What follows from any accepted event: bots take empty seats (or leave them) and answer requests.
 * The shallow events change nobody's seat or presence, so the bots' seats stay as they were, and of
 * them only a new request can be one a bot has to answer (every other was answered when it was made
 * or when its seat went to the bot): a slider move looks at no request.
 */
function settle(step: Step, type: GameEventBody['type']): void {
  if (!step.shallow) playBots(step);
  if (!step.shallow || type === 'key:request') botsShareKeys(step);
}

// ——— the handlers ———

const handlers: Handlers = {
  'seat:join'(step, event) {
    const { state, ctx } = step;
    const playerId = requireStudentId(event.by);
    const existing = findPlayer(state, playerId);
    if (existing?.kicked) refuse(ErrorCode.authKicked, 'The teacher removed you from this session.');
    if (existing) refuse(ErrorCode.playerAlreadyJoined, 'You have already joined; rejoin instead.');
    const device = event.device ?? null;
    if (device !== null && state.players.some((p) => p.kicked && p.device === device)) {
      refuse(ErrorCode.authKicked, 'The teacher removed you from this session.');
    }
    const name = checkNickname(event.nickname);
    if (!name.ok) refuse(ErrorCode.nicknameRejected, name.message);
    const namesake = state.players.find((p) => sameNickname(p.nickname, name.nickname));
    if (namesake?.kicked) refuse(ErrorCode.authKicked, `The teacher removed ${namesake.nickname} from this session.`);
    if (namesake) refuse(ErrorCode.nicknameTaken, `Someone is already called ${namesake.nickname}.`);
    if (state.phase === 'podium') refuse(ErrorCode.joinLateClosed, 'The game is over: this is the podium.');
    if (state.phase !== 'lobby' && !state.settings.lateJoin) {
      refuse(ErrorCode.joinLateClosed, 'The game has started and the teacher closed late joining.');
    }
    const roomSize = state.settings.roomSize ?? DEFAULT_ROOM_SIZE;
    if (state.players.filter((p) => !p.kicked).length >= roomSize) {
      refuse(ErrorCode.joinRoomFull, `This session is full (${roomSize} students).`);
    }
    const skeleton = nicknameSkeleton(name.nickname);
    if (state.settings.lobbyLocked && !(state.admitted ?? []).includes(skeleton)) {
      refuse(ErrorCode.joinLobbyLocked, `The teacher locked the lobby: ask them to let ${name.nickname} in, then join again.`);
    }
    if (state.admitted?.includes(skeleton)) state.admitted = state.admitted.filter((s) => s !== skeleton);
    state.players.push({
      id: playerId,
      nickname: name.nickname,
      joinedAt: ctx.now,
      away: false,
      awaySince: null,
      replacedByBot: false,
      kicked: false,
      device,
      total: 0,
      roundsPlayed: 0,
    });
    step.persist = 'roster';
    touchRoomViews(step);
    step.changes.students.add(playerId);
    // A newcomer with no points changes nobody's rank, but a leaderboard on show lists them.
    if (state.phase === 'reveal') touchEveryone(step);
    const round = state.round;
    if (round && (state.phase === 'cards' || state.phase === 'negotiate')) {
      const seat = seatForLateJoiner(state, round);
      if (seat) {
        seat.members.push(playerId);
        seatsChanged(round.seats);
        touchSeat(step, seat.index);
        // Seats this one asked for keys list its members' names among their requests.
        for (const request of round.keyRequests) if (request.fromSeat === seat.index) touchSeat(step, request.toSeat);
        // Uniform, not the bot's choice: the bot's allocation is derived from the model's answer.
        round.allocations = withAllocation(round.allocations, playerId, freshAllocation(seat.token, state.lesson.tokens.length, round.options.causal));
        seat.botAllocation = null;
      }
    }
  },

  'seat:rejoin'(step, event) {
    const playerId = requireStudentId(event.by);
    const player = requirePlayer(step.state, playerId);
    if (player.away) {
      step.effects.push({ type: 'cancel-timer', key: timerKeys.presence(playerId) });
      touchPresence(step, playerId);
    }
    player.away = false;
    player.awaySince = null;
    player.replacedByBot = false;
  },

  'presence:disconnect'(step, event) {
    requireSystem(event.by);
    const player = requirePlayer(step.state, event.playerId);
    if (player.away) refuse(ErrorCode.presenceStale, `${player.nickname} is already away.`);
    touchPresence(step, player.id);
    player.away = true;
    player.awaySince = step.ctx.now;
    step.effects.push({
      type: 'schedule-timer',
      key: timerKeys.presence(player.id),
      at: step.ctx.now + AWAY_GRACE_MS,
      event: { type: 'presence:timeout', playerId: player.id, awaySince: step.ctx.now, by: { role: 'system' } },
    });
    // The ones still here may all have locked in already.
    lockIfAllLockedIn(step);
  },

  'presence:timeout'(step, event) {
    requireSystem(event.by);
    const player = requirePlayer(step.state, event.playerId);
    if (!player.away || player.awaySince !== event.awaySince || player.replacedByBot) {
      refuse(ErrorCode.presenceStale, `${player.nickname} came back in time.`);
    }
    player.replacedByBot = true;
    step.changes.teacher = true;
    // Whether a bot now plays their seat shows on the projector, and the team's mean leaves them out.
    const seat = step.state.round ? seatOf(step.state.round, player.id) : undefined;
    if (seat) {
      step.changes.stage = true;
      touchSeat(step, seat.index);
    }
  },

  'key:request'(step, event) {
    const { state } = step;
    const playerId = requireStudentId(event.by);
    const { round, seat } = requireNegotiating(state, playerId, event.round);
    const tokenCount = state.lesson.tokens.length;
    if (event.token < 0 || event.token >= tokenCount) refuse(ErrorCode.requestInvalid, `There is no token ${event.token}.`);
    if (round.options.causal && event.token > seat.token) {
      refuse(ErrorCode.attentionCausalViolation, 'This round is causal: later tokens are out of reach, their keys too.');
    }
    if (keyShownToSeat(state, round, seat, event.token)) refuse(ErrorCode.keyAlreadyKnown, 'You already hold that key.');
    if (round.keyRequests.some((r) => r.fromSeat === seat.index && r.toToken === event.token && r.status === 'pending')) {
      refuse(ErrorCode.keyAlreadyRequested, 'Your seat has already asked for that key.');
    }
    const toSeat = round.seats.find((s) => s.head === seat.head && s.token === event.token);
    if (!toSeat) refuse(ErrorCode.requestInvalid, `There is no seat for token ${event.token}.`);
    const id = nextId(state, 'k');
    step.changes.teacher = true;
    touchSeat(step, seat.index);
    touchSeat(step, toSeat.index);
    round.keyRequests = [...round.keyRequests, {
      id,
      head: seat.head,
      fromSeat: seat.index,
      toSeat: toSeat.index,
      fromToken: seat.token,
      toToken: event.token,
      requestedBy: playerId,
      status: 'pending',
      sharedBy: null,
      requestedAt: step.ctx.now,
      sharedAt: null,
    }];
    // A bot-played owner shares in `settle`; people are told someone is asking.
    if (!isPlayedByBot(state, toSeat)) {
      notify(step, playingMembers(state, toSeat), {
        event: 'key:requested',
        data: {
          requestId: id,
          round: round.number,
          head: seat.head,
          fromToken: seat.token,
          fromNicknames: seat.members.map((m) => findPlayer(state, m)?.nickname ?? '?'),
        },
      });
    }
  },

  'key:share'(step, event) {
    const playerId = requireStudentId(event.by);
    const { round, seat } = requireNegotiating(step.state, playerId, event.round);
    const request = round.keyRequests.find((r) => r.id === event.requestId);
    if (!request) refuse(ErrorCode.keyRequestNotFound, 'There is no such key request this round.');
    if (request.toSeat !== seat.index) refuse(ErrorCode.seatNotYours, 'That key belongs to another seat.');
    if (request.status === 'shared') refuse(ErrorCode.keyAlreadyShared, 'That key has already been shared.');
    markShared(step, round, request.id, playerId);
  },

  'attention:allocate'(step, event) {
    const { state } = step;
    const playerId = requireStudentId(event.by);
    const { round, seat, player } = requireNegotiating(state, playerId, event.round);
    const before = requireAllocation(round, playerId);
    if (before.lockedIn) refuse(ErrorCode.attentionAlreadyLocked, 'You locked in your allocation.');
    const problem = allocationProblem(event.weights, seat.token, state.lesson.tokens.length, round.options.causal);
    if (problem) refuse(problem.code, problem.message);
    // The same sliders again (a seat with one allowed token has no other) change only the "touched" mark.
    const moved = before.weights.some((w, j) => w !== event.weights[j]);
    // An echo of what is already stored (a retry, a slider let go where it was) changes nothing, not even
    // the time of the last move the teacher sees or the commit time the speed bonus reads.
    if (!moved && before.touched) return;
    touchRoomViews(step);
    step.changes.students.add(playerId);
    // Teammates see the team's mean, which moves with every member who plays.
    // (The mover is seated and not kicked: they play unless an AI classmate replaced them.)
    if (moved && seat.members.length > 1 && !player.replacedByBot) touchSeat(step, seat.index);
    const allocation = ownAllocation(round, playerId);
    allocation.weights = [...event.weights];
    allocation.touched = true;
    allocation.updatedAt = step.ctx.now;
    allocation.committedAfterMs = negotiationElapsed(round, step.ctx.now);
    step.persist ??= 'moves';
  },

  'attention:lock'(step, event) {
    const playerId = requireStudentId(event.by);
    const { round, seat } = requireNegotiating(step.state, playerId, event.round);
    if (requireAllocation(round, playerId).lockedIn) refuse(ErrorCode.attentionAlreadyLocked, 'You have already locked in.');
    touchRoomViews(step);
    touchSeat(step, seat.index);
    const allocation = ownAllocation(round, playerId);
    allocation.lockedIn = true;
    allocation.lockedInAt = step.ctx.now;
    allocation.committedAfterMs = negotiationElapsed(round, step.ctx.now);
    step.persist = 'lock';
    // When this was the last one, the round locks and the save becomes a phase change.
    lockIfAllLockedIn(step);
  },

  'teacher:start-round'(step, event) {
    requireTeacher(event.by);
    requirePhase(step.state, ['lobby'], 'start the first round');
    startRound(step, 1);
  },

  'teacher:open-negotiation'(step, event) {
    requireTeacher(event.by);
    const { state, ctx } = step;
    requirePhase(state, ['cards'], 'open the negotiation');
    const round = requireRound(state);
    round.negotiationOpenedAt = ctx.now;
    // A pause during the cards phase ends here and never counted against anyone.
    round.pausedAt = null;
    const seconds = state.settings.timerSeconds;
    if (seconds !== null) {
      round.timer = { durationMs: seconds * 1000, deadline: ctx.now + seconds * 1000, pausedRemainingMs: null };
      scheduleRoundTimer(step, round);
    }
    setPhase(step, 'negotiate');
  },

  'teacher:pause'(step, event) {
    requireTeacher(event.by);
    const { state, ctx } = step;
    requirePhase(state, ['cards', 'negotiate'], 'pause');
    if (state.paused) refuse(ErrorCode.sessionPaused, 'The game is already paused.');
    const round = requireRound(state);
    touchEveryone(step);
    state.paused = true;
    if (state.phase === 'negotiate') round.pausedAt = ctx.now;
    if (round.timer.deadline !== null) {
      round.timer.pausedRemainingMs = Math.max(0, round.timer.deadline - ctx.now);
      round.timer.deadline = null;
      step.effects.push({ type: 'cancel-timer', key: timerKeys.round });
    }
  },

  'teacher:resume'(step, event) {
    requireTeacher(event.by);
    const { state, ctx } = step;
    if (!state.paused) refuse(ErrorCode.sessionNotPaused, 'The game is not paused.');
    const round = requireRound(state);
    touchEveryone(step);
    state.paused = false;
    if (round.pausedAt !== null) round.pausedMs += ctx.now - round.pausedAt;
    round.pausedAt = null;
    if (round.timer.pausedRemainingMs !== null) {
      round.timer.deadline = ctx.now + round.timer.pausedRemainingMs;
      round.timer.pausedRemainingMs = null;
      scheduleRoundTimer(step, round);
    }
  },

  'teacher:add-time'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    requirePhase(state, ['negotiate'], 'add time');
    const round = requireRound(state);
    if (round.timer.durationMs === null) refuse(ErrorCode.roundNoTimer, 'This round has no timer.');
    if (!(Number.isInteger(event.seconds) && event.seconds > 0)) refuse(ErrorCode.requestInvalid, 'Add a positive whole number of seconds.');
    const extra = event.seconds * 1000;
    touchEveryone(step);
    round.timer.durationMs += extra;
    if (round.timer.pausedRemainingMs !== null) {
      round.timer.pausedRemainingMs += extra;
    } else if (round.timer.deadline !== null) {
      round.timer.deadline += extra;
      scheduleRoundTimer(step, round);
    }
  },

  'timer:expired'(step, event) {
    requireSystem(event.by);
    const { state, ctx } = step;
    const round = state.round;
    const deadline = round?.timer.deadline ?? null;
    // A timer the server could not cancel in time (paused, time added, already locked) is dropped.
    if (!round || round.number !== event.round || state.phase !== 'negotiate' || deadline === null || ctx.now < deadline) {
      refuse(ErrorCode.timerStale, 'That timer no longer applies.');
    }
    lockRound(step, round);
  },

  'teacher:lock'(step, event) {
    requireTeacher(event.by);
    requirePhase(step.state, ['negotiate'], 'lock the round');
    lockRound(step, requireRound(step.state));
  },

  'teacher:reveal'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    requirePhase(state, ['locked'], 'reveal');
    const round = requireRound(state);
    if (state.server.truth?.round === round.number) {
      reveal(step, round);
    } else {
      // The engine has not answered (or failed): ask again and reveal when its answer arrives.
      touchEveryone(step);
      round.revealPending = true;
      step.effects.push({ type: 'compute-attention', round: round.number, options: { ...round.options } });
    }
  },

  'attention:computed'(step, event) {
    requireSystem(event.by);
    const { state } = step;
    const round = state.round;
    if (!round || round.number !== event.round || !['cards', 'negotiate', 'locked'].includes(state.phase)) {
      refuse(ErrorCode.roundStale, 'That answer is for a round that is over.');
    }
    if (state.server.truth?.round === round.number) refuse(ErrorCode.roundStale, 'This round already has the model’s answer.');
    checkTruth(state, round, event.attention);
    state.server.truth = {
      round: round.number,
      heads: event.attention.heads.map((h) => ({ weights: h.weights.map((r) => [...r]), outputs: h.outputs.map((r) => [...r]) })),
    };
    playBots(step);
    if (round.revealPending && state.phase === 'locked') reveal(step, round);
  },

  'teacher:next-round'(step, event) {
    requireTeacher(event.by);
    requirePhase(step.state, ['reveal'], 'start the next round');
    startRound(step, requireRound(step.state).number + 1);
  },

  'teacher:podium'(step, event) {
    requireTeacher(event.by);
    requirePhase(step.state, ['reveal'], 'show the podium');
    setPhase(step, 'podium');
  },

  'teacher:reveal-step'(step, event) {
    requireTeacher(event.by);
    const round = requireRound(step.state);
    requirePhase(step.state, ['reveal'], 'step through the reveal');
    if (!Number.isInteger(event.step) || event.step < 0 || event.step >= REVEAL_STEP_NAMES.length) {
      refuse(ErrorCode.requestInvalid, `The reveal has steps 0 to ${REVEAL_STEP_NAMES.length - 1}.`);
    }
    if ((round.revealStep ?? 0) === event.step) return;
    // Only the projector and the dashboard show the reveal's steps.
    touchRoomViews(step);
    round.revealStep = event.step;
  },

  'teacher:reveal-keys'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    requirePhase(state, ['cards', 'negotiate'], 'reveal the keys');
    const round = requireRound(state);
    if (round.keysRevealed) refuse(ErrorCode.keysAlreadyRevealed, 'Every key is already on the table.');
    touchEveryone(step);
    round.keysRevealed = true;
    for (const request of round.keyRequests) if (request.status === 'pending') markShared(step, round, request.id, 'teacher');
  },

  'teacher:kick'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    const player = findPlayer(state, event.playerId);
    if (!player) refuse(ErrorCode.playerNotFound, 'There is no such player in this session.');
    if (player.kicked) refuse(ErrorCode.playerAlreadyKicked, `${player.nickname} was already removed.`);
    // The standings lose them: anyone's rank may change.
    touchEveryone(step);
    if (player.away) step.effects.push({ type: 'cancel-timer', key: timerKeys.presence(player.id) });
    player.kicked = true;
    player.away = false;
    player.awaySince = null;
    player.replacedByBot = false;
    // The seat goes to whoever is left, or to a bot; revealed results keep the kicked student's line.
    const seat = state.round ? seatOf(state.round, player.id) : undefined;
    if (seat && state.round) {
      seat.members = seat.members.filter((m) => m !== player.id);
      seatsChanged(state.round.seats);
    }
    notify(step, [player.id], { event: 'player:kicked', data: { message: 'The teacher removed you from this session.' } });
    step.effects.push({ type: 'disconnect-player', playerId: player.id });
    step.persist = 'roster';
    lockIfAllLockedIn(step);
  },

  'teacher:readmit'(step, event) {
    requireTeacher(event.by);
    const player = findPlayer(step.state, event.playerId);
    if (!player) refuse(ErrorCode.playerNotFound, 'There is no such player in this session.');
    if (!player.kicked) refuse(ErrorCode.playerNotKicked, `${player.nickname} was not removed.`);
    const roomSize = step.state.settings.roomSize ?? DEFAULT_ROOM_SIZE;
    if (step.state.players.filter((p) => !p.kicked).length >= roomSize) {
      refuse(ErrorCode.joinRoomFull, `This session is full (${roomSize} students).`);
    }
    // Back on the roster and the leaderboard: anyone's rank may change.
    touchEveryone(step);
    // Back as someone who went away: their phone's secret returns them, and an AI classmate plays until then.
    player.kicked = false;
    player.away = true;
    player.awaySince = step.ctx.now;
    player.replacedByBot = true;
    step.persist = 'roster';
  },

  'teacher:admit'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    const name = checkNickname(event.nickname);
    if (!name.ok) refuse(ErrorCode.nicknameRejected, name.message);
    const skeleton = nicknameSkeleton(name.nickname);
    if (state.players.some((p) => nicknameSkeleton(p.nickname) === skeleton)) {
      refuse(ErrorCode.nicknameTaken, `Someone is already called ${name.nickname}.`);
    }
    touchRoomViews(step);
    // Bounded: approvals are for the few who arrive once the teacher locked the lobby.
    state.admitted = [...(state.admitted ?? []).filter((s) => s !== skeleton), skeleton].slice(-MAX_ADMITTED);
  },

  'teacher:rename'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    const player = findPlayer(state, event.playerId);
    if (!player) refuse(ErrorCode.playerNotFound, 'There is no such player in this session.');
    const name = checkNickname(event.nickname);
    if (!name.ok) refuse(ErrorCode.nicknameRejected, name.message);
    if (state.players.some((p) => p.id !== player.id && sameNickname(p.nickname, name.nickname))) {
      refuse(ErrorCode.nicknameTaken, `Someone is already called ${name.nickname}.`);
    }
    // The name shows on the roster, the projector, teammates' phones and the leaderboard.
    touchEveryone(step);
    player.nickname = name.nickname;
    step.persist = 'roster';
  },

  'session:expire'(step, event) {
    requireSystem(event.by);
    endSession(step);
  },

  'teacher:settings'(step, event) {
    requireTeacher(event.by);
    const { state } = step;
    const next = applySettingsPatch(state.lesson, state.settings, event.settings);
    if ('code' in next) refuse(next.code, next.message);
    touchEveryone(step);
    const skillChanged = next.botSkill !== state.settings.botSkill;
    state.settings = next;
    // A new skill takes effect at once: the AI classmates choose again (the model's answer is unchanged).
    if (skillChanged && state.round && (state.phase === 'cards' || state.phase === 'negotiate')) {
      for (const seat of state.round.seats) seat.botAllocation = null;
    }
  },

  'teacher:end'(step, event) {
    requireTeacher(event.by);
    endSession(step);
  },
};

/** Approved names kept at most while the lobby is locked. */
const MAX_ADMITTED = 200;

/** Stops every timer and freezes the round as it stands; the session is over. */
function endSession(step: Step): void {
  const { state } = step;
  step.effects.push({ type: 'cancel-timer', key: timerKeys.round });
  for (const player of state.players) {
    if (player.away && !player.kicked) step.effects.push({ type: 'cancel-timer', key: timerKeys.presence(player.id) });
  }
  if (state.round) {
    state.round.timer.deadline = null;
    state.round.timer.pausedRemainingMs = null;
    if (state.round.pausedAt !== null) state.round.pausedMs += step.ctx.now - state.round.pausedAt;
    state.round.pausedAt = null;
  }
  setPhase(step, 'ended');
}

/** A student came or went: the roster, and the teammates who see them as away or back. */
function touchPresence(step: Step, playerId: PlayerId): void {
  touchRoomViews(step);
  const seat = step.state.round ? seatOf(step.state.round, playerId) : undefined;
  if (seat) touchSeat(step, seat.index);
}

function scheduleRoundTimer(step: Step, round: Round): void {
  if (round.timer.deadline === null) return;
  step.effects.push({
    type: 'schedule-timer',
    key: timerKeys.round,
    at: round.timer.deadline,
    event: { type: 'timer:expired', round: round.number, by: { role: 'system' } },
  });
}

/** Tolerance for the engine's answer: it computes in float32. */
const TRUTH_TOLERANCE = 1e-4;

/** Refuses an engine answer that does not fit the lesson or is not attention. */
function checkTruth(state: GameState, round: Round, attention: Extract<GameEventBody, { type: 'attention:computed' }>['attention']): void {
  const tokenCount = state.lesson.tokens.length;
  const heads = attention.heads;
  if (heads.length !== state.cards.length) {
    refuse(ErrorCode.attentionWrongShape, `The lesson has ${state.cards.length} heads, the answer ${heads.length}.`);
  }
  heads.forEach((head, h) => {
    const valueWidth = state.cards[h].v[0].length;
    if (head.weights.length !== tokenCount || head.weights.some((row) => row.length !== tokenCount)) {
      refuse(ErrorCode.attentionWrongShape, `Head ${h}'s weights are not ${tokenCount}×${tokenCount}.`);
    }
    if (head.outputs.length !== tokenCount || head.outputs.some((row) => row.length !== valueWidth || row.some((x) => !Number.isFinite(x)))) {
      refuse(ErrorCode.attentionWrongShape, `Head ${h}'s outputs are not ${tokenCount}×${valueWidth} numbers.`);
    }
    head.weights.forEach((row, i) => {
      const total = row.reduce((a, b) => a + b, 0);
      if (row.some((w) => !Number.isFinite(w) || w < -DISTRIBUTION_TOLERANCE) || Math.abs(total - 1) > TRUTH_TOLERANCE) {
        refuse(ErrorCode.attentionNotADistribution, `Head ${h}, token ${i}: the weights are not a distribution.`);
      }
      const allowed = allowedTokens(i, tokenCount, round.options.causal);
      if (row.some((w, j) => !allowed.includes(j) && w > TRUTH_TOLERANCE)) {
        refuse(ErrorCode.attentionCausalViolation, `Head ${h}, token ${i} attends to a later token in a causal round.`);
      }
    });
  });
}
