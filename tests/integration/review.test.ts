/**
 * The after-class review over HTTP against a real server: a class plays a round over real sockets,
 * the teacher ends the session, then the review is read as the teacher, as a student and as nobody,
 * and the CSV is downloaded and read back with a strict RFC 4180 reader.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StudentView } from '../../lib/protocol';
import type { ReviewSummary, StudentReview, TeacherReview } from '../../lib/review';
import type { ApiError } from '../../server/http/routes';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { setUpArenas } from '../helpers/arenas';
import { allocation, joinStudent, type Arena, type Classroom } from '../helpers/sockets';
import { readCsvFile } from '../unit/review/rfc4180';

const NICKNAMES = ["Zoë O'Brien", '漢字', '-dash', 'plain'] as const;

const arenas = setUpArenas();
let arena: Arena;
let repository: MemorySessionRepository;
let room: Classroom;

beforeAll(async () => {
  repository = new MemorySessionRepository();
  arena = await arenas.bootForFile({ repository, seed: 11 });
  const teacher = await arena.connect();
  const created = await teacher.must('session:create', { lessonId: 'the-cat-sat', settings: {} });
  room = { teacher, code: created.code, sessionId: created.sessionId, hostSecret: created.hostSecret, students: [], secrets: [], playerIds: [] };
  for (const nickname of NICKNAMES) await joinStudent(arena, room, nickname);

  await teacher.must('teacher:start-round', {});
  await teacher.must('teacher:open-negotiation', {});
  await Promise.all(room.students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat')));
  const all = [0, 1, 2, 3, 4, 5];
  await Promise.all(room.students.map((s, i) => s.must('attention:allocate', { round: 1, weights: allocation(6, [1, 5, 0, 2][i], [0.6, 0.5, 0.9, 0.3][i], all) })));
  await teacher.must('teacher:lock', {});
  await teacher.must('teacher:reveal', {});
  await Promise.all(room.students.map((s) => s.waitForView<StudentView>((v) => v.result !== null, 'a result')));
});

async function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(`${arena.url}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
}

async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

const asTeacher = () => ({ 'x-host-secret': room.hostSecret });
const asStudent = (i: number) => ({ 'x-player-secret': room.secrets[i] });

describe('while the session is live', () => {
  it('the teacher reads the review of the revealed round from the live room', async () => {
    const response = await get(`/api/review/${room.sessionId}`, asTeacher());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const review = await json<TeacherReview>(response);
    expect(review).toMatchObject({ kind: 'teacher', sessionId: room.sessionId, code: room.code, phase: 'reveal', ended: false });
    expect(review.rounds).toHaveLength(1);
  });

  it('the teacher hides the leaderboard from students; the choice survives the room’s later snapshots', async () => {
    const refused = await get(`/api/review/${room.sessionId}/settings`, { ...asStudent(0), 'content-type': 'application/json' }, {
      method: 'POST',
      body: JSON.stringify({ leaderboardHidden: true }),
    });
    expect(refused.status).toBe(403);
    expect((await json<ApiError>(refused)).error.code).toBe('auth/not-host');

    const post = (body: string, type = 'application/json') =>
      get(`/api/review/${room.sessionId}/settings`, { ...asTeacher(), 'content-type': type }, { method: 'POST', body });
    expect((await post('{"leaderboardHidden":"yes"}')).status).toBe(400);
    expect((await post('{"leaderboardHidden":true,"extra":1}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    expect((await post('{"leaderboardHidden":true}', 'text/plain')).status).toBe(415);
    expect((await post(JSON.stringify({ leaderboardHidden: true, pad: 'x'.repeat(2000) }))).status).toBe(413);

    const saved = await post('{"leaderboardHidden":true}');
    expect(saved.status).toBe(200);
    expect(await json<unknown>(saved)).toEqual({ settings: { leaderboardHidden: true } });

    // The session ends: the room saves a new snapshot, which must not wipe the teacher's choice.
    await room.teacher.must('teacher:end', {});
    await room.teacher.waitForView((v) => v.phase === 'ended', 'the end');
    expect((await repository.loadSession(room.sessionId))?.state.phase).toBe('ended');
    const review = await json<TeacherReview>(await get(`/api/review/${room.sessionId}`, asTeacher()));
    expect(review.settings).toEqual({ leaderboardHidden: true });
    const mine = await json<StudentReview>(await get(`/api/review/${room.sessionId}`, asStudent(1)));
    expect(mine.leaderboard).toBeNull();
    expect(mine.me.rank).toBeNull();

    expect((await post('{"leaderboardHidden":false}')).status).toBe(200);
  });
});

describe('after the session ended', () => {
  it('the teacher gets everything: podium, class against model per round, every student’s report', async () => {
    const response = await get(`/api/review/${room.sessionId}`, asTeacher());
    expect(response.status).toBe(200);
    const review = await json<TeacherReview>(response);
    expect(review).toMatchObject({ kind: 'teacher', phase: 'ended', ended: true, settings: { leaderboardHidden: false } });
    expect(review.lesson.tokens).toEqual(['The', 'cat', 'sat', 'on', 'a', 'mat']);
    expect(review.students.map((s) => s.nickname)).toEqual([...NICKNAMES]);
    expect(review.podium).toHaveLength(3);
    expect(review.leaderboard.map((s) => s.rank)).toEqual([...review.leaderboard.map((s) => s.rank)].sort((a, b) => a - b));
    const [round] = review.rounds;
    const rows = round.heads[0].rows;
    // Four students on sat, on and mat (a team of two on one of them); AI classmates on the empty queries.
    expect(rows.filter((r) => r.students > 0).map((r) => r.token)).toEqual([2, 3, 5]);
    expect(rows.reduce((n, r) => n + r.students, 0)).toBe(4);
    expect(rows.filter((r) => r.playedByBot && r.classRow === null && r.botRow !== null)).toHaveLength(3);
    // Each row of the class matrix is its students' mean allocation.
    for (const row of rows.filter((r) => r.students > 0)) {
      const played = review.students.map((s) => s.rounds[0]).filter((r) => r.token === row.token);
      expect(played).toHaveLength(row.students);
      row.classRow!.forEach((w, j) => expect(w).toBeCloseTo(played.reduce((sum, p) => sum + p.allocation[j], 0) / played.length, 12));
      for (const p of played) expect(row.modelRow).toEqual(p.trueRow);
    }
  });

  it('a student gets their own report and the leaderboard, nothing of the others’ answers', async () => {
    const teacherReview = await json<TeacherReview>(await get(`/api/review/${room.sessionId}`, asTeacher()));
    for (let i = 0; i < NICKNAMES.length; i++) {
      const response = await get(`/api/review/${room.sessionId}`, asStudent(i));
      expect(response.status).toBe(200);
      const review = await json<StudentReview>(response);
      expect(review.kind).toBe('student');
      expect(review.me.playerId).toBe(room.playerIds[i]);
      expect(review.me.nickname).toBe(NICKNAMES[i]);
      expect(review.me).toEqual(teacherReview.students[i]);
      expect(review.leaderboard?.find((s) => s.isMe)?.nickname).toBe(NICKNAMES[i]);
      const text = JSON.stringify(review);
      for (const [j, other] of room.playerIds.entries()) {
        if (j === i) continue;
        expect(text).not.toContain(other);
        expect(text).not.toContain(JSON.stringify(teacherReview.students[j].rounds[0].allocation));
      }
      expect(text).not.toContain('modelRow');
    }
  });

  it('the join code opens the same review, in any case', async () => {
    const byCode = await json<TeacherReview>(await get(`/api/review/${room.code.toLowerCase()}`, asTeacher()));
    expect(byCode.sessionId).toBe(room.sessionId);
  });

  it('gives a summary line for the teacher’s history, to the teacher or a student', async () => {
    const summary = await json<ReviewSummary>(await get(`/api/review/${room.sessionId}/summary`, asTeacher()));
    expect(summary).toMatchObject({ sessionId: room.sessionId, code: room.code, lessonId: 'the-cat-sat', ended: true, students: 4, rounds: 1 });
    expect((await get(`/api/review/${room.sessionId}/summary`, asStudent(2))).status).toBe(200);
  });

  it('refuses without a secret (401), with a wrong one (403), and says so in JSON', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      [`/api/review/${room.sessionId}`, {}, 401, 'auth/missing-secret'],
      [`/api/review/${room.sessionId}/export.csv`, {}, 401, 'auth/missing-secret'],
      [`/api/review/${room.sessionId}?hostSecret=${room.hostSecret}`, {}, 401, 'auth/missing-secret'],
      [`/api/review/${room.sessionId}`, { 'x-host-secret': room.secrets[0] }, 403, 'auth/bad-secret'],
      [`/api/review/${room.sessionId}`, { 'x-player-secret': room.hostSecret }, 403, 'auth/bad-secret'],
      [`/api/review/${room.sessionId}`, { 'x-player-secret': 'short' }, 403, 'auth/bad-secret'],
      [`/api/review/${room.sessionId}`, { 'x-host-secret': 'A'.repeat(43) }, 403, 'auth/bad-secret'],
      [`/api/review/${room.sessionId}/export.csv`, asStudent(0), 403, 'auth/not-host'],
      // An unknown session answers like a wrong secret: the route does not say which codes exist.
      ['/api/review/s_doesnotexist00000', asTeacher(), 403, 'auth/bad-secret'],
      ['/api/review/AAAAAA', asTeacher(), 403, 'auth/bad-secret'],
      ['/api/review/AAAAAAAA/summary', asStudent(0), 403, 'auth/bad-secret'],
    ];
    for (const [path, headers, status, code] of cases) {
      const response = await get(path, headers);
      expect(response.status, path).toBe(status);
      const body = await json<ApiError>(response);
      expect(body.error.code, path).toBe(code);
      expect(typeof body.error.message).toBe('string');
      expect(JSON.stringify(body)).not.toContain(room.hostSecret);
    }
    // Another session's teacher cannot read this one.
    const other = await arena.connect();
    const created = await other.must('session:create', { lessonId: 'the-cat-sat', settings: {} });
    expect((await get(`/api/review/${room.sessionId}`, { 'x-host-secret': created.hostSecret })).status).toBe(403);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const put = await get(`/api/review/${room.sessionId}`, asTeacher(), { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    const getSettings = await get(`/api/review/${room.sessionId}/settings`, asTeacher());
    expect(getSettings.status).toBe(405);
    expect(getSettings.headers.get('allow')).toBe('POST');
    const head = await get(`/api/review/${room.sessionId}`, asTeacher(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('the CSV export: one row per student per round, names intact, numbers as in the review', async () => {
    const response = await get(`/api/review/${room.sessionId}/export.csv`, asTeacher());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="attention-arena-${room.code}-the-cat-sat.csv"; filename*=UTF-8''attention-arena-${room.code}-the-cat-sat.csv`,
    );
    const { header, rows } = readCsvFile(new Uint8Array(await response.arrayBuffer()));
    expect(header.slice(0, 4)).toEqual(['session code', 'lesson', 'round', 'player']);
    expect(header).not.toContain('real name');
    expect(rows.map((r) => r.player)).toEqual(["Zoë O'Brien", '漢字', "'-dash", 'plain']);
    const review = await json<TeacherReview>(await get(`/api/review/${room.sessionId}`, asTeacher()));
    rows.forEach((row, i) => {
      expect(row['session code']).toBe(room.code);
      expect(row.round).toBe('1');
      expect(Number(row.score)).toBe(review.students[i].rounds[0].score);
      expect(row.token).toBe(review.lesson.tokens[review.students[i].rounds[0].token]);
    });
  });
});
