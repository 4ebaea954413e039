/**
 * What this browser knows about past sessions, and the review API as the pages call it.
 *
 * The server never lists sessions to a browser: a list keyed by nothing but "who asks" would need an
 * account. Instead the browser keeps its own list in localStorage (`arena:history`: session id, code,
 * lesson, date, host secret), and every session it created is also under `arena:host:<code>` (written
 * by lib/client when the teacher opened it). The history page reads both and asks the review API for
 * each, proving itself with the host secret in a header.
 */
import { isJoinCode, normalizeJoinCode } from '../../../lib/protocol';
import { loadHost, loadPlayer, type KeyValueStore } from '../../../lib/client/storage';
import type { AnyReview, ReviewSettings, ReviewSummary } from '../../../lib/review/types';

/** localStorage's key for this browser's list of sessions it ran. */
export const HISTORY_KEY = 'arena:history';

/** A key-value store whose keys can be listed, as localStorage's can. */
export interface ListableStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

/** One session this browser ran. */
export interface HistoryEntry {
  sessionId: string;
  code: string;
  hostSecret: string;
  lessonId?: string;
  lessonTitle?: string;
  /** When the session was opened (ms since the epoch). */
  createdAt?: number;
}

/** How a page proves who it is to the review API. */
export interface ReviewCredential {
  role: 'teacher' | 'student';
  secret: string;
  /** The join code, when known. */
  code: string | null;
}

/** localStorage, or null where there is none (server rendering, private mode). */
export function listableStore(): ListableStore | null {
  try {
    if (typeof window === 'undefined' || !window.localStorage) return null;
    return window.localStorage;
  } catch {
    return null;
  }
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function toEntry(value: unknown): HistoryEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { sessionId, code, hostSecret, lessonId, lessonTitle, createdAt } = value as Record<string, unknown>;
  if (!isText(sessionId) || !isText(code) || !isText(hostSecret)) return null;
  return {
    sessionId,
    code: normalizeJoinCode(code),
    hostSecret,
    ...(isText(lessonId) ? { lessonId } : {}),
    ...(isText(lessonTitle) ? { lessonTitle } : {}),
    ...(typeof createdAt === 'number' && Number.isFinite(createdAt) ? { createdAt } : {}),
  };
}

/** The list in `arena:history`, malformed entries dropped. */
export function loadHistory(store: KeyValueStore | null = listableStore()): HistoryEntry[] {
  if (!store) return [];
  try {
    const raw = store.getItem(HISTORY_KEY);
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(toEntry).filter((e): e is HistoryEntry => e !== null) : [];
  } catch {
    return [];
  }
}

/** Adds or updates a session in `arena:history` (by session id); false when the browser would not keep it. */
export function rememberSession(entry: HistoryEntry, store: KeyValueStore | null = listableStore()): boolean {
  if (!store) return false;
  const list = loadHistory(store);
  const index = list.findIndex((e) => e.sessionId === entry.sessionId);
  if (index >= 0) list[index] = { ...list[index], ...entry };
  else list.push(entry);
  try {
    store.setItem(HISTORY_KEY, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/** localStorage's key for the games this browser played in as a student. */
export const PLAYED_KEY = 'arena:played';

/** One game this browser played: enough to list it and to find the student's secret (filed by code). */
export interface PlayedEntry {
  sessionId: string;
  code: string;
  nickname: string;
  lessonTitle?: string;
  /** When this browser first saw the game (ms since the epoch). */
  playedAt: number;
}

function toPlayed(value: unknown): PlayedEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { sessionId, code, nickname, lessonTitle, playedAt } = value as Record<string, unknown>;
  if (!isText(sessionId) || !isText(code) || typeof playedAt !== 'number' || !Number.isFinite(playedAt)) return null;
  return { sessionId, code: normalizeJoinCode(code), nickname: typeof nickname === 'string' ? nickname : '', ...(isText(lessonTitle) ? { lessonTitle } : {}), playedAt };
}

/** The games in `arena:played`, malformed entries dropped. */
export function loadPlayed(store: KeyValueStore | null = listableStore()): PlayedEntry[] {
  if (!store) return [];
  try {
    const raw = store.getItem(PLAYED_KEY);
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(toPlayed).filter((e): e is PlayedEntry => e !== null) : [];
  } catch {
    return [];
  }
}

/** Files a game this browser plays in (by session id; the first sighting's time is kept); false when the browser would not keep it. */
export function rememberPlayed(entry: PlayedEntry, store: KeyValueStore | null = listableStore()): boolean {
  if (!store) return false;
  const list = loadPlayed(store);
  const index = list.findIndex((e) => e.sessionId === entry.sessionId);
  if (index >= 0) {
    const known = list[index];
    if (known.code === entry.code && known.nickname === entry.nickname && known.lessonTitle === entry.lessonTitle) return true;
    list[index] = { ...entry, playedAt: known.playedAt };
  } else list.push(entry);
  try {
    store.setItem(PLAYED_KEY, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/** The sessions created in this browser that only lib/client's `arena:host:<code>` entries know of. */
function hostEntries(store: ListableStore): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (!key?.startsWith('arena:host:')) continue;
    const code = key.slice('arena:host:'.length);
    const host = loadHost(code, store);
    if (host && host.sessionId) entries.push({ sessionId: host.sessionId, code, hostSecret: host.hostSecret });
  }
  return entries;
}

/** Every session this browser ran: `arena:history` and the host entries, one per session id. */
export function knownSessions(store: ListableStore | null = listableStore()): HistoryEntry[] {
  if (!store) return [];
  const byId = new Map<string, HistoryEntry>();
  for (const entry of hostEntries(store)) byId.set(entry.sessionId, entry);
  // The history's entries carry more (lesson, date) and the newest secret wins.
  for (const entry of loadHistory(store)) byId.set(entry.sessionId, { ...byId.get(entry.sessionId), ...entry });
  return [...byId.values()];
}

/**
 * The secrets this browser holds for the session `ref` (a session id or a join code), the teacher's
 * first. A student's secret is found by join code only: lib/client files it under the code.
 */
export function credentialsFor(ref: string, store: ListableStore | null = listableStore()): ReviewCredential[] {
  if (!store) return [];
  const asCode = normalizeJoinCode(ref);
  const byCode = isJoinCode(asCode);
  const known = knownSessions(store).find((e) => e.sessionId === ref || (byCode && e.code === asCode));
  // A student's secret is filed under the join code: a session id finds it through the games played here.
  const played = loadPlayed(store).find((e) => e.sessionId === ref);
  const code = known?.code ?? played?.code ?? (byCode ? asCode : null);
  const found: ReviewCredential[] = [];
  if (known) found.push({ role: 'teacher', secret: known.hostSecret, code });
  else if (code) {
    const host = loadHost(code, store);
    if (host) found.push({ role: 'teacher', secret: host.hostSecret, code });
  }
  if (code) {
    const player = loadPlayer(code, store);
    if (player) found.push({ role: 'student', secret: player.playerSecret, code });
  }
  return found;
}

/** A refusal or failure of the review API, with the server's code. */
export class ReviewApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headersFor(credential: ReviewCredential): Record<string, string> {
  return credential.role === 'teacher' ? { 'x-host-secret': credential.secret } : { 'x-player-secret': credential.secret };
}

async function failure(response: Response): Promise<ReviewApiError> {
  let code = 'http/error';
  let message = `The server answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON: keep the status.
  }
  return new ReviewApiError(response.status, code, message);
}

function url(ref: string, action = ''): string {
  return `/api/review/${encodeURIComponent(ref)}${action}`;
}

/** GET /api/review/:ref with this credential. */
export async function fetchReview(ref: string, credential: ReviewCredential, signal?: AbortSignal): Promise<AnyReview> {
  const response = await fetch(url(ref), { headers: headersFor(credential), signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as AnyReview;
}

/** GET /api/review/:ref/summary with this credential. */
export async function fetchSummary(ref: string, credential: ReviewCredential, signal?: AbortSignal): Promise<ReviewSummary> {
  const response = await fetch(url(ref, '/summary'), { headers: headersFor(credential), signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ReviewSummary;
}

/** GET /api/review/:ref/export.csv: the file's bytes, fetched with the secret in a header. */
export async function fetchCsv(ref: string, credential: ReviewCredential): Promise<Blob> {
  const response = await fetch(url(ref, '/export.csv'), { headers: headersFor(credential), cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

/** POST /api/review/:ref/settings. */
export async function saveReviewSettings(ref: string, credential: ReviewCredential, settings: ReviewSettings): Promise<ReviewSettings> {
  const response = await fetch(url(ref, '/settings'), {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (!response.ok) throw await failure(response);
  return ((await response.json()) as { settings: ReviewSettings }).settings;
}

/** Saves a blob as a file through a temporary link (the secret never enters a URL). */
export function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the blob goes.
  window.setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
