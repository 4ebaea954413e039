/**
 * A teacher's own lesson over real HTTP and real sockets: preview, save with an edit secret, list,
 * edit, duplicate; then the saved lesson plays a live round to the reveal (scores against the float64
 * reference on the lesson the server serves), a solo run, and the review, exactly like a curated one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { attendLayer } from '../../lib/attention/reference';
import type { AuthoredDraftInput } from '../../lib/authoring/lesson';
import { scoreAllocation } from '../../lib/game';
import type { StudentView } from '../../lib/protocol';
import type { AttentionResponse } from '../../server/http/routes';
import type { PaletteResponse, PreviewResponse } from '../../lib/authoring/api';
import { setUpArenas } from '../helpers/arenas';
import { allocation, openClassroom, type Arena } from '../helpers/sockets';

const arenas = setUpArenas();
let arena: Arena;

beforeAll(async () => {
  arena = await arenas.bootForFile({ seed: 3 });
});

const BANK: AuthoredDraftInput = { sentence: 'We sat on the bank of the river', arcs: [{ query: 4, key: 7 }], seed: 4 };

async function call<T>(path: string, init: { method?: string; body?: unknown; secret?: string } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.secret !== undefined) headers['x-edit-secret'] = init.secret;
  const response = await fetch(`${arena.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: (await response.json()) as T };
}

type Created = { id: string; editSecret: string; summary: { id: string; title: string; tokens: string[] } };

describe('the authoring API', () => {
  it('lists the palette', async () => {
    const { status, body } = await call<PaletteResponse>('/api/authoring/palette');
    expect(status).toBe(200);
    expect(body.meaning).toEqual(expect.arrayContaining(['animal', 'artifact', 'location', 'motion']));
    expect(body.maxTokens).toBe(16);
  });

  it('previews both heads with the engine\'s numbers, and refuses an emoji naming it', async () => {
    const { status, body } = await call<PreviewResponse>('/api/authoring/preview', { method: 'POST', body: { draft: BANK } });
    expect(status).toBe(200);
    if (!body.ok) throw new Error(body.problems[0].message);
    expect(body.heads.map((h) => h.name)).toEqual(['grammar', 'meaning']);
    const meaningRow = body.heads[1].weights[4];
    expect(meaningRow.indexOf(Math.max(...meaningRow))).toBe(7);
    expect(body.fit.arcs[0]).toMatchObject({ query: 4, key: 7, reached: true });
    // What the editor shows is what the reference computes from the cards it shows.
    const reference = attendLayer(body.heads.map((h) => h.cards), null, { scale: true, temperature: 1, causal: false });
    body.heads.forEach((head, h) => head.weights.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(w - reference.heads[h].weights[i][j])).toBeLessThan(1e-5))));
    expect(body.starTokens).toContain(4);

    const emoji = await call<PreviewResponse>('/api/authoring/preview', { method: 'POST', body: { draft: { sentence: 'The cat 🐈 sat' } } });
    expect(emoji.status).toBe(200);
    expect(emoji.body).toMatchObject({ ok: false, problems: [{ code: 'sentence/emoji', token: '🐈' }] });
    const malformed = await call<{ error: { code: string } }>('/api/authoring/preview', { method: 'POST', body: { draft: { sentence: 'x', arcs: 'no' } } });
    expect(malformed.status).toBe(400);
  });

  it('saves with an edit secret, lists, reads, edits, refuses a false goal, and duplicates', async () => {
    const created = await call<Created>('/api/authored-lessons', { method: 'POST', body: { draft: BANK } });
    expect(created.status).toBe(201);
    const { id, editSecret } = created.body;
    expect(id).toMatch(/^authored-[0-9a-f]{16}$/);

    const listed = await call<{ id: string; title: string }[]>(`/api/authored-lessons?ids=${id},authored-0000000000000000`);
    expect(listed.body.map((l) => l.id)).toEqual([id]);
    // The draft holds the arcs, the round's answers: only the edit secret reads it.
    const publicView = await call<{ draft?: unknown }>(`/api/authored-lessons/${id}`);
    expect(publicView.body.draft).toBeUndefined();
    expect((await call(`/api/authored-lessons/${id}`, { secret: 'wrong' })).status).toBe(403);
    const mine = await call<{ draft: { sentence: string } }>(`/api/authored-lessons/${id}`, { secret: editSecret });
    expect(mine.body.draft.sentence).toBe(BANK.sentence);

    const falseGoal = { ...BANK, goals: [{ text: 'bank looks at We', claim: { kind: 'largest-weight', head: 'meaning', query: 4, key: 0 } }] };
    const refused = await call<{ error: { code: string; message: string } }>(`/api/authored-lessons/${id}`, { method: 'PUT', body: { draft: falseGoal }, secret: editSecret });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/Goal 1 does not hold: in "bank"'s row the largest weight is .* on "river"/);
    expect((await call(`/api/authored-lessons/${id}`, { method: 'PUT', body: { draft: { ...BANK, title: 'River banks' } } })).status).toBe(403);
    const edited = await call<{ summary: { title: string } }>(`/api/authored-lessons/${id}`, { method: 'PUT', body: { draft: { ...BANK, title: 'River banks' } }, secret: editSecret });
    expect(edited.body.summary.title).toBe('River banks');

    const copy = await call<Created>(`/api/authored-lessons/${id}/duplicate`, { method: 'POST', secret: editSecret });
    expect(copy.status).toBe(201);
    expect(copy.body.id).not.toBe(id);
    expect(copy.body.summary.title).toBe('Copy of River banks');
  });
});

describe('an authored lesson plays like a curated one', () => {
  it('a live round to the reveal, scored against the reference; a solo run; the review', async () => {
    const { body: saved } = await call<Created>('/api/authored-lessons', { method: 'POST', body: { draft: BANK } });
    const { body: served } = await call<AttentionResponse>(`/api/lessons/${saved.id}/attention`);
    expect(served.tokens).toEqual(['We', 'sat', 'on', 'the', 'bank', 'of', 'the', 'river']);
    const truth = attendLayer(served.cards, null, served.options);

    const room = await openClassroom(arena, saved.id, 2);
    const { teacher, students } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat')));
    const all = [0, 1, 2, 3, 4, 5, 6, 7];
    await Promise.all(students.map((s, i) => s.must('attention:allocate', { round: 1, weights: allocation(8, [7, 0][i], 0.7, all) })));
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    for (const student of students) {
      const view = await student.waitForView<StudentView>((v) => v.result !== null, 'a result');
      const result = view.result!;
      const refRow = truth.heads[result.head].weights[result.token];
      result.trueRow.forEach((w, j) => expect(Math.abs(w - refRow[j])).toBeLessThan(1e-5));
      expect(result.score).toBe(scoreAllocation(result.allocation, result.trueRow));
    }

    const solo = await call<{ level: { lessonId?: string } }>(`/api/solo/levels/${saved.id}/start`, { method: 'POST', body: { learnerId: 'learner-authored-test-0001' } });
    expect(solo.status).toBe(201);

    const review = await fetch(`${arena.url}/api/review/${room.sessionId}`, { headers: { 'x-host-secret': room.hostSecret } });
    expect(review.status).toBe(200);
    const text = await review.text();
    expect(text).toContain('river');
  });

  it('an unknown authored id is refused when a session opens', async () => {
    const teacher = await arena.connect();
    const refusal = await teacher.refused('session:create', { lessonId: 'authored-0123456789abcdef', settings: {} });
    expect(refusal.code).toBe('lesson/not-found');
  });
});
