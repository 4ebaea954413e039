/**
 * Where solo progress is kept: every finished run (for the per-lesson leaderboard) and each learner's
 * best per lesson (for the stars on the path). Runs in progress live in the solo service's memory;
 * what a learner has earned lives here and survives a restart. `solo-prisma.ts` implements it over
 * Prisma (`SoloRun`, `SoloProgress`); the in-memory one below is the default and the tests' stand-in.
 */
import { starsFor } from '../../lib/solo/levels';

/** A finished run as saved. */
export interface SoloRunRecord {
  id: string;
  learnerId: string;
  /** The leaderboard name, already checked; null: the run counts for the learner only. */
  nickname: string | null;
  lessonId: string;
  score: number;
  stars: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** A learner's best in one lesson. */
export interface SoloProgressRecord {
  learnerId: string;
  lessonId: string;
  bestScore: number;
  stars: number;
  updatedAt: number;
}

/** One line of a lesson's leaderboard: the best run of one nickname. */
export interface SoloLeaderboardRow {
  rank: number;
  nickname: string;
  score: number;
  stars: number;
}

export interface SoloRepository {
  /**
   * Saves a finished run and, when it beat the learner's best for its lesson, makes it the best (score,
   * stars and time), as one transaction; answers the learner's best from before the run (null on their first finish) and after.
   */
  recordRun(run: SoloRunRecord): Promise<{ before: SoloProgressRecord | null; after: SoloProgressRecord }>;
  /** The learner's best in every lesson they finished. */
  progress(learnerId: string): Promise<SoloProgressRecord[]>;
  /** The best score of each nickname in a lesson, best first (ties share a rank, then by name). */
  leaderboard(lessonId: string, options?: { limit?: number }): Promise<SoloLeaderboardRow[]>;
}

export const DEFAULT_LEADERBOARD_LIMIT = 20;

/** Ranks best-per-nickname rows the same way for every implementation. */
export function rankLeaderboard(best: readonly { nickname: string; score: number }[], limit: number): SoloLeaderboardRow[] {
  const sorted = [...best].sort((a, b) => b.score - a.score || a.nickname.localeCompare(b.nickname, 'en'));
  return sorted.slice(0, limit).map((row) => ({
    rank: 1 + sorted.filter((other) => other.score > row.score).length,
    nickname: row.nickname,
    score: row.score,
    stars: starsFor(row.score),
  }));
}

/** Solo progress in process memory: lost on restart. Copies in and out. */
export class MemorySoloRepository implements SoloRepository {
  private readonly runs: SoloRunRecord[] = [];
  private readonly best = new Map<string, SoloProgressRecord>();

  async recordRun(run: SoloRunRecord): Promise<{ before: SoloProgressRecord | null; after: SoloProgressRecord }> {
    const key = `${run.learnerId}\u0000${run.lessonId}`;
    const stored = this.best.get(key);
    const before = stored ? { ...stored } : null;
    this.runs.push({ ...run });
    const after: SoloProgressRecord =
      stored && stored.bestScore >= run.score
        ? stored
        : { learnerId: run.learnerId, lessonId: run.lessonId, bestScore: run.score, stars: run.stars, updatedAt: run.createdAt };
    this.best.set(key, after);
    return { before, after: { ...after } };
  }

  async progress(learnerId: string): Promise<SoloProgressRecord[]> {
    return [...this.best.values()].filter((p) => p.learnerId === learnerId).map((p) => ({ ...p }));
  }

  async leaderboard(lessonId: string, options: { limit?: number } = {}): Promise<SoloLeaderboardRow[]> {
    const best = new Map<string, number>();
    for (const run of this.runs) {
      if (run.lessonId !== lessonId || run.nickname === null) continue;
      best.set(run.nickname, Math.max(best.get(run.nickname) ?? -Infinity, run.score));
    }
    return rankLeaderboard(
      [...best].map(([nickname, score]) => ({ nickname, score })),
      options.limit ?? DEFAULT_LEADERBOARD_LIMIT,
    );
  }
}
