/** What the lesson editor's HTTP API answers: shared by the server's routes and the editor page. */
import type { HeadCards, Matrix } from '../attention/reference';
import type { Lesson } from '../lessons/schema';
import type { SeatChoiceView } from '../solo/api';
import type { SeatChoice } from '../solo/levels';
import type { AuthoringResult } from './lesson';

/** The header that carries an authored lesson's edit secret. */
export const EDIT_SECRET_HEADER = 'x-edit-secret';

/** GET /api/authoring/palette */
export interface PaletteResponse {
  partsOfSpeech: readonly string[];
  meaning: readonly string[];
  weights: readonly number[];
  maxTokens: number;
}

/** One head as the editor draws it: its cards and the engine's weights. */
export interface PreviewHead {
  name: string;
  looksFor: string;
  keyFeatures: string[];
  valueFeatures: string[];
  cards: HeadCards;
  weights: Matrix;
}

/** POST /api/authoring/preview */
export type PreviewResponse =
  | { ok: false; problems: Extract<AuthoringResult, { ok: false }>['problems'] }
  | (Omit<Extract<AuthoringResult, { ok: true }>, 'lesson'> & { lessonId: string; title: string; heads: PreviewHead[]; backend: string });

/** One saved lesson as lists and the host page show it (no weights, no arcs). */
export interface AuthoredLessonSummary {
  id: string;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: string[];
  flags: Lesson['flags'] | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * GET /api/authored-lessons/:id/solo: what the solo level page needs to open a teacher's lesson (the
 * rows its goals are about, never its weights).
 */
export interface AuthoredSoloIntro {
  lessonId: string;
  number: 0;
  count: 0;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: { name: string; looksFor: string }[];
  keySeats: SeatChoice[];
  choices: SeatChoiceView[];
  note: null;
  causal: boolean;
}

/** POST /api/authored-lessons and …/duplicate */
export interface CreatedResponse {
  id: string;
  /** Shown once: only its hash is kept. */
  editSecret: string;
  summary: AuthoredLessonSummary;
}
