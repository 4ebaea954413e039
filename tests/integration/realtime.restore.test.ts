/**
 * A restart: a second server on the same repository brings the live session back, the teacher and
 * students prove themselves again with their secrets, and the timers the snapshot implies fire.
 */
import { expect, it } from 'vitest';
import { AWAY_GRACE_MS } from '../../lib/game';
import type { StudentView, TeacherView } from '../../lib/protocol';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { RECONNECT_GRACE_MS } from '../../server/realtime';
import { setUpArenas } from '../helpers/arenas';
import { allocation, FakeClock, openClassroom } from '../helpers/sockets';

const arenas = setUpArenas();

it('restores live sessions after a restart, re-arming the round timer and the presence timers', async () => {
  const repository = new MemorySessionRepository();
  const first = await arenas.boot({ repository, seed: 31 });
  const room = await openClassroom(first, 'the-cat-sat', 2, { timerSeconds: 60 });
  await room.teacher.must('teacher:start-round', {});
  await room.teacher.must('teacher:open-negotiation', {});
  const seated = await room.students[0].waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null);
  const deadline = seated.round?.timer.deadline;
  first.clock.advance(10_000);
  await first.close();

  // Another process starts at the same moment with the same repository.
  const second = await arenas.boot({ repository, clock: new FakeClock(first.clock.now()), seed: 32 });
  expect(second.server.realtime.registry.size).toBe(1);

  const teacher = await second.connect();
  const { view } = await teacher.must('session:resume', { code: room.code, hostSecret: room.hostSecret });
  expect(view.phase).toBe('negotiate');
  expect(view.round?.timer.deadline).toBe(deadline);

  const phone = await second.connect();
  const back = await phone.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
  expect(back.view.seat?.seat).toBe(seated.seat?.seat);
  await phone.must('attention:allocate', { round: 1, weights: allocation(6, 1, 0.5, [0, 1, 2, 3, 4, 5]) });

  // The student who does not come back is marked away after the reconnect grace, then replaced.
  const absent = room.playerIds[1];
  second.clock.advance(RECONNECT_GRACE_MS);
  await teacher.waitForView<TeacherView>((v) => v.kind === 'teacher' && v.players.find((p) => p.playerId === absent)?.away === true, 'the absent student away');
  const present = (await teacher.barrier()) as TeacherView;
  expect(present.players.find((p) => p.playerId === room.playerIds[0])?.away).toBe(false);

  // The round timer was armed again from the snapshot's deadline.
  second.clock.advance(deadline! - second.clock.now());
  await teacher.waitForView((v) => v.phase === 'locked', 'the restored timer to lock the round');

  second.clock.advance(AWAY_GRACE_MS);
  await teacher.waitForView<TeacherView>((v) => v.kind === 'teacher' && v.players.find((p) => p.playerId === absent)?.replacedByBot === true, 'an AI classmate for the absent student');

  await teacher.must('teacher:reveal', {});
  const result = await phone.waitForView<StudentView>((v) => v.result !== null);
  expect(result.result?.score).toBeGreaterThan(0);
});

it('an ended session is not restored, and its code is not handed out again', async () => {
  const repository = new MemorySessionRepository();
  const first = await arenas.boot({ repository });
  const room = await openClassroom(first, 'the-cat-sat', 1);
  await room.teacher.must('teacher:end', {});
  await first.close();

  const second = await arenas.boot({ repository });
  expect(second.server.realtime.registry.size).toBe(0);
  const late = await second.connect();
  expect((await late.refused('seat:join', { code: room.code, nickname: 'late' })).code).toBe('session/ended');
});
