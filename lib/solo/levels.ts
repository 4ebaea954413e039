/**
 * The solo path: one level per curated lesson in teaching order, stars from score thresholds, and the
 * rule that opens the next level. Pure: progress comes in as data, nothing is read or stored here.
 */
import { starSeats } from '../game/seating';
import type { Lesson } from '../lessons/schema';

/** Points for ★, ★★ and ★★★ (a level score is 0–1000, like a round's). */
export const STAR_THRESHOLDS = [600, 800, 930] as const;

/** Stars a level score earns. */
export type Stars = 0 | 1 | 2 | 3;

/** How many stars a level score earns: ★ from 600, ★★ from 800, ★★★ from 930. */
export function starsFor(score: number): Stars {
  let stars = 0;
  for (const threshold of STAR_THRESHOLDS) if (score >= threshold) stars++;
  return stars as Stars;
}

/** Stars needed on a level to open the one after it. */
export const STARS_TO_UNLOCK = 1;

/** A (token, head) position the learner can play. */
export interface SeatChoice {
  token: number;
  head: number;
}

/**
 * The rows a lesson is about: every (query token, head) its learning goals make a claim on, in the
 * order the goals name them (the classroom's star seats). A level's stars come from these rows: most
 * other rows of a lesson are close to even (a small word's query asks for nothing), good practice but
 * no measure of whether the lesson was understood.
 */
export function keySeats(lesson: Pick<Lesson, 'goals' | 'heads' | 'tokens'>): SeatChoice[] {
  const seats = starSeats(lesson);
  // A lesson whose goals name no row (none of the curated ones) is played on its last token.
  return seats.length > 0 ? seats : [{ token: lesson.tokens.length - 1, head: 0 }];
}

/** Every (token, head) row of the sentence, head by head, in sentence order: the whole-sentence mode's order. */
export function sentenceRows(lesson: Pick<Lesson, 'heads' | 'tokens'>): SeatChoice[] {
  return lesson.heads.flatMap((_, head) => lesson.tokens.map((_, token) => ({ token, head })));
}

export function sameSeat(a: SeatChoice, b: SeatChoice): boolean {
  return a.token === b.token && a.head === b.head;
}

/** A level of the path, as the path page lists it. */
export interface SoloLevel {
  lessonId: string;
  /** 1-based place on the path. */
  number: number;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: string[];
  keySeats: SeatChoice[];
}

/** The levels, in the lessons' teaching order (`order`: the recurrent bottleneck first, the open question last). */
export function soloLevels(lessons: readonly Lesson[]): SoloLevel[] {
  return [...lessons]
    .sort((a, b) => a.order - b.order)
    .map((lesson, i) => ({
      lessonId: lesson.id,
      number: i + 1,
      title: lesson.title,
      summary: lesson.summary,
      sentence: lesson.sentence,
      tokens: [...lesson.tokens],
      heads: lesson.heads.map((h) => h.name),
      keySeats: keySeats(lesson),
    }));
}

/** A learner's best in one lesson, as stored. */
export interface LevelProgress {
  lessonId: string;
  bestScore: number;
  stars: number;
}

export interface LevelStatus extends SoloLevel {
  /** The best level score so far; null before the level was ever finished. */
  bestScore: number | null;
  stars: Stars;
  unlocked: boolean;
  /** The first open level without a star: where the path suggests going next. */
  current: boolean;
}

/**
 * Each level with the learner's stars and whether it is open: the first always is, every other one
 * once the level before it has at least one star (or it has stars of its own).
 */
export function levelStatuses(levels: readonly SoloLevel[], progress: readonly LevelProgress[]): LevelStatus[] {
  const best = new Map(progress.map((p) => [p.lessonId, p]));
  let previousStars = STARS_TO_UNLOCK;
  let currentTaken = false;
  return levels.map((level, i) => {
    const mine = best.get(level.lessonId);
    const stars = mine ? starsFor(mine.bestScore) : 0;
    // A level once earned stays open, even if the path is reordered later.
    const unlocked = i === 0 || previousStars >= STARS_TO_UNLOCK || stars >= STARS_TO_UNLOCK;
    previousStars = stars;
    const current = unlocked && stars === 0 && !currentTaken;
    if (current) currentTaken = true;
    return { ...level, bestScore: mine ? mine.bestScore : null, stars, unlocked, current };
  });
}

/** Whether the learner may play this level now. */
export function isLevelUnlocked(levels: readonly SoloLevel[], progress: readonly LevelProgress[], lessonId: string): boolean {
  return levelStatuses(levels, progress).find((l) => l.lessonId === lessonId)?.unlocked ?? false;
}

/** The level after this one, if any. */
export function levelAfter(levels: readonly SoloLevel[], lessonId: string): SoloLevel | null {
  const i = levels.findIndex((l) => l.lessonId === lessonId);
  return i >= 0 ? (levels[i + 1] ?? null) : null;
}

/** One played row's points, after the help it cost. */
export interface PlayedRow extends SeatChoice {
  /** Points after help: max(0, score − help). */
  net: number;
}

/**
 * A level's score: for each key row, the best points it earned in this run, averaged over the key
 * rows (rounded to a whole point). Null while a key row has not been played yet.
 */
export function levelScore(keys: readonly SeatChoice[], played: readonly PlayedRow[]): number | null {
  if (keys.length === 0) return null;
  let total = 0;
  for (const key of keys) {
    const rows = played.filter((p) => sameSeat(p, key));
    if (rows.length === 0) return null;
    total += Math.max(...rows.map((r) => r.net));
  }
  return Math.round(total / keys.length);
}

/** The key rows not played yet in this run. */
export function keySeatsLeft(keys: readonly SeatChoice[], played: readonly SeatChoice[]): SeatChoice[] {
  return keys.filter((key) => !played.some((p) => sameSeat(p, key)));
}
