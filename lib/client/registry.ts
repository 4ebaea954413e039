/**
 * One client per identity per page, shared across client-side navigation: `/join` joins on a client
 * and hands it over, `/play/[code]` picks the same client up, and the student never shows as away in
 * between. A client nobody holds is closed after a grace period (which also absorbs React's
 * mount–unmount–mount in development).
 */
import { normalizeJoinCode } from '../protocol';
import { ArenaClient, type ArenaClientOptions, type Identity } from './arena-client';

/** How long a client nobody holds stays open, waiting for the next page to pick it up. */
export const RELEASE_GRACE_MS = 5000;

interface Entry {
  client: ArenaClient;
  holders: number;
  closeTimer: ReturnType<typeof setTimeout> | null;
}

const entries = new Map<string, Entry>();

/** The registry key of an identity: `player:ABC123`. */
export function identityKey(identity: Identity): string {
  return `${identity.role}:${normalizeJoinCode(identity.code)}`;
}

function entryOf(client: ArenaClient): [string, Entry] | undefined {
  for (const pair of entries) if (pair[1].client === client) return pair;
  return undefined;
}

function scheduleClose(key: string, entry: Entry, graceMs: number): void {
  if (entry.closeTimer !== null) clearTimeout(entry.closeTimer);
  entry.closeTimer = setTimeout(() => {
    if (entry.holders > 0) return;
    entries.delete(key);
    entry.client.close();
  }, graceMs);
}

/**
 * The shared client for `identity`, made (not yet connected) if there is none. Safe to call during
 * render: it only creates; `retainArenaClient` in an effect is what keeps it alive.
 */
export function obtainArenaClient(identity: Identity, options: Omit<ArenaClientOptions, 'identity'> = {}): ArenaClient {
  const key = identityKey(identity);
  const existing = entries.get(key);
  if (existing && existing.client.snapshot.status !== 'closed') return existing.client;
  const client = new ArenaClient({ ...options, identity });
  // Unheld until retained: closed after the grace period if no page takes it.
  const entry: Entry = { client, holders: 0, closeTimer: null };
  entries.set(key, entry);
  scheduleClose(key, entry, RELEASE_GRACE_MS);
  return client;
}

/** A page starts using a shared client; it stays open until every holder released it. */
export function retainArenaClient(client: ArenaClient): void {
  const found = entryOf(client);
  if (!found) return;
  const [, entry] = found;
  entry.holders += 1;
  if (entry.closeTimer !== null) clearTimeout(entry.closeTimer);
  entry.closeTimer = null;
}

/** A page stops using a shared client; the last release closes it after `graceMs`. */
export function releaseArenaClient(client: ArenaClient, graceMs = RELEASE_GRACE_MS): void {
  const found = entryOf(client);
  if (!found) return;
  const [key, entry] = found;
  entry.holders = Math.max(0, entry.holders - 1);
  if (entry.holders === 0) scheduleClose(key, entry, graceMs);
}

/**
 * Hands a client that just established its identity (after `join` or `createSession`) to the page
 * that comes next, which picks it up with `obtainArenaClient` (or `useArena`) within the grace period.
 * A client already registered under that identity is replaced and closed.
 */
export function shareArenaClient(client: ArenaClient, graceMs = RELEASE_GRACE_MS): void {
  const identity = client.snapshot.identity;
  if (!identity) throw new Error('shareArenaClient: the client has no identity yet (join or create a session first).');
  const key = identityKey(identity);
  const existing = entries.get(key);
  if (existing?.client === client) return;
  if (existing) {
    if (existing.closeTimer !== null) clearTimeout(existing.closeTimer);
    existing.client.close();
  }
  const entry: Entry = { client, holders: 0, closeTimer: null };
  entries.set(key, entry);
  scheduleClose(key, entry, graceMs);
}

/** Closes and forgets every shared client (tests; a page that signs out of everything). */
export function closeAllArenaClients(): void {
  for (const entry of entries.values()) {
    if (entry.closeTimer !== null) clearTimeout(entry.closeTimer);
    entry.client.close();
  }
  entries.clear();
}
