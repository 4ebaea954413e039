/**
 * What each recipient may see of a state. Secrets are removed here, on the server, never hidden by a
 * page: before the reveal a student or the stage gets no model attention, no score of the round, no AI
 * classmate's allocation (it is derived from the model's answer) and no key card they were not shown.
 * The teacher's view has every card but, like the others, the model's answer only from the reveal:
 * the teacher's laptop is often on the projector too.
 *
 * Views are read-only: parts that do not change from one state to the next (the lesson, the
 * settings, a seat's cards, a member who did not move) are the same objects in every view built from
 * them, so building a view costs what changed and comparing two views stops at the first shared part.
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
  TeacherPlayerView,
  TeacherSeatView,
  TeacherView,
} from '../protocol';
import { PHONE_LEADERBOARD_RANKS } from '../protocol';
import {
  currentResults,
  findPlayer,
  keyShownToSeat,
  meanVector,
  playingMembers,
  seatOf,
  standingOf,
  standings,
} from './rules';
import { allocationOf } from './allocations';
import { allowedTokens } from './seating';
import { revealStar, revealSteps } from './reveal-steps';
import { chosenKeys } from './scoring';
import { revealVerdict } from './verdict';
import type { GameState, Player, PlayerAllocation, PlayerId, PlayerResult, Round, RoundResults, Seat } from './types';

/**
 * What every member of a seat sees alike, built once per state and seat: a broadcast builds the
 * views of a whole team from the same state, and each would otherwise walk the team again.
 */
interface SeatFragment {
  members: MemberView[];
  teamAllocation: number[] | null;
  keys: (number[] | null)[];
  cards: StudentSeatView['cards'];
  allowedTokens: number[];
  requestsOut: StudentSeatView['requestsOut'];
  requestsIn: StudentSeatView['requestsIn'];
}

const seatFragments = new WeakMap<GameState, Map<number, SeatFragment>>();

/** Each student's result of a revealed round, by id. */
const resultsById = new WeakMap<RoundResults, Map<PlayerId, PlayerResult>>();

function resultOf(results: RoundResults, playerId: PlayerId): PlayerResult | undefined {
  let byId = resultsById.get(results);
  if (!byId) {
    byId = new Map(results.players.map((r) => [r.playerId, r]));
    resultsById.set(results, byId);
  }
  return byId.get(playerId);
}

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

const lessonInfos = new WeakMap<GameState['lesson'], LessonInfo>();
const settingsViews = new WeakMap<GameState['settings'], GameState['settings']>();

/** The settings as views show them, one object per settings object of the states. */
function settingsView(state: GameState): GameState['settings'] {
  let view = settingsViews.get(state.settings);
  if (!view) {
    view = { ...state.settings };
    settingsViews.set(state.settings, view);
  }
  return view;
}

function lessonInfo(state: GameState): LessonInfo {
  let info = lessonInfos.get(state.lesson);
  if (!info) {
    info = buildLessonInfo(state);
    lessonInfos.set(state.lesson, info);
  }
  return info;
}

function buildLessonInfo(state: GameState): LessonInfo {
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
    star: revealStar(lesson),
    recurrent: lesson.recurrentCarry !== undefined,
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

/**
 * A revealed round's views, built once per results object (results never change once made, and a
 * session's lesson and cards neither): the reveal's broadcast shows the same ones to the teacher, the
 * stage and a thousand phones, in every view built until the next round.
 */
const revealViews = new WeakMap<RoundResults, RevealView>();
const playerResultViews = new WeakMap<PlayerResult, PlayerResultView>();

function revealView(results: RoundResults, state: GameState): RevealView {
  // The teacher's step through the reveal changes while the results stay: the cached view carries the
  // step it was built with and is rebuilt (cheaply, once) when the step moves on.
  const step = state.round?.number === results.round ? (state.round.revealStep ?? 0) : 0;
  let view = revealViews.get(results);
  if (!view || view.step !== step) {
    view = view ? { ...view, step } : buildRevealView(results, state, step);
    revealViews.set(results, view);
  }
  return view;
}

function playerResultView(state: GameState, result: PlayerResult, round: number): PlayerResultView {
  let view = playerResultViews.get(result);
  if (!view || view.round !== round) {
    view = buildPlayerResultView(state, result, round);
    playerResultViews.set(result, view);
  }
  return view;
}

function buildRevealView(results: RoundResults, state: GameState, step: number): RevealView {
  return {
    round: results.round,
    heads: results.truth.heads.map((h, i) => ({
      name: state.cards[i].name,
      weights: h.weights.map((r) => [...r]),
      outputs: h.outputs.map((r) => [...r]),
    })),
    seats: results.seats.map((s) => ({ ...s, allocation: [...s.allocation], trueRow: [...s.trueRow] })),
    classScore: results.classScore,
    steps: revealSteps(state.cards, results.options, revealStar(state.lesson)),
    step,
  };
}

function buildPlayerResultView(state: GameState, result: PlayerResult, round: number): PlayerResultView {
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
    topKeyPoints: result.topKeyPoints,
    spreadPoints: result.spreadPoints,
    foundTopKey: result.foundTopKey,
    topKeys: [...result.topKeys],
    evenRow: result.evenRow,
    // A snapshot saved before the field existed has none: count it as moved rather than accuse anyone.
    touched: result.touched !== false,
    verdict: revealVerdict({
      tokens: state.lesson.tokens,
      token: result.token,
      headName: state.lesson.heads.length > 1 ? state.lesson.heads[result.head].name : null,
      allocation: result.allocation,
      trueRow: result.trueRow,
      touched: result.touched !== false,
    }),
  };
}

/** The leaderboard is shown once a round's scores are out, and until the end. */
function leaderboardVisible(state: GameState): boolean {
  return state.phase === 'reveal' || state.phase === 'podium' || state.phase === 'ended';
}

/** Leaderboards already built, per standings and form: every student's view shows the same one. */
const leaderboards = new WeakMap<readonly unknown[], Map<string, LeaderboardEntry[]>>();

function leaderboard(state: GameState, names: 'shown' | 'hidden', withIds: boolean): LeaderboardEntry[] {
  const ranked = standings(state);
  let built = leaderboards.get(ranked);
  if (!built) {
    built = new Map();
    leaderboards.set(ranked, built);
  }
  const form = `${names}|${withIds}`;
  let board = built.get(form);
  if (!board) {
    board = buildLeaderboard(state, names, withIds);
    built.set(form, board);
  }
  return board;
}

/** The top of the students' leaderboard (ranks up to PHONE_LEADERBOARD_RANKS) and where each student stands in it, per full leaderboard. */
const phoneTops = new WeakMap<readonly LeaderboardEntry[], { top: LeaderboardEntry[]; positions: Map<PlayerId, number> }>();

/** A phone's leaderboard (see `StudentView.leaderboard`): the shared top, and the student's own place where it is below. */
function phoneLeaderboard(state: GameState, playerId: PlayerId): LeaderboardEntry[] {
  const full = leaderboard(state, 'shown', true);
  let known = phoneTops.get(full);
  if (!known) {
    known = { top: full.filter((e) => e.rank <= PHONE_LEADERBOARD_RANKS), positions: new Map(full.map((e, i) => [e.playerId ?? '', i])) };
    phoneTops.set(full, known);
  }
  const { top, positions } = known;
  const index = positions.get(playerId);
  if (index === undefined || full[index].rank <= PHONE_LEADERBOARD_RANKS) return top;
  const mine = full[index];
  const before = full[index - 1];
  const after = full[index + 1];
  // In leaderboard order: a classmate tied with the student above them, or else one tied below.
  if (before?.rank === mine.rank) return [...top, before, mine];
  if (after?.rank === mine.rank) return [...top, mine, after];
  return [...top, mine];
}

function buildLeaderboard(state: GameState, names: 'shown' | 'hidden', withIds: boolean): LeaderboardEntry[] {
  return standings(state).map((s) => ({
    rank: s.rank,
    ...(withIds ? { playerId: s.playerId } : {}),
    nickname: names === 'shown' ? s.nickname : null,
    total: s.total,
    rounds: s.rounds,
    untouchedRounds: s.untouchedRounds,
  }));
}

/**
 * A list equal to the one built from the state before, entry by entry, is that same list: comparing
 * two views then stops at it, and what is derived from it (a student's teammates) stays derived.
 * `owner` is what the list belongs to (a seat's members, the roster) as long as it lasts.
 */
const lastLists = new WeakMap<object, Map<string, readonly unknown[]>>();

function stableList<T>(owner: object, form: string, items: T[]): T[] {
  let lists = lastLists.get(owner);
  if (!lists) {
    lists = new Map();
    lastLists.set(owner, lists);
  }
  const last = lists.get(form) as T[] | undefined;
  if (last && last.length === items.length && last.every((item, i) => item === items[i])) return last;
  lists.set(form, items);
  return items;
}

/**
 * Views of a player that depend only on the player object (a new one whenever the player changes)
 * and on whether they locked in: a slider move leaves them as they were, so a roster of a thousand
 * is rebuilt from references.
 */
const memberViews = new WeakMap<Player, MemberView>();
const stageMemberViews = new WeakMap<Player, { hide: boolean; view: StageMemberView }>();

function nicknamesOf(state: GameState, ids: readonly PlayerId[]): string[] {
  return ids.map((id) => findPlayer(state, id)?.nickname ?? '?');
}

function memberView(state: GameState, round: Round, playerId: PlayerId): MemberView {
  const player = findPlayer(state, playerId);
  const lockedIn = allocationOf(round, playerId)?.lockedIn ?? false;
  if (!player) return { playerId, nickname: '?', away: false, lockedIn };
  const known = memberViews.get(player);
  if (known?.lockedIn === lockedIn) return known;
  const view = { playerId, nickname: player.nickname, away: player.away, lockedIn };
  memberViews.set(player, view);
  return view;
}

function stageMemberView(player: Player | undefined, round: Round | null, hide: boolean): StageMemberView {
  const lockedIn = (round && player ? allocationOf(round, player.id)?.lockedIn : false) ?? false;
  if (!player) return { nickname: hide ? null : '?', away: false, lockedIn };
  const known = stageMemberViews.get(player);
  if (known && known.hide === hide && known.view.lockedIn === lockedIn) return known.view;
  const view = { nickname: hide ? null : player.nickname, away: player.away, lockedIn };
  stageMemberViews.set(player, { hide, view });
  return view;
}

/** A seat's members as the teacher and the team see them, the same list while none of them changed. */
function memberViewsOf(state: GameState, round: Round, seat: Seat): MemberView[] {
  return stableList(
    seat.members,
    'members',
    seat.members.map((id) => memberView(state, round, id)),
  );
}

/** A student's teammates: the seat's members but them, one list per members list and student. */
const teammateLists = new WeakMap<readonly MemberView[], Map<PlayerId, MemberView[]>>();

function teammatesOf(members: readonly MemberView[], playerId: PlayerId): MemberView[] {
  let byPlayer = teammateLists.get(members);
  if (!byPlayer) {
    byPlayer = new Map();
    teammateLists.set(members, byPlayer);
  }
  let teammates = byPlayer.get(playerId);
  if (!teammates) {
    teammates = members.filter((m) => m.playerId !== playerId);
    byPlayer.set(playerId, teammates);
  }
  return teammates;
}

/** The key a slider position gives most weight to, alone (-1: none or a tie), per weights array. */
const topPicks = new WeakMap<readonly number[], number>();

function topPickOf(weights: readonly number[], allowed: readonly number[]): number {
  let pick = topPicks.get(weights);
  if (pick === undefined) {
    const chosen = chosenKeys(weights, allowed);
    pick = chosen.length === 1 ? chosen[0] : -1;
    topPicks.set(weights, pick);
  }
  return pick;
}

/** A teacher's roster row, per player object, kept while their seat and allocation are the same. */
const teacherRows = new WeakMap<Player, { seat: number | null; allocation: PlayerAllocation | undefined; row: TeacherPlayerView }>();

function teacherRow(p: Player, round: Round | null): TeacherPlayerView {
  const seat = round && !p.kicked ? seatOf(round, p.id) : undefined;
  const seatIndex = seat?.index ?? null;
  const allocation = seat && round ? allocationOf(round, p.id) : undefined;
  const known = teacherRows.get(p);
  if (known && known.seat === seatIndex && known.allocation === allocation) return known.row;
  const row: TeacherPlayerView = {
    playerId: p.id,
    nickname: p.nickname,
    away: p.away,
    awaySince: p.awaySince,
    replacedByBot: p.replacedByBot,
    kicked: p.kicked,
    seat: seatIndex,
    allocation: allocation ? [...allocation.weights] : null,
    touched: allocation?.touched ?? false,
    movedAt: allocation?.touched ? allocation.updatedAt : null,
    lockedIn: allocation?.lockedIn ?? false,
    lockedInAt: allocation?.lockedIn ? allocation.lockedInAt : null,
    total: p.total,
  };
  teacherRows.set(p, { seat: seatIndex, allocation, row });
  return row;
}

/**
 * `playingMembers`, remembered per members list and players list. Views are built from states the
 * reducer has finished with, whose lists never change again (a later event changes copies), and a
 * move shares both with the state before, so each seat is worked out once, not once per question.
 */
const playingByMembers = new WeakMap<readonly PlayerId[], { players: readonly Player[]; playing: PlayerId[] }>();

function playingOf(state: GameState, seat: Seat): readonly PlayerId[] {
  const known = playingByMembers.get(seat.members);
  if (known && known.players === state.players) return known.playing;
  const playing = playingMembers(state, seat);
  playingByMembers.set(seat.members, { players: state.players, playing });
  return playing;
}

function botPlays(state: GameState, seat: Seat): boolean {
  return playingOf(state, seat).length === 0;
}

/** A seat's shown allocation (`seatAllocation`), with an AI classmate's kept back until the round's results are out. */
function shownSeatAllocation(state: GameState, round: Round, seat: Seat, revealed: boolean): number[] | null {
  if (botPlays(state, seat)) return revealed && seat.botAllocation ? [...seat.botAllocation] : null;
  return meanVector(playingOf(state, seat).map((id) => allocationOf(round, id)?.weights ?? []));
}

/** Whether a seat's students left their sliders alone, and how their top picks spread over the tokens. */
function choiceSpread(state: GameState, round: Round, seat: Seat): { untouched: boolean; topPicks: number[] | null } {
  const playing = playingOf(state, seat);
  if (playing.length === 0) return { untouched: false, topPicks: null };
  const allowed = allowedTokens(seat.token, state.lesson.tokens.length, round.options.causal);
  const picks = new Array<number>(state.lesson.tokens.length).fill(0);
  let untouched = true;
  for (const id of playing) {
    const allocation = allocationOf(round, id);
    if (!allocation?.touched) continue;
    untouched = false;
    const pick = topPickOf(allocation.weights, allowed);
    if (pick >= 0) picks[pick] += 1;
  }
  return { untouched, topPicks: picks };
}

function studentView(state: GameState, playerId: PlayerId): StudentView {
  const player = findPlayer(state, playerId);
  if (!player) throw new Error(`viewFor: no player ${playerId} in session ${state.sessionId}`);
  const round = state.round;
  const results = currentResults(state);
  const seat = round && !player.kicked ? seatOf(round, playerId) : undefined;
  const standing = standingOf(state, playerId);
  const myResult = results ? resultOf(results, playerId) : undefined;
  const base: StudentView = {
    kind: 'student',
    version: state.version,
    sessionId: state.sessionId,
    code: state.code,
    phase: state.phase,
    paused: state.paused,
    lesson: lessonInfo(state),
    settings: settingsView(state),
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
  if (leaderboardVisible(state)) base.leaderboard = phoneLeaderboard(state, playerId);
  return base;
}

function seatFragment(state: GameState, round: Round, seat: Seat): SeatFragment {
  let fragments = seatFragments.get(state);
  if (!fragments) {
    fragments = new Map();
    seatFragments.set(state, fragments);
  }
  const known = fragments.get(seat.index);
  if (known) return known;
  const cards = state.cards[seat.head];
  const tokenCount = state.lesson.tokens.length;
  // The mean of the people playing, never a bot's choice (that is derived from the model's answer).
  const team = playingOf(state, seat);
  const nicknames = (ids: PlayerId[]) => ids.map((id) => findPlayer(state, id)?.nickname ?? '?');
  const fragment: SeatFragment = {
    members: memberViewsOf(state, round, seat),
    teamAllocation: seat.members.length > 1 ? meanVector(team.map((id) => allocationOf(round, id)?.weights ?? [])) : null,
    keys: cards.k.map((key, j) => (keyShownToSeat(state, round, seat, j) ? key : null)),
    cards: { query: cards.q[seat.token], key: cards.k[seat.token], value: cards.v[seat.token] },
    allowedTokens: allowedTokens(seat.token, tokenCount, round.options.causal),
    requestsOut: round.keyRequests
      .filter((r) => r.fromSeat === seat.index)
      .map((r) => ({ id: r.id, token: r.toToken, status: r.status })),
    requestsIn: round.keyRequests
      .filter((r) => r.toSeat === seat.index)
      .map((r) => ({ id: r.id, fromToken: r.fromToken, fromNicknames: nicknames(round.seats[r.fromSeat].members), status: r.status })),
  };
  fragments.set(seat.index, fragment);
  return fragment;
}

/** A student's seat: the parts the whole team shares are the seat fragment's own (views are read-only). */
function studentSeatView(state: GameState, round: Round, seat: Seat, playerId: PlayerId): StudentSeatView {
  const fragment = seatFragment(state, round, seat);
  const allocation = allocationOf(round, playerId);
  if (!allocation) throw new Error(`viewFor: seated player ${playerId} has no allocation`);
  return {
    seat: seat.index,
    token: seat.token,
    head: seat.head,
    allowedTokens: fragment.allowedTokens,
    teammates: teammatesOf(fragment.members, playerId),
    cards: fragment.cards,
    keys: fragment.keys,
    allocation: allocation.weights,
    touched: allocation.touched,
    lockedIn: allocation.lockedIn,
    teamAllocation: fragment.teamAllocation,
    requestsOut: fragment.requestsOut,
    requestsIn: fragment.requestsIn,
  };
}

function stageView(state: GameState): StageView {
  const round = state.round;
  const results = currentResults(state);
  const hide = state.settings.hideNamesOnStage;
  const active = state.players.filter((p) => !p.kicked);
  const form = hide ? 'stage:hidden' : 'stage:shown';
  const seats: StageSeatView[] = round
    ? round.seats.map((seat) => ({
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        members: stableList(
          seat.members,
          form,
          seat.members.map((id) => stageMemberView(findPlayer(state, id), round, hide)),
        ),
        playedByBot: botPlays(state, seat),
        allocation: shownSeatAllocation(state, round, seat, results !== null),
        ...choiceSpread(state, round, seat),
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
    settings: settingsView(state),
    round: roundView(round),
    roster: stableList(
      state.players,
      form,
      active.map((p) => stageMemberView(p, round, hide)),
    ),
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
        members: memberViewsOf(state, round, seat),
        playedByBot: botPlays(state, seat),
        allocation: shownSeatAllocation(state, round, seat, results !== null),
        ...choiceSpread(state, round, seat),
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
    settings: settingsView(state),
    round: roundView(round),
    cards: state.cards.map((c) => ({ name: c.name, q: c.q.map((r) => [...r]), k: c.k.map((r) => [...r]), v: c.v.map((r) => [...r]) })),
    players: stableList(
      state.players,
      'teacher',
      state.players.map((p) => teacherRow(p, round)),
    ),
    seats,
    keyRequests: round
      ? round.keyRequests.map((r) => ({
          id: r.id,
          head: r.head,
          fromToken: r.fromToken,
          toToken: r.toToken,
          status: r.status,
          fromNicknames: nicknamesOf(state, round.seats[r.fromSeat]?.members ?? []),
          toNicknames: round.seats[r.toSeat] && !botPlays(state, round.seats[r.toSeat]) ? nicknamesOf(state, playingOf(state, round.seats[r.toSeat])) : [],
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
