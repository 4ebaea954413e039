/**
 * The solo pages' way to the server: the JSON API under /api/solo, plus what the browser remembers
 * (the anonymous learner id, the leaderboard name, the run in progress per level) in localStorage.
 */
import type { SoloApiError } from '../../../lib/solo/api';

export type ApiResult<T> = { ok: true; data: T; status: number } | { ok: false; status: number; code: string; message: string };

/** Calls the solo API; never throws (a network failure is a result too). */
export async function soloApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const response = await fetch(`/api/solo${path}`, {
      method,
      // Every POST carries JSON, even an empty one: the server refuses other bodies (no cross-site forms).
      headers: method === 'POST' ? { 'content-type': 'application/json' } : undefined,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      cache: 'no-store',
    });
    const json = (await response.json().catch(() => null)) as unknown;
    if (response.ok) return { ok: true, data: json as T, status: response.status };
    const error = (json as Partial<SoloApiError> | null)?.error;
    return { ok: false, status: response.status, code: error?.code ?? 'server/internal', message: error?.message ?? `The server answered ${response.status}.` };
  } catch {
    return { ok: false, status: 0, code: 'network/offline', message: 'Cannot reach the server. Check your connection and try again.' };
  }
}

const LEARNER_KEY = 'arena:learner';
const NICKNAME_KEY = 'arena:solo-nickname';
const runKey = (lessonId: string) => `arena:solo-run:${lessonId}`;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage can be switched off (private modes, policies): the page still works, only forgetfully.
    return null;
  }
}

function newLearnerId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `l-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** This browser's anonymous learner id, made on first use. */
export function learnerId(): string {
  const store = storage();
  const stored = store?.getItem(LEARNER_KEY);
  if (stored && /^[A-Za-z0-9_-]{8,64}$/.test(stored)) return stored;
  const id = newLearnerId();
  store?.setItem(LEARNER_KEY, id);
  return id;
}

const listeners = new Set<() => void>();

/** Calls back when what this module keeps changes, here or in another tab (for useSyncExternalStore). */
export function subscribeSaved(callback: () => void): () => void {
  listeners.add(callback);
  window.addEventListener('storage', callback);
  return () => {
    listeners.delete(callback);
    window.removeEventListener('storage', callback);
  };
}

function changed(): void {
  for (const listener of listeners) listener();
}

/** The name this browser puts on leaderboards; empty for none. */
export function savedNickname(): string {
  return storage()?.getItem(NICKNAME_KEY) ?? '';
}

export function saveNickname(nickname: string): void {
  const store = storage();
  if (!store) return;
  if (nickname) store.setItem(NICKNAME_KEY, nickname);
  else store.removeItem(NICKNAME_KEY);
  changed();
}

/** The run in progress on a level, to come back to after a reload. */
export function savedRun(lessonId: string): string | null {
  return storage()?.getItem(runKey(lessonId)) ?? null;
}

export function saveRun(lessonId: string, runId: string | null): void {
  const store = storage();
  if (!store) return;
  if (runId) store.setItem(runKey(lessonId), runId);
  else store.removeItem(runKey(lessonId));
}
