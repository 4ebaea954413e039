/** A plain round in a fresh session: what must still work after the fuzzer or a flood. */
import type { StudentView } from '../../lib/protocol';
import { allocation, openClassroom, type Arena } from '../helpers/sockets';

/** Opens a session with `students` students and plays round 1 to its reveal; resolves with their scores. */
export async function playNormalRound(arena: Arena, students = 2): Promise<number[]> {
  const room = await openClassroom(arena, 'the-cat-sat', students);
  await room.teacher.must('teacher:start-round', {});
  await room.teacher.must('teacher:open-negotiation', {});
  for (const student of room.students) {
    const view = await student.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat in negotiation');
    await student.must('attention:allocate', { round: 1, weights: allocation(6, view.seat!.token, 0.5, [0, 1, 2, 3, 4, 5]) });
    await student.must('attention:lock', { round: 1 });
  }
  await room.teacher.must('teacher:reveal', {});
  const results = await Promise.all(room.students.map((s) => s.waitForView<StudentView>((v) => v.result !== null, 'a result')));
  for (const client of [room.teacher, ...room.students]) client.disconnect();
  return results.map((v) => v.result!.score);
}
