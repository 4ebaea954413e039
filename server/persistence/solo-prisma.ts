/**
 * Solo progress in the database, over the `SoloRun` and `SoloProgress` models: every finished run is a
 * `SoloRun` row; `SoloProgress` holds each learner's best per lesson so the path reads one row per level.
 */
import type { PrismaClient } from './generated/client';
import {
  DEFAULT_LEADERBOARD_LIMIT,
  rankLeaderboard,
  type SoloLeaderboardRow,
  type SoloProgressRecord,
  type SoloRepository,
  type SoloRunRecord,
} from './solo-repository';

interface ProgressRow {
  learnerId: string;
  lessonId: string;
  bestScore: number;
  stars: number;
  updatedAt: Date;
}

function toRecord(row: ProgressRow): SoloProgressRecord {
  return { learnerId: row.learnerId, lessonId: row.lessonId, bestScore: row.bestScore, stars: row.stars, updatedAt: row.updatedAt.getTime() };
}

export class PrismaSoloRepository implements SoloRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async recordRun(run: SoloRunRecord): Promise<{ before: SoloProgressRecord | null; after: SoloProgressRecord }> {
    const at = new Date(run.createdAt);
    const key = { learnerId_lessonId: { learnerId: run.learnerId, lessonId: run.lessonId } };
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.soloProgress.findUnique({ where: key });
      await tx.soloRun.create({
        data: { id: run.id, learnerId: run.learnerId, nickname: run.nickname, lessonId: run.lessonId, score: run.score, stars: run.stars, createdAt: at },
      });
      await tx.soloProgress.upsert({
        where: key,
        create: { learnerId: run.learnerId, lessonId: run.lessonId, bestScore: run.score, stars: run.stars, updatedAt: at },
        update: {},
      });
      // A conditional update, so two runs finishing at once both end with the larger best (the row lock
      // makes the second re-read the first's value before comparing). Stars follow the score.
      await tx.soloProgress.updateMany({
        where: { learnerId: run.learnerId, lessonId: run.lessonId, bestScore: { lt: run.score } },
        data: { bestScore: run.score, stars: run.stars, updatedAt: at },
      });
      const after = await tx.soloProgress.findUniqueOrThrow({ where: key });
      return { before: before ? toRecord(before) : null, after: toRecord(after) };
    });
  }

  async progress(learnerId: string): Promise<SoloProgressRecord[]> {
    const rows = await this.prisma.soloProgress.findMany({ where: { learnerId }, orderBy: { lessonId: 'asc' } });
    return rows.map(toRecord);
  }

  async leaderboard(lessonId: string, options: { limit?: number } = {}): Promise<SoloLeaderboardRow[]> {
    const limit = options.limit ?? DEFAULT_LEADERBOARD_LIMIT;
    const groups = await this.prisma.soloRun.groupBy({
      by: ['nickname'],
      where: { lessonId, nickname: { not: null } },
      _max: { score: true },
      orderBy: [{ _max: { score: 'desc' } }, { nickname: 'asc' }],
      take: limit,
    });
    return rankLeaderboard(
      groups.flatMap((g) => (g.nickname !== null && g._max.score !== null ? [{ nickname: g.nickname, score: g._max.score }] : [])),
      limit,
    );
  }
}
