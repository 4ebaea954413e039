/**
 * The solo API on a real server and a real engine (cpu backend): a learner starts level 1, plays its key
 * rows with help, sees the reveal, finishes with stars and opens level 2; the model's answer is absent
 * from every answer before the reveal; progress survives a restart (Prisma on PGlite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttentionEngine, type AttentionEngine } from '../../lib/attention/engine';
import { attendLayer } from '../../lib/attention/reference';
import { scoreAllocation, uniformAllocation } from '../../lib/game';
import { computeCards } from '../../lib/lessons/cards';
import { curatedLessons, getLesson } from '../../lib/lessons/curated/index';
import type { SoloLeaderboardView, SoloProgressView, SoloRunView } from '../../lib/solo';
import { createServer } from '../../server/app';
import { openDatabase } from '../../server/persistence/db';
import { migrate } from '../../server/persistence/migrate';
import { PrismaSoloRepository } from '../../server/persistence/solo-prisma';
import { bootServer, type BootedServer } from '../helpers/server';

const LEARNER = 'learner-integration-1';
const recurrent = getLesson('recurrent-bottleneck')!;
const truth = attendLayer(computeCards(recurrent), null, { scale: true, temperature: 1, causal: false }).heads[0].weights;

let booted: BootedServer;

beforeAll(async () => {
  booted = await bootServer({ backend: 'cpu' });
});

afterAll(async () => {
  await booted?.close();
});

async function call<T>(base: string, method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

const api = <T>(method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown) => call<T>(booted.url, method, route, body);

/** Every number in a JSON text. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbersIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => numbersIn(v, out));
  return out;
}

/** Whether any of a row's telling weights (not 0, not an even share) appears in a response. */
function leaksRow(body: unknown, row: readonly number[]): boolean {
  const telling = row.filter((w) => w > 0.02 && Math.abs(w - 1 / row.length) > 1e-3);
  return numbersIn(body).some((x) => telling.some((w) => Math.abs(x - w) < 1e-5));
}

describe('the solo API', () => {
  let run: SoloRunView;

  it('shows a new learner the path with only level 1 open', async () => {
    const { status, body } = await api<SoloProgressView>('GET', `/api/solo/progress/${LEARNER}`);
    expect(status).toBe(200);
    expect(body.thresholds).toEqual([600, 800, 930]);
    expect(body.levels.map((l) => l.lessonId)).toEqual([...curatedLessons].sort((a, b) => a.order - b.order).map((l) => l.id));
    expect(body.levels.map((l) => l.unlocked)).toEqual([true, false, false, false, false, false, false, false]);
    expect((await api('GET', '/api/solo/progress/no')).status).toBe(400);
  });

  it('refuses level 2 until level 1 has a star', async () => {
    const { status, body } = await api<{ error: { code: string } }>('POST', '/api/solo/levels/the-cat-sat/start', { learnerId: LEARNER });
    expect(status).toBe(403);
    expect(body.error.code).toBe('solo/level-locked');
    expect((await api('POST', '/api/solo/levels/no-such-lesson/start', { learnerId: LEARNER })).status).toBe(404);
    expect((await api('POST', '/api/solo/levels/recurrent-bottleneck/start', { learnerId: LEARNER, extra: 1 })).status).toBe(400);
  });

  it('starts level 1 on its key row, with the model’s answer kept back', async () => {
    const started = await api<SoloRunView>('POST', '/api/solo/levels/recurrent-bottleneck/start', { learnerId: LEARNER });
    expect(started.status).toBe(201);
    run = started.body;
    expect(run.stage).toBe('play');
    expect(run.seat).toEqual({ token: 13, head: 0, key: true });
    expect(run.level).toMatchObject({ number: 1, count: 8, lessonId: 'recurrent-bottleneck' });
    expect(run.level.note?.shares[4]).toBeLessThan(0.01);
    expect(run.student.seat?.keys.every((k) => k !== null)).toBe(true);
    expect(run.student.result).toBeNull();
    expect(run.reveal).toBeNull();
    expect(started.text).not.toMatch(/"truth"|"server"|"trueRow"|"botAllocation"/);
    for (const row of truth) expect(leaksRow(run, row)).toBe(false);
    const again = await api<SoloRunView>('GET', `/api/solo/runs/${run.runId}`);
    expect(again.status).toBe(200);
    for (const row of truth) expect(leaksRow(again.body, row)).toBe(false);
  });

  it('checks allocations and prices help before it is taken', async () => {
    const round = run.student.round!.number;
    const bad = await api<{ error: { code: string } }>('POST', `/api/solo/runs/${run.runId}/allocate`, { round, weights: [1, 1] });
    expect(bad.status).toBe(400);
    const offer = run.help!.offers.find((o) => o.kind === 'dot-products' && o.token === 4)!;
    expect(offer.cost).toBe(10);
    const helped = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/help`, { round, kind: 'dot-products', token: 4 });
    expect(helped.status).toBe(200);
    expect(helped.body.help?.spent).toBe(10);
    expect(helped.body.help?.dotProducts).toEqual([expect.objectContaining({ token: 4, total: 6 })]);
    for (const row of truth) expect(leaksRow(helped.body, row)).toBe(false);
    const twice = await api<{ error: { code: string } }>('POST', `/api/solo/runs/${run.runId}/help`, { round, kind: 'dot-products', token: 4 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('solo/help-taken');
    const moved = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/allocate`, { round, weights: uniformAllocation(13, 14, false) });
    expect(moved.status).toBe(200);
  });

  it('reveals on lock, scores with the game core and explains the row', async () => {
    const weights = new Array<number>(14).fill(0);
    weights[4] = 0.6;
    weights[13] = 0.4;
    const locked = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/lock`, { round: 1, weights });
    expect(locked.status).toBe(200);
    run = locked.body;
    expect(run.stage).toBe('revealed');
    const score = scoreAllocation(weights, truth[13]);
    expect(Math.abs(run.reveal!.score - score)).toBeLessThanOrEqual(1);
    expect(run.reveal).toMatchObject({ helpSpent: 10, net: run.reveal!.score - 10, key: true, lessonSays: recurrent.steps.reveal });
    expect(run.reveal?.sentences.join(' ')).toContain('“Lisbon”');
    run.student.result!.trueRow.forEach((w, j) => expect(w).toBeCloseTo(truth[13][j], 4));
    expect(run.student.result!.cosine).toBeGreaterThan(0);
    expect(run.progress).toMatchObject({ canFinish: false, keySeatsLeft: [{ token: 9, head: 0 }] });
    // The rest of the matrix stays hidden: the learner may still play those rows.
    expect(leaksRow(run, truth[9])).toBe(false);
    expect((await api('POST', `/api/solo/runs/${run.runId}/lock`, { round: 1 })).status).toBe(409);
  });

  it('plays the next key row, then refuses an unkind nickname and finishes with stars', async () => {
    const next = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/next-token`, { token: 9 });
    expect(next.status).toBe(200);
    expect(next.body.seat).toEqual({ token: 9, head: 0, key: true });
    expect(next.body.help?.spent).toBe(0);
    const locked = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/lock`, { round: 2, weights: truth[9] });
    expect(locked.body.reveal?.score).toBeGreaterThanOrEqual(999);
    const rude = await api<{ error: { code: string } }>('POST', `/api/solo/runs/${run.runId}/finish`, { nickname: 'sh1t' });
    expect(rude.status).toBe(400);
    expect(rude.body.error.code).toBe('solo/nickname-rejected');
    const finished = await api<SoloRunView>('POST', `/api/solo/runs/${run.runId}/finish`, { nickname: '  Clever  Owl ' });
    expect(finished.status).toBe(200);
    const expected = Math.round((run.reveal!.net + locked.body.reveal!.net) / 2);
    expect(finished.body.finished).toMatchObject({
      score: expected,
      previousBest: null,
      improved: true,
      nickname: 'Clever Owl',
      nextLevel: { lessonId: 'the-cat-sat', unlocked: expected >= 600 },
      wrapUp: recurrent.steps.wrapUp,
    });
    expect(finished.body.finished?.model[0].weights).toHaveLength(14);
    expect((await api('POST', `/api/solo/runs/${run.runId}/next-token`, { token: 1 })).status).toBe(409);
  });

  it('opens level 2 and lists the run on the lesson’s leaderboard', async () => {
    const progress = await api<SoloProgressView>('GET', `/api/solo/progress/${LEARNER}`);
    expect(progress.body.levels[0].stars).toBeGreaterThanOrEqual(1);
    expect(progress.body.levels[1]).toMatchObject({ lessonId: 'the-cat-sat', unlocked: true, current: true });
    const board = await api<SoloLeaderboardView>('GET', '/api/solo/leaderboard/recurrent-bottleneck');
    expect(board.body.entries).toEqual([expect.objectContaining({ rank: 1, nickname: 'Clever Owl' })]);
    expect((await api('POST', '/api/solo/levels/the-cat-sat/start', { learnerId: LEARNER, mode: 'sentence' })).status).toBe(201);
  });

  it('turns the knobs a lesson allows for a practice round, and refuses the others', async () => {
    const cat = (await api<SoloRunView>('POST', '/api/solo/levels/the-cat-sat/start', { learnerId: LEARNER })).body;
    expect(cat.level.adjustable).toEqual({ scale: true, temperature: true, causal: true });
    await api('POST', `/api/solo/runs/${cat.runId}/lock`, { round: 1 });
    expect((await api('POST', `/api/solo/runs/${cat.runId}/next-token`, { token: 2, settings: { temperature: 9 } })).status).toBe(400);
    const warmer = await api<SoloRunView>('POST', `/api/solo/runs/${cat.runId}/next-token`, { token: 2, settings: { temperature: 2, scale: false } });
    expect(warmer.status).toBe(200);
    expect(warmer.body.student.round).toMatchObject({ temperature: 2, scale: false });
    const practice = await api<SoloRunView>('POST', `/api/solo/runs/${cat.runId}/lock`, { round: 2 });
    expect(practice.body.reveal).toMatchObject({ key: false, settingsChanged: true, options: { temperature: 2, scale: false } });
    expect(practice.body.reveal?.workings?.softmax.divisor).toBe(2);
    const note = (await api<SoloRunView>('POST', '/api/solo/levels/recurrent-bottleneck/start', { learnerId: LEARNER })).body;
    await api('POST', `/api/solo/runs/${note.runId}/lock`, { round: 1 });
    const fixed = await api<{ error: { code: string } }>('POST', `/api/solo/runs/${note.runId}/next-token`, { token: 9, settings: { temperature: 2 } });
    expect(fixed.status).toBe(409);
    expect(fixed.body.error.code).toBe('settings/not-adjustable');
  });

  it('answers unknown runs, routes and methods with JSON errors', async () => {
    const missing = await api<{ error: { code: string; message: string } }>('GET', '/api/solo/runs/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('solo/run-not-found');
    expect((await api('PUT', `/api/solo/runs/${run.runId}/lock`, {})).status).toBe(405);
    expect((await api('GET', '/api/solo/whatever')).status).toBe(404);
    expect((await api<{ nickname: string }>('POST', '/api/solo/nickname', { nickname: ' Swift  Lynx' })).body).toEqual({ nickname: 'Swift Lynx' });
    expect((await api('POST', '/api/solo/nickname', { nickname: 'f.u.c.k' })).status).toBe(400);
  });
});

describe('solo progress across a restart', () => {
  let engine: AttentionEngine;
  let dir: string;

  beforeAll(async () => {
    engine = await createAttentionEngine({ backend: 'cpu', log: () => {} });
    dir = mkdtempSync(path.join(tmpdir(), 'arena-solo-'));
  });

  afterAll(() => {
    engine?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot() {
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    await migrate(db);
    const server = createServer({ engine, lessons: curatedLessons, soloRepository: new PrismaSoloRepository(db.prisma), closeGraceMs: 200 });
    const { port } = await server.listen(0, '127.0.0.1');
    return {
      url: `http://127.0.0.1:${port}`,
      async close() {
        await server.close();
        await db.close();
      },
    };
  }

  it('keeps the stars and the open level; a run in progress must be started again', async () => {
    const first = await boot();
    const learner = 'learner-restart-1';
    let started = await call<SoloRunView>(first.url, 'POST', '/api/solo/levels/recurrent-bottleneck/start', { learnerId: learner });
    const runId = started.body.runId;
    await call(first.url, 'POST', `/api/solo/runs/${runId}/lock`, { round: 1, weights: truth[13] });
    await call(first.url, 'POST', `/api/solo/runs/${runId}/next-token`, { token: 9 });
    await call(first.url, 'POST', `/api/solo/runs/${runId}/lock`, { round: 2, weights: truth[9] });
    const finished = await call<SoloRunView>(first.url, 'POST', `/api/solo/runs/${runId}/finish`, {});
    expect(finished.body.finished?.stars).toBe(3);
    started = await call<SoloRunView>(first.url, 'POST', '/api/solo/levels/the-cat-sat/start', { learnerId: learner });
    expect(started.status).toBe(201);
    await first.close();

    const second = await boot();
    try {
      const progress = await call<SoloProgressView>(second.url, 'GET', `/api/solo/progress/${learner}`);
      expect(progress.body.levels[0]).toMatchObject({ stars: 3, bestScore: finished.body.finished?.score });
      expect(progress.body.levels[1]).toMatchObject({ unlocked: true, current: true });
      const lost = await call<{ error: { code: string; message: string } }>(second.url, 'GET', `/api/solo/runs/${started.body.runId}`);
      expect(lost.status).toBe(404);
      expect(lost.body.error.message).toContain('start the level again');
      expect((await call(second.url, 'POST', '/api/solo/levels/the-cat-sat/start', { learnerId: learner })).status).toBe(201);
    } finally {
      await second.close();
    }
  });
});
