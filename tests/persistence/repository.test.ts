/**
 * The session repository's contract, run alike against the in-memory stand-in, the embedded PGlite and
 * the PostgreSQL server: what is saved loads back as it was saved, at every stage of a class; an older
 * write never replaces a newer one; codes stay known after a session ends; live sessions are listed
 * for a restart; review settings survive the room's saves. Then, on the two databases, the tables a
 * review reads (rounds, final allocations, results), secrets only as hashes, and one statement per save.
 */
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allocationOf, type GameEvent, type GameState, type PersistReason } from '../../lib/game';
import { getLesson } from '../../lib/lessons/curated';
import { databaseFromPGlite, PrismaClient } from '../../server/persistence/db';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { migrate } from '../../server/persistence/migrate';
import { PrismaSessionRepository, roundRowId, saveRows } from '../../server/persistence/prisma-repository';
import type { SessionRecord, SessionRepository } from '../../server/persistence/repository';
import { hashSecret } from '../../server/secrets';
import { Room } from '../scenario/harness';
import { databaseTargets, type DatabaseTarget, type TestDatabase } from '../helpers/databases';

const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

const teacher = { role: 'teacher' } as const;
const student = (playerId: string) => ({ role: 'student', playerId }) as const;
const secretOf = (playerId: string) => `secret-of-${playerId}-${'x'.repeat(20)}`;

/**
 * A class driven through the game core, as a room would drive it, keeping the hashes the registry
 * would keep. `step` applies an event and says why the room would save (the reducer's reason, or
 * 'moves' for a student's slider, 'lock' for a lock-in).
 */
class Classroom {
  readonly room: Room;
  readonly hostSecret: string;
  private readonly hashes: Record<string, string> = {};

  constructor(seed: number, createdAt = 1_700_000_000_000 + seed * 60_000) {
    this.room = new Room(lesson!, seed, { timerSeconds: 60 });
    this.room.now = createdAt;
    // The harness created the session at its own start time; a session's own time is when it was opened.
    this.room.state = { ...this.room.state, createdAt };
    this.hostSecret = `host-secret-${seed}-${'y'.repeat(20)}`;
  }

  get state(): GameState {
    return this.room.state;
  }

  record(): SessionRecord {
    return { state: this.room.state, hostSecretHash: hashSecret(this.hostSecret), playerSecretHashes: { ...this.hashes } };
  }

  step(event: GameEvent): PersistReason {
    if (event.type === 'seat:join' && event.by.role === 'student') this.hashes[event.by.playerId] = hashSecret(secretOf(event.by.playerId));
    this.room.now += 1_000;
    const result = this.room.dispatch(event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code} (${result.error.message})`);
    return result.effects.find((effect) => effect.type === 'persist')?.reason ?? 'phase';
  }

  join(...names: string[]): this {
    for (const name of names) this.step({ type: 'seat:join', nickname: name, by: student(name) });
    return this;
  }

  /** Where a student sits this round, and a valid allocation leaning on `lean`. */
  allocation(playerId: string, lean: number): number[] {
    const seat = this.state.round?.seats.find((s) => s.members.includes(playerId));
    if (!seat) throw new Error(`${playerId} is not seated`);
    const count = this.state.lesson.tokens.length;
    const weights = new Array<number>(count).fill(0.5 / (count - 1));
    weights[lean % count] = 0;
    weights[lean % count] = 1 - weights.reduce((a, b) => a + b, 0);
    return weights;
  }
}

/** Everything a whole class saves, in order: each step's record and reason. */
function playWholeClass(seed: number): { classroom: Classroom; saves: { record: SessionRecord; reason: PersistReason; label: string }[] } {
  const classroom = new Classroom(seed);
  const saves: { record: SessionRecord; reason: PersistReason; label: string }[] = [{ record: classroom.record(), reason: 'created', label: 'created' }];
  const step = (label: string, event: GameEvent) => saves.push({ reason: classroom.step(event), record: classroom.record(), label });
  for (const name of ['ada', 'ben', 'cleo', 'dev']) step(`join ${name}`, { type: 'seat:join', nickname: name, by: student(name) });
  for (const round of [1, 2]) {
    step(`round ${round}`, round === 1 ? { type: 'teacher:start-round', by: teacher } : { type: 'teacher:next-round', by: teacher });
    step('negotiate', { type: 'teacher:open-negotiation', by: teacher });
    step('ada moves', { type: 'attention:allocate', round, weights: classroom.allocation('ada', round), by: student('ada') });
    step('ada locks in', { type: 'attention:lock', round, by: student('ada') });
    step('ben moves', { type: 'attention:allocate', round, weights: classroom.allocation('ben', round + 2), by: student('ben') });
    if (round === 2) step('dev is kicked', { type: 'teacher:kick', playerId: 'dev', by: teacher });
    step('lock', { type: 'teacher:lock', by: teacher });
    step('reveal', { type: 'teacher:reveal', by: teacher });
  }
  step('podium', { type: 'teacher:podium', by: teacher });
  step('end', { type: 'teacher:end', by: teacher });
  return { classroom, saves };
}

/** A repository under test, fresh for every test. */
interface Subject {
  name: string;
  skip: string | false;
  setUp(): Promise<void>;
  fresh(): Promise<SessionRepository>;
  tearDown(): Promise<void>;
}

function memorySubject(): Subject {
  return {
    name: 'memory',
    skip: false,
    async setUp() {},
    async fresh() {
      return new MemorySessionRepository();
    },
    async tearDown() {},
  };
}

function databaseSubject(target: DatabaseTarget): Subject & { database(): TestDatabase } {
  let t: TestDatabase | undefined;
  return {
    name: target.kind,
    skip: target.skip,
    async setUp() {
      t = await target.open('repository');
    },
    async fresh() {
      if (!t) throw new Error('not set up');
      await t.reset();
      await migrate(t.db);
      return new PrismaSessionRepository(t.db.prisma);
    },
    async tearDown() {
      await t?.close();
    },
    database() {
      if (!t) throw new Error('not set up');
      return t;
    },
  };
}

const targets = await databaseTargets();
const databases = targets.map(databaseSubject);
const subjects: Subject[] = [memorySubject(), ...databases];

describe.each(subjects)('the session repository on $name', (subject) => {
  if (subject.skip) {
    it.skip(`skipped: ${subject.skip}`, () => {});
    return;
  }
  let repository: SessionRepository;

  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  beforeEach(async () => {
    repository = await subject.fresh();
  });

  it('loads back exactly what was saved, at every step of a whole class', async () => {
    const { saves } = playWholeClass(1);
    for (const { record, reason, label } of saves) {
      await repository.saveSession(record, reason);
      expect(await repository.loadSession(record.state.sessionId), label).toEqual(record);
    }
    expect(await repository.loadSession('no-such-session')).toBeNull();
  });

  it('ignores a write older than the stored one, and lets an equal version replace it', async () => {
    const { saves } = playWholeClass(2);
    const newer = saves[8].record;
    const older = saves[3].record;
    await repository.saveSession(newer, 'phase');
    await repository.saveSession(older, 'roster');
    expect(await repository.loadSession(newer.state.sessionId)).toEqual(newer);

    // The same version again (a retry, or the review settings' owner) replaces it.
    const again: SessionRecord = { ...newer, hostSecretHash: hashSecret('a new host secret') };
    await repository.saveSession(again, 'phase');
    expect((await repository.loadSession(newer.state.sessionId))?.hostSecretHash).toBe(again.hostSecretHash);
  });

  it('knows every code it saved, ended sessions included, and no other', async () => {
    const live = new Classroom(3).join('ada');
    const ended = new Classroom(4).join('ben');
    ended.step({ type: 'teacher:end', by: teacher });
    await repository.saveSession(live.record(), 'roster');
    await repository.saveSession(ended.record(), 'phase');
    expect(await repository.findSessionIdByCode(live.state.code)).toBe(live.state.sessionId);
    expect(await repository.findSessionIdByCode(ended.state.code)).toBe(ended.state.sessionId);
    expect(await repository.findSessionIdByCode('ZZZZZZ')).toBeNull();
  });

  it('lists the sessions that have not ended, whole, for a restart', async () => {
    const lobby = new Classroom(5).join('ada', 'ben');
    const playing = new Classroom(6).join('cleo', 'dev');
    playing.step({ type: 'teacher:start-round', by: teacher });
    playing.step({ type: 'teacher:open-negotiation', by: teacher });
    const ended = new Classroom(7).join('eve');
    ended.step({ type: 'teacher:end', by: teacher });
    for (const classroom of [lobby, playing, ended]) await repository.saveSession(classroom.record(), 'phase');

    const live = await repository.listLiveSessions();
    const byId = new Map(live.map((record) => [record.state.sessionId, record]));
    expect([...byId.keys()].sort()).toEqual([lobby.state.sessionId, playing.state.sessionId].sort());
    expect(byId.get(playing.state.sessionId)).toEqual(playing.record());
    expect(byId.get(lobby.state.sessionId)).toEqual(lobby.record());
    expect((await repository.listLiveSessionIds()).sort()).toEqual([lobby.state.sessionId, playing.state.sessionId].sort());

    // Ending a live session takes it off the list.
    lobby.step({ type: 'teacher:end', by: teacher });
    await repository.saveSession(lobby.record(), 'phase');
    expect((await repository.listLiveSessions()).map((record) => record.state.sessionId)).toEqual([playing.state.sessionId]);
    expect(await repository.listLiveSessionIds()).toEqual([playing.state.sessionId]);
  });

  it('lists past sessions most recent first, with their phase and the players not kicked', async () => {
    const first = new Classroom(8, 1_700_000_000_000).join('ada', 'ben', 'cleo');
    first.step({ type: 'teacher:kick', playerId: 'ben', by: teacher });
    const second = new Classroom(9, 1_700_000_100_000).join('dev');
    second.step({ type: 'teacher:end', by: teacher });
    const third = new Classroom(10, 1_700_000_200_000);
    for (const classroom of [second, first, third]) await repository.saveSession(classroom.record(), 'roster');

    const all = await repository.listSessions();
    expect(all).toEqual([
      { sessionId: third.state.sessionId, code: third.state.code, lessonId: 'the-cat-sat', phase: 'lobby', createdAt: 1_700_000_200_000, playerCount: 0 },
      { sessionId: second.state.sessionId, code: second.state.code, lessonId: 'the-cat-sat', phase: 'ended', createdAt: 1_700_000_100_000, playerCount: 1 },
      { sessionId: first.state.sessionId, code: first.state.code, lessonId: 'the-cat-sat', phase: 'lobby', createdAt: 1_700_000_000_000, playerCount: 2 },
    ]);
    expect(await repository.listSessions({ limit: 2 })).toEqual(all.slice(0, 2));
  });

  it('keeps the review settings through the room’s saves, and only for sessions it knows', async () => {
    const classroom = new Classroom(11).join('ada');
    await repository.saveSession(classroom.record(), 'roster');
    expect((await repository.loadSession(classroom.state.sessionId))?.reviewSettings).toBeUndefined();

    expect(await repository.saveReviewSettings(classroom.state.sessionId, { leaderboardHidden: true })).toBe(true);
    classroom.step({ type: 'teacher:end', by: teacher });
    await repository.saveSession(classroom.record(), 'phase');
    const loaded = await repository.loadSession(classroom.state.sessionId);
    expect(loaded?.reviewSettings).toEqual({ leaderboardHidden: true });
    expect(loaded?.state).toEqual(classroom.state);

    expect(await repository.saveReviewSettings(classroom.state.sessionId, { leaderboardHidden: false })).toBe(true);
    expect((await repository.loadSession(classroom.state.sessionId))?.reviewSettings).toEqual({ leaderboardHidden: false });
    expect(await repository.saveReviewSettings('no-such-session', { leaderboardHidden: true })).toBe(false);
  });

  it('hands out copies: changing a loaded record changes nothing stored', async () => {
    const classroom = new Classroom(12).join('ada');
    await repository.saveSession(classroom.record(), 'roster');
    const loaded = await repository.loadSession(classroom.state.sessionId);
    loaded!.state.players[0].nickname = 'changed';
    loaded!.playerSecretHashes.ada = 'changed';
    expect(await repository.loadSession(classroom.state.sessionId)).toEqual(classroom.record());
  });

  it('takes many rooms saving at once', async () => {
    const classrooms = Array.from({ length: 12 }, (_, i) => new Classroom(100 + i).join(`a${i}`, `b${i}`));
    await Promise.all(classrooms.map((classroom) => repository.saveSession(classroom.record(), 'roster')));
    for (const classroom of classrooms) classroom.step({ type: 'teacher:start-round', by: teacher });
    await Promise.all(classrooms.map((classroom) => repository.saveSession(classroom.record(), 'phase')));
    for (const classroom of classrooms) expect(await repository.loadSession(classroom.state.sessionId)).toEqual(classroom.record());
  });
});

describe.each(databases)('the tables a review reads, on $name', (subject) => {
  if (subject.skip) {
    it.skip(`skipped: ${subject.skip}`, () => {});
    return;
  }
  let repository: SessionRepository;

  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  beforeEach(async () => {
    repository = await subject.fresh();
  });

  it('holds the rounds, the final allocations with their lock times, the results and the totals', async () => {
    const { classroom, saves } = playWholeClass(20);
    for (const { record, reason } of saves) await repository.saveSession(record, reason);
    const { prisma } = subject.database().db;
    const state = classroom.state;
    const sessionId = state.sessionId;

    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session).toMatchObject({ code: state.code, lessonId: 'the-cat-sat', phase: 'ended', version: state.version, settings: state.settings });
    expect(session.lesson).toEqual(state.lesson);
    expect(session.createdAt.getTime()).toBe(state.createdAt);
    expect(session.endedAt).toBeInstanceOf(Date);

    const players = await prisma.player.findMany({ where: { sessionId }, orderBy: { joinedAt: 'asc' } });
    expect(players.map((p) => ({ id: p.id, nickname: p.nickname, kicked: p.kicked, totalScore: p.totalScore, joinedAt: p.joinedAt.getTime() }))).toEqual(
      state.players.map((p) => ({ id: p.id, nickname: p.nickname, kicked: p.kicked, totalScore: p.total, joinedAt: p.joinedAt })),
    );

    const rounds = await prisma.round.findMany({ where: { sessionId }, orderBy: { number: 'asc' }, include: { allocations: true, result: true, playerResults: true } });
    expect(rounds.map((r) => r.number)).toEqual([1, 2]);
    for (const round of rounds) {
      const results = state.history.find((h) => h.round === round.number)!;
      expect(round.id).toBe(roundRowId(sessionId, round.number));
      expect({ scale: round.scale, temperature: round.temperature, causal: round.causal }).toEqual(results.options);
      expect(round.lockedAt).toBeInstanceOf(Date);
      expect(round.revealedAt?.getTime()).toBe(results.revealedAt);
      expect(round.startedAt.getTime()).toBeLessThan(round.lockedAt!.getTime());

      // Every student seated at the lock has a final allocation; only Ada locked in herself.
      const seated = results.players.map((p) => p.playerId).sort();
      expect(round.allocations.map((a) => a.playerId).sort()).toEqual(seated);
      for (const allocation of round.allocations) {
        const result = results.players.find((p) => p.playerId === allocation.playerId)!;
        expect(allocation).toMatchObject({ seat: result.seat, token: result.token, head: result.head, weights: result.allocation });
        expect(allocation.lockedAt === null).toBe(allocation.playerId !== 'ada');
      }

      expect(round.result).toMatchObject({ classScore: results.classScore, trueAttention: results.truth });
      expect(round.playerResults.map((p) => p.playerId).sort()).toEqual(seated);
      for (const playerResult of round.playerResults) {
        const result = results.players.find((p) => p.playerId === playerResult.playerId)!;
        expect(playerResult).toMatchObject({
          score: result.score,
          bonus: result.bonus,
          cosine: result.cosine,
          overWeightedToken: result.overWeighted?.token ?? null,
          overWeightedBy: result.overWeighted?.by ?? null,
        });
      }
    }
    // Dev was kicked in round 2 before the lock: a result in round 1 only.
    expect(rounds[1].playerResults.some((p) => p.playerId === 'dev')).toBe(false);
    expect(rounds[0].playerResults.some((p) => p.playerId === 'dev')).toBe(true);
  });

  it('writes a student’s allocation before the lock only once they locked in', async () => {
    const classroom = new Classroom(21).join('ada', 'ben');
    classroom.step({ type: 'teacher:start-round', by: teacher });
    classroom.step({ type: 'teacher:open-negotiation', by: teacher });
    classroom.step({ type: 'attention:allocate', round: 1, weights: classroom.allocation('ada', 3), by: student('ada') });
    classroom.step({ type: 'attention:lock', round: 1, by: student('ada') });
    classroom.step({ type: 'attention:allocate', round: 1, weights: classroom.allocation('ben', 2), by: student('ben') });
    await repository.saveSession(classroom.record(), 'phase');
    const { prisma } = subject.database().db;
    const allocations = await prisma.allocation.findMany();
    expect(allocations).toHaveLength(1);
    expect(allocations[0]).toMatchObject({ playerId: 'ada', weights: classroom.allocation('ada', 3) });
    expect(allocations[0].lockedAt?.getTime()).toBe(allocationOf(classroom.state.round!, 'ada')?.lockedInAt);
    // Ben's move is in the snapshot all the same.
    expect(allocationOf((await repository.loadSession(classroom.state.sessionId))!.state.round!, 'ben')?.weights).toEqual(classroom.allocation('ben', 2));
  });

  it('keeps secrets only as hashes', async () => {
    const { classroom, saves } = playWholeClass(22);
    for (const { record, reason } of saves) await repository.saveSession(record, reason);
    const { db } = subject.database();
    const dump = await db.sql.withSession((session) =>
      session.query<{ everything: string }>(
        `SELECT concat_ws(' ', (SELECT json_agg(s)::text FROM "Session" s), (SELECT json_agg(p)::text FROM "Player" p)) AS "everything"`,
      ),
    );
    const everything = dump[0].everything;
    expect(everything).toContain(hashSecret(classroom.hostSecret));
    expect(everything).not.toContain(classroom.hostSecret);
    for (const player of classroom.state.players) {
      expect(everything).toContain(hashSecret(secretOf(player.id)));
      expect(everything).not.toContain(secretOf(player.id));
    }
  });

  it('does not let an older write touch players, rounds or results', async () => {
    const { saves } = playWholeClass(23);
    const revealed = saves.findLast((s) => s.label === 'reveal')!;
    const early = saves.find((s) => s.label === 'join ben')!;
    await repository.saveSession(revealed.record, 'phase');
    const { prisma } = subject.database().db;
    const before = await prisma.player.findMany({ orderBy: { id: 'asc' } });
    await repository.saveSession(early.record, 'roster');
    expect(await prisma.player.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('saves in one statement, whatever the class size', async () => {
    const classroom = new Classroom(24).join(...Array.from({ length: 30 }, (_, i) => `p${i}`));
    classroom.step({ type: 'teacher:start-round', by: teacher });
    classroom.step({ type: 'teacher:open-negotiation', by: teacher });
    classroom.step({ type: 'teacher:lock', by: teacher });
    classroom.step({ type: 'teacher:reveal', by: teacher });
    const rows = saveRows(classroom.record());
    expect(rows.players).toHaveLength(30);
    expect(rows.allocations).toHaveLength(30);
    expect(rows.playerResults).toHaveLength(30);

    // A client of our own over the same database, which reports every statement it sends.
    const t = subject.database();
    let pglite: PGlite | null = null;
    if (t.kind === 'pglite') {
      pglite = await PGlite.create();
      await migrate(databaseFromPGlite(pglite).sql);
    }
    const prisma = new PrismaClient({
      adapter: pglite ? new PrismaPGlite(pglite) : new PrismaPg({ connectionString: t.url! }),
      log: [{ emit: 'event', level: 'query' }],
    });
    try {
      const statements: string[] = [];
      prisma.$on('query', (event) => statements.push(event.query));
      const counted = new PrismaSessionRepository(prisma);
      await counted.saveSession(classroom.record(), 'phase');
      expect(statements).toHaveLength(1);
      expect((await counted.loadSession(classroom.state.sessionId))?.state).toEqual(classroom.state);
    } finally {
      await prisma.$disconnect();
      await pglite?.close();
    }
  });
});
