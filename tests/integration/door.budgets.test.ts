/**
 * The door's budgets beyond slider moves, each against the finding it answers: a resync flood, one
 * socket joining fake students by the dozen, one address opening session after session; and the same
 * counts shared through Redis by two processes' doors, as REDIS_URL makes them.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, StudentView, TeacherView } from '../../lib/protocol';
import { Door } from '../../server/limits/door';
import { limitSettings } from '../../server/limits/settings';
import { redisLimiters } from '../../server/limits/store';
import { REDIS_URL, redisProblem } from '../helpers/redis';
import { setUpArenas } from '../helpers/arenas';
import { openClassroom } from '../helpers/sockets';

const arenas = setUpArenas();

describe('a resync flood', () => {
  it('is answered rate/limited and then disconnected, while another session is served', async () => {
    const arena = await arenas.boot();
    const flooded = await openClassroom(arena, 'the-cat-sat', 1);
    const other = await openClassroom(arena, 'python-the-language', 1);
    const flooder = flooded.students[0];

    const answers: Ack<unknown>[] = [];
    const gone = flooder.waitForDisconnect();
    // More than the socket ever gets answered: once it is disconnected the rest go unanswered.
    for (let i = 0; i < 100; i++) flooder.socket.emit('state:sync', {}, (answer) => answers.push(answer));
    expect(await gone).toBe('io server disconnect');
    const limited = answers.filter((answer) => !answer.ok && answer.error.code === 'rate/limited');
    // The socket's budget (10 per 5 s) let the first through and refused the rest with a message.
    expect(answers.filter((answer) => answer.ok)).toHaveLength(10);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ error: { message: expect.stringMatching(/too fast.*Try again in \d+ s/) } });

    // The other class's teacher and student are answered as before.
    expect(((await other.teacher.must('state:sync', {})).view as TeacherView).players).toHaveLength(1);
    expect(((await other.students[0].must('state:sync', {})).view as StudentView).me.nickname).toBe('s1');
  });
});

describe('one socket joining fake students', () => {
  it('gets its first joins and then rate/limited, far short of a thousand', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    const script = await arena.connect();
    let seated = 0;
    let refusal: string | null = null;
    for (let i = 0; i < 1000 && refusal === null; i++) {
      const answer = await script.request('seat:join', { code: room.code, nickname: `fake ${i}` });
      if (answer.ok) seated++;
      else refusal = answer.error.code;
    }
    expect(refusal).toBe('rate/limited');
    expect(seated).toBeLessThanOrEqual(20);
    expect(((await room.teacher.must('state:sync', {})).view as TeacherView).players.length).toBe(seated);
  });
});

describe('one address opening sessions', () => {
  it('is refused once it has opened its hourly budget, on any socket', async () => {
    const arena = await arenas.boot({ limits: { sessionsPerAddress: { points: 3, seconds: 3600 } } });
    for (let i = 0; i < 3; i++) await openClassroom(arena, 'the-cat-sat', 0);
    const fresh = await arena.connect();
    const refusal = await fresh.refused('session:create', { lessonId: 'the-cat-sat', settings: {} });
    expect(refusal).toMatchObject({ code: 'rate/limited', message: expect.stringMatching(/Too many sessions opened from your network/) });
  });
});

describe('join codes', () => {
  it("come from the server's cryptographic source: two servers with the same seeded chance draw different codes", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const arena = await arenas.boot({ seed: 11 });
      const room = await openClassroom(arena, 'the-cat-sat', 0);
      codes.push(room.code);
      await arena.close();
    }
    // 8 characters from 19: equal by chance once in 17 billion draws.
    expect(codes[0]).toMatch(/^[ACEFHJKMNPRTWXY3479]{8}$/);
    expect(codes[0]).not.toBe(codes[1]);
  });
});

describe('the door on Redis', () => {
  let problem: string | false = false;
  let redis: Redis | null = null;
  const prefix = `arena:test:limits:${process.pid}:${Date.now()}`;

  beforeAll(async () => {
    problem = await redisProblem();
    if (!problem) redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("shares an address's and a room's counts between two processes' doors", async (context) => {
    if (problem) {
      if (process.env.CI) throw new Error(problem);
      context.skip();
    }
    const settings = limitSettings({ joinsPerRoom: { points: 4, seconds: 60 }, sessionsPerAddress: { points: 2, seconds: 3600 } });
    const doorA = new Door(settings, redisLimiters(redis!, prefix));
    const doorB = new Door(settings, redisLimiters(redis!, prefix));

    expect(await doorA.admitSession('10.0.0.7')).toBeNull();
    expect(await doorB.admitSession('10.0.0.7')).toBeNull();
    expect(await doorA.admitSession('10.0.0.7')).toMatchObject({ code: 'rate/limited' });
    expect(await doorB.admitSession('10.0.0.8')).toBeNull();

    for (const door of [doorA, doorB, doorA, doorB]) expect(await door.admitJoin('10.0.0.9', 'session-1')).toBeNull();
    expect(await doorB.admitJoin('10.0.0.9', 'session-1')).toMatchObject({ code: 'rate/limited' });
    expect(await doorA.admitJoin('10.0.0.9', 'session-2')).toBeNull();

    // One socket's message counts stay with the process that holds the socket.
    const sender = { socketId: 'socket-1', address: '10.0.0.9', playerId: null };
    for (let i = 0; i < 20; i++) expect(await doorA.admitMessage(sender, 'attention:allocate')).toBeNull();
    expect(await doorA.admitMessage(sender, 'attention:allocate')).toMatchObject({ code: 'rate/limited' });
    expect(await doorB.admitMessage(sender, 'attention:allocate')).toBeNull();
  });
});
