/**
 * The after-class review over HTTP. `:ref` is a session id (`s_…`) or its join code (codes are never
 * reused). Every route needs a secret in a header, never in the URL (URLs end up in logs and history):
 *
 *   GET  /api/review/:ref             x-host-secret: the teacher's review (everything)
 *                                     x-player-secret: that student's review (own report, class scores,
 *                                     the leaderboard unless the teacher hid it)
 *   GET  /api/review/:ref/summary     either secret: one line for a session history
 *   GET  /api/review/:ref/export.csv  x-host-secret only: the CSV (the page fetches it and saves the blob)
 *   POST /api/review/:ref/settings    x-host-secret only, JSON `{ "leaderboardHidden": boolean }`
 *
 * No secret: 401 `auth/missing-secret`. A secret that proves nothing here: 403 `auth/bad-secret`; a
 * student's secret on a teacher's route: 403 `auth/not-host`; a kicked student: 403 `auth/kicked`.
 * Unknown session: the same 403 `auth/bad-secret` as a wrong secret, so the route tells nobody which
 * codes exist. Secrets are compared as SHA-256 hashes in constant time.
 * The custom headers also keep other sites out: a cross-origin request carrying them needs a CORS
 * preflight, which this server never grants.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ErrorCode, isJoinCode, normalizeJoinCode } from '../../lib/protocol';
import {
  buildReview,
  csvFileName,
  DEFAULT_REVIEW_SETTINGS,
  studentReview,
  summarizeReview,
  toCsv,
  type ReviewSettings,
} from '../../lib/review';
import type { SessionRecord, SessionRepository } from '../persistence/repository';
import { errorFields, type Logger } from '../log';
import type { ApiError } from './routes';
import { hashSecret } from '../secrets';

/** Where the review routes find sessions. */
export interface ReviewDeps {
  repository: SessionRepository;
  /** A live room's record, fresher than the last snapshot; null when the session is not live in this process. */
  liveRecord?: (sessionId: string) => SessionRecord | null;
}

/** POST /api/review/:ref/settings answers with the settings now in force. */
export interface ReviewSettingsResponse {
  settings: ReviewSettings;
}

export const REVIEW_PATH = /^\/api\/review\/([^/]+)(?:\/(summary|export\.csv|settings))?$/;

/** The headers that carry a secret. */
export const HOST_SECRET_HEADER = 'x-host-secret';
export const PLAYER_SECRET_HEADER = 'x-player-secret';

/** Secrets this server issues (base64url, 32 bytes); anything else is refused before any lookup. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{16,128}$/;

/** A settings body is a few bytes; anything larger is not one. */
const MAX_BODY_BYTES = 1024;

const settingsBody = z.strictObject({ leaderboardHidden: z.boolean() });

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}, headOnly = false): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(headOnly ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), {}, headOnly);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : null;
  return value === undefined ? null : value;
}

/** Two hex SHA-256 digests compared in constant time. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

type Reader = { kind: 'teacher' } | { kind: 'student'; playerId: string };

/** The session's record, from its live room when there is one (`live`), else from the repository. */
async function findRecord(ref: string, deps: ReviewDeps): Promise<{ record: SessionRecord; live: boolean }> {
  let sessionId: string | null = ref;
  if (!ref.startsWith('s_')) {
    const code = normalizeJoinCode(ref);
    sessionId = isJoinCode(code) ? await deps.repository.findSessionIdByCode(code) : null;
  }
  if (sessionId === null) throw new HttpError(404, ErrorCode.sessionNotFound, 'No session has this id or code.');
  const live = deps.liveRecord?.(sessionId) ?? null;
  if (live) return { record: live, live: true };
  const stored = await deps.repository.loadSession(sessionId);
  if (!stored) throw new HttpError(404, ErrorCode.sessionNotFound, 'No session has this id or code.');
  return { record: stored, live: false };
}

/** Who the request's secret proves the reader to be; throws the refusal otherwise. */
async function authenticate(req: IncomingMessage, ref: string, deps: ReviewDeps): Promise<{ record: SessionRecord; live: boolean; reader: Reader }> {
  const hostSecret = header(req, HOST_SECRET_HEADER);
  const playerSecret = header(req, PLAYER_SECRET_HEADER);
  if (hostSecret === null && playerSecret === null) {
    throw new HttpError(401, 'auth/missing-secret', `Send the teacher's secret in ${HOST_SECRET_HEADER} or a student's in ${PLAYER_SECRET_HEADER}.`);
  }
  const badSecret = new HttpError(403, ErrorCode.authBadSecret, 'This secret does not open this session’s review.');
  // An unknown code or id gets the same answer as a wrong secret: the route must not tell a stranger
  // which codes exist.
  const found = await findRecord(ref, deps).catch((error: unknown) => {
    if (error instanceof HttpError && error.code === ErrorCode.sessionNotFound) throw badSecret;
    throw error;
  });
  const { record, live } = found;
  // The teacher's header wins: a page that holds both is the teacher's.
  if (hostSecret !== null) {
    if (!SECRET_FORMAT.test(hostSecret) || !sameHash(hashSecret(hostSecret), record.hostSecretHash)) throw badSecret;
    return { record, live, reader: { kind: 'teacher' } };
  }
  if (playerSecret === null || !SECRET_FORMAT.test(playerSecret)) throw badSecret;
  const hash = hashSecret(playerSecret);
  // Every hash is compared, so the time taken says nothing about which one matched.
  let playerId: string | null = null;
  for (const [id, stored] of Object.entries(record.playerSecretHashes)) if (sameHash(hash, stored)) playerId = id;
  if (playerId === null) throw badSecret;
  const player = record.state.players.find((p) => p.id === playerId);
  if (!player) throw badSecret;
  if (player.kicked) throw new HttpError(403, ErrorCode.authKicked, 'The teacher removed you from this session.');
  return { record, live, reader: { kind: 'student', playerId } };
}

function requireTeacher(reader: Reader): void {
  if (reader.kind !== 'teacher') throw new HttpError(403, ErrorCode.authNotHost, 'Only the teacher who ran this session may do this.');
}

function settingsOf(record: SessionRecord): ReviewSettings {
  return { ...DEFAULT_REVIEW_SETTINGS, ...record.reviewSettings };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, ErrorCode.requestInvalid, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parseSettings(req: IncomingMessage): Promise<ReviewSettings> {
  const type = header(req, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, ErrorCode.requestInvalid, 'Send the settings as application/json.');
  }
  let json: unknown;
  try {
    json = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, ErrorCode.requestInvalid, 'The body is not valid JSON.');
  }
  const parsed = settingsBody.safeParse(json);
  if (!parsed.success) {
    throw new HttpError(400, ErrorCode.requestInvalid, 'The body must be exactly { "leaderboardHidden": true or false }.');
  }
  return parsed.data;
}

function allowedMethods(action: string | undefined): string[] {
  return action === 'settings' ? ['POST'] : ['GET', 'HEAD'];
}

async function answer(req: IncomingMessage, res: ServerResponse, ref: string, action: string | undefined, deps: ReviewDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const allowed = allowedMethods(action);
  if (!allowed.includes(method)) {
    throw new HttpError(405, 'request/method-not-allowed', `${method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed.join(', ') });
  }
  const headOnly = method === 'HEAD';
  const { record, live, reader } = await authenticate(req, ref, deps);

  if (action === 'summary') {
    sendJson(res, 200, summarizeReview(record.state), headOnly);
    return;
  }

  if (action === 'settings') {
    requireTeacher(reader);
    const settings = await parseSettings(req);
    const saved = await deps.repository.saveReviewSettings(record.state.sessionId, settings);
    if (!saved) throw new HttpError(404, ErrorCode.sessionNotFound, 'No session has this id or code.');
    const body: ReviewSettingsResponse = { settings };
    sendJson(res, 200, body);
    return;
  }

  // A live room's record is fresher than the stored one, but the review settings live in the repository.
  const stored = live ? await deps.repository.loadSession(record.state.sessionId) : record;
  const review = buildReview(record.state, settingsOf(stored ?? record));

  if (action === 'export.csv') {
    requireTeacher(reader);
    const name = csvFileName(review);
    send(res, 200, 'text/csv; charset=utf-8', Buffer.from(toCsv(review), 'utf8'), {
      'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    }, headOnly);
    return;
  }

  sendJson(res, 200, reader.kind === 'teacher' ? review : studentReview(review, reader.playerId), headOnly);
}

/**
 * Answers a request under /api/review, any method; false when the path is not a review route.
 * Never throws: refusals and failures become JSON errors.
 */
export async function handleReview(req: IncomingMessage, res: ServerResponse, path: string, deps: ReviewDeps, logger: Logger): Promise<boolean> {
  const match = REVIEW_PATH.exec(path);
  if (!match) return false;
  try {
    let ref: string;
    try {
      ref = decodeURIComponent(match[1]);
    } catch {
      throw new HttpError(400, ErrorCode.requestInvalid, 'The session id is not valid URL encoding.');
    }
    await answer(req, res, ref, match[2], deps);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
    } else if (error instanceof HttpError) {
      const body: ApiError = { error: { code: error.code, message: error.message } };
      send(res, error.status, 'application/json; charset=utf-8', JSON.stringify(body), error.headers);
    } else {
      logger.error({ family: 'review', method: req.method, path, ...errorFields(error) }, 'review request failed');
      const body: ApiError = { error: { code: ErrorCode.serverInternal, message: 'The server could not answer this request.' } };
      sendJson(res, 500, body);
    }
  }
  return true;
}

