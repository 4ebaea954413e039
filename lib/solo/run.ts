/**
 * A solo run: one learner playing a level against the model, with AI classmates in every other seat.
 * It is a class session of the game core with one student in it, driven here the way a teacher would
 * drive it (start the round, open negotiation, put every key on the table, reveal, next round), so solo
 * scores exactly as a class does. Pure: the engine's answer comes in as data (`applyAttention`), time
 * and chance in `ctx`.
 *
 * The server's loop for each step:
 *   1. call the step; `{ ok: false }` goes back to the learner, the run unchanged;
 *   2. keep the returned run; when `compute` is set, run the engine on `run.game.cards` and the lesson's
 *      W_O with `compute.options`, then call `applyAttention` with its weights and outputs.
 */
import type { AttentionOptions, Matrix } from '../attention/reference';
import {
  allocationOf,
  createSession,
  reduce,
  uniformAllocation,
  withAllocation,
  type Actor,
  type GameContext,
  type GameEventBody,
  type GameState,
  type PlayerId,
} from '../game';
import { allowedTokens } from '../game/seating';
import type { Lesson } from '../lessons/schema';
import type { ErrorCode } from '../protocol';
import { NO_HELP, netScore, takeHelp, type HelpRequest, type HelpTaken } from './help';
import { keySeats, levelScore, sameSeat, sentenceRows, starsFor, type SeatChoice, type Stars } from './levels';

/** The learner's player id inside their run's session. */
export const LEARNER: PlayerId = 'learner';

/** How a level is played: one row at a time of the learner's choosing, or every row of the sentence in order. */
export const SOLO_MODES = ['token', 'sentence'] as const;
export type SoloMode = (typeof SOLO_MODES)[number];

/** The codes solo adds to the game core's. */
export const SoloErrorCode = {
  runNotFound: 'solo/run-not-found',
  levelLocked: 'solo/level-locked',
  runFinished: 'solo/run-finished',
  notDone: 'solo/not-done',
  wrongMode: 'solo/wrong-mode',
  helpTaken: 'solo/help-taken',
  helpInvalid: 'solo/help-invalid',
  nicknameRejected: 'solo/nickname-rejected',
  learnerInvalid: 'solo/learner-invalid',
  engineFailed: 'solo/engine-failed',
} as const;
export type SoloErrorCode = ErrorCode | (typeof SoloErrorCode)[keyof typeof SoloErrorCode];

export interface SoloError {
  code: SoloErrorCode;
  message: string;
}

/** One revealed row of a run. */
export interface SoloRoundRecord {
  round: number;
  token: number;
  head: number;
  /** One of the rows the level's stars come from, played with the lesson's own settings. */
  key: boolean;
  /** The round's attention settings differed from the lesson's (a practice round with the knobs turned). */
  settingsChanged: boolean;
  options: AttentionOptions;
  score: number;
  helpSpent: number;
  /** score − help, at least 0. */
  net: number;
  allocation: number[];
  trueRow: number[];
}

/** A finished run's result. */
export interface SoloFinished {
  /** The level score: the key rows' best points, averaged. */
  score: number;
  stars: Stars;
  /** In whole-sentence mode, the mean points over every row. */
  sentenceScore: number | null;
  at: number;
}

/** What the server adds when it saves a finished run: the best before it, the name it was saved under, the next level. */
export interface SoloOutcome {
  previousBest: number | null;
  nickname: string | null;
  nextLevel: { lessonId: string; title: string; unlocked: boolean } | null;
}

export interface SoloRun {
  id: string;
  learnerId: string;
  mode: SoloMode;
  createdAt: number;
  updatedAt: number;
  /** The class session the run plays in; it holds the model's answer before the reveal, so it never leaves the server. */
  game: GameState;
  keySeats: SeatChoice[];
  /** Help taken in the current round. */
  help: HelpTaken;
  rounds: SoloRoundRecord[];
  finished: SoloFinished | null;
  /** Set once the finished run is saved. */
  outcome: SoloOutcome | null;
}

/** The engine run the server owes a step. */
export interface ComputeRequest {
  round: number;
  options: AttentionOptions;
}

export type SoloStep = { ok: true; run: SoloRun; compute: ComputeRequest | null } | { ok: false; error: SoloError };

/** The engine's answer for a round: per head, the weights and the outputs. */
export interface EngineAnswer {
  heads: { weights: Matrix; outputs: Matrix }[];
}

class SoloRefusal extends Error {
  constructor(readonly error: SoloError) {
    super(error.message);
  }
}

function refuse(code: SoloErrorCode, message: string): never {
  throw new SoloRefusal({ code, message });
}

const TEACHER: Actor = { role: 'teacher' };
const SYSTEM: Actor = { role: 'system' };
const STUDENT: Actor = { role: 'student', playerId: LEARNER };

/** One game event, refused the game core's way; the engine request it asks for, if any. */
function dispatch(game: GameState, body: GameEventBody, by: Actor, ctx: GameContext): { game: GameState; compute: ComputeRequest | null } {
  const result = reduce(game, { ...body, by } as Parameters<typeof reduce>[1], ctx);
  if (!result.ok) refuse(result.error.code, result.error.message);
  const effect = result.effects.find((e) => e.type === 'compute-attention');
  return { game: result.state, compute: effect && effect.type === 'compute-attention' ? { round: effect.round, options: effect.options } : null };
}

/** Runs a step on a copy; a refusal leaves the run as it was. */
function step(run: SoloRun, ctx: GameContext, body: (draft: SoloRun) => ComputeRequest | null): SoloStep {
  const draft: SoloRun = { ...run, help: { ...run.help, dotProducts: [...run.help.dotProducts] }, rounds: [...run.rounds] };
  try {
    const compute = body(draft);
    draft.updatedAt = ctx.now;
    return { ok: true, run: draft, compute };
  } catch (error) {
    if (error instanceof SoloRefusal) return { ok: false, error: error.error };
    throw error;
  }
}

function checkSeat(lesson: Lesson, seat: SeatChoice): void {
  const ok = Number.isInteger(seat.token) && Number.isInteger(seat.head) && seat.token >= 0 && seat.head >= 0;
  if (!ok || seat.token >= lesson.tokens.length || seat.head >= lesson.heads.length) {
    refuse('request/invalid', `There is no token ${seat.token} in head ${seat.head} of this sentence.`);
  }
}

/**
 * Moves the learner to the seat they chose. The game core seats students at random; solo lets the
 * learner pick, so right after the round starts (before the model answers, so no AI classmate has
 * chosen yet) the learner changes places with the AI classmate of that seat and starts from an even split.
 */
export function placeLearner(game: GameState, seat: SeatChoice): GameState {
  if (!game.round || game.phase !== 'cards') throw new Error('placeLearner: only at the start of a round');
  const round = structuredClone(game.round);
  for (const s of round.seats) s.members = s.members.filter((m) => m !== LEARNER);
  const target = round.seats.find((s) => sameSeat(s, seat));
  if (!target) throw new Error(`placeLearner: no seat for token ${seat.token}, head ${seat.head}`);
  target.members.push(LEARNER);
  target.botAllocation = null;
  round.allocations = withAllocation(round.allocations, LEARNER, {
    weights: uniformAllocation(seat.token, game.lesson.tokens.length, round.options.causal),
    touched: false,
    updatedAt: null,
    lockedIn: false,
    lockedInAt: null,
    committedAfterMs: null,
  });
  return { ...game, round, version: game.version + 1 };
}

/** The seat the learner plays this round. */
export function learnerSeat(game: GameState): SeatChoice | null {
  const seat = game.round?.seats.find((s) => s.members.includes(LEARNER));
  return seat ? { token: seat.token, head: seat.head } : null;
}

/** The rows of a whole-sentence run not played yet, in order. */
export function rowsLeft(run: Pick<SoloRun, 'game' | 'rounds'>): SeatChoice[] {
  return sentenceRows(run.game.lesson).filter((row) => !run.rounds.some((r) => sameSeat(r, row)));
}

function startRound(draft: SoloRun, seat: SeatChoice, ctx: GameContext, first: boolean): ComputeRequest | null {
  const started = dispatch(draft.game, first ? { type: 'teacher:start-round' } : { type: 'teacher:next-round' }, TEACHER, ctx);
  draft.game = placeLearner(started.game, seat);
  draft.help = NO_HELP;
  return started.compute;
}

/** The attention settings a lesson plays with when nobody turns a knob. */
export function lessonOptions(lesson: Pick<Lesson, 'flags'>): AttentionOptions {
  return { scale: lesson.flags.scale, temperature: lesson.flags.temperature, causal: lesson.flags.causal };
}

function sameOptions(a: AttentionOptions, b: AttentionOptions): boolean {
  return a.scale === b.scale && a.temperature === b.temperature && a.causal === b.causal;
}

/** The rounds the level's stars come from: star rows played with the lesson's own settings. */
export function starRounds(run: Pick<SoloRun, 'rounds'>): SoloRoundRecord[] {
  return run.rounds.filter((r) => r.key);
}

/** Records the current round once it is revealed (from the game core's own results). */
function recordIfRevealed(draft: SoloRun): void {
  const { game } = draft;
  if (game.phase !== 'reveal' || !game.round) return;
  const number = game.round.number;
  if (draft.rounds.some((r) => r.round === number)) return;
  const results = game.history.find((h) => h.round === number);
  const mine = results?.players.find((p) => p.playerId === LEARNER);
  if (!mine) return;
  const changed = !sameOptions(game.round.options, lessonOptions(game.lesson));
  draft.rounds.push({
    round: number,
    token: mine.token,
    head: mine.head,
    key: !changed && draft.keySeats.some((k) => sameSeat(k, mine)),
    settingsChanged: changed,
    options: { ...game.round.options },
    score: mine.score,
    helpSpent: draft.help.spent,
    net: netScore(mine.score, draft.help.spent),
    allocation: [...mine.allocation],
    trueRow: [...mine.trueRow],
  });
}

export interface StartRunInput {
  id: string;
  learnerId: string;
  lesson: Lesson;
  mode: SoloMode;
  /** Token mode: the row to play first (the lesson's first key row when absent). */
  seat?: SeatChoice;
}

/** A new run, its first round started and waiting for the model's answer. */
export function startRun(input: StartRunInput, ctx: GameContext): SoloStep {
  try {
    const created = createSession(
      { sessionId: input.id, lesson: input.lesson, code: 'SOLO', settings: { timerSeconds: null, speedBonus: false } },
      ctx,
    );
    if (!created.ok) refuse(created.error.code, created.error.message);
    const keys = keySeats(input.lesson);
    if (input.mode === 'sentence' && input.seat) refuse(SoloErrorCode.wrongMode, 'The whole sentence is played row by row, in order.');
    const seat = input.mode === 'sentence' ? sentenceRows(input.lesson)[0] : (input.seat ?? keys[0]);
    checkSeat(input.lesson, seat);
    const joined = dispatch(created.state, { type: 'seat:join', nickname: 'You' }, STUDENT, ctx);
    const run: SoloRun = {
      id: input.id,
      learnerId: input.learnerId,
      mode: input.mode,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      game: joined.game,
      keySeats: keys,
      help: NO_HELP,
      rounds: [],
      finished: null,
      outcome: null,
    };
    const compute = startRound(run, seat, ctx, true);
    return { ok: true, run, compute };
  } catch (error) {
    if (error instanceof SoloRefusal) return { ok: false, error: error.error };
    throw error;
  }
}

/**
 * The model's answer for `round`: the AI classmates can play, negotiation opens and every key goes on
 * the table (in class the learner would ask each classmate for theirs; AI classmates always say yes).
 * A reveal that was waiting for the answer happens now.
 */
export function applyAttention(run: SoloRun, round: number, attention: EngineAnswer, ctx: GameContext): SoloStep {
  return step(run, ctx, (draft) => {
    draft.game = dispatch(draft.game, { type: 'attention:computed', round, attention }, SYSTEM, ctx).game;
    if (draft.game.phase === 'cards') {
      draft.game = dispatch(draft.game, { type: 'teacher:open-negotiation' }, TEACHER, ctx).game;
      if (!draft.game.round?.keysRevealed) draft.game = dispatch(draft.game, { type: 'teacher:reveal-keys' }, TEACHER, ctx).game;
    }
    recordIfRevealed(draft);
    return null;
  });
}

function requireUnfinished(run: SoloRun): void {
  if (run.finished) refuse(SoloErrorCode.runFinished, 'This level is finished; start it again to play more.');
}

/** The learner moves their sliders. */
export function allocate(run: SoloRun, round: number, weights: number[], ctx: GameContext): SoloStep {
  return step(run, ctx, (draft) => {
    requireUnfinished(draft);
    draft.game = dispatch(draft.game, { type: 'attention:allocate', round, weights }, STUDENT, ctx).game;
    return null;
  });
}

/**
 * The learner locks in (with their final weights, when given) and the round is revealed at once: with
 * no one else to wait for, the lock and the reveal are one move. When the model has not answered yet
 * the reveal waits for `applyAttention`.
 */
export function lockIn(run: SoloRun, round: number, weights: number[] | undefined, ctx: GameContext): SoloStep {
  return step(run, ctx, (draft) => {
    requireUnfinished(draft);
    if (weights) draft.game = dispatch(draft.game, { type: 'attention:allocate', round, weights }, STUDENT, ctx).game;
    draft.game = dispatch(draft.game, { type: 'attention:lock', round }, STUDENT, ctx).game;
    const revealed = dispatch(draft.game, { type: 'teacher:reveal' }, TEACHER, ctx);
    draft.game = revealed.game;
    recordIfRevealed(draft);
    return revealed.compute;
  });
}

/** Takes a piece of help for the current round, at the price `helpOffers` showed. */
export function askForHelp(run: SoloRun, round: number, request: HelpRequest, ctx: GameContext): SoloStep {
  return step(run, ctx, (draft) => {
    requireUnfinished(draft);
    const { game } = draft;
    const current = game.round;
    if (!current || current.number !== round) refuse('round/stale', `That was for round ${round}; this is round ${current?.number ?? 0}.`);
    if (game.phase !== 'negotiate') refuse('round/wrong-phase', 'Help is for while you are still choosing.');
    if (allocationOf(current, LEARNER)?.lockedIn) refuse('attention/already-locked', 'You locked in this round.');
    const seat = learnerSeat(game);
    if (!seat) refuse('seat/not-seated', 'You are not seated this round.');
    const allowed = allowedTokens(seat.token, game.lesson.tokens.length, current.options.causal);
    const taken = takeHelp(draft.help, request, allowed);
    if ('code' in taken) refuse(taken.code, taken.message);
    draft.help = taken.taken;
    return null;
  });
}

/** The attention settings a learner may turn between rounds, where the lesson lets them move. */
export type SoloKnobs = Partial<AttentionOptions>;

/**
 * The next round: in token mode on the row the learner chose, in whole-sentence mode on the next row
 * of the sentence. `knobs` changes the attention settings from this round on, where the lesson allows
 * it (the game core refuses the rest); a round with settings other than the lesson's is practice.
 */
export function nextRound(run: SoloRun, seat: SeatChoice | undefined, ctx: GameContext, knobs?: SoloKnobs): SoloStep {
  return step(run, ctx, (draft) => {
    requireUnfinished(draft);
    if (draft.game.phase !== 'reveal') refuse('round/wrong-phase', 'Finish this round first.');
    if (knobs && Object.keys(knobs).length > 0) {
      if (draft.mode === 'sentence') refuse(SoloErrorCode.wrongMode, 'The whole sentence is played with the lesson’s own settings.');
      draft.game = dispatch(draft.game, { type: 'teacher:settings', settings: { ...knobs } }, TEACHER, ctx).game;
    }
    let next: SeatChoice;
    if (draft.mode === 'sentence') {
      const left = rowsLeft(draft);
      if (left.length === 0) refuse(SoloErrorCode.wrongMode, 'Every row of the sentence is played: finish the level.');
      if (seat && !sameSeat(seat, left[0])) refuse(SoloErrorCode.wrongMode, 'The whole sentence is played row by row, in order.');
      next = left[0];
    } else {
      if (!seat) refuse('request/invalid', 'Choose the token to play next.');
      checkSeat(draft.game.lesson, seat);
      next = seat;
    }
    return startRound(draft, next, ctx, false);
  });
}

/** Why the run cannot be finished yet, or null when it can. */
export function finishProblem(run: Pick<SoloRun, 'game' | 'rounds' | 'keySeats' | 'mode' | 'finished'>): string | null {
  if (run.finished) return 'This level is already finished.';
  if (run.game.phase !== 'reveal') return 'Finish this round first.';
  if (run.mode === 'sentence') {
    const left = rowsLeft(run).length;
    if (left > 0) return `${left} more row${left === 1 ? '' : 's'} of the sentence to play.`;
  }
  const missing = run.keySeats.filter((k) => !starRounds(run).some((r) => sameSeat(r, k)));
  if (missing.length > 0) {
    const { tokens, heads } = run.game.lesson;
    const names = missing.map((k) => `“${tokens[k.token]}”${heads.length > 1 ? ` (${heads[k.head].name})` : ''}`);
    const knobs = run.rounds.some((r) => r.settingsChanged && missing.some((k) => sameSeat(r, k))) ? ' with the lesson’s own settings' : '';
    return `Play ${names.join(' and ')}${knobs} to finish: the level’s stars come from ${missing.length === 1 ? 'that row' : 'those rows'}.`;
  }
  return null;
}

/** Ends the run with its level score and stars. */
export function finishRun(run: SoloRun, ctx: GameContext): SoloStep {
  return step(run, ctx, (draft) => {
    const problem = finishProblem(draft);
    if (problem) refuse(draft.finished ? SoloErrorCode.runFinished : SoloErrorCode.notDone, problem);
    const score = levelScore(draft.keySeats, starRounds(draft));
    if (score === null) refuse(SoloErrorCode.notDone, 'The level’s key rows are not all played.');
    const sentenceScore =
      draft.mode === 'sentence' && draft.rounds.length > 0 ? Math.round(draft.rounds.reduce((a, r) => a + r.net, 0) / draft.rounds.length) : null;
    draft.finished = { score, stars: starsFor(score), sentenceScore, at: ctx.now };
    return null;
  });
}
