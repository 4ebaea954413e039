/**
 * The door over real sockets: a flooding student is told `rate/limited`, then disconnected, while a
 * round in another session runs to its reveal; a full room, a locked-out code guesser, a removed
 * student's browser, oversized and binary messages, and other sites' pages are all turned away.
 */
import { io as connectSocket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Ack, type StudentView } from '../../lib/protocol';
import { setUpArenas } from '../helpers/arenas';
import { allocation, joinStudent, openClassroom, type ClientSocket } from '../helpers/sockets';

const arenas = setUpArenas();

/** A bare socket, as a script would open one, with headers a browser would send. */
function rawSocket(url: string, headers: Record<string, string> = {}): ClientSocket {
  return connectSocket(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: headers,
  });
}

/** Sends anything at all, as a hostile script could. */
function emitRaw(socket: ClientSocket, event: string, ...args: unknown[]): void {
  (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
}

function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

function refused(socket: ClientSocket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the server accepted a connection it should have refused')));
    socket.once('connect_error', (error) => resolve(error));
  });
}

function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

describe('a flooding student', () => {
  it('is answered rate/limited, then disconnected, while a round in another session completes', async () => {
    const arena = await arenas.boot({ seed: 3 });
    const calm = await openClassroom(arena, 'the-cat-sat', 3);
    const noisy = await openClassroom(arena, 'the-cat-sat', 1);
    await noisy.teacher.must('teacher:start-round', {});
    await noisy.teacher.must('teacher:open-negotiation', {});
    const seat = (await noisy.students[0].waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)).seat!;

    const flooder = rawSocket(arena.url);
    await connected(flooder);
    const rejoined = await flooder.emitWithAck('seat:rejoin', { code: noisy.code, playerSecret: noisy.secrets[0] });
    expect(rejoined.ok).toBe(true);
    const answers: Ack<unknown>[] = [];
    const gone = disconnected(flooder);
    const weights = allocation(6, seat.token, 0.5, [0, 1, 2, 3, 4, 5]);
    for (let i = 0; i < 2000; i++) flooder.emit('attention:allocate', { round: 1, weights }, (answer) => answers.push(answer));

    // Meanwhile, in another session, a whole round.
    await calm.teacher.must('teacher:start-round', {});
    await calm.teacher.must('teacher:open-negotiation', {});
    await Promise.all(calm.students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)));
    for (const student of calm.students) {
      await student.must('attention:allocate', { round: 1, weights: allocation(6, student.student.seat!.token, 0.4, [0, 1, 2, 3, 4, 5]) });
      await student.must('attention:lock', { round: 1 });
    }
    await calm.teacher.must('teacher:reveal', {});
    await Promise.all(calm.students.map((s) => s.waitForView<StudentView>((v) => v.result !== null, 'a result')));

    expect(await gone).toBe('io server disconnect');
    const limited = answers.filter((a) => !a.ok && a.error.code === 'rate/limited');
    expect(limited.length).toBeGreaterThan(0);
    // The budget let the first moves through, and far from all 2,000 were even answered.
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThan(500);
    expect(arena.logs.some((line) => line.includes('kept sending over its budget'))).toBe(true);

    // Coming back on a new socket does not reset the student's own budget.
    const again = rawSocket(arena.url);
    await connected(again);
    await again.emitWithAck('seat:rejoin', { code: noisy.code, playerSecret: noisy.secrets[0] });
    const refusedMove = await again.emitWithAck('attention:allocate', { round: 1, weights });
    expect(refusedMove).toMatchObject({ ok: false, error: { code: 'rate/limited' } });
    again.disconnect();
  });
});

describe('joining', () => {
  it('is refused past the room size', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 0, { roomSize: 2 });
    await joinStudent(arena, room, 'one');
    await joinStudent(arena, room, 'two');
    const third = await arena.connect();
    expect((await third.refused('seat:join', { code: room.code, nickname: 'three' })).code).toBe('join/room-full');
  });

  it('refuses profane, reserved and look-alike nicknames', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    await joinStudent(arena, room, 'Alice');
    const student = await arena.connect();
    expect((await student.refused('seat:join', { code: room.code, nickname: 'Fuck you' })).code).toBe('nickname/rejected');
    expect((await student.refused('seat:join', { code: room.code, nickname: 'Teacher' })).code).toBe('nickname/rejected');
    expect((await student.refused('seat:join', { code: room.code, nickname: '\u0410lice' })).code).toBe('nickname/taken');
  });

  it('keeps a removed student out: same browser under a new name, same name from another browser', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    const device = 'browser-of-the-prankster-0001';
    const prankster = await arena.connect();
    const joined = await prankster.must('seat:join', { code: room.code, nickname: 'Prank', device });
    await room.teacher.must('teacher:kick', { playerId: joined.playerId });
    await prankster.waitForDisconnect();

    const sameBrowser = await arena.connect();
    expect((await sameBrowser.refused('seat:join', { code: room.code, nickname: 'Nice Kid', device })).code).toBe('auth/kicked');
    const otherBrowser = await arena.connect();
    expect((await otherBrowser.refused('seat:join', { code: room.code, nickname: 'prank', device: 'another-browser-000001' })).code).toBe('auth/kicked');

    // Unless the teacher lets them back: their own secret returns them.
    await room.teacher.must('teacher:readmit', { playerId: joined.playerId });
    const back = await arena.connect();
    expect((await back.must('seat:rejoin', { code: room.code, playerSecret: joined.playerSecret })).playerId).toBe(joined.playerId);
  });

  it('locks out a socket that guesses codes, even for the right one', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    const guesser = await arena.connect();
    const wrong = ['ACEFHJKM', 'ACEFHJKN', 'ACEFHJKP', 'ACEFHJKR', 'ACEFHJKT', 'ACEFHJKW', 'ACEFHJKX', 'ACEFHJKY', 'ACEFHJK3'];
    for (const code of wrong.filter((c) => c !== room.code)) await guesser.request('stage:watch', { code });
    expect((await guesser.refused('stage:watch', { code: room.code })).code).toBe('rate/limited');
    // Another socket is not locked out by one guesser alone.
    const projector = await arena.connect();
    await projector.must('stage:watch', { code: room.code });
  });
});

describe('messages the protocol never sends', () => {
  it('close the connection when larger than a few KB', async () => {
    const arena = await arenas.boot();
    const socket = rawSocket(arena.url);
    await connected(socket);
    const gone = disconnected(socket);
    emitRaw(socket, 'seat:join', { code: 'ACEFHJKM', nickname: 'x'.repeat(20_000) });
    expect(await gone).toBe('transport close');
  });

  it('close the connection when they declare binary attachments', async () => {
    const arena = await arenas.boot();
    const socket = rawSocket(arena.url);
    await connected(socket);
    const gone = disconnected(socket);
    emitRaw(socket, 'seat:join', { code: 'ACEFHJKM', nickname: Buffer.from('binary') });
    expect(['transport close', 'io server disconnect']).toContain(await gone);
  });
});

describe('origins', () => {
  it("refuse another site's page, accept the server's own and the allowed ones", async () => {
    const arena = await arenas.boot({ allowedOrigins: ['https://arena.school.example'] });
    const evil = rawSocket(arena.url, { origin: 'https://evil.example' });
    await refused(evil);
    evil.disconnect();
    expect(arena.logs.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ family: 'limits', origin: 'https://evil.example', msg: 'refused a socket: origin not allowed' }),
    );

    for (const origin of [arena.url, 'https://arena.school.example']) {
      const socket = rawSocket(arena.url, { origin });
      await connected(socket);
      socket.disconnect();
    }
  });

  it('cap the open connections of one address', async () => {
    const arena = await arenas.boot({ limits: { connectionsPerAddress: 3 } });
    const open = [rawSocket(arena.url), rawSocket(arena.url), rawSocket(arena.url)];
    await Promise.all(open.map(connected));
    const fourth = rawSocket(arena.url);
    await refused(fourth);
    fourth.disconnect();
    // Once the server has seen one of them close, there is room again.
    const serverSide = arena.server.io.sockets.sockets.get(open[0].id ?? '');
    const closedOnServer = new Promise<void>((resolve) => serverSide?.conn.once('close', () => resolve()));
    open[0].disconnect();
    await closedOnServer;
    const fifth = rawSocket(arena.url);
    await connected(fifth);
    for (const socket of [...open, fifth]) socket.disconnect();
  });
});
