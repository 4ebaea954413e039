/**
 * The after-class review: what a finished (or running) session taught, as plain JSON. The server
 * builds it from a session's game state, trims it per reader (`forTeacher`, `forStudent`) and sends it
 * to the review page; the same teacher review becomes the CSV export.
 */
import type { AttentionOptions } from '../attention/reference';
import type { Phase } from '../protocol';

/** The lesson as the review shows it: words and names, no matrices. */
export interface ReviewLesson {
  id: string;
  title: string;
  sentence: string;
  tokens: string[];
  /** Head names, by head index. */
  heads: string[];
}

/** One line of the final leaderboard (kicked students left out, ties share a rank). */
export interface ReviewStanding {
  rank: number;
  playerId: string;
  nickname: string;
  total: number;
  rounds: number;
  /** Revealed rounds in which the student never moved a slider. */
  untouchedRounds: number;
}

/** A key the class weighted differently from the model: `difference` is class − model, in [−1, 1]. */
export interface KeyDifference {
  key: number;
  difference: number;
}

/** One query token's row of one head in one round: the class's mean beside the model's. */
export interface RowComparison {
  /** The query token (the row). */
  token: number;
  /** How many students' allocations the class mean is made of (team members each count). */
  students: number;
  /** The mean of the students' allocations; null when no student played this row. */
  classRow: number[] | null;
  /** The model's attention row. */
  modelRow: number[];
  /** An AI classmate played this row's seat at the reveal; its choice is not in the class mean. */
  playedByBot: boolean;
  /** The AI classmate's choice, shown apart from the class; null when a student played the seat. */
  botRow: number[] | null;
  /** The class mean scored like a student (0–1000); null without students. */
  classRowScore: number | null;
  /** The key the class gave the most weight beyond the model's; null when none by more than 0.1 point. */
  overWeighted: KeyDifference | null;
  /** The key the class gave the least weight compared with the model's; null when none by more than 0.1 point. */
  underWeighted: KeyDifference | null;
}

/** One head of one round: a row per query token. */
export interface HeadComparison {
  head: number;
  name: string;
  rows: RowComparison[];
}

/** One revealed round. */
export interface RoundReview {
  round: number;
  /** Scaling, temperature and mask in force for this round. */
  options: AttentionOptions;
  revealedAt: number;
  /** Mean of the students' scores; null when nobody was scored. */
  classScore: number | null;
  /** How many students were scored. */
  scored: number;
  heads: HeadComparison[];
}

/** What one student did in one round. */
export interface StudentRound {
  round: number;
  seat: number;
  token: number;
  head: number;
  score: number;
  bonus: number;
  allocation: number[];
  trueRow: number[];
  /** Cosine similarity of the student's output vector with the model's. */
  cosine: number;
  /** The key the student gave the most weight beyond the model's, and by how much. */
  overWeighted: { token: number; by: number } | null;
  /** The student moved a slider (false: the even split they were dealt). */
  touched: boolean;
  /** How the score was earned: the model's top key found (500) and the spread (up to 500). */
  foundTopKey: boolean;
  topKeyPoints: number;
  spreadPoints: number;
  /** The phone's sentence at the reveal. */
  verdict: string;
  /** Whether the student moved a slider at all (an untouched allocation is the even split); null when not recorded. */
  moved: boolean | null;
  /** Whether they locked in themselves, when (server time) and after how much negotiation time; null when not recorded. */
  lockedIn: boolean | null;
  lockedInAt: number | null;
  lockedAfterMs: number | null;
}

/** One student's report across the session. */
export interface StudentReport {
  playerId: string;
  nickname: string;
  /** The name behind the nickname, when one was recorded; only ever in the teacher's review. */
  realName?: string;
  kicked: boolean;
  total: number;
  /** Null when the student is not on the leaderboard (kicked). */
  rank: number | null;
  /** Only the rounds the student was scored in, oldest first. */
  rounds: StudentRound[];
}

/** What the teacher can change about the review. */
export interface ReviewSettings {
  /** Students reading their report do not see the leaderboard or the podium. */
  leaderboardHidden: boolean;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { leaderboardHidden: false };

/** Facts about the session every reader may see. */
export interface ReviewSession {
  sessionId: string;
  code: string;
  lesson: ReviewLesson;
  phase: Phase;
  ended: boolean;
  createdAt: number;
  /** When the last round was revealed; null before the first reveal. */
  lastRevealedAt: number | null;
}

/** The teacher's review: everything. */
export interface TeacherReview extends ReviewSession {
  kind: 'teacher';
  settings: ReviewSettings;
  leaderboard: ReviewStanding[];
  /** The first three of the leaderboard. */
  podium: ReviewStanding[];
  rounds: RoundReview[];
  /** Every student who joined, in join order, kicked ones included. */
  students: StudentReport[];
  /** Whether any student has a real name on record (the CSV then has the column). */
  hasRealNames: boolean;
}

/** A leaderboard line as a student sees it: no ids, their own line marked. */
export interface StudentStanding {
  rank: number;
  nickname: string;
  total: number;
  rounds: number;
  isMe: boolean;
}

/** A student's review: their own report, each round's class score, the leaderboard unless hidden. */
export interface StudentReview extends ReviewSession {
  kind: 'student';
  leaderboardHidden: boolean;
  /** Null when the teacher hid the leaderboard. */
  leaderboard: StudentStanding[] | null;
  podium: StudentStanding[] | null;
  rounds: { round: number; options: AttentionOptions; classScore: number | null }[];
  me: StudentReport;
}

export type AnyReview = TeacherReview | StudentReview;

/** A line of a teacher's session history. */
export interface ReviewSummary {
  sessionId: string;
  code: string;
  lessonId: string;
  lessonTitle: string;
  phase: Phase;
  ended: boolean;
  createdAt: number;
  lastRevealedAt: number | null;
  /** Students who joined and were not kicked. */
  students: number;
  rounds: number;
  /** The mean of the rounds' class scores; null before the first reveal. */
  meanClassScore: number | null;
  /** Top of the leaderboard, for the list. */
  winner: { nickname: string; total: number } | null;
}
