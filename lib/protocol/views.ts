/**
 * What each recipient is sent in `state:update`: the wire shapes of the per-recipient views. The game
 * core builds them (`lib/game/views.ts`); they live here because both ends read them. Every view is
 * plain JSON and carries the state's `version`, so a client can drop an update older than one it has.
 *
 * Before the reveal no student or stage view holds the model's attention, a score of the current
 * round, an AI classmate's allocation (it is derived from the model's answer) or a key card the
 * recipient has not been shown.
 */
import type { Settings } from './schemas';

export const PHASES = ['lobby', 'cards', 'negotiate', 'locked', 'reveal', 'podium', 'ended'] as const;
/** Where a session is: lobby → cards → negotiate → locked → reveal → (cards …) or podium → ended. */
export type Phase = (typeof PHASES)[number];

/** The lesson as the class sees it: words and names, never the weight matrices (they give the answer away). */
export interface LessonInfo {
  id: string;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: { name: string; looksFor: string; keyFeatures: string[]; valueFeatures: string[] }[];
  steps: { intro: string; cards: string; negotiate: string; lock: string; reveal: string; wrapUp: string };
  /** Which attention settings the teacher may change in this lesson. */
  adjustable: { causal: boolean; scale: boolean; temperature: boolean };
  /** The token (and head) the lesson's goals are about: the projector narrates it and the reveal works its numbers. */
  star: { token: number; head: number };
  /** The lesson also plays the sentence as a recurrent network (a note handed on word by word). */
  recurrent: boolean;
}

/** The negotiation clock. Clients count down to `deadline` (server time); paused, the rest is frozen. */
export interface TimerView {
  durationMs: number | null;
  deadline: number | null;
  pausedRemainingMs: number | null;
}

/** The current (or last) round, as everyone may know it. */
export interface RoundView {
  number: number;
  /** The attention settings frozen for this round when it started. */
  causal: boolean;
  scale: boolean;
  temperature: number;
  keysRevealed: boolean;
  /** The teacher asked for the reveal; it shows as soon as the model's answer arrives. */
  revealPending: boolean;
  timer: TimerView;
}

/** Which token a student gave more than the model did, and by how much (a weight difference). */
export interface OverWeight {
  token: number;
  by: number;
}

/** One student's result for a round. */
export interface PlayerResultView {
  round: number;
  token: number;
  head: number;
  allocation: number[];
  trueRow: number[];
  /** 0–1000: topKeyPoints + spreadPoints (see `scoreBreakdown` in lib/game/scoring.ts). */
  score: number;
  /** 500 when the student's largest weight went only to the model's top key(s), else 0. */
  topKeyPoints: number;
  /** round(500 × (1 − ½ Σ|p − q|)): how much of their 100 % landed where the model's did. */
  spreadPoints: number;
  foundTopKey: boolean;
  /** The model's top key(s) in this row; empty for an even row. */
  topKeys: number[];
  evenRow: boolean;
  /** The student never moved a slider: the even split they were dealt. */
  touched: boolean;
  /** One sentence on what earned the points, about the student's own token. */
  verdict: string;
  /** Speed bonus points, 0 unless the setting is on. */
  bonus: number;
  /** The student's weights times the head's values. */
  output: number[];
  /** The model's output for this token and head. */
  trueOutput: number[];
  /** Cosine similarity of output and trueOutput. */
  cosine: number;
  overWeighted: OverWeight | null;
  /** Every token's value card for this head: what the outputs are blends of. */
  values: number[][];
}

/** One seat's result: the team's mean, or the AI classmate's allocation, against the model's row. */
export interface SeatResultView {
  seat: number;
  token: number;
  head: number;
  playedByBot: boolean;
  /** Students played the seat and none of them moved a slider. */
  untouched: boolean;
  allocation: number[];
  trueRow: number[];
  score: number;
}

/**
 * The projector's reveal, in order: a countdown, the class's arcs turning into the model's, the star's
 * own numbers (q·k, ÷ √d_k, softmax, the blend of values), every row, the podium. The teacher moves the
 * class through them from the dashboard or the projector.
 */
export const REVEAL_STEP_NAMES = ['countdown', 'arcs', 'dot', 'scale', 'softmax', 'blend', 'rows', 'podium'] as const;
export type RevealStepName = (typeof REVEAL_STEP_NAMES)[number];

/** The model's attention for the round and how the seats did. */
export interface RevealView {
  round: number;
  heads: { name: string; weights: number[][]; outputs: number[][] }[];
  seats: SeatResultView[];
  /** Mean score of the students (AI classmates left out); null when no student was scored. */
  classScore: number | null;
  /** The star token's numbers, step by step, for the staged reveal. */
  steps: RevealStepsView;
  /** The reveal step the teacher last chose (an index into REVEAL_STEP_NAMES); the projector follows it. */
  step: number;
}

/** The star token's attention worked step by step (see lib/game/reveal-steps.ts). */
export interface RevealStepsView {
  token: number;
  head: number;
  query: number[];
  keyWidth: number;
  scale: boolean;
  temperature: number;
  divisor: number;
  keys: { key: number; masked: boolean; keyCard: number[]; dot: number; scaled: number | null; weight: number }[];
  values: number[][];
  output: number[];
  dotProducts: number;
}

export interface LeaderboardEntry {
  rank: number;
  /** Absent on the stage. */
  playerId?: string;
  /** null on the stage when names are hidden. */
  nickname: string | null;
  total: number;
  rounds: number;
  /** Revealed rounds in which this student never moved a slider. */
  untouchedRounds: number;
}

export interface MemberView {
  playerId: string;
  nickname: string;
  away: boolean;
  lockedIn: boolean;
}

export interface KeyRequestOut {
  id: string;
  token: number;
  status: 'pending' | 'shared';
}

export interface KeyRequestIn {
  id: string;
  fromToken: number;
  fromNicknames: string[];
  status: 'pending' | 'shared';
}

/** A student's own seat for this round. */
export interface StudentSeatView {
  seat: number;
  token: number;
  head: number;
  /** Tokens this seat may give weight to (in a causal round, itself and earlier ones). */
  allowedTokens: number[];
  /** The others sharing this seat. */
  teammates: MemberView[];
  cards: { query: number[]; key: number[]; value: number[] };
  /** This head's key card of every token, null where the student has not been shown it. */
  keys: (number[] | null)[];
  allocation: number[];
  touched: boolean;
  lockedIn: boolean;
  /** The team's mean allocation (what the stage shows), when the seat is shared. */
  teamAllocation: number[] | null;
  requestsOut: KeyRequestOut[];
  requestsIn: KeyRequestIn[];
}

export interface StudentView {
  kind: 'student';
  version: number;
  /** The session's id: the phone opens its own report from it after class (`/review/<id>`). */
  sessionId: string;
  code: string;
  phase: Phase;
  paused: boolean;
  lesson: LessonInfo;
  settings: Settings;
  round: RoundView | null;
  me: {
    playerId: string;
    nickname: string;
    /** waiting: joined, seated at the next round. */
    status: 'waiting' | 'seated' | 'kicked';
    total: number;
    rank: number | null;
  };
  seat: StudentSeatView | null;
  result: PlayerResultView | null;
  classScore: number | null;
  /**
   * The standings as a phone shows them: every entry ranked in the top PHONE_LEADERBOARD_RANKS (ties
   * included, so the podium is whole), the student's own, and one classmate sharing their rank (so a
   * tie shows); a class of a thousand does not send the whole list to every phone.
   */
  leaderboard: LeaderboardEntry[] | null;
}

/** Ranks a phone's leaderboard lists in full (its table shows ten, its podium three). */
export const PHONE_LEADERBOARD_RANKS = 10;

export interface StageMemberView {
  nickname: string | null;
  away: boolean;
  lockedIn: boolean;
}

export interface StageSeatView {
  seat: number;
  token: number;
  head: number;
  members: StageMemberView[];
  playedByBot: boolean;
  /** The team's mean allocation; null for a seat an AI classmate plays, until the reveal. */
  allocation: number[] | null;
  /** Students play it and none has moved a slider: their even split is no choice. */
  untouched: boolean;
  /**
   * Per token, how many of the seat's students give it their largest weight (alone at the top): a
   * team's spread of choices, which its mean flattens. Null for a seat an AI classmate plays.
   */
  topPicks: number[] | null;
}

export interface StageView {
  kind: 'stage';
  version: number;
  code: string;
  phase: Phase;
  paused: boolean;
  lesson: LessonInfo;
  settings: Settings;
  round: RoundView | null;
  roster: StageMemberView[];
  seats: StageSeatView[];
  /** Every key card per head and token, once the teacher revealed them all (or after the reveal). */
  keys: number[][][] | null;
  reveal: RevealView | null;
  leaderboard: LeaderboardEntry[] | null;
}

export interface TeacherPlayerView {
  playerId: string;
  nickname: string;
  away: boolean;
  awaySince: number | null;
  /** The grace period ran out: an AI classmate plays their seat until they return. */
  replacedByBot: boolean;
  kicked: boolean;
  seat: number | null;
  allocation: number[] | null;
  touched: boolean;
  /** Server time of their last slider move this round; null when they have not moved. */
  movedAt: number | null;
  lockedIn: boolean;
  lockedInAt: number | null;
  total: number;
}

/** A key request as the teacher follows it: who asked whom for which key, and since when. */
export interface TeacherKeyRequestView {
  id: string;
  head: number;
  fromToken: number;
  toToken: number;
  status: 'pending' | 'shared';
  /** The asking seat's students (a team is named once, as a list). */
  fromNicknames: string[];
  /** The students holding the key; empty when an AI classmate holds it. */
  toNicknames: string[];
  /** Server times; null in sessions saved before they were kept. */
  requestedAt: number | null;
  sharedAt: number | null;
}

export interface TeacherSeatView extends Omit<StageSeatView, 'members'> {
  members: MemberView[];
}

export interface TeacherView {
  kind: 'teacher';
  version: number;
  sessionId: string;
  code: string;
  phase: Phase;
  paused: boolean;
  lesson: LessonInfo;
  settings: Settings;
  round: RoundView | null;
  /** Every head's cards (what the class holds between them), to help the teacher steer. */
  cards: { name: string; q: number[][]; k: number[][]; v: number[][] }[];
  players: TeacherPlayerView[];
  seats: TeacherSeatView[];
  keyRequests: TeacherKeyRequestView[];
  reveal: RevealView | null;
  results: (PlayerResultView & { playerId: string; nickname: string })[] | null;
  leaderboard: LeaderboardEntry[];
  history: { round: number; classScore: number | null; causal: boolean; scale: boolean; temperature: number }[];
}

export type AnyView = StudentView | StageView | TeacherView;
