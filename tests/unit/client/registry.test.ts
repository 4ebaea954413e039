import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ArenaClient,
  closeAllArenaClients,
  identityKey,
  memoryStore,
  obtainArenaClient,
  releaseArenaClient,
  retainArenaClient,
  shareArenaClient,
} from '../../../lib/client';
import { CODE, Game, SECRET, fakeTransport } from './fixtures';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  closeAllArenaClients();
  vi.useRealTimers();
});

const options = () => ({ transport: fakeTransport().factory, store: memoryStore() });

describe('one shared client per identity', () => {
  it('names identities by role and normalized code', () => {
    expect(identityKey({ role: 'player', code: 'ace-fhj' })).toBe('player:ACEFHJ');
  });

  it('gives every page of an identity the same client', () => {
    const a = obtainArenaClient({ role: 'stage', code: CODE }, options());
    expect(obtainArenaClient({ role: 'stage', code: 'acefhj' }, options())).toBe(a);
    expect(obtainArenaClient({ role: 'player', code: CODE }, options())).not.toBe(a);
  });

  it('keeps a held client, closes it a grace period after the last release', () => {
    const client = obtainArenaClient({ role: 'stage', code: CODE }, options());
    retainArenaClient(client);
    retainArenaClient(client);
    vi.advanceTimersByTime(60_000);
    expect(client.snapshot.status).not.toBe('closed');
    releaseArenaClient(client, 1000);
    releaseArenaClient(client, 1000);
    vi.advanceTimersByTime(999);
    expect(client.snapshot.status).not.toBe('closed');
    // Picked up again in time (React's remount, the next page): it stays.
    retainArenaClient(client);
    vi.advanceTimersByTime(5000);
    expect(client.snapshot.status).not.toBe('closed');
    releaseArenaClient(client, 1000);
    vi.advanceTimersByTime(1000);
    expect(client.snapshot.status).toBe('closed');
    expect(obtainArenaClient({ role: 'stage', code: CODE }, options())).not.toBe(client);
  });

  it('hands a client that joined to the next page', async () => {
    const transports = fakeTransport();
    const client = new ArenaClient({ transport: transports.factory, store: memoryStore() });
    expect(() => shareArenaClient(client)).toThrow(/no identity/);
    const joined = client.join(CODE, 'Ada');
    transports.get().serverAccepts();
    await vi.advanceTimersByTimeAsync(0);
    transports.get().answer('seat:join', { ok: true, data: { playerId: 'ada', playerSecret: SECRET, view: new Game().view } });
    await joined;
    shareArenaClient(client);
    expect(obtainArenaClient({ role: 'player', code: CODE }, options())).toBe(client);
  });
});
