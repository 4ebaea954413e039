/**
 * The solo HTTP API (`/api/solo/…`, described in lib/solo/api.ts). A run is a class session of the game
 * core with one learner in it, kept in this process's memory and changed through one queue per run;
 * the engine is asked for the model's answer at every round start, as in class. What a learner earns
 * (a finished run, their best per lesson) goes to the `SoloRepository` and survives a restart; a run in
 * progress does not (the learner starts the level again).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { AttentionEngine } from '../../lib/attention/engine';
import type { Lesson } from '../../lib/lessons/schema';
import {
  SoloErrorCode,
  allocate,
  allocateRequestSchema,
  applyAttention,
  askForHelp,
  finishRequestSchema,
  finishRun,
  helpRequestSchema,
  isLevelUnlocked,
  leaderboardNickname,
  learnerIdSchema,
  levelAfter,
  levelStatuses,
  lockIn,
  lockRequestSchema,
  nextRound,
  nextTokenRequestSchema,
  nicknameRequestSchema,
  soloLevels,
  soloRunView,
  startRequestSchema,
  startRun,
  STAR_THRESHOLDS,
  type ComputeRequest,
  type HelpRequest,
  type SoloError,
  type SoloErrorCode as Code,
  type SoloLeaderboardView,
  type SoloProgressView,
  type SoloRun,
  type SoloStep,
} from '../../lib/solo';
import { SerialQueue } from '../rooms/queue';
import type { SoloRepository } from '../persistence/solo-repository';
import { errorFields, type Logger } from '../log';

export interface SoloApiDeps {
  engine: Pick<AttentionEngine, 'attendLayer'>;
  /** The solo path's lessons, in order. */
  lessons: readonly Lesson[];
  /** Any lesson by id: a teacher's own lesson is played off the path, always open. */
  findLesson?: (id: string) => Promise<Lesson | undefined>;
  repository: SoloRepository;
  clock: () => number;
  /** Chance for seating and AI classmates; never for ids. */
  random: () => number;
  logger: Logger;
  /** Run ids; random UUIDs when absent. */
  newId?: () => string;
  /** Runs kept in memory at most; the least recently used go first. */
  maxRuns?: number;
  /** A run untouched this long is forgotten. */
  runIdleMs?: number;
}

export interface SoloApi {
  /** Answers a request whose path starts with /api/solo. Never throws: failures become JSON errors. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Runs held in memory now. */
  readonly runCount: number;
}

const MAX_BODY_BYTES = 64 * 1024;

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: Code | 'route/not-found' | 'request/method-not-allowed' | 'server/internal',
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP status for a refusal: 400 a bad request, 403 a locked level, 404 unknown, 409 not now. */
export function statusFor(code: Code): number {
  switch (code) {
    case SoloErrorCode.runNotFound:
    case 'lesson/not-found':
      return 404;
    case SoloErrorCode.levelLocked:
      return 403;
    case SoloErrorCode.engineFailed:
      return 503;
    case 'request/invalid':
    case 'attention/not-a-distribution':
    case 'attention/causal-violation':
    case SoloErrorCode.helpInvalid:
    case SoloErrorCode.nicknameRejected:
    case SoloErrorCode.learnerInvalid:
      return 400;
    default:
      return 409;
  }
}

function fail(error: SoloError): never {
  throw new ApiFailure(statusFor(error.code), error.code, error.message);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  // JSON only: a cross-site form (urlencoded, multipart, text/plain) never reaches a route.
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw new ApiFailure(415, 'request/invalid', 'Send the request body as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiFailure(413, 'request/invalid', 'The request body is too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiFailure(400, 'request/invalid', 'The request body is not JSON.');
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${issue.path.map(String).join('.') || 'body'} ${issue.message}`))
      .join('; ');
    throw new ApiFailure(400, 'request/invalid', message);
  }
  return parsed.data;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiFailure(400, 'request/invalid', 'The path is not valid URL encoding.');
  }
}

interface HeldRun {
  run: SoloRun;
  queue: SerialQueue;
  touchedAt: number;
}

/** Builds the solo API over a repository and an engine. */
export function createSoloApi(deps: SoloApiDeps): SoloApi {
  const levels = soloLevels(deps.lessons);
  const lessons = new Map(deps.lessons.map((lesson) => [lesson.id, lesson]));
  const runs = new Map<string, HeldRun>();
  const maxRuns = deps.maxRuns ?? 5000;
  const runIdleMs = deps.runIdleMs ?? 6 * 60 * 60 * 1000;
  const newId = deps.newId ?? randomUUID;
  const ctx = () => ({ now: deps.clock(), random: deps.random });

  const placeOf = (lessonId: string) => ({ number: levels.findIndex((l) => l.lessonId === lessonId) + 1, count: levels.length });
  const viewOf = (run: SoloRun) => soloRunView(run, placeOf(run.game.lesson.id));

  function forgetIdleRuns(): void {
    const now = deps.clock();
    for (const [id, held] of runs) if (now - held.touchedAt > runIdleMs && held.queue.size === 0) runs.delete(id);
    if (runs.size < maxRuns) return;
    const oldest = [...runs].filter(([, held]) => held.queue.size === 0).sort((a, b) => a[1].touchedAt - b[1].touchedAt);
    for (const [id] of oldest.slice(0, runs.size - maxRuns + 1)) runs.delete(id);
  }

  async function requireLesson(lessonId: string): Promise<Lesson> {
    const lesson = lessons.get(lessonId) ?? (await deps.findLesson?.(lessonId));
    if (!lesson) throw new ApiFailure(404, 'lesson/not-found', `No lesson has the id "${lessonId}".`);
    return lesson;
  }

  function heldRun(runId: string): HeldRun {
    const held = runs.get(runId);
    if (!held) {
      throw new ApiFailure(404, SoloErrorCode.runNotFound, 'This run is not here any more (the server may have restarted): start the level again. Your stars are kept.');
    }
    return held;
  }

  /** Asks the engine for a round's answer and applies it; a failure leaves the run waiting (a later GET asks again). */
  async function compute(run: SoloRun, request: ComputeRequest): Promise<SoloRun> {
    try {
      const layer = await deps.engine.attendLayer(run.game.cards, run.game.lesson.wO, request.options);
      const answered = applyAttention(run, request.round, { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) }, ctx());
      if (!answered.ok) {
        deps.logger.error({ family: 'solo', run: run.id, round: request.round, code: answered.error.code }, `the model's answer was refused: ${answered.error.message}`);
        return run;
      }
      return answered.run;
    } catch (error) {
      deps.logger.error({ family: 'solo', run: run.id, round: request.round, ...errorFields(error) }, 'the engine failed');
      return run;
    }
  }

  /** The answer a run is still waiting for, if any. */
  function owedCompute(run: SoloRun): ComputeRequest | null {
    const { game } = run;
    const round = game.round;
    if (!round || game.server.truth?.round === round.number) return null;
    if (game.phase === 'cards' || (game.phase === 'locked' && round.revealPending)) return { round: round.number, options: { ...round.options } };
    return null;
  }

  async function settle(result: SoloStep): Promise<SoloRun> {
    if (!result.ok) fail(result.error);
    return result.compute ? compute(result.run, result.compute) : result.run;
  }

  /** Runs `task` in the run's queue and keeps what it returns as the run. */
  function change(runId: string, task: (run: SoloRun) => Promise<SoloRun>): Promise<SoloRun> {
    const held = heldRun(runId);
    return held.queue.run(async () => {
      const next = await task(held.run);
      held.run = next;
      held.touchedAt = deps.clock();
      return next;
    });
  }

  async function start(lessonId: string, body: unknown): Promise<SoloRun> {
    const lesson = await requireLesson(lessonId);
    const request = parse(startRequestSchema, body);
    const progress = await deps.repository.progress(request.learnerId);
    const onPath = lessons.has(lessonId);
    if (onPath && !isLevelUnlocked(levels, progress, lessonId)) {
      throw new ApiFailure(403, SoloErrorCode.levelLocked, 'This level opens once the level before it has at least one star.');
    }
    const seat = request.token !== undefined ? { token: request.token, head: request.head ?? 0 } : undefined;
    if (!seat && request.head !== undefined) throw new ApiFailure(400, 'request/invalid', 'Name the token as well as the head.');
    forgetIdleRuns();
    const run = await settle(startRun({ id: newId(), learnerId: request.learnerId, lesson, mode: request.mode, seat }, ctx()));
    runs.set(run.id, { run, queue: new SerialQueue(), touchedAt: deps.clock() });
    return run;
  }

  async function finish(run: SoloRun, body: unknown): Promise<SoloRun> {
    const request = parse(finishRequestSchema, body);
    let nickname: string | null = null;
    if (request.nickname !== undefined && request.nickname.trim() !== '') {
      const checked = leaderboardNickname(request.nickname);
      if (!checked.ok) fail({ code: SoloErrorCode.nicknameRejected, message: checked.message });
      nickname = checked.nickname;
    }
    const result = finishRun(run, ctx());
    if (!result.ok) fail(result.error);
    const finished = result.run;
    const { score, stars, at } = finished.finished ?? fail({ code: SoloErrorCode.notDone, message: 'The level is not finished.' });
    const lessonId = finished.game.lesson.id;
    // Saved before the run counts as finished: a failed save leaves the learner able to try again.
    const saved = await deps.repository.recordRun({ id: finished.id, learnerId: finished.learnerId, nickname, lessonId, score, stars, createdAt: at });
    const next = levelAfter(levels, lessonId);
    const progress = next ? await deps.repository.progress(finished.learnerId) : [];
    return {
      ...finished,
      outcome: {
        previousBest: saved.before?.bestScore ?? null,
        nickname,
        nextLevel: next ? { lessonId: next.lessonId, title: next.title, unlocked: isLevelUnlocked(levels, progress, next.lessonId) } : null,
      },
    };
  }

  async function runAction(runId: string, action: string, body: unknown): Promise<SoloRun> {
    switch (action) {
      case 'allocate': {
        const request = parse(allocateRequestSchema, body);
        return change(runId, (run) => settle(allocate(run, request.round, request.weights, ctx())));
      }
      case 'lock': {
        const request = parse(lockRequestSchema, body);
        return change(runId, (run) => settle(lockIn(run, request.round, request.weights, ctx())));
      }
      case 'help': {
        const request = parse(helpRequestSchema, body);
        const help: HelpRequest =
          request.kind === 'dot-products' ? { kind: 'dot-products', ...(request.token !== undefined ? { token: request.token } : {}) } : { kind: request.kind };
        if (request.kind !== 'dot-products' && request.token !== undefined) throw new ApiFailure(400, 'request/invalid', 'Only a dot product names a token.');
        return change(runId, (run) => settle(askForHelp(run, request.round, help, ctx())));
      }
      case 'next-token': {
        const request = parse(nextTokenRequestSchema, body);
        if (request.token === undefined && request.head !== undefined) throw new ApiFailure(400, 'request/invalid', 'Name the token as well as the head.');
        const seat = request.token !== undefined ? { token: request.token, head: request.head ?? 0 } : undefined;
        return change(runId, (run) => settle(nextRound(run, seat, ctx(), request.settings)));
      }
      case 'finish':
        return change(runId, (run) => finish(run, body));
      default:
        throw new ApiFailure(404, 'route/not-found', `No solo action "${action}".`);
    }
  }

  async function progressView(learnerId: string): Promise<SoloProgressView> {
    const parsed = learnerIdSchema.safeParse(learnerId);
    if (!parsed.success) throw new ApiFailure(400, SoloErrorCode.learnerInvalid, `The learner id ${parsed.error.issues[0]?.message ?? 'is not valid'}.`);
    const progress = await deps.repository.progress(learnerId);
    return { learnerId, thresholds: STAR_THRESHOLDS, levels: levelStatuses(levels, progress) };
  }

  async function leaderboardView(lessonId: string): Promise<SoloLeaderboardView> {
    const lesson = await requireLesson(lessonId);
    const rows = await deps.repository.leaderboard(lessonId);
    return { lessonId, title: lesson.title, entries: rows.map((r) => ({ rank: r.rank, nickname: r.nickname, score: r.score, stars: r.stars as 0 | 1 | 2 | 3 })) };
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(3).map(decodeSegment);
    const method = req.method ?? 'GET';
    const only = (allowed: 'GET' | 'POST') => {
      if (method !== allowed) {
        res.setHeader('allow', allowed);
        throw new ApiFailure(405, 'request/method-not-allowed', `${method} is not allowed here; use ${allowed}.`);
      }
    };
    const [first, id, action, extra] = parts;
    if (first === 'progress' && id && !action) {
      only('GET');
      sendJson(res, 200, await progressView(id));
    } else if (first === 'leaderboard' && id && !action) {
      only('GET');
      sendJson(res, 200, await leaderboardView(id));
    } else if (first === 'nickname' && !id) {
      only('POST');
      const request = parse(nicknameRequestSchema, await readJson(req));
      const checked = leaderboardNickname(request.nickname);
      if (!checked.ok) fail({ code: SoloErrorCode.nicknameRejected, message: checked.message });
      sendJson(res, 200, { nickname: checked.nickname });
    } else if (first === 'levels' && id && action === 'start' && !extra) {
      only('POST');
      sendJson(res, 201, viewOf(await start(id, await readJson(req))));
    } else if (first === 'runs' && id && !action) {
      only('GET');
      const held = heldRun(id);
      // A run whose engine call failed is still waiting: ask again.
      const owed = owedCompute(held.run);
      const run = owed ? await change(id, (current) => (owedCompute(current) ? compute(current, owed) : Promise.resolve(current))) : held.run;
      held.touchedAt = deps.clock();
      sendJson(res, 200, viewOf(run));
    } else if (first === 'runs' && id && action && !extra) {
      only('POST');
      sendJson(res, 200, viewOf(await runAction(id, action, await readJson(req))));
    } else {
      throw new ApiFailure(404, 'route/not-found', `No solo API route at ${url.pathname}.`);
    }
  }

  return {
    get runCount() {
      return runs.size;
    },
    async handle(req, res, url) {
      try {
        await route(req, res, url);
      } catch (error) {
        if (error instanceof ApiFailure) {
          if (!res.headersSent) sendJson(res, error.status, { error: { code: error.code, message: error.message } });
          return;
        }
        deps.logger.error({ family: 'solo', method: req.method, path: url.pathname, ...errorFields(error) }, 'solo request failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'server/internal', message: 'The server could not answer this request.' } });
        else res.destroy();
      }
    },
  };
}
