/**
 * A whole round over real sockets: a teacher, a projector and students on their phones, AI
 * classmates in the empty seats, the engine at the reveal. Scores are checked against the float64
 * reference computed here, independently of the server.
 */
import { describe, expect, it } from 'vitest';
import { attendLayer } from '../../lib/attention/reference';
import { scoreAllocation, seatingPlan } from '../../lib/game';
import { attentionOptionsFor, computeCards } from '../../lib/lessons/cards';
import { getLesson } from '../../lib/lessons/curated/index';
import type { StudentView } from '../../lib/protocol';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { setUpArenas } from '../helpers/arenas';
import { allocation, openClassroom, type Client } from '../helpers/sockets';

const arenas = setUpArenas();

function referenceFor(lessonId: string) {
  const lesson = getLesson(lessonId);
  if (!lesson) throw new Error(`${lessonId} is missing`);
  return attendLayer(computeCards(lesson), lesson.wO, attentionOptionsFor(lesson));
}

const seated = (v: StudentView) => v.seat !== null;

/** Each student's result against the reference: the same score the formula gives, within rounding. */
function expectScoredLikeTheReference(students: Client[], lessonId: string): number[] {
  const truth = referenceFor(lessonId);
  return students.map((student) => {
    const { result, seat } = student.student;
    if (!result || !seat) throw new Error(`${student.student.me.nickname} has no result`);
    const refRow = truth.heads[result.head].weights[result.token];
    result.trueRow.forEach((w, j) => expect(Math.abs(w - refRow[j])).toBeLessThan(1e-5));
    expect(result.allocation).toEqual(seat.allocation);
    expect(Number.isInteger(result.score)).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(1000);
    // Exactly the formula on what was revealed, and within a rounding step of the float64 truth.
    expect(result.score).toBe(scoreAllocation(result.allocation, result.trueRow));
    expect(Math.abs(result.score - scoreAllocation(result.allocation, refRow))).toBeLessThanOrEqual(1);
    expect(student.student.me.total).toBe(result.score + result.bonus);
    return result.score;
  });
}

describe('a full round', () => {
  it('teacher, stage and 4 students share sat, on and mat; AI classmates play the three empty queries; every score matches the reference', async () => {
    const repository = new MemorySessionRepository();
    const arena = await arenas.boot({ repository, seed: 11 });
    const room = await openClassroom(arena, 'the-cat-sat', 4);
    const { teacher, students } = room;
    const stage = await arena.connect();
    await stage.must('stage:watch', { code: room.code.toLowerCase() });

    await teacher.must('teacher:start-round', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'cards' && seated(v), 'a seat')));
    const tokens = students.map((s) => s.student.seat?.token ?? -1);
    const words = getLesson('the-cat-sat')!.tokens;
    expect([...new Set(tokens.map((t) => words[t]))].sort()).toEqual(['mat', 'on', 'sat']);
    const teacherSeats = (await teacher.waitForView((v) => v.phase === 'cards')).kind === 'teacher' ? teacher.teacher.seats : [];
    expect(teacherSeats.filter((s) => s.playedByBot).map((s) => words[s.token])).toEqual(['The', 'cat', 'a']);
    expect(teacherSeats.filter((s) => s.playedByBot).every((s) => s.allocation === null)).toBe(true);

    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView((v) => v.phase === 'negotiate', 'negotiation')));

    // Negotiation: student 0 asks student 1 for their key; student 2 asks an AI classmate's seat.
    const [asker, , botAsker] = students;
    const ownerIndex = tokens.findIndex((t) => t !== tokens[0]);
    const owner = students[ownerIndex];
    const ownerToken = tokens[ownerIndex];
    const before = owner.pushed.length;
    const { requestId } = await asker.must('key:request', { round: 1, token: ownerToken });
    const requested = await owner.waitForPush('key:requested', before);
    expect(requested).toMatchObject({ requestId, round: 1, fromToken: tokens[0], fromNicknames: expect.arrayContaining(['s1']) });
    expect(asker.student.seat?.keys[ownerToken]).toBeNull();
    const askerBefore = asker.pushed.length;
    await owner.must('key:share', { round: 1, requestId });
    expect(await asker.waitForPush('key:shared', askerBefore)).toMatchObject({ requestId, token: ownerToken });
    const askerView = await asker.waitForView<StudentView>((v) => v.seat?.keys[ownerToken] != null, 'the shared key');
    expect(askerView.seat?.keys[ownerToken]).toEqual(computeCards(getLesson('the-cat-sat')!)[0].k[ownerToken]);
    const botToken = teacherSeats.find((s) => s.playedByBot)!.token;
    await botAsker.must('key:request', { round: 1, token: botToken });
    await botAsker.waitForView<StudentView>((v) => v.seat?.keys[botToken] != null, "the AI classmate's key");

    const all = [0, 1, 2, 3, 4, 5];
    const chosen = students.map((_, i) => allocation(6, [1, 5, 1, 2][i], [0.6, 0.5, 0.9, 0.3][i], all));
    await Promise.all(students.map((s, i) => s.must('attention:allocate', { round: 1, weights: chosen[i] })));
    for (const s of students.slice(0, 3)) await s.must('attention:lock', { round: 1 });
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});

    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.result !== null, 'a result')));
    students.forEach((s, i) => expect(s.student.seat?.allocation).toEqual(chosen[i]));
    const scores = expectScoredLikeTheReference(students, 'the-cat-sat');

    const t = await teacher.waitForView((v) => v.phase === 'reveal' && v.kind === 'teacher' && v.results !== null);
    if (t.kind !== 'teacher') throw new Error('unreachable');
    expect(t.results?.map((r) => r.score).sort()).toEqual([...scores].sort());
    expect(t.reveal?.classScore).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 4, 9);
    expect(t.reveal?.seats.filter((s) => s.playedByBot)).toHaveLength(3);

    const shown = await stage.waitForView((v) => v.kind === 'stage' && v.reveal !== null, 'the reveal on the stage');
    if (shown.kind !== 'stage') throw new Error('unreachable');
    expect(shown.seats.filter((s) => s.playedByBot)).toHaveLength(3);
    expect(shown.seats.every((s) => s.allocation !== null)).toBe(true);
    expect(shown.leaderboard?.map((e) => e.total).sort()).toEqual([...scores].sort());

    // Persisted at creation, each join, each phase change and the results.
    const reasons = repository.writes.filter((w) => w.sessionId === room.sessionId).map((w) => w.reason);
    expect(reasons[0]).toBe('created');
    expect(reasons.filter((r) => r === 'roster')).toHaveLength(4);
    expect(reasons).toContain('phase');
    const saved = await repository.loadSession(room.sessionId);
    expect(saved?.state.history).toHaveLength(1);
    expect(Object.keys(saved?.playerSecretHashes ?? {}).sort()).toEqual([...room.playerIds].sort());
    // Only hashes are kept.
    for (const secret of [room.hostSecret, ...room.secrets]) expect(JSON.stringify(saved)).not.toContain(secret);

    await teacher.must('teacher:next-round', {});
    await Promise.all(students.map((s) => s.waitForView((v) => v.phase === 'cards' && v.round?.number === 2, 'round 2')));
  });

  it('multi-head: students take swim in both heads, then the rows furthest from even; both heads come from one engine call', async () => {
    const arena = await arenas.boot({ seed: 5 });
    const lesson = getLesson('multi-head')!;
    const room = await openClassroom(arena, lesson.id, 4);
    const { teacher, students } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && seated(v))));
    const planned = seatingPlan(lesson, computeCards(lesson), attentionOptionsFor(lesson)).forStudents.slice(0, 4);
    expect(students.map((s) => s.student.seat?.seat).sort()).toEqual([...planned].sort());
    expect(planned.slice(0, 2).map((i) => lesson.tokens[i % lesson.tokens.length])).toEqual(['swim', 'swim']);
    const seats = teacher.teacher.seats;
    expect(seats).toHaveLength(lesson.tokens.length * lesson.heads.length);
    expect(seats.filter((s) => s.playedByBot)).toHaveLength(seats.length - 4);

    const all = lesson.tokens.map((_, j) => j);
    await Promise.all(students.map((s, i) => s.must('attention:allocate', { round: 1, weights: allocation(all.length, 3 + i, 0.5, all) })));
    // Everyone locks in: the round locks by itself.
    await Promise.all(students.map((s) => s.must('attention:lock', { round: 1 })));
    await teacher.waitForView((v) => v.phase === 'locked', 'the round to lock by itself');
    await teacher.must('teacher:reveal', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.result !== null)));
    expectScoredLikeTheReference(students, lesson.id);

    const t = await teacher.waitForView((v) => v.phase === 'reveal');
    if (t.kind !== 'teacher' || !t.reveal) throw new Error('no reveal');
    const truth = referenceFor(lesson.id);
    expect(t.reveal.heads.map((h) => h.name)).toEqual(lesson.heads.map((h) => h.name));
    t.reveal.heads.forEach((head, h) =>
      head.weights.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(w - truth.heads[h].weights[i][j])).toBeLessThan(1e-5))),
    );
    // Every AI classmate's seat was scored against its own head's row.
    for (const seat of t.reveal.seats.filter((s) => s.playedByBot)) {
      expect(seat.score).toBe(scoreAllocation(seat.allocation, seat.trueRow));
    }
  });

  it('more students than seats: teams share a seat, each member scored on their own allocation', async () => {
    const arena = await arenas.boot({ seed: 3 });
    const room = await openClassroom(arena, 'the-cat-sat', 8);
    const { teacher, students } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && seated(v))));
    const t = teacher.teacher;
    // Teams on the three rows with something to find; the all-zero queries stay with AI classmates.
    expect(t.seats.filter((s) => s.playedByBot)).toHaveLength(3);
    expect(t.seats.map((s) => s.members.length).sort()).toEqual([0, 0, 0, 2, 3, 3]);

    const all = [0, 1, 2, 3, 4, 5];
    const chosen = students.map((_, i) => allocation(6, i % 6, 0.4 + 0.05 * i, all));
    await Promise.all(students.map((s, i) => s.must('attention:allocate', { round: 1, weights: chosen[i] })));
    // A team member sees the team's mean; the stage shows it too.
    const team = t.seats.find((s) => s.members.length === 2)!;
    const [a, b] = team.members.map((m) => room.playerIds.indexOf(m.playerId));
    const mean = chosen[a].map((w, j) => (w + chosen[b][j]) / 2);
    const seen = await students[a].waitForView<StudentView>((v) => v.seat?.teamAllocation != null && v.seat.teamAllocation.every((w, j) => Math.abs(w - mean[j]) < 1e-12));
    expect(seen.seat?.teammates.map((m) => m.nickname)).toEqual([`s${b + 1}`]);

    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.result !== null)));
    expectScoredLikeTheReference(students, 'the-cat-sat');
  });
});
