/**
 * Which process owns which room: one Redis key per session holding the owner's process id, set with
 * an expiry and renewed while the owner lives. A process whose renewal fails stops applying the room's
 * events at once, so two processes never change one room's state.
 */
import type { Redis } from 'ioredis';

/** Renews a lease held by this process; takes back one that vanished (Redis restarted); 0 when another holds it. */
const RENEW_SCRIPT = `
local held = redis.call('get', KEYS[1])
if held == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
elseif not held then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes a lease only while this process holds it. */
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

export interface LeaseOptions {
  redis: Redis;
  /** Keys start with it, so that several deployments or test runs share one Redis. */
  prefix: string;
  /** This process, as the lease values name it. */
  processId: string;
  /** A lease nobody renews lapses after this long: the longest a dead owner's rooms stay unserved, plus the scan. */
  ttlMs: number;
  /** Time for deciding when renewals have failed for too long. */
  now: () => number;
}

/** The leases of this process, and who holds the others'. */
export class RoomLeases {
  private readonly held = new Set<string>();
  private lastRenewedAt: number;

  constructor(private readonly options: LeaseOptions) {
    this.lastRenewedAt = options.now();
  }

  private key(sessionId: string): string {
    return `${this.options.prefix}:lease:${sessionId}`;
  }

  /** The sessions this process owns. */
  get owned(): ReadonlySet<string> {
    return this.held;
  }

  /** Takes the room's lease if nobody holds it (or this process already does); false when another process owns it. */
  async claim(sessionId: string): Promise<boolean> {
    if (this.held.has(sessionId)) return true;
    const { redis, processId, ttlMs } = this.options;
    const set = await redis.set(this.key(sessionId), processId, 'PX', ttlMs, 'NX');
    if (set !== 'OK' && (await redis.get(this.key(sessionId))) !== processId) return false;
    this.held.add(sessionId);
    await redis.sadd(this.sessionsKey, sessionId);
    return true;
  }

  /** The process that owns the room, or null when its lease has lapsed. */
  owner(sessionId: string): Promise<string | null> {
    return this.options.redis.get(this.key(sessionId));
  }

  /** The owners of several rooms at once (null where the lease lapsed). */
  async owners(sessionIds: readonly string[]): Promise<Map<string, string | null>> {
    if (sessionIds.length === 0) return new Map();
    const values = await this.options.redis.mget(...sessionIds.map((id) => this.key(id)));
    return new Map(sessionIds.map((id, i) => [id, values[i] ?? null]));
  }

  /** Gives a room up (it ended, or this process stops); another process may take it at once. */
  async release(sessionId: string, ended = false): Promise<void> {
    this.held.delete(sessionId);
    const { redis, processId } = this.options;
    await redis.eval(RELEASE_SCRIPT, 1, this.key(sessionId), processId);
    if (ended) await redis.srem(this.sessionsKey, sessionId);
  }

  /** Every live session any process has owned: where a scan for lapsed leases looks. */
  knownSessions(): Promise<string[]> {
    return this.options.redis.smembers(this.sessionsKey);
  }

  /** Forgets a session that turned out to have ended. */
  async forget(sessionId: string): Promise<void> {
    await this.options.redis.srem(this.sessionsKey, sessionId);
  }

  private get sessionsKey(): string {
    return `${this.options.prefix}:sessions`;
  }

  /**
   * Extends every lease held; returns the sessions whose lease another process holds now, or all of
   * them when Redis has not confirmed a renewal for a whole lease period (they may have lapsed).
   */
  async renew(): Promise<string[]> {
    const ids = [...this.held];
    const { redis, processId, ttlMs, now } = this.options;
    try {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.eval(RENEW_SCRIPT, 1, this.key(id), processId, ttlMs);
      // Also listed again, in case Redis lost the list (a restart without persistence).
      if (ids.length > 0) pipeline.sadd(this.sessionsKey, ...ids);
      const results = (await pipeline.exec()) ?? [];
      const lost: string[] = [];
      ids.forEach((id, i) => {
        const [error, value] = results[i] ?? [null, 0];
        if (error || value !== 1) lost.push(id);
      });
      this.lastRenewedAt = now();
      for (const id of lost) this.held.delete(id);
      return lost;
    } catch {
      if (now() - this.lastRenewedAt < ttlMs) return [];
      this.held.clear();
      return ids;
    }
  }
}
