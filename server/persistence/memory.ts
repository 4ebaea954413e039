/**
 * The repository in process memory: the default until a database is configured, and the one tests
 * use. Records are copied in and out, so nothing saved here shares an object with a live room.
 */
import type { PersistReason } from '../../lib/game';
import type { ReviewSettings } from '../../lib/review/types';
import { summarize, type SessionRecord, type SessionRepository, type SessionSummary } from './repository';

export class MemorySessionRepository implements SessionRepository {
  private readonly records = new Map<string, SessionRecord>();
  private readonly codes = new Map<string, string>();
  /** Every accepted write's reason, in order, for tests that check what was persisted when. */
  readonly writes: { sessionId: string; version: number; reason: PersistReason }[] = [];

  async saveSession(record: SessionRecord, reason: PersistReason): Promise<void> {
    const { sessionId, version, code } = record.state;
    const stored = this.records.get(sessionId);
    if (stored && stored.state.version > version) return;
    const copy = structuredClone(record);
    // The room's snapshots carry no review settings; the teacher's choice survives them.
    if (copy.reviewSettings === undefined && stored?.reviewSettings) copy.reviewSettings = { ...stored.reviewSettings };
    this.records.set(sessionId, copy);
    this.codes.set(code, sessionId);
    this.writes.push({ sessionId, version, reason });
  }

  async loadSession(sessionId: string): Promise<SessionRecord | null> {
    const record = this.records.get(sessionId);
    return record ? structuredClone(record) : null;
  }

  async findSessionIdByCode(code: string): Promise<string | null> {
    return this.codes.get(code) ?? null;
  }

  async listLiveSessions(): Promise<SessionRecord[]> {
    return [...this.records.values()].filter((r) => r.state.phase !== 'ended').map((r) => structuredClone(r));
  }

  async listSessions(options: { limit?: number } = {}): Promise<SessionSummary[]> {
    const all = [...this.records.values()].map(summarize).sort((a, b) => b.createdAt - a.createdAt);
    return all.slice(0, options.limit ?? all.length);
  }

  async saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean> {
    const stored = this.records.get(sessionId);
    if (!stored) return false;
    stored.reviewSettings = { ...settings };
    return true;
  }
}
