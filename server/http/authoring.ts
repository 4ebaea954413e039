/**
 * The lesson editor's API.
 *
 * - `GET  /api/authoring/palette`: the parts of speech and meaning features a teacher may choose from.
 * - `POST /api/authoring/preview` `{ draft }`: the built lesson as the editor shows it (features, both heads'
 *   cards and weights from the engine, the fit arc by arc, suggested goals and stars, verdicts, flags).
 * - `POST /api/authored-lessons` `{ draft }`: saves; answers the id and the edit secret (shown once).
 * - `GET  /api/authored-lessons?ids=a,b`: summaries for the teacher's list (ids kept by their browser).
 * - `GET  /api/authored-lessons/:id`: the summary; with the `x-edit-secret` header, the draft too.
 * - `PUT  /api/authored-lessons/:id` `{ draft }` with `x-edit-secret`: saves a new version.
 * - `POST /api/authored-lessons/:id/duplicate` with `x-edit-secret`: a copy with its own id and secret.
 *
 * The draft holds the teacher's arcs, which are the round's answers, so only the edit secret reads it.
 * Fits take turns (one queue per process), and each yields to the event loop as it runs, so live classes
 * in the same process keep their pace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AttentionEngine } from '../../lib/attention/engine';
import { EDIT_SECRET_HEADER, type AuthoredLessonSummary, type AuthoredSoloIntro, type CreatedResponse, type PaletteResponse, type PreviewResponse } from '../../lib/authoring/api';
import { MEANING_PALETTE, MEANING_WEIGHTS, POS_FEATURES } from '../../lib/authoring/features';
import { authoredDraftSchema, buildAuthoredLesson, type AuthoredDraft } from '../../lib/authoring/lesson';
import { MAX_TOKENS } from '../../lib/authoring/sentence';
import type { Lexicon } from '../../lib/authoring/wordnet';
import { computeCards } from '../../lib/lessons/cards';
import { parseLesson } from '../../lib/lessons/parse';
import { lessonSchema } from '../../lib/lessons/schema';
import { keySeats, sameSeat, sentenceRows } from '../../lib/solo/levels';
import type { AuthoredLessonRecord, AuthoredLessonRepository } from '../persistence/authored-lessons';
import { SerialQueue } from '../rooms/queue';
import { hashSecret, mintSecret, secretMatches, type RandomBytes } from '../secrets';
import { AUTHORED_ID } from '../authoring/catalog';
import { errorFields, type Logger } from '../log';

const MAX_BODY_BYTES = 32 * 1024;
const MAX_LIST = 100;

export interface AuthoringDeps {
  engine: Pick<AttentionEngine, 'attendLayer' | 'backend'>;
  repository: AuthoredLessonRepository;
  lexicon: () => Promise<Lexicon>;
  clock: () => number;
  randomBytes: RandomBytes;
  logger: Logger;
}

export interface AuthoringApi {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export function isAuthoringPath(path: string): boolean {
  return path === '/api/authored-lessons' || path.startsWith('/api/authored-lessons/') || path.startsWith('/api/authoring/');
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, 'request/too-large', `The request is larger than ${MAX_BODY_BYTES / 1024} KB.`);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
  } catch {
    throw new Refusal(400, 'request/invalid', 'The request body is not JSON.');
  }
}

const draftRequest = z.object({ draft: authoredDraftSchema }).strict();

function parseDraft(body: unknown): AuthoredDraft {
  const parsed = draftRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map(String).join('.') || 'body';
    throw new Refusal(400, 'request/invalid', issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} in ${where}` : `${where}: ${issue.message}`);
  }
  return parsed.data.draft;
}

function summaryOf(record: AuthoredLessonRecord): AuthoredLessonSummary {
  // Read leniently: a summary must list even a lesson that no longer parses (the finder refuses to play it).
  const lesson = lessonSchema.partial().safeParse(record.lesson);
  const data = lesson.success ? lesson.data : {};
  return {
    id: record.id,
    title: record.title,
    summary: data.summary ?? '',
    sentence: record.sentence,
    tokens: data.tokens ?? [],
    heads: (data.heads ?? []).map((h) => h.name),
    flags: data.flags ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Builds the authoring API. */
export function createAuthoringApi(deps: AuthoringDeps): AuthoringApi {
  const fits = new SerialQueue();

  const build = (draft: AuthoredDraft, id: string) =>
    fits.run(async () => buildAuthoredLesson(draft, id, { lexicon: await deps.lexicon(), attend: deps.engine.attendLayer }));

  async function preview(draft: AuthoredDraft, id: string): Promise<PreviewResponse> {
    const result = await build(draft, id);
    if (!result.ok) return result;
    const { lesson, ...rest } = result;
    const cards = computeCards(lesson);
    const layer = await deps.engine.attendLayer(cards, lesson.wO, { scale: lesson.flags.scale, temperature: lesson.flags.temperature, causal: lesson.flags.causal });
    return {
      ...rest,
      lessonId: lesson.id,
      title: lesson.title,
      heads: lesson.heads.map((head, h) => ({ name: head.name, looksFor: head.looksFor, keyFeatures: head.keyFeatures, valueFeatures: head.valueFeatures, cards: cards[h], weights: layer.heads[h].weights })),
      backend: deps.engine.backend,
    };
  }

  /** Builds a draft that must be playable, or refuses with every reason. */
  async function playable(draft: AuthoredDraft, id: string) {
    const result = await build(draft, id);
    if (!result.ok) throw new Refusal(422, 'authoring/sentence', result.problems.map((p) => p.message).join(' '), { problems: result.problems });
    if (!result.playable) {
      const blocking = result.flags.filter((f) => f.code.startsWith('goal/'));
      throw new Refusal(422, 'authoring/goals', blocking.map((f) => f.message).join(' '), { flags: result.flags });
    }
    return result;
  }

  function newId(): string {
    return `authored-${deps.randomBytes(8).toString('hex')}`;
  }

  async function owned(id: string, req: IncomingMessage): Promise<AuthoredLessonRecord> {
    const record = AUTHORED_ID.test(id) ? await deps.repository.get(id) : null;
    if (!record) throw new Refusal(404, 'lesson/not-found', `No lesson has the id "${id}".`);
    const secret = req.headers[EDIT_SECRET_HEADER];
    if (typeof secret !== 'string' || !secretMatches(secret, record.editSecretHash)) {
      throw new Refusal(403, 'auth/bad-secret', 'This needs the lesson\'s edit link (its secret).');
    }
    return record;
  }

  async function create(draft: AuthoredDraft): Promise<CreatedResponse> {
    const id = newId();
    const result = await playable(draft, id);
    const editSecret = mintSecret(deps.randomBytes);
    const now = deps.clock();
    const record: AuthoredLessonRecord = {
      id,
      editSecretHash: hashSecret(editSecret),
      title: result.lesson.title,
      sentence: result.lesson.sentence,
      draft,
      lesson: result.lesson,
      createdAt: now,
      updatedAt: now,
    };
    await deps.repository.create(record);
    deps.logger.info({ family: 'authoring', lesson: id }, 'authored lesson saved');
    return { id, editSecret, summary: summaryOf(record) };
  }

  async function soloIntro(id: string): Promise<AuthoredSoloIntro> {
    const record = AUTHORED_ID.test(id) ? await deps.repository.get(id) : null;
    if (!record) throw new Refusal(404, 'lesson/not-found', `No lesson has the id "${id}".`);
    const lesson = parseLesson(record.lesson, id);
    const keys = keySeats(lesson);
    return {
      lessonId: id,
      number: 0,
      count: 0,
      title: lesson.title,
      summary: lesson.summary,
      sentence: lesson.sentence,
      tokens: [...lesson.tokens],
      heads: lesson.heads.map((h) => ({ name: h.name, looksFor: h.looksFor })),
      keySeats: keys,
      choices: sentenceRows(lesson).map((row) => ({ ...row, key: keys.some((k) => sameSeat(k, row)), best: null })),
      note: null,
      causal: lesson.flags.causal,
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) {
        res.setHeader('allow', methods.join(', '));
        throw new Refusal(405, 'request/method-not-allowed', `${method} is not allowed here; use ${methods.join(' or ')}.`);
      }
    };
    if (path === '/api/authoring/palette') {
      allow('GET');
      const body: PaletteResponse = { partsOfSpeech: POS_FEATURES, meaning: MEANING_PALETTE, weights: MEANING_WEIGHTS, maxTokens: MAX_TOKENS };
      return sendJson(res, 200, body);
    }
    if (path === '/api/authoring/preview') {
      allow('POST');
      return sendJson(res, 200, await preview(parseDraft(await readJson(req)), 'authored-preview'));
    }
    if (path === '/api/authored-lessons') {
      allow('GET', 'POST');
      if (method === 'POST') return sendJson(res, 201, await create(parseDraft(await readJson(req))));
      const ids = (new URL(req.url ?? '/', 'http://localhost').searchParams.get('ids') ?? '').split(',').filter((id) => AUTHORED_ID.test(id)).slice(0, MAX_LIST);
      return sendJson(res, 200, (await deps.repository.getMany(ids)).map(summaryOf));
    }
    const match = /^\/api\/authored-lessons\/([^/]+)(\/duplicate|\/solo)?$/.exec(path);
    if (!match) throw new Refusal(404, 'route/not-found', `No API route at ${path}.`);
    const [, id, action] = match;
    const duplicate = action === '/duplicate';
    if (action === '/solo') {
      allow('GET');
      return sendJson(res, 200, await soloIntro(id));
    }
    if (duplicate) {
      allow('POST');
      const original = await owned(id, req);
      const draft = authoredDraftSchema.parse(original.draft);
      const copy = { ...draft, title: `Copy of ${original.title}`.slice(0, 80) };
      return sendJson(res, 201, await create(copy));
    }
    allow('GET', 'PUT');
    if (method === 'PUT') {
      await owned(id, req);
      const draft = parseDraft(await readJson(req));
      const result = await playable(draft, id);
      const updatedAt = deps.clock();
      await deps.repository.update(id, { title: result.lesson.title, sentence: result.lesson.sentence, draft, lesson: result.lesson, updatedAt });
      const record = await deps.repository.get(id);
      return sendJson(res, 200, { summary: record ? summaryOf(record) : null });
    }
    if (req.headers[EDIT_SECRET_HEADER] !== undefined) {
      const record = await owned(id, req);
      return sendJson(res, 200, { summary: summaryOf(record), draft: record.draft });
    }
    const record = AUTHORED_ID.test(id) ? await deps.repository.get(id) : null;
    if (!record) throw new Refusal(404, 'lesson/not-found', `No lesson has the id "${id}".`);
    return sendJson(res, 200, { summary: summaryOf(record) });
  }

  return {
    async handle(req, res, path) {
      try {
        await route(req, res, path);
      } catch (error) {
        if (error instanceof Refusal) {
          sendJson(res, error.status, { error: { code: error.code, message: error.message }, ...error.extra });
          return;
        }
        deps.logger.error({ family: 'authoring', method: req.method, path, ...errorFields(error) }, 'authoring request failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'server/internal', message: 'The server could not build this lesson.' } });
        else res.destroy();
      }
    },
  };
}
