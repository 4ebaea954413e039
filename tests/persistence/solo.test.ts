/**
 * The solo repository's contract, the same for the in-memory one and for Prisma on PGlite and on
 * PostgreSQL: runs saved, the best per lesson only ever rising, the leaderboard one line per nickname.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../server/persistence/migrate';
import { PrismaSoloRepository } from '../../server/persistence/solo-prisma';
import { MemorySoloRepository, type SoloRepository, type SoloRunRecord } from '../../server/persistence/solo-repository';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const targets = await databaseTargets();

let sequence = 0;
function run(overrides: Partial<SoloRunRecord> = {}): SoloRunRecord {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    learnerId: 'learner-one',
    nickname: null,
    lessonId: 'the-cat-sat',
    score: 700,
    stars: 1,
    createdAt: 1_700_000_000_000 + sequence * 1000,
    ...overrides,
  };
}

function contract(name: string, open: () => Promise<{ repository: SoloRepository; reset?: () => Promise<void>; close?: () => Promise<void> }>) {
  describe(name, () => {
    let repository: SoloRepository;
    let reset: (() => Promise<void>) | undefined;
    let close: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ repository, reset, close } = await open());
    });
    afterAll(async () => {
      await close?.();
    });
    beforeEach(async () => {
      if (reset) await reset();
      else ({ repository } = await open());
    });

    it('starts a new learner with no progress', async () => {
      expect(await repository.progress('nobody-here')).toEqual([]);
      expect(await repository.leaderboard('the-cat-sat')).toEqual([]);
    });

    it('saves a first run as the learner’s best, and answers the best before and after', async () => {
      const first = run({ score: 640, stars: 1 });
      const result = await repository.recordRun(first);
      expect(result.before).toBeNull();
      expect(result.after).toEqual({ learnerId: 'learner-one', lessonId: 'the-cat-sat', bestScore: 640, stars: 1, updatedAt: first.createdAt });
      expect(await repository.progress('learner-one')).toEqual([result.after]);
    });

    it('only ever raises the best: a worse run is saved but changes nothing', async () => {
      const good = run({ score: 850, stars: 2 });
      await repository.recordRun(good);
      const worse = await repository.recordRun(run({ score: 300, stars: 0 }));
      expect(worse.before).toMatchObject({ bestScore: 850, stars: 2 });
      expect(worse.after).toEqual({ learnerId: 'learner-one', lessonId: 'the-cat-sat', bestScore: 850, stars: 2, updatedAt: good.createdAt });
      const better = run({ score: 990, stars: 3 });
      const raised = await repository.recordRun(better);
      expect(raised.after).toMatchObject({ bestScore: 990, stars: 3, updatedAt: better.createdAt });
    });

    it('keeps learners and lessons apart', async () => {
      await repository.recordRun(run({ learnerId: 'learner-one', lessonId: 'the-cat-sat', score: 900, stars: 2 }));
      await repository.recordRun(run({ learnerId: 'learner-one', lessonId: 'recurrent-bottleneck', score: 610, stars: 1 }));
      await repository.recordRun(run({ learnerId: 'learner-two', lessonId: 'the-cat-sat', score: 100, stars: 0 }));
      const mine = await repository.progress('learner-one');
      expect(mine.map((p) => [p.lessonId, p.bestScore]).sort()).toEqual([
        ['recurrent-bottleneck', 610],
        ['the-cat-sat', 900],
      ]);
      expect((await repository.progress('learner-two')).map((p) => p.bestScore)).toEqual([100]);
    });

    it('ends two runs finishing at once with the larger best', async () => {
      await repository.recordRun(run({ score: 500, stars: 0 }));
      await Promise.all([repository.recordRun(run({ score: 810, stars: 2 })), repository.recordRun(run({ score: 940, stars: 3 }))]);
      expect(await repository.progress('learner-one')).toEqual([expect.objectContaining({ bestScore: 940, stars: 3 })]);
    });

    it('ranks each nickname’s best run in a lesson, leaving out runs without a name', async () => {
      await repository.recordRun(run({ nickname: 'Clever Owl', score: 700 }));
      await repository.recordRun(run({ nickname: 'Clever Owl', score: 910, stars: 2 }));
      await repository.recordRun(run({ learnerId: 'learner-two', nickname: 'Swift Lynx', score: 910, stars: 2 }));
      await repository.recordRun(run({ learnerId: 'learner-three', nickname: 'Brave Newt', score: 980, stars: 3 }));
      await repository.recordRun(run({ learnerId: 'learner-four', nickname: null, score: 1000, stars: 3 }));
      await repository.recordRun(run({ learnerId: 'learner-five', nickname: 'Other Lesson', lessonId: 'multi-head', score: 1000, stars: 3 }));
      expect(await repository.leaderboard('the-cat-sat')).toEqual([
        { rank: 1, nickname: 'Brave Newt', score: 980, stars: 3 },
        { rank: 2, nickname: 'Clever Owl', score: 910, stars: 2 },
        { rank: 2, nickname: 'Swift Lynx', score: 910, stars: 2 },
      ]);
      expect(await repository.leaderboard('the-cat-sat', { limit: 1 })).toEqual([{ rank: 1, nickname: 'Brave Newt', score: 980, stars: 3 }]);
      expect(await repository.leaderboard('multi-head')).toHaveLength(1);
    });
  });
}

contract('the in-memory solo repository', async () => ({ repository: new MemorySoloRepository() }));

for (const target of targets) {
  describe.skipIf(target.skip)(`the Prisma solo repository on ${target.kind}`, () => {
    let database: TestDatabase;
    contract(target.kind, async () => {
      database = await target.open('solo');
      await migrate(database.db);
      return {
        repository: new PrismaSoloRepository(database.db.prisma),
        reset: async () => {
          await database.db.prisma.soloRun.deleteMany();
          await database.db.prisma.soloProgress.deleteMany();
        },
        close: () => database.close(),
      };
    });
  });
}
