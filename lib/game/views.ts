/**
 * What each recipient may see of a state. Secrets are removed here, on the server, never hidden by a
 * page: before the reveal a student or the stage gets no model attention, no score of the round, no AI
 * classmate's allocation (it is derived from the model's answer) and no key card they were not shown.
 * The teacher's view has every card but, like the others, the model's answer only from the reveal:
 * the teacher's laptop is often on the projector too.
 */
import type {
  LeaderboardEntry,
  LessonInfo,
  MemberView,
  PlayerResultView,
  RevealView,
  RoundView,
  StageMemberView,
  StageSeatView,
  StageView,
  StudentSeatView,
  StudentView,
  TeacherSeatView,
  TeacherView,
} from '../protocol';
import {
  currentResults,
  findPlayer,
  isPlayedByBot,
  keyShownToSeat,
  meanVector,
  playingMembers,
  seatAllocation,
  seatOf,
  standings,
} from './rules';
import { allowedTokens } from './seating';
import type { GameState, PlayerId, PlayerResult, Round, RoundResults, Seat } from './types';

/** Who a view is for. */
export type Recipient = { kind: 'student'; playerId: PlayerId } | { kind: 'teacher' } | { kind: 'stage' };

/** The view for one recipient. Throws for a student id the session does not know (a server bug). */
export function viewFor(state: GameState, recipient: { kind: 'student'; playerId: PlayerId }): StudentView;
export function viewFor(state: GameState, recipient: { kind: 'teacher' }): TeacherView;
export function viewFor(state: GameState, recipient: { kind: 'stage' }): StageView;
export function viewFor(state: GameState, recipient: Recipient): StudentView | TeacherView | StageView;
export function viewFor(state: GameState, recipient: Recipient): StudentView | TeacherView | StageView {
  switch (recipient.kind) {
    case 'student':
      return studentView(state, recipient.playerId);
    case 'teacher':
      return teacherView(state);
    case 'stage':
      return stageView(state);
  }
}

function lessonInfo(state: GameState): LessonInfo {
  const { lesson } = state;
  return {
    id: lesson.id,
    title: lesson.title,
    summary: lesson.summary,
    sentence: lesson.sentence,
    tokens: [...lesson.tokens],
    heads: lesson.heads.map((h) => ({ name: h.name, looksFor: h.looksFor, keyFeatures: [...h.keyFeatures], valueFeatures: [...h.valueFeatures] })),
    steps: { ...lesson.steps },
    adjustable: {
      causal: lesson.flags.causalAdjustable,
      scale: lesson.flags.scaleAdjustable,
      temperature: lesson.flags.temperatureAdjustable,
    },
  };
}

function roundView(round: Round | null): RoundView | null {
  if (!round) return null;
  return {
    number: round.number,
    causal: round.options.causal,
    scale: round.options.scale,
    temperature: round.options.temperature,
    keysRevealed: round.keysRevealed,
    revealPending: round.revealPending,
    timer: { ...round.timer },
  };
}

function revealView(results: RoundResults, state: GameState): RevealView {
  return {
    round: results.round,
    heads: results.truth.heads.map((h, i) => ({
      name: state.cards[i].name,
      weights: h.weights.map((r) => [...r]),
      outputs: h.outputs.map((r) => [...r]),
    })),
    seats: results.seats.map((s) => ({ ...s, allocation: [...s.allocation], trueRow: [...s.trueRow] })),
    classScore: results.classScore,
  };
}

function playerResultView(state: GameState, result: PlayerResult, round: number): PlayerResultView {
  return {
    round,
    token: result.token,
    head: result.head,
    allocation: [...result.allocation],
    trueRow: [...result.trueRow],
    score: result.score,
    bonus: result.bonus,
    output: [...result.output],
    trueOutput: [...result.trueOutput],
    cosine: result.cosine,
    overWeighted: result.overWeighted ? { ...result.overWeighted } : null,
    values: state.cards[result.head].v.map((r) => [...r]),
  };
}

/** The leaderboard is shown once a round's scores are out, and until the end. */
function leaderboardVisible(state: GameState): boolean {
  return state.phase === 'reveal' || state.phase === 'podium' || state.phase === 'ended';
}

function leaderboard(state: GameState, names: 'shown' | 'hidden', withIds: boolean): LeaderboardEntry[] {
  return standings(state).map((s) => ({
    rank: s.rank,
    ...(withIds ? { playerId: s.playerId } : {}),
    nickname: names === 'shown' ? s.nickname : null,
    total: s.total,
    rounds: s.rounds,
  }));
}

function nicknamesOf(state: GameState, ids: readonly PlayerId[]): string[] {
  return ids.map((id) => findPlayer(state, id)?.nickname ?? '?');
}

function memberView(state: GameState, round: Round, playerId: PlayerId): MemberView {
  const player = findPlayer(state, playerId);
  return {
    playerId,
    nickname: player?.nickname ?? '?',
    away: player?.away ?? false,
    lockedIn: round.allocations[playerId]?.lockedIn ?? false,
  };
}

/** A seat's shown allocation, with an AI classmate's kept back until the round's results are out. */
function shownSeatAllocation(state: GameState, round: Round, seat: Seat, revealed: boolean): number[] | null {
  if (isPlayedByBot(state, seat) && !revealed) return null;
  const allocation = seatAllocation(state, round, seat);
  return allocation ? [...allocation] : null;
}

function studentView(state: GameState, playerId: PlayerId): StudentView {
  const player = findPlayer(state, playerId);
  if (!player) throw new Error(`viewFor: no player ${playerId} in session ${state.sessionId}`);
  const round = state.round;
  const results = currentResults(state);
  const seat = round && !player.kicked ? seatOf(round, playerId) : undefined;
  const standing = standings(state).find((s) => s.playerId === playerId);
  const myResult = results?.players.find((r) => r.playerId === playerId);
  const base: StudentView = {
    kind: 'student',
    version: state.version,
    sessionId: state.sessionId,
    code: state.code,
    phase: state.phase,
    paused: state.paused,
    lesson: lessonInfo(state),
    settings: { ...state.settings },
    round: roundView(round),
    me: {
      playerId,
      nickname: player.nickname,
      status: player.kicked ? 'kicked' : seat ? 'seated' : 'waiting',
      total: player.total,
      rank: standing?.rank ?? null,
    },
    seat: null,
    result: null,
    classScore: null,
    leaderboard: null,
  };
  // A kicked student learns only that they were removed.
  if (player.kicked) return base;
  if (round && seat) base.seat = studentSeatView(state, round, seat, playerId);
  if (results && myResult) base.result = playerResultView(state, myResult, results.round);
  if (results) base.classScore = results.classScore;
  if (leaderboardVisible(state)) base.leaderboard = leaderboard(state, 'shown', true);
  return base;
}

function studentSeatView(state: GameState, round: Round, seat: Seat, playerId: PlayerId): StudentSeatView {
  const cards = state.cards[seat.head];
  const tokenCount = state.lesson.tokens.length;
  const allocation = round.allocations[playerId];
  // The mean of the people playing, never a bot's choice (that is derived from the model's answer).
  const team = playingMembers(state, seat);
  const nicknames = (ids: PlayerId[]) => ids.map((id) => findPlayer(state, id)?.nickname ?? '?');
  return {
    seat: seat.index,
    token: seat.token,
    head: seat.head,
    allowedTokens: allowedTokens(seat.token, tokenCount, round.options.causal),
    teammates: seat.members.filter((id) => id !== playerId).map((id) => memberView(state, round, id)),
    cards: { query: [...cards.q[seat.token]], key: [...cards.k[seat.token]], value: [...cards.v[seat.token]] },
    keys: cards.k.map((key, j) => (keyShownToSeat(state, round, seat, j) ? [...key] : null)),
    allocation: [...allocation.weights],
    touched: allocation.touched,
    lockedIn: allocation.lockedIn,
    teamAllocation: seat.members.length > 1 ? meanVector(team.map((id) => round.allocations[id].weights)) : null,
    requestsOut: round.keyRequests
      .filter((r) => r.fromSeat === seat.index)
      .map((r) => ({ id: r.id, token: r.toToken, status: r.status })),
    requestsIn: round.keyRequests
      .filter((r) => r.toSeat === seat.index)
      .map((r) => ({ id: r.id, fromToken: r.fromToken, fromNicknames: nicknames(round.seats[r.fromSeat].members), status: r.status })),
  };
}

function stageView(state: GameState): StageView {
  const round = state.round;
  const results = currentResults(state);
  const hide = state.settings.hideNamesOnStage;
  const active = state.players.filter((p) => !p.kicked);
  const member = (id: PlayerId): StageMemberView => {
    const player = findPlayer(state, id);
    return {
      nickname: hide ? null : (player?.nickname ?? '?'),
      away: player?.away ?? false,
      lockedIn: round?.allocations[id]?.lockedIn ?? false,
    };
  };
  const seats: StageSeatView[] = round
    ? round.seats.map((seat) => ({
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        members: seat.members.map(member),
        playedByBot: isPlayedByBot(state, seat),
        allocation: shownSeatAllocation(state, round, seat, results !== null),
      }))
    : [];
  const keysOpen = round !== null && (round.keysRevealed || results !== null);
  return {
    kind: 'stage',
    version: state.version,
    code: state.code,
    phase: state.phase,
    paused: state.paused,
    lesson: lessonInfo(state),
    settings: { ...state.settings },
    round: roundView(round),
    roster: active.map((p) => ({
      nickname: hide ? null : p.nickname,
      away: p.away,
      lockedIn: round?.allocations[p.id]?.lockedIn ?? false,
    })),
    seats,
    keys: keysOpen ? state.cards.map((c) => c.k.map((r) => [...r])) : null,
    reveal: results ? revealView(results, state) : null,
    leaderboard: leaderboardVisible(state) ? leaderboard(state, hide ? 'hidden' : 'shown', false) : null,
  };
}

function teacherView(state: GameState): TeacherView {
  const round = state.round;
  const results = currentResults(state);
  const seats: TeacherSeatView[] = round
    ? round.seats.map((seat) => ({
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        members: seat.members.map((id) => memberView(state, round, id)),
        playedByBot: isPlayedByBot(state, seat),
        allocation: shownSeatAllocation(state, round, seat, results !== null),
      }))
    : [];
  return {
    kind: 'teacher',
    version: state.version,
    sessionId: state.sessionId,
    code: state.code,
    phase: state.phase,
    paused: state.paused,
    lesson: lessonInfo(state),
    settings: { ...state.settings },
    round: roundView(round),
    cards: state.cards.map((c) => ({ name: c.name, q: c.q.map((r) => [...r]), k: c.k.map((r) => [...r]), v: c.v.map((r) => [...r]) })),
    players: state.players.map((p) => {
      const seat = round && !p.kicked ? seatOf(round, p.id) : undefined;
      const allocation = seat && round ? round.allocations[p.id] : undefined;
      return {
        playerId: p.id,
        nickname: p.nickname,
        away: p.away,
        awaySince: p.awaySince,
        replacedByBot: p.replacedByBot,
        kicked: p.kicked,
        seat: seat?.index ?? null,
        allocation: allocation ? [...allocation.weights] : null,
        touched: allocation?.touched ?? false,
        movedAt: allocation?.touched ? allocation.updatedAt : null,
        lockedIn: allocation?.lockedIn ?? false,
        lockedInAt: allocation?.lockedIn ? allocation.lockedInAt : null,
        total: p.total,
      };
    }),
    seats,
    keyRequests: round
      ? round.keyRequests.map((r) => ({
          id: r.id,
          head: r.head,
          fromToken: r.fromToken,
          toToken: r.toToken,
          status: r.status,
          fromNicknames: nicknamesOf(state, round.seats[r.fromSeat]?.members ?? []),
          toNicknames: round.seats[r.toSeat] && !isPlayedByBot(state, round.seats[r.toSeat]) ? nicknamesOf(state, playingMembers(state, round.seats[r.toSeat])) : [],
          requestedAt: r.requestedAt ?? null,
          sharedAt: r.sharedAt ?? null,
        }))
      : [],
    reveal: results ? revealView(results, state) : null,
    results: results
      ? results.players.map((r) => ({
          ...playerResultView(state, r, results.round),
          playerId: r.playerId,
          nickname: findPlayer(state, r.playerId)?.nickname ?? '?',
        }))
      : null,
    leaderboard: leaderboard(state, 'shown', true),
    history: state.history.map((h) => ({
      round: h.round,
      classScore: h.classScore,
      causal: h.options.causal,
      scale: h.options.scale,
      temperature: h.options.temperature,
    })),
  };
}
