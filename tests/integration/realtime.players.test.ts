/**
 * Students coming and going over real sockets: a reload, a late join, a kick, a phone that drops out
 * long enough for an AI classmate to take over. Time moves only through the fake clock.
 */
import { describe, expect, it } from 'vitest';
import { AWAY_GRACE_MS } from '../../lib/game';
import type { StudentView, TeacherView } from '../../lib/protocol';
import { setUpArenas } from '../helpers/arenas';
import { allocation, joinStudent, openClassroom, type Client } from '../helpers/sockets';

const arenas = setUpArenas();

const ALL = [0, 1, 2, 3, 4, 5];

function playerIn(view: TeacherView, playerId: string) {
  const player = view.players.find((p) => p.playerId === playerId);
  if (!player) throw new Error(`no player ${playerId} in the teacher's view`);
  return player;
}

function seatOf(view: TeacherView, playerId: string) {
  return view.seats.find((s) => s.members.some((m) => m.playerId === playerId));
}

async function teacherSees(teacher: Client, predicate: (view: TeacherView) => boolean, what: string): Promise<TeacherView> {
  return teacher.waitForView<TeacherView>((v) => v.kind === 'teacher' && predicate(v), what);
}

describe('reload', () => {
  it('a new socket with the player secret gets the same seat, allocation and score back', async () => {
    const arena = await arenas.boot({ seed: 21 });
    const room = await openClassroom(arena, 'the-cat-sat', 2);
    const { teacher } = room;
    const [phone] = room.students;
    const playerId = room.playerIds[0];
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const before = await phone.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null);
    const weights = allocation(6, 1, 0.7, ALL);
    await phone.must('attention:allocate', { round: 1, weights });

    phone.disconnect();
    await teacherSees(teacher, (v) => playerIn(v, playerId).away, 'the student shown away');

    const reloaded = await arena.connect();
    const back = await reloaded.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    expect(back.playerId).toBe(playerId);
    expect(back.view.seat?.seat).toBe(before.seat?.seat);
    expect(back.view.seat?.token).toBe(before.seat?.token);
    expect(back.view.seat?.allocation).toEqual(weights);
    expect(back.view.seat?.touched).toBe(true);
    await teacherSees(teacher, (v) => !playerIn(v, playerId).away, 'the student back');

    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    const revealed = await reloaded.waitForView<StudentView>((v) => v.result !== null);
    const score = revealed.result?.score;
    expect(score).toBeTypeOf('number');

    reloaded.disconnect();
    const again = await arena.connect();
    const restored = await again.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    expect(restored.view.result?.score).toBe(score);
    expect(restored.view.result?.allocation).toEqual(weights);
    expect(restored.view.me.total).toBe(score);
    expect(restored.view.seat?.seat).toBe(before.seat?.seat);
  });

  it('a second tab, or the same proof sent twice, never shows the student away', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const { teacher } = room;
    const [phone] = room.students;
    const playerId = room.playerIds[0];
    await phone.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    await phone.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    expect(playerIn((await teacher.barrier()) as TeacherView, playerId).away).toBe(false);
    const tab = await arena.connect();
    await tab.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    // Once the server has handled the phone's disconnect, any presence event it caused is queued
    // before the teacher's next request.
    const serverSide = arena.server.io.sockets.sockets.get(phone.socket.id ?? '');
    if (!serverSide) throw new Error("the phone's socket is not on the server");
    const handled = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));
    phone.disconnect();
    await handled;
    await teacher.must('teacher:start-round', {});
    const view = (await teacher.barrier()) as TeacherView;
    expect(playerIn(view, playerId).away).toBe(false);
    expect(seatOf(view, playerId)).toBeDefined();
    tab.disconnect();
    await teacherSees(teacher, (v) => playerIn(v, playerId).away, 'away once the last tab closed');
  });

  it('two tabs of one student show the same sliders, whichever tab moved last', async () => {
    const arena = await arenas.boot({ seed: 5 });
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const { teacher } = room;
    const [tabA] = room.students;
    const tabB = await arena.connect();
    await tabB.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    for (const tab of [tabA, tabB]) await tab.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'the seat');

    const fromA = allocation(6, 1, 0.7, ALL);
    await tabA.must('attention:allocate', { round: 1, weights: fromA });
    await tabB.waitForView<StudentView>((v) => JSON.stringify(v.seat?.allocation) === JSON.stringify(fromA), "tab B showing tab A's move");

    const fromB = allocation(6, 2, 0.6, ALL);
    await tabB.must('attention:allocate', { round: 1, weights: fromB });
    await tabA.waitForView<StudentView>((v) => JSON.stringify(v.seat?.allocation) === JSON.stringify(fromB), "tab A showing tab B's move");
    expect((tabA.latest as StudentView).seat?.allocation).toEqual((tabB.latest as StudentView).seat?.allocation);
    tabB.disconnect();
  });

  it('refuses a secret that belongs to no one and a rejoin without a session', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const stranger = await arena.connect();
    expect((await stranger.refused('seat:rejoin', { code: room.code, playerSecret: 'A'.repeat(43) })).code).toBe('auth/bad-secret');
    expect((await stranger.refused('seat:rejoin', { code: 'XXXXXX', playerSecret: room.secrets[0] })).code).toBe('session/not-found');
    expect((await stranger.refused('session:resume', { code: room.code, hostSecret: room.secrets[0] })).code).toBe('auth/bad-secret');
    // A student's secret does not open the teacher's controls, and moves need an identity first.
    expect((await stranger.refused('teacher:start-round', {})).code).toBe('auth/forbidden');
    expect((await room.students[0].refused('teacher:start-round', {})).code).toBe('auth/not-host');
  });

  it('the teacher resumes on a new socket with the host secret', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    room.teacher.disconnect();
    const laptop = await arena.connect();
    const { view } = await laptop.must('session:resume', { code: room.code, hostSecret: room.hostSecret });
    expect(view.sessionId).toBe(room.sessionId);
    expect(view.players.map((p) => p.nickname)).toEqual(['s1']);
    await laptop.must('teacher:start-round', {});
    await room.students[0].waitForView((v) => v.phase === 'cards');
  });
});

describe('late join', () => {
  it("takes an AI classmate's seat at once and plays this round", async () => {
    const arena = await arenas.boot({ seed: 8 });
    const room = await openClassroom(arena, 'the-cat-sat', 2);
    const { teacher } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const t = await teacherSees(teacher, (v) => v.phase === 'negotiate', 'negotiation');
    expect(t.seats.filter((s) => s.playedByBot)).toHaveLength(4);

    const late = await arena.connect();
    const joined = await late.must('seat:join', { code: room.code, nickname: 'late' });
    expect(joined.view.me.status).toBe('seated');
    const seat = joined.view.seat;
    if (!seat) throw new Error('not seated');
    expect(seat.touched).toBe(false);
    const after = await teacherSees(teacher, (v) => v.seats.filter((s) => s.playedByBot).length === 3, 'one AI classmate fewer');
    expect(seatOf(after, joined.playerId)?.seat).toBe(seat.seat);

    await late.must('attention:allocate', { round: 1, weights: allocation(6, 0, 0.5, ALL) });
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    const result = await late.waitForView<StudentView>((v) => v.result !== null);
    expect(result.result?.token).toBe(seat.token);
  });

  it('joins the smallest team on a row with something to find, never an AI classmate’s empty query', async () => {
    const arena = await arenas.boot({ seed: 9 });
    const room = await openClassroom(arena, 'the-cat-sat', 5);
    const { teacher } = room;
    const words = ['The', 'cat', 'sat', 'on', 'a', 'mat'];
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await teacherSees(teacher, (v) => v.phase === 'negotiate' && v.seats.filter((s) => !s.playedByBot).length === 3, 'sat, on and mat taken');
    const lone = teacher.teacher.seats.find((s) => s.members.length === 1)!;

    const late = await joinStudent(arena, room, 'late');
    const seated = await late.waitForView<StudentView>((v) => v.seat !== null, 'a seat at once');
    expect(seated.me.status).toBe('seated');
    expect(seated.seat?.token).toBe(lone.token);
    expect(['sat', 'on', 'mat']).toContain(words[seated.seat!.token]);
    await late.must('attention:allocate', { round: 1, weights: allocation(6, 1, 1, ALL) });
  });

  it('is refused when the teacher closed late joining', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1, { lateJoin: false });
    await room.teacher.must('teacher:start-round', {});
    const late = await arena.connect();
    expect((await late.refused('seat:join', { code: room.code, nickname: 'late' })).code).toBe('join/late-closed');
  });
});

describe('kick', () => {
  it('tells the student, closes their sockets, and the same secret cannot come back', async () => {
    const arena = await arenas.boot({ seed: 4 });
    const room = await openClassroom(arena, 'the-cat-sat', 3);
    const { teacher } = room;
    const [kept, kicked] = room.students;
    const kickedId = room.playerIds[1];
    await teacher.must('teacher:start-round', {});
    await teacherSees(teacher, (v) => seatOf(v, kickedId) !== undefined, 'everyone seated');

    // A second tab of the same student is closed too.
    const secondTab = await arena.connect();
    await secondTab.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[1] });

    await teacher.must('teacher:kick', { playerId: kickedId });
    for (const socket of [kicked, secondTab]) {
      expect(await socket.waitForPush('player:kicked', 0)).toMatchObject({ message: expect.any(String) });
      expect(await socket.waitForDisconnect()).toBe('io server disconnect');
      // The notice came before the socket was closed.
      expect(socket.pushed.at(-1)?.event).toBe('player:kicked');
    }

    const after = await teacherSees(teacher, (v) => playerIn(v, kickedId).kicked, 'the kick');
    expect(seatOf(after, kickedId)).toBeUndefined();
    // Closing a kicked student's sockets is not "going away".
    expect(playerIn(after, kickedId).away).toBe(false);

    const comeback = await arena.connect();
    expect((await comeback.refused('seat:rejoin', { code: room.code, playerSecret: room.secrets[1] })).code).toBe('auth/kicked');
    expect((await comeback.refused('seat:join', { code: room.code, nickname: 's2' })).code).toBe('auth/kicked');
    expect((await teacher.refused('teacher:kick', { playerId: kickedId })).code).toBe('player/already-kicked');

    // The others play on.
    await teacher.must('teacher:open-negotiation', {});
    await kept.waitForView((v) => v.phase === 'negotiate');
    await kept.must('attention:allocate', { round: 1, weights: allocation(6, 2, 0.5, ALL) });
  });
});

describe('a phone that drops out', () => {
  it('is shown away, after 2 minutes an AI classmate plays the seat, and the student takes it back on return', async () => {
    const arena = await arenas.boot({ seed: 12 });
    const room = await openClassroom(arena, 'the-cat-sat', 2, { timerSeconds: null });
    const { teacher, clock } = { ...room, clock: arena.clock };
    const [phone] = room.students;
    const playerId = room.playerIds[0];
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await phone.waitForView((v) => v.phase === 'negotiate');
    const weights = allocation(6, 1, 0.8, ALL);
    await phone.must('attention:allocate', { round: 1, weights });

    phone.disconnect();
    const away = await teacherSees(teacher, (v) => playerIn(v, playerId).away, 'away');
    expect(playerIn(away, playerId).replacedByBot).toBe(false);
    expect(seatOf(away, playerId)?.playedByBot).toBe(false);

    clock.advance(AWAY_GRACE_MS - 1);
    const stillHeld = await teacher.barrier();
    if (stillHeld.kind !== 'teacher') throw new Error('unreachable');
    expect(playerIn(stillHeld, playerId).replacedByBot).toBe(false);

    clock.advance(1);
    const replaced = await teacherSees(teacher, (v) => playerIn(v, playerId).replacedByBot, 'an AI classmate taking over');
    expect(seatOf(replaced, playerId)?.playedByBot).toBe(true);

    const back = await arena.connect();
    const rejoined = await back.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    expect(rejoined.view.seat?.allocation).toEqual(weights);
    const returned = await teacherSees(teacher, (v) => !playerIn(v, playerId).replacedByBot && !playerIn(v, playerId).away, 'the student back');
    expect(seatOf(returned, playerId)?.playedByBot).toBe(false);
  });

  it('keeps the seat when the student is back within the grace period', async () => {
    const arena = await arenas.boot({ seed: 13 });
    const room = await openClassroom(arena, 'the-cat-sat', 1, { timerSeconds: null });
    const { teacher } = room;
    const playerId = room.playerIds[0];
    await teacher.must('teacher:start-round', {});
    room.students[0].disconnect();
    await teacherSees(teacher, (v) => playerIn(v, playerId).away, 'away');
    arena.clock.advance(AWAY_GRACE_MS / 2);
    const back = await arena.connect();
    await back.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    arena.clock.advance(AWAY_GRACE_MS);
    const view = await teacher.barrier();
    if (view.kind !== 'teacher') throw new Error('unreachable');
    expect(playerIn(view, playerId)).toMatchObject({ away: false, replacedByBot: false });
  });
});
