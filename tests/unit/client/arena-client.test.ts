import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArenaClient, ArenaError, loadPlayer, memoryStore, savePlayer, wasKicked, type KeyValueStore } from '../../../lib/client';
import { diffView, ErrorCode, type StudentView } from '../../../lib/protocol';
import { CODE, FakeTransport, Game, SECRET, fakeTransport } from './fixtures';

const flush = () => vi.advanceTimersByTimeAsync(0);

function rejoinAnswer(view: StudentView) {
  return { ok: true, data: { playerId: 'ada', view } };
}

/** A student client whose browser joined before (its secret is stored), connected and proved. */
async function connectedStudent(game = new Game(), options: { resyncIntervalMs?: number } = {}) {
  const store = memoryStore();
  savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
  const transports = fakeTransport();
  const client = new ArenaClient({
    identity: { role: 'player', code: CODE },
    transport: transports.factory,
    store,
    resyncIntervalMs: options.resyncIntervalMs ?? 0,
    requestTimeoutMs: 5000,
  });
  client.connect();
  const transport = transports.get();
  transport.serverAccepts();
  transport.answer('seat:rejoin', rejoinAnswer(game.view));
  await flush();
  return { client, transport, store, game };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ArenaClient: connecting and proving who we are', () => {
  it('rejoins with the stored secret and shows the view it gets back', async () => {
    const store = memoryStore();
    savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
    const transports = fakeTransport();
    const client = new ArenaClient({ identity: { role: 'player', code: 'acefhj' }, transport: transports.factory, store, resyncIntervalMs: 0 });
    expect(client.snapshot.status).toBe('idle');
    client.connect();
    expect(client.snapshot.status).toBe('connecting');
    const transport = transports.get();
    expect(transport.opens).toBe(1);
    transport.serverAccepts();
    // Connected, but not usable until the server has accepted the secret.
    expect(client.snapshot.status).toBe('connecting');
    expect(transport.pending('seat:rejoin').payload).toEqual({ code: CODE, playerSecret: SECRET });
    const game = new Game();
    transport.answer('seat:rejoin', rejoinAnswer(game.view));
    await flush();
    expect(client.snapshot).toMatchObject({ status: 'connected', identified: true, identity: { role: 'player', code: CODE } });
    expect(client.snapshot.view?.version).toBe(game.view.version);
  });

  it('a page without a secret is denied with client/no-identity', async () => {
    const transports = fakeTransport();
    const client = new ArenaClient({ identity: { role: 'player', code: CODE }, transport: transports.factory, store: memoryStore() });
    client.connect();
    transports.get().serverAccepts();
    await flush();
    expect(client.snapshot).toMatchObject({ status: 'denied', error: { code: 'client/no-identity' } });
    await expect(client.request('attention:lock', { round: 1 })).rejects.toMatchObject({ code: 'client/no-identity' });
  });

  it('a refused secret is "denied" with the server’s code', async () => {
    const store = memoryStore();
    savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
    const transports = fakeTransport();
    const client = new ArenaClient({ identity: { role: 'player', code: CODE }, transport: transports.factory, store });
    client.connect();
    transports.get().serverAccepts();
    transports.get().answer('seat:rejoin', { ok: false, error: { code: ErrorCode.sessionNotFound, message: 'gone' } });
    await flush();
    expect(client.snapshot).toMatchObject({ status: 'denied', error: { code: ErrorCode.sessionNotFound } });
  });

  it('a secret the server no longer knows is forgotten', async () => {
    const store = memoryStore();
    savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
    const transports = fakeTransport();
    const client = new ArenaClient({ identity: { role: 'player', code: CODE }, transport: transports.factory, store });
    client.connect();
    transports.get().serverAccepts();
    transports.get().answer('seat:rejoin', { ok: false, error: { code: ErrorCode.authBadSecret, message: 'unknown secret' } });
    await flush();
    expect(client.snapshot).toMatchObject({ status: 'denied', error: { code: ErrorCode.authBadSecret } });
    expect(loadPlayer(CODE, store)).toBeNull();
  });

  it('the stage watches by code, the teacher resumes with the host secret', async () => {
    const transports = fakeTransport();
    const stage = new ArenaClient({ identity: { role: 'stage', code: CODE }, transport: transports.factory, store: memoryStore() });
    stage.connect();
    transports.get().serverAccepts();
    expect(transports.get().pending('stage:watch').payload).toEqual({ code: CODE });

    const store = memoryStore();
    store.setItem(`arena:host:${CODE}`, JSON.stringify({ sessionId: 's1', hostSecret: 'host-secret-0123456789' }));
    const hostTransports = fakeTransport();
    const host = new ArenaClient({ identity: { role: 'host', code: CODE }, transport: hostTransports.factory, store });
    host.connect();
    hostTransports.get().serverAccepts();
    expect(hostTransports.get().pending('session:resume').payload).toEqual({ code: CODE, hostSecret: 'host-secret-0123456789' });
  });

  it('an outdated handshake stops for good and says so', async () => {
    const transports = fakeTransport();
    const client = new ArenaClient({ transport: transports.factory, store: memoryStore() });
    client.connect();
    const ready = client.ready();
    transports.get().events.connectError({ message: 'refused', data: { code: ErrorCode.protocolOutdated, message: 'reload' } }, false);
    await expect(ready).rejects.toMatchObject({ code: ErrorCode.protocolOutdated });
    expect(client.snapshot.status).toBe('outdated');
    expect(transports.get().closes).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transports.get().opens).toBe(1);
  });

  it('a server that is unreachable leaves the client trying, with the reason', async () => {
    const transports = fakeTransport();
    const client = new ArenaClient({ transport: transports.factory, store: memoryStore() });
    client.connect();
    transports.get().events.connectError({ message: 'xhr poll error' }, true);
    expect(client.snapshot).toMatchObject({ status: 'connecting', error: { code: 'client/offline' } });
    transports.get().events.reconnectAttempt(2);
    expect(client.snapshot.attempt).toBe(2);
  });
});

describe('ArenaClient: views', () => {
  it('drops a view older than the one shown', async () => {
    const { client, transport, game } = await connectedStudent();
    const old = game.view;
    game.toNegotiation();
    const newer = game.view;
    transport.events.view(newer);
    expect(client.snapshot.view?.version).toBe(newer.version);
    const before = client.snapshot;
    transport.events.view(old);
    expect(client.snapshot).toBe(before);
    expect(client.snapshot.view?.phase).toBe('negotiate');
  });

  it('ignores views of another session', async () => {
    const { client, transport, game } = await connectedStudent();
    transport.events.view({ ...game.view, code: 'WXYKMN', version: 999 });
    expect(client.snapshot.view?.code).toBe(CODE);
  });

  it('notifies subscribers on every change, and not after unsubscribing', async () => {
    const { client, transport, game } = await connectedStudent();
    const seen: number[] = [];
    const unsubscribe = client.subscribe(() => seen.push(client.snapshot.view?.version ?? -1));
    game.toNegotiation();
    transport.events.view(game.view);
    unsubscribe();
    transport.events.view({ ...game.view, version: game.view.version + 1 });
    expect(seen).toEqual([game.view.version]);
  });
});

describe('ArenaClient: requests', () => {
  it('resolves with the answer’s data', async () => {
    const { client, transport } = await connectedStudent(new Game().toNegotiation());
    const answer = client.request('attention:allocate', { round: 1, weights: [1, 0, 0, 0, 0, 0] });
    await flush();
    expect(transport.pending('attention:allocate').payload).toEqual({ round: 1, weights: [1, 0, 0, 0, 0, 0] });
    transport.answer('attention:allocate', { ok: true, data: { version: 9 } });
    await expect(answer).resolves.toEqual({ version: 9 });
  });

  it('rejects with the server’s code and message', async () => {
    const { client, transport } = await connectedStudent();
    const answer = client.request('attention:lock', { round: 1 });
    await flush();
    transport.answer('attention:lock', { ok: false, error: { code: ErrorCode.roundLocked, message: 'The round is locked.' } });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArenaError);
    expect(error).toMatchObject({ code: ErrorCode.roundLocked, message: 'The round is locked.' });
  });

  it('attempt() answers a refusal instead of throwing', async () => {
    const { client, transport } = await connectedStudent();
    const answer = client.attempt('key:request', { round: 1, token: 2 });
    await flush();
    transport.answer('key:request', { ok: false, error: { code: ErrorCode.keyAlreadyKnown, message: 'known' } });
    await expect(answer).resolves.toEqual({ ok: false, error: { code: ErrorCode.keyAlreadyKnown, message: 'known' } });
  });

  it('times out with a clear error when nobody answers', async () => {
    const { client } = await connectedStudent();
    const answer = client.request('attention:lock', { round: 1 }, { timeoutMs: 3000 });
    const settled = answer.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3000);
    const error = await settled;
    expect(error).toMatchObject({ code: 'client/timeout' });
    expect((error as Error).message).toMatch(/did not answer attention:lock within 3 s/);
  });

  it('refuses an answer that is not an acknowledgement', async () => {
    const { client, transport } = await connectedStudent();
    const answer = client.attempt('attention:lock', { round: 1 });
    await flush();
    transport.answer('attention:lock', 'yes');
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'client/bad-answer' } });
  });

  it('a request made while reconnecting waits, then goes out after the identity is proved again', async () => {
    const { client, transport, game } = await connectedStudent(new Game().toNegotiation());
    transport.drop();
    expect(client.snapshot.status).toBe('reconnecting');
    const answer = client.request('attention:allocate', { round: 1, weights: [1, 0, 0, 0, 0, 0] });
    await flush();
    expect(transport.count('attention:allocate')).toBe(0);
    transport.serverAccepts();
    // Re-proved with the version last seen, so the server may answer with just a snapshot.
    expect(transport.pending('seat:rejoin').payload).toEqual({ code: CODE, playerSecret: SECRET, lastVersion: game.view.version });
    await flush();
    expect(transport.count('attention:allocate')).toBe(0);
    transport.answer('seat:rejoin', rejoinAnswer(game.view));
    await flush();
    expect(client.snapshot.status).toBe('connected');
    transport.answer('attention:allocate', { ok: true, data: { version: 12 } });
    await expect(answer).resolves.toEqual({ version: 12 });
  });

  it('a request in flight when the connection drops fails at once', async () => {
    const { client, transport } = await connectedStudent();
    const answer = client.attempt('attention:lock', { round: 1 });
    await flush();
    transport.drop();
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'client/timeout', message: /dropped/ } });
  });
});

describe('ArenaClient: reconnecting and resyncing', () => {
  it('re-proves after every reconnection and takes the fresh snapshot', async () => {
    const { client, transport, game } = await connectedStudent();
    transport.drop();
    transport.events.reconnectAttempt(1);
    expect(client.snapshot).toMatchObject({ status: 'reconnecting', attempt: 1, identified: false });
    game.toNegotiation();
    transport.serverAccepts();
    transport.answer('seat:rejoin', rejoinAnswer(game.view));
    await flush();
    expect(client.snapshot).toMatchObject({ status: 'connected', attempt: 0, identified: true });
    expect(client.snapshot.view?.phase).toBe('negotiate');
  });

  it('takes the snapshot a restarted server answers with, even when its version is older than the one shown', async () => {
    const { client, transport, game } = await connectedStudent(new Game().toNegotiation());
    const shown = client.snapshot.view!;
    transport.drop();
    // The server crashed and came back from its last save: the same session, an older version.
    const restored: StudentView = { ...game.view, version: shown.version - 3 };
    transport.serverAccepts();
    transport.answer('seat:rejoin', rejoinAnswer(restored));
    await flush();
    expect(client.snapshot.view?.version).toBe(shown.version - 3);
    // And the updates that follow it count from there.
    transport.events.view({ ...restored, version: shown.version - 2 });
    expect(client.snapshot.view?.version).toBe(shown.version - 2);
  });

  it('learns the server’s clock from its answers, so a phone running 2 minutes fast still counts down right', async () => {
    const game = new Game();
    const store = memoryStore();
    savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
    const transports = fakeTransport();
    let phoneNow = 1_000_000 + 120_000;
    const client = new ArenaClient({ identity: { role: 'player', code: CODE }, transport: transports.factory, store, resyncIntervalMs: 0, now: () => phoneNow });
    client.connect();
    const transport = transports.get();
    transport.serverAccepts();
    expect(client.snapshot.clockSkewMs).toBe(0);
    phoneNow += 100; // the answer takes 100 ms; the server answered halfway, at 1 000 050 on its clock
    transport.answer('seat:rejoin', { ...rejoinAnswer(game.view), serverTime: 1_000_050 });
    await flush();
    expect(client.snapshot.clockSkewMs).toBe(-120_000);
  });

  it('asks for a full snapshot periodically while connected', async () => {
    const { client, transport, game } = await connectedStudent(new Game(), { resyncIntervalMs: 15_000 });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(transport.count('state:sync')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.pending('state:sync').payload).toEqual({ lastVersion: game.view.version });
    game.toNegotiation();
    transport.answer('state:sync', { ok: true, data: { view: game.view } });
    await flush();
    expect(client.snapshot.view?.phase).toBe('negotiate');
    // Not while disconnected.
    transport.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.count('state:sync')).toBe(1);
  });

  it('reopens by itself after the server closed the connection', async () => {
    const { client, transport } = await connectedStudent();
    transport.drop('io server disconnect', false);
    expect(client.snapshot.status).toBe('reconnecting');
    expect(transport.opens).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.opens).toBe(2);
  });

  it('a proof that gets no answer is asked again on the same connection', async () => {
    const store = memoryStore();
    savePlayer(CODE, { playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' }, store);
    const transports = fakeTransport();
    const client = new ArenaClient({ identity: { role: 'player', code: CODE }, transport: transports.factory, store, requestTimeoutMs: 2000 });
    client.connect();
    transports.get().serverAccepts();
    await vi.advanceTimersByTimeAsync(3000);
    expect(transports.get().count('seat:rejoin')).toBe(2);
    transports.get().answerLast('seat:rejoin', rejoinAnswer(new Game().view));
    await flush();
    expect(client.snapshot.status).toBe('connected');
  });
});

describe('ArenaClient: joining, notices and kicks', () => {
  it('joins without an identity, then takes it on and remembers the secret', async () => {
    const store: KeyValueStore = memoryStore();
    const transports = fakeTransport();
    const client = new ArenaClient({ transport: transports.factory, store, resyncIntervalMs: 0 });
    const joined = client.join('acefhj', 'Ada');
    await flush();
    const transport: FakeTransport = transports.get();
    expect(transport.count('seat:join')).toBe(0);
    transport.serverAccepts();
    await flush();
    // The browser's own id goes with the join (so a removal sticks to it), the same one every time.
    expect(transport.pending('seat:join').payload).toMatchObject({ code: CODE, nickname: 'Ada', device: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(transport.pending('seat:join').payload).toMatchObject({ device: JSON.parse(store.getItem('arena:device') ?? 'null') as string });
    const game = new Game();
    transport.answer('seat:join', { ok: true, data: { playerId: 'ada', playerSecret: SECRET, view: game.view } });
    await expect(joined).resolves.toMatchObject({ playerId: 'ada' });
    expect(client.snapshot).toMatchObject({ status: 'connected', identified: true, identity: { role: 'player', code: CODE } });
    expect(loadPlayer(CODE, store)).toEqual({ playerId: 'ada', playerSecret: SECRET, nickname: 'Ada' });
    // The next connection proves itself with that secret.
    transport.drop();
    transport.serverAccepts();
    expect(transport.pending('seat:rejoin').payload).toMatchObject({ playerSecret: SECRET });
  });

  it('a refused join leaves the client as it was', async () => {
    const transports = fakeTransport();
    const client = new ArenaClient({ transport: transports.factory, store: memoryStore() });
    client.connect();
    transports.get().serverAccepts();
    const joined = client.join(CODE, 'Ada');
    await flush();
    transports.get().answer('seat:join', { ok: false, error: { code: ErrorCode.nicknameTaken, message: 'taken' } });
    await expect(joined).rejects.toMatchObject({ code: ErrorCode.nicknameTaken });
    expect(client.snapshot).toMatchObject({ status: 'connected', identity: null, identified: false });
  });

  it('collects notices, which the page can dismiss', async () => {
    const { client, transport } = await connectedStudent();
    transport.notify({ event: 'key:requested', data: { requestId: 'k1', round: 1, head: 0, fromToken: 1, fromNicknames: ['Bo'] } });
    transport.notify({ event: 'key:shared', data: { requestId: 'k2', round: 1, head: 0, token: 2 } });
    expect(client.snapshot.notices.map((n) => n.event)).toEqual(['key:requested', 'key:shared']);
    client.dismissNotice(client.snapshot.notices[0].id);
    expect(client.snapshot.notices.map((n) => n.event)).toEqual(['key:shared']);
  });

  it('a kick notice ends the connection, forgets the secret and remembers the kick', async () => {
    const { client, transport, store } = await connectedStudent();
    transport.notify({ event: 'player:kicked', data: { message: 'The teacher removed you from this session.' } });
    expect(client.snapshot).toMatchObject({ status: 'kicked', error: { code: ErrorCode.authKicked } });
    expect(transport.closes).toBe(1);
    expect(loadPlayer(CODE, store)).toBeNull();
    expect(wasKicked(CODE, store)).toBe(true);
    await expect(client.request('attention:lock', { round: 1 })).rejects.toMatchObject({ code: ErrorCode.authKicked });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.opens).toBe(1);
  });

  it('a rejoin refused as kicked is a kick too', async () => {
    const { client, transport, store } = await connectedStudent();
    transport.drop();
    transport.serverAccepts();
    transport.answer('seat:rejoin', { ok: false, error: { code: ErrorCode.authKicked, message: 'removed' } });
    await flush();
    expect(client.snapshot.status).toBe('kicked');
    expect(wasKicked(CODE, store)).toBe(true);
  });

  it('closing fails waiting requests and stops the timers', async () => {
    const { client, transport } = await connectedStudent(new Game(), { resyncIntervalMs: 1000 });
    transport.drop();
    const answer = client.attempt('attention:lock', { round: 1 });
    client.close();
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'client/closed' } });
    expect(client.snapshot.status).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(transport.count('state:sync')).toBe(0);
  });
});

describe('ArenaClient: patches against the view held', () => {
  it('applies a patch to its base, and after a missed one asks for the whole view and converges', async () => {
    const { client, transport, game } = await connectedStudent();
    const v1 = game.view;
    const v2: StudentView = { ...v1, version: v1.version + 1, paused: true };
    const v3: StudentView = { ...v2, version: v1.version + 2, paused: false, me: { ...v2.me, total: v2.me.total + 10 } };
    const p12 = diffView(v1, v2);
    const p23 = diffView(v2, v3);
    if (!p12 || p12 === 'whole' || !p23 || p23 === 'whole') throw new Error('expected two patches');

    transport.events.patch(p12);
    expect(client.snapshot.view).toEqual(v2);
    expect(transport.count('state:sync')).toBe(0);

    // The next two patches: the first is lost on the way, so the second does not fit the view held.
    const v4: StudentView = { ...v3, version: v3.version + 1, paused: true };
    const p34 = diffView(v3, v4);
    if (!p34 || p34 === 'whole') throw new Error('expected a patch');
    transport.events.patch(p34);
    expect(client.snapshot.view).toEqual(v2);
    expect(transport.count('state:sync')).toBe(1);
    transport.answer('state:sync', { ok: true, data: { view: v4 } });
    await flush();
    expect(client.snapshot.view).toEqual(v4);

    // A patch older than the view held is dropped without asking again.
    transport.events.patch(p23);
    expect(client.snapshot.view).toEqual(v4);
    expect(transport.count('state:sync')).toBe(1);
  });
});
