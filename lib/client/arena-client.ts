/**
 * The one object in a browser page that owns the socket (after Excalidraw's Portal): it connects,
 * proves who the page is (student, teacher or stage) on every connection, keeps the newest view,
 * collects notices, resyncs now and then so nobody drifts after a lost message, and answers every
 * request as a promise. Pages read it through `useArena` (./react) and never touch socket.io.
 */
import {
  applyPatch,
  ErrorCode,
  normalizeJoinCode,
  type AnyView,
  type ClientEventName,
  type InboundInput,
  type ResponseData,
  type ServerNotice,
  type ViewPatch,
} from '../protocol';
import { initialConnection, isTerminal, nextConnection, type ConnectionEvent, type ConnectionState, type ConnectionStatus } from './connection';
import { nextClockSkew, type ClockSkew } from './clock';
import { ArenaError, ClientErrorCode, isAckShaped, readProtocolError, type ArenaErrorInfo, type ClientAck } from './errors';
import {
  browserStore,
  deviceId,
  forgetHost,
  forgetPlayer,
  loadHost,
  loadPlayer,
  markKicked,
  saveHost,
  savePlayer,
  type HostCredentials,
  type KeyValueStore,
  type PlayerCredentials,
} from './storage';
import { socketIoTransport, type ArenaTransport, type TransportEvents, type TransportFactory } from './transport';
import { shouldAcceptView, type Role } from './views';

/** Who a client is in which session. Secrets are looked up in storage (or kept from join/create). */
export interface Identity {
  role: Role;
  code: string;
}

/** A notice from the server, numbered so a page can dismiss it. */
export type ArenaNotice = ServerNotice & { id: number; receivedAt: number };

/** Everything a page renders from, as one immutable object (a new one on every change). */
/** A countdown off by less than this is not worth a re-render. */
const SKEW_WORTH_SHOWING_MS = 250;

export interface ArenaSnapshot {
  status: ConnectionStatus;
  /** Reconnection attempts since the connection was last up. */
  attempt: number;
  /** Why the client is denied, outdated or kicked, or why the last attempt failed. */
  error: ArenaErrorInfo | null;
  identity: Identity | null;
  /** The server accepted the identity on the current connection. */
  identified: boolean;
  /** The newest view received (never replaced by an older one). */
  view: AnyView | null;
  /** The latest notices, oldest first (at most `MAX_NOTICES`). */
  notices: readonly ArenaNotice[];
  /** Server clock minus this device's clock, from the answers so far (0 until one carried the time). */
  clockSkewMs: number;
}

export interface ArenaClientOptions {
  /** Who to be on every connection. Without one, `seat:join` or `session:create` sets it. */
  identity?: Identity | null;
  /** How to reach the server; socket.io on the page's origin by default. */
  transport?: TransportFactory;
  /** Where secrets are remembered; localStorage by default, null for nowhere. */
  store?: KeyValueStore | null;
  /** How long a request waits for the connection and the answer together. */
  requestTimeoutMs?: number;
  /** How often a full snapshot is asked for while connected (0: never). */
  resyncIntervalMs?: number;
  now?: () => number;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 8000;
export const DEFAULT_RESYNC_INTERVAL_MS = 15_000;
export const MAX_NOTICES = 20;
/** After a refusal it cannot act on, or a server that closed the connection, wait this long before trying again. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 10_000;

/** The messages that say who a socket is; their answer carries a full view. */
const IDENTITY_EVENTS = ['session:create', 'session:resume', 'seat:join', 'seat:rejoin', 'stage:watch'] as const;
type IdentityEvent = (typeof IDENTITY_EVENTS)[number];

function isIdentityEvent(event: ClientEventName): event is IdentityEvent {
  return (IDENTITY_EVENTS as readonly string[]).includes(event);
}

/** An accepted identity message, as one union so each case reads its own payload and answer. */
type IdentityAnswer = {
  [E in IdentityEvent]: { event: E; payload: InboundInput<E>; data: ResponseData<E> };
}[IdentityEvent];

/** The message that proves an identity again on a new connection. */
type ProofRequest =
  | { event: 'seat:rejoin'; payload: InboundInput<'seat:rejoin'> }
  | { event: 'session:resume'; payload: InboundInput<'session:resume'> }
  | { event: 'stage:watch'; payload: InboundInput<'stage:watch'> };

/** Two identities name the same seat of the same session. */
export function sameIdentity(a: Identity | null, b: Identity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.role === b.role && normalizeJoinCode(a.code) === normalizeJoinCode(b.code);
}

export class ArenaClient {
  private connection: ConnectionState = initialConnection;
  private identity: Identity | null;
  private identified = false;
  private player: PlayerCredentials | null = null;
  private host: HostCredentials | null = null;
  private view: AnyView | null = null;
  private notices: ArenaNotice[] = [];
  private nextNoticeId = 1;
  private current: ArenaSnapshot;

  private transport: ArenaTransport | null = null;
  private readonly makeTransport: TransportFactory;
  private readonly store: KeyValueStore | null;
  private readonly requestTimeoutMs: number;
  private readonly resyncIntervalMs: number;
  private readonly now: () => number;
  private clockSkew: ClockSkew | null = null;

  /** Bumped on every connect and disconnect, so an answer from an earlier connection is recognised. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new Set<() => void>();
  private readonly inFlight = new Set<(error: ArenaErrorInfo) => void>();
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private proofTimer: ReturnType<typeof setTimeout> | null = null;
  private removeVisibilityListener: (() => void) | null = null;

  constructor(options: ArenaClientOptions = {}) {
    this.identity = options.identity ? { role: options.identity.role, code: normalizeJoinCode(options.identity.code) } : null;
    this.makeTransport = options.transport ?? socketIoTransport();
    this.store = options.store === undefined ? browserStore() : options.store;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.resyncIntervalMs = options.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.current = this.buildSnapshot();
  }

  // ——— reading ———

  /** The current state; the same object until something changes (for `useSyncExternalStore`). */
  get snapshot(): ArenaSnapshot {
    return this.current;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Forgets a notice the page has dealt with. */
  dismissNotice(id: number): void {
    const next = this.notices.filter((n) => n.id !== id);
    if (next.length === this.notices.length) return;
    this.notices = next;
    this.changed();
  }

  // ——— the connection ———

  /** Starts connecting (idempotent); after a denial, proves the identity again (a retry). */
  connect(): void {
    if (isTerminal(this.connection.status)) return;
    if (!this.transport) this.transport = this.makeTransport(this.transportEvents());
    this.watchVisibility();
    const wasDenied = this.connection.status === 'denied';
    this.dispatch({ type: 'open' });
    if (!this.transport.connected) {
      this.transport.open();
    } else if (wasDenied && this.identity && this.generationIsLive) {
      void this.prove(this.generation);
    }
  }

  /** Resolves once requests can flow (connected, identity accepted); rejects when that cannot happen. */
  ready(timeoutMs = this.requestTimeoutMs): Promise<void> {
    if (this.connection.status === 'idle') this.connect();
    return this.waitUntil(() => this.readiness(), timeoutMs);
  }

  /** Disconnects for good: timers stop, waiting requests fail, the transport closes. */
  close(): void {
    if (this.connection.status === 'closed') return;
    this.stopTimers();
    this.removeVisibilityListener?.();
    this.removeVisibilityListener = null;
    this.failInFlight({ code: ClientErrorCode.closed, message: 'The page closed its connection.' });
    this.dispatch({ type: 'close' });
    this.transport?.close();
    this.changed();
  }

  /** Asks for a full snapshot now (also done every `resyncIntervalMs` and when the page becomes visible). */
  async resync(): Promise<void> {
    if (this.connection.status !== 'connected' || !this.identified || !this.transport) return;
    const generation = this.generation;
    const ack = await this.emit('state:sync', this.view ? { lastVersion: this.view.version } : {}, this.requestTimeoutMs);
    if (ack.ok && generation === this.generation && typeof ack.data === 'object' && ack.data !== null && 'view' in ack.data) {
      this.acceptView((ack.data as ResponseData<'state:sync'>).view);
    }
  }

  // ——— requests ———

  /**
   * Sends a request and resolves with its answer's data; rejects with an `ArenaError` carrying the
   * server's code (`round/locked`, …) or the client's (`client/timeout`, …). Waits for the connection
   * (and, except for the messages that establish it, the identity) within the same timeout.
   */
  async request<E extends ClientEventName>(event: E, payload: InboundInput<E>, options: RequestOptions = {}): Promise<ResponseData<E>> {
    const ack = await this.attempt(event, payload, options);
    if (!ack.ok) throw new ArenaError(ack.error.code, ack.error.message);
    return ack.data;
  }

  /** Like `request`, but never rejects: the answer is `{ ok: true, data }` or `{ ok: false, error }`. */
  async attempt<E extends ClientEventName>(event: E, payload: InboundInput<E>, options: RequestOptions = {}): Promise<ClientAck<ResponseData<E>>> {
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const started = this.now();
    if (this.connection.status === 'idle') this.connect();
    try {
      await this.waitUntil(() => (isIdentityEvent(event) ? this.socketUp() : this.readiness()), timeoutMs);
    } catch (error) {
      return { ok: false, error: error instanceof ArenaError ? error.info : { code: ClientErrorCode.timeout, message: String(error) } };
    }
    const generation = this.generation;
    const ack = await this.emit(event, payload, Math.max(1, timeoutMs - (this.now() - started)));
    if (!ack.ok) {
      if (ack.error.code === ErrorCode.authKicked && this.identity?.role === 'player') this.handleKicked(ack.error.message);
      return ack as ClientAck<ResponseData<E>>;
    }
    if (isIdentityEvent(event) && generation === this.generation) {
      // The ack's data is the protocol's answer to this very event (the server is typed by the same map).
      this.adopt({ event, payload, data: ack.data } as IdentityAnswer);
    }
    return ack as ClientAck<ResponseData<E>>;
  }

  /** Joins a session as a student; the player secret is remembered for this code. */
  join(code: string, nickname: string, options?: RequestOptions): Promise<ResponseData<'seat:join'>> {
    const device = deviceId(this.store);
    return this.request('seat:join', { code: normalizeJoinCode(code), nickname, ...(device ? { device } : {}) }, options);
  }

  /** Opens a session as its teacher; the host secret is remembered for the new code. */
  createSession(payload: InboundInput<'session:create'>, options?: RequestOptions): Promise<ResponseData<'session:create'>> {
    return this.request('session:create', payload, options);
  }

  // ——— inside ———

  private buildSnapshot(): ArenaSnapshot {
    return {
      status: this.connection.status,
      attempt: this.connection.attempt,
      error: this.connection.error,
      identity: this.identity,
      identified: this.identified,
      view: this.view,
      notices: this.notices,
      clockSkewMs: this.clockSkew?.skewMs ?? 0,
    };
  }

  /** Learns the server's clock from an answer; the snapshot changes only when the estimate moves noticeably. */
  private observeServerTime(response: unknown, sentAt: number): void {
    if (typeof response !== 'object' || response === null || !('serverTime' in response)) return;
    const serverTime = (response as { serverTime: unknown }).serverTime;
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return;
    const before = this.clockSkew?.skewMs ?? 0;
    this.clockSkew = nextClockSkew(this.clockSkew, { sentAt, receivedAt: this.now(), serverTime });
    if (Math.abs(this.clockSkew.skewMs - before) >= SKEW_WORTH_SHOWING_MS) this.changed();
  }

  /** Publishes a new snapshot and lets listeners and waiters look at it. */
  private changed(): void {
    this.current = this.buildSnapshot();
    for (const waiter of [...this.waiters]) waiter();
    for (const listener of [...this.listeners]) listener();
  }

  private dispatch(event: ConnectionEvent): void {
    const next = nextConnection(this.connection, event);
    if (next === this.connection) return;
    this.connection = next;
    if (isTerminal(next.status)) this.stopTimers();
    this.changed();
  }

  /** Whether a request may go out now: true, false (wait) or the error that says it never will. */
  private readiness(): boolean | ArenaError {
    const { status } = this.connection;
    if (status === 'connected') return true;
    if (status === 'denied' || isTerminal(status)) return this.failure();
    return false;
  }

  /** Whether the socket is up for a message that establishes an identity. */
  private socketUp(): boolean | ArenaError {
    const { status } = this.connection;
    if (isTerminal(status)) return this.failure();
    return this.transport?.connected === true && this.generationIsLive;
  }

  /** The socket's connect event has arrived for the current generation (not only `transport.connected`). */
  private generationIsLive = false;

  private failure(): ArenaError {
    const { status, error } = this.connection;
    if (error) return new ArenaError(error.code, error.message);
    return new ArenaError(ClientErrorCode.closed, status === 'closed' ? 'The page closed its connection.' : `The connection is ${status}.`);
  }

  private waitUntil(check: () => boolean | ArenaError, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = () => {
        if (timer !== null) clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = () => {
        const state = check();
        if (state === true) {
          done();
          resolve();
        } else if (state instanceof ArenaError) {
          done();
          reject(state);
        }
      };
      this.waiters.add(waiter);
      waiter();
      if (!this.waiters.has(waiter)) return;
      timer = setTimeout(() => {
        done();
        const offline = this.connection.error?.code === ClientErrorCode.offline;
        reject(
          new ArenaError(
            offline ? ClientErrorCode.offline : ClientErrorCode.timeout,
            offline ? 'Cannot reach the server.' : `Not connected after ${Math.round(timeoutMs / 1000)} s.`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** Sends one message and waits for its acknowledgement, at most `timeoutMs`. */
  private emit(event: ClientEventName, payload: unknown, timeoutMs: number): Promise<ClientAck<unknown>> {
    const transport = this.transport;
    if (!transport) return Promise.resolve({ ok: false, error: { code: ClientErrorCode.closed, message: 'Not connected.' } });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (ack: ClientAck<unknown>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(fail);
        resolve(ack);
      };
      const fail = (error: ArenaErrorInfo) => settle({ ok: false, error });
      const timer = setTimeout(
        () => fail({ code: ClientErrorCode.timeout, message: `The server did not answer ${event} within ${Math.ceil(timeoutMs / 1000)} s.` }),
        timeoutMs,
      );
      this.inFlight.add(fail);
      const sentAt = this.now();
      transport.emit(event, payload, (response) => {
        this.observeServerTime(response, sentAt);
        if (!isAckShaped(response)) {
          fail({ code: ClientErrorCode.badAnswer, message: `The answer to ${event} is not an acknowledgement.` });
        } else if (response.ok) {
          settle({ ok: true, data: response.data });
        } else {
          fail(readProtocolError(response.error) ?? { code: ClientErrorCode.badAnswer, message: `The refusal of ${event} has no known code.` });
        }
      });
    });
  }

  private failInFlight(error: ArenaErrorInfo): void {
    for (const fail of [...this.inFlight]) fail(error);
  }

  /** The message that proves the identity on a new connection, or null without a secret. */
  private proofRequest(identity: Identity): ProofRequest | null {
    const { code } = identity;
    switch (identity.role) {
      case 'stage':
        return { event: 'stage:watch', payload: { code } };
      case 'player': {
        const credentials = this.player ?? loadPlayer(code, this.store);
        if (!credentials) return null;
        const lastVersion = this.view?.kind === 'student' && this.view.code === code ? this.view.version : undefined;
        return {
          event: 'seat:rejoin',
          payload: lastVersion === undefined ? { code, playerSecret: credentials.playerSecret } : { code, playerSecret: credentials.playerSecret, lastVersion },
        };
      }
      case 'host': {
        const credentials = this.host ?? loadHost(code, this.store);
        return credentials ? { event: 'session:resume', payload: { code, hostSecret: credentials.hostSecret } } : null;
      }
    }
  }

  /** Proves the identity on the connection of `generation`; retries a lost answer while it lasts. */
  private async prove(generation: number): Promise<void> {
    const identity = this.identity;
    if (!identity) return;
    const proof = this.proofRequest(identity);
    if (!proof) {
      this.dispatch({ type: 'identity-refused', error: { code: ClientErrorCode.noIdentity, message: 'This browser has not joined that session.' } });
      return;
    }
    const ack = await this.emit(proof.event, proof.payload, this.requestTimeoutMs);
    if (generation !== this.generation || isTerminal(this.connection.status)) return;
    if (ack.ok) {
      this.adopt({ ...proof, data: ack.data } as IdentityAnswer);
      return;
    }
    if (ack.error.code === ClientErrorCode.timeout) {
      // The connection may be half-dead; ask again while it is the same one.
      this.proofTimer = setTimeout(() => {
        if (generation === this.generation) void this.prove(generation);
      }, RETRY_BASE_MS);
      return;
    }
    if (ack.error.code === ErrorCode.authKicked && identity.role === 'player') {
      this.handleKicked(ack.error.message);
      return;
    }
    if (ack.error.code === ErrorCode.authBadSecret || ack.error.code === ErrorCode.playerNotFound) {
      // A secret the server no longer knows (stale storage): forget it so the page can offer a fresh join.
      if (identity.role === 'player') {
        forgetPlayer(identity.code, this.store);
        this.player = null;
      } else if (identity.role === 'host') {
        forgetHost(identity.code, this.store);
        this.host = null;
      }
    }
    this.dispatch({ type: 'identity-refused', error: ack.error });
  }

  /** Takes on the identity an accepted identity message established, remembers its secret, shows its view. */
  private adopt(answer: IdentityAnswer): void {
    let identity: Identity;
    switch (answer.event) {
      case 'session:create':
        identity = { role: 'host', code: normalizeJoinCode(answer.data.code) };
        this.host = { sessionId: answer.data.sessionId, hostSecret: answer.data.hostSecret };
        saveHost(identity.code, this.host, this.store);
        break;
      case 'session:resume':
        identity = { role: 'host', code: normalizeJoinCode(answer.payload.code) };
        this.host = { sessionId: answer.data.view.sessionId, hostSecret: answer.payload.hostSecret };
        saveHost(identity.code, this.host, this.store);
        break;
      case 'seat:join':
        identity = { role: 'player', code: normalizeJoinCode(answer.payload.code) };
        this.player = { playerId: answer.data.playerId, playerSecret: answer.data.playerSecret, nickname: answer.data.view.me.nickname };
        savePlayer(identity.code, this.player, this.store);
        break;
      case 'seat:rejoin':
        identity = { role: 'player', code: normalizeJoinCode(answer.payload.code) };
        this.player = { playerId: answer.data.playerId, playerSecret: answer.payload.playerSecret, nickname: answer.data.view.me.nickname };
        savePlayer(identity.code, this.player, this.store);
        break;
      case 'stage:watch':
        identity = { role: 'stage', code: normalizeJoinCode(answer.payload.code) };
        break;
    }
    if (!sameIdentity(identity, this.identity)) {
      // Another session (or role): nothing shown so far belongs to it.
      this.view = null;
      this.notices = [];
    }
    this.identity = identity;
    this.identified = true;
    // The answer to proving who we are is the server's snapshot as it is now. After a crash and restart
    // it may be older than what was shown (moves made after its last save), yet it is the truth from
    // here on, so it replaces the view whatever its version.
    this.acceptView(answer.data.view, false, true);
    this.dispatch({ type: 'identity-proved' });
    this.startResync();
    this.changed();
  }

  private acceptView(view: AnyView, publish = true, authoritative = false): void {
    if (this.identity && normalizeJoinCode(view.code) !== this.identity.code) return;
    if (!authoritative && !shouldAcceptView(this.view, view)) return;
    this.view = view;
    if (view.kind === 'student' && view.me.status === 'kicked') {
      this.handleKicked('The teacher removed you from this session.');
      return;
    }
    if (publish) this.changed();
  }

  /**
   * A patch against the view held. One built on another version means a patch went missing (or an
   * answer brought a newer view): a patch older than the view is dropped, otherwise the whole view
   * is asked for again.
   */
  private acceptPatch(patch: ViewPatch): void {
    const held = this.view;
    const patched = held ? applyPatch(held, patch) : null;
    if (patched) {
      this.acceptView(patched);
    } else if (!held || held.kind !== patch.kind || patch.version > held.version) {
      void this.resync();
    }
  }

  private handleKicked(message: string): void {
    if (this.connection.status === 'kicked') return;
    if (this.identity) markKicked(this.identity.code, this.store);
    this.player = null;
    this.identified = false;
    this.dispatch({ type: 'kicked', message });
    this.transport?.close();
  }

  private pushNotice(notice: ServerNotice): void {
    this.notices = [...this.notices, { ...notice, id: this.nextNoticeId++, receivedAt: this.now() }].slice(-MAX_NOTICES);
    this.changed();
  }

  private transportEvents(): TransportEvents {
    return {
      connect: () => {
        this.generation++;
        this.generationIsLive = true;
        this.clearRetry();
        const identity = this.identity;
        this.dispatch({ type: 'socket-connected', identityPending: identity !== null });
        if (identity) void this.prove(this.generation);
        // Waiters for the socket (identity messages) look again even when the status did not move.
        this.changed();
      },
      disconnect: (reason, willReconnect) => {
        this.generation++;
        this.generationIsLive = false;
        this.identified = false;
        this.stopResync();
        this.failInFlight({ code: ClientErrorCode.timeout, message: 'The connection dropped before the server answered.' });
        if (isTerminal(this.connection.status)) return;
        this.dispatch({ type: 'socket-lost' });
        this.changed();
        // socket.io does not come back by itself after the server closed the connection.
        if (!willReconnect && reason !== 'io client disconnect') this.scheduleRetry();
      },
      connectError: (error, willReconnect) => {
        const refusal = readProtocolError(error.data);
        this.dispatch({
          type: 'connect-failed',
          error: refusal ?? { code: ClientErrorCode.offline, message: error.message || 'Cannot reach the server.' },
        });
        if (this.connection.status === 'outdated') {
          this.transport?.close();
          return;
        }
        if (!willReconnect) this.scheduleRetry(refusal?.code === ErrorCode.protocolUnsupported ? 5000 : undefined);
      },
      reconnectAttempt: (attempt) => this.dispatch({ type: 'retry', attempt }),
      view: (view) => this.acceptView(view),
      patch: (patch) => this.acceptPatch(patch),
      notice: (notice) => {
        this.pushNotice(notice);
        if (notice.event === 'player:kicked') this.handleKicked(notice.data.message);
      },
    };
  }

  private scheduleRetry(delayMs?: number): void {
    this.clearRetry();
    if (isTerminal(this.connection.status)) return;
    const attempt = this.connection.attempt + 1;
    const delay = delayMs ?? Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (isTerminal(this.connection.status) || !this.transport || this.transport.connected) return;
      this.dispatch({ type: 'retry', attempt });
      this.transport.open();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private startResync(): void {
    this.stopResync();
    if (this.resyncIntervalMs <= 0) return;
    this.resyncTimer = setInterval(() => void this.resync(), this.resyncIntervalMs);
  }

  private stopResync(): void {
    if (this.resyncTimer !== null) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
  }

  private stopTimers(): void {
    this.stopResync();
    this.clearRetry();
    if (this.proofTimer !== null) clearTimeout(this.proofTimer);
    this.proofTimer = null;
  }

  /** A phone that wakes up may have slept through updates: ask for a snapshot when the page shows again. */
  private watchVisibility(): void {
    if (this.removeVisibilityListener || typeof document === 'undefined') return;
    const onChange = () => {
      if (document.visibilityState === 'visible') void this.resync();
    };
    document.addEventListener('visibilitychange', onChange);
    this.removeVisibilityListener = () => document.removeEventListener('visibilitychange', onChange);
  }
}
