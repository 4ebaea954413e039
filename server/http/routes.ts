/**
 * The server's own HTTP API under /api. It lives here rather than in Next route handlers so the
 * attention engine (TensorFlow.js and its native backends) stays in this process and out of Next's bundles.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AttentionEngine } from '../../lib/attention/engine';
import type { AttentionOptions, HeadCards, LayerAttention, Matrix } from '../../lib/attention/reference';
import { attentionOptionsFor, computeCards } from '../../lib/lessons/cards';
import type { Lesson } from '../../lib/lessons/schema';
import { errorFields, type Logger } from '../log';
import { settingsSchema } from '../../lib/protocol';
import type { JoinAddressResponse } from './join-address';
import { handleReview, type ReviewDeps } from './review';
import { isAuthoringPath, type AuthoringApi } from './authoring';
import type { SoloApi } from './solo';

/** What the routes need from the process. */
export interface RouteDeps {
  engine: AttentionEngine;
  lessons: readonly Lesson[];
  /** Any lesson by id, curated or a teacher's own (the explorer shows both). */
  findLesson?: (id: string) => Promise<Lesson | undefined>;
  /** The lesson editor's API; without it /api/authoring and /api/authored-lessons answer 404. */
  authoring?: AuthoringApi;
  /** Milliseconds since the epoch; injected so uptime is testable. */
  clock: () => number;
  /** When the server was created, on `clock`'s scale. */
  startedAt: number;
  logger: Logger;
  /** Where the after-class review reads sessions; without it /api/review answers 404. */
  review?: ReviewDeps;
  /** The self-paced single-player API; without it /api/solo answers 404. */
  solo?: SoloApi;
  /** The address students type, for the projector; without it /api/join-address answers 404. */
  joinAddress?: () => JoinAddressResponse;
}

/** Every error body has this shape, so clients can switch on `code`. */
export interface ApiError {
  error: { code: string; message?: string };
}

/** GET /api/health */
export interface HealthResponse {
  ok: true;
  backend: AttentionEngine['backend'];
  lessons: number;
  uptimeSeconds: number;
}

/** One entry of GET /api/lessons. */
export interface LessonSummary {
  id: string;
  title: string;
  order: number;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: string[];
}

/** A matrix on the wire: JSON has no −Infinity, so masked scores travel as null. */
export type WireMatrix = (number | null)[][];

/** GET /api/lessons/:id/attention */
export interface AttentionResponse {
  lessonId: string;
  tokens: string[];
  backend: AttentionEngine['backend'];
  options: AttentionOptions;
  /** Each head's Q, K and V cards, one row per token. */
  cards: HeadCards[];
  /** The engine's result for the whole layer. */
  layer: {
    heads: { name: string; scores: WireMatrix; weights: Matrix; outputs: Matrix }[];
    concatenated: Matrix;
    output: Matrix;
  };
}

const flag = z.enum(['0', '1'], { error: 'must be 0 or 1' }).transform((value) => value === '1');

const attentionQuery = z
  .object({
    scale: flag.optional(),
    causal: flag.optional(),
    // The same bounds as a session's temperature over the socket: one schema for both doors.
    temperature: z
      .string()
      .regex(/^\d*\.?\d+$/, 'must be a number such as 0.5 or 2')
      .transform(Number)
      .pipe(settingsSchema.shape.temperature)
      .optional(),
  })
  .strict();

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message?: string): void {
  const body: ApiError = { error: message === undefined ? { code } : { code, message } };
  sendJson(res, status, body);
}

/** Query parameters as a record; a repeated parameter becomes an array so the schema refuses it. */
function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const name = issue.path.map(String).join('.') || 'query';
      return `${name} ${issue.message}`;
    })
    .join('; ');
}

function toWire(matrix: Matrix): WireMatrix {
  return matrix.map((row) => row.map((x) => (Number.isFinite(x) ? x : null)));
}

function summarize(lesson: Lesson): LessonSummary {
  return {
    id: lesson.id,
    title: lesson.title,
    order: lesson.order,
    summary: lesson.summary,
    sentence: lesson.sentence,
    tokens: lesson.tokens,
    heads: lesson.heads.map((head) => head.name),
  };
}

async function attention(lesson: Lesson, params: URLSearchParams, deps: RouteDeps, res: ServerResponse): Promise<void> {
  const parsed = attentionQuery.safeParse(queryRecord(params));
  if (!parsed.success) {
    sendError(res, 400, 'request/invalid', describeIssues(parsed.error));
    return;
  }
  // This read-only explorer lets any setting be tried, even where a lesson fixes it for a round.
  const options = attentionOptionsFor(lesson, parsed.data);
  const cards = computeCards(lesson);
  const layer: LayerAttention = await deps.engine.attendLayer(cards, lesson.wO, options);
  const body: AttentionResponse = {
    lessonId: lesson.id,
    tokens: lesson.tokens,
    backend: deps.engine.backend,
    options,
    cards,
    layer: {
      heads: layer.heads.map((head) => ({
        name: head.name,
        scores: toWire(head.scores),
        weights: head.weights,
        outputs: head.outputs,
      })),
      concatenated: layer.concatenated,
      output: layer.output,
    },
  };
  sendJson(res, 200, body);
}

/** Answers one request whose path starts with /api/. Never throws: failures become JSON errors. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    // The review routes check their own methods (one of them takes a POST).
    if (deps.review && (await handleReview(req, res, path, deps.review, deps.logger))) return;
    // The solo routes check their own methods too (most take a POST).
    if (deps.solo && (path === '/api/solo' || path.startsWith('/api/solo/'))) return await deps.solo.handle(req, res, url);
    if (deps.authoring && isAuthoringPath(path)) return await deps.authoring.handle(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendError(res, 405, 'request/method-not-allowed', `${req.method} is not allowed here; use GET`);
      return;
    }

    if (path === '/api/health') {
      const body: HealthResponse = {
        ok: true,
        backend: deps.engine.backend,
        lessons: deps.lessons.length,
        uptimeSeconds: Math.max(0, Math.floor((deps.clock() - deps.startedAt) / 1000)),
      };
      sendJson(res, 200, body);
      return;
    }

    if (path === '/api/join-address' && deps.joinAddress) {
      sendJson(res, 200, deps.joinAddress());
      return;
    }

    if (path === '/api/lessons') {
      const body: LessonSummary[] = [...deps.lessons].sort((a, b) => a.order - b.order).map(summarize);
      sendJson(res, 200, body);
      return;
    }

    const match = /^\/api\/lessons\/([^/]+)\/attention$/.exec(path);
    if (match) {
      let id: string;
      try {
        id = decodeURIComponent(match[1]);
      } catch {
        sendError(res, 400, 'request/invalid', 'the lesson id is not valid URL encoding');
        return;
      }
      const lesson = deps.lessons.find((candidate) => candidate.id === id) ?? (await deps.findLesson?.(id));
      if (!lesson) {
        sendError(res, 404, 'lesson/not-found', `no lesson has the id "${id}"`);
        return;
      }
      await attention(lesson, url.searchParams, deps, res);
      return;
    }

    sendError(res, 404, 'route/not-found', `no API route at ${url.pathname}`);
  } catch (error) {
    deps.logger.error({ family: 'http', method: req.method, path: (req.url ?? '').split('?')[0], ...errorFields(error) }, 'API request failed');
    if (!res.headersSent) sendError(res, 500, 'server/internal', 'the server could not answer this request');
    else res.destroy();
  }
}
