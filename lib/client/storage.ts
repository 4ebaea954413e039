/**
 * What a browser remembers about the sessions it is in, so a reload or a dropped connection returns
 * the same seat (student) or the same dashboard (teacher). One localStorage entry per session code:
 * `arena:player:<code>` and `arena:host:<code>`, holding JSON. Every function tolerates a browser
 * without storage (private mode, server rendering): it then remembers nothing and says so.
 */
import { normalizeJoinCode } from '../protocol';

/** The part of `Storage` these helpers use; tests pass a Map-backed one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage keys, one per session code (normalized, so `abc-123` and `ABC123` agree). */
export const storageKeys = {
  player: (code: string) => `arena:player:${normalizeJoinCode(code)}`,
  host: (code: string) => `arena:host:${normalizeJoinCode(code)}`,
  /** Set when the teacher removed this browser's student, so a reload shows it instead of a join form. */
  kicked: (code: string) => `arena:kicked:${normalizeJoinCode(code)}`,
  /** One random id per browser, sent with every join, so a removed student's browser stays out. */
  device: 'arena:device',
} as const;

/** A student's proof of their seat, issued by `seat:join`. */
export interface PlayerCredentials {
  playerId: string;
  playerSecret: string;
  nickname: string;
}

/** A teacher's proof of their session, issued by `session:create`. */
export interface HostCredentials {
  sessionId: string;
  hostSecret: string;
}

/** The browser's localStorage, or null where there is none or it refuses to be used. */
export function browserStore(): KeyValueStore | null {
  try {
    if (typeof window === 'undefined' || !window.localStorage) return null;
    return window.localStorage;
  } catch {
    // Some browsers throw on the mere access when storage is disabled.
    return null;
  }
}

function read(store: KeyValueStore | null, key: string): unknown {
  if (!store) return null;
  try {
    const raw = store.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

function write(store: KeyValueStore | null, key: string, value: unknown): boolean {
  if (!store) return false;
  try {
    store.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    // Full or disabled: the session still works until the page is reloaded.
    return false;
  }
}

function remove(store: KeyValueStore | null, key: string): void {
  try {
    store?.removeItem(key);
  } catch {
    // Nothing to do: a store that cannot remove cannot have kept much either.
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The student's credentials for this session, if this browser joined it. */
export function loadPlayer(code: string, store: KeyValueStore | null = browserStore()): PlayerCredentials | null {
  const value = read(store, storageKeys.player(code));
  if (typeof value !== 'object' || value === null) return null;
  const { playerId, playerSecret, nickname } = value as Record<string, unknown>;
  if (!isString(playerId) || !isString(playerSecret)) return null;
  return { playerId, playerSecret, nickname: typeof nickname === 'string' ? nickname : '' };
}

/** Remembers the student's credentials; false when the browser would not keep them. */
export function savePlayer(code: string, credentials: PlayerCredentials, store: KeyValueStore | null = browserStore()): boolean {
  remove(store, storageKeys.kicked(code));
  return write(store, storageKeys.player(code), credentials);
}

export function forgetPlayer(code: string, store: KeyValueStore | null = browserStore()): void {
  remove(store, storageKeys.player(code));
}

/** The teacher's credentials for this session, if this browser created it. */
export function loadHost(code: string, store: KeyValueStore | null = browserStore()): HostCredentials | null {
  const value = read(store, storageKeys.host(code));
  if (typeof value !== 'object' || value === null) return null;
  const { sessionId, hostSecret } = value as Record<string, unknown>;
  if (!isString(hostSecret)) return null;
  return { sessionId: typeof sessionId === 'string' ? sessionId : '', hostSecret };
}

/** Remembers the teacher's credentials; false when the browser would not keep them. */
export function saveHost(code: string, credentials: HostCredentials, store: KeyValueStore | null = browserStore()): boolean {
  return write(store, storageKeys.host(code), credentials);
}

export function forgetHost(code: string, store: KeyValueStore | null = browserStore()): void {
  remove(store, storageKeys.host(code));
}

/** Records that this browser's student was removed from the session (their secret is forgotten too). */
export function markKicked(code: string, store: KeyValueStore | null = browserStore()): void {
  forgetPlayer(code, store);
  write(store, storageKeys.kicked(code), true);
}

/** Whether this browser's student was removed from the session. */
export function wasKicked(code: string, store: KeyValueStore | null = browserStore()): boolean {
  return read(store, storageKeys.kicked(code)) === true;
}

/**
 * This browser's id, made once and kept (null where the browser keeps nothing). It is not a secret:
 * it only lets the teacher's "remove" stick to the browser as well as to the name.
 */
export function deviceId(store: KeyValueStore | null = browserStore(), randomValues: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string | null {
  const kept = read(store, storageKeys.device);
  if (typeof kept === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) return kept;
  if (!store) return null;
  const id = Array.from(randomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return write(store, storageKeys.device, id) ? id : null;
}

/** A store that lives as long as the page, for tests and for browsers without localStorage. */
export function memoryStore(): KeyValueStore & { readonly size: number } {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    get size() {
      return map.size;
    },
  };
}
