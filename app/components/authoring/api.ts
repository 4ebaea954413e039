/** The editor's calls to /api/authoring and /api/authored-lessons. */
import { EDIT_SECRET_HEADER, type AuthoredLessonSummary, type CreatedResponse, type PaletteResponse, type PreviewResponse } from '../../../lib/authoring/api';
import type { AuthoredDraftInput } from '../../../lib/authoring/lesson';

/** A refusal from the server, with its message (and, for a lesson that cannot be saved, the reasons). */
export class AuthoringError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: { method?: string; body?: unknown; secret?: string | null; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (typeof init.secret === 'string') headers[EDIT_SECRET_HEADER] = init.secret;
  const response = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AuthoringError(response.status, error?.code ?? 'request/failed', error?.message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

export const authoringApi = {
  palette: () => call<PaletteResponse>('/api/authoring/palette'),
  preview: (draft: AuthoredDraftInput, signal?: AbortSignal) => call<PreviewResponse>('/api/authoring/preview', { method: 'POST', body: { draft }, signal }),
  create: (draft: AuthoredDraftInput) => call<CreatedResponse>('/api/authored-lessons', { method: 'POST', body: { draft } }),
  update: (id: string, secret: string, draft: AuthoredDraftInput) => call<{ summary: AuthoredLessonSummary }>(`/api/authored-lessons/${id}`, { method: 'PUT', body: { draft }, secret }),
  duplicate: (id: string, secret: string) => call<CreatedResponse>(`/api/authored-lessons/${id}/duplicate`, { method: 'POST', secret }),
  load: (id: string, secret: string) => call<{ summary: AuthoredLessonSummary; draft: AuthoredDraftInput }>(`/api/authored-lessons/${id}`, { secret }),
  list: (ids: readonly string[]) => (ids.length === 0 ? Promise.resolve([]) : call<AuthoredLessonSummary[]>(`/api/authored-lessons?ids=${ids.join(',')}`)),
};
