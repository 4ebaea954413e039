/**
 * Several processes: two real server processes on one PostgreSQL database and one Redis. A student
 * connected to process B plays in a room process A runs (every event forwarded to A, every view back
 * through the adapter); then, behind one address, the process that owns a room is killed with SIGKILL
 * in the middle of a negotiation: the other process takes the room over from the database, the
 * clients reconnect by themselves, every lock-in is still there and the round is revealed.
 *
 * Skipped, with the reason, when Redis or PostgreSQL cannot be reached; with CI=true that is an error.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaClient, memoryStore, socketIoTransport, type ArenaSnapshot } from '../../lib/client';
import type { StudentView, TeacherView } from '../../lib/protocol';
import { Balancer } from '../helpers/balancer';
import { databaseTargets, type TestDatabase } from '../helpers/databases';
import { freePort, ServerProcess } from '../helpers/processes';
import { leaning, studentView, until as waitForClient } from '../helpers/arena-clients';
import { REDIS_URL, redisProblem as findRedisProblem } from '../helpers/redis';
import { Client } from '../helpers/sockets';

/** Waiting for something a server does at once, or for a takeover (a lease's life and a scan). */
const WAIT_MS = 30_000;


const postgres = (await databaseTargets()).find((target) => target.kind === 'postgres')!;
const redisProblem = await findRedisProblem();
if (redisProblem && process.env.CI === 'true') throw new Error(`${redisProblem}. CI must test several processes: start Redis or set TEST_REDIS_URL.`);
const skip = postgres.skip || redisProblem;
if (skip) console.warn(`Skipping the several-processes tests: ${skip}.`);

/** The browser's client, waited on for anything a server does at once or for a takeover. */
function until<T>(client: ArenaClient, read: (snapshot: ArenaSnapshot) => T | undefined, what: string): Promise<T> {
  return waitForClient(client, read, what, WAIT_MS);
}

describe.skipIf(skip)('two server processes, one Redis, one PostgreSQL', () => {
  let database: TestDatabase | null = null;
  let balancer: Balancer | null = null;
  let redis: Redis | null = null;
  const servers: ServerProcess[] = [];
  const prefix = `arena-test-scale-${randomBytes(4).toString('hex')}`;
  const sockets: Client[] = [];
  const clients: ArenaClient[] = [];

  beforeAll(async () => {
    database = await postgres.open('scale');
    redis = new Redis(REDIS_URL);
    const env = { DATABASE_URL: database.url!, REDIS_URL, REDIS_PREFIX: prefix };
    // One after the other: the second finds the migrations applied.
    for (let i = 0; i < 2; i++) servers.push(await ServerProcess.start({ port: await freePort(), env }));
    balancer = await Balancer.start(servers.map((server) => server.port));
  }, 600_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const client of clients) client.close();
    await ServerProcess.killAll();
    await balancer?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await database?.close();
  });

  it('a student on process B sees the teacher on process A start the round, and A applies the student’s moves', { timeout: 120_000 }, async () => {
    const [a, b] = servers;
    const teacher = await Client.connect(a.url);
    const stage = await Client.connect(b.url);
    const student = await Client.connect(b.url);
    sockets.push(teacher, stage, student);
    const { code, sessionId } = await teacher.must('session:create', { lessonId: 'the-cat-sat', settings: { timerSeconds: 900 } });
    const processA = await redis!.get(`${prefix}:lease:${sessionId}`);
    expect(processA).toContain(`-${a.child.pid}-`);

    const { playerId } = await student.must('seat:join', { code, nickname: 'on b' });
    await stage.must('stage:watch', { code });
    await teacher.waitForView<TeacherView>((v) => v.players.some((p) => p.playerId === playerId), 'the student from B on the teacher’s roster');

    await teacher.must('teacher:start-round', {});
    await student.waitForView<StudentView>((v) => v.phase === 'cards' && v.round?.number === 1, 'the round to start on B');
    await teacher.must('teacher:open-negotiation', {});
    const seated = await student.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat on B');
    await stage.waitForView((v) => v.phase === 'negotiate', 'the stage on B to follow');

    const weights = leaning(seated, 0, 0.7);
    await student.must('attention:allocate', { round: 1, weights });
    // The student's own answer came through A; so does the teacher's update.
    await teacher.waitForView<TeacherView>((v) => JSON.stringify(v.players.find((p) => p.playerId === playerId)?.allocation) === JSON.stringify(weights), 'the move on the teacher’s view');
    await student.must('attention:lock', { round: 1 });
    expect((await student.barrier()) as StudentView).toMatchObject({ seat: { lockedIn: true } });
    await teacher.waitForView((v) => v.phase === 'locked', 'the round to lock once the only student locked in');
    await teacher.must('teacher:reveal', {});
    const result = await student.waitForView<StudentView>((v) => v.result !== null, 'the result on B');
    expect(result.result?.allocation).toEqual(weights);
    expect(await redis!.get(`${prefix}:lease:${sessionId}`)).toBe(processA);

    // Leaving on B is leaving on A: the student shows as away.
    student.disconnect();
    await teacher.waitForView<TeacherView>((v) => v.players.find((p) => p.playerId === playerId)?.away === true, 'the student away after leaving B');
  });

  it('a phone that joins a room of the other process leaves its room on this one', { timeout: 120_000 }, async () => {
    const [a, b] = servers;
    const teacherA = await Client.connect(a.url);
    const teacherB = await Client.connect(b.url);
    const phone = await Client.connect(b.url);
    sockets.push(teacherA, teacherB, phone);
    const here = await teacherB.must('session:create', { lessonId: 'the-cat-sat' });
    const there = await teacherA.must('session:create', { lessonId: 'the-cat-sat' });
    const { playerId } = await phone.must('seat:join', { code: here.code, nickname: 'wanders' });
    await teacherB.waitForView<TeacherView>((v) => v.players.some((p) => p.playerId === playerId && !p.away), 'the phone in the room of B');
    await phone.must('seat:join', { code: there.code, nickname: 'wanders' });
    await teacherB.waitForView<TeacherView>((v) => v.players.find((p) => p.playerId === playerId)?.away === true, 'the phone away from the room of B');
  });

  it('kill -9 of a room’s owner: the other process takes it over, the clients come back by themselves, no lock-in is lost', { timeout: 240_000 }, async () => {
    const connect = () => {
      const client = new ArenaClient({
        transport: socketIoTransport({ url: balancer!.url, reconnectionDelayMs: 200, reconnectionDelayMaxMs: 1000 }),
        store: memoryStore(),
        resyncIntervalMs: 0,
        requestTimeoutMs: WAIT_MS,
      });
      clients.push(client);
      return client;
    };
    const teacher = connect();
    const { code } = await teacher.createSession({ lessonId: 'the-cat-sat', settings: { timerSeconds: 900 } });
    const students = [connect(), connect(), connect(), connect()];
    for (const [i, student] of students.entries()) await student.join(code, `student ${i + 1}`);
    await teacher.request('teacher:start-round', {});
    await teacher.request('teacher:open-negotiation', {});
    const seated = await Promise.all(
      students.map((student) => until(student, (s) => (studentView(s)?.phase === 'negotiate' && studentView(s)?.seat ? studentView(s) : undefined), 'a seat')),
    );
    for (const [i, student] of students.entries()) await student.request('attention:allocate', { round: 1, weights: leaning(seated[i], i, 0.6) });
    await students[0].request('attention:lock', { round: 1 });
    await students[1].request('attention:lock', { round: 1 });
    const before = ((await teacher.request('state:sync', {})).view as TeacherView).players;
    const sessionId = seated[0].sessionId;
    const owner = await redis!.get(`${prefix}:lease:${sessionId}`);
    const victim = servers.find((server) => owner?.includes(`-${server.child.pid}-`));
    if (!victim) throw new Error(`no process owns the room (lease: ${owner})`);
    const survivor = servers.find((server) => server !== victim)!;

    // Every client goes through a new connection: those on the victim lost theirs, those on the
    // survivor were bound through the victim and are sent away to prove themselves again.
    const cameBack = [teacher, ...students].map((client) =>
      until(client, (s) => (s.status !== 'connected' ? true : undefined), 'the client to lose its connection').then(() =>
        until(client, (s) => (s.status === 'connected' && s.identified ? true : undefined), 'the client to be back'),
      ),
    );
    await victim.crash();
    // The other process claims the lapsed lease and restores the room from PostgreSQL.
    await survivor.waitForOutput(new RegExp(`"session":"${code}".*took over a room`), WAIT_MS);
    expect(await redis!.get(`${prefix}:lease:${sessionId}`)).toContain(`-${survivor.child.pid}-`);
    await Promise.all(cameBack);

    const after = ((await teacher.request('state:sync', {})).view as TeacherView).players;
    expect(after.map((p) => p.lockedIn)).toEqual(before.map((p) => p.lockedIn));
    expect(after.filter((p) => p.lockedIn)).toHaveLength(2);
    const views = await Promise.all(students.map(async (student) => (await student.request('state:sync', {})).view as StudentView));
    expect(views.map((v) => v.seat?.lockedIn)).toEqual([true, true, false, false]);
    expect(views[0].seat?.allocation).toEqual(seated[0].seat && leaning(seated[0], 0, 0.6));

    await students[2].request('attention:lock', { round: 1 });
    await students[3].request('attention:lock', { round: 1 });
    await until(teacher, (s) => (s.view?.phase === 'locked' ? true : undefined), 'the round to lock on the survivor');
    await teacher.request('teacher:reveal', {});
    for (const student of students) await until(student, (s) => (studentView(s)?.result?.round === 1 ? true : undefined), 'the result');
  });

  it('a process stopped with SIGTERM saves its rooms and gives them up; the other one runs them on', { timeout: 240_000 }, async () => {
    const survivor = servers.find((server) => server.child.exitCode === null && server.child.signalCode === null)!;
    const leaving = await ServerProcess.start({ port: await freePort(), env: { DATABASE_URL: database!.url!, REDIS_URL, REDIS_PREFIX: prefix } });
    servers.push(leaving);
    const teacher = await Client.connect(leaving.url);
    const student = await Client.connect(survivor.url);
    sockets.push(teacher, student);
    const { code, sessionId, hostSecret } = await teacher.must('session:create', { lessonId: 'the-cat-sat', settings: { timerSeconds: 900 } });
    const { playerSecret } = await student.must('seat:join', { code, nickname: 'stays' });
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const seated = await student.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat');
    const weights = leaning(seated, 1, 0.8);
    await student.must('attention:allocate', { round: 1, weights });
    await student.must('attention:lock', { round: 1 });

    expect(await leaving.stop()).toBe(0);
    await survivor.waitForOutput(new RegExp(`"session":"${code}".*took over a room`), WAIT_MS);
    expect(await redis!.get(`${prefix}:lease:${sessionId}`)).toContain(`-${survivor.child.pid}-`);
    // The student's socket was bound through the stopped process: it is sent away and comes back.
    await student.waitForDisconnect();
    const phone = await Client.connect(survivor.url);
    const back = await phone.must('seat:rejoin', { code, playerSecret });
    expect(back.view.seat).toMatchObject({ lockedIn: true, allocation: weights });
    const host = await Client.connect(survivor.url);
    sockets.push(phone, host);
    const { view } = await host.must('session:resume', { code, hostSecret });
    expect(view.phase).toBe('locked');
    await host.must('teacher:reveal', {});
    const result = await phone.waitForView<StudentView>((v) => v.result !== null, 'the result from the process that stayed');
    expect(result.result?.allocation).toEqual(weights);
  });
});
