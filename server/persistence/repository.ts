/**
 * Where live sessions are kept between processes and restarts. The room registry is the only writer:
 * it hands a session's whole record over whenever the game core asks (`persist` effect: creation,
 * phase changes, joins, kicks, reveals), in the room's queue order, without waiting for the write
 * before it (a caller that acknowledges a change waits for its own save). `prisma-repository.ts`
 * implements this over Prisma, writing what changed and batching saves that arrive together;
 * `memory.ts` is the in-process stand-in.
 */
import type { GameState, PersistReason, PlayerId } from '../../lib/game';
import type { ReviewSettings } from '../../lib/review/types';

/** Everything needed to bring a room back: its game state and the hashes of the secrets that prove roles. */
export interface SessionRecord {
  state: GameState;
  /** SHA-256 (hex) of the teacher's host secret; the secret itself is never stored. */
  hostSecretHash: string;
  /** SHA-256 (hex) of each student's player secret, kicked students included (so they can be told so). */
  playerSecretHashes: Record<PlayerId, string>;
  /**
   * The teacher's choices for the after-class review (hide the leaderboard from students); absent
   * until the teacher changes one. Written only by `saveReviewSettings`: `saveSession` keeps the
   * stored value when its record has none (the room never sets it).
   */
  reviewSettings?: ReviewSettings;
}

/** A short listing for reviews and dashboards, without the snapshot. */
export interface SessionSummary {
  sessionId: string;
  code: string;
  lessonId: string;
  phase: GameState['phase'];
  createdAt: number;
  playerCount: number;
}

export interface SessionRepository {
  /**
   * Stores the record, replacing the previous one (players, rounds and results included); resolves
   * once it is durable, rejects when it could not be stored. A write whose `state.version` is older
   * than the stored one is ignored: a snapshot never goes backwards. The finished rounds
   * (`state.history`) are stored once each and come back with the record.
   */
  saveSession(record: SessionRecord, reason: PersistReason): Promise<void>;
  /** The last saved record, ended sessions included (the review page reads them); null when unknown. */
  loadSession(sessionId: string): Promise<SessionRecord | null>;
  /** Which session a join code names, ended ones included: codes are never reused. */
  findSessionIdByCode(code: string): Promise<string | null>;
  /** Every session that has not ended, for the registry to restore after a restart. */
  listLiveSessions(): Promise<SessionRecord[]>;
  /** The ids of the sessions that have not ended, without their records: what a scan for rooms needs. */
  listLiveSessionIds(): Promise<string[]>;
  /** The most recent sessions first, for a teacher's list of past classes. */
  listSessions(options?: { limit?: number }): Promise<SessionSummary[]>;
  /**
   * Replaces the session's review settings, leaving the snapshot as it is (a live room may be saving
   * newer ones meanwhile). False when no session has this id.
   */
  saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean>;
}

/** The summary of a record, the same for every implementation. */
export function summarize(record: SessionRecord): SessionSummary {
  const { state } = record;
  return {
    sessionId: state.sessionId,
    code: state.code,
    lessonId: state.lesson.id,
    phase: state.phase,
    createdAt: state.createdAt,
    playerCount: state.players.filter((p) => !p.kicked).length,
  };
}
