/**
 * Nothing is lost. With real processes, on the embedded PGlite and on PostgreSQL: a class plays a
 * round, starts the next one, students move their sliders and one locks in, then the server is killed
 * with SIGKILL in the middle of the negotiation and started again on the same port. The clients are
 * the browser's own `ArenaClient`s: they reconnect by themselves, prove who they are again, and find
 * the same seats, allocations, lock-ins and scores; the class then finishes the round.
 *
 * Also: a server with unusable database settings stops at once and says why; and, in process with a
 * fake clock, when the saves of students' moves happen (a lock-in right behind it, slider moves at
 * most once per delay per room).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allocationOf } from '../../lib/game';
import { ArenaClient, memoryStore, socketIoTransport, type ArenaSnapshot } from '../../lib/client';
import type { StudentView, TeacherView } from '../../lib/protocol';
import { MOVES_SAVE_DELAY_MS } from '../../server/realtime';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { databaseTargets, type TestDatabase } from '../helpers/databases';
import { leaning, studentView, until as waitForClient } from '../helpers/arena-clients';
import { freePort, ServerProcess } from '../helpers/processes';
import { setUpArenas } from '../helpers/arenas';
import { allocation, openClassroom } from '../helpers/sockets';

/** Waiting for something a server does at once (or a client that reconnects within a second or two). */
const WAIT_MS = 20_000;

afterAll(() => ServerProcess.killAll());

/** The browser's client, waited on for anything a server does at once or a reconnection. */
function until<T>(client: ArenaClient, read: (snapshot: ArenaSnapshot) => T | undefined, what: string, timeoutMs = WAIT_MS): Promise<T> {
  return waitForClient(client, read, what, timeoutMs);
}

/** What a student's seat holds, as both processes must agree on it. */
function seatState(view: StudentView) {
  return { seat: view.seat?.seat, token: view.seat?.token, head: view.seat?.head, allocation: view.seat?.allocation, lockedIn: view.seat?.lockedIn, total: view.me.total };
}

const targets = await databaseTargets();

describe.each(targets)('kill -9 in the middle of a negotiation, on $kind', (target) => {
  if (target.skip) {
    it.skip(`skipped: ${target.skip}`, () => {});
    return;
  }

  let database: TestDatabase | null = null;
  let dataDir: string | null = null;
  const clients: ArenaClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.close();
    await ServerProcess.killAll();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings the session back; the clients reconnect by themselves to their seats, allocations and scores', { timeout: 600_000 }, async () => {
    let env: Record<string, string>;
    if (target.kind === 'pglite') {
      dataDir = mkdtempSync(path.join(tmpdir(), 'arena-recovery-'));
      env = { DATA_DIR: dataDir };
    } else {
      database = await target.open('recovery');
      env = { DATABASE_URL: database.url! };
    }
    const port = await freePort();
    let server = await ServerProcess.start({ port, env });
    expect(server.output).toContain(target.kind === 'pglite' ? `Database: PGlite in ${path.join(dataDir!, 'pglite')}` : 'Database: PostgreSQL at');

    const connect = () => {
      const client = new ArenaClient({
        transport: socketIoTransport({ url: server.url, reconnectionDelayMs: 100, reconnectionDelayMaxMs: 500 }),
        store: memoryStore(),
        resyncIntervalMs: 0,
        requestTimeoutMs: WAIT_MS,
      });
      clients.push(client);
      return client;
    };

    // ——— a class: the teacher and three students ———
    const teacher = connect();
    const { code } = await teacher.createSession({ lessonId: 'the-cat-sat', settings: { timerSeconds: 900 } });
    const students = [connect(), connect(), connect()];
    for (const [i, student] of students.entries()) await student.join(code, `student ${i + 1}`);

    // ——— round 1, played to the reveal ———
    await teacher.request('teacher:start-round', {});
    await teacher.request('teacher:open-negotiation', {});
    for (const [i, student] of students.entries()) {
      const view = await until(student, (s) => (studentView(s)?.phase === 'negotiate' && studentView(s)?.seat ? studentView(s) : undefined), 'a seat in round 1');
      await student.request('attention:allocate', { round: 1, weights: leaning(view, i, 0.6) });
    }
    await teacher.request('teacher:lock', {});
    await teacher.request('teacher:reveal', {});
    for (const student of students) await until(student, (s) => (studentView(s)?.result ? true : undefined), 'the round 1 result');
    const afterRound1 = students.map((student) => studentView(student.snapshot)!.me.total);
    expect(afterRound1.every((total) => total > 0)).toBe(true);

    // ——— round 2: sliders moved, one student locked in ———
    await teacher.request('teacher:next-round', {});
    await teacher.request('teacher:open-negotiation', {});
    const seated = await Promise.all(
      students.map((student) =>
        until(student, (s) => (studentView(s)?.phase === 'negotiate' && studentView(s)?.round?.number === 2 && studentView(s)?.seat ? studentView(s) : undefined), 'a seat in round 2'),
      ),
    );
    await students[1].request('attention:allocate', { round: 2, weights: leaning(seated[1], 1, 0.7) });
    await students[2].request('attention:allocate', { round: 2, weights: leaning(seated[2], 2, 0.8) });
    await students[0].request('attention:allocate', { round: 2, weights: leaning(seated[0], 0, 0.9) });
    await students[0].request('attention:lock', { round: 2 });
    // The lock is saved right behind it in the room's queue; this answer comes through the same queue.
    const { view: lastSeen } = await students[0].request('state:sync', {});
    expect(lastSeen.phase).toBe('negotiate');
    const before = await Promise.all(students.map(async (student) => seatState((await student.request('state:sync', {})).view as StudentView)));
    expect(before[0].lockedIn).toBe(true);
    expect(before.map((b) => b.total)).toEqual(afterRound1);
    const teacherBefore = (await teacher.request('state:sync', {})).view as TeacherView;

    // ——— kill -9 ———
    await server.crash();
    for (const client of [teacher, ...students]) await until(client, (s) => (s.status === 'reconnecting' ? true : undefined), 'the client to notice');

    server = await ServerProcess.start({ port, env });
    expect(server.output).toContain('Restored 1 live session(s)');

    // Nobody did anything: each client came back and proved who it is by itself.
    for (const client of [teacher, ...students]) await until(client, (s) => (s.status === 'connected' && s.identified ? true : undefined), 'the client to be back');
    const after = await Promise.all(students.map(async (student) => (await student.request('state:sync', {})).view as StudentView));
    expect(after.map((view) => view.phase)).toEqual(['negotiate', 'negotiate', 'negotiate']);
    expect(after.map((view) => view.round?.number)).toEqual([2, 2, 2]);
    expect(after.map(seatState)).toEqual(before);
    const teacherAfter = (await teacher.request('state:sync', {})).view as TeacherView;
    expect(teacherAfter.players).toEqual(teacherBefore.players);
    expect(teacherAfter.round?.timer.deadline).toBe(teacherBefore.round?.timer.deadline);
    expect(teacherAfter.history).toEqual(teacherBefore.history);

    // ——— the class goes on: the others lock in, the round locks, the reveal adds to the kept scores ———
    await students[1].request('attention:lock', { round: 2 });
    await until(students[1], (s) => (studentView(s)?.seat?.lockedIn ? true : undefined), 'student 2’s own view to show the lock');
    await students[2].request('attention:lock', { round: 2 });
    await until(teacher, (s) => (s.view?.phase === 'locked' ? true : undefined), 'the round to lock once everyone locked in');
    await teacher.request('teacher:reveal', {});
    for (const [i, student] of students.entries()) {
      const view = await until(student, (s) => (studentView(s)?.result?.round === 2 ? studentView(s) : undefined), 'the round 2 result');
      expect(view.result?.allocation).toEqual(before[i].allocation);
      expect(view.me.total).toBeCloseTo(afterRound1[i] + view.result!.score + view.result!.bonus, 6);
    }

    for (const client of clients.splice(0)) client.close();
    expect(await server.stop()).toBe(0);
  });
});

describe('start-up', () => {
  it('stops with exit code 1 and says why when the database settings are wrong or the server does not answer', { timeout: 600_000 }, async () => {
    const port = await freePort();
    const badUrl = ServerProcess.start({ port, env: { DATABASE_URL: 'mysql://someone@db/arena', ARENA_API_ONLY: 'maybe' } });
    await expect(badUrl).rejects.toThrow(/exited \(code 1\) before printing/);
    const output = String(await badUrl.catch((error: unknown) => error));
    expect(output).toContain('DATABASE_URL (got "mysql://someone@db/arena"): must start with postgres://');
    expect(output).toContain('ARENA_API_ONLY (got "maybe")');

    // Port 1 on this machine: nobody listens, the connection is refused at once. The password stays hidden.
    const unreachable = ServerProcess.start({ port, env: { DATABASE_URL: 'postgres://arena:hunter2@127.0.0.1:1/arena' } });
    const message = String(await unreachable.catch((error: unknown) => error));
    expect(message).toMatch(/exited \(code 1\) before printing/);
    expect(message).toContain('Attention Arena failed to start: Cannot use PostgreSQL at postgres://arena:***@127.0.0.1:1/arena');
    expect(message).not.toContain('hunter2');
  });
});

describe('saving students’ moves (in process, fake clock)', () => {
  const arenas = setUpArenas();

  async function negotiatingClass(repository: MemorySessionRepository) {
    const arena = await arenas.boot({ repository, seed: 5 });
    const room = await openClassroom(arena, 'the-cat-sat', 2, { timerSeconds: 600 });
    await room.teacher.must('teacher:start-round', {});
    await room.teacher.must('teacher:open-negotiation', {});
    const views = await Promise.all(room.students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)));
    const sessionId = room.sessionId;
    const stored = async () => (await repository.loadSession(sessionId))!;
    return { arena, room, views, stored, writesSoFar: () => repository.writes.length };
  }

  it('saves a lock-in before the room applies anything else', async () => {
    const repository = new MemorySessionRepository();
    const { room, views, stored, writesSoFar } = await negotiatingClass(repository);
    const before = writesSoFar();
    const weights = allocation(6, views[0].seat!.token, 0.5, views[0].seat!.allowedTokens);
    await room.students[0].must('attention:allocate', { round: 1, weights });
    await room.students[0].must('attention:lock', { round: 1 });
    await room.students[0].barrier();
    const saved = await stored();
    expect(allocationOf(saved.state.round!, room.playerIds[0])).toMatchObject({ weights, lockedIn: true });
    // One save for the lock (the slider move before it waits for its delay, and the lock's save covers it).
    expect(repository.writes.slice(before).map((w) => w.reason)).toEqual(['lock']);
  });

  it('saves slider moves once per delay per room, and at once when stopped', async () => {
    const repository = new MemorySessionRepository();
    const { arena: booted, room, views, stored, writesSoFar } = await negotiatingClass(repository);
    const before = writesSoFar();
    let last: number[] = [];
    for (const [i, weight] of [0.3, 0.4, 0.5, 0.6].entries()) {
      const who = i % 2;
      last = allocation(6, views[who].seat!.token, weight, views[who].seat!.allowedTokens);
      await room.students[who].must('attention:allocate', { round: 1, weights: last });
    }
    expect(writesSoFar()).toBe(before);

    booted.clock.advance(MOVES_SAVE_DELAY_MS);
    await room.students[1].barrier();
    expect(writesSoFar()).toBe(before + 1);
    expect(allocationOf((await stored()).state.round!, room.playerIds[1])?.weights).toEqual(last);

    // A move, then the server stops before its delay is up: stopping saves it.
    const final = allocation(6, views[0].seat!.token, 0.9, views[0].seat!.allowedTokens);
    await room.students[0].must('attention:allocate', { round: 1, weights: final });
    await room.students[0].barrier();
    await booted.close();
    expect(writesSoFar()).toBe(before + 2);
    expect(allocationOf((await stored()).state.round!, room.playerIds[0])?.weights).toEqual(final);
  });
});
