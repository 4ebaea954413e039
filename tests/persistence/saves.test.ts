/**
 * How the Prisma repository saves, on the embedded PGlite and on PostgreSQL: saves arriving together
 * are written together (per session only the newest record), each caller hears back only once its
 * record is stored, a failed write rejects every caller in it; a save writes only the rows that
 * changed; the finished rounds live in rows of their own, and a restart (a new repository) and the
 * review read them back.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GameEvent } from '../../lib/game';
import { getLesson } from '../../lib/lessons/curated';
import { buildReview, toCsv } from '../../lib/review';
import { migrate, MIGRATIONS_DIR } from '../../server/persistence/migrate';
import { nothingWritten, PrismaSessionRepository, remember, saveRows } from '../../server/persistence/prisma-repository';
import type { SessionRecord } from '../../server/persistence/repository';
import { hashSecret } from '../../server/secrets';
import { Room } from '../scenario/harness';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

const teacher = { role: 'teacher' } as const;
const student = (playerId: string) => ({ role: 'student', playerId }) as const;

/** A class played by the game core; `record()` is what the room would save now. */
class Classroom {
  readonly room: Room;
  private readonly hashes: Record<string, string> = {};

  constructor(seed: number) {
    this.room = new Room(lesson!, seed, { timerSeconds: 60 });
    this.room.state = { ...this.room.state, sessionId: `saves-${seed}`, code: `SAVES${String(seed).padStart(3, '0')}` };
  }

  record(): SessionRecord {
    return { state: this.room.state, hostSecretHash: hashSecret(`host ${this.room.state.sessionId}`), playerSecretHashes: { ...this.hashes } };
  }

  step(event: GameEvent): SessionRecord {
    if (event.type === 'seat:join' && event.by.role === 'student') this.hashes[event.by.playerId] = hashSecret(`secret ${event.by.playerId}`);
    this.room.now += 1_000;
    const result = this.room.dispatch(event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code}`);
    return this.record();
  }

  /** Player ids are unique across sessions, as the server mints them. */
  join(name: string): SessionRecord {
    return this.step({ type: 'seat:join', nickname: name, by: student(`${this.room.state.sessionId}-${name}`) });
  }

  /** Every seated student moves and the round is locked and revealed. */
  playRound(): SessionRecord[] {
    const number = (this.room.state.round?.number ?? 0) + 1;
    const records = [this.step(number === 1 ? { type: 'teacher:start-round', by: teacher } : { type: 'teacher:next-round', by: teacher })];
    records.push(this.step({ type: 'teacher:open-negotiation', by: teacher }));
    for (const seat of this.room.state.round!.seats) {
      for (const playerId of seat.members) {
        const weights = this.room.state.lesson.tokens.map((_, t) => (t === seat.token ? 1 : 0));
        const result = this.room.dispatch({ type: 'attention:allocate', round: number, weights, by: student(playerId) });
        if (result.ok) records.push(this.record());
      }
    }
    records.push(this.step({ type: 'teacher:lock', by: teacher }));
    records.push(this.step({ type: 'teacher:reveal', by: teacher }));
    return records;
  }
}

describe('what a save writes', () => {
  it('leaves out the rows it already wrote: a join writes one player, a move no round rows', () => {
    const classroom = new Classroom(1);
    for (let i = 0; i < 30; i++) classroom.join(`p${i}`);
    const written = nothingWritten();
    const roster = saveRows(classroom.record(), written);
    expect(roster.players).toHaveLength(30);
    remember(written, roster);

    const joined = saveRows(classroom.join('late'), written);
    expect(joined.players.map((p) => p.nickname)).toEqual(['late']);
    remember(written, joined);

    classroom.step({ type: 'teacher:start-round', by: teacher });
    const started = saveRows(classroom.step({ type: 'teacher:open-negotiation', by: teacher }), written);
    expect(started.players).toEqual([]);
    expect(started.rounds).toHaveLength(1);
    remember(written, started);
    // Nothing changed since: nothing but the session row.
    const again = saveRows(classroom.record(), written);
    expect([again.players, again.rounds, again.allocations, again.history]).toEqual([[], [], [], []]);

    classroom.step({ type: 'teacher:lock', by: teacher });
    const revealed = saveRows(classroom.step({ type: 'teacher:reveal', by: teacher }), written);
    expect(revealed.history.map((h) => h.round)).toEqual([1]);
    expect(revealed.allocations).toHaveLength(31);
    expect(revealed.playerResults).toHaveLength(31);
    remember(written, revealed);
    const next = saveRows(classroom.step({ type: 'teacher:next-round', by: teacher }), written);
    // Totals changed at the reveal and were written then; the finished round is not written again.
    expect([next.players, next.history, next.roundResults, next.playerResults]).toEqual([[], [], [], []]);
    expect(JSON.parse(next.session.snapshot)).not.toHaveProperty('history');
  });
});

const targets = await databaseTargets();

describe.each(targets)('saves on $kind', (target) => {
  if (target.skip) {
    it.skip(`skipped: ${target.skip}`, () => {});
    return;
  }
  let t: TestDatabase;
  let repository: PrismaSessionRepository;

  beforeAll(async () => {
    t = await target.open('saves');
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.reset();
    await migrate(t.db);
    // As the server saves: straight on the driver (the restart below goes through Prisma).
    repository = new PrismaSessionRepository(t.db.prisma, t.db.runStatements);
  });

  const storedVersion = async (sessionId: string) => {
    const rows = await t.db.sql.withSession((s) => s.query<{ version: number }>('SELECT "version" FROM "Session" WHERE "id" = $1', [sessionId]));
    return rows[0]?.version ?? -1;
  };

  it('writes saves that arrive together at once, and answers each caller only once its record is stored', async () => {
    const classes = [1, 2, 3, 4, 5].map((seed) => new Classroom(10 + seed));
    const saves: Promise<void>[] = [];
    const checks: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      for (const classroom of classes) {
        const record = classroom.join(`s${i}`);
        const saved = repository.saveSession(record, 'roster');
        saves.push(saved);
        checks.push(saved.then(async () => expect(await storedVersion(record.state.sessionId)).toBeGreaterThanOrEqual(record.state.version)));
      }
    }
    await Promise.all(checks);
    // Fifty joins of five classes: one transaction, one statement per class.
    expect(repository.writes).toBe(1);
    expect(repository.statements).toBe(5);
    for (const classroom of classes) {
      const loaded = await repository.loadSession(classroom.room.state.sessionId);
      expect(loaded).toEqual(classroom.record());
    }
  });

  it('rejects every caller of a failed write, then writes every row again', async () => {
    const classroom = new Classroom(20);
    for (const name of ['ada', 'ben', 'cleo']) classroom.join(name);
    await repository.saveSession(classroom.record(), 'roster');
    const sessionId = classroom.room.state.sessionId;
    // Rows lost behind the repository's back: only a save that writes every row brings them back.
    await t.db.sql.withSession((s) => s.exec(`DELETE FROM "Player" WHERE "sessionId" = '${sessionId}'`));

    await t.db.sql.withSession((s) => s.exec('ALTER TABLE "Session" RENAME TO "Gone"'));
    const failing = ['dev', 'eve', 'fay'].map((name) => repository.saveSession(classroom.join(name), 'roster'));
    const outcomes = await Promise.allSettled(failing);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await t.db.sql.withSession((s) => s.exec('ALTER TABLE "Gone" RENAME TO "Session"'));

    await repository.saveSession(classroom.join('gus'), 'roster');
    const loaded = await repository.loadSession(sessionId);
    expect(loaded).toEqual(classroom.record());
    expect(Object.keys(loaded!.playerSecretHashes).sort()).toEqual(['ada', 'ben', 'cleo', 'dev', 'eve', 'fay', 'gus'].map((name) => `${sessionId}-${name}`));
  });

  it('keeps the finished rounds in rows of their own, which a restart and the review read back', async () => {
    const classroom = new Classroom(30);
    for (const name of ['ada', 'ben', 'cleo', 'dev']) await repository.saveSession(classroom.join(name), 'roster');
    for (let round = 0; round < 3; round++) {
      for (const record of classroom.playRound()) await repository.saveSession(record, 'phase');
    }
    const state = classroom.room.state;
    expect(state.history.map((h) => h.round)).toEqual([1, 2, 3]);

    const [session] = await t.db.sql.withSession((s) =>
      s.query<{ snapshot: Record<string, unknown> }>('SELECT "snapshot" FROM "Session" WHERE "id" = $1', [state.sessionId]),
    );
    expect(session.snapshot).not.toHaveProperty('history');
    const rows = await t.db.prisma.roundHistory.findMany({ where: { sessionId: state.sessionId }, orderBy: { round: 'asc' } });
    expect(rows.map((r) => r.results)).toEqual(JSON.parse(JSON.stringify(state.history)));

    // A restart: a new repository over the same database.
    const restarted = new PrismaSessionRepository(t.db.prisma);
    const [live] = await restarted.listLiveSessions();
    expect(live.state.history).toEqual(state.history);
    expect(toCsv(buildReview(live.state))).toBe(toCsv(buildReview(state)));
    expect(buildReview(live.state)).toEqual(buildReview(state));

    // The restored room goes on: round 4 adds one row and leaves the others as they were.
    for (const record of classroom.playRound()) await restarted.saveSession(record, 'phase');
    expect(await t.db.prisma.roundHistory.count({ where: { sessionId: state.sessionId } })).toBe(4);
    expect((await repository.loadSession(state.sessionId))?.state.history).toEqual(classroom.room.state.history);
  });

  it('moves the finished rounds of sessions saved before out of their snapshots when migrating', async () => {
    const classroom = new Classroom(40);
    for (const name of ['ada', 'ben']) classroom.join(name);
    classroom.playRound();
    classroom.playRound();
    await repository.saveSession(classroom.record(), 'phase');
    const state = classroom.room.state;

    // The database as the migrations before this one left it, with a snapshot that still holds the rounds.
    const earlier = mkdtempSync(path.join(tmpdir(), 'arena-migrations-'));
    try {
      const names = readdirSync(MIGRATIONS_DIR).filter((name) => /^\d+_/.test(name)).sort();
      const roundHistory = names.find((name) => name.endsWith('_round_history'))!;
      for (const name of names.filter((n) => n < roundHistory)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(earlier, name), { recursive: true });
      await t.reset();
      await migrate(t.db, { migrationsDir: earlier });
    } finally {
      rmSync(earlier, { recursive: true, force: true });
    }
    const { lesson: _lesson, ...snapshot } = state;
    await t.db.sql.withSession((s) =>
      s.query(
        `INSERT INTO "Session" ("id", "code", "lessonId", "lesson", "settings", "hostSecretHash", "phase", "snapshot", "version", "updatedAt")
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, 'hash', 'reveal', $6::jsonb, $7, now())`,
        [state.sessionId, state.code, state.lesson.id, JSON.stringify(state.lesson), JSON.stringify(state.settings), JSON.stringify(snapshot), state.version],
      ),
    );
    await migrate(t.db);
    const rows = await t.db.prisma.roundHistory.findMany({ where: { sessionId: state.sessionId }, orderBy: { round: 'asc' } });
    expect(rows.map((r) => r.round)).toEqual([1, 2]);
    const [session] = await t.db.sql.withSession((s) => s.query<{ snapshot: Record<string, unknown> }>('SELECT "snapshot" FROM "Session"'));
    expect(session.snapshot).not.toHaveProperty('history');
    expect((await new PrismaSessionRepository(t.db.prisma).loadSession(state.sessionId))?.state).toEqual(state);
  });
});
