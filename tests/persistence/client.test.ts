/**
 * The generated Prisma client over each driver adapter (PGlite, pg): a row written to every table reads
 * back as written, the constraints hold, deleting a session removes everything under it, and an
 * interactive transaction commits or rolls back as a whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../server/persistence/generated/client';
import { migrate } from '../../server/persistence/migrate';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const at = (iso: string) => new Date(iso);

/** Nested, mixed JSON like a lesson or a game snapshot, with the awkward characters a name may hold. */
const lessonSnapshot = {
  id: 'cat',
  title: 'The cat sat, "on" the mat — ça va? 猫',
  tokens: ['The', 'cat', 'sat'],
  wQ: [
    [1, 0.5],
    [-0.5, 2],
  ],
  nothing: null,
  flags: { causal: false },
};

for (const target of await databaseTargets()) {
  describe.skipIf(target.skip)(`Prisma client on ${target.kind}`, () => {
    let t: TestDatabase;

    beforeAll(async () => {
      t = await target.open('client');
      await migrate(t.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('writes and reads back a row in every table', async () => {
      const { prisma } = t.db;
      const session = await prisma.session.create({
        data: {
          id: 'session-1',
          code: 'ACEFHJ',
          lessonId: 'cat',
          lesson: lessonSnapshot,
          settings: { timerSeconds: 90, lateJoin: true },
          hostSecretHash: 'a'.repeat(64),
          snapshot: { version: 7, players: [], round: null },
          version: 7,
        },
      });
      expect(session).toMatchObject({ phase: 'lobby', endedAt: null, lesson: lessonSnapshot, version: 7 });
      expect(session.createdAt).toBeInstanceOf(Date);

      const player = await prisma.player.create({
        data: { id: 'player-1', sessionId: session.id, nickname: 'Zoë, "the" 猫', realName: 'Zoë Müller', secretHash: 'b'.repeat(64), joinedAt: at('2026-03-01T09:00:00.123Z') },
      });
      expect(player).toEqual({
        id: 'player-1',
        sessionId: 'session-1',
        nickname: 'Zoë, "the" 猫',
        realName: 'Zoë Müller',
        secretHash: 'b'.repeat(64),
        kicked: false,
        joinedAt: at('2026-03-01T09:00:00.123Z'),
        totalScore: 0,
      });

      const round = await prisma.round.create({
        data: { sessionId: session.id, number: 1, scale: false, temperature: 0.5, causal: true, startedAt: at('2026-03-01T09:01:00.000Z') },
      });
      const allocation = await prisma.allocation.create({
        data: { roundId: round.id, playerId: player.id, seat: 2, token: 1, head: 0, weights: [0.125, 0.875, 0], lockedAt: at('2026-03-01T09:02:30.456Z') },
      });
      const truth = { round: 1, heads: [{ weights: [[1, 0, 0], [0.25, 0.75, 0]], outputs: [[1, 2]] }] };
      const result = await prisma.roundResult.create({ data: { roundId: round.id, trueAttention: truth, classScore: 81.5 } });
      const playerResult = await prisma.playerResult.create({
        data: { roundId: round.id, playerId: player.id, score: 92.25, bonus: 5, cosine: 0.987654321, overWeightedToken: 0, overWeightedBy: 0.125 },
      });
      const soloRun = await prisma.soloRun.create({ data: { learnerId: 'learner-1', lessonId: 'cat', score: 77.5, stars: 2 } });
      const progress = await prisma.soloProgress.create({ data: { learnerId: 'learner-1', lessonId: 'cat', bestScore: 77.5, stars: 2 } });

      const read = await prisma.session.findUniqueOrThrow({
        where: { code: 'ACEFHJ' },
        include: { players: true, rounds: { include: { allocations: true, result: true, playerResults: true } } },
      });
      expect(read).toEqual({ ...session, players: [player], rounds: [{ ...round, allocations: [allocation], result, playerResults: [playerResult] }] });
      expect(read.rounds[0].allocations[0].weights).toEqual([0.125, 0.875, 0]);
      expect(read.rounds[0].result?.trueAttention).toEqual(truth);
      expect(await prisma.soloRun.findUniqueOrThrow({ where: { id: soloRun.id } })).toEqual({ ...soloRun, nickname: null });
      expect(await prisma.soloProgress.findUniqueOrThrow({ where: { learnerId_lessonId: { learnerId: 'learner-1', lessonId: 'cat' } } })).toEqual(progress);
    });

    it('moves a session through its phases and stamps updatedAt', async () => {
      const { prisma } = t.db;
      const before = await prisma.session.findUniqueOrThrow({ where: { id: 'session-1' } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const after = await prisma.session.update({ where: { id: 'session-1' }, data: { phase: 'negotiate', version: { increment: 1 } } });
      expect(after.phase).toBe('negotiate');
      expect(after.version).toBe(before.version + 1);
      expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    });

    it('enforces unique join codes, nicknames per session, secrets, and round numbers', async () => {
      const { prisma } = t.db;
      const base = { lessonId: 'cat', lesson: {}, settings: {}, hostSecretHash: 'c', snapshot: {} };
      const uniqueViolation = expect.objectContaining({ code: 'P2002' });
      await expect(prisma.session.create({ data: { ...base, id: 'session-2', code: 'ACEFHJ' } })).rejects.toEqual(uniqueViolation);
      await prisma.session.create({ data: { ...base, id: 'session-2', code: 'KMNPRT' } });
      const joinedAt = new Date();
      await expect(prisma.player.create({ data: { id: 'player-2', sessionId: 'session-1', nickname: 'Zoë, "the" 猫', secretHash: 'd', joinedAt } })).rejects.toEqual(uniqueViolation);
      // The same nickname in another session is fine; the same secret anywhere is not.
      await prisma.player.create({ data: { id: 'player-2', sessionId: 'session-2', nickname: 'Zoë, "the" 猫', secretHash: 'd', joinedAt } });
      await expect(prisma.player.create({ data: { id: 'player-3', sessionId: 'session-2', nickname: 'Other', secretHash: 'd', joinedAt } })).rejects.toEqual(uniqueViolation);
      await expect(
        prisma.round.create({ data: { sessionId: 'session-1', number: 1, scale: true, temperature: 1, causal: false, startedAt: joinedAt } }),
      ).rejects.toEqual(uniqueViolation);
      await expect(
        prisma.player.create({ data: { id: 'player-4', sessionId: 'no-such-session', nickname: 'Ghost', secretHash: 'e', joinedAt } }),
      ).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    });

    it('commits an interactive transaction as a whole, or nothing of it', async () => {
      const { prisma } = t.db;
      await prisma.$transaction(async (tx) => {
        await tx.session.update({ where: { id: 'session-2' }, data: { phase: 'cards' } });
        await tx.round.create({ data: { sessionId: 'session-2', number: 1, scale: true, temperature: 1, causal: false, startedAt: new Date() } });
      });
      expect((await prisma.session.findUniqueOrThrow({ where: { id: 'session-2' }, include: { rounds: true } })).rounds).toHaveLength(1);

      await expect(
        prisma.$transaction(async (tx) => {
          await tx.session.update({ where: { id: 'session-2' }, data: { phase: 'negotiate' } });
          await tx.round.create({ data: { sessionId: 'session-2', number: 1, scale: true, temperature: 1, causal: false, startedAt: new Date() } });
        }),
      ).rejects.toEqual(expect.objectContaining({ code: 'P2002' }));
      expect((await prisma.session.findUniqueOrThrow({ where: { id: 'session-2' } })).phase).toBe('cards');
    });

    it('deletes everything under a session with it', async () => {
      const { prisma } = t.db;
      await prisma.session.delete({ where: { id: 'session-1' } });
      const remaining = await Promise.all([
        prisma.player.count({ where: { sessionId: 'session-1' } }),
        prisma.round.count({ where: { sessionId: 'session-1' } }),
        prisma.allocation.count({ where: { playerId: 'player-1' } }),
        prisma.roundResult.count({ where: { round: { sessionId: 'session-1' } } }),
        prisma.playerResult.count({ where: { playerId: 'player-1' } }),
      ]);
      expect(remaining).toEqual([0, 0, 0, 0, 0]);
      // Solo play is not part of any session.
      expect(await prisma.soloRun.count()).toBe(1);
    });

    it('ranks solo runs per lesson through the leaderboard index', async () => {
      const { prisma } = t.db;
      await prisma.soloRun.createMany({
        data: [
          { learnerId: 'learner-2', nickname: 'Ada', lessonId: 'cat', score: 95, stars: 3 },
          { learnerId: 'learner-3', lessonId: 'cat', score: 60, stars: 1 },
          { learnerId: 'learner-2', lessonId: 'python', score: 99, stars: 3 },
        ],
      });
      const top = await prisma.soloRun.findMany({ where: { lessonId: 'cat' }, orderBy: { score: 'desc' }, take: 2, select: { score: true, nickname: true } });
      expect(top).toEqual([
        { score: 95, nickname: 'Ada' },
        { score: 77.5, nickname: null },
      ]);
    });
  });
}
