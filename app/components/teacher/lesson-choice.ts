/** The part of a lesson the host page needs to offer it: no weights, so the page stays small. */
import type { Lesson } from '../../../lib/lessons/schema';
import type { Settings } from '../../../lib/protocol';
import { defaultSettings } from '../../../lib/game/session';

export interface LessonChoice {
  id: string;
  order: number;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: string[];
  /** One seat per (token, head). */
  seats: number;
  flags: Lesson['flags'];
}

/** A lesson as the host page offers it. */
export function lessonChoice(lesson: Lesson): LessonChoice {
  return {
    id: lesson.id,
    order: lesson.order,
    title: lesson.title,
    summary: lesson.summary,
    sentence: lesson.sentence,
    tokens: [...lesson.tokens],
    heads: lesson.heads.map((h) => h.name),
    seats: lesson.tokens.length * lesson.heads.length,
    flags: { ...lesson.flags },
  };
}

/** The settings a new session starts from for this lesson: the game core's own defaults. */
export function initialSettings(lesson: LessonChoice): Settings {
  return defaultSettings(lesson);
}

export const TIMER_OPTIONS = [
  { value: 0, label: 'Off' },
  { value: 60, label: '60 s' },
  { value: 90, label: '90 s' },
  { value: 120, label: '120 s' },
  { value: 180, label: '180 s' },
] as const;

/** Bot skill in words: what an AI classmate will do with it. */
export function describeSkill(skill: number): string {
  if (skill <= 0.05) return 'guesses';
  if (skill < 0.4) return 'rough';
  if (skill < 0.75) return 'decent';
  if (skill < 0.95) return 'sharp';
  return 'perfect';
}

export function formatTemperature(t: number): string {
  return `${t.toFixed(t < 1 ? 2 : 1)}`;
}
