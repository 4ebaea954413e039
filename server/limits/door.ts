/**
 * The door: every budget a message, a connection, a join or a new session must fit before it costs
 * the server anything more. It only counts and answers; the socket layer decides what a refusal does
 * (an ack, a disconnect, a refused handshake).
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, type ProtocolError } from '../../lib/protocol';
import { EVENT_FAMILIES, familyOf, type Budget, type EventFamily, type LimitSettings } from './settings';
import { take, type LimiterFactory, type OverBudget } from './store';

/** Who sent a message: the socket, its address and, once proven, the student. */
export interface Sender {
  socketId: string;
  address: string;
  playerId: string | null;
}

function perFamily(
  make: LimiterFactory,
  name: string,
  budgets: Record<EventFamily, Budget>,
  extra: { local?: boolean; blockSeconds?: number } = {},
): Record<EventFamily, RateLimiterAbstract> {
  return Object.fromEntries(EVENT_FAMILIES.map((family) => [family, make({ name: `${name}:${family}`, ...budgets[family], ...extra })])) as Record<
    EventFamily,
    RateLimiterAbstract
  >;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function limited(what: string, over: OverBudget): ProtocolError {
  return { code: ErrorCode.rateLimited, message: `${what} Try again in ${seconds(over.retryAfterMs)} s.` };
}

export class Door {
  private readonly openConnections = new Map<string, number>();
  private readonly connects: RateLimiterAbstract;
  private readonly socketMessages: Record<EventFamily, RateLimiterAbstract>;
  private readonly playerMessages: Record<EventFamily, RateLimiterAbstract>;
  private readonly addressMessages: Record<EventFamily, RateLimiterAbstract>;
  private readonly strikes: RateLimiterAbstract;
  private readonly joinsByAddress: RateLimiterAbstract;
  private readonly joinsByRoom: RateLimiterAbstract;
  private readonly sessionsByAddress: RateLimiterAbstract;
  private readonly missesBySocket: RateLimiterAbstract;
  private readonly missesByAddress: RateLimiterAbstract;

  constructor(
    readonly settings: LimitSettings,
    make: LimiterFactory,
  ) {
    this.connects = make({ name: 'connects', ...settings.connectsPerAddress });
    // One socket lives in one process: its counts never need Redis.
    this.socketMessages = perFamily(make, 'socket', settings.perSocket, { local: true });
    this.playerMessages = perFamily(make, 'player', settings.perPlayer, { blockSeconds: settings.playerBlockSeconds });
    this.addressMessages = perFamily(make, 'address', settings.perAddress);
    this.strikes = make({ name: 'strikes', ...settings.strikes, local: true });
    this.joinsByAddress = make({ name: 'joins:address', ...settings.joinsPerAddress });
    this.joinsByRoom = make({ name: 'joins:room', ...settings.joinsPerRoom });
    this.sessionsByAddress = make({ name: 'sessions:address', ...settings.sessionsPerAddress });
    this.missesBySocket = make({ name: 'misses:socket', ...settings.codeMissesPerSocket, blockSeconds: settings.lockoutSeconds, local: true });
    this.missesByAddress = make({ name: 'misses:address', ...settings.codeMissesPerAddress, blockSeconds: settings.lockoutSeconds });
  }

  // ——— connections ———

  /** Whether one more connection from `address` fits; null when it does, else why not. */
  async admitConnection(address: string): Promise<string | null> {
    if ((this.openConnections.get(address) ?? 0) >= this.settings.connectionsPerAddress) {
      return `too many open connections from ${address}`;
    }
    const over = await take(this.connects, address);
    return over ? `too many new connections from ${address}` : null;
  }

  /** A connection from `address` opened; call `closed` when it ends. */
  opened(address: string): void {
    this.openConnections.set(address, (this.openConnections.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const left = (this.openConnections.get(address) ?? 1) - 1;
    if (left <= 0) this.openConnections.delete(address);
    else this.openConnections.set(address, left);
  }

  /** Open connections from `address` now. */
  connectionsFrom(address: string): number {
    return this.openConnections.get(address) ?? 0;
  }

  // ——— messages ———

  /** Whether a message named `event` fits the sender's budgets (socket, student, address). */
  async admitMessage(sender: Sender, event: string): Promise<ProtocolError | null> {
    const family = familyOf(event);
    const bySocket = await take(this.socketMessages[family], sender.socketId);
    if (bySocket) return limited('This connection is sending too fast.', bySocket);
    if (sender.playerId !== null) {
      const byPlayer = await take(this.playerMessages[family], sender.playerId);
      if (byPlayer) return limited('You are sending too fast.', byPlayer);
    }
    const byAddress = await take(this.addressMessages[family], sender.address);
    if (byAddress) return limited('Your network is sending too fast.', byAddress);
    return null;
  }

  /**
   * Counts one refusal against a socket; true when it has collected enough to be disconnected. Its
   * student is then refused everything for a while, so reconnecting does not start a fresh budget.
   */
  async strike(sender: Sender): Promise<boolean> {
    if ((await take(this.strikes, sender.socketId)) === null) return false;
    const { playerId } = sender;
    if (playerId !== null) {
      await Promise.all(EVENT_FAMILIES.map((family) => this.playerMessages[family].block(playerId, this.settings.playerBlockSeconds)));
    }
    return true;
  }

  // ——— joins, sessions and codes ———

  /** Whether one more student may join `sessionId` from `address`. */
  async admitJoin(address: string, sessionId: string): Promise<ProtocolError | null> {
    const byRoom = await take(this.joinsByRoom, sessionId);
    if (byRoom) return limited('Too many students are joining this session at once.', byRoom);
    const byAddress = await take(this.joinsByAddress, address);
    if (byAddress) return limited('Too many joins from your network.', byAddress);
    return null;
  }

  /** Whether `address` may open one more session. */
  async admitSession(address: string): Promise<ProtocolError | null> {
    const over = await take(this.sessionsByAddress, address);
    return over ? limited('Too many sessions opened from your network.', over) : null;
  }

  /** Refused while this socket or address is locked out after too many codes that named no session. */
  async lockedOut(sender: Sender): Promise<ProtocolError | null> {
    for (const [limiter, key, budget] of [
      [this.missesBySocket, sender.socketId, this.settings.codeMissesPerSocket],
      [this.missesByAddress, sender.address, this.settings.codeMissesPerAddress],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints > budget.points) {
        return limited('Too many wrong codes.', { retryAfterMs: state.msBeforeNext });
      }
    }
    return null;
  }

  /** A code that named no session: counts towards the lockout. */
  async missed(sender: Sender): Promise<void> {
    await take(this.missesBySocket, sender.socketId);
    await take(this.missesByAddress, sender.address);
  }
}
