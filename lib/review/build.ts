/** Builds the after-class review from a session's game state. Pure: the state in, plain JSON out. */
import { mean, podiumPlaces, revealVerdict, scoreAllocation, scoreBreakdown, standings, type GameState, type Player, type PlayerResult, type RoundResults } from '../game';
import {
  DEFAULT_REVIEW_SETTINGS,
  type HeadComparison,
  type KeyDifference,
  type ReviewSession,
  type ReviewSettings,
  type ReviewStanding,
  type ReviewSummary,
  type RoundReview,
  type RowComparison,
  type StudentReport,
  type StudentReview,
  type TeacherReview,
} from './types';

/** A difference smaller than this (a tenth of a percentage point) is float noise, not a misconception. */
export const MISCONCEPTION_THRESHOLD = 1e-3;

/**
 * The real name behind a nickname, where the stored player has one. The live game state has no such
 * field; a repository that records real names may add one, and only the teacher's review reads it.
 */
export function realNameOf(player: Player): string | null {
  const value: unknown = (player as Player & { realName?: unknown }).realName;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** The mean of equal-length rows; null for none. */
function meanRow(rows: readonly (readonly number[])[]): number[] | null {
  if (rows.length === 0) return null;
  const out = new Array<number>(rows[0].length).fill(0);
  for (const row of rows) row.forEach((x, j) => (out[j] += x / rows.length));
  return out;
}

/** The most over- and under-weighted keys of `classRow` against `modelRow`. */
export function keyDifferences(
  classRow: readonly number[],
  modelRow: readonly number[],
): { overWeighted: KeyDifference | null; underWeighted: KeyDifference | null } {
  let over: KeyDifference | null = null;
  let under: KeyDifference | null = null;
  modelRow.forEach((model, key) => {
    const difference = (classRow[key] ?? 0) - model;
    if (difference > MISCONCEPTION_THRESHOLD && (over === null || difference > over.difference)) over = { key, difference };
    if (difference < -MISCONCEPTION_THRESHOLD && (under === null || difference < under.difference)) under = { key, difference };
  });
  return { overWeighted: over, underWeighted: under };
}

function compareRow(results: RoundResults, head: number, token: number): RowComparison {
  const modelRow = [...results.truth.heads[head].weights[token]];
  const mine = results.players.filter((p) => p.head === head && p.token === token);
  const classRow = meanRow(mine.map((p) => p.allocation));
  const seat = results.seats.find((s) => s.head === head && s.token === token);
  const playedByBot = seat?.playedByBot ?? false;
  const differences = classRow ? keyDifferences(classRow, modelRow) : { overWeighted: null, underWeighted: null };
  return {
    token,
    students: mine.length,
    classRow,
    modelRow,
    playedByBot,
    botRow: playedByBot && seat ? [...seat.allocation] : null,
    classRowScore: classRow ? scoreAllocation(classRow, modelRow) : null,
    ...differences,
  };
}

/** One revealed round: per head, the class's mean allocation per token row beside the model's. */
export function reviewRound(state: GameState, results: RoundResults): RoundReview {
  const heads: HeadComparison[] = state.lesson.heads.map((head, h) => ({
    head: h,
    name: head.name,
    rows: state.lesson.tokens.map((_, token) => compareRow(results, h, token)),
  }));
  return {
    round: results.round,
    options: { ...results.options },
    revealedAt: results.revealedAt,
    classScore: results.classScore,
    scored: results.players.length,
    heads,
  };
}

function studentRound(state: GameState, round: number, result: PlayerResult): StudentReport['rounds'][number] {
  // Recomputed from the allocation, so a session saved before the breakdown existed reads the same way.
  const breakdown = scoreBreakdown(result.allocation, result.trueRow);
  // A snapshot saved before `touched` existed has none: count it as moved rather than accuse anyone.
  const touched = result.touched !== false;
  return {
    round,
    seat: result.seat,
    token: result.token,
    head: result.head,
    score: result.score,
    bonus: result.bonus,
    allocation: [...result.allocation],
    trueRow: [...result.trueRow],
    cosine: result.cosine,
    overWeighted: result.overWeighted ? { ...result.overWeighted } : null,
    touched,
    foundTopKey: breakdown.foundTopKey,
    topKeyPoints: breakdown.topKeyPoints,
    spreadPoints: breakdown.spreadPoints,
    verdict: revealVerdict({
      tokens: state.lesson.tokens,
      token: result.token,
      headName: state.lesson.heads.length > 1 ? state.lesson.heads[result.head].name : null,
      allocation: result.allocation,
      trueRow: result.trueRow,
      touched,
    }),
    // Both record the same fact: `touched` from the scoring rule, `moved` beside the lock times.
    moved: result.moved ?? touched,
    lockedIn: result.lockedIn ?? null,
    lockedInAt: result.lockedInAt ?? null,
    lockedAfterMs: result.lockedAfterMs ?? null,
  };
}

function sessionFacts(state: GameState): ReviewSession {
  const last = state.history.at(-1);
  return {
    sessionId: state.sessionId,
    code: state.code,
    lesson: {
      id: state.lesson.id,
      title: state.lesson.title,
      sentence: state.lesson.sentence,
      tokens: [...state.lesson.tokens],
      heads: state.lesson.heads.map((h) => h.name),
    },
    phase: state.phase,
    ended: state.phase === 'ended',
    createdAt: state.createdAt,
    lastRevealedAt: last ? last.revealedAt : null,
  };
}

/** The final leaderboard (standings of the game core). */
export function reviewLeaderboard(state: GameState): ReviewStanding[] {
  return standings(state).map((s) => ({
    rank: s.rank,
    playerId: s.playerId,
    nickname: s.nickname,
    total: s.total,
    rounds: s.rounds,
    untouchedRounds: s.untouchedRounds,
  }));
}

/**
 * The teacher's review of a session, ended or not. Only revealed rounds are in it, so nothing of a
 * round still being played (the model's answer above all) can show.
 */
export function buildReview(state: GameState, settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS): TeacherReview {
  const leaderboard = reviewLeaderboard(state);
  const rankOf = new Map(leaderboard.map((s) => [s.playerId, s.rank]));
  const students: StudentReport[] = state.players.map((player) => {
    const realName = realNameOf(player);
    return {
      playerId: player.id,
      nickname: player.nickname,
      ...(realName !== null ? { realName } : {}),
      kicked: player.kicked,
      total: player.total,
      rank: rankOf.get(player.id) ?? null,
      rounds: state.history.flatMap((results) =>
        results.players.filter((p) => p.playerId === player.id).map((p) => studentRound(state, results.round, p)),
      ),
    };
  });
  return {
    kind: 'teacher',
    ...sessionFacts(state),
    settings: { ...settings },
    leaderboard,
    // Every student on a podium place, ties included: not simply the first three lines.
    podium: podiumPlaces(leaderboard).flatMap((place) => place.entries),
    rounds: state.history.map((results) => reviewRound(state, results)),
    students,
    hasRealNames: students.some((s) => s.realName !== undefined),
  };
}

/**
 * What one student may read: their own report (no real name), each round's class score, and the
 * leaderboard with nicknames only, unless the teacher hid it. Null when the student is unknown.
 */
export function studentReview(review: TeacherReview, playerId: string): StudentReview | null {
  const me = review.students.find((s) => s.playerId === playerId);
  if (!me) return null;
  const hidden = review.settings.leaderboardHidden;
  const leaderboard = hidden
    ? null
    : review.leaderboard.map((s) => ({ rank: s.rank, nickname: s.nickname, total: s.total, rounds: s.rounds, isMe: s.playerId === playerId }));
  // Picked field by field: a new teacher-only field must never reach a student by default.
  const { realName: _realName, ...ownReport } = me;
  return {
    kind: 'student',
    sessionId: review.sessionId,
    code: review.code,
    lesson: review.lesson,
    phase: review.phase,
    ended: review.ended,
    createdAt: review.createdAt,
    lastRevealedAt: review.lastRevealedAt,
    leaderboardHidden: hidden,
    leaderboard,
    podium: leaderboard ? podiumPlaces(leaderboard).flatMap((place) => place.entries) : null,
    rounds: review.rounds.map((r) => ({ round: r.round, options: { ...r.options }, classScore: r.classScore })),
    me: { ...ownReport, rank: hidden ? null : ownReport.rank, rounds: ownReport.rounds.map((r) => ({ ...r })) },
  };
}

/** One line of a teacher's session history. */
export function summarizeReview(state: GameState): ReviewSummary {
  const facts = sessionFacts(state);
  const top = standings(state)[0];
  return {
    sessionId: facts.sessionId,
    code: facts.code,
    lessonId: facts.lesson.id,
    lessonTitle: facts.lesson.title,
    phase: facts.phase,
    ended: facts.ended,
    createdAt: facts.createdAt,
    lastRevealedAt: facts.lastRevealedAt,
    students: state.players.filter((p) => !p.kicked).length,
    rounds: state.history.length,
    meanClassScore: mean(state.history.flatMap((r) => (r.classScore === null ? [] : [r.classScore]))),
    winner: top && state.history.length > 0 ? { nickname: top.nickname, total: top.total } : null,
  };
}
