/**
 * The repository in process memory: the default until a database is configured, and the one tests
 * use. Records are copied in and out, so nothing saved here shares an object with a live room.
 */
import type { PersistReason } from '../../lib/game';
import type { ReviewSettings } from '../../lib/review/types';
import { summarize, type SessionRecord, type SessionRepository, type SessionSummary } from './repository';

interface PendingSave {
  record: SessionRecord;
  calls: { version: number; reason: PersistReason }[];
  waiters: (() => void)[];
}

export class MemorySessionRepository implements SessionRepository {
  private readonly records = new Map<string, SessionRecord>();
  private readonly codes = new Map<string, string>();
  /** Every accepted write's reason, in order, for tests that check what was persisted when. */
  readonly writes: { sessionId: string; version: number; reason: PersistReason }[] = [];
  /**
   * Saves not yet copied in, newest record per session. A burst of saves (a thousand lock-ins) is
   * copied once, after the events at hand, instead of copying the whole class once per save.
   */
  private pending = new Map<string, PendingSave>();
  private flushScheduled = false;

  saveSession(record: SessionRecord, reason: PersistReason): Promise<void> {
    const { sessionId, version } = record.state;
    return new Promise((resolve) => {
      const entry = this.pending.get(sessionId);
      if (!entry) {
        this.pending.set(sessionId, { record, calls: [{ version, reason }], waiters: [resolve] });
      } else {
        // The room's states are never changed once made, so keeping the newest by reference is safe.
        if (version >= entry.record.state.version) entry.record = record;
        entry.calls.push({ version, reason });
        entry.waiters.push(resolve);
      }
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Copies every pending save in; readers call it first, so a read never misses a save made before it. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    for (const entry of batch.values()) {
      this.store(entry);
      for (const waiter of entry.waiters) waiter();
    }
  }

  private store({ record, calls }: PendingSave): void {
    const { sessionId, version, code } = record.state;
    const stored = this.records.get(sessionId);
    for (const call of calls) if (!stored || stored.state.version <= call.version) this.writes.push({ sessionId, ...call });
    if (stored && stored.state.version > version) return;
    const copy = structuredClone(record);
    // The room's snapshots carry no review settings; the teacher's choice survives them.
    if (copy.reviewSettings === undefined && stored?.reviewSettings) copy.reviewSettings = { ...stored.reviewSettings };
    this.records.set(sessionId, copy);
    this.codes.set(code, sessionId);
  }

  async loadSession(sessionId: string): Promise<SessionRecord | null> {
    this.flush();
    const record = this.records.get(sessionId);
    return record ? structuredClone(record) : null;
  }

  async findSessionIdByCode(code: string): Promise<string | null> {
    this.flush();
    return this.codes.get(code) ?? null;
  }

  async listLiveSessions(): Promise<SessionRecord[]> {
    this.flush();
    return [...this.records.values()].filter((r) => r.state.phase !== 'ended').map((r) => structuredClone(r));
  }

  async listLiveSessionIds(): Promise<string[]> {
    this.flush();
    return [...this.records.values()].filter((r) => r.state.phase !== 'ended').map((r) => r.state.sessionId);
  }

  async listSessions(options: { limit?: number } = {}): Promise<SessionSummary[]> {
    this.flush();
    const all = [...this.records.values()].map(summarize).sort((a, b) => b.createdAt - a.createdAt);
    return all.slice(0, options.limit ?? all.length);
  }

  async saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean> {
    this.flush();
    const stored = this.records.get(sessionId);
    if (!stored) return false;
    stored.reviewSettings = { ...settings };
    return true;
  }
}
