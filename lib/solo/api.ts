/**
 * The solo HTTP API's messages, shared by the server (`server/http/solo.ts`) and the pages: request
 * schemas (strict: an unknown field is refused) and the shapes of the answers.
 *
 *   GET  /api/solo/progress/:learnerId          → SoloProgressView
 *   POST /api/solo/nickname        { nickname } → { nickname } (normalized) | 400 solo/nickname-rejected
 *   POST /api/solo/levels/:lessonId/start       { learnerId, mode, token?, head? } → 201 SoloRunView
 *   GET  /api/solo/runs/:runId                  → SoloRunView
 *   POST /api/solo/runs/:runId/allocate         { round, weights } → SoloRunView
 *   POST /api/solo/runs/:runId/lock             { round, weights? } → SoloRunView (revealed)
 *   POST /api/solo/runs/:runId/help             { round, kind, token? } → SoloRunView
 *   POST /api/solo/runs/:runId/next-token       { token?, head?, settings? } → SoloRunView
 *   POST /api/solo/runs/:runId/finish           { nickname? } → SoloRunView (finished, saved)
 *   GET  /api/solo/leaderboard/:lessonId        → SoloLeaderboardView
 *
 * Errors: `{ error: { code, message } }` with 400 (invalid request), 403 (level locked), 404 (unknown
 * run or lesson) or 409 (not now: wrong phase, stale round, already taken).
 */
import { z } from 'zod';
import type { AttentionOptions } from '../attention/reference';
import type { LessonInfo, StudentView } from '../protocol';
import type { BlendExplanation, DotProductExplanation, NoteStory, SoftmaxExplanation } from './explain';
import type { HelpOffer } from './help';
import type { LevelStatus, SeatChoice, Stars } from './levels';
import type { SoloMode, SoloRoundRecord } from './run';

/** A learner id: the random id a browser keeps in localStorage (`arena:learner`). */
export const learnerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -');

const index = z.number().int().min(0).max(64);
const weights = z.array(z.number().finite()).min(1).max(64);

export const startRequestSchema = z.strictObject({
  learnerId: learnerIdSchema,
  mode: z.enum(['token', 'sentence']).default('token'),
  token: index.optional(),
  head: index.optional(),
});
export type StartRequest = z.input<typeof startRequestSchema>;

export const allocateRequestSchema = z.strictObject({ round: z.number().int().min(1), weights });
export type AllocateRequest = z.infer<typeof allocateRequestSchema>;

export const lockRequestSchema = z.strictObject({ round: z.number().int().min(1), weights: weights.optional() });
export type LockRequest = z.infer<typeof lockRequestSchema>;

export const helpRequestSchema = z.strictObject({
  round: z.number().int().min(1),
  kind: z.enum(['dot-products', 'softmax', 'blend']),
  token: index.optional(),
});
export type HelpRequestBody = z.infer<typeof helpRequestSchema>;

/** The attention knobs a learner may turn for the next round (only where the lesson lets them move). */
export const knobsSchema = z.strictObject({
  scale: z.boolean().optional(),
  temperature: z.number().min(0.25).max(5).optional(),
  causal: z.boolean().optional(),
});

export const nextTokenRequestSchema = z.strictObject({ token: index.optional(), head: index.optional(), settings: knobsSchema.optional() });
export type NextTokenRequest = z.infer<typeof nextTokenRequestSchema>;

export const finishRequestSchema = z.strictObject({ nickname: z.string().max(100).optional() });
export type FinishRequest = z.infer<typeof finishRequestSchema>;

export const nicknameRequestSchema = z.strictObject({ nickname: z.string().max(100) });

/** Every error body. */
export interface SoloApiError {
  error: { code: string; message: string };
}

/** GET /api/solo/progress/:learnerId */
export interface SoloProgressView {
  learnerId: string;
  thresholds: readonly number[];
  levels: LevelStatus[];
}

/** The level a run plays, with what the learner needs to read before and while playing. */
export interface SoloLevelView {
  lessonId: string;
  number: number;
  count: number;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: LessonInfo['heads'];
  keySeats: SeatChoice[];
  thresholds: readonly number[];
  steps: { intro: string; cards: string; negotiate: string; lock: string };
  /** The lesson's own attention settings: star words count only when played with these. */
  options: AttentionOptions;
  /** Which settings the learner may turn between rounds (practice rounds). */
  adjustable: { scale: boolean; temperature: boolean; causal: boolean };
  /** For the recurrent lesson: what a single carried note keeps of each word. */
  note: NoteStory | null;
}

/** The help of the current round: what is on offer (priced) and what was taken. */
export interface SoloHelpView {
  spent: number;
  offers: HelpOffer[];
  dotProducts: DotProductExplanation[];
  softmax: SoftmaxExplanation | null;
  /** Once the blend is taken: every token's value card for the learner's head, so the page can blend as the sliders move. */
  values: number[][] | null;
  /** The blend of the learner's weights as last saved (the page recomputes it live). */
  blend: BlendExplanation | null;
}

/** The current round, after its reveal. */
export interface SoloRevealView {
  round: number;
  token: number;
  head: number;
  key: boolean;
  /** Played with the knobs turned: practice, whatever the word. */
  settingsChanged: boolean;
  options: AttentionOptions;
  score: number;
  helpSpent: number;
  net: number;
  /** The classroom's one sentence on what earned the points (lib/game/verdict.ts). */
  verdict: string;
  /** Generated from the learner's own numbers. */
  sentences: string[];
  /** The lesson's words for the reveal, and its goals. */
  lessonSays: string;
  goals: string[];
  /** How the AI classmates did on their rows this round. */
  classmates: { count: number; meanScore: number } | null;
  /** Free once the row is revealed: how the model got its numbers. */
  workings: SoloWorkings | null;
}

/** After the reveal the workings are free: every dot product, the softmax and both blends. */
export interface SoloWorkings {
  dotProducts: DotProductExplanation[];
  softmax: SoftmaxExplanation;
  /** The learner's weights times the values, and the model's. */
  blend: BlendExplanation;
  trueBlend: BlendExplanation;
}

/** A row the learner may play next. */
export interface SeatChoiceView extends SeatChoice {
  key: boolean;
  /** Best points on this row in this run; null when not played. */
  best: number | null;
}

export interface SoloFinishView {
  score: number;
  stars: Stars;
  sentenceScore: number | null;
  /** The best score before this run; null on the first finish. */
  previousBest: number | null;
  improved: boolean;
  nickname: string | null;
  /** The level after this one and whether this run opened it. */
  nextLevel: { lessonId: string; title: string; unlocked: boolean } | null;
  wrapUp: string;
  /** The model's whole attention, every head: shown once the level is over. */
  model: { name: string; weights: number[][] }[];
}

/** Every answer about a run. */
export interface SoloRunView {
  runId: string;
  mode: SoloMode;
  level: SoloLevelView;
  /** The game core's own student view (`viewFor`): no model attention in it before the reveal. */
  student: StudentView;
  /** waiting: the model is still computing; play: choosing; revealed: this round's result is in; finished: the level is over. */
  stage: 'waiting' | 'play' | 'revealed' | 'finished';
  seat: (SeatChoice & { key: boolean }) | null;
  help: SoloHelpView | null;
  reveal: SoloRevealView | null;
  rounds: SoloRoundRecord[];
  choices: SeatChoiceView[];
  progress: {
    /** The level score so far (null until every key row is played). */
    levelScore: number | null;
    stars: Stars;
    keySeatsLeft: SeatChoice[];
    rowsLeft: number;
    canFinish: boolean;
    /** Why the level cannot be finished yet; null when it can. */
    finishHint: string | null;
  };
  finished: SoloFinishView | null;
}

/** GET /api/solo/leaderboard/:lessonId */
export interface SoloLeaderboardView {
  lessonId: string;
  title: string;
  entries: { rank: number; nickname: string; score: number; stars: Stars }[];
}
