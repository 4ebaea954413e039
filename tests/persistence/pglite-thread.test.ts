/**
 * The embedded PGlite on its own thread answers as PGlite does: Prisma's reads and writes (values
 * parsed as the adapter expects), PostgreSQL errors as Prisma's errors, transactions that commit or
 * roll back, queries of other callers kept out of an open transaction, and the session repository
 * whole. (That it keeps the server's thread free is measured by bench/persistence.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLesson } from '../../lib/lessons/curated';
import { databaseFromPGlite, type Database } from '../../server/persistence/db';
import { Prisma } from '../../server/persistence/generated/client';
import { migrate } from '../../server/persistence/migrate';
import { PGliteThread } from '../../server/persistence/pglite-thread';
import { PrismaSessionRepository } from '../../server/persistence/prisma-repository';
import { hashSecret } from '../../server/secrets';
import { Room } from '../scenario/harness';

const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

describe('PGlite on its own thread', () => {
  let thread: PGliteThread;
  let db: Database;

  beforeAll(async () => {
    thread = await PGliteThread.open(null);
    db = databaseFromPGlite(thread, 'PGlite thread (test)');
    await migrate(db);
  });
  afterAll(() => db?.close());

  it('reads back through Prisma what it wrote: dates, JSON, arrays, numbers', async () => {
    const createdAt = new Date('2026-01-02T03:04:05.678Z');
    await db.prisma.authoredLesson.create({
      data: { id: 'authored-0000000000000001', editSecretHash: 'h', title: 'T', sentence: 'the cat', draft: { a: [1, 2.5] }, lesson: { b: null }, createdAt },
    });
    const row = await db.prisma.authoredLesson.findUniqueOrThrow({ where: { id: 'authored-0000000000000001' } });
    expect(row).toMatchObject({ title: 'T', draft: { a: [1, 2.5] }, lesson: { b: null }, createdAt });
    const [raw] = await db.prisma.$queryRaw<{ weights: number[]; big: bigint; n: Prisma.Decimal }[]>`
      SELECT ARRAY[0.25, 0.75]::float8[] AS "weights", 9007199254740993::int8 AS "big", 1.5::numeric AS "n"`;
    expect(raw.weights).toEqual([0.25, 0.75]);
    expect(raw.big).toBe(9007199254740993n);
    expect(raw.n.toString()).toBe('1.5');
  });

  it('turns PostgreSQL errors into Prisma errors with their codes', async () => {
    const data = { id: 'authored-0000000000000002', editSecretHash: 'h', title: 'T', sentence: 's', draft: {}, lesson: {} };
    await db.prisma.authoredLesson.create({ data });
    const duplicate = await db.prisma.authoredLesson.create({ data }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
    await expect(db.prisma.$queryRaw`SELECT * FROM "NoSuchTable"`).rejects.toThrow(/42P01/);
  });

  it('commits a transaction, rolls one back when it throws, and keeps other queries out of it', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.soloProgress.create({ data: { learnerId: 'l1', lessonId: 'x', bestScore: 1, stars: 1 } });
    });
    const failed = db.prisma.$transaction(async (tx) => {
      await tx.soloProgress.create({ data: { learnerId: 'l2', lessonId: 'x', bestScore: 1, stars: 1 } });
      // Another caller's read, sent while the transaction is open, must not see its uncommitted row…
      const outside = db.prisma.soloProgress.count();
      await tx.soloProgress.count();
      throw Object.assign(new Error('changed my mind'), { outside });
    });
    const error = (await failed.catch((e: unknown) => e)) as Error & { outside: Promise<number> };
    expect(error.message).toBe('changed my mind');
    // …and runs after it: the rolled-back row is not there.
    expect(await error.outside).toBe(1);
    expect(await db.prisma.soloProgress.findMany({ select: { learnerId: true } })).toEqual([{ learnerId: 'l1' }]);
  });

  it('saves and restores a class through the session repository', async () => {
    const room = new Room(lesson!, 7, { timerSeconds: 60 });
    const hashes: Record<string, string> = {};
    const repository = new PrismaSessionRepository(db.prisma, db.runStatements);
    const saves: Promise<void>[] = [];
    for (const name of ['ada', 'ben', 'cleo']) {
      const playerId = `thread-${name}`;
      hashes[playerId] = hashSecret(name);
      expect(room.dispatch({ type: 'seat:join', nickname: name, by: { role: 'student', playerId } }).ok).toBe(true);
      saves.push(repository.saveSession({ state: room.state, hostSecretHash: hashSecret('host'), playerSecretHashes: { ...hashes } }, 'roster'));
    }
    for (const event of ['teacher:start-round', 'teacher:open-negotiation', 'teacher:lock', 'teacher:reveal'] as const) {
      expect(room.dispatch({ type: event, by: { role: 'teacher' } }).ok).toBe(true);
      saves.push(repository.saveSession({ state: room.state, hostSecretHash: hashSecret('host'), playerSecretHashes: { ...hashes } }, 'phase'));
    }
    await Promise.all(saves);
    const [restored] = await new PrismaSessionRepository(db.prisma).listLiveSessions();
    expect(restored).toEqual({ state: room.state, hostSecretHash: hashSecret('host'), playerSecretHashes: hashes });
    expect(restored.state.history).toHaveLength(1);
  });

  it('refuses work once closed', async () => {
    const other = await PGliteThread.open(null);
    expect((await other.query<{ one: number }>('SELECT 1 AS "one"')).rows).toEqual([{ one: 1 }]);
    await other.close();
    expect(other.closed).toBe(true);
    await expect(other.query('SELECT 1')).rejects.toThrow('closed');
  });
});
